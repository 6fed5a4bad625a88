"""citymgmt:createthematiclayer and citymgmt:thematicstats through processing.run."""

from __future__ import annotations

import json

import pytest
import qgis_process_helper
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingContext,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.thematic.tables import thematic_layers

# session fixtures of the packaged plugin (see tests/qgis/test_qgis_process.py)
plugin_zip = qgis_process_helper.plugin_zip
installed_profile = qgis_process_helper.installed_profile


@pytest.fixture(scope="module")
def processing(qgis_app):
    from citymgmt_plugin.headless import ensure_provider

    ensure_provider()
    import processing as proc

    return proc


def _as_layer(value):
    if isinstance(value, QgsVectorLayer):
        return value
    layer = QgsVectorLayer(value, "out", "ogr")
    assert layer.isValid(), value
    return layer


def test_create_in_workspace(processing, workspace):
    ws = workspace
    spec = ws.spec.path if ws.spec.kind == "gpkg" else f"{ws.spec.url}?schema={ws.spec.schema}"
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    res = processing.run(
        "citymgmt:createthematiclayer",
        {"TEMPLATE": "construction_zones", "WORKSPACE": spec},
        context=context,
    )
    assert res["TABLE"] == "thematic_construction_zones"
    assert [r.table_name for r in thematic_layers(ws)] == ["thematic_construction_zones"]
    res = processing.run(
        "citymgmt:createthematiclayer",
        {"TEMPLATE": "construction_zones", "WORKSPACE": spec, "TABLE_NAME": "zones_2027"},
    )
    assert res["TABLE"] == "zones_2027"
    # window areas: no table of their own, the layer is main_roads where kind = window_area
    res = processing.run(
        "citymgmt:createthematiclayer", {"TEMPLATE": "window_areas", "WORKSPACE": spec}
    )
    assert res["TABLE"] == "main_roads:window_area"
    provider = "postgres" if ws.is_postgres else "ogr"
    source = res["OUTPUT"].replace("postgres://", "")
    layer = QgsVectorLayer(source, "r", provider)
    assert layer.isValid() and layer.geometryType() == 1  # line
    assert "kind" in layer.fields().names() and "window_area" in layer.subsetString()
    with pytest.raises(Exception, match="cannot have a table of its own"):
        processing.run(
            "citymgmt:createthematiclayer",
            {"TEMPLATE": "patrol_routes", "WORKSPACE": spec, "TABLE_NAME": "routes_2027"},
        )


def test_create_to_file_output(processing, tmp_path):
    out = str(tmp_path / "wl.gpkg")
    res = processing.run(
        "citymgmt:createthematiclayer", {"TEMPLATE": "waterlogging_points", "OUTPUT": out}
    )
    layer = _as_layer(res["OUTPUT"])
    names = layer.fields().names()
    assert {"severity", "depth_cm", "surveyor", "survey_date", "accuracy_class"} <= set(names)
    assert layer.geometryType() == 0 and layer.crs().authid() == "EPSG:4549"
    with pytest.raises(Exception, match="No thematic template"):
        processing.run(
            "citymgmt:createthematiclayer",
            {
                "TEMPLATE": "construction_zones",
                "TEMPLATE_FILE": "/nonexistent.json",
                "OUTPUT": "memory:",
            },
        )


def _memory(kind, features, fields):
    layer = QgsVectorLayer(f"{kind}?crs=EPSG:4549", kind, "memory")
    layer.dataProvider().addAttributes([QgsField(n, QVariant.String) for n in fields])
    layer.updateFields()
    feats = []
    for wkt, *values in features:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        f.setAttributes(list(values))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _rows(layer):
    return {
        (f["grid_code"], f["category"]): (
            f["count"],
            f["length_m"],
            f["area_m2"],
            f["category_label"],
        )
        for f in layer.getFeatures()
    }


