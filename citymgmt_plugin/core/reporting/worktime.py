"""Working time as a contract writes it: daily periods with breaks, weekends, holidays.

Seed 000 (Suzhou): 「工作时间一般为8：30-17：30，用餐时间为12：00-13：00 … 双休日、法定节假日
服务工作正常开展」 — periods 08:30–12:00 and 13:00–17:30, weekends and holidays worked.
Times are minutes from local midnight; days are local calendar days (epoch day numbers of
the contract's time zone, as :func:`.reports.local_day_hour` counts them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from ..i18n import tr

_CTX = "Kpi"
EPOCH_DAY = date(1970, 1, 1)
_PERIOD = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*[-–—~～]\s*(\d{1,2})[:：](\d{2})\s*$")


class WorkTimeError(ValueError):
    """A working time that cannot be read (the message says which part, translated)."""


def day_number(d: date) -> int:
    """The epoch day number of a local calendar day."""
    return (d - EPOCH_DAY).days


def day_date(n: int) -> date:
    return EPOCH_DAY + timedelta(days=int(n))


def parse_period(text: str) -> tuple[int, int]:
    """``"08:30-12:00"`` -> (510, 720) minutes; the end may be 24:00."""
    m = _PERIOD.match(text or "")
    if not m:
        raise WorkTimeError(
            tr(_CTX, "Cannot read the working period {0!r}: write it as 08:30-12:00.").format(text)
        )
    h0, m0, h1, m1 = (int(v) for v in m.groups())
    start, end = h0 * 60 + m0, h1 * 60 + m1
    if m0 >= 60 or m1 >= 60 or end > 24 * 60 or start >= end:
        raise WorkTimeError(
            tr(_CTX, "The working period {0!r} must end after it starts, within the day.").format(
                text
            )
        )
    return start, end


def format_period(period: tuple[int, int]) -> str:
    a, b = period
    return f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"


@dataclass(frozen=True)
class WorkingTime:
    """The contract's working time (periods in minutes from local midnight, sorted)."""

    periods: tuple[tuple[int, int], ...] = ((510, 720), (780, 1050))
    weekends: bool = True  # Saturdays and Sundays are working days
    holidays: bool = True  # public holidays are working days
    holiday_dates: frozenset[date] = field(default_factory=frozenset)
    workday_dates: frozenset[date] = field(default_factory=frozenset)  # weekend days worked (调休)

    @classmethod
    def from_texts(
        cls,
        periods: Sequence[str],
        weekends: bool = True,
        holidays: bool = True,
        holiday_dates: Iterable[date] = (),
        workday_dates: Iterable[date] = (),
    ) -> WorkingTime:
        """From ``["08:30-12:00", "13:00-17:30"]``; WorkTimeError when the periods overlap
        or none is given."""
        parsed = sorted(parse_period(p) for p in periods)
        if not parsed:
            raise WorkTimeError(tr(_CTX, "The working day needs at least one period."))
        for (_, end), (start, _) in zip(parsed, parsed[1:]):
            if start < end:
                raise WorkTimeError(tr(_CTX, "The working periods overlap."))
        return cls(
            tuple(parsed), weekends, holidays, frozenset(holiday_dates), frozenset(workday_dates)
        )

    @property
    def texts(self) -> list[str]:
        return [format_period(p) for p in self.periods]

    @property
    def minutes(self) -> int:
        """Working minutes of a working day."""
        return sum(b - a for a, b in self.periods)

    def slot_minutes(self) -> int:
        """The longest slot length (≤ 60) that every period boundary falls on: 30 for
        08:30-12:00 + 13:00-17:30, so the time-of-day balance compares like with like."""
        step = 60
        for a, b in self.periods:
            step = math.gcd(step, math.gcd(a, b))
        return max(step, 1)

    def slots(self) -> np.ndarray:
        """Start minute of every slot of the working day."""
        step = self.slot_minutes()
        return np.concatenate([np.arange(a, b, step) for a, b in self.periods])

    def is_work_day(self, d: date) -> bool:
        if d in self.workday_dates:
            return True
        if d in self.holiday_dates and not self.holidays:
            return False
        return self.weekends or d.weekday() < 5

    def work_days(self, days: np.ndarray) -> np.ndarray:
        """Mask of working days for epoch day numbers."""
        days = np.asarray(days, dtype=np.int64)
        if self.weekends and (self.holidays or not self.holiday_dates):
            return np.ones(len(days), dtype=bool)
        uniq, inv = np.unique(days, return_inverse=True)
        ok = np.fromiter((self.is_work_day(day_date(d)) for d in uniq), bool, len(uniq))
        return ok[inv.reshape(-1)]

    def in_periods(self, minute: np.ndarray) -> np.ndarray:
        """Mask of minutes of day inside a working period."""
        minute = np.asarray(minute, dtype=np.int64)
        inside = np.zeros(len(minute), dtype=bool)
        for a, b in self.periods:
            inside |= (minute >= a) & (minute < b)
        return inside

    def in_work(self, day: np.ndarray, minute: np.ndarray) -> np.ndarray:
        """Mask of local (day, minute) pairs inside the working time."""
        return self.in_periods(minute) & self.work_days(day)

    def describe(self) -> str:
        """The working time in words, for KPI comments."""
        days = (
            tr(_CTX, "every day") if self.weekends and self.holidays else tr(_CTX, "working days")
        )
        return tr(_CTX, "{0}, {1}").format(", ".join(self.texts), days)
