"""Census import and reconciliation: read a batch, map its fields, see the classes in a table
and on the map, accept or reject items, apply in one transaction, write the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsEditorWidgetSetup,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProject,
    QgsRendererCategory,
    QgsSymbol,
    QgsTask,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import Qt, QVariant, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import census
from ..core.census.batch_mapping import TARGET_FIELDS, MappingStore
from ..core.census.batch_read import list_layers, read_source
from ..core.census.importer import prepare_batch
from ..core.census.reconcile import ACTIONABLE, KINDS, Reconciliation, kind_label, reconcile
from ..core.census.reconcile_apply import ApplyResult, apply_reconciliation
from ..core.census.reconcile_report import write_report
from ..core.i18n import tr
from ..core.labels import (
    class_label,
    crs_label,
    describe_changes,
    field_label,
    parens,
)
from ..core.qgis.layers import label_fields
from ..core.workspace.store import Workspace, describe_actor

KIND_COLORS = {
    "new": "#1a9641",
    "unchanged": "#9e9e9e",
    "changed": "#fdae61",
    "moved": "#2b83ba",
    "missing": "#d7191c",
    "duplicate": "#7b3294",
}
CRS_CHOICES = ("", "EPSG:4326", "EPSG:4490", "EPSG:4549")


def crs_choice_label(code: str) -> str:
    """The coordinate choices of a batch: found from the data, or a system by name."""
    if not code:
        return crs_label("auto")
    name = {
        "EPSG:4326": "WGS84",
        "EPSG:4490": "CGCS2000",
        "EPSG:4549": tr("Census", "CGCS2000 / 3-degree Gauss-Kruger CM 120E"),
    }[code]
    return name + parens(code)


class ApplyTask(QgsTask):
    """Apply a reconciliation in the background, in one transaction; cancel rolls it back."""

    done = pyqtSignal(object, str)  # ApplyResult or None, translated message when None

    def __init__(self, ws: Workspace, recon: Reconciliation) -> None:
        super().__init__(tr("Census", "Apply census reconciliation"), QgsTask.CanCancel)
        self.ws = ws
        self.recon = recon
        self.result: ApplyResult | None = None
        self.error = tr("Census", "Applying was cancelled; nothing was saved.")

    def run(self) -> bool:
        try:
            with census.write_transaction(self.ws) as c:
                self.result = apply_reconciliation(
                    c, self.ws, self.recon, self.ws.actor, progress=self._progress
                )
            return True
        except census.CensusError as exc:  # includes ApplyCancelled
            self.error = str(exc)
        except Exception as exc:  # the transaction rolled back; say so in the dialog
            self.error = tr("Census", "Applying failed and nothing was saved: {0}").format(exc)
        return False

    def _progress(self, done: int, total: int) -> bool:
        self.setProgress(100.0 * done / max(total, 1))
        return self.isCanceled()

    def finished(self, ok: bool) -> None:
        self.done.emit(self.result if ok else None, "" if ok else self.error)


class ReconcileDialog(QDialog):
    applied = pyqtSignal(object)  # ApplyResult or None (failed / cancelled)

    def __init__(
        self,
        ws: Workspace,
        parent: QWidget | None = None,
        store: MappingStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citymgmtCensusReconcile")
        self.setWindowTitle(tr("Census", "Census import and reconciliation"))
        self.ws = ws
        self.store = store or MappingStore()
        self.table_src = None
        self.recon: Reconciliation | None = None
        self.layer: QgsVectorLayer | None = None
        self.class_names: dict[str, str] = {}  # the workspace's class names, by code
        lay = QVBoxLayout(self)
        self._build_source(lay)
        self._build_mapping(lay)
        self._build_results(lay)
        self._build_apply(lay)
        self.task: ApplyTask | None = None
        self.resize(900, 760)

    def _build_source(self, lay: QVBoxLayout) -> None:
        """The batch file, its layer or sheet, its coordinates."""
        top = QFormLayout()
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setObjectName("censusBatchPath")
        browse = QPushButton(tr("Census", "Browse…"), self)
        browse.clicked.connect(self._browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        top.addRow(tr("Census", "Survey batch"), row)
        self.layer_box = QComboBox(self)
        top.addRow(tr("Census", "Layer / sheet"), self.layer_box)
        self.crs_box = QComboBox(self)
        for code in CRS_CHOICES:
            self.crs_box.addItem(crs_choice_label(code), code)
        self.crs_box.setEditable(True)
        top.addRow(tr("Census", "Coordinates"), self.crs_box)
        lay.addLayout(top)
        read = QPushButton(tr("Census", "Read columns"), self)
        read.clicked.connect(self.read_columns)
        lay.addWidget(read)

    def _build_mapping(self, lay: QVBoxLayout) -> None:
        """Which column of the batch feeds which component field."""
        self.mapping = QTableWidget(len(TARGET_FIELDS), 2, self)
        self.mapping.setHorizontalHeaderLabels([tr("Census", "Field"), tr("Census", "Column")])
        for r, t in enumerate(TARGET_FIELDS):
            self.mapping.setItem(r, 0, QTableWidgetItem(field_label(t)))
            self.mapping.setCellWidget(r, 1, QComboBox(self))
        self.mapping.setMaximumHeight(220)
        self.mapping.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.mapping)
        run = QPushButton(tr("Census", "Validate and reconcile"), self)
        run.setObjectName("censusReconcileRun")
        run.clicked.connect(self.run)
        lay.addWidget(run)

    def _build_results(self, lay: QVBoxLayout) -> None:
        """The reconciliation items, filtered by kind."""
        filt = QHBoxLayout()
        filt.addWidget(QLabel(tr("Census", "Show"), self))
        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem(tr("Census", "all"), "")
        for k in KINDS:
            self.kind_filter.addItem(kind_label(k), k)
        self.kind_filter.currentIndexChanged.connect(self._filter)
        filt.addWidget(self.kind_filter)
        self.summary = QLabel("", self)
        filt.addWidget(self.summary, 1)
        lay.addLayout(filt)
        self.items = QTableWidget(0, 8, self)
        self.items.setObjectName("censusReconcileItems")
        self.items.setHorizontalHeaderLabels(
            [
                tr("Census", "Accept"),
                tr("Census", "Class"),
                tr("Census", "Row"),
                tr("Census", "Identifier"),
                tr("Census", "Component class"),
                tr("Census", "Distance (m)"),
                tr("Census", "Changes"),
                tr("Census", "Note"),
            ]
        )
        self.items.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.items.itemChanged.connect(self._check_changed)
        lay.addWidget(self.items, 1)

    def _build_apply(self, lay: QVBoxLayout) -> None:
        """Accept, reject, apply (in the background, cancellable), report."""
        buttons = QHBoxLayout()
        acc = QPushButton(tr("Census", "Accept selected"), self)
        acc.clicked.connect(lambda: self.decide_selected(True))
        rej = QPushButton(tr("Census", "Reject selected"), self)
        rej.clicked.connect(lambda: self.decide_selected(False))
        self.apply_btn = QPushButton(tr("Census", "Apply accepted"), self)
        self.apply_btn.setObjectName("censusReconcileApply")
        self.apply_btn.clicked.connect(self.apply)
        rep = QPushButton(tr("Census", "Write report…"), self)
        rep.clicked.connect(self._report)
        for b in (acc, rej, self.apply_btn, rep):
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.actor_label = QLabel(describe_actor(self.ws), self)
        self.actor_label.setObjectName("censusReconcileActor")
        lay.addWidget(self.actor_label)
        progress = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.cancel_btn = QPushButton(tr("Census", "Cancel"), self)
        self.cancel_btn.setObjectName("censusReconcileCancel")
        self.cancel_btn.clicked.connect(self.cancel_apply)
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.cancel_btn)
        self.progress.hide()
        self.cancel_btn.hide()
        lay.addLayout(progress)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

    # ---------------------------------------------------------------- input
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Census", "Survey batch"),
            "",
            tr("Census", "Survey data (*.gpkg *.shp *.geojson *.json *.csv *.xlsx)"),
        )
        if path:
            self.path.setText(path)
            self.read_columns()

    def read_columns(self) -> None:
        path = self.path.text().strip()
        try:
            if self.layer_box.count() == 0 or self.layer_box.property("path") != path:
                self.layer_box.clear()
                self.layer_box.addItems(list_layers(path))
                self.layer_box.setProperty("path", path)
            self.table_src = read_source(path, self.layer_box.currentText() or None)
        except census.CensusError as exc:
            self.status.setText(str(exc))
            return
        mapping = self.store.mapping_for(self.table_src)
        crs = self.store.get_crs(self.table_src.columns)
        if crs:
            self.crs_box.setCurrentText(crs)
        for r, t in enumerate(TARGET_FIELDS):
            box: QComboBox = self.mapping.cellWidget(r, 1)
            box.clear()
            box.addItem("", "")
            for c in self.table_src.columns:
                box.addItem(c, c)
            box.setCurrentText(mapping.get(t, ""))
        self.status.setText(
            tr("Census", "{0} rows, {1} columns.").format(
                len(self.table_src), len(self.table_src.columns)
            )
        )

    def current_mapping(self) -> dict[str, str]:
        out = {}
        for r, t in enumerate(TARGET_FIELDS):
            v = self.mapping.cellWidget(r, 1).currentText()
            if v:
                out[t] = v
        return out

    def current_crs(self) -> str | None:
        data = self.crs_box.currentData()
        text = self.crs_box.currentText().strip()
        if data is not None and self.crs_box.findText(text) >= 0:
            return data or None
        return text or None

    def run(self) -> Reconciliation | None:
        if self.table_src is None:
            self.read_columns()
        if self.table_src is None:
            return None
        mapping, crs = self.current_mapping(), self.current_crs()
        try:
            with self.ws.engine.connect() as c:
                batch = prepare_batch(c, self.ws, self.table_src, mapping, crs)
                self.recon = reconcile(c, self.ws, batch)
                self.class_names = {k: v.name for k, v in census.class_table(c, self.ws).items()}
        except census.CensusError as exc:
            self.status.setText(str(exc))
            return None
        self.store.remember(self.table_src.columns, mapping, crs)
        self._fill()
        self._map_layer()
        return self.recon

    # ---------------------------------------------------------------- table
    def _fill(self) -> None:
        assert self.recon is not None
        self.items.blockSignals(True)
        self.items.setRowCount(len(self.recon.items))
        for r, it in enumerate(self.recon.items):
            check = QTableWidgetItem()
            if it.kind in ACTIONABLE and not it.problems:
                check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                check.setCheckState(Qt.Checked if it.accepted else Qt.Unchecked)
            else:
                check.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            check.setData(Qt.UserRole, it.seq)
            self.items.setItem(r, 0, check)
            kind = QTableWidgetItem(kind_label(it.kind))
            kind.setBackground(QColor(KIND_COLORS[it.kind]).lighter(160))
            self.items.setItem(r, 1, kind)
            changes = describe_changes(it.changes)
            note = it.duplicate_of or " ".join(p.message for p in it.problems)
            for col, val in enumerate(
                [
                    str(it.row_no or ""),
                    it.identifier or "",
                    class_label(it.class_code, self.class_names.get(it.class_code)),
                    "" if it.distance is None else f"{it.distance:.2f}",
                    changes,
                    note,
                ],
                start=2,
            ):
                cell = QTableWidgetItem(val)
                cell.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                self.items.setItem(r, col, cell)
        self.items.blockSignals(False)
        self.items.resizeColumnsToContents()
        self._summary()

    def _summary(self) -> None:
        assert self.recon is not None
        counts = self.recon.counts()
        text = "  ".join(f"{kind_label(k)} {counts[k]}" for k in KINDS)
        text += "  |  " + tr("Census", "invalid rows {0}, accepted {1}").format(
            len(self.recon.batch.failures), len(self.recon.accepted())
        )
        self.summary.setText(text)

    def _filter(self) -> None:
        if self.recon is None:
            return
        want = self.kind_filter.currentData()
        for r, it in enumerate(self.recon.items):
            self.items.setRowHidden(r, bool(want) and it.kind != want)
        if self.layer is not None:
            self.layer.setSubsetString(f"\"kind\" = '{want}'" if want else "")

    def _check_changed(self, cell: QTableWidgetItem) -> None:
        if cell.column() != 0 or self.recon is None:
            return
        self.recon.set_decision([cell.data(Qt.UserRole)], cell.checkState() == Qt.Checked)
        self._summary()

    def decide_selected(self, accept: bool) -> int:
        if self.recon is None:
            return 0
        rows = sorted({i.row() for i in self.items.selectedItems()})
        seqs = [self.items.item(r, 0).data(Qt.UserRole) for r in rows]
        n = self.recon.set_decision(seqs, accept)
        self._fill()
        return n

    # ---------------------------------------------------------------- map
    def _map_layer(self) -> None:
        assert self.recon is not None
        if self.layer is not None and QgsProject.instance().mapLayer(self.layer.id()):
            QgsProject.instance().removeMapLayer(self.layer.id())
        layer = QgsVectorLayer(
            f"Point?crs=EPSG:{self.ws.srid}", tr("Census", "Reconciliation"), "memory"
        )
        pr = layer.dataProvider()
        pr.addAttributes(
            [
                QgsField("seq", QVariant.Int),
                QgsField("kind", QVariant.String),
                QgsField("identifier", QVariant.String),
                QgsField("row_no", QVariant.Int),
            ]
        )
        layer.updateFields()
        label_fields(layer, "reconciliation")
        results = [{kind_label(k): k} for k in KINDS]  # the attribute table shows the labels
        layer.setEditorWidgetSetup(
            layer.fields().indexOf("kind"), QgsEditorWidgetSetup("ValueMap", {"map": results})
        )
        feats = []
        for it in self.recon.items:
            if it.geom is None:
                continue
            f = QgsFeature(layer.fields())
            f.setAttributes([it.seq, it.kind, it.identifier or "", it.row_no or 0])
            f.setGeometry(QgsGeometry.fromWkt(census.anchor(it.geom).wkt))
            feats.append(f)
        pr.addFeatures(feats)
        cats = []
        for k in KINDS:
            sym = QgsSymbol.defaultSymbol(QgsWkbTypes.PointGeometry)
            sym.setColor(QColor(KIND_COLORS[k]))
            sym.setSize(3.2)
            cats.append(QgsRendererCategory(k, sym, kind_label(k)))
        layer.setRenderer(QgsCategorizedSymbolRenderer("kind", cats))
        QgsProject.instance().addMapLayer(layer)
        self.layer = layer

    # ---------------------------------------------------------------- apply
    def apply(self) -> ApplyTask | None:
        """Apply the accepted items in a background task (progress bar, cancel); the
        dialog stays usable for reading and the outcome shows when it ends."""
        if self.recon is None or self.task is not None:
            return None
        task = ApplyTask(self.ws, self.recon)
        task.progressChanged.connect(lambda v: self.progress.setValue(int(v)))
        task.done.connect(self._applied)
        self.task = task
        self._busy(True)
        self.status.setText(tr("Census", "Applying {0} items…").format(len(self.recon.accepted())))
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel_apply(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _busy(self, busy: bool) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_btn.setVisible(busy)
        self.items.setEnabled(not busy)  # decisions are frozen while they are written
        self.apply_btn.setEnabled(not busy)

    def _applied(self, result: ApplyResult | None, error: str) -> None:
        self.task = None
        self._busy(False)
        if result is None:
            self.status.setText(error)
            self.applied.emit(None)
            return
        r = result.as_dict()
        self.status.setText(
            tr("Census", "Applied: {0} created, {1} updated, {2} moved, {3} retired.").format(
                r["created"], r["updated"], r["moved"], r["retired"]
            )
        )
        self.result = result
        self.apply_btn.setEnabled(False)  # applied once; reconcile again for more
        self.applied.emit(result)

    def closeEvent(self, event: Any) -> None:
        if self.task is not None:  # stop and roll back before the dialog goes
            task = self.task
            task.cancel()
            task.waitForFinished(30000)
        super().closeEvent(event)

    def _report(self) -> None:
        if self.recon is None:
            return
        folder = QFileDialog.getExistingDirectory(self, tr("Census", "Report folder"))
        if folder:
            zone = ZoneInfo(self.ws.setting("timezone", "Asia/Shanghai"))
            result = getattr(self, "result", None)
            paths = write_report(self.recon, Path(folder), result=result, zone=zone)
            self.status.setText(tr("Census", "Report written: {0}").format(paths["html"]))
