"""Workspace tables as styled, grouped QGIS layers, on GeoPackage and PostGIS."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsWkbTypes,
)
from sqlalchemy import delete, insert
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis import layers as L
from citymgmt_plugin.core.qgis.layer_task import LoadLayersTask
from citymgmt_plugin.core.workspace.store import WorkspaceSpec
from tests.fixtures.small_workspace import THEMATIC_TABLE, X0, Y0, seed_small_workspace

LAYER_COUNTS = {
    "tasks",
    "cases",
    "admin_district",
    "admin_street",
    "admin_community",
    "unit_grids",
    "resp_grids",
    "components_point",
    "components_line",
    "components_polygon",
    "main_roads",
    "patrol_routes",
    "track_points",
    "submissions",
    "quarantine",
    f"thematic:{THEMATIC_TABLE}",
}


def _count(layer) -> int:
    return sum(1 for _ in layer.getFeatures())


def _groups(project: QgsProject) -> dict[str, list[str]]:
    root = project.layerTreeRoot().children()[0]
    assert isinstance(root, QgsLayerTreeGroup)
    return {g.name(): [n.name() for n in g.findLayers()] for g in root.children()}


def test_workspace_layers_load_styled_and_grouped(qgis_app, workspace):
    expected = seed_small_workspace(workspace)
    project = QgsProject()
    layers = L.load_workspace_layers(workspace, project)

    assert set(layers) == set(expected)
    for key, layer in layers.items():
        assert layer.isValid(), key
        assert _count(layer) == expected[key], key
        assert layer.customProperty(L.LAYER_KEY_PROPERTY) == key
        assert project.mapLayer(layer.id()) is layer
        assert "password" not in layer.source().lower()

    # one GEOMETRY table, three single-type layers
    kinds = {
        k: QgsWkbTypes.geometryType(layers[f"components_{k}"].wkbType())
        for k in ("point", "line", "polygon")
    }
    assert kinds == {
        "point": QgsWkbTypes.PointGeometry,
        "line": QgsWkbTypes.LineGeometry,
        "polygon": QgsWkbTypes.PolygonGeometry,
    }
    assert {f["state"] for f in layers["quarantine"].getFeatures()} == {"quarantined"}
    assert {f["level"] for f in layers["admin_street"].getFeatures()} == {"street"}

    # styles from resources/styles, category labels translated (English here)
    renderer = layers["components_point"].renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert renderer.classAttribute() == 'left("class_code", 2)'
    assert {c.value() for c in renderer.categories()} >= {"01", "02", "03", "04", "05", "06"}
    shapes = {c.symbol().symbolLayer(0).shape() for c in renderer.categories() if c.value()}
    assert len(shapes) == 6  # a distinct marker per major class
    sub = layers["submissions"].renderer()
    assert isinstance(sub, QgsCategorizedSymbolRenderer)
    assert {c.label() for c in sub.categories()} >= {"Pending review", "Quarantined"}
    tasks = layers["tasks"].renderer()  # by how each task stands against its deadline
    assert isinstance(tasks, QgsCategorizedSymbolRenderer)
    assert {c.label() for c in tasks.categories()} >= {"Overdue", "Open", "Done on time"}
    assert isinstance(layers["admin_district"].renderer(), QgsRuleBasedRenderer)
    assert layers[f"thematic:{THEMATIC_TABLE}"].customProperty("citymgmt/style") == (
        "thematic_polygon"
    )
    assert layers[f"thematic:{THEMATIC_TABLE}"].name() == "雨水积聚"

    groups = _groups(project)
    assert list(groups) == [
        "Cases and tasks",
        "Submissions",
        "Components",
        "Patrol",
        "Thematic layers",
        "Base grids",
    ]
    assert groups["Base grids"] == [
        "Districts",
        "Streets",
        "Communities",
        "Responsibility grids",
        "Unit grids",
    ]
    assert groups["Thematic layers"] == ["雨水积聚"]
    # quarantine hidden by default, the rest shown
    tree = project.layerTreeRoot()
    assert not tree.findLayer(layers["quarantine"].id()).isVisible()
    assert tree.findLayer(layers["unit_grids"].id()).isVisible()

    # loading again replaces the group instead of adding a second one
    again = L.load_workspace_layers(workspace, project)
    assert len(project.layerTreeRoot().children()) == 1
    assert len(project.mapLayers()) == len(again)
    assert L.find_workspace_layer(project, "unit_grids") is again["unit_grids"]
    extent = L.workspace_extent(again)
    assert extent.width() == pytest.approx(300) and extent.height() == pytest.approx(200)
    project.clear()


def test_postgis_layer_source(qgis_app, pg_workspace):
    seed_small_workspace(pg_workspace)
    layer = L.workspace_layer(pg_workspace, "components", geometry_type="Point")
    assert layer.isValid()
    uri = QgsDataSourceUri(layer.source())
    assert uri.schema() == pg_workspace.spec.schema
    assert uri.table() == "components"
    assert uri.geometryColumn() == "geom"
    assert uri.keyColumn() == "id"
    assert uri.srid() == "4549"
    assert uri.wkbType() == QgsWkbTypes.Point
    assert uri.password() == ""


def test_postgis_uri_never_carries_a_password():
    spec = WorkspaceSpec.parse(
        "postgresql://alice:secret@db.example:6543/city?schema=ws1&authcfg=abc1234"
    )
    uri = L.postgis_uri(spec)
    assert (uri.host(), uri.port(), uri.database()) == ("db.example", "6543", "city")
    assert uri.authConfigId() == "abc1234"
    assert uri.password() == "" and "secret" not in uri.uri(False)
    svc = L.postgis_uri(WorkspaceSpec.parse("service=citymgmt schema=ws1"))
    assert svc.service() == "citymgmt" and svc.password() == ""
    plain = L.postgis_uri(WorkspaceSpec.parse("postgresql://bob:pw@h/db"))
    assert plain.username() == "bob" and "pw" not in plain.uri(False)


def test_filters_and_subset_strings(qgis_app, gpkg_workspace):
    seed_small_workspace(gpkg_workspace)
    ws = gpkg_workspace
    assert _count(L.workspace_layer(ws, "submissions", state="pending")) == 1
    assert _count(L.workspace_layer(ws, "submissions", state=["pending", "rejected"])) == 2
    assert _count(L.workspace_layer(ws, "unit_grids", where="area_m2 > 5000")) == 6
    assert L.subset_string({"name": "O'Hara"}) == "\"name\" = 'O''Hara'"
    assert L.subset_string({"id": 3}, "x > 1") == '"id" = 3 AND (x > 1)'
    with pytest.raises(ValueError):
        L.subset_string({'a"b': 1})


def test_names_are_translated_under_zh_cn(qgis_app, gpkg_workspace, tmp_path):
    seed_small_workspace(gpkg_workspace)
    project = QgsProject()
    with zh_cn(tmp_path):
        layers = L.load_workspace_layers(gpkg_workspace, project)
        root = project.layerTreeRoot().children()[0]
        assert root.name() == "数字城管"
        groups = _groups(project)
        labels = {c.label() for c in layers["submissions"].renderer().categories()}
    assert list(groups) == ["案件与任务", "上报", "部件", "巡查", "专题图层", "基础网格"]
    assert groups["基础网格"] == ["区", "街道", "社区", "责任网格", "单元网格"]
    assert layers["components_point"].name() == "部件（点）"
    assert layers["track_points"].name() == "轨迹点"
    assert "待审核" in labels
    project.clear()


def test_template_thematic_layers_get_their_form(qgis_app, gpkg_workspace):
    from citymgmt_plugin.core.qgis.thematic_layer import TEMPLATE_PROPERTY
    from citymgmt_plugin.core.thematic.tables import create_thematic_table

    info = create_thematic_table(gpkg_workspace, "waterlogging_points")
    project = QgsProject()
    layers = L.load_workspace_layers(gpkg_workspace, project)
    layer = layers[f"thematic:{info.table_name}"]
    assert layer.isValid() and layer.name() == info.title
    assert layer.customProperty(TEMPLATE_PROPERTY) == "waterlogging_points"
    assert _groups(project)["Thematic layers"] == [info.title]
    project.clear()


def test_district_extent_ignores_stray_submissions(qgis_app, workspace):
    """The map opens on the district, not on everything: the quarantined submission 150 km
    away stretches the submissions layer, never the district extent."""
    seed_small_workspace(workspace)
    extent = L.district_extent(workspace)
    assert (extent.xMinimum(), extent.yMinimum()) == pytest.approx((X0, Y0))
    assert (extent.xMaximum(), extent.yMaximum()) == pytest.approx((X0 + 300, Y0 + 200))
    project = QgsProject()
    layers = L.load_workspace_layers(workspace, project)
    layers["submissions"].updateExtents()
    assert layers["submissions"].extent().width() > 100_000  # the stray one is there
    assert L.workspace_extent(layers) == extent
    project.clear()


def test_district_extent_falls_back_to_unit_grids(qgis_app, gpkg_workspace):
    seed_small_workspace(gpkg_workspace)
    s = gpkg_workspace.schema
    with gpkg_workspace.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")  # outside a transaction: takes hold
        conn.execute(delete(s.admin_units).where(s.admin_units.c.level == "district"))
        conn.execute(delete(s.unit_grids).where(s.unit_grids.c.code.like("%00_")))
        conn.execute(  # one grid left, moved: the extent is now that grid's
            insert(s.unit_grids).values(
                code="320508001001007",
                community_code="320508001001",
                area_m2=10000.0,
                geom=f"SRID=4549;MULTIPOLYGON((({X0} {Y0},{X0 + 50} {Y0},{X0 + 50} {Y0 + 80},"
                f"{X0} {Y0 + 80},{X0} {Y0})))",
            )
        )
        conn.commit()
        extent = L.district_extent(gpkg_workspace)
        assert (extent.width(), extent.height()) == pytest.approx((50, 80))
        for table in (s.unit_grids, s.admin_units, s.resp_grids):
            conn.execute(delete(table))
        conn.commit()
        assert L.district_extent(gpkg_workspace).isEmpty()
    gpkg_workspace.engine.dispose()  # no connection with foreign keys off stays pooled


def test_load_task_opens_in_run_and_adds_in_finished(qgis_app, workspace):
    """Driven by hand: run() opens every layer without touching the project, finished()
    adds them and sets the project CRS to the workspace CRS."""
    seed_small_workspace(workspace)
    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    task = LoadLayersTask(workspace, project)
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    assert task.run()
    assert not project.mapLayers() and not project.layerTreeRoot().children()
    assert all(p.layer is not None and p.layer.isValid() for p in task.plans)
    assert task.extent.width() == pytest.approx(300)
    task.finished(True)
    assert results == [(True, "16 layers loaded.")]
    assert len(project.mapLayers()) == 16 and set(task.layers) == set(LAYER_COUNTS)
    assert project.crs().authid() == "EPSG:4549"
    project.clear()


def test_load_task_cancelled_leaves_the_project_as_it_was(qgis_app, gpkg_workspace):
    seed_small_workspace(gpkg_workspace)
    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    task = LoadLayersTask(gpkg_workspace, project)
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    task.cancel()
    task.finished(task.run())
    assert results and not results[0][0] and "cancelled" in results[0][1]
    assert not project.mapLayers() and not project.layerTreeRoot().children()
    assert project.crs().authid() == "EPSG:4326"


def test_columns_and_legends_are_titled_in_chinese(qgis_app, workspace, tmp_path):
    """Attribute-table column titles and legend labels of every workspace layer are the
    user's language: each column but the key has a translated alias, on both backends."""
    seed_small_workspace(workspace)
    project = QgsProject()
    with zh_cn(tmp_path):
        layers = L.load_workspace_layers(workspace, project)
        legends = {
            key: [item.label() for item in layer.renderer().legendSymbolItems()]
            for key, layer in layers.items()
        }
    untitled = {
        key: [f.name() for f in layer.fields() if f.name() != "id" and not f.alias()]
        for key, layer in layers.items()
    }
    assert {key: names for key, names in untitled.items() if names} == {}
    titles = {key: [f.displayName() for f in layer.fields()] for key, layer in layers.items()}
    assert titles["admin_street"] == ["id", "级别", "区划代码", "名称", "上级区划代码"]
    assert titles["unit_grids"] == [
        "id",
        "单元网格代码",
        "所在社区代码",
        "责任主体",
        "面积（平方米）",
    ]
    assert "审核状态" in titles["submissions"] and "隔离原因" in titles["quarantine"]
    assert titles["components_point"][1:3] == ["标识码", "标识码方案"]
    assert "道路类型" in titles["main_roads"] and "定位时间" in titles["track_points"]
    assert legends["admin_district"] == ["区", "街道", "社区"]
    assert "待审核" in legends["submissions"] and "窗口地区" in legends["main_roads"]
    latin = {
        key: [text for text in texts if any(c.isascii() and c.isalpha() for c in text)]
        for key, texts in legends.items()
    }
    assert {key: texts for key, texts in latin.items() if texts} == {}
    project.clear()


