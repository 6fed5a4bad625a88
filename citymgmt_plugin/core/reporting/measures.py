"""The overall KPIs of a period, one function per measure, each giving one :class:`KpiRow`.

Every measure reads the period's reports (:class:`.period.PeriodReports`) and the contract
profile (:class:`.profile.ContractProfile`); its docstring cites the seed sentence it
follows and its comment says how it was computed. Volumes are :mod:`.volumes`, the
per-grid and per-collector measures :mod:`.grids` and :mod:`.collectors`.
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from .balance import balance, known
from .period import PeriodReports, closed_by
from .profile import ContractProfile
from .reports import CHANNELS, NULL_TIME, Reports
from .results import KpiRow, ratio, reaches

_CTX = "Kpi"


def reports_row(period: PeriodReports, days: float) -> KpiRow:
    """*reports*: every report in the period (no threshold), and what they are."""
    no_kind = int((period.kind == "").sum())
    not_problem = int((period.is_component & ~period.problem).sum())
    return KpiRow(
        "reports",
        len(period),
        None,
        None,
        tr(
            _CTX,
            "Reports in the period ({0:.2f} days): {1} problems, {2} component reports that "
            "are not problems (census records, checked fine), {3} without a kind; {4} outside "
            "the period and {5} without a time were left out.",
        ).format(
            days, period.n_problems, not_problem, no_kind, period.outside_period, period.no_time
        ),
    )


def valid_reports_row(period: PeriodReports) -> KpiRow:
    """*valid reports*: valid problem reports (立案), the count the volumes judge (no
    threshold of its own: see the annual and monthly rows)."""
    return KpiRow(
        "valid_reports",
        period.n_valid,
        None,
        None,
        tr(
            _CTX, "Problem reports filed or accepted ({0}); judged by the annual and monthly rows."
        ).format(", ".join(sorted(period.valid_states))),
    )


def valid_rate_row(period: PeriodReports, profile: ContractProfile) -> KpiRow:
    """*valid rate* (seed 000: 「事部件问题上报有效率 =90%」; seed 004: 「共立案152,020条，不予立
    案2317条，立案率大98.5%」) = valid problem reports / problem reports. Valid means filed
    or accepted: pending and sent-back reports are not (yet) valid."""
    n, n_valid = period.n_problems, period.n_valid
    waiting = int((period.problem & np.isin(period.state, ("pending", "has_issues"))).sum())
    vr = ratio(n_valid, n)
    th = profile.rates.valid_rate
    return KpiRow(
        "valid_rate",
        vr,
        th,
        reaches(vr, th),
        tr(_CTX, "Valid problem reports / problem reports ({0} / {1}); {2} still pending or "
           "sent back count as not valid.").format(n_valid, n, waiting),
    )  # fmt: skip


def component_share_row(period: PeriodReports, profile: ContractProfile) -> KpiRow:
    """*component problem share* (seed 000: 「其中部件类问题占比不少于20%」; 「部件问题采集占比
    =20%」) = valid component problems / valid problem reports. A component problem is a
    component reported with a problem status (破损, 丢失): census records and components
    checked fine are not problems. Not computed when the reports carry no status."""
    th = profile.rates.component_share
    if not period.status_known:
        return KpiRow(
            "component_share", None, th, None,
            tr(_CTX, "Not computed: the reports carry no component status (破损, 丢失 …)."),
        )  # fmt: skip
    n_comp, n_valid = period.n_valid_component, period.n_valid
    cs = ratio(n_comp, n_valid)
    return KpiRow(
        "component_share",
        cs,
        th,
        reaches(cs, th),
        tr(_CTX, "Valid component problems / valid problem reports ({0} / {1}).").format(
            n_comp, n_valid
        ),
    )


def closure_rate_row(reports: Reports, start: int, end: int, profile: ContractProfile) -> KpiRow:
    """*closure rate* (seed 000: 「采集上报问题办结率 =90%」; seed 004: 「应解决问题数137069条，
    已解决116120条，解决率84,72%」) = closed / due (已结案 / 应结案): the valid problem
    reports whose deadline falls in the period, and of those the ones closed by its end.
    Not computed without deadlines or closures."""
    th = profile.rates.closure_rate
    if reports.due is None or (reports.closed is None and reports.closed_at is None):
        return KpiRow(
            "closure_rate", None, th, None,
            tr(_CTX, "Not computed: closure needs each case's deadline and whether it was closed."),
        )  # fmt: skip
    from .period import problem_mask, valid_mask
    from .reports import kind_of

    due = np.asarray(reports.due, dtype=np.int64)
    idx = np.flatnonzero((due != NULL_TIME) & (due >= start) & (due < end))
    kind = np.array([kind_of(reports.kind[i], reports.category[i]) for i in idx], dtype=object)
    ok = valid_mask(reports, idx, profile.valid_states) & problem_mask(
        reports, idx, kind, profile.problem_statuses
    )
    idx = idx[ok]
    closed = closed_by(reports, idx, end)
    n_closed = int(closed.sum()) if closed is not None else 0
    cr = ratio(n_closed, len(idx))
    return KpiRow(
        "closure_rate",
        cr,
        th,
        reaches(cr, th),
        tr(
            _CTX, "Closed / due ({0} / {1}): valid problems whose deadline falls in the period."
        ).format(n_closed, len(idx)),
    )


def channel_rows(period: PeriodReports) -> tuple[list[KpiRow], dict[str, int]]:
    """*channel shares* (seed 004: 「采集人员上报153,125条，占采集量的99.21%，其他渠道上报
    1,212条，占0.79%」): problem reports per reporting channel / problem reports."""
    problems = period.problem
    counts = {ch: int(((period.channel == ch) & problems).sum()) for ch in CHANNELS}
    n = int(problems.sum())
    rows = [
        KpiRow(
            f"channel_share:{ch}",
            ratio(c, n),
            None,
            None,
            tr(_CTX, "{0} of {1} problem reports.").format(c, n),
        )
        for ch, c in counts.items()
        if c or ch == "collector"
    ]
    return rows, counts


def hourly_counts(period: PeriodReports) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reports, valid problem reports and valid component problems per local hour (24 each)."""
    hour, vp = period.hour, period.valid_problem
    return (
        np.bincount(hour, minlength=24).astype(np.int64),
        np.bincount(hour[vp], minlength=24).astype(np.int64),
        np.bincount(hour[vp & period.is_component], minlength=24).astype(np.int64),
    )


