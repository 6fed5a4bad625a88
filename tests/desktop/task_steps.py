"""The case loop inside the real QGIS desktop: 核实 tasks for the cases a user selects on the
map, a component case matched in the task dock, the tasks pushed to ODK Central from the
dock's dialog as a background task (see ``workflow_steps`` for the harness)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QTableView
from qgis_runner import Session

LAYER_KEY = "citymgmt/layer"
DOCK = "citymgmtTaskDock"


def _layer(key: str) -> Any:
    for layer in QgsProject.instance().mapLayers().values():
        if layer.customProperty(LAYER_KEY) == key:
            return layer
    raise AssertionError(f"no {key} layer in the project")


def _rows(dock: Any) -> list[Any]:
    proxy = dock.findChild(QTableView, "taskTable").model()
    return [proxy.row(r) for r in range(proxy.rowCount())]


def tasks_create(s: Session) -> Iterator[Any]:
    t = s.config["tasks"]
    dock = s.open_dock(DOCK)
    yield s.wait("the task dock", lambda: dock.isVisible())
    cases = _layer("cases")
    numbers = ", ".join(f"'{n}'" for n in t["cases"])
    cases.selectByExpression(f'"case_no" IN ({numbers})')
    assert cases.selectedFeatureCount() == len(t["cases"]), cases.selectedFeatureCount()
    x0, y0, x1, y1 = t["extent"]
    yield from s.zoom_to(x0, y0, x1, y1)
    dock.findChild(QPushButton, "createButton").click()
    yield s.wait("the new tasks in the dock", lambda: len(_rows(dock)) == len(t["cases"]), 30)
    s.info["tasks_create_status"] = dock.findChild(QLabel, "statusLabel").text()
    _layer("tasks").triggerRepaint()
    yield from s.settle()
    s.shot("tasks-created")
    s.check_texts(DOCK, dock)


def tasks_match(s: Session) -> Iterator[Any]:
    t = s.config["tasks"]
    dock = s.dock(DOCK)
    row = next(r for r in _rows(dock) if r.case_no == t["component_case"])
    assert dock.select_task(row.id), f"task {row.id} not in the table"
    yield s.wait("the component candidates", lambda: dock.cand_table.rowCount() >= 1)
    first = dock.cand_table.item(0, 0).text()
    assert first == t["component"], first
    dock.findChild(QPushButton, "linkButton").click()
    s.info["tasks_match_status"] = dock.findChild(QLabel, "statusLabel").text()
    yield from s.settle()
    s.shot("tasks-matched", dock)
    s.check_texts(DOCK, dock)


def _account_id(name: str) -> str:
    manager = QgsApplication.authManager()
    for cfg_id, cfg in manager.availableAuthMethodConfigs().items():
        if cfg.name() == name:
            return cfg_id
    raise AssertionError(f"no authentication configuration {name!r}")


def tasks_push(s: Session) -> Iterator[Any]:
    t = s.config["tasks"]
    dock = s.dock(DOCK)
    dock.findChild(QPushButton, "pushButton").click()
    yield s.wait("the push dialog", lambda: s.window_of(object_name="citymgmtPushDialog"))
    dialog = s.window_of(object_name="citymgmtPushDialog")
    dialog.findChild(QLineEdit, "urlEdit").setText(t["url"])
    dialog.findChild(QLineEdit, "projectEdit").setText(str(t["project"]))
    dialog.findChild(QLineEdit, "datasetEdit").setText(t["dataset"])
    dialog.auth_select.setConfigId(_account_id(t["account"]))
    dialog.findChild(QCheckBox, "allowHttp").setChecked(True)  # the local server: http
    yield 200
    s.shot("tasks-push-dialog", dialog)
    s.check_texts("push dialog", dialog)
    dialog.accept()
    yield s.wait("the push to start", lambda: dock.push_task is not None, 10)
    yield s.wait("the push to finish", lambda: dock.push_task is None, 60)
    status = dock.findChild(QLabel, "statusLabel").text()
    s.info["tasks_push_status"] = status
    synced = {r.entity_sync for r in _rows(dock)}
    assert synced == {"open"}, (synced, status)
    yield from s.settle()
    s.shot("tasks-pushed")
    s.check_texts(DOCK, dock)
