"""Demo step ``district``: build the sample district workspace and the device export.

Deterministic from ``ctx.seed``; ``ctx.scale`` scales the area (side ∝ √scale) and with it
every count (scale 1 ≈ 100 km², ~10,000 unit grids, 70 collectors, 1.4 M GPS fixes,
~30,000 components, 600 submissions). The parts:

- :mod:`.geography`: boundary, roads, canal, communities, unit grids, deliberate defects;
- :mod:`.network`: road graph, main roads and window areas, responsibility grids,
  collectors and their prescribed routes;
- :mod:`.tracks`: one week of patrol GPS; :mod:`.components`: city components;
- :mod:`.submissions`: the 城管通 device export (files only, not loaded).

What was planted on purpose is written to ``demo-truth.json`` (grid defects, skipped and
strayed patrols) and ``device-export/ground_truth.json`` (submission problems).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiLineString, MultiPolygon

from ..core.codes import default_component_classes, id_schemes
from ..core.i18n import tr
from ..core.labels import join
from ..core.workspace.schema import DEFAULT_SRID
from ..core.workspace.store import Workspace, audit, upgrade
from . import names as N
from .components import place_components
from .geography import add_defects, build_district
from .network import build_collectors, build_graph, build_resp_grids, select_main_roads
from .submissions import build_export
from .tracks import WEEK_START, simulate_week, write_tracks_gpkg

SCHEME = "legacy16"
CENSUS_FIRST = date(2019, 3, 1)
CENSUS_LAST = date(2026, 10, 31)
ROUTES_VALID_FROM = date(2026, 11, 1)
_STREAMS = (
    "geography",
    "defects",
    "roads",
    "collectors",
    "tracks",
    "components",
    "attributes",
    "submissions",
)


def _rngs(seed: int) -> dict[str, np.random.Generator]:
    """One independent stream per part: changing one part leaves the others as they were."""
    children = np.random.SeedSequence(seed).spawn(len(_STREAMS))
    return {name: np.random.default_rng(s) for name, s in zip(_STREAMS, children)}


def _ewkt(geom, srid: int = DEFAULT_SRID, multi: bool = False) -> str:
    if multi and geom.geom_type == "Polygon":
        geom = MultiPolygon([geom])
    elif multi and geom.geom_type == "LineString":
        geom = MultiLineString([geom])
    return f"SRID={srid};{shapely.to_wkt(geom, rounding_precision=4)}"


class _Laps:
    """Seconds per part of the generation, for the summary."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.start = self.t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.t, 2)
        self.t = now

    def total(self) -> dict[str, float]:
        self.timings["total"] = round(time.perf_counter() - self.start, 2)
        return self.timings


@dataclass
class _Plan:
    """The district on paper: geography, defects, road graph, responsibility grids, main
    roads, collectors, a week of tracks."""

    district: Any
    defects: list[dict]
    graph: Any
    resp: Any
    mains: Any
    collectors: list
    tracks: Any


def _plan(rng: dict[str, np.random.Generator], scale: float, laps: _Laps) -> _Plan:
    district = build_district(rng["geography"], scale)
    defects = add_defects(district, rng["defects"])
    graph = build_graph(district)
    resp = build_resp_grids(district)
    mains = select_main_roads(district, graph, resp, rng["roads"])
    collectors = build_collectors(district, resp, mains, rng["collectors"])
    laps.lap("geography")
    tracks = simulate_week(graph, collectors, resp.codes, mains.edge_resps, rng["tracks"])
    laps.lap("tracks")
    return _Plan(district, defects, graph, resp, mains, collectors, tracks)


