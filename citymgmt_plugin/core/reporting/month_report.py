"""A month's figures for people: lines for the terminal and tables (CSV, Processing outputs),
in the reader's language, stored identifiers by their labels."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import tr
from ..labels import join, labelled, parens, reject_reason_label
from .kpi import kpi_name
from .monthly import MonthFigures
from .patrol_report import MonthAssessment, PaymentLine, ScoreLine

_CTX = "Kpi"


@dataclass
class Table:
    name: str  # file stem / output key
    columns: list[tuple[str, str]]  # (field name, translated heading)
    rows: list[list[Any]]


def _num(v: Any, digits: int = 4) -> Any:
    if v is None:
        return None
    if isinstance(v, float):
        return round(v, digits)
    return v


def _mark(passed: bool | None) -> str:
    return {True: "✓", False: "✗", None: ""}[passed]


def kpi_table(mf: MonthFigures) -> Table:
    cols = [
        ("kpi", tr(_CTX, "KPI")),
        ("name", tr(_CTX, "Name")),
        ("value", tr(_CTX, "Value")),
        ("threshold", tr(_CTX, "Threshold")),
        ("passed", tr(_CTX, "Passed")),
        ("comment", tr(_CTX, "How it was computed")),
    ]
    rows = [
        [r.kpi, kpi_name(r.kpi), _num(r.value), _num(r.threshold), r.passed, r.comment]
        for r in mf.kpis.overall
    ]
    return Table("kpis", cols, rows)


def collector_table(mf: MonthFigures) -> Table:
    cols = [
        ("collector", tr(_CTX, "Collector")),
        ("name", tr(_CTX, "Name")),
        ("contractor", tr(_CTX, "Contractor")),
        ("reports", tr(_CTX, "Reports")),
        ("valid", tr(_CTX, "Valid problems")),
        ("scheduled_days", tr(_CTX, "Scheduled days")),
        ("absent_days", tr(_CTX, "Absent days")),
        ("per_day", tr(_CTX, "Valid per scheduled day")),
        ("wrong", tr(_CTX, "Wrong reports (错报)")),
        ("wrong_rate", tr(_CTX, "Wrong-report rate")),
        ("missed", tr(_CTX, "Confirmed missed (漏报)")),
        ("missed_open", tr(_CTX, "Missed, to decide")),
        ("missed_rate", tr(_CTX, "Missed-report rate")),
        ("late_tasks", tr(_CTX, "Late tasks")),
        ("deviation_days", tr(_CTX, "Days off route")),
        ("deductions", tr(_CTX, "Deductions")),
        ("score", tr(_CTX, "Score")),
    ]
    kpi_rows = {r.collector_code: r for r in mf.kpis.collectors if r.collector_code}
    rows = []
    for s in mf.scores:
        k = kpi_rows.get(s.collector)
        w = mf.wrong.per_collector.get(s.collector)
        m = mf.missed.per_collector.get(s.collector)
        rows.append(
            [
                s.collector,
                s.name,
                s.contractor,
                k.reports if k else 0,
                k.valid if k else 0,
                k.scheduled_days if k else 0,
                k.absent_days if k else 0,
                _num(k.per_day) if k else None,
                w.wrong if w else 0,
                _num(w.rate) if w else None,
                m.confirmed if m else 0,
                m.candidates if m else 0,
                _num(m.rate) if m else None,
                s.units.late_verify + s.units.late_check,
                s.units.route_deviation,
                _num(sum(s.deductions.values()), 2),
                _num(s.score, 2),
            ]
        )
    return Table("collectors", cols, rows)


def district_table(mf: MonthFigures) -> Table:
    cols = [
        ("district", tr(_CTX, "District")),
        ("name", tr(_CTX, "Name")),
        ("reports", tr(_CTX, "Reports")),
        ("wrong", tr(_CTX, "Wrong reports (错报)")),
        ("wrong_rate", tr(_CTX, "Wrong-report rate")),
        ("missed", tr(_CTX, "Confirmed missed (漏报)")),
        ("missed_rate", tr(_CTX, "Missed-report rate")),
        ("spot_checked", tr(_CTX, "Grids spot-checked")),
        ("spot_findings", tr(_CTX, "Spot-check findings")),
    ]
    keys = sorted(
        set(mf.wrong.per_district) | set(mf.missed.per_district) | set(mf.spot.per_district)
    )
    rows = []
    for d in keys:
        w = mf.wrong.per_district.get(d)
        m = mf.missed.per_district.get(d)
        checked, found = mf.spot.per_district.get(d, (0, 0))
        rows.append(
            [
                d,
                mf.districts.get(d, "") if d else tr(_CTX, "outside every grid"),
                w.reports if w else 0,
                w.wrong if w else 0,
                _num(w.rate) if w else None,
                m.confirmed if m else 0,
                _num(m.rate) if m else None,
                checked,
                found,
            ]
        )
    return Table("districts", cols, rows)


def grid_table(mf: MonthFigures) -> Table:
    cols = [
        ("grid_code", tr(_CTX, "Unit grid")),
        ("valid", tr(_CTX, "Valid problems")),
        ("missed", tr(_CTX, "Confirmed missed (漏报)")),
        ("missed_open", tr(_CTX, "Missed, to decide")),
        ("missed_rate", tr(_CTX, "Missed-report rate")),
    ]
    rows = [
        [g, r.valid, r.confirmed, r.candidates, _num(r.rate)]
        for g, r in sorted(mf.missed.per_grid.items())
        if r.confirmed or r.candidates
    ]
    return Table("grids", cols, rows)


def payment_table(mf: MonthFigures) -> Table:
    cols = [
        ("contractor", tr(_CTX, "Contractor")),
        ("collectors", tr(_CTX, "Collectors")),
        ("collector_mean", tr(_CTX, "Mean collector score")),
        ("deductions", tr(_CTX, "Contractor deductions")),
        ("score", tr(_CTX, "Score")),
        ("pay_share", tr(_CTX, "Share paid")),
        ("fee", tr(_CTX, "Monthly fee")),
        ("payable", tr(_CTX, "Payable")),
        ("withheld", tr(_CTX, "Withheld")),
    ]
    rows = [
        [
            c.contractor,
            c.collectors,
            _num(c.collector_mean, 2),
            _num(sum(c.deductions.values()), 2),
            _num(c.score, 2),
            c.pay_share,
            _num(c.fee, 2),
            _num(c.payable, 2),
            _num(c.withheld, 2),
        ]
        for c in mf.contractors
    ]
    return Table("payment", cols, rows)


def tables(mf: MonthFigures) -> list[Table]:
    return [
        kpi_table(mf),
        collector_table(mf),
        district_table(mf),
        grid_table(mf),
        payment_table(mf),
    ]


def write_tables(mf: MonthFigures, folder: str | Path) -> list[Path]:
    """Each table as ``<name>.csv`` (UTF-8 with BOM: Excel opens it in Chinese); the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in tables(mf):
        path = folder / f"{t.name}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow([heading for _, heading in t.columns])
            w.writerows([["" if v is None else v for v in row] for row in t.rows])
        paths.append(path)
    return paths


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


