"""The PostGIS coverage script against the numpy kernel, on a real PostGIS database."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
import shapely

from citymgmt_plugin.core.patrol.clip import clip_roads_to_grids
from citymgmt_plugin.core.patrol.coverage import compute_coverage
from citymgmt_plugin.core.patrol.coverage_sql import (
    CoverageQuery,
    PgTable,
    coverage_sql,
    coverage_statements,
    stats_query,
)
from citymgmt_plugin.core.patrol.segments import NULL_TIME, TrackRules, track_segments

SRID = 4549


def test_script_text_uses_postgis_steps():
    q = CoverageQuery(
        PgTable("s", "grids", "geom", SRID), "code", PgTable("s", "roads", "geom", SRID),
        PgTable("s", "tracks", "geom", 4326, "collector <> 'x'"), "who", "t", "timestamp",
        30.0, TrackRules(start=10, end=20),
    )  # fmt: skip
    text = coverage_sql(q)
    for needle in (
        "ST_MakeLine",
        "ST_DWithin",
        "ST_Intersection",
        "WITH RECURSIVE",
        "ST_Transform",
        "AT TIME ZONE 'Asia/Shanghai'",
        "f.t >= 10 AND f.t <= 20",
        "WHERE (collector <> 'x')",
    ):
        assert needle in text
    with pytest.raises(ValueError):
        coverage_statements(
            CoverageQuery(q.grids, "c", q.roads, q.tracks, "w", "t", "text", 30, TrackRules())
        )


def _scene():
    rng = np.random.default_rng(5)
    roads = [
        shapely.LineString([(0, 0), (1000, 0)]),
        shapely.LineString([(500, -300), (520, 0), (480, 400)]),
        shapely.LineString([(0, 300), (400, 320), (900, 250)]),
    ]
    grids = [
        shapely.box(x, y, x + 250, y + 250)
        for x in range(0, 1000, 250)
        for y in (-500, -250, 0, 250)
    ]
    x, y, t, c = [], [], [], []
    for who, path_y, t0 in (("A", 5.0, 0), ("B", 310.0, 50_000)):
        xs = np.arange(0, 1000, 12.0)
        ys = np.full(len(xs), path_y) + rng.normal(0, 4, len(xs))
        ts = t0 + np.arange(len(xs)) * 10
        x += list(xs)
        y += list(ys)
        t += list(ts)
        c += [who] * len(xs)
    x, y, t = np.array(x), np.array(y), np.array(t, dtype=np.int64)
    y[20] += 900  # single outlier
    x[40:60] += 2500  # relocation for 200 s, then back
    t[70] = NULL_TIME
    x[75] = np.nan
    t[130:] += 400  # a gap for collector A... and B shifts too (still ordered per collector)
    return roads, grids, x, y, t, np.array(c, dtype=object)


@pytest.fixture
def pg_conn(pg_url):
    import psycopg2
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    conn = psycopg2.connect(
        host=url.host, port=url.port, user=url.username, password=url.password,
        dbname=url.database,
    )  # fmt: skip
    schema = "cov_test_" + uuid.uuid4().hex[:8]
    with conn, conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')
    yield conn, schema
    with conn, conn.cursor() as cur:
        cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    conn.close()


@pytest.mark.parametrize("window", [(None, None), (150, 40_000)])
def test_sql_matches_numpy_kernel(pg_conn, window):
    conn, schema = pg_conn
    roads, grids, x, y, t, c = _scene()
    with conn, conn.cursor() as cur:
        cur.execute(
            f'CREATE TABLE "{schema}".grids (id serial, code text, geom geometry(Polygon, {SRID}))'
        )
        cur.execute(f'CREATE TABLE "{schema}".roads (id serial, geom geometry(LineString, {SRID}))')
        cur.execute(
            f'CREATE TABLE "{schema}".tracks (id serial, who text, t timestamptz, '
            f"geom geometry(Point, {SRID}))"
        )
        for k, g in enumerate(grids):
            cur.execute(
                f'INSERT INTO "{schema}".grids (code, geom) '
                f"VALUES (%s, ST_GeomFromText(%s, {SRID}))",
                (f"G{k:02d}", g.wkt),
            )
        for r in roads:
            cur.execute(
                f'INSERT INTO "{schema}".roads (geom) VALUES (ST_GeomFromText(%s, {SRID}))',
                (r.wkt,),
            )
        for xi, yi, ti, ci in zip(x, y, t, c):
            cur.execute(
                f'INSERT INTO "{schema}".tracks (who, t, geom) VALUES '
                f"(%s, CASE WHEN %s THEN NULL ELSE to_timestamp(%s) END, "
                f"CASE WHEN %s THEN NULL ELSE ST_SetSRID(ST_MakePoint(%s, %s), {SRID}) END)",
                (ci, bool(ti == NULL_TIME), int(ti) if ti != NULL_TIME else 0,
                 bool(np.isnan(xi)), float(np.nan_to_num(xi)), float(yi)),
            )  # fmt: skip
    rules = TrackRules(max_gap_s=120, max_speed_kmh=60, start=window[0], end=window[1])
    q = CoverageQuery(
        PgTable(schema, "grids", "geom", SRID), "code", PgTable(schema, "roads", "geom", SRID),
        PgTable(schema, "tracks", "geom", SRID), "who", "t", "timestamptz", 30.0, rules,
    )  # fmt: skip
    with conn, conn.cursor() as cur:
        results = []
        for stmt in coverage_statements(q):
            cur.execute(stmt)
            if stmt.startswith("SELECT"):
                results.append(cur.fetchall())
        cur.execute(stats_query(q))
        total, nulls, outside, kept, nseg = cur.fetchone()
    grid_rows, gap_rows = results
    segs = track_segments(x, y, t, c, rules)
    lines, lg = clip_roads_to_grids(roads, grids)
    ref = compute_coverage(lines, lg, len(grids), segs, 30.0)
    assert [r[0] for r in grid_rows] == [f"G{k:02d}" for k in range(len(grids))]
    np.testing.assert_allclose([r[2] for r in grid_rows], ref.road_m, atol=1e-6)
    np.testing.assert_allclose([r[3] for r in grid_rows], ref.covered_m, atol=1e-6)
    assert (total, nulls, outside, kept, nseg) == (
        len(x), segs.stats.null_skipped, segs.stats.outside_window, segs.stats.kept,
        segs.stats.segments,
    )  # fmt: skip
    assert segs.stats.jumps_dropped > 10  # the outlier and the relocation
    got = np.bincount(
        [r[0] for r in gap_rows], weights=[r[2] for r in gap_rows], minlength=len(grids)
    )
    want = np.bincount(ref.gap_grid, weights=ref.gap_length, minlength=len(grids))
    np.testing.assert_allclose(got, want, atol=1e-6)
