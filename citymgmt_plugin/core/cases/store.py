"""Cases in the workspace: store an imported batch, change a case, read a case and its history.

Every change of a case writes one ``case_history`` row (who, when, what changed, the state
before and after) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import shapely
from sqlalchemy import Connection, func, insert, select, update

from ..census.geo import from_db
from ..census.grids import find_grid
from ..i18n import tr
from ..workspace.store import Workspace, audit
from .codes import CaseState, Operation
from .importer import CaseBatch, CaseRecord, RowFailure

_CTX = "Cases"
_CHUNK = 500  # SQL IN-list size
# Case columns an import sets from a row's values
VALUE_COLUMNS = (
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
)
POSITION_FIELDS = ("x", "y", "crs", "position")
COPY_FROM = 1000  # new cases from which PostGIS gets them by COPY
CODED = ("channel", "kind", "state")  # Enum values in the records, text in the table


class CaseError(Exception):
    """A case operation was refused (message translated)."""


@dataclass
class ImportReport:
    source: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[RowFailure] = field(default_factory=list)

    def summary(self) -> str:
        return tr(
            _CTX, "{0}: {1} rows read, {2} new cases, {3} updated, {4} unchanged, {5} refused"
        ).format(
            self.source, self.read, self.inserted, self.updated, self.unchanged, len(self.failures)
        )


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def ewkt_point(x: float, y: float, srid: int) -> str:
    return f"SRID={srid};POINT({x!r} {y!r})"


def _plain(value: Any) -> Any:
    """A value as history JSON keeps it."""
    if isinstance(value, datetime):
        return value.isoformat()
    return getattr(value, "value", value)


def resp_grid_of(conn: Connection, ws: Workspace) -> dict[str, str]:
    """Unit grid code → responsibility grid code."""
    t = ws.schema.resp_grid_units
    return {r.unit_grid_code: r.resp_grid_code for r in conn.execute(select(t))}


def _chunks(items: Sequence[Any], n: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def history_rows(conn: Connection, ws: Workspace, rows: list[dict[str, Any]]) -> None:
    """Insert ``case_history`` rows (case_id, operation, changes, from/to state, note, …)."""
    if not rows:
        return
    full = [
        {
            "from_state": None,
            "to_state": None,
            "changes": None,
            "note": None,
            **row,
            "operation": _plain(row["operation"]),
        }
        for row in rows
    ]
    conn.execute(insert(ws.schema.case_history), full)


# ------------------------------------------------------------------------------- import


def _existing(conn: Connection, ws: Workspace, numbers: list[str]) -> dict[str, Any]:
    """The stored cases among ``numbers``, by number."""
    t = ws.schema.cases
    out: dict[str, Any] = {}
    for chunk in _chunks(numbers):
        for row in conn.execute(select(t).where(t.c.case_no.in_(chunk))):
            out[row.case_no] = row
    return out


def _hashes(conn: Connection, ws: Workspace, numbers: list[str]) -> dict[str, str]:
    """Number → source hash of the stored cases among ``numbers``."""
    if ws.is_postgres:
        from .bulk import stored_hashes

        return stored_hashes(conn, ws, numbers)
    t = ws.schema.cases
    out: dict[str, str] = {}
    for chunk in _chunks(numbers):
        rows = conn.execute(select(t.c.case_no, t.c.source_hash).where(t.c.case_no.in_(chunk)))
        out.update({r.case_no: r.source_hash for r in rows})
    return out


def _new_row(rec: CaseRecord, ws: Workspace, actor: str, now: datetime, resp: dict) -> dict:
    v = rec.values
    state = v["state"]
    return {
        "case_no": rec.case_no,
        **{c: _plain(v.get(c)) if c in CODED else v.get(c) for c in VALUE_COLUMNS},
        "state_at": v.get("closed_at") if state == CaseState.CLOSED and v.get("closed_at") else now,
        "grid_code": rec.grid_code,
        "resp_grid_code": resp.get(rec.grid_code or ""),
        "source": "",
        "source_values": rec.source_values,
        "source_hash": rec.source_hash,
        "row_version": 1,
        "created_at": now,
        "updated_at": now,
        "updated_by": actor,
        "geom": ewkt_point(rec.x, rec.y, ws.srid),
    }


def _insert_new(
    conn: Connection,
    ws: Workspace,
    records: list[CaseRecord],
    source: str,
    actor: str,
    resp: dict[str, str],
) -> int:
    if not records:
        return 0
    t = ws.schema.cases
    now = now_utc()
    if ws.is_postgres and len(records) >= COPY_FROM:
        from .bulk import copy_cases, history_of_new

        copy_cases(conn, ws, records, source, actor, now, resp)
        history_of_new(conn, ws, [r.case_no for r in records], now, actor, source)
        return len(records)
    rows = [dict(_new_row(r, ws, actor, now, resp), source=source) for r in records]
    ids = conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), rows).scalars()
    history_rows(
        conn,
        ws,
        [
            {
                "case_id": case_id,
                "at": now,
                "actor": actor,
                "operation": Operation.IMPORT,
                "to_state": row["state"],
                "note": source,
            }
            for case_id, row in zip(ids, rows)
        ],
    )
    return len(rows)


def source_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> set[str]:
    """The source fields whose value differs between two versions of a row."""
    old = old or {}
    return {k for k in set(old) | set(new) if old.get(k) != new.get(k)}


def _update_values(stored: Any, rec: CaseRecord, changed: set[str], ws: Workspace, resp: dict):
    """(new column values, {column: [old, new]}) for the source fields that changed."""
    values: dict[str, Any] = {}
    diff: dict[str, list[Any]] = {}
    for column in VALUE_COLUMNS:
        if column in changed:
            new = _plain(rec.values.get(column))
            if new != _plain(getattr(stored, column)):
                values[column] = rec.values.get(column)
                diff[column] = [_plain(getattr(stored, column)), new]
    if changed & set(POSITION_FIELDS):
        old = from_db(stored.geom)
        if old is None or (round(old.x, 3), round(old.y, 3)) != (round(rec.x, 3), round(rec.y, 3)):
            values["geom"] = ewkt_point(rec.x, rec.y, ws.srid)
            values["grid_code"] = rec.grid_code
            values["resp_grid_code"] = resp.get(rec.grid_code or "")
            diff["position"] = [
                [round(old.x, 3), round(old.y, 3)] if old is not None else None,
                [round(rec.x, 3), round(rec.y, 3)],
            ]
    for column in CODED:
        if column in values:
            values[column] = _plain(values[column])
    return values, diff


def _update_changed(
    conn: Connection,
    ws: Workspace,
    pairs: list[tuple[Any, CaseRecord]],
    actor: str,
    resp: dict[str, str],
) -> int:
    """Apply what changed at the source to each stored case, with a history row; the
    number of cases that changed (a row that changed only in what the case does not keep
    is remembered as the source's new version, and counts as unchanged)."""
    t = ws.schema.cases
    now = now_utc()
    history = []
    for stored, rec in pairs:
        changed = source_changes(stored.source_values, rec.source_values)
        values, diff = _update_values(stored, rec, changed, ws, resp)
        kept = {"source_values": rec.source_values, "source_hash": rec.source_hash}
        if not values:
            conn.execute(update(t).where(t.c.id == stored.id).values(**kept))
            continue
        if "state" in values:
            values["state_at"] = now
        conn.execute(
            update(t)
            .where(t.c.id == stored.id)
            .values(
                **values,
                **kept,
                row_version=t.c.row_version + 1,
                updated_at=now,
                updated_by=actor,
            )
        )
        history.append(
            {
                "case_id": stored.id,
                "at": now,
                "actor": actor,
                "operation": Operation.UPDATE,
                "from_state": stored.state if "state" in values else None,
                "to_state": values.get("state"),
                "changes": {k: v for k, v in diff.items() if k != "state"} or None,
            }
        )
    history_rows(conn, ws, history)
    return len(history)


def save_batch(ws: Workspace, batch: CaseBatch, actor: str | None = None) -> ImportReport:
    """Store a prepared batch in one transaction: new cases, updated cases, nothing twice."""
    actor = actor or ws.actor
    report = ImportReport(batch.source, batch.read_rows, failures=list(batch.failures))
    with ws.begin() as conn:
        resp = resp_grid_of(conn, ws)
        hashes = _hashes(conn, ws, [r.case_no for r in batch.records])
        new = [r for r in batch.records if r.case_no not in hashes]
        differ = [
            r for r in batch.records if r.case_no in hashes and hashes[r.case_no] != r.source_hash
        ]
        stored = _existing(conn, ws, [r.case_no for r in differ])
        changed = [(stored[r.case_no], r) for r in differ]
        report.inserted = _insert_new(conn, ws, new, batch.source, actor, resp)
        report.updated = _update_changed(conn, ws, changed, actor, resp)
        report.unchanged = len(batch.records) - report.inserted - report.updated
        audit(
            conn,
            ws.schema,
            actor,
            "cases.import",
            "cases",
            detail={
                "source": batch.source,
                "read": report.read,
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "refused": len(report.failures),
            },
        )
    return report


# ------------------------------------------------------------------------------- one case


@dataclass
class CaseRow:
    """A stored case as read."""

    id: int
    case_no: str
    channel: str
    kind: str
    class_code: str
    state: str
    description: str | None
    address: str | None
    reported_at: datetime
    due_at: datetime | None
    grid_code: str | None
    resp_grid_code: str | None
    collector_code: str | None
    submission_id: int | None
    component_id: int | None
    row_version: int
    x: float
    y: float


def _case_query(ws: Workspace) -> Any:
    t = ws.schema.cases
    return select(
        *(t.c[name] for name in CaseRow.__dataclass_fields__ if name not in ("x", "y")),
        func.ST_X(t.c.geom).label("x"),
        func.ST_Y(t.c.geom).label("y"),
    )


def get_case(conn: Connection, ws: Workspace, case_id: int) -> CaseRow:
    row = conn.execute(_case_query(ws).where(ws.schema.cases.c.id == case_id)).first()
    if row is None:
        raise CaseError(tr(_CTX, "No case with id {0}.").format(case_id))
    return CaseRow(**row._mapping)


def find_case(conn: Connection, ws: Workspace, case_no: str) -> CaseRow | None:
    row = conn.execute(_case_query(ws).where(ws.schema.cases.c.case_no == case_no)).first()
    return CaseRow(**row._mapping) if row is not None else None


def cases_by_id(conn: Connection, ws: Workspace, ids: Iterable[int]) -> dict[int, CaseRow]:
    wanted = sorted(set(ids))
    out: dict[int, CaseRow] = {}
    for chunk in _chunks(wanted):
        for row in conn.execute(_case_query(ws).where(ws.schema.cases.c.id.in_(chunk))):
            out[row.id] = CaseRow(**row._mapping)
    return out


def set_state(
    conn: Connection,
    ws: Workspace,
    case_id: int,
    state: CaseState,
    actor: str,
    note: str | None = None,
    operation: Operation = Operation.STATE,
) -> bool:
    """Move a case to ``state`` (history row); False when it already is there."""
    t = ws.schema.cases
    current = conn.execute(select(t.c.state).where(t.c.id == case_id)).scalar()
    if current is None:
        raise CaseError(tr(_CTX, "No case with id {0}.").format(case_id))
    if current == state.value:
        return False
    now = now_utc()
    closed = {"closed_at": now} if state is CaseState.CLOSED else {}
    conn.execute(
        update(t)
        .where(t.c.id == case_id)
        .values(
            state=state.value,
            state_at=now,
            updated_at=now,
            updated_by=actor,
            row_version=t.c.row_version + 1,
            **closed,
        )
    )
    history_rows(
        conn,
        ws,
        [
            {
                "case_id": case_id,
                "at": now,
                "actor": actor,
                "operation": operation,
                "from_state": current,
                "to_state": state.value,
                "note": note,
            }
        ],
    )
    return True


def move_case(
    conn: Connection,
    ws: Workspace,
    case_id: int,
    x: float,
    y: float,
    actor: str,
    note: str | None = None,
) -> None:
    """Put a case at (x, y) (workspace CRS): grid and responsibility grid follow; history."""
    t = ws.schema.cases
    old = conn.execute(select(func.ST_X(t.c.geom), func.ST_Y(t.c.geom)).where(t.c.id == case_id))
    before = old.first()
    grid = find_grid(conn, ws, shapely.Point(x, y))
    resp = resp_grid_of(conn, ws).get(grid.code) if grid else None
    now = now_utc()
    conn.execute(
        update(t)
        .where(t.c.id == case_id)
        .values(
            geom=ewkt_point(x, y, ws.srid),
            grid_code=grid.code if grid else None,
            resp_grid_code=resp,
            updated_at=now,
            updated_by=actor,
            row_version=t.c.row_version + 1,
        )
    )
    history_rows(
        conn,
        ws,
        [
            {
                "case_id": case_id,
                "at": now,
                "actor": actor,
                "operation": Operation.RELOCATE,
                "changes": {
                    "position": [
                        [round(before[0], 3), round(before[1], 3)] if before else None,
                        [round(x, 3), round(y, 3)],
                    ]
                },
                "note": note,
            }
        ],
    )


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    operation: str
    from_state: str | None
    to_state: str | None
    changes: dict[str, Any] | None
    note: str | None


def case_history(ws: Workspace, case_id: int) -> list[HistoryEntry]:
    """A case's history, oldest first."""
    h = ws.schema.case_history
    with ws.engine.connect() as conn:
        rows = conn.execute(select(h).where(h.c.case_id == case_id).order_by(h.c.id)).all()
    return [
        HistoryEntry(r.at, r.actor, r.operation, r.from_state, r.to_state, r.changes, r.note)
        for r in rows
    ]