_SHARES = ("valid_rate", "component_share", "closure_rate", "on_time_verify", "on_time_check",
           "channel_share")  # fmt: skip


def _shown(kpi: str, v: Any) -> str:
    """A KPI value for people: rates and shares in per cent."""
    if v is not None and kpi.split(":")[0] in _SHARES:
        return f"{100.0 * float(v):.1f} %"
    return _value(v)


def lines(mf: MonthFigures) -> list[str]:
    """The month in words: KPIs, 错报, 漏报, spot checks, scores and payment."""
    out = [tr(_CTX, "Contract figures of {0} ({1})").format(f"{mf.month:%Y-%m}", mf.profile.name)]
    for r in mf.kpis.overall:
        limit = f" / {_shown(r.kpi, r.threshold)}" if r.threshold is not None else ""
        shown = f"{_shown(r.kpi, r.value)}{limit} {_mark(r.passed)}".rstrip()
        out.append("  " + labelled(kpi_name(r.kpi), shown))
    reasons = [f"{reject_reason_label(k)} {v}" for k, v in sorted(mf.wrong.by_reason.items())]
    out.append(
        labelled(tr(_CTX, "Wrong reports (错报)"), mf.wrong.total)
        + (parens(join(reasons)) if reasons else "")
    )
    out.append(
        labelled(
            tr(_CTX, "Missed reports (漏报)"),
            tr(_CTX, "{0} confirmed, {1} to decide").format(
                mf.missed.confirmed, mf.missed.candidates
            ),
        )
    )
    out.append(
        labelled(
            tr(_CTX, "Spot checks"),
            tr(_CTX, "{0} grids checked, {1} findings").format(
                mf.spot.checked, sum(v[1] for v in mf.spot.per_district.values())
            ),
        )
    )
    out += _score_lines(mf)
    return out


def _score_lines(mf: MonthFigures) -> list[str]:
    out = [tr(_CTX, "Scores (base {0:g}):").format(mf.profile.sheet.base_score)]
    for s in mf.scores:
        off = [f"{_item(k)} −{v:.4g}" for k, v in s.deductions.items() if v]
        who = labelled(f"  {s.collector} {s.name}", f"{s.score:.1f}")
        out.append(who + (parens(join(off)) if off else ""))
    for c in mf.contractors:
        out.append(
            tr(
                _CTX,
                "Contractor {0}: score {1:.1f}, {2:.0%} of the fee: {3:,.2f} payable, "
                "{4:,.2f} withheld",
            ).format(c.contractor, c.score, c.pay_share, c.payable, c.withheld)
        )
    return out


def _item(name: str) -> str:
    return {
        "missed": tr(_CTX, "missed"),
        "wrong": tr(_CTX, "wrong"),
        "late_verify": tr(_CTX, "late verification"),
        "late_check": tr(_CTX, "late check"),
        "route_deviation": tr(_CTX, "off route"),
        "absence": tr(_CTX, "absence"),
        "shortfall": tr(_CTX, "shortfall"),
    }.get(name, name)


def month_assessment(mf: MonthFigures) -> MonthAssessment:
    """The scores and payment of the month for the monthly PDF report (from the same tables
    as the ``kpi`` command's CSV files)."""
    scores = [dict(zip([c for c, _ in t.columns], row)) for t in [collector_table(mf)]
              for row in t.rows]  # fmt: skip
    pay = payment_table(mf)
    payments = [dict(zip([c for c, _ in pay.columns], row)) for row in pay.rows]
    return MonthAssessment(
        mf.profile.name,
        mf.profile.sheet.base_score,
        [ScoreLine(str(r["collector"]), str(r["name"] or ""), int(r["wrong"]), int(r["missed"]),
                   int(r["late_tasks"]), int(r["deviation_days"]), int(r["absent_days"]),
                   float(r["deductions"] or 0), float(r["score"] or 0))
         for r in scores],
        [PaymentLine(str(r["contractor"]), int(r["collectors"]), float(r["collector_mean"] or 0),
                     float(r["deductions"] or 0), float(r["score"] or 0),
                     float(r["pay_share"] or 0), float(r["fee"] or 0),
                     float(r["payable"] or 0), float(r["withheld"] or 0))
         for r in payments],
    )  # fmt: skip
