"""KPIs per collector, and the collector measures built on them.

Seed 003 (Jinzhong): 「上报案件 每人每天6条」 — *reports per collector per day* = valid
problem reports / scheduled days. Scheduled days come from the duty roster (on duty or
absent: an absence counts, with nothing reported); without a roster every working day of
the period (per the profile's working time) is scheduled for each collector who reported.
A collector passes when that rate and the valid rate reach the thresholds. Reports without
a collector get a row of their own (last) but count in no collector measure.

Seed 002 (Panzhihua): 「每天安排不低于53名信息采集员」 — *collectors on duty*: the fewest
collectors on duty on a day of the period, from the roster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..i18n import tr
from .period import PeriodReports
from .profile import ContractProfile
from .results import HOUR_BUCKETS, CollectorRow, KpiRow, ratio, reaches
from .roster import Roster, RosterDays, scheduled_days

_CTX = "Kpi"


@dataclass(frozen=True)
class DayRange:
    """The local days of the period: [first, end) as epoch day numbers, and which are
    working days."""

    first: int
    end: int
    work: np.ndarray

    @property
    def days(self) -> np.ndarray:
        return np.arange(self.first, self.end)


@dataclass
class CollectorTable:
    """The per-collector rows and what the overall collector measures need from them."""

    rows: list[CollectorRow] = field(default_factory=list)
    scheduled_days: int = 0  # of known collectors
    passed: int = 0
    from_roster: bool = False
    not_on_roster: list[str] = field(default_factory=list)

    @property
    def known(self) -> list[CollectorRow]:
        """The rows of known collectors (not the row of reports without one)."""
        return [r for r in self.rows if r.collector_code]


def collector_table(
    period: PeriodReports,
    profile: ContractProfile,
    days: DayRange,
    roster: Roster | None = None,
) -> CollectorTable:
    """One row per collector (sorted by code, unknown last; with a roster also those on it
    without reports): reports, valid problems, component problems, rates, active days,
    scheduled and absent days, valid problems per scheduled day and per day of the period,
    all reports per 4-hour bucket (:data:`.results.HOUR_BUCKETS`), verdict."""
    by_collector: dict[str, list[int]] = {}
    for k, c in enumerate(period.collector):
        by_collector.setdefault(c, []).append(k)
    known = [c for c in by_collector if c]
    sched = scheduled_days(roster, known, days.first, days.end, days.work)
    table = CollectorTable(from_roster=roster is not None)
    on_roster = set(roster.collector) if roster is not None else set()
    for c in sorted(set(by_collector) | set(sched), key=lambda s: (s == "", s)):
        rows = np.asarray(by_collector.get(c, []), dtype=np.int64)
        row = _row(period, profile, c, rows, sched.get(c, RosterDays()), len(days.days))
        if c:
            table.scheduled_days += row.scheduled_days
            table.passed += bool(row.passed)
            if roster is not None and c not in on_roster:
                table.not_on_roster.append(c)
        table.rows.append(row)
    return table


def _row(
    period: PeriodReports,
    profile: ContractProfile,
    code: str,
    rows: np.ndarray,
    sched: RosterDays,
    n_days: int,
) -> CollectorRow:
    vp = period.valid_problem[rows]
    nv = int(vp.sum())
    comp = int((vp & period.is_component[rows]).sum())
    n_problems = int(period.problem[rows].sum())
    per_day = ratio(nv, sched.scheduled) if code else None
    vr = ratio(nv, n_problems)
    passed = None
    if code:
        per = reaches(per_day, profile.rates.per_collector_day)
        rate = reaches(vr, profile.rates.valid_rate)
        passed = per is not False and rate is not False if (per, rate) != (None, None) else None
    h = period.hour[rows]
    return CollectorRow(
        code or None,
        len(rows),
        nv,
        comp,
        vr,
        ratio(comp, nv),
        len(np.unique(period.day[rows])),
        per_day,
        ratio(nv, n_days) if n_days > 0 else None,
        [int(((h >= a) & (h < b)).sum()) for a, b in HOUR_BUCKETS],
        passed,
        scheduled_days=sched.scheduled if code else 0,
        absent_days=sched.absent if code else 0,
    )


def per_collector_day_row(table: CollectorTable, profile: ContractProfile) -> KpiRow:
    """*reports per collector per day* = valid problem reports of known collectors / their
    scheduled days (seed 003: 「上报案件 每人每天6条」)."""
    valid = int(sum(r.valid for r in table.known if r.scheduled_days))
    pcd = ratio(valid, table.scheduled_days)
    th = profile.rates.per_collector_day
    absent = sum(r.absent_days for r in table.known)
    where = (
        tr(_CTX, "scheduled days from the duty roster, {0} of them absences").format(absent)
        if table.from_roster
        else tr(_CTX, "no roster: every working day of the period is scheduled")
    )
    comment = tr(_CTX, "Valid problem reports / scheduled days ({0} / {1}); {2}.").format(
        valid, table.scheduled_days, where
    )
    if table.not_on_roster:
        comment += " " + tr(_CTX, "Not on the roster (left out): {0}.").format(
            ", ".join(table.not_on_roster)
        )
    return KpiRow("reports_per_collector_day", pcd, th, reaches(pcd, th), comment)


def collectors_row(table: CollectorTable) -> KpiRow:
    """*collectors*: known collectors, and how many of them pass."""
    return KpiRow(
        "collectors",
        len(table.known),
        None,
        None,
        tr(_CTX, "{0} of them reach the per-day rate and the valid rate.").format(table.passed),
    )


def on_duty_row(roster: Roster | None, days: DayRange, profile: ContractProfile) -> KpiRow:
    """*collectors on duty* (seed 002: 「每天安排不低于53名信息采集员」): the fewest collectors
    on duty on a day of the period, from the roster."""
    th = profile.collectors_on_duty
    if roster is None or days.end <= days.first:
        return KpiRow(
            "collectors_on_duty", None, th, None,
            tr(_CTX, "Not computed: no duty roster was given."),
        )  # fmt: skip
    per_day = roster.on_duty_per_day(days.first, days.end)
    low_day = min(per_day, key=lambda d: (per_day[d], d))
    low = per_day[low_day]
    short = sum(1 for v in per_day.values() if th is not None and v < th)
    from .worktime import day_date

    return KpiRow(
        "collectors_on_duty",
        low,
        th,
        reaches(low, th),
        tr(_CTX, "Fewest on duty: {0} on {1}; {2} days below the floor.").format(
            low, day_date(low_day).isoformat(), short
        ),
    )
