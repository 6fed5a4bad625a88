"""The plugin's wiring from the source tree: classFactory, initGui, unload leaves nothing.

pytest-qgis's ``QgisInterface`` stub: ``mainWindow()`` is a real QMainWindow with a fresh
QMenuBar, ``addToolBar(name)`` makes a QToolBar parented to it (not added to its layout),
``addDockWidget``/``removeDockWidget`` do nothing (a dock stays a parentless widget), and any
other method is a MagicMock (``firstRightStandardMenu`` included). So leftovers are looked for
among all the application's widgets and actions, not only the main window's children.
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

import pytest
from qgis.core import QgsApplication
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QMenu, QToolBar

import citymgmt_plugin
from citymgmt_plugin import plugin as plugin_module
from citymgmt_plugin.gui.context import PluginContext

PROVIDER = "citymgmt"


def _flush() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def _addr(obj: Any) -> int:
    return sip.unwrapinstance(obj)


def _describe(obj: Any) -> str:
    text = obj.text() if isinstance(obj, QAction) else obj.windowTitle()
    return f"{type(obj).__name__} {obj.objectName()!r} {text!r}"


def _qt_internal(obj: Any) -> bool:
    """Qt's own helpers (qt_menubar_ext_button: the menu bar's overflow button and its menu,
    made when the stub's shared menu bar fills up) are not ours."""
    if isinstance(obj, QMenu):
        obj = obj.menuAction()
    if isinstance(obj, QAction) and any(_qt_internal(w) for w in obj.associatedWidgets()):
        return True
    while obj is not None:
        if obj.objectName().startswith("qt_"):
            return True
        obj = obj.parent()
    return False


def _snapshot(iface: Any) -> dict[str, set]:
    window = iface.mainWindow()
    widgets = [w for w in QApplication.allWidgets() if not _qt_internal(w)]
    actions = {
        _describe(a) + f" @{_addr(a)}" for a in window.findChildren(QAction) if not _qt_internal(a)
    }
    for widget in widgets:
        actions.update(_describe(a) + f" @{_addr(a)}" for a in widget.actions())
    return {
        "widgets": {_describe(w) + f" @{_addr(w)}" for w in widgets},
        "docks": {_describe(w) + f" @{_addr(w)}" for w in widgets if isinstance(w, QDockWidget)},
        "actions": actions,
        "menubar": {a.text() for a in window.menuBar().actions()},
        "named": {
            w.objectName()
            for w in QApplication.allWidgets()  # unfiltered: ours even if in the overflow menu
            if w.objectName() in (plugin_module.MENU_OBJECT_NAME, plugin_module.TOOLBAR_OBJECT_NAME)
        },
    }


@pytest.fixture
def registry(qgis_app):
    """The Processing registry without a citymgmt provider left by another test."""
    reg = QgsApplication.processingRegistry()
    existing = reg.providerById(PROVIDER)
    if existing is not None:
        # A Python provider registered without a kept reference loses its Python side: the
        # registry then holds a shell (id '') that nothing can remove.
        assert existing.id() == PROVIDER, "an earlier test left a provider shell behind"
        reg.removeProvider(existing)
    yield reg
    if existing is not None and reg.providerById(PROVIDER) is None:  # as others left it
        from citymgmt_plugin.processing_provider import create_provider

        _KEEP.append(create_provider())  # the registry does not keep the Python object alive
        reg.addProvider(_KEEP[-1])


_KEEP: list[Any] = []


class ProbeFeature:
    """A feature using every PluginContext hook: action, dock, unload callback."""

    instances: list[ProbeFeature] = []

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.unloaded = False
        ProbeFeature.instances.append(self)

    def init_gui(self) -> None:
        window = self.ctx.iface.mainWindow()
        self.action = self.ctx.add_action(QAction("probe", window))
        dock = QDockWidget("probe dock")
        dock.setObjectName("citymgmtProbeDock")
        self.dock = self.ctx.add_dock(dock)
        self.ctx.on_unload(lambda: setattr(self, "unloaded", True))

    def unload(self) -> None:
        pass


class FailingFeature:
    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx

    def init_gui(self) -> None:
        self.ctx.add_action(QAction("half done", self.ctx.iface.mainWindow()))
        raise RuntimeError("feature failed")

    def unload(self) -> None:
        pass


def _start(qgis_iface: Any) -> Any:
    plugin = citymgmt_plugin.classFactory(qgis_iface)
    plugin.initGui()
    return plugin


def _assert_started(plugin: Any, qgis_iface: Any, registry: Any) -> None:
    window = qgis_iface.mainWindow()
    menu = window.menuBar().findChild(QMenu, plugin_module.MENU_OBJECT_NAME)
    assert menu is not None
    assert menu.menuAction() in window.menuBar().actions()
    assert window.findChild(QToolBar, plugin_module.TOOLBAR_OBJECT_NAME) is not None
    provider = registry.providerById(PROVIDER)
    assert provider is not None and provider is plugin.provider


