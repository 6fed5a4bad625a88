"""citymgmt:patrolcoverage through processing.run: memory layers, GeoPackage, PostGIS."""

from __future__ import annotations

import math
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
from qgis.core import (
    NULL,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt

ALG = "citymgmt:patrolcoverage"
X0, Y0 = 500000.0, 3460000.0
T0 = 1714953600  # 2024-05-06 08:00 China time


def _layer(uri: str, rows: list[tuple], name: str = "l") -> QgsVectorLayer:
    layer = QgsVectorLayer(uri, name, "memory")
    assert layer.isValid(), uri
    feats = []
    for geom, *attrs in rows:
        f = QgsFeature(layer.fields())
        if geom is not None:
            f.setGeometry(geom if isinstance(geom, QgsGeometry) else QgsGeometry.fromWkt(geom))
        f.setAttributes(list(attrs))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer


def _box(x0, y0, x1, y1) -> str:
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def grids_layer(crs="EPSG:4549"):
    return _layer(
        f"Polygon?crs={crs}&field=grid_code:string",
        [
            (_box(X0 - 10, Y0 - 100, X0 + 500, Y0 + 100), "320508001001001"),
            (_box(X0 + 500, Y0 - 100, X0 + 1010, Y0 + 100), "320508001001002"),
            (_box(X0 + 5000, Y0, X0 + 5100, Y0 + 100), "320508001001003"),
        ],
    )


def roads_layer():
    return _layer(
        "LineString?crs=EPSG:4549&field=name:string",
        [(f"LINESTRING({X0} {Y0},{X0 + 1000} {Y0})", "Renmin Rd")],
    )


def qdt(t: int) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(t), Qt.UTC)


def tracks_layer(rows, crs="EPSG:4549"):
    """rows: (x, y, t or None, collector) in EPSG:4549 metres relative to (X0, Y0)."""
    out = []
    target = QgsCoordinateReferenceSystem(crs)
    ct = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4549"), target, QgsProject.instance()
    )
    for x, y, t, c in rows:
        geom = None
        if x is not None:
            geom = QgsGeometry.fromPointXY(QgsPointXY(X0 + x, Y0 + y))
            if crs != "EPSG:4549":
                geom.transform(ct)
        out.append((geom, c, qdt(t) if t is not None else None))
    return _layer(f"Point?crs={crs}&field=collector:string&field=t:datetime", out)


def walk(x0, x1, y, t0=T0, collector="A001", step=10.0, dt=10):
    xs = np.arange(x0, x1 + step / 2, step)
    return [(float(x), float(y), t0 + k * dt, collector) for k, x in enumerate(xs)]


def run(grids, roads, tracks, **extra):
    import processing

    params = {
        "GRIDS": grids,
        "GRID_CODE_FIELD": "grid_code",
        "ROADS": roads,
        "TRACKS": tracks,
        "COLLECTOR_FIELD": "collector",
        "TIME_FIELD": "t",
        "OUTPUT": "TEMPORARY_OUTPUT",
        "GAPS": "TEMPORARY_OUTPUT",
    }
    params.update(extra)
    return processing.run(ALG, params)


def by_code(layer) -> dict:
    return {f["grid_code"]: f for f in layer.getFeatures()}


