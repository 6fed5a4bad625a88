"""Hostile SQL names: a thematic table name, template names, an inbox table and its columns.

Each is refused with a message naming it, or quoted so it stays a name; the proof is that
nothing outside the intended table changed (tables, columns, rows, functions not run).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.inbox import InboxError, InboxSource
from citymgmt_plugin.core.thematic.tables import ThematicError, create_thematic_table
from citymgmt_plugin.core.thematic.templates import get_template, parse_template
from citymgmt_plugin.core.workspace.store import Workspace

HOSTILE_TABLES = [
    'x"; DROP TABLE track_points; --',
    "zones; ALTER TABLE components ADD COLUMN pwned int",
    "zones\n",
    "zones\nDROP TABLE track_points",
    "Zones",  # upper case: folded by some clients, not by others
    "zone\u0455",  # Cyrillic dze, looks like s
    "ｚｏｎｅｓ",  # full-width letters
    "zones;",
    "a" * 50,  # its constraint names would pass 63 and be cut
    "b" * 64,
    "pg_zones",
    "1zones",
    "",
]


def _shape(ws: Workspace) -> dict[str, list[str]]:
    """Every table of the workspace with its columns."""
    insp = inspect(ws.engine)
    schema = ws.spec.schema if ws.is_postgres else None
    return {
        t: sorted(c["name"] for c in insp.get_columns(t, schema=schema))
        for t in insp.get_table_names(schema=schema)
    }


@pytest.mark.parametrize("name", HOSTILE_TABLES, ids=range(len(HOSTILE_TABLES)))
def test_hostile_thematic_table_names_are_refused(workspace, name):
    ws = workspace
    before = _shape(ws)
    with pytest.raises(ThematicError, match="Table name"):
        create_thematic_table(ws, "construction_zones", table_name=name)
    assert _shape(ws) == before


def test_longest_thematic_table_name_fits_postgresql(workspace):
    info = create_thematic_table(workspace, "construction_zones", table_name="z" * 49)
    assert info.table_name in _shape(workspace)


@pytest.mark.parametrize("field", ["table", "id"], ids=["table", "template-id"])
@pytest.mark.parametrize("bad", ["zones\n", "zones; --", "zone\u0455", 'zo"nes'])
def test_template_names_with_trailing_newlines_or_quotes_are_refused(field, bad):
    data = json.loads(json.dumps(get_template("construction_zones").to_json()))
    data[field] = bad
    with pytest.raises(ValueError):
        parse_template(data, "hostile.json")
    data = json.loads(json.dumps(get_template("construction_zones").to_json()))
    data["fields"][0]["name"] = bad
    with pytest.raises(ValueError):
        parse_template(data, "hostile.json")


def test_hostile_inbox_table_names_are_refused(pg_workspace):
    for name in (
        "public.x; DROP TABLE track_points",
        'public."x"',
        "a.b.c",
        "inbox\n",
        "ｉｎｂｏｘ",
    ):
        with pytest.raises(InboxError, match="Not a table name"):
            InboxSource(pg_workspace.engine, name)


def test_inbox_column_names_stay_names(pg_workspace):
    """Another system's column named to run a function (finding: a column name ran a
    function as the office user) is read as a column; the function never runs."""
    ws = pg_workspace
    s = ws.spec.schema
    evil = f'x", "{s}".leak() AS "y'
    with ws.begin() as c:
        c.execute(text(f'CREATE TABLE "{s}".leaked (at timestamptz)'))
        c.execute(
            text(
                f'CREATE FUNCTION "{s}".leak() RETURNS int LANGUAGE sql AS '
                f'$$ INSERT INTO "{s}".leaked VALUES (now()) RETURNING 1 $$'
            )
        )
        quoted = '"' + evil.replace('"', '""') + '"'
        c.execute(
            text(
                f'CREATE TABLE "{s}".evil_inbox (id text PRIMARY KEY, updated_at timestamptz, '
                f"{quoted} text, lon float, lat float, category_code text, kind text)"
            )
        )
        c.execute(
            text(
                f'INSERT INTO "{s}".evil_inbox VALUES '
                "('e1', now(), 'plain value', 120.6, 31.3, '0101', 'component')"
            )
        )
    report = ingest(ws, InboxSource(ws.engine, f"{s}.evil_inbox"))
    assert report.inserted == 1
    with ws.engine.connect() as c:
        leaked = c.execute(text(f'SELECT count(*) FROM "{s}".leaked')).scalar()
        payload = c.execute(text("SELECT payload FROM submissions")).scalar()
    assert leaked == 0
    assert "plain value" in json.dumps(payload, ensure_ascii=False)
