"""The docks show who is signed in and record that person: on PostGIS the database login
(a second LOGIN role here), on GeoPackage the operating-system login."""

from __future__ import annotations

import getpass

import pytest
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from shapely.geometry import Point
from sqlalchemy import select
from zh_translator import zh_cn

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.workspace.store import Workspace
from citymgmt_plugin.gui.census_dock import CensusDock
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.review_dock import ReviewDock
from tests.fixtures.synthetic_submissions import make_submissions, seed_city, write_device_export


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


@pytest.fixture
def other_login_ws(pg_other_login):
    spec, role = pg_other_login
    ws = Workspace.open(spec)
    yield ws, role
    ws.close()


def _review_dock(qgis_iface, ws, tmp_path) -> ReviewDock:
    city = seed_city(ws)
    recs, _truth = make_submissions(city, 8)
    write_device_export(tmp_path / "exp", recs)
    ingest(ws, DeviceExportSource(tmp_path / "exp"))
    ctx = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
    ctx._workspace = ws  # the fixture closes it
    dock = ReviewDock(ctx)
    dock.resize(560, 900)
    dock.show()
    dock.refresh()
    settle()
    return dock


def _reject_first_pending(dock: ReviewDock) -> int:
    target = next(i for i in dock.model.items if i.state == "pending")
    assert dock.select_submission(target.id)
    settle()
    dock.reason_edit.setText("不是部件")
    dock.decision_buttons["reject"].click()
    return target.id


def _decision_rows(ws, submission_id: int):
    s = ws.schema
    with ws.engine.connect() as c:
        reviewer = c.execute(
            select(s.review_decisions.c.reviewer).where(
                s.review_decisions.c.submission_id == submission_id
            )
        ).scalar_one()
        decided_by = c.execute(
            select(s.submissions.c.decided_by).where(s.submissions.c.id == submission_id)
        ).scalar_one()
        audit = c.execute(
            select(s.audit_events.c.actor).where(
                s.audit_events.c.action == "review.reject",
                s.audit_events.c.row_id == submission_id,
            )
        ).scalar_one()
    return reviewer, decided_by, audit


def test_review_dock_on_postgis_records_the_database_login(
    qgis_iface, other_login_ws, tmp_path, artifacts
):
    ws, role = other_login_ws
    dock = _review_dock(qgis_iface, ws, tmp_path)
    try:
        assert dock.actor_label.text() == f"Signed in as {role} (database login)"
        sid = _reject_first_pending(dock)
        assert _decision_rows(ws, sid) == (role, role, role)
        dock.grab().save(str(artifacts / "review_dock_actor.png"))
    finally:
        dock._clear_markers()
        dock.close()


def test_review_dock_on_geopackage_records_the_system_login(qgis_iface, gpkg_workspace, tmp_path):
    login = getpass.getuser()
    dock = _review_dock(qgis_iface, gpkg_workspace, tmp_path)
    try:
        assert dock.actor_label.text() == f"Signed in as {login} (system login)"
        sid = _reject_first_pending(dock)
        assert _decision_rows(gpkg_workspace, sid) == (login, login, login)
        dock.ctx._workspace = None
        dock.refresh()
        assert "no workspace" in dock.actor_label.text()
    finally:
        dock._clear_markers()
        dock.close()


def test_census_dock_on_postgis_records_the_database_login(
    qgis_canvas, qgis_new_project, other_login_ws, artifacts
):
    ws, role = other_login_ws
    city = seed_city(ws)
    dock = CensusDock(qgis_canvas, lambda: ws)
    dock.resize(420, 900)
    dock.show()
    try:
        dock.refresh()
        assert dock.actor_label.text() == f"Signed in as {role} (database login)"
        assert dock.select_class("0101")
        dock.widgets["dept_code"].setText("001")
        dock.widgets["dept_name"].setEditText("市水务局")
        ref = dock.save_new(Point(city.x0 + 125, city.y0 + 125))
        assert ref is not None, dock.status.text()
        dock.load_component(ref.id)
        assert dock.retire("拆除") is not None, dock.status.text()
        s = ws.schema
        with ws.engine.connect() as c:
            updated_by = c.execute(
                select(s.components.c.updated_by).where(s.components.c.id == ref.id)
            ).scalar_one()
            history = set(
                c.execute(
                    select(s.component_history.c.changed_by).where(
                        s.component_history.c.component_id == ref.id
                    )
                ).scalars()
            )
            audit = set(
                c.execute(
                    select(s.audit_events.c.actor).where(s.audit_events.c.row_id == ref.id)
                ).scalars()
            )
        assert updated_by == role and history == {role} and audit == {role}
        settle()
        dock.grab().save(str(artifacts / "census_dock_actor.png"))
    finally:
        dock.deactivate_tools()
        dock.close()
        dock.deleteLater()


def test_census_dock_in_chinese_names_the_current_user(
    qgis_canvas, qgis_new_project, gpkg_workspace, tmp_path, artifacts
):
    ws = gpkg_workspace
    with zh_cn(tmp_path):
        dock = CensusDock(qgis_canvas, lambda: ws)
        dock.resize(420, 500)
        dock.show()
        try:
            dock.refresh()
            assert dock.actor_label.text() == f"当前用户：{getpass.getuser()}（系统登录名）"
            settle()
            dock.grab().save(str(artifacts / "census_dock_actor_zh.png"))
        finally:
            dock.close()
            dock.deleteLater()
