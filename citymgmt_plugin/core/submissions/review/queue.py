"""The review queue: submissions to work, filtered and counted, with their photos and the
duplicate links judged at ingest."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.orm import aliased

from ...workspace.chunks import chunked
from ...workspace.store import Workspace
from ..judge.duplicates import DuplicateLink, DuplicateRules, find_duplicates
from ..states import DECIDABLE_STATES, PositionFlag, Problem, decode_flag, decode_reasons


def office_zone(ws: Workspace) -> Any:
    """The workspace's time zone (setting ``timezone``, default Asia/Shanghai)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai")


@dataclass
class QueueFilter:
    states: tuple[str, ...] = ()
    source: str | None = None
    grid: str | None = None  # unit grid code or a prefix of it (community, street)
    resp_grid: str | None = None
    collector: str | None = None
    category: str | None = None
    date_from: date | None = None  # observed, office zone, inclusive
    date_to: date | None = None
    late_edits: bool = False  # only those edited on the server after the decision


@dataclass
class QueueItem:
    id: int
    source: str
    instance_id: str
    state: str
    kind: str | None
    category_code: str | None
    collector_code: str | None
    collector_name: str | None
    grid_code: str | None
    resp_grid_code: str | None
    observed_at: datetime | None
    received_at: datetime | None
    crs_flag: str | None
    quarantine_reason: str | None
    row_version: int
    description: str | None
    x: float | None
    y: float | None
    late_edit_at: datetime | None = None  # edited on the server after the decision (kept)
    duplicate_of: DuplicateLink | None = None  # likely repeats an earlier submission

    @property
    def flag(self) -> PositionFlag | None:
        return decode_flag(self.crs_flag)

    @property
    def problems(self) -> list[Problem]:
        return decode_reasons(self.quarantine_reason)


def _queue_select(ws: Workspace) -> Any:
    s = ws.schema.submissions
    rgu = ws.schema.resp_grid_units
    return select(
        s.c.id,
        s.c.source,
        s.c.instance_id,
        s.c.state,
        s.c.kind,
        s.c.category_code,
        s.c.collector_code,
        s.c.collector_name,
        s.c.grid_code,
        rgu.c.resp_grid_code,
        s.c.observed_at,
        s.c.received_at,
        s.c.crs_flag,
        s.c.quarantine_reason,
        s.c.row_version,
        s.c.description,
        func.ST_X(s.c.geom).label("x"),
        func.ST_Y(s.c.geom).label("y"),
        s.c.late_edit_at,
    ).select_from(s.outerjoin(rgu, rgu.c.unit_grid_code == s.c.grid_code))


def _where(ws: Workspace, q: Any, flt: QueueFilter, with_state: bool = True) -> Any:
    s = ws.schema.submissions
    rgu = ws.schema.resp_grid_units
    conds = []
    if with_state and flt.states:
        conds.append(s.c.state.in_(flt.states))
    if flt.source:
        conds.append(s.c.source == flt.source)
    if flt.grid:
        conds.append(s.c.grid_code.like(flt.grid + "%"))
    if flt.resp_grid:
        conds.append(rgu.c.resp_grid_code == flt.resp_grid)
    if flt.collector:
        conds.append(or_(s.c.collector_code == flt.collector, s.c.collector_name == flt.collector))
    if flt.category:
        conds.append(s.c.category_code == flt.category)
    if flt.late_edits:
        conds.append(s.c.late_edit_at.is_not(None))
    zone = office_zone(ws)
    if flt.date_from:
        conds.append(s.c.observed_at >= datetime.combine(flt.date_from, datetime.min.time(), zone))
    if flt.date_to:
        conds.append(s.c.observed_at < datetime.combine(flt.date_to, datetime.max.time(), zone))
    return q.where(and_(*conds)) if conds else q


def stored_links(
    conn: Connection,
    ws: Workspace,
    ids: list[int] | None = None,
    states: tuple[str, ...] | None = DECIDABLE_STATES,
) -> dict[int, DuplicateLink]:
    """The links judged at ingest of the submissions ``ids`` (all) in ``states``."""
    s, lk = ws.schema.submissions, ws.schema.submission_links
    o = aliased(s)
    cols = (lk.c.submission_id, lk.c.original_id, o.c.instance_id, o.c.state)
    q = select(*cols, lk.c.distance_m, lk.c.minutes).select_from(
        lk.join(s, s.c.id == lk.c.submission_id).join(o, o.c.id == lk.c.original_id)
    )
    if states is not None:
        q = q.where(s.c.state.in_(states))
    if ids is None:
        rows = conn.execute(q).all()
    else:
        rows = []
        for chunk in chunked(sorted(set(ids))):
            rows += conn.execute(q.where(lk.c.submission_id.in_(chunk))).all()
    return {
        int(r[0]): DuplicateLink(int(r[0]), int(r[1]), r[2], r[3], float(r[4]), float(r[5]))
        for r in rows
    }


