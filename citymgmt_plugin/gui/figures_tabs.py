"""Tabs of the "Contract figures" dialog: duty roster, missed reports, the month.

Work that reads a month of the workspace runs in a QgsTask (:class:`.intake_tasks.CallTask`)
with QGIS's progress in the task manager; the widgets only show what came back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QDate
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.labels import labelled, workspace_class_names
from ..core.reporting import missed_store
from ..core.reporting.monthly import last_day, month_bounds
from ..core.reporting.profile_store import load_profile
from ..core.reporting.roster import ROSTER_STATUSES
from ..core.reporting.roster_store import RosterError, import_csv, roster_rows, set_days
from ..core.workspace.store import Workspace
from .intake_tasks import CallTask
from .widgets import iso_dates, local_minutes

_CTX = "Figures"


def roster_status_label(status: str) -> str:
    return {
        "on_duty": tr(_CTX, "on duty"),
        "absent": tr(_CTX, "absent"),
        "leave": tr(_CTX, "on leave"),
        "off": tr(_CTX, "day off"),
    }.get(status, status)


def month_edit(name: str) -> QDateEdit:
    edit = QDateEdit(objectName=name, calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM")
    today = QDate.currentDate()
    edit.setDate(QDate(today.year(), today.month(), 1))
    return edit


def first_of(edit: QDateEdit) -> date:
    d = edit.date().toPyDate()
    return d.replace(day=1)


def fill_table(table: QTableWidget, headings: list[str], rows: list[list[Any]]) -> None:
    table.clear()
    table.setColumnCount(len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


class RosterTab(QWidget):
    """Import a roster CSV, or enter a status for a collector over days; the month's days."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        imp = QPushButton(tr(_CTX, "Import roster CSV…"), objectName="importRoster")
        imp.clicked.connect(self.import_file)
        self.month = month_edit("rosterMonth")
        self.month.dateChanged.connect(lambda _d: self.refresh())
        row.addWidget(imp)
        row.addStretch(1)
        row.addWidget(QLabel(tr(_CTX, "Month")))
        row.addWidget(self.month)
        lay.addLayout(row)
        lay.addLayout(self._entry_row())
        self.message = QLabel(objectName="rosterMessage")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.table = QTableWidget(objectName="rosterTable")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        lay.addWidget(self.table, 1)
        self.refresh()

    def _entry_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.collector = QLineEdit(objectName="rosterCollector")
        self.collector.setPlaceholderText(tr(_CTX, "collector code"))
        self.first = QDateEdit(QDate.currentDate(), objectName="rosterFirst", calendarPopup=True)
        self.last = QDateEdit(QDate.currentDate(), objectName="rosterLast", calendarPopup=True)
        iso_dates(self.first, self.last)
        self.status = QComboBox(objectName="rosterStatus")
        for s in ROSTER_STATUSES:
            self.status.addItem(roster_status_label(s), s)
        put = QPushButton(tr(_CTX, "Set days"), objectName="setRosterDays")
        put.clicked.connect(self.set_days)
        for w in (self.collector, self.first, QLabel("–"), self.last, self.status, put):
            row.addWidget(w)
        return row

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr(_CTX, "Duty roster"), "", "CSV (*.csv)")
        if path:
            self.import_path(path)

    def import_path(self, path: str) -> None:
        try:
            rep = import_csv(self.ws, Path(path).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            self.message.setText(str(exc))
            return
        text = tr(_CTX, "{0} days stored, {1} rows not usable.").format(
            rep.stored, len(rep.problems)
        )
        if rep.unknown:
            text += " " + tr(_CTX, "Not collectors of this workspace: {0}").format(
                ", ".join(rep.unknown)
            )
        self.message.setText(text)
        self.refresh()

    def set_days(self) -> None:
        try:
            n = set_days(
                self.ws,
                self.collector.text().strip(),
                self.first.date().toPyDate(),
                self.last.date().toPyDate(),
                self.status.currentData(),
            )
        except RosterError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(tr(_CTX, "{0} days stored.").format(n))
        self.refresh()

    def refresh(self) -> None:
        """Per collector: days on duty, absent, on leave, off in the month."""
        first = first_of(self.month)
        counts: dict[str, dict[str, int]] = {}
        for code, _day, status in roster_rows(self.ws, first, last_day(first)):
            counts.setdefault(code, dict.fromkeys(ROSTER_STATUSES, 0))[status] += 1
        headings = [tr(_CTX, "Collector")] + [roster_status_label(s) for s in ROSTER_STATUSES]
        rows = [[c, *(v[s] for s in ROSTER_STATUSES)] for c, v in sorted(counts.items())]
        fill_table(self.table, headings, rows)


class MissedTab(QWidget):
    """Find the month's 漏报 candidates; confirm or dismiss the selected ones."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: CallTask | None = None
        self.rows: list[dict] = []
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.month = month_edit("missedMonth")
        self.find = QPushButton(tr(_CTX, "Find candidates"), objectName="findMissed")
        self.find.clicked.connect(self.detect)
        row.addWidget(QLabel(tr(_CTX, "Month")))
        row.addWidget(self.month)
        row.addWidget(self.find)
        row.addStretch(1)
        lay.addLayout(row)
        self.message = QLabel(objectName="missedMessage")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.table = QTableWidget(objectName="missedTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.note = QLineEdit(objectName="missedNote")
        self.note.setPlaceholderText(tr(_CTX, "note (optional)"))
        row.addWidget(self.note, 1)
        for label, confirm, name in (
            (tr(_CTX, "Confirm 漏报"), True, "confirmMissed"),
            (tr(_CTX, "Dismiss"), False, "dismissMissed"),
        ):
            b = QPushButton(label, objectName=name)
            b.clicked.connect(lambda _=False, c=confirm: self.decide(c))
            row.addWidget(b)
        lay.addLayout(row)
        self.refresh()

    def detect(self) -> None:
        profile = load_profile(self.ws)
        start, end = month_bounds(first_of(self.month), profile.timezone)
        self.task = CallTask(
            tr(_CTX, "Find missed reports"),
            lambda: missed_store.detect(self.ws, start, end, profile.missed),
        )
        self.task.done.connect(self._detected)
        self.find.setEnabled(False)
        self.message.setText(tr(_CTX, "Looking for problems other channels found…"))
        QgsApplication.taskManager().addTask(self.task)

    def _detected(self, rep: Any, error: str) -> None:
        self.task = None
        self.find.setEnabled(True)
        if rep is None:
            self.message.setText(error)
            return
        self.message.setText(
            tr(_CTX, "{0} problems found by other channels: {1} new candidates, {2} known.").format(
                rep.problems, rep.new, rep.known
            )
        )
        self.refresh()

    def refresh(self) -> None:
        self.rows = missed_store.open_candidates(self.ws)
        headings = [
            tr(_CTX, "Found"),
            tr(_CTX, "Source"),
            tr(_CTX, "Kind"),
            tr(_CTX, "Class"),
            tr(_CTX, "Unit grid"),
            tr(_CTX, "Collector"),
            tr(_CTX, "Last patrolled"),
        ]
        kinds = {"event": tr(_CTX, "event"), "component": tr(_CTX, "component")}
        names = workspace_class_names(self.ws)
        rows = [
            [
                local_minutes(r["found_at"]),
                r["ref"],
                kinds.get(r["kind"], r["kind"]),
                names.category(r["kind"], r["class_code"]),
                r["grid_code"],
                r["collector_code"],
                local_minutes(r["patrolled_at"]),
            ]
            for r in self.rows
        ]
        fill_table(self.table, headings, rows)

    def decide(self, confirm: bool) -> None:
        picked = sorted({i.row() for i in self.table.selectedIndexes()})
        ids = [self.rows[k]["id"] for k in picked if k < len(self.rows)]
        if not ids:
            self.message.setText(tr(_CTX, "Select candidates first."))
            return
        n = missed_store.decide(self.ws, ids, confirm, self.note.text().strip() or None)
        done = tr(_CTX, "confirmed") if confirm else tr(_CTX, "dismissed")
        self.message.setText(labelled(done, n))
        self.note.clear()
        self.refresh()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()


class MonthTab(QWidget):
    """The month's figures, scores and payment; the tables saved as CSV."""

    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: CallTask | None = None
        self.figures: Any = None
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.month = month_edit("figuresMonth")
        self.compute_button = QPushButton(tr(_CTX, "Compute"), objectName="computeMonth")
        self.compute_button.clicked.connect(self.compute)
        self.save_button = QPushButton(tr(_CTX, "Save tables…"), objectName="saveMonth")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        row.addWidget(QLabel(tr(_CTX, "Month")))
        for w in (self.month, self.compute_button, self.save_button):
            row.addWidget(w)
        row.addStretch(1)
        lay.addLayout(row)
        self.text = QPlainTextEdit(objectName="monthText")
        self.text.setReadOnly(True)
        lay.addWidget(self.text, 1)

    def compute(self) -> None:
        from ..core.reporting.monthly import month_figures

        month = first_of(self.month)
        self.task = CallTask(
            tr(_CTX, "Contract figures of the month"), lambda: month_figures(self.ws, month)
        )
        self.task.done.connect(self._computed)
        self.compute_button.setEnabled(False)
        self.text.setPlainText(tr(_CTX, "Computing…"))
        QgsApplication.taskManager().addTask(self.task)

    def _computed(self, figures: Any, error: str) -> None:
        from ..core.reporting.month_report import lines

        self.task = None
        self.compute_button.setEnabled(True)
        if figures is None:
            self.text.setPlainText(error)
            return
        self.figures = figures
        self.save_button.setEnabled(True)
        self.text.setPlainText("\n".join(lines(figures)))

    def save(self) -> None:
        from ..core.reporting.month_report import write_tables

        folder = QFileDialog.getExistingDirectory(self, tr(_CTX, "Folder for the tables"))
        if folder and self.figures is not None:
            paths = write_tables(self.figures, folder)
            self.text.appendPlainText(tr(_CTX, "Saved: {0}").format(", ".join(map(str, paths))))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
