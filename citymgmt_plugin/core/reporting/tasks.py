"""On-time 核实 / 核查 rates from the case loop's tasks.

Seed 000 (Suzhou): 「核实、核查时效要求：中标单位服务人员在收到核实、核查指令后开展核实、核查
工作，核实、核查时限应满足采购单位工作标准」 — *on-time verify rate* = 核实 tasks done by
their deadline / 核实 tasks due in the period; the same for 核查. A task due in the period
and not done by its deadline is late (it is also a ``late_verify`` / ``late_check``
deduction of the scoring sheet, :mod:`.assessment`).

The tasks are read from the workspace's ``tasks`` table when the case loop (core/cases)
has made one (:func:`.workspace_data.read_tasks`); without it the rates are not computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n import tr
from .profile import ContractProfile
from .reports import NULL_TIME, text_of
from .results import KpiRow, ratio, reaches

_CTX = "Kpi"
VERIFY, CHECK = "verify", "check"


@dataclass
class Tasks:
    """One entry per 核实 / 核查 task."""

    kind: Sequence[str]  # verify / check
    due: np.ndarray  # int64 epoch deadline
    done: np.ndarray  # int64 epoch when the result was given, NULL_TIME when not
    collector: Sequence[str | None]
    cancelled: np.ndarray | None = None  # bool: cancelled tasks are not due

    def __len__(self) -> int:
        return len(self.due)


def late_mask(tasks: Tasks, start: int, end: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(due in [start, end) masks, late among them): late = not done by the deadline."""
    due = np.asarray(tasks.due, dtype=np.int64)
    done = np.asarray(tasks.done, dtype=np.int64)
    is_kind = np.array([text_of(k) == kind for k in tasks.kind], dtype=bool)
    in_period = is_kind & (due >= start) & (due < end)
    if tasks.cancelled is not None:
        in_period &= ~np.asarray(tasks.cancelled, dtype=bool)
    late = in_period & ((done == NULL_TIME) | (done > due))
    return in_period, late


def late_per_collector(tasks: Tasks | None, start: int, end: int, kind: str) -> dict[str, int]:
    """Late tasks of a kind per assigned collector."""
    if tasks is None:
        return {}
    _, late = late_mask(tasks, start, end, kind)
    out: dict[str, int] = {}
    for k in np.flatnonzero(late):
        code = text_of(tasks.collector[k])
        if code:
            out[code] = out.get(code, 0) + 1
    return out


def on_time_rows(
    tasks: Tasks | None, start: int, end: int, profile: ContractProfile
) -> list[KpiRow]:
    """*on-time verify rate* and *on-time check rate* (see the module docstring)."""
    rows = []
    for kind, kpi, th in (
        (VERIFY, "on_time_verify", profile.rates.on_time_verify),
        (CHECK, "on_time_check", profile.rates.on_time_check),
    ):
        if tasks is None:
            rows.append(KpiRow(kpi, None, th, None, tr(_CTX, "Not computed: no 核实/核查 tasks.")))
            continue
        due, late = late_mask(tasks, start, end, kind)
        n_due, n_late = int(due.sum()), int(late.sum())
        rate = ratio(n_due - n_late, n_due)
        rows.append(
            KpiRow(
                kpi, rate, th, reaches(rate, th),
                tr(_CTX, "Done by the deadline / due in the period ({0} / {1}).").format(
                    n_due - n_late, n_due
                ),
            )
        )  # fmt: skip
    return rows
