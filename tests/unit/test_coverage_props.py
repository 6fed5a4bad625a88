"""Property tests: the vectorised kernel against independent plain computations."""

from __future__ import annotations

from dataclasses import astuple
from unittest import mock

import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citymgmt_plugin.core.patrol import segments
from citymgmt_plugin.core.patrol.clip import clip_roads_to_grids
from citymgmt_plugin.core.patrol.coverage import compute_coverage
from citymgmt_plugin.core.patrol.segments import (
    NULL_TIME,
    TrackRules,
    TrackSegments,
    clean_track,
    clean_track_reference,
    track_segments,
)

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def fixes(draw, max_n=60):
    """Random walks of a few collectors with outliers, gaps, duplicates and nulls."""
    n = draw(st.integers(1, max_n))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    col = rng.integers(0, draw(st.integers(1, 3)), n)
    dt = rng.choice([0, 5, 10, 10, 10, 30, 150, 400], n)
    t = np.cumsum(dt).astype(np.int64)
    x = np.cumsum(rng.normal(0, draw(st.sampled_from([5.0, 40.0, 150.0])), n)) + 150
    y = np.cumsum(rng.normal(0, 40.0, n)) + 150
    jump = rng.random(n) < 0.1
    x[jump] += rng.uniform(-2000, 2000, jump.sum())
    t[rng.random(n) < 0.05] = NULL_TIME
    x[rng.random(n) < 0.05] = np.nan
    perm = rng.permutation(n)
    return x[perm], y[perm], t[perm], np.array([f"c{c}" for c in col[perm]], dtype=object)


@SETTINGS
@given(
    fixes(),
    st.sampled_from([30.0, 60.0, 200.0]),
    st.sampled_from([20.0, 120.0]),
    st.one_of(st.none(), st.integers(0, 2000)),
)
def test_clean_track_matches_fix_by_fix_reference(data, vmax, gap, start):
    x, y, t, c = data
    rules = TrackRules(max_gap_s=gap, max_speed_kmh=vmax, start=start)
    track = clean_track(x, y, t, c, rules)
    got = sorted(
        (track.collectors[k], int(ti), float(xi), float(yi), bool(p))
        for k, ti, xi, yi, p in zip(track.collector, track.t, track.x, track.y, track.new_piece)
    )
    want = sorted(clean_track_reference(x, y, t, c, rules))
    # Equal times of one collector may come in any order; compare as multisets.
    assert [g[:2] for g in got] == [w[:2] for w in want]
    assert got == want


@SETTINGS
@given(fixes(max_n=120), st.booleans(), st.one_of(st.none(), st.integers(0, 2000)))
def test_overwriting_the_input_gives_the_same_segments(data, presorted, start):
    """The algorithms hand their freshly read arrays over (``overwrite``) to be filtered and
    cut in place; the segments must be exactly those of the copying path. Small blocks make
    the in-place compaction cross many block boundaries."""
    x, y, t, c = data
    if presorted:  # sorted input skips the re-sort, so the caller's buffers are written
        order = np.lexsort((t, c))
        x, y, t, c = x[order], y[order], t[order], c[order]
    rules = TrackRules(max_gap_s=120.0, max_speed_kmh=60.0, start=start)
    with mock.patch.object(segments, "_BLOCK", 7):
        want = track_segments(x, y, t, c, rules)
        got = track_segments(x.copy(), y.copy(), t.copy(), c.copy(), rules, overwrite=True)
    for name in ("x0", "y0", "x1", "y1", "t0", "t1", "collector"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
    assert list(got.collectors) == list(want.collectors)
    assert astuple(got.stats) == astuple(want.stats)


def _reference(roads, grids, segs, tol):
    """Exact answer through shapely: road ∩ buffer(track, tol), per grid."""
    road = shapely.union_all(roads)
    if len(segs):
        lines = shapely.linestrings(
            np.stack([np.c_[segs.x0, segs.y0], np.c_[segs.x1, segs.y1]], axis=1)
        )
        buf = shapely.union_all(shapely.buffer(lines, tol, quad_segs=64))
    else:
        buf = shapely.Polygon()
    out = []
    for g in grids:
        rg = road.intersection(g)
        out.append((rg.length, rg.intersection(buf).length))
    return np.array(out)


@st.composite
def scenes(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    roads = [
        shapely.LineString(rng.uniform(0, 300, (rng.integers(2, 6), 2)))
        for _ in range(rng.integers(1, 5))
    ]
    size = draw(st.sampled_from([60.0, 100.0, 150.0]))
    grids = [
        shapely.box(x, y, x + size, y + size)
        for x in np.arange(0, 300, size)
        for y in np.arange(0, 300, size)
    ]
    n = int(rng.integers(2, 80))
    x = np.cumsum(rng.normal(0, 20, n)) + rng.uniform(50, 250)
    y = np.cumsum(rng.normal(0, 20, n)) + rng.uniform(50, 250)
    t = np.cumsum(rng.choice([5, 10, 10, 60, 200], n)).astype(np.int64)
    c = np.array([f"c{k}" for k in rng.integers(0, 3, n)], dtype=object)
    tol = draw(st.sampled_from([2.0, 10.0, 30.0, 45.0]))
    return roads, grids, (x, y, t, c), tol


@SETTINGS
@given(scenes())
def test_coverage_matches_shapely_buffer(scene):
    roads, grids, (x, y, t, c), tol = scene
    segs = track_segments(x, y, t, c, TrackRules(max_speed_kmh=100, max_gap_s=120))
    lines, lg = clip_roads_to_grids(roads, grids)
    res = compute_coverage(lines, lg, len(grids), segs, tol)
    ref = _reference(roads, grids, segs, tol)
    np.testing.assert_allclose(res.road_m, ref[:, 0], atol=1e-6)
    # quad_segs=64 polygons under-cover circle caps by < r(1-cos(pi/256)), a few mm.
    allowed = np.maximum(0.005 * ref[:, 0], 0.05)
    assert np.all(np.abs(res.covered_m - ref[:, 1]) <= allowed)
    gap_sum = np.bincount(res.gap_grid, weights=res.gap_length, minlength=len(grids))
    np.testing.assert_allclose(gap_sum, res.road_m - res.covered_m, atol=1e-6)
    assert np.all(res.covered_m <= res.road_m + 1e-9)


@SETTINGS
@given(scenes(), st.integers(0, 2**32 - 1))
def test_coverage_does_not_depend_on_segment_order(scene, seed):
    roads, grids, (x, y, t, c), tol = scene
    segs = track_segments(x, y, t, c, TrackRules(max_speed_kmh=100))
    lines, lg = clip_roads_to_grids(roads, grids)
    a = compute_coverage(lines, lg, len(grids), segs, tol)
    perm = np.random.default_rng(seed).permutation(len(segs))
    shuffled = TrackSegments(
        segs.x0[perm], segs.y0[perm], segs.x1[perm], segs.y1[perm], segs.t0[perm],
        segs.t1[perm], segs.collector[perm], segs.collectors,
    )  # fmt: skip
    b = compute_coverage(lines, lg, len(grids), shuffled, tol)
    np.testing.assert_allclose(a.covered_m, b.covered_m, atol=1e-7)
