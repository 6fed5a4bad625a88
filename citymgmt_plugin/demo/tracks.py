"""One week of patrol GPS for every collector: prescribed routes, the way people walk them.

Each collector rides (e-bike, 15-20 km/h) or walks (4-5 km/h) their closed route loop again
and again during two shifts a day (08:00-12:00, 14:00-18:00 Asia/Shanghai), one fix every
10 s, with stops, correlated GPS noise (σ ≈ 4 m), rare multipath jumps (150-500 m), and
deliberate trouble recorded in the ground truth:

- *weekly skippers*: a few collectors never ride one main-road edge of their route all week
  (nobody else does either), so its responsibility grids fail the weekly coverage check;
- *day skippers*: some collectors leave out one responsibility grid on 1-3 days (the week
  still covers it);
- *strays*: some collectors leave their route on a day for a 0.5-0.9 km detour and linger;
- *gaps*: the device is off for 3-25 minutes on about a third of collector-days.

Fixes are written in bulk: pre-built GeoPackage point blobs and ISO 8601 UTC text through
one ``executemany`` inside the workspace transaction (the R-tree is filled in one statement).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np
from scipy.signal import lfilter

from .network import Collector, RoadGraph, Router, connected, plan_tour, walk_coords

WEEK_START = date(2026, 11, 9)
DAYS = 7
SHIFTS_LOCAL = ((8, 12), (14, 18))
UTC_OFFSET_H = 8  # Asia/Shanghai, no daylight saving
FIX_S = 10
SHIFT_FIXES = 4 * 3600 // FIX_S
_CHUNK = 100_000


@dataclass
class Tracks:
    collector: np.ndarray  # index into collectors
    t: np.ndarray  # epoch seconds (UTC)
    x: np.ndarray
    y: np.ndarray
    accuracy: np.ndarray
    speed: np.ndarray
    stops: list[dict] = field(default_factory=list)  # true positions where people stopped
    truth: dict = field(default_factory=dict)
    tours: dict[str, np.ndarray] = field(default_factory=dict)  # base loop per collector

    def __len__(self) -> int:
        return len(self.t)


def shift_start_utc(day: int, shift: int) -> datetime:
    d = WEEK_START + timedelta(days=day)
    h = SHIFTS_LOCAL[shift][0] - UTC_OFFSET_H
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc) + timedelta(hours=h)


def _ar_noise(rng: np.random.Generator, n: int, a: float) -> np.ndarray:
    """Unit-variance AR(1) noise: GPS errors and speeds drift rather than jump."""
    return lfilter([math.sqrt(1 - a * a)], [1.0, -a], rng.standard_normal(n))


def _cumlen(c: np.ndarray) -> np.ndarray:
    if len(c) < 2:
        return np.zeros(len(c))
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(c, axis=0).T))])


def _weekly_skips(
    graph: RoadGraph,
    collectors: list[Collector],
    resp_codes: list[str],
    edge_resps: list[set[int]],
    rng: np.random.Generator,
    truth: dict,
) -> set[int]:
    """Weekly skippers: one long main-road edge each, closed to everyone for the week
    (the network stays connected); returns the closed edges."""
    removed: set[int] = set()
    n_weekly = max(1, round(5 * len(collectors) / 70))
    for ci in rng.permutation(len(collectors)):
        if len(truth["weekly_skips"]) >= n_weekly:
            break
        col = collectors[ci]
        cands = [e for e in col.required if graph.length[e] >= 120.0]
        for e in rng.permutation(cands) if cands else []:
            e = int(e)
            if connected(graph, removed | {e}):
                removed.add(e)
                truth["weekly_skips"].append(
                    {
                        "collector": col.code,
                        "edge_length_m": round(float(graph.length[e]), 1),
                        "resp_grids": sorted(resp_codes[r] for r in edge_resps[e]),
                        "midpoint": [
                            round(float(v), 2)
                            for v in graph.edges[e].interpolate(0.5, normalized=True).coords[0]
                        ],
                    }
                )
                break
    return removed


def _day_skips(
    collectors: list[Collector], rng: np.random.Generator
) -> dict[int, tuple[list[int], int]]:
    """Collector -> (days, the responsibility grid left out on those days)."""
    n_coll = len(collectors)
    day_skip: dict[int, tuple[list[int], int]] = {}
    for ci in rng.permutation(n_coll)[: max(1, round(0.15 * n_coll))]:
        col = collectors[ci]
        if len(col.resps) < 2:
            continue
        days = sorted(int(d) for d in rng.choice(DAYS, size=int(rng.integers(1, 4)), replace=False))
        day_skip[int(ci)] = (days, int(col.resps[int(rng.integers(len(col.resps)))]))
    return day_skip


def _stray_days(n_coll: int, rng: np.random.Generator) -> dict[int, list[int]]:
    """Collector -> the days they stray from their route."""
    strays: dict[int, list[int]] = {}
    for ci in rng.permutation(n_coll)[: max(1, round(0.1 * n_coll))]:
        strays[int(ci)] = sorted(
            int(d) for d in rng.choice(DAYS, size=int(rng.integers(1, 3)), replace=False)
        )
    return strays


@dataclass
class _Week:
    """What the week's simulation gathers: fixes per collector-day, stops, truth, loops."""

    truth: dict
    parts: list[tuple[np.ndarray, ...]] = field(default_factory=list)  # (c, t, x, y, acc, v)
    stops: list[dict] = field(default_factory=list)
    tours: dict[str, np.ndarray] = field(default_factory=dict)

    def add_day(self, ci: int, col: Collector, res: tuple) -> None:
        t, x, y, acc, spd, day_stops, info = res
        self.stops += [dict(s, collector=ci) for s in day_stops]
        if info.get("stray"):
            self.truth["strays"].append(dict(info["stray"], collector=col.code))
        if info.get("gaps"):
            self.truth["gaps"] += [dict(g, collector=col.code) for g in info["gaps"]]
        self.truth["jumps"] += info.get("jumps", 0)
        self.parts.append((np.full(len(t), ci, dtype=np.int32), t, x, y, acc, spd))

    def tracks(self) -> Tracks:
        cols = [np.concatenate([p[k] for p in self.parts]) for k in range(6)]
        return Tracks(*cols, stops=self.stops, truth=self.truth, tours=self.tours)


