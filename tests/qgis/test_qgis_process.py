"""Debian's qgis_process sees the packaged plugin's Processing provider and runs every one of
its algorithms, outputs read back."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import qgis_process_helper
from qgis.core import NULL
from qgis_process_helper import PLUGIN, run_qgis_process
from sqlalchemy import create_engine, insert, text

from tests.fixtures import small_workspace

# fixtures; redundant once tests/conftest.py loads qgis_process_helper as a plugin
plugin_zip = qgis_process_helper.plugin_zip
installed_profile = qgis_process_helper.installed_profile


def source_algorithm_ids() -> set[str]:
    from processing_algorithms.provider import algorithm_classes

    return {f"citymgmt:{cls().name()}" for cls in algorithm_classes()}


def test_plugin_is_loaded_by_qgis_process(installed_profile):
    done = run_qgis_process(["plugins"], installed_profile)
    assert done.returncode == 0, done.stderr
    assert f"* {PLUGIN}" in done.stdout.splitlines(), done.stdout


def test_provider_and_algorithms_are_listed(installed_profile, qgis_app):
    done = run_qgis_process(["list"], installed_profile, json_output=True)
    assert done.returncode == 0, done.stderr
    providers = json.loads(done.stdout)["providers"]
    assert "citymgmt" in providers, sorted(providers)
    ours = providers["citymgmt"]
    assert ours["is_active"] and ours["name"]
    assert set(ours["algorithms"]) == source_algorithm_ids()
    for alg_id, alg in ours["algorithms"].items():
        assert alg["name"] and alg["group"], alg_id

    text = run_qgis_process(["list"], installed_profile)
    assert ours["name"] in text.stdout.splitlines()


def test_bundled_wheels_serve_qgis_process(installed_profile):
    run_qgis_process(["plugins"], installed_profile)
    private = installed_profile / "python" / "dependencies" / "citymgmt"
    assert list(private.glob("*/cp311-*/.installed/sqlalchemy-2*"))
    assert list(private.glob("*/cp311-*/shapely/__init__.py"))


def test_algorithm_help(installed_profile):
    ids = sorted(source_algorithm_ids())
    assert ids, "the provider offers no algorithm"
    done = run_qgis_process(["help", ids[0]], installed_profile)
    assert done.returncode == 0, done.stderr
    assert ids[0] in done.stdout


# -- every algorithm of the provider, run by qgis_process from the installed zip -----------
# A small GeoPackage workspace (tests/small_workspace.py) with two defects planted: a seventh
# unit grid overlapping the first one, and five GPS fixes 55 m off the prescribed route.
# The runs go two at a time (2 cores); each output is opened and checked here.

X0, Y0 = small_workspace.X0, small_workspace.Y0


@dataclass
class Case:
    alg: str
    params: Callable[[Path, Path, str], dict[str, str]]  # (workspace, out folder, PG source)
    check: Callable[[dict[str, Any], Path, Path], None]  # (results, out folder, workspace)


def _seed_defects(ws) -> None:
    s = ws.schema
    when = datetime(2026, 11, 2, 1, 33, 20, tzinfo=timezone.utc)
    with ws.begin() as c:
        c.execute(
            insert(s.unit_grids).values(
                code="320508001001007",
                community_code="320508001001",
                responsible="平江社区",
                area_m2=2500.0,
                geom=small_workspace._square(X0 + 50, Y0 + 150, 50, 50),
            )
        )
        c.execute(
            insert(s.track_points),
            [
                dict(
                    collector_code="C01",
                    device_id="dev-1",
                    fix_time=when + timedelta(seconds=10 * k),
                    accuracy_m=5.0,
                    geom=small_workspace._point(X0 + 205 + 10 * k, Y0 + 150),
                )
                for k in range(5)
            ],
        )


def _seed_tasks(ws) -> None:
    """A case with a 核实 task overdue since 2026-11-02 03:30 and one done in time."""
    s = ws.schema
    when = datetime(2026, 11, 2, 1, 30, tzinfo=timezone.utc)
    point = small_workspace._point(X0 + 150, Y0 + 50)
    with ws.begin() as c:
        case_id = c.execute(
            insert(s.cases).returning(s.cases.c.id),
            dict(
                case_no="AJ20261102001",
                channel="hotline",
                kind="event",
                class_code="0102",
                state="reported",
                reported_at=when,
                state_at=when,
                source="test",
                created_at=when,
                updated_at=when,
                updated_by="test",
                geom=point,
            ),
        ).scalar()
        task = dict(
            case_id=case_id,
            case_no="AJ20261102001",
            created_at=when,
            created_by="test",
            due_at=when + timedelta(hours=2),
            assigned_grid="R01",
            assigned_collector="C01",
            entity_sync="none",
            geom=point,
        )
        open_ = dict(kind="verify", state="open", outcome=None, result_at=None, result_by=None)
        done = dict(
            kind="check",
            state="done",
            outcome="handled",
            result_at=when + timedelta(hours=1),
            result_by="C01",
        )
        c.execute(
            insert(s.tasks),
            [
                dict(task, **open_, entity_uuid="9b2f4c1e-8d3a-4e5f-9a6b-7c8d9e0f1a2b"),
                dict(task, **done, entity_uuid="1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"),
            ],
        )


@pytest.fixture(scope="module")
def alg_workspace(tmp_path_factory) -> Path:
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    path = tmp_path_factory.mktemp("alg-workspace") / "office.gpkg"
    upgrade(str(path))
    ws = Workspace.open(str(path))
    try:
        small_workspace.seed_small_workspace(ws)
        _seed_defects(ws)
        _seed_tasks(ws)
    finally:
        ws.close()
    return path


@pytest.fixture(scope="module")
def pg_components(pg_url, qgis_app) -> Iterator[str]:
    """The small workspace in PostGIS; its point components and unit grids as Processing
    layer strings (``postgres://`` + the data source URI)."""
    from citymgmt_plugin.core.qgis.layers import layer_source
    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    schema = "q_" + uuid.uuid4().hex[:12]
    spec = f"{pg_url}?schema={schema}"
    upgrade(spec)
    ws = Workspace.open(spec)
    try:
        small_workspace.seed_small_workspace(ws)
        # a geometry-generic column: the postgres provider needs the type, as the plugin's
        # own "components (point)" layer gives it
        source, provider = layer_source(ws, "components", None, "Point")
        grids, _ = layer_source(ws, "unit_grids")
    finally:
        ws.close()
    assert provider == "postgres"
    yield f"postgres://{source}", f"postgres://{grids}"
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _layer(ws: Path, name: str, subset: str = "") -> str:
    return f"{ws}|layername={name}" + (f"|subset={subset}" if subset else "")


def _read(source: str) -> tuple[list[str], list[dict[str, Any]]]:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(source), "output", "ogr")
    assert layer.isValid(), f"output not readable: {source}"
    names = layer.fields().names()
    rows = []
    for f in layer.getFeatures():
        row = {n: (None if f[n] is None or f[n] == NULL else f[n]) for n in names}
        row["_geometry"] = f.geometry() if f.hasGeometry() else None
        rows.append(row)
    return names, rows