def test_hand_checked_lengths_and_outputs(processing_ready):
    res = run(grids_layer(), roads_layer(), tracks_layer(walk(300, 700, 10)))
    half = math.sqrt(30**2 - 10**2)
    out = by_code(res["OUTPUT"])
    assert res["OUTPUT"].featureCount() == 3
    g1, g2, g3 = (out[f"32050800100100{k}"] for k in (1, 2, 3))
    assert g1["road_m"] == pytest.approx(500.0)
    assert g1["covered_m"] == pytest.approx(200 + half, abs=1e-3)
    assert g2["covered_m"] == pytest.approx(200 + half, abs=1e-3)
    assert g1["coverage"] == pytest.approx((200 + half) / 500, abs=1e-5)
    assert not g1["passed"] and not g2["passed"]
    assert g3["road_m"] == 0 and g3["passed"]
    assert g3["coverage"] == NULL
    assert g1.geometry().area() == pytest.approx(510 * 200)
    gaps = list(res["GAPS"].getFeatures())
    assert len(gaps) == 2
    assert sorted(f["length_m"] for f in gaps) == pytest.approx([300 - half] * 2, abs=1e-3)
    assert {f["grid_code"] for f in gaps} == {"320508001001001", "320508001001002"}
    assert res["grids"] == 3
    assert res["grids_failed"] == 2
    assert res["road_m"] == pytest.approx(1000.0)
    assert res["covered_m"] == pytest.approx(400 + 2 * half, abs=1e-3)


def test_full_patrol_passes_and_rollup(processing_ready):
    resp = _layer(
        "None?field=unit:string&field=resp:string",
        [
            (None, "320508001001001", "R01"),
            (None, "320508001001002", "R01"),
            (None, "320508001001003", "R02"),
        ],
    )
    res = run(
        grids_layer(),
        roads_layer(),
        tracks_layer(walk(0, 1000, 5)),
        RESP_GRID_TABLE=resp,
        RESP_UNIT_FIELD="unit",
        RESP_CODE_FIELD="resp",
        RESP_OUTPUT="TEMPORARY_OUTPUT",
    )
    assert res["grids_failed"] == 0
    assert res["GAPS"].featureCount() == 0
    rows = {f["resp_code"]: f for f in res["RESP_OUTPUT"].getFeatures()}
    assert rows["R01"]["grids"] == 2
    assert rows["R01"]["road_m"] == pytest.approx(1000.0)
    assert rows["R01"]["covered_m"] == pytest.approx(1000.0)
    assert rows["R01"]["passed"]
    assert rows["R02"]["road_m"] == 0 and rows["R02"]["passed"]


def test_required_share_tolerance(processing_ready):
    # Covered 10..980 m: grid 1 has 98 % (misses 10 m), grid 2 has 96 % (misses 20 m).
    grids, roads, tracks = grids_layer(), roads_layer(), tracks_layer(walk(40, 950, 0))
    assert run(grids, roads, tracks)["grids_failed"] == 2
    assert run(grids, roads, tracks, REQUIRED=0.97)["grids_failed"] == 1
    assert run(grids, roads, tracks, REQUIRED=0.95)["grids_failed"] == 0
    # The tolerance on the share counts: 96 % passes 97 % within 1 point.
    assert run(grids, roads, tracks, REQUIRED=0.97, REQUIRED_TOLERANCE=0.01)["grids_failed"] == 0


def test_null_fixes_skipped_jump_dropped_gap_split(processing_ready):
    rows = walk(0, 300, 0)
    rows[5] = (rows[5][0], rows[5][1], None, "A001")  # null time
    rows[8] = (None, None, rows[8][2], "A001")  # null position
    rows[15] = (rows[15][0], 900.0, rows[15][2], "A001")  # GPS jump
    later = walk(700, 1000, 0, t0=rows[-1][2] + 600)  # 10 min gap: not joined
    res = run(grids_layer(), roads_layer(), tracks_layer(rows + later))
    assert res["fixes_skipped"] == 2
    assert res["jumps_dropped"] == 1
    assert res["covered_m"] == pytest.approx(330 + 330, abs=1e-3)


def test_time_window(processing_ready):
    rows = walk(0, 1000, 0)  # x metres at T0 + x seconds
    res = run(
        grids_layer(),
        roads_layer(),
        tracks_layer(rows),
        START=qdt(T0 + 200),
        END=qdt(T0 + 500),
    )
    assert res["covered_m"] == pytest.approx(300 + 60, abs=1e-3)


