"""Push tasks to the devices: one entity of an ODK Central entity list per open task.

Each push (:func:`push_tasks`) makes the dataset and its properties when they are missing,
then

1. creates the entities of open tasks not pushed yet, in bulk (``chunk`` a request);
2. updates the entities of open tasks that changed since (reassigned, moved);
3. closes the entities of tasks that are done or cancelled: ``close="update"`` sets their
   ``status`` to ``closed`` (the form lists only ``status = 'open'``), ``"delete"`` deletes
   them.

Every write is stored as soon as the server confirms it (a chunk at a time), so a push that
is cancelled or fails keeps what it did and the next push goes on from there. A retried write
whose first answer was lost meets its own work: a bulk create answered 409.3 reads which
entities exist and creates the rest; an update answered 409.15 (a device or another office
changed the entity since) reads the entity's current version and applies the change again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, bindparam, case, func, select, update

from ..i18n import tr
from ..submissions.settings import get_json, put_json
from ..workspace.store import Workspace, audit
from .codes import EntitySync, TaskKind, TaskState, label
from .entities import EntityClient, EntityConflict
from .positions import transform_xy
from .store import now_utc

_CTX = "Tasks"
PROPERTIES = [
    "task_id",
    "task_kind",
    "case_no",
    "case_kind",
    "class_code",
    "class_name",
    "address",
    "description",
    "geometry",
    "deadline",
    "assignee",
    "grid",
    "status",
    "outcome",
]
CLOSE_MODES = ("update", "delete")
CONFLICT_RETRIES = 3


@dataclass
class PushReport:
    created: int = 0
    updated: int = 0
    closed: int = 0
    conflicts: int = 0  # 409s met and resolved by reading the entity again
    found: int = 0  # entities already there (a lost answer, an earlier push)
    gone: int = 0  # entities someone deleted on the server
    cancelled: bool = False

    def summary(self) -> str:
        return tr(
            _CTX,
            "{0} entities created, {1} updated, {2} closed; {3} conflicts resolved, {4} found "
            "already there, {5} gone from the server",
        ).format(self.created, self.updated, self.closed, self.conflicts, self.found, self.gone)


@dataclass
class Target:
    """Where tasks go: a dataset of a project on a server."""

    client: EntityClient
    project: int | str
    dataset: str

    @property
    def key(self) -> str:
        return f"{urlsplit(self.client.base_url).netloc}/{self.project}/{self.dataset}"


@dataclass
class _TaskEntity:
    task_id: int
    row_version: int
    uuid: str
    version: int | None
    label: str
    data: dict[str, str]


@dataclass
class _Plan:
    create: list[_TaskEntity] = field(default_factory=list)
    update: list[_TaskEntity] = field(default_factory=list)
    close: list[_TaskEntity] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.create) + len(self.update) + len(self.close)


# ------------------------------------------------------------------------------- reading


def _class_names(conn: Connection, ws: Workspace) -> dict[tuple[str, str], str]:
    s = ws.schema
    scheme = ws.setting("component_scheme", "legacy16")
    names = {("event", r.code): r.name for r in conn.execute(select(s.event_classes))}
    comps = conn.execute(select(s.component_classes).where(s.component_classes.c.scheme == scheme))
    names.update({("component", r.code): r.name for r in comps})
    return names


def _geopoints(ws: Workspace, xs: list[float], ys: list[float]) -> list[str]:
    """ODK geopoints ("lat lon alt accuracy", WGS84) of workspace positions."""
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    lon, lat = transform_xy(x, y, f"EPSG:{ws.srid}", "EPSG:4326")
    return [f"{b:.7f} {a:.7f} 0 0" for a, b in zip(lon, lat)]


def _label(row: Any, class_name: str, deadline: str) -> str:
    return tr(_CTX, "{0} {1} {2} · {3} · due {4}").format(
        label(TaskKind(row.kind)), row.case_no, class_name, row.address or "—", deadline
    )


def _task_query(ws: Workspace) -> Any:
    t, c = ws.schema.tasks, ws.schema.cases
    return select(
        t.c.id,
        t.c.kind,
        t.c.state,
        t.c.row_version,
        t.c.entity_uuid,
        t.c.entity_version,
        t.c.entity_sync,
        t.c.entity_dataset,
        t.c.due_at,
        t.c.assigned_collector,
        t.c.assigned_grid,
        t.c.outcome,
        c.c.case_no,
        c.c.kind.label("case_kind"),
        c.c.class_code,
        c.c.address,
        c.c.description,
        func.ST_X(t.c.geom).label("x"),
        func.ST_Y(t.c.geom).label("y"),
    ).join(c, c.c.id == t.c.case_id)


def _entities(conn: Connection, ws: Workspace, rows: list[Any]) -> list[_TaskEntity]:
    names = _class_names(conn, ws)
    zone = ZoneInfo(ws.setting("timezone", "Asia/Shanghai"))
    points = _geopoints(ws, [r.x for r in rows], [r.y for r in rows])
    out = []
    for row, point in zip(rows, points):
        deadline = row.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        class_name = names.get((row.case_kind, row.class_code), row.class_code)
        data = {
            "task_id": str(row.id),
            "task_kind": row.kind,
            "case_no": row.case_no,
            "case_kind": row.case_kind,
            "class_code": row.class_code,
            "class_name": class_name,
            "address": row.address or "",
            "description": row.description or "",
            "geometry": point,
            "deadline": deadline,
            "assignee": row.assigned_collector or "",
            "grid": row.assigned_grid or "",
            "status": "open" if row.state == TaskState.OPEN.value else "closed",
            "outcome": row.outcome or "",
        }
        text = _label(row, class_name, deadline)
        out.append(
            _TaskEntity(row.id, row.row_version, row.entity_uuid, row.entity_version, text, data)
        )
    return out


def plan_push(ws: Workspace, key: str) -> _Plan:
    """What the next push to ``key`` has to do."""
    t = ws.schema.tasks
    sync = t.c.entity_sync
    here = t.c.entity_dataset == key
    open_ = t.c.state == TaskState.OPEN.value
    with ws.engine.connect() as conn:
        q = _task_query(ws).order_by(t.c.id)
        create = conn.execute(q.where(open_, (sync == "none") | ~here)).all()
        stale = conn.execute(q.where(open_, sync == "stale", here)).all()
        close = conn.execute(q.where(~open_, sync.in_(["open", "stale"]), here)).all()
        return _Plan(
            _entities(conn, ws, create), _entities(conn, ws, stale), _entities(conn, ws, close)
        )


# ------------------------------------------------------------------------------- storing


def _renew(ws: Workspace, gone: list[_TaskEntity]) -> None:
    """Open tasks whose entity someone deleted on the server: a new entity next push (a
    deleted entity's uuid cannot be used again)."""
    if not gone:
        return
    t = ws.schema.tasks
    stmt = (
        update(t)
        .where(t.c.id == bindparam("tid"))
        .values(entity_uuid=bindparam("new"), entity_sync="none", entity_version=None)
    )
    with ws.begin() as conn:
        conn.execute(stmt, [{"tid": e.task_id, "new": str(uuid.uuid4())} for e in gone])


def _mark(
    ws: Workspace, key: str, done: Sequence[tuple[_TaskEntity, int | None]], sync: EntitySync
) -> None:
    """Store what the server confirmed: the entity's version and its sync state (unless the
    task changed meanwhile: then it stays to be pushed again). An open task's entity that
    is gone from the server is made again at the next push."""
    if sync is EntitySync.OPEN:
        _renew(ws, [e for e, v in done if v is None])
        done = [(e, v) for e, v in done if v is not None]
    if not done:
        return
    t = ws.schema.tasks
    now = now_utc()
    stmt = (
        update(t)
        .where(t.c.id == bindparam("tid"))
        .values(
            entity_version=bindparam("ver"),
            entity_dataset=key,
            entity_synced_at=now,
            entity_sync=case(
                (t.c.row_version == bindparam("rv"), bindparam("sync")),
                else_=case((t.c.state == "open", "stale"), else_="open"),
            ),
        )
    )
    with ws.begin() as conn:
        rows = [
            {"tid": e.task_id, "ver": v, "rv": e.row_version, "sync": sync.value} for e, v in done
        ]
        conn.execute(stmt, rows)


# ------------------------------------------------------------------------------- writing


def _create_chunk(target: Target, chunk: list[_TaskEntity], report: PushReport) -> list:
    """Create a chunk's entities; (entity, version) of each one now on the server."""
    c = target.client
    body = [{"uuid": e.uuid, "label": e.label, "data": e.data} for e in chunk]
    try:
        c.create_entities(target.project, target.dataset, body, "citymgmt-tasks")
        report.created += len(chunk)
        return [(e, 1) for e in chunk]
    except EntityConflict:
        pass  # some are there already: an earlier answer was lost, or an earlier push
    there = {
        row["__id"]: int((row.get("__system") or {}).get("version") or 1)
        for row in c.entity_rows(target.project, target.dataset)
    }
    missing = [e for e in chunk if e.uuid not in there]
    if missing:
        body = [{"uuid": e.uuid, "label": e.label, "data": e.data} for e in missing]
        c.create_entities(target.project, target.dataset, body, "citymgmt-tasks")
    report.created += len(missing)
    report.found += len(chunk) - len(missing)
    return [(e, there.get(e.uuid, 1)) for e in chunk]


def write_entity(
    target: Target, entity: _TaskEntity, data: dict[str, str], report: PushReport
) -> int | None:
    """Update one entity from its known version; on 409 read it and apply again.

    The entity's new version, or None when it is gone from the server.
    """
    c, version = target.client, entity.version or 1
    for _attempt in range(CONFLICT_RETRIES):
        try:
            out = c.update_entity(
                target.project, target.dataset, entity.uuid, version, data, entity.label
            )
        except EntityConflict:
            current = c.get_entity(target.project, target.dataset, entity.uuid)
            if current is None:
                return None
            version = int(current["currentVersion"]["version"])
            report.conflicts += 1
            continue
        return int(out["currentVersion"]["version"]) if out else None
    raise EntityConflict(
        tr(_CTX, "The entity of task {0} kept changing on the server; try again.").format(
            entity.task_id
        ),
        409,
    )


def _close(target: Target, entity: _TaskEntity, mode: str, report: PushReport) -> int | None:
    if mode == "delete":
        deleted = target.client.delete_entity(target.project, target.dataset, entity.uuid)
        return 0 if deleted else None
    data = {"status": "closed", "outcome": entity.data["outcome"]}
    return write_entity(target, entity, data, report)


# ------------------------------------------------------------------------------- the push


Progress = Callable[[int, int], None]  # (done, total)


def _chunks(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i : i + n] for i in range(0, len(items), n)]


