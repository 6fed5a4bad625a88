"""City components (管理部件) placed the way streets carry them.

Manhole covers and lamps along roads, street trees in rows on the arterials, bins and name
plates at junctions, signals at arterial crossings, guard rails along arterial medians, green
spaces, parking lots and toilets inside blocks, bridges where arterials cross the canal,
water railings and flood walls on the canal. Every geometry lies inside its unit grid
(lines and polygons are clipped to it), except bridges and flyovers, which span grids by
nature and belong to the grid holding their centroid. The counts follow road length and
grid count, so they scale with the district.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely import ops
from shapely.geometry import LineString, box

from .geography import District
from .network import MainRoads, RoadGraph

SPANNING_CLASSES = ("0205", "0207", "0208")  # bridges and flyovers: centroid in the grid

MANHOLE_MIX = {
    "0101": 18,
    "0102": 17,
    "0103": 20,
    "0105": 10,
    "0106": 6,
    "0107": 10,
    "0108": 3,
    "0109": 4,
    "0110": 1,
    "0111": 8,
    "0112": 2,
    "0114": 1,
    "0127": 1,
    "0128": 1,
    "0130": 1,
}
KIOSK_MIX = ("0121", "0122", "0123", "0124", "0125", "0137", "0138", "0120", "0306")
# Point classes inside blocks: (class, share of the block grids, at least)
BLOCK_POINTS = (
    ("0116", 0.06, 1),
    ("0134", 0.05, 1),
    ("0135", 0.004, 1),
    ("0131", 0.002, 0),
    ("0132", 0.004, 1),
    ("0301", 0.025, 1),
    ("0302", 0.005, 1),
    ("0304", 0.015, 1),
    ("0308", 0.0003, 1),
    ("0309", 0.0002, 0),
    ("0311", 0.0003, 1),
    ("0401", 0.003, 1),
    ("0501", 0.03, 1),
    ("0502", 0.004, 1),
    ("0503", 0.003, 1),
    ("0601", 0.001, 1),
    ("0126", 0.01, 1),
    ("0133", 0.001, 0),
    ("0206", 0.0008, 0),
    ("0119", 0.004, 0),
)


@dataclass
class Placed:
    class_code: str
    geom: object
    grid: int


class _Placer:
    def __init__(
        self, district: District, graph: RoadGraph, mains: MainRoads, rng: np.random.Generator
    ) -> None:
        self.d = district
        self.g = graph
        self.rng = rng
        self.tree = shapely.STRtree(district.grid_geoms)
        self.out: list[Placed] = []
        kind = np.array([district.roads[r].kind for r in graph.road])
        self.art = graph.edges[kind == "arterial"]
        self.sec = graph.edges[kind == "secondary"]
        self.sec_main = graph.edges[(kind == "secondary") & mains.edge_is_main]
        self.sec_minor = graph.edges[(kind == "secondary") & ~mains.edge_is_main]
        self.window = graph.edges[mains.edge_kind == "window_area"]
        deg = np.bincount(np.concatenate([graph.u, graph.v]), minlength=len(graph.node_xy))
        art_deg = np.bincount(
            np.concatenate([graph.u[kind == "arterial"], graph.v[kind == "arterial"]]),
            minlength=len(graph.node_xy),
        )
        self.junctions = graph.node_xy[deg >= 3]
        self.art_junctions = graph.node_xy[(deg >= 3) & (art_deg >= 1)]
        self.crossings = graph.node_xy[art_deg >= 4]
        self.blocks = np.flatnonzero(district.grid_kind == "block")
        self.road_grids = np.flatnonzero(district.grid_kind == "road")
        self.water_grids = np.flatnonzero(district.grid_kind == "water")

    # ------------------------------------------------------------------ helpers

    def add_points(self, code, x, y) -> None:
        codes = np.broadcast_to(np.asarray(code, dtype=object), np.shape(x))
        pts = shapely.points(x, y)
        pi, gi = self.tree.query(pts, predicate="within")
        first = np.unique(pi, return_index=True)
        for p, g in zip(first[0], gi[first[1]]):
            self.out.append(Placed(str(codes[p]), pts[p], int(g)))

    def add_shape(self, code: str, geom, grid: int | None = None, min_size: float = 1.0) -> None:
        """A line or polygon, clipped to the grid holding its middle (largest part kept)."""
        if geom is None or geom.is_empty:
            return
        if grid is None:
            hits = self.tree.query(geom.representative_point(), predicate="within")
            if len(hits) == 0:
                return
            grid = int(min(hits))
        clipped = shapely.intersection(geom, self.d.grid_geoms[grid])
        want = 2 if geom.geom_type in ("LineString", "MultiLineString") else 3
        if want == 2:
            clipped = shapely.line_merge(
                shapely.union_all(
                    [
                        p
                        for p in shapely.get_parts(clipped)
                        if p.geom_type in ("LineString", "MultiLineString")
                    ]
                )
            )
        parts = [
            p
            for p in shapely.get_parts(clipped)
            if p.geom_type == ("LineString" if want == 2 else "Polygon")
        ]
        if not parts:
            return
        best = max(parts, key=lambda p: p.length if want == 2 else p.area)
        if (best.length if want == 2 else best.area) < min_size:
            return
        self.out.append(Placed(code, best, grid))

    def add_spanning(self, code: str, geom) -> None:
        hits = self.tree.query(geom.centroid, predicate="within")
        if len(hits):
            self.out.append(Placed(code, geom, int(min(hits))))

    def along(self, lines, spacing: float, offset, jitter: float = 0.2, stagger: bool = False):
        lines = np.asarray(lines, dtype=object)
        if len(lines) == 0:
            return np.zeros(0), np.zeros(0)
        length = shapely.length(lines)
        # Stochastic rounding: short edges still get their share of sparse things.
        counts = np.floor(length / spacing + self.rng.random(len(lines))).astype(np.int64)
        idx = np.repeat(np.arange(len(lines)), counts)
        k = np.arange(len(idx)) - np.repeat(np.cumsum(counts) - counts, counts)
        step = np.minimum(spacing, length[idx] / np.maximum(counts[idx], 1))
        d = (k + 0.5 + self.rng.uniform(-jitter, jitter, len(idx))) * step
        d = np.clip(d, 0.6, np.maximum(length[idx] - 0.6, 0.6))
        a = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], d - 0.5))
        b = shapely.get_coordinates(shapely.line_interpolate_point(lines[idx], d + 0.5))
        p = (a + b) / 2
        t = b - a
        n = np.hypot(t[:, 0], t[:, 1])
        n[n == 0] = 1
        nx, ny = -t[:, 1] / n, t[:, 0] / n
        off = np.broadcast_to(np.asarray(offset, float), (len(idx),)).copy()
        if stagger:
            off = np.where(k % 2 == 0, off, -off)
        return p[:, 0] + off * nx, p[:, 1] + off * ny

    def pick(self, items: np.ndarray, fraction: float, at_least: int = 0) -> np.ndarray:
        n = min(len(items), max(at_least, round(fraction * len(items))))
        if n == 0:
            return items[:0]
        return items[np.sort(self.rng.choice(len(items), size=n, replace=False))]

    def inside(self, grids: np.ndarray, inset: float = 3.0):
        """One random point inside each grid (rejection sampling, inset from its edges)."""
        xs, ys = [], []
        for g in grids:
            poly = self.d.grid_geoms[g].buffer(-inset)
            if poly.is_empty:
                poly = self.d.grid_geoms[g]
            x0, y0, x1, y1 = poly.bounds
            cx = self.rng.uniform(x0, x1, 12)
            cy = self.rng.uniform(y0, y1, 12)
            ok = np.flatnonzero(shapely.contains_xy(poly, cx, cy))
            if len(ok):
                xs.append(cx[ok[0]])
                ys.append(cy[ok[0]])
            else:
                p = poly.representative_point()
                xs.append(p.x)
                ys.append(p.y)
        return np.array(xs), np.array(ys)

    def around(self, pts: np.ndarray, dist: float):
        ang = self.rng.uniform(0, 2 * np.pi, len(pts))
        r = dist * self.rng.uniform(0.7, 1.0, len(pts))
        return pts[:, 0] + r * np.cos(ang), pts[:, 1] + r * np.sin(ang)

    def mix(self, weights: dict[str, float], n: int) -> np.ndarray:
        codes = np.array(list(weights), dtype=object)
        p = np.array(list(weights.values()), float)
        return codes[self.rng.choice(len(codes), size=n, p=p / p.sum())]

    # ------------------------------------------------------------------ placement

    def run(self) -> list[Placed]:
        """Everything, in a fixed order (each part draws from the one generator)."""
        self._trees()
        self._manholes()
        self._lamps()
        self._junctions()
        self._arterial_furniture()
        self._window_areas()
        self._block_points()
        self._green_spaces()
        self._block_polygons()
        self._road_lines()
        self._canal()
        self._flyovers()
        return self.out

    def _trees(self) -> None:
        """Street trees: rows on both sides of a quarter of the arterial edges, some on
        secondary main roads; tree guards around a few."""
        art_trees = self.pick(self.art, 0.25)
        for side in (12.0, -12.0):
            self.add_points("0402", *self.along(art_trees, 16.0, side, jitter=0.05))
        self.add_points("0402", *self.along(self.pick(self.sec_main, 0.08), 12.0, 5.0, 0.05))
        trees = [p for p in self.out if p.class_code == "0402"]
        guards = [trees[i] for i in np.flatnonzero(self.rng.random(len(trees)) < 0.08)]
        if guards:
            xy = shapely.get_coordinates([p.geom for p in guards])
            self.add_points("0403", xy[:, 0] + 0.8, xy[:, 1])

    def _manholes(self) -> None:
        """Manholes on every road, grates at arterial kerbs, hydrants."""
        rng = self.rng
        for lines, spacing in (
            (np.concatenate([self.art, self.sec_main]), 80.0),
            (self.sec_minor, 110.0),
        ):
            x, y = self.along(lines, spacing, 0.0)
            x += rng.uniform(-4, 4, len(x))
            y += rng.uniform(-4, 4, len(y))
            self.add_points(self.mix(MANHOLE_MIX, len(x)), x, y)
        self.add_points("0104", *self.along(self.art, 100.0, 14.0, stagger=True))
        self.add_points("0113", *self.along(self.art, 150.0, 14.0, stagger=True))

    def _lamps(self) -> None:
        """Lamps: staggered on arterials, one side on secondary main roads."""
        self.add_points("0118", *self.along(self.art, 70.0, 13.0, jitter=0.05, stagger=True))
        self.add_points("0118", *self.along(self.sec_main, 90.0, 4.0, jitter=0.05))

    def _junctions(self) -> None:
        """Junctions: bins, name plates, signs, poles; signals and cameras at crossings."""
        jn = self.junctions
        self.add_points("0305", *self.around(self.pick(jn, 0.45), 18.0))
        self.add_points("0305", *self.along(self.sec_main, 200.0, -4.0))
        self.add_points("0213", *self.around(self.pick(jn, 0.5), 9.0))
        self.add_points("0209", *self.around(self.pick(self.art_junctions, 0.5), 16.0))
        self.add_points("0117", *self.around(self.pick(self.art_junctions, 0.4), 17.0))
        for dx, dy in ((13, 13), (-13, 13), (13, -13), (-13, -13)):
            self.add_points("0210", self.crossings[:, 0] + dx, self.crossings[:, 1] + dy)
        for code, frac in (("0136", 1.0), ("0214", 0.5), ("0215", 0.2), ("0217", 0.15)):
            c = self.pick(self.crossings, frac)
            self.add_points(code, *self.around(c, 22.0))

    def _arterial_furniture(self) -> None:
        """Along arterials: bus shelters, advertising boards; cabinets on secondary roads."""
        self.add_points("0203", *self.along(self.art, 450.0, 14.0, stagger=True))
        self.add_points("0307", *self.along(self.art, 250.0, 20.0, stagger=True))
        self.add_points("0115", *self.along(self.sec, 400.0, 3.0))

    def _window_areas(self) -> None:
        """Window areas: kiosks, meters, bike racks, flower stands, light boxes."""
        x, y = self.along(self.window, 90.0, 6.0, stagger=True)
        self.add_points(np.array(KIOSK_MIX, dtype=object)[np.arange(len(x)) % len(KIOSK_MIX)], x, y)
        self.add_points("0202", *self.along(self.window, 35.0, 4.5))
        self.add_points("0212", *self.along(self.window, 60.0, -4.5))
        self.add_points("0404", *self.along(self.window, 80.0, -7.0))

    def _block_points(self) -> None:
        """Inside blocks: a share of the block grids gets each kind; toilets get bins."""
        for code, frac, least in BLOCK_POINTS:
            self.add_points(code, *self.inside(self.pick(self.blocks, frac, least)))
        toilets = np.array([[p.geom.x, p.geom.y] for p in self.out if p.class_code == "0301"])
        if len(toilets):
            self.add_points("0303", *self.around(toilets, 25.0))

    def _green_spaces(self) -> None:
        """Green spaces in blocks, with railings, benches and the odd sculpture."""
        for g in self.pick(self.blocks, 0.04, 1):
            green = self.d.grid_geoms[g].buffer(-6.0)
            if green.is_empty or green.area < 800:
                continue
            green = max(shapely.get_parts(green), key=lambda p: p.area)
            self.add_shape("0405", green, int(g), 500.0)
            if self.rng.random() < 0.4:
                ring = (
                    LineString(green.exterior.buffer(-1.0).exterior.coords)
                    if not green.buffer(-1.0).is_empty
                    else None
                )
                if ring is not None:
                    self.add_shape("0408", ops.substring(ring, 0, 0.6 * ring.length), int(g), 10.0)
            bx, by = self.inside(np.array([g] * 3), inset=12.0)
            self.add_points("0407", bx, by)
            if self.rng.random() < 0.3:
                self.add_points("0409", *self.inside(np.array([g]), inset=10.0))

    def _block_polygons(self) -> None:
        """Parking lots and sites in blocks."""
        rng = self.rng
        for g in self.pick(self.blocks, 0.025, 1):
            cx, cy = self.inside(np.array([g]), inset=15.0)
            w, h = rng.uniform(25, 40), rng.uniform(30, 50)
            lot = box(cx[0] - w / 2, cy[0] - h / 2, cx[0] + w / 2, cy[0] + h / 2)
            self.add_shape(
                "0201", lot.intersection(self.d.grid_geoms[g].buffer(-2.0)), int(g), 300.0
            )
        for g in self.pick(self.blocks, 0.0015, 1):
            self.add_shape("0602", self.d.grid_geoms[g].buffer(-3.0), int(g), 500.0)

    def _first_long_part(self, art_union, g) -> LineString | None:
        """The first arterial centreline piece over 60 m in road grid ``g``."""
        centre = shapely.line_merge(shapely.intersection(art_union, self.d.grid_geoms[g]))
        for part in shapely.get_parts(centre):
            if part.geom_type == "LineString" and part.length > 60:
                return part
        return None

    def _road_lines(self) -> None:
        """Lines in road grids: median guard rails, a few noise barriers."""
        if not len(self.art):
            return
        art_union = shapely.union_all(self.art)
        for g in self.pick(self.road_grids, 0.5):
            part = self._first_long_part(art_union, g)
            if part is not None:
                self.add_shape("0211", ops.substring(part, 10, part.length - 10), int(g), 20.0)
        for g in self.pick(self.road_grids, 0.02, 1):
            part = self._first_long_part(art_union, g)
            if part is not None:
                self.add_shape("0216", part.offset_curve(12.5), int(g), 20.0)

    def _canal(self) -> None:
        """The canal: bridges where arterials cross, railings, flood walls, water facilities."""
        canal = self.d.canal
        strip = self.d.canal_strip
        for line in self.art:
            if not line.intersects(strip):
                continue
            span = shapely.intersection(line, strip.buffer(6.0))
            for part in shapely.get_parts(shapely.line_merge(span)):
                if part.geom_type == "LineString" and part.length > 10:
                    self.add_spanning("0208", part.buffer(10.0, cap_style="flat"))
        for g in self.water_grids:
            for code, off, p in (("0604", 10.5, 0.6), ("0604", -10.5, 0.6), ("0606", 11.2, 0.2)):
                if self.rng.random() < p:
                    self.add_shape(code, canal.offset_curve(off), int(g), 20.0)
        lines = np.array([canal], dtype=object)
        self.add_points("0603", *self.along(lines, 250.0, 9.0, stagger=True))
        self.add_points("0605", *self.along(lines, 2500.0, -9.0))
        self.add_points("0310", *self.along(lines, 3000.0, 9.5))

    def _flyover_at(self, wx: float, wy: float) -> None:
        """A footbridge over the arterial nearest a window area, across its middle."""
        i = int(np.argmin(shapely.distance(self.art, shapely.points(wx, wy))))
        mid = self.art[i].interpolate(0.5, normalized=True)
        a = self.art[i].interpolate(max(0.0, self.art[i].project(mid) - 2))
        c = self.art[i].interpolate(self.art[i].project(mid) + 2)
        dx, dy = c.x - a.x, c.y - a.y
        n = max(1e-9, (dx * dx + dy * dy) ** 0.5)
        nx, ny = -dy / n, dx / n
        span = LineString([(mid.x - 20 * nx, mid.y - 20 * ny), (mid.x + 20 * nx, mid.y + 20 * ny)])
        self.add_spanning("0205", span.buffer(2.0, cap_style="flat"))

    def _flyovers(self) -> None:
        """Flyovers: over arterials at window areas; one interchange at a central crossing."""
        if len(self.art):
            for w in self._windows:
                self._flyover_at(w["x"], w["y"])
        if len(self.crossings):
            c = self.crossings[len(self.crossings) // 2]
            disk = shapely.points(c[0], c[1]).buffer(70.0)
            near = shapely.intersection(shapely.union_all(self.art), disk)
            self.add_spanning("0207", near.buffer(9.0, cap_style="flat"))


def place_components(
    district: District, graph: RoadGraph, mains: MainRoads, rng: np.random.Generator
) -> list[Placed]:
    placer = _Placer(district, graph, mains, rng)
    placer._windows = mains.windows
    out = placer.run()
    # Identifiers run in reading order inside a class: by grid code, then west→east.
    codes = district.grid_codes
    c = shapely.get_coordinates(shapely.centroid([p.geom for p in out]))
    order = sorted(
        range(len(out)),
        key=lambda i: (out[i].class_code, codes[out[i].grid], round(c[i, 0], 3), round(c[i, 1], 3)),
    )
    return [out[i] for i in order]
