"""Census feature: the census dock and the batch reconciliation dialog."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from .shortcuts import icon, register_shortcuts


class CensusFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.dock: Any = None
        self.dialog: Any = None
        self.action: QAction | None = None
        self.import_action: QAction | None = None
        self._stale = True

    def init_gui(self) -> None:
        from .census_dock import CensusDock

        iface = self.ctx.iface
        self.dock = CensusDock(
            iface.mapCanvas(), lambda: self.ctx.workspace, parent=iface.mainWindow()
        )
        self.ctx.add_dock(
            self.dock,
            Qt.RightDockWidgetArea,
            toggle_action_text=tr("Census", "Component census"),
            icon=icon("census"),
        )
        register_shortcuts(self.ctx, self.dock.shortcut_actions)
        self.action = self.ctx.dock_actions[self.dock.objectName()]
        self.dock.visibilityChanged.connect(self._shown)
        self.import_action = QAction(
            icon("census_import"),
            tr("Census", "Census import and reconciliation…"),
            iface.mainWindow(),
        )
        self.import_action.setObjectName("citymgmtCensusImportAction")
        self.import_action.triggered.connect(self.show_reconcile)
        self.ctx.add_action(self.import_action, toolbar=False)
        self.ctx.workspace_changed.connect(self._workspace_changed)

    def _shown(self, visible: bool) -> None:
        """Load the class tree when the dock first shows, and after a workspace change."""
        if visible and self.dock is not None and (self._stale or not self.dock.classes):
            self._stale = False
            self.dock.refresh()

    def _workspace_changed(self, _ws: Any) -> None:
        self._stale = True
        if self.dock is not None and self.dock.isVisible():
            self._shown(True)

    def show_reconcile(self) -> Any:
        from .census_reconcile import ReconcileDialog

        ws = self.ctx.workspace
        if ws is None:
            self.ctx.iface.messageBar().pushWarning(
                tr("Census", "Census"), tr("Census", "Open a workspace first.")
            )
            return None
        self.dialog = ReconcileDialog(ws, self.ctx.iface.mainWindow())
        self.dialog.show()
        return self.dialog

    def unload(self) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            self.ctx.workspace_changed.disconnect(self._workspace_changed)
        if self.dock is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self.dock.visibilityChanged.disconnect(self._shown)
            self.dock.release_canvas()
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.dock = None  # removed and deleted by ctx.unload
        self.action = None
        self.import_action = None
