"""Reading side of the algorithms: feature sources into numpy columns, values into Python.

Every algorithm reads its inputs through this module (and writes through :mod:`.writers`).

A GeoPackage layer used whole is read through GDAL's Arrow stream (one C call per batch,
about 0.5 s for 1.4 million fixes); anything else (memory layers, PostGIS, selections,
other formats) goes feature by feature through QGIS with only the needed attributes.
Geometries come back as WKB in the destination CRS, times as int64 epoch seconds.

Naive timestamps (no zone) are taken as Asia/Shanghai local time, the clock of the field
apps; timestamps with a zone or "Z" keep it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingFeedback,
    QgsProviderRegistry,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone, QVariant

from citymgmt_plugin.core.i18n import tr
from citymgmt_plugin.core.patrol.coverage_postgis import PgSource
from citymgmt_plugin.core.patrol.segments import NULL_TIME

from .writers import wkb_2d

LOCAL_ZONE = b"Asia/Shanghai"
LOCAL_OFFSET_S = 8 * 3600  # China has no daylight saving time
_BATCH = 500_000


def _tr(text: str) -> str:
    return tr("CityMgmtAlgorithm", text)


@dataclass
class Columns:
    """One source read into arrays: WKB geometries (None = null) and attribute columns."""

    wkb: np.ndarray
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    fast: bool = False
    # Readers that parsed points already set xy (and count) and may leave wkb empty.
    count: int | None = None
    xy: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.wkb) if self.count is None else self.count


def _datetime_epoch(value: QDateTime) -> int:
    """Epoch seconds of a QDateTime; one without a zone is office (Asia/Shanghai) time."""
    if not value.isValid():
        return NULL_TIME
    if value.timeSpec() == Qt.LocalTime:
        value = QDateTime(value.date(), value.time(), QTimeZone(LOCAL_ZONE))
    return int(value.toMSecsSinceEpoch() // 1000)


def _text_epoch(value: str) -> int:
    """Epoch seconds of ISO 8601 text (with or without milliseconds) or of a number as text."""
    text = value.strip()
    if not text:
        return NULL_TIME
    dt = QDateTime.fromString(text, Qt.ISODateWithMs)
    if not dt.isValid():
        dt = QDateTime.fromString(text, Qt.ISODate)
    if not dt.isValid():
        try:
            return int(float(text))
        except ValueError:
            return NULL_TIME
    return _datetime_epoch(dt)


def qdatetime_to_epoch(value) -> int:
    """Epoch seconds of a QDateTime/QDate/str/number attribute value, NULL_TIME for null."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return NULL_TIME
    if isinstance(value, QDateTime):
        return _datetime_epoch(value)
    if isinstance(value, QDate):
        if not value.isValid():
            return NULL_TIME
        return _datetime_epoch(QDateTime(value, QTime(0, 0)))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if np.isfinite(value) else NULL_TIME
    if isinstance(value, str):
        return _text_epoch(value)
    return NULL_TIME


def source_layer(
    alg, parameters: dict, name: str, context: QgsProcessingContext
) -> QgsVectorLayer | None:
    """The layer behind a feature-source parameter when it is used whole, else None."""
    value = parameters.get(name)
    if isinstance(value, QgsProcessingFeatureSourceDefinition) and (
        value.selectedFeaturesOnly or value.featureLimit != -1
    ):
        return None
    try:
        return alg.parameterAsVectorLayer(parameters, name, context)
    except Exception:  # not a layer parameter value: the generic reader handles it
        return None


def _gpkg_location(layer: QgsVectorLayer | None) -> tuple[str, str] | None:
    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    name = parts.get("layerName")
    if not path.lower().endswith(".gpkg") or not Path(path).is_file() or not name:
        return None
    return path, name


