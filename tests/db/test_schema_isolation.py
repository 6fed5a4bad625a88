"""A workspace lives in its own schema: nothing of it resolves through ``public``.

Both findings of issue #12 item 6 are reproduced in a database of their own (public is
shared by every test otherwise): a workspace in ``public`` made ``db upgrade …?schema=new``
print success and create nothing, and another application's ``public.alembic_version``
made the upgrade fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from citymgmt_plugin.core.workspace.store import (
    Workspace,
    WorkspaceError,
    WorkspaceSpec,
    current_revision,
    upgrade,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scratch_db(pg_url: str) -> Iterator[str]:
    """The URL of a new database with PostGIS, dropped afterwards."""
    name = "iso_" + uuid.uuid4().hex[:10]
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    eng = create_engine(url)
    with eng.begin() as c:
        c.execute(text("CREATE EXTENSION postgis"))
    eng.dispose()
    yield url
    with admin.connect() as c:
        c.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
            {"d": name},
        )
        c.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def _tables(url: str, schema: str) -> set[str]:
    eng = create_engine(url)
    try:
        return set(inspect(eng).get_table_names(schema=schema))
    finally:
        eng.dispose()


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


def test_new_schema_next_to_a_workspace_in_public_gets_its_own_tables(scratch_db):
    upgrade(f"{scratch_db}?schema=public")  # an older office put its workspace in public
    ws = Workspace.open(f"{scratch_db}?schema=public")
    with ws.begin() as c:
        c.execute(text("INSERT INTO public.event_classes VALUES ('9901', '99', 'x', '公共的')"))
    ws.close()
    public_tables = _tables(scratch_db, "public")
    assert {"components", "alembic_version", "workspace_settings"} <= public_tables

    done = _cli("db", "upgrade", f"{scratch_db}?schema=fresh")
    assert done.returncode == 0, done.stderr
    fresh = _tables(scratch_db, "fresh")
    assert {"components", "alembic_version", "workspace_settings", "audit_events"} <= fresh
    assert _tables(scratch_db, "public") == public_tables  # public left as it was

    info = _cli("db", "info", f"{scratch_db}?schema=fresh")
    assert info.returncode == 0, info.stderr
    assert "schema=fresh" in info.stdout
    counts = {
        line.split()[0]: int(line.split()[1])
        for line in info.stdout.splitlines()
        if line.startswith("  ")
    }
    # fresh's own rows: its event classes, not public's extra one
    eng = create_engine(scratch_db)
    with eng.connect() as c:
        fresh_events = c.execute(text("SELECT count(*) FROM fresh.event_classes")).scalar()
        public_events = c.execute(text("SELECT count(*) FROM public.event_classes")).scalar()
    eng.dispose()
    assert counts["event_classes"] == fresh_events == public_events - 1
    ws = Workspace.open(f"{scratch_db}?schema=fresh")
    try:
        with ws.engine.connect() as c:
            assert current_revision(c) == ws_revision(scratch_db, "fresh")
            # SQLAlchemy statements name the workspace schema whatever the search path says
            c.exec_driver_sql("SET search_path TO public")
            rows = c.execute(ws.schema.event_classes.select()).all()
        assert len(rows) == fresh_events
    finally:
        ws.close()


def ws_revision(url: str, schema: str) -> str:
    eng = create_engine(url)
    with eng.connect() as c:
        rev = c.execute(text(f'SELECT version_num FROM "{schema}".alembic_version')).scalar()
    eng.dispose()
    return str(rev)


def test_another_applications_alembic_version_in_public_is_left_alone(scratch_db):
    eng = create_engine(scratch_db)
    with eng.begin() as c:
        c.execute(text("CREATE TABLE public.alembic_version (version_num varchar(32) NOT NULL)"))
        c.execute(text("INSERT INTO public.alembic_version VALUES ('4f2e1c0ffee1')"))
    eng.dispose()
    spec = f"{scratch_db}?schema=city"
    head = upgrade(spec)
    assert head and head == ws_revision(scratch_db, "city")
    assert upgrade(spec) == head  # and again: idempotent
    eng = create_engine(scratch_db)
    with eng.connect() as c:
        other = c.execute(text("SELECT version_num FROM public.alembic_version")).scalar()
    eng.dispose()
    assert other == "4f2e1c0ffee1"
    assert "components" in _tables(scratch_db, "city")
    assert "components" not in _tables(scratch_db, "public")


def test_opening_a_schema_without_a_workspace_says_so(scratch_db):
    upgrade(f"{scratch_db}?schema=public")
    eng = create_engine(scratch_db)
    with eng.begin() as c:
        c.execute(text("CREATE SCHEMA empty_one"))
    eng.dispose()
    with pytest.raises(WorkspaceError, match="no city-management schema yet"):
        Workspace.open(f"{scratch_db}?schema=empty_one")
    info = _cli("db", "info", f"{scratch_db}?schema=empty_one")
    assert info.returncode == 2 and "no city-management schema yet" in info.stderr


@pytest.mark.parametrize(
    "schema",
    [
        "new%0A",  # a trailing newline
        "new%0Aother",
        'x"; DROP SCHEMA public CASCADE; --',
        "Citymgmt",  # upper case would be folded by some clients and not by others
        "сity",  # Cyrillic с
        "a" * 64,
        "pg_city",
    ],
    ids=["newline", "newline-inside", "quote", "upper", "lookalike", "64-chars", "pg_"],
)
def test_hostile_schema_names_are_refused_before_connecting(pg_url, schema):
    with pytest.raises(WorkspaceError, match="Schema name"):
        WorkspaceSpec.parse(f"{pg_url}?schema={schema}")


def test_schema_name_of_63_characters_is_the_longest(pg_url):
    assert WorkspaceSpec.parse(f"{pg_url}?schema={'a' * 63}").schema == "a" * 63
    with pytest.raises(WorkspaceError, match="Schema name"):
        WorkspaceSpec.parse(f"service=office schema={'a' * 64}")
