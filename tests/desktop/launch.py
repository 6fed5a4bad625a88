"""``qgis --code launch.py``: run a desktop scenario inside the real QGIS.

QGIS executes this file with ``exec`` after its window is built and the plugins are
started, so it has no ``__file__``: the folder of the scenario modules comes from
CITYMGMT_DESKTOP_DIR and the scenario's configuration (JSON) from CITYMGMT_SCENARIO. The
modules are loaded by path under their own names; nothing is added to ``sys.path``.
Not collected by pytest (no ``test_`` prefix).
"""

import importlib.util
import os
import sys


def _citymgmt_desktop_scenario():
    from qgis.utils import iface

    folder = os.environ["CITYMGMT_DESKTOP_DIR"]

    def load(name):
        spec = importlib.util.spec_from_file_location(name, os.path.join(folder, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    load("ui_text")
    load("widget_texts")
    runner = load("qgis_runner")
    steps = load(os.environ.get("CITYMGMT_SCENARIO_STEPS", "workflow_steps"))
    return runner.run(iface, os.environ["CITYMGMT_SCENARIO"], steps.STEPS)


citymgmt_desktop_runner = _citymgmt_desktop_scenario()  # kept alive for the session
