"""Coordinates between reference systems: one vectorised transformer (GDAL/OGR's osr, which
every QGIS ships) and a short-distance approximation in metres for lon/lat pairs.

Longitude/latitude are always in that order (traditional GIS axis order), whatever the EPSG
definition says. The Chinese map-SDK offsets (GCJ-02, BD-09) are :mod:`.chinacrs`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

WGS84 = 4326
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON_EQUATOR = 111_320.0


class UnknownCrs(ValueError):
    """A coordinate reference system GDAL/PROJ does not know; ``crs`` is what was given."""

    def __init__(self, crs: str) -> None:
        super().__init__(crs)
        self.crs = crs


def spatial_reference(crs: str | int) -> Any:
    """An ``osr.SpatialReference`` for ``EPSG:n``, ``n`` or any user input, lon/lat order."""
    from osgeo import osr

    srs = osr.SpatialReference()
    text = f"EPSG:{crs}" if isinstance(crs, int) else str(crs)
    if srs.SetFromUserInput(text) != 0:
        raise UnknownCrs(text)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


class Projector:
    """Between two systems (default: WGS84 lon/lat and a workspace's ``srid``), vectorised."""

    def __init__(self, srid: int | str, source: int | str = WGS84) -> None:
        from osgeo import osr

        self.srid = srid
        src, dst = spatial_reference(source), spatial_reference(srid)
        self.same = bool(src.IsSame(dst))
        self._forward = osr.CoordinateTransformation(src, dst)
        self._inverse = osr.CoordinateTransformation(dst, src)

    @staticmethod
    def _run(ct: Any, a: ArrayLike, b: ArrayLike) -> tuple[NDArray, NDArray]:
        a, b = np.asarray(a, float), np.asarray(b, float)
        if not len(a):
            return np.empty(0), np.empty(0)
        out = np.asarray(ct.TransformPoints(np.column_stack([a, b])), float)
        return out[:, 0].copy(), out[:, 1].copy()

    def forward(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray, NDArray]:
        """Source (lon/lat) -> target (x/y)."""
        return self._run(self._forward, lon, lat)

    def inverse(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray, NDArray]:
        """Target (x/y) -> source (lon/lat)."""
        return self._run(self._inverse, x, y)


def transform_geoms(geoms: np.ndarray, src: str, dst_srid: int) -> np.ndarray:
    """Reproject an array of shapely geometries from ``src`` to ``EPSG:dst_srid`` (None stays
    None); raises :class:`UnknownCrs` for a system PROJ does not know."""
    import shapely

    dst = f"EPSG:{dst_srid}"
    if src.upper() == dst:
        return geoms
    projector = Projector(dst, source=src)
    if projector.same:
        return geoms

    def fn(coords: np.ndarray) -> np.ndarray:
        if len(coords) == 0:
            return coords
        x, y = projector.forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, fn)


def metres(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> Any:
    """Approximate ground distance in metres between lon/lat points a few km apart at most
    (an equirectangular approximation, exact enough for tolerances of metres); arrays or
    scalars (then a numpy float)."""
    lon1, lat1 = np.asarray(lon1, float), np.asarray(lat1, float)
    k = _M_PER_DEG_LON_EQUATOR * np.cos(np.radians(lat1))
    return np.hypot(
        (np.asarray(lon2, float) - lon1) * k, (np.asarray(lat2, float) - lat1) * _M_PER_DEG_LAT
    )
