"""Digitising thematic layers through the real map canvas: snapping, tracing, the template's
form, and the rule guard refusing features, with the result checked in PostGIS."""

from __future__ import annotations

import time
from datetime import date

import pytest
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsFieldConstraints,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSnappingConfig,
    QgsVectorLayerUtils,
)
from qgis.gui import (
    QgsAdvancedDigitizingDockWidget,
    QgsAttributeDialog,
    QgsAttributeEditorContext,
    QgsMapCanvasTracer,
    QgsMapMouseEvent,
    QgsMapToolCapture,
    QgsMapToolDigitizeFeature,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialogButtonBox
from shapely import wkb as shapely_wkb
from sqlalchemy import insert, select

from citymgmt_plugin.core.qgis.layers import workspace_layer
from citymgmt_plugin.core.qgis.thematic_layer import SURVEYOR_VARIABLE, thematic_layer
from citymgmt_plugin.core.thematic.tables import create_thematic_table, thematic_table
from citymgmt_plugin.core.thematic.templates import get_template
from citymgmt_plugin.gui.thematic_capture import prepare_capture

X0, Y0 = 500000.0, 3500000.0
ROAD = [(X0, Y0 + 100), (X0 + 100, Y0 + 100), (X0 + 200, Y0 + 150), (X0 + 300, Y0 + 150)]


@pytest.fixture
def scene(pg_workspace, qgis_canvas, qgis_iface, qgis_new_project):
    ws = pg_workspace
    coords = ",".join(f"{x} {y}" for x, y in ROAD)
    with ws.begin() as c:
        c.execute(
            insert(ws.schema.main_roads).values(
                kind="main_road", name="人民路", geom=f"SRID=4549;MULTILINESTRING(({coords}))"
            )
        )
    project = QgsProject.instance()
    roads = workspace_layer(ws, "main_roads", name="主要道路")
    assert roads.isValid()
    project.addMapLayer(roads)
    canvas = qgis_canvas
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    canvas.window().show()
    canvas.resize(1000, 700)
    for _ in range(3):
        QCoreApplication.processEvents()
    assert canvas.mapSettings().outputSize().width() > 900
    canvas.setExtent(QgsRectangle(X0 - 50, Y0 - 50, X0 + 350, Y0 + 250))
    QgsExpressionContextUtils.setGlobalVariable(SURVEYOR_VARIABLE, "王测绘")
    yield ws, project, canvas, roads, qgis_iface
    QgsExpressionContextUtils.removeGlobalVariable(SURVEYOR_VARIABLE)
    canvas.unsetMapTool(canvas.mapTool()) if canvas.mapTool() else None
    for layer in list(project.mapLayers().values()):
        if layer.isEditable():
            layer.rollBack()
    project.removeAllMapLayers()
    canvas.setLayers([])
    tracer = QgsMapCanvasTracer.tracerForCanvas(canvas)
    if tracer is not None:  # made by enable_tracing for this canvas; it keeps layer pointers
        sip.delete(tracer)
    canvas.snappingUtils().setConfig(QgsSnappingConfig())


def _layer(ws, project, canvas, roads, template_id):
    info = create_thematic_table(ws, template_id)
    layer = thematic_layer(ws, info)
    assert layer.isValid()
    project.addMapLayer(layer)
    canvas.setLayers([layer, roads])
    return info, layer


def _pixel(canvas, x, y) -> QPoint:
    p = canvas.getCoordinateTransform().transform(x, y)
    return QPoint(round(p.x()), round(p.y()))


def _click(canvas, x, y, button=Qt.LeftButton):
    pos = _pixel(canvas, x, y)
    tool = canvas.mapTool()
    move = QgsMapMouseEvent(canvas, QEvent.MouseMove, pos, Qt.NoButton, Qt.NoButton)
    tool.canvasMoveEvent(move)
    QTest.mouseClick(canvas.viewport(), button, Qt.NoModifier, pos)
    QCoreApplication.processEvents()


_CAD: dict[int, QgsAdvancedDigitizingDockWidget] = {}


def _cad_dock(canvas) -> QgsAdvancedDigitizingDockWidget:
    """One advanced-digitizing dock per canvas for the session: it puts an item on the
    canvas that paints through it, so it must live as long as the canvas (as in QGIS)."""
    if id(canvas) not in _CAD:
        _CAD[id(canvas)] = QgsAdvancedDigitizingDockWidget(canvas)
    return _CAD[id(canvas)]


def _wait_snappable(canvas, x, y, timeout=10.0):
    """A mouse event snaps "relaxed": without a ready index it does not wait (QGIS builds
    the index in the background while the user moves the mouse). Wait as a user would."""
    utils = canvas.snappingUtils()
    deadline = time.monotonic() + timeout
    while not utils.snapToMap(QgsPointXY(x, y), None, True).isValid():
        QCoreApplication.processEvents()
        time.sleep(0.02)
        assert time.monotonic() < deadline, "snapping index never became ready:\n" + utils.dump()


def _digitise(canvas, layer, mode, points, snap: bool = False):
    """Click ``points`` with the capture tool. ``snap``: every point must snap (wait until
    it does, as a user sees the snap marker before clicking); otherwise only points that
    snap at once are waited for."""
    cad = _cad_dock(canvas)
    tool = QgsMapToolDigitizeFeature(canvas, cad, mode)
    tool.setLayer(layer)
    canvas.setMapTool(tool)
    captured: list[QgsFeature] = []
    tool.digitizingCompleted.connect(lambda f: captured.append(QgsFeature(f)))
    for x, y in points:
        if snap or canvas.snappingUtils().snapToMap(QgsPointXY(x, y)).isValid():
            _wait_snappable(canvas, x, y)
        _click(canvas, x, y)
    _click(canvas, *points[-1], button=Qt.RightButton)
    assert len(captured) == 1, "the capture tool did not finish the feature"
    canvas.unsetMapTool(tool)
    del tool
    return captured[0].geometry()


def _fill_form(layer, geometry, values, shot=None) -> tuple[bool, list[str]]:
    """What QGIS does after a capture: a feature with the defaults, the layer's form, OK.

    Returns (saved, the fields whose hard constraints fail); the form's OK button is
    disabled while a hard constraint fails, as in QGIS.
    """
    feature = QgsVectorLayerUtils.createFeature(
        layer, geometry, {}, layer.createExpressionContext()
    )
    dialog = QgsAttributeDialog(layer, feature, False, None, True, QgsAttributeEditorContext())
    dialog.setMode(QgsAttributeEditorContext.AddFeatureMode)
    form = dialog.attributeForm()
    for name, value in values.items():
        form.changeAttribute(name, value)
    QCoreApplication.processEvents()
    failing = []
    for idx, field in enumerate(layer.fields()):
        if field.name() in ("id",):
            continue
        ok, _errors = QgsVectorLayerUtils.validateAttribute(
            layer, form.currentFormFeature(), idx, QgsFieldConstraints.ConstraintStrengthHard
        )
        if not ok:
            failing.append(field.name())
    button = form.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)
    if shot is not None:
        dialog.resize(520, 640)
        dialog.show()
        for _ in range(5):
            QCoreApplication.processEvents()
        dialog.grab().save(str(shot))
    before = len(layer.editBuffer().addedFeatures())
    if button.isEnabled():
        button.click()
    QCoreApplication.processEvents()
    saved = len(layer.editBuffer().addedFeatures()) == before + 1
    dialog.close()
    return saved, failing


