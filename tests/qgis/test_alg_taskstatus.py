"""citymgmt:taskstatus through processing.run and Debian's qgis_process: the tasks of a period
with state, lateness and outcome, and the on-time rates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import qgis_process_helper
from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer
from qgis_process_helper import run_qgis_process

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import Outcome, TaskKind
from citymgmt_plugin.core.cases.results import TaskResult, apply_result
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.tasks import TaskPlan, create_tasks
from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from tests.fixtures.cases_data import case_row, write_csv
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

plugin_zip = qgis_process_helper.plugin_zip
installed_profile = qgis_process_helper.installed_profile

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 office time


@pytest.fixture
def workspace_path(tmp_path):
    """Three verify tasks made at T0, due T0 + 2 h: one done in 1 h, one done in 3 h (late),
    one still open (overdue by now)."""
    path = tmp_path / "office.gpkg"
    upgrade(str(path))
    ws = Workspace.open(str(path))
    seed_small_workspace(ws)
    rows = [case_row(f"AJ{i:04d}", at=(X0 + 50 * i, Y0 + 50)) for i in range(1, 4)]
    import_cases(ws, str(write_csv(tmp_path / "c.csv", rows)), store=mapping_store(tmp_path / "m"))
    report = create_tasks(ws, TaskPlan(TaskKind.VERIFY, rule="public_unverified"), now=T0)
    t = ws.schema.tasks
    from sqlalchemy import select

    with ws.engine.connect() as conn:
        uuids = dict(conn.execute(select(t.c.id, t.c.entity_uuid)).all())
    first, second, _third = report.created
    apply_result(ws, TaskResult(uuids[first], Outcome.CONFIRMED, T0 + timedelta(hours=1), "C01"))
    apply_result(
        ws, TaskResult(uuids[second], Outcome.NOT_CONFIRMED, T0 + timedelta(hours=3), "C01")
    )
    ws.close()
    return path


def check(tasks_path: str, rates_path: str | None, results: dict) -> None:
    layer = QgsVectorLayer(tasks_path, "tasks", "ogr")
    rows = {f["case_no"]: f for f in layer.getFeatures()}
    assert [rows[n]["status"] for n in ("AJ0001", "AJ0002", "AJ0003")] == [
        "on_time",
        "late",
        "overdue",
    ]
    assert rows["AJ0001"]["hours_late"] == pytest.approx(-1.0)
    assert rows["AJ0002"]["hours_late"] == pytest.approx(1.0)
    assert rows["AJ0002"]["outcome"] == "not_confirmed"
    assert rows["AJ0003"]["state"] == "open" and rows["AJ0003"]["hours_late"] > 1
    pt = rows["AJ0001"].geometry().asPoint()
    assert (pt.x(), pt.y()) == pytest.approx((X0 + 50, Y0 + 50))
    assert results["VERIFY_ON_TIME_RATE"] == pytest.approx(1 / 3)
    assert results["OVERDUE"] == 1
    if rates_path:
        rates = QgsVectorLayer(rates_path, "rates", "ogr")
        district = [f for f in rates.getFeatures() if f["level"] == "district"]
        assert [(f["on_time"], f["late"], f["overdue"]) for f in district] == [(1, 1, 1)]
        assert district[0]["median_hours"] == pytest.approx(2.0)


def test_taskstatus_through_processing_run(processing_ready, workspace_path, tmp_path):
    import processing

    params = {
        "WORKSPACE": str(workspace_path),
        "KIND": 1,
        "OUTPUT": str(tmp_path / "tasks.gpkg"),
        "RATES": str(tmp_path / "rates.gpkg"),
    }
    res = processing.run(
        "citymgmt:taskstatus",
        params,
        context=QgsProcessingContext(),
        feedback=QgsProcessingFeedback(),
    )
    check(res["OUTPUT"], res["RATES"], res)


def test_a_period_without_tasks_and_a_bad_workspace(processing_ready, workspace_path, tmp_path):
    import processing
    from qgis.core import QgsProcessingException

    res = processing.run(
        "citymgmt:taskstatus",
        {
            "WORKSPACE": str(workspace_path),
            "START": "2027-01-01T00:00:00",
            "OUTPUT": str(tmp_path / "none.gpkg"),
        },
    )
    assert QgsVectorLayer(res["OUTPUT"], "t", "ogr").featureCount() == 0
    assert res["VERIFY_ON_TIME_RATE"] is None and res["OVERDUE"] == 0
    with pytest.raises(QgsProcessingException, match="No such GeoPackage"):
        processing.run(
            "citymgmt:taskstatus",
            {"WORKSPACE": str(tmp_path / "nowhere.gpkg"), "OUTPUT": "memory:"},
        )


@pytest.mark.slow
def test_taskstatus_through_qgis_process(
    processing_ready, installed_profile, workspace_path, tmp_path
):
    out = tmp_path / "tasks.gpkg"
    done = run_qgis_process(
        ["run", "citymgmt:taskstatus", "--", f"WORKSPACE={workspace_path}", f"OUTPUT={out}"],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    check(str(out), None, json.loads(done.stdout)["results"])