def _fresh_workspace(path: Path) -> Workspace:
    """A new, empty GeoPackage workspace at ``path`` (an old one and its journals removed)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)
    upgrade(str(path))
    return Workspace.open(str(path))


def _store(ctx, plan: _Plan, path: Path, rng, laps: _Laps) -> tuple[list, list, int, int]:
    """The workspace written: layers, components with history, GPS fixes; returns the
    placed components, their rows, the number of fixes and the workspace SRID."""
    ws = _fresh_workspace(path)
    srid = ws.srid
    laps.lap("create_workspace")
    try:
        placed = place_components(plan.district, plan.graph, plan.mains, rng["components"])
        comp_rows, hist_rows, counters = _component_rows(
            plan.district, placed, rng["attributes"], ws.actor
        )
        laps.lap("components")
        with ws.begin() as conn:
            _write_layers(conn, ws, plan, comp_rows, hist_rows, counters, srid)
            laps.lap("write_layers")
            n_fixes = write_tracks_gpkg(
                conn.connection.driver_connection, plan.tracks, plan.collectors, srid
            )
            detail = {
                "seed": ctx.seed,
                "scale": ctx.scale,
                "unit_grids": len(plan.district.grid_codes),
                "components": len(comp_rows),
                "track_points": n_fixes,
            }
            audit(conn, ws.schema, ws.actor, "demo.generate", detail=detail)
        laps.lap("write_tracks")
    finally:
        ws.close()
    return placed, comp_rows, n_fixes, srid


def _point_components(comp_rows: list[dict], placed: list) -> list[dict]:
    """The point components as the device export refers to them."""
    return [
        {
            "identifier": r["identifier"],
            "class_code": r["class_code"],
            "kind": "point",
            "x": p.geom.x,
            "y": p.geom.y,
        }
        for r, p in zip(comp_rows, placed)
        if p.geom.geom_type == "Point"
    ]


def _counts(plan: _Plan, comp_rows: list[dict], n_fixes: int, export: dict) -> dict[str, Any]:
    """What the district holds, for the summary, the facts and the digest."""
    district, mains = plan.district, plan.mains
    main_km = {
        k: round(sum(r["geom"].length for r in mains.rows if r["kind"] == k) / 1000, 1)
        for k in ("main_road", "window_area")
    }
    majors: dict[str, int] = {}
    for r in comp_rows:
        majors[r["class_code"][:2]] = majors.get(r["class_code"][:2], 0) + 1
    return {
        "area_km2": round(district.area_m2 / 1e6, 2),
        "streets": len(district.street_codes),
        "communities": len(district.community_codes),
        "unit_grids": len(district.grid_codes),
        "grid_defects": len(plan.defects),
        "resp_grids": len(plan.resp.codes),
        "main_roads": len(mains.rows),
        "main_road_km": main_km,
        "road_network_km": round(float(plan.graph.length.sum()) / 1000, 1),
        "collectors": len(plan.collectors),
        "patrol_routes": sum(len(c.resps) for c in plan.collectors),
        "track_points": int(n_fixes),
        "components": len(comp_rows),
        "components_by_major": dict(sorted(majors.items())),
        "component_classes": len({r["class_code"] for r in comp_rows}),
        "submissions": export["counts"],
    }


def step_generate(ctx) -> None:
    laps = _Laps()
    rng = _rngs(ctx.seed)
    plan = _plan(rng, ctx.scale, laps)
    path = Path(ctx.workspace_path)
    placed, comp_rows, n_fixes, srid = _store(ctx, plan, path, rng, laps)
    export = build_export(
        ctx.out_dir,
        plan.tracks,
        plan.collectors,
        _point_components(comp_rows, placed),
        plan.district,
        rng["submissions"],
        ctx.scale,
        srid,
    )
    laps.lap("device_export")
    truth = {
        "grid_defects": plan.defects,
        "windows": plan.mains.windows,
        "patrols": plan.tracks.truth,
    }
    truth_path = ctx.out_dir / "demo-truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = _counts(plan, comp_rows, n_fixes, export)
    digest = _digest(counts, plan.district, comp_rows, plan.tracks, export)
    ctx.facts["district"] = dict(
        counts,
        digest=digest,
        timings_s=laps.timings,
        week=[str(WEEK_START), str(WEEK_START + timedelta(days=6))],
    )
    ctx.output("workspace", path)
    ctx.output("device_export", export["geojson"])
    ctx.output("device_export_csv", export["csv"])
    ctx.output("device_photos", export["photos"])
    ctx.output("device_ground_truth", export["truth"])
    ctx.output("district_truth", truth_path)
    _print_summary(ctx, counts, digest, laps.total())


# --------------------------------------------------------------------------- rows


def _component_rows(district, placed, rng, actor: str):
    classes = {c.code: c for c in default_component_classes(SCHEME)}
    scheme = id_schemes()[SCHEME]
    n = len(placed)
    status = rng.choice(["完好", "破损", "丢失"], size=n, p=[0.93, 0.05, 0.02])
    source = rng.choice(list(N_DATA_SOURCES), size=n, p=[0.8, 0.1, 0.08, 0.02])
    span = (CENSUS_LAST - CENSUS_FIRST).days
    initial = [CENSUS_FIRST + timedelta(days=int(d)) for d in rng.integers(0, span + 1, n)]
    maint = rng.integers(0, len(N.MAINTAINERS), n)
    acc_draw = rng.random(n)
    change_days = rng.integers(20, 400, n)
    comm_of = district.grid_community
    serial: dict[str, int] = {}
    rows, hist = [], []
    for i, p in enumerate(placed):
        cls = classes[p.class_code]
        serial[p.class_code] = serial.get(p.class_code, 0) + 1
        ident = scheme.compose(N.DISTRICT_CODE, p.class_code, serial[p.class_code])
        comm = int(comm_of[p.grid])
        street = int(district.community_street[comm])
        dept_code, dept_name = N.DEPARTMENTS[cls.major_code]
        owner_code, owner_name = N.OWNERS.get(p.class_code, (dept_code, dept_name))
        src = str(source[i])
        if src == "实测":
            acc = "A" if acc_draw[i] < 0.45 else "B"
        else:
            acc = "C" if src in ("基础地理数据", "其他") or acc_draw[i] < 0.3 else "B"
        st = str(status[i])
        change = None
        if st != "完好":
            change = min(initial[i] + timedelta(days=int(change_days[i])), date(2026, 11, 8))
        stamp = datetime(*(change or initial[i]).timetuple()[:3], 1, 30, tzinfo=timezone.utc)
        row = {
            "id": i + 1,
            "identifier": ident,
            "scheme": SCHEME,
            "class_code": p.class_code,
            "name": cls.name,
            "dept_code": dept_code,
            "dept_name": dept_name,
            "owner_code": owner_code,
            "owner_name": owner_name,
            "maint_code": N.MAINTAINERS[int(maint[i])][0],
            "maint_name": N.MAINTAINERS[int(maint[i])][1],
            "grid_code": district.grid_codes[p.grid],
            "street_code": district.street_codes[street],
            "street_name": district.street_names[street],
            "community_code": district.community_codes[comm],
            "community_name": district.community_names[comm],
            "status": st,
            "initial_date": initial[i],
            "change_date": change,
            "data_source": src,
            "accuracy_class": acc,
            "note": None,
            "version": 1,
            "updated_at": stamp,
            "updated_by": actor,
            "geom": _ewkt(p.geom),
        }
        rows.append(row)
        snapshot = {
            k: (v.isoformat() if isinstance(v, (date, datetime)) else v)
            for k, v in row.items()
            if k not in ("id", "geom")
        }
        hist.append(
            {
                "id": i + 1,
                "component_id": i + 1,
                "version": 1,
                "operation": "create",
                "changed_at": stamp,
                "changed_by": actor,
                "reason": "部件普查入库",
                "attributes": snapshot,
                "changes": None,
                "geom": row["geom"],
            }
        )
    counters = [
        {"county_code": N.DISTRICT_CODE, "scheme": SCHEME, "class_code": c, "next_serial": s + 1}
        for c, s in sorted(serial.items())
    ]
    return rows, hist, counters


N_DATA_SOURCES = ("实测", "地形图", "基础地理数据", "其他")


def _admin_rows(district, srid: int) -> list[dict]:
    """The district, its streets and communities as admin_units rows."""
    admin = [
        {
            "level": "district",
            "code": N.DISTRICT_CODE,
            "name": N.DISTRICT_NAME,
            "parent_code": None,
            "geom": _ewkt(shapely.union_all(district.street_geoms), srid, True),
        }
    ]
    admin += [
        {
            "level": "street",
            "code": c,
            "name": n,
            "parent_code": N.DISTRICT_CODE,
            "geom": _ewkt(g, srid, True),
        }
        for c, n, g in zip(district.street_codes, district.street_names, district.street_geoms)
    ]
    admin += [
        {
            "level": "community",
            "code": c,
            "name": n,
            "parent_code": district.street_codes[district.community_street[i]],
            "geom": _ewkt(g, srid, True),
        }
        for i, (c, n, g) in enumerate(
            zip(district.community_codes, district.community_names, district.community_geoms)
        )
    ]
    return admin


def _grid_rows(district, srid: int) -> list[dict]:
    """unit_grids rows; road and canal grids belong to their authorities, block grids to
    the community's residents' committee."""
    responsible = {"road": "姑苏区市政设施管理处", "water": "姑苏区水务局"}
    return [
        {
            "code": code,
            "community_code": code[:12],
            "responsible": responsible.get(
                str(kind), district.community_names[int(comm)] + "居委会"
            ),
            "area_m2": round(float(g.area), 2),
            "geom": _ewkt(g, srid, True),
        }
        for code, comm, kind, g in zip(
            district.grid_codes, district.grid_community, district.grid_kind, district.grid_geoms
        )
    ]


def _route_rows(resp, mains, collectors, srid: int) -> list[dict]:
    """Each collector's prescribed route per responsibility grid: its main roads."""
    by_resp: dict[int, list] = {}
    for r in mains.rows:
        by_resp.setdefault(r["resp"], []).extend(shapely.get_parts(r["geom"]))
    routes = []
    for c in collectors:
        for r in c.resps:
            if r in by_resp:
                routes.append(
                    {
                        "collector_code": c.code,
                        "resp_grid_code": resp.codes[r],
                        "valid_from": ROUTES_VALID_FROM,
                        "geom": _ewkt(MultiLineString(by_resp[r]), srid, True),
                    }
                )
    return routes


