"""``qgis --code launch.py``: run a desktop scenario inside the real QGIS.

QGIS executes this file with ``exec`` after its window is built and the plugins are
started, so it has no ``__file__``: the folder of the scenario modules comes from
CITYMGMT_DESKTOP_DIR and the scenario's configuration (JSON) from CITYMGMT_SCENARIO. The
modules are loaded by path under their own names; nothing is added to ``sys.path``. When
loading fails, the error is written as the result and QGIS quits (QGIS would otherwise show
it in a dialog and wait). Not collected by pytest (no ``test_`` prefix).
"""

import importlib.util
import json
import os
import sys
import traceback


def _citymgmt_desktop_scenario():
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QTimer
    from qgis.utils import iface

    folder = os.environ["CITYMGMT_DESKTOP_DIR"]
    config_path = os.environ["CITYMGMT_SCENARIO"]

    def load(name):
        spec = importlib.util.spec_from_file_location(name, os.path.join(folder, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    try:
        for name in ("ui_text", "widget_texts", "qgis_runner", "task_steps", "workflow_steps"):
            load(name)
        steps = load(os.environ.get("CITYMGMT_SCENARIO_STEPS", "workflow_steps"))
        return sys.modules["qgis_runner"].run(iface, config_path, steps.STEPS)
    except Exception:
        with open(config_path, encoding="utf-8") as handle:
            out = json.load(handle)["out"]
        result = {"steps": [], "finished": False, "launch_error": traceback.format_exc()}
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=1)
        QTimer.singleShot(0, QgsApplication.instance().quit)
        return None


citymgmt_desktop_runner = _citymgmt_desktop_scenario()  # kept alive for the session
