"""Case loop benchmark (not collected by pytest).

    CITYMGMT_TEST_PG=postgresql+psycopg2://… python tests/bench/bench_cases.py [--n 100000]

1. import N cases (a platform's CSV: four channels, WGS84 / GCJ-02 / BD-09 / CGCS2000
   positions, Chinese headers) into PostGIS: target <= 30 s for 100,000; then the same file
   again (nothing changes);
2. make 5,000 核实 tasks and push them to the local ODK Central (bulk create, 500 an
   request): target <= 30 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # a script, not the plugin: run from a checkout

import numpy as np  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from citymgmt_plugin.core.cases.batch import import_cases  # noqa: E402
from citymgmt_plugin.core.cases.codes import TaskKind  # noqa: E402
from citymgmt_plugin.core.cases.entities import EntityClient  # noqa: E402
from citymgmt_plugin.core.cases.sources import mapping_store  # noqa: E402
from citymgmt_plugin.core.cases.sync import Target, push_tasks  # noqa: E402
from citymgmt_plugin.core.cases.tasks import TaskPlan, create_tasks  # noqa: E402
from citymgmt_plugin.core.chinacrs import wgs84_to_bd09, wgs84_to_gcj02  # noqa: E402
from citymgmt_plugin.core.workspace.store import Workspace, upgrade  # noqa: E402
from tests.fixtures.cases_data import HEADER  # noqa: E402
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer  # noqa: E402
from tests.fixtures.synthetic_submissions import seed_city  # noqa: E402

CHANNELS = ("公众举报", "12345热线", "视频监控", "领导交办")
SYSTEMS = ("WGS84", "GCJ02", "BD09", "CGCS2000")
CLASSES = ("0102", "0103", "0104", "0201", "0304", "0406", "0504", "0505")


def write_batch(path: Path, city, n: int, seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    x = city.x0 + rng.uniform(5, city.size - 5, n)
    y = city.y0 + rng.uniform(5, city.size - 5, n)
    from citymgmt_plugin.core.cases.positions import transform_xy

    lon, lat = transform_xy(x, y, f"EPSG:{city.srid}", "EPSG:4326")
    channel = rng.integers(0, 4, n)
    gcj = wgs84_to_gcj02(lon, lat)
    bd = wgs84_to_bd09(lon, lat)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            k = int(channel[i])
            px, py = (
                (lon[i], lat[i]),
                (gcj[0][i], gcj[1][i]),
                (bd[0][i], bd[1][i]),
                (lon[i], lat[i]),
            )[k]
            w.writerow(
                [
                    f"AJ2026{i:08d}",
                    CHANNELS[k],
                    "事件",
                    CLASSES[i % len(CLASSES)],
                    "问题描述",
                    f"平江路{i % 300}号",
                    "上报",
                    "2026-11-02 09:15",
                    "2026-11-03 09:15",
                    f"{px:.7f}",
                    f"{py:.7f}",
                    SYSTEMS[k],
                ]
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=5_000)
    args = parser.parse_args()
    pg = os.environ["CITYMGMT_TEST_PG"]
    schema = "bench_" + uuid.uuid4().hex[:8]
    spec = f"{pg}?schema={schema}"
    upgrade(spec)
    ws = Workspace.open(spec)
    ok = True
    try:
        city = seed_city(ws, n=30, cell=300.0, road_every=3, components=50)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cases.csv"
            write_batch(path, city, args.n)
            store = mapping_store(Path(tmp) / "m.json")
            t = time.perf_counter()
            report = import_cases(ws, str(path), store=store)
            first = time.perf_counter() - t
            t = time.perf_counter()
            again = import_cases(ws, str(path), store=store)
            second = time.perf_counter() - t
        print(
            f"import {args.n:,} cases into PostGIS: {first:.1f} s "
            f"({report.inserted:,} new, {len(report.failures)} refused)  target <= 30 s"
        )
        print(
            f"the same file again: {second:.1f} s ({again.unchanged:,} unchanged, "
            f"{again.inserted + again.updated} changed)"
        )
        ok &= first <= 30 and report.inserted == args.n and again.unchanged == args.n
        ok &= push_bench(ws, args.tasks)
    finally:
        ws.close()
        engine = create_engine(pg)
        with engine.begin() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
    return 0 if ok else 1


def push_bench(ws: Workspace, n: int) -> bool:
    c = ws.schema.cases
    with ws.engine.connect() as conn:
        ids = conn.execute(select(c.c.id).order_by(c.c.id).limit(n)).scalars().all()
    t = time.perf_counter()
    made = create_tasks(ws, TaskPlan(TaskKind.VERIFY), list(ids))
    made_s = time.perf_counter() - t
    with CentralServer() as srv:
        srv.central.add_project(1)
        target = Target(EntityClient(srv.url, EMAIL, PASSWORD), 1, "citymgmt_tasks")
        t = time.perf_counter()
        report = push_tasks(ws, target)
        push_s = time.perf_counter() - t
        live = len(srv.central.entities.dataset(1, "citymgmt_tasks").live())
        bulk = sum(1 for w in srv.central.entities.writes if w[1] == "bulk")
    t = ws.schema.tasks
    with ws.engine.connect() as conn:
        open_ = conn.execute(
            select(func.count()).select_from(t).where(t.c.entity_sync == "open")
        ).scalar()
    print(f"create {len(made.created):,} tasks: {made_s:.1f} s")
    print(
        f"push {report.created:,} tasks to the local ODK Central: {push_s:.1f} s "
        f"({bulk} bulk requests, {live:,} entities on the server, {open_:,} marked)  "
        "target <= 30 s"
    )
    return push_s <= 30 and live == n and open_ == n


if __name__ == "__main__":
    sys.exit(main())
