"""Every algorithm's outputs land in the project styled: processing.run with the outputs
bound to a project, loaded as the Processing dialog loads them (handleAlgorithmResults runs
the post-processors), then the renderer, labels, legend and field titles are checked, in
English and Chinese. The coverage result is drawn on a canvas and saved as a screenshot."""

from __future__ import annotations

import time

import pytest
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsGraduatedSymbolRenderer,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.output_styles import STYLE_PROPERTY, count_breaks
from tests.qgis import test_alg_gridtopology as topo
from tests.qgis import test_alg_outputs as outs


def _run_and_load(alg: str, params: dict, outputs: tuple[str, ...]) -> dict[str, QgsVectorLayer]:
    """Run ``alg`` with ``outputs`` loaded into a fresh project; the loaded layers by
    output name (as QGIS names them: the output's description)."""
    import processing
    from processing.gui.Postprocessing import handleAlgorithmResults

    project = QgsProject.instance()
    project.clear()
    for name in outputs:
        params[name] = QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project)

    def load(alg_obj, context, feedback):
        assert handleAlgorithmResults(alg_obj, context, feedback, False, params)

    processing.run(alg, params, onFinish=load)
    layers = {}
    for layer in project.mapLayers().values():
        layers[layer.customProperty(STYLE_PROPERTY) or layer.name()] = layer
    return layers


def _rule_labels(layer: QgsVectorLayer) -> list[str]:
    renderer = layer.renderer()
    assert isinstance(renderer, QgsRuleBasedRenderer)
    return [r.label() for r in renderer.rootRule().children()]


def _coverage_layers() -> dict[str, QgsVectorLayer]:
    alg, params = outs._coverage({})
    return _run_and_load(alg, params, ("OUTPUT", "GAPS"))


def test_coverage_failing_grids_red_and_labelled_gaps_thick_red(processing_ready, artifacts):
    layers = _coverage_layers()
    grids, gaps = layers["coverage_grids"], layers["coverage_gaps"]
    assert _rule_labels(grids) == ["Fails the weekly rule", "Main roads patrolled", "No main roads"]
    fails = grids.renderer().rootRule().children()[0]
    assert fails.symbol().color().red() > 200 and fails.symbol().color().green() < 60
    # only the failing grids get their code written on the map
    assert grids.labelsEnabled() and isinstance(grids.labeling(), QgsRuleBasedLabeling)
    rule = grids.labeling().rootRule().children()[0]
    assert rule.settings().fieldName == "grid_code" and "passed" in rule.filterExpression()
    # the failing grids really match the red rule
    failing = [f for f in grids.getFeatures() if f["passed"] is False]
    assert len(failing) == 2
    line = gaps.renderer().symbol()  # red on a white casing
    assert line.symbolLayer(1).color().name() == "#d7191c" and line.width() >= 1.4
    assert grids.attributeDisplayName(grids.fields().indexOf("coverage")) == "Coverage share"
    extent = failing[0].geometry().boundingBox()
    extent.combineExtentWith(failing[1].geometry().boundingBox())
    _screenshot([gaps, grids], extent, artifacts / "styles" / "coverage-canvas.png")


def _screenshot(layers, extent, path) -> None:
    """A map canvas of its own (the session's stays hidden in these tests) drawing
    ``layers``, saved to ``path``; some red must show."""
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import QCoreApplication

    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = QgsMapCanvas()
    canvas.show()
    canvas.resize(QSize(900, 500))
    canvas.setCanvasColor(QColor("white"))
    canvas.setDestinationCrs(layers[-1].crs())
    canvas.setLayers(layers)
    deadline = time.monotonic() + 5  # the canvas takes its new size after a short timer
    while canvas.mapSettings().outputSize() != canvas.size() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    extent.grow(extent.width() * 0.1)
    canvas.setExtent(extent)
    done = []
    canvas.mapCanvasRefreshed.connect(lambda: done.append(True))
    canvas.refresh()
    deadline = time.monotonic() + 20
    while not done and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert done, "the canvas did not finish drawing"
    image = canvas.grab().toImage()
    assert image.save(str(path))
    # some red from the failing grids / gaps is on the picture
    reds = sum(
        1
        for x in range(0, image.width(), 6)
        for y in range(0, image.height(), 6)
        if QColor(image.pixel(x, y)).red() > 180 and QColor(image.pixel(x, y)).green() < 90
    )
    canvas.close()
    canvas.deleteLater()
    assert reds > 20


