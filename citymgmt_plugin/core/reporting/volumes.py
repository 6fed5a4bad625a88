"""Volumes as the contract writes them: an annual total and a monthly floor.

Seed 000 (Suzhou): 「项目服务期内有效上报事件问题总量不少于15万件，项目服务期第二个月起，每月
不少于1万件」 — two rules, never a target spread over days:

- *annual*: valid problem reports from the first day of service, judged when the service
  period has ended (before that the figure is the year to date, without a verdict);
- *monthly*: valid problem reports of each whole calendar month, from the profile's
  ``monthly_from_month`` (2: the month the service starts in is exempt). A month the
  period covers only in part, or outside the service period, is shown without a verdict.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

from ..i18n import tr
from .period import PeriodReports, in_period
from .profile import ContractProfile
from .reports import Reports, local_epoch
from .results import KpiRow, MonthRow, reaches

_CTX = "Kpi"


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def months_of(start: int, end: int, tz: str) -> Iterator[tuple[date, int, int]]:
    """(first day, epoch start, epoch end) of each calendar month overlapping [start, end)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    first = datetime.fromtimestamp(start, ZoneInfo(tz)).date().replace(day=1)
    while True:
        t0 = local_epoch(first, tz)
        if t0 >= end:
            return
        nxt = _next_month(first)
        yield first, t0, local_epoch(nxt, tz)
        first = nxt


def service_month(profile: ContractProfile, month: date) -> int | None:
    """1 for the month the service starts in, 2 for the next …; None outside the service."""
    s, e = profile.service_start, profile.service_end
    if s is None:
        return None
    n = (month.year - s.year) * 12 + month.month - s.month + 1
    if n < 1 or (e is not None and month > e.replace(day=1)):
        return None
    return n


def month_rows(
    period: PeriodReports, start: int, end: int, profile: ContractProfile
) -> list[MonthRow]:
    """Each calendar month of [start, end) with its valid problem reports and verdict."""
    floor = profile.volumes.monthly_valid
    t, ok = period.time, period.valid_problem
    rows = []
    for first, t0, t1 in months_of(start, end, profile.timezone):
        whole = start <= t0 and t1 <= end
        n = int(np.count_nonzero(ok & (t >= max(t0, start)) & (t < min(t1, end))))
        sm = service_month(profile, first)
        threshold = float(floor) if floor is not None and _judged(profile, whole, sm) else None
        rows.append(
            MonthRow(first.strftime("%Y-%m"), sm, whole, n, threshold, reaches(n, threshold))
        )
    return rows


def _judged(profile: ContractProfile, whole: bool, month_no: int | None) -> bool:
    """A whole month from the first month the floor applies (any whole month when the
    profile has no service period)."""
    if not whole:
        return False
    if profile.service_start is None:
        return True
    return month_no is not None and month_no >= profile.volumes.monthly_from_month


def monthly_row(months: list[MonthRow], profile: ContractProfile) -> KpiRow:
    """*monthly valid*: the month's valid problem reports against the monthly floor (over
    several months: the lowest judged month)."""
    floor = profile.volumes.monthly_valid
    judged = [m for m in months if m.threshold is not None]
    if judged:
        low = min(judged, key=lambda m: m.valid)
        comment = tr(_CTX, "Lowest whole month {0}; floor {1:,} a month from service month {2}.")
        return KpiRow(
            "monthly_valid",
            low.valid,
            low.threshold,
            all(m.passed for m in judged),
            comment.format(low.month, floor, profile.volumes.monthly_from_month),
        )
    total = sum(m.valid for m in months)
    return KpiRow("monthly_valid", total, None, None, _why_not_judged(months, profile))


def _why_not_judged(months: list[MonthRow], profile: ContractProfile) -> str:
    if profile.volumes.monthly_valid is None:
        return tr(_CTX, "The contract sets no monthly floor.")
    if not any(m.whole for m in months):
        return tr(_CTX, "Not judged: the monthly floor is judged on whole calendar months.")
    first = profile.volumes.monthly_from_month
    exempt = [m for m in months if m.whole and m.service_month and m.service_month < first]
    if exempt:
        return tr(
            _CTX,
            "Not judged: service month {0} is exempt (the floor of {1:,} applies from service "
            "month {2}).",
        ).format(exempt[0].service_month, profile.volumes.monthly_valid,
                 profile.volumes.monthly_from_month)  # fmt: skip
    return tr(_CTX, "Not judged: the month is outside the service period.")


def annual_row(reports: Reports, start: int, end: int, profile: ContractProfile) -> KpiRow:
    """*annual valid*: valid problem reports from the first day of service to the end of
    the period (at most to the last day of service) against the annual total; judged once
    the service period has ended."""
    target = profile.volumes.annual_valid
    s, e = profile.service_start, profile.service_end
    if s is None:
        return KpiRow(
            "annual_valid", None, target, None,
            tr(_CTX, "Not computed: the contract profile has no service period."),
        )  # fmt: skip
    t0 = local_epoch(s, profile.timezone)
    t_end = local_epoch(e + timedelta(days=1), profile.timezone) if e else end
    if end <= t0 or start >= t_end:
        return KpiRow(
            "annual_valid", None, target, None,
            tr(_CTX, "Not judged: the period is outside the service period {0} – {1}.").format(
                s.isoformat(), e.isoformat() if e else "—"
            ),
        )  # fmt: skip
    t1 = min(end, t_end)
    so_far = in_period(
        reports, t0, max(t0, t1), profile.valid_states, profile.problem_statuses, profile.timezone
    ).n_valid
    ended = e is not None and end >= t_end
    comment = (
        tr(_CTX, "Valid problem reports of the service period {0} – {1}.")
        if ended
        else tr(_CTX, "Year to date: valid problem reports since {0}; judged after {1}.")
    )
    return KpiRow(
        "annual_valid",
        so_far,
        target,
        reaches(so_far, target) if ended else None,
        comment.format(s.isoformat(), e.isoformat() if e else "—"),
    )
