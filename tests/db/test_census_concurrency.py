"""Several processes save components of one county and class at once on real PostGIS:
identifiers never repeat and the serials have no gaps (rolled-back saves give theirs back)."""

from __future__ import annotations

import multiprocessing as mp

from shapely.geometry import Point
from sqlalchemy import select

WORKERS = 4
PER_WORKER = 25


def _worker(spec: str, worker: int, barrier, out) -> None:
    from citymgmt_plugin.core import census
    from citymgmt_plugin.core.census import ComponentDraft
    from citymgmt_plugin.core.workspace.store import Workspace

    ws = Workspace.open(spec)
    made, rolled_back = [], 0
    barrier.wait()
    for i in range(PER_WORKER):
        d = ComponentDraft(
            class_code="0101",
            geom=Point(500000 + 5 + worker * 20 + (i % 10), 3500000 + 5 + i * 3),
            name="上水井盖",
            dept_code="001",
            dept_name="市水务局",
        )
        try:
            with census.write_transaction(ws) as c:
                ref = census.create_component(c, ws, d, f"editor{worker}")
                if i % 7 == 3:  # the editor cancels: the serial must come back
                    raise KeyboardInterrupt
            made.append(ref.identifier)
        except KeyboardInterrupt:
            rolled_back += 1
    ws.close()
    out.put((worker, made, rolled_back))


def test_parallel_allocation_has_no_duplicates_or_gaps(pg_workspace):
    from citymgmt_plugin.demo.lattice import seed_lattice

    ws = pg_workspace
    seed_lattice(ws, communities=1, nx=1, ny=1)
    spec = f"{ws.spec.url}?schema={ws.spec.schema}"
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(spec, w, barrier, out)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    made = [i for _, ids, _ in results for i in ids]
    rolled = sum(r for _, _, r in results)
    assert rolled == WORKERS * len([i for i in range(PER_WORKER) if i % 7 == 3])
    assert len(made) == len(set(made)) == WORKERS * PER_WORKER - rolled
    with ws.begin() as c:
        stored = c.execute(select(ws.schema.components.c.identifier)).scalars().all()
        counter = c.execute(select(ws.schema.identifier_counters.c.next_serial)).scalar()
    assert sorted(stored) == sorted(made)
    serials = sorted(int(i[-6:]) for i in stored)
    assert serials == list(range(1, len(made) + 1))  # no gaps at all
    assert counter == len(made) + 1
