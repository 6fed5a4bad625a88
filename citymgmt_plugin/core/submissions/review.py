"""Review of field submissions: the queue, matching candidates, decisions, write-back.

A decision is one transaction: the submission's new state (guarded by its ``row_version``,
so a second reviewer deciding the same submission is told it was already decided and
nothing is overwritten), the census change it implies (a new component, or a change to the
stored one, through :mod:`.census`), a ``review_decisions`` row and an audit entry. For
ODK Central submissions the review state (and the reason as a comment) is then written back
to the server; a failed write-back leaves ``written_back`` false and is retried by
:func:`write_back_pending`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import shapely
from sqlalchemy import Connection, and_, func, or_, select, update

from .. import census
from ..i18n import tr
from ..labels import labelled, submission_state_label
from ..workspace.schema.census import COMPONENT_STATUSES
from ..workspace.store import Workspace, audit
from .duplicates import DuplicateLink, DuplicateRules, find_duplicates

_CTX = "Review"
DECIDABLE_STATES = ("pending", "quarantined", "has_issues")
STATE_OF = {
    "accept_new": "accepted",
    "update_existing": "updated",
    "duplicate": "duplicate",
    "reject": "rejected",
    "has_issues": "has_issues",
}
NEEDS_REASON = ("reject", "has_issues")
DEFAULT_RADIUS_M = 10.0  # phone GPS: class C accuracy
MAX_RADIUS_M = 50.0


class ReviewError(Exception):
    """A decision cannot be made as asked (message translated)."""


class AlreadyDecided(ReviewError):
    """Somebody else decided (or intake changed) the submission since it was loaded."""

    def __init__(
        self, submission_id: int, state: str | None, by: str | None, at: datetime | None
    ) -> None:
        self.submission_id = submission_id
        self.state = state
        self.by = by
        self.at = at
        super().__init__(
            tr(_CTX, "Submission {0} was already decided ({1}) by {2}; reload it.").format(
                submission_id, submission_state_label(state) if state else "?", by or "?"
            )
            if state not in DECIDABLE_STATES
            else tr(_CTX, "Submission {0} changed since it was loaded; reload it.").format(
                submission_id
            )
        )


# -- the queue -----------------------------------------------------------------------------
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
    duplicate_of: DuplicateLink | None = None  # likely repeats an earlier submission


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
    zone = _zone(ws)
    if flt.date_from:
        conds.append(s.c.observed_at >= datetime.combine(flt.date_from, datetime.min.time(), zone))
    if flt.date_to:
        conds.append(s.c.observed_at < datetime.combine(flt.date_to, datetime.max.time(), zone))
    return q.where(and_(*conds)) if conds else q


def _zone(ws: Workspace) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai")


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
        if duplicates:
            times = [i.observed_at for i in items if i.state in DECIDABLE_STATES and i.observed_at]
            if times:
                links = find_duplicates(conn, ws, span=(min(times), max(times)))
                for i in items:
                    i.duplicate_of = links.get(i.id)
    return items


def duplicate_links(
    ws: Workspace, ids: list[int] | None = None, rules: DuplicateRules | None = None
) -> dict[int, DuplicateLink]:
    """Undecided submissions (all, or ``ids``) that likely repeat an earlier one, by id."""
    with ws.engine.connect() as conn:
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


# -- one submission ------------------------------------------------------------------------
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


def photos(ws: Workspace, submission_id: int) -> list[Photo]:
    a = ws.schema.submission_attachments
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(
                a.c.id,
                a.c.name,
                a.c.mime,
                a.c.content,
                a.c.problem,
                a.c.exif_time,
                a.c.exif_lon,
                a.c.exif_lat,
            )
            .where(a.c.submission_id == submission_id)
            .order_by(a.c.name)
        ).all()
    return [
        Photo(r[0], r[1], r[2], bytes(r[3]) if r[3] is not None else None, *r[4:]) for r in rows
    ]


def submission(conn: Connection, ws: Workspace, submission_id: int) -> Any:
    s = ws.schema.submissions
    row = conn.execute(
        select(s, func.ST_AsBinary(s.c.geom).label("wkb")).where(s.c.id == submission_id)
    ).first()
    if row is None:
        raise ReviewError(tr(_CTX, "No submission {0}.").format(submission_id))
    return row


def _point(row: Any) -> Any:
    return shapely.from_wkb(bytes(row.wkb)) if row.wkb is not None else None


def _payload_value(payload: Any, *names: str) -> Any:
    """A field of the payload, looked for at the top level and in groups (ODK)."""
    if not isinstance(payload, dict):
        return None
    stack = [payload]
    while stack:
        d = stack.pop(0)
        for n in names:
            if d.get(n) not in (None, ""):
                return d[n]
        stack += [
            v for k, v in d.items() if isinstance(v, dict) and k not in ("__system", "geometry")
        ]
    return None


@dataclass
class Match:
    """A stored component the submission may refer to; lower ``score`` ranks first."""

    component_id: int
    identifier: str
    class_code: str
    name: str
    status: str
    version: int
    distance_m: float
    agreement: float  # share of compared attributes that agree (1.0 when none compared)
    score: float
    x: float
    y: float
    notes: list[str] = field(default_factory=list)


def candidates(
    ws: Workspace, submission_id: int, radius_m: float | None = None, conn: Connection | None = None
) -> list[Match]:
    """Stored components of the submission's class within its accuracy tolerance, ranked.

    The tolerance is twice the reported GPS accuracy (at least class C, 10 m; at most 50 m).
    Rank: distance as a share of the tolerance, plus a penalty for each attribute that
    disagrees (status, identifier named in the report); an identifier that agrees wins.
    """
    if conn is None:
        with ws.engine.connect() as c:
            return candidates(ws, submission_id, radius_m, c)
    row = submission(conn, ws, submission_id)
    pt = _point(row)
    if pt is None or row.kind == "event" or not row.category_code:
        return []
    if radius_m is None:
        acc = _payload_value(row.payload, "accuracy_m", "accuracy")
        try:
            acc = float(acc) if acc is not None else None
        except (TypeError, ValueError):
            acc = None
        radius_m = min(max(DEFAULT_RADIUS_M, 2 * acc if acc else 0.0), MAX_RADIUS_M)
    found = census.candidates_near(
        conn, ws, pt, class_code=row.category_code, tolerance=radius_m, limit=20
    )
    status = _payload_value(row.payload, "status", "component_status")
    ident = _payload_value(row.payload, "component_id", "identifier", "component_identifier")
    out = []
    for c in found:
        compared = agreed = 0
        notes = []
        score = c.distance / radius_m if radius_m else 0.0
        if status in COMPONENT_STATUSES:
            compared += 1
            if status == c.status:
                agreed += 1
            else:
                score += 0.3
                notes.append(tr(_CTX, "status {0} → {1}").format(c.status, status))
        if ident:
            compared += 1
            if str(ident) == c.identifier:
                agreed += 1
                score -= 1.0
            else:
                score += 0.5
        g = census.anchor(c.geom) if c.geom is not None else pt
        out.append(
            Match(
                c.id,
                c.identifier,
                c.class_code,
                c.name,
                c.status,
                c.version,
                float(c.distance),
                agreed / compared if compared else 1.0,
                score,
                float(g.x),
                float(g.y),
                notes,
            )
        )
    out.sort(key=lambda m: (m.score, m.distance_m))
    return out


# -- decisions -----------------------------------------------------------------------------
@dataclass
class Decision:
    submission_id: int
    row_version: int  # as loaded: the optimistic lock
    decision: str  # accept_new | update_existing | duplicate | reject | has_issues
    reason: str | None = None
    component_id: int | None = None  # update_existing / duplicate: the stored component
    move: bool = True  # update_existing: move the component to the reported position
    status: str | None = None  # update_existing: new status (default: the reported one)
    attributes: dict[str, Any] = field(default_factory=dict)  # update_existing: more changes
    duplicate_of: int | None = None  # duplicate: the earlier submission it repeats
    auto: bool = False  # decided by auto-match (marked in the audit row), not by hand


@dataclass
class Outcome:
    submission_id: int
    decision: str
    state: str
    component_id: int | None
    decision_id: int
    written_back: bool = False
    write_back_error: str | None = None


WriterFor = Callable[[str], Any]  # source key -> object with write_review(), or None


def decide(
    ws: Workspace,
    d: Decision,
    reviewer: str | None = None,
    writer_for: WriterFor | None = None,
) -> Outcome:
    """Store one decision with its census change (one transaction), then write it back.

    ``reviewer`` defaults to the workspace's actor (the person signed in).
    """
    reviewer = reviewer or ws.actor
    if d.decision not in STATE_OF:
        raise ReviewError(tr(_CTX, "Unknown decision {0}.").format(d.decision))
    if d.decision in NEEDS_REASON and not (d.reason or "").strip():
        raise ReviewError(tr(_CTX, "Give a reason to reject or send back a submission."))
    s = ws.schema.submissions
    now = datetime.now(timezone.utc)
    with census.write_transaction(ws) as conn:
        # The guarded update first: on PostGIS it locks the row, so a second reviewer waits
        # here and then finds the row_version moved on; nothing of theirs is written.
        done = conn.execute(
            update(s)
            .where(
                and_(
                    s.c.id == d.submission_id,
                    s.c.row_version == d.row_version,
                    s.c.state.in_(DECIDABLE_STATES),
                )
            )
            .values(
                state=STATE_OF[d.decision],
                row_version=s.c.row_version + 1,
                decided_at=now,
                decided_by=reviewer,
            )
        ).rowcount
        if done != 1:
            cur = conn.execute(
                select(s.c.state, s.c.decided_by, s.c.decided_at).where(s.c.id == d.submission_id)
            ).first()
            if cur is None:
                raise ReviewError(tr(_CTX, "No submission {0}.").format(d.submission_id))
            raise AlreadyDecided(d.submission_id, cur.state, cur.decided_by, cur.decided_at)
        row = submission(conn, ws, d.submission_id)
        component_id = _census_change(conn, ws, row, d, reviewer)
        rd = ws.schema.review_decisions
        decision_id = conn.execute(
            rd.insert()
            .values(
                submission_id=d.submission_id,
                decision=d.decision,
                reason=d.reason,
                component_id=component_id,
                reviewer=reviewer,
                decided_at=now,
                written_back=False,
            )
            .returning(rd.c.id)
        ).scalar_one()
        audit(
            conn,
            ws.schema,
            reviewer,
            "review." + d.decision,
            "submissions",
            d.submission_id,
            {
                "instance_id": row.instance_id,
                "source": row.source,
                "component_id": component_id,
                "reason": d.reason,
                **({"duplicate_of": d.duplicate_of} if d.duplicate_of is not None else {}),
                **({"auto": True} if d.auto else {}),
            },
        )
        source = row.source
        instance_id = row.instance_id
    out = Outcome(d.submission_id, d.decision, STATE_OF[d.decision], component_id, decision_id)
    if source.startswith("odk:"):
        _write_back(
            ws, out, source, instance_id, d.reason, component_id, writer_for, d.duplicate_of
        )
    return out


def _census_change(
    conn: Connection, ws: Workspace, row: Any, d: Decision, reviewer: str
) -> int | None:
    pt = _point(row)
    reason = tr(_CTX, "Field submission {0}").format(row.instance_id)
    if d.reason:
        reason = labelled(reason, d.reason)
    if d.decision == "accept_new":
        if row.kind == "event":
            return None  # an event case, no component
        if pt is None or not row.category_code:
            raise ReviewError(
                tr(_CTX, "A submission without position or category cannot become a component.")
            )
        info = census.class_table(conn, ws).get(row.category_code)
        if info is None:
            raise ReviewError(
                tr(_CTX, "Class {0} is not in the class table.").format(row.category_code)
            )
        status = _payload_value(row.payload, "status", "component_status")
        observed = row.observed_at.astimezone(_zone(ws)).date() if row.observed_at else None
        draft = census.ComponentDraft(
            class_code=row.category_code,
            geom=pt,
            name=info.name,
            dept_code=info.department_code or "000",
            dept_name=info.department_name or "未指定",
            status=status if status in COMPONENT_STATUSES else "完好",
            initial_date=min(observed, census.office_today(ws)) if observed else None,
            data_source="实测",
            accuracy_class="C",
            note=row.description,
        )
        try:
            ref = census.create_component(conn, ws, draft, reviewer, reason=reason)
        except census.CensusError as exc:
            raise ReviewError(str(exc)) from exc
        _copy_photos(conn, ws, row.id, ref.id, reviewer)
        return ref.id
    if d.decision == "update_existing":
        if d.component_id is None:
            raise ReviewError(tr(_CTX, "Choose the stored component this submission updates."))
        changes: dict[str, Any] = dict(d.attributes)
        if d.move and pt is not None:
            changes["geom"] = pt
        status = d.status or _payload_value(row.payload, "status", "component_status")
        if status in COMPONENT_STATUSES:
            changes["status"] = status
        try:
            census.update_component(conn, ws, d.component_id, changes, reviewer, reason=reason)
        except census.CensusError as exc:
            raise ReviewError(str(exc)) from exc
        _copy_photos(conn, ws, row.id, d.component_id, reviewer)
        return d.component_id
    if d.decision == "duplicate":
        return d.component_id
    return None


def _copy_photos(
    conn: Connection, ws: Workspace, submission_id: int, component_id: int, actor: str
) -> None:
    a = ws.schema.submission_attachments
    for name, content in conn.execute(
        select(a.c.name, a.c.content).where(
            and_(a.c.submission_id == submission_id, a.c.content.is_not(None))
        )
    ).all():
        try:
            census.add_photo(conn, ws, component_id, bytes(content), actor, filename=name)
        except census.CensusError:
            continue  # an unreadable photo stays with the submission only


def _write_back(
    ws: Workspace,
    out: Outcome,
    source: str,
    instance_id: str,
    reason: str | None,
    component_id: int | None,
    writer_for: WriterFor | None,
    duplicate_of: int | None = None,
) -> None:
    from .odk import REVIEW_STATES

    writer = (writer_for or default_writer_for(ws))(source)
    if writer is None:
        out.write_back_error = tr(
            _CTX, "No connection to {0}: decision kept, not written back."
        ).format(source)
        return
    comment = reason
    if out.decision == "duplicate":
        comment = (
            tr(_CTX, "Duplicate of an earlier submission.")
            if duplicate_of is not None
            else tr(_CTX, "Duplicate of a stored component.")
        ) + (f" {reason}" if reason else "")
    try:
        writer.write_review(instance_id, REVIEW_STATES[out.decision], comment)
    except Exception as exc:
        out.write_back_error = str(exc)
        return
    rd = ws.schema.review_decisions
    with ws.begin() as conn:
        conn.execute(update(rd).where(rd.c.id == out.decision_id).values(written_back=True))
    out.written_back = True


def default_writer_for(ws: Workspace) -> WriterFor:
    """Writers built from the source configurations stored by the CLI or the dock."""
    cache: dict[str, Any] = {}

    def writer_for(source: str) -> Any:
        if source not in cache:
            from . import source_configs
            from .sources import open_source

            config = source_configs(ws).get(source)
            try:
                cache[source] = open_source(ws, config) if config else None
            except Exception:
                cache[source] = None
        return cache[source]

    return writer_for


def write_back_pending(ws: Workspace, writer_for: WriterFor | None = None) -> tuple[int, int]:
    """Retry decisions not yet written back to ODK Central: (written, still failing)."""
    from .odk import REVIEW_STATES

    rd, s = ws.schema.review_decisions, ws.schema.submissions
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(rd.c.id, rd.c.decision, rd.c.reason, s.c.source, s.c.instance_id)
            .join(s, s.c.id == rd.c.submission_id)
            .where(and_(rd.c.written_back.is_(False), s.c.source.like("odk:%")))
            .order_by(rd.c.id)
        ).all()
    writer_for = writer_for or default_writer_for(ws)
    ok = failed = 0
    for r in rows:
        writer = writer_for(r.source)
        try:
            if writer is None:
                raise ReviewError(r.source)
            writer.write_review(r.instance_id, REVIEW_STATES[r.decision], r.reason)
        except Exception:
            failed += 1
            continue
        with ws.begin() as conn:
            conn.execute(update(rd).where(rd.c.id == r.id).values(written_back=True))
        ok += 1
    return ok, failed


def decide_many(
    ws: Workspace,
    decisions: Iterable[Decision],
    reviewer: str | None = None,
    writer_for: WriterFor | None = None,
) -> tuple[list[Outcome], list[tuple[int, str]]]:
    """A batch: each decision in its own transaction; conflicts and refusals are listed."""
    done, refused = [], []
    reviewer = reviewer or ws.actor
    writer_for = writer_for or default_writer_for(ws)
    for d in decisions:
        try:
            done.append(decide(ws, d, reviewer, writer_for))
        except ReviewError as exc:
            refused.append((d.submission_id, str(exc)))
    return done, refused


def auto_match(
    ws: Workspace,
    reviewer: str | None = None,
    max_distance_m: float = 3.0,
    writer_for: WriterFor | None = None,
    duplicates: bool = True,
    duplicate_rules: DuplicateRules | None = None,
) -> Counter:
    """Decide the obvious.

    First (``duplicates``), a pending submission that repeats an earlier one (same kind and
    category, nearby, soon after: :mod:`.intake.duplicates`) is a ``duplicate`` of it, unless
    that one was rejected or is in quarantine; the reason names it, with distance and delay.
    Then a pending component report whose best candidate lies within ``max_distance_m`` with
    every compared attribute agreeing is a duplicate of that stored component; when it
    reports a different status it updates that component's status (without moving it).
    Positions flagged as shifted take part only when they were corrected (EXIF evidence).
    The decisions name ``reviewer`` (default: the workspace's actor, the person who ran it)
    and carry ``"auto": true`` in their audit detail and a reason that says why.
    """
    reviewer = reviewer or ws.actor
    s = ws.schema.submissions
    result: Counter = Counter()
    writer_for = writer_for or default_writer_for(ws)
    if duplicates:
        result.update(_auto_duplicates(ws, reviewer, writer_for, duplicate_rules))
    with ws.engine.connect() as conn:
        pending = conn.execute(
            select(s.c.id, s.c.row_version)
            .where(
                and_(
                    s.c.state == "pending",
                    s.c.kind == "component",
                    or_(s.c.crs_flag.is_(None), s.c.crs_flag.like("%:corrected")),
                )
            )
            .order_by(s.c.id)
        ).all()
    for sid, version in pending:
        with ws.engine.connect() as conn:
            found = candidates(ws, sid, conn=conn)
        if not found or found[0].distance_m > max_distance_m:
            result["left"] += 1
            continue
        best = found[0]
        if len(found) > 1 and found[1].distance_m <= max_distance_m:
            result["ambiguous"] += 1
            continue
        if best.agreement == 1.0:
            d = Decision(
                sid,
                version,
                "duplicate",
                tr(_CTX, "matches {0}").format(best.identifier),
                best.component_id,
                auto=True,
            )
        else:
            d = Decision(
                sid,
                version,
                "update_existing",
                tr(_CTX, "auto-match: {0} {1:.1f} m away, status as reported").format(
                    best.identifier, best.distance_m
                ),
                best.component_id,
                move=False,
                auto=True,
            )
        try:
            decide(ws, d, reviewer, writer_for)
            result[d.decision] += 1
        except ReviewError:
            result["refused"] += 1
    return result


def _auto_duplicates(
    ws: Workspace, reviewer: str, writer_for: WriterFor, rules: DuplicateRules | None
) -> Counter:
    s, rd = ws.schema.submissions, ws.schema.review_decisions
    with ws.engine.connect() as conn:
        links = find_duplicates(conn, ws, rules, states=("pending",))
        usable = {
            k: v for k, v in links.items() if v.original_state not in ("rejected", "quarantined")
        }
        wanted = sorted(usable)
        versions: dict[int, int] = {}
        for k in range(0, len(wanted), 900):  # under SQLite's parameter limit
            versions.update(
                conn.execute(
                    select(s.c.id, s.c.row_version).where(s.c.id.in_(wanted[k : k + 900]))
                ).all()
            )
        components = {}
        originals = sorted({v.original_id for v in usable.values()})
        for k in range(0, len(originals), 900):
            for sub_id, comp in conn.execute(
                select(rd.c.submission_id, rd.c.component_id)
                .where(
                    and_(
                        rd.c.submission_id.in_(originals[k : k + 900]),
                        rd.c.component_id.is_not(None),
                    )
                )
                .order_by(rd.c.id)
            ).all():
                components[sub_id] = comp  # the latest decision wins
    result: Counter = Counter()
    for sid in sorted(usable, key=lambda k: (usable[k].minutes, k)):
        link = usable[sid]
        d = Decision(
            sid,
            versions[sid],
            "duplicate",
            tr(_CTX, "duplicate of submission {0} ({1:.0f} m, {2:.0f} min later)").format(
                link.original_instance_id, link.distance_m, link.minutes
            ),
            components.get(link.original_id),
            duplicate_of=link.original_id,
            auto=True,
        )
        try:
            decide(ws, d, reviewer, writer_for)
            result["duplicate_submission"] += 1
        except ReviewError:
            result["refused"] += 1
    return result
