"""ISO weeks and months in the office zone, and the report data built from check rows."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from citymgmt_plugin.core.reporting.patrol_report import (
    CollectorLine,
    DayDeviation,
    GridFigures,
    KpiLine,
    MonthAssessment,
    MonthlyReport,
    PaymentLine,
    ReportFacts,
    ScoreLine,
    TrendPoint,
    collector_lines,
    failing_grids,
    kpi_value_text,
    load_monthly,
    load_weekly,
    resp_lines,
    save_report,
    weekly_report,
    weekly_summary,
)
from citymgmt_plugin.core.reporting.weeks import (
    IsoWeek,
    Month,
    last_full_week,
    recent_weeks,
    weeks_in_year,
)

SH = ZoneInfo("Asia/Shanghai")


def test_week_parse_bounds_and_text():
    week = IsoWeek.parse("2026-W46")
    assert week == IsoWeek.parse("2026w46") == IsoWeek(2026, 46)
    assert str(week) == "2026-W46" and week.dates_text() == "2026-11-09 – 2026-11-15"
    start, end = week.bounds()
    assert datetime.fromtimestamp(start, SH) == datetime(2026, 11, 9, tzinfo=SH)
    assert end - start == 7 * 86400
    assert week.month() == Month(2026, 11)


@pytest.mark.parametrize("text", ["2026-46", "W46", "2026-W54", "2026-W00", ""])
def test_bad_weeks_are_refused_with_a_message(text):
    with pytest.raises(ValueError, match=r"ISO week|no week"):
        IsoWeek.parse(text)


def test_iso_years_and_the_last_full_week():
    assert weeks_in_year(2026) == 53 and weeks_in_year(2025) == 52
    assert IsoWeek.of(date(2027, 1, 1)) == IsoWeek(2026, 53)  # a Friday: 2026's last week
    assert last_full_week(date(2026, 12, 1)) == IsoWeek(2026, 48)  # a Tuesday
    assert last_full_week(date(2026, 11, 30)) == IsoWeek(2026, 48)  # a Monday: last week ended
    assert last_full_week(date(2026, 12, 6)) == IsoWeek(2026, 48)  # a Sunday: not ended yet
    assert [str(w) for w in recent_weeks(IsoWeek(2027, 1), 3)] == [
        "2026-W52", "2026-W53", "2027-W01"]  # fmt: skip


def test_months_and_their_weeks():
    month = Month.parse("2026-11")
    assert month.days == 30 and str(Month(2026, 12)) == "2026-12"
    assert Month(2026, 12).next_first == date(2027, 1, 1)
    # November 2026 begins on a Sunday: the week of 2 November is its first (Thursday 5th)
    assert [str(w) for w in month.weeks()] == [f"2026-W{k}" for k in range(45, 49)]
    with pytest.raises(ValueError, match="not a month"):
        Month.parse("2026-13")


def _grids() -> list[GridFigures]:
    return [
        GridFigures("A1", 100.0, 100.0, True),
        GridFigures("A2", 200.0, 50.0, False),
        GridFigures("B1", 100.0, 90.0, False),
        GridFigures("B2", 0.0, 0.0, True),
    ]


def _facts() -> ReportFacts:
    return ReportFacts(
        resp_of={"A1": "RA", "A2": "RA", "B1": "RB", "B2": "RB"},
        resp_names={"RA": "甲", "RB": "乙", "RC": "丙"},
        people=[("C01", "张伟", "RA"), ("C02", "李娜", "RB")],
        place="姑苏区",
    )


def test_failing_grids_least_covered_first_with_their_responsibility_grid():
    facts = _facts()
    rows = failing_grids(_grids(), facts.resp_of, facts.resp_names)
    assert [(r.code, r.resp_code, r.resp_name) for r in rows] == [
        ("A2", "RA", "甲"), ("B1", "RB", "乙")]  # fmt: skip
    assert rows[0].share == pytest.approx(0.25)


def test_responsibility_grid_sums_and_collectors():
    facts = _facts()
    people = [CollectorLine("C01", "张伟", "RA"), CollectorLine("C03", "", "RA")]
    lines = {r.code: r for r in resp_lines(_grids(), facts.resp_of, facts.resp_names, people)}
    assert set(lines) == {"RA", "RB", "RC"}  # a responsibility grid without unit grids too
    ra = lines["RA"]
    assert (ra.grids, ra.grids_failed, ra.road_m, ra.covered_m) == (2, 1, 300.0, 150.0)
    assert ra.coverage == pytest.approx(0.5) and not ra.passed
    assert ra.collectors == "张伟、C03"
    assert lines["RC"].coverage is None and lines["RC"].passed


def test_collector_lines_merge_days_and_kpis():
    days = [
        DayDeviation("C01", 10_000, 3600, 1_000),
        DayDeviation("C01", 5_000, 1800, None),  # a day without a route: not in the share
        DayDeviation("C09", 2_000, 600, 0),  # not in the workspace's list
    ]
    kpi = [{"collector": "C02", "reports": 7, "valid": 5, "active_days": 3}, {"collector": None}]
    lines = {c.code: c for c in collector_lines(_facts().people, days, kpi)}
    assert list(lines) == ["C01", "C02", "C09"]
    c01 = lines["C01"]
    assert c01.patrol_km == pytest.approx(15) and c01.patrol_h == pytest.approx(1.5)
    assert c01.off_share == pytest.approx(0.1)
    assert (lines["C02"].reports, lines["C02"].valid, lines["C02"].active_days) == (7, 5, 3)
    assert lines["C02"].off_share is None and lines["C09"].off_share == 0


def test_weekly_report_summary_and_json(tmp_path):
    facts = _facts()
    people = collector_lines(facts.people, [DayDeviation("C01", 20_000, 7200, 2_000)], [])
    report = weekly_report(
        IsoWeek(2026, 46), facts.place, _grids(), facts, collectors=people,
        kpis=[KpiLine("valid_rate", "Valid-report rate", 0.9, 0.9, True)],
        trend=[TrendPoint("2026-W46", 10, 9)],
    )  # fmt: skip
    assert report.road_km == pytest.approx(0.4) and report.grids == 4
    assert [r.code for r in report.resp_failing] == ["RA", "RB"]
    text = weekly_summary(report)
    assert "0.4 km of main roads" in text and "2 unit grids and 2 responsibility grids" in text
    assert "10.0 % of it off their routes" in text
    again = load_weekly(save_report(report, tmp_path / "w.json"))
    assert again == report
    assert kpi_value_text(again.kpis[0]) == "90.0 %"


def test_monthly_report_keeps_its_assessment_in_json(tmp_path):
    scores = [ScoreLine("C01", "张三", wrong=2, missed=1, deductions=3.5, score=96.5)]
    payments = [PaymentLine("某服务单位", 1, 96.5, 1.0, 95.5, 1.0, 1000.0, 1000.0, 0.0)]
    report = MonthlyReport("2026-11", "姑苏区", 30, kpis=[KpiLine("valid", "Valid", 3, None, None)])
    report.assessment = MonthAssessment("合同", 100.0, scores, payments)
    again = load_monthly(save_report(report, tmp_path / "m.json"))
    assert again == report
    failed = MonthlyReport("2026-11", "", 30, assessment=MonthAssessment(error="bad sheet"))
    assert load_monthly(save_report(failed, tmp_path / "f.json")).assessment.error == "bad sheet"
    older = MonthlyReport("2026-10", "", 31)  # written before the assessment was in the report
    assert load_monthly(save_report(older, tmp_path / "o.json")).assessment is None
