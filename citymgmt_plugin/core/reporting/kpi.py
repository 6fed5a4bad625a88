"""Reporting KPIs of a period, as the contracts define them (DOMAIN.md, the seeds).

Pure numpy, no QGIS: the Processing algorithm ``citymgmt:reportingkpi``, the command line,
the demo and the tests share it. :func:`compute_kpis` only composes the measures; each is
a small function whose docstring cites the seed sentence it follows:

- which reports are valid (filed/accepted) and which are problems: :mod:`.period`;
- the annual total and the monthly floor from the second service month: :mod:`.volumes`;
- valid rate, component problem share, closure rate over cases due, channel shares, time
  and category balance, reports outside the working time: :mod:`.measures`;
- per grid, area balance and grids passed: :mod:`.grids`;
- per collector over scheduled days (duty roster), collectors on duty: :mod:`.collectors`;
- on-time 核实/核查 rates (with the case loop's tasks): :mod:`.tasks`;
- the figures a city sets: the contract profile, :mod:`.profile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..i18n import tr
from .collectors import (
    DayRange,
    collector_table,
    collectors_row,
    on_duty_row,
    per_collector_day_row,
)
from .grids import area_balance_row, grid_table, grids_passed_row
from .measures import (
    category_balance_row,
    channel_rows,
    closure_rate_row,
    component_share_row,
    hourly_counts,
    reports_row,
    time_balance_rows,
    valid_rate_row,
    valid_reports_row,
)
from .period import PeriodReports, in_period, major_column_of, major_columns, report_period
from .profile import ContractProfile, default_profile
from .reports import CHANNELS, Reports, local_seconds
from .results import KpiResult, KpiRow
from .roster import Roster
from .tasks import Tasks, on_time_rows
from .volumes import annual_row, month_rows, monthly_row

_CTX = "Kpi"


@lru_cache(maxsize=1)
def _shipped_default() -> ContractProfile:
    return default_profile()


def compute_kpis(
    reports: Reports,
    start: int | None = None,
    end: int | None = None,
    profile: ContractProfile | None = None,
    grid_codes: Sequence[str | None] | None = None,
    roster: Roster | None = None,
    tasks: Tasks | None = None,
) -> KpiResult:
    """Every KPI of the reports in [start, end) (epoch seconds; None: the local days spanned
    by the valid reports). ``reports`` may hold more than the period (the annual row counts
    from the first day of service). ``grid_codes``: the grids ``reports.grid`` indexes
    (None: none). ``profile``: the contract (default: seed 000's, Suzhou 2021)."""
    profile = profile or _shipped_default()
    tz = profile.timezone
    start, end = report_period(reports, start, end, profile.valid_states, tz)
    period = in_period(reports, start, end, profile.valid_states, profile.problem_statuses, tz)
    res = KpiResult(start=int(start), end=int(end), days=(end - start) / 86400.0)
    res.in_period, res.no_time = len(period), period.no_time
    res.outside_period = period.outside_period
    res.hourly, res.hourly_valid, res.hourly_component = hourly_counts(period)
    res.major_columns = major_columns(period)
    days = day_range(start, end, profile)
    grids = None
    if grid_codes is not None:
        grids = grid_table(period, grid_codes, res.major_columns, major_column_of(period), profile)
        res.grids = grids.rows
    collectors = collector_table(period, profile, days, roster)
    res.collectors = collectors.rows
    res.months = month_rows(period, start, end, profile)
    channels, res.channels = channel_rows(period)
    res.overall = [
        *_volume_rows(reports, period, res, profile),
        valid_rate_row(period, profile),
        component_share_row(period, profile),
        closure_rate_row(reports, start, end, profile),
        *channels,
        per_collector_day_row(collectors, profile),
        collectors_row(collectors),
        on_duty_row(roster, days, profile),
        area_balance_row(grids, profile),
        *([grids_passed_row(grids)] if grids is not None else []),
        *time_balance_rows(period, profile),
        category_balance_row(period, res.major_columns, major_column_of(period)),
        *on_time_rows(tasks, start, end, profile),
    ]
    return res


def _volume_rows(
    reports: Reports, period: PeriodReports, res: KpiResult, profile: ContractProfile
) -> list[KpiRow]:
    rows = [
        reports_row(period, res.days),
        valid_reports_row(period),
        annual_row(reports, res.start, res.end, profile),
        monthly_row(res.months, profile),
    ]
    if len(res.months) > 1:
        rows += [
            KpiRow(f"monthly_valid:{m.month}", m.valid, m.threshold, m.passed, "")
            for m in res.months
        ]
    return rows


def day_range(start: int, end: int, profile: ContractProfile) -> DayRange:
    """The local days the period touches, and which of them are working days."""
    local = local_seconds(np.array([start, max(start, end - 1)], dtype=np.int64), profile.timezone)
    first, last = int(local[0] // 86400), int(local[1] // 86400)
    end_day = last + 1 if end > start else first
    days = np.arange(first, end_day, dtype=np.int64)
    return DayRange(first, end_day, profile.working_time.work_days(days))


def kpi_names() -> dict[str, str]:
    """Translated names of the overall KPI rows (channel and month rows: :func:`kpi_name`)."""
    return {
        "reports": tr(_CTX, "Reports"),
        "valid_reports": tr(_CTX, "Valid problem reports"),
        "annual_valid": tr(_CTX, "Valid problem reports of the service year"),
        "monthly_valid": tr(_CTX, "Valid problem reports of the month"),
        "valid_rate": tr(_CTX, "Valid-report rate"),
        "component_share": tr(_CTX, "Component problem share"),
        "closure_rate": tr(_CTX, "Closure rate"),
        "reports_per_collector_day": tr(_CTX, "Valid reports per collector per day"),
        "collectors": tr(_CTX, "Collectors"),
        "collectors_on_duty": tr(_CTX, "Collectors on duty (fewest in a day)"),
        "area_balance": tr(_CTX, "Area balance"),
        "grids_passed": tr(_CTX, "Grids passed"),
        "time_balance": tr(_CTX, "Time-of-day balance"),
        "outside_working_time": tr(_CTX, "Reports outside the working time"),
        "category_balance": tr(_CTX, "Category balance"),
        "on_time_verify": tr(_CTX, "On-time verification (核实) rate"),
        "on_time_check": tr(_CTX, "On-time check (核查) rate"),
    }


def channel_names() -> dict[str, str]:
    return {
        "collector": tr(_CTX, "collectors"),
        "public": tr(_CTX, "the public"),
        "hotline": tr(_CTX, "12345 hotline"),
        "video": tr(_CTX, "video surveillance"),
        "leader": tr(_CTX, "leaders"),
        "spot_check": tr(_CTX, "spot checks"),
        "other": tr(_CTX, "other channels"),
    }


def kpi_name(kpi: str) -> str:
    """The translated name of any overall row, channel and month rows included."""
    base, _, arg = kpi.partition(":")
    if base == "channel_share" and arg in CHANNELS:
        return tr(_CTX, "Share reported by {0}").format(channel_names()[arg])
    if base == "monthly_valid" and arg:
        return tr(_CTX, "Valid problem reports of {0}").format(arg)
    return kpi_names().get(kpi, kpi)
