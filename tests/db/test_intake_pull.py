"""Sources as the office shares them, accounts as each person binds them, and the pull of
every source with progress and cancel, against the real local ODK Central (HTTP on
127.0.0.1) and real workspaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import (
    load_cursor,
    remove_source_config,
    save_source_config,
    source_configs,
)
from citymgmt_plugin.core.submissions.pull import PullProgress, plan_pull, pull_sources
from citymgmt_plugin.core.submissions.sources.accounts import (
    AccountBindings,
    check_binding,
    workspace_identity,
)
from citymgmt_plugin.core.submissions.sources.configs import (
    OdkLogin,
    SourceConfigError,
    check_server_url,
    folder_config,
    odk_config,
    open_source,
    server_origin,
    source_key,
)
from citymgmt_plugin.core.submissions.sources.discovery import (
    DiscoveryError,
    check_folder,
    check_odk,
    odk_forms,
    odk_projects,
)
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import (
    make_submissions,
    odata_row,
    seed_city,
    write_device_export,
)

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
GOOD = OdkLogin(EMAIL, PASSWORD)


def resolve(authcfg: str) -> OdkLogin:
    """Stands in for QGIS's authentication database (tested in tests/gui and tests/qgis)."""
    assert authcfg == "acct001"
    return GOOD


@pytest.fixture
def central():
    with CentralServer() as srv:
        yield srv


@pytest.fixture
def city(gpkg_workspace, central):
    ws = gpkg_workspace
    city = seed_city(ws)
    recs, _truth = make_submissions(city, 25)
    for i, r in enumerate(recs):
        central.central.add(
            7,
            "city_report",
            odata_row(r, T0 + timedelta(minutes=8 * i + 5)),
            {r["photos"]: r["_photo"]},
        )
    central.central.add_project(7, "城管采集")
    central.central.add_form(7, "city_report", "城管上报")
    central.central.add_form(7, "census", "部件普查")
    central.central.add_project(9, "绿化")
    return ws, city, recs


@pytest.fixture
def bindings(gpkg_workspace):
    b = AccountBindings(workspace_identity(gpkg_workspace.spec))
    yield b
    b.settings.remove("citymgmt/intake/accounts")


def _stored(ws, key=None):
    s = ws.schema.submissions
    q = select(func.count()).select_from(s)
    if key:
        q = q.where(s.c.source == key)
    with ws.engine.connect() as c:
        return c.execute(q).scalar()


def test_server_addresses_where_a_password_may_go():
    check_server_url("https://central.example.org")
    check_server_url("http://127.0.0.1:8383", allow_http=True)
    with pytest.raises(SourceConfigError, match="not encrypted"):
        check_server_url("http://central.example.org")
    for bad in ("central.example.org", "ftp://central.example.org", "https://", "https://h:x/"):
        with pytest.raises(SourceConfigError, match="Not a server address"):
            check_server_url(bad)
    with pytest.raises(SourceConfigError, match="contains an account"):
        check_server_url("https://me:pw@central.example.org")
    assert server_origin("HTTPS://Central.Example.org/v1/") == "https://central.example.org:443"
    assert server_origin("http://127.0.0.1:8383/x") == "http://127.0.0.1:8383"
    config = odk_config("https://central.example.org/v1/", 7, "city_report")
    assert source_key(config) == "odk:central.example.org/7/city_report"
    with pytest.raises(SourceConfigError, match="No ODK Central account"):
        open_source(None, config)  # the configuration never supplies an account
    with pytest.raises(SourceConfigError, match="not encrypted"):
        open_source(None, odk_config("http://h.example", 7, "f"), login=GOOD)


