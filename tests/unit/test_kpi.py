"""core.kpi on a hand-checked period (every KPI exactly) and hypothesis properties."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citymgmt_plugin.core.reporting.balance import balance, gini
from citymgmt_plugin.core.reporting.kpi import compute_kpis
from citymgmt_plugin.core.reporting.profile import ContractProfile
from citymgmt_plugin.core.reporting.reports import (
    NULL_TIME,
    Reports,
    assign_to_grids,
    local_day_hour,
)
from citymgmt_plugin.core.reporting.roster import Roster
from citymgmt_plugin.core.reporting.worktime import day_number

SH = ZoneInfo("Asia/Shanghai")
PROFILE = ContractProfile()  # no service period; 8:30-12:00, 13:00-17:30 every day


def local(day: int, hour: int, minute: int = 0) -> int:
    return int(datetime(2026, 11, day, hour, minute, tzinfo=SH).timestamp())


START, END = local(16, 0), local(18, 0)  # two local days

# time, collector, kind, category, state, closed, grid, component status
ROWS = [
    (local(16, 8, 30), "A", "component", "0101", "accepted", True, 0, "破损"),  # 1
    (local(16, 9, 10), "A", "event", "0102", "accepted", True, 0, None),  # 2
    (local(16, 9, 50), "A", "event", "0501", "rejected", True, 1, None),  # 3
    (local(17, 14), "A", "component", "0203", "pending", False, 1, "丢失"),  # 4
    (local(17, 23, 30), "A", "event", "0301", "duplicate", False, -1, None),  # 5
    (local(16, 10), "B", "事件", "0101", "accepted", True, 1, None),  # 6
    (local(16, 10, 20), "B", "component", "0401", "quarantined", False, 1, "破损"),  # 7
    (local(16, 7, 59), "B", "event", "0201", "has_issues", False, 0, None),  # 8
    (local(17, 12), None, "Component", "0601", "accepted", False, 0, "破损"),  # 9
    (local(16, 11), "A", "component", "0101", "accepted", False, 0, "完好"),  # 10: fine
    (local(18, 0), "A", "event", "0101", "accepted", True, 0, None),  # at END: left out
    (local(15, 23, 59), "A", "event", "0101", "accepted", True, 0, None),  # before START
    (NULL_TIME, "A", "event", "0101", "accepted", True, 0, None),  # no time
]


def reports(rows=ROWS, closed=True) -> Reports:
    cols = list(zip(*rows)) or [()] * 8
    n = len(cols[0])
    return Reports(
        time=np.array(cols[0], dtype=np.int64),
        collector=list(cols[1]),
        kind=list(cols[2]),
        category=list(cols[3]),
        state=list(cols[4]),
        closed=list(cols[5]) if closed else None,
        grid=np.array(cols[6], dtype=np.int64),
        status=list(cols[7]),
        due=np.full(n, END - 3600, dtype=np.int64) if closed else None,
    )


@pytest.fixture
def result():
    return compute_kpis(reports(), START, END, PROFILE, ["g0", "g1", "g2"])


def test_overall_kpis_exactly(result):
    assert (result.in_period, result.outside_period, result.no_time) == (10, 2, 1)
    assert result.days == 2.0
    r = result.row
    assert r("reports").value == 10
    assert "9 problems, 1 component reports that are not problems" in r("reports").comment
    assert r("valid_reports").value == 4  # valid problems: 1, 2, 6, 9
    assert r("valid_reports").threshold is None
    assert r("monthly_valid").passed is None  # two days are not a whole month
    assert r("annual_valid").value is None  # no service period in this profile
    assert r("valid_rate").value == pytest.approx(4 / 9) and r("valid_rate").passed is False
    assert "2 still pending or sent back" in r("valid_rate").comment
    assert r("component_share").value == pytest.approx(2 / 4)  # 1 and 9; 10 is fine
    assert r("component_share").passed is True
    # due in the period, whenever reported: 1, 2, 6, 9 and the last three rows; 9 is open
    assert r("closure_rate").value == pytest.approx(6 / 7)
    assert r("channel_share:collector").value == 1.0
    assert r("reports_per_collector_day").value == pytest.approx(3 / 4)  # A 2, B 1; 2 days
    assert r("reports_per_collector_day").passed is None  # no figure in this profile
    assert r("collectors").value == 2
    assert r("collectors_on_duty").value is None  # no roster
    assert r("area_balance").value == pytest.approx(0.5)  # valid problems per grid 3, 1, 0
    assert r("area_balance").passed is True
    assert r("grids_passed").value == 0
    # 30-minute slots of 08:30-12:00 and 13:00-17:30: one report in 3 of the 16 slots;
    # 9 at 12:00 is in the lunch break
    assert r("time_balance").value == pytest.approx(3 / 16)
    assert r("outside_working_time").value == 1
    assert r("on_time_verify").value is None
    assert result.passed is False


def test_hourly_distribution(result):
    want = np.zeros(24, dtype=int)
    for h in (7, 8, 9, 9, 10, 10, 11, 12, 14, 23):
        want[h] += 1
    assert result.hourly.tolist() == want.tolist()
    assert result.hourly_valid.sum() == 4
    assert result.hourly_component.tolist()[8] == 1 and result.hourly_component.sum() == 2


def test_per_grid(result):
    g0, g1, g2 = result.grids
    assert (g0.grid_code, g0.reports, g0.valid, g0.component, g0.event) == ("g0", 5, 3, 2, 1)
    assert {k: v for k, v in g0.majors.items() if v} == {
        "comp_01": 1,
        "comp_06": 1,
        "event_01": 1,
    }
    assert (g0.valid_rate, g0.component_share, g0.passed) == (0.75, pytest.approx(2 / 3), False)
    assert (g1.reports, g1.valid, g1.component, g1.event) == (4, 1, 0, 1)
    assert {k: v for k, v in g1.majors.items() if v} == {"event_01": 1}
    assert (g1.valid_rate, g1.passed) == (0.25, False)
    assert (g2.reports, g2.valid_rate, g2.passed) == (0, None, None)
    assert result.major_columns[:6] == [f"comp_0{k}" for k in range(1, 7)]
    assert result.major_columns[6:] == [f"event_0{k}" for k in range(1, 6)]


def test_per_collector(result):
    a, b, unknown = result.collectors
    assert (a.collector_code, a.reports, a.valid, a.component) == ("A", 6, 2, 1)
    assert (a.valid_rate, a.component_share) == (pytest.approx(0.4), pytest.approx(0.5))
    assert (a.active_days, a.scheduled_days, a.per_day, a.per_period_day) == (2, 2, 1.0, 1.0)
    assert a.buckets == [0, 0, 4, 1, 0, 1]
    assert a.passed is False  # valid rate 40 %
    assert (b.reports, b.valid, b.component, b.active_days, b.per_day) == (3, 1, 0, 1, 0.5)
    assert b.buckets == [0, 1, 2, 0, 0, 0]
    assert unknown.collector_code is None and unknown.passed is None
    assert (unknown.reports, unknown.valid, unknown.per_period_day) == (1, 1, 0.5)


def test_collector_passes_at_six_a_day_of_the_roster():
    rows = [
        (local(16, 8 + k), "C", "component", "0101", "accepted", True, 0, "破损") for k in range(6)
    ]
    roster = Roster()
    roster.add("C", day_number(date(2026, 11, 16)), "on_duty")
    roster.add("C", day_number(date(2026, 11, 17)), "off")
    profile = PROFILE.with_rates(per_collector_day=6)
    res = compute_kpis(reports(rows), START, END, profile, ["g0"], roster)
    (c,) = res.collectors
    assert (c.scheduled_days, c.per_day, c.passed) == (1, 6.0, True)
    assert res.row("reports_per_collector_day").passed is True
    assert res.row("collectors_on_duty").value == 0  # nobody on duty on the 17th
    without = compute_kpis(reports(rows), START, END, profile, ["g0"])
    assert without.collectors[0].per_day == 3.0  # every day of the period is scheduled


def test_no_closure_field_and_no_grids():
    res = compute_kpis(reports(closed=False), START, END, PROFILE)
    assert res.row("closure_rate").value is None and res.row("closure_rate").passed is None
    assert res.row("area_balance").value is None
    assert res.grids == []


def test_period_defaults_to_local_days_of_the_data():
    rows = [r for r in ROWS if r[0] != NULL_TIME]
    res = compute_kpis(reports(rows), profile=PROFILE)
    assert (res.start, res.end) == (local(15, 0), local(19, 0))
    assert res.in_period == 12 and res.days == 4.0


def test_valid_states_are_configurable():
    profile = replace(PROFILE, valid_states=("accepted", "updated", "pending"))
    res = compute_kpis(reports(), START, END, profile)
    assert res.row("valid_reports").value == 5  # the pending 4 too


def test_end_before_start():
    with pytest.raises(ValueError):
        compute_kpis(reports(), END, START, PROFILE)


def test_empty():
    res = compute_kpis(reports([]), START, END, PROFILE, grid_codes=["g0"])
    assert res.in_period == 0 and res.row("valid_rate").value is None
    assert res.row("valid_rate").passed is None and res.row("area_balance").value is None


def test_kind_from_a_code_prefix_only():
    rows = [
        (local(16, 9), "A", None, "部件0101", "accepted", True, 0, "破损"),
        (local(16, 9), "A", None, "E-0101", "accepted", True, 0, None),
        (local(16, 9), "A", None, "0101", "accepted", True, 0, "破损"),  # no kind: neither
    ]
    res = compute_kpis(reports(rows), START, END, PROFILE, ["g0"])
    assert res.row("valid_reports").value == 2
    assert res.row("component_share").value == 0.5
    assert "1 without a kind" in res.row("reports").comment
    assert {k: v for k, v in res.grids[0].majors.items() if v} == {"comp_01": 1, "event_01": 1}


def test_local_day_hour_follows_zone_rules():
    t = np.array(
        [
            local(16, 0),
            local(16, 23, 59),
            int(datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc).timestamp()),
        ]
    )
    day, hour = local_day_hour(t[:2])
    assert hour.tolist() == [0, 23] and day[0] == day[1]
    _, hour = local_day_hour(t[2:], "Europe/Berlin")  # summer time starts 01:00 UTC
    assert hour.tolist() == [3]


def test_assign_to_grids_first_grid_on_a_shared_edge():
    import shapely

    grids = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)], dtype=object)
    x = np.array([5.0, 10.0, 15.0, 30.0, np.nan])
    y = np.array([5.0, 5.0, 5.0, 5.0, np.nan])
    assert assign_to_grids(x, y, grids).tolist() == [0, 0, 1, -1, -1]


def _gini_pairs(x):
    x = np.asarray(x, dtype=float)
    return np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=40))
def test_gini_equals_mean_absolute_difference(xs):
    if sum(xs) == 0:
        assert math.isnan(gini(xs)) and math.isnan(balance(xs))
    else:
        assert gini(xs) == pytest.approx(_gini_pairs(xs), abs=1e-12)
        assert 1 / len(xs) - 1e-12 <= balance(xs) <= 1 + 1e-12


report_rows = st.lists(
    st.tuples(
        st.one_of(st.just(NULL_TIME), st.integers(local(14, 0), local(20, 0))),
        st.sampled_from(["A", "B", "C", None, ""]),
        st.sampled_from(["component", "event", "部件", None, "other"]),
        st.sampled_from(["0101", "0203", "0599", "9901", None, "x"]),
        st.sampled_from(["accepted", "rejected", "duplicate", "pending", None, "updated"]),
        st.booleans(),
        st.integers(-1, 3),
        st.sampled_from(["破损", "完好", None]),
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(report_rows)
def test_counts_sum_to_totals(rows):
    res = compute_kpis(reports(rows), START, END, PROFILE, ["g0", "g1", "g2", "g3"])
    in_period = [r for r in rows if r[0] != NULL_TIME and START <= r[0] < END]
    n = len(in_period)
    assert res.in_period + res.outside_period + res.no_time == len(rows)
    assert res.in_period == n
    assert res.hourly.sum() == n
    assert sum(c.reports for c in res.collectors) == n
    assert sum(sum(c.buckets) for c in res.collectors) == n
    assert sum(g.reports for g in res.grids) == sum(1 for r in in_period if r[6] >= 0)

    def problem(r) -> bool:
        kind = {"部件": "component"}.get(r[2], r[2])
        return kind == "event" or (kind == "component" and r[7] == "破损")

    valid = res.row("valid_reports").value
    want = sum(1 for r in in_period if r[4] in ("accepted", "updated") and problem(r))
    assert sum(c.valid for c in res.collectors) == valid == res.hourly_valid.sum() == want
    for g in res.grids:
        assert g.valid <= g.reports
        assert g.component + g.event == g.valid
        assert sum(g.majors.values()) <= g.component + g.event
    # every valid, gridded problem with a numeric major lands in one column
    with_major = sum(
        1
        for r in in_period
        if r[6] >= 0 and r[4] in ("accepted", "updated") and problem(r) and r[3] not in (None, "x")
    )
    assert sum(sum(g.majors.values()) for g in res.grids) == with_major
    for row in res.overall:
        if row.passed is not None and not row.kpi.startswith("monthly_valid"):
            assert row.passed == (row.value >= row.threshold - 1e-12)