def _topology_check(results, out, ws):
    assert results["GRIDS_CHECKED"] == 7
    assert results["OVERLAP"] == 1 and results["ERRORS"] >= 1
    _names, rows = _read(results["OUTPUT"])
    assert len(rows) == results["ERRORS"]
    (overlap,) = [r for r in rows if r["type"] == "overlap"]
    assert {overlap["grid_code"], overlap["other_code"]} == {"320508001001001", "320508001001007"}
    assert overlap["_geometry"].area() == pytest.approx(2500, rel=1e-6)


def _coverage_check(results, out, ws):
    _names, grids = _read(results["OUTPUT"])
    assert len(grids) == results["grids"] == 7
    assert sum(r["road_m"] for r in grids) == pytest.approx(results["road_m"])
    assert sum(r["covered_m"] for r in grids) == pytest.approx(results["covered_m"])
    assert 0 < results["covered_m"] < results["road_m"]
    assert results["fixes_used"] == 25
    _names, gaps = _read(results["GAPS"])
    assert gaps and all(g["_geometry"].length() > 0 for g in gaps)
    assert sum(g["length_m"] for g in gaps) == pytest.approx(
        results["road_m"] - results["covered_m"], abs=0.01
    )


def _deviation_check(results, out, ws):
    _names, days = _read(results["OUTPUT"])
    assert [r["collector"] for r in days] == ["C01"]
    off, total = float(days[0]["off_m"]), float(days[0]["patrol_m"])  # CSV: text
    assert 0 < off < total
    _names, stretches = _read(results["OFFROUTE"])
    assert stretches and {s["collector"] for s in stretches} == {"C01"}
    assert all(s["_geometry"].length() > 0 for s in stretches)