def test_workspace_keeps_only_what_the_office_shares(gpkg_workspace):
    ws = gpkg_workspace
    config = odk_config("https://central.example.org", 7, "city_report", "GCJ02", 500)
    config.update(email="me@office", authcfg="acct001", password="oops")  # a careless caller
    key = source_key(config)
    stored = save_source_config(ws, key, config, actor="wang")
    assert stored == {
        "type": "odk",
        "url": "https://central.example.org",
        "project": "7",
        "form": "city_report",
        "crs": "GCJ02",
        "page_size": 500,
    }
    assert source_configs(ws) == {key: stored}
    a = ws.schema.audit_events
    with ws.engine.connect() as c:
        rows = c.execute(select(a.c.actor, a.c.action, a.c.detail)).all()
        raw = c.execute(select(ws.schema.workspace_settings.c.value)).scalars().all()
    assert ("wang", "intake.source_saved") in [(r.actor, r.action) for r in rows]
    assert not [v for v in raw if "oops" in v or "me@office" in v or "acct001" in v]
    folder = folder_config("/data/exports/north", "north", "unknown", "/data/photos")
    save_source_config(ws, "north", folder, actor="wang")
    assert source_configs(ws)["north"]["photos"] == "/data/photos"
    assert remove_source_config(ws, key, actor="wang")
    assert not remove_source_config(ws, key, actor="wang")
    assert list(source_configs(ws)) == ["north"]


def test_accounts_are_bound_per_workspace_source_and_server(gpkg_workspace, bindings, tmp_path):
    key = "odk:central.example.org/7/city_report"
    assert bindings.get(key) is None
    with pytest.raises(SourceConfigError, match="No account"):
        check_binding(key, "https://central.example.org", None)
    b = bindings.bind(key, "acct001", "https://central.example.org/")
    assert bindings.get(key) == b and b.origin == "https://central.example.org:443"
    check_binding(key, "https://central.example.org/v1", b)  # same server: fine
    for moved in (
        "https://evil.example.net",  # another host
        "https://central.example.org:8443",  # another port
        "http://central.example.org",  # no longer encrypted
    ):
        with pytest.raises(SourceConfigError, match="now points to"):
            check_binding(key, moved, b)
    with pytest.raises(SourceConfigError, match="not encrypted"):
        bindings.bind(key, "acct001", "http://central.example.org")  # no tick, no binding
    other = AccountBindings(workspace_identity(gpkg_workspace.spec) + "-another")
    assert other.get(key) is None  # another workspace: not bound there
    bindings.forget(key)
    assert bindings.get(key) is None


def test_projects_forms_and_test_from_the_server(city, central):
    url = central.url
    projects = odk_projects(url, GOOD, allow_http=True)
    assert [(p.id, p.name) for p in projects] == [("7", "城管采集"), ("9", "绿化")]
    forms = odk_forms(url, GOOD, "7", allow_http=True)
    assert [(f.id, f.name, f.submissions) for f in forms] == [
        ("census", "部件普查", 0),
        ("city_report", "城管上报", 25),
    ]
    gets = [(m, p) for m, p, _ in central.central.log if p.startswith("/v1/projects")]
    assert ("GET", "/v1/projects") in gets and ("GET", "/v1/projects/7/forms") in gets
    text = check_odk(url, GOOD, "7", "city_report", allow_http=True)
    assert "2 forms" in text and "城管上报" in text
    with pytest.raises(DiscoveryError, match="no form nope"):
        check_odk(url, GOOD, "7", "nope", allow_http=True)
    with pytest.raises(DiscoveryError, match="Could not authenticate"):  # the server's words
        odk_projects(url, OdkLogin(EMAIL, "wrong"), allow_http=True)
    with pytest.raises(DiscoveryError, match="Could not find the resource"):
        odk_forms(url, GOOD, "99", allow_http=True)
    with pytest.raises(DiscoveryError, match="not encrypted"):
        odk_projects(url, GOOD)


