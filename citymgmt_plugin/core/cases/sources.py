"""Where case batches come from: CSV, Excel, GeoJSON (any OGR format) or a PostGIS table, and
which of their columns mean what (remembered per set of column names, as the census does).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import text

from ..census.batch_mapping import MappingStore, default_mapping_file
from ..census.batch_read import SourceTable, read_source
from ..i18n import tr
from ..workspace.store import Workspace

_CTX = "Cases"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
TABLE_PREFIX = "table:"  # "table:schema.name": a table of the workspace's PostgreSQL database

# What each target field is called in platform exports (schema name, pinyin initials, Chinese).
TARGET_FIELDS = (
    "case_no",
    "channel",
    "kind",
    "class_code",
    "description",
    "address",
    "state",
    "reported_at",
    "due_at",
    "closed_at",
    "collector_code",
    "crs",
    "x",
    "y",
)
ALIASES: dict[str, tuple[str, ...]] = {
    "case_no": ("case_no", "ajbh", "案卷编号", "案件编号", "案件号", "任务号", "taskid", "case"),
    "channel": ("channel", "wtly", "问题来源", "案件来源", "来源", "source"),
    "kind": ("kind", "wtlx", "问题类型", "案件类型", "类型", "type"),
    "class_code": ("class_code", "xldm", "小类代码", "小类编码", "类别代码", "class"),
    "description": ("description", "wtms", "问题描述", "描述", "desc"),
    "address": ("address", "fsdz", "发生地址", "地址", "位置描述", "addr"),
    "state": ("state", "ajzt", "案件状态", "状态", "status"),
    "reported_at": ("reported_at", "sbsj", "上报时间", "发现时间", "reported", "time"),
    "due_at": ("due_at", "clsx", "处置时限", "截止时间", "应结案时间", "deadline"),
    "closed_at": ("closed_at", "jasj", "结案时间", "closed"),
    "collector_code": ("collector_code", "sbrbh", "监督员编号", "采集员编号", "上报人编号"),
    "crs": ("crs", "zbx", "坐标系"),
    "x": ("x", "lon", "lng", "longitude", "经度", "x坐标", "横坐标"),
    "y": ("y", "lat", "latitude", "纬度", "y坐标", "纵坐标"),
}


class CaseSourceError(Exception):
    """A batch cannot be read (message translated)."""


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("-", "_")


def guess_mapping(columns: list[str], has_geometry: bool = True) -> dict[str, str]:
    """Target field → source column, from the names platforms use."""
    by_norm = {_norm(c): c for c in columns}
    mapping: dict[str, str] = {}
    for target, aliases in ALIASES.items():
        if has_geometry and target in ("x", "y"):
            continue
        for alias in aliases:
            column = by_norm.get(_norm(alias))
            if column is not None and column not in mapping.values():
                mapping[target] = column
                break
    return mapping


def mapping_store(path: str | Path | None = None) -> MappingStore:
    """Remembered case mappings (a file next to the census one, unless ``path``)."""
    return MappingStore(path or default_mapping_file().with_name("case_mappings.json"))


def read_cases(ws: Workspace, where: str, layer: str | None = None) -> SourceTable:
    """A file (CSV, Excel, GeoJSON …) or ``table:schema.name`` in the workspace's database."""
    if where.startswith(TABLE_PREFIX):
        return read_pg_table(ws, where[len(TABLE_PREFIX) :])
    try:
        return read_source(where, layer)
    except Exception as exc:  # CensusError, OGR and openpyxl errors: one message
        raise CaseSourceError(tr(_CTX, "Cannot read {0}: {1}").format(where, exc)) from exc


def _table_name(name: str) -> tuple[str, str]:
    parts = name.split(".")
    if len(parts) == 1:
        parts = ["public", parts[0]]
    if len(parts) != 2 or not all(_NAME.match(p) for p in parts):
        raise CaseSourceError(tr(_CTX, "Not a table name: {0}").format(name))
    return parts[0], parts[1]


def read_pg_table(ws: Workspace, name: str) -> SourceTable:
    """Every row of a PostGIS table; its first geometry column, in the workspace CRS."""
    if not ws.is_postgres:
        raise CaseSourceError(tr(_CTX, "A case table must be in the workspace's PostGIS database."))
    schema, table = _table_name(name)
    with ws.engine.connect() as conn:
        cols = conn.execute(
            text(
                "SELECT column_name, udt_name FROM information_schema.columns "
                "WHERE table_schema = :s AND table_name = :t ORDER BY ordinal_position"
            ),
            {"s": schema, "t": table},
        ).all()
        if not cols:
            raise CaseSourceError(tr(_CTX, "No table {0}.").format(name))
        geom = next((c for c, udt in cols if udt == "geometry"), None)
        plain = [c for c, udt in cols if udt != "geometry"]
        select_list = [f'"{c}"' for c in plain]
        if geom:
            select_list.append(f'ST_AsBinary(ST_Transform("{geom}", {ws.srid})) AS "__wkb"')
        rows = [
            dict(r._mapping)
            for r in conn.execute(
                text(f'SELECT {", ".join(select_list)} FROM "{schema}"."{table}"')
            )
        ]
    wkbs = [r.pop("__wkb", None) for r in rows]
    geoms = [shapely.from_wkb(bytes(w)) if w is not None else None for w in wkbs]
    return SourceTable(
        f"{TABLE_PREFIX}{schema}.{table}",
        None,
        plain,
        rows,
        list(np.asarray(geoms, dtype=object)) if geoms else [],
        f"EPSG:{ws.srid}" if geom else None,
        geom is not None,
    )