def test_columns_are_titled_in_english(qgis_app, gpkg_workspace):
    seed_small_workspace(gpkg_workspace)
    project = QgsProject()
    layers = L.load_workspace_layers(gpkg_workspace, project)
    names = [f.displayName() for f in layers["track_points"].fields()]
    assert names == [
        "id",
        "Collector code",
        "Device ID",
        "Fix time",
        "Accuracy (m)",
        "Speed (km/h)",
    ]
    legend = [i.label() for i in layers["admin_district"].renderer().legendSymbolItems()]
    assert legend == ["District", "Street", "Community"]
    project.clear()


def test_thematic_style_legend_follows_the_form_language(qgis_app, gpkg_workspace):
    """A thematic layer's QML legend (written in Chinese) takes the template's labels in
    the language of its form."""
    from citymgmt_plugin.core.qgis.thematic_layer import thematic_layer
    from citymgmt_plugin.core.thematic.tables import create_thematic_table

    info = create_thematic_table(gpkg_workspace, "construction_zones")
    english = thematic_layer(gpkg_workspace, info, lang="en")
    chinese = thematic_layer(gpkg_workspace, info, lang="zh")
    labels = [c.label() for c in english.renderer().categories()]
    assert english.customProperty("citymgmt/style") == "thematic_construction_zones"
    assert labels[:2] == ["Road works", "Building site"]
    assert [c.label() for c in chinese.renderer().categories()][:2] == ["道路施工", "建筑工地"]
    assert english.fields().field("permit_no").displayName() == "Permit number"
