"""``citymgmt:censusimport`` and ``citymgmt:censusreconcile``: a census batch in a model, in the
batch dialog and through processing.run, on both backends (qgis_process from the installed
zip: tests/qgis/test_qgis_process.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingModelAlgorithm,
    QgsVectorLayer,
)
from sqlalchemy import func, select

from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from tests.fixtures import legacy_export as L
from tests.qgis.test_alg_modeler_batch import _child, _model_input

CSV = str(L.HERE / L.CSV_NAME)
MAPPING = str(L.HERE / "mapping.json")
VALUES = str(L.HERE / "values.json")
LEGACY_COUNTS = {"NEW": 19, "UNCHANGED": 17, "CHANGED": 2, "MOVED": 1, "MISSING": 2, "DUPLICATE": 1}


@pytest.fixture(autouse=True)
def _no_remembered_mappings(tmp_path, monkeypatch):
    from citymgmt_plugin.core.census import batch_mapping

    monkeypatch.setattr(batch_mapping, "default_mapping_file", lambda: tmp_path / "none.json")


@pytest.fixture
def legacy_ws(any_spec):
    upgrade(any_spec)
    ws = Workspace.open(any_spec)
    refs = L.seed(ws)
    L.rows(refs)
    yield any_spec, ws
    ws.close()


def _run(alg_id: str, params: dict) -> dict:
    import processing

    return processing.run(
        alg_id, params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback()
    )


def _layer(value) -> QgsVectorLayer:
    return value if isinstance(value, QgsVectorLayer) else QgsVectorLayer(str(value), "o", "ogr")


def test_censusimport_applies_the_legacy_export_on_both_backends(
    processing_ready, legacy_ws, tmp_path
):
    spec, ws = legacy_ws
    res = _run(
        "citymgmt:censusimport",
        {
            "WORKSPACE": spec,
            "FILE": CSV,
            "MAPPING": MAPPING,
            "VALUES": VALUES,
            "APPLY": True,
            "REPORT": str(tmp_path / "report"),
            "ITEMS": "memory:items",
            "REFUSED": str(tmp_path / "refused.csv"),
        },
    )
    assert (res["ROWS"], res["VALID"], res["INVALID"]) == (60, 40, 20)
    assert {k: res[k] for k in LEGACY_COUNTS} == LEGACY_COUNTS
    assert json.loads(res["APPLIED"]) == {
        "created": 19,
        "updated": 2,
        "moved": 1,
        "retired": 2,
        "skipped": 1,
    }
    assert json.loads(res["REFUSALS"])["geometry_empty"] == 5
    assert json.loads(res["UNMAPPED"])["status"] == {"待核实": 1}
    items = _layer(res["ITEMS"])
    assert items.featureCount() == 42 and items.crs().authid() == "EPSG:4549"
    kinds = sorted(f["kind"] for f in items.getFeatures())
    assert kinds.count("new") == 19 and kinds.count("missing") == 2
    refused = _layer(res["REFUSED"])
    rows = {int(f["row_no"]): f["rules"] for f in refused.getFeatures()}
    assert set(rows) == set(L.DEFECTS)
    assert all(rule in rows[n].split(",") for n, rule in L.DEFECTS.items())
    assert (Path(res["REPORT"]) / "reconciliation.html").exists()
    with ws.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 41


def test_censusreconcile_takes_a_layer_and_leaves_the_workspace_alone(
    processing_ready, legacy_ws, tmp_path
):
    spec, ws = legacy_ws
    batch = QgsVectorLayer(
        f"file://{CSV}?encoding=GB18030&type=csv&geomType=none", "b", "delimitedtext"
    )
    assert batch.isValid() and batch.featureCount() == 60
    res = _run(
        "citymgmt:censusreconcile",
        {
            "WORKSPACE": spec,
            "INPUT": batch,
            "MAPPING": MAPPING,
            "VALUES": VALUES,
            "ITEMS": "memory:",
            "REFUSED": "memory:",
        },
    )
    assert (res["ROWS"], res["VALID"], res["INVALID"]) == (60, 40, 20)
    assert {k: res[k] for k in LEGACY_COUNTS} == LEGACY_COUNTS
    assert res["ACCEPTED"] == 24 and json.loads(res["APPLIED"]) == {}
    with ws.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 22


def census_model(spec: str) -> QgsProcessingModelAlgorithm:
    """A census supervisor's model: the batch layer (a model input) reconciled with the
    workspace, the new items extracted."""
    model = QgsProcessingModelAlgorithm("census week", "citymgmt tests")
    _model_input(model, "batch", "Census batch", QgsProcessing.TypeVector)
    model.addChildAlgorithm(
        _child(
            "citymgmt:censusreconcile",
            "reconcile",
            {"WORKSPACE": spec, "INPUT": ("input", "batch"), "MAPPING": MAPPING, "VALUES": VALUES},
            {"refused": "REFUSED"},
        )
    )
    model.addChildAlgorithm(
        _child(
            "native:extractbyattribute",
            "new",
            {
                "INPUT": ("child", "reconcile", "ITEMS"),
                "FIELD": "kind",
                "OPERATOR": 0,
                "VALUE": "new",
            },
            {"new items": "OUTPUT"},
        )
    )
    return model


def _run_model(model: QgsProcessingModelAlgorithm, tmp_path: Path) -> dict:
    import processing

    batch = QgsVectorLayer(
        f"file://{CSV}?encoding=GB18030&type=csv&geomType=none", "b", "delimitedtext"
    )
    outputs = {  # the model's outputs are named "<child id>:<model output name>"
        p.name(): str(tmp_path / f"{p.name().split(':')[1].replace(' ', '_')}.gpkg")
        for p in model.destinationParameterDefinitions()
    }
    assert set(outputs) == {"reconcile:refused", "new:new items"}
    results = processing.run(model, {"batch": batch, **outputs})
    return {key.split(":", 1)[-1]: value for key, value in results.items()}


def test_model_of_the_census_algorithms(processing_ready, legacy_ws, tmp_path):
    spec, _ws = legacy_ws
    model = census_model(spec)
    assert model.validate()[0], model.validate()[1]
    res = _run_model(model, tmp_path)
    assert _layer(res["new items"]).featureCount() == 19
    assert _layer(res["refused"]).featureCount() == 20
    path = tmp_path / "census.model3"  # saved as the Modeler saves it, reloaded, run again
    assert model.toFile(str(path))
    reloaded = QgsProcessingModelAlgorithm()
    assert reloaded.fromFile(str(path))
    (tmp_path / "again").mkdir()
    res = _run_model(reloaded, tmp_path / "again")
    assert _layer(res["new items"]).featureCount() == 19


def test_batch_dialog_runs_two_batches(processing_ready, qgis_iface, legacy_ws, tmp_path):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from processing.tools import dataobjects

    spec, _ws = legacy_ws
    rows = [
        {
            "WORKSPACE": spec,
            "FILE": CSV,
            "MAPPING": MAPPING,
            "VALUES": VALUES,
            "ITEMS": str(tmp_path / f"items{k}.gpkg"),
            "REFUSED": str(tmp_path / f"refused{k}.csv"),
        }
        for k in range(2)
    ]
    rows[1].pop("VALUES")  # the second batch without value maps: more refused rows
    alg = QgsApplication.processingRegistry().createAlgorithmById("citymgmt:censusimport")
    dlg = BatchAlgorithmDialog(alg)
    try:
        panel = dlg.mainWidget()
        panel.checkLoadLayersOnCompletion.setChecked(False)
        panel.addRow()
        context = dataobjects.createContext()
        destinations = {p.name() for p in alg.destinationParameterDefinitions()}
        for k, params in enumerate(rows):
            for name, value in params.items():
                col = panel.parameter_to_column[name]
                if name in destinations:
                    panel.tblParameters.cellWidget(k + 1, col).setValue(value)
                else:
                    panel.wrappers[k][col].setParameterValue(value, context)
        finished: list = []
        finish = dlg.finish

        def record(results, errors):
            finished.append((results, errors))
            finish(results, errors)

        dlg.finish = record
        dlg.runAlgorithm()
        ((results, errors),) = finished
        assert errors == [] and len(results) == 2
    finally:
        dlg.close()
        dlg.deleteLater()
    refused = [_layer(tmp_path / f"refused{k}.csv").featureCount() for k in range(2)]
    assert refused == [20, 60]  # without value maps every row has an unmapped status
    assert _layer(tmp_path / "items0.gpkg").featureCount() == 42


def test_gridtopology_checks_the_numbering_when_the_workspace_asks(processing_ready, gpkg_spec):
    from sqlalchemy import update

    from citymgmt_plugin.core.census.settings import GRID_NUMBERING, set_setting
    from citymgmt_plugin.demo.lattice import seed_lattice

    upgrade(gpkg_spec)
    ws = Workspace.open(gpkg_spec)
    try:
        seed_lattice(ws, communities=1, nx=2, ny=2)
        g = ws.schema.unit_grids
        with ws.begin() as c:  # grids 001 and 002 swap their codes: 002 now lies west of 001
            for old, new in (("001", "999"), ("002", "001"), ("999", "002")):
                c.execute(
                    update(g)
                    .where(g.c.code == f"320508001001{old}")
                    .values(code=f"320508001001{new}")
                )
        params = {
            "GRIDS": f"{gpkg_spec}|layername=unit_grids",
            "GRID_CODE_FIELD": "code",
            "OUTPUT": "memory:",
        }
        assert _run("citymgmt:gridtopology", params)["NUMBERING"] == 0  # the city did not ask
        set_setting(ws, GRID_NUMBERING, "1", "chief")
        res = _run("citymgmt:gridtopology", params)
        assert res["NUMBERING"] == 1
        errors = [f for f in _layer(res["OUTPUT"]).getFeatures() if f["type"] == "numbering"]
        assert [(f["grid_code"], f["other_code"]) for f in errors] == [
            ("320508001001002", "320508001001001")
        ]
        assert _run("citymgmt:gridtopology", {**params, "NUMBERING": 2})["NUMBERING"] == 0
    finally:
        ws.close()
