"""KPIs per collector, and the collector measures built on them.

A *collector-day* is a local calendar day on which the collector sent at least one report;
*reports per collector per day* = valid reports of known collectors / their collector-days.
A collector passes when that rate and the valid rate reach the thresholds. Reports without
a collector get a row of their own (last) but count in neither measure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..i18n import tr
from .period import PeriodReports
from .results import HOUR_BUCKETS, CollectorRow, KpiRow, Thresholds, ratio, reaches

_CTX = "Kpi"


@dataclass
class CollectorTable:
    """The per-collector rows and what the overall collector measures need from them."""

    rows: list[CollectorRow] = field(default_factory=list)
    collector_days: int = 0  # of known collectors
    passed: int = 0

    @property
    def known(self) -> list[CollectorRow]:
        """The rows of known collectors (not the row of reports without one)."""
        return [r for r in self.rows if r.collector_code]


def collector_table(period: PeriodReports, th: Thresholds, days: float) -> CollectorTable:
    """One row per collector (sorted by code, unknown last): reports, valid, component,
    rates, active days, valid reports per active day and per day of the period, all
    reports per 4-hour bucket (:data:`.results.HOUR_BUCKETS`), verdict."""
    by_collector: dict[str, list[int]] = {}
    for k, c in enumerate(period.collector):
        by_collector.setdefault(c, []).append(k)
    is_comp = period.is_component
    table = CollectorTable()
    for c in sorted(by_collector, key=lambda s: (s == "", s)):
        rows = np.asarray(by_collector[c])
        v = period.valid[rows]
        nv = int(v.sum())
        comp = int((v & is_comp[rows]).sum())
        active = len(np.unique(period.day[rows]))
        per_day = ratio(nv, active)
        vr = ratio(nv, len(rows))
        passed = None
        if c:
            table.collector_days += active
            passed = bool(reaches(per_day, th.per_collector_day) and reaches(vr, th.valid_rate))
            table.passed += passed
        h = period.hour[rows]
        table.rows.append(
            CollectorRow(
                c or None,
                len(rows),
                nv,
                comp,
                vr,
                ratio(comp, nv),
                active,
                per_day,
                ratio(nv, days) if days > 0 else None,
                [int(((h >= a) & (h < b)).sum()) for a, b in HOUR_BUCKETS],
                passed,
            )
        )
    return table


def per_collector_day_row(table: CollectorTable, th: Thresholds) -> KpiRow:
    """*reports per collector per day* = valid reports of known collectors / their
    collector-days."""
    valid = int(sum(r.valid for r in table.known))
    pcd = ratio(valid, table.collector_days)
    return KpiRow(
        "reports_per_collector_day",
        pcd,
        th.per_collector_day,
        reaches(pcd, th.per_collector_day),
        tr(
            _CTX,
            "Valid reports / collector-days ({0} / {1}); a collector-day is a local day "
            "with at least one report of that collector.",
        ).format(valid, table.collector_days),
    )


def collectors_row(table: CollectorTable) -> KpiRow:
    """*collectors*: known collectors with reports, and how many of them pass."""
    return KpiRow(
        "collectors",
        len(table.known),
        None,
        None,
        tr(_CTX, "{0} of them reach the per-day rate and the valid rate.").format(table.passed),
    )
