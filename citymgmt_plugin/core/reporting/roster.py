"""The duty roster (排班表): which collector is scheduled on which day, and who was absent.

Seed 003 (Jinzhong) pays by 「上报案件 每人每天6条」: per person per *scheduled* day, so a
day on the roster with nothing reported (an absence) lowers the rate; seed 002 (Panzhihua)
asks for 「每天安排不低于53名信息采集员」 on duty every day.

Statuses: ``on_duty`` (scheduled and at work), ``absent`` (scheduled, not at work: counts
as a scheduled day), ``leave`` (approved leave: not scheduled), ``off`` (rest day: not
scheduled). Days are local calendar days (epoch day numbers, :mod:`.worktime`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from ..i18n import tr
from .worktime import day_number

_CTX = "Kpi"
ON_DUTY, ABSENT, LEAVE, OFF = "on_duty", "absent", "leave", "off"
ROSTER_STATUSES = (ON_DUTY, ABSENT, LEAVE, OFF)
SCHEDULED = (ON_DUTY, ABSENT)
_ALIASES = {
    "on_duty": ON_DUTY, "on duty": ON_DUTY, "duty": ON_DUTY, "work": ON_DUTY, "1": ON_DUTY,
    "在岗": ON_DUTY, "出勤": ON_DUTY, "上班": ON_DUTY, "值班": ON_DUTY,
    "absent": ABSENT, "absence": ABSENT, "缺勤": ABSENT, "旷工": ABSENT, "缺岗": ABSENT,
    "leave": LEAVE, "请假": LEAVE, "事假": LEAVE, "病假": LEAVE, "年假": LEAVE,
    "off": OFF, "rest": OFF, "0": OFF, "休息": OFF, "轮休": OFF, "调休": OFF,
}  # fmt: skip
_COLUMNS = {
    "collector": ("collector_code", "collector", "code", "采集员", "采集员编号", "人员编号"),
    "day": ("day", "date", "duty_date", "日期"),
    "status": ("status", "state", "duty", "状态", "出勤"),
}


def roster_status(value: object) -> str | None:
    """A status as stored (``on_duty`` …) from its English or Chinese name; None: unknown."""
    text = "" if value is None else str(value).strip().lower()
    return _ALIASES.get(text)


@dataclass
class Roster:
    """One entry per collector and day (the last entry of a pair wins)."""

    collector: list[str] = field(default_factory=list)
    day: list[int] = field(default_factory=list)  # epoch day numbers
    status: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.day)

    def add(self, collector: str, day: int, status: str) -> None:
        self.collector.append(collector)
        self.day.append(int(day))
        self.status.append(status)

    def entries(self, start_day: int, end_day: int) -> dict[tuple[str, int], str]:
        """(collector, day) -> status for days in [start_day, end_day)."""
        out = {}
        for c, d, s in zip(self.collector, self.day, self.status):
            if start_day <= d < end_day:
                out[(c, d)] = s
        return out

    def per_collector(self, start_day: int, end_day: int) -> dict[str, RosterDays]:
        """Scheduled and absent days of every collector on the roster in the days."""
        out: dict[str, RosterDays] = {}
        for (c, _d), s in sorted(self.entries(start_day, end_day).items()):
            days = out.setdefault(c, RosterDays())
            days.scheduled += s in SCHEDULED
            days.absent += s == ABSENT
            days.on_duty += s == ON_DUTY
        return out

    def on_duty_per_day(self, start_day: int, end_day: int) -> dict[int, int]:
        """Collectors on duty on each day of the period (0 for days without anyone)."""
        counts = dict.fromkeys(range(start_day, end_day), 0)
        for (_c, d), s in self.entries(start_day, end_day).items():
            counts[d] += s == ON_DUTY
        return counts


@dataclass
class RosterDays:
    scheduled: int = 0
    absent: int = 0
    on_duty: int = 0


@dataclass
class RosterProblem:
    line: int
    reason: str


@dataclass
class RosterRead:
    roster: Roster
    problems: list[RosterProblem]


def parse_day(value: object) -> date | None:
    """A calendar day from a date, a datetime or text (2021-03-01, 2021/3/1, 20210301)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip().replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    parts = text[:10].split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def read_roster_rows(rows: Iterable[Sequence[object]], first_line: int = 2) -> RosterRead:
    """(collector, day, status) rows into a roster; bad rows listed with their reason."""
    roster, problems = Roster(), []
    for line, (collector, day, status) in enumerate(rows, start=first_line):
        code = "" if collector is None else str(collector).strip()
        d = parse_day(day)
        s = roster_status(status)
        if not code:
            problems.append(RosterProblem(line, tr(_CTX, "no collector")))
        elif d is None:
            problems.append(RosterProblem(line, tr(_CTX, "cannot read the day {0!r}").format(day)))
        elif s is None:
            problems.append(
                RosterProblem(line, tr(_CTX, "unknown duty status {0!r}").format(status))
            )
        else:
            roster.add(code, day_number(d), s)
    return RosterRead(roster, problems)


def read_roster_csv(text: str) -> RosterRead:
    """A roster CSV: a header naming the collector, day and status columns (English or
    Chinese names), then one row per collector and day."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    idx = {}
    for key, names in _COLUMNS.items():
        found = [header.index(n) for n in names if n in header]
        if not found:
            raise ValueError(
                tr(_CTX, "The roster has no {0} column (one of: {1}).").format(
                    key, ", ".join(names)
                )
            )
        idx[key] = found[0]

    def rows():
        for raw in reader:
            if not any(v.strip() for v in raw):
                continue
            cell = [raw[i] if i < len(raw) else "" for i in idx.values()]
            yield cell

    return read_roster_rows(rows())


def scheduled_days(
    roster: Roster | None,
    collectors: Sequence[str],
    start_day: int,
    end_day: int,
    work_days: np.ndarray,
) -> dict[str, RosterDays]:
    """Scheduled days per collector: from the roster when there is one (collectors not on
    it have none), else every working day of the period (``work_days``: mask over
    [start_day, end_day)) for each collector."""
    if roster is not None:
        days = roster.per_collector(start_day, end_day)
        return {c: days.get(c, RosterDays()) for c in dict.fromkeys([*collectors, *days])}
    n = int(np.count_nonzero(work_days))
    return {c: RosterDays(scheduled=n, on_duty=n) for c in collectors}
