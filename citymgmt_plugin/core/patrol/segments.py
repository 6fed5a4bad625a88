"""GPS fixes to track segments: cleaning, the GPS-jump filter, segments between fixes.

Pure numpy, no QGIS: the coverage and route-deviation algorithms, the bench and the tests
share it. Times are int64 epoch seconds (``NULL_TIME`` = null), coordinates metres in a
projected CRS. Large inputs are handled block by block and, when the caller hands its
arrays over (``overwrite``), filtered in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

NULL_TIME = np.iinfo(np.int64).min


# Collector codes: int32 halves the biggest per-fix integer column (2**31 collectors is plenty).
_CODE = np.int32


# Elements per block for pass-over-everything steps: float temporaries of 4 MiB stay in
# cache and in malloc's reusable heap (glibc maps blocks over 32 MiB afresh each time, and
# page-faulting them in made 4x the data take 6x the time).
_BLOCK = 1 << 19


@dataclass(frozen=True)
class TrackRules:
    """How raw fixes become track segments."""

    max_gap_s: float = 120.0
    max_speed_kmh: float = 60.0
    start: int | None = None  # epoch seconds, inclusive
    end: int | None = None  # epoch seconds, inclusive


DEFAULT_RULES = TrackRules()


@dataclass
class TrackStats:
    fixes: int = 0
    null_skipped: int = 0
    outside_window: int = 0
    jumps_dropped: int = 0
    kept: int = 0
    pieces: int = 0
    segments: int = 0


@dataclass
class CleanTrack:
    """Kept fixes sorted by collector then time; ``new_piece`` marks where a polyline starts."""

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    collector: np.ndarray  # int codes into ``collectors``
    collectors: np.ndarray  # original labels
    new_piece: np.ndarray
    stats: TrackStats
    # x, y, t are this track's own buffers (not a caller's arrays): free to overwrite.
    owned: bool = False


@dataclass
class TrackSegments:
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    t0: np.ndarray
    t1: np.ndarray
    collector: np.ndarray  # int codes into ``collectors``
    collectors: np.ndarray
    stats: TrackStats = field(default_factory=TrackStats)

    def __len__(self) -> int:
        return len(self.x0)

    @property
    def length(self) -> np.ndarray:
        return np.hypot(self.x1 - self.x0, self.y1 - self.y0)


def factorize(values: Sequence | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and labels for ``values`` (codes follow first appearance for objects).

    Object arrays (strings from a layer) usually come grouped by collector, so only the heads
    of runs of equal values go through Python.
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "biuf":
        uniques, codes = np.unique(arr, return_inverse=True)
        return codes.astype(_CODE), uniques
    n = len(arr)
    if n == 0:
        return np.zeros(0, _CODE), np.zeros(0, dtype=object)
    change = np.empty(n, dtype=bool)
    change[0] = True
    change[1:] = arr[1:] != arr[:-1]
    heads = np.flatnonzero(change)
    lookup: dict = {}
    head_codes = np.fromiter(
        (lookup.setdefault(v, len(lookup)) for v in arr[heads].tolist()),
        dtype=_CODE,
        count=len(heads),
    )
    # Each head's code repeated over its run: no full-size run-id temporary.
    codes = np.repeat(head_codes, np.diff(heads, append=n))
    labels = np.empty(len(lookup), dtype=object)
    labels[:] = list(lookup)
    return codes, labels


def _reachable(dx, dy, dt, vmax: float):
    """Whether a displacement (dx, dy) in dt seconds stays within ``vmax`` (m/s).

    Squared form (no sqrt); the same formula serves the vectorised and reference code.
    """
    return dx * dx + dy * dy <= (vmax * dt) ** 2 + 1e-6


def _pair_flags(x, y, t, codes, k: int, gap: float, vmax: float | None):
    """For every i: fix i+k is of the same collector within the gap (near), and also
    reachable at ``vmax`` (reach; None when ``vmax`` is None). Computed block by block on
    slices, no gathers."""
    m = max(len(x) - k, 0)
    near = np.empty(m, dtype=bool)
    reach = np.empty(m, dtype=bool) if vmax is not None else None
    for a in range(0, m, _BLOCK):
        b = min(m, a + _BLOCK)
        dt = t[a + k : b + k] - t[a:b]
        nr = (codes[a + k : b + k] == codes[a:b]) & (dt <= gap)
        near[a:b] = nr
        if reach is not None:
            reach[a:b] = nr & _reachable(
                x[a + k : b + k] - x[a:b], y[a + k : b + k] - y[a:b], dt.astype(np.float64), vmax
            )
    return near, reach


def clean_track(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    collector: Sequence | np.ndarray,
    rules: TrackRules = DEFAULT_RULES,
    overwrite: bool = False,
) -> CleanTrack:
    """Drop null and out-of-window fixes and GPS jumps; mark where polylines break.

    Rule (per collector, in time order): a fix within ``max_gap_s`` of the last kept fix is
    kept only if reachable from it at ``max_speed_kmh``; otherwise it is a jump. A fix more
    than ``max_gap_s`` after the last kept fix starts a new piece (the polyline breaks there,
    so a real relocation is not a jump) and is kept when one of the next two fixes within the
    gap is reachable from it, or none exists: a lone outlier cannot start a piece. This is
    what ``clean_track_reference`` does fix by fix; here it is vectorised, with a Python loop
    only over the few fixes where a jump changes which fix is the last kept one.

    With ``overwrite`` the caller hands over its arrays (x, y, t, collector as numpy arrays
    of the right dtypes): they are filtered in place instead of copied, which at millions
    of fixes saves a full set of fresh, page-faulted arrays.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t, dtype=np.int64)
    col = np.asarray(collector)
    stats = TrackStats(fixes=len(x))
    valid = np.isfinite(x) & np.isfinite(y) & (t != NULL_TIME)
    stats.null_skipped = int(len(x) - np.count_nonzero(valid))
    keep = valid.copy()
    if rules.start is not None:
        keep &= t >= rules.start
    if rules.end is not None:
        keep &= t <= rules.end
    stats.outside_window = int(np.count_nonzero(valid) - np.count_nonzero(keep))
    # owned: x, y, t may be overwritten (copies made here, or handed over by the caller).
    owned = overwrite and all(_writable(a) for a in (x, y, t))
    if not keep.all():
        if owned:
            x, y, t = _compact_inplace((x, y, t), keep)
            col = _compact_inplace((col,), keep)[0] if _writable(col) else col[keep]
        else:
            x, y, t, col = x[keep], y[keep], t[keep], col[keep]
            owned = True
    codes, labels = factorize(col)
    del col, keep, valid
    n = len(x)
    if n > 1 and not _is_sorted(codes, t):
        order = np.lexsort((t, codes))
        x, y, t, codes = x[order], y[order], t[order], codes[order]
        owned = True
    kept = _jump_filter(x, y, t, codes, rules)
    stats.jumps_dropped = int(n - np.count_nonzero(kept))
    if stats.jumps_dropped:
        if owned:  # copies made above: compact them in place, no second set of arrays
            x, y, t, codes = _compact_inplace((x, y, t, codes), kept)
        else:
            x, y, t, codes = x[kept], y[kept], t[kept], codes[kept]
    near, _ = _pair_flags(x, y, t, codes, 1, rules.max_gap_s, None)
    new_piece = np.ones(len(x), dtype=bool)
    new_piece[1:] = ~near
    stats.kept = len(x)
    stats.pieces = int(np.count_nonzero(new_piece))
    return CleanTrack(x, y, t, codes, labels, new_piece, stats, owned=owned)


