"""The census dock and map tools on a real canvas against PostGIS: mouse events at map
coordinates, the form filled through its widgets, rows checked in the database."""

from __future__ import annotations

import io

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSnappingConfig,
    QgsTolerance,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from qgis.PyQt.QtGui import QDropEvent
from qgis.PyQt.QtTest import QTest
from shapely.geometry import Point
from sqlalchemy import select

from citymgmt_plugin.core import census
from citymgmt_plugin.core.qgis.layers import workspace_layer
from citymgmt_plugin.demo.lattice import seed_lattice
from citymgmt_plugin.gui.census_dock import CensusDock
from citymgmt_plugin.gui.census_maptools import MoveTool, PickTool, PlaceTool

X0, Y0 = 500000.0, 3500000.0


def pixel(canvas, x: float, y: float) -> QPoint:
    p = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(round(p.x()), round(p.y()))


def click(canvas, x, y, button=Qt.LeftButton):
    pos = pixel(canvas, x, y)
    QTest.mouseMove(canvas.viewport(), pos)
    QTest.mouseClick(canvas.viewport(), button, Qt.NoModifier, pos)


def confirm(canvas):
    """Enter on the map: save the placement waiting there (nothing is stored before)."""
    QTest.keyClick(canvas, Qt.Key_Return)


@pytest.fixture
def setup(qgis_canvas, qgis_new_project, pg_workspace):
    yield from _dock_on_canvas(qgis_canvas, pg_workspace)


@pytest.fixture
def setup_std17(qgis_canvas, qgis_new_project, pg_spec):
    """A workspace on the 17-digit identifier scheme (5-digit class codes)."""
    from citymgmt_plugin.core.workspace.store import UpgradeOptions, Workspace, upgrade

    upgrade(pg_spec, UpgradeOptions(component_scheme="std17"))
    ws = Workspace.open(pg_spec)
    yield from _dock_on_canvas(qgis_canvas, ws)
    ws.close()


def _dock_on_canvas(qgis_canvas, ws):
    seed_lattice(ws, communities=2, nx=2, ny=2)
    comps = workspace_layer(ws, "components", geometry_type="Point")
    grids = workspace_layer(ws, "unit_grids")
    assert comps.isValid() and grids.isValid()
    QgsProject.instance().addMapLayers([comps, grids])
    canvas = qgis_canvas
    win = canvas.window()
    orig_size, orig_min, was_shown = win.size(), canvas.minimumSize(), win.isVisible()
    win.resize(1000, 700)
    canvas.setMinimumSize(800, 500)
    canvas.window().show()
    canvas.show()
    QTest.qWait(50)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    canvas.setLayers([comps, grids])
    canvas.setExtent(QgsRectangle(X0 - 10, Y0 - 10, X0 + 410, Y0 + 210))
    canvas.refresh()
    QTest.qWait(50)
    assert canvas.mapSettings().outputSize() == canvas.viewport().size()
    cfg = QgsSnappingConfig()
    cfg.setEnabled(True)
    cfg.setMode(QgsSnappingConfig.AdvancedConfiguration)
    cfg.setIndividualLayerSettings(  # snap to components only, not to grid corners
        comps,
        QgsSnappingConfig.IndividualLayerSettings(
            True, QgsSnappingConfig.VertexFlag, 12, QgsTolerance.Pixels, 0.0, 0.0
        ),
    )
    cfg.setIndividualLayerSettings(
        grids,
        QgsSnappingConfig.IndividualLayerSettings(
            False, QgsSnappingConfig.VertexFlag, 12, QgsTolerance.Pixels, 0.0, 0.0
        ),
    )
    QgsProject.instance().setSnappingConfig(cfg)
    canvas.snappingUtils().setConfig(cfg)
    dock = CensusDock(canvas, lambda: ws)
    dock.resize(420, 900)
    dock.show()
    dock.refresh()
    yield ws, canvas, dock, comps
    dock.deactivate_tools()
    for tool in dock.tools.values():
        tool.deleteLater()
    dock.close()
    dock.deleteLater()  # leave no widgets or actions behind for later tests
    QgsProject.instance().removeAllMapLayers()
    off = QgsSnappingConfig()  # later tests must not snap to the layers just removed
    off.setEnabled(False)
    QgsProject.instance().setSnappingConfig(off)
    canvas.snappingUtils().setConfig(off)
    canvas.setMinimumSize(orig_min)  # the main window is shared with later tests
    win.resize(orig_size)
    if not was_shown:
        win.hide()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


