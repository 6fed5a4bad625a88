"""Row-level security benchmark (``make bench``; not collected by pytest).

    CITYMGMT_TEST_PG=postgresql+psycopg2://… python tests/bench/bench_security.py [--n 100000]

The review queue over N submissions (default 100,000, two districts) as real reviewer
logins, with the workspace's district policies on and off:

1. a reviewer for every district: the same query with RLS on / off (same rows);
2. a reviewer limited to district A: RLS on, against RLS off with the same district written
   into the query's filter (same rows).

Each is timed as the SQL alone (execute + fetch) and as ``review.queue`` (rows to objects),
median of 9 runs interleaved on/off. Target: RLS within 1.2x of the query without it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # a script, not the plugin: run from a checkout

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from citymgmt_plugin.core.submissions import review  # noqa: E402
from citymgmt_plugin.core.workspace.members import grant_role  # noqa: E402
from citymgmt_plugin.core.workspace.security import create_roles, role_names  # noqa: E402
from citymgmt_plugin.core.workspace.store import Workspace, upgrade  # noqa: E402

DISTRICTS = {
    "320508": ("320508001", "320508001001", 500000.0),
    "320505": ("320505002", "320505002003", 520000.0),
}
GRIDS_PER_DISTRICT = 100
RUNS = 9
TARGET = 1.2


def pg_url() -> str:
    url = os.environ.get("CITYMGMT_TEST_PG")
    if url:
        return url
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg_throwaway.sh")],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _square(x: float, y: float, size: float = 100.0) -> str:
    return (
        f"SRID=4549;MULTIPOLYGON((({x} {y},{x + size} {y},{x + size} {y + size},"
        f"{x} {y + size},{x} {y})))"
    )


def seed_grids(ws: Workspace) -> list[str]:
    """Two districts, each a street, a community and a row of unit grids in 2 resp. grids."""
    s = ws.schema
    codes = []
    with ws.begin() as c:
        for district, (street, community, x0) in DISTRICTS.items():
            whole = _square(x0, 3500000.0, 100.0 * GRIDS_PER_DISTRICT)
            c.execute(
                s.admin_units.insert(),
                [
                    {"level": "district", "code": district, "name": district, "geom": whole},
                    {"level": "street", "code": street, "name": street, "parent_code": district,
                     "geom": whole},
                    {"level": "community", "code": community, "name": community,
                     "parent_code": street, "geom": whole},
                ],
            )  # fmt: skip
            grids = [f"{community}{i + 1:03d}" for i in range(GRIDS_PER_DISTRICT)]
            c.execute(
                s.unit_grids.insert(),
                [
                    {"code": g, "community_code": community,
                     "geom": _square(x0 + 100.0 * i, 3500000.0)}
                    for i, g in enumerate(grids)
                ],
            )  # fmt: skip
            for half in (0, 1):
                resp = f"R{district}{half}"
                c.execute(s.resp_grids.insert().values(code=resp, name=resp, street_code=street))
                part = grids[half * GRIDS_PER_DISTRICT // 2 : (half + 1) * GRIDS_PER_DISTRICT // 2]
                c.execute(
                    s.resp_grid_units.insert(),
                    [{"resp_grid_code": resp, "unit_grid_code": g} for g in part],
                )
            codes += grids
    return codes


def seed_submissions(ws: Workspace, schema: str, grids: list[str], n: int) -> None:
    """``n`` submissions by COPY: 60 % pending, spread over a month and both districts."""
    rnd = random.Random(5)
    t0 = datetime(2026, 11, 1, tzinfo=timezone.utc)
    buf = io.StringIO()
    for i in range(n):
        g = grids[i % len(grids)]
        x0 = DISTRICTS[g[:6]][2] + 100.0 * (int(g[12:]) - 1)
        state = "pending" if rnd.random() < 0.6 else rnd.choice(["accepted", "rejected"])
        seen = t0 + timedelta(seconds=rnd.randrange(30 * 86400))
        buf.write(
            f"file:bench\tb{i}\tC{i % 70:02d}\t{seen.isoformat()}\t{seen.isoformat()}\t"
            f"component\t0101\t{g}\t{state}\t{{}}\t1\t"
            f"SRID=4549;POINT({x0 + rnd.uniform(1, 99):.2f} {3500000 + rnd.uniform(1, 99):.2f})\n"
        )
    buf.seek(0)
    raw = ws.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.copy_expert(
            f'COPY "{schema}".submissions (source, instance_id, collector_code, observed_at, '
            "received_at, kind, category_code, grid_code, state, payload, row_version, geom) "
            "FROM STDIN",
            buf,
        )
        cur.execute(f'ANALYZE "{schema}".submissions')
        raw.commit()
    finally:
        raw.close()


def _median(fn: Callable[[], object]) -> float:
    return statistics.median(_timed(fn) for _ in range(RUNS))


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _rls(ws: Workspace, schema: str, on: bool) -> None:
    with ws.begin() as c:
        c.execute(
            text(
                f'ALTER TABLE "{schema}".submissions '
                f"{'ENABLE' if on else 'DISABLE'} ROW LEVEL SECURITY"
            )
        )


def compare(owner: Workspace, ws: Workspace, schema: str, flt_off: review.QueueFilter) -> dict:
    """Median times (SQL alone and review.queue) with RLS on and off, interleaved."""
    flt_on = review.QueueFilter()

    def sql(flt: review.QueueFilter) -> Callable[[], int]:
        s = ws.schema.submissions
        q = review._where(ws, review._queue_select(ws), flt).order_by(s.c.observed_at, s.c.id)

        def run() -> int:
            with ws.engine.connect() as c:
                return len(c.execute(q).all())

        return run

    times: dict[str, list[float]] = {k: [] for k in ("sql_on", "sql_off", "q_on", "q_off")}
    rows = {}
    for _ in range(RUNS):
        for on in (True, False):
            _rls(owner, schema, on)
            flt = flt_on if on else flt_off
            key = "on" if on else "off"
            run = sql(flt)
            rows[key] = run()  # warm
            times[f"sql_{key}"].append(_timed(run))
            times[f"q_{key}"].append(_timed(lambda f=flt: review.queue(ws, f, duplicates=False)))
    _rls(owner, schema, True)
    assert rows["on"] == rows["off"], rows
    out = {k: statistics.median(v) for k, v in times.items()}
    out["rows"] = rows["on"]
    return out


def report(label: str, r: dict) -> bool:
    ok = True
    print(f"{label}: {r['rows']:,} rows")
    for what, on, off in (("SQL", r["sql_on"], r["sql_off"]), ("queue", r["q_on"], r["q_off"])):
        ratio = on / off
        ok &= ratio <= TARGET
        print(
            f"  {what:<6} RLS on {on * 1000:8.1f} ms   off {off * 1000:8.1f} ms   "
            f"ratio {ratio:.2f}  (target <= {TARGET})"
        )
    return ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    url = pg_url()
    schema = "bench_sec_" + uuid.uuid4().hex[:8]
    spec = f"{url}?schema={schema}"
    admin = create_engine(url)
    logins = {k: f"{schema}_login_{k}" for k in ("reviewer", "reviewer_a")}
    try:
        upgrade(spec)
        owner = Workspace.open(spec)
        grids = seed_grids(owner)
        t0 = time.perf_counter()
        seed_submissions(owner, schema, grids, args.n)
        print(f"built {args.n:,} submissions in {time.perf_counter() - t0:.1f} s")
        create_roles(owner)
        with admin.begin() as c:
            for login in logins.values():
                c.execute(text(f'CREATE ROLE "{login}" LOGIN'))
        grant_role(owner, logins["reviewer"], "reviewer")
        grant_role(owner, logins["reviewer_a"], "reviewer", ["320508"])

        def as_login(login: str) -> Workspace:
            u = make_url(url).set(username=login, password=None)
            return Workspace.open(f"{u.render_as_string(hide_password=False)}?schema={schema}")

        every = as_login(logins["reviewer"])
        limited = as_login(logins["reviewer_a"])
        ok = report(
            "reviewer for every district",
            compare(owner, every, schema, review.QueueFilter()),
        )
        ok &= report(
            "reviewer limited to district 320508 (off: the same district as a filter)",
            compare(owner, limited, schema, review.QueueFilter(grid="320508")),
        )
        for ws in (every, limited, owner):
            ws.close()
        return 0 if ok else 1
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            for role in [*logins.values(), *role_names(schema).values()]:
                if c.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
                ).first():
                    c.execute(text(f'DROP OWNED BY "{role}"'))
                    c.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
