"""The numbering order of unit grids: inside a community, west to east, north to south
(GB/T 30428.1), checked when the city asks for it (workspace setting
``grid_numbering_check``).

Grids are taken in the order of their sequence (the code's last digits). Two grids one after
the other lie in the same row when their centres are less than half a typical grid height
apart north–south: then the later one must lie east of the earlier one. Otherwise the later
one starts a new row, which must lie south of the earlier one. A grid that breaks this is
reported once, with the grid numbered before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import shapely

from ..i18n import tr

_CTX = "Topology"


def _typical_height(geoms: np.ndarray) -> float:
    bounds = shapely.bounds(geoms)
    heights = bounds[:, 3] - bounds[:, 1]
    heights = heights[np.isfinite(heights) & (heights > 0)]
    return float(np.median(heights)) if len(heights) else 0.0


def _by_community(codes: Sequence[str]) -> dict[str, list[int]]:
    """Indexes of the grids with a well-formed code, by community, in sequence order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for k, code in enumerate(codes):
        if code and code.isdigit() and len(code) in (14, 15):
            groups[code[:12]].append(k)
    return {c: sorted(ks, key=lambda k: int(codes[k][12:])) for c, ks in groups.items()}


def _message(code: str, before: str, same_row: bool) -> str:
    if same_row:
        return tr(
            _CTX,
            "Grid {0} is numbered after {1} in the same row but lies west of it "
            "(grids are numbered west to east).",
        ).format(code, before)
    return tr(
        _CTX,
        "Grid {0} is numbered after {1} but lies north of it (rows are numbered north to south).",
    ).format(code, before)


def numbering_errors(
    geoms: Sequence[shapely.Geometry | None] | np.ndarray, codes: Sequence[str]
) -> list[tuple[int, str, int]]:
    """(grid index, message, index of the grid numbered before it) for each grid out of
    order."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    centres = np.full(len(geoms), None, dtype=object)
    if present.any():
        centres[present] = shapely.point_on_surface(geoms[present])
    tol = 0.5 * _typical_height(geoms[present]) if present.any() else 0.0
    out = []
    for ks in _by_community(list(codes)).values():
        ks = [k for k in ks if centres[k] is not None]
        for a, b in zip(ks, ks[1:]):
            pa, pb = centres[a], centres[b]
            same_row = abs(pb.y - pa.y) <= tol
            if (same_row and pb.x <= pa.x) or (not same_row and pb.y > pa.y):
                out.append((b, _message(codes[b], codes[a], same_row), a))
    return out
