"""Route deviation kernel: hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from citymgmt_plugin.core.patrol.deviation import local_day, route_deviation
from citymgmt_plugin.core.patrol.segments import TrackRules, track_segments

ROUTE = shapely.LineString([(0, 0), (1000, 0)])
# 2024-05-06 08:00 Asia/Shanghai
T0 = 1714953600


def run(x, y, t, c, routes, tol=30.0):
    segs = track_segments(
        np.asarray(x, float), np.asarray(y, float), np.asarray(t, np.int64),
        np.asarray(c, object), TrackRules(),
    )  # fmt: skip
    return route_deviation(segs, routes, tol)


def test_on_route_patrol_has_no_deviation():
    x = np.arange(0, 1001, 10.0)
    res = run(x, np.full(len(x), 5.0), T0 + np.arange(len(x)) * 10, ["a"] * len(x), {"a": ROUTE})
    (row,) = res.rows
    assert (row.collector, row.day) == ("a", "2024-05-06")
    assert row.patrol_s == 1000 and row.patrol_m == pytest.approx(1000)
    assert row.off_s == 0 and row.off_m == 0
    assert row.off_time_share == 0
    assert len(res.stretches.lines) == 0


def test_detour_is_measured_from_tolerance_crossing():
    # Along the route to x=500, then 10 fixes walking away to y=100 and back.
    out = np.arange(10, 101, 10.0)
    x = np.r_[np.arange(0, 501, 10.0), np.full(9, 500.0), np.full(10, 500.0)]
    y = np.r_[np.zeros(51), out[:-1], out[::-1]]
    t = T0 + np.arange(len(x)) * 10
    res = run(x, y, t, ["a"] * len(x), {"a": ROUTE})
    (row,) = res.rows
    # Off beyond 30 m: from y=30 up to 100 and back down to 30 = 140 m, 140 s.
    assert row.off_m == pytest.approx(140.0)
    assert row.off_s == pytest.approx(140.0)
    assert row.patrol_m == pytest.approx(500 + 90 + 100)
    assert row.off_dist_share == pytest.approx(140 / 690)
    assert len(res.stretches.lines) == 1
    assert res.stretches.length_m[0] == pytest.approx(140.0)
    assert res.stretches.duration_s[0] == pytest.approx(140.0)
    assert res.stretches.lines[0].length == pytest.approx(140.0)


def test_days_split_at_local_midnight():
    # 23:59:00 to 00:01:00 China time, on the route.
    start = T0 + 16 * 3600 - 60
    x = np.arange(0, 121, 10.0)
    res = run(x, np.zeros(len(x)), start + np.arange(len(x)) * 10, ["a"] * len(x), {"a": ROUTE})
    assert [(r.day, r.patrol_s) for r in res.rows] == [("2024-05-06", 60.0), ("2024-05-07", 60.0)]
    assert local_day(np.array([T0 + 16 * 3600])) - local_day(np.array([T0])) == 1


def test_collector_without_route_is_reported():
    x = np.arange(0, 101, 10.0)
    res = run(x, np.zeros(len(x)), T0 + np.arange(len(x)) * 10, ["b"] * len(x), {"a": ROUTE})
    (row,) = res.rows
    assert res.missing_routes == ["b"]
    assert row.off_s is None and row.off_time_share is None
    assert row.patrol_m == pytest.approx(100)


def test_wholly_off_route_collector():
    x = np.arange(0, 101, 10.0)
    res = run(x, np.full(len(x), 200.0), T0 + np.arange(len(x)) * 10, ["a"] * len(x), {"a": ROUTE})
    (row,) = res.rows
    assert row.off_m == pytest.approx(100) and row.off_time_share == pytest.approx(1.0)
    assert res.stretches.lines[0].length == pytest.approx(100)
