"""Concurrent photo downloads from ODK Central, against a real local server with latency.

The server (tests/fixtures/odk_server.py) adds a delay to every response in the connection's own
thread and counts the requests it handles at once, so overlap is observed, not assumed.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import IngestError, ingest, load_cursor
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import make_submissions, odata_row, seed_city

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
LATENCY = 0.05
FORM = "city_report"


@pytest.fixture
def central():
    with CentralServer(latency_s=LATENCY) as srv:
        yield srv


def _load(ws, central, n=25):
    """``n`` + 1 submissions with one photo each on the server; newest first = page order."""
    city = seed_city(ws)
    recs, truth = make_submissions(city, n, broken=("unknown_category",))
    for i, r in enumerate(recs):
        central.central.add(
            7, FORM, odata_row(r, T0 + timedelta(minutes=8 * i + 5)), {r["photos"]: r["_photo"]}
        )
    return recs, truth


def _source(central, workers=8, retries=2):
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=retries, backoff=0.01, workers=workers)
    return OdkSource(client, 7, FORM, page_size=10)


def _server_order(central):
    """Instance ids as the server pages them (newest first)."""
    return list(reversed(central.central.order[("7", FORM)]))


def _stored(ws):
    """(instance_id, attachment name, sha256) of every stored photo, in storage order."""
    s, a = ws.schema.submissions, ws.schema.submission_attachments
    with ws.engine.connect() as c:
        rows = c.execute(
            select(s.c.instance_id, a.c.name, a.c.sha256)
            .join(a, a.c.submission_id == s.c.id)
            .order_by(a.c.id)
        ).all()
        subs = c.execute(select(s.c.instance_id).order_by(s.c.id)).scalars().all()
    return subs, [tuple(r) for r in rows]


def _server_sha(central, iid, name):
    return hashlib.sha256(central.central.attachments[(iid, name)]).hexdigest()


def _assert_everything_once(ws, central):
    subs, photos = _stored(ws)
    assert subs == _server_order(central)  # all, once, in submission (page) order
    assert [p[0] for p in photos] == subs  # one photo each, stored in the same order
    for iid, name, sha in photos:
        assert sha == _server_sha(central, iid, name)


@pytest.mark.parametrize("workers", [1, 4])
def test_pool_overlaps_downloads_up_to_its_size_and_stores_in_order(
    gpkg_workspace, central, workers
):
    ws = gpkg_workspace
    _load(ws, central)
    source = _source(central, workers=workers)
    source.client.login()
    central.central.reset_in_flight()
    report = ingest(ws, source)
    assert report.inserted == 26 and report.photos_downloaded == 26
    peak = central.central.max_in_flight
    if workers == 1:
        assert peak == 1
    else:
        assert 1 < peak <= workers
    _assert_everything_once(ws, central)
    # A page's photos are all fetched before the next page is asked for: at most one page
    # of photos is held, and a failure leaves the next pages untouched.
    log = [p for m, p, _ in central.central.log if m == "GET"]
    kinds = ["page" if "Submissions" in p else "photo" for p in log]
    kinds = [k for i, k in enumerate(kinds) if i == 0 or k != kinds[i - 1]]
    assert kinds == ["page", "photo", "page", "photo", "page", "photo"]


def test_etag_revalidation_on_re_pull_with_the_pool(gpkg_workspace, central):
    ws = gpkg_workspace
    recs, truth = _load(ws, central)
    source = _source(central, workers=8)
    ingest(ws, source)
    edited = truth["good"][:6]
    for iid in edited:
        central.central.edit(7, FORM, iid, {"report/description": "已复核"})
    # one edited submission also gets a new photo under the same name
    changed = edited[0]
    name = next(r["photos"] for r in recs if r["instance_id"] == changed)
    other = next(r["_photo"] for r in recs if r["instance_id"] == truth["good"][10])
    central.central.attachments[(changed, name)] = other
    before = len(central.central.log)
    report = ingest(ws, source)
    assert report.edited == 6 and report.inserted == 0
    assert report.photos_unchanged == 5 and report.photos_downloaded == 1
    statuses = [st for _, p, st in central.central.log[before:] if "/attachments/" in p]
    assert sorted(statuses) == [200] + [304] * 5
    _subs, photos = _stored(ws)
    assert len(photos) == 26  # the new content replaced the old, no second row
    sha = {(iid, n): s for iid, n, s in photos}
    assert sha[(changed, name)] == hashlib.sha256(other).hexdigest()


def test_server_error_on_one_photo_is_retried_and_everything_stored_once(gpkg_workspace, central):
    ws = gpkg_workspace
    recs, _truth = _load(ws, central)
    victim = recs[-14]  # on page 2
    central.central.fail_attachment(victim["photos"], "500", times=2)  # within 2 retries
    report = ingest(ws, _source(central))
    assert report.inserted == 26 and report.photos_downloaded == 26
    asked = [st for _, p, st in central.central.log if p.endswith("/" + victim["photos"])]
    assert asked == [500, 500, 200]
    _assert_everything_once(ws, central)


def test_too_many_requests_waits_as_the_server_asks(gpkg_workspace, central):
    ws = gpkg_workspace
    recs, _truth = _load(ws, central, n=5)
    waits = []
    source = _source(central)
    source.client.sleep = waits.append  # record instead of sleeping
    central.central.fail_attachment(recs[2]["photos"], "429", times=1)
    report = ingest(ws, source)
    assert report.inserted == 6 and report.photos_downloaded == 6
    assert waits == [1.0]  # Retry-After: 1, longer than the 0.01 s backoff


def test_connection_dropped_mid_page_then_re_run_loses_nothing_stores_nothing_twice(
    workspace, central
):
    ws = workspace
    recs, _truth = _load(ws, central)
    order = _server_order(central)
    name_of = {r["instance_id"]: r["photos"] for r in recs}
    victim = name_of[order[14]]  # page 2 of 3
    central.central.fail_attachment(victim, "drop", times=10)  # outlasts the retries
    source = _source(central)
    with pytest.raises(IngestError) as err:
        ingest(ws, source)
    assert err.value.report.inserted == 10  # page 1 stored with its photos, page 2 not
    subs, photos = _stored(ws)
    assert subs == order[:10] and len(photos) == 10
    assert "skiptoken" in load_cursor(ws, source.key)["next"]
    central.central.attachment_faults.clear()
    before = len(central.central.log)
    report = ingest(ws, source)
    assert report.resumed and report.inserted == 16 and report.unchanged == 0
    pages = [p for _, p, _ in central.central.log[before:] if "Submissions" in p]
    assert len(pages) == 2 and "skiptoken" in pages[0]  # page 1 not fetched again
    _assert_everything_once(ws, central)
    with ws.engine.connect() as c:
        n = c.execute(select(func.count()).select_from(ws.schema.submission_attachments))
        assert n.scalar() == 26


def test_expired_token_one_re_login_across_the_pool(central):
    recs = [(f"uuid:{i:04d}", f"p{i}.jpg", bytes([i]) * 100) for i in range(8)]
    for iid, name, content in recs:
        central.central.add(7, FORM, {"__id": iid, "__system": {}}, {name: content})
    client = OdkClient(central.url, EMAIL, PASSWORD, retries=0, workers=8)
    client.login()
    central.central.tokens.clear()  # the session expired on the server
    before = len(central.central.log)
    calls = [partial(client.get_attachment, 7, FORM, iid, name, None) for iid, name, _ in recs]
    got = client.run_concurrently(calls)
    assert [g[0] for g in got] == [content for _, _, content in recs]  # in call order
    logins = [st for m, p, st in central.central.log[before:] if p == "/v1/sessions"]
    assert logins == [200]
    assert central.central.max_in_flight > 1
