"""The rows of a KPI result (overall, per grid, per collector, per month)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

# Hour-of-day buckets of the collector table: (first hour, last hour + 1).
HOUR_BUCKETS = ((0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24))


@dataclass
class KpiRow:
    kpi: str
    value: float | None
    threshold: float | None
    passed: bool | None
    comment: str


@dataclass
class GridRow:
    grid_code: str | None
    reports: int
    valid: int  # valid problem reports
    component: int  # valid component problems
    event: int  # valid event reports
    majors: dict[str, int]  # column name -> valid problem reports
    valid_rate: float | None
    component_share: float | None
    passed: bool | None


@dataclass
class CollectorRow:
    collector_code: str | None
    reports: int
    valid: int  # valid problem reports
    component: int  # valid component problems
    valid_rate: float | None
    component_share: float | None
    active_days: int  # days with at least one report
    per_day: float | None  # valid problem reports per scheduled day
    per_period_day: float | None  # valid problem reports per day of the period
    buckets: list[int]  # all reports per HOUR_BUCKETS
    passed: bool | None
    scheduled_days: int = 0  # on the roster (on duty or absent), or the working days
    absent_days: int = 0


@dataclass
class MonthRow:
    """One calendar month of the period against the monthly floor."""

    month: str  # YYYY-MM
    service_month: int | None  # 1 = the month the service starts in; None: outside service
    whole: bool  # the period covers the whole month
    valid: int
    threshold: float | None
    passed: bool | None


@dataclass
class KpiResult:
    start: int
    end: int
    days: float
    overall: list[KpiRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)
    collectors: list[CollectorRow] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    channels: dict[str, int] = field(default_factory=dict)
    major_columns: list[str] = field(default_factory=list)
    hourly: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    hourly_valid: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    hourly_component: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    in_period: int = 0
    no_time: int = 0
    outside_period: int = 0

    def row(self, kpi: str) -> KpiRow:
        for r in self.overall:
            if r.kpi == kpi:
                return r
        raise KeyError(kpi)

    def value(self, kpi: str) -> float | None:
        """A KPI's value, None when the result has no such row or it has no value."""
        try:
            return self.row(kpi).value
        except KeyError:
            return None

    @property
    def passed(self) -> bool:
        """Every KPI that has a threshold and a value passes."""
        return all(r.passed is not False for r in self.overall)


def ratio(a: float, b: float) -> float | None:
    """a / b, or None when b is zero."""
    return a / b if b else None


def reaches(value: float | None, threshold: float | None) -> bool | None:
    """Whether ``value`` reaches ``threshold``; None when either is unknown (None or NaN)."""
    if value is None or threshold is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value >= threshold - 1e-12)
