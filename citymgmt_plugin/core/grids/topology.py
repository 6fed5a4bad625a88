"""Unit grid quality checks (GB/T 30428.1: closed polygons, no gaps, no overlaps, ~10,000 m²).

Pure numpy + shapely 2, no QGIS: the Processing algorithm ``citymgmt:gridtopology``, the demo
and the tests share it. Coordinates are metres in a projected CRS.

Checks, each producing :class:`GridError` rows with a stable ``type``:

``invalid``         geometry missing, not polygonal or not valid (reason from GEOS); the later
                    checks use a repaired copy (``make_valid``), so one bad grid does not hide
                    the others' errors.
``overlap``         the polygonal intersection of two grids, area > ``area_tolerance``.
``gap``             area inside the outer boundary of the grids (holes of their union) or,
                    with an administrative layer, inside the administrative units, covered by
                    no grid; one error per connected gap, area > ``area_tolerance``.
``outside``         the part of a grid outside every administrative unit (admin layer only).
``sliver``          thinness 4πA/P² below ``sliver_ratio`` (1 = disc, 0.785 = square,
                    0.26 = 10:1 rectangle, 0.14 = 20:1).
``area``            grid area outside [``min_area``, ``max_area``].
``duplicate_code``  a code carried by more than one grid.
``malformed_code``  :func:`..codes.validate_grid_code` finds problems (15 digits, or 14 with
                    ``legacy14``).
``admin_mismatch``  the grid (its point on surface) lies in an administrative unit whose code
                    is not the prefix of the grid code (community: 12 digits, street: 9), or
                    in none.

Speed on 10,000 grids (about 0.6 s): vectorised validity, one STRtree query for candidate
pairs, DE-9IM ``2********`` to keep only pairs whose interiors meet, overlay only for those,
and one union of the grids (a fast coverage union when the grids form a clean coverage). Only
GEOS functions older than 3.12 are used: inside QGIS, shapely runs on QGIS's GEOS.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

from ..codes import validate_grid_code
from ..i18n import tr
from ..labels import geometry_kind_label

_CTX = "Topology"

ERROR_TYPES = (
    "invalid",
    "overlap",
    "gap",
    "outside",
    "sliver",
    "area",
    "duplicate_code",
    "malformed_code",
    "admin_mismatch",
)

_POLYGONAL = (3, 6)  # shapely type ids of Polygon, MultiPolygon
_PAIR_CHUNK = 20_000
_MAX_NEIGHBOURS_LISTED = 6

Progress = Callable[[float], bool]


@dataclass(frozen=True)
class GridRules:
    """Thresholds of the checks (areas in m²)."""

    min_area: float = 2_000.0
    max_area: float = 40_000.0
    sliver_ratio: float = 0.1
    legacy14: bool = False
    area_tolerance: float = 1.0  # gaps, overlaps and outside parts smaller than this are noise


@dataclass
class GridError:
    type: str
    grid_code: str | None
    message: str
    geometry: shapely.Geometry | None
    other_code: str | None = None
    area: float | None = None  # of the error geometry (m²)


@dataclass
class TopologyResult:
    grids: int
    errors: list[GridError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(e.type for e in self.errors)
        return {t: c.get(t, 0) for t in ERROR_TYPES}

    def total_area(self, kind: str) -> float:
        return float(sum(e.area or 0.0 for e in self.errors if e.type == kind))


class _Stages:
    """Maps stage progress onto one 0..1 scale and turns a cancel answer into an exception."""

    def __init__(self, progress: Progress | None, weights: dict[str, float]) -> None:
        self.progress = progress
        total = sum(weights.values())
        self.start: dict[str, float] = {}
        self.size: dict[str, float] = {}
        acc = 0.0
        for name, w in weights.items():
            self.start[name] = acc / total
            self.size[name] = w / total
            acc += w

    def __call__(self, stage: str, fraction: float = 0.0) -> None:
        if self.progress is None:
            return
        if self.progress(self.start[stage] + self.size[stage] * min(max(fraction, 0.0), 1.0)):
            raise InterruptedError(tr(_CTX, "Canceled."))


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """The polygonal part of each geometry as (Multi)Polygon; None where nothing is left."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    tid = shapely.get_type_id(geoms)
    for k in np.flatnonzero(~np.isin(tid, _POLYGONAL)):
        g = geoms[k]
        if g is None:
            continue
        polys = [
            p
            for p in shapely.get_parts(_flatten(g))
            if shapely.get_type_id(p) == 3 and not p.is_empty
        ]
        out[k] = shapely.multipolygons(polys) if polys else None
    empty = shapely.is_empty(out)
    out[empty] = None
    return out


