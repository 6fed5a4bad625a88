"""The user's jobs in the real QGIS desktop, from the release zip (issue #10).

As a new user would: ``make package``'s zip installed into a fresh profile, Debian's
``qgis`` under Xvfb in a stock environment (no venv, no PYTHONPATH), the UI in Chinese.
One QGIS start per scenario (``workflow_steps``: open the workspace, census place / edit /
retire, pull and review ODK submissions, reconcile a survey batch, digitise a thematic
feature), then the outcome is checked here: each step's result, the workspace's rows
(SQLAlchemy), the local ODK Central's review states, and the texts of the Chinese UI.

Scenarios: a GeoPackage workspace with QGIS's locale ``zh-Hans`` (what QGIS's Options dialog
stores) and a PostGIS one with ``zh_CN`` (what Qt and the system say). Screenshots and the
raw results are in tests/artifacts/desktop/<scenario>/; untranslated texts found are listed
in tests/artifacts/desktop/untranslated.txt.
"""

from __future__ import annotations

import json
import math
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import qgis_process_helper
from desktop_helper import DesktopRun, make_profile, run_scenario
from scenario_data import prepare
from sqlalchemy import create_engine, select, text
from workflow_steps import STEPS

from citymgmt_plugin.core.submissions.sources.odk import PASSWORD_ENV
from citymgmt_plugin.core.workspace.store import Workspace
from tests.fixtures.odk_server import PASSWORD, CentralServer

plugin_zip = qgis_process_helper.plugin_zip  # fixture; redundant once conftest loads it

SCENARIOS = {
    "gpkg-zh-Hans": ("gpkg", "zh-Hans"),
    "postgis-zh_CN": ("postgis", "zh_CN"),
}
STEP_NAMES = [s.name for s in STEPS]
FINDINGS: dict[str, list[dict[str, Any]]] = {}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Debian's xvfb"),
]


@dataclass
class Desktop:
    name: str
    locale: str
    run: DesktopRun
    spec: str
    data: dict[str, Any]
    central: Any  # tests.fixtures.odk_server.FakeCentral

    @property
    def info(self) -> dict[str, Any]:
        return self.run.result.get("info", {})

    def workspace(self) -> Workspace:
        return Workspace.open(self.spec)


