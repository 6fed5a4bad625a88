"""The pull service as an intake login: it stores submissions and moves its cursor, and may
not change the source configurations (which steer where passwords go)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from citymgmt_plugin.core.submissions import load_cursor, source_configs
from citymgmt_plugin.core.workspace.security import create_roles
from tests.fixtures.office import Office, build_office

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(pg_url: str, pg_spec: str) -> Iterator[Office]:
    yield from build_office(pg_url, pg_spec)


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins", LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "citymgmt_plugin", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_intake_login_pulls_an_inbox_but_cannot_steer_the_source(office):
    o = office
    ws = o.owner
    with ws.begin() as c:
        c.execute(
            text(
                f'CREATE TABLE "{o.schema}".device_inbox (id text PRIMARY KEY, '
                "updated_at timestamptz NOT NULL, category_code text, kind text, "
                "observed_at text, collector_code text, lon float, lat float)"
            )
        )
        for i in range(3):
            c.execute(
                text(
                    f'INSERT INTO "{o.schema}".device_inbox VALUES (:id, now() + '
                    "make_interval(secs => :i), '0101', 'component', '2026-11-20T08:00:00+08:00', "
                    "'C01', 120.6, 31.3)"
                ),
                {"id": f"in-{i}", "i": i},
            )
    create_roles(ws)  # again: the new table gets the roles' grants
    table = f"{o.schema}.device_inbox"
    done = _cli("ingest", o.spec_as("intake"), "--inbox", table)
    assert done.returncode == 0, done.stderr
    assert "new 3" in done.stdout
    assert "not saved: only a workspace admin" in done.stderr
    key = f"inbox:{table}"
    assert load_cursor(ws, key)["after"][0]  # the cursor moved, in intake_cursors
    assert key not in source_configs(ws)
    s = ws.schema
    with ws.engine.connect() as c:
        stored = c.execute(select(s.submissions.c.id).where(s.submissions.c.source == key)).all()
        actors = set(
            c.execute(
                select(s.audit_events.c.actor).where(s.audit_events.c.action == "intake.page")
            ).scalars()
        )
    assert len(stored) == 3 and actors == {o.logins["intake"]}
    again = _cli("ingest", o.spec_as("admin"), "--inbox", table)  # an admin's run saves it
    assert again.returncode == 0, again.stderr
    assert "new 0" in again.stdout and "not saved" not in again.stderr
    assert source_configs(ws)[key]["table"] == table


def test_upgrade_moves_cursors_out_of_the_settings(any_spec):
    """Revision 0003 takes the intake cursors out of workspace_settings (which only an admin
    may change) into intake_cursors, on both backends; the source configurations stay."""
    import json

    from sqlalchemy import insert

    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    assert upgrade(any_spec, revision="0002") == "0002"
    ws = Workspace.open(any_spec)
    t = ws.schema.workspace_settings
    cursor = {"next": "https://central.example/v1/…$skiptoken=01x", "since": "2026-11-20"}
    with ws.begin() as c:
        c.execute(
            insert(t),
            [
                {"key": "intake.cursor.odk:central.example/7/f", "value": json.dumps(cursor)},
                {"key": "intake.source.odk:central.example/7/f", "value": '{"type": "odk"}'},
            ],
        )
    ws.close()
    upgrade(any_spec)
    ws = Workspace.open(any_spec)
    try:
        assert load_cursor(ws, "odk:central.example/7/f") == cursor
        with ws.engine.connect() as c:
            keys = set(c.execute(select(t.c.key)).scalars())
        assert "intake.cursor.odk:central.example/7/f" not in keys
        assert source_configs(ws) == {"odk:central.example/7/f": {"type": "odk"}}
    finally:
        ws.close()
