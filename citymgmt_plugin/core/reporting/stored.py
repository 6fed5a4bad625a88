"""What the contract figures read from a workspace: reports, grids, roster, tasks, people.

Reports are the collectors' submissions (channel ``collector``), with the component status
they reported (payload ``status``), their grid and the coded reason of a rejection (错报).
When the case loop has made a ``cases`` table, cases from the other channels (public,
12345, video, leader) are reports too, and a collector's case (linked to its submission)
lends that submission its deadline and closure. When it has made a ``tasks`` table, its
核实/核查 tasks give the on-time rates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import numpy as np
from sqlalchemy import and_, case, func, inspect, select

from ..submissions.review.candidates import payload_value
from ..workspace.store import Workspace
from .reports import NULL_TIME, Reports
from .roster import Roster
from .tasks import Tasks
from .worktime import day_number

_CASE_STATE = {  # a case's state as a report state: filed (立案) or later is valid
    "reported": "pending", "filed": "accepted", "dispatched": "accepted",
    "handled": "accepted", "checked": "accepted", "closed": "accepted",
    "on_hold": "accepted", "void": "rejected",
}  # fmt: skip


@dataclass
class StoredReports:
    """The reports of a window with what the figures need besides :class:`.Reports`."""

    reports: Reports
    grid_codes: list[str]  # what reports.grid indexes
    submission_id: np.ndarray  # int64; -1 for a case from another channel
    x: np.ndarray
    y: np.ndarray
    district: list[str] = field(default_factory=list)  # county code (6 digits) of the grid


def utc(t: int) -> datetime:
    return datetime.fromtimestamp(int(t), timezone.utc)


def epoch(value: datetime | None) -> int:
    return NULL_TIME if value is None else int(value.timestamp())


def has_table(ws: Workspace, name: str) -> bool:
    with ws.engine.connect() as conn:
        return inspect(conn).has_table(name, schema=ws.spec.schema if ws.is_postgres else None)


def _component_payload(s):
    """The payload of component reports only (the status is read from it; events need none)."""
    return case((s.c.kind == "component", s.c.payload), else_=None)


def grid_codes(ws: Workspace) -> list[str]:
    ug = ws.schema.unit_grids
    with ws.engine.connect() as conn:
        return list(conn.execute(select(ug.c.code).order_by(ug.c.code)).scalars())


def read_reports(ws: Workspace, start: int, end: int) -> StoredReports:
    """Submissions (and other-channel cases) observed in [start, end), epoch seconds."""
    s, rd = ws.schema.submissions, ws.schema.review_decisions
    reject = (
        select(rd.c.submission_id, func.max(rd.c.id).label("last"))
        .where(rd.c.decision == "reject")
        .group_by(rd.c.submission_id)
        .subquery()
    )
    q = (
        select(
            s.c.id, s.c.observed_at, s.c.collector_code, s.c.kind, s.c.category_code,
            s.c.state, _component_payload(s).label("payload"), s.c.grid_code,
            func.ST_X(s.c.geom).label("x"), func.ST_Y(s.c.geom).label("y"),
            rd.c.reason_code,
        )
        .outerjoin(reject, reject.c.submission_id == s.c.id)
        .outerjoin(rd, rd.c.id == reject.c.last)
        .where(and_(s.c.observed_at >= utc(start), s.c.observed_at < utc(end)))
        .order_by(s.c.id)
    )  # fmt: skip
    codes = grid_codes(ws)
    with ws.engine.connect() as conn:
        rows = conn.execute(q).all()
    out = _from_rows(rows, codes)
    if has_table(ws, "cases"):
        _add_cases(ws, out, start, end)
    return out


def _status(payload) -> str | None:
    """The component status a report's payload carries, at any depth (ODK groups, a GeoJSON
    feature's properties), as the review reads it."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            return None
    value = payload_value(payload, "status", "component_status")
    return None if value is None else str(value).strip()


def _from_rows(rows: list, codes: list[str]) -> StoredReports:
    index = {c: k for k, c in enumerate(codes)}
    n = len(rows)
    col = list(zip(*rows)) if rows else [()] * 11
    grid = list(col[7])
    return StoredReports(
        Reports(
            time=np.fromiter((epoch(v) for v in col[1]), np.int64, n),
            collector=list(col[2]),
            kind=list(col[3]),
            category=list(col[4]),
            state=list(col[5]),
            status=[_status(p) for p in col[6]],
            grid=np.fromiter((index.get(g, -1) for g in grid), np.int64, n),
            channel=["collector"] * n,
            due=np.full(n, NULL_TIME, np.int64),
            closed_at=np.full(n, NULL_TIME, np.int64),
            reason=list(col[10]),
        ),
        codes,
        np.fromiter((int(v) for v in col[0]), np.int64, n),
        np.array([np.nan if v is None else float(v) for v in col[8]]),
        np.array([np.nan if v is None else float(v) for v in col[9]]),
        [(g or "")[:6] for g in grid],
    )


