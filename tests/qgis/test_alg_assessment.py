"""citymgmt:assessment on a GeoPackage workspace: the month's tables and scalar outputs."""

from __future__ import annotations

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer

from citymgmt_plugin.core.reporting.profile_store import save_profile
from tests.db.test_contract_month import _decide, _profile, _reports
from tests.fixtures.synthetic_submissions import seed_city


def _table(path: str) -> list[dict]:
    lyr = QgsVectorLayer(path, "t", "ogr")
    assert lyr.isValid(), path
    names = lyr.fields().names()
    return [dict(zip(names, f.attributes())) for f in lyr.getFeatures()]


def test_month_tables(processing_ready, gpkg_workspace, tmp_path):
    import processing

    ws = gpkg_workspace
    city = seed_city(ws)
    save_profile(ws, _profile())
    rows = _reports(ws, tmp_path, city)
    for k in range(2, 8):
        _decide(ws, rows, f"c01-{k}", "accept_new")
    _decide(ws, rows, "c01-0", "reject", reason_code="wrong_class")
    path = str(ws.spec.path)
    outs = {
        k: str(tmp_path / f"{k.lower()}.gpkg")
        for k in (
            "OUTPUT_KPIS",
            "OUTPUT_COLLECTORS",
            "OUTPUT_DISTRICTS",
            "OUTPUT_GRIDS",
            "OUTPUT_PAYMENT",
        )
    }
    res = processing.run("citymgmt:assessment", {"WORKSPACE": path, "MONTH": "2026-03", **outs})
    kpis = {r["kpi"]: r for r in _table(res["OUTPUT_KPIS"])}
    assert kpis["valid_reports"]["value"] == 6 and kpis["monthly_valid"]["threshold"] == 10
    collectors = {r["collector"]: r for r in _table(res["OUTPUT_COLLECTORS"])}
    assert collectors["C01"]["wrong"] == 1 and collectors["C01"]["score"] == pytest.approx(99.0)
    (pay,) = _table(res["OUTPUT_PAYMENT"])
    assert pay["payable"] == pytest.approx(res["PAYABLE"]) and res["SCORE"] == pay["score"]
    (district,) = _table(res["OUTPUT_DISTRICTS"])
    assert (district["district"], district["wrong"]) == ("320508", 1)


def test_bad_month_and_workspace(processing_ready, tmp_path):
    import processing

    outs = {
        k: "TEMPORARY_OUTPUT"
        for k in (
            "OUTPUT_KPIS",
            "OUTPUT_COLLECTORS",
            "OUTPUT_DISTRICTS",
            "OUTPUT_GRIDS",
            "OUTPUT_PAYMENT",
        )
    }
    with pytest.raises(QgsProcessingException) as err:
        processing.run("citymgmt:assessment", {"WORKSPACE": "x.gpkg", "MONTH": "March", **outs})
    assert "YYYY-MM" in str(err.value)
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "citymgmt:assessment",
            {"WORKSPACE": str(tmp_path / "none.gpkg"), "MONTH": "2026-03", **outs},
        )
    assert "Traceback" not in str(err.value)
