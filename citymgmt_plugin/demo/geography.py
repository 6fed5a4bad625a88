"""The demo district's geography: boundary, roads, canal, communities and unit grids.

Everything is built in EPSG:4549 metres from one random generator, so the same seed gives
the same district. The construction, from coarse to fine:

1. a slightly wobbly square boundary (10 km × 10 km at scale 1, side ∝ √scale);
2. arterials (north-south and east-west, ~1 km apart, wavy, slightly tilted) and one canal;
   their centrelines cut the district into *superblocks*, one per community;
3. in each superblock, secondary roads: east-west ones across it, north-south ones inside each
   band between them (so they meet in T-junctions, not a lattice);
4. *faces*: blocks between roads, 30 m arterial strips (road grids) and the canal strip,
   polygonised from kerb lines, banks and secondary centrelines (one noding, so neighbours
   share exact edges); small crossing squares are merged into a neighbouring strip piece;
5. unit grids: every face cut by jittered ~100 m cuts (strips: ~300 m pieces), small pieces
   merged into the neighbour sharing the longest edge: a tessellation without gaps or overlaps;
6. numbering west→east, north→south inside each community; then a documented handful of
   deliberate topology defects (:func:`add_defects`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box

from . import names as N

TARGET_GRID_M2 = 10_000.0
ARTERIAL_SPACING_M = 1_000.0
ARTERIAL_HALF_WIDTH_M = 15.0
CANAL_HALF_WIDTH_M = 12.0
SECONDARY_SPACING_M = (220.0, 320.0)
CENTRE = (558_000.0, 3_465_000.0)
GRID_PRECISION_M = 0.01


@dataclass
class Road:
    name: str
    kind: str  # "arterial" | "secondary"
    geom: LineString
    community: int = -1  # secondary roads: the superblock they were drawn in


@dataclass
class District:
    scale: float
    side_m: float
    boundary: Polygon
    canal: LineString
    canal_strip: Polygon
    roads: list[Road]
    # communities (one per superblock), sorted north→south, west→east inside streets
    community_codes: list[str]
    community_names: list[str]
    community_street: np.ndarray  # street index per community
    community_geoms: np.ndarray  # polygons (union of their grids, before defects)
    street_codes: list[str]
    street_names: list[str]
    street_geoms: np.ndarray
    # unit grids
    grid_geoms: np.ndarray  # Polygon / MultiPolygon, final (with defects)
    grid_codes: list[str]
    grid_community: np.ndarray  # community index per grid
    grid_kind: np.ndarray  # "block" | "road" | "water"
    defects: list[dict] = field(default_factory=list)

    @property
    def area_m2(self) -> float:
        return float(self.boundary.area)


# --------------------------------------------------------------------------- helpers


def _wavy_line(
    rng: np.random.Generator,
    vertical: bool,
    pos: float,
    lo: float,
    hi: float,
    amp: float,
    step: float = 250.0,
) -> LineString:
    """A long road or river: a straight line at ``pos``, tilted a little, with smooth waves."""
    t = np.arange(lo, hi + step, step)
    tilt = rng.uniform(-0.03, 0.03)
    phase1, phase2 = rng.uniform(0, 2 * np.pi, 2)
    wave = amp * (
        0.7 * np.sin(2 * np.pi * (t - lo) / rng.uniform(2500, 4500) + phase1)
        + 0.3 * np.sin(2 * np.pi * (t - lo) / rng.uniform(700, 1200) + phase2)
    )
    off = pos + tilt * (t - (lo + hi) / 2) + wave
    pts = np.column_stack([off, t]) if vertical else np.column_stack([t, off])
    return LineString(pts)


def _boundary(rng: np.random.Generator, side: float) -> Polygon:
    cx, cy = CENTRE
    x0, y0, x1, y1 = cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2
    amp = 0.025 * side
    n = max(8, int(side / 100))
    ring = []
    corners = [(x0, y1), (x1, y1), (x1, y0), (x0, y0)]  # clockwise from north-west
    for k in range(4):
        (ax, ay), (bx, by) = corners[k], corners[(k + 1) % 4]
        u = np.arange(n) / n
        ph = rng.uniform(0, 2 * np.pi, 2)
        w = amp * (
            0.6 * np.sin(np.pi * u) * np.sin(2 * np.pi * u * 1.5 + ph[0])
            + 0.4 * np.sin(np.pi * u) * np.sin(2 * np.pi * u * 4 + ph[1])
        )
        nx, ny = (by - ay), -(bx - ax)  # outward normal for a clockwise ring
        ln = math.hypot(nx, ny)
        ring += list(zip(ax + (bx - ax) * u + w * nx / ln, ay + (by - ay) * u + w * ny / ln))
    poly = Polygon(ring)
    return poly if poly.is_valid else shapely.make_valid(poly).buffer(0)


def _cut_positions(lo: float, hi: float, spacing: float, rng: np.random.Generator) -> np.ndarray:
    """Interior cut positions between lo and hi, about ``spacing`` apart, jittered."""
    n = max(1, round((hi - lo) / spacing))
    step = (hi - lo) / n
    pos = lo + step * np.arange(1, n)
    return pos + rng.uniform(-0.15, 0.15, len(pos)) * step


def _polygons(geom) -> list[Polygon]:
    return [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > 1e-6]


def _shared_length(a, others: np.ndarray) -> np.ndarray:
    if len(others) == 0:
        return np.zeros(0)
    return shapely.length(shapely.intersection(a.boundary, shapely.boundary(others)))


def merge_small(polys: list, min_area: float) -> list:
    """Merge pieces smaller than ``min_area`` into the touching piece with the longest edge."""
    polys = list(polys)
    changed = True
    while changed:
        changed = False
        areas = np.array([p.area for p in polys])
        for i in np.argsort(areas, kind="stable"):
            if areas[i] >= min_area or len(polys) < 2:
                break
            others = np.array([p for k, p in enumerate(polys) if k != i], dtype=object)
            idx = [k for k in range(len(polys)) if k != i]
            shared = _shared_length(polys[i], others)
            j = int(np.argmax(shared)) if len(shared) else -1
            if j < 0 or shared[j] < 0.5:
                continue
            merged = shapely.union(polys[i], polys[idx[j]])
            if merged.geom_type != "Polygon":
                continue
            polys[idx[j]] = merged
            del polys[i]
            changed = True
            break
    return polys


def subdivide(
    poly: Polygon, cw: float, ch: float, rng: np.random.Generator, min_area: float
) -> list[Polygon]:
    """Cut ``poly`` by jittered axis-parallel cuts ~cw × ch apart; merge the crumbs."""
    minx, miny, maxx, maxy = poly.bounds
    xs = np.concatenate([[minx - 1], _cut_positions(minx, maxx, cw, rng), [maxx + 1]])
    ys = np.concatenate([[miny - 1], _cut_positions(miny, maxy, ch, rng), [maxy + 1]])
    if len(xs) == 2 and len(ys) == 2:
        return [poly]
    boxes = [
        box(xs[i], ys[j], xs[i + 1], ys[j + 1])
        for j in range(len(ys) - 1)
        for i in range(len(xs) - 1)
    ]
    pieces = []
    for g in shapely.intersection(poly, np.array(boxes, dtype=object)):
        pieces += _polygons(g)
    return merge_small(pieces, min_area)


# --------------------------------------------------------------------------- build


def _long_lines(
    rng: np.random.Generator, side: float, margin: float
) -> tuple[LineString, list[Road], int]:
    """The canal, at ~70 % of the height, and the arterials ~1 km apart (east-west ones
    keep 300 m away from the canal), overshooting the district by ``margin``; the number
    of north-south arterials (listed first)."""
    cx, cy = CENTRE
    x0, y0 = cx - side / 2, cy - side / 2
    canal = _wavy_line(rng, False, y0 + 0.7 * side, x0 - margin, x0 + side + margin, 80.0)
    canal_y = y0 + 0.7 * side
    ns_pos = _cut_positions(x0, x0 + side, ARTERIAL_SPACING_M, rng)
    ew_pos = [
        y
        for y in _cut_positions(y0, y0 + side, ARTERIAL_SPACING_M, rng)
        if abs(y - canal_y) > 300.0
    ]
    arterials: list[Road] = []
    for i, x in enumerate(ns_pos):
        g = _wavy_line(rng, True, x, y0 - margin, y0 + side + margin, 35.0)
        arterials.append(Road(N.NS_ROADS[i % len(N.NS_ROADS)], "arterial", g))
    for i, y in enumerate(sorted(ew_pos, reverse=True)):
        g = _wavy_line(rng, False, y, x0 - margin, x0 + side + margin, 35.0)
        arterials.append(Road(N.EW_ROADS[i % len(N.EW_ROADS)], "arterial", g))
    return canal, arterials, len(ns_pos)


def _faces_of(boundary: Polygon, lines: list) -> np.ndarray:
    """The polygons the lines and the boundary cut the district into (one noding)."""
    noded = shapely.union_all([boundary.exterior, *lines], grid_size=GRID_PRECISION_M)
    faces = [
        p
        for p in _polygons(shapely.polygonize(shapely.get_parts(noded)))
        if boundary.contains(p.representative_point())
    ]
    return np.array(faces, dtype=object)


def _road_faces(
    boundary: Polygon, long_lines: list, long_canal: LineString, secondary: list
) -> np.ndarray:
    """Faces: blocks, strip pieces, crossings. Kerbs and banks from the long lines, cut a
    little outside the boundary: they must cross it to close the faces along the edge."""
    kerbs = []
    for g in long_lines:
        for d in (-ARTERIAL_HALF_WIDTH_M, ARTERIAL_HALF_WIDTH_M):
            kerbs.append(shapely.offset_curve(g, d))
    banks = [shapely.offset_curve(long_canal, d) for d in (-CANAL_HALF_WIDTH_M, CANAL_HALF_WIDTH_M)]
    outside = boundary.buffer(2.0)
    lines = [shapely.intersection(g, outside) for g in kerbs + banks]
    lines += [g for g, _ in secondary]
    return _faces_of(boundary, lines)


def _unit_grids(
    faces: np.ndarray, kinds: np.ndarray, community: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every face cut into unit grids (blocks ~100 m, strips ~300 m pieces): the grids,
    their community and kind (block, road, water)."""
    min_area = 0.35 * TARGET_GRID_M2
    side_cell = 103.0  # a little over 100 m: merged crumbs make grids smaller on average
    grid_polys: list[Polygon] = []
    grid_comm: list[int] = []
    grid_kind: list[str] = []
    for f, k, c in zip(faces, kinds, community):
        if k == "block":
            parts = subdivide(f, side_cell, side_cell, rng, min_area)
        elif k in ("road_ew", "water"):
            parts = subdivide(f, 300.0, 1e9, rng, 0.4 * 30 * 300)
        elif k == "road_ns":
            parts = subdivide(f, 1e9, 300.0, rng, 0.4 * 30 * 300)
        else:
            parts = [f]
        grid_polys += parts
        grid_comm += [c] * len(parts)
        grid_kind += ["water" if k == "water" else "block" if k == "block" else "road"] * len(parts)
    return np.array(grid_polys, dtype=object), np.array(grid_comm), grid_kind


