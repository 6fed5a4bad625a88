"""Lost or doubled work (issue #12, found item 7), each finding on both backends where it
applies: an edit after acceptance, an edit of a quarantined submission, edited photos,
"update existing" on a component someone changed, and an inbox row committed late.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, select, text

from citymgmt_plugin.core import census
from citymgmt_plugin.core.submissions import ingest, review
from citymgmt_plugin.core.submissions.sources.inbox import InboxSource
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from citymgmt_plugin.core.submissions.states import reason_codes
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import make_jpeg, make_submissions, odata_row, seed_city

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
FORM = "city_report"


@pytest.fixture
def central():
    with CentralServer() as srv:
        yield srv


def _setup(ws, central, n=6, broken=()):
    city = seed_city(ws)
    recs, truth = make_submissions(city, n, broken=broken, match_share=0.0)
    for i, r in enumerate(recs):
        central.central.add(
            7, FORM, odata_row(r, T0 + timedelta(minutes=8 * i + 5)), {r["photos"]: r["_photo"]}
        )
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
    return city, recs, truth, OdkSource(client, 7, FORM, page_size=10)


def _row(ws, iid):
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        return c.execute(select(s).where(s.c.instance_id == iid)).one()


def _count(ws, table):
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(table)).scalar()


def _item(ws, iid):
    return next(i for i in review.queue(ws) if i.instance_id == iid)


def test_edit_after_acceptance_keeps_the_decision_and_makes_no_second_component(workspace, central):
    ws = workspace
    _city, recs, _truth, source = _setup(ws, central)
    ingest(ws, source)
    iid = next(r["instance_id"] for r in recs if r["kind"] == "component")
    item = _item(ws, iid)
    out = review.decide(ws, review.Decision(item.id, item.row_version, "accept_new"), "li")
    decided = _row(ws, iid)
    components = _count(ws, ws.schema.components)
    # the collector edits the submission on the server after the acceptance
    central.central.edit(7, FORM, iid, {"report/description": "井盖已更换"})
    report = ingest(ws, source)
    row = _row(ws, iid)
    assert row.state == "accepted"  # not reopened
    assert (row.decided_by, row.decided_at) == (decided.decided_by, decided.decided_at)
    # a second accept is refused: the submission was decided, nothing is doubled
    again = _item(ws, iid)
    with pytest.raises(review.AlreadyDecided):
        review.decide(ws, review.Decision(again.id, again.row_version, "accept_new"), "wang")
    assert _count(ws, ws.schema.components) == components
    assert report.edited == 1 and report.edited_after_decision == 1
    assert row.late_edit_at is not None and row.description == "井盖已更换"  # kept, flagged
    assert row.row_version == item.row_version + 2  # the decision, then the edit
    flagged = review.queue(ws, review.QueueFilter(late_edits=True))
    assert [i.instance_id for i in flagged] == [iid]
    rd = ws.schema.review_decisions
    with ws.engine.connect() as c:
        decisions = c.execute(select(rd.c.component_id).where(rd.c.submission_id == item.id)).all()
    assert decisions == [(out.component_id,)]
    # the earlier version stays; the reviewer marks the edit as seen
    v = ws.schema.submission_versions
    with ws.engine.connect() as c:
        old = c.execute(select(v.c.payload).where(v.c.submission_id == item.id)).scalar_one()
    assert old["report"]["description"] != "井盖已更换"
    done, refused = review.acknowledge_late_edits(ws, [review.Pick(again.id, again.row_version)])
    assert (done, refused) == (1, [])
    assert _row(ws, iid).late_edit_at is None and _row(ws, iid).state == "accepted"


def test_edit_of_a_quarantined_submission_is_judged_again_with_its_photos(workspace, central):
    ws = workspace
    _city, recs, truth, source = _setup(ws, central, broken=("unreadable_photo",))
    ingest(ws, source)
    (iid,) = truth["unreadable_photo"]
    name = next(r["photos"] for r in recs if r["instance_id"] == iid)
    assert reason_codes(_row(ws, iid).quarantine_reason) == {"unreadable_photo"}
    # an edit that fixes nothing about the photo (same content, same ETag on the server)
    central.central.edit(7, FORM, iid, {"report/description": "补充说明"})
    report = ingest(ws, source)
    assert report.edited == 1
    row = _row(ws, iid)
    assert row.state == "quarantined" and row.description == "补充说明"
    assert reason_codes(row.quarantine_reason) == {"unreadable_photo"}
    gets = [p for _, p, st in central.central.log if p.endswith("/" + name) and st == 200]
    assert len(gets) == 2  # downloaded again in full, not taken as unchanged by its ETag


def test_an_edited_photo_keeps_the_old_one_as_a_version(workspace, central):
    ws = workspace
    _city, recs, _truth, source = _setup(ws, central)
    ingest(ws, source)
    rec = recs[1]
    iid, name = rec["instance_id"], rec["photos"]
    first = central.central.attachments[(iid, name)]
    lon, lat = rec["lon"], rec["lat"]
    second = make_jpeg(lon, lat, T0 + timedelta(hours=1, minutes=8), seed=99)
    central.central.attachments[(iid, name)] = second
    central.central.edit(7, FORM, iid, {"report/description": "换了一张照片"})
    report = ingest(ws, source)
    assert report.edited == 1 and report.photos_downloaded == 1
    sid = _row(ws, iid).id
    (current,) = review.photos(ws, sid)
    assert current.content == second
    av = ws.schema.submission_attachment_versions
    with ws.engine.connect() as c:  # the old photo is kept
        kept = c.execute(select(av.c.content).where(av.c.submission_id == sid)).scalars().all()
    assert [bytes(k) for k in kept] == [first]
    (replaced,) = review.photos(ws, sid, replaced=True)
    assert replaced.content == first
    av = ws.schema.submission_attachment_versions
    with ws.engine.connect() as c:
        version = c.execute(select(av.c.server_version).where(av.c.submission_id == sid)).scalar()
    assert version == iid  # the submission version the old photo belonged to
    # an edit that leaves the photo as it is keeps no further version
    central.central.edit(7, FORM, iid, {"report/description": "再改一次"})
    ingest(ws, source)
    assert len(review.photos(ws, sid, replaced=True)) == 1


def test_update_existing_refuses_a_component_changed_since_it_was_loaded(workspace, central):
    ws = workspace
    city, _recs, _truth, _source = _setup(ws, central, n=0)
    comp = city.components[0]
    src_recs, _ = make_submissions(city, 1, match_share=1.0, seed=5)
    src_recs[0].update(category_code=comp["class_code"], kind="component", status="破损")
    lon, lat = city.to_wgs84(comp["x"] + 1.0, comp["y"])
    src_recs[0].update(lon=round(lon, 7), lat=round(lat, 7))
    central.central.add(7, "upd", odata_row(src_recs[0], T0), {})
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
    ingest(ws, OdkSource(client, 7, "upd", photos=False))
    item = _item(ws, src_recs[0]["instance_id"])
    (match, *_) = review.candidates(ws, item.id)
    assert match.component_id == comp["id"]
    # meanwhile an editor changes the component in the census dock
    with census.write_transaction(ws) as conn:
        census.update_component(conn, ws, comp["id"], {"note": "刚巡查过"}, "editor")
    decisions, _ = review.batch_decisions(
        ws, [review.Pick(item.id, item.row_version)], "update_existing", chosen=match
    )
    with pytest.raises(review.ReviewError, match="changed by editor"):
        review.decide(ws, decisions[0], "li")
    assert _row(ws, item.instance_id).state == "pending"  # nothing decided
    with ws.engine.connect() as conn:
        assert census.get_component(conn, ws, comp["id"]).attributes["status"] == "完好"
    # reloaded, the decision goes through
    (match,) = [m for m in review.candidates(ws, item.id) if m.component_id == comp["id"]]
    decisions, _ = review.batch_decisions(
        ws, [review.Pick(item.id, item.row_version)], "update_existing", chosen=match
    )
    assert review.decide(ws, decisions[0], "li").component_id == comp["id"]


def test_inbox_row_committed_late_is_not_skipped(pg_workspace, pg_url):
    ws = pg_workspace
    schema = ws.spec.schema
    table = f'"{schema}".late_inbox'
    with ws.begin() as c:
        c.execute(
            text(
                f"CREATE TABLE {table} (id text PRIMARY KEY, updated_at timestamptz NOT NULL "
                "DEFAULT clock_timestamp(), category_code text, kind text, lon float8, "
                "lat float8)"
            )
        )
        c.execute(text(f"INSERT INTO {table} (id) VALUES ('A')"))
    other = create_engine(pg_url)
    late = other.connect()
    tx = late.begin()  # a writer whose transaction stays open: its row is stamped now ...
    late.execute(text(f"INSERT INTO {table} (id, updated_at) VALUES ('L', now())"))
    with ws.begin() as c:  # ... and a row written after it commits first
        c.execute(text(f"INSERT INTO {table} (id) VALUES ('B')"))
    first = ingest(ws, InboxSource(ws.engine, f"{schema}.late_inbox", page_size=1))
    assert first.inserted == 2  # A and B; L is not visible yet
    tx.commit()  # L commits now, with a change time before B's
    late.close()
    other.dispose()
    second = ingest(ws, InboxSource(ws.engine, f"{schema}.late_inbox", page_size=1))
    assert second.inserted == 1
    assert _row(ws, "L").state in ("pending", "quarantined")
    third = ingest(ws, InboxSource(ws.engine, f"{schema}.late_inbox", page_size=1))
    assert third.inserted == 0 and third.edited == 0
    assert _count(ws, ws.schema.submissions) == 3


def test_inbox_late_row_of_a_writer_still_open_across_two_pulls(pg_workspace, pg_url):
    """A writer open across two pulls: its row is read by the pull after it commits."""
    ws = pg_workspace
    schema = ws.spec.schema
    table = f'"{schema}".slow_inbox'
    with ws.begin() as c:
        c.execute(text(f"CREATE TABLE {table} (id text PRIMARY KEY, updated_at timestamptz)"))
    other = create_engine(pg_url)
    late = other.connect()
    tx = late.begin()
    late.execute(text(f"INSERT INTO {table} VALUES ('L', now())"))
    for k in range(2):  # two pulls while L is open, each after a new committed row
        with ws.begin() as c:
            c.execute(text(f"INSERT INTO {table} VALUES (:i, clock_timestamp())"), {"i": f"N{k}"})
        assert ingest(ws, InboxSource(ws.engine, f"{schema}.slow_inbox")).inserted == 1
    tx.commit()
    late.close()
    other.dispose()
    assert ingest(ws, InboxSource(ws.engine, f"{schema}.slow_inbox")).inserted == 1
    assert _count(ws, ws.schema.submissions) == 3