def _writable(a: np.ndarray) -> bool:
    """An array with its own writable buffer (not a view of someone else's)."""
    return a.base is None and a.flags.writeable


def _compact_inplace(arrays: tuple, mask: np.ndarray) -> tuple:
    """``a[mask]`` for each array, written block by block over the array's own front (the
    write position never passes the read position), so no second full-size array is made.
    The arrays are overwritten; the results are views of their heads."""
    n = len(mask)
    w = 0
    for a in range(0, n, _BLOCK):
        b = min(n, a + _BLOCK)
        m = mask[a:b]
        k = int(np.count_nonzero(m))
        for arr in arrays:
            arr[w : w + k] = arr[a:b][m]
        w += k
    return tuple(arr[:w] for arr in arrays)


def _is_sorted(codes: np.ndarray, t: np.ndarray) -> bool:
    n = len(codes)
    for a in range(0, n - 1, _BLOCK):
        b = min(n - 1, a + _BLOCK)
        dc = codes[a + 1 : b + 1] - codes[a:b]
        if np.any(dc < 0) or np.any((dc == 0) & (t[a + 1 : b + 1] < t[a:b])):
            return False
    return True


def _jump_filter(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, codes: np.ndarray, rules: TrackRules
) -> np.ndarray:
    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=bool)
    vmax = rules.max_speed_kmh / 3.6
    gap = rules.max_gap_s
    # link[i]: fix i follows fix i-1 of the same collector within the gap; ok_prev[i]: and
    # is reachable from it.
    near1, reach1 = _pair_flags(x, y, t, codes, 1, gap, vmax)
    link = np.zeros(n, dtype=bool)
    link[1:] = near1
    ok_prev = np.zeros(n, dtype=bool)
    ok_prev[1:] = reach1
    # confirmed[i]: as a piece start, fix i is backed by one of the next two fixes.
    near_any = np.zeros(n, dtype=bool)
    reach_any = np.zeros(n, dtype=bool)
    near_any[: n - 1] = near1
    reach_any[: n - 1] = reach1
    if n > 2:
        near2, reach2 = _pair_flags(x, y, t, codes, 2, gap, vmax)
        near_any[: n - 2] |= near2
        reach_any[: n - 2] |= reach2
    confirmed = ~near_any | reach_any
    # Decision for each fix assuming the previous fix was kept: right almost everywhere.
    kept = np.where(link, ok_prev, confirmed)
    resume = 0
    for s in np.flatnonzero(~kept).tolist():
        if s < resume:
            continue
        # Fix s-1 is kept here, so the vectorised decision at s (drop) is the true one.
        last = s - 1 if link[s] else -1
        i = s + 1
        resume = n
        while i < n:
            if codes.item(i) != codes.item(i - 1):
                resume = i  # a new collector starts with no history: vectorised is right
                break
            # Python scalars (.item): numpy scalar arithmetic is ~20x slower in this loop.
            dt = t.item(i) - t.item(last) if last >= 0 else gap + 1
            if dt <= gap:
                dx = x.item(i) - x.item(last)
                dy = y.item(i) - y.item(last)
                ok = _reachable(dx, dy, float(dt), vmax)
            else:
                ok = bool(confirmed.item(i))
            kept[i] = ok
            if ok:
                resume = i + 1
                break
            i += 1
    return kept