def _flatten(g: shapely.Geometry) -> np.ndarray:
    """Every simple part of a possibly nested collection."""
    parts = shapely.get_parts(g)
    while np.isin(shapely.get_type_id(parts), (4, 5, 6, 7)).any():
        parts = shapely.get_parts(parts)
    return parts


def thinness(geoms: np.ndarray) -> np.ndarray:
    """4πA/P² of each geometry (1 for a disc, 0.785 for a square; NaN without a perimeter)."""
    a = shapely.area(geoms)
    p = shapely.length(geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, 4.0 * math.pi * a / (p * p), np.nan)


def _clean_codes(codes: Sequence[object]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in codes]


def _plainly_valid(code: str, lengths: tuple[int, ...]) -> bool:
    """True when validate_grid_code would find nothing wrong (ASCII digits of an allowed
    length, county not 000000, sequence not 0); False means: ask it."""
    return (
        len(code) in lengths
        and code.isascii()
        and code.isdigit()
        and code[:6] != "000000"
        and int(code[12:]) != 0
    )


def _list_codes(codes: list[str]) -> str:
    shown = [c or "?" for c in codes[:_MAX_NEIGHBOURS_LISTED]]
    text = ", ".join(shown)
    if len(codes) > _MAX_NEIGHBOURS_LISTED:
        text += ", …"
    return text


def grid_union(fixed: np.ndarray) -> tuple[shapely.Geometry, float]:
    """Union of the grids and the sum of their areas minus its area (0 without overlaps).

    The sum minus the union bounds every pairwise overlap from above (inclusion-exclusion),
    so when it is below the tolerance there is no overlap to look for. A true coverage (edges
    matched vertex for vertex, as grids cut from one network are) takes GEOS's fast coverage
    union; its answer is kept only when valid and of the full area, else ``union_all``.
    """
    present = fixed[~shapely.is_missing(fixed)]
    if len(present) == 0:
        return shapely.Polygon(), 0.0
    total = float(shapely.area(present).sum())
    try:
        u = shapely.coverage_union_all(present)
        if u.is_valid and abs(u.area - total) <= 1e-11 * max(total, 1.0):
            return u, 0.0
    except shapely.errors.GEOSException:
        pass
    u = shapely.union_all(present)
    return u, max(total - u.area, 0.0)


