"""Case positions: from whatever system the command centre's platform uses to the workspace CRS.

Supported: the workspace CRS (or any EPSG code), CGCS2000 geographic (EPSG:4490), WGS84
(EPSG:4326), and the shifted systems of Chinese map SDKs, GCJ-02 and BD-09 (converted to
WGS84 with :mod:`..chinacrs` first). A batch may give one system for all rows or one per row.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, func, select

from ..chinacrs import to_wgs84
from ..i18n import tr
from ..projection import Projector, UnknownCrs
from ..workspace.store import Workspace

_CTX = "Cases"
GCJ02 = "GCJ02"
BD09 = "BD09"
_NAMES = {
    "WGS84": "EPSG:4326",
    "WGS-84": "EPSG:4326",
    "EPSG:4326": "EPSG:4326",
    "CGCS2000": "EPSG:4490",
    "EPSG:4490": "EPSG:4490",
    "GCJ02": GCJ02,
    "GCJ-02": GCJ02,
    "火星坐标": GCJ02,
    "BD09": BD09,
    "BD-09": BD09,
    "百度坐标": BD09,
}


class PositionError(ValueError):
    """A coordinate system the plugin does not know (message translated)."""


def crs_name(value: str | None, ws_srid: int) -> str:
    """``EPSG:n``, ``GCJ02`` or ``BD09`` for what a user or a source calls a system."""
    if value is None or not str(value).strip():
        return f"EPSG:{ws_srid}"
    text = str(value).strip().upper().replace(" ", "")
    if text in _NAMES:
        return _NAMES[text]
    if text.startswith("EPSG:") and text[5:].isdigit():
        return text
    if text.isdigit():
        return f"EPSG:{text}"
    raise PositionError(tr(_CTX, "Unknown coordinate system: {0}").format(value))


def guess_crs(xs: np.ndarray, ys: np.ndarray, ws_srid: int) -> str:
    """Degrees-looking coordinates → CGCS2000 geographic (EPSG:4490), else the workspace."""
    ok = np.isfinite(xs) & np.isfinite(ys)
    if ok.any() and np.all(np.abs(xs[ok]) <= 180) and np.all(np.abs(ys[ok]) <= 90):
        return "EPSG:4490"
    return f"EPSG:{ws_srid}"


@lru_cache(maxsize=16)
def _projector(src: str, dst: str) -> Projector:
    try:
        return Projector(dst, source=src)
    except UnknownCrs as exc:
        raise PositionError(tr(_CTX, "Unknown coordinate system: {0}").format(exc.crs)) from exc


def transform_xy(xs: np.ndarray, ys: np.ndarray, src: str, dst: str) -> tuple[np.ndarray, ...]:
    """Points from ``src`` to ``dst`` (EPSG codes), as arrays (the shared projector)."""
    projector = _projector(src, dst)
    if projector.same or len(xs) == 0:
        return np.asarray(xs, float), np.asarray(ys, float)
    return projector.forward(xs, ys)


def to_workspace(
    xs: np.ndarray, ys: np.ndarray, systems: np.ndarray, ws_srid: int
) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates in ``systems`` (one :func:`crs_name` per row) to the workspace CRS.

    Rows without finite coordinates stay NaN.
    """
    xs, ys = np.asarray(xs, float).copy(), np.asarray(ys, float).copy()
    ok = np.isfinite(xs) & np.isfinite(ys)
    dst = f"EPSG:{ws_srid}"
    for system in {str(s) for s in np.asarray(systems, dtype=object)[ok]}:
        rows = ok & (np.asarray(systems, dtype=object) == system)
        x, y = xs[rows], ys[rows]
        src = system
        if system in (GCJ02, BD09):
            x, y = to_wgs84(system, x, y)
            src = "EPSG:4326"
        xs[rows], ys[rows] = transform_xy(x, y, src, dst)
    return xs, ys


def district_area(conn: Connection, ws: Workspace) -> BaseGeometry | None:
    """The district (admin units of level district), else the union of the unit grids."""
    a = ws.schema.admin_units
    rows = conn.execute(
        select(func.ST_AsBinary(a.c.geom)).where(a.c.level == "district", a.c.geom.is_not(None))
    ).scalars()
    parts = [shapely.from_wkb(bytes(w)) for w in rows if w is not None]
    if not parts:
        g = ws.schema.unit_grids
        rows = conn.execute(select(func.ST_AsBinary(g.c.geom))).scalars()
        parts = [shapely.from_wkb(bytes(w)) for w in rows if w is not None]
    if not parts:
        return None
    area = shapely.union_all(parts)
    shapely.prepare(area)
    return area


def inside(area: BaseGeometry | None, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Which points lie in ``area`` (its boundary counts); all True when there is no area."""
    ok = np.isfinite(xs) & np.isfinite(ys)
    if area is None:
        return ok
    out = np.zeros(len(xs), dtype=bool)
    if ok.any():
        out[ok] = shapely.covers(area, shapely.points(xs[ok], ys[ok]))
    return out
