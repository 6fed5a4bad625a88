"""What the weekly patrol report and the monthly KPI report say, built from the checks' rows.

Pure Python: the inputs are the rows the patrol coverage, route deviation and KPI checks
produce (read back from their outputs by the report algorithm) and the workspace's own
lists (responsibility grids, collectors). The reports are plain dataclasses that are
written to JSON next to the PDFs, so a print layout can be filled again from them (the demo
project does) without running the checks a second time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ..i18n import tr
from ..labels import chinese, enumeration, labelled, parens
from ..private_files import write_private_text
from .weeks import IsoWeek, Month

_CTX = "Reports"


@dataclass
class GridFigures:
    """One unit grid's coverage: main road length, patrolled length, verdict."""

    code: str
    road_m: float
    covered_m: float
    passed: bool

    @property
    def share(self) -> float | None:
        return self.covered_m / self.road_m if self.road_m > 0 else None


@dataclass
class DayDeviation:
    collector: str
    patrol_m: float
    patrol_s: float
    off_m: float | None


@dataclass
class FailingGrid:
    code: str
    resp_code: str
    resp_name: str
    road_m: float
    covered_m: float
    share: float


@dataclass
class CollectorLine:
    code: str
    name: str
    resp_code: str
    patrol_km: float = 0.0
    patrol_h: float = 0.0
    off_share: float | None = None  # distance off route / distance patrolled
    reports: int = 0
    valid: int = 0
    active_days: int = 0


@dataclass
class RespLine:
    code: str
    name: str
    grids: int = 0
    grids_failed: int = 0
    road_m: float = 0.0
    covered_m: float = 0.0
    collectors: str = ""

    @property
    def coverage(self) -> float | None:
        return self.covered_m / self.road_m if self.road_m > 0 else None

    @property
    def passed(self) -> bool:
        return self.grids_failed == 0


@dataclass
class KpiLine:
    kpi: str
    name: str
    value: float | None
    threshold: float | None
    passed: bool | None
    comment: str = ""


@dataclass
class TrendPoint:
    label: str  # the week, 2026-W46
    reports: int
    valid: int


