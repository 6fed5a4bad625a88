"""The overall KPIs of a period, one function per measure, each giving one :class:`KpiRow`.

Every measure reads the period's reports (:class:`.period.PeriodReports`) and the contract
figures (:class:`.results.Thresholds`); its comment says how it was computed. The per-grid
and per-collector measures are :mod:`.grids` and :mod:`.collectors`.
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from .balance import balance, known
from .period import PeriodReports
from .results import KpiRow, Thresholds, ratio, reaches

_CTX = "Kpi"


def reports_row(period: PeriodReports, days: float) -> KpiRow:
    """*reports*: the reports in the period (no threshold)."""
    return KpiRow(
        "reports",
        len(period),
        None,
        None,
        tr(
            _CTX,
            "Reports in the period ({0:.2f} days); {1} outside it and {2} without a time "
            "were left out.",
        ).format(days, period.outside_period, period.no_time),
    )


def valid_reports_row(period: PeriodReports, th: Thresholds, days: float) -> KpiRow:
    """*valid reports* against ``max(annual / 365, 12 * monthly / 365) * days``: the yearly
    and monthly targets scaled to the period, whichever asks more."""
    n_valid = period.n_valid
    target = th.target(days)
    return KpiRow(
        "valid_reports",
        n_valid,
        target,
        reaches(n_valid, target),
        tr(
            _CTX,
            "Target: {0:,.0f} a year and {1:,.0f} a month, scaled to {2:.2f} days "
            "(the larger of the two).",
        ).format(th.annual_valid, th.monthly_valid, days),
    )


def valid_rate_row(period: PeriodReports, th: Thresholds) -> KpiRow:
    """*valid rate* = valid reports / reports; a report is valid unless its state is one
    of the invalid states (a report without a state is valid)."""
    vr = ratio(period.n_valid, len(period))
    return KpiRow(
        "valid_rate",
        vr,
        th.valid_rate,
        reaches(vr, th.valid_rate),
        tr(_CTX, "Valid reports / reports; not valid: {0}.").format(
            ", ".join(sorted(period.invalid_states))
        ),
    )


def component_share_row(period: PeriodReports, th: Thresholds) -> KpiRow:
    """*component share* = valid component reports / valid reports."""
    n_comp, n_valid = period.n_valid_component, period.n_valid
    cs = ratio(n_comp, n_valid)
    return KpiRow(
        "component_share",
        cs,
        th.component_share,
        reaches(cs, th.component_share),
        tr(_CTX, "Valid component reports / valid reports ({0} / {1}).").format(n_comp, n_valid),
    )


def closure_rate_row(period: PeriodReports, th: Thresholds) -> KpiRow:
    """*closure rate* = closed valid reports / valid reports; not computed without a
    closure field."""
    if period.closed is None:
        return KpiRow(
            "closure_rate",
            None,
            th.closure_rate,
            None,
            tr(_CTX, "Not computed: no closure field was given."),
        )
    n_valid = period.n_valid
    n_closed = int((period.closed & period.valid).sum())
    cr = ratio(n_closed, n_valid)
    return KpiRow(
        "closure_rate",
        cr,
        th.closure_rate,
        reaches(cr, th.closure_rate),
        tr(_CTX, "Closed valid reports / valid reports ({0} / {1}).").format(n_closed, n_valid),
    )


def hourly_counts(period: PeriodReports) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reports, valid reports and valid component reports per local hour of day (24 each)."""
    hour, valid = period.hour, period.valid
    return (
        np.bincount(hour, minlength=24).astype(np.int64),
        np.bincount(hour[valid], minlength=24).astype(np.int64),
        np.bincount(hour[valid & period.is_component], minlength=24).astype(np.int64),
    )


def time_balance_row(hourly_valid: np.ndarray, n_valid: int, th: Thresholds) -> KpiRow:
    """*time balance* = 1 − Gini of valid reports per local hour over the working hours."""
    lo, hi = th.work_start_hour, th.work_end_hour
    work = hourly_valid[lo:hi] if hi > lo else np.zeros(0)
    tb = known(balance(work))
    return KpiRow(
        "time_balance",
        tb,
        th.balance,
        reaches(tb, th.balance),
        tr(
            _CTX,
            "1 − Gini coefficient of valid reports per hour of the working day "
            "({0:02d}:00–{1:02d}:00 local); {2} valid reports outside those hours.",
        ).format(lo, hi, n_valid - int(work.sum())),
    )


def category_balance_row(
    period: PeriodReports, columns: list[str], column_of: np.ndarray
) -> KpiRow:
    """*category balance* = 1 − Gini of valid reports per major class (for information:
    no threshold)."""
    counts = [int(((column_of == c) & period.valid).sum()) for c in columns]
    return KpiRow(
        "category_balance",
        known(balance(counts)),
        None,
        None,
        tr(_CTX, "1 − Gini coefficient of valid reports per major class ({0} classes).").format(
            len(columns)
        ),
    )
