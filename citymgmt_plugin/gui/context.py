"""What the plugin shares with its features, and how their GUI steps are undone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QMenu, QToolBar

from ..core.store import Workspace


class PluginContext(QObject):
    """Handed to every feature: iface, the plugin's menu and toolbar, the open workspace.

    Everything added through ``add_action``/``add_dock``/``on_unload`` is removed again by
    :meth:`unload`, so ``initGui`` leaves nothing behind after ``unload``.
    """

    workspace_changed = pyqtSignal(object)  # Workspace | None

    def __init__(self, iface: Any, menu: QMenu, toolbar: QToolBar) -> None:
        super().__init__()
        self.iface = iface
        self.menu = menu
        self.toolbar = toolbar
        self._workspace: Workspace | None = None
        self._undo: list[Callable[[], None]] = []

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    def set_workspace(self, workspace: Workspace | None) -> None:
        if self._workspace is not None and self._workspace is not workspace:
            self._workspace.close()
        self._workspace = workspace
        self.workspace_changed.emit(workspace)

    def add_action(self, action: QAction, menu: bool = True, toolbar: bool = True) -> QAction:
        if menu:
            self.menu.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)

        def undo() -> None:
            self.menu.removeAction(action)
            self.toolbar.removeAction(action)
            action.deleteLater()

        self._undo.append(undo)
        return action

    def add_dock(
        self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.RightDockWidgetArea
    ) -> QDockWidget:
        self.iface.addDockWidget(area, dock)

        def undo() -> None:
            self.iface.removeDockWidget(dock)
            dock.deleteLater()

        self._undo.append(undo)
        return dock

    def on_unload(self, callback: Callable[[], None]) -> None:
        self._undo.append(callback)

    def unload(self) -> None:
        while self._undo:
            self._undo.pop()()
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None