@dataclass
class _Admin:
    """Communities and streets in reading order; ``comm_new`` maps a superblock index to
    its community index."""

    comm_new: np.ndarray
    comm_geoms: np.ndarray
    comm_codes: list[str]
    comm_names: list[str]
    street_idx: np.ndarray
    street_codes: list[str]
    street_names: list[str]
    street_geoms: np.ndarray


def _communities(faces: np.ndarray, community: np.ndarray, n_comm: int, scale: float) -> _Admin:
    """Communities (one per superblock) grouped into streets, numbered in reading order."""
    comm_geoms = np.array(
        [shapely.union_all(faces[community == c]) for c in range(n_comm)], dtype=object
    )
    street_of_comm = _streets(comm_geoms, scale)
    cc = shapely.centroid(comm_geoms)
    order = np.lexsort((shapely.get_x(cc), -shapely.get_y(cc), street_of_comm))
    # Streets are numbered in reading order of their first community.
    street_rank = {s: i for i, s in enumerate(dict.fromkeys(street_of_comm[order]))}
    comm_new = np.empty(n_comm, dtype=np.int64)
    comm_new[order] = np.arange(n_comm)
    comm_geoms = comm_geoms[order]
    street_idx = np.array([street_rank[s] for s in street_of_comm[order]])
    n_streets = len(street_rank)
    street_codes = [f"{N.DISTRICT_CODE}{i + 1:03d}" for i in range(n_streets)]
    street_names = [N.STREET_NAMES[i % len(N.STREET_NAMES)] for i in range(n_streets)]
    comm_codes, seq_in_street = [], np.zeros(n_streets, dtype=np.int64)
    for c in range(n_comm):
        s = street_idx[c]
        seq_in_street[s] += 1
        comm_codes.append(f"{street_codes[s]}{seq_in_street[s]:03d}")
    street_geoms = np.array(
        [shapely.union_all(comm_geoms[street_idx == s]) for s in range(n_streets)], dtype=object
    )
    return _Admin(
        comm_new, comm_geoms, comm_codes, N.community_names(n_comm), street_idx, street_codes,
        street_names, street_geoms,
    )  # fmt: skip


