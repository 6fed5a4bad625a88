"""Spot checks and their findings from a CSV, as inspectors hand them in.

Columns (English or Chinese names): ``grid_code`` (单元网格), ``day`` (日期), ``time`` (时间),
``kind`` (类型: component/部件 or event/事件; empty: the grid was checked and found clean),
``class_code`` (类别), ``lon``/``lat`` (经度/纬度, WGS84), ``description`` (描述).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from ..i18n import tr
from ..patrol.tracks.batch import parse_time
from ..projection import Projector
from ..workspace.store import Workspace
from .reports import normalise_kind
from .roster import parse_day
from .spotchecks import Finding, record
from .stored import utc

_CTX = "Kpi"
_NAMES = {
    "grid": ("grid_code", "grid", "单元网格", "网格"),
    "day": ("day", "date", "日期"),
    "time": ("time", "found_at", "时间"),
    "kind": ("kind", "类型"),
    "class": ("class_code", "category_code", "class", "类别"),
    "lon": ("lon", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "description": ("description", "描述", "说明"),
}


def _rows(path: str | Path) -> Iterator[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader, [])]
        idx = {k: next((header.index(n) for n in names if n in header), None)
               for k, names in _NAMES.items()}  # fmt: skip
        if idx["grid"] is None or idx["day"] is None:
            raise ValueError(tr(_CTX, "The spot-check file needs grid_code and day columns."))
        for line, row in enumerate(reader, start=2):
            yield line, {k: (row[i].strip() if i is not None and i < len(row) else "")
                         for k, i in idx.items()}  # fmt: skip


def record_csv(
    ws: Workspace, path: str | Path, inspector: str | None = None
) -> tuple[int, int, list[tuple[int, str]]]:
    """(grids recorded, findings, bad rows (line, reason))."""
    zone = ZoneInfo(ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai")
    proj = Projector(ws.srid)
    checks: dict[tuple[str, date], list[Finding]] = {}
    bad = []
    for line, v in _rows(path):
        day = parse_day(v["day"])
        if not v["grid"] or day is None:
            bad.append((line, tr(_CTX, "no grid or day")))
            continue
        found = checks.setdefault((v["grid"], day), [])
        if not v["kind"]:
            continue
        finding = _finding(v, zone, proj)
        if isinstance(finding, str):
            bad.append((line, finding))
        else:
            found.append(finding)
    for (grid, day), findings in checks.items():
        record(ws, grid, day, findings, inspector)
    return len(checks), sum(len(f) for f in checks.values()), bad


def _finding(v: dict[str, str], zone: ZoneInfo, proj: Projector) -> Finding | str:
    kind = normalise_kind(v["kind"])
    if kind not in ("component", "event"):
        return tr(_CTX, "kind is component (部件) or event (事件)")
    t = parse_time(v["time"], zone)
    if t is None:
        return tr(_CTX, "time not readable")
    try:
        lon, lat = float(v["lon"]), float(v["lat"])
    except ValueError:
        return tr(_CTX, "no position")
    x, y = proj.forward([lon], [lat])
    return Finding(kind, v["class"], utc(t), float(x[0]), float(y[0]), v["description"])
