"""核实 (verify) and 核查 (check) tasks: made from chosen cases or by a rule, assigned to the
case's responsibility grid or a collector, due within the class's time limit.

Rules (:data:`RULES`):

- ``public_unverified``: every case reported by another channel than a collector (public,
  12345 hotline, video, leader, other), not yet dispatched, without a verify task (open or
  done) — a collector has not verified it yet;
- ``handled_unchecked``: every case the department reported handled, without an open check
  task or a check done since it was reported handled.

A case has at most one open task of a kind (the database enforces it); a case closed or void
gets none.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, func, insert, not_, select, update

from ..i18n import tr
from ..workspace.store import Workspace, audit
from .codes import (
    FINAL_STATES,
    CaseState,
    Channel,
    EntitySync,
    Operation,
    TaskKind,
    TaskState,
    label,
)
from .limits import LimitTable, read_limits
from .store import CaseRow, cases_by_id, ewkt_point, history_rows, now_utc

_CTX = "Cases"
ASSIGN_GRID = "grid"  # the responsibility grid of the case's position
ASSIGN_COLLECTOR = "collector"  # ... and its active collector with the fewest open tasks
CASE_ENDED = "case_ended"  # why the plugin cancelled a task: its case was closed or voided


class TaskError(Exception):
    """A task operation was refused (message translated)."""


@dataclass(frozen=True)
class TaskPlan:
    """What to make: tasks of ``kind``, due after ``due_hours`` (else the class's limit)."""

    kind: TaskKind
    due_hours: float | None = None
    assign: str = ASSIGN_GRID
    collector: str | None = None  # this collector for every task
    rule: str | None = None


@dataclass
class TaskReport:
    created: list[int] = field(default_factory=list)  # task ids
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case number, reason)

    def summary(self) -> str:
        return tr(_CTX, "{0} tasks created, {1} cases skipped").format(
            len(self.created), len(self.skipped)
        )


# ------------------------------------------------------------------------------- rules


def _has_task(ws: Workspace, kind: TaskKind, *where) -> object:
    t, c = ws.schema.tasks, ws.schema.cases
    return select(t.c.id).where(t.c.case_id == c.c.id, t.c.kind == kind.value, *where).exists()


def public_unverified(conn: Connection, ws: Workspace) -> list[int]:
    c, t = ws.schema.cases, ws.schema.tasks
    verified = _has_task(ws, TaskKind.VERIFY, t.c.state.in_(["open", "done"]))
    q = select(c.c.id).where(
        c.c.channel != Channel.COLLECTOR.value,
        c.c.state.in_([CaseState.REPORTED.value, CaseState.FILED.value]),
        not_(verified),
    )
    return list(conn.execute(q.order_by(c.c.reported_at, c.c.id)).scalars())


def handled_unchecked(conn: Connection, ws: Workspace) -> list[int]:
    c, t = ws.schema.cases, ws.schema.tasks
    open_check = _has_task(ws, TaskKind.CHECK, t.c.state == "open")
    checked_since = _has_task(
        ws, TaskKind.CHECK, t.c.state == "done", t.c.created_at >= c.c.state_at
    )
    q = select(c.c.id).where(
        c.c.state == CaseState.HANDLED.value, not_(open_check), not_(checked_since)
    )
    return list(conn.execute(q.order_by(c.c.state_at, c.c.id)).scalars())


RULES: dict[str, Callable[[Connection, Workspace], list[int]]] = {
    "public_unverified": public_unverified,
    "handled_unchecked": handled_unchecked,
}
RULE_KINDS = {"public_unverified": TaskKind.VERIFY, "handled_unchecked": TaskKind.CHECK}


def rule_labels() -> dict[str, str]:
    return {
        "public_unverified": tr(_CTX, "Reports of other channels not yet verified"),
        "handled_unchecked": tr(_CTX, "Cases reported handled, not yet checked"),
    }


# ------------------------------------------------------------------------------- assigning


