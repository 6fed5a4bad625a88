"""Auto-match: the obvious decisions, made by the person who runs it and marked as such."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import and_, select

from ...i18n import tr
from ...workspace.chunks import chunked
from ...workspace.store import Workspace
from ..judge.duplicates import DuplicateLink, DuplicateRules, find_duplicates
from ..states import ReviewDecision, SubmissionState, flag_corrected_or_none
from .candidates import Match, candidates
from .decisions import Decision, WriterFor, decide
from .errors import ReviewError
from .queue import stored_links

_CTX = "Review"
_NOT_AN_ORIGINAL = (SubmissionState.REJECTED, SubmissionState.QUARANTINED)


def _try(ws: Workspace, d: Decision, reviewer: str, writer_for: WriterFor | None) -> bool:
    try:
        decide(ws, d, reviewer, writer_for)
    except ReviewError:
        return False
    return True


def _duplicate_links(ws: Workspace, rules: DuplicateRules | None) -> dict[int, DuplicateLink]:
    """Pending submissions that repeat a report that was neither rejected nor quarantined."""
    states = (SubmissionState.PENDING.value,)
    with ws.engine.connect() as conn:
        if rules is None or rules == DuplicateRules.from_settings(ws.settings):
            links = stored_links(conn, ws, states=states)
        else:
            links = find_duplicates(conn, ws, rules, states=states)
    return {k: v for k, v in links.items() if v.original_state not in _NOT_AN_ORIGINAL}


def _versions_and_components(
    ws: Workspace, links: dict[int, DuplicateLink]
) -> tuple[dict[int, int], dict[int, int]]:
    """Row versions of the duplicates; the component each original was decided to be."""
    s, rd = ws.schema.submissions, ws.schema.review_decisions
    versions: dict[int, int] = {}
    components: dict[int, int] = {}
    with ws.engine.connect() as conn:
        for chunk in chunked(sorted(links)):
            q = select(s.c.id, s.c.row_version).where(s.c.id.in_(chunk))
            versions.update(conn.execute(q).all())  # type: ignore[arg-type]
        for chunk in chunked(sorted({v.original_id for v in links.values()})):
            q = (
                select(rd.c.submission_id, rd.c.component_id)
                .where(and_(rd.c.submission_id.in_(chunk), rd.c.component_id.is_not(None)))
                .order_by(rd.c.id)
            )
            for sub_id, comp in conn.execute(q).all():
                components[sub_id] = comp  # the latest decision wins
    return versions, components


def _auto_duplicates(
    ws: Workspace, reviewer: str, writer_for: WriterFor | None, rules: DuplicateRules | None
) -> Counter:
    links = _duplicate_links(ws, rules)
    versions, components = _versions_and_components(ws, links)
    result: Counter = Counter()
    for sid in sorted(links, key=lambda k: (links[k].minutes, k)):
        link = links[sid]
        d = Decision(
            sid,
            versions[sid],
            ReviewDecision.DUPLICATE.value,
            tr(_CTX, "duplicate of submission {0} ({1:.0f} m, {2:.0f} min later)").format(
                link.original_instance_id, link.distance_m, link.minutes
            ),
            components.get(link.original_id),
            duplicate_of=link.original_id,
            auto=True,
        )
        result["duplicate_submission" if _try(ws, d, reviewer, writer_for) else "refused"] += 1
    return result


def _component_decision(sid: int, version: int, best: Match) -> Decision:
    """A duplicate of the stored component when every compared attribute agrees, else an
    update of its status (without moving it)."""
    if best.agreement == 1.0:
        return Decision(
            sid,
            version,
            ReviewDecision.DUPLICATE.value,
            tr(_CTX, "matches {0}").format(best.identifier),
            best.component_id,
            auto=True,
        )
    return Decision(
        sid,
        version,
        ReviewDecision.UPDATE_EXISTING.value,
        tr(_CTX, "auto-match: {0} {1:.1f} m away, status as reported").format(
            best.identifier, best.distance_m
        ),
        best.component_id,
        move=False,
        auto=True,
        component_version=best.version,
    )


def _pending_components(ws: Workspace) -> list[Any]:
    """Pending component reports whose position is as sent or corrected."""
    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        return conn.execute(
            select(s.c.id, s.c.row_version)
            .where(
                and_(
                    s.c.state == SubmissionState.PENDING.value,
                    s.c.kind == "component",
                    flag_corrected_or_none(s.c.crs_flag),
                )
            )
            .order_by(s.c.id)
        ).all()


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
    category, nearby, soon after: the link judged at ingest, :mod:`..judge.links`) is a
    ``duplicate`` of it, unless that one was rejected or is in quarantine; the reason names
    it, with distance and delay. Then a pending component report whose best candidate lies
    within ``max_distance_m`` with every compared attribute agreeing is a duplicate of that
    stored component; when it reports a different status it updates that component's status
    (without moving it). Positions flagged as shifted take part only when they were
    corrected (EXIF evidence). The decisions name ``reviewer`` (default: the workspace's
    actor, the person who ran it) and carry ``"auto": true`` in their audit detail and a
    reason that says why.
    """
    reviewer = reviewer or ws.actor
    result: Counter = Counter()
    if duplicates:
        result.update(_auto_duplicates(ws, reviewer, writer_for, duplicate_rules))
    for sid, version in _pending_components(ws):
        with ws.engine.connect() as conn:
            found = candidates(ws, sid, conn=conn)
        if not found or found[0].distance_m > max_distance_m:
            result["left"] += 1
            continue
        if len(found) > 1 and found[1].distance_m <= max_distance_m:
            result["ambiguous"] += 1
            continue
        d = _component_decision(sid, version, found[0])
        result[d.decision if _try(ws, d, reviewer, writer_for) else "refused"] += 1
    return result
