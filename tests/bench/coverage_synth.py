"""Synthetic demo-scale patrol data for the coverage bench (and, small, for tests).

A square district in EPSG:4549 (CGCS2000 / 3-degree GK CM 120E, Suzhou) with 100 m unit
grids, a lattice of curved main roads every ~530 m, and collectors who walk or e-bike their
own territory on the road graph 8 hours a day for 7 days, one fix every 10 s with GPS noise,
phone-off gaps, single-fix jumps, a few real relocations, null times and null positions.
Some road edges are closed to everyone, so some grids fail the weekly coverage.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

EPSG = 4549
X0, Y0 = 500_000.0, 3_460_000.0  # south-west corner of the district
ROAD_SPACING = 520.0
GRID = 100.0
SHIFT_S = 8 * 3600
FIX_S = 10
WEEK_START = 1714953600  # 2024-05-06 00:00 UTC; shifts start 08:00 Asia/Shanghai = 00:00 UTC


@dataclass
class District:
    side: float
    grid_polys: np.ndarray
    grid_codes: np.ndarray
    resp_codes: np.ndarray  # responsibility grid of each unit grid
    road_lines: np.ndarray
    route_collectors: np.ndarray  # collector owning each road edge ("" for closed edges)
    fx: np.ndarray
    fy: np.ndarray
    ft: np.ndarray  # int64 epoch seconds; NULL_TIME for null
    fcol: np.ndarray  # collector label per fix (object)
    collectors: list[str]


def make_district(scale: float = 1.0, seed: int = 7, days: int = 7) -> District:
    """Data whose area and fix count grow with ``scale`` (1 = 10 km x 10 km, ~1.4M fixes)."""
    rng = np.random.default_rng(seed)
    side = 10_000.0 * np.sqrt(scale)
    n_cells = round(side / GRID)
    side = n_cells * GRID
    grid_polys, grid_codes, resp_codes = _grids(n_cells)
    nodes, edges, edge_lines = _roads(side, rng)
    n_col = round(78 * scale)
    owner = _territories(nodes, edges, side, n_col, rng)
    closed = rng.random(len(edges)) < 0.03
    owner_label = np.array(
        ["" if closed[e] else f"C{owner[e]:03d}" for e in range(len(edges))], dtype=object
    )
    fx, fy, ft, fcol = _tracks(nodes, edges, edge_lines, owner, closed, n_col, days, rng)
    lines = shapely.linestrings(
        np.concatenate(edge_lines)[:, 0] + X0,
        np.concatenate(edge_lines)[:, 1] + Y0,
        indices=np.repeat(np.arange(len(edge_lines)), [len(c) for c in edge_lines]),
    )
    grid_polys = shapely.transform(grid_polys, lambda c: c + np.array([X0, Y0]))
    return District(
        side,
        grid_polys,
        grid_codes,
        resp_codes,
        lines,
        owner_label,
        fx + X0,
        fy + Y0,
        ft,
        fcol,
        [f"C{i:03d}" for i in range(n_col)],
    )


def _grids(n: int):
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="xy")
    i, j = i.ravel(), j.ravel()
    polys = shapely.box(i * GRID, j * GRID, (i + 1) * GRID, (j + 1) * GRID)
    # Communities of 10 x 10 grids numbered west->east, north->south; streets of 10 communities.
    row_from_north = n - 1 - j
    comm = (row_from_north // 10) * ((n + 9) // 10) + i // 10
    street = comm // 10 + 1
    comm_in_street = comm % 10 + 1
    seq = (row_from_north % 10) * 10 + i % 10 + 1
    codes = np.array(
        [f"320508{s:03d}{c:03d}{q:03d}" for s, c, q in zip(street, comm_in_street, seq)],
        dtype=object,
    )
    # Responsibility grids: blocks of 10 x 5 unit grids (50 each).
    resp = (row_from_north // 5) * ((n + 9) // 10) + i // 10
    resp_codes = np.array([f"R{r:05d}" for r in resp], dtype=object)
    return polys, codes, resp_codes


def _roads(side: float, rng):
    """Lattice road graph: nodes at intersections and border ends, curved edges."""
    k = int(side // ROAD_SPACING)
    pos = ROAD_SPACING / 2 + np.arange(k) * ROAD_SPACING
    cols = np.concatenate([[0.0], pos, [side]])
    nodes = np.zeros((len(cols), len(cols), 2))
    for a in range(len(cols)):
        for b in range(len(cols)):
            nodes[a, b] = cols[a], cols[b]
    jit = rng.uniform(-40, 40, nodes.shape)
    jit[0, :, 0] = jit[-1, :, 0] = 0
    jit[:, 0, 1] = jit[:, -1, 1] = 0
    nodes = nodes + jit
    ids = -np.ones((len(cols), len(cols)), dtype=np.int64)
    node_xy = []
    m = len(cols)
    for a in range(m):
        for b in range(m):
            corner = a in (0, m - 1) and b in (0, m - 1)
            border = a in (0, m - 1) or b in (0, m - 1)
            if corner or (border and not (0 < a < m - 1 or 0 < b < m - 1)):
                continue
            ids[a, b] = len(node_xy)
            node_xy.append(nodes[a, b])
    node_xy = np.array(node_xy)
    edges, lines = [], []
    for a in range(m):
        for b in range(m):
            for da, db in ((1, 0), (0, 1)):
                a2, b2 = a + da, b + db
                if a2 >= m or b2 >= m or ids[a, b] < 0 or ids[a2, b2] < 0:
                    continue
                # Border-to-border runs along the district edge are not roads.
                if (da == 1 and b in (0, m - 1)) or (db == 1 and a in (0, m - 1)):
                    continue
                p, q = node_xy[ids[a, b]], node_xy[ids[a2, b2]]
                edges.append((ids[a, b], ids[a2, b2]))
                lines.append(_curve(p, q, rng))
    return node_xy, np.array(edges), lines


def _curve(p, q, rng) -> np.ndarray:
    d = q - p
    length = float(np.hypot(*d))
    n = max(2, int(length // 40) + 1)
    f = np.linspace(0, 1, n)
    normal = np.array([-d[1], d[0]]) / length
    amp = rng.uniform(-15, 15)
    bulge = amp * np.sin(np.pi * f)
    pts = p + np.outer(f, d) + np.outer(bulge, normal)
    pts[0], pts[-1] = p, q
    return pts


def _territories(nodes, edges, side, n_col, rng):
    mid = (nodes[edges[:, 0]] + nodes[edges[:, 1]]) / 2
    g = int(np.ceil(np.sqrt(n_col)))
    seeds = []
    for r in range(g):
        for c in range(g):
            if len(seeds) < n_col:
                seeds.append(((c + 0.5) * side / g, (r + 0.5) * side / g))
    seeds = np.array(seeds) + rng.uniform(-100, 100, (n_col, 2))
    d = np.hypot(mid[:, None, 0] - seeds[None, :, 0], mid[:, None, 1] - seeds[None, :, 1])
    return np.argmin(d, axis=1)


def _tracks(nodes, edges, edge_lines, owner, closed, n_col, days, rng):
    n_nodes = len(nodes)
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for e, (u, v) in enumerate(edges):
        if not closed[e]:
            adj[u].append((e, v))
            adj[v].append((e, u))
    xs, ys, ts, cs = [], [], [], []
    for c in range(n_col):
        own = np.flatnonzero((owner == c) & ~closed)
        if len(own) == 0:
            continue
        own_nodes = set(edges[own].ravel().tolist())
        dist = _bfs(adj, own_nodes, n_nodes)
        speed = 1.3 if rng.random() < 0.6 else 4.0
        visits = np.zeros(len(edges))
        for day in range(days):
            if rng.random() < 0.05:
                continue  # day off
            t0 = WEEK_START + day * 86400
            path = _walk(adj, edges, edge_lines, owner, c, own, dist, visits, speed, rng)
            x, y, t = _sample(path, speed, t0, rng)
            if rng.random() < 0.2:  # a real relocation: the rest of the day somewhere else
                path2 = _walk(adj, edges, edge_lines, owner, c, own, dist, visits, speed, rng)
                x2, y2, _ = _sample(path2, speed, t0, rng)
                cut = rng.integers(len(x) // 4, 3 * len(x) // 4)
                x = np.concatenate([x[:cut], x2[cut : len(x)]])
                y = np.concatenate([y[:cut], y2[cut : len(y)]])
                t = t[: len(x)]
            keep = np.ones(len(x), dtype=bool)
            for _ in range(rng.integers(1, 4)):  # phone off for 3-20 minutes
                a = rng.integers(0, len(x))
                keep[a : a + rng.integers(18, 120)] = False
            x, y, t = x[keep], y[keep], t[keep]
            jumps = rng.random(len(x)) < 0.002
            ang = rng.uniform(0, 2 * np.pi, jumps.sum())
            r = rng.uniform(200, 2000, jumps.sum())
            x[jumps] += r * np.cos(ang)
            y[jumps] += r * np.sin(ang)
            xs.append(x)
            ys.append(y)
            ts.append(t)
            cs.append(np.full(len(x), c))
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    t = np.concatenate(ts).astype(np.int64)
    col = np.concatenate(cs)
    labels = np.array([f"C{i:03d}" for i in range(n_col)], dtype=object)[col]
    null_t = rng.random(len(t)) < 0.0001
    t[null_t] = np.iinfo(np.int64).min
    null_xy = rng.random(len(t)) < 0.0001
    x[null_xy] = np.nan
    y[null_xy] = np.nan
    return x, y, t, labels


def _bfs(adj, sources, n):
    dist = np.full(n, 1 << 30)
    q = deque()
    for s in sources:
        dist[s] = 0
        q.append(s)
    while q:
        u = q.popleft()
        for _, v in adj[u]:
            if dist[v] > dist[u] + 1:
                dist[v] = dist[u] + 1
                q.append(v)
    return dist


def _walk(adj, edges, edge_lines, owner, c, own, dist, visits, speed, rng):
    """Greedy patrol: least-visited own edge next, else head back to the territory."""
    need = speed * SHIFT_S * 1.1
    u = int(edges[rng.choice(own)][0])
    pts = [np.array([[*edge_lines[own[0]][0]]])[:0]]
    walked = 0.0
    first = True
    while walked < need:
        opts = adj[u]
        if not opts:
            break
        own_opts = [(e, v) for e, v in opts if owner[e] == c]
        if own_opts:
            w = np.array([visits[e] for e, _ in own_opts]) + rng.random(len(own_opts)) * 0.5
            e, v = own_opts[int(np.argmin(w))]
        else:
            best = min(dist[v] for _, v in opts)
            cand = [(e, v) for e, v in opts if dist[v] == best]
            e, v = cand[rng.integers(len(cand))]
        visits[e] += 1
        line = edge_lines[e]
        seg = line if edges[e][0] == u else line[::-1]
        pts.append(seg if first else seg[1:])
        first = False
        walked += float(np.hypot(*np.diff(seg, axis=0).T).sum())
        u = v
    return np.concatenate(pts)


def _sample(path, speed, t0, rng):
    n = SHIFT_S // FIX_S
    step = speed * FIX_S * rng.uniform(0.5, 1.3, n)
    step[rng.random(n) < 0.05] = 0.0  # stops to report a case
    s = np.concatenate([[0.0], np.cumsum(step[:-1])])
    chain = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))])
    s = np.minimum(s, chain[-1])
    x = np.interp(s, chain, path[:, 0]) + rng.normal(0, 3.5, n)
    y = np.interp(s, chain, path[:, 1]) + rng.normal(0, 3.5, n)
    t = t0 + np.arange(n) * FIX_S
    return x, y, t


# --------------------------------------------------------------------------- GeoPackage


def write_gpkg(d: District, path: Path) -> None:
    """Layers grids, roads, routes, resp_grids (table), tracks; tracks written in bulk."""
    from osgeo import ogr, osr

    path = Path(path)
    if path.exists():
        path.unlink()
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(path))

    def layer(name, gtype, fields, rows, geoms, srs_=srs):
        lyr = ds.CreateLayer(name, srs_, gtype, ["FID=fid"])
        for fname, ftype in fields:
            lyr.CreateField(ogr.FieldDefn(fname, ftype))
        defn = lyr.GetLayerDefn()
        lyr.StartTransaction()
        for vals, g in zip(rows, geoms):
            f = ogr.Feature(defn)
            for (fname, _), v in zip(fields, vals):
                f.SetField(fname, v)
            if g is not None:
                f.SetGeometry(ogr.CreateGeometryFromWkb(g))
            lyr.CreateFeature(f)
        lyr.CommitTransaction()

    wkb = shapely.to_wkb
    layer(
        "grids",
        ogr.wkbPolygon,
        [("grid_code", ogr.OFTString)],
        [(c,) for c in d.grid_codes],
        wkb(d.grid_polys),
    )
    layer(
        "roads",
        ogr.wkbLineString,
        [("name", ogr.OFTString)],
        [(f"road {i}",) for i in range(len(d.road_lines))],
        wkb(d.road_lines),
    )
    owned = np.array([c != "" for c in d.route_collectors])
    routes = [
        (c, shapely.multilinestrings(d.road_lines[owned][d.route_collectors[owned] == c]))
        for c in d.collectors
        if np.any(d.route_collectors[owned] == c)
    ]
    layer(
        "routes",
        ogr.wkbMultiLineString,
        [("collector", ogr.OFTString)],
        [(c,) for c, _ in routes],
        [wkb(g) for _, g in routes],
    )
    layer(
        "resp_grids",
        ogr.wkbNone,
        [("unit_code", ogr.OFTString), ("resp_code", ogr.OFTString)],
        list(zip(d.grid_codes, d.resp_codes)),
        [None] * len(d.grid_codes),
    )
    lyr = ds.CreateLayer("tracks", srs, ogr.wkbPoint, ["FID=fid", "SPATIAL_INDEX=NO"])
    lyr.CreateField(ogr.FieldDefn("collector", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("t", ogr.OFTDateTime))
    ds = None
    _bulk_points(path, d)
    ds = ogr.Open(str(path), 1)
    ds.ExecuteSQL("SELECT CreateSpatialIndex('tracks', 'geom')")
    ds = None


def _bulk_points(path: Path, d: District) -> None:
    write_points(path, "tracks", d.fx, d.fy, {"collector": d.fcol.tolist()}, d.ft)


def write_points(path, table: str, x, y, columns: dict, t=None) -> None:
    """Insert points into an existing GeoPackage table with sqlite3 (blobs built by numpy).

    ``columns``: name -> list of values; ``t``: epoch seconds for column "t" (NULL_TIME = null).
    """
    n = len(x)
    rec = np.zeros(
        n,
        dtype=np.dtype(
            [
                ("magic", "S2"),
                ("ver", "u1"),
                ("flags", "u1"),
                ("srs", "<i4"),
                ("bo", "u1"),
                ("typ", "<u4"),
                ("x", "<f8"),
                ("y", "<f8"),
            ],
            align=False,
        ),
    )
    rec["magic"] = b"GP"
    rec["flags"] = 1
    rec["srs"] = EPSG
    rec["bo"] = 1
    rec["typ"] = 1
    rec["x"] = x
    rec["y"] = y
    raw = rec.tobytes()
    size = rec.dtype.itemsize
    null_xy = ~np.isfinite(np.asarray(x, dtype=float))
    geoms = [
        None if nx else raw[i * size : (i + 1) * size] for i, nx in enumerate(null_xy.tolist())
    ]
    cols = dict(columns)
    if t is not None:
        null_t = t == np.iinfo(np.int64).min
        stamps = np.datetime_as_string(np.where(null_t, 0, t).astype("datetime64[s]"), unit="s")
        cols["t"] = [None if nt else s + ".000Z" for s, nt in zip(stamps.tolist(), null_t.tolist())]
    names = list(cols)
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA synchronous=OFF")
    con.executemany(
        f"INSERT INTO {table} (geom, {', '.join(names)}) VALUES (?{', ?' * len(names)})",
        zip(geoms, *[cols[k] for k in names]),
    )
    ok = ~null_xy
    con.execute(
        "UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?",
        (
            float(np.min(x[ok])),
            float(np.min(y[ok])),
            float(np.max(x[ok])),
            float(np.max(y[ok])),
            table,
        ),
    )
    # OGR keeps the feature count here; a bulk insert behind its back must refresh it.
    con.execute(
        f"UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM {table}) "
        "WHERE table_name = ?",
        (table,),
    )
    con.commit()
    con.close()