def _assert_nothing_left(before: dict[str, set], qgis_iface: Any, registry: Any) -> None:
    _flush()
    after = _snapshot(qgis_iface)
    assert registry.providerById(PROVIDER) is None
    assert after["named"] == set(), "menu or toolbar left"
    assert after["menubar"] == before["menubar"]
    assert after["docks"] - before["docks"] == set(), "dock widget left"
    assert after["actions"] - before["actions"] == set(), "action left"
    assert after["widgets"] - before["widgets"] == set(), "widget left"


def test_class_factory_is_quick_and_leaves_sys_path_alone(qgis_iface, registry):
    path = list(sys.path)
    started = time.perf_counter()
    plugin = citymgmt_plugin.classFactory(qgis_iface)
    elapsed = time.perf_counter() - started
    assert isinstance(plugin, plugin_module.CityMgmtPlugin)
    assert sys.path == path  # the venv has every dependency: ensure_dependencies is a no-op
    assert elapsed < 2.0
    assert registry.providerById(PROVIDER) is None  # nothing registered before initGui


def test_init_gui_and_unload_with_the_real_features(qgis_iface, registry):
    before = _snapshot(qgis_iface)
    plugin = _start(qgis_iface)
    _assert_started(plugin, qgis_iface, registry)
    assert len(plugin.features) == len(plugin_module.FEATURES)
    plugin.unload()
    del plugin
    _assert_nothing_left(before, qgis_iface, registry)


def test_context_undoes_actions_docks_and_callbacks(qgis_iface, registry, monkeypatch):
    monkeypatch.setattr(plugin_module, "FEATURES", [f"{__name__}:ProbeFeature"])
    ProbeFeature.instances.clear()
    before = _snapshot(qgis_iface)
    plugin = _start(qgis_iface)
    _assert_started(plugin, qgis_iface, registry)
    probe = ProbeFeature.instances[-1]
    assert probe.action in plugin.ctx.menu.actions()
    assert probe.action in plugin.ctx.toolbar.actions()
    plugin.unload()
    assert probe.unloaded
    del plugin, probe
    ProbeFeature.instances.clear()
    _assert_nothing_left(before, qgis_iface, registry)


def test_failing_init_gui_is_undone(qgis_iface, registry, monkeypatch):
    monkeypatch.setattr(plugin_module, "FEATURES", [f"{__name__}:FailingFeature"])
    before = _snapshot(qgis_iface)
    plugin = citymgmt_plugin.classFactory(qgis_iface)
    with pytest.raises(RuntimeError, match="feature failed"):
        plugin.initGui()
    del plugin
    _assert_nothing_left(before, qgis_iface, registry)


def test_init_processing_alone_without_gui(qgis_app, registry):
    plugin = citymgmt_plugin.classFactory(None)  # what qgis_process does
    plugin.initProcessing()
    provider = registry.providerById(PROVIDER)
    assert provider is not None
    assert provider.name()
    ids = {alg.id() for alg in provider.algorithms()}
    assert all(i.startswith(f"{PROVIDER}:") for i in ids)
    plugin.unload()
    assert registry.providerById(PROVIDER) is None
    assert plugin.ctx is None


class DockingIface:
    """The stub iface, but docks really go into its main window (as QGIS's iface does)."""

    def __init__(self, iface: Any) -> None:
        self._iface = iface

    def addDockWidget(self, area: Any, dock: QDockWidget) -> None:
        self._iface.mainWindow().addDockWidget(area, dock)
        dock.show()  # QgisApp::addDockWidget shows the dock

    def removeDockWidget(self, dock: QDockWidget) -> None:
        self._iface.mainWindow().removeDockWidget(dock)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._iface, name)


DOCKS = ("citymgmtCensusDock", "citymgmtThematicDock", "citymgmtReviewDock")


