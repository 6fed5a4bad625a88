"""Results of 核实 and 核查 from the field: they finish a task and move its case on.

What a result does to the case (the command centre files, dispatches and closes; the
collectors' findings are what it decides by):

- 核实 属实 (confirmed): the case is confirmed as reported (history);
- 核实 位置修正 (position corrected): the case moves to where the collector was, its grid
  follows, and its other open tasks go there too;
- 核实 不属实 (not confirmed): a reported or filed case becomes void (作废);
- 核查 已处置 (handled): a case reported handled becomes checked (核查), ready to close;
- 核查 未处置 / 部分处置: a case reported handled goes back to dispatched (返工).

A result is never lost: the first result of a task finishes it; a later one (two collectors,
a resent form), one for a cancelled task, or one whose kind does not fit is written to the
case's history with what it said. The same submission twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, select, update
from sqlalchemy import case as sql_case

from ..i18n import tr
from ..workspace.store import Workspace, audit
from .codes import CaseState, EntitySync, Operation, Outcome, TaskKind, TaskState, label
from .positions import transform_xy
from .store import ewkt_point, get_case, history_rows, move_case, now_utc, set_state

_CTX = "Cases"
APPLIED = "applied"
ALREADY = "already_done"  # the task had its result: this one is kept in the history
REPEATED = "repeated"  # the same submission again: nothing to do
CANCELLED = "cancelled"  # the task was cancelled: kept in the history
WRONG_KIND = "wrong_kind"  # a 核查 answer to a 核实 task or the reverse: kept in the history
UNKNOWN = "unknown_task"  # no task has this id (the submission itself stays in intake)

# What each outcome does to a case in a given state (else: history only).
MOVES: dict[Outcome, tuple[tuple[CaseState, ...], CaseState]] = {
    Outcome.NOT_CONFIRMED: ((CaseState.REPORTED, CaseState.FILED), CaseState.VOID),
    Outcome.HANDLED: ((CaseState.HANDLED,), CaseState.CHECKED),
    Outcome.NOT_HANDLED: ((CaseState.HANDLED,), CaseState.DISPATCHED),
    Outcome.PARTLY_HANDLED: ((CaseState.HANDLED,), CaseState.DISPATCHED),
}


@dataclass(frozen=True)
class TaskResult:
    """What a collector found: for which task (its entity uuid, or ``task:<id>``)."""

    task: str
    outcome: Outcome
    observed_at: datetime | None = None
    collector: str | None = None
    note: str | None = None
    lon: float | None = None  # where the collector was (WGS84, the device's geopoint)
    lat: float | None = None
    address: str | None = None
    submission_id: int | None = None
    photos: tuple[str, ...] = ()

    def detail(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "observed_at": self.observed_at.isoformat() if self.observed_at else None,
            "collector": self.collector,
            "note": self.note,
            "lon": self.lon,
            "lat": self.lat,
            "address": self.address,
            "submission_id": self.submission_id,
            "photos": list(self.photos),
        }


@dataclass
class Applied:
    status: str
    task_id: int | None = None
    case_id: int | None = None
    case_state: str | None = None  # the case's state after the result
    messages: list[str] = field(default_factory=list)


def _uuid(ref: str) -> str:
    ref = ref.strip()
    return ref[5:].lower() if ref.lower().startswith("uuid:") else ref.lower()


def _find_task(conn: Connection, ws: Workspace, ref: str) -> Any:
    t = ws.schema.tasks
    if ref.startswith("task:") and ref[5:].isdigit():
        where = t.c.id == int(ref[5:])
    else:
        where = t.c.entity_uuid == _uuid(ref)
    return conn.execute(select(t).where(where)).first()


def _keep_in_history(
    conn: Connection, ws: Workspace, task: Any, result: TaskResult, status: str, actor: str
) -> None:
    """A result that does not finish its task, kept with why (``status``: ALREADY …)."""
    changes = {"task_id": task.id, "result": result.detail(), "kept": status}
    if status == ALREADY:
        changes["first"] = task.outcome
    history_rows(
        conn,
        ws,
        [
            {
                "case_id": task.case_id,
                "at": now_utc(),
                "actor": actor,
                "operation": Operation.RESULT,
                "changes": changes,
                "note": result.note,
            }
        ],
    )


def _kept_before(conn: Connection, ws: Workspace, task: Any, result: TaskResult) -> bool:
    """Whether this submission's result is in the case's history already (read again)."""
    if result.submission_id is None:
        return False
    h = ws.schema.case_history
    rows = conn.execute(
        select(h.c.changes).where(h.c.case_id == task.case_id, h.c.operation == "result")
    ).scalars()
    return any(
        (c or {}).get("result", {}).get("submission_id") == result.submission_id for c in rows
    )


def _refusal(task: Any, result: TaskResult) -> tuple[str, str] | None:
    """(status, why) when the result cannot finish ``task``; None when it can."""
    if task.state == TaskState.DONE.value:
        if result.submission_id is not None and task.result_submission_id == result.submission_id:
            return REPEATED, ""
        return ALREADY, tr(_CTX, "the task already had its result ({0}): kept here").format(
            label(Outcome(task.outcome))
        )
    if task.state == TaskState.CANCELLED.value:
        return CANCELLED, tr(_CTX, "the task was cancelled: kept here")
    if result.outcome.task_kind.value != task.kind:
        return WRONG_KIND, tr(_CTX, "a {0} answer to a {1} task: kept here").format(
            label(result.outcome.task_kind), label(TaskKind(task.kind))
        )
    return None


def _finish_task(
    conn: Connection, ws: Workspace, task: Any, result: TaskResult, actor: str
) -> None:
    t = ws.schema.tasks
    now = now_utc()
    conn.execute(
        update(t)
        .where(t.c.id == task.id)
        .values(
            state=TaskState.DONE.value,
            outcome=result.outcome.value,
            result_at=result.observed_at or now,
            result_by=result.collector,
            result_note=result.note,
            result_submission_id=result.submission_id,
            result=result.detail(),
            closed_at=now,
            closed_by=actor,
            row_version=t.c.row_version + 1,
        )
    )


def _relocate(
    conn: Connection, ws: Workspace, task: Any, result: TaskResult, actor: str
) -> list[str]:
    if result.lon is None or result.lat is None:
        return [tr(_CTX, "position corrected, but the result has no position")]
    lon, lat = np.array([result.lon]), np.array([result.lat])
    x, y = transform_xy(lon, lat, "EPSG:4326", f"EPSG:{ws.srid}")
    move_case(conn, ws, task.case_id, float(x[0]), float(y[0]), actor)
    c, t = ws.schema.cases, ws.schema.tasks
    if result.address:
        conn.execute(update(c).where(c.c.id == task.case_id).values(address=result.address))
    conn.execute(
        update(t)
        .where(t.c.case_id == task.case_id, t.c.state == TaskState.OPEN.value)
        .values(
            geom=ewkt_point(float(x[0]), float(y[0]), ws.srid),
            entity_sync=_stale_if_open(t),
            row_version=t.c.row_version + 1,
        )
    )
    return []


def _stale_if_open(t: Any) -> Any:
    return sql_case(
        (t.c.entity_sync == EntitySync.OPEN.value, EntitySync.STALE.value),
        else_=t.c.entity_sync,
    )


def _move_case(
    conn: Connection, ws: Workspace, task: Any, result: TaskResult, actor: str
) -> list[str]:
    if result.outcome is Outcome.RELOCATED:
        return _relocate(conn, ws, task, result, actor)
    move = MOVES.get(result.outcome)
    if move is None:
        return []
    case = get_case(conn, ws, task.case_id)
    if case.state not in {s.value for s in move[0]}:
        return [tr(_CTX, "the case is {0}: its state stays").format(label(CaseState(case.state)))]
    set_state(conn, ws, task.case_id, move[1], actor, None, Operation.RESULT)
    return []


def apply_result(ws: Workspace, result: TaskResult, actor: str | None = None) -> Applied:
    """Finish the task ``result`` answers and move its case on (one transaction)."""
    actor = actor or ws.actor
    with ws.begin() as conn:
        task = _find_task(conn, ws, result.task)
        if task is None:
            return Applied(UNKNOWN, messages=[tr(_CTX, "no task {0}").format(result.task)])
        refusal = _refusal(task, result)
        if refusal is not None:
            status, why = refusal
            if status != REPEATED and _kept_before(conn, ws, task, result):
                status, why = REPEATED, ""
            if status != REPEATED:
                _keep_in_history(conn, ws, task, result, status, actor)
            return Applied(status, task.id, task.case_id, messages=[why] if why else [])
        _finish_task(conn, ws, task, result, actor)
        messages = _move_case(conn, ws, task, result, actor)
        entry = {
            "case_id": task.case_id,
            "at": now_utc(),
            "actor": actor,
            "operation": Operation.RESULT,
            "changes": {"task_id": task.id, "result": result.detail()},
            "note": result.note,
        }
        history_rows(conn, ws, [entry])
        audit(conn, ws.schema, actor, "tasks.result", "tasks", task.id, result.detail())
        state = get_case(conn, ws, task.case_id).state
    return Applied(APPLIED, task.id, task.case_id, state, messages)
