"""A next-page link must keep the scheme, host and port the account was given for: one that
points elsewhere (a hijacked server, or a cursor stored by someone else) is refused with a
clear message before anything, the token least of all, is sent there."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import IngestError, ingest, load_cursor
from citymgmt_plugin.core.submissions.sources.odk import OdkClient, OdkError, OdkSource
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import make_submissions, odata_row, seed_city

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def _load(central: CentralServer, ws) -> None:
    city = seed_city(ws)
    recs, _ = make_submissions(city, 25)
    for i, r in enumerate(recs):
        central.central.add(7, "city_report", odata_row(r, T0 + timedelta(minutes=8 * i)))


def _stored(ws) -> int:
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(ws.schema.submissions)).scalar()


def test_next_link_to_another_host_is_refused_and_never_contacted(gpkg_workspace):
    ws = gpkg_workspace
    with CentralServer() as central, CentralServer() as evil:
        _load(central, ws)
        central.central.next_link_base = evil.url
        client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
        source = OdkSource(client, 7, "city_report", page_size=10, photos=False)
        with pytest.raises(IngestError, match="another server or scheme"):
            ingest(ws, source)
        assert _stored(ws) == 10  # the first page, from the right server, is kept
        assert evil.url in load_cursor(ws, source.key)["next"]
        with pytest.raises(IngestError, match="nothing was sent there"):
            ingest(ws, source)  # resuming from the stored link: refused again
        assert evil.central.log == []  # no request, no token


@pytest.mark.parametrize("other", ["https://{host}", "http://{host}:1", "//{host}"])
def test_next_link_must_keep_scheme_and_port(other):
    with CentralServer() as central:
        host = central.url.split("//", 1)[1].rsplit(":", 1)[0]
        client = OdkClient(central.url, EMAIL, PASSWORD, retries=1, backoff=0.01)
        port = central.url.rsplit(":", 1)[1]
        url = other.format(host=host)
        if other.startswith("https"):
            url += f":{port}"
        with pytest.raises(OdkError, match="another server or scheme"):
            client.get_page(url + "/v1/projects/7/forms/city_report.svc/Submissions")
        assert central.central.log == []
        same = client.get_page(central.url + "/v1/projects/7/forms/city_report.svc/Submissions")
        assert same["value"] == []
