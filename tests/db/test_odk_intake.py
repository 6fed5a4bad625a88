"""ODK Central intake and write-back against a real local HTTP server (tests/fixtures/)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import IngestError, ingest, load_cursor, review
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkError, OdkSource
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import make_submissions, odata_row, seed_city

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def central():
    with CentralServer() as srv:
        yield srv


@pytest.fixture
def setup(gpkg_workspace, central):
    ws = gpkg_workspace
    city = seed_city(ws)
    recs, truth = make_submissions(city, 25, broken=("unknown_category",))
    for i, r in enumerate(recs):
        central.central.add(
            7,
            "city_report",
            odata_row(r, T0 + timedelta(minutes=8 * i + 5)),
            {r["photos"]: r["_photo"]},
        )
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=2, backoff=0.01)
    return ws, city, recs, truth, OdkSource(client, 7, "city_report", page_size=10)


def _count(ws):
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(ws.schema.submissions)).scalar()


def _page_gets(central):
    return [p for m, p, st in central.central.log if "Submissions" in p]


def test_paged_pull_keeps_system_fields_and_downloads_photos_once(setup, central):
    ws, _city, _recs, truth, source = setup
    report = ingest(ws, source)
    assert report.pages == 3 and report.inserted == 26 and report.photos_downloaded == 26
    assert report.reasons == {"unknown_category": 1}
    gets = _page_gets(central)
    assert "%24skiptoken=01" in gets[1] and "%24skiptoken=01" in gets[2]
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        row = c.execute(select(s).where(s.c.instance_id == truth["good"][0])).one()
    assert row.source == f"odk:{central.url.split('//')[1]}/7/city_report"
    assert row.payload["__system"]["submitterName"] == row.collector_code
    assert row.payload["__system"]["formVersion"] == "2026030201"
    assert row.device_id and row.grid_code and row.raw_crs == "WGS84"
    assert row.received_at.tzinfo is not None and row.observed_at < row.received_at
    # incremental: the next pull filters on __system dates and stores nothing
    before = len(central.central.log)
    again = ingest(ws, source)
    assert again.inserted == 0 and again.edited == 0 and again.photos_downloaded == 0
    new_gets = [p for _, p, _ in central.central.log[before:] if "Submissions" in p]
    assert all("updatedAt+ge" in p for p in new_gets)
    assert not [p for _, p, _ in central.central.log[before:] if "/attachments/" in p]
    assert _count(ws) == 26


def test_edit_on_server_updates_row_keeps_previous_and_revalidates_photo(setup, central):
    ws, _city, _recs, truth, source = setup
    ingest(ws, source)
    iid = truth["good"][3]
    central.central.edit(7, "city_report", iid, {"report/description": "已修复"})
    report = ingest(ws, source)
    assert report.edited == 1 and report.inserted == 0
    assert report.photos_unchanged == 1 and report.photos_downloaded == 0  # ETag -> 304
    assert any(st == 304 for _, p, st in central.central.log if "/attachments/" in p)
    s, v = ws.schema.submissions, ws.schema.submission_versions
    with ws.engine.connect() as c:
        row = c.execute(select(s).where(s.c.instance_id == iid)).one()
        old = c.execute(select(v).where(v.c.submission_id == row.id)).one()
    assert row.description == "已修复" and row.row_version == 2
    assert old.server_version == iid and old.payload["report"]["description"] != "已修复"
    assert row.payload["__system"]["reviewState"] == "edited"


@pytest.mark.parametrize("mode", ["500", "drop"])
def test_failure_mid_pull_retries_then_resumes_without_storing_twice(setup, central, mode):
    ws, _city, recs, _truth, source = setup
    central.central.fail(page=2, mode=mode, times=1)  # one failure: the retry gets it
    ingest(ws, source)
    assert _count(ws) == 26
    # a second source on a fresh form: the fault outlasts the retries
    for i, r in enumerate(recs):
        central.central.add(7, "other", odata_row(r, T0 + timedelta(minutes=i)), {})
    other = OdkSource(source.client, 7, "other", page_size=10, photos=False)
    central.central.fail(page=3, mode=mode, times=10)
    with pytest.raises(IngestError) as err:
        ingest(ws, other)
    assert err.value.report.inserted == 20  # two pages stored
    cursor = load_cursor(ws, other.key)
    assert "skiptoken" in cursor["next"]
    central.central.faults.clear()
    before = len(central.central.log)
    report = ingest(ws, other)
    assert report.resumed and report.inserted == 6 and report.unchanged == 0
    first = next(p for _, p, _ in central.central.log[before:] if "Submissions" in p)
    assert "skiptoken" in first  # resumed at page 3, pages 1-2 not fetched again
    assert _count(ws) == 52


def test_login_is_required_and_bad_password_refused(central):
    with pytest.raises(OdkError):
        OdkClient(central.url, EMAIL, "wrong", retries=0).login()


def test_review_decision_written_back_with_comment(setup, central):
    ws, _city, _recs, truth, source = setup
    ingest(ws, source)
    items = {i.instance_id: i for i in review.queue(ws)}
    writer = {source.key: source}.get
    bad = items[truth["unknown_category"][0]]
    out = review.decide(
        ws, review.Decision(bad.id, bad.row_version, "reject", "类别代码不存在"), "wang", writer
    )
    assert out.written_back
    good = items[truth["good"][0]]
    out2 = review.decide(
        ws, review.Decision(good.id, good.row_version, "has_issues", "照片模糊"), "wang", writer
    )
    assert out2.written_back
    c = central.central
    assert (bad.instance_id, "rejected") in c.review_log
    assert (good.instance_id, "hasIssues") in c.review_log
    assert c.comments[bad.instance_id][0]["body"] == "类别代码不存在"
    row = c.submissions[("7", "city_report")][good.instance_id]
    assert row["__system"]["reviewState"] == "hasIssues"
    # a review-state change is not an edit: the next pull stores no new version
    report = ingest(ws, source)
    assert report.edited == 0


def test_failed_write_back_is_kept_and_retried(setup, central):
    ws, _city, _recs, truth, source = setup
    ingest(ws, source)
    item = next(i for i in review.queue(ws) if i.instance_id == truth["good"][1])

    class Down:
        def write_review(self, *a):
            raise OdkError("down")

    out = review.decide(
        ws,
        review.Decision(item.id, item.row_version, "reject", "重复上报"),
        "li",
        lambda key: Down(),
    )
    assert not out.written_back and out.write_back_error
    assert review.write_back_pending(ws, {source.key: source}.get) == (1, 0)
    assert (item.instance_id, "rejected") in central.central.review_log
