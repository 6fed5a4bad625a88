"""Mapping a census batch's columns to component fields: known names, remembered mappings.

A mapping is {target field: source column}; two fields may read the same column (a
department column that gives both the code and the name through value maps). Known names
are the schema's, their pinyin initials and the Chinese column names surveys and older
platforms' exports use; a mapping the editor chose is remembered per set of column names,
with the source CRS and the value maps of coded fields, in a JSON file.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from ..i18n import tr
from .batch_read import SourceTable
from .errors import CensusError
from .validation import EDITABLE_FIELDS

# A batch may carry the identifier and class, every editable attribute, a grid code and, for
# tables without geometry, coordinates or a WKT column.
POSITION_FIELDS = ("x", "y", "wkt")
TARGET_FIELDS = ("identifier", "class_code", *EDITABLE_FIELDS, "grid_code", *POSITION_FIELDS)
ALIASES: dict[str, tuple[str, ...]] = {
    "identifier": (
        "identifier", "bsm", "标识码", "objcode", "obj_code", "部件标识码", "code_id", "部件编码",
    ),
    "class_code": (
        "class_code", "lbdm", "类别代码", "小类代码", "部件类别", "objtype", "class", "部件小类",
    ),
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
    "wkt": ("wkt", "geom", "geometry", "the_geom", "shape", "空间坐标", "几何", "空间位置"),
}  # fmt: skip


def read_mapping_file(path: str | Path) -> dict[str, str]:
    """``MAPPING.json``: ``{"target field": "source column"}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise CensusError(
            tr("Census", "Cannot read the field mapping {0}: {1}").format(path, exc)
        ) from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CensusError(
            tr("Census", "The field mapping {0} must map field names to column names.").format(path)
        )
    return {str(k): v for k, v in data.items()}


def target_fields(target: str = "components") -> tuple[str, ...]:
    """The fields a batch of ``target`` (components or pois) may map."""
    if target == "pois":
        from .poi_batch import POI_TARGET_FIELDS

        return POI_TARGET_FIELDS
    return TARGET_FIELDS


def _aliases(target: str) -> dict[str, tuple[str, ...]]:
    if target == "pois":
        from .poi_batch import POI_ALIASES

        return POI_ALIASES
    return ALIASES


def mapped_fields(mapping: dict[str, str], target: str = "components") -> set[str]:
    """The target fields a mapping fills (position columns excluded)."""
    fields = target_fields(target)
    return {t for t, c in mapping.items() if c and t in fields and t not in POSITION_FIELDS}


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "_")


def guess_mapping(
    columns: list[str], has_geometry: bool = True, target: str = "components"
) -> dict[str, str]:
    """Target field → source column, from known names (schema, pinyin initials, Chinese)."""
    by_norm = {_norm(c): c for c in columns}
    mapping = {}
    for field_name, aliases in _aliases(target).items():
        if has_geometry and field_name in POSITION_FIELDS:
            continue
        for a in aliases:
            if _norm(a) in by_norm:
                mapping[field_name] = by_norm[_norm(a)]
                break
    return mapping


def _signature(columns: list[str], target: str = "components") -> str:
    """The key of what is remembered for a set of columns (and a target other than
    components: the same file may be read as points of interest too)."""
    key = "\x1f".join(sorted(columns)) + ("" if target == "components" else "\x1e" + target)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


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

    def get(self, columns: list[str], target: str = "components") -> dict[str, str] | None:
        entry = self._load().get(_signature(columns, target))
        if not entry:
            return None
        mapping = entry.get("mapping", {})
        return {k: v for k, v in mapping.items() if v in columns}

    def get_crs(self, columns: list[str], target: str = "components") -> str | None:
        entry = self._load().get(_signature(columns, target)) or {}
        return entry.get("crs")

    def get_values(
        self, columns: list[str], target: str = "components"
    ) -> dict[str, dict[str, str]] | None:
        """The value maps of coded fields remembered for these columns (None: none)."""
        entry = self._load().get(_signature(columns, target)) or {}
        return entry.get("values") or None

    def remember(
        self,
        columns: list[str],
        mapping: dict[str, str],
        crs: str | None = None,
        values: dict[str, dict[str, str]] | None = None,
        target: str = "components",
    ) -> None:
        data = self._load()
        data[_signature(columns, target)] = {
            "columns": sorted(columns),
            "mapping": mapping,
            "crs": crs,
            "values": values or {},
            "saved": datetime.now().isoformat(timespec="seconds"),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.path)

    def mapping_for(self, table: SourceTable, target: str = "components") -> dict[str, str]:
        return self.get(table.columns, target) or guess_mapping(
            table.columns, table.has_geometry, target
        )
