"""Patrol coverage of main roads by collector GPS tracks: the vectorised kernel.

Pure numpy + shapely 2, no QGIS: the Processing algorithm, the bench and the tests share it.

Coordinates are metres in a projected CRS, times int64 epoch seconds (``NULL_TIME`` = null).

The coverage is exact, not sampled: a track segment PQ covers the part of a road segment AB
that lies inside the capsule (PQ buffered by the tolerance). The capsule is convex, so that
part is one parameter interval along AB: the union of the intervals cut by the two end disks
and the rectangle. Covered length = length of the union of those intervals per road.

Speed comes from (1) a hash grid pairing each track segment only with road segments near it,
and (2) saturation: patrols run the same streets dozens of times a week, so track segments
are fed in random rounds of growing size, and road segments already fully covered drop out;
later rounds then test few pairs. The answer does not depend on the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

NULL_TIME = np.iinfo(np.int64).min
# Collector codes: int32 halves the biggest per-fix integer column (2**31 collectors is plenty).
_CODE = np.int32
# Separation between road pieces on the shared chainage axis, so intervals never merge across.
_PIECE_SEP = 1.0
# Track segments go in rounds by index mod 64: 1/64, 1/64, 1/32, ... 1/2 of them.
_STRIDE = 64
# Elements per block for pass-over-everything steps: float temporaries of 4 MiB stay in
# cache and in malloc's reusable heap (glibc maps blocks over 32 MiB afresh each time, and
# page-faulting them in made 4x the data take 6x the time).
_BLOCK = 1 << 19
# Track segments per sub-chunk of pair tests (~6 road segments each).
_PAIR_CHUNK = 1 << 13
# Gaps shorter than this are float noise between intervals that touch, not real gaps.
_MIN_GAP_M = 1e-6


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


@dataclass
class CoverageResult:
    """Per grid (index into the grids given) lengths, and the uncovered stretches."""

    road_m: np.ndarray
    covered_m: np.ndarray
    gap_lines: np.ndarray  # shapely LineStrings
    gap_grid: np.ndarray  # grid index of each gap line
    gap_length: np.ndarray
    pairs_tested: int = 0

    @property
    def coverage(self) -> np.ndarray:
        """Covered share of the road length; NaN where a grid has no road."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.road_m > 0, self.covered_m / self.road_m, np.nan)

    def passed(self, required: float = 1.0, required_tolerance: float = 0.005) -> np.ndarray:
        return passes(self.road_m, self.covered_m, required, required_tolerance)


@dataclass
class CoverageOutcome:
    """What both computation paths (desktop kernel, PostGIS) hand to the writers."""

    grid_codes: list
    grid_geoms: np.ndarray  # shapely polygons (None for null geometry)
    road_m: np.ndarray
    covered_m: np.ndarray
    gap_lines: np.ndarray
    gap_grid: np.ndarray
    gap_length: np.ndarray
    stats: TrackStats