def test_thematic_stats_exact(processing):
    x, y = 500000, 3500000

    def sq(x0, y0, w, h):
        return (
            f"POLYGON(({x + x0} {y + y0},{x + x0 + w} {y + y0},{x + x0 + w} {y + y0 + h},"
            f"{x + x0} {y + y0 + h},{x + x0} {y + y0}))"
        )

    grids = _memory("Polygon", [(sq(0, 0, 100, 100), "G1"), (sq(100, 0, 100, 100), "G2")], ["code"])
    zones = _memory(
        "Polygon",
        [
            (sq(90, 10, 20, 10), "road"),
            (sq(10, 10, 10, 10), "road"),
            (sq(120, 50, 30, 10), "building"),
        ],
        ["category"],
    )
    res = processing.run(
        "citymgmt:thematicstats",
        {
            "THEMATIC": zones,
            "CATEGORY_FIELD": "category",
            "GRIDS": grids,
            "GRID_CODE_FIELD": "code",
            "OUTPUT": "memory:",
        },
    )
    rows = _rows(_as_layer(res["OUTPUT"]))
    assert rows == {
        ("G1", "road"): (2, 0.0, 200.0, "road"),
        ("G2", "road"): (1, 0.0, 100.0, "road"),
        ("G2", "building"): (1, 0.0, 300.0, "building"),
    }
    routes = _memory(
        "LineString",
        [
            (f"LINESTRING({x + 50} {y + 50},{x + 175} {y + 50})", "main"),
            (f"LINESTRING({x + 150} {y + 10},{x + 150} {y + 90})", "main"),
        ],
        ["category"],
    )
    res = processing.run(
        "citymgmt:thematicstats",
        {
            "THEMATIC": routes,
            "CATEGORY_FIELD": "category",
            "GRIDS": grids,
            "GRID_CODE_FIELD": "code",
            "OUTPUT": "memory:",
        },
    )
    rows = _rows(_as_layer(res["OUTPUT"]))
    assert {k: v[:2] for k, v in rows.items()} == {
        ("G1", "main"): (1, 50.0),
        ("G2", "main"): (2, 155.0),
    }
    spots = _memory(
        "Point",
        [
            (f"POINT({x + 5} {y + 5})", "light"),
            (f"POINT({x + 105} {y + 5})", "severe"),
            (f"POINT({x + 106} {y + 5})", "severe"),
        ],
        ["severity"],
    )
    res = processing.run(
        "citymgmt:thematicstats",
        {
            "THEMATIC": spots,
            "CATEGORY_FIELD": "severity",
            "GRIDS": grids,
            "GRID_CODE_FIELD": "code",
            "OUTPUT": "memory:",
        },
    )
    rows = _rows(_as_layer(res["OUTPUT"]))
    assert {k: v[0] for k, v in rows.items()} == {("G1", "light"): 1, ("G2", "severe"): 2}


def test_stats_label_from_template(processing):
    from citymgmt_plugin.core.qgis.thematic_layer import configure_layer
    from citymgmt_plugin.core.thematic.templates import get_template

    x, y = 500000, 3500000
    grids = _memory(
        "Polygon",
        [(f"POLYGON(({x} {y},{x + 100} {y},{x + 100} {y + 100},{x} {y + 100},{x} {y}))", "G1")],
        ["code"],
    )
    spots = _memory("Point", [(f"POINT({x + 5} {y + 5})", "severe")], ["severity"])
    configure_layer(spots, get_template("waterlogging_points"), lang="zh")
    res = processing.run(
        "citymgmt:thematicstats",
        {"THEMATIC": spots, "GRIDS": grids, "GRID_CODE_FIELD": "code", "OUTPUT": "memory:"},
    )
    assert _rows(_as_layer(res["OUTPUT"])) == {("G1", "severe"): (1, 0.0, 0.0, "严重")}


def test_headless_qgis_process(installed_profile, tmp_path):
    """The packaged plugin under Debian's qgis_process, no GUI: a template layer to a
    GeoPackage file, and a table in a GeoPackage workspace."""
    from qgis_process_helper import run_qgis_process

    from citymgmt_plugin.core.workspace.store import Workspace, upgrade

    out = tmp_path / "routes.gpkg"
    done = run_qgis_process(
        ["run", "citymgmt:createthematiclayer", "--", "TEMPLATE=patrol_routes", f"OUTPUT={out}"],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stderr
    layer = QgsVectorLayer(str(out), "routes", "ogr")
    assert layer.isValid() and "collector_code" in layer.fields().names()
    ws_path = tmp_path / "ws.gpkg"
    upgrade(str(ws_path))
    done = run_qgis_process(
        [
            "run",
            "citymgmt:createthematiclayer",
            "--",
            "TEMPLATE=garbage_accumulation",
            f"WORKSPACE={ws_path}",
        ],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["TABLE"] == "thematic_garbage_accumulation"
    ws = Workspace.open(str(ws_path))
    try:
        assert [r.template for r in thematic_layers(ws)] == ["garbage_accumulation"]
    finally:
        ws.close()


def test_template_list_shows_titles_and_takes_ids_titles_and_indexes(processing, tmp_path):
    """The Template list reads as titles; scripts may give an id, a title or a list index."""
    from qgis.core import QgsApplication

    from citymgmt_plugin.core.thematic.templates import load_templates

    alg = QgsApplication.processingRegistry().algorithmById("citymgmt:createthematiclayer")
    param = alg.parameterDefinition("TEMPLATE")
    ids = load_templates().ids()
    assert param.options()[ids.index("construction_zones")] == "Construction zones"
    assert "construction_zones" not in param.options()
    for n, value in enumerate(["waterlogging_points", "Waterlogging spots", "雨水积聚点"]):
        out = str(tmp_path / f"wl{n}.gpkg")
        res = processing.run("citymgmt:createthematiclayer", {"TEMPLATE": value, "OUTPUT": out})
        assert res["TEMPLATE_ID"] == "waterlogging_points", value
    index = ids.index("garbage_accumulation")
    res = processing.run(
        "citymgmt:createthematiclayer", {"TEMPLATE": index, "OUTPUT": str(tmp_path / "g.gpkg")}
    )
    assert res["TEMPLATE_ID"] == "garbage_accumulation"
    with pytest.raises(Exception, match="no_such_template"):
        processing.run(
            "citymgmt:createthematiclayer",
            {"TEMPLATE": "no_such_template", "OUTPUT": str(tmp_path / "x.gpkg")},
        )
