"""The point-of-interest dock on a real canvas against PostGIS: a POI placed, edited, moved
and retired with mouse clicks and the form, its history shown on the map."""

from __future__ import annotations

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsSnappingConfig
from qgis.PyQt.QtCore import QCoreApplication, QEvent, Qt
from qgis.PyQt.QtTest import QTest
from sqlalchemy import select

from citymgmt_plugin.core.qgis.layers import workspace_layer
from citymgmt_plugin.demo.lattice import seed_lattice
from citymgmt_plugin.gui.poi_dock import PoiDock
from tests.gui.test_census_gui import X0, Y0, click

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def setup(qgis_canvas, qgis_new_project, pg_workspace):
    ws = pg_workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    pois = workspace_layer(ws, "pois")
    grids = workspace_layer(ws, "unit_grids")
    assert pois.isValid() and grids.isValid()
    QgsProject.instance().addMapLayers([pois, grids])
    canvas = qgis_canvas
    # no snapping: a config an earlier test left may name layers deleted since
    QgsProject.instance().setSnappingConfig(QgsSnappingConfig())
    canvas.snappingUtils().setConfig(QgsSnappingConfig())
    win = canvas.window()
    orig_size, orig_min, was_shown = win.size(), canvas.minimumSize(), win.isVisible()
    win.resize(1000, 700)
    canvas.setMinimumSize(800, 500)
    win.show()
    canvas.show()
    QTest.qWait(50)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    canvas.setLayers([pois, grids])
    canvas.setExtent(QgsRectangle(X0 - 10, Y0 - 10, X0 + 410, Y0 + 210))
    canvas.refresh()
    QTest.qWait(50)
    dock = PoiDock(canvas, lambda: ws)
    dock.resize(420, 800)
    dock.show()
    dock.refresh()
    yield ws, canvas, dock
    dock.deactivate_tools()
    dock.close()
    dock.deleteLater()
    QgsProject.instance().removeAllMapLayers()
    canvas.setMinimumSize(orig_min)
    win.resize(orig_size)
    if not was_shown:
        win.hide()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    QCoreApplication.processEvents()


def _pois(ws):
    t = ws.schema.pois
    with ws.engine.connect() as c:
        return c.execute(select(t).order_by(t.c.id)).mappings().all()


def test_place_edit_move_retire_a_poi(setup, artifacts):
    ws, canvas, dock = setup
    dock.search.insert("超市")
    assert dock.select_category("0202") and dock.selected_category() == "0202"
    dock.widgets["name"].insert("苏城超市")
    dock.widgets["address"].insert("平江路1号")
    dock.widgets["phone"].insert("0512-65230000")
    dock.widgets["door_number"].insert("1号")
    QTest.mouseClick(dock.btn_place, Qt.LeftButton)
    click(canvas, X0 + 50, Y0 + 50)
    rows = _pois(ws)
    assert len(rows) == 1, dock.status.text()
    assert rows[0]["identifier"] == "3205080202000001" and rows[0]["grid_code"] == "320508001001003"
    assert rows[0]["door_number"] == "1号" and rows[0]["updated_by"] == ws.actor
    # pick it, change the phone, save
    QTest.mouseClick(dock.btn_pick, Qt.LeftButton)
    click(canvas, X0 + 50, Y0 + 50)
    assert dock.current is not None and dock.identifier.text() == "3205080202000001"
    dock.widgets["phone"].clear()
    dock.widgets["phone"].insert("13800000000")
    QTest.mouseClick(dock.btn_save, Qt.LeftButton)
    assert _pois(ws)[0]["phone"] == "13800000000" and _pois(ws)[0]["version"] == 2
    # move it into the next grid: first click picks, the second places
    QTest.mouseClick(dock.btn_move, Qt.LeftButton)
    click(canvas, X0 + 50, Y0 + 50)
    click(canvas, X0 + 150, Y0 + 50)
    assert _pois(ws)[0]["grid_code"] == "320508001001004", dock.status.text()
    dock.widgets["phone"].clear()
    dock.widgets["phone"].insert("请致电")  # refused, with the reason shown
    QTest.mouseClick(dock.btn_save, Qt.LeftButton)
    assert "telephone" in dock.status.text() and _pois(ws)[0]["version"] == 3
    dock.grab().save(str(artifacts / "poi_dock.png"))
    dock.retire("已关门")
    assert _pois(ws)[0]["status"] == "移除"
    history = dock.show_history()
    assert [history.table.item(r, 0).text() for r in range(history.table.rowCount())] == [
        "1",
        "2",
        "3",
        "4",
    ]
    band = history.show_version(2)
    assert band is not None
    history.grab().save(str(artifacts / "poi_history.png"))
    history.close()
