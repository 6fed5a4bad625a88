"""Route deviation: how much of each collector's patrol left the prescribed route.

Pure numpy + shapely 2. Works on cleaned track segments (see
:func:`.segments.track_segments`), so jumps and gaps follow the same rules
as the coverage check.

A fix is off-route when it is farther than the tolerance from its collector's route. A
segment with both ends off counts wholly off-route; with one end off, the off share is the
part beyond the tolerance, interpolated linearly between the two end distances. Each segment
belongs to the local (Asia/Shanghai, UTC+8, no daylight saving) day of its first fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from .segments import TrackSegments

LOCAL_OFFSET_S = 8 * 3600
DAY_S = 86400


@dataclass
class DeviationRow:
    collector: object
    day: str  # local date, ISO
    patrol_s: float
    patrol_m: float
    off_s: float | None  # None when the collector has no route
    off_m: float | None

    @property
    def off_time_share(self) -> float | None:
        if self.off_s is None or self.patrol_s <= 0:
            return None
        return self.off_s / self.patrol_s

    @property
    def off_dist_share(self) -> float | None:
        if self.off_m is None or self.patrol_m <= 0:
            return None
        return self.off_m / self.patrol_m


@dataclass
class OffRouteStretches:
    lines: np.ndarray  # shapely LineStrings
    collector: np.ndarray  # labels
    day: np.ndarray  # ISO local dates
    length_m: np.ndarray
    duration_s: np.ndarray


@dataclass
class DeviationResult:
    rows: list[DeviationRow]
    stretches: OffRouteStretches
    missing_routes: list  # collectors with fixes but no route


def local_day(t: np.ndarray) -> np.ndarray:
    """Day number (days since 1970-01-01, local time) of epoch seconds."""
    return np.floor_divide(np.asarray(t, dtype=np.int64) + LOCAL_OFFSET_S, DAY_S)


def day_text(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def routes_by_collector(labels: Sequence[str], wkbs: Sequence[bytes]) -> dict[str, object]:
    """Each collector's prescribed route: the union of its route lines (WKB), by label in
    order of first appearance."""
    parts: dict[str, list] = {}
    for label, wkb in zip(labels, wkbs):
        parts.setdefault(label, []).append(wkb)
    return {label: shapely.union_all(shapely.from_wkb(w)) for label, w in parts.items()}


def route_deviation(
    segs: TrackSegments, routes: Mapping[object, object], tolerance: float
) -> DeviationResult:
    """Per collector and local day: patrol time/distance and the part off the route.

    ``routes`` maps a collector label (as in ``segs.collectors``) to a line geometry.
    """
    if tolerance <= 0:
        raise ValueError("tolerance must be positive")
    n = len(segs)
    length = segs.length
    dt = (segs.t1 - segs.t0).astype(np.float64)
    off_frac = np.zeros(n)
    has_route = np.zeros(n, dtype=bool)
    order = np.argsort(segs.collector, kind="stable")
    codes = segs.collector[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    missing = []
    for grp in np.split(order, bounds) if n else []:
        label = segs.collectors[segs.collector[grp[0]]]
        route = routes.get(label)
        if route is None or shapely.is_empty(route):
            missing.append(label)
            continue
        has_route[grp] = True
        off_frac[grp] = _off_fraction(segs, grp, route, tolerance)
    day = local_day(segs.t0)
    rows = _rows(segs, day, dt, length, off_frac, has_route)
    stretches = _stretches(segs, day, dt, off_frac)
    return DeviationResult(rows, stretches, missing)


def _off_fraction(segs: TrackSegments, idx: np.ndarray, route, tol: float) -> np.ndarray:
    shapely.prepare(route)
    p0 = shapely.points(segs.x0[idx], segs.y0[idx])
    p1 = shapely.points(segs.x1[idx], segs.y1[idx])
    off0 = ~shapely.dwithin(route, p0, tol)
    off1 = ~shapely.dwithin(route, p1, tol)
    frac = (off0 & off1).astype(np.float64)
    mixed = np.flatnonzero(off0 != off1)
    if len(mixed):
        d0 = shapely.distance(route, p0[mixed])
        d1 = shapely.distance(route, p1[mixed])
        d_off = np.where(off0[mixed], d0, d1)
        d_on = np.where(off0[mixed], d1, d0)
        span = d_off - d_on
        frac[mixed] = np.clip(
            np.where(span > 0, (d_off - tol) / np.where(span > 0, span, 1), 0.5), 0, 1
        )
    # Sign marks which end is off for mixed segments: negative = the end (second fix).
    frac[mixed[~off0[mixed]]] *= -1.0
    return frac


def _rows(segs, day, dt, length, off_frac, has_route) -> list[DeviationRow]:
    share = np.abs(off_frac)
    if len(day) == 0:
        return []
    key_col = segs.collector.astype(np.int64)
    keys = np.stack([key_col, day])
    uniq, inv = np.unique(keys, axis=1, return_inverse=True)
    inv = inv.ravel()
    k = uniq.shape[1]
    patrol_s = np.bincount(inv, weights=dt, minlength=k)
    patrol_m = np.bincount(inv, weights=length, minlength=k)
    off_s = np.bincount(inv, weights=dt * share, minlength=k)
    off_m = np.bincount(inv, weights=length * share, minlength=k)
    routed = np.bincount(inv, weights=has_route.astype(float), minlength=k) > 0
    rows = []
    for j in range(k):
        label = segs.collectors[uniq[0, j]]
        rows.append(
            DeviationRow(
                label,
                day_text(uniq[1, j]),
                float(patrol_s[j]),
                float(patrol_m[j]),
                float(off_s[j]) if routed[j] else None,
                float(off_m[j]) if routed[j] else None,
            )
        )
    return rows


def _stretches(segs, day, dt, off_frac) -> OffRouteStretches:
    off = np.flatnonzero(off_frac != 0)
    if len(off) == 0:
        e = np.zeros(0)
        return OffRouteStretches(
            np.zeros(0, object), np.zeros(0, object), np.zeros(0, object), e, e
        )
    f = np.abs(off_frac[off])
    end_off = off_frac[off] < 0  # only the second fix is off: the part is at the end
    x0, y0, x1, y1 = segs.x0[off], segs.y0[off], segs.x1[off], segs.y1[off]
    dx, dy = x1 - x0, y1 - y0
    # Off part of each segment: [a, b] along it, as fractions.
    a = np.where(end_off, 1.0 - f, 0.0)
    b = np.where(end_off, 1.0, f)
    both = f >= 1.0
    a[both], b[both] = 0.0, 1.0
    ax, ay = x0 + a * dx, y0 + a * dy
    bx, by = x0 + b * dx, y0 + b * dy
    # A stretch continues while the next off part starts where this one ended (same fix,
    # whole-segment parts), for the same collector and day.
    cont = np.zeros(len(off), dtype=bool)
    cont[1:] = (
        (segs.collector[off[1:]] == segs.collector[off[:-1]])
        & (day[off[1:]] == day[off[:-1]])
        & (segs.t0[off[1:]] == segs.t1[off[:-1]])
        & (off[1:] == off[:-1] + 1)
        & (b[:-1] >= 1.0)
        & (a[1:] <= 0.0)
    )
    run = np.cumsum(~cont) - 1
    starts = ~cont
    npts = np.where(starts, 2, 1)
    px = np.empty(int(npts.sum()))
    py = np.empty_like(px)
    pos = np.cumsum(npts) - npts
    px[pos[starts]], py[pos[starts]] = ax[starts], ay[starts]
    px[pos + npts - 1], py[pos + npts - 1] = bx, by
    lines = shapely.linestrings(px, py, indices=np.repeat(run, npts))
    n_runs = int(run[-1]) + 1
    seg_len = np.hypot(dx, dy) * (b - a)
    seg_dur = dt[off] * (b - a)
    first = np.flatnonzero(starts)
    labels = segs.collectors[segs.collector[off[first]]]
    return OffRouteStretches(
        lines,
        np.asarray(labels, dtype=object),
        np.array([day_text(d) for d in day[off[first]]], dtype=object),
        np.bincount(run, weights=seg_len, minlength=n_runs),
        np.bincount(run, weights=seg_dur, minlength=n_runs),
    )