def _write_patrol_layers(conn, s, plan: _Plan, srid: int) -> None:
    """Responsibility grids, collectors, main roads and prescribed routes."""
    resp, mains = plan.resp, plan.mains
    conn.execute(
        s.resp_grids.insert(),
        [
            {"code": c, "name": n, "street_code": st, "geom": _ewkt(g, srid, True)}
            for c, n, st, g in zip(resp.codes, resp.names, resp.street_codes, resp.geoms)
        ],
    )
    conn.execute(
        s.resp_grid_units.insert(),
        [
            {"resp_grid_code": resp.codes[int(r)], "unit_grid_code": code}
            for code, r in zip(plan.district.grid_codes, resp.unit_resp)
        ],
    )
    conn.execute(
        s.collectors.insert(),
        [
            {
                "code": c.code,
                "name": c.name,
                "resp_grid_code": resp.codes[c.resps[0]],
                "device_id": c.device_id,
                "active": True,
            }
            for c in plan.collectors
        ],
    )
    conn.execute(
        s.main_roads.insert(),
        [
            {
                "kind": r["kind"],
                "name": r["name"],
                "resp_grid_code": resp.codes[r["resp"]],
                "geom": _ewkt(r["geom"], srid, True),
            }
            for r in mains.rows
        ],
    )
    routes = _route_rows(resp, mains, plan.collectors, srid)
    if routes:
        conn.execute(s.patrol_routes.insert(), routes)


