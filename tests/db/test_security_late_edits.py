"""Races closed under the office's roles (real logins, row-level security on): the pull
service's intake login stores an ODK edit of an accepted submission as a flagged new version
(the old photo kept), a district reviewer marks it as seen, a viewer cannot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from citymgmt_plugin.core.projection import Projector
from citymgmt_plugin.core.submissions import ingest, review
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkSource
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.office import PLACES, A, Office, Y, build_office
from tests.fixtures.synthetic_submissions import make_jpeg

FORM = "city_report"
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def office(pg_url: str, pg_spec: str) -> Iterator[Office]:
    yield from build_office(pg_url, pg_spec)


def _row(lon: float, lat: float) -> dict:
    stamp = T0.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "__id": "uuid:late-1",
        "meta": {"instanceID": "uuid:late-1"},
        "observed_at": "2026-11-20T08:30:00.000+08:00",
        "location": {"type": "Point", "coordinates": [lon, lat, 10.0], "properties": {}},
        "report": {"kind": "component", "category_code": "0101", "photo": "p.jpg"},
        "__system": {"submissionDate": stamp, "updatedAt": None, "edits": 0},
    }


def test_an_edit_after_acceptance_under_the_office_roles(office):
    o = office
    (lon,), (lat,) = Projector(4549).inverse([PLACES[A]["x"] + 70.0], [Y + 70.0])
    first = make_jpeg(float(lon), float(lat), T0)
    with CentralServer() as srv:
        srv.central.add(7, FORM, _row(float(lon), float(lat)), {"p.jpg": first})
        client = OdkClient(srv.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
        intake = o.open_as("intake")
        assert ingest(intake, OdkSource(client, 7, FORM)).inserted == 1
        reviewer = o.open_as("reviewer_a")  # limited to district A: the submission is there
        (item,) = [i for i in review.queue(reviewer) if i.instance_id == "uuid:late-1"]
        review.decide(reviewer, review.Decision(item.id, item.row_version, "accept_new"))
        srv.central.attachments[("uuid:late-1", "p.jpg")] = make_jpeg(
            float(lon), float(lat), T0, seed=5
        )
        srv.central.edit(7, FORM, "uuid:late-1", {"report/description": "补拍"})
        report = ingest(intake, OdkSource(client, 7, FORM))
    assert report.edited_after_decision == 1
    s, av = o.owner.schema.submissions, o.owner.schema.submission_attachment_versions
    with o.owner.engine.connect() as c:
        row = c.execute(select(s).where(s.c.id == item.id)).one()
        kept = c.execute(select(av.c.content).where(av.c.submission_id == item.id)).scalars()
        kept = [bytes(k) for k in kept]
    assert row.state == "accepted" and row.late_edit_at is not None and kept == [first]
    assert row.decided_by == o.logins["reviewer_a"]  # the database's stamp, kept by the edit
    (flagged,) = review.queue(reviewer, review.QueueFilter(late_edits=True))
    viewer = o.open_as("viewer")  # a viewer may read it, not mark it: told, not a traceback
    done, refused = review.acknowledge_late_edits(
        viewer, [review.Pick(flagged.id, flagged.row_version)]
    )
    assert done == 0 and "may not change" in refused[0][1] and "permission denied" in refused[0][1]
    done, refused = review.acknowledge_late_edits(
        reviewer, [review.Pick(flagged.id, flagged.row_version)]
    )
    assert (done, refused) == (1, [])
