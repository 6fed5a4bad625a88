"""Reading a census batch: GeoPackage, Shapefile, GeoJSON (OGR), CSV and Excel as one table.

A :class:`SourceTable` holds the columns and raw row values as the file has them, and the
geometries in the source CRS; nothing is mapped or checked here.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..i18n import tr
from .errors import CensusError

VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".sqlite")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


@dataclass
class SourceTable:
    """A batch as read: columns, rows of raw values, geometries in the source CRS."""

    path: str
    layer: str | None
    columns: list[str]
    rows: list[dict[str, Any]]
    geoms: list[BaseGeometry | None]
    crs: str | None  # "EPSG:4326", a WKT, or None (tables: decided from coordinates)
    has_geometry: bool
    encoding: str | None = None  # text files: the encoding found (utf-8, utf-8-sig, gb18030 …)

    def __len__(self) -> int:
        return len(self.rows)


def list_layers(path: str | Path) -> list[str]:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    if path.suffix.lower() in (".csv", ".txt"):
        return [path.stem]
    from osgeo import ogr

    ds = ogr.Open(str(path))
    if ds is None:
        raise CensusError(tr("Census", "Cannot open {0}.").format(path))
    return [ds.GetLayerByIndex(i).GetName() for i in range(ds.GetLayerCount())]


def read_source(path: str | Path, layer: str | None = None) -> SourceTable:
    path = Path(path)
    if not path.exists():
        raise CensusError(tr("Census", "No such file: {0}").format(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, layer)
    return _read_ogr(path, layer)


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file: UTF-8 with or without a byte-order mark, UTF-16 with
    one (Excel's "Unicode text"), else GB18030, which reads GBK and GB2312 exports too."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:  # pragma: no cover - gb18030 decodes nearly anything
        raise CensusError(tr("Census", "Cannot read the text encoding: {0}").format(exc)) from exc


def _read_csv(path: Path) -> SourceTable:
    text, encoding = decode_text(path.read_bytes())
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    rows = [dict(r) for r in reader]
    columns = [c for c in (reader.fieldnames or []) if c is not None]
    return SourceTable(str(path), None, columns, rows, [None] * len(rows), None, False, encoding)


def _read_xlsx(path: Path, sheet: str | None) -> SourceTable:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None) or ()
        columns = [str(h).strip() if h is not None else f"col{i + 1}" for i, h in enumerate(header)]
        rows = []
        for values in it:
            if values is None or all(v is None or v == "" for v in values):
                continue
            rows.append(dict(zip(columns, values)))
    finally:
        wb.close()
    return SourceTable(str(path), sheet, columns, rows, [None] * len(rows), None, False)


def _read_ogr(path: Path, layer: str | None) -> SourceTable:
    from osgeo import ogr, osr

    ds = ogr.Open(str(path))
    if ds is None:
        raise CensusError(tr("Census", "Cannot open {0}.").format(path))
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayerByIndex(0)
    if lyr is None:
        raise CensusError(tr("Census", "{0} has no layer {1}.").format(path, layer))
    defn = lyr.GetLayerDefn()
    columns = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows, wkbs = [], []
    for f in lyr:
        rows.append({c: f.GetField(i) for i, c in enumerate(columns)})
        g = f.GetGeometryRef()
        wkbs.append(bytes(g.ExportToIsoWkb()) if g is not None and not g.IsEmpty() else None)
    geoms = list(shapely.from_wkb(np.array(wkbs, dtype=object))) if wkbs else []
    srs = lyr.GetSpatialRef()
    crs = None
    if srs is not None:
        srs.AutoIdentifyEPSG()
        code = srs.GetAuthorityCode(None)
        name = srs.GetAuthorityName(None)
        crs = f"{name}:{code}" if code and name else srs.ExportToWkt()
    _ = osr
    return SourceTable(str(path), lyr.GetName(), columns, rows, geoms, crs, True)
