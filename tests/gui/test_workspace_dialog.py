"""The workspace dialog and feature, driven offscreen against a GeoPackage and PostGIS."""

from __future__ import annotations

import time
import uuid

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
)
from qgis.gui import QgsLayerTreeMapCanvasBridge
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.layers import LAYER_KEY_PROPERTY
from citymgmt_plugin.core.qgis.session import (
    PROJECT_KEY,
    PROJECT_SCOPE,
    SETTINGS_KEY,
    project_workspace,
)
from citymgmt_plugin.core.workspace import connection as C
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.workspace_dialog import WorkspaceDialog
from citymgmt_plugin.gui.workspace_feature import WorkspaceFeature
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        QCoreApplication.processEvents()
        time.sleep(0.01)
        assert time.monotonic() < deadline, "timed out"


def show_settled(dialog) -> None:
    dialog.show()
    for _ in range(5):
        QCoreApplication.processEvents()
    dialog.adjustSize()
    QCoreApplication.processEvents()


@pytest.fixture
def ctx(qgis_iface):
    settings = QgsSettings()
    before = settings.value(SETTINGS_KEY, None)
    menu = QMenu("citymgmt")
    toolbar = QToolBar("citymgmt")
    context = PluginContext(qgis_iface, menu, toolbar)
    QgsProject.instance().clear()
    yield context
    QgsProject.instance().clear()
    context.unload()
    if before is None:  # leave the test profile as it was
        settings.remove(SETTINGS_KEY)
    else:
        settings.setValue(SETTINGS_KEY, before)


def _no_password_anywhere() -> None:
    saved = str(QgsSettings().value(SETTINGS_KEY, ""))
    assert saved and "password" not in saved.lower() and ":" not in saved.split("@")[0][12:]
    assert project_workspace() == saved
    for layer in QgsProject.instance().mapLayers().values():
        assert "password" not in layer.source().lower()


def test_geopackage_create_connect_load(ctx, tmp_path, artifacts):
    path = tmp_path / "office" / "new-workspace.gpkg"
    dialog = WorkspaceDialog(ctx)
    dialog.gpkg_radio.setChecked(True)
    dialog.file_widget.setFilePath(str(path))
    assert dialog.check_state().state == C.NEW_FILE
    assert dialog.upgrade_button.isEnabled() and not dialog.connect_button.isEnabled()
    dialog.legacy14_check.setChecked(True)
    dialog.scheme_combo.setCurrentIndex(dialog.scheme_combo.findData("std17"))

    assert dialog.upgrade_schema()
    assert dialog.busy and not dialog.upgrade_button.isEnabled()
    wait_until(lambda: not dialog.busy)
    assert dialog.state.state == C.CURRENT, dialog.status_label.text()
    ws = ctx.workspace  # connected after creating the schema
    assert ws is not None and ws.spec.path == str(path)
    assert ws.setting("component_scheme") == "std17"
    assert ws.setting("grid_code_legacy14") == "1"
    assert ws.srid == 4549

    seed_small_workspace(ws)
    assert dialog.load_layers()
    wait_until(lambda: not dialog.busy)
    layers = dialog.loaded_layers
    assert len(layers) == 16
    keys = {
        layer.customProperty(LAYER_KEY_PROPERTY)
        for layer in QgsProject.instance().mapLayers().values()
    }
    assert {"unit_grids", "components_point", "submissions", "quarantine"} <= keys
    assert QgsProject.instance().crs().authid() == "EPSG:4549"
    assert not ctx.iface.mapCanvas().extent().isEmpty()
    _no_password_anywhere()
    assert QgsSettings().value(SETTINGS_KEY) == str(path)

    show_settled(dialog)
    dialog.grab().save(str(artifacts / "workspace_dialog.png"))
    dialog.close()


def test_dialog_screenshot_in_chinese(ctx, tmp_path, artifacts):
    with zh_cn(tmp_path):
        dialog = WorkspaceDialog(ctx)
        dialog.pg_radio.setChecked(True)
        dialog.service_edit.setText("citymgmt")
        dialog.schema_edit.setText("office")
        show_settled(dialog)
        assert dialog.windowTitle() == "数字城管工作空间"
        assert dialog.upgrade_button.text() == "创建或升级数据库结构"
        dialog.grab().save(str(artifacts / "workspace_dialog_zh.png"))
        dialog.close()