def read_columns(
    source: QgsFeatureSource,
    layer: QgsVectorLayer | None,
    fields: list[str],
    dest_crs: QgsCoordinateReferenceSystem,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback | None = None,
    time_field: str | None = None,
) -> Columns:
    """Geometry (as WKB in ``dest_crs``) and ``fields`` of every feature of ``source``.

    ``time_field`` (one of ``fields``) comes back as int64 epoch seconds.
    """
    loc = _gpkg_location(layer)
    if loc is not None:
        cols = None
        from qgis.core import QgsWkbTypes

        if QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PointGeometry:
            cols = _read_gpkg_arrow(loc[0], loc[1], layer, fields, time_field)
        if cols is None:
            cols = _read_gpkg_sqlite(loc[0], loc[1], layer, fields, time_field)
        if cols is not None:
            if dest_crs.isValid() and layer.crs() != dest_crs:
                if cols.xy is not None:
                    cols.xy = _transform_xy(cols.xy, layer.crs(), dest_crs)
                else:
                    cols.wkb = _transform_wkb(cols.wkb, layer.crs(), dest_crs)
            return cols
    return _read_generic(source, fields, dest_crs, context, feedback, time_field)


def _read_generic(source, fields, dest_crs, context, feedback, time_field) -> Columns:
    src_fields = source.fields()
    idx = [src_fields.lookupField(f) for f in fields]
    request = QgsFeatureRequest().setSubsetOfAttributes(idx)
    if dest_crs.isValid() and source.sourceCrs() != dest_crs:
        request.setDestinationCrs(dest_crs, context.transformContext())
    n = max(source.featureCount(), 0)
    wkb: list = []
    values: list[list] = [[] for _ in fields]
    step = max(n // 50, 1)
    for k, feat in enumerate(source.getFeatures(request)):
        if feedback is not None and k % step == 0 and feedback.isCanceled():
            break
        geom = feat.geometry()
        wkb.append(None if geom.isNull() else bytes(geom.asWkb()))
        attrs = feat.attributes()
        for j, i in enumerate(idx):
            values[j].append(attrs[i])
    out = Columns(_objects(wkb))
    for name, vals in zip(fields, values):
        if name == time_field:
            out.attrs[name] = np.fromiter(
                (qdatetime_to_epoch(v) for v in vals), dtype=np.int64, count=len(vals)
            )
        else:
            out.attrs[name] = _objects([None if _null(v) else v for v in vals])
    return out


def _objects(values: list) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _null(v) -> bool:
    return v is None or (isinstance(v, QVariant) and v.isNull())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _time_kind(layer, column: str) -> str | None:
    """How a time column is stored: 'datetime', 'date', 'int', or None (let QGIS parse)."""
    ftype = layer.fields().field(column).type()
    if ftype in (QVariant.Int, QVariant.LongLong, QVariant.UInt, QVariant.ULongLong):
        return "int"
    if ftype == QVariant.DateTime:
        return "datetime"
    if ftype == QVariant.Date:
        return "date"
    return None


def _start_time_offset(path, table, layer, time_field) -> tuple[bool, Any]:
    """Whether the time column can be read from the Arrow stream (integers or datetimes),
    and for datetimes the zone check started beside the read (a future of its offset)."""
    if time_field is None:
        return True, None
    kind = _time_kind(layer, time_field)
    if kind not in ("int", "datetime"):
        return False, None
    if kind == "int":
        return True, None
    # The zone check scans the table in SQLite; both it and GDAL release the GIL,
    # so it runs beside the Arrow read instead of before it.
    pool = ThreadPoolExecutor(max_workers=1)
    job = pool.submit(_gpkg_time_offset, path, table, time_field)
    pool.shutdown(wait=False)
    return True, job


def _open_ogr_layer(path, table, fields) -> tuple[Any, Any] | None:
    """(dataset, layer) of ``table`` when it has every field; keep the dataset while the
    layer is read."""
    from osgeo import ogr

    ds = ogr.Open(path)
    if ds is None:
        return None
    lyr = ds.GetLayerByName(table)
    if lyr is None:
        return None
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if any(f not in names for f in fields):
        return None
    return ds, lyr


def _arrow_batches(lyr, fields, time_field) -> tuple[_FixColumns, dict[str, list]] | None:
    """Point coordinates (and times) and the other fields' batches of the Arrow stream;
    None when a batch lacks a column or holds what is not a point."""
    geom_col = lyr.GetGeometryColumn() or "geometry"
    # Each batch is parsed as it comes and written into arrays sized from the feature count
    # (GeoPackage keeps it): no per-batch parts kept, no concatenated copies at the end.
    cols = _FixColumns(max(int(lyr.GetFeatureCount()), 0), time_field is not None)
    attrs: dict[str, list] = {f: [] for f in fields if f != time_field}
    for batch in lyr.GetArrowStreamAsNumPy(
        options=["INCLUDE_FID=NO", f"MAX_FEATURES_IN_BATCH={_BATCH}"]
    ):
        if geom_col not in batch or any(f not in batch for f in fields):
            return None
        try:
            bx, by = points_xy(_masked_objects([batch[geom_col]]), strict=True)
        except ValueError:  # GDAL 3.6 can hand back empty blobs: read with sqlite instead
            return None
        bt = _arrow_times([batch[time_field]], 0) if time_field is not None else None
        cols.append(bx, by, bt)
        for f in attrs:
            attrs[f].append(batch[f])
    return cols, attrs


def _read_gpkg_arrow(path, table, layer, fields, time_field) -> Columns | None:
    """Point layers through GDAL's Arrow stream (the bulk of the fixes, fastest path)."""
    from osgeo import gdal

    gdal.UseExceptions()
    usable, offset_job = _start_time_offset(path, table, layer, time_field)
    if not usable:
        return None
    opened = _open_ogr_layer(path, table, fields)
    if opened is None:
        return None
    _ds, lyr = opened
    read = _arrow_batches(lyr, fields, time_field)
    if read is None:
        return None
    cols, attrs = read
    offset = offset_job.result() if offset_job is not None else 0
    if offset is None:
        return None
    x, y, t = cols.finish()
    out = Columns(np.zeros(0, dtype=object), fast=True, count=len(x))
    out.xy = (x, y)
    for f, parts in attrs.items():
        out.attrs[f] = _masked_objects(parts)
    if t is not None:
        if offset:
            np.subtract(t, offset, out=t, where=t != NULL_TIME)
        out.attrs[time_field] = t
    return out


class _FixColumns:
    """x, y (and epoch t) filled batch by batch into arrays of the expected size; they grow
    (by doubling) only if the source yields more rows than it announced."""

    def __init__(self, expected: int, with_time: bool) -> None:
        self.x = np.empty(expected)
        self.y = np.empty(expected)
        self.t = np.empty(expected, dtype=np.int64) if with_time else None
        self.n = 0

    def append(self, bx: np.ndarray, by: np.ndarray, bt: np.ndarray | None) -> None:
        k = len(bx)
        if self.n + k > len(self.x):
            size = max(self.n + k, 2 * len(self.x))
            self.x = _grown(self.x, self.n, size)
            self.y = _grown(self.y, self.n, size)
            if self.t is not None:
                self.t = _grown(self.t, self.n, size)
        self.x[self.n : self.n + k] = bx
        self.y[self.n : self.n + k] = by
        if self.t is not None and bt is not None:
            self.t[self.n : self.n + k] = bt
        self.n += k

    def finish(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The filled arrays; whole arrays, not views (the kernel then cleans them in place
        without copying), so a short count is trimmed by a copy."""
        cols = [a for a in (self.x, self.y, self.t) if a is not None]
        if self.n != len(self.x):
            cols = [a[: self.n].copy() for a in cols]
        return cols[0], cols[1], cols[2] if len(cols) > 2 else None


def _grown(a: np.ndarray, used: int, size: int) -> np.ndarray:
    out = np.empty(size, dtype=a.dtype)
    out[:used] = a[:used]
    return out


def _read_gpkg_sqlite(path, table, layer, fields, time_field) -> Columns | None:
    """Any GeoPackage table read straight with sqlite3; geometry blobs unwrapped to WKB."""
    geom_col = _gpkg_geometry_column(path, table)
    if geom_col is None:
        return None
    cols = [_quote(geom_col)]
    for f in fields:
        if f == time_field:
            kind = _time_kind(layer, f)
            if kind is None:
                return None
            cols.append(_time_sql(_quote(f), kind))
        else:
            cols.append(_quote(f))
    sql = f"SELECT {', '.join(cols)} FROM {_quote(table)}"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute(sql).fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    table_arr = np.empty((len(rows), len(cols)), dtype=object)
    if rows:
        table_arr[:] = rows
    wkb = _unwrap_gpkg(table_arr[:, 0])
    if wkb is None:
        return None
    out = Columns(wkb, fast=True)
    for j, f in enumerate(fields, start=1):
        col = table_arr[:, j]
        if f == time_field:
            nulls = np.equal(col, None)
            out.attrs[f] = np.where(nulls, NULL_TIME, np.where(nulls, 0, col)).astype(np.int64)
        else:
            out.attrs[f] = col.copy()
    return out


def _time_sql(col: str, kind: str) -> str:
    """Epoch seconds computed by SQLite; naive values are China Standard Time."""
    if kind == "int":
        return f"CAST({col} AS INTEGER)"
    secs = f"CAST(strftime('%s', {col}) AS INTEGER)"
    if kind == "date":
        return f"{secs} - {LOCAL_OFFSET_S}"
    zoned = f"({col} GLOB '*Z' OR {col} GLOB '*T*[+-][0-9][0-9]:[0-9][0-9]')"
    return f"CASE WHEN {zoned} THEN {secs} ELSE {secs} - {LOCAL_OFFSET_S} END"


def _gpkg_geometry_column(path: str, table: str) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _unwrap_gpkg(blobs: np.ndarray) -> np.ndarray | None:
    """GeoPackage geometry blobs to ISO WKB (None for null or empty); None if unsupported."""
    out = np.empty(len(blobs), dtype=object)
    for i, b in enumerate(blobs.tolist()):
        if b is None or len(b) < 8 or b[:2] != b"GP":
            out[i] = None
            continue
        flags = b[3]
        if flags & 0x20:  # extended (non-standard) geometry types
            return None
        if flags & 0x10:  # empty geometry
            out[i] = None
            continue
        env = _ENVELOPE_BYTES.get((flags >> 1) & 0x7)
        if env is None:
            return None
        out[i] = b[8 + env :]
    return out


def _masked_objects(parts: list) -> np.ndarray:
    """Concatenate Arrow batches into an object array with None for nulls."""
    if not parts:
        return np.zeros(0, dtype=object)
    arr = np.ma.concatenate(parts) if len(parts) > 1 else parts[0]
    mask = np.ma.getmaskarray(arr)
    data = np.ma.getdata(arr)
    if data.dtype.kind == "S":
        # Fixed-width bytes stay as they are (fast to compare); nulls become b"".
        if mask.any():
            data = data.astype(object)
            data[mask] = None
        return data
    data = data.astype(object, copy=len(parts) == 1)  # concatenate already copied
    if mask.any():
        data[mask] = None
    return data


def _arrow_times(parts: list, offset: int) -> np.ndarray:
    arr = np.ma.concatenate(parts) if len(parts) > 1 else parts[0]
    mask = np.ma.getmaskarray(arr)
    data = np.ma.getdata(arr)
    if data.dtype.kind == "M":
        unit = np.datetime_data(data.dtype)[0]
        per_s = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}.get(unit)
        if per_s is None:
            secs = data.astype("datetime64[s]").astype(np.int64) - offset
        else:
            secs = data.view(np.int64) // per_s - offset
    else:
        secs = data.astype(np.int64)
    return np.where(mask, NULL_TIME, secs)


def _gpkg_time_offset(path: str, table: str, column: str) -> int | None:
    """Seconds to subtract from the wall-clock times GDAL's Arrow stream gives (it drops
    the zone): 0 for UTC ("Z"), the zone offset when every value has the same one, 8 h for
    naive values. None when zones are mixed."""
    col = _quote(column)
    sql = (
        f"SELECT DISTINCT CASE WHEN {col} GLOB '*Z' THEN 'Z' "
        f"WHEN {col} GLOB '*T*[+-][0-9][0-9]:[0-9][0-9]' THEN substr({col}, -6) "
        f"ELSE '' END FROM {_quote(table)} WHERE {col} IS NOT NULL LIMIT 3"
    )
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            zones = [r[0] for r in con.execute(sql)]
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if len(zones) > 1:
        return None
    zone = zones[0] if zones else "Z"
    if zone == "Z":
        return 0
    if zone == "":
        return LOCAL_OFFSET_S
    sign = 1 if zone[0] == "+" else -1
    return sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)


def _transformer(src, dst):
    from osgeo import osr

    a = osr.SpatialReference()
    a.ImportFromWkt(src.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED))
    b = osr.SpatialReference()
    b.ImportFromWkt(dst.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED))
    for s in (a, b):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(a, b)

    def fn(xy: np.ndarray) -> np.ndarray:
        if len(xy) == 0:
            return xy
        return np.asarray(ct.TransformPoints(np.ascontiguousarray(xy)))[:, :2]

    return fn


def _transform_wkb(wkb: np.ndarray, src, dst) -> np.ndarray:
    geoms = shapely.from_wkb(wkb)
    return wkb_2d(shapely.transform(geoms, _transformer(src, dst)))


def _transform_xy(xy, src, dst):
    x, y = xy
    ok = np.isfinite(x) & np.isfinite(y)
    out = _transformer(src, dst)(np.column_stack([x[ok], y[ok]]))
    x, y = x.copy(), y.copy()
    if len(out):
        x[ok], y[ok] = out[:, 0], out[:, 1]
    return x, y


def points_xy(wkb: np.ndarray, strict: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """x, y of point WKB (NaN for null/empty); a multipoint gives its first point.

    ``strict``: raise ValueError on an unreadable blob instead of treating it as null.
    """
    n = len(wkb)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    ok = ~np.equal(wkb, None)
    if not ok.any():
        return x, y
    sub = wkb[ok]
    raw = b"".join(sub.tolist())
    raw_x = raw_y = None
    if len(raw) == 21 * len(sub):  # all 2D little-endian points, parsed in one go
        rec = np.frombuffer(
            raw, dtype=np.dtype([("bo", "u1"), ("typ", "<u4"), ("x", "<f8"), ("y", "<f8")])
        )
        if np.all(rec["bo"] == 1) and np.all(rec["typ"] == 1):
            raw_x, raw_y = rec["x"], rec["y"]
    if raw_x is None:
        geoms = shapely.from_wkb(sub, on_invalid="raise" if strict else "ignore")
        multi = shapely.get_type_id(geoms) == 4
        if multi.any():
            geoms[multi] = shapely.get_geometry(geoms[multi], 0)
        raw_x, raw_y = shapely.get_x(geoms), shapely.get_y(geoms)
    x[ok] = raw_x
    y[ok] = raw_y
    return x, y


def require_fields(source: QgsFeatureSource, names: list[str], what: str) -> None:
    missing = [n for n in names if n and source.fields().lookupField(n) < 0]
    if missing:
        raise QgsProcessingException(
            _tr("Field {} not found in the {} layer.").format(", ".join(missing), what)
        )


def require_source(
    source: QgsFeatureSource | None, geometry_type: int | None, what: str
) -> QgsFeatureSource:
    """A readable, non-empty source of the given QgsWkbTypes geometry type (None: any)."""
    from qgis.core import QgsWkbTypes

    if source is None:
        raise QgsProcessingException(_tr("The {} layer could not be read.").format(what))
    if geometry_type is not None:
        got = QgsWkbTypes.geometryType(source.wkbType())
        if got != geometry_type:
            names = {
                QgsWkbTypes.PointGeometry: _tr("point"),
                QgsWkbTypes.LineGeometry: _tr("line"),
                QgsWkbTypes.PolygonGeometry: _tr("polygon"),
            }
            raise QgsProcessingException(
                _tr("The {} layer must have {} geometries.").format(
                    what, names.get(geometry_type, "?")
                )
            )
    # One feature, no geometry or attributes: featureCount() may scan a whole table.
    probe = QgsFeatureRequest().setLimit(1).setNoAttributes()
    probe.setFlags(QgsFeatureRequest.NoGeometry)
    if not any(True for _ in source.getFeatures(probe)):
        raise QgsProcessingException(_tr("The {} layer is empty.").format(what))
    return source


def require_projected(crs: QgsCoordinateReferenceSystem, what: str) -> None:
    if not crs.isValid():
        raise QgsProcessingException(_tr("The {} layer has no valid CRS.").format(what))
    if crs.isGeographic():
        raise QgsProcessingException(
            _tr(
                "The {} layer is in a geographic CRS ({}): distances would be in degrees. "
                "Reproject it to a projected CRS in metres (e.g. CGCS2000 Gauss-Krüger, "
                "EPSG:4549) first."
            ).format(what, crs.authid())
        )


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


_TRUE_TEXT = {"1", "t", "true", "y", "yes", "closed", "done", "是", "已结案", "结案", "已处置"}


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


def null_mask(values: np.ndarray) -> np.ndarray:
    """Where an attribute column holds NULL (None or a NULL QVariant); never for numbers."""
    if values.dtype.kind != "O":
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((is_null(v) for v in values), dtype=bool, count=len(values))


def value_map(source: QgsFeatureSource, key_field: str, value_field: str) -> dict[str, str]:
    """``{key: value}`` as text from two fields of a table; rows with a NULL left out."""
    fields = source.fields()
    ik, iv = fields.lookupField(key_field), fields.lookupField(value_field)
    req = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
    req.setSubsetOfAttributes([ik, iv])
    mapping = {}
    for f in source.getFeatures(req):
        k, v = f.attributes()[ik], f.attributes()[iv]
        if k is not None and v is not None and not is_null(k) and not is_null(v):
            mapping[str(k)] = str(v)
    return mapping


def line_geometries(
    source: QgsFeatureSource,
    label_field: str,
    crs: QgsCoordinateReferenceSystem,
    context: QgsProcessingContext,
) -> tuple[list[str], list[bytes]]:
    """Labels (as text) and WKB in ``crs`` of the features that have both (route lines)."""
    idx = source.fields().lookupField(label_field)
    req = QgsFeatureRequest().setSubsetOfAttributes([idx])
    if source.sourceCrs() != crs:
        req.setDestinationCrs(crs, context.transformContext())
    labels, wkbs = [], []
    for f in source.getFeatures(req):
        label = as_text(f.attributes()[idx])
        if label is None or not f.hasGeometry():
            continue
        labels.append(label)
        wkbs.append(bytes(f.geometry().asWkb()))
    return labels, wkbs


def coded_wkb(layer: QgsVectorLayer, code_field: str) -> tuple[list[str], list[bytes]]:
    """Codes (as text) and WKB of every feature of a layer (census QA's unit grids)."""
    codes, wkbs = [], []
    req = QgsFeatureRequest().setSubsetOfAttributes([code_field], layer.fields())
    for f in layer.getFeatures(req):
        codes.append(str(python_value(f[code_field])))
        wkbs.append(bytes(f.geometry().asWkb()))
    return codes, wkbs


def read_features(
    layer: QgsVectorLayer, idx: list[int], progress: Callable[[float], bool]
) -> tuple[list[int] | None, list[list[Any]] | None, list[bytes | None] | None]:
    """Feature ids, the attribute columns ``idx`` (QVariant NULL as None) and WKB (None for
    null geometry) of every feature; (None, None, None) when ``progress`` says cancel."""
    fids: list[int] = []
    cols: list[list[Any]] = [[] for _ in idx]
    wkbs: list[bytes | None] = []
    total = max(layer.featureCount(), 1)
    req = QgsFeatureRequest().setSubsetOfAttributes(idx)
    for n, f in enumerate(layer.getFeatures(req)):
        if n % 20000 == 0 and progress(n / total):
            return None, None, None
        fids.append(f.id())
        for k, i in enumerate(idx):
            v = f.attribute(i)
            cols[k].append(None if isinstance(v, QVariant) else v)
        g = f.geometry()
        wkbs.append(None if g.isNull() else bytes(g.asWkb()))
    return fids, cols, wkbs


def present_value(value: Any) -> Any:
    """``value``, or None for a null date or time (a QDate/QDateTime that is null)."""
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def workspace_classes(layer: QgsVectorLayer) -> dict[tuple[str, str], str] | None:
    """The component_classes table next to ``layer`` (same GeoPackage or PostGIS schema)."""
    from qgis.core import QgsDataSourceUri

    provider = layer.providerType()
    try:
        if provider == "ogr":
            path = layer.source().split("|")[0]
            if not path.lower().endswith(".gpkg"):
                return None
            table = QgsVectorLayer(f"{path}|layername=component_classes", "classes", "ogr")
        elif provider == "postgres":
            uri = QgsDataSourceUri(layer.source())
            uri.setDataSource(uri.schema(), "component_classes", None)
            uri.setKeyColumn("")
            table = QgsVectorLayer(uri.uri(False), "classes", "postgres")
        else:
            return None
        if not table.isValid():
            return None
        names = table.fields().names()
        if not {"scheme", "code", "geometry_kind"} <= set(names):
            return None
        out = {}
        for f in table.getFeatures():
            out[(f["scheme"], f["code"])] = f["geometry_kind"]
        return out or None
    except Exception:
        return None


def _postgres_query(uri: Any, subset: str, fields: list[str]) -> Any:
    """The one query of :func:`read_postgres`; every name from the layer's URI (schema,
    table, key, geometry column) and every field is a quoted Identifier.

    The layer's own filter (its URI's sql and its subset string) is SQL by definition: it is
    applied as QGIS applies it, in the same login's session.
    """
    from psycopg2 import sql
    from qgis.core import QgsWkbTypes

    geom = sql.Identifier(uri.geometryColumn())
    where = [sql.SQL("({})").format(sql.SQL(uri.sql()))] if uri.sql() else []
    if subset and subset != uri.sql():
        where.append(sql.SQL("({})").format(sql.SQL(subset)))
    gtype = QgsWkbTypes.geometryType(uri.wkbType())
    kinds = {
        QgsWkbTypes.PointGeometry: "'POINT','MULTIPOINT'",
        QgsWkbTypes.LineGeometry: "'LINESTRING','MULTILINESTRING'",
        QgsWkbTypes.PolygonGeometry: "'POLYGON','MULTIPOLYGON'",
    }
    if uri.wkbType() != QgsWkbTypes.Unknown and gtype in kinds:
        where.append(sql.SQL("GeometryType({}) IN (" + kinds[gtype] + ")").format(geom))
    # Only what the checks need crosses the wire: values of coded fields, and just
    # "present or empty" for free-text mandatory fields; points as x/y, others as WKB.
    flag_only = {"name", "dept_code", "dept_name", "initial_date"}
    present = "CASE WHEN nullif(btrim({}::text), '') IS NULL THEN NULL ELSE '1' END"
    exprs = [
        sql.SQL(present if f in flag_only else "{}::text").format(sql.Identifier(f)) for f in fields
    ]
    is_point = sql.SQL("GeometryType({}) = 'POINT'").format(geom)
    if uri.schema():
        table = sql.Identifier(uri.schema(), uri.table())
    else:
        table = sql.Identifier(uri.table())
    query = sql.SQL(
        "SELECT {key}, {cols}, CASE WHEN {pt} THEN ST_X({g}) END, "
        "CASE WHEN {pt} THEN ST_Y({g}) END, CASE WHEN {pt} THEN NULL ELSE ST_AsBinary({g}) END "
        "FROM {table}"
    ).format(
        key=sql.Identifier(uri.keyColumn()),
        cols=sql.SQL(", ").join(exprs),
        pt=is_point,
        g=geom,
        table=table,
    )
    if where:
        query = query + sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    return query


def read_postgres(layer: QgsVectorLayer, fields: list[str]) -> tuple[list, list, list] | None:
    """Fast path for a PostGIS layer: one SQL query instead of QgsFeature iteration.
    None when the layer cannot be read this way (auth config, no key column, …)."""
    from qgis.core import QgsDataSourceUri

    if layer.providerType() != "postgres":
        return None
    uri = QgsDataSourceUri(layer.source())
    if uri.authConfigId() or not uri.keyColumn() or not uri.geometryColumn():
        return None
    try:
        import psycopg2
    except ImportError:
        return None
    try:
        query = _postgres_query(uri, layer.subsetString(), fields)
        with psycopg2.connect(uri.connectionInfo(False)) as conn, conn.cursor() as cur:
            cur.execute(query)
            rows = cur.fetchall()
    except Exception:
        return None
    n = len(fields)
    fids = [r[0] for r in rows]
    columns = [[r[i + 1] for r in rows] for i in range(n)]
    xs = np.array([r[n + 1] for r in rows], dtype=float)
    ys = np.array([r[n + 2] for r in rows], dtype=float)
    geoms = np.full(len(rows), None, dtype=object)
    pts = ~np.isnan(xs)
    if pts.any():
        geoms[pts] = shapely.points(xs[pts], ys[pts])
    other = np.nonzero(~pts)[0]
    if len(other):
        geoms[other] = shapely.from_wkb(
            np.array(
                [bytes(rows[i][n + 3]) if rows[i][n + 3] is not None else None for i in other],
                dtype=object,
            )
        )
    return fids, columns, geoms


def coded_geometries(source: QgsFeatureSource, code_index: int) -> tuple[list[str], list]:
    """Codes (as text) and shapely geometries, in the source's CRS, of the features of
    ``source`` that have a geometry (thematic statistics' grids)."""
    codes, geoms = [], []
    for f in source.getFeatures(QgsFeatureRequest().setSubsetOfAttributes([code_index])):
        if f.hasGeometry():
            codes.append(str(f.attribute(code_index)))
            geoms.append(shapely.from_wkb(bytes(f.geometry().asWkb())))
    return codes, geoms


def categorised_geometries(
    source: QgsFeatureSource,
    category_index: int,
    crs: QgsCoordinateReferenceSystem,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
) -> tuple[list, list] | None:
    """Shapely geometries in ``crs`` and category values (None for NULL, and for every
    feature when ``category_index`` < 0) of the features that have a geometry; None when
    cancelled."""
    request = QgsFeatureRequest().setDestinationCrs(crs, context.transformContext())
    request.setSubsetOfAttributes([category_index] if category_index >= 0 else [])
    geoms, cats = [], []
    for f in source.getFeatures(request):
        if feedback.isCanceled():
            return None
        if not f.hasGeometry():
            continue
        geoms.append(shapely.from_wkb(bytes(f.geometry().asWkb())))
        value = f.attribute(category_index) if category_index >= 0 else None
        cats.append(None if value is None or str(value) == "NULL" else value)
    return geoms, cats


def geometry_kind(source: QgsFeatureSource) -> str | None:
    """'point', 'line' or 'polygon' from the source's geometry type; None for others."""
    from qgis.core import QgsWkbTypes

    return {
        QgsWkbTypes.PointGeometry: "point",
        QgsWkbTypes.LineGeometry: "line",
        QgsWkbTypes.PolygonGeometry: "polygon",
    }.get(QgsWkbTypes.geometryType(source.wkbType()))


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


def postgis_sources(
    alg: Any, parameters: dict, context: QgsProcessingContext, names: Iterable[str]
) -> tuple[str, list[PgSource]]:
    """The connection string and tables of PostGIS layer parameters in one database."""
    from qgis.core import QgsDataSourceUri

    uris = []
    for name in names:
        layer = alg.parameterAsVectorLayer(parameters, name, context)
        if layer is None or layer.providerType() != "postgres":
            raise QgsProcessingException(
                _tr("Run in PostGIS needs the {} layer to be a PostGIS table.").format(name)
            )
        uris.append((layer, QgsDataSourceUri(layer.source())))
    if len({(u.host(), u.port(), u.database(), u.service()) for _, u in uris}) != 1:
        raise QgsProcessingException(
            _tr("Run in PostGIS needs grids, roads and tracks in the same database.")
        )
    sources = [
        PgSource(u.schema() or "public", u.table(), u.geometryColumn(), layer.subsetString())
        for layer, u in uris
    ]
    return uris[0][1].connectionInfo(True), sources
