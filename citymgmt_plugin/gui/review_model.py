"""The review queue as a Qt model, and the filter proxy the dock's filters drive."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QBrush, QColor

from ..core.i18n import tr
from ..core.labels import ClassNames, source_label, submission_state_label
from ..core.submissions.review import QueueItem
from ..core.submissions.states import describe_reason
from .widgets import OFFICE_ZONE, local_minutes

STATE_COLOURS = {
    "pending": "#1f6fb2",
    "quarantined": "#b22222",
    "accepted": "#2e7d32",
    "updated": "#2e7d32",
    "duplicate": "#777777",
    "rejected": "#777777",
    "has_issues": "#c77700",
}


def state_label(state: str) -> str:
    return submission_state_label(state)


class QueueModel(QAbstractTableModel):
    COLUMNS = ("state", "observed", "category", "collector", "grid", "resp", "source", "flag")
    ItemRole = Qt.UserRole + 1

    def __init__(self, zone: Any = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[QueueItem] = []
        self.zone = zone or ZoneInfo(OFFICE_ZONE)  # the dock sets the workspace's `timezone`
        self.class_names = ClassNames()  # the dock sets the workspace's class names

    def headers(self) -> list[str]:
        return [
            tr("ReviewDock", "State"),
            tr("ReviewDock", "Observed"),
            tr("ReviewDock", "Category"),
            tr("ReviewDock", "Collector"),
            tr("ReviewDock", "Grid"),
            tr("ReviewDock", "Resp. grid"),
            tr("ReviewDock", "Source"),
            tr("ReviewDock", "Flag / reason"),
        ]

    def set_items(self, items: list[QueueItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Any, role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.headers()[section]
        return None

    def observed_text(self, it: QueueItem) -> str:
        """``yyyy-MM-dd HH:mm`` in the workspace's zone (the office's when not yet known)."""
        return local_minutes(it.observed_at, self.zone)

    def time_text(self, at: Any) -> str:
        """A time as ``yyyy-MM-dd HH:mm`` in the workspace's zone."""
        return local_minutes(at, self.zone)

    def category_text(self, it: QueueItem) -> str:
        """ "部件 0101 上水井盖": the kind and the class with its name."""
        return self.class_names.category(it.kind, it.category_code)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        it = self.items[index.row()]
        col = self.COLUMNS[index.column()]
        if role == self.ItemRole:
            return it
        if role == Qt.DisplayRole:
            return self.display(it, col)
        if role == Qt.ForegroundRole and col == "state":
            return QBrush(QColor(STATE_COLOURS.get(it.state, "#000000")))
        if role == Qt.ToolTipRole:
            lines = (self.category_text(it), it.instance_id, it.description)
            return "\n".join(v for v in (*lines, describe_reason(it.quarantine_reason)) if v)
        return None

    def display(self, it: QueueItem, col: str) -> str:
        """The text of ``col`` for ``it``."""
        if col == "state":
            return state_label(it.state)
        if col == "observed":
            return self.observed_text(it)
        if col == "category":
            return self.category_text(it)
        if col == "flag":
            return flag_text(it)
        values = {
            "collector": it.collector_name or it.collector_code,
            "grid": it.grid_code,
            "resp": it.resp_grid_code,
            "source": source_label(it.source),
        }
        return values.get(col) or ""


LATE_EDITS = "late_edits"  # the state filter's entry for edits after the decision


def flag_text(it: QueueItem) -> str:
    """The flag / reason column: an edit after the decision, the quarantine reasons, a
    shifted position, a likely repeat."""
    if it.late_edit_at is not None:
        return tr("ReviewDock", "edited after the decision")
    if it.quarantine_reason:
        return describe_reason(it.quarantine_reason)
    flag = it.flag
    if flag is not None:
        if flag.corrected:
            return tr("ReviewDock", "position corrected (GCJ-02/BD-09)")
        return tr("ReviewDock", "suspected GCJ-02/BD-09")
    if it.duplicate_of is not None:
        return tr("ReviewDock", "likely repeat")
    return ""


def _state_matches(state: str | None, it: QueueItem) -> bool:
    """The state filter: a state, edits after the decision, or anything (None)."""
    if state == LATE_EDITS:
        return it.late_edit_at is not None
    return not state or it.state == state


@dataclass
class Filters:
    state: str | None = None
    source: str | None = None
    grid: str | None = None
    resp_grid: str | None = None
    collector: str | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class QueueProxy(QSortFilterProxyModel):
    """Filters the loaded queue in memory (10,000 rows filter in a few milliseconds)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.filters = Filters()
        self.zone: Any = ZoneInfo(OFFICE_ZONE)

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.invalidateFilter()

    def matches(self, it: QueueItem, with_state: bool = True) -> bool:
        f = self.filters
        if with_state and not _state_matches(f.state, it):
            return False
        if f.source and it.source != f.source:
            return False
        if f.grid and not (it.grid_code or "").startswith(f.grid):
            return False
        if f.resp_grid and it.resp_grid_code != f.resp_grid:
            return False
        if f.collector and f.collector not in (it.collector_code, it.collector_name):
            return False
        if f.category and it.category_code != f.category:
            return False
        if f.date_from or f.date_to:
            if it.observed_at is None:
                return False
            day = (it.observed_at.astimezone(self.zone) if self.zone else it.observed_at).date()
            if f.date_from and day < f.date_from:
                return False
            if f.date_to and day > f.date_to:
                return False
        return True

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        return self.matches(self.sourceModel().items[row])

    def counts(self) -> Counter:
        """Per state, under every filter but the state one."""
        return Counter(
            it.state for it in self.sourceModel().items if self.matches(it, with_state=False)
        )

    def item(self, proxy_row: int) -> QueueItem:
        return self.sourceModel().items[self.mapToSource(self.index(proxy_row, 0)).row()]
