"""错报: reports rejected for a coded reason, counted per collector, district and reason.

Seed 002 (Panzhihua): 「数字城管项目外包单位在服务过程，还存在一些案件漏报、错报等被考核事
项」. A *wrong report* (错报) is a collector's report the desk rejected with one of the coded
reasons (wrong class, wrong position, below the filing standard, repeat, not a problem,
other; :class:`..submissions.states.RejectReason`); *wrong-report rate* = wrong reports /
reports of the collector (or district) in the period.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .reports import text_of
from .results import ratio


@dataclass
class WrongRow:
    key: str  # collector code or district code
    reports: int
    wrong: int
    by_reason: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float | None:
        return ratio(self.wrong, self.reports)


@dataclass
class WrongFigures:
    per_collector: dict[str, WrongRow] = field(default_factory=dict)
    per_district: dict[str, WrongRow] = field(default_factory=dict)
    by_reason: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_reason.values())


def wrong_reports(
    collector: list, district: list, state: list, reason: list, in_period: np.ndarray
) -> WrongFigures:
    """The 错报 figures of the reports at positions ``in_period`` (collector channel only:
    reports without a collector are other channels' and not counted)."""
    out = WrongFigures()
    for k in np.asarray(in_period, dtype=np.int64):
        code = text_of(collector[k])
        if not code:
            continue
        wrong = text_of(state[k]).lower() == "rejected"
        why = text_of(reason[k]) or "other"
        for table, key in ((out.per_collector, code), (out.per_district, district[k] or "")):
            row = table.setdefault(key, WrongRow(key, 0, 0))
            row.reports += 1
            if wrong:
                row.wrong += 1
                row.by_reason[why] += 1
        if wrong:
            out.by_reason[why] += 1
    return out
