"""The citymgmt algorithms in a Modeler model, in the batch dialog and through qgis_process.

Issue 3 asks for "the same code path in the toolbox, Modeler, batch and qgis_process". Here:

- a model a supervisor would build (grids, roads, tracks and submissions as model inputs →
  ``citymgmt:patrolcoverage`` → ``native:extractbyattribute`` on ``passed = 0``; and
  ``citymgmt:gridtopology`` on the same grids; ``citymgmt:reportingkpi`` on the
  submissions), built with the model API, run with ``processing.run(model, …)``, saved to a
  ``.model3`` file, reloaded and run again on GeoPackage inputs;
- ``processing.gui.BatchAlgorithmDialog`` driven offscreen: for each citymgmt algorithm
  the dialog is created, two rows are filled through its ``BatchPanel`` (the parameter
  wrappers and the output cells, what the user's typing or the fill-down menu does) and
  ``runAlgorithm()`` runs both rows; both outputs are checked;
- ``patrolcoverage`` and ``routedeviation`` through the real ``qgis_process.bin`` with the
  packaged plugin (see tests/qgis_process_helper.py).

The data is hand-made so the numbers are exact: three grids (two 510 × 200 m side by side
along a 1,000 m road, one 100 m square without road), one collector walking the first
500 m of the road.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelOutput,
    QgsProcessingModelParameter,
    QgsProcessingParameterVectorLayer,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis_process_helper import installed_profile, plugin_zip, run_qgis_process  # noqa: F401

X0, Y0 = 500000.0, 3460000.0
T0 = 1714953600  # 2024-05-06 08:00 China time
CODES = ("320508001001001", "320508001001002", "320508001001003")


# -- hand-made data ------------------------------------------------------------------------------


def _layer(uri: str, rows: list[tuple]) -> QgsVectorLayer:
    layer = QgsVectorLayer(uri, "l", "memory")
    assert layer.isValid(), uri
    feats = []
    for wkt, *attrs in rows:
        f = QgsFeature(layer.fields())
        if wkt is not None:
            f.setGeometry(QgsGeometry.fromWkt(wkt))
        f.setAttributes(list(attrs))
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer


def _box(x0, y0, x1, y1) -> str:
    x0, x1, y0, y1 = x0 + X0, x1 + X0, y0 + Y0, y1 + Y0
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def _qdt(t: int) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(t), Qt.UTC)


def grids() -> QgsVectorLayer:
    """Two 510 × 200 m grids (102,000 m²: too large for gridtopology's 40,000 m² default)
    split by the road's midpoint, and a 100 m square far away without road."""
    return _layer(
        "Polygon?crs=EPSG:4549&field=grid_code:string",
        [
            (_box(-10, -100, 500, 100), CODES[0]),
            (_box(500, -100, 1010, 100), CODES[1]),
            (_box(5000, 0, 5100, 100), CODES[2]),
        ],
    )


def roads() -> QgsVectorLayer:
    return _layer(
        "LineString?crs=EPSG:4549&field=name:string",
        [(f"LINESTRING({X0} {Y0},{X0 + 1000} {Y0})", "Renmin Rd")],
    )


def routes() -> QgsVectorLayer:
    """A001's prescribed route: the whole road."""
    return _layer(
        "LineString?crs=EPSG:4549&field=owner:string",
        [(f"LINESTRING({X0} {Y0},{X0 + 1000} {Y0})", "A001")],
    )


def tracks(x_end: float = 500.0) -> QgsVectorLayer:
    """A001 walks the road from x=0 to ``x_end`` along y=0 at 1 m/s, a fix every 10 m; with
    the default 30 m tolerance it covers [0, x_end + 30] of the road."""
    rows = []
    for k in range(int(x_end // 10) + 1):
        rows.append((f"POINT({X0 + 10 * k} {Y0})", "A001", _qdt(T0 + 10 * k)))
    return _layer("Point?crs=EPSG:4549&field=collector:string&field=t:datetime", rows)


def detour_tracks() -> QgsVectorLayer:
    """A001 along the route to x=500, 100 m out at right angles and back, on to x=1000:
    140 m and 140 s off the route (tolerance 30 m; see test_alg_routedeviation)."""
    pts = [(10.0 * k, 0.0) for k in range(51)]
    pts += [(500.0, 10.0 * k) for k in range(1, 10)]
    pts += [(500.0, 10.0 * k) for k in range(10, 0, -1)]
    pts += [(10.0 * k, 0.0) for k in range(51, 101)]
    rows = [
        (f"POINT({X0 + x} {Y0 + y})", "A001", _qdt(T0 + 10 * i)) for i, (x, y) in enumerate(pts)
    ]
    return _layer("Point?crs=EPSG:4549&field=collector:string&field=t:datetime", rows)


def _local(hour: int, minute: int = 0) -> QDateTime:
    """2026-11-16 ``hour``:``minute`` in Shanghai, as UTC."""
    return _qdt(1794758400 + 3600 * hour + 60 * minute)  # 2026-11-16 00:00 +08:00


def submissions() -> QgsVectorLayer:
    """Four problem reports on 2026-11-16: three valid (two in grid 1, one in grid 2), one
    rejected; two components (reported broken), two events."""
    rows = [
        (
            f"POINT({X0 + 100} {Y0 + 50})",
            _local(9),
            "A001",
            "component",
            "0101",
            "accepted",
            "破损",
        ),
        (f"POINT({X0 + 200} {Y0 + 50})", _local(10), "A001", "event", "0501", "accepted", None),
        (
            f"POINT({X0 + 700} {Y0 + 50})",
            _local(11),
            "B002",
            "component",
            "0102",
            "rejected",
            "破损",
        ),
        (f"POINT({X0 + 800} {Y0 + 50})", _local(14), "B002", "event", "0201", "accepted", None),
    ]
    return _layer(
        "Point?crs=EPSG:4549&field=observed_at:datetime&field=collector_code:string"
        "&field=kind:string&field=category_code:string&field=state:string&field=status:string",
        rows,
    )


def write_gpkg(layers: dict[str, QgsVectorLayer], path: Path) -> dict[str, str]:
    """Each layer into one GeoPackage; {name: "path|layername=name"}."""
    out = {}
    for name, lyr in layers.items():
        opts = QgsVectorFileWriter.SaveVectorOptions()
        opts.driverName = "GPKG"
        opts.layerName = name
        if path.exists():
            opts.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
        err = QgsVectorFileWriter.writeAsVectorFormatV3(
            lyr, str(path), QgsCoordinateTransformContext(), opts
        )
        assert err[0] == QgsVectorFileWriter.NoError, err
        out[name] = f"{path}|layername={name}"
    return out


def as_layer(value) -> QgsVectorLayer:
    if isinstance(value, QgsVectorLayer):
        return value
    layer = QgsVectorLayer(str(value), "out", "ogr")
    assert layer.isValid(), value
    return layer


def rows_by(value, key: str) -> dict:
    layer = as_layer(value)
    names = layer.fields().names()
    return {f[key]: {n: f[n] for n in names} for f in layer.getFeatures()}


def assert_coverage(value, x_end: float = 500.0) -> None:
    """Per-grid numbers of patrolcoverage's OUTPUT for tracks(x_end), 0 ≤ x_end ≤ 970."""
    out = rows_by(value, "grid_code")
    assert set(out) == set(CODES)
    g1, g2, g3 = (out[c] for c in CODES)
    covered = min(x_end + 30, 500.0)
    assert g1["road_m"] == pytest.approx(500.0)
    assert g1["covered_m"] == pytest.approx(covered, abs=1e-3)
    assert g1["coverage"] == pytest.approx(covered / 500, abs=1e-6)
    assert bool(g1["passed"]) is (covered >= 500 * 0.995)
    spill = max(x_end + 30 - 500, 0.0)
    assert g2["road_m"] == pytest.approx(500.0)
    assert g2["covered_m"] == pytest.approx(spill, abs=1e-3)
    assert not g2["passed"]
    assert g3["road_m"] == 0 and g3["covered_m"] == 0 and g3["passed"]


# -- (a) a Modeler model ------------------------------------------------------------------------


def _model_input(model: QgsProcessingModelAlgorithm, name: str, label: str, kind: int) -> None:
    model.addModelParameter(
        QgsProcessingParameterVectorLayer(name, label, [kind]), QgsProcessingModelParameter(name)
    )


def _child(
    alg_id: str, child_id: str, sources: dict, outputs: dict[str, str] | None = None
) -> QgsProcessingModelChildAlgorithm:
    """A child algorithm; ``sources`` values: ("input", model input name), ("child",
    child id, output name) or a static value; ``outputs``: {model output name: child output}.
    The other parameters get their default value, as the Modeler's child dialog fills them."""
    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    child.setDescription(child_id)
    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    defaults = {
        p.name(): p.defaultValue()
        for p in alg.parameterDefinitions()
        if not p.isDestination() and p.defaultValue() is not None
    }
    for name, value in {**defaults, **sources}.items():
        if isinstance(value, tuple) and value[0] == "input":
            src = QgsProcessingModelChildParameterSource.fromModelParameter(value[1])
        elif isinstance(value, tuple) and value[0] == "child":
            src = QgsProcessingModelChildParameterSource.fromChildOutput(value[1], value[2])
        else:
            src = QgsProcessingModelChildParameterSource.fromStaticValue(value)
        child.addParameterSources(name, [src])
    model_outputs = {}
    for out_name, child_output in (outputs or {}).items():
        out = QgsProcessingModelOutput(out_name, out_name)
        out.setChildId(child_id)
        out.setChildOutputName(child_output)
        model_outputs[out_name] = out
    child.setModelOutputs(model_outputs)
    return child


def supervisor_model() -> QgsProcessingModelAlgorithm:
    """The weekly check a supervisor would draw in the Modeler."""
    model = QgsProcessingModelAlgorithm("Weekly supervision", "citymgmt tests")
    _model_input(model, "grids", "Unit grids", QgsProcessing.TypeVectorPolygon)
    _model_input(model, "roads", "Main roads", QgsProcessing.TypeVectorLine)
    _model_input(model, "tracks", "GPS fixes", QgsProcessing.TypeVectorPoint)
    _model_input(model, "submissions", "Submissions", QgsProcessing.TypeVectorPoint)
    model.addChildAlgorithm(
        _child(
            "citymgmt:patrolcoverage",
            "coverage",
            {
                "GRIDS": ("input", "grids"),
                "GRID_CODE_FIELD": "grid_code",
                "ROADS": ("input", "roads"),
                "TRACKS": ("input", "tracks"),
                "COLLECTOR_FIELD": "collector",
                "TIME_FIELD": "t",
            },
            {"coverage": "OUTPUT"},
        )
    )
    # the failed grids: "passed" = 0 (the child output source makes it run after coverage)
    model.addChildAlgorithm(
        _child(
            "native:extractbyattribute",
            "failed",
            {
                "INPUT": ("child", "coverage", "OUTPUT"),
                "FIELD": "passed",
                "OPERATOR": 0,  # =
                "VALUE": "0",
            },
            {"failed_grids": "OUTPUT"},
        )
    )
    model.addChildAlgorithm(
        _child(
            "citymgmt:gridtopology",
            "topology",
            {"GRIDS": ("input", "grids"), "GRID_CODE_FIELD": "grid_code"},
            {"grid_errors": "OUTPUT"},
        )
    )
    model.addChildAlgorithm(
        _child(
            "citymgmt:reportingkpi",
            "kpi",
            {
                "SUBMISSIONS": ("input", "submissions"),
                "GRIDS": ("input", "grids"),
                "GRID_CODE_FIELD": "grid_code",
            },
            {"kpi_overall": "OUTPUT_OVERALL", "kpi_grids": "OUTPUT_GRIDS"},
        )
    )
    return model


def _run_model(model: QgsProcessingModelAlgorithm, inputs: dict, tmp_path: Path) -> dict:
    import processing

    # the model's destination parameters are named "<child id>:<model output name>"
    outputs = {
        p.name(): str(tmp_path / f"{p.name().split(':')[1]}.gpkg")
        for p in model.destinationParameterDefinitions()
    }
    assert {n.split(":")[1] for n in outputs} == {
        "coverage", "failed_grids", "grid_errors", "kpi_overall", "kpi_grids"
    }  # fmt: skip
    results = processing.run(model, {**inputs, **outputs})
    return {key.split(":", 1)[-1]: value for key, value in results.items()}


def assert_model_results(res: dict) -> None:
    assert_coverage(res["coverage"])
    failed = rows_by(res["failed_grids"], "grid_code")
    assert set(failed) == {CODES[1]}  # grid 1 fully covered, grid 3 has no road
    assert failed[CODES[1]]["covered_m"] == pytest.approx(30.0, abs=1e-3)
    errors = as_layer(res["grid_errors"])
    kinds = sorted((f["type"], f["grid_code"]) for f in errors.getFeatures())
    assert kinds == [("area", CODES[0]), ("area", CODES[1])]
    kpi = rows_by(res["kpi_overall"], "kpi")
    assert kpi["reports"]["value"] == 4
    assert kpi["valid_reports"]["value"] == 3
    assert kpi["valid_rate"]["value"] == pytest.approx(0.75)
    assert kpi["component_share"]["value"] == pytest.approx(1 / 3)
    per_grid = rows_by(res["kpi_grids"], "grid_code")
    assert {c: (r["reports"], r["valid"]) for c, r in per_grid.items()} == {
        CODES[0]: (2, 2),
        CODES[1]: (2, 1),
        CODES[2]: (0, 0),
    }


def test_model_of_citymgmt_algorithms(processing_ready, tmp_path):
    model = supervisor_model()
    assert model.validate()[0], model.validate()[1]
    inputs = {
        "grids": grids(),
        "roads": roads(),
        "tracks": tracks(),
        "submissions": submissions(),
    }
    (tmp_path / "run1").mkdir()
    assert_model_results(_run_model(model, inputs, tmp_path / "run1"))

    # saved as the Modeler saves it, reloaded, and run on GeoPackage inputs
    path = tmp_path / "weekly.model3"
    assert model.toFile(str(path))
    reloaded = QgsProcessingModelAlgorithm()
    assert reloaded.fromFile(str(path))
    assert {c for c in reloaded.childAlgorithms()} == {"coverage", "failed", "topology", "kpi"}
    assert reloaded.childAlgorithm("coverage").algorithmId() == "citymgmt:patrolcoverage"
    sources = write_gpkg(inputs, tmp_path / "inputs.gpkg")
    (tmp_path / "run2").mkdir()
    assert_model_results(_run_model(reloaded, sources, tmp_path / "run2"))


# -- (b) the batch dialog --------------------------------------------------------------------------


def _batch_cases(tmp_path: Path) -> dict[str, tuple[list[dict], Callable[[int, dict], None]]]:
    """Per algorithm: two rows of parameters (sinks by file name) and a check of a row's
    outputs ``check(row_index, params)``."""
    src = write_gpkg(
        {
            "grids": grids(),
            "roads": roads(),
            "routes": routes(),
            "tracks300": tracks(300),
            "tracks500": tracks(500),
            "detour": detour_tracks(),
            "subs": submissions(),
        },
        tmp_path / "batch-in.gpkg",
    )

    def out(name: str) -> str:
        return str(tmp_path / f"{name}.gpkg")

    def check_coverage(k, p):
        assert_coverage(p["OUTPUT"], (300.0, 500.0)[k])
        gaps = sorted(f["length_m"] for f in as_layer(p["GAPS"]).getFeatures())
        want = ([170.0, 500.0], [470.0])[k]
        assert gaps == pytest.approx(want, abs=1e-3)

    def check_deviation(k, p):
        (row,) = as_layer(p["OUTPUT"]).getFeatures()
        assert (row["collector"], row["day"]) == ("A001", "2024-05-06")
        assert row["off_m"] == pytest.approx((0.0, 140.0)[k], abs=1e-3)
        assert as_layer(p["OFFROUTE"]).featureCount() == (0, 1)[k]

    def check_topology(k, p):
        kinds = sorted(f["type"] for f in as_layer(p["OUTPUT"]).getFeatures())
        assert kinds == (["area", "area"], [])[k]

    def check_kpi(k, p):
        kpi = rows_by(p["OUTPUT_OVERALL"], "kpi")
        assert kpi["valid_reports"]["value"] == 3
        assert kpi["valid_rate"]["value"] == pytest.approx(0.75)
        per_grid = rows_by(p["OUTPUT_GRIDS"], "grid_code")
        assert per_grid[CODES[0]]["valid"] == 2
        collectors = rows_by(p["OUTPUT_COLLECTORS"], "collector")
        assert collectors["A001"]["passed"] == (False, True)[k]

    def check_stats(k, p):
        rows = list(as_layer(p["OUTPUT"]).getFeatures())
        by_grid = {f["grid_code"]: f for f in rows}
        assert by_grid[CODES[0]]["length_m"] == pytest.approx(500.0)
        assert by_grid[CODES[1]]["length_m"] == pytest.approx(500.0)
        assert CODES[2] not in by_grid or by_grid[CODES[2]]["count"] == 0

    coverage = [
        {
            "GRIDS": src["grids"],
            "GRID_CODE_FIELD": "grid_code",
            "ROADS": src["roads"],
            "TRACKS": src[name],
            "COLLECTOR_FIELD": "collector",
            "TIME_FIELD": "t",
            "OUTPUT": out(f"coverage-{k}"),
            "GAPS": out(f"gaps-{k}"),
        }
        for k, name in enumerate(("tracks300", "tracks500"))
    ]
    deviation = [
        {
            "TRACKS": src[name],
            "COLLECTOR_FIELD": "collector",
            "TIME_FIELD": "t",
            "ROUTES": src["routes"],
            "ROUTE_COLLECTOR_FIELD": "owner",
            "OUTPUT": out(f"deviation-{k}"),
            "OFFROUTE": out(f"offroute-{k}"),
        }
        for k, name in enumerate(("tracks500", "detour"))
    ]
    topology = [
        {"GRIDS": src["grids"], "GRID_CODE_FIELD": "grid_code", "OUTPUT": out("topo-0")},
        {
            "GRIDS": src["grids"],
            "GRID_CODE_FIELD": "grid_code",
            "MAX_AREA": 200_000,
            "MIN_AREA": 1_000,
            "OUTPUT": out("topo-1"),
        },
    ]
    kpi = [
        {
            "SUBMISSIONS": src["subs"],
            "GRIDS": src["grids"],
            "GRID_CODE_FIELD": "grid_code",
            "MIN_PER_COLLECTOR_DAY": per_day,
            "OUTPUT_OVERALL": out(f"kpi-{k}"),
            "OUTPUT_GRIDS": out(f"kpi-grids-{k}"),
            "OUTPUT_COLLECTORS": out(f"kpi-coll-{k}"),
            "OUTPUT_HOURS": out(f"kpi-hours-{k}"),
        }
        for k, per_day in enumerate((6.0, 2.0))
    ]
    stats = [
        {
            "THEMATIC": src["roads"],
            "GRIDS": src["grids"],
            "GRID_CODE_FIELD": "grid_code",
            "OUTPUT": out(f"stats-{k}"),
        }
        for k in range(2)
    ]
    return {
        "citymgmt:patrolcoverage": (coverage, check_coverage),
        "citymgmt:routedeviation": (deviation, check_deviation),
        "citymgmt:gridtopology": (topology, check_topology),
        "citymgmt:reportingkpi": (kpi, check_kpi),
        "citymgmt:thematicstats": (stats, check_stats),
    }


BATCH_IDS = [
    "citymgmt:patrolcoverage",
    "citymgmt:routedeviation",
    "citymgmt:gridtopology",
    "citymgmt:reportingkpi",
    "citymgmt:thematicstats",
]


@pytest.mark.parametrize("alg_id", BATCH_IDS)
def test_batch_dialog_runs_two_rows(processing_ready, qgis_iface, tmp_path, alg_id):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from processing.tools import dataobjects

    rows, check = _batch_cases(tmp_path)[alg_id]
    alg = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
    dlg = BatchAlgorithmDialog(alg)
    try:
        panel = dlg.mainWidget()
        panel.checkLoadLayersOnCompletion.setChecked(False)
        panel.addRow()  # the dialog opens with one row
        assert panel.batchRowCount() == 2
        context = dataobjects.createContext()
        destinations = {p.name() for p in alg.destinationParameterDefinitions()}
        for k, params in enumerate(rows):
            for name, value in params.items():
                col = panel.parameter_to_column[name]
                if name in destinations:
                    # the output cells sit one table row lower (row 0 is the fill row)
                    panel.tblParameters.cellWidget(k + 1, col).setValue(value)
                else:
                    panel.wrappers[k][col].setParameterValue(value, context)
        for k in range(2):
            params, ok = panel.parametersForRow(k, warnOnInvalid=True)
            assert ok, (k, params)
        finished: list = []
        finish = dlg.finish

        def record(results, errors):  # what the dialog's summary table is built from
            finished.append((results, errors))
            finish(results, errors)

        dlg.finish = record
        dlg.runAlgorithm()
        ((results, errors),) = finished
        assert errors == [] and len(results) == 2
        for k, params in enumerate(rows):
            for name in destinations & set(params):
                assert Path(params[name]).exists(), (k, name)
            check(k, params)
    finally:
        dlg.close()
        dlg.deleteLater()


def test_batch_rows_through_processing_run(processing_ready, tmp_path):
    """The same rows run as the batch dialog runs them: a fresh context per row."""
    import processing

    for alg_id, (rows, check) in _batch_cases(tmp_path).items():
        for k, params in enumerate(rows):
            context = QgsProcessingContext()
            res = processing.run(alg_id, params, context=context, feedback=QgsProcessingFeedback())
            alg = QgsApplication.processingRegistry().algorithmById(alg_id)
            for dest in alg.destinationParameterDefinitions():
                if dest.name() in params:
                    assert res[dest.name()] == params[dest.name()], (alg_id, dest.name())
            check(k, params)


# -- (c) the real qgis_process binary ------------------------------------------------------------


@pytest.mark.slow
def test_patrolcoverage_through_qgis_process(processing_ready, installed_profile, tmp_path):  # noqa: F811
    src = write_gpkg({"grids": grids(), "roads": roads(), "tracks": tracks()}, tmp_path / "in.gpkg")
    out, gaps = tmp_path / "coverage.gpkg", tmp_path / "gaps.gpkg"
    done = run_qgis_process(
        [
            "run",
            "citymgmt:patrolcoverage",
            "--",
            f"GRIDS={src['grids']}",
            "GRID_CODE_FIELD=grid_code",
            f"ROADS={src['roads']}",
            f"TRACKS={src['tracks']}",
            "COLLECTOR_FIELD=collector",
            "TIME_FIELD=t",
            f"OUTPUT={out}",
            f"GAPS={gaps}",
        ],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert (results["grids"], results["grids_failed"]) == (3, 1)
    assert results["road_m"] == pytest.approx(1000.0)
    assert results["covered_m"] == pytest.approx(530.0, abs=1e-3)
    assert results["fixes_used"] == 51
    assert_coverage(str(out))
    (gap,) = as_layer(str(gaps)).getFeatures()
    assert gap["grid_code"] == CODES[1] and gap["length_m"] == pytest.approx(470.0, abs=1e-3)


@pytest.mark.slow
def test_routedeviation_through_qgis_process(processing_ready, installed_profile, tmp_path):  # noqa: F811
    src = write_gpkg({"routes": routes(), "tracks": detour_tracks()}, tmp_path / "in.gpkg")
    out, off = tmp_path / "deviation.gpkg", tmp_path / "offroute.gpkg"
    done = run_qgis_process(
        [
            "run",
            "citymgmt:routedeviation",
            "--",
            f"TRACKS={src['tracks']}",
            "COLLECTOR_FIELD=collector",
            "TIME_FIELD=t",
            f"ROUTES={src['routes']}",
            "ROUTE_COLLECTOR_FIELD=owner",
            f"OUTPUT={out}",
            f"OFFROUTE={off}",
        ],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (row,) = as_layer(str(out)).getFeatures()
    patrol_m = 500 + 100 + 90 + 200**0.5 + 490  # back to the route diagonally at x=510
    assert (row["collector"], row["day"]) == ("A001", "2024-05-06")
    assert row["patrol_m"] == pytest.approx(patrol_m, abs=1e-3)
    assert row["off_m"] == pytest.approx(140.0, abs=1e-3)
    assert row["off_s"] == pytest.approx(140.0, abs=1e-3)
    (line,) = as_layer(str(off)).getFeatures()
    assert line["length_m"] == pytest.approx(140.0, abs=1e-3)
    assert line.geometry().length() == pytest.approx(140.0, abs=1e-3)
