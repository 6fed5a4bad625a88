"""On-time 核实/核查 rates, median times and the overdue list, computed by hand-checkable rules."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from citymgmt_plugin.core.cases.codes import TaskKind
from citymgmt_plugin.core.cases.figures import TaskFact, compute

T0 = datetime(2026, 11, 2, 0, 0, tzinfo=timezone.utc)
NOW = T0 + timedelta(hours=10)


def fact(n, kind="verify", state="done", due_h=2, done_h=None, collector="C01", grid="R01",
         created_h=0):  # fmt: skip
    return TaskFact(
        n, f"AJ{n:04d}", kind, state, T0 + timedelta(hours=created_h),
        T0 + timedelta(hours=due_h),
        T0 + timedelta(hours=done_h) if done_h is not None else None,
        "confirmed" if state == "done" else None, collector, grid, "320508",
    )  # fmt: skip


def test_rates_by_collector_grid_and_district():
    facts = [
        fact(1, done_h=1),  # on time, 1 h
        fact(2, done_h=3),  # late, 3 h
        fact(3, state="open", due_h=5),  # overdue at NOW
        fact(4, state="open", due_h=20),  # pending: not counted
        fact(5, state="cancelled", due_h=2),  # not counted at all
        fact(6, done_h=2, collector="C02", grid="R02"),  # on time exactly at the deadline, 2 h
        fact(7, kind="check", done_h=5, due_h=6, created_h=1),  # on time, 4 h
    ]
    figures = compute(facts, now=NOW)
    c01 = next(r for r in figures.by_collector if r.group == "C01" and r.kind == "verify")
    assert (c01.on_time, c01.late, c01.overdue, c01.pending) == (1, 1, 1, 1)
    assert c01.rate == 1 / 3
    assert c01.median_hours == 2.0  # of 1 h and 3 h
    c02 = next(r for r in figures.by_collector if r.group == "C02")
    assert c02.rate == 1.0
    r01 = next(r for r in figures.by_grid if r.group == "R01" and r.kind == "verify")
    assert r01.counted == 3
    verify = figures.district(TaskKind.VERIFY)
    assert (verify.on_time, verify.counted) == (2, 4) and verify.rate == 0.5
    assert verify.median_hours == 2.0  # of 1, 3 and 2 h
    check = figures.district(TaskKind.CHECK)
    assert check.rate == 1.0 and check.median_hours == 4.0
    assert [f.task_id for f in figures.overdue] == [3]
    assert figures.overdue[0].hours_late(NOW) == 5.0


def test_the_period_is_when_tasks_are_due():
    facts = [fact(1, done_h=1, due_h=2), fact(2, done_h=30, due_h=26)]
    day1 = compute(facts, start=T0, end=T0 + timedelta(days=1), now=NOW)
    assert day1.district(TaskKind.VERIFY).counted == 1
    assert compute([], now=NOW).district(TaskKind.VERIFY) is None
