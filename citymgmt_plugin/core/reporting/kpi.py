"""Reporting KPIs of a period, compared with the contract figures (DOMAIN.md, seeds 000/003).

Pure numpy, no QGIS: the Processing algorithm ``citymgmt:reportingkpi``, the demo and the
tests share it. :func:`compute_kpis` only composes the measures; each is a small function
that says how it is defined:

- the period and its reports: :mod:`.period` (in the period: ``start <= time < end``; valid
  unless the state is one of ``invalid_states``, default rejected, quarantined, duplicate;
  days and hours local to ``tz``, default Asia/Shanghai);
- reports, valid reports against the scaled target, valid rate, component share, closure
  rate, time-of-day and category balance: :mod:`.measures`;
- per grid, area balance and grids passed: :mod:`.grids`;
- per collector, reports per collector per day and collectors: :mod:`.collectors`;
- *balance* = 1 − Gini coefficient of counts (1: perfectly even; the least possible is 1/n
  for n buckets): :mod:`.balance`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..i18n import tr
from .collectors import collector_table, collectors_row, per_collector_day_row
from .grids import area_balance_row, grid_table, grids_passed_row
from .measures import (
    category_balance_row,
    closure_rate_row,
    component_share_row,
    hourly_counts,
    reports_row,
    time_balance_row,
    valid_rate_row,
    valid_reports_row,
)
from .period import in_period, major_column_of, major_columns, report_period
from .reports import DEFAULT_INVALID_STATES, DEFAULT_TZ, Reports
from .results import KpiResult, Thresholds

_CTX = "Kpi"


def compute_kpis(
    reports: Reports,
    start: int | None = None,
    end: int | None = None,
    thresholds: Thresholds | None = None,
    grid_codes: Sequence[str | None] | None = None,
    invalid_states: Sequence[str] = DEFAULT_INVALID_STATES,
    tz: str = DEFAULT_TZ,
) -> KpiResult:
    """Every KPI of the reports in [start, end) (epoch seconds; None: the local days spanned
    by the valid reports). ``grid_codes``: the grids ``reports.grid`` indexes (None: none)."""
    th = thresholds or Thresholds()
    start, end = report_period(reports, start, end, invalid_states, tz)
    period = in_period(reports, start, end, invalid_states, tz)
    res = KpiResult(start=int(start), end=int(end), days=(end - start) / 86400.0)
    res.in_period = len(period)
    res.no_time = period.no_time
    res.outside_period = period.outside_period
    res.hourly, res.hourly_valid, res.hourly_component = hourly_counts(period)
    res.major_columns = columns = major_columns(period)
    column_of = major_column_of(period)
    grids = None
    if grid_codes is not None:
        grids = grid_table(period, grid_codes, columns, column_of, th)
        res.grids = grids.rows
    collectors = collector_table(period, th, res.days)
    res.collectors = collectors.rows
    res.overall = [
        reports_row(period, res.days),
        valid_reports_row(period, th, res.days),
        valid_rate_row(period, th),
        component_share_row(period, th),
        closure_rate_row(period, th),
        per_collector_day_row(collectors, th),
        collectors_row(collectors),
        area_balance_row(grids, th),
        *([grids_passed_row(grids)] if grids is not None else []),
        time_balance_row(res.hourly_valid, period.n_valid, th),
        category_balance_row(period, columns, column_of),
    ]
    return res


def kpi_names() -> dict[str, str]:
    """Translated names of the overall KPI rows."""
    return {
        "reports": tr(_CTX, "Reports"),
        "valid_reports": tr(_CTX, "Valid reports"),
        "valid_rate": tr(_CTX, "Valid-report rate"),
        "component_share": tr(_CTX, "Component problem share"),
        "closure_rate": tr(_CTX, "Closure rate"),
        "reports_per_collector_day": tr(_CTX, "Valid reports per collector per day"),
        "collectors": tr(_CTX, "Collectors"),
        "area_balance": tr(_CTX, "Area balance"),
        "grids_passed": tr(_CTX, "Grids passed"),
        "time_balance": tr(_CTX, "Time-of-day balance"),
        "category_balance": tr(_CTX, "Category balance"),
    }