class _Pusher:
    """The three kinds of writes of a push, each on a chunk of tasks."""

    def __init__(self, target: Target, close_mode: str, report: PushReport) -> None:
        self.target = target
        self.close_mode = close_mode
        self.report = report

    def create(self, part: list[_TaskEntity]) -> list[tuple[_TaskEntity, int | None]]:
        return _create_chunk(self.target, part, self.report)

    def update(self, part: list[_TaskEntity]) -> list[tuple[_TaskEntity, int | None]]:
        versions = self._each(part, lambda e: write_entity(self.target, e, e.data, self.report))
        self.report.updated += sum(1 for v in versions if v is not None)
        return list(zip(part, versions))

    def close(self, part: list[_TaskEntity]) -> list[tuple[_TaskEntity, int | None]]:
        versions = self._each(part, lambda e: _close(self.target, e, self.close_mode, self.report))
        self.report.closed += sum(1 for v in versions if v is not None)
        return list(zip(part, versions))

    def _each(
        self, part: list[_TaskEntity], write: Callable[[_TaskEntity], int | None]
    ) -> list[int | None]:
        """One request per entity, on the client's worker threads; None: gone."""
        versions = self.target.client.run_concurrently([lambda e=e: write(e) for e in part])
        self.report.gone += sum(1 for v in versions if v is None)
        return versions