def clean_track_reference(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, collector: Sequence, rules: TrackRules
) -> list[tuple[object, int, float, float, bool]]:
    """Plain fix-by-fix version of :func:`clean_track` (for tests): kept fixes as tuples
    (collector, t, x, y, starts_new_piece)."""
    vmax = rules.max_speed_kmh / 3.6
    rows = []
    for xi, yi, ti, ci in zip(x, y, t, collector):
        if not (np.isfinite(xi) and np.isfinite(yi)) or ti == NULL_TIME:
            continue
        if rules.start is not None and ti < rules.start:
            continue
        if rules.end is not None and ti > rules.end:
            continue
        rows.append((ci, int(ti), float(xi), float(yi)))
    by_col: dict = {}
    for r in rows:
        by_col.setdefault(r[0], []).append(r)
    out = []
    for c, fixes in by_col.items():
        fixes.sort(key=lambda r: r[1])
        last = None
        for k, (_, ti, xi, yi) in enumerate(fixes):
            if last is not None and ti - last[1] <= rules.max_gap_s:
                ok = _reachable(xi - last[2], yi - last[3], float(ti - last[1]), vmax)
                start = False
            else:
                nxt = [f for f in fixes[k + 1 : k + 3] if f[1] - ti <= rules.max_gap_s]
                ok = not nxt or any(
                    _reachable(f[2] - xi, f[3] - yi, float(f[1] - ti), vmax) for f in nxt
                )
                start = True
            if ok:
                out.append((c, ti, xi, yi, start))
                last = (c, ti, xi, yi)
    return out


def drop_collectorless(x: np.ndarray, collector: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Fixes without a collector (``missing``) are fixes to skip, like those without a
    position: their x becomes NaN (in place, so cleaning counts them as null) and their
    collector a placeholder (the first present one). The collector array to use."""
    if not missing.any():
        return collector
    x[missing] = np.nan
    collector = collector.copy()
    collector[missing] = collector[~missing][0] if (~missing).any() else 0
    return collector


def track_segments(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    collector: Sequence | np.ndarray,
    rules: TrackRules = DEFAULT_RULES,
    overwrite: bool = False,
) -> TrackSegments:
    """Clean the fixes and join consecutive kept fixes of one piece into segments.

    ``overwrite``: the arrays are the caller's to give away (see :func:`clean_track`).
    """
    track = clean_track(x, y, t, collector, rules, overwrite=overwrite)
    return _segments(track, consume=True)


def segments_from_track(track: CleanTrack) -> TrackSegments:
    """Segments between consecutive kept fixes of one piece."""
    return _segments(track, consume=False)


def _segments(track: CleanTrack, consume: bool) -> TrackSegments:
    """With ``consume`` each column of ``track`` is dropped as soon as its segment ends are
    cut from it, so the fixes and the segments are never all in memory together."""
    n = len(track.x)
    joined = ~track.new_piece[1:] if n > 1 else np.zeros(0, dtype=bool)
    # Heads go over their own column's front when it is ours (ends are cut first, and the
    # codes are always made in clean_track): one fresh array per column instead of two.
    in_place = consume and track.owned
    out = {}
    for name in ("x", "y", "t", "collector"):
        a = getattr(track, name)
        if n <= 1:
            out[name] = (a[:0], a[:0])
        else:  # the collector is the same at both ends: only the head is kept
            tail = None if name == "collector" else a[1:][joined]
            if in_place or (consume and name == "collector"):
                (head,) = _compact_inplace((a[:-1],), joined)
            else:
                head = a[:-1][joined]
            out[name] = (head, tail)
        if consume:
            setattr(track, name, None)
            del a
    segs = TrackSegments(
        out["x"][0], out["y"][0], out["x"][1], out["y"][1], out["t"][0], out["t"][1],
        out["collector"][0], track.collectors, track.stats,
    )  # fmt: skip
    segs.stats.segments = len(segs.x0)
    return segs