def test_tracks_in_wgs84_are_transformed(processing_ready):
    res = run(grids_layer(), roads_layer(), tracks_layer(walk(300, 700, 10), crs="EPSG:4326"))
    assert res["covered_m"] == pytest.approx(400 + 2 * math.sqrt(800), abs=0.01)


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty_tracks", "empty"),
        ("geographic_grids", "reproject"),
        ("missing_field", "not found"),
        ("line_tracks", "point"),
        ("bad_tolerance", "tolerance"),
    ],
)
def test_bad_inputs_are_explained(processing_ready, case, message):
    grids, roads, tracks = grids_layer(), roads_layer(), tracks_layer(walk(0, 100, 0))
    extra = {}
    if case == "empty_tracks":
        tracks = tracks_layer([])
    elif case == "geographic_grids":
        grids = _layer(
            "Polygon?crs=EPSG:4490&field=grid_code:string",
            [(_box(120.0, 31.0, 120.001, 31.001), "320508001001001")],
        )
    elif case == "missing_field":
        extra["GRID_CODE_FIELD"] = "no_such_field"
    elif case == "line_tracks":
        tracks = _layer(
            "LineString?crs=EPSG:4549&field=collector:string&field=t:datetime",
            [(f"LINESTRING({X0} {Y0},{X0 + 10} {Y0})", "A", qdt(T0))],
        )
    elif case == "bad_tolerance":
        extra["TOLERANCE"] = -5
    with pytest.raises(QgsProcessingException) as err:
        run(grids, roads, tracks, **extra)
    assert message in str(err.value).lower()


