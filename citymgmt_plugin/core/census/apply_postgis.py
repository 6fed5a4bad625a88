"""PostGIS: a chunk of new or changed components in one statement, the database keeping their
versions, history and audit rows.

On PostGIS the database writes a component's version, history (after a baseline of the state
before, when it had none) and audit row itself, for every writer (triggers of migrations 0003
and 0006; since 0006 a statement's rows are historised together, from its transition
tables). The census code names the operation (here: ``import`` for new components; changes
name none, so each row's is read from what changed, as one component's edit would name it),
the reason and the person (``updated_by``) once per statement, and sends the chunk's rows as
one JSON document: one ``INSERT … SELECT`` or ``UPDATE … FROM json_to_recordset``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

from ..i18n import tr
from .apply_write import GRID_FIELDS, UPDATED
from .geo import to_ewkt
from .validation import EDITABLE_FIELDS

_DATES = ("initial_date", "change_date")
_UPDATED = frozenset(UPDATED)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _record_columns() -> str:
    cols = ["id int", "old_version int"]
    cols += [f"{_q(f)} {'date' if f in _DATES else 'text'}" for f in UPDATED]
    cols += ["geom text", "fields jsonb"]
    return ", ".join(cols)


def _set_clause() -> str:
    """Each column from the payload when the change names it, else as it is; the version,
    change date and who/when are the database's (the components' stamp trigger)."""
    sets = [
        f"{_q(f)} = CASE WHEN v.fields ? '{f}' THEN v.{_q(f)} ELSE c.{_q(f)} END"
        for f in UPDATED
        if f != "change_date"
    ]
    sets.append("geom = coalesce(ST_GeomFromEWKT(v.geom), c.geom)")
    return ", ".join(sets)


CHANGE_SQL = f"""
WITH v AS (
  SELECT * FROM json_to_recordset(CAST(:rows AS json)) AS v({_record_columns()})
), upd AS (
  UPDATE components c SET {_set_clause()}
  FROM v WHERE c.id = v.id AND c.version = v.old_version
  RETURNING c.id
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
INSERT INTO components ({", ".join(_q(f) for f in CREATED)}, geom)
SELECT {", ".join("v." + _q(f) for f in CREATED)}, ST_GeomFromEWKT(v.geom)
FROM json_to_recordset(CAST(:rows AS json)) AS v({_created_columns()})
RETURNING identifier, id
"""


def name_changes(conn: Connection, operation: str | None, reason: str | None, actor: str) -> None:
    """Tell the database what the next statement's component writes are (an operation, or
    none: read from each row's changes), why, and for whom; used by that statement."""
    conn.execute(
        text(
            "SELECT set_config('citymgmt.operation', :op, true), "
            "set_config('citymgmt.reason', :reason, true), "
            "set_config('citymgmt.actor', :actor, true), "
            "set_config('citymgmt.baseline_reason', :baseline, true)"
        ),
        {
            "op": operation or "",
            "reason": reason or "",
            "actor": actor,
            "baseline": tr("Census", "state before the first recorded change"),
        },
    )


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def write_created(
    conn: Connection, rows: Sequence[dict[str, Any]], actor: str, reason: str | None
) -> dict[str, int]:
    """New components in one statement (history version 1 and audit rows by the
    database, operation ``import``); their ids by identifier."""
    payload = [{k: _plain(v) for k, v in r.items()} for r in rows]
    name_changes(conn, "import", reason, actor)
    result = conn.execute(text(CREATE_SQL), {"rows": json.dumps(payload, ensure_ascii=False)})
    return dict(result.all())


def change_payload(ch: Any, srid: int) -> dict[str, Any]:
    """One :class:`.apply_plan.Change` as the statement reads it: the values that change,
    the version read, the new geometry (EWKT, None: unchanged) and the fields it sets."""
    nv = ch.new_values
    out: dict[str, Any] = {f: _plain(nv[f]) for f in ch.diff if f in _UPDATED}
    out.update(
        id=ch.current.id,
        old_version=ch.current.version,
        version=ch.version,  # what the database will make of it (for a conflict's message)
        geom=to_ewkt(ch.new_geom, srid) if ch.new_geom is not None else None,
        fields=sorted(ch.diff),
    )
    return out


def write_changes(
    conn: Connection, payload: Sequence[dict[str, Any]], actor: str, reason: str | None
) -> int:
    """The chunk's components updated (each only at the version read; the database writes
    version, history, baselines and audit rows); how many were updated."""
    name_changes(conn, None, reason, actor)
    params = {"rows": json.dumps(list(payload), ensure_ascii=False)}
    return int(conn.execute(text(CHANGE_SQL), params).scalar_one())
