"""Set-wise writes of a census apply: components inserted and updated many rows per statement,
their history versions and audit rows likewise.

PostGIS: inserts go as multi-row ``INSERT … VALUES`` (SQLAlchemy's insertmanyvalues, with
``RETURNING``); updates as one ``UPDATE … FROM json_to_recordset(…)`` per chunk, guarded by
the version each row was read at. GeoPackage (SQLite in the same process): ``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Date,
    Integer,
    Text,
    bindparam,
    case,
    cast,
    column,
    func,
    select,
    update,
)

from ..workspace.store import Workspace
from ..workspace.types import UtcDateTime
from .errors import VersionConflict
from .validation import EDITABLE_FIELDS

CHUNK = 2000  # rows per statement batch
GRID_FIELDS = ("grid_code", "street_code", "street_name", "community_code", "community_name")
# The columns an update writes (besides geometry, version and who/when)
UPDATED = (*EDITABLE_FIELDS, *GRID_FIELDS, "change_date")
_DATES = ("initial_date", "change_date")


def chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def insert_components(conn: Connection, ws: Workspace, rows: list[dict[str, Any]]) -> list[int]:
    """Insert component rows (``geom`` as EWKT); their new ids, in order."""
    c = ws.schema.components
    ids: list[int] = []
    for part in chunks(rows):
        result = conn.execute(c.insert().returning(c.c.id, sort_by_parameter_order=True), part)
        ids += [r[0] for r in result]
    return ids


def insert_rows(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert many rows of one shape (history versions, audit rows)."""
    for part in chunks(rows):
        conn.execute(table.insert(), list(part))


def _json_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return v


def _update_postgres(conn: Connection, ws: Workspace, rows: Sequence[dict[str, Any]]) -> int:
    """One ``UPDATE … FROM json_to_recordset`` for ``rows``; how many rows it changed."""
    c = ws.schema.components
    cols = [column("id", Integer), column("old_version", Integer), column("version", Integer)]
    cols += [column(f, Date if f in _DATES else Text) for f in UPDATED]
    cols += [column("updated_at", UtcDateTime), column("updated_by", Text), column("geom", Text)]
    v = (
        func.json_to_recordset(cast(bindparam("rows"), JSON))
        .table_valued(*cols)
        .render_derived(name="v", with_types=True)
    )
    values: dict[str, Any] = {f: v.c[f] for f in UPDATED}
    values.update(
        version=v.c.version,
        updated_at=v.c.updated_at,
        updated_by=v.c.updated_by,
        geom=case((v.c.geom.is_(None), c.c.geom), else_=func.ST_GeomFromEWKT(v.c.geom)),
    )
    stmt = update(c).values(values).where(c.c.id == v.c.id, c.c.version == v.c.old_version)
    payload = json.dumps([{k: _json_value(x) for k, x in r.items()} for r in rows])
    return conn.execute(stmt, {"rows": payload}).rowcount


def update_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]], names) -> int:
    """``executemany`` of one UPDATE per row of ``table`` (``id``, ``old_version``, the
    columns ``names`` and ``geom``: EWKT or None to keep it), each only if still at
    ``old_version``; rows with and without a new geometry apart. How many rows changed.
    Parameters are named ``p_<column>``: a parameter named as a column would be set too."""
    done = 0
    for with_geom in (False, True):
        part = [r for r in rows if (r["geom"] is not None) == with_geom]
        if not part:
            continue
        values: dict[str, Any] = {f: bindparam("p_" + f, type_=table.c[f].type) for f in names}
        if with_geom:
            values["geom"] = bindparam("p_geom", type_=table.c.geom.type)
        stmt = (
            update(table)
            .where(table.c.id == bindparam("p_id"), table.c.version == bindparam("p_old"))
            .values(values)
        )
        params = [
            {
                "p_id": r["id"],
                "p_old": r["old_version"],
                **{"p_" + k: r[k] for k in (*names, "geom")},
            }
            for r in part
        ]
        done += conn.execute(stmt, params).rowcount
    return done


def _update_sqlite(conn: Connection, ws: Workspace, rows: Sequence[dict[str, Any]]) -> int:
    names = (*UPDATED, "version", "updated_at", "updated_by")
    return update_rows(conn, ws.schema.components, rows, names)


def update_components(conn: Connection, ws: Workspace, rows: list[dict[str, Any]]) -> None:
    """Write component rows (id, old_version, version, :data:`UPDATED`, updated_at,
    updated_by, geom EWKT or None to keep it), each only if still at ``old_version``; a row
    someone changed meanwhile raises :class:`VersionConflict` (the caller rolls back)."""
    writer = _update_postgres if ws.is_postgres else _update_sqlite
    for part in chunks(rows):
        if writer(conn, ws, part) != len(part):
            raise_conflict(conn, ws, part)


def raise_conflict(
    conn: Connection, ws: Workspace, rows: Sequence[dict[str, Any]], table: Any = None
) -> None:
    """The first row the update did not reach (someone changed or removed it after it was
    read), as a VersionConflict."""
    c = ws.schema.components if table is None else table
    wanted = {r["id"]: (r["old_version"], r["version"]) for r in rows}
    found = dict(conn.execute(select(c.c.id, c.c.version).where(c.c.id.in_(list(wanted)))).all())
    for cid, (old, new) in wanted.items():
        if found.get(cid) != new:
            raise VersionConflict(cid, old, found.get(cid), None)
    first = next(iter(wanted))  # pragma: no cover - a count off with every row written
    raise VersionConflict(first, wanted[first][0], None, None)