def _collector_week(
    week: _Week,
    ci: int,
    col: Collector,
    graph: RoadGraph,
    router: Router,
    plan: tuple[dict, dict, list[str], list[set[int]]],
    rng: np.random.Generator,
) -> None:
    """Seven days of one collector: the route loop (another on day-skip days), a speed of
    their own, a device clock offset."""
    day_skip, strays, resp_codes, edge_resps = plan
    base = plan_tour(router, col.required)
    if not base:
        return
    week.tours[col.code] = walk_coords(graph, base)
    alt = None
    if ci in day_skip:
        days, r = day_skip[ci]
        keep = [e for e in col.required if not (edge_resps[e] <= {r})]
        alt = plan_tour(router, keep) or base
        week.truth["day_skips"].append(
            {
                "collector": col.code,
                "days": [str(WEEK_START + timedelta(d)) for d in days],
                "resp_grid": resp_codes[r],
            }
        )
    v0 = rng.uniform(15, 20) if col.mode == "ebike" else rng.uniform(4.0, 5.0)
    clock_offset = int(rng.integers(0, FIX_S))
    for day in range(DAYS):
        walk = alt if (alt is not None and day in day_skip[ci][0]) else base
        res = _one_day(
            rng, graph, router, col, walk, v0, day, clock_offset, stray=day in strays.get(ci, [])
        )
        week.add_day(ci, col, res)


def simulate_week(
    graph: RoadGraph,
    collectors: list[Collector],
    resp_codes: list[str],
    edge_resps: list[set[int]],
    rng: np.random.Generator,
) -> Tracks:
    truth: dict = {"weekly_skips": [], "day_skips": [], "strays": [], "gaps": [], "jumps": 0}
    removed = _weekly_skips(graph, collectors, resp_codes, edge_resps, rng, truth)
    router = Router(graph, removed)
    day_skip = _day_skips(collectors, rng)
    strays = _stray_days(len(collectors), rng)
    week = _Week(truth)
    plan = (day_skip, strays, resp_codes, edge_resps)
    for ci, col in enumerate(collectors):
        _collector_week(week, ci, col, graph, router, plan, rng)
    return week.tracks()


