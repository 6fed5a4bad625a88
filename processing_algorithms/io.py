"""Small conversions between Processing layers and the numpy/shapely core.

Reading whole sources into arrays is :mod:`.layer_arrays` (fast GeoPackage path); this module
adds the rest the algorithms share: attribute arrays to Python text/bool lists, shapely
geometries to ``QgsGeometry`` for sinks, and progress callbacks that honour cancel.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from qgis.core import QgsGeometry, QgsProcessingFeedback, QgsProviderRegistry, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

_TRUE_TEXT = {"1", "t", "true", "y", "yes", "closed", "done", "是", "已结案", "结案", "已处置"}


def python_value(value: Any) -> Any:
    """A plain Python value from a QGIS / Arrow attribute (None for NULL)."""
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, np.generic):
        value = value.item()  # np.bytes_ gives bytes: decoded below
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def is_null(value: Any) -> bool:
    """None or a NULL QVariant."""
    return value is None or (isinstance(value, QVariant) and value.isNull())


def as_text(value: Any) -> str | None:
    """One attribute value as text, as stored (bytes decoded); None for NULL."""
    value = python_value(value)
    return None if value is None else str(value)


def text_values(values: Iterable[Any]) -> list[str | None]:
    """Attribute values as stripped text; integral numbers without ".0"; NULL as None."""
    out: list[str | None] = []
    for v in values:
        v = python_value(v)
        if v is None:
            out.append(None)
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v).strip())
    return out


def truthy_values(values: Iterable[Any]) -> list[bool]:
    """True for "done" values: booleans, non-zero numbers, valid dates/times and texts such
    as 1/true/yes/closed/结案 or an ISO date. NULL, 0, false and other texts are False."""
    out: list[bool] = []
    for v in values:
        v = python_value(v)
        if v is None:
            out.append(False)
        elif isinstance(v, (QDateTime, QDate)):
            out.append(v.isValid())
        elif isinstance(v, (bool, int, float)):
            out.append(bool(v) and v == v)
        elif isinstance(v, str):
            text = v.strip().lower()
            out.append(text in _TRUE_TEXT or (len(text) >= 10 and text[:4].isdigit()))
        else:
            out.append(bool(v))
    return out


def geometries(wkb: np.ndarray) -> np.ndarray:
    """shapely geometries (None for null) from an array of WKB."""
    out = np.full(len(wkb), None, dtype=object)
    ok = np.fromiter((b is not None and len(b) > 0 for b in wkb), dtype=bool, count=len(wkb))
    if ok.any():
        out[ok] = shapely.from_wkb(wkb[ok], on_invalid="ignore")
    return out


def wkb_2d(geoms: Any) -> Any:
    """``shapely.to_wkb`` in two dimensions (what every layer here holds).

    shapely 2.1 asks for output dimension 4 by default, which QGIS's GEOS (3.11, that
    shapely's calls bind to inside QGIS, e.g. in ``qgis_process`` with the bundled wheels)
    refuses: "WKB output dimension must be 2 or 3".
    """
    return shapely.to_wkb(geoms, output_dimension=2)


def qgs_geometry(geom: shapely.Geometry | None, multi: bool = True) -> QgsGeometry:
    """A QgsGeometry (null for None / empty), converted to multi-type when ``multi``."""
    if geom is None or geom.is_empty:
        return QgsGeometry()
    g = QgsGeometry()
    g.fromWkb(wkb_2d(geom))
    if multi:
        g.convertToMultiType()
    return g


def field_name(alg: Any, parameters: dict, name: str, context: Any, default: str = "") -> str:
    """A field parameter's value, or ``default`` when it is not given.

    QGIS 3.22 refuses a run that omits a required field parameter even when it has a default
    (``processing.run``, ``qgis_process``), so field parameters with a usual name are declared
    optional and fall back to that name here.
    """
    value = alg.parameterAsString(parameters, name, context) if name in parameters else ""
    return value or default


_ZONE = re.compile(r"(Z|[+-]\d\d:?\d\d)$")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def gpkg_time_shift(layer: QgsVectorLayer | None, column: str, assumed_offset_s: int) -> int:
    """Seconds to add to times QGIS read from a GeoPackage column that carry a zone.

    QGIS 3.22's OGR provider drops the zone of GeoPackage DATETIME values: the workspace's
    "2026-11-16T01:00:00.000000Z" arrives as a zone-less 01:00, which the readers take as
    local time (``assumed_offset_s`` east of UTC). The stored text tells the real zone; this
    is the correction when every sampled value has the same one, else 0.
    """
    if layer is None or layer.providerType() != "ogr":
        return 0
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, table = parts.get("path") or "", parts.get("layerName") or ""
    if not path.lower().endswith(".gpkg") or not Path(path).is_file():
        return 0
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if not table:
                rows = con.execute(
                    "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'"
                ).fetchall()
                if len(rows) != 1:
                    return 0
                table = rows[0][0]
            col, tab = _quote_ident(column), _quote_ident(table)
            sql = f"SELECT {col} FROM {tab} WHERE {col} IS NOT NULL LIMIT 200"
            values = [r[0] for r in con.execute(sql)]
        finally:
            con.close()
    except sqlite3.Error:
        return 0
    zones = set()
    for v in values:
        if not isinstance(v, str):
            return 0
        m = _ZONE.search(v.strip())
        zones.add(m.group(1) if m else "")
    if len(zones) != 1:
        return 0
    zone = zones.pop()
    if zone == "":
        return 0  # naive values: the readers' assumption stands
    if zone == "Z":
        offset = 0
    else:
        digits = zone[1:].replace(":", "")
        offset = (1 if zone[0] == "+" else -1) * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return assumed_offset_s - offset


def progress_callback(
    feedback: QgsProcessingFeedback | None, lo: float = 0.0, hi: float = 100.0
) -> Callable[[float], bool]:
    """``progress(fraction) -> canceled`` for the core kernels, mapped onto [lo, hi] %."""

    def progress(fraction: float) -> bool:
        if feedback is None:
            return False
        feedback.setProgress(lo + (hi - lo) * min(max(fraction, 0.0), 1.0))
        return feedback.isCanceled()

    return progress
