"""Roads as a graph, main roads and window areas, responsibility grids, collectors, routes.

The road network is noded once (1 cm precision); each edge knows its source road. Main roads
are every arterial, the roads of a few window areas (窗口地区) and secondary roads picked
until the total reaches ~380 km × scale. Each main-road piece belongs to the responsibility
grid of the unit grid beside it (probed 1.5 m to its left, so a road on a grid boundary is
not counted twice). A collector's prescribed route visits every main-road edge of their
responsibility grids: a greedy closed walk over shortest paths (scipy Dijkstra).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from shapely.geometry import LineString, MultiLineString

from . import names as N
from .geography import GRID_PRECISION_M, District

MAIN_ROAD_KM_AT_SCALE_1 = 380.0
WINDOW_RADIUS_M = 350.0
COLLECTORS_AT_SCALE_1 = 70
RESP_GRID_UNITS = 50


@dataclass
class RoadGraph:
    edges: np.ndarray  # LineStrings, oriented from node u to node v
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    road: np.ndarray  # index into district.roads
    node_xy: np.ndarray
    pair_edge: dict[tuple[int, int], int] = field(default_factory=dict)
    matrix: object = None

    def csgraph(self, removed: set[int] | None = None):
        keep = np.ones(len(self.edges), bool)
        if removed:
            keep[list(removed)] = False
        best: dict[tuple[int, int], int] = {}
        for e in np.flatnonzero(keep):
            a, b = int(self.u[e]), int(self.v[e])
            if a == b:
                continue
            key = (min(a, b), max(a, b))
            if key not in best or self.length[e] < self.length[best[key]]:
                best[key] = int(e)
        ids = np.array(sorted(best.values()), dtype=np.int64)
        n = len(self.node_xy)
        rows = np.concatenate([self.u[ids], self.v[ids]])
        cols = np.concatenate([self.v[ids], self.u[ids]])
        w = np.concatenate([self.length[ids], self.length[ids]])
        pair = {
            (min(int(self.u[e]), int(self.v[e])), max(int(self.u[e]), int(self.v[e]))): int(e)
            for e in ids
        }
        return coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr(), pair


def build_graph(district: District) -> RoadGraph:
    geoms = np.array([r.geom for r in district.roads], dtype=object)
    noded = shapely.get_parts(shapely.union_all(geoms, grid_size=GRID_PRECISION_M))
    noded = noded[(shapely.get_type_id(noded) == 1) & (shapely.length(noded) > 0.05)]
    # Drop the short overshoot stubs past junctions (one free end, under 1 m).
    ends = np.round(
        np.vstack([shapely.get_coordinates(shapely.get_point(noded, k)) for k in (0, -1)])
        / GRID_PRECISION_M
    ).astype(np.int64)
    _, inv, counts = np.unique(ends, axis=0, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    deg = counts[inv]
    m = len(noded)
    stub = (shapely.length(noded) < 1.0) & ((deg[:m] == 1) | (deg[m:] == 1))
    noded = noded[~stub]
    mid = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    road = shapely.STRtree(geoms).query_nearest(mid, all_matches=False)[1]
    start = shapely.get_coordinates(shapely.get_point(noded, 0))
    end = shapely.get_coordinates(shapely.get_point(noded, -1))
    keys = np.round(np.vstack([start, end]) / GRID_PRECISION_M).astype(np.int64)
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    n = len(noded)
    return RoadGraph(
        edges=noded,
        u=inv[:n],
        v=inv[n:],
        length=shapely.length(noded),
        road=road,
        node_xy=uniq * GRID_PRECISION_M,
    )


# --------------------------------------------------------------------------- resp grids


@dataclass
class RespGrids:
    codes: list[str]
    names: list[str]
    street_codes: list[str]
    unit_resp: np.ndarray  # resp grid index per unit grid
    geoms: np.ndarray


def build_resp_grids(district: District) -> RespGrids:
    """Each community split into chunks of ~50 unit grids along its longer axis."""
    c = shapely.centroid(district.grid_geoms)
    x, y = shapely.get_x(c), shapely.get_y(c)
    unit_resp = np.full(len(district.grid_geoms), -1, dtype=np.int64)
    codes, names, streets = [], [], []
    for ci, ccode in enumerate(district.community_codes):
        m = np.flatnonzero(district.grid_community == ci)
        if len(m) == 0:
            continue
        k = max(1, round(len(m) / RESP_GRID_UNITS))
        wide = np.ptp(x[m]) >= np.ptp(y[m])
        key = x[m] if wide else -y[m]
        order = m[np.argsort(key, kind="stable")]
        for j, chunk in enumerate(np.array_split(order, k)):
            unit_resp[chunk] = len(codes)
            codes.append(f"{ccode}{j + 1:02d}")
            names.append(f"{district.community_names[ci]}{j + 1}号责任网格")
            streets.append(district.street_codes[district.community_street[ci]])
    geoms = np.array(
        [shapely.union_all(district.grid_geoms[unit_resp == r]) for r in range(len(codes))],
        dtype=object,
    )
    return RespGrids(codes, names, streets, unit_resp, geoms)


# --------------------------------------------------------------------------- main roads


@dataclass
class MainRoads:
    edge_is_main: np.ndarray  # bool per graph edge
    edge_kind: np.ndarray  # "main_road" | "window_area" | "" per graph edge
    edge_name: np.ndarray
    edge_resps: list[set[int]]  # resp grids each main edge runs through
    rows: list[dict]  # main_roads table rows: kind, name, resp index, geom
    windows: list[dict]
    total_m: float


def select_main_roads(
    district: District, graph: RoadGraph, resp: RespGrids, rng: np.random.Generator
) -> MainRoads:
    roads = district.roads
    n_roads = len(roads)
    kind = np.array([""] * n_roads, dtype=object)
    label = np.array([r.name for r in roads], dtype=object)
    for i, r in enumerate(roads):
        if r.kind == "arterial":
            kind[i] = "main_road"

    # Window areas: around a few block grids well inside the district.
    n_win = max(1, round(6 * district.scale))
    inner = np.flatnonzero(
        shapely.contains(district.boundary.buffer(-600.0), shapely.centroid(district.grid_geoms))
        & (district.grid_kind == "block")
    )
    centres: list = []
    for g in rng.permutation(inner):
        p = district.grid_geoms[g].centroid
        if all(p.distance(q) > 3 * WINDOW_RADIUS_M for q in centres):
            centres.append(p)
        if len(centres) == n_win:
            break
    road_geoms = np.array([r.geom for r in roads], dtype=object)
    windows = []
    for w, p in enumerate(centres):
        wname = N.WINDOW_AREAS[w % len(N.WINDOW_AREAS)]
        near = np.flatnonzero(
            (shapely.distance(road_geoms, p) < WINDOW_RADIUS_M) & (kind != "main_road")
        )
        for i in near:
            kind[i] = "window_area"
            label[i] = f"{wname}·{roads[i].name}"
        windows.append({"name": wname, "x": round(p.x, 2), "y": round(p.y, 2), "roads": len(near)})

    lengths = shapely.length(road_geoms)
    target = MAIN_ROAD_KM_AT_SCALE_1 * 1000.0 * district.scale
    total = float(lengths[kind != ""].sum())
    for i in rng.permutation(n_roads):
        if total >= target:
            break
        if kind[i] == "" and lengths[i] > 80.0:
            kind[i] = "main_road"
            total += float(lengths[i])

    edge_kind = kind[graph.road]
    edge_name = label[graph.road]
    edge_is_main = edge_kind != ""
    rows, edge_resps = _assign_to_resp_grids(
        district, graph, resp, edge_is_main, edge_kind, edge_name
    )
    return MainRoads(
        edge_is_main,
        edge_kind,
        edge_name,
        edge_resps,
        rows,
        windows,
        float(graph.length[edge_is_main].sum()),
    )


def _assign_to_resp_grids(district, graph, resp, edge_is_main, edge_kind, edge_name):
    main = np.flatnonzero(edge_is_main)
    dense = shapely.segmentize(graph.edges[main], 10.0)
    coords, idx = shapely.get_coordinates(dense, return_index=True)
    same = idx[1:] == idx[:-1]
    a = coords[:-1][same]
    b = coords[1:][same]
    seg_edge = idx[:-1][same]
    d = b - a
    ln = np.hypot(d[:, 0], d[:, 1])
    ln[ln == 0] = 1.0
    nx, ny = -d[:, 1] / ln, d[:, 0] / ln
    mx, my = (a[:, 0] + b[:, 0]) / 2, (a[:, 1] + b[:, 1]) / 2
    tree = shapely.STRtree(district.grid_geoms)
    seg_grid = np.full(len(a), -1, dtype=np.int64)
    for side in (1.5, -1.5, 6.0, -6.0):
        todo = np.flatnonzero(seg_grid < 0)
        if len(todo) == 0:
            break
        pts = shapely.points(mx[todo] + side * nx[todo], my[todo] + side * ny[todo])
        pi, gi = tree.query(pts, predicate="within")
        first = np.unique(pi, return_index=True)
        seg_grid[todo[first[0]]] = gi[first[1]]
    todo = np.flatnonzero(seg_grid < 0)
    if len(todo):
        seg_grid[todo] = tree.nearest(shapely.points(mx[todo], my[todo]))
    seg_resp = resp.unit_resp[seg_grid]

    edge_resps: list[set[int]] = [set() for _ in range(len(graph.edges))]
    pieces: dict[tuple[str, str, int], list[LineString]] = {}
    # Runs of consecutive segments of one edge in one resp grid become one line.
    brk = np.flatnonzero((seg_edge[1:] != seg_edge[:-1]) | (seg_resp[1:] != seg_resp[:-1])) + 1
    starts = np.concatenate([[0], brk])
    ends = np.concatenate([brk, [len(a)]])
    for s, e in zip(starts, ends):
        edge = int(main[seg_edge[s]])
        r = int(seg_resp[s])
        edge_resps[edge].add(r)
        pts = np.vstack([a[s:e], b[e - 1 : e]])
        key = (str(edge_kind[edge]), str(edge_name[edge]), r)
        pieces.setdefault(key, []).append(LineString(pts))
    rows = []
    for (kind, name, r), parts in sorted(pieces.items(), key=lambda kv: (kv[0][2], kv[0][1])):
        merged = shapely.line_merge(MultiLineString(parts))
        geom = merged if merged.geom_type == "MultiLineString" else MultiLineString([merged])
        rows.append({"kind": kind, "name": name, "resp": r, "geom": geom})
    return rows, edge_resps


# --------------------------------------------------------------------------- collectors


@dataclass
class Collector:
    code: str
    name: str
    device_id: str
    resps: list[int]
    mode: str  # "ebike" | "walk"
    required: list[int]  # graph edges of the route


def build_collectors(
    district: District, resp: RespGrids, mains: MainRoads, rng: np.random.Generator
) -> list[Collector]:
    n = max(3, round(COLLECTORS_AT_SCALE_1 * district.scale))
    n = min(n, len(resp.codes))
    names = N.person_names(rng, n)
    chunks = np.array_split(np.arange(len(resp.codes)), n)
    out = []
    for i, chunk in enumerate(chunks):
        rs = [int(r) for r in chunk]
        rset = set(rs)
        req = [e for e in np.flatnonzero(mains.edge_is_main) if mains.edge_resps[e] & rset]
        imei = "86" + "".join(str(d) for d in rng.integers(0, 10, 13))
        out.append(
            Collector(
                code=f"CJ{i + 1:03d}",
                name=names[i],
                device_id=f"imei:{imei}",
                resps=rs,
                mode="ebike" if rng.random() < 0.6 else "walk",
                required=[int(e) for e in req],
            )
        )
    return out


class Router:
    """Shortest paths on the road graph, with some edges closed."""

    def __init__(self, graph: RoadGraph, removed: set[int] | None = None) -> None:
        self.graph = graph
        self.matrix, self.pair = graph.csgraph(removed)
        self.removed = removed or set()
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def from_node(self, node: int) -> tuple[np.ndarray, np.ndarray]:
        if node not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[node] = dijkstra(
                self.matrix, directed=False, indices=node, return_predecessors=True
            )
        return self._cache[node]

    def path_edges(self, a: int, b: int) -> list[tuple[int, bool]] | None:
        """Edges (id, forward) from node a to node b, or None when unreachable."""
        dist, pred = self.from_node(a)
        if not np.isfinite(dist[b]):
            return None
        nodes = [b]
        while nodes[-1] != a:
            nodes.append(int(pred[nodes[-1]]))
        nodes.reverse()
        out = []
        for p, q in zip(nodes[:-1], nodes[1:]):
            e = self.pair[(min(p, q), max(p, q))]
            out.append((e, int(self.graph.u[e]) == p))
        return out


def plan_tour(
    router: Router, required: list[int], start: int | None = None
) -> list[tuple[int, bool]]:
    """A closed walk from ``start`` covering every reachable required edge (greedy)."""
    g = router.graph
    todo = {e for e in required if e not in router.removed}
    if not todo:
        return []
    first = min(todo)
    cur = int(g.u[first]) if start is None else start
    home = cur
    walk: list[tuple[int, bool]] = []
    while todo:
        dist, _ = router.from_node(cur)
        best, best_d, best_fwd = -1, math.inf, True
        for e in sorted(todo):
            for node, fwd in ((int(g.u[e]), True), (int(g.v[e]), False)):
                if dist[node] < best_d:
                    best, best_d, best_fwd = e, dist[node], fwd
        if best < 0:  # the rest is unreachable
            break
        entry = int(g.u[best]) if best_fwd else int(g.v[best])
        for e, fwd in router.path_edges(cur, entry) or []:
            walk.append((e, fwd))
            todo.discard(e)
        walk.append((best, best_fwd))
        todo.discard(best)
        cur = int(g.v[best]) if best_fwd else int(g.u[best])
    walk += router.path_edges(cur, home) or []
    return walk


def walk_coords(graph: RoadGraph, walk: list[tuple[int, bool]]) -> np.ndarray:
    parts = []
    for e, fwd in walk:
        c = shapely.get_coordinates(graph.edges[e])
        parts.append(c if fwd else c[::-1])
    if not parts:
        return np.zeros((0, 2))
    out = np.vstack(parts)
    keep = np.ones(len(out), bool)
    keep[1:] = np.any(np.abs(np.diff(out, axis=0)) > 1e-9, axis=1)
    return out[keep]


def connected(graph: RoadGraph, removed: set[int]) -> bool:
    m, _ = graph.csgraph(removed)
    _, labels = connected_components(m, directed=False)
    used = np.unique(np.concatenate([graph.u, graph.v]))
    return len(np.unique(labels[used])) == 1
