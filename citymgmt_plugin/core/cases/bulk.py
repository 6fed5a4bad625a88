"""Many new cases at once on PostGIS: COPY the rows in, then their history rows in one
``INSERT … SELECT`` (a platform's yearly export is 100,000s of cases; row-by-row inserts
with their geometry and JSON take minutes, COPY seconds)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import Connection, Text, any_, bindparam, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from ..workspace.store import Workspace
from .codes import CaseState
from .importer import CaseRecord

NULL = r"\N"
COLUMNS = (
    "case_no",
    "channel",
    "kind",
    "class_code",
    "description",
    "address",
    "state",
    "reported_at",
    "due_at",
    "closed_at",
    "collector_code",
    "state_at",
    "grid_code",
    "resp_grid_code",
    "source",
    "source_values",
    "source_hash",
    "row_version",
    "created_at",
    "updated_at",
    "updated_by",
    "geom",
)


def _time(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _text(value: str | None) -> str:
    return NULL if value is None else value


def _line(rec: CaseRecord, srid: int, source: str, actor: str, now: str, resp: dict) -> list:
    v = rec.values
    state = v["state"]
    closed = v.get("closed_at")
    state_at = closed.isoformat() if state is CaseState.CLOSED and closed else now
    return [
        rec.case_no,
        v["channel"].value,
        v["kind"].value,
        v["class_code"],
        _text(v.get("description")),
        _text(v.get("address")),
        state.value,
        _time(v.get("reported_at")),
        _time(v.get("due_at")),
        _time(closed),
        _text(v.get("collector_code")),
        state_at,
        _text(rec.grid_code),
        _text(resp.get(rec.grid_code or "")),
        source,
        rec.source_text,
        rec.source_hash,
        1,
        now,
        now,
        actor,
        f"SRID={srid};POINT({rec.x!r} {rec.y!r})",
    ]


def copy_cases(
    conn: Connection,
    ws: Workspace,
    records: list[CaseRecord],
    source: str,
    actor: str,
    now: datetime,
    resp: dict[str, str],
) -> None:
    """COPY new cases into the workspace's cases table (geometry as EWKT, JSON as text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    stamp = now.isoformat()
    writer.writerows(_line(r, ws.srid, source, actor, stamp, resp) for r in records)
    buffer.seek(0)
    table = f'"{ws.spec.schema}"."cases"'
    sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
    with conn.connection.driver_connection.cursor() as cursor:
        cursor.copy_expert(sql, buffer)


def history_of_new(
    conn: Connection, ws: Workspace, numbers: list[str], at: datetime, actor: str, note: str
) -> None:
    """One import history row for each of the cases ``numbers`` (just copied in)."""
    c, h = ws.schema.cases, ws.schema.case_history
    chosen = select(
        c.c.id,
        literal(at, h.c.at.type),
        literal(actor, Text),
        literal("import", Text),
        c.c.state,
        literal(note, Text),
    ).where(c.c.case_no == any_(bindparam("numbers", type_=ARRAY(Text))))
    conn.execute(
        insert(h).from_select(["case_id", "at", "actor", "operation", "to_state", "note"], chosen),
        {"numbers": numbers},
    )


def stored_hashes(conn: Connection, ws: Workspace, numbers: list[str]) -> dict[str, str]:
    """Number → source hash of the stored cases among ``numbers`` (one query)."""
    c = ws.schema.cases
    rows = conn.execute(
        select(c.c.case_no, c.c.source_hash).where(
            c.c.case_no == any_(bindparam("numbers", type_=ARRAY(Text)))
        ),
        {"numbers": numbers},
    )
    return {r.case_no: r.source_hash for r in rows}
