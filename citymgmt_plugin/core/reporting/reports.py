"""The reports (submissions, cases) the KPIs are computed from, and how their values are read.

Pure numpy, no QGIS. Times are int64 epoch seconds (``NULL_TIME`` when unknown); days and
hours are local to ``tz`` (default Asia/Shanghai).

The kind (component / event) is read from the kind column; a category code may carry it
as a prefix (``部件0101``, ``事件:0101``, ``C0101``, ``E-0101``). A report with neither has
no kind and counts as neither: 40 of the 54 shipped event codes share their number with a
component code (0101 私搭乱建 / 0101 上水井盖), so the code alone never decides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

NULL_TIME = np.iinfo(np.int64).min
DEFAULT_TZ = "Asia/Shanghai"
COMPONENT, EVENT = "component", "event"
_KIND_ALIASES = {
    "component": COMPONENT,
    "components": COMPONENT,
    "部件": COMPONENT,
    "event": EVENT,
    "events": EVENT,
    "事件": EVENT,
}


# Reporting channels (seed 004: 「采集人员上报153,125条…其他渠道上报1,212条」; the case
# loop's channels, and the spot checks of the 漏报 figures).
CHANNELS = ("collector", "public", "hotline", "video", "leader", "spot_check", "other")
_CHANNEL_ALIASES = {
    "collector": "collector", "采集员": "collector", "采集员上报": "collector",
    "监督员上报": "collector", "public": "public", "公众": "public", "公众举报": "public",
    "hotline": "hotline", "12345": "hotline", "12345热线": "hotline", "热线": "hotline",
    "video": "video", "视频": "video", "视频监控": "video", "leader": "leader",
    "领导交办": "leader", "spot_check": "spot_check", "现场检查": "spot_check",
    "抽查": "spot_check", "other": "other", "其他": "other",
}  # fmt: skip
_KIND_PREFIXES = (("部件", COMPONENT), ("事件", EVENT), ("c", COMPONENT), ("e", EVENT))


@dataclass
class Reports:
    """Columns of the reports (one entry per report); optional columns may be None."""

    time: np.ndarray  # int64 epoch seconds, NULL_TIME when unknown
    collector: Sequence[str | None]
    kind: Sequence[str | None]
    category: Sequence[str | None]
    state: Sequence[str | None]
    closed: Sequence[bool] | None = None  # closed (结案) by now
    grid: np.ndarray | None = None  # index into the grids, -1 when in none
    status: Sequence[str | None] | None = None  # the component status reported (破损 …)
    channel: Sequence[str | None] | None = None  # None: all reported by collectors
    due: np.ndarray | None = None  # int64 deadline to close (结案), NULL_TIME when none
    closed_at: np.ndarray | None = None  # int64 when closed, NULL_TIME when open
    reason: Sequence[str | None] | None = None  # coded reject reason (错报), when rejected

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


def state_set(states: Sequence[str]) -> set[str]:
    """States compared stripped and in lower case."""
    return {s.strip().lower() for s in states if s.strip()}


def normalise_kind(value: object) -> str:
    text = "" if value is None else str(value).strip().lower()
    return _KIND_ALIASES.get(text, text)


def split_code(category: object) -> tuple[str, str]:
    """(kind the code carries or '', the code without that prefix)."""
    text = text_of(category)
    low = text.lower()
    for prefix, kind in _KIND_PREFIXES:
        rest = text[len(prefix) :].lstrip(":：-_ ")
        if low.startswith(prefix) and rest[:1].isdigit():
            return kind, rest
    return "", text


def kind_of(kind: object, category: object) -> str:
    """The report's kind: its kind column, else the prefix of its code, else ''."""
    k = normalise_kind(kind)
    return k if k else split_code(category)[0]


def normalise_channel(value: object) -> str:
    """A channel as stored (``collector``, ``public`` …); empty: collector."""
    text = text_of(value)
    if not text:
        return "collector"
    return _CHANNEL_ALIASES.get(text.lower(), _CHANNEL_ALIASES.get(text, "other"))


def major_of(category: object) -> str | None:
    text = split_code(category)[1]
    return text[:2] if len(text) >= 2 and text[:2].isdigit() else None


def local_seconds(t: np.ndarray, tz: str = DEFAULT_TZ) -> np.ndarray:
    """Epoch seconds shifted to local wall time (seconds since 1970-01-01 local)."""
    t = np.asarray(t, dtype=np.int64)
    if len(t) == 0:
        return np.zeros(0, dtype=np.int64)
    zone = ZoneInfo(tz)
    # Offsets change at most at quarter-hour boundaries: one lookup per distinct quarter.
    q = t // 900
    uq, inv = np.unique(q, return_inverse=True)
    offs = np.fromiter(
        (int(datetime.fromtimestamp(int(v) * 900, zone).utcoffset().total_seconds()) for v in uq),
        dtype=np.int64,
        count=len(uq),
    )
    return t + offs[inv.reshape(-1)]


def local_day_hour(t: np.ndarray, tz: str = DEFAULT_TZ) -> tuple[np.ndarray, np.ndarray]:
    """Local day number (days since 1970-01-01 local) and hour (0-23) of epoch seconds."""
    local = local_seconds(t, tz)
    return local // 86400, (local % 86400) // 3600


def local_epoch(d: date, tz: str = DEFAULT_TZ) -> int:
    """Epoch seconds of the local midnight starting day ``d``."""
    return int(datetime(d.year, d.month, d.day, tzinfo=ZoneInfo(tz)).timestamp())


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