def push_tasks(
    ws: Workspace,
    target: Target,
    close: str = "update",
    chunk: int = 500,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    actor: str | None = None,
) -> PushReport:
    """Bring the dataset in step with the tasks (see the module text)."""
    if close not in CLOSE_MODES:
        raise ValueError(close)
    report = PushReport()
    target.client.ensure_dataset(target.project, target.dataset, PROPERTIES)
    plan = plan_push(ws, target.key)
    pusher = _Pusher(target, close, report)
    steps = (
        (plan.create, pusher.create, EntitySync.OPEN),
        (plan.update, pusher.update, EntitySync.OPEN),
        (plan.close, pusher.close, EntitySync.CLOSED),
    )
    done = 0
    try:
        for items, run, sync in steps:
            for part in _chunks(items, chunk):
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    return report
                _mark(ws, target.key, run(part), sync)
                done += len(part)
                if progress is not None:
                    progress(done, plan.total)
    finally:
        _audit(ws, target, report, actor)
    return report


def _audit(ws: Workspace, target: Target, report: PushReport, actor: str | None) -> None:
    with ws.begin() as conn:
        audit(
            conn,
            ws.schema,
            actor or ws.actor,
            "tasks.push",
            "tasks",
            detail={
                "target": target.key,
                "created": report.created,
                "updated": report.updated,
                "closed": report.closed,
                "conflicts": report.conflicts,
                "found": report.found,
                "gone": report.gone,
                "cancelled": report.cancelled,
            },
        )


TARGET_KEY = "tasks.target"  # where the office pushes tasks: shared, without any account


def save_target(
    ws: Workspace, url: str, project: int | str, dataset: str, close: str = "update"
) -> dict[str, Any]:
    """Remember the entity list the office pushes to (no account: each person binds theirs).

    Written only when it changes: on PostGIS only an admin may change workspace settings.
    """
    value = {"url": url, "project": str(project), "dataset": dataset, "close": close}
    if load_target(ws) != value:
        with ws.begin() as conn:
            put_json(conn, ws, TARGET_KEY, value)
    return value


def load_target(ws: Workspace) -> dict[str, Any] | None:
    with ws.engine.connect() as conn:
        return get_json(conn, ws, TARGET_KEY)


def last_push(ws: Workspace) -> datetime | None:
    t = ws.schema.tasks
    with ws.engine.connect() as conn:
        return conn.execute(select(func.max(t.c.entity_synced_at))).scalar()
