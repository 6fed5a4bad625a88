"""Roles in the database: every role, as a real LOGIN, tries every write and read; PostgreSQL
refuses what the role matrix says it must (SQLSTATE 42501), and allows the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from citymgmt_plugin.core.thematic.tables import create_thematic_table
from citymgmt_plugin.core.workspace.members import grant_role, member, members, revoke_role
from citymgmt_plugin.core.workspace.security import (
    ROLES,
    Member,
    SecurityError,
    create_roles,
    role_names,
)
from citymgmt_plugin.core.workspace.store import upgrade
from tests.fixtures.office import PLACES, A, B, Office, Y, build_office, grid_of, submission_row

ROOT = Path(__file__).resolve().parents[2]
PLACES_STREET_B = "320505002"


@pytest.fixture
def office(pg_url: str, pg_spec: str) -> Iterator[Office]:
    yield from build_office(pg_url, pg_spec)


def _insert_component(o: Office) -> Callable[[Connection], None]:
    def run(c: Connection) -> None:
        c.execute(
            text(
                "INSERT INTO components (identifier, scheme, class_code, name, dept_code, "
                "dept_name, grid_code, status, initial_date, data_source, accuracy_class, geom) "
                "VALUES ('3205080101000099', 'legacy16', '0101', '井盖', '001', '水务', :g, "
                "'完好', '2026-01-01', '实测', 'B', 'SRID=4549;POINT(500060 3500060)')"
            ),
            {"g": grid_of(A)},
        )

    return run


def _sql(statement: str, **params: object) -> Callable[[Connection], None]:
    return lambda c: c.execute(text(statement), params)


def operations(o: Office) -> dict[str, Callable[[Connection], None]]:
    comp, sub = o.components[A], o.submissions[A][0]
    return {
        "read components": _sql("SELECT count(*) FROM components"),
        "read submissions": _sql("SELECT count(*) FROM submissions"),
        "read settings": _sql("SELECT count(*) FROM workspace_settings"),
        "read audit": _sql("SELECT count(*) FROM audit_events"),
        "read district limits": _sql("SELECT count(*) FROM role_districts"),
        "change a setting": _sql(
            "UPDATE workspace_settings SET value = 'UTC' WHERE key = 'timezone'"
        ),
        "add a source configuration": _sql(
            "INSERT INTO workspace_settings VALUES ('intake.source.x', '{\"url\": \"https://evil\"}')"
        ),
        "limit a login to districts": _sql(
            "INSERT INTO role_districts VALUES ('someone', '320508')"
        ),
        "place a component": _insert_component(o),
        "change a component": _sql("UPDATE components SET note = 'x' WHERE id = :i", i=comp),
        "delete components": _sql("DELETE FROM components WHERE id < 0"),
        "count identifiers": _sql(
            "UPDATE identifier_counters SET next_serial = next_serial WHERE county_code = '320508'"
        ),
        "add an audit row": _sql(
            "INSERT INTO audit_events (at, actor, action) VALUES (now(), 'x', 'test')"
        ),
        "rewrite the audit": _sql("UPDATE audit_events SET action = 'forged'"),
        "delete the audit": _sql("DELETE FROM audit_events"),
        "write history": _sql(
            "INSERT INTO component_history (component_id, version, operation, changed_at, "
            "changed_by, attributes) VALUES (:i, 99, 'update', now(), 'x', '{}')",
            i=comp,
        ),
        "rewrite history": _sql("UPDATE component_history SET reason = 'forged'"),
        "store a submission": lambda c: c.execute(
            o.owner.schema.submissions.insert().values(**submission_row(A, 9))
        ),
        "change a submission": _sql(
            "UPDATE submissions SET state = 'rejected', row_version = row_version + 1 "
            "WHERE id = :i",
            i=sub,
        ),
        "add a submission version": _sql(
            "INSERT INTO submission_versions (submission_id, replaced_at, payload) "
            "VALUES (:i, now(), '{}')",
            i=sub,
        ),
        "record a decision": _sql(
            "INSERT INTO review_decisions (submission_id, decision, reviewer, decided_at, "
            "written_back) VALUES (:i, 'reject', 'x', now(), false)",
            i=sub,
        ),
        "mark a decision written back": _sql(
            "UPDATE review_decisions SET written_back = true WHERE id = :i", i=o.decision
        ),
        "rewrite a decision": _sql(
            "UPDATE review_decisions SET decision = 'accept_new' WHERE id = :i", i=o.decision
        ),
        "queue a write-back": _sql(
            "INSERT INTO submission_outbox (decision_id, source, instance_id, decision, "
            "created_at, attempts) VALUES (:i, 'file:test', 'x', 'has_issues', now(), 0)",
            i=o.unqueued,
        ),
        "drain the outbox": _sql(
            "UPDATE submission_outbox SET attempts = attempts + 1, sent_at = now() WHERE id = :i",
            i=o.outbox,
        ),
        "link a likely repeat": _sql(
            "INSERT INTO submission_links VALUES (:a, :b, 3.0, 5.0)",
            a=o.submissions[A][0],
            b=o.submissions[A][1],
        ),
        "move an intake cursor": _sql(
            "INSERT INTO intake_cursors VALUES ('odk:x', '{\"since\": \"2026\"}', now())"
        ),
        "add a thematic feature": _sql(
            f'INSERT INTO "{o.thematic}" (severity, status, surveyor, survey_date, geom) '
            "VALUES ('light', 'active', 'a', '2026-11-20', 'SRID=4549;POINT(500010 3500010)')"
        ),
        "add a track point": _sql(
            "INSERT INTO track_points (collector_code, fix_time, geom) "
            "VALUES ('C1', now(), 'SRID=4549;POINT(500010 3500010)')"
        ),
        "change unit grids": _sql("UPDATE unit_grids SET responsible = 'x'"),
        "create a table": _sql("CREATE TABLE sneaky (id int)"),
    }


READS = {"read components", "read submissions", "read settings", "read audit"}
ALLOWED = {
    "viewer": READS,
    "intake": READS
    | {
        "add an audit row",
        "store a submission",
        "change a submission",
        "add a submission version",
        "move an intake cursor",
        "link a likely repeat",
        "mark a decision written back",
        "drain the outbox",
    },
    "editor": READS
    | {
        "place a component",
        "change a component",
        "count identifiers",
        "add an audit row",
        "add a thematic feature",
        "add a track point",
    },
    "reviewer": READS
    | {
        "place a component",
        "change a component",
        "count identifiers",
        "add an audit row",
        "change a submission",
        "record a decision",
        "mark a decision written back",
        "queue a write-back",
        "drain the outbox",
    },
}


def _try(engine, op: Callable[[Connection], None]) -> bool:
    """True when PostgreSQL let the login do it, False when it refused (42501); every
    attempt is rolled back, so each starts from the same office."""
    with engine.connect() as c:
        trans = c.begin()
        try:
            op(c)
        except DBAPIError as exc:
            code = getattr(exc.orig, "pgcode", None)
            assert code == "42501", f"unexpected refusal {code}: {exc.orig}"
            return False
        finally:
            trans.rollback()
    return True


def test_every_role_may_do_what_the_matrix_says_and_nothing_else(office):
    ops = operations(office)
    allowed = dict(ALLOWED, admin=set(ops))
    got = {}
    for role in ROLES:
        engine = office.engine_as(role)
        got[role] = {name for name, op in ops.items() if _try(engine, op)}
    for role in ROLES:
        assert got[role] == allowed[role], (
            role,
            sorted(got[role] - allowed[role]),
            sorted(allowed[role] - got[role]),
        )


def test_grant_revoke_and_members(office):
    o = office
    assert member(o.owner, o.logins["editor_a"]).districts == (A,)
    assert member(o.owner, o.logins["editor"]).roles == ("editor",)
    listed = {m.login: m for m in members(o.owner)}
    assert set(listed) == set(o.logins.values())
    assert listed[o.logins["reviewer_a"]].roles == ("reviewer",)
    with pytest.raises(SecurityError, match="cannot be limited"):
        grant_role(o.owner, o.logins["intake"], "intake", [A])
    with pytest.raises(SecurityError, match="Not a district"):
        grant_role(o.owner, o.logins["viewer"], "viewer", ["999999", "32050800", "320508001"])
    with pytest.raises(SecurityError, match="No login"):
        grant_role(o.owner, "nobody_" + o.schema, "viewer")
    with pytest.raises(SecurityError, match="No login"):
        grant_role(o.owner, role_names(o.schema)["admin"], "viewer")  # a group, not a login
    # the street code works as well as the district code; the list is replaced
    m = grant_role(o.owner, o.logins["viewer"], "viewer", [PLACES_STREET_B])
    assert m.districts == (PLACES_STREET_B,)
    assert revoke_role(o.owner, o.logins["viewer"]) == Member(o.logins["viewer"], (), ())
    # an admin manages the other roles without CREATEROLE
    admin_ws = o.open_as("admin")
    try:
        assert grant_role(admin_ws, o.logins["viewer"], "reviewer").roles == ("reviewer",)
        assert revoke_role(admin_ws, o.logins["viewer"], "reviewer").roles == ()
    finally:
        admin_ws.close()
    # ... but an editor cannot
    editor_ws = o.open_as("editor")
    try:
        with pytest.raises(DBAPIError):
            grant_role(editor_ws, o.logins["viewer"], "editor")
    finally:
        editor_ws.close()
    create_roles(o.owner)  # idempotent
    assert member(o.owner, o.logins["editor_a"]).districts == (A,)


def test_cli_roles_grant_revoke(office, tmp_path):
    o = office
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins", LANG="C.UTF-8")

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "citymgmt_plugin", "db", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    done = cli("roles", o.spec)
    assert done.returncode == 0, done.stderr
    assert f"{o.schema}_editor" in done.stdout
    assert f"{o.logins['editor_a']}: editor ({A})" in done.stdout
    done = cli("grant", o.spec, o.logins["viewer"], "reviewer", "--district", B)
    assert done.returncode == 0, done.stderr
    assert f"{o.logins['viewer']}: reviewer, viewer ({B})" in done.stdout
    done = cli("revoke", o.spec, o.logins["viewer"], "reviewer")
    assert f"{o.logins['viewer']}: viewer ({B})" in done.stdout
    refused = cli("grant", o.spec, o.logins["viewer"], "admin", "--district", A)
    assert refused.returncode == 2 and "cannot be limited" in refused.stderr
    as_editor = cli("grant", o.spec_as("editor"), o.logins["viewer"], "editor")
    assert as_editor.returncode == 2 and "PostgreSQL refused" in as_editor.stderr
    assert "Traceback" not in as_editor.stderr
    info = cli("info", o.spec_as("viewer"))  # the district list is not the viewer's to count
    assert info.returncode == 0, info.stderr
    assert f"Signed in as {o.logins['viewer']}" in info.stdout
    assert [ln.split() for ln in info.stdout.splitlines() if "role_districts" in ln] == [
        ["role_districts", "-"]
    ]
    upgrade(str(tmp_path / "one.gpkg"))
    gpkg = cli("roles", str(tmp_path / "one.gpkg"))
    assert gpkg.returncode == 2 and "PostgreSQL's" in gpkg.stderr


def test_a_thematic_layer_made_later_gets_the_grants_and_the_district_policy(office):
    o = office
    admin = o.open_as("admin")
    try:
        info = create_thematic_table(
            admin, "street_occupation_points", table_name="occupation_2027"
        )
    finally:
        admin.close()
    insert = (
        "INSERT INTO occupation_2027 (surveyor, survey_date, geom) VALUES ('a', '2026-11-20', :g)"
    )
    inside_a = f"SRID=4549;POINT({PLACES[A]['x'] + 10} {Y + 10})"
    inside_b = f"SRID=4549;POINT({PLACES[B]['x'] + 10} {Y + 10})"
    assert _try(o.engine_as("editor_a"), _sql(insert, g=inside_a))
    assert not _try(o.engine_as("editor_a"), _sql(insert, g=inside_b))  # WITH CHECK
    assert _try(o.engine_as("editor"), _sql(insert, g=inside_b))
    assert not _try(o.engine_as("reviewer"), _sql(insert, g=inside_a))
    assert _try(o.engine_as("viewer"), _sql("SELECT count(*) FROM occupation_2027"))
    assert info.table_name == "occupation_2027"
