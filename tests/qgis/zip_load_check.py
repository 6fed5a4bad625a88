"""Load the installed plugin zip the way QGIS does, in a Python that is NOT the venv.

Run by tests/qgis/test_plugin_zip.py as ``/usr/bin/python3 -I zip_load_check.py PROFILE OUT``
(Debian's Python, no PYTHONPATH, no user site): only what a stock QGIS has is importable, so
shapely 2, SQLAlchemy 2 … can come only from the wheels inside the zip. Writes a JSON report
to OUT; the test asserts on it. Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from unittest.mock import MagicMock

PLUGIN = "citymgmt_plugin"
profile = Path(sys.argv[1])
out = Path(sys.argv[2])
mode = sys.argv[3] if len(sys.argv) > 3 else "full"
report: dict = {"errors": [], "log": [], "sys_path": list(sys.path)}


def importable(name: str) -> str | None:
    try:
        module = __import__(name)
    except ImportError:
        return None
    return f"{getattr(module, '__version__', '?')} {getattr(module, '__file__', '')}"


LIBS = ("shapely", "sqlalchemy", "geoalchemy2", "alembic", "mako", "openpyxl", "piexif")
report["before"] = {m: importable(m) for m in LIBS}
report["before"]["numpy"] = importable("numpy")

from qgis.core import Qgis, QgsApplication  # noqa: E402
from qgis.gui import QgsMapCanvas, QgsMessageBar  # noqa: E402
from qgis.PyQt import sip  # noqa: E402
from qgis.PyQt.QtCore import QCoreApplication, QEvent  # noqa: E402
from qgis.PyQt.QtWidgets import QAction, QDockWidget, QMainWindow, QMenu, QToolBar  # noqa: E402

QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], True, str(profile))
app.initQgis()
report["settings_dir"] = QgsApplication.qgisSettingsDirPath()


def on_message(message: str, tag: str, level: Qgis.MessageLevel) -> None:
    if tag == "citymgmt":
        report["log"].append([int(level), message])


QgsApplication.messageLog().messageReceived.connect(on_message)


class Iface:
    """What the plugin uses of QgisInterface, on a real QMainWindow; the rest is mocked."""

    def __init__(self) -> None:
        self.window = QMainWindow()
        self.help_menu = self.window.menuBar().addMenu("Help")
        self.bar = QgsMessageBar(self.window)
        self.canvas = QgsMapCanvas(self.window)
        self.window.setCentralWidget(self.canvas)
        self._mocks: dict[str, MagicMock] = {}

    def mainWindow(self):
        return self.window

    def firstRightStandardMenu(self):
        return self.help_menu

    def addToolBar(self, name):
        return self.window.addToolBar(name)

    def addDockWidget(self, area, dock):
        self.window.addDockWidget(area, dock)

    def removeDockWidget(self, dock):
        self.window.removeDockWidget(dock)

    def messageBar(self):
        return self.bar

    def mapCanvas(self):
        return self.canvas

    def __getattr__(self, name: str) -> MagicMock:
        return self._mocks.setdefault(name, MagicMock(name=name))


def flush_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


def ours(window: QMainWindow) -> dict:
    return {
        "menus": [
            m.objectName() for m in window.findChildren(QMenu) if "citymgmt" in m.objectName()
        ],
        "toolbars": [t.objectName() for t in window.findChildren(QToolBar)],
        "docks": [d.objectName() for d in window.findChildren(QDockWidget)],
        "menubar_actions": [a.text() for a in window.menuBar().actions()],
    }


import qgis.utils  # noqa: E402


def show_exception(type_, value, tb, msg, *args, **kwargs) -> None:
    report["errors"].append(f"{msg}: {''.join(traceback.format_exception(type_, value, tb))}")


qgis.utils.showException = show_exception
iface = Iface()
qgis.utils.iface = iface
plugins_dir = str(profile / "python" / "plugins")
# What QgsPythonUtilsImpl::initPython does for the profile's plugin folder.
sys.path.insert(0, plugins_dir)
qgis.utils.plugin_paths = [plugins_dir]
qgis.utils.home_plugin_path = plugins_dir
qgis.utils.updateAvailablePlugins()
report["available"] = PLUGIN in qgis.utils.available_plugins
report["metadata_name"] = qgis.utils.pluginMetadata(PLUGIN, "name")
report["has_processing"] = qgis.utils.pluginMetadata(PLUGIN, "hasProcessingProvider")

actions_before = {sip.unwrapinstance(a) for a in iface.window.findChildren(QAction)}
report["before_start"] = ours(iface.window)
registry = QgsApplication.processingRegistry()

try:
    report["loaded"] = qgis.utils.loadPlugin(PLUGIN)
    if mode == "processing":
        report["started"] = qgis.utils.startProcessingPlugin(PLUGIN)
    else:
        report["started"] = qgis.utils.startPlugin(PLUGIN)
    report["active"] = PLUGIN in qgis.utils.active_plugins
    report["after_start"] = ours(iface.window)
    provider = registry.providerById("citymgmt")
    report["provider"] = provider is not None
    report["algorithms"] = [a.id() for a in provider.algorithms()] if provider else []
    report["plugin_class"] = type(qgis.utils.plugins.get(PLUGIN)).__name__
    report["after"] = {m: importable(m) for m in LIBS}
    report["plugin_file"] = sys.modules[PLUGIN].__file__

    # The bundled packages really work: a GeoPackage workspace through alembic + GeoAlchemy2.
    try:
        if report["plugin_class"] != "CityMgmtPlugin":
            raise RuntimeError("plugin not started")
        from citymgmt_plugin.core.workspace.store import Workspace, upgrade

        spec = str(out.parent / "zipcheck.gpkg")
        upgrade(spec)
        ws = Workspace.open(spec)
        report["workspace_srid"] = getattr(ws, "srid", None)
        ws.close()
        import shapely

        report["shapely_ok"] = shapely.from_wkt("POINT (1 2)").x == 1.0
    except Exception:
        report["errors"].append("workspace: " + traceback.format_exc())

    report["message_bar"] = [[item.title(), item.text()] for item in iface.bar.items()]
    report["unloaded"] = qgis.utils.unloadPlugin(PLUGIN)
    flush_deletes()
    report["after_unload"] = ours(iface.window)
    report["provider_after_unload"] = registry.providerById("citymgmt") is not None

    def namespace_child(name: str) -> bool:
        parent = sys.modules.get(name.rpartition(".")[0])
        return parent is not None and getattr(parent, "__file__", None) is None

    report["modules_after_unload"] = sorted(
        [m, hasattr(sys.modules[m], "__path__"), namespace_child(m)]
        for m in sys.modules
        if m.split(".")[0] == PLUGIN
    )
    report["leftover_actions"] = [
        a.text()
        for a in iface.window.findChildren(QAction)
        if sip.unwrapinstance(a) not in actions_before
    ]
except Exception:
    report["errors"].append(traceback.format_exc())

deps = profile / "python" / "dependencies" / "citymgmt"
report["dependencies"] = (
    sorted(str(p.relative_to(deps)) for p in deps.glob("*/*/.installed/*")) if deps.is_dir() else []
)
report["env_pythonpath"] = os.environ.get("PYTHONPATH")
out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
app.exitQgis()
