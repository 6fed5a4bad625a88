"""The tasks as a Qt model (with a live countdown), and the proxy the dock's filters drive."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor

from ..core.cases.codes import Outcome, TaskKind, TaskState, label
from ..core.cases.queue import TaskRow, countdown
from ..core.cases.store import now_utc
from ..core.i18n import tr

_CTX = "TaskDock"
OVERDUE = "overdue"  # a state filter value besides the task states
RED, GREEN, GREY, BLUE = "#c0392b", "#2e7d32", "#777777", "#1f6fb2"


class TaskModel(QAbstractTableModel):
    COLUMNS = ("case_no", "kind", "time", "collector", "grid", "outcome", "address")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[TaskRow] = []
        self.now: datetime = now_utc()

    def headers(self) -> list[str]:
        return [
            tr(_CTX, "Case"),
            tr(_CTX, "Task"),
            tr(_CTX, "Time"),
            tr(_CTX, "Collector"),
            tr(_CTX, "Grid"),
            tr(_CTX, "Outcome"),
            tr(_CTX, "Address"),
        ]

    def set_rows(self, rows: list[TaskRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.now = now_utc()
        self.endResetModel()

    def tick(self) -> None:
        """The countdown moves on (a timer calls this while the dock is shown)."""
        self.now = now_utc()
        col = self.COLUMNS.index("time")
        if self.rows:
            self.dataChanged.emit(self.index(0, col), self.index(len(self.rows) - 1, col))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Any, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.headers()[section]
        return None

    def text(self, row: TaskRow, column: str) -> str:
        if column == "case_no":
            return row.case_no
        if column == "kind":
            return label(TaskKind(row.kind))
        if column == "time":
            return countdown(row, self.now)
        if column == "outcome":
            return label(Outcome(row.outcome)) if row.outcome else ""
        if column == "address":
            return row.address or ""
        return getattr(row, column) or ""

    def colour(self, row: TaskRow) -> str:
        if row.state == TaskState.CANCELLED.value:
            return GREY
        if row.state == TaskState.DONE.value:
            return RED if row.late() else GREEN
        return RED if row.overdue(self.now) else BLUE

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            return self.text(row, column)
        if role == Qt.ForegroundRole and column in ("case_no", "time"):
            return QBrush(QColor(self.colour(row)))
        if role == Qt.ToolTipRole:
            return f"{row.class_name} · {row.address or ''}"
        if role == Qt.UserRole and column == "time":
            return row.due_at.timestamp()  # sort by deadline, not by the text
        return None


@dataclass
class TaskFilters:
    kind: str | None = None
    state: str | None = None  # a task state, or OVERDUE
    collector: str | None = None
    grid: str | None = None


class TaskProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.filters = TaskFilters()
        self.setSortRole(Qt.DisplayRole)

    def set_filters(self, filters: TaskFilters) -> None:
        self.filters = filters
        self.invalidateFilter()

    def row(self, proxy_row: int) -> TaskRow:
        source = self.mapToSource(self.index(proxy_row, 0))
        return self.sourceModel().rows[source.row()]

    def accepts(self, row: TaskRow) -> bool:
        f = self.filters
        model: TaskModel = self.sourceModel()
        if f.kind and row.kind != f.kind:
            return False
        if f.state == OVERDUE:
            if not row.overdue(model.now):
                return False
        elif f.state and row.state != f.state:
            return False
        if f.collector and row.collector != f.collector:
            return False
        return not (f.grid and row.grid != f.grid)

    def filterAcceptsRow(self, source_row: int, parent: QModelIndex) -> bool:
        return self.accepts(self.sourceModel().rows[source_row])

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        if TaskModel.COLUMNS[left.column()] == "time":
            return float(left.data(Qt.UserRole)) < float(right.data(Qt.UserRole))
        return str(left.data() or "") < str(right.data() or "")

    def counts(self) -> Counter:
        """Shown tasks by state, and the overdue ones among them."""
        model: TaskModel = self.sourceModel()
        out: Counter = Counter()
        for r in range(self.rowCount()):
            row = self.row(r)
            out[row.state] += 1
            out[OVERDUE] += row.overdue(model.now)
        return out
