"""Census import: read a survey batch, map its fields, transform its CRS, validate each row.

Sources: GeoPackage, Shapefile, GeoJSON (through OGR), CSV with coordinate columns, Excel
(.xlsx through openpyxl). A row that fails is reported with every reason and the rest of the
batch goes on. Field mappings are remembered per set of column names in a JSON file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from .. import projection
from ..i18n import tr
from ..workspace.store import Workspace
from .errors import CensusError, Problem
from .geo import anchors, geometry_kind
from .grids import load_grid_index
from .validation import (
    DOMAINS,
    EDITABLE_FIELDS,
    MANDATORY_FIELDS,
    check_identifier,
    class_table,
    field_label,
    no_grid_problem,
)

# A batch may carry the identifier and class, every editable attribute, a grid code and
# coordinates (for tables without geometry).
TARGET_FIELDS = ("identifier", "class_code", *EDITABLE_FIELDS, "grid_code", "x", "y")
ALIASES: dict[str, tuple[str, ...]] = {
    "identifier": ("identifier", "bsm", "标识码", "objcode", "obj_code", "部件标识码", "code_id"),
    "class_code": ("class_code", "lbdm", "类别代码", "小类代码", "部件类别", "objtype", "class"),
    "name": ("name", "mc", "名称", "部件名称", "objname", "obj_name"),
    "dept_code": ("dept_code", "zgbmdm", "主管部门代码", "deptcode"),
    "dept_name": ("dept_name", "zgbmmc", "主管部门名称", "主管部门", "deptname"),
    "owner_code": ("owner_code", "qsdwdm", "权属单位代码"),
    "owner_name": ("owner_name", "qsdwmc", "权属单位名称", "权属单位"),
    "maint_code": ("maint_code", "yhdwdm", "养护单位代码"),
    "maint_name": ("maint_name", "yhdwmc", "养护单位名称", "养护单位"),
    "status": ("status", "bjzt", "部件状态", "状态", "objstate"),
    "initial_date": ("initial_date", "csrq", "初始日期", "ordate"),
    "data_source": ("data_source", "sjly", "数据来源", "datasource"),
    "accuracy_class": ("accuracy_class", "jddj", "精度等级", "精度"),
    "note": ("note", "bz", "备注", "remark"),
    "grid_code": ("grid_code", "dywgbsm", "所在单元网格", "单元网格", "bgid"),
    "x": ("x", "lon", "lng", "longitude", "经度", "east", "easting", "x坐标", "横坐标"),
    "y": ("y", "lat", "latitude", "纬度", "north", "northing", "y坐标", "纵坐标"),
}
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

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class BatchRecord:
    row_no: int  # 1-based, as the user sees it (CSV/Excel: data row number)
    values: dict[str, Any]  # target fields that the batch carries, parsed
    geom: BaseGeometry  # workspace CRS
    grid_code: str  # the grid the position lies in

    @property
    def identifier(self) -> str | None:
        return self.values.get("identifier") or None


@dataclass
class RowFailure:
    row_no: int
    identifier: str | None
    problems: list[Problem]

    @property
    def reason(self) -> str:
        return " ".join(p.message for p in self.problems)


@dataclass
class Batch:
    source: str
    scheme: str
    fields: set[str]  # target fields mapped from the source
    records: list[BatchRecord]
    failures: list[RowFailure]
    source_crs: str | None
    read_rows: int = 0
    surveyed_grids: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------------- reading


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


def _read_csv(path: Path) -> SourceTable:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise CensusError(tr("Census", "Cannot read the text encoding of {0}.").format(path))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    rows = [dict(r) for r in reader]
    columns = [c for c in (reader.fieldnames or []) if c is not None]
    return SourceTable(str(path), None, columns, rows, [None] * len(rows), None, False)


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


# ---------------------------------------------------------------------------------- mapping


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "_")


def guess_mapping(columns: list[str], has_geometry: bool = True) -> dict[str, str]:
    """Target field → source column, from known names (schema, pinyin initials, Chinese)."""
    by_norm = {_norm(c): c for c in columns}
    mapping = {}
    for target, aliases in ALIASES.items():
        if has_geometry and target in ("x", "y"):
            continue
        for a in aliases:
            if _norm(a) in by_norm:
                mapping[target] = by_norm[_norm(a)]
                break
    return mapping


def _signature(columns: list[str]) -> str:
    return hashlib.sha1("\x1f".join(sorted(columns)).encode("utf-8")).hexdigest()[:16]


def default_mapping_file() -> Path:
    try:
        from qgis.core import QgsApplication

        base = QgsApplication.qgisSettingsDirPath()
        if base:
            return Path(base) / "citymgmt" / "census_mappings.json"
    except Exception:  # pragma: no cover - QGIS always importable here
        pass
    return Path(os.path.expanduser("~/.config/citymgmt/census_mappings.json"))


class MappingStore:
    """Remembered field mappings, keyed by the batch's set of column names."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_mapping_file()

    def _load(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def get(self, columns: list[str]) -> dict[str, str] | None:
        entry = self._load().get(_signature(columns))
        if not entry:
            return None
        mapping = entry.get("mapping", {})
        return {k: v for k, v in mapping.items() if v in columns}

    def get_crs(self, columns: list[str]) -> str | None:
        entry = self._load().get(_signature(columns)) or {}
        return entry.get("crs")

    def remember(self, columns: list[str], mapping: dict[str, str], crs: str | None = None) -> None:
        data = self._load()
        data[_signature(columns)] = {
            "columns": sorted(columns),
            "mapping": mapping,
            "crs": crs,
            "saved": datetime.now().isoformat(timespec="seconds"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)

    def mapping_for(self, table: SourceTable) -> dict[str, str]:
        return self.get(table.columns) or guess_mapping(table.columns, table.has_geometry)


# ---------------------------------------------------------------------------------- CRS


def guess_crs(xs: np.ndarray, ys: np.ndarray, ws_srid: int) -> str:
    """Geographic-looking coordinates → CGCS2000 geographic (EPSG:4490), else the workspace."""
    ok = np.isfinite(xs) & np.isfinite(ys)
    if ok.any() and np.all(np.abs(xs[ok]) <= 180) and np.all(np.abs(ys[ok]) <= 90):
        return "EPSG:4490"
    return f"EPSG:{ws_srid}"


def transform_geoms(geoms: np.ndarray, src: str, dst_srid: int) -> np.ndarray:
    """Reproject an array of shapely geometries (OGR/PROJ), None stays None."""
    try:
        return projection.transform_geoms(geoms, src, dst_srid)
    except projection.UnknownCrs as exc:
        raise CensusError(
            tr("Census", "Unknown coordinate reference system: {0}").format(exc.crs)
        ) from exc


# ---------------------------------------------------------------------------------- parsing


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        if not np.isfinite(v):
            return None
        if v.is_integer():
            v = int(v)
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def parse_date(v: Any) -> date | None | str:
    """A date, None when empty, or the raw text when it cannot be read."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    if not s:
        return None
    for fmt in (
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y%m%d",
        "%Y.%m.%d",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return datetime.strptime(s[:19] if "T" in s or " " in s else s, fmt).date()
        except ValueError:
            continue
    return s


def _float(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(str(v).strip())
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- validate


def prepare_batch(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    mapping: dict[str, str],
    source_crs: str | None = None,
    scheme: str | None = None,
) -> Batch:
    """Map, transform and validate every row; good rows become records, bad rows failures."""
    scheme = scheme or ws.setting("component_scheme", "legacy16")
    classes = class_table(conn, ws, scheme)
    fields = {t for t, c in mapping.items() if c and t in TARGET_FIELDS and t not in ("x", "y")}
    n = len(table.rows)
    problems: list[list[Problem]] = [[] for _ in range(n)]
    # geometry
    if table.has_geometry and not ({"x", "y"} <= set(mapping)):
        geoms = np.array(table.geoms, dtype=object)
        crs = source_crs or table.crs or f"EPSG:{ws.srid}"
    else:
        if not ({"x", "y"} <= set(mapping)):
            raise CensusError(
                tr("Census", "Map the coordinate columns (x and y) of a table without geometry.")
            )
        xs = np.array([_float(r.get(mapping["x"])) for r in table.rows], dtype=float)
        ys = np.array([_float(r.get(mapping["y"])) for r in table.rows], dtype=float)
        crs = source_crs or guess_crs(xs, ys, ws.srid)
        ok = np.isfinite(xs) & np.isfinite(ys)
        geoms = np.full(n, None, dtype=object)
        if ok.any():
            geoms[ok] = shapely.points(xs[ok], ys[ok])
    if n:
        geoms = transform_geoms(geoms, crs, ws.srid)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    pts = np.full(n, None, dtype=object)
    if present.any():
        pts[present] = anchors(geoms[present])
    grid_codes = np.full(n, None, dtype=object)
    if present.any():
        minx, miny, maxx, maxy = shapely.total_bounds(geoms[present])
        index = load_grid_index(conn, ws, (minx, miny, maxx, maxy))
        grid_codes[present] = index.containing(pts[present])
    records: list[BatchRecord] = []
    failures: list[RowFailure] = []
    seen_ids: dict[str, int] = {}
    for i, raw in enumerate(table.rows):
        row_no = i + 1
        vals: dict[str, Any] = {}
        for t in fields:
            v = raw.get(mapping[t])
            vals[t] = parse_date(v) if t == "initial_date" else _text(v)
        ps = problems[i]
        cls = vals.get("class_code")
        if not cls and vals.get("identifier") and len(vals["identifier"]) in (16, 17):
            from ..codes import id_schemes

            s = id_schemes()[scheme]
            cls = vals["identifier"][s.county_digits : s.county_digits + s.class_digits]
            vals["class_code"] = cls
        info = classes.get(cls or "")
        if not cls:
            ps.append(
                Problem(
                    "mandatory",
                    "class_code",
                    tr("Census", "Mandatory attribute missing: {0}.").format(
                        field_label("class_code")
                    ),
                )
            )
        elif info is None:
            ps.append(
                Problem(
                    "class_unknown",
                    "class_code",
                    tr("Census", "Class {0} is not in this workspace's class table ({1}).").format(
                        cls, scheme
                    ),
                )
            )
        for f in MANDATORY_FIELDS:
            if f in fields and vals.get(f) in (None, ""):
                ps.append(
                    Problem(
                        "mandatory",
                        f,
                        tr("Census", "Mandatory attribute missing: {0}.").format(field_label(f)),
                    )
                )
        for f, domain in DOMAINS.items():
            v = vals.get(f)
            if v and v not in domain:
                ps.append(
                    Problem(
                        "domain",
                        f,
                        tr("Census", "{0} '{1}' is not one of: {2}.").format(
                            field_label(f), v, "、".join(domain)
                        ),
                    )
                )
        if isinstance(vals.get("initial_date"), str):
            ps.append(
                Problem(
                    "date",
                    "initial_date",
                    tr("Census", "{0} is not a date: {1}.").format(
                        field_label("initial_date"), vals["initial_date"]
                    ),
                )
            )
        g = geoms[i]
        kind = geometry_kind(g) if present[i] else None
        if kind is None:
            ps.append(
                Problem("geometry_empty", "geom", tr("Census", "The row has no usable position."))
            )
        elif info is not None and kind != info.geometry_kind:
            ps.append(
                Problem(
                    "geometry_kind",
                    "geom",
                    tr("Census", "Class {0} ({1}) is drawn as a {2}, not a {3}.").format(
                        info.code, info.name, info.geometry_kind, kind
                    ),
                )
            )
        elif grid_codes[i] is None:
            ps.append(no_grid_problem())
        ident = vals.get("identifier")
        if ident and cls:
            ps += check_identifier(ident, scheme, cls, grid_codes[i])
            if ident in seen_ids:
                ps.append(
                    Problem(
                        "identifier_taken",
                        "identifier",
                        tr("Census", "Identifier {0} also appears in row {1}.").format(
                            ident, seen_ids[ident]
                        ),
                    )
                )
            else:
                seen_ids[ident] = row_no
        if ps:
            failures.append(RowFailure(row_no, ident, ps))
        else:
            records.append(BatchRecord(row_no, vals, g, grid_codes[i]))
    batch = Batch(
        source=table.path + (f"|{table.layer}" if table.layer else ""),
        scheme=scheme,
        fields=fields,
        records=records,
        failures=failures,
        source_crs=crs,
        read_rows=n,
    )
    batch.surveyed_grids = {r.grid_code for r in records}
    return batch


def import_batch(
    conn: Connection,
    ws: Workspace,
    path: str | Path,
    layer: str | None = None,
    mapping: dict[str, str] | None = None,
    source_crs: str | None = None,
    store: MappingStore | None = None,
) -> Batch:
    """Read + map (given, remembered or guessed) + validate; remembers the mapping used."""
    table = read_source(path, layer)
    store = store or MappingStore()
    if mapping is None:
        mapping = store.mapping_for(table)
        source_crs = source_crs or store.get_crs(table.columns)
    batch = prepare_batch(conn, ws, table, mapping, source_crs)
    store.remember(table.columns, mapping, source_crs)
    return batch
