"""The period of a KPI run, and its reports prepared once for every measure.

A report is *in the period* when its time is known and ``start <= time < end``. Without a
start or an end, the period is the local days spanned by the valid reports (a quarantined
"1970" or "2027" time must not stretch the period, and the target with it).

What each report is, as the contracts count it (DOMAIN.md, "Figures as the contracts
define them"):

- *valid*: filed or accepted by the desk (立案): its state is one of the profile's
  ``valid_states`` (default accepted, updated). Pending, sent back (has_issues), rejected,
  duplicate and quarantined reports are not valid;
- *problem*: an event report, or a component report whose reported status is one of the
  profile's ``problem_statuses`` (default 破损, 丢失). A new component recorded for the
  census and a component checked and found fine (完好) are reports, not problems (seed
  000: 「有效上报事件问题总量 … 其中部件类问题占比不少于20%」 counts problems).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n import tr
from .reports import (
    COMPONENT,
    EVENT,
    NULL_TIME,
    Reports,
    kind_of,
    local_midnight,
    local_seconds,
    major_of,
    normalise_channel,
    state_set,
    text_of,
)

_CTX = "Kpi"

# Major classes of the shipped tables: the per-grid columns exist even when a class has no
# report, so outputs keep one shape from run to run (models, joins, styles).
DEFAULT_COMPONENT_MAJORS = ("01", "02", "03", "04", "05", "06")
DEFAULT_EVENT_MAJORS = ("01", "02", "03", "04", "05")


@dataclass
class PeriodReports:
    """The reports in the period, one entry per report, and what was left out."""

    index: np.ndarray  # positions in the Reports
    collector: list[str]  # '' when unknown
    kind: np.ndarray  # normalised: COMPONENT, EVENT, or '' (no kind)
    major: list[str | None]  # major class (two digits) of the category code
    state: np.ndarray  # the state as text, lower case
    valid: np.ndarray  # bool: filed / accepted
    problem: np.ndarray  # bool: an event, or a component problem
    status_known: bool  # the reports carry the component status reported
    closed: np.ndarray | None  # bool; None without a closure field
    grid: np.ndarray | None  # grid index (-1: in none); None when the reports have none
    channel: np.ndarray  # normalised channel of each report
    time: np.ndarray  # epoch seconds
    day: np.ndarray  # local day number
    hour: np.ndarray  # local hour 0-23
    minute: np.ndarray  # local minute of the day 0-1439
    valid_states: set[str]
    no_time: int = 0
    outside_period: int = 0

    def __len__(self) -> int:
        return len(self.valid)

    @property
    def is_component(self) -> np.ndarray:
        return self.kind == COMPONENT

    @property
    def is_event(self) -> np.ndarray:
        return self.kind == EVENT

    @property
    def valid_problem(self) -> np.ndarray:
        return self.valid & self.problem

    @property
    def n_problems(self) -> int:
        return int(self.problem.sum())

    @property
    def n_valid(self) -> int:
        """Valid problem reports: what the volumes and rates count."""
        return int(self.valid_problem.sum())

    @property
    def n_valid_component(self) -> int:
        return int((self.valid_problem & self.is_component).sum())


def valid_mask(reports: Reports, idx: np.ndarray, valid_states: Sequence[str]) -> np.ndarray:
    good = state_set(valid_states)
    return np.fromiter(
        (text_of(reports.state[i]).lower() in good for i in idx), dtype=bool, count=len(idx)
    )


def problem_mask(
    reports: Reports, idx: np.ndarray, kind: np.ndarray, problem_statuses: Sequence[str]
) -> np.ndarray:
    """Events, and components whose reported status is a problem status. Without a status
    column no component report is known to be a problem."""
    problem = kind == EVENT
    if reports.status is not None:
        bad = {s.strip() for s in problem_statuses}
        status = np.fromiter(
            (text_of(reports.status[i]) in bad for i in idx), dtype=bool, count=len(idx)
        )
        problem = problem | ((kind == COMPONENT) & status)
    return problem


def report_period(
    reports: Reports,
    start: int | None,
    end: int | None,
    valid_states: Sequence[str],
    tz: str,
) -> tuple[int, int]:
    """[start, end) in epoch seconds; a missing bound from the local days of the valid
    reports (of all reports with a time when none is valid). ValueError when it ends
    before it starts."""
    t = np.asarray(reports.time, dtype=np.int64)
    has_time = t != NULL_TIME
    if start is None or end is None:
        ok = valid_mask(reports, np.arange(len(t)), valid_states)
        known = t[has_time & ok] if (has_time & ok).any() else t[has_time]
        if len(known):
            if start is None:
                start = local_midnight(int(known.min()), tz)
            if end is None:
                end = local_midnight(int(known.max()), tz, next_day=True)
        else:
            start = start if start is not None else 0
            end = end if end is not None else start
    if end < start:
        raise ValueError(tr(_CTX, "The period ends before it starts."))
    return start, end


def in_period(
    reports: Reports,
    start: int,
    end: int,
    valid_states: Sequence[str],
    problem_statuses: Sequence[str],
    tz: str,
) -> PeriodReports:
    """The reports in [start, end), their values read once (see :class:`PeriodReports`)."""
    t = np.asarray(reports.time, dtype=np.int64)
    has_time = t != NULL_TIME
    idx = np.flatnonzero(has_time & (t >= start) & (t < end))
    local = local_seconds(t[idx], tz)
    kind = np.array([kind_of(reports.kind[i], reports.category[i]) for i in idx], dtype=object)
    channel = (
        np.full(len(idx), "collector", dtype=object)
        if reports.channel is None
        else np.array([normalise_channel(reports.channel[i]) for i in idx], dtype=object)
    )
    no_time = int((~has_time).sum())
    return PeriodReports(
        index=idx,
        collector=[text_of(reports.collector[i]) for i in idx],
        kind=kind,
        major=[major_of(reports.category[i]) for i in idx],
        state=np.array([text_of(reports.state[i]).lower() for i in idx], dtype=object),
        valid=valid_mask(reports, idx, valid_states),
        problem=problem_mask(reports, idx, kind, problem_statuses),
        status_known=reports.status is not None,
        closed=closed_by(reports, idx, end),
        grid=None if reports.grid is None else np.asarray(reports.grid, dtype=np.int64)[idx],
        channel=channel,
        time=t[idx],
        day=local // 86400,
        hour=(local % 86400) // 3600,
        minute=(local % 86400) // 60,
        valid_states=state_set(valid_states),
        no_time=no_time,
        outside_period=len(t) - len(idx) - no_time,
    )


def closed_by(reports: Reports, idx: np.ndarray, end: int) -> np.ndarray | None:
    """Whether each report (positions ``idx``) was closed by ``end``; None when the reports
    say nothing about closure."""
    if reports.closed_at is not None:
        at = np.asarray(reports.closed_at, dtype=np.int64)[idx]
        return (at != NULL_TIME) & (at < end)
    if reports.closed is not None:
        return np.fromiter((bool(reports.closed[i]) for i in idx), dtype=bool, count=len(idx))
    return None


def major_columns(period: PeriodReports) -> list[str]:
    """Columns of valid problem reports per major class: comp_01… for components,
    event_01… for events; the shipped classes always, and any other class a report has."""
    comp_majors = set(DEFAULT_COMPONENT_MAJORS)
    event_majors = set(DEFAULT_EVENT_MAJORS)
    for k, m in zip(period.kind, period.major):
        if m is None:
            continue
        if k == COMPONENT:
            comp_majors.add(m)
        elif k == EVENT:
            event_majors.add(m)
    return [f"comp_{m}" for m in sorted(comp_majors)] + [f"event_{m}" for m in sorted(event_majors)]


def major_column_of(period: PeriodReports) -> np.ndarray:
    """The major-class column of each report ('' when it has none)."""
    return np.array(
        [
            (f"comp_{m}" if k == COMPONENT else f"event_{m}")
            if m is not None and k in (COMPONENT, EVENT)
            else ""
            for k, m in zip(period.kind, period.major)
        ],
        dtype=object,
    )
