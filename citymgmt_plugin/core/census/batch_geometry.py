"""Where the rows of a census batch are: the layer's geometry, x and y columns, or a WKT column;
in which CRS; and the markers exports write for "no position".

A row has no position when it has no geometry, an empty one, or one whose coordinates are all
0 (``POINT (0 0)``, x = 0 and y = 0): exports write ``POINT EMPTY``, an empty cell, ``NULL``,
``(null)`` or ``0 0`` for a component nobody placed. Such rows are refused with the marker
shown, never placed at the origin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from ..i18n import tr
from .batch_codes import normal_text
from .batch_read import SourceTable
from .batch_values import parse_float
from .errors import CensusError

_EWKT = re.compile(r"^\s*SRID=(\d+)\s*;\s*(.*)$", re.IGNORECASE | re.DOTALL)
_BARE_XY = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)[\s,]+([+-]?\d+(?:\.\d+)?)\s*$")


@dataclass
class SourceGeometries:
    """The rows' geometries in the source CRS (None: no position), that CRS, and for rows
    without a position the marker they gave ('' when the cell was empty)."""

    geoms: np.ndarray
    crs: str
    markers: dict[int, str]


def guess_crs(xs: np.ndarray, ys: np.ndarray, ws_srid: int) -> str:
    """Geographic-looking coordinates → CGCS2000 geographic (EPSG:4490), else the workspace."""
    ok = np.isfinite(xs) & np.isfinite(ys)
    if ok.any() and np.all(np.abs(xs[ok]) <= 180) and np.all(np.abs(ys[ok]) <= 90):
        return "EPSG:4490"
    return f"EPSG:{ws_srid}"


def _zero(geoms: np.ndarray) -> np.ndarray:
    """Rows whose geometry has only 0 0 coordinates (an export's "no position")."""
    out = np.zeros(len(geoms), dtype=bool)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    if not len(present):
        return out
    coords, index = shapely.get_coordinates(geoms[present], return_index=True)
    if not len(coords):
        return out
    nonzero = np.bincount(index, weights=np.any(coords != 0, axis=1), minlength=len(present))
    counted = np.bincount(index, minlength=len(present))
    out[present] = (counted > 0) & (nonzero == 0)
    return out


def _without_markers(
    geoms: np.ndarray, shown: Callable[[int], str]
) -> tuple[np.ndarray, dict[int, str]]:
    """``geoms`` with empty and all-zero geometries set to None; the markers of those rows
    (``shown(row)``: what the row gave) by row."""
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = np.zeros(len(geoms), dtype=bool)
    empty[~missing] = shapely.is_empty(geoms[~missing])
    gone = missing | empty | _zero(geoms)
    geoms = geoms.copy()
    geoms[gone] = None
    return geoms, {int(i): shown(int(i)) for i in np.flatnonzero(gone)}


def _layer_geometries(table: SourceTable) -> SourceGeometries:
    geoms = np.array(table.geoms, dtype=object)
    geoms, markers = _without_markers(
        geoms, lambda i: "POINT EMPTY" if table.geoms[i] is not None else ""
    )
    return SourceGeometries(geoms, table.crs or "", markers)


def _xy_geometries(table: SourceTable, mapping: dict[str, str]) -> SourceGeometries:
    xs = np.array([parse_float(r.get(mapping["x"])) for r in table.rows], dtype=float)
    ys = np.array([parse_float(r.get(mapping["y"])) for r in table.rows], dtype=float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    geoms = np.full(len(table.rows), None, dtype=object)
    if ok.any():
        geoms[ok] = shapely.points(xs[ok], ys[ok])
    rows = table.rows

    def shown(i: int) -> str:
        return " ".join(normal_text(rows[i].get(mapping[k]) or "") for k in ("x", "y")).strip()

    geoms, markers = _without_markers(geoms, shown)
    return SourceGeometries(geoms, "", markers)


def _read_wkt(text: str) -> tuple[object | None, str | None]:
    """(geometry or None, SRID an EWKT named) of one WKT cell; a bare "x y" is a point."""
    srid = None
    m = _EWKT.match(text)
    if m:
        srid, text = m.group(1), m.group(2)
    xy = _BARE_XY.match(text)
    if xy:
        return shapely.Point(float(xy.group(1)), float(xy.group(2))), srid
    try:
        return shapely.from_wkt(text, on_invalid="ignore"), srid
    except shapely.errors.GEOSException:
        return None, srid


def _wkt_geometries(table: SourceTable, column: str) -> SourceGeometries:
    geoms = np.full(len(table.rows), None, dtype=object)
    shown: list[str] = []
    srids: set[str] = set()
    for i, r in enumerate(table.rows):
        text = normal_text(r.get(column) or "")
        shown.append(text)
        if text:
            geoms[i], srid = _read_wkt(text)
            if srid:
                srids.add(srid)
    geoms, markers = _without_markers(geoms, shown.__getitem__)
    crs = f"EPSG:{srids.pop()}" if len(srids) == 1 else ""
    return SourceGeometries(geoms, crs, markers)


def source_geometries(
    table: SourceTable, mapping: dict[str, str], source_crs: str | None, ws_srid: int
) -> SourceGeometries:
    """The rows' positions in the source CRS: a mapped WKT column, else mapped x and y
    columns, else the layer's own geometry. The CRS: the one given, else the layer's or the
    EWKT's, else guessed from the numbers (longitude/latitude or the workspace CRS)."""
    if mapping.get("wkt"):
        found = _wkt_geometries(table, mapping["wkt"])
    elif mapping.get("x") and mapping.get("y"):
        found = _xy_geometries(table, mapping)
    elif table.has_geometry:
        found = _layer_geometries(table)
    else:
        raise CensusError(
            tr(
                "Census",
                "Map the coordinate columns (x and y) or a WKT column of a table without geometry.",
            )
        )
    crs = source_crs or found.crs
    if not crs:
        present = [g for g in found.geoms if g is not None]
        pts = shapely.get_coordinates(np.array(present, dtype=object)) if present else None
        xs = pts[:, 0] if pts is not None else np.empty(0)
        ys = pts[:, 1] if pts is not None else np.empty(0)
        crs = guess_crs(xs, ys, ws_srid)
    found.crs = crs
    return found
