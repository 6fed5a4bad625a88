"""Sources from the review dock and the pull in the background, driven through the real
widgets against the local ODK Central (real HTTP on 127.0.0.1) and a PostGIS workspace;
accounts are real QGIS authentication configurations in the session's throwaway
authentication database (``make test`` sets QGIS_AUTH_DB_DIR_PATH)."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, QTimer
from qgis.PyQt.QtWidgets import QApplication, QMenu, QMessageBox, QToolBar
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import load_cursor, save_source_config, source_configs
from citymgmt_plugin.core.submissions.sources.accounts import AccountBindings, workspace_identity
from citymgmt_plugin.core.submissions.sources.configs import odk_config, source_key
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.review_dock import ReviewDock
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.synthetic_submissions import (
    make_submissions,
    odata_row,
    seed_city,
    write_device_export,
)

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
MASTER = "citymgmt-test-master"


def settle(n: int = 5) -> None:
    for _ in range(n):
        QCoreApplication.processEvents()


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QCoreApplication.processEvents()
        time.sleep(0.01)


def wait_for(signal, timeout_ms: int = 60000) -> list:
    """Run the event loop until ``signal`` fires (QGIS stays responsive meanwhile)."""
    got: list = []
    loop = QEventLoop()

    def fired(*args):
        got.append(args)
        loop.quit()

    signal.connect(fired)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec_()
    assert got, "the task did not finish"
    return got[0]


@pytest.fixture(scope="module")
def accounts(qgis_app):
    """Basic authentication configurations: the right account and a wrong password."""
    am = QgsApplication.authManager()
    folder = os.environ.get("QGIS_AUTH_DB_DIR_PATH")
    if not folder or not Path(QgsApplication.qgisAuthDatabaseFilePath()).is_relative_to(folder):
        pytest.fail("run through `make test`: it gives the session a throwaway auth database")
    assert not am.isDisabled(), am.disabledMessage()
    assert am.setMasterPassword(MASTER, True)
    ids = {}
    for name, password in (("good", PASSWORD), ("wrong", "not-the-password")):
        cfg = QgsAuthMethodConfig("Basic")
        cfg.setName(f"ODK {name}")
        cfg.setConfig("username", EMAIL)
        cfg.setConfig("password", password)
        assert am.storeAuthenticationConfig(cfg)[0]
        ids[name] = cfg.id()
    yield ids
    for authcfg in ids.values():
        am.removeAuthenticationConfig(authcfg)


@pytest.fixture
def central():
    with CentralServer() as srv:
        srv.central.add_project(7, "城管采集")
        srv.central.add_form(7, "city_report", "城管上报")
        srv.central.add_form(7, "census", "部件普查")
        srv.central.add_project(9, "绿化养护")
        srv.central.add_form(9, "trees", "行道树")
        yield srv


@pytest.fixture
def dock(qgis_iface, pg_workspace, central):
    ws = pg_workspace
    city = seed_city(ws)
    recs, _truth = make_submissions(city, 25)
    for i, r in enumerate(recs):
        central.central.add(
            7,
            "city_report",
            odata_row(r, T0 + timedelta(minutes=8 * i + 5)),
            {r["photos"]: r["_photo"]},
        )
    ctx = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
    ctx._workspace = ws  # the fixture closes it
    d = ReviewDock(ctx)
    d.resize(560, 900)
    d.show()
    d.refresh()
    settle()
    bindings = d.account_bindings()
    yield d, ws, city
    d.stop_pull()
    if d.sources_dialog is not None:
        d.sources_dialog.close()
        d.sources_dialog.deleteLater()
    d.close()
    bindings.settings.remove("citymgmt/intake/accounts")


def stored(ws, key=None) -> int:
    s = ws.schema.submissions
    q = select(func.count()).select_from(s)
    if key:
        q = q.where(s.c.source == key)
    with ws.engine.connect() as c:
        return c.execute(q).scalar()


def idle(dlg) -> None:
    wait_until(lambda: dlg.task is None)


def answer_question(button=QMessageBox.Yes) -> None:
    """Click ``button`` of the next modal question box, as the user would."""

    def click():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(button).click()
        else:
            QTimer.singleShot(20, click)

    QTimer.singleShot(20, click)


def test_add_edit_test_and_remove_sources_in_the_dialog(
    dock, central, accounts, tmp_path, artifacts
):
    d, ws, city = dock
    d.sources_button.click()
    dlg = d.sources_dialog
    assert dlg is not None and dlg.isVisible() and dlg.source_list.count() == 0
    dlg.resize(640, 720)

    # a new ODK Central source: http is refused until the user allows it
    dlg.add_odk_button.click()
    odk = dlg.odk
    odk.url_edit.setText(central.url)
    odk.auth_select.setConfigId(accounts["good"])
    odk.load_button.click()
    assert "not encrypted" in dlg.status.text() and dlg.task is None
    assert not [p for _, p, _ in central.central.log if p == "/v1/sessions"]
    assert not odk.http_warning.isVisible()
    odk.allow_http.setChecked(True)
    assert odk.http_warning.isVisible()

    # projects and forms come from the server
    odk.load_button.click()
    assert dlg.busy.isVisible()
    wait_until(lambda: dlg.task is None and odk.form_combo.count() > 0)
    projects = [odk.project_combo.itemData(i) for i in range(odk.project_combo.count())]
    assert projects == ["7", "9"]
    assert odk.project_combo.itemText(0) == "城管采集 (7)"
    forms = [odk.form_combo.itemData(i) for i in range(odk.form_combo.count())]
    assert forms == ["census", "city_report"]
    assert "25 submissions" in odk.form_combo.itemText(1)
    odk.project_combo.setCurrentIndex(1)  # another project: its forms are asked for
    wait_until(lambda: dlg.task is None and odk.form_combo.count() > 0)
    assert [odk.form_combo.itemData(i) for i in range(odk.form_combo.count())] == ["trees"]
    odk.project_combo.setCurrentIndex(0)
    wait_until(lambda: dlg.task is None and odk.form_combo.count() == 2)
    odk.form_combo.setCurrentIndex(odk.form_combo.findData("city_report"))
    odk.crs_combo.setCurrentIndex(odk.crs_combo.findData("GCJ02"))

    # Test logs in and finds the form; a wrong password shows the server's answer
    dlg.test_button.click()
    idle(dlg)
    assert dlg.status.text().startswith("Test passed: Logged in to")
    assert "城管上报 (city_report) · 25 submissions" in dlg.status.text()
    odk.auth_select.setConfigId(accounts["wrong"])
    dlg.test_button.click()
    idle(dlg)
    assert "refused the login of reviewer@example.org (HTTP 401)" in dlg.status.text()
    assert "Could not authenticate with the provided credentials" in dlg.status.text()
    odk.auth_select.setConfigId(accounts["good"])

    # Save: the workspace gets the shared part, this computer the account and its server
    dlg.save_button.click()
    key = f"odk:{central.url.split('//')[1]}/7/city_report"
    assert source_configs(ws) == {
        key: {
            "type": "odk",
            "url": central.url,
            "project": "7",
            "form": "city_report",
            "crs": "GCJ02",
            "page_size": 1000,
        }
    }
    binding = AccountBindings(workspace_identity(ws.spec)).get(key)
    assert binding.authcfg == accounts["good"] and binding.allow_http
    assert binding.origin == central.url
    assert dlg.keys() == [key] and "your account: ODK good" in dlg.source_list.item(0).text()
    settle()
    dlg.grab().save(str(artifacts / "sources_dialog_odk.png"))

    # Edit: choosing the source fills the editor from the workspace and this computer
    dlg.add_folder_button.click()
    assert dlg.select(key)
    assert odk.url_edit.text() == central.url and odk.allow_http.isChecked()
    assert odk.auth_select.configId() == accounts["good"]
    assert odk.form_combo.currentData() == "city_report"
    odk.crs_combo.setCurrentIndex(odk.crs_combo.findData("WGS84"))
    odk.page_size.setValue(500)
    dlg.save_button.click()
    assert source_configs(ws)[key]["crs"] == "WGS84"
    assert source_configs(ws)[key]["page_size"] == 500

    # a device-export folder with its own photo folder
    recs, _ = make_submissions(city, 6, seed=3)
    write_device_export(tmp_path / "north", recs)
    (tmp_path / "north" / "photos").rename(tmp_path / "north-photos")
    dlg.add_folder_button.click()
    folder = dlg.folder
    folder.folder_widget.setFilePath(str(tmp_path / "north"))
    assert folder.name_edit.text() == "north"  # suggested from the folder
    folder.photos_widget.setFilePath(str(tmp_path / "nowhere"))
    dlg.save_button.click()
    assert "No such photo folder" in dlg.status.text() and "north" not in source_configs(ws)
    folder.photos_widget.setFilePath(str(tmp_path / "north-photos"))
    folder.crs_combo.setCurrentIndex(folder.crs_combo.findData("GCJ02"))
    dlg.test_button.click()
    idle(dlg)
    assert "6 submissions; photos:" in dlg.status.text() and "north-photos" in dlg.status.text()
    dlg.save_button.click()
    assert source_configs(ws)["north"] == {
        "type": "file",
        "path": str(tmp_path / "north"),
        "photos": str(tmp_path / "north-photos"),
        "crs": "GCJ02",
        "key": "north",
    }
    assert dlg.keys() == ["north", key]
    settle()
    dlg.grab().save(str(artifacts / "sources_dialog_folder.png"))

    # Remove asks first; No keeps it, Yes removes the configuration (stored rows stay)
    assert dlg.select("north")
    answer_question(QMessageBox.No)
    dlg.remove_button.click()
    assert "north" in source_configs(ws)
    answer_question(QMessageBox.Yes)
    dlg.remove_button.click()
    assert list(source_configs(ws)) == [key] and dlg.keys() == [key]
    assert "Removed north" in dlg.status.text()
    assert dlg.select(key)
    answer_question(QMessageBox.Yes)
    dlg.remove_button.click()
    assert source_configs(ws) == {}
    assert AccountBindings(workspace_identity(ws.spec)).get(key) is None


def _configure(ws, dock_, central, authcfg, page_size):
    config = odk_config(central.url, 7, "city_report", page_size=page_size)
    key = source_key(config)
    save_source_config(ws, key, config)
    dock_.account_bindings().bind(key, authcfg, central.url, allow_http=True)
    return key


def test_pull_runs_in_the_background_with_progress(dock, central, accounts, artifacts):
    d, ws, _city = dock
    key = _configure(ws, d, central, accounts["good"], page_size=10)
    central.central.page_delay_s = 0.3
    before = d.model.rowCount()
    values: list[int] = []
    d.pull_button.click()
    task = d.pull_task
    assert task is not None and d.pull_progress.isVisible() and d.pull_cancel.isVisible()
    assert not d.pull_button.isEnabled()
    task.progressChanged.connect(lambda v: values.append(int(v)))
    # QGIS answers while the pull runs: the queue can still be filtered
    wait_until(lambda: "page 1" in d.pull_status.text())
    d.state_combo.setCurrentIndex(d.state_combo.findData("pending"))
    settle()
    d.grab().save(str(artifacts / "review_dock_pulling.png"))
    (outcome,) = wait_for(task.done)
    settle()
    assert not outcome.cancelled and outcome.reports[0].inserted == 25
    assert stored(ws, key) == 25
    assert values == sorted(values) and values[-1] >= 99 and len(set(values)) >= 3
    assert not d.pull_progress.isVisible() and d.pull_button.isEnabled()
    assert "new 25" in d.pull_status.text()
    assert d.model.rowCount() == before + 25  # the queue was reloaded
    d.grab().save(str(artifacts / "review_dock_pulled.png"))


def test_cancel_mid_pull_keeps_pages_and_the_next_pull_completes(dock, central, accounts):
    d, ws, _city = dock
    key = _configure(ws, d, central, accounts["good"], page_size=5)
    central.central.page_delay_s = 0.4  # a slow server: six pages
    task = d.pull()
    wait_until(lambda: stored(ws, key) >= 5)  # a page is stored
    d.pull_cancel.click()
    assert "Cancelling" in d.pull_status.text()
    (outcome,) = wait_for(task.done)
    assert outcome.cancelled
    kept = stored(ws, key)
    assert 5 <= kept < 25 and kept % 5 == 0
    assert "cancelled" in d.pull_status.text().lower()
    assert "skiptoken" in load_cursor(ws, key)["next"]
    central.central.page_delay_s = 0.0
    (again,) = wait_for(d.pull().done)
    report = again.reports[0]
    assert report.resumed and report.inserted == 25 - kept and report.unchanged == 0
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        ids = c.execute(select(s.c.instance_id).where(s.c.source == key)).scalars().all()
    assert len(ids) == len(set(ids)) == 25


def test_changed_host_is_refused_and_nothing_is_sent(dock, central, accounts):
    d, ws, _city = dock
    key = _configure(ws, d, central, accounts["good"], page_size=10)
    with CentralServer() as evil:
        config = source_configs(ws)[key]
        save_source_config(ws, key, dict(config, url=evil.url), actor="someone")
        (outcome,) = wait_for(d.pull().done)
        assert not outcome.reports
        assert "now points to" in d.pull_status.text()
        assert central.url.split("//")[1] in d.pull_status.text()  # where it was bound
        assert evil.central.log == []  # not even a login attempt
        # the dialog says so too, and does not offer the account for the new address
        dlg = d.open_sources()
        assert "address changed" in dlg.source_list.item(0).text()
        assert dlg.select(key)
        assert dlg.odk.auth_select.configId() == ""
        assert "address changed" in dlg.status.text()
    assert stored(ws, key) == 0


def test_dialog_in_chinese(dock, central, accounts, tmp_path, artifacts):
    from tests.zh_translator import zh_cn

    d, ws, _city = dock
    key = _configure(ws, d, central, accounts["good"], page_size=10)
    with zh_cn(tmp_path):
        dlg = d.open_sources()
        dlg.resize(640, 720)
        assert dlg.windowTitle() == "外业设备数据源"
        assert "您的账号：ODK good" in dlg.source_list.item(0).text()
        assert dlg.select(key)
        assert dlg.odk.page_size.value() == 10  # shown as stored
        dlg.test_button.click()
        idle(dlg)
        assert dlg.status.text().startswith("测试通过：已以 reviewer@example.org 登录")
        dlg.save_button.click()  # the source by its label, not its stored key
        host = central.url.split("//")[1]
        assert dlg.status.text() == f"已保存 ODK Central {host}，项目 7，表单 city_report。"
        assert dlg.folder.name_edit.placeholderText() == "例如 北区设备"
        settle()
        dlg.grab().save(str(artifacts / "sources_dialog_zh.png"))
        dlg.close()
