"""Loading the workspace layers in the background, as a QgsTask.

``run()`` (a worker thread) does the slow part: it reads the thematic registry, opens every
layer's provider (a PostGIS connection or an OGR dataset each), reads their extents and the
district extent from the database; the layers are then handed to the main thread.
``finished()`` (the main thread) styles them, adds them to the project and sets the project
CRS to the workspace CRS. Cancelled, or failed, the project is left as it was.
"""

from __future__ import annotations

import traceback

from qgis.core import Qgis, QgsMessageLog, QgsProject, QgsRectangle, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from ..i18n import tr
from ..workspace.store import Workspace, WorkspaceError
from .layers import (
    PlannedLayer,
    add_workspace_layers,
    district_extent,
    open_layer,
    plan_layers,
    workspace_crs,
)

LOG_TAG = "citymgmt"


class LoadLayersTask(QgsTask):
    """Open the layers of ``ws`` in the background and add them to ``project`` when done."""

    done = pyqtSignal(bool, str)  # ok, translated message (summary or why not)

    def __init__(
        self, ws: Workspace, project: QgsProject, root_group_name: str | None = None
    ) -> None:
        super().__init__(tr("Layers", "Load the workspace layers"), QgsTask.CanCancel)
        self.ws = ws
        self.project = project
        self.root_group_name = root_group_name
        self.plans: list[PlannedLayer] = []  # kept here: layers are deleted in the main thread
        self.extent = QgsRectangle()  # where the map opens, in the workspace CRS
        self.layers: dict[str, QgsVectorLayer] = {}
        self.error = ""

    def run(self) -> bool:
        try:
            return self._open_all()
        except Exception as exc:  # reported in finished(), in the main thread
            self.error = _message(exc)
            return False

    def _open_all(self) -> bool:
        self.plans = plan_layers(self.ws)
        main = QCoreApplication.instance().thread()
        total = len(self.plans) + 1
        for n, plan in enumerate(self.plans):
            if self.isCanceled():
                return False
            layer = open_layer(self.ws, plan)
            if layer.isValid():
                layer.updateExtents()
                layer.extent()  # cached: the canvas will not read it on the main thread
            layer.moveToThread(main)  # from here on the layer belongs to the main thread
            self.setProgress(100.0 * (n + 1) / total)
        if self.isCanceled():
            return False
        self.extent = district_extent(self.ws)
        self.setProgress(100.0)
        return True

    def finished(self, result: bool) -> None:
        ok = result and not self.isCanceled()
        if ok:
            try:
                self.layers = add_workspace_layers(
                    self.ws, self.project, self.plans, self.root_group_name
                )
                self.project.setCrs(workspace_crs(self.ws))
            except Exception as exc:
                self.error = _message(exc)
                ok = False
        if not ok and not self.error:
            self.error = tr("Layers", "Loading the layers was cancelled; the project is unchanged.")
        self.plans = []  # layers not added to the project go now
        message = tr("Layers", "{0} layers loaded.").format(len(self.layers)) if ok else self.error
        self.done.emit(ok, message)


def _message(exc: BaseException) -> str:
    """A translated one-line message; the traceback goes to the QGIS log."""
    QgsMessageLog.logMessage(
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        LOG_TAG,
        Qgis.Critical,
    )
    if isinstance(exc, WorkspaceError):
        return str(exc)
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return tr("Layers", "Loading the layers failed and the project is unchanged: {0}").format(first)