def _speeds_and_stops(
    rng: np.random.Generator, n: int, v0: float, mode: str
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Speed (m/s) per fix with slow variations, and stops (first fix, fixes): every
    ~8-15 min for 0.5-8 min."""
    v = v0 / 3.6 * np.clip(1 + 0.18 * _ar_noise(rng, n, 0.97), 0.3, 1.6)
    mean_gap = 8 * 6 if mode == "ebike" else 15 * 6
    i = int(rng.integers(0, mean_gap))
    stop_at = []
    while i < n:
        dur = int(np.clip(rng.lognormal(math.log(15), 0.6), 3, 48))  # fixes of 10 s
        v[i : i + dur] = 0.0
        stop_at.append((i, dur))
        i += dur + int(rng.exponential(mean_gap)) + 6
    return v, stop_at


def _detour(rng, graph, router, start_node, day, info) -> tuple[np.ndarray, np.ndarray] | None:
    """A stray's way out to a node 0.5-0.9 km away and back (``info["stray"]`` says what)."""
    dist, _ = router.from_node(start_node)
    far = np.flatnonzero((dist > 500) & (dist < 900))
    if not len(far):
        return None
    b = int(far[int(rng.integers(len(far)))])
    there = router.path_edges(start_node, b) or []
    back = [(e, not f) for e, f in reversed(there)]
    out = walk_coords(graph, there)
    linger = int(rng.integers(60, 150))  # 10-25 min
    info["stray"] = {
        "day": str(WEEK_START + timedelta(days=day)),
        "far_point": [round(float(c), 2) for c in graph.node_xy[b]],
        "detour_m": round(float(2 * _cumlen(out)[-1]), 1),
        "linger_min": round(linger * FIX_S / 60, 1),
    }
    return out, walk_coords(graph, back)


def _day_path(rng, graph, router, walk, day, stray, total_m, info):
    """The day's path: the loop from a random start, repeated to cover ``total_m``, with a
    detour for strays (after the first round, or before a long loop); the loop, and where
    along the path the detour turns back (None: no detour)."""
    j = int(rng.integers(len(walk)))
    rot = walk[j:] + walk[:j]
    loop = walk_coords(graph, rot)
    loop_len = _cumlen(loop)[-1]
    start_node = int(graph.u[rot[0][0]]) if rot[0][1] else int(graph.v[rot[0][0]])
    pieces = [loop]
    detour_apex = None
    detour = _detour(rng, graph, router, start_node, day, info) if stray else None
    if detour is not None:
        out, back = detour
        if loop_len < 0.5 * total_m:  # after the first round
            detour_apex = loop_len + _cumlen(out)[-1]
            pieces += [out, back]
        else:  # a long loop: before starting it
            detour_apex = _cumlen(out)[-1]
            pieces = [out, back, loop]
    path = np.vstack(pieces)
    while _cumlen(path)[-1] < total_m + 1.0:
        path = np.vstack([path, loop[1:]])
    keep = np.ones(len(path), bool)
    keep[1:] = np.any(np.abs(np.diff(path, axis=0)) > 1e-9, axis=1)
    return path[keep], detour_apex


def _linger(s, v, detour_apex, info, n):
    """The stray stands still at the far point: distance and speed held for the linger."""
    k = int(np.searchsorted(s, detour_apex))
    if k >= n:
        return s, v
    m = int(info["stray"]["linger_min"] * 60 / FIX_S)
    s = np.concatenate([s[:k], np.full(min(m, n - k), s[k]), s[k : max(k, n - m)]])[:n]
    v = np.concatenate([v[:k], np.zeros(min(m, n - k)), v[k : max(k, n - m)]])[:n]
    return s, v


def _gps(rng, tx, ty, v, n, info):
    """GPS of the true positions: correlated noise, reported accuracy, rare multipath
    jumps, and the reported speed."""
    sigma = rng.uniform(3.0, 5.0)
    x = tx + sigma * _ar_noise(rng, n, 0.9)
    y = ty + sigma * _ar_noise(rng, n, 0.9)
    acc = np.clip(sigma + 1.2 * rng.standard_normal(n) + 1.0, 3.0, 8.0)
    jumps = np.flatnonzero(rng.random(n) < 0.002)
    if len(jumps):
        ang = rng.uniform(0, 2 * np.pi, len(jumps))
        dist = rng.uniform(150, 500, len(jumps))
        x[jumps] += dist * np.cos(ang)
        y[jumps] += dist * np.sin(ang)
        acc[jumps] = rng.uniform(25, 80, len(jumps))
    info["jumps"] = len(jumps)
    spd = np.clip(v * 3.6 + 0.8 * rng.standard_normal(n), 0, None)
    spd[v == 0] = np.abs(0.3 * rng.standard_normal(int((v == 0).sum())))
    return x, y, acc, spd


def _device_off(rng, t, n, info) -> np.ndarray:
    """On about a third of the days the device is off once or twice for 3-25 minutes;
    returns which fixes were recorded."""
    alive = np.ones(n, bool)
    gaps = []
    if rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 3))):
            g0 = int(rng.integers(0, n - 160))
            glen = int(rng.integers(18, 151))  # 3-25 min
            alive[g0 : g0 + glen] = False
            gaps.append({"start": _iso(t[g0]), "minutes": round(glen * FIX_S / 60, 1)})
    info["gaps"] = gaps
    return alive