@pytest.fixture
def pg_service(tmp_path, pg_url, monkeypatch):
    """A pg_service.conf naming the test database; PGSERVICEFILE points to it."""
    url = make_url(pg_url)
    conf = tmp_path / "pg_service.conf"
    conf.write_text(
        "[citymgmt_test_svc]\n"
        f"host={url.host}\nport={url.port}\ndbname={url.database}\nuser={url.username}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(conf))
    schema = "t_" + uuid.uuid4().hex[:12]
    yield "citymgmt_test_svc", schema
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def test_postgis_through_service(ctx, pg_service):
    service, schema = pg_service
    dialog = WorkspaceDialog(ctx)
    dialog.pg_radio.setChecked(True)
    dialog.service_radio.setChecked(True)
    dialog.service_edit.setText(service)
    dialog.schema_edit.setText(schema)
    assert dialog.check_state().state == C.EMPTY
    assert dialog.upgrade_schema()
    wait_until(lambda: not dialog.busy)
    assert dialog.state.state == C.CURRENT, dialog.status_label.text()
    ws = ctx.workspace
    assert ws is not None and ws.is_postgres and ws.spec.service == service
    seed_small_workspace(ws)
    assert dialog.load_layers()
    wait_until(lambda: not dialog.busy)
    layers = dialog.loaded_layers
    assert len(layers) == 16
    assert all(layer.isValid() for layer in layers.values())
    assert f"service='{service}'" in layers["unit_grids"].source()
    assert sum(1 for _ in layers["unit_grids"].getFeatures()) == 6
    _no_password_anywhere()
    assert QgsSettings().value(SETTINGS_KEY) == f"service={service} schema={schema}"
    QgsProject.instance().clear()
    dialog.close()


def test_errors_are_translated_messages(ctx, tmp_path):
    dialog = WorkspaceDialog(ctx)
    dialog.pg_radio.setChecked(True)
    dialog.host_radio.setChecked(True)
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(1)
    dialog.db_edit.setText("nowhere")
    assert dialog.check_state() is None
    message = dialog.status_label.text()
    assert message.startswith("Cannot connect to") and "Traceback" not in message
    dialog.host_edit.setText("")
    assert dialog.connect_workspace() is None  # "Give the host and the database."
    dialog.gpkg_radio.setChecked(True)
    dialog.file_widget.setFilePath(str(tmp_path / "missing.gpkg"))
    assert dialog.connect_workspace() is None
    assert ctx.workspace is None
    dialog.close()


def test_feature_action_and_project_reconnect(ctx, gpkg_workspace, tmp_path):
    feature = WorkspaceFeature(ctx)
    feature.init_gui()
    try:
        assert feature.action in ctx.menu.actions()
        assert feature.action in ctx.toolbar.actions()
        dialog = feature.show_dialog()
        assert dialog.isVisible()
        dialog.close()

        project = QgsProject.instance()
        project.writeEntry(PROJECT_SCOPE, PROJECT_KEY, gpkg_workspace.spec.path)
        saved = tmp_path / "with-workspace.qgz"
        assert project.write(str(saved))
        project.clear()
        assert ctx.workspace is None
        assert project.read(str(saved))  # readProject -> silent reconnect
        assert ctx.workspace is not None
        assert ctx.workspace.spec.path == gpkg_workspace.spec.path
    finally:
        feature.unload()
    # after unload, reading a project no longer reconnects
    ctx.set_workspace(None)
    QgsProject.instance().read(str(saved))
    assert ctx.workspace is None


@pytest.fixture
def qgis_like_canvas(ctx):
    """The canvas as QGIS desktop has it: shown, bound to the layer tree by the bridge that
    zooms to the full extent when a project's first layers arrive; project in EPSG:4326."""
    canvas = ctx.iface.mapCanvas()
    win = canvas.window()
    size, shown = win.size(), win.isVisible()
    win.resize(1000, 700)
    win.show()
    canvas.show()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    bridge = QgsLayerTreeMapCanvasBridge(QgsProject.instance().layerTreeRoot(), canvas)
    settle()
    yield canvas
    del bridge
    win.resize(size)
    if not shown:
        win.hide()


def settle(rounds: int = 10) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents()
        time.sleep(0.01)


def _district_shown(canvas) -> None:
    district = QgsRectangle(X0, Y0, X0 + 300, Y0 + 200)
    assert canvas.mapSettings().destinationCrs().authid() == "EPSG:4549"
    assert canvas.extent().contains(district)
    assert not canvas.extent().contains(QgsPointXY(X0 - 120000, Y0 + 90000))
    assert canvas.scale() < 20000, canvas.scale()  # street level, not the province


def test_load_layers_opens_the_map_on_the_district(
    ctx, gpkg_workspace, qgis_like_canvas, artifacts
):
    ws = gpkg_workspace
    seed_small_workspace(ws)  # with one quarantined submission 150 km away
    ctx.set_workspace(ws)
    dialog = WorkspaceDialog(ctx)
    progress = []
    assert dialog.load_layers()
    assert dialog.busy and not dialog.load_button.isEnabled() and not dialog.progress.isHidden()
    dialog.task.progressChanged.connect(progress.append)
    wait_until(lambda: not dialog.busy)
    settle()  # the layer-tree bridge's own zoom comes a moment later
    assert len(dialog.loaded_layers) == 16
    assert progress and progress[-1] == 100
    assert dialog.status_label.text() == "16 layers loaded."
    assert dialog.progress.isHidden() and dialog.load_button.isEnabled()
    assert QgsProject.instance().crs().authid() == "EPSG:4549"
    canvas = qgis_like_canvas
    _district_shown(canvas)
    canvas.refresh()
    canvas.waitWhileRendering()
    canvas.grab().save(str(artifacts / "workspace_loaded_canvas.png"))
    ctx._workspace = None  # the fixture closes it
    dialog.close()


def test_zoom_to_workspace_action(ctx, gpkg_workspace, qgis_like_canvas):
    ws = gpkg_workspace
    seed_small_workspace(ws)
    feature = WorkspaceFeature(ctx)
    feature.init_gui()
    try:
        action = feature.zoom_action
        assert action in ctx.menu.actions() and action in ctx.toolbar.actions()
        assert not action.icon().isNull() and action.text() == "Zoom to workspace"
        assert not feature.zoom_to_workspace()  # no workspace yet: a message, no zoom
        ctx.set_workspace(ws)
        QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
        canvas = qgis_like_canvas
        canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
        canvas.setExtent(QgsRectangle(0, 0, 1_000_000, 5_000_000))
        action.trigger()
        _district_shown(canvas)
        # a project in another CRS: the district, transformed
        QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        canvas.setExtent(QgsRectangle(0, 0, 1_000_000, 1_000_000))
        assert feature.zoom_to_workspace()
        assert canvas.mapSettings().destinationCrs().authid() == "EPSG:3857"
        assert canvas.scale() < 20000
    finally:
        ctx._workspace = None  # the fixture closes it
        feature.unload()
    assert feature.zoom_action is None


def test_cancelled_loading_leaves_the_project_unchanged(ctx, gpkg_workspace, qgis_like_canvas):
    ws = gpkg_workspace
    seed_small_workspace(ws)
    ctx.set_workspace(ws)
    dialog = WorkspaceDialog(ctx)
    # cancelled right away (before or while run() opens the layers)
    assert dialog.load_layers()
    dialog.cancel_button.click()
    wait_until(lambda: not dialog.busy)
    assert not QgsProject.instance().mapLayers()
    assert not QgsProject.instance().layerTreeRoot().children()
    assert QgsProject.instance().crs().authid() == "EPSG:4326"
    assert "cancelled" in dialog.status_label.text() and not dialog.loaded_layers
    # cancelled from inside run(), after the first layer is open
    assert dialog.load_layers()
    task = dialog.task
    task.progressChanged.connect(lambda _p: task.cancel(), Qt.DirectConnection)
    wait_until(lambda: not dialog.busy)
    assert not QgsProject.instance().mapLayers()
    assert "cancelled" in dialog.status_label.text()
    # and then loading works
    assert dialog.load_layers()
    wait_until(lambda: not dialog.busy)
    assert len(QgsProject.instance().mapLayers()) == 16
    ctx._workspace = None  # the fixture closes it
    dialog.close()
