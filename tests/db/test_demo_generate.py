"""The demo district generator at a small scale: counts, codes, topology, tracks, export."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import shapely
from geoalchemy2.shape import to_shape
from sqlalchemy import func, select

from citymgmt_plugin.core import codes
from citymgmt_plugin.core.workspace.store import Workspace

SCALE = 0.05
SEED = 7
SPANNING = {"0205", "0207", "0208"}


def _generate(out: Path, seed: int = SEED):
    from citymgmt_plugin.demo.generate import step_generate
    from citymgmt_plugin.demo.runner import DemoContext

    out.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(out, out / "demo-district.gpkg", SCALE, seed, log=lambda _m: None)
    step_generate(ctx)
    return ctx


@pytest.fixture(scope="module")
def demo(qgis_app, tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def ws(demo):
    w = Workspace.open(str(demo.workspace_path))
    yield w
    w.close()


@pytest.fixture(scope="module")
def truth(demo):
    return json.loads((demo.out_dir / "demo-truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def grids(ws):
    t = ws.schema.unit_grids
    with ws.begin() as c:
        rows = c.execute(select(t.c.code, t.c.community_code, t.c.geom).order_by(t.c.code)).all()
    return (
        [r.code for r in rows],
        [r.community_code for r in rows],
        np.array([to_shape(r.geom) for r in rows], dtype=object),
    )


def test_counts_scale(demo, ws):
    f = demo.facts["district"]
    assert 4.5 < f["area_km2"] < 5.5
    assert 350 <= f["unit_grids"] <= 700
    assert f["communities"] >= 4 and f["streets"] >= 2
    assert 7 <= f["resp_grids"] <= 14
    assert f["collectors"] >= 3
    assert 15 < f["main_road_km"]["main_road"] + f["main_road_km"]["window_area"] < 24
    assert f["components"] >= 1000
    fixes_max = f["collectors"] * 7 * 2 * 1440
    assert 0.9 * fixes_max <= f["track_points"] <= fixes_max
    s = ws.schema
    with ws.begin() as c:
        for table, key in (
            (s.unit_grids, "unit_grids"),
            (s.resp_grids, "resp_grids"),
            (s.collectors, "collectors"),
            (s.components, "components"),
            (s.component_history, "components"),
            (s.track_points, "track_points"),
            (s.main_roads, "main_roads"),
            (s.patrol_routes, "patrol_routes"),
        ):
            assert c.execute(select(func.count()).select_from(table)).scalar() == f[key], key
        levels = dict(
            c.execute(
                select(s.admin_units.c.level, func.count()).group_by(s.admin_units.c.level)
            ).all()
        )
    assert levels == {"district": 1, "street": f["streets"], "community": f["communities"]}


def test_grid_codes_valid_and_numbered(grids, truth):
    codes_, comms, _ = grids
    for code, comm in zip(codes_, comms):
        assert codes.validate_grid_code(code, community_code=comm) == []
    sliver = {d["grids"][0] for d in truth["grid_defects"] if d["type"] == "sliver"}
    by_comm = defaultdict(list)
    for code in codes_:
        if code not in sliver:
            by_comm[code[:12]].append(int(code[12:]))
    for seqs in by_comm.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_grids_tessellate_except_the_documented_defects(ws, grids, truth):
    codes_, _, geoms = grids
    defects = truth["grid_defects"]
    assert Counter(d["type"] for d in defects) == {"overlap": 2, "gap": 2, "sliver": 1}
    assert all(shapely.is_valid(geoms))
    t = ws.schema.admin_units
    with ws.begin() as c:
        district = to_shape(c.execute(select(t.c.geom).where(t.c.level == "district")).scalar())
    union = shapely.union_all(geoms)
    gaps = sum(d["area_m2"] for d in defects if d["type"] == "gap")
    assert abs(district.area - union.area - gaps) < 5.0
    assert union.difference(district).area < 1.0
    # Pairwise overlaps: only the deliberate ones.
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    area = shapely.area(shapely.intersection(geoms[a], geoms[b]))
    found = {frozenset((codes_[i], codes_[j])) for i, j, x in zip(a, b, area) if x > 1.0}
    planted = {frozenset(d["grids"]) for d in defects if d["type"] == "overlap"}
    assert found == planted
    small = {codes_[i] for i in np.flatnonzero(shapely.area(geoms) < 200.0)}
    assert small == {d["grids"][0] for d in defects if d["type"] == "sliver"}


def test_components_valid_and_in_their_grid(ws, grids):
    codes_, _, geoms = grids
    grid_of = dict(zip(codes_, geoms))
    classes = {c.code: c for c in codes.default_component_classes("legacy16")}
    s = ws.schema
    with ws.begin() as c:
        rows = c.execute(
            select(
                s.components.c.identifier,
                s.components.c.class_code,
                s.components.c.grid_code,
                s.components.c.street_code,
                s.components.c.community_code,
                s.components.c.status,
                s.components.c.geom,
            ).order_by(s.components.c.identifier)
        ).all()
        counters = {
            r.class_code: r.next_serial for r in c.execute(select(s.identifier_counters)).all()
        }
    serials = defaultdict(list)
    kinds = {"point": "Point", "line": "LineString", "polygon": "Polygon"}
    for r in rows:
        assert (
            codes.validate_component_id(
                r.identifier, "legacy16", r.class_code, r.grid_code, set(classes)
            )
            == []
        )
        assert r.community_code == r.grid_code[:12] and r.street_code == r.grid_code[:9]
        serials[r.class_code].append(int(r.identifier[10:]))
        g = to_shape(r.geom)
        assert g.geom_type == kinds[classes[r.class_code].geometry_kind], r.identifier
        grid = grid_of[r.grid_code]
        if r.class_code in SPANNING:
            assert grid.contains(g.centroid), r.identifier
        else:
            assert grid.buffer(0.01).contains(g), r.identifier
    for cls, ser in serials.items():
        assert ser == list(range(1, len(ser) + 1))
        assert counters[cls] == len(ser) + 1
    assert {r.class_code[:2] for r in rows} == {"01", "02", "03", "04", "05", "06"}
    status = Counter(r.status for r in rows)
    assert status["完好"] > 0.85 * len(rows) and status["破损"] > 0 and status["丢失"] > 0


def test_tracks_cadence_gaps_and_speeds(ws, truth):
    t = ws.schema.track_points
    with ws.begin() as c:
        rows = c.execute(
            select(t.c.collector_code, t.c.fix_time, t.c.speed_kmh).order_by(
                t.c.collector_code, t.c.fix_time
            )
        ).all()
    first = rows[0].fix_time
    assert first.tzinfo is not None and first.utcoffset() == timedelta(0)
    week0 = datetime(2026, 11, 9, tzinfo=timezone(timedelta(hours=8)))
    assert all(week0 <= r.fix_time < week0 + timedelta(days=7) for r in rows[::997])
    by_coll = defaultdict(list)
    speeds = defaultdict(list)
    for r in rows:
        by_coll[r.collector_code].append(r.fix_time.timestamp())
        speeds[r.collector_code].append(r.speed_kmh)
    steps = np.concatenate([np.diff(v) for v in by_coll.values()])
    assert (steps == 10).mean() > 0.97
    in_shift_gaps = ((steps > 60) & (steps < 2 * 3600 - 60)).sum()
    assert in_shift_gaps >= 1 and len(truth["patrols"]["gaps"]) >= 1
    moving = {k: np.median([x for x in v if x > 2]) for k, v in speeds.items()}
    assert any(m > 12 for m in moving.values()) or any(m < 6 for m in moving.values())
    assert truth["patrols"]["weekly_skips"] and truth["patrols"]["strays"]


def test_weekly_skips_fail_the_coverage_check(ws, truth):
    from citymgmt_plugin.core.patrol import clip, segments
    from citymgmt_plugin.core.patrol import coverage as cov

    s = ws.schema
    with ws.begin() as c:
        units = c.execute(select(s.unit_grids.c.code, s.unit_grids.c.geom)).all()
        roads = [to_shape(r.geom) for r in c.execute(select(s.main_roads.c.geom)).all()]
        mapping = dict(
            c.execute(
                select(s.resp_grid_units.c.unit_grid_code, s.resp_grid_units.c.resp_grid_code)
            ).all()
        )
        fixes = c.execute(
            select(
                s.track_points.c.collector_code,
                s.track_points.c.fix_time,
                func.ST_X(s.track_points.c.geom),
                func.ST_Y(s.track_points.c.geom),
            )
        ).all()
    grid_geoms = np.array([to_shape(u.geom) for u in units], dtype=object)
    lines, line_grid = clip.clip_roads_to_grids(roads, grid_geoms)
    x = np.array([f[2] for f in fixes])
    y = np.array([f[3] for f in fixes])
    tt = np.array([int(f[1].timestamp()) for f in fixes], dtype=np.int64)
    segs = segments.track_segments(x, y, tt, np.array([f[0] for f in fixes]))
    res = cov.compute_coverage(lines, line_grid, len(units), segs, tolerance=25.0)
    rows = cov.rollup([u.code for u in units], res.road_m, res.covered_m, mapping)
    failed = {r.code for r in rows if not r.passed}
    planted = {g for skip in truth["patrols"]["weekly_skips"] for g in skip["resp_grids"]}
    assert planted and planted <= failed
    assert len(failed - planted) <= 1, failed - planted


def test_device_export(demo):
    import piexif
    from PIL import Image

    export = demo.out_dir / "device-export"
    fc = json.loads((export / "submissions.geojson").read_text(encoding="utf-8"))
    feats = fc["features"]
    gt = json.loads((export / "ground_truth.json").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(feats) >= 60
    ids = {f["properties"]["instance_id"] for f in feats}
    assert len(ids) == len(feats)
    for f in feats:
        p = f["properties"]
        assert p["kind"] in ("component", "event") and p["crs"] in ("WGS84", "GCJ02")
        assert p["observed_at"].endswith("+08:00") and p["photos"]
    assert sum(f["properties"]["kind"] == "component" for f in feats) >= 0.2 * len(feats)
    assert {d["instance_id"] for d in gt["duplicates"]} <= ids
    assert set(gt["gcj02_declared"]) | set(gt["gcj02_undeclared"]) <= ids
    problems = {m["problem"] for m in gt["malformed"]}
    assert {"no_position", "outside_city", "photo_not_jpeg", "exif_far"} <= problems
    by_id = {f["properties"]["instance_id"]: f for f in feats}
    for i in gt["gcj02_declared"]:
        assert by_id[i]["properties"]["crs"] == "GCJ02"
    bad = {m["instance_id"]: m["problem"] for m in gt["malformed"]}
    with open(export / "submissions.csv", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(feats)
    checked = 0
    for f in feats:
        p = f["properties"]
        if p["instance_id"] in bad:
            continue
        for name in p["photos"]:
            path = export / "photos" / name
            with Image.open(path) as img:
                assert img.format == "JPEG" and img.size == (640, 480)
            ex = piexif.load(str(path))
            assert ex["Exif"][piexif.ExifIFD.DateTimeOriginal]
            lat = ex["GPS"][piexif.GPSIFD.GPSLatitude]
            assert 31.0 < lat[0][0] + lat[1][0] / 60 < 32.0
            checked += 1
    assert checked > 40
    for i, problem in bad.items():
        if problem == "photo_not_jpeg":
            with Image.open(export / "photos" / by_id[i]["properties"]["photos"][0]) as img:
                assert img.format != "JPEG"
        if problem == "no_position":
            assert by_id[i]["geometry"] is None


def test_same_seed_same_district(demo, tmp_path):
    again = _generate(tmp_path / "again")
    a, b = demo.facts["district"], again.facts["district"]
    assert a["digest"] == b["digest"]
    assert {k: v for k, v in a.items() if k != "timings_s"} == {
        k: v for k, v in b.items() if k != "timings_s"
    }