def _add_cases(ws: Workspace, out: StoredReports, start: int, end: int) -> None:
    """Other-channel cases reported in the window as reports; deadlines and closures of
    collector cases onto their submissions."""
    from sqlalchemy import MetaData, Table

    cases = Table("cases", MetaData(), autoload_with=ws.engine, schema=None)
    q = select(
        cases.c.submission_id, cases.c.channel, cases.c.kind, cases.c.class_code,
        cases.c.state, cases.c.reported_at, cases.c.due_at, cases.c.closed_at,
        cases.c.grid_code, cases.c.collector_code,
    ).where(
        and_(cases.c.reported_at >= utc(start - 366 * 86400), cases.c.reported_at < utc(end))
    )  # fmt: skip
    with ws.engine.connect() as conn:
        rows = conn.execute(q).all()
    by_sub = {int(v): k for k, v in enumerate(out.submission_id)}
    extra = []
    for r in rows:
        k = by_sub.get(r.submission_id) if r.submission_id is not None else None
        if k is not None:
            out.reports.due[k] = epoch(r.due_at)
            out.reports.closed_at[k] = epoch(r.closed_at)
        elif r.channel != "collector" and start <= epoch(r.reported_at) < end:
            extra.append(r)
    if extra:
        _append_cases(out, extra)


def _append_cases(out: StoredReports, rows: list) -> None:
    rep = out.reports
    index = {c: k for k, c in enumerate(out.grid_codes)}
    n = len(rows)
    rep.time = np.concatenate([rep.time, [epoch(r.reported_at) for r in rows]]).astype(np.int64)
    rep.collector = [*rep.collector, *([None] * n)]
    rep.kind = [*rep.kind, *(r.kind for r in rows)]
    rep.category = [*rep.category, *(r.class_code for r in rows)]
    rep.state = [*rep.state, *(_CASE_STATE.get(r.state, "pending") for r in rows)]
    # a component case is a problem with a component (the case loop files problems only)
    rep.status = [*rep.status, *("破损" if r.kind == "component" else None for r in rows)]
    rep.grid = np.concatenate([rep.grid, [index.get(r.grid_code, -1) for r in rows]])
    rep.channel = [*rep.channel, *(r.channel for r in rows)]
    rep.due = np.concatenate([rep.due, [epoch(r.due_at) for r in rows]]).astype(np.int64)
    rep.closed_at = np.concatenate([rep.closed_at, [epoch(r.closed_at) for r in rows]]).astype(
        np.int64
    )
    rep.reason = [*rep.reason, *([None] * n)]
    out.submission_id = np.concatenate([out.submission_id, np.full(n, -1)])
    out.x = np.concatenate([out.x, np.full(n, np.nan)])
    out.y = np.concatenate([out.y, np.full(n, np.nan)])
    out.district = [*out.district, *((r.grid_code or "")[:6] for r in rows)]


def read_roster(ws: Workspace, first: date, last: date) -> Roster | None:
    """The duty roster of the days (None when the workspace has no entry in them)."""
    dr = ws.schema.duty_roster
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(dr.c.collector_code, dr.c.day, dr.c.status).where(
                and_(dr.c.day >= first, dr.c.day <= last)
            )
        ).all()
    if not rows:
        return None
    roster = Roster()
    for code, day, status in rows:
        roster.add(code, day_number(day), status)
    return roster


def read_tasks(ws: Workspace, start: int, end: int) -> Tasks | None:
    """The case loop's 核实/核查 tasks due in the window (None without a tasks table)."""
    if not has_table(ws, "tasks"):
        return None
    from sqlalchemy import MetaData, Table

    t = Table("tasks", MetaData(), autoload_with=ws.engine)
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.kind, t.c.due_at, t.c.result_at, t.c.assigned_collector, t.c.state).where(
                and_(t.c.due_at >= utc(start), t.c.due_at < utc(end))
            )
        ).all()
    return Tasks(
        kind=[r.kind for r in rows],
        due=np.array([epoch(r.due_at) for r in rows], np.int64),
        done=np.array([epoch(r.result_at) for r in rows], np.int64),
        collector=[r.assigned_collector for r in rows],
        cancelled=np.array([r.state == "cancelled" for r in rows], bool),
    )


@dataclass(frozen=True)
class Person:
    code: str
    name: str
    contractor: str
    active: bool


def read_collectors(ws: Workspace) -> dict[str, Person]:
    c = ws.schema.collectors
    with ws.engine.connect() as conn:
        rows = conn.execute(select(c.c.code, c.c.name, c.c.contractor, c.c.active)).all()
    return {r.code: Person(r.code, r.name, r.contractor or "", bool(r.active)) for r in rows}


def district_names(ws: Workspace) -> dict[str, str]:
    au = ws.schema.admin_units
    with ws.engine.connect() as conn:
        rows = conn.execute(select(au.c.code, au.c.name).where(au.c.level == "district")).all()
    return dict(rows)