def check_grids(
    geoms: Sequence[shapely.Geometry | None] | np.ndarray,
    codes: Sequence[object],
    rules: GridRules | None = None,
    admin_geoms: Sequence[shapely.Geometry | None] | np.ndarray | None = None,
    admin_codes: Sequence[object] | None = None,
    progress: Progress | None = None,
) -> TopologyResult:
    """Run every check on the grids. ``progress(fraction) -> True`` cancels (InterruptedError)."""
    rules = rules or GridRules()
    geoms = np.asarray(geoms, dtype=object).reshape(-1)
    codes_s = _clean_codes(codes)
    if len(codes_s) != len(geoms):
        raise ValueError("geoms and codes differ in length")
    n = len(geoms)
    tol = rules.area_tolerance
    has_admin = admin_geoms is not None
    stage = _Stages(
        progress,
        {"validity": 1, "attributes": 1, "union": 3, "overlaps": 4, "gaps": 2, "admin": 2},
    )
    result = TopologyResult(grids=n)
    errors = result.errors

    # -- validity --------------------------------------------------------------------------
    stage("validity")
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    tid = shapely.get_type_id(geoms)
    reasons = shapely.is_valid_reason(geoms)
    fixed = geoms.copy()
    fixed[missing] = None
    for k in np.flatnonzero(missing):
        errors.append(
            GridError("invalid", codes_s[k] or None, tr(_CTX, "Grid has no geometry."), None)
        )
    wrong_type = ~missing & ~np.isin(tid, _POLYGONAL)
    invalid = ~missing & ~wrong_type & (reasons != "Valid Geometry")
    for k in np.flatnonzero(wrong_type):
        errors.append(
            GridError(
                "invalid",
                codes_s[k] or None,
                tr(_CTX, "Grid geometry is a {0}, not a polygon.").format(
                    geometry_kind_label(geoms[k].geom_type)
                ),
                None,
            )
        )
    fixed[wrong_type] = None
    for k in np.flatnonzero(invalid):
        errors.append(
            GridError(
                "invalid",
                codes_s[k] or None,
                tr(_CTX, "Invalid geometry: {0}").format(reasons[k]),
                geoms[k],
            )
        )
    if invalid.any():
        fixed[invalid] = polygonal(shapely.make_valid(geoms[invalid]))
    ok = ~shapely.is_missing(fixed)
    area = np.where(ok, shapely.area(fixed), 0.0)

    # -- per-grid shape and attributes --------------------------------------------------------
    stage("attributes")
    thin = thinness(fixed)
    for k in np.flatnonzero(ok & (thin < rules.sliver_ratio)):
        errors.append(
            GridError(
                "sliver",
                codes_s[k] or None,
                tr(
                    _CTX,
                    "Sliver: thinness 4πA/P² = {0:.3f} is below {1:g} "
                    "(mean width about {2:.1f} m).",
                ).format(thin[k], rules.sliver_ratio, 2 * area[k] / shapely.length(fixed[k])),
                fixed[k],
                area=float(area[k]),
            )
        )
    for k in np.flatnonzero(ok & ((area < rules.min_area) | (area > rules.max_area))):
        errors.append(
            GridError(
                "area",
                codes_s[k] or None,
                tr(_CTX, "Area {0:,.0f} m² is outside {1:,.0f}–{2:,.0f} m².").format(
                    area[k], rules.min_area, rules.max_area
                ),
                fixed[k],
                area=float(area[k]),
            )
        )
    counts = Counter(c for c in codes_s if c)
    for k, c in enumerate(codes_s):
        if c and counts[c] > 1:
            errors.append(
                GridError(
                    "duplicate_code",
                    c,
                    tr(_CTX, "Code {0} is used by {1} grids.").format(c, counts[c]),
                    fixed[k],
                )
            )
    well_formed = np.zeros(n, dtype=bool)
    problems_of: dict[str, list[str]] = {}
    lengths = (14, 15) if rules.legacy14 else (15,)
    for k, c in enumerate(codes_s):
        if c not in problems_of:
            # The common well-formed case without the (translated) validator; anything else
            # gets its messages from validate_grid_code.
            if _plainly_valid(c, lengths):
                problems_of[c] = []
            else:
                problems_of[c] = validate_grid_code(c, legacy14=rules.legacy14)
        problems = problems_of[c]
        if problems:
            errors.append(GridError("malformed_code", c or None, " ".join(problems), fixed[k]))
        else:
            well_formed[k] = True

    # -- union, overlaps ------------------------------------------------------------------
    stage("union")
    union, excess = grid_union(fixed)
    stage("overlaps")
    tree = shapely.STRtree(fixed)
    if excess > tol:
        _overlaps(fixed, codes_s, tree, tol, errors, lambda f: stage("overlaps", f))

    stage("gaps")
    admin_union = None
    admin_fixed = None
    if has_admin:
        admin_fixed = np.asarray(admin_geoms, dtype=object).reshape(-1)
        admin_fixed = polygonal(
            np.where(
                shapely.is_valid(admin_fixed) | shapely.is_missing(admin_fixed),
                admin_fixed,
                shapely.make_valid(admin_fixed),
            )
        )
        present = admin_fixed[~shapely.is_missing(admin_fixed)]
        admin_union = shapely.union_all(present) if len(present) else shapely.Polygon()
    enclosed = _enclosed(union)
    if admin_union is not None:
        enclosed = shapely.union(enclosed, shapely.difference(admin_union, union))
    gaps = polygonal(shapely.get_parts(enclosed))
    gaps = gaps[~shapely.is_missing(gaps)]
    gap_area = shapely.area(gaps)
    gaps, gap_area = gaps[gap_area > tol], gap_area[gap_area > tol]
    if len(gaps):
        gi, gj = tree.query(gaps, predicate="intersects")
        neighbours: list[list[str]] = [[] for _ in range(len(gaps))]
        for a, b in zip(gi, gj):
            neighbours[a].append(codes_s[b])
        for g, ar, nb in zip(gaps, gap_area, neighbours):
            if nb:
                msg = tr(_CTX, "Gap of {0:,.1f} m² between grids {1}.").format(
                    ar, _list_codes(sorted(nb))
                )
            else:
                msg = tr(
                    _CTX, "Area of {0:,.1f} m² in the administrative units has no grid."
                ).format(ar)
            errors.append(GridError("gap", None, msg, g, area=float(ar)))

    # -- administrative units ----------------------------------------------------------------
    stage("admin")
    if has_admin and admin_fixed is not None:
        acodes = _clean_codes(admin_codes if admin_codes is not None else [""] * len(admin_fixed))
        shapely.prepare(admin_union)
        inside = np.zeros(n, dtype=bool)
        inside[ok] = shapely.within(fixed[ok], admin_union)
        out_idx = np.flatnonzero(ok & ~inside)
        if len(out_idx):
            outside = polygonal(shapely.difference(fixed[out_idx], admin_union))
            out_area = np.where(shapely.is_missing(outside), 0.0, shapely.area(outside))
            for k, g, ar in zip(out_idx, outside, out_area):
                if ar > tol:
                    errors.append(
                        GridError(
                            "outside",
                            codes_s[k] or None,
                            tr(
                                _CTX,
                                "{0:,.1f} m² of the grid lie outside every administrative unit.",
                            ).format(ar),
                            g,
                            area=float(ar),
                        )
                    )
        stage("admin", 0.5)
        admin_tree = shapely.STRtree(admin_fixed)
        pos = np.full(n, None, dtype=object)
        pos[ok] = shapely.point_on_surface(fixed[ok])
        pi, ai = admin_tree.query(pos, predicate="intersects")
        containing: list[list[str]] = [[] for _ in range(n)]
        for p, a in zip(pi, ai):
            containing[p].append(acodes[a])
        for k in np.flatnonzero(ok & well_formed):
            units = containing[k]
            c = codes_s[k]
            if not units:
                errors.append(
                    GridError(
                        "admin_mismatch",
                        c,
                        tr(_CTX, "Grid {0} lies in no administrative unit.").format(c),
                        fixed[k],
                    )
                )
            elif not any(u and c.startswith(u) for u in units):
                u = sorted(units)[0]
                errors.append(
                    GridError(
                        "admin_mismatch",
                        c,
                        tr(
                            _CTX,
                            "Grid code {0} starts with {1} but the grid lies in "
                            "administrative unit {2}.",
                        ).format(c, c[: len(u)] if u else "?", u or "?"),
                        fixed[k],
                        other_code=u or None,
                    )
                )
    stage("admin", 1.0)
    return result


