"""The task dock: 核实/核查 tasks with their countdown, filters, the case's history and photos,
component candidates, tasks from the cases selected on the map, and the push to ODK Central.

Thin over :mod:`..core.cases`: the dock loads the tasks once (Refresh), filters them in memory
and calls core for every change; the push runs as a background task (:mod:`.task_push`).
"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsApplication, QgsPointXY, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QSize, Qt, QTimer
from qgis.PyQt.QtGui import QIcon, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.cases import matching, queue, store
from ..core.cases.codes import CaseKind, CaseState, Channel, TaskKind, TaskState, label
from ..core.cases.describe import describe_entry
from ..core.i18n import tr
from ..core.workspace.store import describe_actor
from .task_model import OVERDUE, TaskFilters, TaskModel, TaskProxy
from .widgets import local_minutes, scrolling

_CTX = "TaskDock"
TICK_MS = 30_000  # the countdown moves on every 30 s while the dock is shown


class TaskDock(QDockWidget):
    def __init__(self, ctx: Any, parent: Any = None) -> None:
        super().__init__(tr(_CTX, "Verification and check tasks"), parent)
        self.setObjectName("citymgmtTaskDock")
        self.ctx = ctx
        self.current: queue.TaskRow | None = None
        self.candidates: list[Any] = []
        self.photos: list[queue.CasePhoto] = []
        self.push_task: Any = None
        self.push_dialog: Any = None
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self._build()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        root = QWidget(self)
        lay = QVBoxLayout(root)
        self.actor_label = QLabel(describe_actor(None), objectName="actorLabel")
        lay.addWidget(self.actor_label)
        lay.addLayout(self._build_filters())
        self.counts_label = QLabel(objectName="countsLabel")
        self.counts_label.setWordWrap(True)
        lay.addWidget(self.counts_label)
        split = QSplitter(Qt.Vertical, root)
        split.addWidget(self._build_table())
        split.addWidget(self._build_detail())
        lay.addWidget(split, 1)
        lay.addLayout(self._build_actions())
        self.status_label = QLabel(objectName="statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addWidget(self.status_label)
        self.setWidget(scrolling(root, self))
        self.timer.timeout.connect(self.tick)
        self.visibilityChanged.connect(self._shown)

    def _build_filters(self) -> QGridLayout:
        grid = QGridLayout()
        self.kind_combo = QComboBox(objectName="kindFilter")
        self.kind_combo.addItem(tr(_CTX, "All tasks"), None)
        for kind in TaskKind:
            self.kind_combo.addItem(label(kind), kind.value)
        self.state_combo = QComboBox(objectName="stateFilter")
        self.state_combo.addItem(tr(_CTX, "All states"), None)
        for state in TaskState:
            self.state_combo.addItem(label(state), state.value)
        self.state_combo.addItem(tr(_CTX, "Overdue"), OVERDUE)
        self.collector_combo = QComboBox(objectName="collectorFilter")
        self.grid_combo = QComboBox(objectName="gridFilter")
        self.refresh_button = QPushButton(tr(_CTX, "Refresh"), objectName="refreshButton")
        for n, widget in enumerate(
            (self.kind_combo, self.state_combo, self.collector_combo, self.grid_combo)
        ):
            grid.addWidget(widget, n // 2, n % 2)
            widget.currentIndexChanged.connect(self.apply_filters)
        grid.addWidget(self.refresh_button, 2, 1)
        self.refresh_button.clicked.connect(self.refresh)
        return grid

    def _build_table(self) -> QTableView:
        self.model = TaskModel(self)
        self.proxy = TaskProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(objectName="taskTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        return self.table

    def _build_detail(self) -> QWidget:
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.info_label = QLabel(objectName="infoLabel")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        dl.addWidget(self.info_label)
        self.history_list = QListWidget(objectName="historyList")
        self.history_list.setMaximumHeight(110)
        dl.addWidget(self.history_list)
        self.thumbs = QListWidget(objectName="photoStrip")
        self.thumbs.setViewMode(QListWidget.IconMode)
        self.thumbs.setFlow(QListWidget.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(72, 54))
        self.thumbs.setFixedHeight(84)
        self.thumbs.currentRowChanged.connect(self._show_photo)
        dl.addWidget(self.thumbs)
        self.photo_view = QLabel(objectName="photoView")
        self.photo_view.setAlignment(Qt.AlignCenter)
        self.photo_view.setMinimumHeight(120)
        self.photo_view.setStyleSheet("background: #222; color: #ddd;")
        dl.addWidget(self.photo_view)
        self.cand_table = QTableWidget(0, 3, objectName="candidateTable")
        self.cand_table.setHorizontalHeaderLabels(
            [tr(_CTX, "Component"), tr(_CTX, "Class"), tr(_CTX, "Distance (m)")]
        )
        self.cand_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.cand_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.cand_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.cand_table.verticalHeader().setVisible(False)
        self.cand_table.setMaximumHeight(100)
        self.link_button = QPushButton(tr(_CTX, "Link component"), objectName="linkButton")
        self.link_button.clicked.connect(self.link_component)
        dl.addWidget(self.cand_table)
        dl.addWidget(self.link_button)
        return detail

    def _build_actions(self) -> QVBoxLayout:
        box = QVBoxLayout()
        make = QHBoxLayout()
        self.new_kind = QComboBox(objectName="newKind")
        for kind in TaskKind:
            self.new_kind.addItem(label(kind), kind.value)
        self.due_hours = QDoubleSpinBox(objectName="dueHours")
        self.due_hours.setRange(0, 720)
        self.due_hours.setDecimals(1)
        self.due_hours.setSpecialValueText(tr(_CTX, "class time limit"))
        self.due_hours.setSuffix(tr(_CTX, " h"))
        self.create_button = QPushButton(
            tr(_CTX, "Tasks for the selected cases"), objectName="createButton"
        )
        self.create_button.setToolTip(tr(_CTX, "Select cases on the map (Cases layer) first."))
        self.create_button.clicked.connect(self.create_from_map)
        for widget in (self.new_kind, self.due_hours, self.create_button):
            make.addWidget(widget)
        box.addLayout(make)
        push = QHBoxLayout()
        self.push_button = QPushButton(tr(_CTX, "Push to ODK Central…"), objectName="pushButton")
        self.push_button.clicked.connect(self.open_push)
        self.push_progress = QProgressBar(objectName="pushProgress")
        self.push_cancel = QPushButton(tr(_CTX, "Cancel push"), objectName="pushCancelButton")
        self.push_cancel.clicked.connect(self.cancel_push)
        push.addWidget(self.push_button)
        push.addWidget(self.push_progress, 1)
        push.addWidget(self.push_cancel)
        self._pushing(False)
        box.addLayout(push)
        return box

    # -- data ----------------------------------------------------------------------------
    @property
    def ws(self) -> Any:
        return self.ctx.workspace

    def refresh(self) -> None:
        """Load the tasks (one query); keep the filters and the selected task."""
        self.actor_label.setText(describe_actor(self.ws))
        if self.ws is None:
            self.model.set_rows([])
            self.counts_label.setText(tr(_CTX, "No workspace open."))
            return
        keep = self.current.id if self.current else None
        rows = queue.list_tasks(self.ws)
        self._fill(self.collector_combo, tr(_CTX, "All collectors"), {r.collector for r in rows})
        self._fill(self.grid_combo, tr(_CTX, "All grids"), {r.grid for r in rows})
        self.model.set_rows(rows)
        self.apply_filters()
        for column in ("case_no", "kind", "time"):
            self.table.resizeColumnToContents(TaskModel.COLUMNS.index(column))
        if keep is not None:
            self.select_task(keep)

    @staticmethod
    def _fill(combo: QComboBox, everything: str, values: set[str | None]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value in sorted(v for v in values if v):
            combo.addItem(value, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def filters(self) -> TaskFilters:
        return TaskFilters(
            self.kind_combo.currentData(),
            self.state_combo.currentData(),
            self.collector_combo.currentData(),
            self.grid_combo.currentData(),
        )

    def apply_filters(self) -> None:
        self.proxy.set_filters(self.filters())
        counts = self.proxy.counts()
        self.counts_label.setText(
            tr(_CTX, "Showing {0} of {1}: {2} open ({3} overdue), {4} done, {5} cancelled").format(
                self.proxy.rowCount(),
                self.model.rowCount(),
                counts["open"],
                counts[OVERDUE],
                counts["done"],
                counts["cancelled"],
            )
        )

    def tick(self) -> None:
        self.model.tick()

    def _shown(self, visible: bool) -> None:
        if visible:
            self.timer.start()
        else:
            self.timer.stop()

    def select_task(self, task_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row(row).id == task_id:
                self.table.selectRow(row)
                return True
        return False

    # -- the selected task ----------------------------------------------------------------
    def _selection_changed(self, *_: Any) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        self.current = self.proxy.row(rows[0]) if rows else None
        self.show_current()

    def show_current(self) -> None:
        row = self.current
        self.history_list.clear()
        self.thumbs.clear()
        self.photo_view.clear()
        self.cand_table.setRowCount(0)
        self.candidates = []
        if row is None or self.ws is None:
            self.info_label.clear()
            self.link_button.setEnabled(False)
            return
        zone = local_zone(self.ws)
        self.info_label.setText(
            "<br>".join(
                [
                    f"<b>{row.case_no}</b> · {label(Channel(row.channel))} · "
                    f"{label(CaseKind(row.case_kind))} {row.class_code} {row.class_name}",
                    f"{row.address or ''} · {label(CaseState(row.case_state))}",
                    tr(_CTX, "{0}, due {1}: {2}").format(
                        label(TaskKind(row.kind)),
                        local_minutes(row.due_at, zone),
                        queue.countdown(row, self.model.now),
                    ),
                    row.description or "",
                ]
            )
        )
        self._show_history(row, zone)
        self._show_photos(row)
        self._show_candidates(row)
        self.zoom_to_current()

    def _show_history(self, row: queue.TaskRow, zone: Any) -> None:
        for entry in store.case_history(self.ws, row.case_id):
            self.history_list.addItem(describe_entry(entry, zone))

    def _show_photos(self, row: queue.TaskRow) -> None:
        self.photos = queue.case_photos(self.ws, row.case_id)
        for photo in self.photos:
            pix = QPixmap()
            if photo.content is not None:
                pix.loadFromData(photo.content)
            icon = QIcon(pix.scaled(144, 108, Qt.KeepAspectRatio)) if not pix.isNull() else QIcon()
            self.thumbs.addItem(QListWidgetItem(icon, photo.name))
        if self.photos:
            self.thumbs.setCurrentRow(0)
        else:
            self.photo_view.setText(tr(_CTX, "No photos yet"))

    def _show_photo(self, index: int) -> None:
        if index < 0 or index >= len(self.photos) or self.photos[index].content is None:
            return
        pix = QPixmap()
        if pix.loadFromData(self.photos[index].content):
            self.photo_view.setPixmap(
                pix.scaled(240, 160, Qt.KeepAspectRatio, Qt.SmoothTransformation)
            )

    def _show_candidates(self, row: queue.TaskRow) -> None:
        component = row.case_kind == CaseKind.COMPONENT.value
        self.cand_table.setVisible(component)
        self.link_button.setVisible(component)
        if not component:
            return
        self.candidates = matching.component_candidates(self.ws, row.case_id)
        self.cand_table.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            for col, text in enumerate(
                (c.identifier, f"{c.class_code} {c.name}", f"{c.distance:.1f}")
            ):
                self.cand_table.setItem(r, col, QTableWidgetItem(text))
        self.cand_table.resizeColumnsToContents()
        if self.candidates:
            self.cand_table.selectRow(0)
        self.link_button.setEnabled(bool(self.candidates))

    def link_component(self) -> None:
        """Link the current component case to the chosen candidate (the census stays)."""
        rows = {i.row() for i in self.cand_table.selectedIndexes()}
        if self.current is None or not rows:
            return
        chosen = self.candidates[min(rows)]
        try:
            matching.link_component(self.ws, self.current.case_id, chosen.id)
        except store.CaseError as exc:
            self.status_label.setText(str(exc))
            return
        self.status_label.setText(
            tr(_CTX, "Case {0} linked to component {1}.").format(
                self.current.case_no, chosen.identifier
            )
        )
        self.show_current()

    # -- the map -------------------------------------------------------------------------
    def _canvas(self) -> Any:
        return self.ctx.iface.mapCanvas() if self.ctx.iface is not None else None

    def zoom_to_current(self) -> None:
        from .map_view import zoom_canvas

        canvas, row = self._canvas(), self.current
        if canvas is None or row is None:
            return
        from qgis.core import QgsCoordinateReferenceSystem

        box = QgsRectangle(QgsPointXY(row.x - 80, row.y - 80), QgsPointXY(row.x + 80, row.y + 80))
        zoom_canvas(canvas, box, QgsCoordinateReferenceSystem(f"EPSG:{self.ws.srid}"))
        layer = self._layer("tasks")
        if layer is not None:
            layer.selectByExpression(f'"id" = {int(row.id)}')

    def _layer(self, key: str) -> Any:
        from ..core.qgis.layers import find_workspace_layer

        return find_workspace_layer(QgsProject.instance(), key)

    # -- making tasks ----------------------------------------------------------------------
    def selected_case_ids(self) -> list[int]:
        layer = self._layer("cases")
        if layer is None:
            return []
        return sorted(int(f["id"]) for f in layer.selectedFeatures())

    def create_from_map(self) -> None:
        from ..core.cases.tasks import TaskPlan, create_tasks

        ids = self.selected_case_ids()
        if self.ws is None or not ids:
            self.status_label.setText(tr(_CTX, "Select cases on the map (Cases layer) first."))
            return
        hours = self.due_hours.value() or None
        plan = TaskPlan(TaskKind(self.new_kind.currentData()), hours)
        report = create_tasks(self.ws, plan, ids, actor=self.ws.actor)
        text = report.summary()
        if report.skipped:
            text += " — " + "; ".join(f"{n}: {why}" for n, why in report.skipped[:5])
        self.status_label.setText(text)
        self.refresh()
        self._repaint_layer("tasks")

    def _repaint_layer(self, key: str) -> None:
        layer = self._layer(key)
        if layer is not None:
            layer.dataProvider().reloadData()
            layer.triggerRepaint()

    # -- pushing ---------------------------------------------------------------------------
    def account_bindings(self) -> Any:
        from ..core.submissions.sources.accounts import AccountBindings, workspace_identity

        return AccountBindings(workspace_identity(self.ws.spec))

    def open_push(self) -> Any:
        """Where to push and with whose account; on Push, the push starts."""
        from .task_push import PushDialog

        if self.ws is None or self.push_task is not None:
            return None
        dialog = PushDialog(self.ws, self.account_bindings(), self.window())
        dialog.accepted.connect(self.push)
        dialog.finished.connect(lambda _result: setattr(self, "push_dialog", None))
        self.push_dialog = dialog  # its Python side lives while it is open
        dialog.open()
        return dialog

    def push(self) -> Any:
        from ..core.submissions.sources.configs import SourceConfigError
        from .task_push import PushTask, bound_target

        if self.ws is None or self.push_task is not None:
            return None
        try:
            target, close = bound_target(self.ws, self.account_bindings())
        except SourceConfigError as exc:
            self.status_label.setText(str(exc))
            return None
        task = PushTask(self.ws, target, close, self.ws.actor)
        task.progressChanged.connect(lambda v: self.push_progress.setValue(int(v)))
        task.done.connect(self._pushed)
        self.push_task = task
        self._pushing(True)
        self.status_label.setText(tr(_CTX, "Pushing tasks to {0}…").format(target.key))
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel_push(self) -> None:
        if self.push_task is not None:
            self.push_task.cancel()
            self.push_cancel.setEnabled(False)

    def stop_push(self, wait_ms: int = 30000) -> None:
        task = self.push_task
        if task is not None:
            task.cancel()
            task.waitForFinished(wait_ms)

    def _pushing(self, busy: bool) -> None:
        self.push_progress.setValue(0)
        self.push_progress.setVisible(busy)
        self.push_cancel.setVisible(busy)
        self.push_cancel.setEnabled(busy)
        self.push_button.setEnabled(not busy)

    def _pushed(self, report: Any, error: str) -> None:
        self.push_task = None
        self._pushing(False)
        text = error or report.summary()
        if report.cancelled:
            text = tr(_CTX, "Push cancelled: {0}").format(report.summary())
        self.status_label.setText(text)
        if self.ws is not None:
            self.refresh()

    def closeEvent(self, event: Any) -> None:
        self.timer.stop()
        super().closeEvent(event)


def local_zone(ws: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ws.setting("timezone", "Asia/Shanghai"))
