"""PostGIS: a chunk of component changes, with history and audit, in one statement.

The chunk's new states go to the server as one JSON document; one statement with
data-modifying CTEs then keeps the state before of components without history (baseline
rows), updates the components still at the version read, and writes their history versions
(snapshots built by the server from the updated rows) and audit rows. New components'
history and audit rows are likewise built by the server from the inserted rows
(``INSERT … SELECT``). The snapshots hold what :func:`.components._snapshot` holds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from .apply_write import GRID_FIELDS, UPDATED
from .components import SNAPSHOT_FIELDS
from .geo import to_ewkt
from .validation import EDITABLE_FIELDS

_DATES = ("initial_date", "change_date")
_UPDATED = frozenset(UPDATED)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def snapshot_sql(alias: str) -> str:
    """A jsonb snapshot of row ``alias`` of components (the history's ``attributes``)."""
    return (
        "jsonb_build_object(" + ", ".join(f"'{f}', {alias}.{_q(f)}" for f in SNAPSHOT_FIELDS) + ")"
    )


def _record_columns() -> str:
    cols = ["id int", "old_version int", "version int"]
    cols += [f"{_q(f)} {'date' if f in _DATES else 'text'}" for f in UPDATED]
    cols += ["geom text", "operation text", "changes jsonb", "fields jsonb"]
    return ", ".join(cols)


def _set_clause() -> str:
    """Each column from the payload when the change names it, else as it is."""
    sets = [
        f"{_q(f)} = CASE WHEN v.fields ? '{f}' THEN v.{_q(f)} ELSE c.{_q(f)} END"
        for f in UPDATED
        if f != "change_date"
    ]
    sets.append("change_date = v.change_date")
    sets += [
        "version = v.version",
        "updated_at = CAST(:now AS timestamptz)",
        "updated_by = :actor",
        "geom = coalesce(ST_GeomFromEWKT(v.geom), c.geom)",
    ]
    return ", ".join(sets)


_HISTORY_COLUMNS = (
    "component_id, version, operation, changed_at, changed_by, reason, attributes, changes, geom"
)

CHANGE_SQL = f"""
WITH v AS (
  SELECT * FROM json_to_recordset(CAST(:rows AS json)) AS v({_record_columns()})
), base AS (
  INSERT INTO component_history ({_HISTORY_COLUMNS})
  SELECT c.id, c.version, 'import', coalesce(c.updated_at, CAST(:now AS timestamptz)),
         coalesce(c.updated_by, '?'), :baseline, {snapshot_sql("c")}, NULL, c.geom
  FROM components c JOIN v ON v.id = c.id AND c.version = v.old_version
  WHERE NOT EXISTS (SELECT 1 FROM component_history h
                    WHERE h.component_id = c.id AND h.version = c.version)
), upd AS (
  UPDATE components c SET {_set_clause()}
  FROM v WHERE c.id = v.id AND c.version = v.old_version
  RETURNING c.*
), hist AS (
  INSERT INTO component_history ({_HISTORY_COLUMNS})
  SELECT u.id, u.version, v.operation, CAST(:now AS timestamptz), :actor, :reason,
         {snapshot_sql("u")}, v.changes, u.geom
  FROM upd u JOIN v ON v.id = u.id
), aud AS (
  INSERT INTO audit_events (at, actor, action, table_name, row_id, detail)
  SELECT CAST(:now AS timestamptz), :actor, 'census.' || v.operation, 'components', u.id,
         jsonb_build_object('identifier', u.identifier, 'version', u.version, 'fields', v.fields)
  FROM upd u JOIN v ON v.id = u.id
)
SELECT count(*) FROM upd
"""

# the columns of a new component's row (see apply_plan.creation_row) and their types
CREATED = (
    *EDITABLE_FIELDS, "identifier", "scheme", "class_code", *GRID_FIELDS, "change_date",
    "version", "updated_at", "updated_by",
)  # fmt: skip
_CREATED_TYPES = {"initial_date": "date", "change_date": "date", "version": "int",
                  "updated_at": "timestamptz"}  # fmt: skip


def _created_columns() -> str:
    cols = [f"{_q(f)} {_CREATED_TYPES.get(f, 'text')}" for f in CREATED]
    return ", ".join([*cols, "geom text"])


CREATE_SQL = f"""
WITH ins AS (
  INSERT INTO components ({", ".join(_q(f) for f in CREATED)}, geom)
  SELECT {", ".join("v." + _q(f) for f in CREATED)}, ST_GeomFromEWKT(v.geom)
  FROM json_to_recordset(CAST(:rows AS json)) AS v({_created_columns()})
  RETURNING *
), hist AS (
  INSERT INTO component_history ({_HISTORY_COLUMNS})
  SELECT c.id, 1, 'import', CAST(:now AS timestamptz), :actor, :reason, {snapshot_sql("c")},
         NULL, c.geom FROM ins c
), aud AS (
  INSERT INTO audit_events (at, actor, action, table_name, row_id, detail)
  SELECT CAST(:now AS timestamptz), :actor, 'census.import', 'components', c.id,
         jsonb_build_object('identifier', c.identifier) FROM ins c
)
SELECT identifier, id FROM ins
"""


def write_created(
    conn: Connection, rows: Sequence[dict[str, Any]], now: datetime, actor: str,
    reason: str | None,
) -> dict[str, int]:  # fmt: skip
    """New components with their history version 1 and audit rows, in one statement;
    their ids by identifier."""
    payload = [
        {k: (v.isoformat() if isinstance(v, (date, datetime)) else v) for k, v in r.items()}
        for r in rows
    ]
    params = {
        "rows": json.dumps(payload, ensure_ascii=False),
        "now": now.isoformat(),
        "actor": actor,
        "reason": reason,
    }
    return dict(conn.execute(text(CREATE_SQL), params).all())


def change_payload(ch: Any, srid: int) -> dict[str, Any]:
    """One :class:`.apply_plan.Change` as the statement reads it: the values that change
    and the change date, the version read and the next, the new geometry (EWKT, None:
    unchanged), the operation and the change list (whose fields the statement sets)."""
    nv = ch.new_values
    out: dict[str, Any] = {f: nv[f] for f in ch.diff if f in _UPDATED}
    out["change_date"] = nv["change_date"]
    for f in _DATES:
        if isinstance(out.get(f), (date, datetime)):
            out[f] = out[f].isoformat()
    out.update(
        id=ch.current.id,
        old_version=ch.current.version,
        version=ch.version,
        geom=to_ewkt(ch.new_geom, srid) if ch.new_geom is not None else None,
        operation=ch.operation,
        changes=ch.diff,
        fields=sorted(ch.diff),
    )
    return out


def write_changes(
    conn: Connection,
    payload: Sequence[dict[str, Any]],
    now: datetime,
    actor: str,
    reason: str | None,
    baseline_reason: str,
) -> int:
    """Baselines, updates, history versions and audit rows of one chunk; how many
    components were updated (fewer than the chunk: someone changed one meanwhile)."""
    params = {
        "rows": json.dumps(list(payload), ensure_ascii=False),
        "now": now.isoformat(),
        "actor": actor,
        "reason": reason,
        "baseline": baseline_reason,
    }
    return int(conn.execute(text(CHANGE_SQL), params).scalar_one())