def _write_findings(artifacts: Path) -> None:
    lines = []
    for name, findings in FINDINGS.items():
        lines.append(f"# {name}: {len(findings)} untranslated texts")
        for f in findings:
            lines.append(f"[{f['step']}] {f['where']}")
            lines.append(f"    text:  {f['text']!r}")
            lines.append(f"    words: {', '.join(f['words'])}")
        lines.append("")
    path = artifacts / "desktop" / "untranslated.txt"
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module", params=list(SCENARIOS))
def desktop(request, plugin_zip, pg_url, tmp_path_factory, artifacts):
    name = request.param
    backend, locale = SCENARIOS[name]
    scratch = tmp_path_factory.mktemp(f"desktop-{name}")
    schema = None
    if backend == "gpkg":
        spec = str(scratch / "office.gpkg")
    else:
        schema = "d_" + uuid.uuid4().hex[:12]
        spec = f"{pg_url}?schema={schema}"
    shots = artifacts / "desktop" / name
    shutil.rmtree(shots, ignore_errors=True)
    try:
        with CentralServer() as central, pytest.MonkeyPatch.context() as mp:
            mp.setenv(PASSWORD_ENV, PASSWORD)
            data = prepare(spec, scratch, central)
            config = {
                "name": name,
                "out": str(scratch / "result.json"),
                "shots": str(shots),
                "spec": spec,
                "timeout": 240,
                "check_texts": True,
                **data,
            }
            make_profile(plugin_zip, scratch / "qgis", locale)
            run = run_scenario(scratch / "qgis", scratch, config, env={PASSWORD_ENV: PASSWORD})
            shots.mkdir(parents=True, exist_ok=True)
            (shots / "result.json").write_text(
                json.dumps(run.result, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            (shots / "qgis-output.txt").write_text(run.log, encoding="utf-8")
            FINDINGS[name] = run.result.get("findings", [])
            _write_findings(artifacts)
            yield Desktop(name, locale, run, spec, data, central.central)
    finally:
        if schema is not None:
            engine = create_engine(pg_url)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()


# -- the run -------------------------------------------------------------------------------
def test_qgis_ran_the_whole_scenario(desktop):
    run = desktop.run
    assert run.result.get("finished"), run.explain()
    assert [s["name"] for s in run.result["steps"]] == STEP_NAMES


@pytest.mark.parametrize("step", STEP_NAMES)
def test_step(desktop, step):
    """Each step of the user's work succeeds, with no Python error anywhere in QGIS."""
    record = desktop.run.steps.get(step)
    assert record is not None, desktop.run.explain([step])
    assert record["ok"], desktop.run.explain([step])


def test_no_python_error_outside_the_steps(desktop):
    result = desktop.run.result
    loose = [u["text"] for u in result.get("uncaught", []) if u["step"] is None]
    loose += [
        m["text"]
        for m in result.get("messages", [])
        if m["step"] is None and (m["tag"] == "Python error" or "Traceback" in m["text"])
    ]
    assert loose == [], "\n\n".join(loose)


def test_plugin_speaks_chinese(desktop):
    info = desktop.info
    assert info.get("user_locale") == desktop.locale, info
    assert info.get("menu_title") == "数字城管", info  # the plugin's zh_CN catalogue
    assert "/.venv/" not in info["python"] and info["python"].startswith("/usr/bin/python3")
    assert info["shapely"][1].startswith(info["settings_dir"].rstrip("/")), info["shapely"]


def test_chinese_ui_has_no_untranslated_identifiers(desktop):
    """Every visible text of the plugin's docks, dialogs, actions, layers and algorithms
    is Chinese, apart from codes, numbers, units and a few proper names (ui_text)."""
    result = desktop.run.result
    assert result.get("texts_checked", 0) > 200, "the text check saw almost nothing"
    findings = result.get("findings", [])
    report = "\n".join(
        f"[{f['step']}] {f['where']}: {f['text']!r} -> {', '.join(f['words'])}" for f in findings
    )
    assert findings == [], f"{len(findings)} untranslated texts:\n{report}"


# -- what the steps left in the workspace and on the server --------------------------------
def _rows(ws: Workspace, table: str, *where: Any) -> list[Any]:
    t = getattr(ws.schema, table)
    with ws.engine.connect() as conn:
        return conn.execute(select(t).where(*where).order_by(t.c.id)).all()


def _xy(geom: Any) -> tuple[float, float]:
    from citymgmt_plugin.core.census.geo import from_db

    g = from_db(geom)
    return g.x, g.y


def test_census_component_placed_edited_and_retired(desktop):
    c = desktop.data["census"]
    identifier = desktop.info.get("placed")
    assert identifier, desktop.run.explain(["census_place"])
    ws = desktop.workspace()
    try:
        comps = ws.schema.components
        (row,) = _rows(ws, "components", comps.c.identifier == identifier)
        hist = ws.schema.component_history
        history = _rows(ws, "component_history", hist.c.component_id == row.id)
    finally:
        ws.close()
    assert (row.class_code, row.dept_name, row.note) == (c["class"], c["dept_name"], c["note"])
    assert (row.status, row.version) == (c["retired_status"], 3)
    assert math.dist(_xy(row.geom), c["point"]) < 1.0
    assert len(history) == 3


def test_review_decisions_stored_and_written_back(desktop):
    r = desktop.data["review"]
    ws = desktop.workspace()
    try:
        s, comps = ws.schema.submissions, ws.schema.components
        states = {row.instance_id: row.state for row in _rows(ws, "submissions")}
        decisions = _rows(ws, "review_decisions")
        (updated,) = _rows(ws, "components", comps.c.identifier == r["update_component"])
        accepted = [
            row
            for row in _rows(ws, "components", comps.c.class_code == "0103")
            if math.dist(_xy(row.geom), r["new_point"]) < 1.0
        ]
        sub_ids = {row.id: row.instance_id for row in _rows(ws, "submissions", s.c.id > 0)}
    finally:
        ws.close()
    assert states[r["update"]] == "updated"
    assert states[r["new"]] == "accepted"
    assert states[r["reject"]] == "rejected"
    assert (updated.status, updated.version) == ("破损", 2)
    assert len(accepted) == 1, "no component made from the accepted submission"
    ours = [d for d in decisions if sub_ids[d.submission_id] in r["pulled"]]
    assert len(ours) == 3 and all(d.written_back for d in ours), ours
    # ODK Central got the review states, and the reason as a comment
    log = dict(desktop.central.review_log)
    assert log.get(r["update"]) == "approved"
    assert log.get(r["new"]) == "approved"
    assert log.get(r["reject"]) == "rejected"
    comments = [c["body"] for c in desktop.central.comments.get(r["reject"], [])]
    assert any(r["reject_reason"] in body for body in comments), comments


def test_survey_batch_reconciled_and_applied(desktop):
    r = desktop.data["reconcile"]
    assert desktop.info.get("reconcile_counts") == r["counts"], desktop.run.explain(["reconcile"])
    applied = desktop.info.get("reconcile_applied")
    assert applied == {"created": 1, "updated": 1, "moved": 0, "retired": 0, "skipped": 0}
    ws = desktop.workspace()
    try:
        comps = ws.schema.components
        (changed,) = _rows(ws, "components", comps.c.identifier == r["changed"])
        lamps = [
            row
            for row in _rows(ws, "components", comps.c.class_code == "0118")
            if math.dist(_xy(row.geom), r["new_point"]) < 0.01
        ]
    finally:
        ws.close()
    assert changed.status == "破损"
    assert len(lamps) == 1


def test_thematic_zone_digitised_and_saved(desktop):
    from shapely import wkb as shapely_wkb

    from citymgmt_plugin.core.thematic.tables import thematic_layers, thematic_table
    from citymgmt_plugin.core.thematic.templates import get_template

    t = desktop.data["thematic"]
    ws = desktop.workspace()
    try:
        (info,) = [i for i in thematic_layers(ws) if i.template == t["template"]]
        table = thematic_table(ws, get_template(t["template"]), info.table_name)
        with ws.engine.connect() as conn:
            rows = conn.execute(select(table, table.c.geom.ST_AsBinary().label("wkb"))).all()
    finally:
        ws.close()
    assert [r.name for r in rows] == [t["name"]]
    zone = shapely_wkb.loads(bytes(rows[0].wkb))
    assert zone.area == pytest.approx(150 * 150, rel=0.05)


def test_weekly_checks_loaded_styled_results(desktop):
    checks = desktop.info.get("weekly_checks")
    assert checks, desktop.run.explain(["weekly_checks"])
    assert checks["group"] == f"每周检查 {desktop.data['weekly']['week']}"
    assert {"coverage_grids", "coverage_gaps", "offroute_stretches"} <= set(checks["styles"])
    assert "未达周巡查要求" in checks["status"]


def test_patrol_reports_written_in_chinese(desktop):
    import subprocess

    week = desktop.data["weekly"]["week"]
    folder = Path(desktop.data["weekly"]["folder"])
    assert {f"patrol-report-{week}.pdf", f"grid-atlas-{week}.pdf"} <= set(
        desktop.info.get("reports", [])
    ), desktop.run.explain(["patrol_reports"])
    pdf = folder / f"patrol-report-{week}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert f"巡查周报 {week}" in text and "图例" in text


def test_tasks_made_matched_and_pushed(desktop):
    t = desktop.data["tasks"]
    ws = desktop.workspace()
    try:
        c = ws.schema.cases
        tasks = _rows(ws, "tasks")
        (case,) = _rows(ws, "cases", c.c.case_no == t["component_case"])
        (component,) = _rows(ws, "components", ws.schema.components.c.identifier == t["component"])
        history = _rows(ws, "case_history", ws.schema.case_history.c.case_id == case.id)
    finally:
        ws.close()
    assert sorted(task.case_no for task in tasks) == sorted(t["cases"])
    assert {(task.kind, task.state, task.entity_sync) for task in tasks} == {
        ("verify", "open", "open")
    }
    assert case.component_id == component.id  # matched in the dock; the census untouched
    assert [h.operation for h in history] == ["import", "task", "match"]
    dataset = desktop.central.entities.dataset(t["project"], t["dataset"])
    entities = {e.uuid: e for e in dataset.live()}
    assert set(entities) == {task.entity_uuid for task in tasks}
    assert {e.data["case_no"] for e in entities.values()} == set(t["cases"])
    assert all(e.data["status"] == "open" for e in entities.values())
