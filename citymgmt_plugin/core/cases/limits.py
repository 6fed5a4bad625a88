"""Time limits of 核实 and 核查 per case class: the city's table, or the shipped defaults.

A row names a case kind and a class code, a 2-digit major class, or ``*`` for every class of
the kind; the most specific row wins. The shipped rows (``resources/codes/
task_time_limits.csv``, loaded by the migration) are marked ``is_default``: they are the
plugin's choice, not a city standard, and a city loads its own with :func:`load_limits_file`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from ..i18n import tr
from ..workspace.store import Workspace, audit
from .codes import CaseKind, TaskKind

_CTX = "Cases"
FALLBACK_HOURS = 24.0  # a kind without any row (a city table without '*')


class LimitsError(ValueError):
    """A time-limit table that cannot be loaded (message translated, lines named)."""


@dataclass(frozen=True)
class TimeLimit:
    case_kind: str
    class_code: str
    verify_hours: float
    check_hours: float
    is_default: bool = False
    note: str | None = None

    def hours(self, task_kind: TaskKind) -> float:
        return self.verify_hours if task_kind is TaskKind.VERIFY else self.check_hours


class LimitTable:
    """Look up the time limit of a case class."""

    def __init__(self, rows: list[TimeLimit]) -> None:
        self.rows = {(r.case_kind, r.class_code): r for r in rows}

    def limit(self, case_kind: str, class_code: str) -> TimeLimit | None:
        for key in (class_code, class_code[:2], "*"):
            row = self.rows.get((case_kind, key))
            if row is not None:
                return row
        return None

    def hours(self, case_kind: str, class_code: str, task_kind: TaskKind) -> float:
        row = self.limit(case_kind, class_code)
        return row.hours(task_kind) if row is not None else FALLBACK_HOURS

    @property
    def all_default(self) -> bool:
        return all(r.is_default for r in self.rows.values())


def read_limits(conn: Connection, ws: Workspace) -> LimitTable:
    t = ws.schema.task_time_limits
    return LimitTable([TimeLimit(**r._mapping) for r in conn.execute(select(t))])


def _parse_line(n: int, row: dict[str, str]) -> tuple[TimeLimit | None, str | None]:
    kind = (row.get("case_kind") or "").strip()
    code = (row.get("class_code") or "").strip()
    try:
        verify = float(row.get("verify_hours") or "")
        check = float(row.get("check_hours") or "")
    except ValueError:
        return None, tr(_CTX, "line {0}: the hours must be numbers").format(n)
    if kind not in {k.value for k in CaseKind}:
        return None, tr(_CTX, "line {0}: case kind must be event or component").format(n)
    if not (code == "*" or (code.isdigit() and len(code) in (2, 4, 5))):
        return None, tr(_CTX, "line {0}: class code must be a class, a major class or *").format(n)
    if verify <= 0 or check <= 0:
        return None, tr(_CTX, "line {0}: the hours must be more than 0").format(n)
    note = (row.get("note") or "").strip() or None
    return TimeLimit(kind, code, verify, check, False, note), None


def read_limits_file(path: str | Path) -> list[TimeLimit]:
    """Rows of a CSV (case_kind, class_code, verify_hours, check_hours[, note]); every
    bad line is named in one :class:`LimitsError`."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            lines = list(csv.DictReader(f))
    except OSError as exc:
        raise LimitsError(tr(_CTX, "Cannot read {0}: {1}").format(path, exc)) from exc
    rows, errors = [], []
    for n, line in enumerate(lines, start=2):
        row, error = _parse_line(n, line)
        if error:
            errors.append(error)
        elif row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(tr(_CTX, "the file has no rows"))
    if errors:
        raise LimitsError(tr(_CTX, "Time limits not loaded: {0}").format("; ".join(errors)))
    return rows


def load_limits_file(ws: Workspace, path: str | Path, actor: str | None = None) -> int:
    """Replace the workspace's time limits by the city's table (all or nothing)."""
    rows = read_limits_file(path)
    t = ws.schema.task_time_limits
    with ws.begin() as conn:
        conn.execute(delete(t))
        conn.execute(insert(t), [r.__dict__ for r in rows])
        audit(
            conn,
            ws.schema,
            actor or ws.actor,
            "tasks.limits",
            "task_time_limits",
            detail={"file": str(path), "rows": len(rows)},
        )
    return len(rows)