def _one_day(rng, graph, router, col, walk, v0, day, clock_offset, stray):
    n = 2 * SHIFT_FIXES
    info: dict = {}
    v, stop_at = _speeds_and_stops(rng, n, v0, col.mode)
    s = np.concatenate([[0.0], np.cumsum(v[:-1] * FIX_S)])
    path, detour_apex = _day_path(rng, graph, router, walk, day, stray, s[-1], info)
    if detour_apex is not None:
        s, v = _linger(s, v, detour_apex, info, n)
    cl = _cumlen(path)
    tx = np.interp(s, cl, path[:, 0])
    ty = np.interp(s, cl, path[:, 1])
    x, y, acc, spd = _gps(rng, tx, ty, v, n, info)
    t0 = [int(shift_start_utc(day, k).timestamp()) + clock_offset for k in (0, 1)]
    t = np.concatenate([t0[k] + FIX_S * np.arange(SHIFT_FIXES) for k in (0, 1)]).astype(np.int64)
    alive = _device_off(rng, t, n, info)
    day_stops = [
        {"t": int(t[i0]), "x": float(tx[i0]), "y": float(ty[i0]), "fixes": dur}
        for i0, dur in stop_at
        if i0 < n and alive[i0]
    ]
    return (
        t[alive],
        x[alive],
        y[alive],
        np.round(acc[alive], 1),
        np.round(spd[alive], 1),
        day_stops,
        info,
    )


def _iso(t: int) -> str:
    return datetime.fromtimestamp(int(t), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- writing


def gpkg_point_blobs(x: np.ndarray, y: np.ndarray, srid: int) -> list[bytes]:
    """GeoPackage binary points (header without envelope + little-endian WKB), vectorised."""
    rec = np.zeros(
        len(x),
        dtype=[
            ("gp", "S2"),
            ("ver", "u1"),
            ("flags", "u1"),
            ("srid", "<i4"),
            ("bo", "u1"),
            ("type", "<u4"),
            ("x", "<f8"),
            ("y", "<f8"),
        ],
    )
    rec["gp"] = b"GP"
    rec["flags"] = 1  # little endian, no envelope
    rec["srid"] = srid
    rec["bo"] = 1
    rec["type"] = 1
    rec["x"] = x
    rec["y"] = y
    buf = rec.tobytes()
    size = rec.dtype.itemsize
    return [buf[i : i + size] for i in range(0, len(buf), size)]


def utc_text(t: np.ndarray) -> list[str]:
    """Epoch seconds → the GeoPackage DATETIME text core.types writes (UTC, 'Z')."""
    stamps = np.datetime64("1970-01-01T00:00:00", "ms") + t.astype("timedelta64[s]")
    return [s + "Z" for s in np.datetime_as_string(stamps, unit="ms").tolist()]


def write_tracks_gpkg(dbapi_conn, tracks: Tracks, collectors: list[Collector], srid: int) -> int:
    """Append every fix to ``track_points`` on an open sqlite3 connection (caller's transaction).

    The per-row GeoPackage triggers (geometry type and SRID checks, R-tree upkeep: 5x the
    cost of the insert itself) are suspended during the bulk insert: the blobs are points in
    ``srid`` by construction, and the R-tree is filled from the known coordinates in one
    pass. The triggers are restored, unchanged, before returning (same transaction). The
    table's CHECK constraints stay active throughout.
    """
    cur = dbapi_conn.cursor()
    first_id = (cur.execute("SELECT coalesce(max(id), 0) FROM track_points").fetchone()[0]) + 1
    triggers = cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'track_points' ORDER BY name"
    ).fetchall()
    for name, _ in triggers:
        cur.execute(f'DROP TRIGGER "{name}"')
    cache = cur.execute("PRAGMA cache_size").fetchone()[0]
    cur.execute("PRAGMA cache_size = -131072")  # 128 MiB while the index and R-tree grow
    has_rtree = cur.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'rtree_track_points_geom'"
    ).fetchone()[0]
    n = len(tracks)
    codes = [c.code for c in collectors]
    devices = [c.device_id for c in collectors]
    for lo in range(0, n, _CHUNK):  # in chunks: the row tuples of 1.4 M fixes take memory
        hi = min(n, lo + _CHUNK)
        ids = np.arange(first_id + lo, first_id + hi).tolist()
        ci = tracks.collector[lo:hi].tolist()
        cur.executemany(
            "INSERT INTO track_points (id, collector_code, device_id, fix_time, accuracy_m, "
            "speed_kmh, geom) VALUES (?, ?, ?, ?, ?, ?, ?)",
            zip(
                ids,
                [codes[i] for i in ci],
                [devices[i] for i in ci],
                utc_text(tracks.t[lo:hi]),
                tracks.accuracy[lo:hi].astype(float).tolist(),
                tracks.speed[lo:hi].astype(float).tolist(),
                gpkg_point_blobs(tracks.x[lo:hi], tracks.y[lo:hi], srid),
            ),
        )
        if has_rtree:
            xs, ys = tracks.x[lo:hi].tolist(), tracks.y[lo:hi].tolist()
            cur.executemany(
                "INSERT INTO rtree_track_points_geom VALUES (?, ?, ?, ?, ?)",
                zip(ids, xs, xs, ys, ys),
            )
    for _, sql in triggers:
        cur.execute(sql)
    cur.execute(f"PRAGMA cache_size = {int(cache)}")
    return n