def build_district(rng: np.random.Generator, scale: float) -> District:
    side = 10_000.0 * math.sqrt(scale)
    boundary = _boundary(rng, side)
    long_canal, arterials, n_ns = _long_lines(rng, side, margin=600.0)
    inside = boundary.buffer(1e-3)
    long_lines = [r.geom for r in arterials]
    for r in arterials:
        r.geom = max(
            shapely.get_parts(shapely.intersection(r.geom, inside)), key=lambda p: p.length
        )
    canal = max(shapely.get_parts(shapely.intersection(long_canal, inside)), key=lambda p: p.length)
    # Superblocks (communities) between centrelines.
    superblocks = _faces_of(boundary, [canal, *[r.geom for r in arterials]])
    art_strips = np.array(
        [r.geom.buffer(ARTERIAL_HALF_WIDTH_M, cap_style="flat") for r in arterials], dtype=object
    )
    canal_strip = canal.buffer(CANAL_HALF_WIDTH_M, cap_style="flat")
    # Secondary roads, drawn per superblock.
    secondary: list[tuple[LineString, int]] = []
    for si, sb in enumerate(superblocks):
        secondary += [(g, si) for g in _secondary_roads(rng, sb, canal_strip)]
    sec_names = N.road_names(rng, len(secondary))
    roads = arterials + [
        Road(sec_names[k], "secondary", g, si) for k, (g, si) in enumerate(secondary)
    ]
    faces = _road_faces(boundary, long_lines, long_canal, secondary)
    kinds, community = _classify_faces(faces, art_strips, n_ns, canal_strip, superblocks)
    faces, kinds, community = _merge_crossings(faces, kinds, community)
    grid_geoms, grid_comm, grid_kind = _unit_grids(faces, kinds, community, rng)
    adm = _communities(faces, community, len(superblocks), scale)
    grid_comm = adm.comm_new[grid_comm]
    for r in roads:
        if r.community >= 0:
            r.community = int(adm.comm_new[r.community])
    grid_codes = _number_grids(grid_geoms, grid_comm, adm.comm_codes, adm.comm_geoms)
    # Sort grids by code: the table reads in the order people number them.
    order = np.argsort(np.array(grid_codes), kind="stable")
    return District(
        scale=scale,
        side_m=side,
        boundary=boundary,
        canal=canal,
        canal_strip=canal_strip.intersection(boundary),
        roads=roads,
        community_codes=adm.comm_codes,
        community_names=adm.comm_names,
        community_street=adm.street_idx,
        community_geoms=adm.comm_geoms,
        street_codes=adm.street_codes,
        street_names=adm.street_names,
        street_geoms=adm.street_geoms,
        grid_geoms=grid_geoms[order],
        grid_codes=[grid_codes[i] for i in order],
        grid_community=grid_comm[order],
        grid_kind=np.array(grid_kind)[order],
    )


