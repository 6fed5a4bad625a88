"""The Thematic layers dock and feature: templates listed, a layer created and readied for
digitising; thematic layers loaded by the workspace loader get the template's form and rules."""

from __future__ import annotations

import pytest
from qgis.core import QgsEditorWidgetSetup, QgsFieldConstraints, QgsProject
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.layers import load_workspace_layers
from citymgmt_plugin.core.qgis.thematic_layer import TEMPLATE_PROPERTY
from citymgmt_plugin.core.thematic.tables import create_thematic_table
from citymgmt_plugin.core.workspace.store import Workspace
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.thematic_feature import ThematicFeature
from citymgmt_plugin.gui.thematic_guard import guard_for


@pytest.fixture
def plugin(qgis_iface, qgis_new_project, gpkg_workspace):
    ctx = PluginContext(qgis_iface, QMenu("citymgmt"), QToolBar("citymgmt"))
    ctx.set_workspace(Workspace.open(gpkg_workspace.spec))
    feature = ThematicFeature(ctx)
    feature.init_gui()
    yield ctx, feature
    for layer in QgsProject.instance().mapLayers().values():
        if layer.isEditable():
            layer.rollBack()
    feature.unload()
    ctx.unload()
    QgsProject.instance().removeAllMapLayers()


def test_dock_lists_templates_creates_and_readies_a_layer(plugin, artifacts):
    _ctx, feature = plugin
    dock = feature.dock
    items = [dock.template_list.item(i).text() for i in range(dock.template_list.count())]
    # the user's language only (English here; Chinese in test_dock_speaks_chinese)
    assert len(items) == 10 and items[0] == "Management districts"
    assert "Construction zones" in items
    row = items.index("Construction zones")
    assert dock.template_list.item(row).toolTip() == (
        "Fenced construction and road-works areas; two zones may not overlap."
    )
    dock.template_list.setCurrentRow(row)
    assert "no overlap" in dock.details.text()
    info = dock.create_selected()
    assert info is not None and info.table_name == "thematic_construction_zones"
    assert dock.layer_list.count() == 1 and dock.layer_list.currentRow() == 0
    dock.surveyor_edit.setText("李采集")
    dock.surveyor_edit.editingFinished.emit()

    layer = dock.digitise_selected()
    assert layer is not None and layer.isEditable()
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert guard_for(layer) is not None
    idx = layer.fields().indexOf("category")
    setup: QgsEditorWidgetSetup = layer.editorWidgetSetup(idx)
    assert setup.type() == "ValueMap"
    assert {"道路施工": "road"} in setup.config()["map"]
    name_idx = layer.fields().indexOf("name")
    constraints = layer.fields().at(name_idx).constraints()
    assert constraints.constraints() & QgsFieldConstraints.ConstraintNotNull
    assert "trim" in layer.constraintExpression(name_idx)
    assert layer.defaultValueDefinition(layer.fields().indexOf("survey_date")).expression()
    feature_ = layer.getFeature(-1)  # nothing yet
    assert not feature_.isValid()
    config = QgsProject.instance().snappingConfig()
    assert config.enabled() and config.individualLayerSettings(layer).enabled()

    dock.show()
    dock.resize(460, 720)
    for _ in range(5):
        QCoreApplication.processEvents()
    dock.grab().save(str(artifacts / "thematic_dock.png"))


def test_loader_layers_get_form_and_guard(plugin):
    ctx, _feature = plugin
    ws = ctx.workspace
    create_thematic_table(ws, "waterlogging_points")
    layers = load_workspace_layers(ws, QgsProject.instance())
    layer = layers["thematic:thematic_waterlogging_points"]
    assert layer.customProperty(TEMPLATE_PROPERTY) == "waterlogging_points"
    assert guard_for(layer) is not None
    idx = layer.fields().indexOf("severity")
    assert layer.editorWidgetSetup(idx).type() == "ValueMap"
    assert layer.attributeAlias(idx) == "严重程度"


def test_bound_templates_show_the_workspace_tables(plugin):
    """Main roads from the dock: no new table; the layer is main_roads (kind main_road),
    loaded unchecked (the base layer draws the same roads) until digitising checks it."""
    ctx, feature = plugin
    dock = feature.dock
    row = next(
        i
        for i in range(dock.template_list.count())
        if dock.template_list.item(i).text() == "Main roads"
    )
    dock.template_list.setCurrentRow(row)
    assert "main roads table (kind: main road)" in dock.details.text()
    info = dock.create_selected()
    assert info is not None and info.table_name == "main_roads:main_road"
    assert dock.layer_list.item(0).text() == "主要道路 (main roads table, kind: main road)"
    assert dock.layer_list.item(0).toolTip() == "main_roads, kind = main_road"
    assert dock.create_selected() is None  # one layer per binding
    assert "already has a layer" in dock.status.text()
    layers = load_workspace_layers(ctx.workspace, QgsProject.instance())
    layer = layers["thematic:main_roads:main_road"]
    assert layer.customProperty(TEMPLATE_PROPERTY) == "main_roads"
    assert "main_roads" in layer.source() and "main_road" in layer.subsetString()
    tree = QgsProject.instance().layerTreeRoot()
    assert not tree.findLayer(layer.id()).isVisible()
    assert tree.findLayer(layers["main_roads"].id()).isVisible()
    dock.layer_list.setCurrentRow(0)
    assert dock.digitise_selected() is layer and layer.isEditable()
    assert tree.findLayer(layer.id()).isVisible()
    assert guard_for(layer) is not None


def test_dock_speaks_chinese(plugin, tmp_path, artifacts):
    """Under zh_CN the templates, their tooltips and details are Chinese only."""
    _ctx, feature = plugin
    dock = feature.dock
    with zh_cn(tmp_path):
        dock.reload_templates()
        items = [dock.template_list.item(i) for i in range(dock.template_list.count())]
        row = [i.text() for i in items].index("施工作业区域")
        dock.template_list.setCurrentRow(row)
        details = dock.details.text()
    assert items[0].text() == "管理辖区"
    assert items[row].toolTip() == "施工围挡及道路施工作业范围，区域之间不得重叠。"
    assert details.startswith("施工围挡及道路施工作业范围") and "必填：名称、施工类型" in details
    latin = [
        t
        for i in items
        for t in (i.text(), i.toolTip())
        if any(c.isascii() and c.isalpha() for c in t)
    ]
    assert latin == []
    dock.show()
    dock.resize(460, 720)
    for _ in range(5):
        QCoreApplication.processEvents()
    dock.grab().save(str(artifacts / "thematic_dock_zh.png"))
