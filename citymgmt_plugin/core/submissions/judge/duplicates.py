"""Likely duplicate submissions: the same problem reported again minutes later, nearby.

Two submissions are taken for the same problem when they have the same kind and category,
lie within ``distance_m`` of each other and were observed within ``window_h`` (whoever
reported them). A later one is linked to the earliest report of its cluster (A ← B ← C
links C to A). The links are judged at ingest and stored (:mod:`.links`,
``submission_links``); :func:`find_duplicates` works them out afresh from what is stored,
for thresholds other than the workspace's (one STRtree pass: 10,000 submissions in a few
tens of milliseconds). When a duplicate is decided, the link goes into the decision's
reason and audit entry (:func:`..review.auto_match`).

Quarantined submissions take part only when their sole problem is a photo (position,
time and category are sound); one with no position, time, kind or category never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, and_, func, select

from ...workspace.chunks import chunked
from ..states import QuarantineReason, SubmissionState, reason_codes

DISTANCE_KEY = "intake.duplicate_distance_m"
WINDOW_KEY = "intake.duplicate_window_h"


@dataclass(frozen=True)
class DuplicateRules:
    distance_m: float = 30.0
    window_h: float = 2.0

    @classmethod
    def from_settings(cls, settings: dict[str, str]) -> DuplicateRules:
        """The workspace's own thresholds (``intake.duplicate_distance_m``/``_window_h``)."""
        d = cls()
        try:
            distance = float(settings.get(DISTANCE_KEY) or d.distance_m)
            window = float(settings.get(WINDOW_KEY) or d.window_h)
        except ValueError:
            return d
        return cls(distance, window)


@dataclass(frozen=True)
class DuplicateLink:
    submission_id: int
    original_id: int  # the earliest report of the cluster
    original_instance_id: str
    original_state: str
    distance_m: float  # to the original
    minutes: float  # after the original


def direct_links(
    ids: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    group: np.ndarray,
    rules: DuplicateRules,
    among: np.ndarray | None = None,
) -> dict[int, int]:
    """The vectorised core: index of a later item -> index of the earlier one it repeats
    directly (the nearest, then the closest in time). ``among``: only for these indexes.

    ``t``: observation time in seconds; ``group``: one value per kind + category (items of
    different groups are never duplicates). Ties in time go by ``ids``.
    """
    if len(ids) < 2:
        return {}
    pts = shapely.points(x, y)
    later = pts if among is None else pts[among]
    a, b = shapely.STRtree(pts).query(later, predicate="dwithin", distance=rules.distance_m)
    if among is not None:
        a = among[a]
    dt = t[a] - t[b]
    keep = (group[a] == group[b]) & (dt <= rules.window_h * 3600.0)
    keep &= (dt > 0) | ((dt == 0) & (ids[b] < ids[a]))
    a, b, dt = a[keep], b[keep], dt[keep]
    if not len(a):
        return {}
    d = np.hypot(x[a] - x[b], y[a] - y[b])
    order = np.lexsort((dt, d, a))
    a, b = a[order], b[order]
    first = np.ones(len(a), bool)
    first[1:] = a[1:] != a[:-1]
    return dict(zip(a[first].tolist(), b[first].tolist()))


def link_duplicates(
    ids: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    group: np.ndarray,
    rules: DuplicateRules,
) -> dict[int, int]:
    """Index of a later item -> index of the original (the earliest report) it repeats."""
    direct = direct_links(ids, x, y, t, group, rules)
    # Follow chains to the earliest report, in time order so every parent is resolved first.
    root: dict[int, int] = {}
    for i in sorted(direct, key=lambda k: (t[k], ids[k])):
        j = direct[i]
        root[i] = root.get(j, j)
    return root


def usable(state: str, reason: str | None) -> bool:
    """A stored row takes part: any state but quarantine, unless its only problem is a photo."""
    if state != SubmissionState.QUARANTINED:
        return True
    codes = reason_codes(reason)
    return bool(codes) and codes <= {QuarantineReason.UNREADABLE_PHOTO}


