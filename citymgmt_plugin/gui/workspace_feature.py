"""The "Workspace…" action, and reconnecting the workspace a project was saved with."""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis, QgsMessageLog, QgsProject
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.paths import icon_path
from ..core.workspace.connection import open_workspace, spec_to_string
from ..core.workspace.store import WorkspaceSpec
from .workspace_dialog import LOG_TAG, WorkspaceDialog, project_workspace, unexpected_error


class WorkspaceFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.action: QAction | None = None
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
        QgsProject.instance().readProject.connect(self._project_read)
        self._project_connected = True
        if project_workspace():  # the plugin was enabled with a project already open
            self.reconnect_project_workspace()

    def unload(self) -> None:
        if self._project_connected:
            QgsProject.instance().readProject.disconnect(self._project_read)
            self._project_connected = False
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.action = None  # removed and deleted by ctx.unload

    def show_dialog(self) -> WorkspaceDialog:
        if self.dialog is None:
            self.dialog = WorkspaceDialog(self.ctx, self.ctx.iface.mainWindow())
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

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
            self.ctx.iface.messageBar().pushMessage(
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