def _stored(ws, template_id, table):
    t = thematic_table(ws, get_template(template_id), table)
    with ws.engine.connect() as c:
        rows = c.execute(select(t, t.c.geom.ST_AsBinary().label("wkb")).order_by(t.c.id)).all()
    return [(r, shapely_wkb.loads(bytes(r.wkb))) for r in rows]


def test_digitise_zone_with_snapping_form_and_rules(scene, artifacts):
    ws, project, canvas, roads, iface = scene
    info, zones = _layer(ws, project, canvas, roads, "construction_zones")
    guard = prepare_capture(zones, canvas, ws=ws, project=project, message_bar=iface.messageBar())
    config = project.snappingConfig()
    assert config.enabled() and config.individualLayerSettings(roads).enabled()
    assert config.individualLayerSettings(zones).enabled()
    assert zones.isEditable()

    # near (1.5 m, 1.2 m off) the road vertex: snapped onto it exactly
    pts = [(X0 + 101.5, Y0 + 98.8), (X0 + 160, Y0 + 100), (X0 + 160, Y0 + 60), (X0 + 100, Y0 + 60)]
    geom = _digitise(canvas, zones, QgsMapToolCapture.CapturePolygon, pts)
    ring = [(round(p.x(), 6), round(p.y(), 6)) for p in geom.asPolygon()[0]]
    assert ring[0] == (X0 + 100, Y0 + 100)

    # the form's defaults and constraints: a blank name is refused by QGIS's own form
    ok, failing = _fill_form(zones, geom, {"name": "", "category": "pipeline"})
    assert not ok and failing == ["name"] and zones.editBuffer().addedFeatures() == {}
    ok, failing = _fill_form(
        zones,
        geom,
        {"name": "人民路管线施工", "category": "pipeline"},
        shot=artifacts / "thematic_form.png",
    )
    assert ok and failing == []
    assert zones.commitChanges(False), zones.commitErrors()
    assert guard.last_violations == []

    ((row, shape),) = _stored(ws, "construction_zones", info.table_name)
    assert (row.name, row.category, row.status) == ("人民路管线施工", "pipeline", "active")
    assert (row.surveyor, row.survey_date) == ("王测绘", date.today())
    assert (row.data_source, row.accuracy_class) == ("实测", "B")
    assert (X0 + 100, Y0 + 100) in list(shape.exterior.coords)
    assert shape.area == pytest.approx(60 * 40, rel=0.02)  # clicks land on whole pixels

    # overlapping the saved zone: kept in the buffer, the commit refused naming the rule
    over = _digitise(
        canvas,
        zones,
        QgsMapToolCapture.CapturePolygon,
        [(X0 + 140, Y0 + 80), (X0 + 190, Y0 + 80), (X0 + 190, Y0 + 20), (X0 + 140, Y0 + 20)],
    )
    ok, failing = _fill_form(zones, over, {"name": "重叠施工", "category": "road"})
    assert ok
    assert not zones.commitChanges(False)
    assert [v.rule for v in guard.last_violations] == ["no_overlap"]
    texts = [str(m) for m in iface.messageBar().get_messages(Qgis.Critical)]
    assert any("no overlap within the layer" in t for t in texts), texts
    zones.rollBack(False)

    # a self-intersecting (bow-tie) polygon is refused too
    bow = _digitise(
        canvas,
        zones,
        QgsMapToolCapture.CapturePolygon,
        [(X0 + 220, Y0 + 20), (X0 + 280, Y0 + 80), (X0 + 280, Y0 + 20), (X0 + 220, Y0 + 80)],
    )
    ok, failing = _fill_form(zones, bow, {"name": "自相交", "category": "road"})
    assert ok
    assert not zones.commitChanges(False)
    assert "no_self_intersection" in [v.rule for v in guard.last_violations]
    zones.rollBack(False)

    # a feature that skips the form (pasted, scripted) with a mandatory field empty
    f = QgsVectorLayerUtils.createFeature(
        zones,
        QgsGeometry.fromWkt(
            f"POLYGON(({X0 + 220} {Y0 + 200},{X0 + 260} {Y0 + 200},"
            f"{X0 + 260} {Y0 + 230},{X0 + 220} {Y0 + 200}))"
        ),
        {},
        zones.createExpressionContext(),
    )
    zones.addFeature(f)
    assert not zones.commitChanges(False)
    assert [v.rule for v in guard.last_violations] == ["mandatory_fields"]
    assert "name" in guard.last_violations[0].message
    zones.rollBack()
    assert len(_stored(ws, "construction_zones", info.table_name)) == 1

    from citymgmt_plugin.core.qgis.render import render_layers_png

    render_layers_png(
        [zones, roads],
        QgsRectangle(X0 - 50, Y0 - 50, X0 + 350, Y0 + 250),
        artifacts / "thematic_capture_zone.png",
        size=(800, 600),
        title="施工作业区域",
        subtitle="digitised with snapping",
    )