def rows(ws):
    c = ws.schema.components
    with ws.engine.connect() as conn:
        return conn.execute(select(c).order_by(c.c.id)).mappings().all()


def fill_and_pick_class(dock, code: str, dept_code="001", dept="市水务局"):
    QTest.keyClicks(dock.search, code)
    assert dock.selected_class() == code
    dock.widgets["dept_code"].clear()
    QTest.keyClicks(dock.widgets["dept_code"], dept_code)
    dock.widgets["dept_name"].setEditText("")
    dock.widgets["dept_name"].lineEdit().insert(dept)
    dock.search.clear()


def test_std17_workspace_places_17_digit_identifiers(setup_std17, artifacts):
    """On the 17-digit scheme the tree offers its 5-digit classes, the 16-digit ones are
    not there, and a placed component gets county + class + serial = 17 digits."""
    ws, canvas, dock, _comps = setup_std17
    QTest.keyClicks(dock.search, "0101")  # the legacy16 code only matches 5-digit ones here
    assert dock.selected_class() == "01010"
    dock.search.clear()
    fill_and_pick_class(dock, "01001")
    assert dock.widgets["name"].text() == "上水井盖"
    QTest.mouseClick(dock.btn_place, Qt.LeftButton)
    click(canvas, X0 + 50, Y0 + 50)
    confirm(canvas)
    got = rows(ws)
    assert len(got) == 1, dock.status.text()
    r = got[0]
    assert r["identifier"] == "32050801001000001" and len(r["identifier"]) == 17
    assert r["class_code"] == "01001" and r["scheme"] == "std17"
    assert r["grid_code"] == "320508001001003"
    click(canvas, X0 + 150, Y0 + 50)
    confirm(canvas)
    assert [x["identifier"] for x in rows(ws)] == ["32050801001000001", "32050801001000002"]
    dock.grab().save(str(artifacts / "census_dock_std17.png"))


def test_search_filters_tree(setup):
    _ws, _canvas, dock, _ = setup
    dock.search.insert("井盖")  # QTest.keyClicks only types ASCII
    visible = [
        dock.tree.topLevelItem(i).child(j).text(0)
        for i in range(dock.tree.topLevelItemCount())
        for j in range(dock.tree.topLevelItem(i).childCount())
        if not dock.tree.topLevelItem(i).child(j).isHidden()
    ]
    assert visible and all("井盖" in v for v in visible)
    dock.search.clear()
    QTest.keyClicks(dock.search, "0118")
    assert dock.selected_class() == "0118"  # 路灯