def _kpi_check(results, out, ws):
    # pending, accepted, rejected, quarantined broken components: only the accepted is valid
    assert results["REPORTS"] == 4 and results["VALID_REPORTS"] == 1
    _names, overall = _read(results["OUTPUT_OVERALL"])
    kpis = {r["kpi"]: r for r in overall}
    assert kpis["valid_rate"]["value"] == pytest.approx(0.25)
    assert kpis["component_share"]["value"] == pytest.approx(1.0)  # status from the payload
    _names, collectors = _read(results["OUTPUT_COLLECTORS"])
    assert [r["collector"] for r in collectors] == ["C01"]
    _names, hours = _read(results["OUTPUT_HOURS"])
    assert len(hours) == 24


def _year_check(results, out, ws):
    assert results["weeks"] == 1 and results["fixes_used"] == 25
    _names, rows = _read(results["OUTPUT"])
    assert len(rows) == 7 and {r["week"] for r in rows} == {"2026-11-02"}
    _names, grids = _read(results["OUTPUT_GRIDS"])
    assert len(grids) == 7 and all(int(g["weeks"]) == 1 for g in grids)
    _names, weeks = _read(results["OUTPUT_WEEKS"])
    assert [int(w["fixes_used"]) for w in weeks] == [25]


def _assessment_check(results, out, ws):
    _names, kpis = _read(results["OUTPUT_KPIS"])
    assert {r["kpi"] for r in kpis} >= {"valid_rate", "monthly_valid", "annual_valid"}
    _names, collectors = _read(results["OUTPUT_COLLECTORS"])
    assert [r["collector"] for r in collectors] == ["C01"]
    _names, pay = _read(results["OUTPUT_PAYMENT"])
    assert len(pay) == 1 and float(pay[0]["payable"]) == pytest.approx(results["PAYABLE"])


def _qa_check(results, out, ws, checked=6):
    counts = json.loads(results["COUNTS"])
    assert results["CHECKED"] == checked
    assert results["TOTAL"] == sum(counts.values()) > 0
    assert results["GRID_MISMATCH"] >= 1  # the small workspace files every one in grid 001
    _names, errors = _read(results["OUTPUT"])
    assert len(errors) == results["TOTAL"]
    assert {e["rule"] for e in errors} == {k for k, v in counts.items() if v}
    assert all(e["identifier"] for e in errors)


def _create_check(results, out, ws):
    from citymgmt_plugin.core.thematic.tables import thematic_layers
    from citymgmt_plugin.core.workspace.store import Workspace

    assert results["TEMPLATE_ID"] == "construction_zones"
    names, rows = _read(results["OUTPUT"])
    assert rows == [] and {"name", "category", "status", "surveyor"} <= set(names)
    workspace = Workspace.open(str(ws))
    try:
        registered = {i.table_name: i.template for i in thematic_layers(workspace)}
    finally:
        workspace.close()
    assert registered[results["TABLE"]] == "construction_zones"


def _taskstatus_check(results, out, ws):
    _names, rows = _read(results["OUTPUT"])
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["verify"]["status"] == "overdue" and by_kind["check"]["status"] == "on_time"
    assert by_kind["check"]["hours_late"] == pytest.approx(-1.0)
    assert results["OVERDUE"] == 1 and results["CHECK_ON_TIME_RATE"] == pytest.approx(1.0)
    assert results["VERIFY_ON_TIME_RATE"] == pytest.approx(0.0)


def _stats_check(results, out, ws):
    _names, rows = _read(results["OUTPUT"])
    assert [(r["grid_code"], int(r["count"])) for r in rows] == [("320508001001005", 1)]
    assert float(rows[0]["area_m2"]) == pytest.approx(40 * 30)  # CSV: text


