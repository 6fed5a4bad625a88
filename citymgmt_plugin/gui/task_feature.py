"""Feature wiring: the task dock and its action."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.paths import icon_path


class TaskFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.dock: Any = None
        self.action: QAction | None = None

    def init_gui(self) -> None:
        from .task_dock import TaskDock

        self.dock = TaskDock(self.ctx, self.ctx.iface.mainWindow())
        self.ctx.add_dock(
            self.dock,
            Qt.RightDockWidgetArea,
            toggle_action_text=tr("TaskDock", "Verification and check tasks"),
            icon=QIcon(str(icon_path("tasks.svg"))),
        )
        self.action = self.ctx.dock_actions[self.dock.objectName()]
        self.dock.visibilityChanged.connect(self._shown)
        self.ctx.workspace_changed.connect(self._workspace_changed)

    def _shown(self, visible: bool) -> None:
        if visible and self.dock is not None and self.dock.model.rowCount() == 0:
            self.dock.refresh()

    def _workspace_changed(self, ws: Any) -> None:
        if self.dock is None:
            return
        self.dock.stop_push()  # it was pushing from the workspace that was closed
        if self.dock.isVisible():
            self.dock.refresh()

    def unload(self) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            self.ctx.workspace_changed.disconnect(self._workspace_changed)
        if self.dock is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self.dock.visibilityChanged.disconnect(self._shown)
            self.dock.timer.stop()
            self.dock.stop_push()
        self.dock = None  # removed and deleted by ctx.unload
        self.action = None