def _secondary_roads(
    rng: np.random.Generator, sb: Polygon, canal_strip: Polygon
) -> list[LineString]:
    """East-west roads across the superblock, north-south ones inside each band between them."""
    # Roads overshoot their ends by 30 cm so that they cross what they end on and get noded;
    # the stubs are dropped from the road graph (and polygonize ignores dangles).
    area = sb.difference(canal_strip).buffer(0.3)
    minx, miny, maxx, maxy = sb.bounds
    out: list[LineString] = []
    spacing = rng.uniform(*SECONDARY_SPACING_M)
    ew = []
    for y in _cut_positions(miny, maxy, spacing, rng):
        slope = rng.uniform(-0.04, 0.04)
        bend = rng.uniform(-8, 8)
        xm = (minx + maxx) / 2
        line = LineString(
            [
                (minx - 50, y - slope * (xm - minx + 50)),
                (xm, y + bend),
                (maxx + 50, y + slope * (maxx + 50 - xm)),
            ]
        )
        ew.append(line)
    for line in ew:
        out += [p for p in shapely.get_parts(line.intersection(area)) if p.length > 30.0]
    # Bands: the superblock cut by its east-west roads.
    bands = _polygons(
        shapely.polygonize(
            shapely.get_parts(
                shapely.union_all(
                    [sb.exterior, *[ln.intersection(sb) for ln in ew]], grid_size=GRID_PRECISION_M
                )
            )
        )
    )
    for band in bands:
        if not sb.contains(band.representative_point()):
            continue
        bx0, by0, bx1, by1 = band.bounds
        spacing = rng.uniform(*SECONDARY_SPACING_M)
        for x in _cut_positions(bx0, bx1, spacing, rng):
            slope = rng.uniform(-0.04, 0.04)
            line = LineString(
                [(x - slope * 60, by0 - 30), (x + slope * (by1 - by0 + 60), by1 + 30)]
            )
            out += [
                p
                for p in shapely.get_parts(
                    line.intersection(band.difference(canal_strip).buffer(0.3))
                )
                if p.geom_type == "LineString" and p.length > 30.0
            ]
    return out


