"""The review dock: the submission queue with filters and counts, photos, candidates on the
map, and decisions by button, keyboard shortcut or for a whole selection.

Thin over :mod:`..core.submissions.review`: the dock loads the queue once (Refresh), filters
it in memory through a proxy, and every decision goes through ``review.decide_many`` (one
transaction each; which candidate a batch decision names is ``review.batch_decisions``).
Sources… opens the sources dialog; Pull sources pulls them all in a background task
(:class:`.intake_tasks.PullTask`) with progress and cancel, then reloads the queue.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.gui import QgsRubberBand, QgsVertexMarker
from qgis.PyQt.QtCore import QDate, QSize, Qt
from qgis.PyQt.QtGui import QColor, QIcon, QKeySequence, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QShortcut,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.labels import (
    decision_label,
    labelled,
    parens,
    photo_problem_label,
    source_label,
    workspace_class_names,
)
from ..core.submissions import review
from ..core.submissions.states import (
    DECIDABLE_STATES,
    ReviewDecision,
    SubmissionState,
    describe_flag,
    describe_reason,
)
from ..core.workspace.store import describe_actor
from .review_model import Filters, QueueModel, QueueProxy, state_label
from .widgets import iso_dates, scrolling

_CTX = "ReviewDock"
SHORTCUTS = {
    "accept_new": "A",
    "update_existing": "U",
    "duplicate": "D",
    "reject": "R",
    "has_issues": "I",
}


class ReviewDock(QDockWidget):
    def __init__(self, ctx: Any, parent: Any = None, writer_for: Any = None) -> None:
        super().__init__(tr(_CTX, "Submission review"), parent)
        self.setObjectName("citymgmtReviewDock")
        self.ctx = ctx
        self.writer_for = writer_for
        self.current: review.QueueItem | None = None
        self.matches: list[review.Match] = []
        self.markers: list[Any] = []
        self._photos: list[review.Photo] = []
        self.pull_task: Any = None  # the running PullTask
        self.sources_dialog: Any = None
        self._build()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        root = QWidget(self)
        lay = QVBoxLayout(root)
        grid = QGridLayout()
        self._build_filters(grid)
        self._build_pull_row(grid)
        lay.addLayout(grid)
        self.actor_label = QLabel(describe_actor(None), objectName="actorLabel")
        self.actor_label.setToolTip(tr(_CTX, "Every decision you make names this user."))
        lay.addWidget(self.actor_label)
        self.counts_label = QLabel(objectName="countsLabel")
        self.counts_label.setWordWrap(True)
        lay.addWidget(self.counts_label)
        split = QSplitter(Qt.Vertical, root)
        split.addWidget(self._build_queue())
        split.addWidget(self._build_detail())
        lay.addWidget(split, 1)
        self._build_decisions(root, lay)
        self.status_label = QLabel(objectName="statusLabel")
        self.status_label.setWordWrap(True)
        lay.addWidget(self.status_label)
        self.setWidget(scrolling(root, self))
        self._connect()

    def _build_filters(self, grid: QGridLayout) -> None:
        self.state_combo = QComboBox(objectName="stateFilter")
        self.state_combo.addItem(tr(_CTX, "All states"), None)
        for s in SubmissionState:
            self.state_combo.addItem(state_label(s.value), s.value)
        self.source_combo = QComboBox(objectName="sourceFilter")
        self.resp_combo = QComboBox(objectName="respFilter")
        self.collector_combo = QComboBox(objectName="collectorFilter")
        self.category_combo = QComboBox(objectName="categoryFilter")
        self.grid_edit = QLineEdit(objectName="gridFilter")
        self.grid_edit.setPlaceholderText(tr(_CTX, "grid code or prefix"))
        self.date_check = QCheckBox(tr(_CTX, "Observed"), objectName="dateFilter")
        self.date_from = QDateEdit(objectName="dateFrom", calendarPopup=True)
        self.date_to = QDateEdit(objectName="dateTo", calendarPopup=True)
        iso_dates(self.date_from, self.date_to)
        today = QDate.currentDate()
        self.date_from.setDate(today.addDays(-30))
        self.date_to.setDate(today)
        grid.addWidget(self.state_combo, 0, 0)
        grid.addWidget(self.source_combo, 0, 1)
        grid.addWidget(self.collector_combo, 0, 2)
        grid.addWidget(self.category_combo, 1, 0)
        grid.addWidget(self.resp_combo, 1, 1)
        grid.addWidget(self.grid_edit, 1, 2)
        dates = QHBoxLayout()
        dates.addWidget(self.date_check)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        grid.addLayout(dates, 2, 0, 1, 3)

    def _build_pull_row(self, grid: QGridLayout) -> None:
        self.refresh_button = QPushButton(tr(_CTX, "Refresh"), objectName="refreshButton")
        self.sources_button = QPushButton(tr(_CTX, "Sources…"), objectName="sourcesButton")
        self.pull_button = QPushButton(tr(_CTX, "Pull sources"), objectName="pullButton")
        tools = QHBoxLayout()
        tools.addStretch(1)
        tools.addWidget(self.refresh_button)
        tools.addWidget(self.sources_button)
        tools.addWidget(self.pull_button)
        grid.addLayout(tools, 3, 0, 1, 3)
        pulling = QHBoxLayout()
        self.pull_progress = QProgressBar(objectName="pullProgress")
        self.pull_progress.setRange(0, 100)
        self.pull_cancel = QPushButton(tr(_CTX, "Cancel pull"), objectName="pullCancelButton")
        pulling.addWidget(self.pull_progress, 1)
        pulling.addWidget(self.pull_cancel)
        self.pull_progress.hide()
        self.pull_cancel.hide()
        grid.addLayout(pulling, 4, 0, 1, 3)
        self.pull_status = QLabel(objectName="pullStatus")  # what the pull does / did
        self.pull_status.setWordWrap(True)
        self.pull_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.pull_status.hide()
        grid.addWidget(self.pull_status, 5, 0, 1, 3)

    def _build_queue(self) -> QTableView:
        self.model = QueueModel(parent=self)
        self.proxy = QueueProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(objectName="queueTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(20)
        return self.table

    def _build_detail(self) -> QWidget:
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.info_label = QLabel(objectName="infoLabel")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        dl.addWidget(self.info_label)
        self.thumbs = QListWidget(objectName="photoStrip")
        self.thumbs.setViewMode(QListWidget.IconMode)
        self.thumbs.setFlow(QListWidget.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(72, 54))
        self.thumbs.setFixedHeight(84)
        dl.addWidget(self.thumbs)
        self.photo_view = QLabel(objectName="photoView")
        self.photo_view.setAlignment(Qt.AlignCenter)
        self.photo_view.setMinimumHeight(140)
        self.photo_view.setStyleSheet("background: #222; color: #ddd;")
        dl.addWidget(self.photo_view)
        self.cand_table = QTableWidget(0, 5, objectName="candidateTable")
        self.cand_table.setHorizontalHeaderLabels(
            [
                tr(_CTX, "Component"),
                tr(_CTX, "Class"),
                tr(_CTX, "Status"),
                tr(_CTX, "Distance (m)"),
                tr(_CTX, "Agreement"),
            ]
        )
        self.cand_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.cand_table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.cand_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.cand_table.verticalHeader().setVisible(False)
        self.cand_table.setMaximumHeight(120)
        dl.addWidget(self.cand_table)
        return detail

    def _build_decisions(self, root: QWidget, lay: QVBoxLayout) -> None:
        self.reason_edit = QLineEdit(objectName="reasonEdit")
        self.reason_edit.setPlaceholderText(tr(_CTX, "reason (needed to reject or send back)"))
        lay.addWidget(self.reason_edit)
        buttons = QGridLayout()  # two columns: the dock stays narrow
        self.decision_buttons: dict[str, QPushButton] = {}
        for n, decision in enumerate(SHORTCUTS):
            label = decision_label(decision) + parens(SHORTCUTS[decision])
            b = QPushButton(label, objectName=f"{decision}Button")
            b.setToolTip(
                tr(_CTX, "Decide every selected submission; shortcut {0}").format(
                    SHORTCUTS[decision]
                )
            )
            b.clicked.connect(lambda _=False, d=decision: self.decide_selected(d))
            buttons.addWidget(b, n // 2, n % 2)
            self.decision_buttons[decision] = b
            sc = QShortcut(QKeySequence(SHORTCUTS[decision]), root)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda d=decision: self.decide_selected(d))
        lay.addLayout(buttons)

    def _connect(self) -> None:
        for combo in (
            self.state_combo,
            self.source_combo,
            self.resp_combo,
            self.collector_combo,
            self.category_combo,
        ):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)  # long source names must not widen the dock
            combo.currentIndexChanged.connect(self.apply_filters)
        self.grid_edit.textChanged.connect(self.apply_filters)
        self.date_check.toggled.connect(self.apply_filters)
        self.date_from.dateChanged.connect(self.apply_filters)
        self.date_to.dateChanged.connect(self.apply_filters)
        self.refresh_button.clicked.connect(self.refresh)
        self.sources_button.clicked.connect(self.open_sources)
        self.pull_button.clicked.connect(self.pull)
        self.pull_cancel.clicked.connect(self.cancel_pull)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.thumbs.currentRowChanged.connect(self._show_photo)
        self.cand_table.itemSelectionChanged.connect(self._draw)

    # -- data ----------------------------------------------------------------------------
    @property
    def ws(self) -> Any:
        return self.ctx.workspace

    @property
    def reviewer(self) -> str:
        """Who the decisions name: the workspace's signed-in user."""
        return self.ws.actor if self.ws is not None else ""

    def refresh(self) -> None:
        """Load the queue from the workspace (one query), keep filters and selection."""
        self.actor_label.setText(describe_actor(self.ws))
        if self.ws is None:
            self.model.set_items([])
            self.counts_label.setText(tr(_CTX, "No workspace open."))
            return
        keep = self.current.id if self.current else None
        zone = review.office_zone(self.ws)
        self.model.zone = zone
        self.proxy.zone = zone
        self.model.class_names = workspace_class_names(self.ws)
        items = review.queue(self.ws)
        values = review.filter_values(self.ws)
        label_of = {"source": source_label, "category": self._category_label(items)}
        for combo, key, everything in (
            (self.source_combo, "source", tr(_CTX, "All sources")),
            (self.collector_combo, "collector", tr(_CTX, "All collectors")),
            (self.category_combo, "category", tr(_CTX, "All categories")),
            (self.resp_combo, "resp_grid", tr(_CTX, "All resp. grids")),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for v in values[key]:
                combo.addItem(label_of.get(key, str)(v), v)
            i = combo.findData(current)
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)
        self.model.set_items(items)
        self.apply_filters()
        for column in ("observed", "category"):  # whole times, class names readable
            self.table.resizeColumnToContents(QueueModel.COLUMNS.index(column))
        if keep is not None:
            self.select_submission(keep)

    def _category_label(self, items: list[review.QueueItem]) -> Any:
        """Category codes as in the queue: "0101 上水井盖", the names of every kind the
        code is reported as (a component class and an event class may share a code)."""
        names = self.model.class_names
        kinds: dict[str, set[str]] = {}
        for it in items:
            if it.category_code:
                kinds.setdefault(it.category_code, set()).add(it.kind or "component")

        def label(code: str) -> str:
            found = [
                names.events.get(code) if k == "event" else names.components.get(code)
                for k in sorted(kinds.get(code, {"component"}))
            ]
            return " ".join([code, " / ".join(n for n in found if n)]).strip()

        return label

    def filters(self) -> Filters:
        use_dates = self.date_check.isChecked()
        return Filters(
            state=self.state_combo.currentData(),
            source=self.source_combo.currentData(),
            grid=self.grid_edit.text().strip() or None,
            resp_grid=self.resp_combo.currentData(),
            collector=self.collector_combo.currentData(),
            category=self.category_combo.currentData(),
            date_from=self.date_from.date().toPyDate() if use_dates else None,
            date_to=self.date_to.date().toPyDate() if use_dates else None,
        )

    def apply_filters(self) -> None:
        self.proxy.set_filters(self.filters())
        counts = self.proxy.counts()
        parts = [f"{state_label(s)} {counts[s]}" for s in SubmissionState if counts.get(s)]
        self.counts_label.setText(
            tr(_CTX, "Showing {0} of {1}. ").format(self.proxy.rowCount(), self.model.rowCount())
            + " · ".join(parts)
        )

    def set_date_range(self, first: date, last: date) -> None:
        self.date_from.setDate(QDate(first.year, first.month, first.day))
        self.date_to.setDate(QDate(last.year, last.month, last.day))
        self.date_check.setChecked(True)

    def select_submission(self, submission_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.item(row).id == submission_id:
                self.table.selectRow(row)
                return True
        return False

    def selected_items(self) -> list[review.QueueItem]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.item(r) for r in rows]

    # -- the selected submission ------------------------------------------------------------
    def _selection_changed(self, *_: Any) -> None:
        items = self.selected_items()
        self.current = items[0] if items else None
        self.show_current()

    def show_current(self) -> None:
        it = self.current
        self.thumbs.clear()
        self.photo_view.clear()
        self.cand_table.setRowCount(0)
        self.matches = []
        if it is None or self.ws is None:
            self.info_label.clear()
            self._clear_markers()
            return
        lines = self._info_lines(it)
        self._photos = review.photos(self.ws, it.id)
        lines += [
            labelled(p.name, photo_problem_label(p.problem)) for p in self._photos if p.problem
        ]
        self._fill_thumbs()
        self.info_label.setText("<br>".join(lines))
        if self._photos:
            self.thumbs.setCurrentRow(0)
        self._fill_candidates(review.candidates(self.ws, it.id))
        self.zoom_to_current()
        self._draw()

    def _info_lines(self, it: review.QueueItem) -> list[str]:
        """What the selected submission is, its problems, flag and likely original (HTML)."""
        who = it.collector_name or it.collector_code or ""
        lines = [
            f"<b>{state_label(it.state)}</b> · {self.model.category_text(it)} · {it.instance_id}",
            f"{self.model.observed_text(it)} · {who} · {it.grid_code or ''}",
        ]
        if it.description:
            lines.append(it.description)
        if it.quarantine_reason:
            reason = describe_reason(it.quarantine_reason)
            lines.append(f"<span style='color:#b22222'>{reason}</span>")
        if it.crs_flag:
            lines.append(f"<span style='color:#c77700'>{describe_flag(it.crs_flag)}</span>")
        d = it.duplicate_of
        if d is not None:
            text = tr(
                _CTX, "Likely a repeat of submission {0} ({1:.0f} m away, {2:.0f} min later)."
            ).format(d.original_instance_id, d.distance_m, d.minutes)
            lines.append(f"<span style='color:#6a3d9a'>{text}</span>")
        return lines

    def _fill_thumbs(self) -> None:
        for p in self._photos:
            pix = QPixmap()
            if p.content is not None:
                pix.loadFromData(p.content)
            icon = QIcon(pix.scaled(144, 108, Qt.KeepAspectRatio)) if not pix.isNull() else QIcon()
            self.thumbs.addItem(QListWidgetItem(icon, p.name))

    def _fill_candidates(self, matches: list[review.Match]) -> None:
        self.matches = matches
        self.cand_table.setRowCount(len(matches))
        for r, m in enumerate(matches):
            cells = (
                m.identifier,
                self.model.class_names.component(m.class_code),
                m.status,
                f"{m.distance_m:.1f}",
                f"{m.agreement:.0%}",
            )
            for c, text in enumerate(cells):
                self.cand_table.setItem(r, c, QTableWidgetItem(text))
        self.cand_table.resizeColumnsToContents()
        if matches:
            self.cand_table.selectRow(0)

    def _show_photo(self, row: int) -> None:
        if row < 0 or row >= len(self._photos) or self._photos[row].content is None:
            self.photo_view.setText(tr(_CTX, "No readable photo"))
            return
        pix = QPixmap()
        if not pix.loadFromData(self._photos[row].content):
            self.photo_view.setText(tr(_CTX, "Unreadable photo"))
            return
        size = self.photo_view.size()
        self.photo_view.setPixmap(
            pix.scaled(
                max(size.width(), 200),
                max(size.height(), 140),
                Qt.KeepAspectRatio,
                Qt.SmoothTransformation,
            )
        )

    # -- the map -------------------------------------------------------------------------
    def _canvas(self) -> Any:
        return self.ctx.iface.mapCanvas() if self.ctx.iface is not None else None

    def _to_canvas(self) -> Any:
        canvas = self._canvas()
        src = QgsCoordinateReferenceSystem(f"EPSG:{self.ws.srid}")
        dst = canvas.mapSettings().destinationCrs()
        if not dst.isValid():
            dst = src
        return QgsCoordinateTransform(src, dst, QgsProject.instance())

    def zoom_to_current(self) -> None:
        canvas = self._canvas()
        it = self.current
        if canvas is None or it is None or it.x is None:
            return
        pts = [QgsPointXY(it.x, it.y)] + [QgsPointXY(m.x, m.y) for m in self.matches]
        xs = [p.x() for p in pts]
        ys = [p.y() for p in pts]
        rect = QgsRectangle(min(xs) - 60, min(ys) - 60, max(xs) + 60, max(ys) + 60)
        canvas.setExtent(self._to_canvas().transformBoundingBox(rect))
        canvas.refresh()

    def _clear_markers(self) -> None:
        canvas = self._canvas()
        for m in self.markers:
            if canvas is not None:
                canvas.scene().removeItem(m)
        self.markers = []

    def _draw(self) -> None:
        self._clear_markers()
        canvas = self._canvas()
        it = self.current
        if canvas is None or it is None or it.x is None:
            return
        tf = self._to_canvas()
        chosen = self.chosen_match()
        for m in self.matches:
            band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
            circle = QgsGeometry.fromPointXY(tf.transform(QgsPointXY(m.x, m.y))).buffer(
                canvas.mapUnitsPerPixel() * 9, 12
            )
            band.setToGeometry(circle, None)
            selected = chosen is not None and m.component_id == chosen.component_id
            band.setColor(QColor(0, 120, 255, 200 if selected else 110))
            band.setFillColor(QColor(0, 120, 255, 70 if selected else 25))
            band.setWidth(3 if selected else 1)
            self.markers.append(band)
        marker = QgsVertexMarker(canvas)
        marker.setCenter(tf.transform(QgsPointXY(it.x, it.y)))
        marker.setIconType(QgsVertexMarker.ICON_X)
        marker.setColor(QColor(220, 30, 30))
        marker.setIconSize(18)
        marker.setPenWidth(3)
        self.markers.append(marker)

    def chosen_match(self) -> review.Match | None:
        rows = {i.row() for i in self.cand_table.selectedIndexes()}
        if rows and min(rows) < len(self.matches):
            return self.matches[min(rows)]
        return self.matches[0] if self.matches else None

    # -- decisions -----------------------------------------------------------------------
    def decide_selected(self, decision: str) -> None:
        """The decision for every selected submission (each its own transaction)."""
        items = self.selected_items()
        if not items or self.ws is None:
            self.status_label.setText(tr(_CTX, "Select submissions first."))
            return
        reason = self.reason_edit.text().strip() or None
        if ReviewDecision(decision).needs_reason and not reason:
            self.status_label.setText(tr(_CTX, "Give a reason to reject or send back."))
            self.reason_edit.setFocus()
            return
        picked = [review.Pick(it.id, it.row_version) for it in items]
        chosen = self.chosen_match() if len(items) == 1 else None
        decisions, skipped = review.batch_decisions(self.ws, picked, decision, reason, chosen)
        done, refused = review.decide_many(
            self.ws, decisions, self.reviewer, self.writer_for or self._bound_writer()
        )
        self.status_label.setText(_decided_text(decision, done, refused, skipped))
        self.reason_edit.clear()
        next_id = self._next_after(items)
        self.current = None
        self.refresh()
        if next_id is not None:
            self.select_submission(next_id)

    def _next_after(self, items: list[review.QueueItem]) -> int | None:
        ids = {i.id for i in items}
        rows = [self.proxy.item(r) for r in range(self.proxy.rowCount())]
        after = False
        for it in rows:
            if it.id in ids:
                after = True
            elif after and it.state in DECIDABLE_STATES:
                return it.id
        return None

    # -- sources and pulls ----------------------------------------------------------------
    def account_bindings(self) -> Any:
        """This computer's accounts for the workspace's sources (QgsSettings)."""
        from ..core.submissions.sources.accounts import AccountBindings, workspace_identity

        return AccountBindings(workspace_identity(self.ws.spec))

    def _bound_writer(self) -> Any:
        from ..core.qgis.accounts import odk_login
        from ..core.submissions.pull import bound_writer_for

        if self.ws is None:
            return None
        return bound_writer_for(self.ws, self.account_bindings(), odk_login)

    def open_sources(self) -> Any:
        """The sources dialog (not modal: the queue stays usable)."""
        from .sources_dialog import SourcesDialog

        if self.ws is None:
            self.say_pull(tr(_CTX, "No workspace open."))
            return None
        if self.sources_dialog is not None:
            self.sources_dialog.close()
            self.sources_dialog.deleteLater()
        self.sources_dialog = SourcesDialog(
            self.ws, self.account_bindings(), self.reviewer, self.window()
        )
        self.sources_dialog.show()
        return self.sources_dialog

    def pull(self) -> Any:
        """Pull every configured source in a background task; the queue reloads at the end."""
        from ..core.qgis.accounts import odk_login
        from ..core.submissions.pull import plan_pull
        from .intake_tasks import PullTask

        if self.ws is None or self.pull_task is not None:
            return None
        # accounts read here, on the main thread (QGIS may ask for its master password)
        plans = plan_pull(self.ws, self.account_bindings(), odk_login)
        if not plans:
            self.say_pull(tr(_CTX, "No sources configured: add one with Sources…."))
            return None
        task = PullTask(self.ws, plans, self.reviewer)
        task.progressChanged.connect(lambda v: self.pull_progress.setValue(int(v)))
        task.note.connect(self.say_pull)
        task.done.connect(self._pulled)
        self.pull_task = task
        self._pulling(True)
        self.say_pull(tr(_CTX, "Pulling {0} sources…").format(len(plans)))
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel_pull(self) -> None:
        if self.pull_task is not None:
            self.pull_task.cancel()
            self.pull_cancel.setEnabled(False)
            self.say_pull(tr(_CTX, "Cancelling after the page being stored…"))

    def say_pull(self, text: str) -> None:
        self.pull_status.setText(text)
        self.pull_status.setVisible(bool(text))

    def _pulling(self, busy: bool) -> None:
        self.pull_progress.setValue(0)
        self.pull_progress.setVisible(busy)
        self.pull_cancel.setVisible(busy)
        self.pull_cancel.setEnabled(busy)
        self.pull_button.setEnabled(not busy)

    def _pulled(self, outcome: Any) -> None:
        self.pull_task = None
        self._pulling(False)
        self.say_pull(outcome.summary() or tr(_CTX, "Nothing to pull."))
        if self.ws is not None:
            self.refresh()

    def closeEvent(self, event: Any) -> None:
        self._clear_markers()
        super().closeEvent(event)

    def stop_pull(self, wait_ms: int = 30000) -> None:
        """Cancel a running pull and wait for it (unload, another workspace)."""
        task = self.pull_task
        if task is not None:
            task.cancel()
            task.waitForFinished(wait_ms)


def _decided_text(
    decision: str, done: list[review.Outcome], refused: list[tuple[int, str]], skipped: int
) -> str:
    """What a batch decision did, for the status line."""
    msg = tr(_CTX, "{0}: {1} decided.").format(decision_label(decision), len(done))
    if skipped:
        msg += " " + tr(_CTX, "{0} without a candidate skipped.").format(skipped)
    if refused:
        msg += " " + tr(_CTX, "{0} refused: {1}").format(len(refused), refused[0][1])
    unsent = [o for o in done if o.write_back_error]
    if unsent:
        msg += " " + tr(_CTX, "{0} not yet written back to the server.").format(len(unsent))
    return msg