def test_pull_all_sources_with_progress(city, central, bindings, tmp_path):
    ws, city_, _recs = city
    config = odk_config(central.url, 7, "city_report", page_size=10)
    key = source_key(config)
    save_source_config(ws, key, config)
    bindings.bind(key, "acct001", central.url, allow_http=True)
    recs2, _ = make_submissions(city_, 8, seed=5)
    write_device_export(tmp_path / "exp", recs2)
    assert check_folder(str(tmp_path / "exp")).endswith(
        f"8 submissions; photos: {tmp_path / 'exp' / 'photos'}."
    )
    with pytest.raises(DiscoveryError, match="No such"):
        check_folder(str(tmp_path / "nowhere"))
    save_source_config(ws, "north", folder_config(str(tmp_path / "exp"), "north"))
    plans = plan_pull(ws, bindings, resolve)
    assert [(p.key, p.problem) for p in plans] == [("north", None), (key, None)]
    seen: list[PullProgress] = []
    outcome = pull_sources(ws, plans, "wang", progress=seen.append)
    assert not outcome.problems and not outcome.cancelled
    assert [r.inserted for r in outcome.reports] == [8, 25]
    assert _stored(ws, key) == 25 and _stored(ws, "north") == 8
    percents = [p.percent for p in seen]
    assert percents == sorted(percents) and percents[-1] == pytest.approx(100.0)
    odk_steps = [p for p in seen if p.key == key and p.pages]
    assert [(p.pages, p.read, p.total) for p in odk_steps] == [
        (1, 10, 25),
        (2, 20, 25),
        (3, 25, 25),
    ]
    assert "new 25" in outcome.summary() and "new 8" in outcome.summary()


def test_cancel_keeps_stored_pages_and_the_next_pull_goes_on(city, central, bindings):
    ws, _city, _recs = city
    config = odk_config(central.url, 7, "city_report", page_size=5)
    key = source_key(config)
    save_source_config(ws, key, config)
    bindings.bind(key, "acct001", central.url, allow_http=True)
    seen: list[PullProgress] = []
    outcome = pull_sources(
        ws,
        plan_pull(ws, bindings, resolve),
        "wang",
        progress=seen.append,
        cancelled=lambda: sum(1 for p in seen if p.pages) >= 2,  # after two stored pages
    )
    assert outcome.cancelled and outcome.reports[0].cancelled
    assert outcome.reports[0].inserted == 10 and _stored(ws, key) == 10
    assert "cancelled" in outcome.summary()
    assert "skiptoken" in load_cursor(ws, key)["next"]
    pages_before = central.central.page_requests
    again = pull_sources(ws, plan_pull(ws, bindings, resolve), "wang")
    report = again.reports[0]
    assert report.resumed and report.inserted == 15 and report.unchanged == 0
    assert central.central.page_requests - pages_before == 3  # pages 3-5 only
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        ids = c.execute(select(s.c.instance_id).where(s.c.source == key)).scalars().all()
    assert len(ids) == len(set(ids)) == 25


def test_changed_host_is_refused_before_anything_is_sent(city, central, bindings):
    ws, _city, _recs = city
    config = odk_config(central.url, 7, "city_report")
    key = source_key(config)
    save_source_config(ws, key, config)
    bindings.bind(key, "acct001", central.url, allow_http=True)
    with CentralServer() as evil:  # a colleague points the shared address elsewhere
        moved = dict(config, url=evil.url)
        save_source_config(ws, key, moved, actor="someone")
        plans = plan_pull(ws, bindings, resolve)
        assert plans[0].login is None and "now points to" in plans[0].problem
        outcome = pull_sources(ws, plans, "wang")
        assert not outcome.reports and "now points to" in outcome.summary()
        assert evil.central.log == []  # no login, no request: the password never left
    assert _stored(ws, key) == 0


def test_cli_pulls_with_its_own_account_and_refuses_http_unless_allowed(city, central, tmp_path):
    ws, _city, _recs = city
    env = dict(
        os.environ,
        PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins",
        LANG="C.UTF-8",
        CITYMGMT_ODK_PASSWORD=PASSWORD,
    )
    args = [sys.executable, "-m", "citymgmt_plugin", "ingest", ws.spec.path, "--odk", central.url]
    args += ["--project", "7", "--form", "city_report", "--user", EMAIL, "--no-photos"]
    refused = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "not encrypted" in refused.stderr
    assert not [p for _, p, _ in central.central.log if p == "/v1/sessions"]
    done = subprocess.run(
        [*args, "--allow-http"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "new 25" in done.stdout
    (config,) = source_configs(ws).values()
    assert "email" not in config and "authcfg" not in config
    assert EMAIL not in json.dumps(config)
