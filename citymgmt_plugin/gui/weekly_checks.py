"""The weekly-checks dialog: pick an ISO week, check the layers, run coverage, route
deviation and KPIs in the background, and find the styled results in a group per week.

Thin over core: the parameters come from ``core.qgis.checks``, the week from
``core.reporting.weeks``, the loading and styling from ``core.qgis.result_layers`` and the
algorithms' post-processors; this module only holds widgets.
"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsMapLayerProxyModel, QgsProcessingOutputLayerDefinition, QgsProject
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.labels import enumeration, join, labelled, parens
from ..core.qgis import checks
from ..core.qgis.output_styles import STYLE_PROPERTY
from ..core.qgis.result_layers import load_results, replace_group
from ..core.reporting.weeks import IsoWeek, last_full_week
from .alg_queue import AlgorithmQueue, AlgRun
from .widgets import GrowingLabel, iso_dates

_CTX = "WeeklyChecks"
_INPUTS = (  # attribute of CheckInputs, geometry filter
    ("grids", QgsMapLayerProxyModel.PolygonLayer),
    ("roads", QgsMapLayerProxyModel.LineLayer),
    ("routes", QgsMapLayerProxyModel.LineLayer),
    ("tracks", QgsMapLayerProxyModel.PointLayer),
    ("submissions", QgsMapLayerProxyModel.PointLayer),
)
_NEEDS = {  # what each check reads
    checks.COVERAGE: ("grids", "roads", "tracks"),
    checks.DEVIATION: ("tracks", "routes"),
    checks.KPI: ("submissions",),
}


def _output() -> QgsProcessingOutputLayerDefinition:
    return QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", QgsProject.instance())


class WeeklyChecksDialog(QDialog):
    """Week picker, the workspace's layers pre-filled, three checks, progress and cancel."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("citymgmtWeeklyChecksDialog")
        self.setWindowTitle(tr(_CTX, "Weekly checks"))
        self.queue: AlgorithmQueue | None = None
        self.loaded: list[Any] = []
        self.resp_units = None  # the responsibility-grid table, opened from the workspace
        self.group: Any = None  # the week's layer-tree group while checks run
        self.summary: list[str] = []
        self.combos: dict[str, QgsMapLayerComboBox] = {}
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        intro = GrowingLabel(self)
        intro.setText(
            tr(
                _CTX,
                "Runs the checks the contract asks for every week: patrol coverage of the "
                "main roads, deviation from the prescribed routes and the reporting KPIs. "
                "The results are added to the map in a group named after the week.",
            )
        )
        layout.addWidget(intro)
        layout.addLayout(self._week_row())
        layout.addLayout(self._layer_form())
        layout.addLayout(self._check_row())
        self.progress = QProgressBar(self)
        self.progress.setObjectName("weeklyChecksProgress")
        self.progress.setRange(0, 100)
        self.status = GrowingLabel(self)
        self.status.setObjectName("weeklyChecksStatus")
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self._buttons())
        self.set_week(last_full_week())
        self.prefill()

    # -- widgets -------------------------------------------------------------------------------

    def _week_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(tr(_CTX, "Week:"), self))
        self.week_edit = QDateEdit(self)
        self.week_edit.setObjectName("weeklyChecksWeek")
        self.week_edit.setCalendarPopup(True)
        self.week_edit.calendarWidget().setFirstDayOfWeek(Qt.Monday)
        iso_dates(self.week_edit)
        self.week_edit.setToolTip(
            tr(_CTX, "Any day of the week to check (ISO weeks: Monday to Sunday)")
        )
        self.week_edit.dateChanged.connect(self._date_changed)
        earlier = QPushButton("◀", self)
        earlier.setToolTip(tr(_CTX, "The week before"))
        earlier.clicked.connect(lambda: self.set_week(self.week.shifted(-1)))
        later = QPushButton("▶", self)
        later.setToolTip(tr(_CTX, "The week after"))
        later.clicked.connect(lambda: self.set_week(self.week.shifted(1)))
        for button in (earlier, later):
            button.setFixedWidth(32)
        self.week_label = QLabel(self)
        self.week_label.setObjectName("weeklyChecksWeekLabel")
        row.addWidget(earlier)
        row.addWidget(self.week_edit)
        row.addWidget(later)
        row.addWidget(self.week_label, 1)
        return row

    def _layer_form(self) -> QFormLayout:
        form = QFormLayout()
        labels = {
            "grids": tr(_CTX, "Unit grids"),
            "roads": tr(_CTX, "Main roads"),
            "routes": tr(_CTX, "Patrol routes"),
            "tracks": tr(_CTX, "GPS track points"),
            "submissions": tr(_CTX, "Submissions"),
        }
        for name, kind in _INPUTS:
            combo = QgsMapLayerComboBox(self)
            combo.setObjectName(f"weeklyChecks_{name}")
            combo.setFilters(kind)
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)
            self.combos[name] = combo
            form.addRow(labels[name], combo)
        return form

    def _check_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for alg_id, text in (
            (checks.COVERAGE, tr(_CTX, "Patrol coverage")),
            (checks.DEVIATION, tr(_CTX, "Route deviation")),
            (checks.KPI, tr(_CTX, "Reporting KPIs")),
        ):
            box = QCheckBox(text, self)
            box.setObjectName("weeklyChecks_" + alg_id.split(":")[1])
            box.setChecked(True)
            self.boxes[alg_id] = box
            row.addWidget(box)
        row.addStretch(1)
        return row

    def _buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox(self)
        self.run_button = box.addButton(tr(_CTX, "Run checks"), QDialogButtonBox.AcceptRole)
        self.run_button.setObjectName("weeklyChecksRun")
        self.cancel_button = box.addButton(tr(_CTX, "Cancel"), QDialogButtonBox.RejectRole)
        self.cancel_button.setObjectName("weeklyChecksCancel")
        self.cancel_button.setEnabled(False)
        close = box.addButton(tr(_CTX, "Close"), QDialogButtonBox.DestructiveRole)
        close.setObjectName("weeklyChecksClose")
        self.run_button.clicked.connect(self.run_checks)
        self.cancel_button.clicked.connect(self.cancel)
        close.clicked.connect(self.close)
        return box

    # -- week and layers -----------------------------------------------------------------------

    @property
    def week(self) -> IsoWeek:
        d = self.week_edit.date()
        return IsoWeek.of(d.toPyDate())

    def set_week(self, week: IsoWeek) -> None:
        monday = week.monday
        self.week_edit.setDate(QDate(monday.year, monday.month, monday.day))
        self._show_week()

    def _date_changed(self, *_args: Any) -> None:
        self._show_week()

    def _show_week(self) -> None:
        week = self.week
        self.week_label.setText(f"{week}{parens(week.dates_text())}")

    def prefill(self) -> None:
        """The workspace layers of the current project in their boxes (by their key)."""
        found = checks.project_inputs(QgsProject.instance(), self.ctx.workspace)
        for name, combo in self.combos.items():
            layer = getattr(found, name)
            if layer is not None:
                combo.setLayer(layer)
        self.resp_units = found.resp_units

    def inputs(self) -> checks.CheckInputs:
        chosen = {name: combo.currentLayer() for name, combo in self.combos.items()}
        return checks.CheckInputs(resp_units=self.resp_units, **chosen)

    # -- running -------------------------------------------------------------------------------

    def planned_runs(
        self, inputs: checks.CheckInputs, week: IsoWeek
    ) -> tuple[list[AlgRun], list[str]]:
        """The checks to run, and why any ticked one cannot."""
        labels = checks.input_labels()
        runs, problems = [], []
        for alg_id, box in self.boxes.items():
            if not box.isChecked():
                continue
            missing = inputs.missing(*_NEEDS[alg_id])
            if missing:
                problems.append(
                    labelled(box.text(), tr(_CTX, "choose {0}").format(
                        enumeration(labels[m] for m in missing)))
                )  # fmt: skip
                continue
            runs.append(AlgRun(alg_id, self._params(alg_id, inputs, week), box.text()))
        return runs, problems

    @staticmethod
    def _params(alg_id: str, inputs: checks.CheckInputs, week: IsoWeek) -> dict[str, Any]:
        if alg_id == checks.COVERAGE:
            outputs = {k: _output() for k in ("OUTPUT", "GAPS", "RESP_OUTPUT")}
            return checks.coverage_parameters(inputs, week, outputs)
        if alg_id == checks.DEVIATION:
            outputs = {k: _output() for k in ("OUTPUT", "OFFROUTE")}
            return checks.deviation_parameters(inputs, week, outputs)
        start, end = week.bounds()
        outputs = {k: _output() for k in ("OUTPUT_OVERALL", "OUTPUT_GRIDS", "OUTPUT_COLLECTORS")}
        return checks.kpi_parameters(inputs, start, end, outputs)

    def run_checks(self) -> bool:
        """Start the ticked checks; False (and a message) when nothing can run."""
        if self.queue is not None and self.queue.running:
            return False
        week = self.week
        runs, problems = self.planned_runs(self.inputs(), week)
        if problems or not runs:
            self.status.setText(join(problems, "; ") or tr(_CTX, "Tick at least one check."))
            return False
        self.group = replace_group(QgsProject.instance(), checks.week_group_name(week))
        self.loaded = []
        self.summary = []
        self.queue = AlgorithmQueue(QgsProject.instance(), runs, self)
        self.queue.progress.connect(self._progress)
        self.queue.step_done.connect(self._step_done)
        self.queue.finished.connect(self._finished)
        self._busy(True)
        self.queue.start()
        return True

    def cancel(self) -> None:
        if self.queue is not None:
            self.queue.cancel()

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        for widget in (*self.combos.values(), *self.boxes.values(), self.week_edit):
            widget.setEnabled(not busy)

    def _progress(self, percent: float, label: str) -> None:
        self.progress.setValue(int(percent))
        self.status.setText(tr(_CTX, "Running: {0}…").format(label))

    def _step_done(self, run: AlgRun) -> None:
        layers = load_results(run.context, QgsProject.instance(), self.group, run.feedback)
        self.loaded += layers
        kinds = {layer.customProperty(STYLE_PROPERTY): layer for layer in layers}
        self.summary += self._figures(run, kinds)

    @staticmethod
    def _figures(run: AlgRun, kinds: dict[str, Any]) -> list[str]:
        """One line on what a check found."""
        r = run.results
        if run.alg_id == checks.COVERAGE and "grids_failed" in r:
            return [tr(_CTX, "{0} of {1} grids fail the weekly rule").format(
                int(r["grids_failed"]), int(r["grids"]))]  # fmt: skip
        if run.alg_id == checks.KPI and "REPORTS" in r:
            verdict = tr(_CTX, "all passed") if r.get("PASSED") else tr(_CTX, "not all passed")
            return [tr(_CTX, "{0} reports, KPIs {1}").format(int(r["REPORTS"]), verdict)]
        days, lines = kinds.get("route_deviation"), kinds.get("offroute_stretches")
        if run.alg_id == checks.DEVIATION and days is not None and lines is not None:
            return [tr(_CTX, "{0} collector-days, {1} off-route stretches").format(
                days.featureCount(), lines.featureCount())]  # fmt: skip
        return []

    def _finished(self, ok: bool, message: str) -> None:
        self._busy(False)
        if ok:
            self.progress.setValue(100)
            done = tr(_CTX, "Done: {0} layers in “{1}”.").format(
                len(self.loaded), self.group.name()
            )
            self.status.setText("\n".join([done, *self.summary]))
        else:
            self.status.setText(message)

    def closeEvent(self, event: Any) -> None:
        if self.queue is not None and self.queue.running:
            self.queue.cancel()
        super().closeEvent(event)
