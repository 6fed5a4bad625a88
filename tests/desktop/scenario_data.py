"""A small demo workspace for the desktop scenarios, the ODK Central it pulls from, a survey
batch, and what each scenario step is expected to do (run in the pytest process).

The district: 4 x 4 unit grids of 250 m (姑苏区, EPSG:4549), main roads, two collectors and
12 components along the inner roads (``tests/fixtures/synthetic_submissions.seed_city``).
Routes and one day of GPS for the weekly checks and reports. The office pulled its ODK
Central form once with the command line (which stores the source
in the workspace); the reviewer chooses their own account for it in QGIS. Three more
submissions wait on the server for the review in QGIS: one 1.8 m from a stored component
(update it), one far from every component (a new one) and one to reject.
"""

from __future__ import annotations

import csv
import getpass
import math
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from citymgmt_plugin.core.submissions import source_configs
from citymgmt_plugin.core.submissions.sources.odk import PASSWORD_ENV
from citymgmt_plugin.core.thematic.templates import get_template
from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from tests.fixtures.odk_server import EMAIL, PASSWORD
from tests.fixtures.synthetic_submissions import (
    SHANGHAI,
    City,
    make_jpeg,
    make_submissions,
    odata_row,
    seed_city,
)

PROJECT = 7
FORM = "city_report"
N, CELL = 4, 250.0
T0 = datetime.now(SHANGHAI).replace(microsecond=0) - timedelta(hours=6)


