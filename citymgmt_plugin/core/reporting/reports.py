"""The reports (submissions) the KPIs are computed from, and how their values are read.

Pure numpy, no QGIS. Times are int64 epoch seconds (``NULL_TIME`` when unknown); days and
hours are local to ``tz`` (default Asia/Shanghai).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

NULL_TIME = np.iinfo(np.int64).min
DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_INVALID_STATES = ("rejected", "quarantined", "duplicate")
COMPONENT, EVENT = "component", "event"
_KIND_ALIASES = {
    "component": COMPONENT,
    "components": COMPONENT,
    "部件": COMPONENT,
    "event": EVENT,
    "events": EVENT,
    "事件": EVENT,
}


@dataclass
class Reports:
    """Columns of the submissions (one entry per report)."""

    time: np.ndarray  # int64 epoch seconds, NULL_TIME when unknown
    collector: Sequence[str | None]
    kind: Sequence[str | None]
    category: Sequence[str | None]
    state: Sequence[str | None]
    closed: Sequence[bool] | None = None
    grid: np.ndarray | None = None  # index into the grids, -1 when in none

    def __len__(self) -> int:
        return len(self.time)


def text_of(value: object) -> str:
    """A cell value as stripped text ('' for None; 12.0 reads as '12')."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def invalid_state_set(invalid_states: Sequence[str]) -> set[str]:
    """The states that make a report invalid, compared stripped and in lower case."""
    return {s.strip().lower() for s in invalid_states if s.strip()}


def normalise_kind(value: object) -> str:
    text = "" if value is None else str(value).strip().lower()
    return _KIND_ALIASES.get(text, text)


def major_of(category: object) -> str | None:
    text = "" if category is None else str(category).strip()
    return text[:2] if len(text) >= 2 and text[:2].isdigit() else None


def local_day_hour(t: np.ndarray, tz: str = DEFAULT_TZ) -> tuple[np.ndarray, np.ndarray]:
    """Local day number (days since 1970-01-01 local) and hour (0-23) of epoch seconds."""
    t = np.asarray(t, dtype=np.int64)
    if len(t) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    zone = ZoneInfo(tz)
    # Offsets change at most at quarter-hour boundaries: one lookup per distinct quarter.
    q = t // 900
    uq, inv = np.unique(q, return_inverse=True)
    offs = np.fromiter(
        (int(datetime.fromtimestamp(int(v) * 900, zone).utcoffset().total_seconds()) for v in uq),
        dtype=np.int64,
        count=len(uq),
    )
    local = t + offs[inv.reshape(-1)]
    return local // 86400, (local % 86400) // 3600


def local_midnight(t: int, tz: str = DEFAULT_TZ, next_day: bool = False) -> int:
    """Epoch seconds of the local midnight starting (or, with next_day, after) t's day."""
    zone = ZoneInfo(tz)
    d = datetime.fromtimestamp(int(t), timezone.utc).astimezone(zone).date()
    if next_day:
        d += timedelta(days=1)
    return int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp())


def assign_to_grids(x: np.ndarray, y: np.ndarray, grid_geoms: np.ndarray) -> np.ndarray:
    """Index of the grid each point lies in (on a shared edge: the first), -1 for none."""
    import shapely

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    out = np.full(len(x), -1, dtype=np.int64)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any() or len(grid_geoms) == 0:
        return out
    pts = shapely.points(x[ok], y[ok])
    tree = shapely.STRtree(np.asarray(grid_geoms, dtype=object))
    pi, gi = tree.query(pts, predicate="intersects")
    best = np.full(len(pts), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, pi, gi)
    best[best == np.iinfo(np.int64).max] = -1
    out[ok] = best
    return out