@dataclass
class WeeklyReport:
    week: str
    dates: str
    place: str  # the district's name
    road_km: float = 0.0
    covered_km: float = 0.0
    grids: int = 0
    failing: list[FailingGrid] = field(default_factory=list)
    collectors: list[CollectorLine] = field(default_factory=list)
    resp: list[RespLine] = field(default_factory=list)
    kpis: list[KpiLine] = field(default_factory=list)
    hourly: list[int] = field(default_factory=lambda: [0] * 24)
    hourly_valid: list[int] = field(default_factory=lambda: [0] * 24)
    trend: list[TrendPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the report could not do

    @property
    def resp_failing(self) -> list[RespLine]:
        return [r for r in self.resp if not r.passed]


@dataclass
class ScoreLine:
    """A collector's 考核 of the month (core.reporting.monthly)."""

    collector: str
    name: str
    wrong: int = 0  # 错报
    missed: int = 0  # confirmed 漏报
    late_tasks: int = 0
    deviation_days: int = 0
    absent_days: int = 0
    deductions: float = 0.0
    score: float = 0.0


@dataclass
class PaymentLine:
    """A contractor's score and the payment it gives."""

    contractor: str
    collectors: int = 0
    collector_mean: float = 0.0
    deductions: float = 0.0
    score: float = 0.0
    pay_share: float = 0.0
    fee: float = 0.0
    payable: float = 0.0
    withheld: float = 0.0


@dataclass
class MonthAssessment:
    """The month's scores and payment, or why there are none (``error``, translated)."""

    profile: str = ""
    base_score: float = 0.0
    scores: list[ScoreLine] = field(default_factory=list)
    payments: list[PaymentLine] = field(default_factory=list)
    error: str = ""


@dataclass
class MonthlyReport:
    month: str
    place: str
    days: int
    kpis: list[KpiLine] = field(default_factory=list)
    collectors: list[CollectorLine] = field(default_factory=list)
    hourly: list[int] = field(default_factory=lambda: [0] * 24)
    hourly_valid: list[int] = field(default_factory=lambda: [0] * 24)
    trend: list[TrendPoint] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assessment: MonthAssessment | None = None  # None: not computed (older reports)


# -- building ------------------------------------------------------------------------------


def failing_grids(
    grids: Iterable[GridFigures], resp_of: Mapping[str, str], resp_names: Mapping[str, str]
) -> list[FailingGrid]:
    """The grids that fail, least covered first."""
    out = []
    for g in grids:
        if g.passed:
            continue
        resp = resp_of.get(g.code, "")
        share = g.share if g.share is not None else 0.0
        out.append(
            FailingGrid(g.code, resp, resp_names.get(resp, ""), g.road_m, g.covered_m, share)
        )
    return sorted(out, key=lambda f: (f.share, f.code))


def resp_lines(
    grids: Iterable[GridFigures],
    resp_of: Mapping[str, str],
    resp_names: Mapping[str, str],
    collectors: Iterable[CollectorLine],
) -> list[RespLine]:
    """Sums per responsibility grid (every grid of the workspace, with or without roads)."""
    lines = {code: RespLine(code, name) for code, name in resp_names.items()}
    for g in grids:
        code = resp_of.get(g.code)
        if code is None:
            continue
        line = lines.setdefault(code, RespLine(code, ""))
        line.grids += 1
        line.grids_failed += 0 if g.passed else 1
        line.road_m += g.road_m
        line.covered_m += g.covered_m
    for c in collectors:
        if c.resp_code in lines:
            line = lines[c.resp_code]
            line.collectors = "、".join(filter(None, (line.collectors, c.name or c.code)))
    return [lines[k] for k in sorted(lines)]


def collector_lines(
    people: Sequence[tuple[str, str, str]],
    days: Iterable[DayDeviation],
    kpi_rows: Iterable[Mapping[str, Any]],
) -> list[CollectorLine]:
    """One line per collector of the workspace (code, name, responsibility grid), with the
    week's patrol distance and time, the share off route, reports and valid reports.
    Collectors found only in the checks are added after them."""
    lines = {code: CollectorLine(code, name, resp) for code, name, resp in people}
    off_m: dict[str, float] = {}
    routed: dict[str, float] = {}  # patrol distance of the days with a route
    for d in days:
        line = lines.setdefault(d.collector, CollectorLine(d.collector, "", ""))
        line.patrol_km += d.patrol_m / 1000.0
        line.patrol_h += d.patrol_s / 3600.0
        if d.off_m is not None:
            off_m[d.collector] = off_m.get(d.collector, 0.0) + d.off_m
            routed[d.collector] = routed.get(d.collector, 0.0) + d.patrol_m
    for code, off in off_m.items():
        lines[code].off_share = off / routed[code] if routed[code] > 0 else None
    for row in kpi_rows:
        code = str(row.get("collector") or "")
        if not code:
            continue
        line = lines.setdefault(code, CollectorLine(code, "", ""))
        line.reports = int(row.get("reports") or 0)
        line.valid = int(row.get("valid") or 0)
        line.active_days = int(row.get("active_days") or 0)
    return [lines[k] for k in sorted(lines)]


def kpi_lines(rows: Iterable[Mapping[str, Any]]) -> list[KpiLine]:
    return [
        KpiLine(
            str(r["kpi"]),
            str(r.get("name") or r["kpi"]),
            _number(r.get("value")),
            _number(r.get("threshold")),
            None if r.get("passed") is None else bool(r.get("passed")),
            str(r.get("comment") or ""),
        )
        for r in rows
    ]


def _number(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def weekly_report(
    week: IsoWeek, place: str, grids: list[GridFigures], facts: ReportFacts, **parts: Any
) -> WeeklyReport:
    """The weekly report from the coverage rows and the workspace's lists; ``parts``:
    collectors, kpis, hourly, hourly_valid, trend (already built), notes."""
    collectors = parts.get("collectors", [])
    report = WeeklyReport(str(week), week.dates_text(), place)
    report.grids = len(grids)
    report.road_km = sum(g.road_m for g in grids) / 1000.0
    report.covered_km = sum(g.covered_m for g in grids) / 1000.0
    report.failing = failing_grids(grids, facts.resp_of, facts.resp_names)
    report.resp = resp_lines(grids, facts.resp_of, facts.resp_names, collectors)
    report.collectors = collectors
    report.kpis = parts.get("kpis", [])
    report.hourly = list(parts.get("hourly") or [0] * 24)
    report.hourly_valid = list(parts.get("hourly_valid") or [0] * 24)
    report.trend = parts.get("trend", [])
    report.notes = parts.get("notes", [])
    return report


@dataclass
class ReportFacts:
    """The workspace's lists a report names things by."""

    resp_of: dict[str, str] = field(default_factory=dict)  # unit grid -> responsibility grid
    resp_names: dict[str, str] = field(default_factory=dict)
    people: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, resp grid
    place: str = ""


# -- what the reports say in words ---------------------------------------------------------


def _pct(value: float | None) -> str:
    """A share as a percentage: "12.5 %" in English, "12.5%" in Chinese."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}" + ("%" if chinese() else " %")


def weekly_summary(r: WeeklyReport) -> str:
    """The weekly report's opening paragraph."""
    share = r.covered_km / r.road_km if r.road_km > 0 else None
    patrol = sum(c.patrol_km for c in r.collectors)
    off = [c for c in r.collectors if c.off_share is not None and c.patrol_km > 0]
    off_km = sum(c.off_share * c.patrol_km for c in off)  # type: ignore[operator]
    on_route_km = sum(c.patrol_km for c in off)
    roads = tr(
        _CTX,
        "{0:,.1f} km of main roads and window areas in {1:,} unit grids; "
        "{2:,.1f} km patrolled ({3}).",
    )
    failing = tr(_CTX, "{0} unit grids and {1} responsibility grids fail the weekly patrol rule.")
    people = tr(_CTX, "{0} collectors patrolled {1:,.0f} km; {2} of it off their routes.")
    active = sum(1 for c in r.collectors if c.patrol_km > 0)
    parts = [
        roads.format(r.road_km, r.grids, r.covered_km, _pct(share)),
        failing.format(len(r.failing), len(r.resp_failing)),
        people.format(active, patrol, _pct(off_km / on_route_km if on_route_km > 0 else None)),
    ]
    reports = sum(c.reports for c in r.collectors)
    valid = sum(c.valid for c in r.collectors)
    parts.append(tr(_CTX, "{0:,} reports, {1:,} of them valid.").format(reports, valid))
    return " ".join(parts)


def kpi_value_text(line: KpiLine) -> str:
    """A KPI's value for a table: shares as percentages, counts whole."""
    if line.value is None:
        return "—"
    if line.kpi.endswith(("rate", "share", "balance")):
        return _pct(line.value)
    if float(line.value).is_integer():
        return f"{int(line.value):,}"
    return f"{line.value:,.2f}"


def kpi_threshold_text(line: KpiLine) -> str:
    if line.threshold is None:
        return ""
    return kpi_value_text(KpiLine(line.kpi, line.name, line.threshold, None, None))


def verdict_text(passed: bool | None) -> str:
    return {True: tr(_CTX, "met"), False: tr(_CTX, "not met"), None: ""}[passed]


def monthly_summary(r: MonthlyReport) -> str:
    """The monthly report's opening paragraph."""
    known = [k for k in r.kpis if k.passed is not None]
    met = sum(1 for k in known if k.passed)
    text = tr(_CTX, "{0} of {1} contract figures met in {2} ({3} days).").format(
        met, len(known), r.month, r.days
    )
    failed = [k.name for k in known if not k.passed]
    if failed:
        text += " " + labelled(tr(_CTX, "Not met"), enumeration(failed))
        text += "。" if chinese() else "."
    return " ".join([text, *r.notes])


def week_title(week: str, dates: str) -> str:
    return tr(_CTX, "Weekly patrol report {0}").format(week) + parens(dates)


# -- JSON ----------------------------------------------------------------------------------


def save_report(report: WeeklyReport | MonthlyReport, path: Path) -> Path:
    """The report's data as JSON, owner-only (it names collectors)."""
    return write_private_text(path, json.dumps(asdict(report), ensure_ascii=False, indent=1))


def _rows(cls: type, items: list[dict]) -> list:
    names = {f.name for f in fields(cls)}
    return [cls(**{k: v for k, v in item.items() if k in names}) for item in items]


def load_weekly(path: Path) -> WeeklyReport:
    data = json.loads(path.read_text(encoding="utf-8"))
    nested = {
        "failing": FailingGrid,
        "collectors": CollectorLine,
        "resp": RespLine,
        "kpis": KpiLine,
        "trend": TrendPoint,
    }
    for key, cls in nested.items():
        data[key] = _rows(cls, data.get(key, []))
    return WeeklyReport(**data)


def load_monthly(path: Path) -> MonthlyReport:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, cls in (("collectors", CollectorLine), ("kpis", KpiLine), ("trend", TrendPoint)):
        data[key] = _rows(cls, data.get(key, []))
    assessment = data.pop("assessment", None)
    report = MonthlyReport(**data)
    if assessment:
        scores = _rows(ScoreLine, assessment.pop("scores", []))
        payments = _rows(PaymentLine, assessment.pop("payments", []))
        report.assessment = MonthAssessment(**assessment, scores=scores, payments=payments)
    return report


def month_title(month: Month | str) -> str:
    return tr(_CTX, "Monthly KPI and assessment report {0}").format(month)