def _census_batch(out: Path, kind: str) -> str:
    """A three-row census batch beside the outputs: a stored component, a new one and a row
    whose identifier a spreadsheet turned into a number; CSV or a GeoPackage layer."""
    rows = [
        ("3205080101000001", "0101", X0 + 20, Y0 + 150, "上水井盖"),
        ("", "0118", X0 + 250, Y0 + 20, "路灯"),
        ("3.20508E+15", "0101", X0 + 260, Y0 + 60, "上水井盖"),
    ]
    if kind == "csv":
        path = out / "batch.csv"
        lines = ["标识码,类别代码,X坐标,Y坐标,部件名称,部件状态,主管部门名称,主管部门代码"]
        lines += [f"{i},{c},{x},{y},{n},完好,市政,001" for i, c, x, y, n in rows]
        path.write_text("\n".join(lines) + "\n", encoding="gbk")
        return str(path)
    from osgeo import ogr, osr

    path = out / "batch.gpkg"
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("survey", srs, ogr.wkbPoint)
    names = ("BSM", "LBDM", "MC", "BJZT", "ZGBMMC", "ZGBMDM")
    for name in names:
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for ident, cls, x, y, name in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for k, v in zip(names, (ident, cls, name, "完好", "市政", "001")):
            feat.SetField(k, v)
        feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        lyr.CreateFeature(feat)
    ds = None
    return f"{path}|layername=survey"


def _census_check(results, out, ws):
    assert (results["ROWS"], results["VALID"], results["INVALID"]) == (3, 2, 1)
    assert results["NEW"] == 1 and results["UNCHANGED"] == 1
    assert json.loads(results["REFUSALS"]) == {"identifier_number": 1}
    _names, refused = _read(results["REFUSED"])
    assert [(int(r["row_no"]), r["rules"]) for r in refused] == [(3, "identifier_number")]
    _names, items = _read(results["ITEMS"])
    assert {r["kind"] for r in items} >= {"new", "unchanged"}


