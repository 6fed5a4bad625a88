"""ISO weeks and calendar months in the office's time zone: the periods reports cover.

A week is written ``YYYY-Www`` (ISO 8601: weeks start on Monday; week 1 holds the year's
first Thursday). Its bounds are local midnights (Asia/Shanghai by default), as epoch
seconds, so the patrol and KPI checks of one week agree on where it starts and ends. A week
belongs to the month of its Thursday, as ISO weeks belong to years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..i18n import tr
from .reports import DEFAULT_TZ

_CTX = "Reports"
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _midnight(day: date, tz: str) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).timestamp())


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week (``year`` is the ISO year, which differs from the calendar year in
    the first and last days of some years)."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """``2026-W46`` (or ``2026W46``); ValueError with a translated message otherwise."""
        m = _WEEK.match(text or "")
        if m is None:
            raise ValueError(
                tr(_CTX, "{0} is not an ISO week: write it as YYYY-Www, e.g. 2026-W46.").format(
                    text
                )
            )
        year, week = int(m.group(1)), int(m.group(2))
        if not 1 <= week <= weeks_in_year(year):
            raise ValueError(tr(_CTX, "{0} has no week {1}.").format(year, week))
        return cls(year, week)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def thursday(self) -> date:
        return self.monday + timedelta(days=3)

    def bounds(self, tz: str = DEFAULT_TZ) -> tuple[int, int]:
        """[start, end) in epoch seconds: Monday 00:00 to the next Monday 00:00, local."""
        return _midnight(self.monday, tz), _midnight(self.monday + timedelta(days=7), tz)

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def dates_text(self) -> str:
        """``2026-11-09 – 2026-11-15``: the Monday and Sunday."""
        return f"{self.monday.isoformat()} – {self.sunday.isoformat()}"

    def month(self) -> Month:
        """The month the week belongs to: that of its Thursday."""
        return Month(self.thursday.year, self.thursday.month)


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December, which always lies in the year's last week."""
    return date(year, 12, 28).isocalendar()[1]


def last_full_week(today: date | None = None) -> IsoWeek:
    """The latest week that has ended before ``today`` (default: today, local)."""
    if today is None:
        today = datetime.now(ZoneInfo(DEFAULT_TZ)).date()
    return IsoWeek.of(today - timedelta(days=today.isoweekday()))


def recent_weeks(last: IsoWeek, count: int) -> list[IsoWeek]:
    """``count`` weeks ending with ``last``, oldest first."""
    return [last.shifted(k) for k in range(1 - count, 1)]


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        m = _MONTH.match(text or "")
        if m is None or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(
                tr(_CTX, "{0} is not a month: write it as YYYY-MM, e.g. 2026-11.").format(text)
            )
        return cls(int(m.group(1)), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first(self) -> date:
        return date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def days(self) -> int:
        return (self.next_first - self.first).days

    def bounds(self, tz: str = DEFAULT_TZ) -> tuple[int, int]:
        """[start, end) in epoch seconds: local midnights of the 1st and the next 1st."""
        return _midnight(self.first, tz), _midnight(self.next_first, tz)

    def weeks(self) -> list[IsoWeek]:
        """The ISO weeks that belong to the month (by their Thursday), in order."""
        week = IsoWeek.of(self.first)
        if week.month() < self:
            week = week.shifted(1)
        out = []
        while week.month() == self:
            out.append(week)
            week = week.shifted(1)
        return out
