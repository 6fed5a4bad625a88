"""Patrol coverage of main roads by collector GPS tracks: the vectorised kernel.

Pure numpy + shapely 2, no QGIS: the Processing algorithm, the bench and the tests share it.
The track segments come from :mod:`.segments`, the road pieces per grid from :mod:`.clip`.

Coordinates are metres in a projected CRS.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from .clip import RoadSegments, clip_roads_to_grids, road_segments
from .segments import _BLOCK, TrackSegments, TrackStats

# Track segments go in rounds by index mod 64: 1/64, 1/64, 1/32, ... 1/2 of them.
_STRIDE = 64
# Track segments per sub-chunk of pair tests (~6 road segments each).
_PAIR_CHUNK = 1 << 13
# Gaps shorter than this are float noise between intervals that touch, not real gaps.
_MIN_GAP_M = 1e-6


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


def grid_coverage(
    grid_codes: list,
    grid_geoms: np.ndarray,
    road_geoms: np.ndarray,
    segments: TrackSegments,
    tolerance: float,
    progress: Progress | None = None,
) -> CoverageOutcome:
    """The desktop path end to end from track segments: roads cut by the grids, the
    coverage per grid, packed as the PostGIS path packs it. ``progress`` as in
    :func:`compute_coverage` (a cancel raises ``InterruptedError``)."""
    lines, line_grid = clip_roads_to_grids(road_geoms, grid_geoms)
    res = compute_coverage(
        lines, line_grid, len(grid_geoms), segments, tolerance, progress=progress
    )
    return CoverageOutcome(
        grid_codes, grid_geoms, res.road_m, res.covered_m, res.gap_lines, res.gap_grid,
        res.gap_length, segments.stats,
    )  # fmt: skip


def empty_outcome() -> CoverageOutcome:
    """What a cancelled run hands on: no grids, no gaps."""
    e = np.zeros(0)
    return CoverageOutcome([], np.zeros(0, object), e, e, np.zeros(0, object), e, e, TrackStats())


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

    def __init__(self, rs: RoadSegments, reach: float, cell: float):
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


Progress = Callable[[float], bool]


@dataclass
class _Covered:
    """Covered intervals on the chainage axis (sorted, disjoint) and the pairs tested."""

    starts: np.ndarray
    ends: np.ndarray
    pairs_tested: int = 0


def compute_coverage(
    lines: np.ndarray,
    line_grid: np.ndarray,
    n_grids: int,
    segments: TrackSegments,
    tolerance: float,
    *,
    progress: Progress | None = None,
    roads: RoadSegments | None = None,
    gaps: bool = True,
) -> CoverageResult:
    """Covered and uncovered road length per grid.

    ``lines``: road LineStrings already cut by grid (see :func:`.clip.clip_roads_to_grids`),
    ``line_grid``: the grid index of each. ``progress(fraction) -> bool`` may return True
    to cancel (then ``InterruptedError`` is raised). ``roads``: the segments of ``lines``
    when the caller made them already (:func:`.clip.road_segments` with ``max_len`` the
    tolerance; a run over many weeks makes them once); without ``gaps`` the uncovered
    stretches are not built.
    """
    if tolerance <= 0:
        raise ValueError("tolerance must be positive")
    lines = np.asarray(lines, dtype=object)
    line_grid = np.asarray(line_grid, dtype=np.int64)
    r = float(tolerance)
    road_m = np.zeros(n_grids)
    covered_m = np.zeros(n_grids)
    if len(lines) == 0:
        return CoverageResult(
            road_m, covered_m, np.zeros(0, object), np.zeros(0, np.int64), np.zeros(0)
        )
    rs = roads if roads is not None else road_segments(lines, max_len=r)
    np.add.at(road_m, line_grid, rs.piece_len)
    covered = _Covered(np.zeros(0), np.zeros(0))
    if len(segments) and len(rs.length):
        covered = _saturate(rs, segments, r, progress)
    if progress is not None and progress(1.0):
        raise InterruptedError
    starts, ends = covered.starts, covered.ends
    piece_of = np.searchsorted(rs.piece_start, starts, side="right") - 1
    np.add.at(covered_m, line_grid[piece_of], ends - starts)
    covered_m = np.minimum(covered_m, road_m)
    if not gaps:
        e = np.zeros(0)
        return CoverageResult(road_m, covered_m, np.zeros(0, object), e.astype(np.int64), e,
                              covered.pairs_tested)  # fmt: skip
    gap_lines, gap_grid, gap_len = _gaps(rs, line_grid, starts, ends)
    return CoverageResult(road_m, covered_m, gap_lines, gap_grid, gap_len, covered.pairs_tested)


def _saturate(
    rs: RoadSegments, segments: TrackSegments, r: float, progress: Progress | None
) -> _Covered:
    """Feed the track segments in rounds (see :func:`_round_residues`), dropping the road
    segments that are fully covered after each round."""
    max_track = 2.0 * r
    tp = _TrackPieces(segments, max_track)
    # A road segment is near a track segment only if the track midpoint is within
    # r + max_track/2 of it; its cells are those of its bbox grown by that reach.
    index = _CellIndex(rs, reach=r + max_track / 2, cell=2.0 * r)
    cell = _piece_cells(tp, index)
    rounds = _round_residues()
    active = np.arange(len(rs.length))
    covered = _Covered(np.zeros(0), np.zeros(0))
    for rnd, residues in enumerate(rounds):
        if progress is not None and progress(rnd / len(rounds)):
            raise InterruptedError
        if len(active) == 0:
            break
        new_s, new_e = [covered.starts], [covered.ends]
        covered.pairs_tested += _round_intervals(
            rs, tp, index, cell, active, residues, r, new_s, new_e
        )
        if len(new_s) == 1:
            continue
        covered.starts, covered.ends = _merge(np.concatenate(new_s), np.concatenate(new_e))
        active = active[~_fully_covered(rs, active, covered.starts, covered.ends)]
    return covered


def _piece_cells(tp: _TrackPieces, index: _CellIndex) -> np.ndarray:
    """Hash-grid cell of the midpoint of every track piece (slot order), -1 outside."""
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
    return cell


def _round_intervals(
    rs: RoadSegments,
    tp: _TrackPieces,
    index: _CellIndex,
    cell: np.ndarray,
    active: np.ndarray,
    residues: np.ndarray,
    r: float,
    new_s: list[np.ndarray],
    new_e: list[np.ndarray],
) -> int:
    """Covered intervals of one round, appended to ``new_s`` / ``new_e`` (chainage); the
    number of pairs tested. The index is built over ``active`` when the round has pieces."""
    n_cells = len(cell)
    built = False
    pairs = 0
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
        # Pairs in sub-chunks, so the ~50 temporaries of the interval maths stay in cache.
        for a in range(0, len(chunk), _PAIR_CHUNK):
            pairs += _pair_intervals(
                rs, tp, index, chunk[a : a + _PAIR_CHUNK], c[a : a + _PAIR_CHUNK],
                cnt[a : a + _PAIR_CHUNK], r, new_s, new_e,
            )  # fmt: skip
    return pairs


def _pair_intervals(
    rs: RoadSegments,
    tp: _TrackPieces,
    index: _CellIndex,
    sub: np.ndarray,
    cs: np.ndarray,
    cn: np.ndarray,
    r: float,
    new_s: list[np.ndarray],
    new_e: list[np.ndarray],
) -> int:
    """Test every track piece of ``sub`` (in cells ``cs``, with ``cn`` road segments each)
    against the road segments of its cell; append the covered intervals; the pair count."""
    tseg = np.repeat(sub, cn)
    k = np.arange(len(tseg)) - np.repeat(np.cumsum(cn) - cn, cn)
    rseg = index.entries[np.repeat(index.first[cs], cn) + k]
    px, py, qx, qy = tp.take(tseg)
    lo, hi = capsule_intervals(
        rs.ax[rseg], rs.ay[rseg], rs.ux[rseg], rs.uy[rseg], rs.length[rseg],
        px, py, qx, qy, r,
    )  # fmt: skip
    hit = lo < hi
    base = rs.chain0[rseg[hit]]
    new_s.append(base + lo[hit])
    new_e.append(base + hi[hit])
    return len(tseg)


def _fully_covered(rs: RoadSegments, active, starts, ends) -> np.ndarray:
    if len(starts) == 0:
        return np.zeros(len(active), dtype=bool)
    a = rs.chain0[active]
    b = a + rs.length[active]
    k = np.searchsorted(starts, a, side="right") - 1
    ok = k >= 0
    kk = np.where(ok, k, 0)
    return ok & (starts[kk] <= a) & (ends[kk] >= b - 1e-9)


def _gaps(rs: RoadSegments, line_grid, starts, ends):
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


def _interp(rs: RoadSegments, chain: np.ndarray):
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