def _overlaps(
    fixed: np.ndarray,
    codes_s: list[str],
    tree: shapely.STRtree,
    tol: float,
    errors: list[GridError],
    progress: Callable[[float], None],
) -> None:
    """One error per pair of grids whose interiors share more than ``tol`` m²."""
    # No GEOS >= 3.12 function here (coverage_invalid_edges would pre-filter the pairs): in
    # QGIS and qgis_process shapely's calls bind to QGIS's own GEOS (3.11 on Debian 12), and
    # a function that GEOS lacks crashes the process.
    left, right = tree.query(fixed, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    n_pairs = len(left)
    for s in range(0, n_pairs, _PAIR_CHUNK):
        i, j = left[s : s + _PAIR_CHUNK], right[s : s + _PAIR_CHUNK]
        meet = shapely.relate_pattern(fixed[i], fixed[j], "2********")
        i, j = i[meet], j[meet]
        if len(i):
            inter = polygonal(shapely.intersection(fixed[i], fixed[j]))
            inter_area = np.where(shapely.is_missing(inter), 0.0, shapely.area(inter))
            for a, b, g, ar in zip(i, j, inter, inter_area):
                if ar > tol:
                    errors.append(
                        GridError(
                            "overlap",
                            codes_s[a] or None,
                            tr(_CTX, "Overlap of {0:,.1f} m² with grid {1}.").format(
                                ar, codes_s[b] or "?"
                            ),
                            g,
                            other_code=codes_s[b] or None,
                            area=float(ar),
                        )
                    )
        progress((s + _PAIR_CHUNK) / max(n_pairs, 1))


def _enclosed(union: shapely.Geometry) -> shapely.Geometry:
    """The areas the union encloses: its holes, and pockets closed only by grids that touch
    at a point (which GEOS returns as separate parts, not as a hole). Taken as the parts of
    the complement, within a frame around the union, that do not reach the frame."""
    if union.is_empty:
        return shapely.Polygon()
    x0, y0, x1, y1 = union.bounds
    pad = max(x1 - x0, y1 - y0, 1.0) * 0.01
    frame = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    parts = polygonal(shapely.get_parts(shapely.difference(frame, union)))
    parts = parts[~shapely.is_missing(parts)]
    inner = parts[~shapely.intersects(parts, frame.exterior)]
    return shapely.union_all(inner) if len(inner) else shapely.Polygon()