def _report_check(results, out, ws):
    import subprocess

    weekly = Path(results["WEEKLY_PDF"])
    assert weekly == out / "reports" / "patrol-report-2026-W45.pdf" and weekly.is_file()
    text = subprocess.run(
        ["pdftotext", str(weekly), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Weekly patrol report 2026-W45" in text and "320508001001" in text
    assert Path(results["MONTHLY_PDF"]).is_file() and Path(results["ATLAS_PDF"]).is_file()
    names, grids = _read(f"{results['REPORT_DATA']}|layername=grid_coverage")
    assert len(grids) == 7 and "passed" in names


CASES = {
    "censusimport": Case(
        "citymgmt:censusimport",
        lambda ws, out, pg: {
            "WORKSPACE": str(ws),
            "FILE": _census_batch(out, "csv"),
            "CRS": "EPSG:4549",
            "ITEMS": str(out / "items.gpkg"),
            "REFUSED": str(out / "refused.csv"),
        },
        _census_check,
    ),
    "censusreconcile": Case(
        "citymgmt:censusreconcile",
        lambda ws, out, pg: {
            "WORKSPACE": str(ws),
            "INPUT": _census_batch(out, "gpkg"),
            "ITEMS": str(out / "items.gpkg"),
            "REFUSED": str(out / "refused.gpkg"),
        },
        _census_check,
    ),
    "gridtopology": Case(
        "citymgmt:gridtopology",
        lambda ws, out, pg: {
            "GRIDS": _layer(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "ADMIN": _layer(ws, "admin_units", "level='community'"),
            "OUTPUT": str(out / "grid_errors.gpkg"),
        },
        _topology_check,
    ),
    "patrolcoverage": Case(
        "citymgmt:patrolcoverage",
        lambda ws, out, pg: {
            "GRIDS": _layer(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "ROADS": _layer(ws, "main_roads"),
            "TRACKS": _layer(ws, "track_points"),
            "COLLECTOR_FIELD": "collector_code",
            "TIME_FIELD": "fix_time",
            "OUTPUT": str(out / "coverage.gpkg"),
            "GAPS": str(out / "gaps.shp"),
        },
        _coverage_check,
    ),
    "routedeviation": Case(
        "citymgmt:routedeviation",
        lambda ws, out, pg: {
            "TRACKS": _layer(ws, "track_points"),
            "COLLECTOR_FIELD": "collector_code",
            "TIME_FIELD": "fix_time",
            "ROUTES": _layer(ws, "patrol_routes"),
            "ROUTE_COLLECTOR_FIELD": "collector_code",
            "OUTPUT": str(out / "deviation.csv"),
            "OFFROUTE": str(out / "offroute.geojson"),
        },
        _deviation_check,
    ),
    "reportingkpi": Case(
        "citymgmt:reportingkpi",
        lambda ws, out, pg: {
            "SUBMISSIONS": _layer(ws, "submissions"),
            "TIME_FIELD": "received_at",
            "GRIDS": _layer(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "OUTPUT_OVERALL": str(out / "kpi.gpkg"),
            "OUTPUT_GRIDS": str(out / "kpi_grids.gpkg"),
            "OUTPUT_COLLECTORS": str(out / "kpi_collectors.xlsx"),
            "OUTPUT_HOURS": str(out / "kpi_hours.csv"),
        },
        _kpi_check,
    ),
    "patrolyear": Case(
        "citymgmt:patrolyear",
        lambda ws, out, pg: {
            "GRIDS": _layer(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "ROADS": _layer(ws, "main_roads"),
            "TRACKS": _layer(ws, "track_points"),
            "COLLECTOR_FIELD": "collector_code",
            "TIME_FIELD": "fix_time",
            "START": "2026-11-02",
            "END": "2026-11-08",
            "OUTPUT": str(out / "year.csv"),
            "OUTPUT_GRIDS": str(out / "year_grids.gpkg"),
            "OUTPUT_WEEKS": str(out / "year_weeks.gpkg"),
        },
        _year_check,
    ),
    "assessment": Case(
        "citymgmt:assessment",
        lambda ws, out, pg: {
            "WORKSPACE": str(ws),
            "MONTH": "2026-11",
            "OUTPUT_KPIS": str(out / "kpis.gpkg"),
            "OUTPUT_COLLECTORS": str(out / "collectors.csv"),
            "OUTPUT_DISTRICTS": str(out / "districts.gpkg"),
            "OUTPUT_GRIDS": str(out / "grids.gpkg"),
            "OUTPUT_PAYMENT": str(out / "payment.xlsx"),
        },
        _assessment_check,
    ),
    "censusqa": Case(
        "citymgmt:censusqa",
        lambda ws, out, pg: {
            "INPUT": _layer(ws, "components"),
            "GRIDS": _layer(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "OUTPUT": str(out / "qa.gpkg"),
        },
        _qa_check,
    ),
    "censusqa-postgis": Case(
        "citymgmt:censusqa",
        lambda ws, out, pg: {
            "INPUT": pg[0],
            "GRIDS": pg[1],
            "GRID_CODE_FIELD": "code",
            "OUTPUT": str(out / "qa_postgis.gpkg"),
        },
        functools.partial(_qa_check, checked=4),  # the point components
    ),
    "createthematiclayer": Case(
        "citymgmt:createthematiclayer",
        lambda ws, out, pg: {"TEMPLATE": "construction_zones", "WORKSPACE": str(ws)},
        _create_check,
    ),
    "patrolreport": Case(
        "citymgmt:patrolreport",
        lambda ws, out, pg: {
            "WORKSPACE": str(ws),
            "WEEK": "2026-W45",
            "REPORTS": "0,1,2",
            "OUTPUT_FOLDER": str(out / "reports"),
        },
        _report_check,
    ),
    "taskstatus": Case(
        "citymgmt:taskstatus",
        lambda ws, out, pg: {"WORKSPACE": str(ws), "OUTPUT": str(out / "tasks.gpkg")},
        _taskstatus_check,
    ),
    "thematicstats": Case(
        "citymgmt:thematicstats",
        lambda ws, out, pg: {
            "THEMATIC": _layer(ws, small_workspace.THEMATIC_TABLE),
            "GRIDS": _layer(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "OUTPUT": str(out / "stats.csv"),
        },
        _stats_check,
    ),
}


@pytest.fixture(scope="module")
def alg_runs(installed_profile, alg_workspace, pg_components, tmp_path_factory):
    """Every case through ``qgis_process.bin --json run``, two at a time."""

    def run(name: str) -> tuple[str, Any, Path]:
        case = CASES[name]
        out = tmp_path_factory.mktemp(f"alg-{name}")
        params = case.params(alg_workspace, out, pg_components)
        args = ["run", case.alg, "--", *(f"{k}={v}" for k, v in params.items())]
        return name, run_qgis_process(args, installed_profile, json_output=True), out

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {name: (done, out) for name, done, out in pool.map(run, sorted(CASES))}


def test_every_algorithm_of_the_provider_is_run():
    assert {case.alg for case in CASES.values()} == source_algorithm_ids()


@pytest.mark.parametrize("name", sorted(CASES))
def test_algorithm_runs_from_the_installed_zip(alg_runs, alg_workspace, qgis_app, name):
    """qgis_process with the profile's plugin (bundled wheels, no venv) runs the algorithm;
    its outputs are opened and checked."""
    done, out = alg_runs[name]
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    results = json.loads(done.stdout)["results"]
    CASES[name].check(results, out, alg_workspace)
