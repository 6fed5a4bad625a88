"""Faults in the middle of the work, then a re-run: nothing lost, nothing twice.

- ``kill -9`` of a real process inside the transaction of an ingest page, a review
  decision and a census apply (tests/fixtures/crash_helper.py stops there, the test kills);
- ``pg_terminate_backend`` of the ingest's own connection in the middle of a page;
- HTTP 500, timeouts and dropped connections from the local ODK Central, for pages and
  photos, beyond the client's retries.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from shapely.geometry import Point
from sqlalchemy import create_engine, func, select, text

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census.batch_mapping import MappingStore
from citymgmt_plugin.core.census.importer import import_batch
from citymgmt_plugin.core.census.reconcile import reconcile
from citymgmt_plugin.core.census.reconcile_apply import apply_reconciliation
from citymgmt_plugin.core.submissions import IngestError, ingest, load_cursor, review, store_rows
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from citymgmt_plugin.demo.lattice import seed_lattice
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import make_submissions, odata_row, seed_city

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
FORM = "city_report"


@pytest.fixture
def central():
    with CentralServer() as srv:
        yield srv


def _load(ws, central, n=25):
    city = seed_city(ws)
    recs, _ = make_submissions(city, n, match_share=0.0)
    for i, r in enumerate(recs):
        central.central.add(
            7, FORM, odata_row(r, T0 + timedelta(minutes=i)), {r["photos"]: r["_photo"]}
        )
    return recs


def _count(ws, table, *where):
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _assert_all_once(ws, central):
    """Every server submission stored once, with its photo once; one page audit per page."""
    s, a = ws.schema.submissions, ws.schema.submission_attachments
    with ws.engine.connect() as c:
        ids = c.execute(select(s.c.instance_id)).scalars().all()
        photos = c.execute(select(a.c.submission_id, a.c.name)).all()
    server = set(central.central.submissions[("7", FORM)])
    assert sorted(ids) == sorted(server)
    assert len(photos) == len(set(photos)) == len(server)


def _kill_when_inside(args: list[str], marker: Path, timeout: float = 120) -> None:
    """Run the helper, wait until it is inside its transaction, then ``kill -9`` it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fixtures.crash_helper", *args, str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    end = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the helper ended early: {proc.communicate()}")
        if time.monotonic() > end:
            proc.kill()
            raise AssertionError("the helper never reached its stop")
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    proc.communicate()


def test_kill_9_mid_ingest_then_rerun(any_spec, workspace, central, tmp_path):
    ws = workspace
    _load(ws, central)
    source = OdkSource(OdkClient(central.url, EMAIL, PASSWORD), 7, FORM, page_size=10)
    args = ["ingest", any_spec, central.url, "7", FORM, "10", "3"]
    _kill_when_inside(args, tmp_path / "inside")
    # pages 1 and 2 were stored with their cursor; page 3 died with its transaction
    assert _count(ws, ws.schema.submissions) == 20
    assert "skiptoken" in load_cursor(ws, source.key)["next"]
    report = ingest(ws, source)
    assert report.resumed and report.inserted == 5 and report.unchanged == 0
    _assert_all_once(ws, central)


def test_pg_terminate_backend_mid_page_then_rerun(pg_workspace, pg_url, central, monkeypatch):
    ws = pg_workspace
    _load(ws, central)
    source = OdkSource(OdkClient(central.url, EMAIL, PASSWORD), 7, FORM, page_size=10)
    real = store_rows.insert
    calls = {"n": 0}
    admin = create_engine(pg_url)

    def insert(conn, *a, **kw):
        real(conn, *a, **kw)
        calls["n"] += 1
        if calls["n"] == 2:  # page 2, its rows written: the server ends the connection
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
            with admin.begin() as c:
                c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})

    monkeypatch.setattr(store_rows, "insert", insert)
    with pytest.raises(IngestError) as err:
        ingest(ws, source)
    admin.dispose()
    assert "database" in str(err.value).lower() and err.value.report.inserted == 10
    assert _count(ws, ws.schema.submissions) == 10
    monkeypatch.setattr(store_rows, "insert", real)
    report = ingest(ws, source)
    assert report.resumed and report.inserted == 15
    _assert_all_once(ws, central)


