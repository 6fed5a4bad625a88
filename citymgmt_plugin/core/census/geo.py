"""Geometry helpers shared by placement, import, reconciliation and QA (shapely 2, no QGIS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from geoalchemy2.elements import WKBElement, WKTElement
from geoalchemy2.shape import to_shape
from shapely.geometry.base import BaseGeometry

from ..workspace.schema.census import ACCURACY_TOLERANCE_M

KIND_OF_TYPE = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}
MAX_TOLERANCE_M = max(ACCURACY_TOLERANCE_M.values())


def geometry_kind(geom: BaseGeometry | None) -> str | None:
    """``point`` / ``line`` / ``polygon`` for a shapely geometry, None when empty or other."""
    if geom is None or geom.is_empty:
        return None
    return KIND_OF_TYPE.get(geom.geom_type)


_KIND_OF_TYPE_ID = {
    0: "point",
    4: "point",
    1: "line",
    2: "line",
    5: "line",
    3: "polygon",
    6: "polygon",
}


def geometry_kinds(geoms: np.ndarray) -> list[str | None]:
    """Vectorised :func:`geometry_kind` (None for missing, empty and other geometries)."""
    geoms = np.asarray(geoms, dtype=object)
    types = np.full(len(geoms), -1)
    present = ~shapely.is_missing(geoms)
    present[present] = ~shapely.is_empty(geoms[present])
    if present.any():
        types[present] = shapely.get_type_id(geoms[present])
    return [_KIND_OF_TYPE_ID.get(int(t)) for t in types]


def anchor(geom: BaseGeometry) -> shapely.Point:
    """The point that stands for a component: itself, the middle of a line, inside a polygon."""
    kind = geometry_kind(geom)
    if kind == "point":
        return geom if geom.geom_type == "Point" else geom.geoms[0]
    if kind == "line":
        return shapely.line_interpolate_point(
            shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom,
            0.5,
            normalized=True,
        )
    return geom.point_on_surface()


def anchors(geoms: np.ndarray) -> np.ndarray:
    """Vectorised :func:`anchor` over an array of geometries (points stay as they are)."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    # 0 Point; 4 MultiPoint; 1/5 line; 3/6 polygon
    mp = types == 4
    if mp.any():
        out[mp] = shapely.get_geometry(geoms[mp], 0)
    ln = (types == 1) | (types == 2)
    if ln.any():
        out[ln] = shapely.line_interpolate_point(geoms[ln], 0.5, normalized=True)
    mln = types == 5
    if mln.any():
        out[mln] = shapely.line_interpolate_point(
            shapely.line_merge(geoms[mln]), 0.5, normalized=True
        )
    pg = (types == 3) | (types == 6)
    if pg.any():
        out[pg] = shapely.point_on_surface(geoms[pg])
    return out


def tolerance(accuracy_class: str | None) -> float:
    return ACCURACY_TOLERANCE_M.get(accuracy_class or "B", ACCURACY_TOLERANCE_M["B"])


def to_ewkt(geom: BaseGeometry, srid: int) -> str:
    return f"SRID={srid};{shapely.to_wkt(geom, rounding_precision=-1)}"


def from_db(value: Any) -> BaseGeometry | None:
    """A shapely geometry from what GeoAlchemy2 returns (WKB element, bytes, hex)."""
    if value is None:
        return None
    if isinstance(value, (WKBElement, WKTElement)):
        return to_shape(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return shapely.from_wkb(bytes(value))
    if isinstance(value, str):
        return shapely.from_wkb(value) if value[:2] in ("00", "01") else shapely.from_wkt(value)
    return value


@dataclass(frozen=True)
class GridRef:
    """The unit grid a component lies in, with its street and community."""

    code: str
    community_code: str
    street_code: str
    street_name: str | None = None
    community_name: str | None = None

    @property
    def county(self) -> str:
        return self.code[:6]


class GridIndex:
    """Unit grids in memory with an STRtree: vectorised 'which grid contains this point'."""

    def __init__(self, codes: list[str], geoms: list[BaseGeometry]) -> None:
        self.codes = np.asarray(codes, dtype=object)
        self.geoms = np.asarray(geoms, dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def __len__(self) -> int:
        return len(self.codes)

    def containing(self, points: np.ndarray) -> np.ndarray:
        """Code of the grid covering each point (lowest code on shared edges), None outside."""
        points = np.asarray(points, dtype=object)
        out = np.full(len(points), None, dtype=object)
        if len(points) == 0 or len(self.codes) == 0:
            return out
        valid = ~shapely.is_missing(points) & ~shapely.is_empty(points)
        idx = np.nonzero(valid)[0]
        if len(idx) == 0:
            return out
        p, g = self.tree.query(points[idx], predicate="intersects")
        if len(p) == 0:
            return out
        codes = self.codes[g]
        order = np.lexsort((codes.astype(str), p))  # by point, then code
        p, codes = p[order], codes[order]
        first = np.ones(len(p), dtype=bool)
        first[1:] = p[1:] != p[:-1]
        out[idx[p[first]]] = codes[first]
        return out

    def all_containing(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(point index, grid code) pairs for every grid covering every point."""
        p, g = self.tree.query(np.asarray(points, dtype=object), predicate="intersects")
        return p, self.codes[g]
