"""Per-grid statistics of a thematic layer: count, length or area by category.

Pure shapely 2 + numpy. Points count in the one grid that holds them (a point on a shared
edge goes to the grid that comes first in the grid list). Lines and areas are cut by the
grids: a feature counts in every grid where it has length (lines) or area (polygons) and
adds there the length or area of its part inside. So per-grid lengths and areas add up to
the layer total when the grids cover it without overlaps, as unit grids do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely import STRtree

# Parts shorter / smaller than this are where a feature only touches a grid edge.
MIN_MEASURE = 1e-9


@dataclass(frozen=True)
class StatRow:
    grid_code: str
    category: str
    count: int
    length_m: float
    area_m2: float


def _kind(geoms: np.ndarray) -> str:
    types = set(shapely.get_type_id(geoms[~shapely.is_empty(geoms)]).tolist()) - {-1}
    if not types:
        return "point"
    if types <= {0, 4}:
        return "point"
    if types <= {1, 2, 5}:
        return "line"
    if types <= {3, 6}:
        return "polygon"
    raise ValueError("mixed geometry types")


def grid_stats(
    features: Sequence[Any],
    categories: Sequence[Any],
    grids: Sequence[Any],
    grid_codes: Sequence[str],
    kind: str | None = None,
) -> list[StatRow]:
    """Rows per (grid, category) with at least one feature, sorted by grid then category.

    ``features`` and ``grids`` are shapely geometries (or WKB bytes) in one projected CRS.
    ``kind`` is point, line or polygon (guessed from the features when None).
    """
    feats = _geoms(features)
    cells = _geoms(grids)
    if len(feats) != len(categories) or len(cells) != len(grid_codes):
        raise ValueError("lengths differ")
    if len(feats) == 0 or len(cells) == 0:
        return []
    kind = kind or _kind(feats)
    cats = np.array(["" if c is None else str(c) for c in categories], dtype=object)
    valid = ~(shapely.is_missing(feats) | shapely.is_empty(feats))
    cells = np.where(shapely.is_valid(cells), cells, shapely.make_valid(cells))
    if kind != "point":
        bad = valid & ~shapely.is_valid(feats)
        if bad.any():
            feats = feats.copy()
            feats[bad] = shapely.make_valid(feats[bad])
    tree = STRtree(cells)
    fi, gi = tree.query(feats, predicate="intersects")
    keep = valid[fi]
    fi, gi = fi[keep], gi[keep]
    if kind == "point":
        # first grid (lowest index) per point
        order = np.lexsort((gi, fi))
        fi, gi = fi[order], gi[order]
        first = np.ones(len(fi), dtype=bool)
        first[1:] = fi[1:] != fi[:-1]
        fi, gi = fi[first], gi[first]
        lengths = np.zeros(len(fi))
        areas = np.zeros(len(fi))
    else:
        parts = shapely.intersection(feats[fi], cells[gi])
        lengths = shapely.length(parts) if kind == "line" else np.zeros(len(fi))
        areas = shapely.area(parts) if kind == "polygon" else np.zeros(len(fi))
        measure = lengths if kind == "line" else areas
        has = measure > MIN_MEASURE
        fi, gi, lengths, areas = fi[has], gi[has], lengths[has], areas[has]
    acc: dict[tuple[int, str], list[float]] = {}
    for f, g, ln, ar in zip(fi.tolist(), gi.tolist(), lengths.tolist(), areas.tolist()):
        key = (g, cats[f])
        row = acc.setdefault(key, [0, 0.0, 0.0])
        row[0] += 1
        row[1] += ln
        row[2] += ar
    rows = [
        StatRow(str(grid_codes[g]), cat, int(v[0]), float(v[1]), float(v[2]))
        for (g, cat), v in acc.items()
    ]
    rows.sort(key=lambda r: (r.grid_code, r.category))
    return rows


def _geoms(values: Sequence[Any]) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        arr[i] = shapely.from_wkb(v) if isinstance(v, (bytes, bytearray, memoryview)) else v
    return arr
