"""The task dock driven through its widgets on a real canvas: tasks with their countdown and
overdue marked, filters, the case's history and photos, a component case matched, tasks made
from the cases selected on the map, and the push to the local ODK Central as a background
task with progress (real HTTP, a real QGIS authentication configuration)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsAuthMethodConfig,
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from qgis.PyQt.QtGui import QColor, QImage
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from sqlalchemy import insert, select

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import Outcome, TaskKind
from citymgmt_plugin.core.cases.results import TaskResult, apply_result
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.store import now_utc
from citymgmt_plugin.core.cases.tasks import ASSIGN_COLLECTOR, TaskPlan, create_tasks
from citymgmt_plugin.core.qgis import layers as L
from citymgmt_plugin.core.qgis.render import render_layers_png
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.task_dock import TaskDock
from citymgmt_plugin.gui.task_model import OVERDUE
from tests.fixtures.cases_data import case_row, write_csv
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

MASTER = "citymgmt-test-master"


def settle(n: int = 5) -> None:
    for _ in range(n):
        QCoreApplication.processEvents()


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QCoreApplication.processEvents()
        time.sleep(0.01)


def jpeg(color: str) -> bytes:
    image = QImage(320, 240, QImage.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "JPG")
    return bytes(data)


def _task_of(ws, case_no):
    t, c = ws.schema.tasks, ws.schema.cases
    with ws.engine.connect() as conn:
        return conn.execute(
            select(t).join(c, c.c.id == t.c.case_id).where(c.c.case_no == case_no)
        ).first()


def seed_cases(ws, tmp_path) -> None:
    """Six cases; verify tasks made 3 h ago (2 h limit: overdue unless answered); one answered
    with a photo, one component case beside the stored manhole cover, one case not tasked."""
    rows = [
        case_row("AJ0001", "公众举报", at=(X0 + 60, Y0 + 60), address="平江路 12 号"),
        case_row("AJ0002", "12345热线", at=(X0 + 160, Y0 + 40), address="干将路 3 号"),
        case_row("AJ0003", "视频监控", at=(X0 + 240, Y0 + 160), address="观前街 8 号"),
        case_row("AJ0004", "12345热线", "部件", "0101", (X0 + 26, Y0 + 152), address="井盖"),
        case_row("AJ0005", "公众举报", state="处置", at=(X0 + 110, Y0 + 170)),
        case_row("AJ0006", "公众举报", at=(X0 + 270, Y0 + 30), address="临顿路 1 号"),
    ]
    import_cases(ws, str(write_csv(tmp_path / "c.csv", rows)), store=mapping_store(tmp_path / "m"))
    earlier = now_utc() - timedelta(hours=3)
    with ws.engine.connect() as conn:
        cases = dict(conn.execute(select(ws.schema.cases.c.case_no, ws.schema.cases.c.id)).all())
    ids = [cases[n] for n in ("AJ0001", "AJ0002", "AJ0003", "AJ0004")]
    create_tasks(ws, TaskPlan(TaskKind.VERIFY, assign=ASSIGN_COLLECTOR), ids, now=earlier)
    create_tasks(ws, TaskPlan(TaskKind.CHECK, rule="handled_unchecked"))
    s = ws.schema
    with ws.begin() as conn:
        sid = conn.execute(
            insert(s.submissions).returning(s.submissions.c.id),
            {
                "source": "odk:test/3/citymgmt_task_result",
                "instance_id": "uuid:r1",
                "received_at": now_utc(),
                "state": "pending",
                "payload": {"task": "x"},
            },
        ).scalar()
        conn.execute(
            insert(s.submission_attachments),
            {
                "submission_id": sid,
                "name": "site.jpg",
                "mime": "image/jpeg",
                "content": jpeg("#3a7d44"),
            },
        )
    task = _task_of(ws, "AJ0002")
    result = TaskResult(
        task.entity_uuid,
        Outcome.CONFIRMED,
        now_utc() - timedelta(hours=2.5),
        "C01",
        "确有问题",
        submission_id=sid,
    )
    apply_result(ws, result)


@pytest.fixture(scope="module")
def accounts(qgis_app):
    am = QgsApplication.authManager()
    folder = os.environ.get("QGIS_AUTH_DB_DIR_PATH")
    if not folder or not Path(QgsApplication.qgisAuthDatabaseFilePath()).is_relative_to(folder):
        pytest.fail("run through `make test`: it gives the session a throwaway auth database")
    assert am.setMasterPassword(MASTER, True)
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName("ODK tasks")
    cfg.setConfig("username", EMAIL)
    cfg.setConfig("password", PASSWORD)
    assert am.storeAuthenticationConfig(cfg)[0]
    yield cfg.id()
    am.removeAuthenticationConfig(cfg.id())


@pytest.fixture
def dock(qgis_iface, qgis_canvas, gpkg_workspace, tmp_path):
    ws = gpkg_workspace
    seed_small_workspace(ws)
    seed_cases(ws, tmp_path)
    project = QgsProject.instance()
    project.clear()
    loaded = L.load_workspace_layers(ws, project)
    canvas = qgis_canvas
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    canvas.setLayers([loaded[k] for k in ("tasks", "cases", "components_point", "unit_grids")])
    canvas.resize(800, 600)
    ctx = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
    ctx._workspace = ws  # the fixture closes it
    d = TaskDock(ctx)
    d.resize(520, 980)
    d.show()
    d.refresh()
    settle()
    yield d, ws, canvas, loaded
    d.stop_push()
    d.close()
    d.account_bindings().settings.remove("citymgmt/intake/accounts")
    project.clear()


def _row_of(d, case_no, kind="verify"):
    for r in range(d.proxy.rowCount()):
        row = d.proxy.row(r)
        if row.case_no == case_no and row.kind == kind:
            return row
    raise AssertionError(case_no)


def test_tasks_countdown_filters_history_photos_and_matching(dock, artifacts):
    d, ws, canvas, loaded = dock
    assert d.model.rowCount() == 5
    assert "5" in d.counts_label.text() and "3 overdue" in d.counts_label.text()
    time_col = d.model.COLUMNS.index("time")
    texts = {
        d.model.rows[r].case_no: d.model.data(d.model.index(r, time_col))
        for r in range(d.model.rowCount())
    }
    assert texts["AJ0001"].startswith("overdue 1 h")
    assert texts["AJ0002"] == "done on time"
    assert texts["AJ0005"].endswith("left")  # the check task, due in 4 h

    d.state_combo.setCurrentIndex(d.state_combo.findData(OVERDUE))
    assert d.proxy.rowCount() == 3
    d.state_combo.setCurrentIndex(0)
    d.kind_combo.setCurrentIndex(d.kind_combo.findData("check"))
    assert d.proxy.rowCount() == 1
    d.kind_combo.setCurrentIndex(0)
    d.collector_combo.setCurrentIndex(d.collector_combo.findData("C01"))
    assert d.proxy.rowCount() == 4  # the verify tasks (assigned / answered by C01)
    d.collector_combo.setCurrentIndex(0)

    # the answered task: its history and the photo that came with the result
    assert d.select_task(_row_of(d, "AJ0002").id)
    settle()
    assert d.thumbs.count() == 1 and d.photo_view.pixmap() is not None
    history = [d.history_list.item(i).text() for i in range(d.history_list.count())]
    assert len(history) == 3 and "C01" in history[-1]

    # the component case: the stored manhole cover 6 m away, linked by a click
    assert d.select_task(_row_of(d, "AJ0004").id)
    settle()
    assert d.cand_table.isVisibleTo(d) and d.cand_table.rowCount() >= 1
    assert d.cand_table.item(0, 0).text() == "3205080101000001"
    d.link_button.click()
    assert "3205080101000001" in d.status_label.text()
    with ws.engine.connect() as conn:
        linked = conn.execute(
            select(ws.schema.cases.c.component_id).where(ws.schema.cases.c.case_no == "AJ0004")
        ).scalar()
    assert linked is not None
    # the map shows the task, selected in the task layer
    assert loaded["tasks"].selectedFeatureCount() == 1
    assert canvas.extent().contains(QgsPointXY(X0 + 26, Y0 + 152))
    render_layers_png(
        [loaded[k] for k in ("tasks", "cases", "components_point", "unit_grids")],
        QgsRectangle(X0 - 20, Y0 - 20, X0 + 320, Y0 + 220),
        artifacts / "task_map.png",
        size=(1000, 720),
        title="核实核查任务",
    )
    d.grab().save(str(artifacts / "task_dock.png"))
    assert d.minimumSizeHint().height() < 400 and d.minimumSizeHint().width() < 420


def test_tasks_from_the_cases_selected_on_the_map(dock):
    d, _ws, _canvas, loaded = dock
    cases = loaded["cases"]
    cases.selectByExpression("\"case_no\" IN ('AJ0006', 'AJ0001')")
    assert d.selected_case_ids() and len(d.selected_case_ids()) == 2
    d.new_kind.setCurrentIndex(d.new_kind.findData("verify"))
    d.due_hours.setValue(1.5)
    d.create_button.click()
    # AJ0001 has an open verify task already: skipped, said why
    assert "1 tasks created" in d.status_label.text() and "AJ0001" in d.status_label.text()
    row = _row_of(d, "AJ0006")
    assert (row.due_at - row.created_at) == timedelta(hours=1.5)
    cases.removeSelection()
    d.create_button.click()
    assert "Select cases on the map" in d.status_label.text()


def test_push_in_the_background(dock, accounts, artifacts):
    d, _ws, _canvas, _loaded = dock
    with CentralServer() as srv:
        srv.central.add_project(3, "城管核实")
        srv.central.latency_s = 0.05
        dialog = d.open_push()
        dialog.url.setText(srv.url)
        dialog.project.setText("3")
        dialog.auth_select.setConfigId(accounts)
        dialog.accept()
        assert "not encrypted" in dialog.status.text()  # http refused until allowed
        dialog.allow_http.setChecked(True)
        dialog.grab().save(str(artifacts / "task_push_dialog.png"))
        dialog.accept()
        task = d.push_task
        assert task is not None and d.push_progress.isVisible() and not d.push_button.isEnabled()
        wait_until(lambda: d.push_task is None)
        settle()
        assert "4 entities created" in d.status_label.text(), d.status_label.text()
        assert not d.push_progress.isVisible() and d.push_button.isEnabled()
        ds = srv.central.entities.dataset(3, "citymgmt_tasks")
        assert {e.data["case_no"] for e in ds.live()} == {"AJ0001", "AJ0003", "AJ0004", "AJ0005"}
        # the next push needs no dialog: the target and this person's account are kept
        task = d.push()
        wait_until(lambda: d.push_task is None)
        assert "0 entities created" in d.status_label.text()


def test_dock_and_push_dialog_in_chinese(
    qgis_iface, qgis_canvas, gpkg_workspace, tmp_path, artifacts
):
    from zh_translator import zh_cn
    from zh_walker import problems

    ws = gpkg_workspace
    seed_small_workspace(ws)
    seed_cases(ws, tmp_path)
    with zh_cn(tmp_path):
        ctx = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
        ctx._workspace = ws
        d = TaskDock(ctx)
        d.resize(520, 980)
        d.show()
        d.refresh()
        settle()
        assert d.windowTitle() == "核实核查任务"
        texts = {row.case_no: d.model.text(row, "time") for row in d.model.rows}
        assert texts["AJ0001"].startswith("已超时 1 小时") and texts["AJ0002"] == "按时完成"
        assert d.select_task(_row_of(d, "AJ0004").id)
        settle()
        assert "12345热线 · 部件 0101 上水井盖" in d.info_label.text()
        data = (
            ws.actor,
            "C01",
            "R01",
            "site.jpg",
            "AJ0001",
            "AJ0002",
            "AJ0003",
            "AJ0004",
            "AJ0005",
            "3205080101000001",
        )
        found = problems(d, data=data)
        assert not found, "untranslated in Chinese:\n" + "\n".join(dict.fromkeys(found))
        (artifacts / "zh").mkdir(exist_ok=True)
        d.grab().save(str(artifacts / "zh" / "task_dock.png"))
        dialog = d.open_push()
        settle()
        found = problems(dialog, data=(*data, "citymgmt_tasks", "https://central.example.org"))
        assert not found, "untranslated in Chinese:\n" + "\n".join(dict.fromkeys(found))
        dialog.grab().save(str(artifacts / "zh" / "task_push_dialog.png"))
        dialog.close()
        d.close()
        ctx.unload()
