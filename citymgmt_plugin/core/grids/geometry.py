"""Polygon helpers of the grid checks: polygonal parts, thinness, the union of the grids and
the areas it encloses. Pure shapely 2, and only GEOS functions older than 3.12 (inside QGIS,
shapely runs on QGIS's GEOS).
"""

from __future__ import annotations

import math

import numpy as np
import shapely

POLYGONAL = (3, 6)  # shapely type ids of Polygon, MultiPolygon


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """The polygonal part of each geometry as (Multi)Polygon; None where nothing is left."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    tid = shapely.get_type_id(geoms)
    for k in np.flatnonzero(~np.isin(tid, POLYGONAL)):
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


def enclosed(union: shapely.Geometry) -> shapely.Geometry:
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