def passes(
    road_m: np.ndarray, covered_m: np.ndarray, required: float, required_tolerance: float
) -> np.ndarray:
    """A grid passes when its coverage reaches ``required - required_tolerance``.

    Grids without main roads have nothing to patrol and pass.
    """
    road_m = np.asarray(road_m, dtype=float)
    covered_m = np.asarray(covered_m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(road_m > 0, covered_m / np.where(road_m > 0, road_m, 1.0), 1.0)
    return share >= required - required_tolerance - 1e-12


# --------------------------------------------------------------------------- tracks


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


# --------------------------------------------------------------------------- roads


def clip_roads_to_grids(
    roads: Iterable, grids: Sequence | np.ndarray, *, dissolve: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Cut road lines by grid polygons: (LineString pieces, grid index of each piece).

    With ``dissolve`` the roads are unioned first, so a street digitised twice counts once.
    """
    roads = np.asarray(list(roads) if not isinstance(roads, np.ndarray) else roads, dtype=object)
    grids = np.asarray(grids, dtype=object)
    roads = roads[~(shapely.is_missing(roads) | shapely.is_empty(roads))]
    if len(roads) == 0 or len(grids) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
    if dissolve:
        roads = shapely.get_parts(shapely.line_merge(shapely.union_all(roads)))
    roads = shapely.get_parts(roads)
    roads = roads[shapely.get_type_id(roads) == 1]
    tree = shapely.STRtree(grids)
    ri, gi = tree.query(roads, predicate="intersects")
    covered = shapely.contains_properly(grids[gi], roads[ri])
    inter = np.where(covered, roads[ri], None)
    rest = ~covered
    inter[rest] = shapely.intersection(roads[ri[rest]], grids[gi[rest]])
    # Two levels: a collection (lines plus boundary-touch points) may hold a multi-line.
    parts, src = shapely.get_parts(inter, return_index=True)
    parts, src2 = shapely.get_parts(parts, return_index=True)
    src = src[src2]
    keep = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)
    return parts[keep], gi[src[keep]].astype(np.int64)


@dataclass
class _RoadSegments:
    ax: np.ndarray
    ay: np.ndarray
    ux: np.ndarray
    uy: np.ndarray
    length: np.ndarray
    chain0: np.ndarray  # chainage of A on the shared axis
    piece_start: np.ndarray
    piece_len: np.ndarray
    vx: np.ndarray  # vertices of all pieces, with their chainage, for rebuilding gaps
    vy: np.ndarray
    vchain: np.ndarray


def _road_segments(lines: np.ndarray, max_len: float) -> _RoadSegments:
    coords, line_idx = shapely.get_coordinates(lines, return_index=True)
    n_lines = len(lines)
    dx = np.diff(coords[:, 0])
    dy = np.diff(coords[:, 1])
    same = line_idx[1:] == line_idx[:-1]
    seglen = np.where(same, np.hypot(dx, dy), 0.0)
    piece_len = np.bincount(line_idx[1:][same], weights=seglen[same], minlength=n_lines)
    piece_start = np.zeros(n_lines)
    if n_lines > 1:
        piece_start[1:] = np.cumsum(piece_len[:-1] + _PIECE_SEP)
    # Chainage of every vertex: piece start plus the length walked inside the piece.
    walked = np.concatenate([[0.0], np.cumsum(seglen)])
    first_vertex = np.searchsorted(line_idx, np.arange(n_lines))
    vchain = walked - walked[first_vertex[line_idx]] + piece_start[line_idx]
    real = np.flatnonzero(same & (seglen > 0))
    ax, ay = coords[real, 0], coords[real, 1]
    ln = seglen[real]
    ux, uy = dx[real] / ln, dy[real] / ln
    chain0 = vchain[real]
    # Short road segments keep the hash-grid neighbourhoods tight.
    nsub = np.maximum(1, np.ceil(ln / max_len).astype(np.int64))
    if np.any(nsub > 1):
        rep = np.repeat(np.arange(len(ln)), nsub)
        k = np.arange(len(rep)) - np.repeat(np.cumsum(nsub) - nsub, nsub)
        sub = ln[rep] / nsub[rep]
        off = k * sub
        ax = ax[rep] + ux[rep] * off
        ay = ay[rep] + uy[rep] * off
        ux, uy = ux[rep], uy[rep]
        chain0 = chain0[rep] + off
        ln = sub
    return _RoadSegments(
        ax, ay, ux, uy, ln, chain0, piece_start, piece_len, coords[:, 0], coords[:, 1], vchain
    )


# --------------------------------------------------------------------------- coverage


def _linear_range(g: np.ndarray, d: np.ndarray, lo: np.ndarray | float, hi: np.ndarray | float):
    """Range of s with lo <= g + d*s <= hi (empty as [inf, -inf])."""
    with np.errstate(divide="ignore", invalid="ignore"):
        s1 = (lo - g) / d
        s2 = (hi - g) / d
    flat = d == 0
    inside = (g >= lo) & (g <= hi)
    a = np.where(flat, np.where(inside, -np.inf, np.inf), np.minimum(s1, s2))
    b = np.where(flat, np.where(inside, np.inf, -np.inf), np.maximum(s1, s2))
    return a, b


def capsule_intervals(
    ax: np.ndarray,
    ay: np.ndarray,
    ux: np.ndarray,
    uy: np.ndarray,
    length: np.ndarray,
    px: np.ndarray,
    py: np.ndarray,
    qx: np.ndarray,
    qy: np.ndarray,
    r: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, the part [lo, hi] of road segment A + s*u (0 <= s <= length) within ``r`` of
    track segment PQ. Empty where lo >= hi."""
    lo = np.full(len(ax), np.inf)
    hi = np.full(len(ax), -np.inf)
    r2 = r * r
    for cx, cy in ((px, py), (qx, qy)):
        wx = ax - cx
        wy = ay - cy
        b = wx * ux + wy * uy
        disc = b * b - (wx * wx + wy * wy - r2)
        ok = disc >= 0
        sq = np.sqrt(np.where(ok, disc, 0.0))
        lo = np.where(ok, np.minimum(lo, -b - sq), lo)
        hi = np.where(ok, np.maximum(hi, -b + sq), hi)
    vx = qx - px
    vy = qy - py
    seg = np.hypot(vx, vy)
    has_body = seg > 0
    inv = np.where(has_body, 1.0 / np.where(has_body, seg, 1.0), 0.0)
    vx = vx * inv
    vy = vy * inv
    wx = ax - px
    wy = ay - py
    along_lo, along_hi = _linear_range(wx * vx + wy * vy, ux * vx + uy * vy, 0.0, seg)
    across_lo, across_hi = _linear_range(wy * vx - wx * vy, uy * vx - ux * vy, -r, r)
    rlo = np.maximum(along_lo, across_lo)
    rhi = np.minimum(along_hi, across_hi)
    body = has_body & (rlo <= rhi)
    lo = np.where(body, np.minimum(lo, rlo), lo)
    hi = np.where(body, np.maximum(hi, rhi), hi)
    return np.maximum(lo, 0.0), np.minimum(hi, length)


def _merge(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union of intervals as sorted disjoint intervals (touching ones merged)."""
    if len(starts) == 0:
        return starts, ends
    order = np.argsort(starts, kind="stable")
    s = starts[order]
    e = np.maximum.accumulate(ends[order])
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] > e[:-1]
    heads = np.flatnonzero(new)
    tails = np.concatenate([heads[1:] - 1, [len(s) - 1]])
    return s[heads], e[tails]


class _CellIndex:
    """Uniform hash grid over the road extent: which road segments are near each cell."""

    def __init__(self, rs: _RoadSegments, reach: float, cell: float):
        ex = np.concatenate([rs.ax, rs.ax + rs.ux * rs.length])
        ey = np.concatenate([rs.ay, rs.ay + rs.uy * rs.length])
        self.x0 = float(ex.min()) - reach - cell
        self.y0 = float(ey.min()) - reach - cell
        span = max(float(ex.max()) - self.x0, float(ey.max()) - self.y0) + reach + cell
        # Keep the grid at most ~16M cells even for province-wide road layers.
        self.cell = max(cell, span / 4000.0)
        self.nx = int((float(ex.max()) + reach - self.x0) / self.cell) + 2
        self.ny = int((float(ey.max()) + reach - self.y0) / self.cell) + 2
        self.reach = reach
        self.rs = rs

    def build(self, active: np.ndarray) -> None:
        """Cell lists of the active road segments (bbox grown by ``reach``)."""
        rs = self.rs
        bx = rs.ax[active] + rs.ux[active] * rs.length[active]
        by = rs.ay[active] + rs.uy[active] * rs.length[active]
        c = self.cell
        i0 = np.floor((np.minimum(rs.ax[active], bx) - self.reach - self.x0) / c).astype(np.int64)
        i1 = np.floor((np.maximum(rs.ax[active], bx) + self.reach - self.x0) / c).astype(np.int64)
        j0 = np.floor((np.minimum(rs.ay[active], by) - self.reach - self.y0) / c).astype(np.int64)
        j1 = np.floor((np.maximum(rs.ay[active], by) + self.reach - self.y0) / c).astype(np.int64)
        ni = i1 - i0 + 1
        nj = j1 - j0 + 1
        cnt = ni * nj
        seg = np.repeat(active, cnt)
        k = np.arange(len(seg)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        nj_r = np.repeat(nj, cnt)
        ci = np.repeat(i0, cnt) + k // nj_r
        cj = np.repeat(j0, cnt) + k % nj_r
        cellid = ci * self.ny + cj
        order = np.argsort(cellid, kind="stable")
        self.entries = seg[order]
        counts = np.bincount(cellid, minlength=self.nx * self.ny)
        self.count = counts
        self.first = np.cumsum(counts) - counts

    def cells_of(self, mx: np.ndarray, my: np.ndarray) -> np.ndarray:
        """Cell id of each point, -1 outside the grid."""
        ci = np.floor((mx - self.x0) / self.cell).astype(np.int64)
        cj = np.floor((my - self.y0) / self.cell).astype(np.int64)
        inside = (ci >= 0) & (ci < self.nx) & (cj >= 0) & (cj < self.ny)
        return np.where(inside, ci * self.ny + cj, -1)


class _TrackPieces:
    """Track segments with the long ones cut into pieces <= max_len, without copying.

    Cutting does not change the union of capsules, and it lets a segment be found from the
    cell of its midpoint alone. Slot i < n is segment i (its first piece when long); slots
    n.. are the other pieces of the long ones, in order. Only the few long segments are
    stored apart (``over``: their first pieces, then the other pieces); the full-size
    endpoint arrays are the caller's, read as they are.
    """

    def __init__(self, segs: TrackSegments, max_len: float):
        self.base = (segs.x0, segs.y0, segs.x1, segs.y1)
        x0, y0, x1, y1 = self.base
        self.n = n = len(x0)
        found = []
        for a in range(0, n, _BLOCK):
            b = min(n, a + _BLOCK)
            dx = x1[a:b] - x0[a:b]
            dy = y1[a:b] - y0[a:b]
            found.append(a + np.flatnonzero(dx * dx + dy * dy > max_len * max_len))
        self.long = long_ = np.concatenate(found) if found else np.zeros(0, np.int64)
        if len(long_) == 0:
            self.over = tuple(np.zeros(0) for _ in range(4))
            return
        dxl = x1[long_] - x0[long_]
        dyl = y1[long_] - y0[long_]
        ns = np.ceil(np.hypot(dxl, dyl) / max_len).astype(np.int64)
        which = np.repeat(np.arange(len(long_)), ns)
        rep = long_[which]
        k = np.arange(len(rep)) - np.repeat(np.cumsum(ns) - ns, ns)
        f0 = k / ns[which]
        f1 = (k + 1) / ns[which]
        px0, py0 = x0[rep] + dxl[which] * f0, y0[rep] + dyl[which] * f0
        px1, py1 = x0[rep] + dxl[which] * f1, y0[rep] + dyl[which] * f1
        first = k == 0
        self.over = tuple(
            np.concatenate([piece[first], piece[~first]]) for piece in (px0, py0, px1, py1)
        )

    def __len__(self) -> int:
        return self.n + len(self.over[0]) - len(self.long)

    def take(self, idx: np.ndarray) -> tuple[np.ndarray, ...]:
        """Endpoints (x0, y0, x1, y1) of the pieces in slots ``idx``."""
        n, long_ = self.n, self.long
        if len(long_) == 0:
            return tuple(a[idx] for a in self.base)
        ext = idx >= n
        out = tuple(a[np.where(ext, 0, idx)] for a in self.base)
        pos = np.searchsorted(long_, idx)
        hit = long_[np.minimum(pos, len(long_) - 1)] == idx
        src = np.where(ext, idx - n + len(long_), pos)
        sel = hit | ext
        if sel.any():
            src = src[sel]
            for o, v in zip(out, self.over):
                o[sel] = v[src]
        return out


def _round_residues() -> list[np.ndarray]:
    """Residues mod 64 of each round, in bit-reversed order: rounds of 1/64, 1/64, 1/32, ...

    Strided rounds sample every track evenly in time (so evenly along the roads) and read
    memory in regular strides, which is faster than a random permutation.
    """
    rank = np.array([int(f"{m:06b}"[::-1], 2) for m in range(_STRIDE)])
    rnd = np.where(rank == 0, 0, np.floor(np.log2(np.maximum(rank, 1))).astype(int) + 1)
    return [np.flatnonzero(rnd == r) for r in range(int(rnd.max()) + 1)]


def compute_coverage(
    lines: np.ndarray,
    line_grid: np.ndarray,
    n_grids: int,
    segments: TrackSegments,
    tolerance: float,
    *,
    progress=None,
) -> CoverageResult:
    """Covered and uncovered road length per grid.

    ``lines``: road LineStrings already cut by grid (see :func:`clip_roads_to_grids`),
    ``line_grid``: the grid index of each. ``progress(fraction) -> bool`` may return True
    to cancel (then ``InterruptedError`` is raised).
    """
    if tolerance <= 0:
        raise ValueError("tolerance must be positive")
    lines = np.asarray(lines, dtype=object)
    line_grid = np.asarray(line_grid, dtype=np.int64)
    r = float(tolerance)
    road_m = np.zeros(n_grids)
    covered_m = np.zeros(n_grids)
    empty = CoverageResult(
        road_m, covered_m, np.zeros(0, object), np.zeros(0, np.int64), np.zeros(0)
    )
    if len(lines) == 0:
        return empty
    rs = _road_segments(lines, max_len=r)
    np.add.at(road_m, line_grid, rs.piece_len)
    starts_acc = np.zeros(0)
    ends_acc = np.zeros(0)
    pairs_tested = 0
    if len(segments) and len(rs.length):
        max_track = 2.0 * r
        tp = _TrackPieces(segments, max_track)
        # A road segment is near a track segment only if the track midpoint is within
        # r + max_track/2 of it; its cells are those of its bbox grown by that reach.
        index = _CellIndex(rs, reach=r + max_track / 2, cell=2.0 * r)
        n_cells = len(tp)
        # int32 cell ids when they fit: half the size, under malloc's 32 MiB mmap limit.
        cell = np.empty(n_cells, dtype=np.int32 if index.nx * index.ny < 2**31 else np.int64)
        x0, y0, x1, y1 = tp.base
        for a in range(0, tp.n, _BLOCK):
            b = min(tp.n, a + _BLOCK)
            cell[a:b] = index.cells_of((x0[a:b] + x1[a:b]) * 0.5, (y0[a:b] + y1[a:b]) * 0.5)
        if len(tp.long):  # long slots hold their first piece; the other pieces follow
            px0, py0, px1, py1 = tp.over
            over_cell = index.cells_of((px0 + px1) * 0.5, (py0 + py1) * 0.5)
            cell[tp.long] = over_cell[: len(tp.long)]
            cell[tp.n :] = over_cell[len(tp.long) :]
        rounds = _round_residues()
        active = np.arange(len(rs.length))
        for rnd, residues in enumerate(rounds):
            if progress is not None and progress(rnd / len(rounds)):
                raise InterruptedError
            if len(active) == 0:
                break
            built = False
            new_s, new_e = [starts_acc], [ends_acc]
            # One residue at a time (1/64 of the slots): no round-sized index arrays.
            for m in residues.tolist():
                chunk = m + _STRIDE * np.flatnonzero(cell[m:n_cells:_STRIDE] >= 0)
                if len(chunk) == 0:
                    continue
                if not built:
                    index.build(active)
                    built = True
                c = cell[chunk]
                cnt = index.count[c]
                has = cnt > 0
                chunk, c, cnt = chunk[has], c[has], cnt[has]
                # Pairs in sub-chunks, so the ~50 temporaries of the interval maths stay in
                # cache.
                for a in range(0, len(chunk), _PAIR_CHUNK):
                    sub, cs, cn = (
                        chunk[a : a + _PAIR_CHUNK],
                        c[a : a + _PAIR_CHUNK],
                        cnt[a : a + _PAIR_CHUNK],
                    )
                    tseg = np.repeat(sub, cn)
                    k = np.arange(len(tseg)) - np.repeat(np.cumsum(cn) - cn, cn)
                    rseg = index.entries[np.repeat(index.first[cs], cn) + k]
                    pairs_tested += len(tseg)
                    px, py, qx, qy = tp.take(tseg)
                    lo, hi = capsule_intervals(
                        rs.ax[rseg], rs.ay[rseg], rs.ux[rseg], rs.uy[rseg], rs.length[rseg],
                        px, py, qx, qy, r,
                    )  # fmt: skip
                    hit = lo < hi
                    base = rs.chain0[rseg[hit]]
                    new_s.append(base + lo[hit])
                    new_e.append(base + hi[hit])
            if len(new_s) == 1:
                continue
            starts_acc, ends_acc = _merge(np.concatenate(new_s), np.concatenate(new_e))
            active = active[~_fully_covered(rs, active, starts_acc, ends_acc)]
    if progress is not None and progress(1.0):
        raise InterruptedError
    piece_of = np.searchsorted(rs.piece_start, starts_acc, side="right") - 1
    np.add.at(covered_m, line_grid[piece_of], ends_acc - starts_acc)
    covered_m = np.minimum(covered_m, road_m)
    gap_lines, gap_grid, gap_len = _gaps(rs, line_grid, starts_acc, ends_acc)
    return CoverageResult(road_m, covered_m, gap_lines, gap_grid, gap_len, pairs_tested)


def _fully_covered(rs: _RoadSegments, active, starts, ends) -> np.ndarray:
    if len(starts) == 0:
        return np.zeros(len(active), dtype=bool)
    a = rs.chain0[active]
    b = a + rs.length[active]
    k = np.searchsorted(starts, a, side="right") - 1
    ok = k >= 0
    kk = np.where(ok, k, 0)
    return ok & (starts[kk] <= a) & (ends[kk] >= b - 1e-9)


def _gaps(rs: _RoadSegments, line_grid, starts, ends):
    """Uncovered stretches: the complement of the covered intervals inside each piece."""
    ps = rs.piece_start
    pe = rs.piece_start + rs.piece_len
    # Zero-length covers at both ends of each piece make every gap lie between two covers.
    s, e = _merge(np.concatenate([starts, ps, pe]), np.concatenate([ends, ps, pe]))
    piece = np.searchsorted(ps, s, side="right") - 1
    g0 = e[:-1]
    g1 = s[1:]
    is_gap = (piece[:-1] == piece[1:]) & (g1 - g0 > _MIN_GAP_M)
    g0, g1, gp = g0[is_gap], g1[is_gap], piece[:-1][is_gap]
    if len(g0) == 0:
        return np.zeros(0, object), np.zeros(0, np.int64), np.zeros(0)
    # Each gap line: start point, the piece's vertices strictly inside, end point.
    inner_from = np.searchsorted(rs.vchain, g0, side="right")
    inner_to = np.searchsorted(rs.vchain, g1, side="left")
    n_inner = np.maximum(inner_to - inner_from, 0)
    sx, sy = _interp(rs, g0)
    ex, ey = _interp(rs, g1)
    npts = n_inner + 2
    total = int(npts.sum())
    offs = np.cumsum(npts) - npts
    px = np.empty(total)
    py = np.empty(total)
    px[offs], py[offs] = sx, sy
    px[offs + npts - 1], py[offs + npts - 1] = ex, ey
    gid = np.repeat(np.arange(len(g0)), n_inner)
    k = np.arange(len(gid)) - np.repeat(np.cumsum(n_inner) - n_inner, n_inner)
    pos = offs[gid] + 1 + k
    src = inner_from[gid] + k
    px[pos], py[pos] = rs.vx[src], rs.vy[src]
    lines = shapely.linestrings(px, py, indices=np.repeat(np.arange(len(g0)), npts))
    grid = line_grid[gp]
    lines, grid = _merge_gap_lines(lines, grid)
    return lines, grid, shapely.length(lines)


def _interp(rs: _RoadSegments, chain: np.ndarray):
    """Point at each chainage (the chainage lies inside a piece, so no cross-piece blending)."""
    j = np.clip(np.searchsorted(rs.vchain, chain, side="right") - 1, 0, len(rs.vchain) - 2)
    c0 = rs.vchain[j]
    c1 = rs.vchain[j + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(c1 > c0, (chain - c0) / (c1 - c0), 0.0)
    f = np.clip(f, 0.0, 1.0)
    return rs.vx[j] + f * (rs.vx[j + 1] - rs.vx[j]), rs.vy[j] + f * (rs.vy[j + 1] - rs.vy[j])


def _merge_gap_lines(lines: np.ndarray, grid: np.ndarray):
    """Join gap lines of one grid that continue each other across road pieces."""
    order = np.argsort(grid, kind="stable")
    lines, grid = lines[order], grid[order]
    ug, counts = np.unique(grid, return_counts=True)
    multi = counts > 1
    if not np.any(multi):
        return lines, grid
    sel = np.isin(grid, ug[multi])
    groups = np.searchsorted(ug[multi], grid[sel])
    merged = shapely.line_merge(shapely.multilinestrings(lines[sel], indices=groups))
    parts, idx = shapely.get_parts(merged, return_index=True)
    out_lines = np.concatenate([lines[~sel], parts])
    out_grid = np.concatenate([grid[~sel], ug[multi][idx]])
    return out_lines, out_grid


# --------------------------------------------------------------------------- roll-up


@dataclass
class RespRow:
    code: str
    grids: int
    grids_failed: int
    road_m: float
    covered_m: float
    coverage: float | None
    passed: bool


def rollup(
    grid_codes: Sequence[str],
    road_m: np.ndarray,
    covered_m: np.ndarray,
    mapping: Mapping[str, str],
    required: float = 1.0,
    required_tolerance: float = 0.005,
) -> list[RespRow]:
    """Sum unit-grid results per responsibility grid (``mapping``: unit code -> resp code).

    A responsibility grid passes when its summed coverage reaches the requirement; the
    count of its failing unit grids is reported beside. Unit grids missing from the mapping
    are left out.
    """
    unit_passed = passes(road_m, covered_m, required, required_tolerance)
    acc: dict[str, list] = {}
    for code, rm, cm, ok in zip(grid_codes, road_m, covered_m, unit_passed):
        resp = mapping.get(code)
        if resp is None:
            continue
        row = acc.setdefault(resp, [0, 0, 0.0, 0.0])
        row[0] += 1
        row[1] += 0 if ok else 1
        row[2] += float(rm)
        row[3] += float(cm)
    out = []
    for resp in sorted(acc):
        n, failed, rm, cm = acc[resp]
        ok = bool(passes(np.array([rm]), np.array([cm]), required, required_tolerance)[0])
        out.append(RespRow(resp, n, failed, rm, cm, cm / rm if rm > 0 else None, ok))
    return out