def _synthetic(tmp_path: Path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    try:
        from tests.fixtures.coverage_synth import make_district, write_gpkg
    finally:
        sys.path.pop(0)
    district = make_district(scale=0.02, seed=11, days=2)
    path = tmp_path / "district.gpkg"
    write_gpkg(district, path)
    return district, path


def _gpkg_params(path: Path) -> dict:
    return {
        "GRIDS": f"{path}|layername=grids",
        "ROADS": f"{path}|layername=roads",
        "TRACKS": f"{path}|layername=tracks",
    }


def test_geopackage_fast_path_matches_memory_path(processing_ready, tmp_path):
    from citymgmt_plugin.core.patrol.clip import clip_roads_to_grids
    from citymgmt_plugin.core.patrol.coverage import compute_coverage
    from citymgmt_plugin.core.patrol.segments import TrackRules, track_segments

    district, path = _synthetic(tmp_path)
    p = _gpkg_params(path)
    res = run(p["GRIDS"], p["ROADS"], p["TRACKS"])
    # Independent of the readers: the kernel straight on the generated arrays.
    segs = track_segments(district.fx, district.fy, district.ft, district.fcol, TrackRules())
    lines, lg = clip_roads_to_grids(district.road_lines, district.grid_polys)
    ref = compute_coverage(lines, lg, len(district.grid_polys), segs, 30.0)
    out = by_code(res["OUTPUT"])
    got = np.array([out[c]["covered_m"] for c in district.grid_codes])
    np.testing.assert_allclose(got, ref.covered_m, atol=1e-3)
    assert res["fixes_skipped"] == segs.stats.null_skipped
    assert res["jumps_dropped"] == segs.stats.jumps_dropped
    # The same layers through QGIS's generic reader (a memory copy) agree too.
    mem = {}
    for key, uri in p.items():
        layer = QgsVectorLayer(uri, key, "ogr")
        mem[key] = layer.materialize(QgsFeatureRequest())
    res2 = run(mem["GRIDS"], mem["ROADS"], mem["TRACKS"])
    out2 = by_code(res2["OUTPUT"])
    got2 = np.array([out2[c]["covered_m"] for c in district.grid_codes])
    np.testing.assert_allclose(got2, got, atol=1e-6)
    assert res2["jumps_dropped"] == res["jumps_dropped"]


def test_geopackage_fast_path_in_small_batches(processing_ready, tmp_path, monkeypatch):
    """Fixes arrive from GDAL's Arrow stream in batches written into preallocated arrays:
    many small batches give the same answer as one."""
    from processing_algorithms import readers

    district, path = _synthetic(tmp_path)
    p = _gpkg_params(path)
    whole = by_code(run(p["GRIDS"], p["ROADS"], p["TRACKS"])["OUTPUT"])
    monkeypatch.setattr(readers, "_BATCH", 997)
    res = run(p["GRIDS"], p["ROADS"], p["TRACKS"])
    batched = by_code(res["OUTPUT"])
    assert res["fixes_used"] > 10 * 997
    for code in district.grid_codes:
        assert batched[code]["covered_m"] == pytest.approx(whole[code]["covered_m"], abs=1e-9)


def test_fix_columns_grow_and_trim():
    """The reader's arrays follow the rows actually read, whatever count was announced."""
    from processing_algorithms.readers import _FixColumns

    for expected in (0, 2, 5, 50):
        cols = _FixColumns(expected, with_time=True)
        for k in range(3):
            v = np.arange(k * 2, k * 2 + 2)
            cols.append(v.astype(float), -v.astype(float), v * 10)
        x, y, t = cols.finish()
        np.testing.assert_array_equal(x, np.arange(6.0))
        np.testing.assert_array_equal(y, -np.arange(6.0))
        np.testing.assert_array_equal(t, np.arange(6) * 10)
        # Whole arrays, not views: the kernel may clean them in place.
        assert x.base is None and y.base is None and t.base is None


@pytest.fixture
def pg_schema(pg_url):
    from sqlalchemy import create_engine, text

    schema = "cov_test_" + uuid.uuid4().hex[:8]
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_postgis_mode_matches_desktop(processing_ready, tmp_path, pg_url, pg_schema):
    from osgeo import gdal
    from sqlalchemy.engine import make_url

    _district, path = _synthetic(tmp_path)
    url = make_url(pg_url)
    conn = f"host={url.host} port={url.port} user={url.username} dbname={url.database}"
    if url.password:
        conn += f" password={url.password}"
    gdal.UseExceptions()
    for name in ("grids", "roads", "tracks"):
        gdal.VectorTranslate(
            f"PG:{conn}",
            str(path),
            layers=[name],
            layerCreationOptions=[f"SCHEMA={pg_schema}", "GEOMETRY_NAME=geom", "FID=fid"],
        )
    layers = {}
    for name in ("grids", "roads", "tracks"):
        uri = f'{conn} key=\'fid\' table="{pg_schema}"."{name}" (geom)'
        layers[name] = QgsVectorLayer(uri, name, "postgres")
        assert layers[name].isValid(), uri
    desktop = run(str(path) + "|layername=grids", str(path) + "|layername=roads",
                  str(path) + "|layername=tracks")  # fmt: skip
    in_db = run(layers["grids"], layers["roads"], layers["tracks"], PG_MODE=True)
    a, b = by_code(desktop["OUTPUT"]), by_code(in_db["OUTPUT"])
    assert set(a) == set(b)
    for code in a:
        assert b[code]["road_m"] == pytest.approx(a[code]["road_m"], abs=1e-3)
        assert b[code]["covered_m"] == pytest.approx(a[code]["covered_m"], abs=1e-3)
        assert b[code]["passed"] == a[code]["passed"]
    for key in ("grids", "grids_failed", "fixes_skipped", "jumps_dropped", "fixes_used"):
        assert in_db[key] == desktop[key], key
    assert in_db["covered_m"] == pytest.approx(desktop["covered_m"], abs=1e-2)
    gap_a = sorted(round(f["length_m"], 2) for f in desktop["GAPS"].getFeatures())
    gap_b = sorted(round(f["length_m"], 2) for f in in_db["GAPS"].getFeatures())
    assert gap_a == pytest.approx(gap_b, abs=0.02)


def test_postgis_mode_needs_postgis_layers(processing_ready):
    with pytest.raises(QgsProcessingException) as err:
        run(grids_layer(), roads_layer(), tracks_layer(walk(0, 100, 0)), PG_MODE=True)
    assert "postgis" in str(err.value).lower()