def time_balance_rows(period: PeriodReports, profile: ContractProfile) -> list[KpiRow]:
    """*time balance* (seed 000: 「上报时间均衡性」) = 1 − Gini of valid problem reports per
    slot of the working time (seed 000: 「工作时间一般为8：30-17：30，用餐时间为12：00-13：00
    … 双休日、法定节假日服务工作正常开展」: slots of 30 minutes, breaks left out, weekends
    and holidays as the contract says); *outside working time*: valid problem reports
    outside it (no threshold)."""
    wt = profile.working_time
    vp = period.valid_problem
    inside = wt.in_work(period.day, period.minute) & vp
    slots = wt.slots()
    step = wt.slot_minutes()
    slot_of = np.searchsorted(slots, period.minute[inside], side="right") - 1
    counts = np.bincount(slot_of, minlength=len(slots)) if len(slots) else np.zeros(0)
    tb = known(balance(counts))
    th = profile.rates.balance
    outside = int((vp & ~inside).sum())
    return [
        KpiRow(
            "time_balance", tb, th, reaches(tb, th),
            tr(_CTX, "1 − Gini coefficient of valid problem reports per {0}-minute slot of the "
               "working time ({1}).").format(step, wt.describe()),
        ),
        KpiRow(
            "outside_working_time", outside, None, None,
            tr(_CTX, "Valid problem reports outside the working time ({0}).").format(
                wt.describe()
            ),
        ),
    ]  # fmt: skip


def category_balance_row(
    period: PeriodReports, columns: list[str], column_of: np.ndarray
) -> KpiRow:
    """*category balance* (seed 000: 「信息采集类别…均衡性」) = 1 − Gini of valid problem
    reports per major class (for information: no threshold)."""
    vp = period.valid_problem
    counts = [int(((column_of == c) & vp).sum()) for c in columns]
    return KpiRow(
        "category_balance",
        known(balance(counts)),
        None,
        None,
        tr(
            _CTX, "1 − Gini coefficient of valid problem reports per major class ({0} classes)."
        ).format(len(columns)),
    )
