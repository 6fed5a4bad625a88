"""How the contractor meets the 核实 and 核查 time limits: on-time rates per collector,
responsibility grid and district, median time to verify / check, and the overdue list.

A task counts in a period when it is due in it (START ≤ due < END); cancelled tasks do not
count. Of those, a task finished by its deadline is *on time*, one finished after it *late*,
one still open past it *overdue*; an open task not due yet is *pending* and not in the rate:

    on-time rate = on time / (on time + late + overdue)

The median time to verify (check) is the median of finish − creation of the finished tasks.
The collector of a task is who answered it, else who it is assigned to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from sqlalchemy import func, select

from ..workspace.store import Workspace
from .codes import TaskKind, TaskState
from .store import now_utc

ON_TIME, LATE, OVERDUE, PENDING = "on_time", "late", "overdue", "pending"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class TaskFact:
    """One task as the figures see it."""

    task_id: int
    case_no: str
    kind: str
    state: str
    created_at: datetime
    due_at: datetime
    result_at: datetime | None
    outcome: str | None
    collector: str | None
    grid: str | None
    district: str | None
    channel: str | None = None
    case_kind: str | None = None
    class_code: str | None = None
    x: float | None = None  # the task's position (workspace CRS)
    y: float | None = None

    def status(self, now: datetime) -> str:
        """on_time / late / overdue / pending (cancelled tasks: cancelled)."""
        if self.state == TaskState.CANCELLED.value:
            return CANCELLED
        if self.state == TaskState.DONE.value and self.result_at is not None:
            return ON_TIME if self.result_at <= self.due_at else LATE
        return OVERDUE if now > self.due_at else PENDING

    def hours_late(self, now: datetime) -> float:
        """Hours past the deadline (finished: when it was done; open: by now); ≤ 0: in time."""
        end = self.result_at if self.result_at is not None else now
        return (end - self.due_at).total_seconds() / 3600.0

    def hours_taken(self) -> float | None:
        if self.result_at is None:
            return None
        return (self.result_at - self.created_at).total_seconds() / 3600.0


@dataclass
class Rate:
    """The figures of one group (a collector, a grid, a district) and task kind."""

    group: str
    kind: str
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    hours: list[float] = field(default_factory=list, repr=False)

    @property
    def counted(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.on_time / self.counted if self.counted else None

    @property
    def median_hours(self) -> float | None:
        return median(self.hours) if self.hours else None

    def add(self, fact: TaskFact, now: datetime) -> None:
        status = fact.status(now)
        setattr(self, status, getattr(self, status) + 1)
        taken = fact.hours_taken()
        if taken is not None:
            self.hours.append(taken)


@dataclass
class Figures:
    start: datetime | None
    end: datetime | None
    now: datetime
    by_collector: list[Rate]
    by_grid: list[Rate]
    by_district: list[Rate]
    overdue: list[TaskFact]

    def district(self, kind: TaskKind) -> Rate | None:
        """The whole workspace's figures of a kind (its one district, or all summed)."""
        rows = [r for r in self.by_district if r.kind == kind.value]
        if not rows:
            return None
        total = Rate("*", kind.value)
        for r in rows:
            total.on_time += r.on_time
            total.late += r.late
            total.overdue += r.overdue
            total.pending += r.pending
            total.hours += r.hours
        return total


def _rates(facts: Iterable[TaskFact], key: str, now: datetime) -> list[Rate]:
    groups: dict[tuple[str, str], Rate] = {}
    for fact in facts:
        group = getattr(fact, key) or "—"
        rate = groups.setdefault((group, fact.kind), Rate(group, fact.kind))
        rate.add(fact, now)
    return [groups[k] for k in sorted(groups)]


def in_period(
    facts: Iterable[TaskFact], start: datetime | None, end: datetime | None
) -> list[TaskFact]:
    """The tasks due in [start, end) (either end open when None), cancelled ones too."""
    return [
        f for f in facts if (start is None or f.due_at >= start) and (end is None or f.due_at < end)
    ]


def compute(
    facts: list[TaskFact],
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
) -> Figures:
    """The figures of the tasks due in [start, end) (all when not given)."""
    now = now or now_utc()
    chosen = [f for f in in_period(facts, start, end) if f.state != TaskState.CANCELLED.value]
    overdue = sorted(
        (f for f in chosen if f.status(now) == OVERDUE), key=lambda f: (f.due_at, f.task_id)
    )
    return Figures(
        start,
        end,
        now,
        _rates(chosen, "collector", now),
        _rates(chosen, "grid", now),
        _rates(chosen, "district", now),
        overdue,
    )


def read_facts(ws: Workspace) -> list[TaskFact]:
    t, c = ws.schema.tasks, ws.schema.cases
    q = select(
        c.c.channel,
        c.c.kind.label("case_kind"),
        c.c.class_code,
        func.ST_X(t.c.geom).label("x"),
        func.ST_Y(t.c.geom).label("y"),
        t.c.id,
        c.c.case_no,
        t.c.kind,
        t.c.state,
        t.c.created_at,
        t.c.due_at,
        t.c.result_at,
        t.c.outcome,
        t.c.result_by,
        t.c.assigned_collector,
        t.c.assigned_grid,
        c.c.grid_code,
    ).join(c, c.c.id == t.c.case_id)
    with ws.engine.connect() as conn:
        rows = conn.execute(q.order_by(t.c.id)).all()
    return [
        TaskFact(
            r.id,
            r.case_no,
            r.kind,
            r.state,
            r.created_at,
            r.due_at,
            r.result_at,
            r.outcome,
            r.result_by or r.assigned_collector,
            r.assigned_grid,
            r.grid_code[:6] if r.grid_code else None,
            r.channel,
            r.case_kind,
            r.class_code,
            r.x,
            r.y,
        )
        for r in rows
    ]


def task_figures(
    ws: Workspace,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
) -> Figures:
    """:func:`compute` over the workspace's tasks."""
    return compute(read_facts(ws), start, end, now)
