"""The command centre's platform for the demo: cases from four channels (and collectors), as
its export would give them (Chinese headers, each channel's coordinate system), plus a few
rows it should not have sent; and the field answers to 核实/核查 tasks."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import func, select

from ..core.chinacrs import wgs84_to_bd09, wgs84_to_gcj02
from ..core.workspace.store import Workspace

HEADER = [
    "案件编号",
    "问题来源",
    "问题类型",
    "小类代码",
    "问题描述",
    "发生地址",
    "案件状态",
    "上报时间",
    "经度",
    "纬度",
    "坐标系",
]
# channel, share, coordinate system of its positions
CHANNELS = (
    ("公众举报", 0.35, "WGS84"),  # a web form on a phone
    ("12345热线", 0.30, "GCJ02"),  # the hotline's map (AMap)
    ("视频监控", 0.15, "BD09"),  # the video platform (Baidu map)
    ("领导交办", 0.05, "EPSG:4549"),  # typed in the office
    ("采集员上报", 0.15, "WGS84"),
)
EVENT_CLASSES = ("0102", "0103", "0104", "0201", "0304", "0406", "0504", "0505", "0507")
ROADS = ("干将路", "人民路", "观前街", "平江路", "临顿路", "十全街", "凤凰街", "养育巷")


@dataclass
class PlatformCase:
    row: list[Any]
    x: float  # workspace CRS
    y: float
    channel: str


def _grid_points(ws: Workspace, rng: np.random.Generator, n: int) -> np.ndarray:
    g = ws.schema.unit_grids
    with ws.engine.connect() as conn:
        rows = conn.execute(select(func.ST_AsBinary(g.c.geom))).scalars().all()
    picked = rng.choice(len(rows), size=n, replace=len(rows) < n)
    return np.array([shapely.from_wkb(bytes(rows[i])).point_on_surface() for i in picked])


def _in_system(x: float, y: float, system: str, to_wgs84: Any) -> tuple[float, float]:
    if system == "EPSG:4549":
        return round(x, 2), round(y, 2)
    lon, lat = to_wgs84(x, y)
    if system == "GCJ02":
        lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    elif system == "BD09":
        lon, lat = (float(v) for v in wgs84_to_bd09(lon, lat))
    return round(lon, 7), round(lat, 7)


def platform_cases(
    ws: Workspace, rng: np.random.Generator, n: int, start: datetime, to_wgs84: Any
) -> list[PlatformCase]:
    """``n`` reported cases over the district, reported in the hours before ``start``."""
    points = _grid_points(ws, rng, n)
    channel = rng.choice(len(CHANNELS), size=n, p=[c[1] for c in CHANNELS])
    out = []
    for i, (pt, k) in enumerate(zip(points, channel)):
        name, _share, system = CHANNELS[int(k)]
        x = pt.x + float(rng.uniform(-20, 20))
        y = pt.y + float(rng.uniform(-20, 20))
        lon, lat = _in_system(x, y, system, to_wgs84)
        when = start - timedelta(minutes=int(rng.integers(10, 600)))
        address = f"{ROADS[int(rng.integers(len(ROADS)))]}{int(rng.integers(1, 300))}号"
        row = [
            f"AJ{start:%Y%m%d}{i + 1:05d}",
            name,
            "事件",
            EVENT_CLASSES[int(rng.integers(len(EVENT_CLASSES)))],
            "市民反映问题",
            address,
            "上报",
            when.strftime("%Y-%m-%d %H:%M"),
            lon,
            lat,
            system,
        ]
        out.append(PlatformCase(row, x, y, name))
    return out


def bad_rows(start: datetime) -> list[list[Any]]:
    """What the platform should not have sent: an unknown class, a place outside the
    district, a malformed case number."""
    when = start.strftime("%Y-%m-%d %H:%M")
    return [
        [
            f"AJ{start:%Y%m%d}90001",
            "公众举报",
            "事件",
            "0999",
            "?",
            "?",
            "上报",
            when,
            120.61,
            31.31,
            "WGS84",
        ],
        [
            f"AJ{start:%Y%m%d}90002",
            "12345热线",
            "事件",
            "0102",
            "?",
            "?",
            "上报",
            when,
            116.39,
            39.91,
            "GCJ02",
        ],
        [
            "AJ 2026/12#3",
            "视频监控",
            "事件",
            "0102",
            "?",
            "?",
            "上报",
            when,
            120.61,
            31.31,
            "WGS84",
        ],
    ]


def write_export(path: Path, cases: list[PlatformCase], extra: list[list[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows([c.row for c in cases] + extra)
    return path


def result_row(
    task: Any,
    outcome: str,
    when: datetime,
    lonlat: tuple[float, float],
    n: int,
    received: datetime,
) -> dict[str, Any]:
    """A submission of the verification form as ODK Central's OData sends it: answered on
    site at ``when``, received by the server at ``received``."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.000+08:00")
    got = received.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    field = "verify_outcome" if task.kind == "verify" else "check_outcome"
    iid = f"uuid:{task.entity_uuid[:8]}-0000-4000-8000-{n:012d}"
    return {
        "__id": iid,
        "meta": {"instanceID": iid},
        "task": task.entity_uuid,
        "task_kind": task.kind,
        "kind": "event",
        "category_code": task.class_code,
        field: outcome,
        "location": {
            "type": "Point",
            "coordinates": [lonlat[0], lonlat[1], 10.0],
            "properties": {"accuracy": 5.0},
        },
        "collector_code": task.collector,
        "observed_at": stamp,
        "__system": {
            "submissionDate": got,
            "updatedAt": None,
            "submitterId": "17",
            "submitterName": task.collector,
            "deviceId": None,
            "edits": 0,
            "reviewState": None,
            "attachmentsPresent": 0,
            "attachmentsExpected": 0,
        },
    }