def test_kill_9_mid_decision_then_rerun(any_spec, workspace, central, tmp_path):
    ws = workspace
    recs = _load(ws, central, n=3)
    source = OdkSource(OdkClient(central.url, EMAIL, PASSWORD), 7, FORM)
    ingest(ws, source)
    comp = next(r for r in recs if r["kind"] == "component")
    item = next(i for i in review.queue(ws) if i.instance_id == comp["instance_id"])
    before = _count(ws, ws.schema.components)
    args = ["decide", any_spec, str(item.id), str(item.row_version)]
    _kill_when_inside(args, tmp_path / "inside")
    # nothing of the decision is left: no component, no decision, no outbox row
    assert _count(ws, ws.schema.components) == before
    assert _count(ws, ws.schema.review_decisions) == 0
    assert _count(ws, ws.schema.submission_outbox) == 0
    again = next(i for i in review.queue(ws) if i.id == item.id)
    assert (again.state, again.row_version) == ("pending", item.row_version)
    out = review.decide(
        ws, review.Decision(item.id, item.row_version, "accept_new"), "li", {source.key: source}.get
    )
    assert out.written_back
    assert _count(ws, ws.schema.components) == before + 1
    assert _count(ws, ws.schema.review_decisions) == 1
    assert central.central.review_log == [(item.instance_id, "approved")]  # told once


def _write_batch(path: Path, n: int) -> None:
    """``n`` new manhole covers on a lattice of free positions, in workspace metres."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["标识码", "类别代码", "X坐标", "Y坐标", "部件状态", "主管部门名称", "主管部门代码"]
        )
        for k in range(n):
            x, y = 500000.0 + 10 + 7 * (k % 50), 3500000.0 + 20 + 7 * (k // 50)
            w.writerow(["", "0101", f"{x:.2f}", f"{y:.2f}", "完好", "市水务局", "001"])


def test_kill_9_mid_census_apply_then_rerun(any_spec, workspace, tmp_path):
    ws = workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    with census.write_transaction(ws) as c:
        census.create_component(
            c,
            ws,
            census.ComponentDraft(
                "0101",
                Point(500390.0, 3500190.0),
                name="上水井盖",
                dept_code="001",
                dept_name="市水务局",
                initial_date=date(2024, 5, 1),
            ),
            "seed",
        )
    batch = tmp_path / "batch.csv"
    _write_batch(batch, 60)
    h = ws.schema.component_history
    before = (_count(ws, ws.schema.components), _count(ws, h))
    _kill_when_inside(["apply", any_spec, str(batch), "50"], tmp_path / "inside")
    assert (_count(ws, ws.schema.components), _count(ws, h)) == before  # all or nothing
    store = MappingStore(tmp_path / "maps.json")
    with ws.begin() as c:
        recon = reconcile(c, ws, import_batch(c, ws, batch, store=store))
    assert recon.counts().get("new") == 60
    with census.write_transaction(ws) as c:
        result = apply_reconciliation(c, ws, recon, "editor")
    assert result.created == 60
    assert _count(ws, ws.schema.components) == before[0] + 60
    # reconciled once more, the batch is stored: nothing new, nothing twice
    with ws.begin() as c:
        again = reconcile(c, ws, import_batch(c, ws, batch, store=store))
    assert not again.counts().get("new")


@pytest.mark.parametrize("mode", ["500", "drop", "timeout"])
def test_odk_faults_beyond_the_retries_then_rerun(workspace, central, mode):
    ws = workspace
    recs = _load(ws, central)
    central.central.stall_s = 1.0
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01, timeout=0.5)
    source = OdkSource(client, 7, FORM, page_size=10)
    central.central.fail(page=2, mode=mode, times=5)  # a page: more failures than retries
    with pytest.raises(IngestError) as err:
        ingest(ws, source)
    assert err.value.report.inserted == 10
    central.central.faults.clear()
    photo = recs[3]["photos"]  # a photo of the last page: its download fails the same way
    central.central.fail_attachment(photo, mode=mode, times=5)
    with pytest.raises(IngestError) as err:
        ingest(ws, source)
    assert err.value.report.inserted == 10  # page 2 stored, page 3 not: its photo failed
    central.central.attachment_faults.clear()
    report = ingest(ws, source)
    assert report.resumed and report.inserted == 5
    _assert_all_once(ws, central)