def groups(kinds: list[Any], categories: list[Any]) -> np.ndarray:
    """One integer per kind + category."""
    keys = np.array([f"{k}|{c}" for k, c in zip(kinds, categories)])
    return np.unique(keys, return_inverse=True)[1] if len(keys) else np.zeros(0, int)


@dataclass
class Rows:
    """Stored submissions that take part in links, as arrays."""

    ids: np.ndarray
    instance_ids: list[str]
    states: list[str]
    kinds: list[Any]
    categories: list[Any]
    t: np.ndarray  # observed, epoch seconds
    x: np.ndarray
    y: np.ndarray


def _sound(s: Any) -> Any:
    return and_(
        s.c.geom.is_not(None),
        s.c.observed_at.is_not(None),
        s.c.kind.is_not(None),
        s.c.category_code.is_not(None),
    )


def stored_rows(conn: Connection, ws: Any, span: tuple[datetime, datetime] | None = None) -> Rows:
    """The stored submissions observed within ``span`` (all when None) that take part."""
    s = ws.schema.submissions
    q = select(
        s.c.id,
        s.c.instance_id,
        s.c.state,
        s.c.quarantine_reason,
        s.c.kind,
        s.c.category_code,
        s.c.observed_at,
        func.ST_X(s.c.geom),
        func.ST_Y(s.c.geom),
    ).where(_sound(s))
    if span is not None:
        q = q.where(and_(s.c.observed_at >= span[0], s.c.observed_at <= span[1]))
    rows = [r for r in conn.execute(q).all() if usable(r[2], r[3])]
    return Rows(
        np.array([r[0] for r in rows], np.int64),
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[4] for r in rows],
        [r[5] for r in rows],
        np.array([r[6].timestamp() for r in rows], float),
        np.array([r[7] for r in rows], float),
        np.array([r[8] for r in rows], float),
    )


def _span_of(
    conn: Connection, ws: Any, ids: list[int], window: timedelta
) -> tuple[datetime, datetime] | None:
    """The observation times of ``ids``, widened by ``window`` (None: none is sound)."""
    s = ws.schema.submissions
    lo = hi = None
    for chunk in chunked(ids):
        r = conn.execute(
            select(func.min(s.c.observed_at), func.max(s.c.observed_at)).where(
                and_(s.c.id.in_(chunk), _sound(s))
            )
        ).first()
        if r is None or r[0] is None:
            continue
        lo = r[0] if lo is None else min(lo, r[0])
        hi = r[1] if hi is None else max(hi, r[1])
    return None if lo is None else (lo - window, hi + window)


def find_duplicates(
    conn: Connection,
    ws: Any,
    rules: DuplicateRules | None = None,
    ids: list[int] | None = None,
    states: tuple[str, ...] | None = ("pending", "has_issues", "quarantined"),
    span: tuple[datetime, datetime] | None = None,
) -> dict[int, DuplicateLink]:
    """Links worked out afresh from what is stored: the submissions ``ids`` (default: all) in
    ``states`` that likely repeat an earlier one (any state but unusable quarantine), keyed
    by submission id. ``span``: the observation times of the submissions asked about, when
    the caller knows them."""
    rules = rules or DuplicateRules.from_settings(ws.settings)
    window = timedelta(hours=rules.window_h)
    if span is not None:
        span = (span[0] - window, span[1] + window)
    elif ids is not None:
        span = _span_of(conn, ws, ids, window) if ids else None
        if span is None:
            return {}
    rows = stored_rows(conn, ws, span)
    if len(rows.ids) < 2:
        return {}
    links = link_duplicates(
        rows.ids, rows.x, rows.y, rows.t, groups(rows.kinds, rows.categories), rules
    )
    wanted = set(ids) if ids is not None else None
    out = {}
    for i, j in links.items():
        sid = int(rows.ids[i])
        if (wanted is not None and sid not in wanted) or (
            states is not None and rows.states[i] not in states
        ):
            continue
        out[sid] = DuplicateLink(
            sid,
            int(rows.ids[j]),
            rows.instance_ids[j],
            rows.states[j],
            float(np.hypot(rows.x[i] - rows.x[j], rows.y[i] - rows.y[j])),
            float((rows.t[i] - rows.t[j]) / 60.0),
        )
    return out