def _in_front(dock: QDockWidget) -> bool:
    """Open and its tab in front (a tab behind another stays isVisible() in Qt 5)."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_docks_tabbed_hidden_first_then_remembered(qgis_iface, registry):
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import Qt

    QgsSettings().remove("citymgmt/docks")
    iface = DockingIface(qgis_iface)
    window = qgis_iface.mainWindow()
    window.resize(1024, 700)
    window.show()
    try:
        plugin = _start(iface)
        _flush()
        docks = [window.findChild(QDockWidget, name) for name in DOCKS]
        census, thematic, review = docks
        task = window.findChild(QDockWidget, "citymgmtTaskDock")  # the case loop's, in the group
        assert all(d is not None and d.isHidden() for d in [*docks, task]), "hidden on first start"
        assert all(window.dockWidgetArea(d) == Qt.RightDockWidgetArea for d in docks)
        actions = plugin.ctx.dock_actions
        assert [actions[d.objectName()].objectName() for d in docks] == [
            "citymgmtCensusAction",
            "citymgmtThematicAction",
            "citymgmtReviewAction",
        ]
        assert all(a in plugin.ctx.toolbar.actions() for a in actions.values())
        assert not any(a.isChecked() for a in actions.values())

        actions["citymgmtReviewDock"].trigger()  # shows it
        _flush()
        assert _in_front(review) and actions["citymgmtReviewDock"].isChecked()
        actions["citymgmtCensusDock"].trigger()  # shows it and brings its tab to the front
        _flush()
        assert _in_front(census) and not _in_front(review) and not review.isHidden()
        assert not actions["citymgmtReviewDock"].isChecked()  # behind the census tab
        actions["citymgmtReviewDock"].trigger()  # unchecked: raises it again
        _flush()
        assert _in_front(review) and not _in_front(census)
        assert actions["citymgmtReviewDock"].isChecked()
        actions["citymgmtThematicDock"].trigger()
        _flush()
        # one tab group (Qt lists tabs only while they are open)
        assert set(window.tabifiedDockWidgets(census)) == {thematic, review, task}
        assert _in_front(thematic) and not _in_front(review)
        actions["citymgmtThematicDock"].trigger()  # checked: closes it
        _flush()
        assert thematic.isHidden() and not actions["citymgmtThematicDock"].isChecked()
        # modest sizes: all three open never need more than a laptop screen
        for d in [*docks, task]:
            hint = d.minimumSizeHint()
            assert hint.height() < 400 and hint.width() < 420, (d.objectName(), hint)
        assert window.minimumSizeHint().height() <= 700
        plugin.unload()
        del plugin
        _flush()
        assert window.findChild(QDockWidget, "citymgmtReviewDock") is None

        plugin = _start(iface)  # the next session: what was open is open again, tabbed
        _flush()
        docks = [window.findChild(QDockWidget, name) for name in DOCKS]
        assert [not d.isHidden() for d in docks] == [True, False, True]
        checked = [plugin.ctx.dock_actions[name].isChecked() for name in DOCKS]
        assert checked[1] is False and (checked[0] or checked[2])  # one tab is in front
        task = window.findChild(QDockWidget, "citymgmtTaskDock")
        assert task.isHidden()  # never opened: stays closed
        assert set(window.tabifiedDockWidgets(docks[0])) == {docks[1], docks[2], task}
        plugin.unload()
        del plugin
    finally:
        QgsSettings().remove("citymgmt/docks")
        window.hide()
        _flush()


# The keys of the docks, as QGIS's Settings → Keyboard Shortcuts lists them.
SHORTCUTS = {
    "citymgmtCensusPlaceAction": "P",
    "citymgmtCensusMoveAction": "M",
    "citymgmtCensusPickAction": "E",
    "citymgmtCensusSaveAction": "Ctrl+Return",
    "citymgmtCensusDiscardAction": "Esc",
    "citymgmtReview_accept_new_Action": "A",
    "citymgmtReview_update_existing_Action": "U",
    "citymgmtReview_duplicate_Action": "D",
    "citymgmtReview_reject_Action": "R",
    "citymgmtReview_has_issues_Action": "I",
    "citymgmtReviewNextAction": "N",
    "citymgmtReviewMapAction": "S",
}


def _icon_bytes(action: QAction) -> bytes:
    from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    action.icon().pixmap(32, 32).save(buffer, "PNG")
    return bytes(data)


def test_shortcuts_in_qgis_manager_and_an_icon_per_action(qgis_iface, registry):
    from qgis.gui import QgsGui

    manager = QgsGui.shortcutsManager()
    plugin = _start(qgis_iface)
    try:
        registered = {a.objectName(): a for a in manager.listActions()}
        for name, key in SHORTCUTS.items():
            assert name in registered, f"{name} not in QGIS's shortcut manager"
            assert manager.defaultKeySequence(registered[name]) == key
            assert registered[name].shortcut().toString() == key
        texts = [registered[name].text() for name in SHORTCUTS]
        assert len(set(texts)) == len(texts)  # the manager tells actions apart by their text
        toolbar = plugin.ctx.toolbar.actions()
        icons = [_icon_bytes(a) for a in toolbar if not a.isSeparator()]
        assert all(not a.icon().isNull() for a in toolbar if not a.isSeparator())
        assert len(set(icons)) == len(icons), "two toolbar buttons share an icon"
        menu_icons = [_icon_bytes(a) for a in plugin.ctx.menu.actions() if not a.isSeparator()]
        assert len(set(menu_icons)) == len(menu_icons), "two menu entries share an icon"
    finally:
        plugin.unload()
    del plugin
    _flush()
    left = {a.objectName() for a in manager.listActions()} & set(SHORTCUTS)
    assert not left, f"still in QGIS's shortcut manager after unload: {left}"