def _grid_of(city: City, x: float, y: float) -> tuple[int, int]:
    return int((x - city.x0) // city.cell), int((y - city.y0) // city.cell)


def _centre(city: City, col: int, row: int) -> tuple[float, float]:
    return city.x0 + (col + 0.5) * city.cell, city.y0 + (row + 0.5) * city.cell


def _record(city: City, k: int, x: float, y: float, kind: str, cls: str, status: str) -> dict:
    lon, lat = city.to_wgs84(x, y)
    when = T0 + timedelta(minutes=10 * k)
    iid = f"uuid:{uuid.uuid4()}"
    return {
        "instance_id": iid,
        "lon": round(lon, 7),
        "lat": round(lat, 7),
        "accuracy": 4.0,
        "kind": kind,
        "category_code": cls,
        "observed_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "collector_code": "C01",
        "device_id": "dev-01",
        "description": "井盖破损" if kind == "component" else "道路不洁",
        "status": status,
        "photos": f"{iid.split(':')[-1]}.jpg",
        "_photo": make_jpeg(lon, lat, when, seed=k),
    }


def _publish(central: Any, records: list[dict], start: int) -> None:
    for k, rec in enumerate(records, start=start):
        row = odata_row(rec, T0 + timedelta(minutes=10 * k + 3))
        central.central.add(PROJECT, FORM, row, {rec["photos"]: rec["_photo"]})


def _pull_once_with_the_cli(spec: str, url: str) -> str:
    """``python -m citymgmt_plugin ingest`` as the office's admin runs it: the first pull,
    which also stores the source for the review dock's pulls."""
    command = [sys.executable, "-m", "citymgmt_plugin", "--lang", "en", "ingest", spec]
    command += ["--odk", url, "--project", str(PROJECT), "--form", FORM, "--user", EMAIL]
    command += ["--allow-http"]  # the local test server speaks http
    env = {**os.environ, PASSWORD_ENV: PASSWORD}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"the command-line pull failed:\n{done.stdout}\n{done.stderr}"
    ws = Workspace.open(spec)
    try:
        (key,) = source_configs(ws)
    finally:
        ws.close()
    return key


def _isolated(city: City, others: list[dict], minimum: float = 25.0) -> dict:
    """A component with no other within ``minimum`` metres (one clear candidate)."""
    for comp in others:
        near = min(
            (
                math.dist((comp["x"], comp["y"]), (o["x"], o["y"]))
                for o in city.components
                if o is not comp
            ),
            default=math.inf,
        )
        if near > minimum:
            return comp
    raise AssertionError("no isolated component in the demo district")


def _survey_batch(city: City, folder: Path) -> dict[str, Any]:
    """A census batch for the grid holding most components: all of them, one with a new
    status, and one new lamp post in the grid's centre."""
    cells: dict[tuple[int, int], list[dict]] = {}
    for comp in city.components:
        cells.setdefault(_grid_of(city, comp["x"], comp["y"]), []).append(comp)
    cell, comps = max(cells.items(), key=lambda kv: len(kv[1]))
    assert len(comps) >= 2, cells
    cx, cy = _centre(city, *cell)
    path = folder / "部件普查批次.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "类别", "东坐标", "北坐标", "状态", "主管部门名称", "主管部门代码"])
        for k, comp in enumerate(comps):
            status = "破损" if k == 1 else comp["status"]
            w.writerow(
                [
                    comp["identifier"],
                    comp["class_code"],
                    comp["x"],
                    comp["y"],
                    status,
                    comp["dept_name"],
                    comp["dept_code"],
                ]
            )
        w.writerow(["", "0118", cx, cy, "完好", "市政", "001"])
    x0, y0 = city.x0 + cell[0] * city.cell, city.y0 + cell[1] * city.cell
    return {
        "csv": str(path),
        "cell": list(cell),
        "mapping": {
            "identifier": "编号",
            "class_code": "类别",
            "x": "东坐标",
            "y": "北坐标",
            "status": "状态",
            "dept_name": "主管部门名称",
            "dept_code": "主管部门代码",
        },
        "crs": "EPSG:4549",
        "counts": {
            "new": 1,
            "unchanged": len(comps) - 1,
            "changed": 1,
            "moved": 0,
            "missing": 0,
            "duplicate": 0,
        },
        "extent": [x0 - 20, y0 - 20, x0 + city.cell + 20, y0 + city.cell + 20],
        "changed": comps[1]["identifier"],
        "new_point": [cx, cy],
    }


def _cases_batch(city: City, folder: Path, component: dict) -> dict[str, Any]:
    """The command centre's export: three reports of other channels in the south-west
    grids and a component case 3 m from a stored component; imported with the command line,
    as the office's admin would."""
    from tests.fixtures.cases_data import HEADER

    rows, numbers = [], []
    for k, (channel, col, row) in enumerate(
        (("公众举报", 0, 1), ("12345热线", 1, 0), ("视频监控", 1, 1)), start=1
    ):
        x, y = _centre(city, col, row)
        lon, lat = city.to_wgs84(x + 30, y - 20)
        numbers.append(f"AJ2026120{k:04d}")
        rows.append(
            [
                numbers[-1],
                channel,
                "事件",
                "0102",
                "门前有暴露垃圾",
                f"平江路{k}号",
                "上报",
                T0.strftime("%Y-%m-%d %H:%M"),
                "",
                lon,
                lat,
                "WGS84",
            ]
        )
    lon, lat = city.to_wgs84(component["x"] + 3, component["y"])
    numbers.append("AJ20261200004")
    rows.append(
        [
            numbers[-1],
            "12345热线",
            "部件",
            component["class_code"],
            "井盖破损",
            "平江路4号",
            "上报",
            T0.strftime("%Y-%m-%d %H:%M"),
            "",
            lon,
            lat,
            "WGS84",
        ]
    )
    path = folder / "指挥中心案件.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    x0, y0 = city.x0, city.y0
    return {
        "csv": str(path),
        "cases": numbers,
        "component_case": numbers[-1],
        "component": component["identifier"],
        "extent": [x0 - 20, y0 - 20, x0 + 2 * city.cell + 20, y0 + 2 * city.cell + 20],
    }


def _import_cases_with_the_cli(spec: str, path: str) -> None:
    command = [
        sys.executable,
        "-m",
        "citymgmt_plugin",
        "--lang",
        "en",
        "cases",
        "import",
        spec,
        path,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "4 new cases" in done.stdout, done.stdout + done.stderr


def _login_names(spec: str) -> list[str]:
    """The database login, shown as the acting person on PostGIS (data, not UI text)."""
    if "://" not in spec:
        return []
    from sqlalchemy.engine import make_url

    return [make_url(spec.split("?")[0]).username or ""]


def _patrol_day(ws: Workspace, city: City) -> dict[str, Any]:
    """Prescribed routes for both collectors and one day of GPS fixes on T0's day (every
    10 m, 10 s apart): C01 walks half of the middle north-south road, C02 the whole eastern
    one. The rest of the main roads stays unpatrolled: the weekly checks find it."""
    from sqlalchemy import insert

    from citymgmt_plugin.core.reporting.weeks import IsoWeek

    srid, x0, y0 = city.srid, city.x0, city.y0
    size = city.n * city.cell
    mid, east = x0 + size / 2, x0 + size
    start = T0.replace(hour=9, minute=0, second=0)

    def line(x: float) -> str:
        return f"SRID={srid};MULTILINESTRING(({x} {y0},{x} {y0 + size}))"

    def fixes(code: str, x: float, length: float) -> list[dict[str, Any]]:
        return [
            {"collector_code": code, "device_id": f"dev-{code[1:]}",
             "fix_time": start + timedelta(seconds=10 * k), "accuracy_m": 5.0,
             "geom": f"SRID={srid};POINT({x + 3} {y0 + 10 * k})"}
            for k in range(int(length // 10) + 1)
        ]  # fmt: skip

    s = ws.schema
    with ws.begin() as conn:
        conn.execute(
            insert(s.patrol_routes),
            [{"collector_code": "C01", "resp_grid_code": "R01", "geom": line(mid)},
             {"collector_code": "C02", "resp_grid_code": "R02", "geom": line(east)}],
        )  # fmt: skip
        conn.execute(insert(s.track_points), fixes("C01", mid, size / 2) + fixes("C02", east, size))
    return {"week": str(IsoWeek.of(T0.date()))}


def prepare(spec: str, folder: Path, central: Any) -> dict[str, Any]:
    """Create and fill the workspace ``spec``; returns the scenario configuration's data
    part (what to do where) with the expectations the pytest side checks afterwards."""
    upgrade(spec)
    ws = Workspace.open(spec)
    try:
        city = seed_city(ws, n=N, cell=CELL, road_every=2, components=12, seed=7)
        weekly = _patrol_day(ws, city)
        # table names are data (the user finds them in the database), column titles are not
        tables = [t.split(".")[-1] for t in ws.schema.metadata.tables]
        tables.append(get_template("construction_zones").table)
    finally:
        ws.close()
    filler, _truth = make_submissions(city, 2, seed=3, match_share=0.0)
    _publish(central, filler, 0)
    source = _pull_once_with_the_cli(spec, central.url)

    batch = _survey_batch(city, folder)
    others = [c for c in city.components if list(_grid_of(city, c["x"], c["y"])) != batch["cell"]]
    target = _isolated(city, others)
    update = _record(
        city, 3, target["x"] + 1.5, target["y"] + 1.0, "component", target["class_code"], "破损"
    )
    new_x, new_y = _centre(city, 3, 3)
    new = _record(city, 4, new_x, new_y, "component", "0103", "完好")
    reject = _record(city, 5, *_centre(city, 0, 2), "event", "0102", "完好")
    _publish(central, [update, new, reject], 3)

    near = [
        c
        for c in city.components
        if c is not target
        and _grid_of(city, c["x"], c["y"])[0] <= 1
        and _grid_of(city, c["x"], c["y"])[1] <= 1
    ]
    tasks = _cases_batch(city, folder, _isolated(city, near or others))
    _import_cases_with_the_cli(spec, tasks["csv"])
    tasks.update(
        url=central.url, project=PROJECT, dataset="citymgmt_tasks", account="ODK Central 审核账号"
    )

    sw_x, sw_y = _centre(city, 0, 0)
    sw = (sw_x, sw_y)  # the grid's centre, where its code is labelled: the code makes way
    x1, y1 = city.x0 + city.size, city.y0 + city.size
    ring_x, ring_y = city.x0 + 300, city.y0 + 50
    return {
        "srid": city.srid,
        "city": [city.x0, city.y0, x1, y1],
        "census": {
            "class": "0101",
            "point": list(sw),
            "dept_code": "001",
            "dept_name": "市水务局",
            "status": "破损",
            "note": "盖板破裂",
            "retired_status": "移除",
            "retire_reason": "道路改造拆除",
        },
        "review": {
            "source": source,
            "email": EMAIL,
            "pulled": [update["instance_id"], new["instance_id"], reject["instance_id"]],
            "update": update["instance_id"],
            "update_component": target["identifier"],
            "new": new["instance_id"],
            "new_point": [new_x, new_y],
            "reject": reject["instance_id"],
            "reject_reason": "照片与位置不符",
        },
        "reconcile": batch,
        "tasks": tasks,
        "thematic": {
            "template": "construction_zones",
            "name": "人民路管线施工",
            "ring": [
                [ring_x, ring_y],
                [ring_x + 150, ring_y],
                [ring_x + 150, ring_y + 150],
                [ring_x, ring_y + 150],
            ],
        },
        "weekly": {**weekly, "folder": str(folder / "reports")},
        "data_words": [
            FORM,
            getpass.getuser(),
            *_login_names(spec),
            *tables,
            "citymgmt_tasks",
            *tasks["cases"],
            tasks["component"],
        ],
    }