def _collectors_by_grid(conn: Connection, ws: Workspace) -> dict[str, list[str]]:
    """Active collectors of each responsibility grid (their own grid, and the grids their
    patrol routes run through), fewest open tasks first."""
    col, t, r = ws.schema.collectors, ws.schema.tasks, ws.schema.patrol_routes
    load = dict(
        conn.execute(
            select(t.c.assigned_collector, func.count())
            .where(t.c.state == "open", t.c.assigned_collector.is_not(None))
            .group_by(t.c.assigned_collector)
        ).all()
    )
    active = select(col.c.code).where(col.c.active.is_(True))
    pairs = set(
        conn.execute(
            select(col.c.resp_grid_code, col.c.code).where(
                col.c.active.is_(True), col.c.resp_grid_code.is_not(None)
            )
        ).all()
    )
    pairs |= set(
        conn.execute(
            select(r.c.resp_grid_code, r.c.collector_code).where(
                r.c.resp_grid_code.is_not(None), r.c.collector_code.in_(active)
            )
        ).all()
    )
    out: dict[str, list[str]] = {}
    for grid, code in pairs:
        out.setdefault(grid, []).append(code)
    for codes in out.values():
        codes.sort(key=lambda c: (load.get(c, 0), c))
    return out


class _Assigner:
    """Round-robin over a grid's collectors, starting with the least loaded."""

    def __init__(self, conn: Connection, ws: Workspace, plan: TaskPlan) -> None:
        self.plan = plan
        self.pools = _collectors_by_grid(conn, ws) if plan.assign == ASSIGN_COLLECTOR else {}
        self.turn: dict[str, int] = {}

    def collector(self, case: CaseRow) -> str | None:
        if self.plan.collector:
            return self.plan.collector
        pool = self.pools.get(case.resp_grid_code or "")
        if not pool:
            return None
        n = self.turn.get(case.resp_grid_code or "", 0)
        self.turn[case.resp_grid_code or ""] = n + 1
        return pool[n % len(pool)]


# ------------------------------------------------------------------------------- creating


def _open_kinds(conn: Connection, ws: Workspace, case_ids: list[int]) -> set[tuple[int, str]]:
    t = ws.schema.tasks
    out: set[tuple[int, str]] = set()
    for i in range(0, len(case_ids), 500):
        rows = conn.execute(
            select(t.c.case_id, t.c.kind).where(
                and_(t.c.case_id.in_(case_ids[i : i + 500]), t.c.state == "open")
            )
        )
        out.update((r.case_id, r.kind) for r in rows)
    return out


def _skip_reason(case: CaseRow, plan: TaskPlan, open_kinds: set) -> str | None:
    if case.state in {s.value for s in FINAL_STATES}:
        return tr(_CTX, "the case is {0}").format(label(CaseState(case.state)))
    if (case.id, plan.kind.value) in open_kinds:
        return tr(_CTX, "it already has an open {0} task").format(label(plan.kind))
    return None


def _task_row(
    case: CaseRow,
    plan: TaskPlan,
    limits: LimitTable,
    assigner: _Assigner,
    ws: Workspace,
    actor: str,
    now: datetime,
) -> dict:
    hours = plan.due_hours or limits.hours(case.kind, case.class_code, plan.kind)
    return {
        "case_id": case.id,
        "case_no": case.case_no,
        "kind": plan.kind.value,
        "state": TaskState.OPEN.value,
        "rule": plan.rule,
        "created_at": now,
        "created_by": actor,
        "due_at": now + timedelta(hours=hours),
        "assigned_grid": case.resp_grid_code,
        "assigned_collector": assigner.collector(case),
        "entity_uuid": str(uuid.uuid4()),
        "entity_sync": EntitySync.NONE.value,
        "row_version": 1,
        "geom": ewkt_point(case.x, case.y, ws.srid),
    }