def _classify_faces(faces, art_strips, n_ns, canal_strip, superblocks):
    """Kind of each face and the superblock (community) it belongs to."""
    rp = shapely.point_on_surface(faces)
    tree = shapely.STRtree(art_strips)
    fi, si = tree.query(rp, predicate="intersects")
    hits_ns = np.zeros(len(faces), int)
    hits_ew = np.zeros(len(faces), int)
    np.add.at(hits_ns, fi[si < n_ns], 1)
    np.add.at(hits_ew, fi[si >= n_ns], 1)
    in_canal = shapely.intersects(canal_strip, rp)
    kinds = np.full(len(faces), "block", dtype=object)
    kinds[in_canal] = "water"
    kinds[(hits_ew > 0) & ~in_canal] = "road_ew"
    kinds[(hits_ns > 0) & ~in_canal] = "road_ns"
    crossing = ((hits_ns > 0) & ((hits_ew > 0) | in_canal)) | (hits_ns + hits_ew > 1)
    kinds[crossing] = "crossing"
    # Strips belong to the community north (east-west) or west (north-south) of their axis.
    dx = np.where(np.isin(kinds, ["road_ns", "crossing"]), -20.0, 0.0)
    dy = np.where(np.isin(kinds, ["road_ew", "water", "crossing"]), 20.0, 0.0)
    probes = shapely.points(shapely.get_x(rp) + dx, shapely.get_y(rp) + dy)
    sb_tree = shapely.STRtree(superblocks)
    community = np.full(len(faces), -1, dtype=np.int64)
    pi, bi = sb_tree.query(probes, predicate="intersects")
    first = np.unique(pi, return_index=True)
    community[first[0]] = bi[first[1]]
    # Probes that fell outside the district: the superblock holding the face itself.
    missing = np.flatnonzero(community < 0)
    if len(missing):
        pi, bi = sb_tree.query(rp[missing], predicate="intersects")
        first = np.unique(pi, return_index=True)
        community[missing[first[0]]] = bi[first[1]]
    missing = np.flatnonzero(community < 0)
    if len(missing):
        community[missing] = sb_tree.nearest(rp[missing])
    return kinds, community


