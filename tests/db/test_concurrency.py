"""Two people (or a person and the pull) on the same row at the same time, really
overlapping: each side has its own workspace connection (its own application name), the
first holds its transaction open until the watcher (tests/fixtures/locks.py) has seen the
second wait for the row's lock in ``pg_stat_activity``; then the outcome is checked.

- reviewer vs reviewer: one decision, one component; the other is told it was decided;
- ingest vs reviewer: an edit arriving while the reviewer decides waits and is then kept as
  a new version with the decision (flagged); the reviewer deciding while a new version is
  being stored waits and is then told to reload;
- editor vs editor: census updates with ``expected_version``: the second is refused.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core import census
from citymgmt_plugin.core.submissions import ingest, review, store_rows
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from citymgmt_plugin.core.workspace.store import Workspace
from tests.fixtures.locks import LockWatch, tag
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import make_submissions, odata_row, seed_city

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
FORM = "city_report"


@pytest.fixture
def central():
    with CentralServer() as srv:
        yield srv


def _load(ws, central, n=4):
    city = seed_city(ws)
    recs, _ = make_submissions(city, n, match_share=0.0)
    for i, r in enumerate(recs):
        if r["kind"] != "component":
            r.update(kind="component", category_code="0101")
        central.central.add(7, FORM, odata_row(r, T0 + timedelta(minutes=i)), {})
    return city, recs


def _source(central):
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
    return OdkSource(client, 7, FORM, photos=False)


def _count(ws, table, *where):
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _row(ws, iid):
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        return c.execute(select(s).where(s.c.instance_id == iid)).one()


def _run(target, *args) -> threading.Thread:
    t = threading.Thread(target=target, args=args, daemon=True)
    t.start()
    return t


class Sides:
    """Results and errors of the threads, by side."""

    def __init__(self) -> None:
        self.out: dict[str, object] = {}
        self.errors: dict[str, BaseException] = {}

    def call(self, side: str, fn, *args, **kw) -> None:
        try:
            self.out[side] = fn(*args, **kw)
        except BaseException as exc:  # handed to the test's thread
            self.errors[side] = exc


def _hold_in(monkeypatch, owner, name, watch, sides_of):
    """Wrap ``owner.name``: the first caller holds its transaction open until the watcher
    has seen the other side wait for a lock (``sides_of``: this thread's side -> other)."""
    real = getattr(owner, name)
    held = threading.Event()

    def holding(*a, **kw):
        out = real(*a, **kw)
        if not held.is_set():
            held.set()
            watch.wait_for(sides_of[threading.current_thread().name])
        return out

    monkeypatch.setattr(owner, name, holding)
    return held


def _open(pg_spec, watch, side):
    ws = Workspace.open(pg_spec)
    tag(ws, watch.name(side))
    return ws


def test_reviewer_vs_reviewer_one_decision_one_component(
    pg_workspace, pg_spec, pg_url, central, monkeypatch
):
    ws = pg_workspace
    _city, recs = _load(ws, central)
    ingest(ws, _source(central))
    item = next(i for i in review.queue(ws) if i.instance_id == recs[0]["instance_id"])
    sides = Sides()
    with LockWatch(pg_url) as watch:
        wa, wb = _open(pg_spec, watch, "a"), _open(pg_spec, watch, "b")
        _hold_in(monkeypatch, census, "create_component", watch, {"a": "b", "b": "a"})
        start = threading.Barrier(2)

        def decide(side, w):
            start.wait()
            d = review.Decision(item.id, item.row_version, "accept_new")
            sides.call(side, review.decide, w, d, side)

        threads = [
            threading.Thread(target=decide, args=(s, w), name=s) for s, w in (("a", wa), ("b", wb))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        wa.close()
        wb.close()
    assert len(sides.out) == 1 and len(sides.errors) == 1, (sides.out, sides.errors)
    (winner,), (loser,) = sides.out, sides.errors
    assert isinstance(sides.errors[loser], review.AlreadyDecided)
    assert watch.blocked(loser, by=winner)
    assert _count(ws, ws.schema.components) == 40 + 1  # the city's, and one new
    rd = ws.schema.review_decisions
    assert _count(ws, rd, rd.c.submission_id == item.id) == 1
    row = _row(ws, item.instance_id)
    assert row.state == "accepted" and sides.errors[loser].by == row.decided_by
    assert sides.out[winner].component_id is not None


def test_an_edit_arriving_while_the_reviewer_decides_waits_and_keeps_the_decision(
    pg_workspace, pg_spec, pg_url, central, monkeypatch
):
    ws = pg_workspace
    _city, recs = _load(ws, central)
    ingest(ws, _source(central))
    iid = recs[1]["instance_id"]
    item = next(i for i in review.queue(ws) if i.instance_id == iid)
    central.central.edit(7, FORM, iid, {"report/description": "井盖已修好"})
    sides = Sides()
    with LockWatch(pg_url) as watch:
        wr, wi = _open(pg_spec, watch, "reviewer"), _open(pg_spec, watch, "intake")
        held = _hold_in(monkeypatch, census, "create_component", watch, {"reviewer": "intake"})
        d = review.Decision(item.id, item.row_version, "accept_new")
        tr = threading.Thread(
            target=sides.call, args=("reviewer", review.decide, wr, d, "li"), name="reviewer"
        )
        tr.start()
        assert held.wait(10)  # the reviewer's transaction has the row
        ti = threading.Thread(
            target=sides.call, args=("intake", ingest, wi, _source(central)), name="intake"
        )
        ti.start()
        tr.join(30)
        ti.join(30)
        wr.close()
        wi.close()
    assert not sides.errors, sides.errors
    row = _row(ws, iid)
    assert row.state == "accepted" and row.decided_at is not None  # the decision stays
    assert watch.blocked("intake", by="reviewer")
    report = sides.out["intake"]
    assert report.edited == 1 and report.edited_after_decision == 1
    assert row.decided_at < row.late_edit_at
    assert row.description == "井盖已修好" and row.late_edit_at is not None  # kept, flagged
    assert _count(ws, ws.schema.components) == 40 + 1
    v = ws.schema.submission_versions
    assert _count(ws, v, v.c.submission_id == item.id) == 1


def test_a_reviewer_deciding_while_a_new_version_is_stored_waits_and_is_told(
    pg_workspace, pg_spec, pg_url, central, monkeypatch
):
    ws = pg_workspace
    _city, recs = _load(ws, central)
    ingest(ws, _source(central))
    iid = recs[2]["instance_id"]
    item = next(i for i in review.queue(ws) if i.instance_id == iid)  # loaded before the edit
    central.central.edit(7, FORM, iid, {"report/description": "位置有误，已重新定位"})
    sides = Sides()
    with LockWatch(pg_url) as watch:
        wr, wi = _open(pg_spec, watch, "reviewer"), _open(pg_spec, watch, "intake")
        held = _hold_in(monkeypatch, store_rows, "edit", watch, {"intake": "reviewer"})
        ti = threading.Thread(
            target=sides.call, args=("intake", ingest, wi, _source(central)), name="intake"
        )
        ti.start()
        assert held.wait(10)  # the page's transaction has stored the new version
        d = review.Decision(item.id, item.row_version, "accept_new")
        tr = threading.Thread(
            target=sides.call, args=("reviewer", review.decide, wr, d, "li"), name="reviewer"
        )
        tr.start()
        ti.join(30)
        tr.join(30)
        wr.close()
        wi.close()
    assert watch.blocked("reviewer", by="intake")
    assert sides.out["intake"].edited == 1
    err = sides.errors["reviewer"]
    assert isinstance(err, review.AlreadyDecided) and "reload" in str(err)
    row = _row(ws, iid)
    assert row.state == "pending" and row.row_version == item.row_version + 1
    assert _count(ws, ws.schema.components) == 40  # nothing decided on the old version
    fresh = next(i for i in review.queue(ws) if i.instance_id == iid)
    out = review.decide(ws, review.Decision(fresh.id, fresh.row_version, "accept_new"), "li")
    assert out.component_id is not None


def test_editor_vs_editor_the_second_save_is_refused(pg_workspace, pg_spec, pg_url):
    ws = pg_workspace
    city = seed_city(ws)
    cid = city.components[0]["id"]
    with ws.engine.connect() as c:
        version = census.get_component(c, ws, cid).version
    sides = Sides()
    with LockWatch(pg_url) as watch:
        wa, wb = _open(pg_spec, watch, "a"), _open(pg_spec, watch, "b")
        held = threading.Event()

        def editor_a():
            with census.write_transaction(wa) as conn:
                census.update_component(
                    conn, wa, cid, {"note": "A 改的"}, "zhang", expected_version=version
                )
                held.set()
                watch.wait_for("b")  # B is waiting for the row while A has not saved yet

        def editor_b():
            held.wait(10)
            with census.write_transaction(wb) as conn:
                census.update_component(
                    conn, wb, cid, {"note": "B 改的"}, "wang", expected_version=version
                )

        ta = _run(sides.call, "a", editor_a)
        tb = _run(sides.call, "b", editor_b)
        ta.join(30)
        tb.join(30)
        wa.close()
        wb.close()
    assert "a" not in sides.errors, sides.errors
    err = sides.errors["b"]
    assert isinstance(err, census.VersionConflict) and err.current == version + 1
    assert "zhang" in str(err)  # who changed it, in the message
    assert watch.blocked("b", by="a")
    with ws.engine.connect() as c:
        comp = census.get_component(c, ws, cid)
    assert comp.attributes["note"] == "A 改的" and comp.version == version + 1


def test_reviewer_vs_reviewer_on_a_geopackage_queue_for_the_one_writer(
    gpkg_workspace, gpkg_spec, central, monkeypatch
):
    """A GeoPackage has one writer: the second decision waits for the first (timed) and is
    then told the submission was decided."""
    ws = gpkg_workspace
    _city, recs = _load(ws, central)
    ingest(ws, _source(central))
    item = next(i for i in review.queue(ws) if i.instance_id == recs[0]["instance_id"])
    real = census.create_component
    first = threading.Event()

    def slow(*a, **kw):
        out = real(*a, **kw)
        if not first.is_set():
            first.set()
            time.sleep(0.8)  # the write lock is held meanwhile
        return out

    monkeypatch.setattr(census, "create_component", slow)
    sides = Sides()
    wa, wb = Workspace.open(gpkg_spec), Workspace.open(gpkg_spec)
    took: dict[str, float] = {}

    def decide(side, w):
        if side == "b":
            first.wait(10)
        t = time.perf_counter()
        sides.call(
            side, review.decide, w, review.Decision(item.id, item.row_version, "accept_new"), side
        )
        took[side] = time.perf_counter() - t

    threads = [_run(decide, "a", wa), _run(decide, "b", wb)]
    for t in threads:
        t.join(30)
    wa.close()
    wb.close()
    assert set(sides.out) == {"a"} and isinstance(sides.errors["b"], review.AlreadyDecided)
    assert took["b"] > 0.5  # it waited for the writer
    assert _count(ws, ws.schema.components) == 40 + 1
