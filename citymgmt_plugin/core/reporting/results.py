"""The contract figures the KPIs are compared with, and the rows of a KPI result."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

# Hour-of-day buckets of the collector table: (first hour, last hour + 1).
HOUR_BUCKETS = ((0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24))


@dataclass(frozen=True)
class Thresholds:
    """Contract figures (seed 000: Suzhou; seed 003: Jinzhong for the per-collector rate)."""

    annual_valid: float = 150_000
    monthly_valid: float = 10_000
    component_share: float = 0.20
    valid_rate: float = 0.90
    closure_rate: float = 0.90
    per_collector_day: float = 6.0
    balance: float = 0.5  # no contract figure: the contract only asks for "balance"
    work_start_hour: int = 8
    work_end_hour: int = 18  # exclusive

    def target(self, days: float) -> float:
        """Valid reports the period asks for: yearly and monthly targets scaled to ``days``."""
        per_day = max(self.annual_valid / 365.0, 12.0 * self.monthly_valid / 365.0)
        return math.ceil(per_day * days - 1e-9)


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
    valid: int
    component: int
    event: int
    majors: dict[str, int]  # column name -> valid reports
    valid_rate: float | None
    component_share: float | None
    passed: bool | None


@dataclass
class CollectorRow:
    collector_code: str | None
    reports: int
    valid: int
    component: int
    valid_rate: float | None
    component_share: float | None
    active_days: int
    per_day: float | None  # valid reports per active day
    per_period_day: float | None  # valid reports per day of the period
    buckets: list[int]  # all reports per HOUR_BUCKETS
    passed: bool | None


@dataclass
class KpiResult:
    start: int
    end: int
    days: float
    overall: list[KpiRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)
    collectors: list[CollectorRow] = field(default_factory=list)
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
