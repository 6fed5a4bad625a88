"""What the task dock shows: the tasks with their case, filter values, the time left, the
photos of a case (its report's and its results')."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from ..i18n import tr
from ..workspace.store import Workspace
from .codes import TaskState

_CTX = "TaskDock"


@dataclass
class TaskRow:
    id: int
    case_id: int
    case_no: str
    channel: str
    case_kind: str
    class_code: str
    case_state: str
    address: str | None
    description: str | None
    kind: str
    state: str
    created_at: datetime
    due_at: datetime
    result_at: datetime | None
    outcome: str | None
    collector: str | None
    grid: str | None
    entity_sync: str
    entity_uuid: str
    x: float
    y: float
    class_name: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.state == TaskState.OPEN.value and now > self.due_at

    def late(self) -> bool:
        return self.result_at is not None and self.result_at > self.due_at


def list_tasks(ws: Workspace) -> list[TaskRow]:
    """Every task with its case, newest first."""
    t, c = ws.schema.tasks, ws.schema.cases
    q = select(
        t.c.id,
        t.c.case_id,
        c.c.case_no,
        c.c.channel,
        c.c.kind.label("case_kind"),
        c.c.class_code,
        c.c.state.label("case_state"),
        c.c.address,
        c.c.description,
        t.c.kind,
        t.c.state,
        t.c.created_at,
        t.c.due_at,
        t.c.result_at,
        t.c.outcome,
        func.coalesce(t.c.result_by, t.c.assigned_collector).label("collector"),
        t.c.assigned_grid.label("grid"),
        t.c.entity_sync,
        t.c.entity_uuid,
        func.ST_X(t.c.geom).label("x"),
        func.ST_Y(t.c.geom).label("y"),
    ).join(c, c.c.id == t.c.case_id)
    with ws.engine.connect() as conn:
        rows = conn.execute(q.order_by(t.c.id.desc())).all()
        names = _class_names(conn, ws)
    return [
        TaskRow(**r._mapping, class_name=names.get((r.case_kind, r.class_code), r.class_code))
        for r in rows
    ]


def _class_names(conn: Any, ws: Workspace) -> dict[tuple[str, str], str]:
    s = ws.schema
    scheme = ws.setting("component_scheme", "legacy16")
    out = {("event", r.code): r.name for r in conn.execute(select(s.event_classes))}
    comps = conn.execute(select(s.component_classes).where(s.component_classes.c.scheme == scheme))
    out.update({("component", r.code): r.name for r in comps})
    return out


def countdown(row: TaskRow, now: datetime) -> str:
    """ "2 h 05 min left", "overdue 35 min", "done on time", "done 1 h 10 min late"."""
    if row.state == TaskState.CANCELLED.value:
        return tr(_CTX, "cancelled")
    if row.state == TaskState.DONE.value:
        if not row.late():
            return tr(_CTX, "done on time")
        return tr(_CTX, "done {0} late").format(_span((row.result_at - row.due_at).total_seconds()))
    seconds = (row.due_at - now).total_seconds()
    if seconds < 0:
        return tr(_CTX, "overdue {0}").format(_span(-seconds))
    return tr(_CTX, "{0} left").format(_span(seconds))


def _span(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return tr(_CTX, "{0} d {1} h").format(days, hours)
    if hours:
        return tr(_CTX, "{0} h {1:02d} min").format(hours, mins)
    return tr(_CTX, "{0} min").format(mins)


@dataclass(frozen=True)
class CasePhoto:
    name: str
    content: bytes | None
    source: str  # "report" | "result"


def case_photos(ws: Workspace, case_id: int) -> list[CasePhoto]:
    """Photos of the case's report and of its tasks' results (as the intake stored them)."""
    c, t, a = ws.schema.cases, ws.schema.tasks, ws.schema.submission_attachments
    with ws.engine.connect() as conn:
        report = conn.execute(select(c.c.submission_id).where(c.c.id == case_id)).scalar()
        results = (
            conn.execute(
                select(t.c.result_submission_id).where(
                    t.c.case_id == case_id, t.c.result_submission_id.is_not(None)
                )
            )
            .scalars()
            .all()
        )
        ids = [i for i in [report, *results] if i is not None]
        if not ids:
            return []
        rows = conn.execute(
            select(a.c.submission_id, a.c.name, a.c.content, a.c.path)
            .where(or_(*(a.c.submission_id == i for i in ids)))
            .order_by(a.c.submission_id, a.c.id)
        ).all()
    out = []
    for r in rows:
        content = r.content
        if content is None and r.path:
            try:
                with open(r.path, "rb") as f:
                    content = f.read()
            except OSError:
                content = None
        out.append(CasePhoto(r.name, content, "report" if r.submission_id == report else "result"))
    return out