def _polyline(geom):
    parts = geom.asMultiPolyline() if geom.isMultipart() else [geom.asPolyline()]
    assert len(parts) == 1
    return [(round(p.x(), 6), round(p.y(), 6)) for p in parts[0]]


def _core_rows(ws, table, **where):
    t = getattr(ws.schema, table)
    query = select(t, t.c.geom.ST_AsBinary().label("wkb")).order_by(t.c.id)
    for col, value in where.items():
        query = query.where(t.c[col] == value)
    with ws.engine.connect() as c:
        return [(r, shapely_wkb.loads(bytes(r.wkb))) for r in c.execute(query).all()]


def test_trace_patrol_route_along_road(scene, artifacts):
    """The patrol routes template's layer is the workspace's patrol_routes table: a traced
    route lands there with its collector, where route deviation reads it."""
    ws, project, canvas, roads, iface = scene
    with ws.begin() as c:
        c.execute(insert(ws.schema.collectors).values(code="C001", name="张巡查"))
    info, routes = _layer(ws, project, canvas, roads, "patrol_routes")
    assert (info.table_name, info.source_table) == ("patrol_routes", "patrol_routes")
    prepare_capture(routes, canvas, ws=ws, project=project, message_bar=iface.messageBar())
    # two clicks, at the road's first and last vertex: tracing follows the road between
    geom = _digitise(
        canvas,
        routes,
        QgsMapToolCapture.CaptureLine,
        [(X0 + 1, Y0 + 101), (X0 + 299, Y0 + 149)],
        snap=True,
    )
    assert _polyline(geom) == ROAD
    ok, failing = _fill_form(routes, geom, {"collector_code": ""})
    assert not ok and failing == ["collector_code"]  # mandatory: the table needs it
    ok, _ = _fill_form(routes, geom, {"collector_code": "C001", "resp_grid_code": None})
    assert ok and routes.commitChanges(), routes.commitErrors()
    ((row, shape),) = _core_rows(ws, "patrol_routes")
    assert (row.collector_code, row.valid_from) == ("C001", date.today())
    assert shape.geom_type == "MultiLineString"
    assert shape.length == pytest.approx(100 + 2 * (100**2 + 50**2) ** 0.5 / 2 + 100, rel=1e-9)


