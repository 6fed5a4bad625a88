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
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QMenu, QToolBar
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
        except Exception:
            result["errors"].append(traceback.format_exc())
        QTimer.singleShot(1500, capture)

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


_citymgmt_check()
