"""Component history and audit by PostGIS's statement triggers (migration 0006).

One UPDATE over many components writes the same history and audit rows as migration 0003's
row triggers did (baselines of components loaded without history, operations read from each
row's changes), and an operation and reason named once apply to every row of the statement.
"""

from __future__ import annotations

from typing import Any

import pytest
from shapely.geometry import Point
from sqlalchemy import text
from sqlalchemy.engine import Connection

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census import ComponentDraft
from citymgmt_plugin.core.sqlnames import quote
from citymgmt_plugin.demo.lattice import seed_lattice

X0, Y0 = 500000.0, 3500000.0

ROW_TRIGGERS = """
DROP TRIGGER components_history_insert ON {s}.components;
DROP TRIGGER components_history_update ON {s}.components;
CREATE TRIGGER components_history_insert AFTER INSERT ON {s}.components
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_component_history();
CREATE TRIGGER components_history_update AFTER UPDATE ON {s}.components
  FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
  EXECUTE FUNCTION {s}.citymgmt_component_history();
"""

# one statement, three components: a note, a move and a status change; the first was
# loaded without history (it gets its baseline first)
UPDATE = """
UPDATE components SET
  note = CASE WHEN id = :a THEN '盖板裂' ELSE note END,
  geom = CASE WHEN id = :b THEN ST_Translate(geom, 3, 4) ELSE geom END,
  status = CASE WHEN id = :c THEN '破损' ELSE status END
WHERE id IN (:a, :b, :c)
"""


@pytest.fixture
def three(pg_workspace) -> tuple[Any, dict[str, int]]:
    ws = pg_workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    ids = {}
    with census.write_transaction(ws) as c:
        c.execute(text("SET LOCAL citymgmt.bulk_load = on"))  # the owner loads without history
        ids["a"] = _place(c, ws, 50).id
    with census.write_transaction(ws) as c:
        ids["b"] = _place(c, ws, 150).id
        ids["c"] = _place(c, ws, 250).id
    return ws, ids


def _place(c: Connection, ws: Any, dx: float) -> census.ComponentRef:
    draft = ComponentDraft(
        "0101", Point(X0 + dx, Y0 + 50), name="上水井盖", dept_code="001", dept_name="市水务局"
    )
    return census.create_component(c, ws, draft, ws.actor)


def _written(c: Connection, ids: dict[str, int]) -> tuple[list, list]:
    """History and audit rows of the three components, without ids and clock times."""
    params = {"ids": list(ids.values())}
    history = c.execute(
        text(
            "SELECT component_id, version, operation, changed_by, reason, "
            "attributes::text, changes::text, ST_AsEWKT(geom) FROM component_history "
            "WHERE component_id = ANY(:ids) ORDER BY component_id, version"
        ),
        params,
    ).all()
    audit = c.execute(
        text(
            "SELECT row_id, action, actor, detail::text FROM audit_events "
            "WHERE table_name = 'components' AND row_id = ANY(:ids) ORDER BY row_id, id"
        ),
        params,
    ).all()
    return [tuple(r) for r in history], [tuple(r) for r in audit]


def _update(c: Connection, ids: dict[str, int], op: str = "", reason: str = "") -> None:
    c.execute(
        text(
            "SELECT set_config('citymgmt.operation', :op, true), "
            "set_config('citymgmt.reason', :reason, true)"
        ),
        {"op": op, "reason": reason},
    )
    assert c.execute(text(UPDATE), ids).rowcount == 3


def test_one_statement_writes_the_rows_of_0003s_row_triggers(three):
    ws, ids = three
    with ws.engine.connect() as c:  # as 0003 did it, then undone
        tx = c.begin()
        c.execute(text(ROW_TRIGGERS.format(s=quote(ws.spec.schema))))
        _update(c, ids)
        by_row = _written(c, ids)
        tx.rollback()
    with ws.begin() as c:
        _update(c, ids)
    with ws.engine.connect() as c:
        by_statement = _written(c, ids)
    assert by_statement == by_row
    history, audit = by_statement
    assert [(r[0], r[1], r[2]) for r in history] == [
        (ids["a"], 1, "import"),  # the baseline of the component loaded without history
        (ids["a"], 2, "update"),
        (ids["b"], 1, "create"),
        (ids["b"], 2, "move"),
        (ids["c"], 1, "create"),
        (ids["c"], 2, "status"),
    ]
    assert [(r[0], r[1]) for r in audit] == [
        (ids["a"], "census.update"),
        (ids["b"], "census.create"),
        (ids["b"], "census.move"),
        (ids["c"], "census.create"),
        (ids["c"], "census.status"),
    ]


def test_an_operation_and_reason_named_once_apply_to_the_whole_statement(three):
    ws, ids = three
    with ws.begin() as c:
        _update(c, ids, op="import", reason="2026年普查")
    with ws.engine.connect() as c:
        history, audit = _written(c, ids)
    assert [(r[2], r[4]) for r in history if r[1] == 2] == [("import", "2026年普查")] * 3
    assert [r[1] for r in audit if "version" in r[3]] == ["census.import"] * 3
    with ws.begin() as c:  # named for that statement only
        c.execute(text("UPDATE components SET note = '复查' WHERE id = :a"), ids)
    with ws.engine.connect() as c:
        history, _ = _written(c, ids)
    assert [(r[1], r[2], r[4]) for r in history if r[0] == ids["a"]][-1] == (3, "update", None)