def _insert_tasks(conn: Connection, ws: Workspace, rows: list[dict], actor: str) -> list[int]:
    if not rows:
        return []
    t = ws.schema.tasks
    ids = [
        r[0] for r in conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), rows)
    ]
    history_rows(
        conn,
        ws,
        [
            {
                "case_id": row["case_id"],
                "at": row["created_at"],
                "actor": actor,
                "operation": Operation.TASK,
                "changes": {
                    "task_id": task_id,
                    "task": {"kind": row["kind"], "due_at": row["due_at"].isoformat()},
                },
            }
            for task_id, row in zip(ids, rows)
        ],
    )
    return ids


def create_tasks(
    ws: Workspace,
    plan: TaskPlan,
    case_ids: list[int] | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> TaskReport:
    """Tasks of ``plan`` for ``case_ids``, or for the cases ``plan.rule`` finds."""
    actor = actor or ws.actor
    now = now or now_utc()
    report = TaskReport()
    with ws.begin() as conn:
        if case_ids is None:
            if plan.rule not in RULES:
                raise TaskError(tr(_CTX, "Unknown task rule: {0}").format(plan.rule))
            case_ids = RULES[plan.rule](conn, ws)
        cases = cases_by_id(conn, ws, case_ids)
        open_kinds = _open_kinds(conn, ws, list(cases))
        limits, assigner = read_limits(conn, ws), _Assigner(conn, ws, plan)
        rows = []
        for case_id in case_ids:
            case = cases.get(case_id)
            reason = _skip_reason(case, plan, open_kinds) if case else tr(_CTX, "no such case")
            if reason:
                report.skipped.append((case.case_no if case else str(case_id), reason))
                continue
            rows.append(_task_row(case, plan, limits, assigner, ws, actor, now))
            open_kinds.add((case.id, plan.kind.value))
        report.created = _insert_tasks(conn, ws, rows, actor)
        audit(
            conn,
            ws.schema,
            actor,
            "tasks.create",
            "tasks",
            detail={
                "kind": plan.kind.value,
                "rule": plan.rule,
                "created": len(rows),
                "skipped": len(report.skipped),
            },
        )
    return report


# ------------------------------------------------------------------------------- closing


def cancel_tasks(
    conn: Connection,
    ws: Workspace,
    task_ids: list[int],
    actor: str,
    reason: str | None = None,
    why: str | None = None,
) -> int:
    """Cancel open tasks (their entities are closed at the next push); history rows.

    ``reason``: what the person said; ``why``: a code when the plugin cancels (CASE_ENDED).
    """
    t = ws.schema.tasks
    now = now_utc()
    rows = conn.execute(
        select(t.c.id, t.c.case_id, t.c.kind).where(t.c.id.in_(task_ids), t.c.state == "open")
    ).all()
    if not rows:
        return 0
    conn.execute(
        update(t)
        .where(t.c.id.in_([r.id for r in rows]))
        .values(
            state=TaskState.CANCELLED.value,
            closed_at=now,
            closed_by=actor,
            result_note=reason,
            row_version=t.c.row_version + 1,
        )
    )
    history_rows(
        conn,
        ws,
        [
            {
                "case_id": r.case_id,
                "at": now,
                "actor": actor,
                "operation": Operation.TASK,
                "changes": {"task_id": r.id, "task": {"kind": r.kind, "cancelled": why or True}},
                "note": reason,
            }
            for r in rows
        ],
    )
    return len(rows)


def cancel_tasks_of_closed_cases(ws: Workspace, actor: str | None = None) -> int:
    """Cancel the open tasks of cases that are now closed or void (e.g. by an import)."""
    t, c = ws.schema.tasks, ws.schema.cases
    with ws.begin() as conn:
        ids = (
            conn.execute(
                select(t.c.id)
                .join(c, c.c.id == t.c.case_id)
                .where(t.c.state == "open", c.c.state.in_([s.value for s in FINAL_STATES]))
            )
            .scalars()
            .all()
        )
        return cancel_tasks(conn, ws, list(ids), actor or ws.actor, why=CASE_ENDED)
