"""One way through for a submission, on both backends: duplicate links judged and stored at
ingest (a late arrival relinks what was stored), the batch candidate rule, the write-back
outbox drained by the source, and migration 0002 on a workspace with data."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import ingest, review, save_source_config, writeback
from citymgmt_plugin.core.submissions.judge.duplicates import DuplicateRules
from citymgmt_plugin.core.submissions.pull import plan_pull, pull_sources
from citymgmt_plugin.core.submissions.sources.accounts import AccountBindings, workspace_identity
from citymgmt_plugin.core.submissions.sources.configs import OdkLogin, odk_config, source_key
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.submissions.states import ReviewDecision
from citymgmt_plugin.core.workspace.store import Workspace, current_revision, upgrade
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import (
    SHANGHAI,
    make_jpeg,
    make_submissions,
    odata_row,
    seed_city,
    write_device_export,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def _rec(city, iid, dx, dy, minutes, cat="0101"):
    lon, lat = city.to_wgs84(city.x0 + dx, city.y0 + dy)
    when = T0 + timedelta(minutes=minutes)
    return {
        "instance_id": iid,
        "lon": round(lon, 8),
        "lat": round(lat, 8),
        "crs": "WGS84",
        "kind": "component",
        "category_code": cat,
        "observed_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "collector_code": "C01",
        "device_id": "dev-01",
        "description": "测试",
        "photos": f"{iid}.jpg",
        "_photo": make_jpeg(lon, lat, when),
    }


def _ingest(ws, folder, recs, key):
    write_device_export(folder, recs)
    return ingest(ws, DeviceExportSource(folder, crs="WGS84", key=key))


def _stored_links(ws):
    lk, s = ws.schema.submission_links, ws.schema.submissions
    o = s.alias("o")
    with ws.engine.connect() as c:
        rows = c.execute(
            select(s.c.instance_id, o.c.instance_id, lk.c.distance_m, lk.c.minutes)
            .join(s, s.c.id == lk.c.submission_id)
            .join(o, o.c.id == lk.c.original_id)
        ).all()
    return {r[0]: (r[1], round(r[2]), round(r[3])) for r in rows}


def test_links_are_stored_at_ingest_and_a_late_arrival_relinks(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    base = (1500, 1500)  # in a block, far from every stored component

    def at(iid, ddx, minutes, **kw):
        return _rec(city, iid, base[0] + ddx, base[1], minutes, **kw)

    # B, then C 100 min after it (a repeat of B), and X of another class
    first = [at("B", 10, 100), at("C", 20, 200), at("X", 0, 105, cat="0103")]
    report = _ingest(ws, tmp_path / "one", first, "north")
    assert report.duplicates == 1
    assert _stored_links(ws) == {"C": ("B", 10, 100)}
    # A arrives late from another source: observed before B, 10 m from it. B repeats A now,
    # and C (beyond A's window) follows B to A.
    report = _ingest(ws, tmp_path / "two", [at("A", 0, 0)], "south")
    assert report.inserted == 1 and report.duplicates == 0
    assert _stored_links(ws) == {"B": ("A", 10, 100), "C": ("A", 20, 200)}
    ids = {i.instance_id: i.id for i in review.queue(ws)}
    links = review.duplicate_links(ws)
    assert {k: v.original_instance_id for k, v in links.items()} == {
        ids["B"]: "A",
        ids["C"]: "A",
    }
    # the queue reads the stored links; other thresholds are worked out afresh
    items = {i.instance_id: i for i in review.queue(ws)}
    assert items["C"].duplicate_of.original_id == ids["A"] and items["A"].duplicate_of is None
    narrow = review.duplicate_links(ws, rules=DuplicateRules(distance_m=15.0, window_h=2.0))
    assert {k: v.original_instance_id for k, v in narrow.items()} == {ids["B"]: "A", ids["C"]: "A"}
    # reading the same file again changes nothing
    again = _ingest(ws, tmp_path / "one", first, "north")
    assert again.unchanged == 3 and _stored_links(ws)["C"] == ("A", 20, 200)


def test_batch_decisions_name_each_ones_best_candidate(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    recs, truth = make_submissions(city, 12)
    write_device_export(tmp_path / "exp", recs)
    ingest(ws, DeviceExportSource(tmp_path / "exp"))
    items = {i.instance_id: i for i in review.queue(ws)}
    matched = [items[i] for i in truth["matches"][:2]]
    lonely = next(
        items[i]
        for i in truth["good"]
        if i not in truth["matches"] and not review.candidates(ws, items[i].id)
    )
    picks = [review.Pick(i.id, i.row_version) for i in (*matched, lonely)]
    decisions, skipped = review.batch_decisions(ws, picks, "update_existing", "核实")
    best = [review.candidates(ws, i.id)[0].component_id for i in matched]
    assert skipped == 1 and [d.component_id for d in decisions] == best
    assert [d.submission_id for d in decisions] == [i.id for i in matched]
    decisions, skipped = review.batch_decisions(ws, picks, "duplicate")
    assert skipped == 0 and [d.component_id for d in decisions] == [*best, None]
    # one submission: the reviewer's chosen candidate, whatever ranks first
    chosen = review.candidates(ws, matched[0].id)[-1]
    one, _ = review.batch_decisions(ws, picks[:1], "duplicate", chosen=chosen)
    assert one[0].component_id == chosen.component_id
    reject, skipped = review.batch_decisions(ws, picks, "reject", "不是部件")
    assert skipped == 0 and {d.component_id for d in reject} == {None}


@pytest.fixture
def central():
    with CentralServer() as srv:
        yield srv


def test_outbox_keeps_a_decision_until_the_source_drains_it(workspace, central):
    ws = workspace
    city = seed_city(ws)
    recs, _truth = make_submissions(city, 4)
    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    for i, r in enumerate(recs):
        central.central.add(7, "city_report", odata_row(r, t0 + timedelta(minutes=i)), {})
    config = odk_config(central.url, 7, "city_report")
    key = source_key(config)
    save_source_config(ws, key, config)
    bindings = AccountBindings(workspace_identity(ws.spec), settings=_Settings())
    bindings.bind(key, "acct001", central.url, allow_http=True)

    def resolve(_authcfg):
        return OdkLogin(EMAIL, PASSWORD)

    pull_sources(ws, plan_pull(ws, bindings, resolve), "wang")
    item = next(i for i in review.queue(ws) if i.source == key)
    # no account at hand: the decision stays, its outbox row waits
    out = review.decide(ws, review.Decision(item.id, item.row_version, "reject", "重复上报"))
    assert not out.written_back and out.write_back_error.startswith("No connection to odk:")
    assert writeback.pending_count(ws) == 1 and not central.central.review_log
    o = ws.schema.submission_outbox
    with ws.engine.connect() as c:
        row = c.execute(select(o)).one()
    assert (row.decision, row.comment, row.attempts, row.sent_at) == ("reject", "重复上报", 1, None)
    # the next pull of that source drains it with the same account
    outcome = pull_sources(ws, plan_pull(ws, bindings, resolve), "wang")
    assert outcome.written_back == {key: 1} and "1 earlier decisions written back" in (
        outcome.summary()
    )
    assert (item.instance_id, "rejected") in central.central.review_log
    assert central.central.comments[item.instance_id][0]["body"] == "重复上报"
    assert writeback.pending_count(ws) == 0
    rd = ws.schema.review_decisions
    with ws.engine.connect() as c:
        assert c.execute(select(rd.c.written_back)).scalar_one() is True


class _Settings:
    """QSettings stand-in: the binding stays in this test."""

    def __init__(self):
        self.values = {}

    def value(self, key, default=None):
        return self.values.get(key, default)

    def setValue(self, key, value):
        self.values[key] = value

    def remove(self, group):
        self.values = {k: v for k, v in self.values.items() if not k.startswith(group)}


class _Writer:
    def __init__(self):
        self.told = []

    def write_review(self, instance_id, decision, comment):
        self.told.append((instance_id, decision, comment))


def test_migration_0002_on_a_workspace_with_data(any_spec):
    assert upgrade(any_spec, revision="0001") == "0001"
    ws = Workspace.open(any_spec)
    s, rd = ws.schema.submissions, ws.schema.review_decisions
    t = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)

    def sub(iid, x, minutes, source="odk:central.example/7/f", state="pending", cat="0101"):
        return {
            "source": source,
            "instance_id": iid,
            "observed_at": t + timedelta(minutes=minutes),
            "received_at": t + timedelta(hours=5),
            "kind": "component",
            "category_code": cat,
            "state": state,
            "payload": {"id": iid},
            "geom": f"SRID=4549;POINT({500000 + x} 3500000)",
        }

    with ws.begin() as c:
        c.execute(
            s.insert(),
            [
                sub("A", 0, 0),
                sub("B", 12, 10, state="rejected"),
                sub("C", 5, 20),
                sub("D", 3, 15, cat="0103"),
                sub("E", 1, 30, source="device"),
            ],
        )
        ids = dict(c.execute(select(s.c.instance_id, s.c.id)).all())
        c.execute(
            rd.insert(),
            [
                {
                    "submission_id": ids["B"],
                    "decision": "reject",
                    "reason": "重复",
                    "reviewer": "li",
                    "decided_at": t + timedelta(hours=6),
                    "written_back": False,
                },
                {
                    "submission_id": ids["E"],
                    "decision": "reject",
                    "reason": "无",
                    "reviewer": "li",
                    "decided_at": t + timedelta(hours=6),
                    "written_back": False,
                },
            ],
        )
    ws.close()
    assert upgrade(any_spec, revision="0002") == "0002"  # this revision on data (0003 follows)
    ws = Workspace.open(any_spec)
    try:
        with ws.engine.connect() as c:
            assert current_revision(c) == "0002"
            outbox = c.execute(select(ws.schema.submission_outbox)).all()
        assert _stored_links(ws) == {"B": ("A", 12, 10), "C": ("A", 5, 20), "E": ("A", 1, 30)}
        # only the ODK decision waits to be written back (a device export is not told)
        assert [(r.instance_id, r.decision, r.comment) for r in outbox] == [("B", "reject", "重复")]
        assert review.pending_count(ws) == 1
        links = review.duplicate_links(ws)  # undecided ones only
        assert sorted(links) == [ids["C"], ids["E"]] and links[ids["C"]].original_state == "pending"

        def refuse(_source):
            raise RuntimeError("the account cannot be opened")

        assert review.write_back_pending(ws, refuse) == (0, 1)  # kept, with the reason
        with ws.engine.connect() as c:
            kept = c.execute(select(ws.schema.submission_outbox.c.last_error)).scalar_one()
        assert kept == "the account cannot be opened"
        writer = _Writer()
        assert review.write_back_pending(ws, {"odk:central.example/7/f": writer}.get) == (1, 0)
        assert writer.told == [("B", ReviewDecision.REJECT, "重复")]
        with ws.engine.connect() as c:
            told = c.execute(
                select(func.count()).select_from(rd).where(rd.c.written_back.is_(True))
            ).scalar()
        assert told == 1 and review.write_back_pending(ws, writer.told.append) == (0, 0)
    finally:
        ws.close()
