"""The review dock: the submission queue with filters and counts, photos, candidates on the
map, and decisions by button, keyboard shortcut or for a whole selection.

Thin over :mod:`..core.submissions.review`: the dock loads the queue once (Refresh), filters
it in memory through a proxy, and every decision goes through ``review.decide_many`` (one
transaction each; which candidate a batch decision names is ``review.batch_decisions``).
Sources… opens the sources dialog; Pull sources pulls them all in a background task
(:class:`.intake_tasks.PullTask`) with progress and cancel, then reloads the queue.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QDate, QSize, Qt
from qgis.PyQt.QtGui import QIcon, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAction,
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
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
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
    ReviewDecision,
    SubmissionState,
    describe_flag,
    describe_reason,
)
from ..core.workspace.store import describe_actor
from .photo_viewer import PhotoItem, PhotoViewer, ZoomView
from .review_map import ReviewMap
from .review_model import LATE_EDITS, Filters, QueueModel, QueueProxy, state_label
from .shortcuts import button_tip, dock_action, icon, shortcut_text
from .widgets import CompactSplitter, iso_dates, scrolling

_CTX = "ReviewDock"
SHORTCUTS = {
    "accept_new": "A",
    "update_existing": "U",
    "duplicate": "D",
    "reject": "R",
    "has_issues": "I",
}
NEXT_KEY, SELECT_ON_MAP_KEY = "N", "S"
FILTERS_SETTING = "citymgmt/review/filtersShown"


class ReviewDock(QDockWidget):
    def __init__(self, ctx: Any, parent: Any = None, writer_for: Any = None) -> None:
        super().__init__(tr(_CTX, "Submission review"), parent)
        self.setObjectName("citymgmtReviewDock")
        self.ctx = ctx
        self.writer_for = writer_for
        self.current: review.QueueItem | None = None
        self.matches: list[review.Match] = []
        self.map = ReviewMap(self._canvas())
        self._photos: list[review.Photo] = []
        self.pull_task: Any = None  # the running PullTask
        self.sources_dialog: Any = None
        self.photo_viewer: PhotoViewer | None = None
        self._build()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        """Filters, the queue and the detail scroll when the dock is short; the reason, the
        decision buttons and the status line stay in view below them."""
        root = QWidget(self)
        lay = QVBoxLayout(root)
        body = QWidget(root)
        top = QVBoxLayout(body)
        top.setContentsMargins(0, 0, 0, 0)
        filters = self._build_filter_box(body)
        grid = QGridLayout()
        self._build_pull_row(grid)
        top.addLayout(grid)
        top.addWidget(filters)
        self.actor_label = QLabel(describe_actor(None), objectName="actorLabel")
        self.actor_label.setToolTip(tr(_CTX, "Every decision you make names this user."))
        top.addWidget(self.actor_label)
        self.counts_label = QLabel(objectName="countsLabel")
        self.counts_label.setWordWrap(True)
        top.addWidget(self.counts_label)
        split = CompactSplitter(Qt.Vertical, body)
        split.setObjectName("reviewSplitter")
        split.addWidget(self._build_queue())
        for part in self._build_detail():
            split.addWidget(part)
        split.setChildrenCollapsible(False)
        for n, stretch in enumerate((3, 1, 2, 1)):  # queue, detail, photos, candidates
            split.setStretchFactor(n, stretch)
        top.addWidget(split, 1)
        lay.addWidget(scrolling(body, root), 1)
        self._build_decisions(root, lay)
        self.status_label = QLabel(objectName="statusLabel")
        self.status_label.setWordWrap(True)
        lay.addWidget(self.status_label)
        self.setWidget(root)
        self.shortcut_actions = self._build_shortcuts()
        self._connect()

    def _build_filter_box(self, parent: QWidget) -> QWidget:
        """The filters under a toggle that folds them away (a short screen needs the room
        for the queue); folded or not is remembered."""
        box = QWidget(parent)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        self.filters_button = QToolButton(parent, objectName="filtersButton")
        self.filters_button.setText(tr(_CTX, "Filters"))
        self.filters_button.setCheckable(True)
        self.filters_button.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.filters_button.setAutoRaise(True)
        self.filters_body = QWidget(box, objectName="filtersBody")
        grid = QGridLayout(self.filters_body)
        grid.setContentsMargins(0, 0, 0, 0)
        self._build_filters(grid)
        lay.addWidget(self.filters_body)
        self.filters_button.toggled.connect(self._show_filters)
        self.filters_button.setChecked(QgsSettings().value(FILTERS_SETTING, True, type=bool))
        self._show_filters(self.filters_button.isChecked())
        return box

    def _show_filters(self, shown: bool) -> None:
        self.filters_body.setVisible(shown)
        self.filters_button.setArrowType(Qt.DownArrow if shown else Qt.RightArrow)
        QgsSettings().setValue(FILTERS_SETTING, shown)

    def _build_filters(self, grid: QGridLayout) -> None:
        self.state_combo = QComboBox(objectName="stateFilter")
        self.state_combo.addItem(tr(_CTX, "All states"), None)
        for s in SubmissionState:
            self.state_combo.addItem(state_label(s.value), s.value)
        self.state_combo.addItem(tr(_CTX, "Edited after the decision"), LATE_EDITS)
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
        for n, w in enumerate(  # two columns: the dock stays narrow
            (self.state_combo, self.source_combo, self.collector_combo, self.category_combo,
             self.resp_combo, self.grid_edit)
        ):  # fmt: skip
            grid.addWidget(w, n // 2, n % 2)
        dates = QHBoxLayout()  # the dates on a line of their own: the dock stays narrow
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        grid.addWidget(self.date_check, 3, 0, 1, 2)
        grid.addLayout(dates, 4, 0, 1, 2)

    def _build_pull_row(self, grid: QGridLayout) -> None:
        # an icon only (QGIS's own Refresh): the line also holds the filters' toggle
        self.refresh_button = QToolButton(objectName="refreshButton")
        self.refresh_button.setIcon(QgsApplication.getThemeIcon("/mActionRefresh.svg"))
        self.refresh_button.setToolTip(tr(_CTX, "Refresh"))
        self.sources_button = QPushButton(tr(_CTX, "Sources…"), objectName="sourcesButton")
        self.pull_button = QPushButton(tr(_CTX, "Pull sources"), objectName="pullButton")
        tools = QHBoxLayout()  # on the line of the filters' toggle
        tools.addWidget(self.filters_button)
        tools.addStretch(1)
        tools.addWidget(self.refresh_button)
        tools.addWidget(self.sources_button)
        tools.addWidget(self.pull_button)
        grid.addLayout(tools, 0, 0, 1, 2)
        pulling = QHBoxLayout()
        self.pull_progress = QProgressBar(objectName="pullProgress")
        self.pull_progress.setRange(0, 100)
        self.pull_cancel = QPushButton(tr(_CTX, "Cancel pull"), objectName="pullCancelButton")
        pulling.addWidget(self.pull_progress, 1)
        pulling.addWidget(self.pull_cancel)
        self.pull_progress.hide()
        self.pull_cancel.hide()
        grid.addLayout(pulling, 1, 0, 1, 2)
        self.pull_status = QLabel(objectName="pullStatus")  # what the pull does / did
        self.pull_status.setWordWrap(True)
        self.pull_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.pull_status.hide()
        grid.addWidget(self.pull_status, 2, 0, 1, 2)

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

    def _build_detail(self) -> list[QWidget]:
        """What the selected submission is; its photos (a strip and one large, which grows
        with the splitter and zooms with the wheel); the candidate components."""
        self.info_label = QLabel(objectName="infoLabel")
        self.info_label.setWordWrap(True)
        self.info_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.info_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        info = scrolling(self.info_label)
        info.setMinimumHeight(50)
        info.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # long ids run off, lines wrap
        photos = QWidget()
        pl = QHBoxLayout(photos)  # the photo large, its strip and the viewer button beside
        pl.setContentsMargins(0, 0, 0, 0)
        self.photo_view = ZoomView()
        self.photo_view.setObjectName("photoView")
        self.photo_view.setMinimumHeight(90)
        self.photo_view.setToolTip(tr(_CTX, "Wheel: zoom; drag: move; double-click: all photos"))
        pl.addWidget(self.photo_view, 1)
        side = QVBoxLayout()
        self.enlarge_button = QPushButton(
            icon("photos"), tr(_CTX, "Photos…"), objectName="photosButton"
        )
        self.enlarge_button.setToolTip(tr(_CTX, "All photos of the submission, large"))
        side.addWidget(self.enlarge_button)
        self.thumbs = QListWidget(objectName="photoStrip")
        self.thumbs.setViewMode(QListWidget.IconMode)
        self.thumbs.setFlow(QListWidget.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(64, 48))
        self.thumbs.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.thumbs.setMinimumHeight(40)
        self.thumbs.setToolTip(tr(_CTX, "Double-click a photo to see it large."))
        side.addWidget(self.thumbs, 1)
        self.photo_note = QLabel(objectName="photoNote")
        self.photo_note.setWordWrap(True)
        side.addWidget(self.photo_note)
        pl.addLayout(side)
        self.thumbs.setFixedWidth(self.enlarge_button.sizeHint().width())
        return [info, photos, self._build_candidates()]

    def _build_candidates(self) -> QTableWidget:
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
        self.cand_table.setMinimumHeight(50)
        return self.cand_table

    def _build_decisions(self, root: QWidget, lay: QVBoxLayout) -> None:
        self.reason_edit = QLineEdit(objectName="reasonEdit")
        self.reason_edit.setPlaceholderText(tr(_CTX, "reason (needed to reject or send back)"))
        lay.addWidget(self.reason_edit)
        buttons = QGridLayout()  # two columns: the dock stays narrow
        self.decision_buttons: dict[str, QPushButton] = {}
        for n, decision in enumerate(SHORTCUTS):
            b = QPushButton(
                icon(decision), decision_label(decision), objectName=f"{decision}Button"
            )
            b.clicked.connect(lambda _=False, d=decision: self.decide_selected(d))
            buttons.addWidget(b, n // 2, n % 2)
            self.decision_buttons[decision] = b
        self.next_button = QPushButton(icon("next"), tr(_CTX, "Next"), objectName="nextButton")
        self.next_button.clicked.connect(self.select_next)
        buttons.addWidget(self.next_button, len(SHORTCUTS) // 2, len(SHORTCUTS) % 2)
        self.map_button = QPushButton(
            icon("select_on_map"), tr(_CTX, "Select on map"), objectName="selectOnMapButton"
        )
        self.map_button.setCheckable(True)
        n = len(SHORTCUTS) + 1  # the decisions, then Next
        self.seen_button = QPushButton(tr(_CTX, "Mark edit as seen"), objectName="seenButton")
        self.seen_button.setToolTip(
            tr(_CTX, "Mark the selected submissions' edits after the decision as seen")
        )
        self.seen_button.clicked.connect(self.acknowledge_selected)
        buttons.addWidget(self.seen_button, n // 2, n % 2)
        buttons.addWidget(self.map_button, n // 2 + 1, 0, 1, 2)
        lay.addLayout(buttons)

    def _build_shortcuts(self) -> list[Any]:
        """The keys of the decisions, of Next and of Select on map (while the focus is in the
        dock; registered with QGIS's shortcut manager by the feature). A decision button
        shows its key: "Accept as new (A)"."""
        made = []
        for decision, key in SHORTCUTS.items():
            button = self.decision_buttons[decision]
            text = tr(_CTX, "Review: {0}").format(decision_label(decision))
            action = dock_action(
                self, f"citymgmtReview_{decision}_Action", text, key, button.click, decision
            )
            button_tip(button, action, tr(_CTX, "Decide every selected submission"))
            _label_with_key(button, action, decision_label(decision))
            made.append(action)
        for name, text, key, button, tip, icon_name in (
            ("citymgmtReviewNextAction", tr(_CTX, "Review: next submission to decide"),
             NEXT_KEY, self.next_button, tr(_CTX, "Select the next submission still to decide"),
             "next"),
            ("citymgmtReviewMapAction", tr(_CTX, "Review: select a submission on the map"),
             SELECT_ON_MAP_KEY, self.map_button,
             tr(_CTX, "Click a submission on the map to select it in the list"), "select_on_map"),
        ):  # fmt: skip
            action = dock_action(self, name, text, key, button.click, icon_name)
            button_tip(button, action, tip)
            made.append(action)
        _label_with_key(self.next_button, made[-2], tr(_CTX, "Next"))
        _label_with_key(self.map_button, made[-1], tr(_CTX, "Select on map"))
        return made

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
        self.thumbs.itemDoubleClicked.connect(lambda _item: self.show_photos())
        self.photo_view.doubleClicked.connect(self.show_photos)
        self.enlarge_button.clicked.connect(lambda _=False: self.show_photos())
        self.cand_table.itemSelectionChanged.connect(self._draw)
        self.map_button.toggled.connect(self.select_on_map)

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
            self._selection_changed()
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
        if keep is None or not self.select_submission(keep):
            self._selection_changed()  # the detail follows: nothing selected is shown as such

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
                self.table.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    def shown_items(self) -> list[review.QueueItem]:
        """The submissions in the list, in the order shown (filters and sorting applied)."""
        return [self.proxy.item(r) for r in range(self.proxy.rowCount())]

    def select_next(self) -> bool:
        """Select the next submission still to decide below the selected ones."""
        nxt = review.next_to_decide(self.shown_items(), {it.id for it in self.selected_items()})
        if nxt is None:
            self.status_label.setText(tr(_CTX, "No more submissions to decide in this list."))
            return False
        self.select_submission(nxt.id)
        self.table.setFocus()  # the decision keys act on it at once
        return True

    def selected_items(self) -> list[review.QueueItem]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.item(r) for r in rows]

    # -- the selected submission ------------------------------------------------------------
    def _selection_changed(self, *_: Any) -> None:
        items = self.selected_items()
        current = items[0] if items else None
        if (current.id if current else None) != (self.current.id if self.current else None):
            self.status_label.clear()  # it was about another submission
        self.current = current
        self.show_current()

    def show_current(self) -> None:
        it = self.current
        self.thumbs.clear()
        self.photo_view.clear()
        self.cand_table.setRowCount(0)
        self.matches = []
        self.photo_note.clear()
        if it is None or self.ws is None:
            self.info_label.setText(
                tr(_CTX, "No submission selected: choose one in the list or on the map.")
                if self.ws is not None
                else ""
            )
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
        if it.late_edit_at is not None:
            text = tr(
                _CTX,
                "Edited on the server after the decision ({0}): the decision stays; look at "
                "the new version, then mark the edit as seen.",
            ).format(self.model.time_text(it.late_edit_at))
            lines.append(f"<span style='color:#b8860b'>{text}</span>")
        d = it.duplicate_of
        if d is not None:
            text = tr(
                _CTX, "Likely a repeat of submission {0} ({1:.0f} m away, {2:.0f} min later)."
            ).format(d.original_instance_id, d.distance_m, d.minutes)
            lines.append(f"<span style='color:#6a3d9a'>{text}</span>")
        return lines

    def _fill_thumbs(self) -> None:
        """Thumbnails only (the name is the tooltip and in the photo viewer)."""
        for p in self._photos:
            pix = QPixmap()
            if p.content is not None:
                pix.loadFromData(p.content)
            icon = QIcon(pix.scaled(144, 108, Qt.KeepAspectRatio)) if not pix.isNull() else QIcon()
            item = QListWidgetItem(icon, "")
            item.setToolTip(p.name)
            self.thumbs.addItem(item)

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
        self.photo_note.clear()
        if row < 0 or row >= len(self._photos) or self._photos[row].content is None:
            self.photo_view.clear()
            self.photo_note.setText(tr(_CTX, "No readable photo"))
            return
        pix = QPixmap()
        if not pix.loadFromData(self._photos[row].content):
            self.photo_view.clear()
            self.photo_note.setText(tr(_CTX, "Unreadable photo"))
            return
        self.photo_view.set_pixmap(pix)

    def show_photos(self) -> PhotoViewer | None:
        """Every photo of the selected submission in the photo viewer (resizable, zoom,
        previous / next), from the one shown."""
        if not self._photos or self.current is None:
            return None
        photos = [
            PhotoItem(p.name, p.content, photo_problem_label(p.problem) if p.problem else "")
            for p in self._photos
        ]
        if self.photo_viewer is not None:
            self.photo_viewer.close()
        title = labelled(tr(_CTX, "Photos"), self.current.instance_id)
        self.photo_viewer = PhotoViewer(photos, max(self.thumbs.currentRow(), 0), title, self)
        self.photo_viewer.show()
        return self.photo_viewer

    # -- the map -------------------------------------------------------------------------
    def _canvas(self) -> Any:
        iface = getattr(self.ctx, "iface", None)
        return iface.mapCanvas() if iface is not None else None

    @property
    def markers(self) -> list[Any]:
        """What is drawn on the map for the selected submission."""
        return self.map.markers

    def zoom_to_current(self) -> None:
        if self.ws is not None:
            self.map.zoom_to(self.current, self.matches, self.ws.srid)

    def _clear_markers(self) -> None:
        self.map.clear()

    def _draw(self) -> None:
        if self.ws is None:
            self.map.clear()
            return
        self.map.draw(self.current, self.matches, self.chosen_match(), self.ws.srid)

    def chosen_match(self) -> review.Match | None:
        rows = {i.row() for i in self.cand_table.selectedIndexes()}
        if rows and min(rows) < len(self.matches):
            return self.matches[min(rows)]
        return self.matches[0] if self.matches else None

    def select_on_map(self, on: bool) -> None:
        """Turn on (or off) the map tool that selects a submission by a click near it."""
        srid = self.ws.srid if self.ws is not None else 4549
        tool = self.map.select_tool(srid, self.pick_at, self._map_tool_ended) if on else None
        if tool is None:
            self.map.release_tool()
            self.map_button.setChecked(False)
            return
        self.map.canvas.setMapTool(tool)
        self.status_label.setText(tr(_CTX, "Click a submission on the map."))

    def _map_tool_ended(self) -> None:
        with contextlib.suppress(RuntimeError):  # the dock went first
            self.map_button.setChecked(False)

    def pick_at(self, x: float, y: float, radius: float) -> review.QueueItem | None:
        """Select the listed submission nearest the click (workspace CRS)."""
        found = review.nearest_item(self.shown_items(), x, y, radius)
        if found is None:
            self.status_label.setText(
                tr(_CTX, "No submission of the list here: zoom in or change the filters.")
            )
            return None
        self.select_submission(found.id)
        self.table.setFocus()  # the decision keys act on it at once
        return found

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
        if decision == ReviewDecision.ACCEPT_NEW and done:
            from ..core.cases.reports import cases_from_reports

            cases_from_reports(self.ws, self.reviewer)  # an accepted event is a case
        self.reason_edit.clear()
        nxt = review.next_to_decide(self.shown_items(), {it.id for it in items})
        self.current = None
        self.refresh()  # the decided ones show their new state; nothing stale stays shown
        if nxt is not None:
            self.select_submission(nxt.id)
        self.status_label.setText(_decided_text(decision, done, refused, skipped))

    def acknowledge_selected(self) -> None:
        """Mark the selected submissions' edits after the decision as seen."""
        items = [it for it in self.selected_items() if it.late_edit_at is not None]
        if not items or self.ws is None:
            self.status_label.setText(tr(_CTX, "Select submissions edited after the decision."))
            return
        picked = [review.Pick(it.id, it.row_version) for it in items]
        done, refused = review.acknowledge_late_edits(self.ws, picked, self.reviewer)
        msg = tr(_CTX, "Marked as seen: {0}.").format(done)
        if refused:
            msg += " " + tr(_CTX, "{0} refused: {1}").format(len(refused), refused[0][1])
        self.refresh()
        self.status_label.setText(msg)

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
        said = outcome.summary() or tr(_CTX, "Nothing to pull.")
        if self.ws is not None:
            from ..core.cases.intake import after_intake  # task results, cases of reports

            said = "\n".join(t for t in (said, after_intake(self.ws).text()) if t)
        self.say_pull(said)
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


def _label_with_key(button: QPushButton, action: QAction, text: str) -> None:
    """``text`` on ``button`` followed by the action's key ("Reject (R)"), kept current when
    the user changes the key in QGIS."""

    def update() -> None:
        with contextlib.suppress(RuntimeError):  # the button went first
            keys = shortcut_text(action)
            button.setText(text + parens(keys) if keys else text)

    action.changed.connect(update)
    update()


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
