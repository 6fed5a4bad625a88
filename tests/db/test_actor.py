"""Who acts: every decision, edit and audit row names the person signed in.

PostGIS: the database login, proved with a second LOGIN role; GeoPackage: the QGIS
authentication user when the workspace was opened with one, else the operating-system login.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

from shapely.geometry import Point
from sqlalchemy import select

from citymgmt_plugin.core import census
from citymgmt_plugin.core.submissions import ingest, review
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.workspace.connection import spec_to_string
from citymgmt_plugin.core.workspace.store import (
    ACTOR_DATABASE,
    ACTOR_QGIS_AUTH,
    ACTOR_SYSTEM,
    Workspace,
    WorkspaceSpec,
    describe_actor,
    find_actor,
)
from tests.fixtures.synthetic_submissions import make_submissions, seed_city, write_device_export

ROOT = Path(__file__).resolve().parents[2]


def _actors(ws: Workspace) -> dict[str, set[str]]:
    s = ws.schema
    with ws.engine.connect() as c:
        return {
            "audit": set(c.execute(select(s.audit_events.c.actor)).scalars()),
            "decisions": set(c.execute(select(s.review_decisions.c.reviewer)).scalars()),
            "decided_by": set(
                c.execute(
                    select(s.submissions.c.decided_by).where(
                        s.submissions.c.decided_by.is_not(None)
                    )
                ).scalars()
            ),
            "updated_by": set(c.execute(select(s.components.c.updated_by)).scalars()),
            "history": set(c.execute(select(s.component_history.c.changed_by)).scalars()),
        }


def test_postgis_actor_is_the_database_login(pg_other_login, tmp_path):
    spec, role = pg_other_login
    ws = Workspace.open(spec)
    try:
        assert (ws.actor, ws.actor_source) == (role, ACTOR_DATABASE)
        assert describe_actor(ws) == f"Signed in as {role} (database login)"
        city = seed_city(ws)
        recs, _truth = make_submissions(city, 12)
        write_device_export(tmp_path / "exp", recs)
        ingest(ws, DeviceExportSource(tmp_path / "exp"))  # no actor given: the login
        item = next(i for i in review.queue(ws) if i.state == "pending")
        review.decide(ws, review.Decision(item.id, item.row_version, "reject", "不是部件"))
        with census.write_transaction(ws) as c:
            ref = census.create_component(
                c,
                ws,
                census.ComponentDraft(
                    "0101",
                    Point(city.x0 + 125, city.y0 + 125),
                    name="上水井盖",
                    dept_code="001",
                    dept_name="市水务局",
                ),
                ws.actor,
            )
            census.update_component(c, ws, ref.id, {"status": "破损"}, ws.actor, "巡查发现")
        got = _actors(ws)
        assert got["audit"] == {role}
        assert got["decisions"] == got["decided_by"] == {role}
        assert role in got["updated_by"] and role in got["history"]
    finally:
        ws.close()


def test_auto_match_names_who_ran_it_and_marks_automation(pg_other_login, tmp_path):
    spec, role = pg_other_login
    ws = Workspace.open(spec)
    try:
        city = seed_city(ws)
        recs, _truth = make_submissions(city, 30, match_share=0.6)
        write_device_export(tmp_path / "exp", recs)
        ingest(ws, DeviceExportSource(tmp_path / "exp"))
        result = review.auto_match(ws)
        decided = sum(v for k, v in result.items() if k not in ("left", "ambiguous", "refused"))
        assert decided > 0, result
        s = ws.schema
        with ws.engine.connect() as c:
            rows = c.execute(
                select(s.audit_events.c.actor, s.audit_events.c.detail).where(
                    s.audit_events.c.action.like("review.%")
                )
            ).all()
            reasons = c.execute(select(s.review_decisions.c.reason)).scalars().all()
        assert len(rows) == decided
        assert {actor for actor, _ in rows} == {role}  # the person, not "auto-match"
        assert all(detail["auto"] is True for _, detail in rows)
        assert all(reasons)  # every automatic decision says why
    finally:
        ws.close()


def test_geopackage_actor_is_the_system_login_or_the_auth_user(gpkg_workspace, monkeypatch):
    ws = gpkg_workspace
    assert (ws.actor, ws.actor_source) == (getpass.getuser(), ACTOR_SYSTEM)
    assert describe_actor(ws) == f"Signed in as {getpass.getuser()} (system login)"
    other = Workspace.open(ws.spec, auth_user="li.ming")
    try:
        assert (other.actor, other.actor_source) == ("li.ming", ACTOR_QGIS_AUTH)
        city = seed_city(other)
        with census.write_transaction(other) as c:
            census.create_component(
                c,
                other,
                census.ComponentDraft(
                    "0101",
                    Point(city.x0 + 125, city.y0 + 125),
                    name="上水井盖",
                    dept_code="001",
                    dept_name="市水务局",
                ),
                other.actor,
            )
        assert _actors(other)["audit"] == {"li.ming"}
    finally:
        other.close()

    def no_login() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    assert find_actor(ws.engine) == (f"uid {os.getuid()}", ACTOR_SYSTEM)


def test_geopackage_spec_may_name_an_auth_config(tmp_path):
    path = tmp_path / "office.gpkg"
    spec = WorkspaceSpec.parse(f"{path}|authcfg=abc1234")
    assert (spec.kind, spec.path, spec.authcfg) == ("gpkg", str(path), "abc1234")
    assert spec_to_string(spec) == f"{path}|authcfg=abc1234"
    assert WorkspaceSpec.parse(spec_to_string(spec)) == spec
    assert WorkspaceSpec.parse(str(path)).authcfg == ""


def test_cli_ingest_and_info_name_the_database_login(pg_other_login, tmp_path):
    spec, role = pg_other_login
    ws = Workspace.open(spec)
    city = seed_city(ws)
    recs, _truth = make_submissions(city, 20, match_share=0.6)
    write_device_export(tmp_path / "exp", recs)
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins", LANG="C.UTF-8")

    def cli(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "citymgmt_plugin", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout

    try:
        cli("ingest", spec, "--file", str(tmp_path / "exp"), "--crs", "WGS84", "--auto-match")
        got = _actors(ws)
        assert got["audit"] == {role}
        assert got["decisions"] <= {role} and got["decisions"]
        assert f"Signed in as {role} (database login)" in cli("db", "info", spec)
    finally:
        ws.close()
