"""Matching candidates: the stored components a submission may refer to, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely
from sqlalchemy import Connection, func, select

from ... import census
from ...i18n import tr
from ...workspace.schema.census import COMPONENT_STATUSES
from ...workspace.store import Workspace
from .errors import ReviewError

_CTX = "Review"
DEFAULT_RADIUS_M = 10.0  # phone GPS: class C accuracy
MAX_RADIUS_M = 50.0


def submission(conn: Connection, ws: Workspace, submission_id: int) -> Any:
    """The stored row of a submission, with its geometry as WKB (``wkb``)."""
    s = ws.schema.submissions
    row = conn.execute(
        select(s, func.ST_AsBinary(s.c.geom).label("wkb")).where(s.c.id == submission_id)
    ).first()
    if row is None:
        raise ReviewError(tr(_CTX, "No submission {0}.").format(submission_id))
    return row


def point(row: Any) -> Any:
    """The submission's position (shapely), or None."""
    return shapely.from_wkb(bytes(row.wkb)) if row.wkb is not None else None


def payload_value(payload: Any, *names: str) -> Any:
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


def reported_status(row: Any) -> Any:
    return payload_value(row.payload, "status", "component_status")


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


def _radius(row: Any) -> float:
    """Twice the reported GPS accuracy, at least class C (10 m), at most 50 m."""
    acc = payload_value(row.payload, "accuracy_m", "accuracy")
    try:
        acc = float(acc) if acc is not None else None
    except (TypeError, ValueError):
        acc = None
    return min(max(DEFAULT_RADIUS_M, 2 * acc if acc else 0.0), MAX_RADIUS_M)


def _match(c: Any, pt: Any, radius_m: float, status: Any, ident: Any) -> Match:
    """One stored component, scored against what the submission reports."""
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
    return Match(
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
    pt = point(row)
    if pt is None or row.kind == "event" or not row.category_code:
        return []
    radius_m = _radius(row) if radius_m is None else radius_m
    found = census.candidates_near(
        conn, ws, pt, class_code=row.category_code, tolerance=radius_m, limit=20
    )
    status = reported_status(row)
    ident = payload_value(row.payload, "component_id", "identifier", "component_identifier")
    out = [_match(c, pt, radius_m, status, ident) for c in found]
    out.sort(key=lambda m: (m.score, m.distance_m))
    return out
