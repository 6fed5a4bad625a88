"""Likely duplicate submissions: the same problem reported again minutes later, nearby.

Two submissions are taken for the same problem when they have the same kind and category,
lie within ``distance_m`` of each other and were observed within ``window_h`` (whoever
reported them). A later one is linked to the earliest report of its cluster (A ← B ← C
links C to A), the link is worked out from what is stored, not stored itself: so it follows
edits and late arrivals, and costs one STRtree pass (10,000 submissions in a few tens of
milliseconds). When a duplicate is decided, the link goes into the decision's reason and
audit entry (:func:`..review.auto_match`).

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

from ..records import UNREADABLE_PHOTO, reason_code

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


def link_duplicates(
    ids: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    group: np.ndarray,
    rules: DuplicateRules,
) -> dict[int, int]:
    """The vectorised core: index of a later item -> index of the original it repeats.

    ``t``: observation time in seconds; ``group``: one value per kind + category (items of
    different groups are never duplicates). Ties in time go by ``ids``.
    """
    n = len(ids)
    if n < 2:
        return {}
    pts = shapely.points(x, y)
    a, b = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=rules.distance_m)
    dt = t[a] - t[b]
    keep = (group[a] == group[b]) & (dt <= rules.window_h * 3600.0)
    keep &= (dt > 0) | ((dt == 0) & (ids[b] < ids[a]))
    a, b, dt = a[keep], b[keep], dt[keep]
    if not len(a):
        return {}
    d = np.hypot(x[a] - x[b], y[a] - y[b])
    # Per later item: the nearest earlier one, then the closest in time.
    order = np.lexsort((dt, d, a))
    a, b = a[order], b[order]
    first = np.ones(len(a), bool)
    first[1:] = a[1:] != a[:-1]
    direct = dict(zip(a[first].tolist(), b[first].tolist()))
    # Follow chains to the earliest report, in time order so every parent is resolved first.
    root: dict[int, int] = {}
    for i in sorted(direct, key=lambda k: (t[k], ids[k])):
        j = direct[i]
        root[i] = root.get(j, j)
    return root


def _usable(state: str, reason: str | None) -> bool:
    if state != "quarantined":
        return True
    codes = {reason_code(p) for p in (reason or "").split("; ") if p}
    return bool(codes) and codes <= {UNREADABLE_PHOTO}


def find_duplicates(
    conn: Connection,
    ws: Any,
    rules: DuplicateRules | None = None,
    ids: list[int] | None = None,
    states: tuple[str, ...] | None = ("pending", "has_issues", "quarantined"),
    span: tuple[datetime, datetime] | None = None,
) -> dict[int, DuplicateLink]:
    """Links of the submissions ``ids`` (default: all) in ``states`` that likely repeat an
    earlier one (any state but unusable quarantine), keyed by submission id. ``span``: the
    observation times of the submissions asked about, when the caller knows them."""
    rules = rules or DuplicateRules.from_settings(ws.settings)
    s = ws.schema.submissions
    sound = and_(
        s.c.geom.is_not(None),
        s.c.observed_at.is_not(None),
        s.c.kind.is_not(None),
        s.c.category_code.is_not(None),
    )
    window = timedelta(hours=rules.window_h)
    if span is not None:
        span = (span[0] - window, span[1] + window)
    elif ids is not None:
        if not ids:
            return {}
        lo = hi = None
        for k in range(0, len(ids), 900):
            r = conn.execute(
                select(func.min(s.c.observed_at), func.max(s.c.observed_at)).where(
                    and_(s.c.id.in_(ids[k : k + 900]), sound)
                )
            ).first()
            if r is None or r[0] is None:
                continue
            lo = r[0] if lo is None else min(lo, r[0])
            hi = r[1] if hi is None else max(hi, r[1])
        if lo is None:
            return {}
        span = (lo - window, hi + window)
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
    ).where(sound)
    if span is not None:
        q = q.where(and_(s.c.observed_at >= span[0], s.c.observed_at <= span[1]))
    rows = [r for r in conn.execute(q).all() if _usable(r[2], r[3])]
    if len(rows) < 2:
        return {}
    sid = np.array([r[0] for r in rows], np.int64)
    t = np.array([_seconds(r[6]) for r in rows])
    x = np.array([r[7] for r in rows], float)
    y = np.array([r[8] for r in rows], float)
    _, group = np.unique(np.array([f"{r[4]}|{r[5]}" for r in rows]), return_inverse=True)
    links = link_duplicates(sid, x, y, t, group, rules)
    wanted = set(ids) if ids is not None else None
    out = {}
    for i, j in links.items():
        if (wanted is not None and rows[i][0] not in wanted) or (
            states is not None and rows[i][2] not in states
        ):
            continue
        out[int(sid[i])] = DuplicateLink(
            int(sid[i]),
            int(sid[j]),
            rows[j][1],
            rows[j][2],
            float(np.hypot(x[i] - x[j], y[i] - y[j])),
            float((t[i] - t[j]) / 60.0),
        )
    return out


def _seconds(value: datetime) -> float:
    return value.timestamp()
