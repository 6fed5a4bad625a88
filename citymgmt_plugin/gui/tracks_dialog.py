"""The "Import GPS tracks" dialog: files, who and which system, then a background import."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ..core.i18n import tr
from ..core.patrol.tracks.describe import report_lines
from ..core.patrol.tracks.formats import ReadOptions
from ..core.patrol.tracks.store import ImportCancelled, ImportReport, import_tracks
from ..core.workspace.store import Workspace

_CTX = "Tracks"
SUFFIXES = (".gpx", ".csv", ".geojson", ".json")


class ImportTask(QgsTask):
    """The import in QGIS's task thread: progress per week, cancel rolls everything back."""

    done = pyqtSignal(object, str)  # ImportReport or None, error text

    def __init__(self, ws: Workspace, paths: list[str], opts: ReadOptions) -> None:
        super().__init__(tr(_CTX, "Import GPS tracks"), QgsTask.CanCancel)
        self.ws, self.paths, self.opts = ws, paths, opts
        self.report: ImportReport | None = None
        self.error = ""

    def run(self) -> bool:
        try:
            self.report = import_tracks(self.ws, self.paths, self.opts, self._progress)
        except ImportCancelled:
            self.error = tr(_CTX, "Cancelled: nothing was imported.")
            return False
        except Exception as exc:  # a database failure: the transaction is rolled back
            self.error = tr(_CTX, "The import failed, nothing was imported: {0}").format(exc)
            return False
        return True

    def _progress(self, share: float) -> bool:
        self.setProgress(100.0 * share)
        return self.isCanceled()

    def finished(self, ok: bool) -> None:
        self.done.emit(self.report if ok else None, "" if ok else self.error)


class TracksDialog(QDialog):
    def __init__(self, ws: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task: ImportTask | None = None
        self.setObjectName("tracksImportDialog")
        self.setWindowTitle(tr(_CTX, "Import GPS tracks"))
        self._build()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.files = QListWidget(objectName="trackFiles")
        lay.addWidget(self.files)
        row = QHBoxLayout()
        for label, slot, name in (
            (tr(_CTX, "Add files…"), self.add_files, "addTrackFiles"),
            (tr(_CTX, "Add folder…"), self.add_folder, "addTrackFolder"),
            (tr(_CTX, "Clear"), self.files.clear, "clearTrackFiles"),
        ):
            b = QPushButton(label, objectName=name)
            b.clicked.connect(slot)
            row.addWidget(b)
        lay.addLayout(row)
        form = QFormLayout()
        self.collector = QLineEdit(objectName="trackCollector")
        self.collector.setPlaceholderText(tr(_CTX, "for files that name none (GPX, audit.csv)"))
        self.device = QLineEdit(objectName="trackDevice")
        self.crs = QComboBox(objectName="trackCrs")
        for code, label in (
            ("WGS84", tr(_CTX, "WGS84 (GPS)")),
            ("GCJ02", tr(_CTX, "GCJ-02")),
            ("BD09", tr(_CTX, "BD-09")),
            ("CGCS2000", tr(_CTX, "CGCS2000")),
        ):
            self.crs.addItem(label, code)
        form.addRow(tr(_CTX, "Collector"), self.collector)
        form.addRow(tr(_CTX, "Device"), self.device)
        form.addRow(tr(_CTX, "Longitude/latitude in"), self.crs)
        lay.addLayout(form)
        self.progress = QProgressBar(objectName="trackProgress")
        self.progress.setRange(0, 100)
        lay.addWidget(self.progress)
        self.result = QPlainTextEdit(objectName="trackResult")
        self.result.setReadOnly(True)
        lay.addWidget(self.result)
        row = QHBoxLayout()
        self.import_button = QPushButton(tr(_CTX, "Import"), objectName="importTracksButton")
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(tr(_CTX, "Cancel import"), objectName="cancelTracks")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        row.addWidget(self.import_button)
        row.addWidget(self.cancel_button)
        lay.addLayout(row)
        self.resize(560, 480)

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            tr(_CTX, "Track files"),
            "",
            tr(_CTX, "Tracks (*.gpx *.csv *.geojson *.json);;All files (*)"),
        )
        self.add_paths(paths)

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr(_CTX, "Folder of track files"))
        if folder:
            self.add_paths(
                sorted(str(p) for p in Path(folder).rglob("*") if p.suffix.lower() in SUFFIXES)
            )

    def add_paths(self, paths: list[str]) -> None:
        have = {self.files.item(k).text() for k in range(self.files.count())}
        for p in paths:
            if p not in have:
                self.files.addItem(p)

    def paths(self) -> list[str]:
        return [self.files.item(k).text() for k in range(self.files.count())]

    def start(self) -> None:
        paths = self.paths()
        if not paths:
            self.result.setPlainText(tr(_CTX, "Add track files first."))
            return
        zone = ZoneInfo(self.ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai")
        opts = ReadOptions(
            collector=self.collector.text().strip() or None,
            device=self.device.text().strip() or None,
            crs=self.crs.currentData(),
            zone=zone,
        )
        self.task = ImportTask(self.ws, paths, opts)
        self.task.progressChanged.connect(lambda v: self.progress.setValue(int(v)))
        self.task.done.connect(self._finished)
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.result.setPlainText(tr(_CTX, "Importing…"))
        QgsApplication.taskManager().addTask(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _finished(self, report: ImportReport | None, error: str) -> None:
        self.task = None
        self.import_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if report is None:
            self.result.setPlainText(error)
            return
        self.progress.setValue(100)
        self.result.setPlainText("\n".join(report_lines(report)))