def _merge_crossings(faces, kinds, community):
    """Merge crossing squares and crumbs (< 1,500 m²) into a neighbouring face."""
    faces = list(faces)
    kinds = list(kinds)
    community = list(community)
    small = [i for i, f in enumerate(faces) if kinds[i] == "crossing" or f.area < 1500.0]
    tree = shapely.STRtree(np.array(faces, dtype=object))
    gone: set[int] = set()
    target_of: dict[int, int] = {}
    for i in sorted(small, key=lambda k: faces[k].area):
        cand = [
            int(j)
            for j in tree.query(faces[i], predicate="intersects")
            if j != i and j not in gone and community[j] == community[i] and kinds[j] != "crossing"
        ]
        if not cand:
            continue
        shared = _shared_length(faces[i], np.array([faces[j] for j in cand], dtype=object))
        # Prefer strips over blocks: a crossing square belongs to a road.
        score = shared + np.array([1e4 if kinds[j] != "block" else 0 for j in cand])
        best = int(np.argmax(score))
        if shared[best] < 0.5:
            continue
        j = cand[best]
        while j in target_of:
            j = target_of[j]
        merged = shapely.union(faces[j], faces[i])
        if merged.geom_type != "Polygon":
            continue
        faces[j] = merged
        gone.add(i)
        target_of[i] = j
        if kinds[i] == "crossing" and kinds[j] == "crossing":
            kinds[j] = "road_ew"
    keep = [i for i in range(len(faces)) if i not in gone]
    kinds_out = np.array(
        ["road_ew" if kinds[i] == "crossing" else kinds[i] for i in keep], dtype=object
    )
    return (
        np.array([faces[i] for i in keep], dtype=object),
        kinds_out,
        np.array([community[i] for i in keep]),
    )


