"""The period of a KPI run, and its reports prepared once for every measure.

A report is *in the period* when its time is known and ``start <= time < end``. Without a
start or an end, the period is the local days spanned by the valid reports (a quarantined
"1970" or "2027" time must not stretch the period, and the target with it).
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
    invalid_state_set,
    local_day_hour,
    local_midnight,
    major_of,
    normalise_kind,
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

    collector: list[str]  # '' when unknown
    kind: np.ndarray  # normalised: COMPONENT, EVENT or other text
    major: list[str | None]  # major class (two digits) of the category code
    valid: np.ndarray  # bool
    closed: np.ndarray | None  # bool; None without a closure field
    grid: np.ndarray | None  # grid index (-1: in none); None when the reports have none
    day: np.ndarray  # local day number
    hour: np.ndarray  # local hour 0-23
    invalid_states: set[str]
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
    def n_valid(self) -> int:
        return int(self.valid.sum())

    @property
    def n_valid_component(self) -> int:
        return int((self.valid & self.is_component).sum())


def report_period(
    reports: Reports,
    start: int | None,
    end: int | None,
    invalid_states: Sequence[str],
    tz: str,
) -> tuple[int, int]:
    """[start, end) in epoch seconds; a missing bound from the local days of the valid
    reports (of all reports with a time when none is valid). ValueError when it ends
    before it starts."""
    t = np.asarray(reports.time, dtype=np.int64)
    has_time = t != NULL_TIME
    if start is None or end is None:
        bad = invalid_state_set(invalid_states)
        ok = np.fromiter(
            (text_of(v).lower() not in bad for v in reports.state), dtype=bool, count=len(t)
        )
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
    reports: Reports, start: int, end: int, invalid_states: Sequence[str], tz: str
) -> PeriodReports:
    """The reports in [start, end), their values read once (see :class:`PeriodReports`)."""
    t = np.asarray(reports.time, dtype=np.int64)
    has_time = t != NULL_TIME
    idx = np.flatnonzero(has_time & (t >= start) & (t < end))
    bad = invalid_state_set(invalid_states)
    day, hour = local_day_hour(t[idx], tz)
    closed = None
    if reports.closed is not None:
        closed = np.fromiter((bool(reports.closed[i]) for i in idx), dtype=bool, count=len(idx))
    no_time = int((~has_time).sum())
    return PeriodReports(
        collector=[text_of(reports.collector[i]) for i in idx],
        kind=np.array([normalise_kind(reports.kind[i]) for i in idx], dtype=object),
        major=[major_of(reports.category[i]) for i in idx],
        valid=np.fromiter(
            (text_of(reports.state[i]).lower() not in bad for i in idx),
            dtype=bool,
            count=len(idx),
        ),
        closed=closed,
        grid=None if reports.grid is None else np.asarray(reports.grid, dtype=np.int64)[idx],
        day=day,
        hour=hour,
        invalid_states=bad,
        no_time=no_time,
        outside_period=len(t) - len(idx) - no_time,
    )


def major_columns(period: PeriodReports) -> list[str]:
    """Columns of valid reports per major class: comp_01… for components, event_01… for
    events; the shipped classes always, and any other class a report has."""
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
