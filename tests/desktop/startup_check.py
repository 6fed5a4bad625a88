"""Run inside the real QGIS desktop by ``qgis --code``: is citymgmt loaded? Screenshot, quit.

QGIS executes this file after its main window is built and the enabled plugins are started,
before the event loop runs; the checks wait for the loop (QTimer). Paths come from the
environment: CITYMGMT_CHECK_OUT (JSON result) and CITYMGMT_CHECK_SHOT (PNG screenshot).
Not collected by pytest (no ``test_`` prefix); Debian's Python, the desktop's own.
"""

import json
import os
import sys
import traceback


def _citymgmt_check():
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import Qt, QTimer
    from qgis.PyQt.QtWidgets import QAction, QApplication, QDockWidget, QMenu, QToolBar
    from qgis.utils import active_plugins, iface, plugins

    out = os.environ["CITYMGMT_CHECK_OUT"]
    shot = os.environ["CITYMGMT_CHECK_SHOT"]
    result = {"errors": []}

    def inspect():
        try:
            window = iface.mainWindow()
            window.showMaximized()
            menu = window.menuBar().findChild(QMenu, "citymgmtMenu")
            toolbar = window.findChild(QToolBar, "citymgmtToolbar")
            provider = QgsApplication.processingRegistry().providerById("citymgmt")
            result.update(
                active_plugins=list(active_plugins),
                plugin_class=type(plugins.get("citymgmt_plugin")).__name__,
                menu_title=menu.title() if menu else None,
                menu_actions=[a.text() for a in menu.actions()] if menu else [],
                menubar=[a.text() for a in window.menuBar().actions()],
                toolbar_visible=bool(toolbar and toolbar.isVisible()),
                provider=provider is not None,
                algorithms=[a.id() for a in provider.algorithms()] if provider else [],
                settings_dir=QgsApplication.qgisSettingsDirPath(),
                locale=QgsApplication.locale(),
                python=sys.executable,
                sys_path=list(sys.path),
            )
            modules = {}
            for name in ("shapely", "sqlalchemy", "geoalchemy2", "alembic"):
                module = sys.modules.get(name) or __import__(name)
                modules[name] = [module.__version__, module.__file__]
            result["modules"] = modules
            docks = {}
            for name in (
                "citymgmtCensusDock",
                "citymgmtThematicDock",
                "citymgmtReviewDock",
                "citymgmtPoiDock",
            ):
                dock = window.findChild(QDockWidget, name)
                docks[name] = None if dock is None else {"hidden_at_start": dock.isHidden()}
            result["docks"] = docks
            result["window_at_start"] = _rect(window.frameGeometry())
            for name in (
                "citymgmtPoiAction",
                "citymgmtReviewAction",
                "citymgmtCensusAction",
                "citymgmtThematicAction",
            ):
                action = window.findChild(QAction, name)
                if action is not None:
                    action.trigger()  # open every dock; the last one stays in front
        except Exception:
            result["errors"].append(traceback.format_exc())
        QTimer.singleShot(1500, after_opening)

    def after_opening():
        try:
            window = iface.mainWindow()
            census = window.findChild(QDockWidget, "citymgmtCensusDock")
            for name, info in result.get("docks", {}).items():
                dock = window.findChild(QDockWidget, name)
                if info is None or dock is None:
                    continue
                info.update(
                    area=int(window.dockWidgetArea(dock)),
                    open=not dock.isHidden(),
                    in_front=dock.isVisible() and not dock.visibleRegion().isEmpty(),
                    tabbed_with_census=dock is census or dock in window.tabifiedDockWidgets(census),
                    min_height=dock.minimumSizeHint().height(),
                )
            result["right_area"] = int(Qt.RightDockWidgetArea)
            result["window"] = _rect(window.frameGeometry())
            result["screen"] = _rect(window.screen().availableGeometry())
        except Exception:
            result["errors"].append(traceback.format_exc())
        QTimer.singleShot(500, capture)

    def capture():
        try:
            QApplication.processEvents()
            result["screenshot"] = iface.mainWindow().grab().save(shot, "PNG")
        except Exception:
            result["errors"].append(traceback.format_exc())
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=2)
        QTimer.singleShot(200, QgsApplication.instance().quit)

    QTimer.singleShot(3000, inspect)


def _rect(r):
    return [r.x(), r.y(), r.width(), r.height()]


_citymgmt_check()