def test_place_edit_move_retire_history(setup, artifacts, tmp_path):
    ws, canvas, dock, comps = setup
    fill_and_pick_class(dock, "0101")
    assert dock.widgets["name"].text() == "上水井盖"
    QTest.mouseClick(dock.btn_place, Qt.LeftButton)
    assert isinstance(canvas.mapTool(), PlaceTool)
    click(canvas, X0 + 50, Y0 + 50)
    confirm(canvas)
    got = rows(ws)
    assert len(got) == 1
    r = got[0]
    assert r["identifier"] == "3205080101000001" and r["grid_code"] == "320508001001003"
    assert r["dept_name"] == "市水务局" and r["updated_by"] == ws.actor  # the database login
    pt = census.geo.from_db(r["geom"])
    assert pt.distance(Point(X0 + 50, Y0 + 50)) < canvas.mapUnitsPerPixel()

    # a missing mandatory attribute is refused, and says which
    dock.widgets["dept_name"].setEditText("")
    click(canvas, X0 + 150, Y0 + 50)
    confirm(canvas)
    assert len(rows(ws)) == 1
    assert "Department name" in dock.status.text() or "主管部门名称" in dock.status.text()
    # department remembered for the class within the session
    dock.clear_component()
    QTest.keyClicks(dock.search, "0102")
    dock.search.clear()
    QTest.keyClicks(dock.search, "0101")
    assert dock.widgets["dept_name"].currentText() == "市水务局"
    dock.search.clear()
    # outside every grid: refused with the rule in the message
    click(canvas, X0 + 405, Y0 + 100)
    confirm(canvas)
    assert len(rows(ws)) == 1 and dock.status.text()

    # a line snapped to the stored point: its first vertex is exactly the point
    comps.dataProvider().reloadData()
    canvas.refresh()
    canvas.snappingUtils().setConfig(QgsProject.instance().snappingConfig())
    with ws.engine.connect() as c:
        line_cls = next(
            k for k, v in census.class_table(c, ws).items() if v.geometry_kind == "line"
        )
    fill_and_pick_class(dock, line_cls)
    QTest.mouseClick(dock.btn_place, Qt.LeftButton)
    tool = canvas.mapTool()
    assert tool.kind == "line"
    click(canvas, X0 + 50 + 2 * canvas.mapUnitsPerPixel(), Y0 + 50 + canvas.mapUnitsPerPixel())
    click(canvas, X0 + 90, Y0 + 20)
    click(canvas, X0 + 90, Y0 + 20, Qt.RightButton)
    confirm(canvas)
    got = rows(ws)
    assert len(got) == 2
    line = census.geo.from_db(got[1]["geom"])
    assert line.geom_type == "LineString"
    assert line.coords[0] == (pt.x, pt.y)  # snapped exactly onto the manhole cover

    # pick the cover, change its status through the form, save
    QTest.mouseClick(dock.btn_pick, Qt.LeftButton)
    assert isinstance(canvas.mapTool(), PickTool)
    click(canvas, X0 + 50, Y0 + 50)
    assert dock.current is not None and dock.current["identifier"] == "3205080101000001"
    dock.widgets["status"].setCurrentText("破损")
    dock.widgets["note"].setText("盖板破裂")
    QTest.mouseClick(dock.btn_save, Qt.LeftButton)
    r = rows(ws)[0]
    assert r["status"] == "破损" and r["version"] == 2 and r["change_date"] is not None

    # photos dropped on the thumbnail list are stored with the component
    from PIL import Image

    img = tmp_path / "cover.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(buf, "JPEG")
    img.write_bytes(buf.getvalue())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(img))])
    drop = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    dock.photos.dropEvent(drop)
    assert dock.photos.count() == 1
    with ws.engine.connect() as c:
        assert [p.filename for p in census.list_photos(c, ws, r["id"])] == ["cover.jpg"]

    # move: click the component, then its new place (other grid)
    QTest.mouseClick(dock.btn_move, Qt.LeftButton)
    assert isinstance(canvas.mapTool(), MoveTool)
    click(canvas, X0 + 50, Y0 + 50)
    click(canvas, X0 + 150, Y0 + 60)
    r = rows(ws)[0]
    assert r["version"] == 3 and r["grid_code"] == "320508001001004"

    # retire, never delete
    assert dock.retire("道路改造拆除") is not None
    r = rows(ws)[0]
    assert r["status"] == "移除" and r["version"] == 4

    # history: four versions, version 1 shown on the map
    dlg = dock.show_history()
    assert dlg.table.rowCount() == 4
    # the Save button gives no reason (its clicked(bool) is not taken for one)
    reasons = [dlg.table.item(r, 4).text() for r in range(4)]
    assert reasons == ["", "", "moved on the map", "道路改造拆除"]
    dlg.table.selectRow(0)
    band = dlg.band
    assert band is not None
    shown = band.asGeometry().asMultiPoint()[0]
    assert (round(shown.x(), 3), round(shown.y(), 3)) == (round(pt.x, 3), round(pt.y, 3))
    comps.dataProvider().reloadData()
    canvas.refresh()
    QTest.qWait(300)
    canvas.grab().save(str(artifacts / "census_canvas_history.png"))
    dock.grab().save(str(artifacts / "census_dock.png"))
    dlg.grab().save(str(artifacts / "census_history.png"))
    dlg.close()
    assert dlg.band is None
    dlg.deleteLater()
