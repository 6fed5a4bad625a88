"""What the plugin shares with its features, and how their GUI steps are undone."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QMainWindow, QMenu, QToolBar

from ..core.qgis.session import set_current_workspace
from ..core.workspace.store import Workspace

DOCK_VISIBLE_SETTING = "citymgmt/docks/{0}/visible"  # per dock objectName, across sessions
# The tab group is made again once after QGIS's start (below); then QGIS's saved window
# state keeps it, with whatever the user changed. Raise the version to make it again.
DOCKS_ARRANGED_SETTING = "citymgmt/docks/arranged"
DOCK_LAYOUT_VERSION = 1


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
        self.dock_actions: dict[str, QAction] = {}  # dock objectName -> its show/raise action
        self._docks: list[tuple[int, QDockWidget]] = []
        # QGIS restores its window state after starting the plugins: with no saved place for
        # our docks (first start) it re-adds them one below the other; tab them again then.
        signal = getattr(iface, "initializationCompleted", None)
        if hasattr(signal, "connect"):
            signal.connect(self._qgis_started)
            self._undo.append(lambda: _disconnect(signal, self._qgis_started))

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    def set_workspace(self, workspace: Workspace | None) -> None:
        if self._workspace is not None and self._workspace is not workspace:
            self._workspace.close()
        self._workspace = workspace
        set_current_workspace(workspace)  # Processing inputs default to its layers
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
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea = Qt.RightDockWidgetArea,
        *,
        toggle_action_text: str | None = None,
        icon: QIcon | None = None,
    ) -> QDockWidget:
        """Dock ``dock`` in ``area``, tabbed with the plugin's other docks there.

        The dock starts hidden unless it was open when QGIS last closed (QgsSettings). With
        ``toggle_action_text`` a checkable menu and toolbar action (``dock_actions``, named
        like the dock with ``Action`` for ``Dock``) is checked while the dock is visible to
        the user; triggered, it shows and raises the dock (its tab), or hides it.
        """
        main = self.iface.mainWindow()
        key = DOCK_VISIBLE_SETTING.format(dock.objectName())
        self.iface.addDockWidget(area, dock)  # QGIS shows a dock it is given
        self._docks.append((int(area), dock))
        self.arrange_docks(only=dock)
        dock.setVisible(QgsSettings().value(key, False, type=bool))

        def remember(*_args: Any) -> None:
            QgsSettings().setValue(key, not dock.isHidden())

        action: QAction | None = None
        if toggle_action_text:
            action = QAction(icon or QIcon(), toggle_action_text, main)
            name = dock.objectName()
            action.setObjectName(name[:-4] + "Action" if name.endswith("Dock") else name + "Action")
            action.setCheckable(True)
            action.setChecked(not dock.isHidden())

            def triggered(checked: bool) -> None:
                if checked:
                    dock.show()
                    dock.raise_()  # brings its tab to the front
                else:
                    dock.hide()
                remember()

            action.triggered.connect(triggered)
            dock.visibilityChanged.connect(action.setChecked)  # behind another tab: unchecked
            self.dock_actions[dock.objectName()] = action
        dock.visibilityChanged.connect(remember)

        def undo() -> None:
            with contextlib.suppress(TypeError, RuntimeError):
                dock.visibilityChanged.disconnect(remember)
            if action is not None:
                with contextlib.suppress(TypeError, RuntimeError):
                    dock.visibilityChanged.disconnect(action.setChecked)
                self.menu.removeAction(action)
                self.toolbar.removeAction(action)
                action.deleteLater()
                self.dock_actions.pop(dock.objectName(), None)
            with contextlib.suppress(ValueError):
                self._docks.remove((int(area), dock))
            self.iface.removeDockWidget(dock)
            dock.deleteLater()

        self._undo.append(undo)
        if action is not None:
            self.menu.addAction(action)
            self.toolbar.addAction(action)
        return dock

    def arrange_docks(self, only: QDockWidget | None = None) -> None:
        """Tab the plugin's docks of each dock area (or just ``only``) onto the first one."""
        main = self.iface.mainWindow()
        if not isinstance(main, QMainWindow):
            return
        firsts: dict[int, QDockWidget] = {}
        for where, dock in self._docks:
            first = firsts.setdefault(where, dock)
            if (
                (only is None or dock is only)
                and first is not dock
                and _docked(main, first)
                and _docked(main, dock)
                and not dock.isFloating()
                and main.dockWidgetArea(dock) == main.dockWidgetArea(first)
            ):
                main.tabifyDockWidget(first, dock)

    def _qgis_started(self) -> None:
        settings = QgsSettings()
        if settings.value(DOCKS_ARRANGED_SETTING, 0, type=int) < DOCK_LAYOUT_VERSION:
            self.arrange_docks()
            settings.setValue(DOCKS_ARRANGED_SETTING, DOCK_LAYOUT_VERSION)

    def on_unload(self, callback: Callable[[], None]) -> None:
        self._undo.append(callback)

    def unload(self) -> None:
        while self._undo:
            self._undo.pop()()
        set_current_workspace(None)
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


def _docked(main: QMainWindow, dock: QDockWidget) -> bool:
    """Whether ``dock`` is in ``main``'s dock layout (QGIS's iface puts it there; test stubs
    may not), so tabbing onto it is possible."""
    return dock.parent() is main and main.dockWidgetArea(dock) != Qt.NoDockWidgetArea


def _disconnect(signal: Any, slot: Callable[..., Any]) -> None:
    with contextlib.suppress(TypeError, RuntimeError):
        signal.disconnect(slot)
