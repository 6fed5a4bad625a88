"""Coverage kernel: hand-checked cases and track cleaning rules."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from citymgmt_plugin.core.patrol.clip import clip_roads_to_grids
from citymgmt_plugin.core.patrol.coverage import capsule_intervals, compute_coverage, passes, rollup
from citymgmt_plugin.core.patrol.segments import (
    NULL_TIME,
    TrackRules,
    clean_track,
    factorize,
    track_segments,
)


def walk(x0, x1, y, step=10.0, t0=0, dt=10, collector="a"):
    """Fixes every ``step`` metres along y from x0 to x1, one every ``dt`` seconds."""
    xs = np.arange(x0, x1 + step / 2, step, dtype=float)
    return (
        xs,
        np.full(len(xs), float(y)),
        t0 + np.arange(len(xs), dtype=np.int64) * dt,
        [collector] * len(xs),
    )


def cover(roads, grids, x, y, t, c, tol=30.0, rules=None):
    rules = rules or TrackRules()
    lines, lg = clip_roads_to_grids(roads, grids)
    segs = track_segments(np.asarray(x), np.asarray(y), np.asarray(t), np.asarray(c, object), rules)
    return compute_coverage(lines, lg, len(grids), segs, tol), segs


ROAD = shapely.LineString([(0, 0), (1000, 0)])
ONE_GRID = [shapely.box(-10, -100, 1010, 100)]


def test_parallel_track_covers_exact_length_with_caps():
    x, y, t, c = walk(300, 700, 10)
    res, _ = cover([ROAD], ONE_GRID, x, y, t, c)
    expected = 400 + 2 * math.sqrt(30**2 - 10**2)
    assert res.road_m[0] == pytest.approx(1000.0)
    assert res.covered_m[0] == pytest.approx(expected, abs=1e-9)
    assert sorted(res.gap_length) == pytest.approx([300 - math.sqrt(800)] * 2)
    assert len(res.gap_lines) == 2
    assert res.coverage[0] == pytest.approx(expected / 1000)


def test_track_beyond_tolerance_covers_nothing():
    x, y, t, c = walk(0, 1000, 31)
    res, _ = cover([ROAD], ONE_GRID, x, y, t, c)
    assert res.covered_m[0] == 0
    assert res.gap_length.sum() == pytest.approx(1000.0)


def test_crossing_track_covers_chord():
    # A perpendicular crossing at x=500 covers 2*30 m of the road.
    ys = np.arange(-200.0, 201.0, 10.0)
    res, _ = cover(
        [ROAD], ONE_GRID, np.full(len(ys), 500.0), ys, np.arange(len(ys)) * 10, ["a"] * len(ys)
    )
    assert res.covered_m[0] == pytest.approx(60.0)


def test_lengths_split_by_grid():
    grids = [shapely.box(-10, -100, 500, 100), shapely.box(500, -100, 1010, 100)]
    x, y, t, c = walk(300, 700, 0)
    res, _ = cover([ROAD], grids, x, y, t, c)
    assert res.road_m == pytest.approx([500.0, 500.0])
    assert res.covered_m == pytest.approx([230.0, 230.0])
    assert res.passed(1.0, 0.005).tolist() == [False, False]


def test_grid_without_road_passes_and_has_nan_coverage():
    grids = [*ONE_GRID, shapely.box(5000, 5000, 5100, 5100)]
    x, y, t, c = walk(0, 1000, 0)
    res, _ = cover([ROAD], grids, x, y, t, c)
    assert res.road_m[1] == 0
    assert math.isnan(res.coverage[1])
    assert res.passed().tolist() == [True, True]


def test_duplicate_road_counts_once():
    x, y, t, c = walk(0, 500, 0)
    res, _ = cover([ROAD, ROAD], ONE_GRID, x, y, t, c)
    assert res.road_m[0] == pytest.approx(1000.0)
    assert res.covered_m[0] == pytest.approx(530.0)


def test_two_collectors_union():
    x1, y1, t1, c1 = walk(0, 300, 0, collector="a")
    x2, y2, t2, c2 = walk(600, 1000, 0, collector="b")
    res, segs = cover([ROAD], ONE_GRID, np.r_[x1, x2], np.r_[y1, y2], np.r_[t1, t2], c1 + c2)
    assert res.covered_m[0] == pytest.approx(330.0 + 430.0)
    assert len(segs.collectors) == 2


def test_single_gps_jump_is_dropped():
    x, y, t, c = walk(0, 1000, 0)
    y = y.copy()
    y[50] = 800.0  # one fix 800 m off the road
    track = clean_track(x, y, t, np.array(c, object), TrackRules())
    assert track.stats.jumps_dropped == 1
    assert track.stats.kept == len(x) - 1
    res, segs = cover([ROAD], ONE_GRID, x, y, t, c)
    # The segment around the dropped fix still joins its neighbours: all covered.
    assert res.covered_m[0] == pytest.approx(1000.0)
    assert segs.stats.segments == len(x) - 2


def test_real_relocation_restarts_after_gap():
    # Walk 0..200, then (taken by car) fixes continue 3 km away: not reachable at 60 km/h.
    xa, ya, ta, ca = walk(0, 200, 0)
    xb, yb, tb, cb = walk(3000, 4000, 0, t0=int(ta[-1]) + 10)
    x, y, t = np.r_[xa, xb], np.r_[ya, yb], np.r_[ta, tb]
    rules = TrackRules(max_gap_s=120, max_speed_kmh=60)
    track = clean_track(x, y, t, np.array(ca + cb, object), rules)
    # Fixes within 120 s of the last kept one are jumps; then a new piece starts.
    assert track.stats.jumps_dropped == 12
    assert track.stats.pieces == 2
    kept_b = track.x[track.x >= 3000]
    assert kept_b[0] == pytest.approx(3120.0)


def test_outlier_cannot_start_a_piece():
    # After a long gap the first fix is an outlier: it is not confirmed by the next fixes.
    xa, ya, ta, ca = walk(0, 100, 0)
    xb, yb, tb, cb = walk(500, 700, 0, t0=int(ta[-1]) + 600)
    xb[0], yb[0] = 5000.0, 5000.0
    track = clean_track(
        np.r_[xa, xb], np.r_[ya, yb], np.r_[ta, tb], np.array(ca + cb, object), TrackRules()
    )
    assert track.stats.jumps_dropped == 1
    assert 5000.0 not in track.x


def test_gap_splits_the_track():
    xa, ya, ta, ca = walk(0, 300, 0)
    xb, yb, tb, cb = walk(700, 1000, 0, t0=int(ta[-1]) + 300)
    x, y, t, c = np.r_[xa, xb], np.r_[ya, yb], np.r_[ta, tb], ca + cb
    res, segs = cover([ROAD], ONE_GRID, x, y, t, c)
    assert segs.stats.pieces == 2
    assert res.covered_m[0] == pytest.approx(330.0 + 330.0)
    # With a longer allowed gap the two pieces join and the middle is covered too.
    res2, _ = cover([ROAD], ONE_GRID, x, y, t, c, rules=TrackRules(max_gap_s=400))
    assert res2.covered_m[0] == pytest.approx(1000.0)


def test_null_time_and_position_skipped():
    x, y, t, c = walk(0, 1000, 0)
    t = t.copy()
    x = x.copy()
    t[10] = NULL_TIME
    x[20] = np.nan
    segs = track_segments(x, y, t, np.array(c, object))
    assert segs.stats.null_skipped == 2
    assert segs.stats.kept == len(x) - 2


def test_time_window():
    x, y, t, c = walk(0, 1000, 0)  # x = t here (10 m every 10 s)
    rules = TrackRules(start=200, end=500)
    res, segs = cover([ROAD], ONE_GRID, x, y, t, c, rules=rules)
    assert segs.stats.outside_window == len(x) - 31
    assert res.covered_m[0] == pytest.approx(300 + 60)


def test_unsorted_input_is_sorted_by_collector_and_time():
    x, y, t, c = walk(0, 1000, 0)
    perm = np.random.default_rng(3).permutation(len(x))
    res, segs = cover([ROAD], ONE_GRID, x[perm], y[perm], t[perm], np.array(c)[perm].tolist())
    assert segs.stats.jumps_dropped == 0
    assert res.covered_m[0] == pytest.approx(1000.0)


def test_long_track_segment_is_handled():
    # Two fixes 1 km apart in 60 s (60 km/h allowed): one long segment covers it all.
    res, _ = cover([ROAD], ONE_GRID, [0.0, 1000.0], [5.0, 5.0], [0, 60], ["a", "a"])
    assert res.covered_m[0] == pytest.approx(1000.0)


def test_capsule_intervals_cases():
    one = np.ones(1)
    z = np.zeros(1)
    # Road A=(0,0) along +x, length 100; track segment (40,10)-(60,10), r=30.
    lo, hi = capsule_intervals(z, z, one, z, 100 * one, 40 * one, 10 * one, 60 * one, 10 * one, 30)
    half = math.sqrt(800)
    assert (lo[0], hi[0]) == pytest.approx((40 - half, 60 + half))
    # Zero-length track segment: a disk.
    lo, hi = capsule_intervals(z, z, one, z, 100 * one, 50 * one, z, 50 * one, z, 30)
    assert (lo[0], hi[0]) == pytest.approx((20, 80))
    # Far away: empty.
    lo, hi = capsule_intervals(z, z, one, z, 100 * one, 50 * one, 99 * one, 60 * one, 99 * one, 30)
    assert lo[0] >= hi[0]


def test_factorize_objects_and_bytes():
    codes, labels = factorize(np.array(["b", "b", "a", "b"], dtype=object))
    assert labels[codes].tolist() == ["b", "b", "a", "b"]
    codes, labels = factorize(np.array([b"x", b"y", b"x"]))
    assert labels[codes].tolist() == [b"x", b"y", b"x"]
    codes, labels = factorize(np.array([5, 3, 5]))
    assert labels[codes].tolist() == [5, 3, 5]


def test_passes_threshold():
    assert passes(
        np.array([100.0, 100.0, 0.0]), np.array([99.5, 99.4, 0.0]), 1.0, 0.005
    ).tolist() == [
        True,
        False,
        True,
    ]


def test_rollup_sums_per_responsibility_grid():
    rows = rollup(
        ["g1", "g2", "g3", "g4"],
        np.array([100.0, 100.0, 0.0, 50.0]),
        np.array([100.0, 50.0, 0.0, 50.0]),
        {"g1": "R1", "g2": "R1", "g3": "R2", "g4": "R2"},
    )
    assert [(r.code, r.grids, r.grids_failed, r.road_m, r.covered_m, r.passed) for r in rows] == [
        ("R1", 2, 1, 200.0, 150.0, False),
        ("R2", 2, 0, 50.0, 50.0, True),
    ]
    assert rows[0].coverage == pytest.approx(0.75)