def test_coverage_legend_in_chinese(processing_ready, tmp_path):
    with zh_cn(tmp_path):
        layers = _coverage_layers()
        grids = layers["coverage_grids"]
        assert _rule_labels(grids) == ["未达周巡查要求", "主干道已巡查", "无主干道"]
        assert grids.attributeDisplayName(grids.fields().indexOf("coverage")) == "覆盖率"


def test_deviation_stretches_graduated_by_share_off_route(processing_ready):
    alg, params = outs._deviation({})
    layers = _run_and_load(alg, params, ("OUTPUT", "OFFROUTE"))
    stretches = layers["offroute_stretches"]
    renderer = stretches.renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer)
    assert renderer.classAttribute() == "day_off_share"
    assert renderer.ranges()[0].label() == "up to 10 % of the day off route"
    (f,) = list(stretches.getFeatures())
    assert 0 < f["day_off_share"] < 1
    # the table without geometry gets titles, not a style
    table = next(v for k, v in layers.items() if k not in ("offroute_stretches",))
    assert table.attributeDisplayName(table.fields().indexOf("off_m")) == "Distance off route (m)"


def test_topology_errors_categorised_by_rule_with_translated_labels(processing_ready, tmp_path):
    with zh_cn(tmp_path):
        layers = _run_and_load(topo.ALG, {"GRIDS": topo.hand_grids()}, ("OUTPUT",))
    errors = layers["grid_errors"]
    renderer = errors.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    labels = {c.value(): c.label() for c in renderer.categories()}
    assert labels["overlap"] == "重叠" and labels["gap"] == "缝隙"
    present = {f["type"] for f in errors.getFeatures()}
    assert present and present <= set(labels)


def test_kpi_grids_graduated_from_their_counts(processing_ready):
    alg, params = outs._kpi({})
    outputs = ("OUTPUT_OVERALL", "OUTPUT_GRIDS", "OUTPUT_COLLECTORS", "OUTPUT_HOURS")
    layers = _run_and_load(alg, params, outputs)
    grids = layers["kpi_grids"]
    renderer = grids.renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer) and renderer.classAttribute() == "valid"
    ranges = renderer.ranges()
    assert ranges[0].label() == "No valid report"
    top = max(f["valid"] for f in grids.getFeatures())
    assert ranges[-1].upperValue() >= top
    assert grids.attributeDisplayName(grids.fields().indexOf("valid")) == "Valid reports"


def test_census_qa_errors_by_rule(processing_ready, gpkg_workspace):
    from citymgmt_plugin.core import census
    from citymgmt_plugin.core.qgis.layers import workspace_layer
    from citymgmt_plugin.demo.lattice import seed_lattice
    from tests.qgis.test_census_qa import _draft

    ws = gpkg_workspace
    seed_lattice(ws, communities=1, nx=2, ny=2)
    with census.write_transaction(ws) as c:
        census.create_component(c, ws, _draft(50, 50), "t")
        census.create_component(c, ws, _draft(50.4, 50), "t")
    params = {
        "INPUT": workspace_layer(ws, "components", geometry_type="Point"),
        "GRIDS": workspace_layer(ws, "unit_grids"),
    }
    layers = _run_and_load("citymgmt:censusqa", params, ("OUTPUT",))
    errors = layers["census_qa_errors"]
    assert isinstance(errors.renderer(), QgsCategorizedSymbolRenderer)
    labels = {c.value(): c.label() for c in errors.renderer().categories()}
    assert labels["duplicate"] == "duplicate within tolerance"
    assert {f["rule"] for f in errors.getFeatures()} == {"duplicate"}


def test_every_algorithm_declares_how_its_layers_look():
    from processing_algorithms.provider import algorithm_classes

    for cls in algorithm_classes():
        alg = cls()
        alg.initAlgorithm()
        sinks = [p.name() for p in alg.destinationParameterDefinitions()]
        if cls.ALG_ID in ("createthematiclayer", "patrolreport"):
            continue  # styled from its template / writes files, not layers
        assert set(sinks) <= set(cls.OUTPUT_STYLES), cls.ALG_ID


@pytest.mark.parametrize(
    "values, want",
    [
        ([0, 0, 0], []),
        ([0, 1, 1, 1], [(1, 1)]),
        ([0, 1, 2, 3, 4, 5, 6, 7, 8], [(1, 3), (4, 5), (6, 7), (8, 8)]),
        ([None, 2, 2, 9], [(1, 2), (3, 6), (7, 9)]),
    ],
)
def test_count_breaks(values, want):
    assert count_breaks(values) == want
