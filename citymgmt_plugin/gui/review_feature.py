"""Feature wiring: the submission review dock and its action."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from .shortcuts import icon, register_shortcuts


class ReviewFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.dock: Any = None
        self.action: QAction | None = None

    def init_gui(self) -> None:
        from .review_dock import ReviewDock

        main = self.ctx.iface.mainWindow()
        self.dock = ReviewDock(self.ctx, main)
        self.ctx.add_dock(
            self.dock,
            Qt.RightDockWidgetArea,
            toggle_action_text=tr("ReviewDock", "Submission review"),
            icon=icon("review"),
        )
        register_shortcuts(self.ctx, self.dock.shortcut_actions)
        self.action = self.ctx.dock_actions[self.dock.objectName()]
        self.dock.visibilityChanged.connect(self._shown)
        self.ctx.workspace_changed.connect(self._workspace_changed)

    def _shown(self, visible: bool) -> None:
        if visible and self.dock is not None and self.dock.model.rowCount() == 0:
            self.dock.refresh()

    def _workspace_changed(self, ws: Any) -> None:
        if self.dock is None:
            return
        self.dock.cancel_pull()  # it was pulling into the workspace that was closed
        if self.dock.sources_dialog is not None:
            self.dock.sources_dialog.close()
        if self.dock.isVisible():
            self.dock.refresh()

    def unload(self) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            self.ctx.workspace_changed.disconnect(self._workspace_changed)
        if self.dock is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self.dock.visibilityChanged.disconnect(self._shown)
            self.dock._clear_markers()
            self.dock.map.release_tool()
            if self.dock.photo_viewer is not None:
                self.dock.photo_viewer.close()
            self.dock.stop_pull()
            if self.dock.sources_dialog is not None:
                self.dock.sources_dialog.close()
                self.dock.sources_dialog.deleteLater()
        self.dock = None  # removed and deleted by ctx.unload
        self.action = None