def _streets(comm_geoms: np.ndarray, scale: float) -> np.ndarray:
    """Group communities into contiguous streets: rows × columns of centroids."""
    n = len(comm_geoms)
    n_streets = min(n, max(2, min(8, round(8 * math.sqrt(scale)))))
    rows = 2 if n_streets >= 4 else 1
    cols = math.ceil(n_streets / rows)
    c = shapely.centroid(comm_geoms)
    x, y = shapely.get_x(c), shapely.get_y(c)
    row = np.zeros(n, dtype=np.int64)
    if rows == 2:
        row = (y < np.median(y)).astype(np.int64)  # north row first
    street = np.zeros(n, dtype=np.int64)
    for r in range(rows):
        m = np.flatnonzero(row == r)
        ranks = np.argsort(np.argsort(x[m], kind="stable"), kind="stable")
        street[m] = r * cols + (ranks * cols // max(1, len(m)))
    return street


def _number_grids(grid_geoms, grid_comm, comm_codes, comm_geoms) -> list[str]:
    """Codes: community code + sequence, rows of 100 m north→south, west→east in a row."""
    c = shapely.centroid(grid_geoms)
    x, y = shapely.get_x(c), shapely.get_y(c)
    codes = [""] * len(grid_geoms)
    for ci, code in enumerate(comm_codes):
        m = np.flatnonzero(grid_comm == ci)
        top = comm_geoms[ci].bounds[3]
        row = np.floor((top - y[m]) / 100.0)
        order = m[np.lexsort((x[m], row))]
        if len(order) > 999:
            raise ValueError(f"community {code} has {len(order)} grids (max 999)")
        for seq, g in enumerate(order, start=1):
            codes[g] = f"{code}{seq:03d}"
    return codes


# --------------------------------------------------------------------------- defects


def _overlap(district: District, a: int, b: int, edge: LineString) -> dict | None:
    """Grid ``a`` grows 3 m into ``b`` along their shared edge."""
    geoms = district.grid_geoms
    ga, gb = geoms[a], geoms[b]
    new_a = shapely.union(ga, shapely.intersection(gb, edge.buffer(3.0, cap_style="flat")))
    if new_a.geom_type != "Polygon":
        return None
    geoms[a] = new_a
    return {
        "type": "overlap",
        "grids": [district.grid_codes[a], district.grid_codes[b]],
        "area_m2": round(float(shapely.intersection(new_a, gb).area), 2),
    }


def _gap(district: District, a: int, b: int, edge: LineString) -> dict | None:
    """Grid ``a`` loses 2.5 m along its edge with ``b``."""
    geoms = district.grid_geoms
    ga = geoms[a]
    new_a = shapely.difference(ga, edge.buffer(2.5, cap_style="flat"))
    if new_a.geom_type != "Polygon":
        return None
    geoms[a] = new_a
    return {
        "type": "gap",
        "grids": [district.grid_codes[a], district.grid_codes[b]],
        "area_m2": round(float(ga.area - new_a.area), 2),
    }


def _sliver(district: District, a: int, b: int, edge: LineString) -> dict | None:
    """A 0.4 m strip of grid ``a`` along its edge with ``b`` becomes a grid of its own."""
    ga = district.grid_geoms[a]
    strip = shapely.intersection(ga, edge.buffer(0.4, cap_style="flat"))
    new_a = shapely.difference(ga, strip)
    if new_a.geom_type != "Polygon" or strip.geom_type != "Polygon":
        return None
    comm = int(district.grid_community[a])
    ccode = district.community_codes[comm]
    last = max(int(c[12:]) for c in district.grid_codes if c.startswith(ccode))
    code = f"{ccode}{last + 1:03d}"
    district.grid_geoms[a] = new_a
    district.grid_geoms = np.append(district.grid_geoms, np.array([strip], dtype=object))
    district.grid_codes.append(code)
    district.grid_community = np.append(district.grid_community, comm)
    district.grid_kind = np.append(district.grid_kind, "block")
    return {
        "type": "sliver",
        "grids": [code, district.grid_codes[a]],
        "area_m2": round(float(strip.area), 2),
        "width_m": 0.4,
    }


_DEFECTS = {"overlap": _overlap, "gap": _gap, "sliver": _sliver}


def _longest_shared_edge(
    district: District, a: int, nbrs: list[int], used: set[int]
) -> tuple[LineString, int] | None:
    """The longest edge (over 40 m, one piece) grid ``a`` shares with an unused neighbour."""
    geoms = district.grid_geoms
    edges = [(shapely.intersection(geoms[a].boundary, geoms[j].boundary), j) for j in nbrs]
    edges = [(e, j) for e, j in edges if e.length > 40.0 and j not in used]
    if not edges:
        return None
    edge, b = max(edges, key=lambda t: t[0].length)
    edge = shapely.line_merge(edge)
    if edge.geom_type != "LineString":
        return None
    return edge, b


def add_defects(district: District, rng: np.random.Generator) -> list[dict]:
    """Break the tessellation on purpose, a little: 2 overlaps, 2 gaps, 1 sliver grid.

    The grid-quality check must find exactly these; each stays a valid polygon that the
    database accepts. Only block grids away from the boundary and from each other are used.
    """
    geoms = district.grid_geoms
    tree = shapely.STRtree(geoms)
    inner = shapely.contains(district.boundary.buffer(-300.0), shapely.centroid(geoms))
    candidates = np.flatnonzero(inner & (district.grid_kind == "block"))
    rng.shuffle(candidates)
    used: set[int] = set()
    defects: list[dict] = []
    plan = ["overlap", "overlap", "gap", "gap", "sliver"]
    for a in candidates:
        if not plan:
            break
        if a in used:
            continue
        nbrs = [
            int(j) for j in tree.query(district.grid_geoms[a], predicate="intersects") if j != a
        ]
        if any(j in used for j in nbrs):
            continue
        found = _longest_shared_edge(district, a, nbrs, used)
        if found is None:
            continue
        edge, b = found
        detail = _DEFECTS[plan[0]](district, a, b, edge)
        if detail is None:
            continue
        plan.pop(0)
        used.update([a, b])
        used.update(nbrs)
        defects.append(detail)
    district.defects = defects
    return defects