def queue(
    ws: Workspace,
    flt: QueueFilter | None = None,
    limit: int | None = None,
    duplicates: bool = True,
) -> list[QueueItem]:
    """Submissions matching ``flt``, oldest observation first (the order they are worked);
    undecided ones that likely repeat an earlier submission carry ``duplicate_of``."""
    flt = flt or QueueFilter()
    s = ws.schema.submissions
    q = _where(ws, _queue_select(ws), flt).order_by(s.c.observed_at, s.c.id)
    if limit:
        q = q.limit(limit)
    with ws.engine.connect() as conn:
        items = [QueueItem(*r) for r in conn.execute(q)]
        if duplicates and any(i.state in DECIDABLE_STATES for i in items):
            links = stored_links(conn, ws)
            for i in items:
                i.duplicate_of = links.get(i.id)
    return items


def duplicate_links(
    ws: Workspace, ids: list[int] | None = None, rules: DuplicateRules | None = None
) -> dict[int, DuplicateLink]:
    """Undecided submissions (all, or ``ids``) that likely repeat an earlier one, by id: the
    links judged at ingest, or worked out afresh for ``rules`` other than the workspace's."""
    with ws.engine.connect() as conn:
        if rules is None or rules == DuplicateRules.from_settings(ws.settings):
            return stored_links(conn, ws, ids)
        return find_duplicates(conn, ws, rules, ids)


def counts(ws: Workspace, flt: QueueFilter | None = None) -> dict[str, int]:
    """Submissions per state under ``flt`` (its state filter ignored)."""
    flt = flt or QueueFilter()
    s = ws.schema.submissions
    rgu = ws.schema.resp_grid_units
    q = select(s.c.state, func.count()).select_from(
        s.outerjoin(rgu, rgu.c.unit_grid_code == s.c.grid_code)
    )
    q = _where(ws, q, flt, with_state=False).group_by(s.c.state)
    with ws.engine.connect() as conn:
        return {state: int(n) for state, n in conn.execute(q)}


def filter_values(ws: Workspace) -> dict[str, list[str]]:
    """Distinct values for the dock's filter lists."""
    s = ws.schema.submissions
    out = {}
    with ws.engine.connect() as conn:
        for name, col in (
            ("source", s.c.source),
            ("collector", s.c.collector_code),
            ("category", s.c.category_code),
        ):
            out[name] = [v for (v,) in conn.execute(select(col).distinct().order_by(col)) if v]
        rg = ws.schema.resp_grids
        out["resp_grid"] = [v for (v,) in conn.execute(select(rg.c.code).order_by(rg.c.code))]
    return out


@dataclass
class Photo:
    id: int
    name: str
    mime: str | None
    content: bytes | None
    problem: str | None
    exif_time: datetime | None
    exif_lon: float | None
    exif_lat: float | None


def photos(ws: Workspace, submission_id: int, replaced: bool = False) -> list[Photo]:
    """The submission's photos; ``replaced``: instead, the photos its edits replaced
    (oldest first; ``id`` is then the version row's)."""
    a = ws.schema.submission_attachment_versions if replaced else ws.schema.submission_attachments
    cols = (a.c.id, a.c.name, a.c.mime, a.c.content, a.c.problem)
    cols += (a.c.exif_time, a.c.exif_lon, a.c.exif_lat)
    order = (a.c.id,) if replaced else (a.c.name,)
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(*cols).where(a.c.submission_id == submission_id).order_by(*order)
        ).all()
    return [
        Photo(r[0], r[1], r[2], bytes(r[3]) if r[3] is not None else None, *r[4:]) for r in rows
    ]


def nearest_item(
    items: Sequence[QueueItem], x: float, y: float, radius_m: float
) -> QueueItem | None:
    """The item of ``items`` (those the reviewer sees) nearest to ``x, y`` (workspace CRS)
    within ``radius_m``; among items at the same place, the first still to decide."""
    best: tuple[float, int, int] | None = None
    found = None
    for n, it in enumerate(items):
        if it.x is None or it.y is None:
            continue
        d = math.hypot(it.x - x, it.y - y)
        if d > radius_m:
            continue
        key = (round(d, 3), 0 if it.state in DECIDABLE_STATES else 1, n)
        if best is None or key < best:
            best, found = key, it
    return found


def next_to_decide(items: Sequence[QueueItem], after: Collection[int]) -> QueueItem | None:
    """The first item still to decide below the last of the ids ``after`` in ``items`` (the
    order the reviewer sees); with none of them shown, the first to decide."""
    rows = [n for n, it in enumerate(items) if it.id in after]
    start = rows[-1] + 1 if rows else 0
    return next((it for it in items[start:] if it.state in DECIDABLE_STATES), None)