def _write_layers(conn, ws, plan: _Plan, comp_rows, hist_rows, counters, srid) -> None:
    s = ws.schema
    conn.execute(s.admin_units.insert(), _admin_rows(plan.district, srid))
    conn.execute(s.unit_grids.insert(), _grid_rows(plan.district, srid))
    _write_patrol_layers(conn, s, plan, srid)
    conn.execute(s.components.insert(), comp_rows)
    conn.execute(s.component_history.insert(), hist_rows)
    conn.execute(s.identifier_counters.insert(), counters)


# --------------------------------------------------------------------------- summary


def _digest(counts, district, comp_rows, tracks, export) -> str:
    """A hash of the counts and a sample of rows: equal for equal seeds."""
    step = max(1, len(district.grid_codes) // 50)
    sample = {
        "counts": counts,
        "grids": [
            [district.grid_codes[i], round(float(district.grid_geoms[i].area), 1)]
            for i in range(0, len(district.grid_codes), step)
        ],
        "components": [
            [r["identifier"], r["grid_code"], r["status"], str(r["initial_date"]), r["geom"][:60]]
            for r in comp_rows[:: max(1, len(comp_rows) // 50)]
        ],
        "tracks": [
            [
                int(tracks.collector[i]),
                int(tracks.t[i]),
                round(float(tracks.x[i]), 2),
                round(float(tracks.y[i]), 2),
            ]
            for i in range(0, len(tracks), max(1, len(tracks) // 50))
        ],
        "submissions": hashlib.sha256(Path(export["geojson"]).read_bytes()).hexdigest(),
    }
    return hashlib.sha256(
        json.dumps(sample, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _print_summary(ctx, c, digest, timings) -> None:
    log = ctx.log
    log(
        tr("Demo", "District {0} {1}: {2} km², {3} streets, {4} communities").format(
            N.DISTRICT_CODE, N.DISTRICT_NAME, c["area_km2"], c["streets"], c["communities"]
        )
    )
    log(
        tr(
            "Demo",
            "Unit grids: {0} (with {1} deliberate topology defects); responsibility grids: {2}",
        ).format(c["unit_grids"], c["grid_defects"], c["resp_grids"])
    )
    log(
        tr(
            "Demo", "Main roads: {0} km, window areas: {1} km ({2} pieces); road network: {3} km"
        ).format(
            c["main_road_km"]["main_road"],
            c["main_road_km"]["window_area"],
            c["main_roads"],
            c["road_network_km"],
        )
    )
    log(
        tr("Demo", "Collectors: {0}, patrol routes: {1}, GPS fixes: {2}").format(
            c["collectors"], c["patrol_routes"], c["track_points"]
        )
    )
    log(
        tr("Demo", "Components: {0} in {1} classes").format(c["components"], c["component_classes"])
    )
    sc = c["submissions"]
    log(
        tr(
            "Demo",
            "Device export: {0} submissions ({1} duplicates, {2} GCJ-02, {3} malformed), "
            "{4} photos",
        ).format(sc["submissions"], sc["duplicates"], sc["gcj02"], sc["malformed"], sc["photos"])
    )
    log(tr("Demo", "Digest: {0}").format(digest[:16]))
    log(
        tr("Demo", "Timings (s): {0}").format(
            join(f"{_lap_label(k)} {v}" for k, v in timings.items())
        )
    )


def _lap_label(name: str) -> str:
    """A part of the generation, for the timings line."""
    return {
        "geography": tr("Demo", "geography"),
        "tracks": tr("Demo", "tracks"),
        "create_workspace": tr("Demo", "workspace"),
        "components": tr("Demo", "components"),
        "write_layers": tr("Demo", "layers"),
        "write_tracks": tr("Demo", "GPS fixes"),
        "device_export": tr("Demo", "device export"),
        "total": tr("Demo", "total"),
    }.get(name, name)
