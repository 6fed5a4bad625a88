"""The "Workspace…" action, and reconnecting the workspace a project was saved with."""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis, QgsMessageLog, QgsProject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.paths import icon_path
from ..core.qgis.connection import open_workspace
from ..core.qgis.layers import district_extent, workspace_crs
from ..core.qgis.session import project_workspace
from ..core.workspace.connection import spec_to_string
from ..core.workspace.store import WorkspaceSpec
from .map_view import zoom_canvas
from .widgets import push_message
from .workspace_dialog import LOG_TAG, WorkspaceDialog, unexpected_error


class WorkspaceFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.action: QAction | None = None
        self.zoom_action: QAction | None = None
        self.dialog: WorkspaceDialog | None = None
        self._project_connected = False

    def init_gui(self) -> None:
        self.action = QAction(
            QIcon(str(icon_path("workspace.svg"))),
            tr("Workspace", "Workspace…"),
            self.ctx.iface.mainWindow(),
        )
        self.action.setObjectName("citymgmtWorkspaceAction")
        self.action.setToolTip(
            tr("Workspace", "Connect a GeoPackage or PostGIS workspace and load its layers")
        )
        self.action.triggered.connect(self.show_dialog)
        self.ctx.add_action(self.action)
        self.zoom_action = QAction(
            QIcon(str(icon_path("zoom_workspace.svg"))),
            tr("Workspace", "Zoom to workspace"),
            self.ctx.iface.mainWindow(),
        )
        self.zoom_action.setObjectName("citymgmtZoomWorkspaceAction")
        self.zoom_action.setToolTip(
            tr("Workspace", "Show the whole district of the workspace on the map")
        )
        self.zoom_action.triggered.connect(self.zoom_to_workspace)
        self.ctx.add_action(self.zoom_action)
        QgsProject.instance().readProject.connect(self._project_read)
        self._project_connected = True
        if project_workspace():  # the plugin was enabled with a project already open
            self.reconnect_project_workspace()

    def unload(self) -> None:
        if self._project_connected:
            QgsProject.instance().readProject.disconnect(self._project_read)
            self._project_connected = False
        if self.dialog is not None:
            self.dialog.cancel_loading()  # a layer load still running adds nothing
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.action = None  # removed and deleted by ctx.unload
        self.zoom_action = None

    def show_dialog(self) -> WorkspaceDialog:
        if self.dialog is None:
            self.dialog = WorkspaceDialog(self.ctx, self.ctx.iface.mainWindow())
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def zoom_to_workspace(self) -> bool:
        """Zoom the map to the district (else the unit grids) of the open workspace."""
        ws = self.ctx.workspace
        bar = self.ctx.iface.messageBar()
        title = tr("Workspace", "Workspace")
        if ws is None:
            bar.pushMessage(title, tr("Workspace", "Open a workspace first."), Qgis.Warning, 5)
            return False
        try:
            extent = district_extent(ws)
        except Exception as exc:
            bar.pushMessage(title, unexpected_error(exc), Qgis.Critical, 10)
            return False
        if not zoom_canvas(self.ctx.iface.mapCanvas(), extent, workspace_crs(ws)):
            bar.pushMessage(
                title,
                tr("Workspace", "The workspace has no district or unit grids to zoom to yet."),
                Qgis.Info,
                5,
            )
            return False
        return True

    def _project_read(self, *_args: Any) -> None:
        self.reconnect_project_workspace()

    def reconnect_project_workspace(self) -> bool:
        """Open the workspace saved in the project, without asking; warn when it fails."""
        value = project_workspace()
        if not value:
            return False
        current = self.ctx.workspace
        try:
            spec = WorkspaceSpec.parse(value)
            if current is not None and spec_to_string(current.spec) == spec_to_string(spec):
                return True
            ws = open_workspace(spec)
        except Exception as exc:
            message = unexpected_error(exc)
            push_message(
                self.ctx.iface.messageBar(),
                tr("Workspace", "Workspace"),
                tr("Workspace", "The project's workspace could not be opened: {0}").format(message),
                Qgis.Warning,
                10,
            )
            return False
        self.ctx.set_workspace(ws)
        QgsMessageLog.logMessage(
            tr("Workspace", "Connected to the project's workspace {0}.").format(ws.spec.display()),
            LOG_TAG,
            Qgis.Info,
        )
        return True