def test_digitise_main_road_and_window_area_into_main_roads(scene, artifacts):
    """Main roads and window areas are digitised into the workspace's main_roads table, by
    kind, where weekly patrol coverage reads them; each layer shows its own kind only."""
    ws, project, canvas, roads, iface = scene
    info, mains = _layer(ws, project, canvas, roads, "main_roads")
    assert (info.source_table, info.filters) == ("main_roads", {"kind": "main_road"})
    assert mains.featureCount() == 1  # 人民路, stored before
    kind = mains.fields().indexOf("kind")
    assert mains.editorWidgetSetup(kind).type() == "Hidden"
    guard = prepare_capture(mains, canvas, ws=ws, project=project, message_bar=iface.messageBar())
    assert project.snappingConfig().individualLayerSettings(mains).enabled()

    line = [(X0, Y0 + 200), (X0 + 150, Y0 + 200), (X0 + 250, Y0 + 220)]
    geom = _digitise(canvas, mains, QgsMapToolCapture.CaptureLine, line)
    ok, failing = _fill_form(mains, geom, {"name": ""})
    assert not ok and failing == ["name"]
    ok, _ = _fill_form(
        mains,
        geom,
        {"name": "干将路", "resp_grid_code": None},
        shot=artifacts / "main_road_form.png",
    )
    assert ok and mains.commitChanges(False), mains.commitErrors()
    assert guard.last_violations == []
    rows = _core_rows(ws, "main_roads", name="干将路")
    assert [(r.kind, r.name) for r, _ in rows] == [("main_road", "干将路")]
    assert rows[0][1].geom_type == "MultiLineString"
    assert rows[0][1].length == pytest.approx(150 + (100**2 + 20**2) ** 0.5, abs=1.0)

    # too short (min_length 10 m): refused on save, nothing written
    short = _digitise(
        canvas, mains, QgsMapToolCapture.CaptureLine, [(X0 + 20, Y0 + 30), (X0 + 28, Y0 + 30)]
    )
    ok, _ = _fill_form(mains, short, {"name": "短路"})
    assert ok and not mains.commitChanges(False)
    assert [v.rule for v in guard.last_violations] == ["min_length"]
    mains.rollBack()

    info, windows = _layer(ws, project, canvas, roads, "window_areas")
    assert windows.featureCount() == 0  # the main roads are not window-area roads
    prepare_capture(windows, canvas, ws=ws, project=project, message_bar=iface.messageBar())
    geom = _digitise(
        canvas,
        windows,
        QgsMapToolCapture.CaptureLine,
        [(X0 + 40, Y0 + 20), (X0 + 40, Y0 + 80)],
    )
    ok, _ = _fill_form(windows, geom, {"name": "观前街"})
    assert ok and windows.commitChanges(), windows.commitErrors()
    stored = {(r.kind, r.name) for r, _ in _core_rows(ws, "main_roads")}
    assert stored == {("main_road", "人民路"), ("main_road", "干将路"), ("window_area", "观前街")}
    mains.dataProvider().reloadData()
    assert mains.featureCount() == 2 and windows.featureCount() == 1
