"""What every algorithm owes a Processing user beyond its numbers: outputs in the formats an
office hands on (shapefile, GeoJSON, CSV, Excel, FlatGeobuf) read back whole, with Chinese
text intact; progress that only moves forward to 100 %; and a cancel that stops the run,
writes nothing and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsProcessingFeedback, QgsVectorLayer

from tests.qgis import test_alg_gridtopology as topo
from tests.qgis import test_alg_patrolcoverage as cov
from tests.qgis import test_alg_reportingkpi as kpi
from tests.qgis import test_alg_routedeviation as dev


class Recorder(QgsProcessingFeedback):
    """Records progress and warnings; cancels once progress reaches ``cancel_at``."""

    def __init__(self, cancel_at: float | None = None) -> None:
        super().__init__()
        self.cancel_at = cancel_at
        self.progress: list[float] = []
        self.warnings: list[str] = []
        self.progressChanged.connect(self._progress)

    def _progress(self, value: float) -> None:
        self.progress.append(value)
        if self.cancel_at is not None and value >= self.cancel_at:
            self.cancel()

    def pushWarning(self, text: str) -> None:
        self.warnings.append(text)
        super().pushWarning(text)


def _read(path: Path) -> tuple[list[str], list[dict]]:
    layer = QgsVectorLayer(str(path), path.stem, "ogr")
    assert layer.isValid(), path
    names = layer.fields().names()
    rows = []
    for f in layer.getFeatures():
        row = {}
        for n in names:
            v = f[n]
            row[n] = None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
        row["_wkt"] = f.geometry().asWkt(1) if f.hasGeometry() else None
        rows.append(row)
    return names, rows


# ----------------------------------------------------------------------- the four algorithms


def _coverage(out: dict) -> tuple[str, dict]:
    params = {
        "GRIDS": cov.grids_layer(),
        "GRID_CODE_FIELD": "grid_code",
        "ROADS": cov.roads_layer(),
        "TRACKS": cov.tracks_layer(cov.walk(300, 700, 10, collector="张巡查")),
        "COLLECTOR_FIELD": "collector",
        "TIME_FIELD": "t",
    }
    return cov.ALG, {**params, **out}


def _deviation(out: dict) -> tuple[str, dict]:
    routes = dev.routes_layer()
    routes.dataProvider().changeAttributeValues({1: {0: "张巡查"}})
    params = {
        "TRACKS": dev.tracks_layer(dev.detour_rows(collector="张巡查")),
        "COLLECTOR_FIELD": "collector",
        "TIME_FIELD": "t",
        "ROUTES": routes,
        "ROUTE_COLLECTOR_FIELD": "owner",
    }
    return dev.ALG, {**params, **out}


def _kpi(out: dict) -> tuple[str, dict]:
    params = {
        "SUBMISSIONS": kpi.submissions(),
        "CLOSURE_FIELD": "closed",
        "GRIDS": kpi.grids(),
        "START": kpi.local_qdt(16),
        "END": kpi.local_qdt(18),
    }
    return kpi.ALG, {**params, **out}


def _topology(out: dict) -> tuple[str, dict]:
    return topo.ALG, {"GRIDS": topo.hand_grids(), **out}


def _run(alg: str, params: dict, feedback: QgsProcessingFeedback | None = None) -> dict:
    import processing

    return processing.run(alg, params, feedback=feedback)


MEMORY = {
    cov.ALG: {"OUTPUT": "TEMPORARY_OUTPUT", "GAPS": "TEMPORARY_OUTPUT"},
    dev.ALG: {"OUTPUT": "TEMPORARY_OUTPUT", "OFFROUTE": "TEMPORARY_OUTPUT"},
}


@pytest.mark.parametrize("ext", ["shp", "geojson", "fgb"])
def test_coverage_outputs_in_other_formats_match_memory(processing_ready, tmp_path, ext):
    alg, params = _coverage(MEMORY[cov.ALG])
    want = _run(alg, params)
    alg, params = _coverage(
        {"OUTPUT": str(tmp_path / f"grids.{ext}"), "GAPS": str(tmp_path / f"gaps.{ext}")}
    )
    got = _run(alg, params)
    assert got["grids_failed"] == want["grids_failed"] == 2
    names, rows = _read(Path(got["OUTPUT"]))
    assert names[:5] == ["grid_code", "road_m", "covered_m", "coverage", "passed"]
    expected = {f["grid_code"]: f for f in want["OUTPUT"].getFeatures()}
    assert sorted(r["grid_code"] for r in rows) == sorted(expected)
    for r in rows:
        e = expected[r["grid_code"]]
        assert r["road_m"] == pytest.approx(e["road_m"])
        assert r["covered_m"] == pytest.approx(e["covered_m"])
        assert bool(r["passed"]) == e["passed"]
        assert r["_wkt"] is not None
    _names, gaps = _read(Path(got["GAPS"]))
    assert sorted(g["length_m"] for g in gaps) == pytest.approx(
        sorted(f["length_m"] for f in want["GAPS"].getFeatures())
    )


def test_deviation_tables_in_csv_and_shapefile_keep_chinese_names(processing_ready, tmp_path):
    alg, params = _deviation(
        {"OUTPUT": str(tmp_path / "deviation.csv"), "OFFROUTE": str(tmp_path / "offroute.shp")}
    )
    got = _run(alg, params)
    _names, rows = _read(Path(got["OUTPUT"]))
    assert [r["collector"] for r in rows] == ["张巡查"]
    assert float(rows[0]["off_m"]) > 0
    _names, stretches = _read(Path(got["OFFROUTE"]))
    assert stretches and {s["collector"] for s in stretches} == {"张巡查"}
    assert all(s["_wkt"].startswith(("LineString", "MultiLineString")) for s in stretches)


def test_kpi_tables_to_excel(processing_ready, tmp_path):
    outputs = {k: v.replace(".gpkg", ".xlsx") for k, v in kpi.outputs(tmp_path).items()}
    alg, params = _kpi(outputs)
    got = _run(alg, params)
    _names, overall = _read(Path(got["OUTPUT_OVERALL"]))
    rows = {r["kpi"]: r for r in overall}
    assert rows["valid_rate"]["value"] == pytest.approx(4 / 9)  # valid problems: filed only
    assert rows["component_share"]["value"] == pytest.approx(0.5)
    _names, grids = _read(Path(got["OUTPUT_GRIDS"]))
    assert {r["grid_code"] for r in grids} >= {"g0", "g1", "g2"}


def test_topology_errors_to_geojson(processing_ready, tmp_path):
    alg, params = _topology({"OUTPUT": str(tmp_path / "errors.geojson")})
    got = _run(alg, params)
    _names, rows = _read(Path(got["OUTPUT"]))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    assert counts["overlap"] == got["OVERLAP"] == 1
    assert counts["gap"] == got["GAP"] == 1
    assert all(r["_wkt"] for r in rows if r["type"] in ("overlap", "gap"))


# ------------------------------------------------------------------- progress and cancel

CASES = {
    "patrolcoverage": lambda tmp: _coverage(
        {"OUTPUT": str(tmp / "o.gpkg"), "GAPS": str(tmp / "gaps.gpkg")}
    ),
    "routedeviation": lambda tmp: _deviation(
        {"OUTPUT": str(tmp / "o.gpkg"), "OFFROUTE": str(tmp / "off.gpkg")}
    ),
    "reportingkpi": lambda tmp: _kpi(kpi.outputs(tmp)),
    "gridtopology": lambda tmp: _topology({"OUTPUT": str(tmp / "o.gpkg")}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_progress_moves_forward_to_the_end(processing_ready, tmp_path, name):
    alg, params = CASES[name](tmp_path)
    feedback = Recorder()
    _run(alg, params, feedback)
    assert feedback.progress, "no progress reported"
    assert feedback.progress == sorted(feedback.progress)
    assert feedback.progress[-1] == pytest.approx(100)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cancel_stops_and_writes_nothing(processing_ready, tmp_path, name):
    alg, params = CASES[name](tmp_path)
    feedback = Recorder(cancel_at=0.0)  # the user presses Cancel at the first progress step
    results = _run(alg, params, feedback)
    assert results == {}
    assert "Cancelled: no output was written." in feedback.warnings
    assert not list(tmp_path.iterdir()), "a cancelled run left files behind"
    assert max(feedback.progress) < 100
