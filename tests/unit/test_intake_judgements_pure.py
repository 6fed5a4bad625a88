"""Pure parts of the shifted-position and duplicate judgements (no database)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from citymgmt_plugin.core import chinacrs
from citymgmt_plugin.core.submissions import states
from citymgmt_plugin.core.submissions.judge import position as crsguard
from citymgmt_plugin.core.submissions.judge.context import Rules
from citymgmt_plugin.core.submissions.judge.duplicates import DuplicateRules, link_duplicates


def test_exif_verdicts():
    lon = np.array([120.61, 120.62, 120.63, 120.64, 120.65])
    lat = np.array([31.31, 31.32, 31.33, 31.34, 31.35])
    g = chinacrs.wgs84_to_gcj02(lon, lat)
    b = chinacrs.wgs84_to_bd09(lon, lat)
    declared_lon = np.array([g[0][0], b[0][1], lon[2] + 0.00005, lon[3] + 0.04, g[0][4] + 0.0002])
    declared_lat = np.array([g[1][0], b[1][1], lat[2], lat[3], g[1][4]])
    got = crsguard.exif_verdicts(declared_lon, declared_lat, lon, lat, Rules())
    # GCJ-02, BD-09, WGS84 confirmed (5 m), 4 km away (nothing), GCJ-02 but 19 m off (nothing)
    assert list(got) == ["GCJ02", "BD09", "WGS84", "", ""]


def test_flags_round_trip_and_read_for_people():
    flag = states.encode_flag(states.PositionFlag("GCJ02", ("exif", "roads"), corrected=True))
    assert flag == "suspected_gcj02:exif+roads:corrected"
    assert states.decode_flag(flag) == states.PositionFlag("GCJ02", ("exif", "roads"), True)
    assert states.decode_flag("suspected_bd09:exif:corrected").system == "BD09"
    assert states.decode_flag("suspected_gcj02") == states.PositionFlag("GCJ02", ("roads",), False)
    assert states.decode_flag(None) is None
    assert "GCJ-02" in states.describe_flag("suspected_gcj02:device")


def test_device_verdict_needs_consistent_evidence():
    rules = Rules()
    # dev-g: corrected, 5 of 6 points land on a road that none was on; dev-w: a collector
    # working away from the main roads (far as declared, corrected only somewhat nearer).
    keys = ["dev-g"] * 6 + ["dev-w"] * 6 + ["dev-e"] * 3
    raw = np.array([80, 120, 60, 200, 90, 150, 124, 130, 110, 140, 100, 160, 5, 5, 5], float)
    fixed = np.array([2, 3, 1, 40, 4, 2, 24, 30, 20, 5, 60, 25, 300, 300, 300], float)
    votes = [""] * 12 + ["GCJ02", "GCJ02", "WGS84"]
    got = crsguard._device_verdicts(keys, raw, fixed, votes, rules)
    assert got["dev-g"].gcj02 and not got["dev-w"].gcj02
    assert not got["dev-e"].gcj02  # EXIF decides: 2 of 3 is under the 80 % asked
    votes[14] = "GCJ02"
    assert crsguard._device_verdicts(keys, raw, fixed, votes, rules)["dev-e"].gcj02


def test_link_duplicates_exact():
    ids = np.array([1, 2, 3, 4, 5, 6])
    x = np.array([0.0, 12.0, 0.0, 5.0, 3.0, 20.0])
    y = np.array([0.0, 0.0, 45.0, 0.0, 0.0, 10.0])
    t = np.array([0, 600, 900, 3 * 3600, 300, 1200], float)
    group = np.array([0, 0, 0, 0, 1, 0])
    got = link_duplicates(ids, x, y, t, group, DuplicateRules())
    assert got == {1: 0, 5: 0}  # index 1 -> 0 directly, index 5 via index 1 to its root 0
    # same time: the lower id is the original
    same = link_duplicates(
        np.array([7, 3]), np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2, int), DuplicateRules()
    )
    assert same == {0: 1}


def _reference_links(ids, x, y, t, group, rules) -> dict[int, int]:
    """The rule spelled out pair by pair (O(n²)): what the vectorised kernel must equal."""
    direct = {}
    for i in range(len(ids)):
        best = None
        for j in range(len(ids)):
            dt = t[i] - t[j]
            earlier = dt > 0 or (dt == 0 and ids[j] < ids[i])
            d = float(np.hypot(x[i] - x[j], y[i] - y[j]))
            if i == j or group[i] != group[j] or not earlier or dt > rules.window_h * 3600:
                continue
            if d <= rules.distance_m and (best is None or (d, dt) < best[:2]):
                best = (d, dt, j)
        if best is not None:
            direct[i] = best[2]
    root: dict[int, int] = {}
    for i in sorted(direct, key=lambda k: (t[k], ids[k])):
        root[i] = root.get(direct[i], direct[i])
    return root


def test_link_duplicates_equals_the_rule_spelled_out():
    # dense enough that many reports repeat one another, chains included
    # (the 10,000-record timing is in make bench, not here)
    n = 1_500
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 600, n), rng.uniform(0, 600, n)
    t = np.sort(rng.uniform(0, 86400, n))
    t[10] = t[11]  # a tie in time goes by id
    group = rng.integers(0, 4, n)
    ids = np.arange(n)
    rules = DuplicateRules()
    got = link_duplicates(ids, x, y, t, group, rules)
    assert len(got) > 50
    assert got == _reference_links(ids, x, y, t, group, rules)


def test_settle_without_roads_or_photos_changes_nothing():
    ctx = SimpleNamespace(rules=Rules(), road_tree=None, projector=None)
    item = SimpleNamespace(crs="GCJ02", declared=(120.6, 31.3), device="d", values={})
    assert crsguard.settle([item], {}, ctx).devices == {}
    assert item.values == {}
