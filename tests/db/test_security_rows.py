"""District limits (row-level security) and an audit nobody can forge, on real PostGIS logins.

Editors and reviewers limited to district A neither see nor change district B's rows, through
the product's own code or plain SQL. Audit rows name the database login and the database's
time whatever the client sends; audit and history refuse UPDATE, DELETE and TRUNCATE for every
login but an admin, even one granted those rights on the tables; every component change made
with plain SQL gets a version, a history row and an audit row like the census dock's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from citymgmt_plugin.core import census
from citymgmt_plugin.core.submissions import review
from citymgmt_plugin.core.workspace.store import Workspace
from tests.fixtures.office import PLACES, A, B, Office, Y, build_office, component_in


@pytest.fixture
def office(pg_url: str, pg_spec: str) -> Iterator[Office]:
    yield from build_office(pg_url, pg_spec)


def _ids(ws: Workspace, table: str) -> set[int]:
    t = getattr(ws.schema, table)
    with ws.engine.connect() as c:
        return set(c.execute(select(t.c.id)).scalars())


def _pgcode(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "pgcode", None)


def test_editor_of_district_a_neither_sees_nor_changes_district_b(office):
    o = office
    ws = o.open_as("editor_a")
    comp_a, comp_b = o.components[A], o.components[B]
    try:
        assert _ids(ws, "components") == {comp_a}
        assert {r["component_id"] for r in _history(ws)} == {comp_a}
        with ws.engine.connect() as c:
            features = c.execute(text(f'SELECT count(*) FROM "{o.thematic}"')).scalar()
        assert features == 1  # the waterlogging point inside district A only
        with pytest.raises(census.NotFound), census.write_transaction(ws) as c:
            census.update_component(c, ws, comp_b, {"note": "改"}, ws.actor)
        with ws.begin() as c:
            hidden = c.execute(
                text("UPDATE components SET note = 'x' WHERE id = :i"), {"i": comp_b}
            )
        assert hidden.rowcount == 0
        with pytest.raises(DBAPIError) as err:
            component_in(ws, B)  # placing one in district B: the row is refused
        assert _pgcode(err.value) == "42501" and "row-level security" in str(err.value)
        ref = component_in(ws, A)  # district A: placed, versioned, audited
        assert ref.identifier.startswith(A)
    finally:
        ws.close()
    with o.owner.engine.connect() as c:  # nothing of B changed
        note = c.execute(text("SELECT note FROM components WHERE id = :i"), {"i": comp_b}).scalar()
    assert note is None
    assert _ids(o.open_as("editor"), "components") >= {comp_a, comp_b}  # not limited


def _history(ws: Workspace) -> list[dict]:
    h = ws.schema.component_history
    with ws.engine.connect() as c:
        return [dict(r) for r in c.execute(select(h).order_by(h.c.id)).mappings()]


def test_reviewer_of_district_a_sees_and_decides_district_a_only(office):
    o = office
    ws = o.open_as("reviewer_a")
    try:
        queue = review.queue(ws)
        assert {i.id for i in queue} == set(o.submissions[A])
        b_sub = o.submissions[B][0]
        with pytest.raises(review.ReviewError):
            review.decide(ws, review.Decision(b_sub, 1, "reject", "不是部件"))
        with pytest.raises(DBAPIError) as err, ws.begin() as c:
            c.execute(
                text(
                    "INSERT INTO review_decisions (submission_id, decision, reviewer, decided_at, "
                    "written_back) VALUES (:i, 'reject', 'x', now(), false)"
                ),
                {"i": b_sub},
            )
        assert _pgcode(err.value) == "42501"
        a_sub = o.submissions[A][0]
        with pytest.raises(DBAPIError) as err, ws.begin() as c:  # nor moved out of A
            c.execute(
                text("UPDATE submissions SET grid_code = :g WHERE id = :i"),
                {"g": PLACES[B]["community"] + "001", "i": a_sub},
            )
        assert _pgcode(err.value) == "42501"
        out = review.decide(ws, review.Decision(a_sub, 1, "reject", "不是部件"))
        assert out.state == "rejected"
    finally:
        ws.close()
    unlimited = o.open_as("reviewer")
    assert {i.id for i in review.queue(unlimited)} == set(o.submissions[A] + o.submissions[B])
    admin = o.open_as("admin")
    assert len(review.queue(admin)) == 4


def test_audit_actor_and_time_are_the_databases(office):
    o = office
    ws = o.open_as("editor")
    login = o.logins["editor"]
    a = ws.schema.audit_events
    with ws.begin() as c:
        new = c.execute(
            a.insert()
            .values(
                at=datetime(2000, 1, 1, tzinfo=timezone.utc),
                actor="someone else",
                action="census.update",
            )
            .returning(a.c.id)
        ).scalar_one()
    with ws.engine.connect() as c:
        row = c.execute(select(a.c.actor, a.c.at).where(a.c.id == new)).one()
    assert row.actor == login  # session_user, not what the client wrote
    assert abs(row.at - datetime.now(timezone.utc)) < timedelta(minutes=5)
    with pytest.raises(DBAPIError) as err, ws.begin() as c:  # no privilege to rewrite it
        c.execute(text("UPDATE audit_events SET actor = 'someone else' WHERE id = :i"), {"i": new})
    assert _pgcode(err.value) == "42501"


def test_audit_and_history_are_append_only_even_with_table_rights(pg_other_login):
    """The login of pg_other_login was granted SELECT, INSERT, UPDATE, DELETE on every table
    by hand: the triggers still refuse to rewrite or delete audit and history."""
    spec, role = pg_other_login
    ws = Workspace.open(spec)
    try:
        with census.write_transaction(ws) as c:
            _seed_one_grid(c, ws)
        ref = _place(ws)
        for sql in (
            "UPDATE audit_events SET actor = 'boss'",
            "DELETE FROM audit_events",
            "UPDATE component_history SET changed_by = 'boss'",
            "DELETE FROM component_history",
        ):
            with pytest.raises(DBAPIError) as err, ws.begin() as c:
                c.execute(text(sql))
            assert _pgcode(err.value) == "42501" and "append-only" in str(err.value), sql
        with ws.engine.connect() as c:
            actors = set(c.execute(text("SELECT actor FROM audit_events")).scalars())
            n_hist = c.execute(
                text("SELECT count(*) FROM component_history WHERE component_id = :i"),
                {"i": ref.id},
            ).scalar()
        assert actors == {role} and n_hist == 1
    finally:
        ws.close()


def test_the_workspace_owner_is_its_admin_and_may_correct_the_audit(pg_workspace):
    ws = pg_workspace
    with ws.begin() as c:
        c.execute(text("INSERT INTO audit_events (at, actor, action) VALUES (now(), 'x', 'a')"))
        assert c.execute(text("UPDATE audit_events SET action = 'b'")).rowcount == 1
        assert c.execute(text("DELETE FROM audit_events")).rowcount == 1


def _seed_one_grid(c, ws: Workspace) -> None:
    from tests.fixtures.office import grid_of, square

    s = ws.schema
    p = PLACES[A]
    geom = square(p["x"], Y)
    c.execute(
        s.admin_units.insert(),
        [
            {"level": "district", "code": A, "name": "A", "geom": geom},
            {"level": "street", "code": p["street"], "name": "s", "parent_code": A, "geom": geom},
            {
                "level": "community",
                "code": p["community"],
                "name": "c",
                "parent_code": p["street"],
                "geom": geom,
            },
        ],
    )
    c.execute(
        s.unit_grids.insert().values(code=grid_of(A), community_code=p["community"], geom=geom)
    )


def _place(ws: Workspace) -> census.ComponentRef:
    draft = census.ComponentDraft(
        "0101", Point(PLACES[A]["x"] + 50, Y + 50), name="井盖", dept_code="001", dept_name="水务"
    )
    with census.write_transaction(ws) as c:
        return census.create_component(c, ws, draft, ws.actor)


def test_plain_sql_edits_get_version_history_and_audit_like_the_census_dock(office):
    o = office
    ws = o.open_as("editor")
    login = o.logins["editor"]
    cid = o.components[A]
    try:
        with ws.begin() as c:  # a forged version and author change nothing recorded
            c.execute(
                text("UPDATE components SET version = 99, updated_by = 'boss' WHERE id = :i"),
                {"i": cid},
            )
        with ws.begin() as c:
            c.execute(text("UPDATE components SET note = '盖板裂' WHERE id = :i"), {"i": cid})
            c.execute(
                text(
                    "UPDATE components SET geom = 'SRID=4549;POINT(500053 3500054)' WHERE id = :i"
                ),
                {"i": cid},
            )
        with pytest.raises(DBAPIError, match="cannot change"), ws.begin() as c:
            c.execute(
                text("UPDATE components SET identifier = '3205080101000777' WHERE id = :i"),
                {"i": cid},
            )
        with ws.engine.connect() as c:
            comp = census.get_component(c, ws, cid)
        assert comp.version == 3 and comp.attributes["updated_by"] == login
        rows = [r for r in _history(ws) if r["component_id"] == cid]
        assert [(r["version"], r["operation"], r["changed_by"]) for r in rows] == [
            (1, "create", o.owner.actor),
            (2, "update", login),
            (3, "move", login),
        ]
        assert rows[1]["changes"] == {"note": [None, "盖板裂"]}
        assert rows[1]["attributes"]["note"] == "盖板裂" and rows[1]["attributes"]["version"] == 2
        assert rows[2]["changes"] == {"geom": [None, 5.0]}
        a = ws.schema.audit_events
        with ws.engine.connect() as c:
            audit = c.execute(
                select(a.c.action, a.c.actor, a.c.detail)
                .where(a.c.table_name == "components", a.c.row_id == cid)
                .order_by(a.c.id)
            ).all()
        assert [(r.action, r.actor) for r in audit] == [
            ("census.create", o.owner.actor),
            ("census.update", login),
            ("census.move", login),
        ]
        assert audit[1].detail == {
            "identifier": comp["identifier"],
            "version": 2,
            "fields": ["note"],
        }
    finally:
        ws.close()


def test_census_code_and_trigger_write_each_version_once(office):
    o = office
    ws = o.open_as("editor")
    cid = o.components[A]
    try:
        with census.write_transaction(ws) as c:
            census.update_component(c, ws, cid, {"status": "破损"}, ws.actor, "巡查发现", 1)
            census.retire_component(c, ws, cid, ws.actor, "拆除", expected_version=2)
        rows = [r for r in _history(ws) if r["component_id"] == cid]
        assert [(r["version"], r["operation"], r["reason"]) for r in rows] == [
            (1, "create", None),
            (2, "status", "巡查发现"),
            (3, "retire", "拆除"),
        ]
        a = ws.schema.audit_events
        with ws.engine.connect() as c:
            n = c.execute(
                select(func.count()).where(a.c.table_name == "components", a.c.row_id == cid)
            ).scalar()
        assert n == 3
    finally:
        ws.close()


def test_bulk_loaded_component_gets_its_baseline_on_the_first_change(office):
    o = office
    with o.owner.begin() as c:  # the admin loads without history
        c.execute(text("SET LOCAL citymgmt.bulk_load = on"))
        cid = component_in(o.owner, A, conn=c).id
    assert not [r for r in _history(o.owner) if r["component_id"] == cid]
    ws = o.open_as("editor")
    try:
        with ws.begin() as c:
            c.execute(text("SET LOCAL citymgmt.bulk_load = on"))  # not an admin: ignored
            other = component_in(ws, A, conn=c).id
            c.execute(text("UPDATE components SET name = '雨水井盖' WHERE id = :i"), {"i": cid})
        rows = [r for r in _history(ws) if r["component_id"] in (cid, other)]
        assert [(r["component_id"], r["version"], r["operation"]) for r in rows] == [
            (other, 1, "create"),
            (cid, 1, "import"),
            (cid, 2, "update"),
        ]
        assert rows[1]["changed_by"] == o.owner.actor  # who loaded it, not who changed it
    finally:
        ws.close()
