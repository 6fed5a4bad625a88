"""Decisions: one transaction each, with the census change it implies and its write-back.

A decision is one transaction: the submission's new state (guarded by its ``row_version``,
so a second reviewer deciding the same submission is told it was already decided and
nothing is overwritten; the guarded UPDATE locks the row, so an intake page storing an edit
of it waits, and then keeps the decision), the census change it implies (a new component,
or a change to the stored one at the version the reviewer saw, through :mod:`...census`),
a ``review_decisions`` row, the outbox row that tells the source (:mod:`..writeback`) and
an audit entry. The source is then told at once
when a writer is at hand; otherwise, or when that fails, the outbox keeps it for later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, select, update

from ... import census
from ...i18n import tr
from ...labels import labelled
from ...workspace.schema.census import COMPONENT_STATUSES
from ...workspace.store import Workspace, audit
from .. import writeback
from ..states import DECIDABLE_STATES, ReviewDecision
from .candidates import Match, candidates, point, reported_status, submission
from .errors import AlreadyDecided, ReviewError
from .queue import office_zone

_CTX = "Review"
WriterFor = writeback.WriterFor


@dataclass
class Decision:
    submission_id: int
    row_version: int  # as loaded: the optimistic lock
    decision: (
        str  # a ReviewDecision: accept_new | update_existing | duplicate | reject | has_issues
    )
    reason: str | None = None
    component_id: int | None = None  # update_existing / duplicate: the stored component
    # update_existing: the component's version as the reviewer saw it (optimistic lock:
    # refused when someone changed the component since; None: not checked)
    component_version: int | None = None
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


def _checked(d: Decision) -> ReviewDecision:
    try:
        kind = ReviewDecision(d.decision)
    except ValueError:
        raise ReviewError(tr(_CTX, "Unknown decision {0}.").format(d.decision)) from None
    if kind.needs_reason and not (d.reason or "").strip():
        raise ReviewError(tr(_CTX, "Give a reason to reject or send back a submission."))
    return kind


def _claim(
    conn: Connection, ws: Workspace, d: Decision, kind: ReviewDecision, by: str, now: datetime
) -> Any:
    """The guarded state change first: on PostGIS it locks the row, so a second reviewer
    waits here and then finds the row_version moved on; nothing of theirs is written."""
    s = ws.schema.submissions
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
            state=kind.state.value,
            row_version=s.c.row_version + 1,
            decided_at=now,
            decided_by=by,
        )
    ).rowcount
    if done != 1:
        cur = conn.execute(
            select(s.c.state, s.c.decided_by, s.c.decided_at).where(s.c.id == d.submission_id)
        ).first()
        if cur is None:
            raise ReviewError(tr(_CTX, "No submission {0}.").format(d.submission_id))
        raise AlreadyDecided(d.submission_id, cur.state, cur.decided_by, cur.decided_at)
    return submission(conn, ws, d.submission_id)


def _comment(kind: ReviewDecision, d: Decision) -> str | None:
    """What the source hears with the decision."""
    if kind != ReviewDecision.DUPLICATE:
        return d.reason
    said = (
        tr(_CTX, "Duplicate of an earlier submission.")
        if d.duplicate_of is not None
        else tr(_CTX, "Duplicate of a stored component.")
    )
    return said + (f" {d.reason}" if d.reason else "")


@dataclass(frozen=True)
class _Recorded:
    decision_id: int
    component_id: int | None
    outbox_id: int | None  # None: the source is not told


def _record(
    conn: Connection,
    ws: Workspace,
    row: Any,
    d: Decision,
    kind: ReviewDecision,
    by: str,
    now: datetime,
) -> _Recorded:
    """The decision row, its census change, the outbox row and the audit entry."""
    component_id = _census_change(conn, ws, row, d, kind, by)
    rd = ws.schema.review_decisions
    decision_id = conn.execute(
        rd.insert()
        .values(
            submission_id=d.submission_id,
            decision=kind.value,
            reason=d.reason,
            component_id=component_id,
            reviewer=by,
            decided_at=now,
            written_back=False,
        )
        .returning(rd.c.id)
    ).scalar_one()
    comment = _comment(kind, d)
    outbox_id = writeback.enqueue(conn, ws, decision_id, row.source, row.instance_id, kind, comment)
    detail = {
        "instance_id": row.instance_id,
        "source": row.source,
        "component_id": component_id,
        "reason": d.reason,
        **({"duplicate_of": d.duplicate_of} if d.duplicate_of is not None else {}),
        **({"auto": True} if d.auto else {}),
    }
    audit(conn, ws.schema, by, "review." + kind.value, "submissions", d.submission_id, detail)
    return _Recorded(decision_id, component_id, outbox_id)


def decide(
    ws: Workspace,
    d: Decision,
    reviewer: str | None = None,
    writer_for: WriterFor | None = None,
) -> Outcome:
    """Store one decision with its census change (one transaction), then tell the source
    through ``writer_for`` (source key -> writer; none at hand: it waits in the outbox).

    ``reviewer`` defaults to the workspace's actor (the person signed in).
    """
    reviewer = reviewer or ws.actor
    kind = _checked(d)
    now = datetime.now(timezone.utc)
    with census.write_transaction(ws) as conn:
        row = _claim(conn, ws, d, kind, reviewer, now)
        done = _record(conn, ws, row, d, kind, reviewer, now)
    out = Outcome(
        d.submission_id, kind.value, kind.state.value, done.component_id, done.decision_id
    )
    if done.outbox_id is not None:
        sent = writeback.drain(ws, writer_for, ids=[done.outbox_id])
        out.written_back = sent.written == 1
        out.write_back_error = sent.errors.get(done.outbox_id)
    return out


def decide_many(
    ws: Workspace,
    decisions: Iterable[Decision],
    reviewer: str | None = None,
    writer_for: WriterFor | None = None,
) -> tuple[list[Outcome], list[tuple[int, str]]]:
    """A batch: each decision in its own transaction; conflicts and refusals are listed."""
    done, refused = [], []
    reviewer = reviewer or ws.actor
    for d in decisions:
        try:
            done.append(decide(ws, d, reviewer, writer_for))
        except ReviewError as exc:
            refused.append((d.submission_id, str(exc)))
    return done, refused


@dataclass(frozen=True)
class Pick:
    """A submission as the reviewer loaded it."""

    id: int
    row_version: int


def batch_decisions(
    ws: Workspace,
    picked: Sequence[Pick],
    decision: str,
    reason: str | None = None,
    chosen: Match | None = None,
) -> tuple[list[Decision], int]:
    """The decisions for the selected submissions, and how many were skipped.

    Decided against a stored component (update existing, duplicate): for one submission the
    reviewer's ``chosen`` candidate; for several, each one's best candidate. An update
    without any candidate is skipped; a duplicate without one is of nothing stored.
    """
    kind = ReviewDecision(decision)
    out = []
    for p in picked:
        match = None
        if kind.names_component:
            if len(picked) == 1:
                match = chosen
            else:
                found = candidates(ws, p.id)
                match = found[0] if found else None
            if match is None and kind == ReviewDecision.UPDATE_EXISTING:
                continue
        d = Decision(p.id, p.row_version, kind.value, reason)
        if match is not None:  # the component as the reviewer saw it
            d.component_id, d.component_version = match.component_id, match.version
        out.append(d)
    return out, len(picked) - len(out)


# -- the census change -------------------------------------------------------------------------
def _because(row: Any, d: Decision) -> str:
    reason = tr(_CTX, "Field submission {0}").format(row.instance_id)
    return labelled(reason, d.reason) if d.reason else reason


def _accept_new(conn: Connection, ws: Workspace, row: Any, d: Decision, by: str) -> int | None:
    if row.kind == "event":
        return None  # an event case, no component
    pt = point(row)
    if pt is None or not row.category_code:
        raise ReviewError(
            tr(_CTX, "A submission without position or category cannot become a component.")
        )
    info = census.class_table(conn, ws).get(row.category_code)
    if info is None:
        raise ReviewError(
            tr(_CTX, "Class {0} is not in the class table.").format(row.category_code)
        )
    status = reported_status(row)
    observed = row.observed_at.astimezone(office_zone(ws)).date() if row.observed_at else None
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
        ref = census.create_component(conn, ws, draft, by, reason=_because(row, d))
    except census.CensusError as exc:
        raise ReviewError(str(exc)) from exc
    _copy_photos(conn, ws, row.id, ref.id, by)
    return ref.id


def _update_existing(conn: Connection, ws: Workspace, row: Any, d: Decision, by: str) -> int:
    if d.component_id is None:
        raise ReviewError(tr(_CTX, "Choose the stored component this submission updates."))
    changes: dict[str, Any] = dict(d.attributes)
    pt = point(row)
    if d.move and pt is not None:
        changes["geom"] = pt
    status = d.status or reported_status(row)
    if status in COMPONENT_STATUSES:
        changes["status"] = status
    try:
        census.update_component(
            conn,
            ws,
            d.component_id,
            changes,
            by,
            reason=_because(row, d),
            expected_version=d.component_version,
        )
    except census.VersionConflict as exc:
        raise ReviewError(
            tr(
                _CTX,
                "Component {0} was changed by {1} since you loaded it (version {2}, you saw "
                "version {3}): nothing was decided; reload and decide again.",
            ).format(exc.component_id, exc.by or "?", exc.current or "-", exc.expected)
        ) from exc
    except census.CensusError as exc:
        raise ReviewError(str(exc)) from exc
    _copy_photos(conn, ws, row.id, d.component_id, by)
    return d.component_id


def _census_change(
    conn: Connection, ws: Workspace, row: Any, d: Decision, kind: ReviewDecision, by: str
) -> int | None:
    """The component the decision creates or changes (its id), or the one it names."""
    if kind == ReviewDecision.ACCEPT_NEW:
        return _accept_new(conn, ws, row, d, by)
    if kind == ReviewDecision.UPDATE_EXISTING:
        return _update_existing(conn, ws, row, d, by)
    if kind == ReviewDecision.DUPLICATE:
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
