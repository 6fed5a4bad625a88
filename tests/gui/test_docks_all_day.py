"""The docks as people use them all day: buttons and status in view at 1600×1000 and
1024×768 (only the form scrolls), no stale messages, a placement waits for Save (nothing
stored, no identifier spent before), the picked component highlighted, a submission chosen by
a click on the map, Next, and the photo viewer (gallery, wheel zoom, fit, previous / next).
Screenshots: ``tests/artifacts/docks/``."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProject,
    QgsSnappingConfig,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QWheelEvent
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QStatusBar,
    QTextEdit,
    QToolBar,
    QWidget,
)
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.gui.census_dock import CensusDock
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.review_dock import ReviewDock
from citymgmt_plugin.gui.thematic_dock import ThematicDock
from tests.fixtures.synthetic_submissions import make_submissions, seed_city, write_device_export

SIZES = [(1600, 1000), (1024, 768)]


def settle(n: int = 5) -> None:
    for _ in range(n):
        QCoreApplication.processEvents()


def shot(widget: QWidget, artifacts, name: str) -> None:
    out = artifacts / "docks"
    out.mkdir(exist_ok=True)
    widget.grab().save(str(out / f"{name}.png"))


@pytest.fixture
def city_ws(gpkg_workspace, tmp_path):
    """A small city with components, grids and 20 device submissions with photos."""
    ws = gpkg_workspace
    city = seed_city(ws)
    recs, _truth = make_submissions(city, 20)
    write_device_export(tmp_path / "exp", recs)
    ingest(ws, DeviceExportSource(tmp_path / "exp"))
    return ws, city


@pytest.fixture
def ctx(qgis_iface, city_ws):
    context = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
    context._workspace = city_ws[0]  # the workspace fixture closes it
    yield context
    context.unload()


@pytest.fixture
def canvas(qgis_canvas, city_ws):
    ws, _city = city_ws
    off = QgsSnappingConfig()  # no snapping (an earlier test's config names deleted layers)
    off.setEnabled(False)
    QgsProject.instance().setSnappingConfig(off)
    qgis_canvas.snappingUtils().setConfig(off)
    layers = [
        QgsVectorLayer(f"{ws.spec.path}|layername={name}", name, "ogr")
        for name in ("submissions", "components", "unit_grids")
    ]
    QgsProject.instance().addMapLayers(layers)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    qgis_canvas.setLayers(layers)
    win = qgis_canvas.window()
    win.resize(1000, 700)
    win.show()
    settle()
    yield qgis_canvas
    QgsProject.instance().removeAllMapLayers()


def _office_window(width: int, height: int, docks: list) -> QMainWindow:
    """A main window shaped like QGIS's: menu, two toolbars, status bar, a map in the
    middle, the plugin's docks tabbed on the right."""
    win = QMainWindow()
    win.menuBar().addMenu("Project")
    for name in ("File", "Map"):
        bar = win.addToolBar(name)
        bar.addAction("tool")
    win.setStatusBar(QStatusBar())
    win.setCentralWidget(QTextEdit("map"))
    for dock in docks:
        win.addDockWidget(Qt.RightDockWidgetArea, dock)
    for dock in docks[1:]:
        win.tabifyDockWidget(docks[0], dock)
    win.resize(width, height)
    win.show()
    win.resizeDocks([docks[0]], [380], Qt.Horizontal)
    settle(10)
    return win


def _in_a_scroll_area(w: QWidget, dock: QWidget) -> bool:
    p = w.parentWidget()
    while p is not None and p is not dock:
        if isinstance(p, QScrollArea):
            return True
        p = p.parentWidget()
    return False


def _fully_shown(w: QWidget, dock: QWidget) -> bool:
    """``w`` is visible, wholly inside the dock, and as wide as its text needs."""
    top_left = w.mapTo(dock, QPoint(0, 0))
    inside = dock.rect().contains(top_left) and dock.rect().contains(
        top_left + QPoint(w.width() - 1, w.height() - 1)
    )
    wide = not isinstance(w, QAbstractButton) or w.width() >= w.minimumSizeHint().width()
    return w.isVisible() and inside and wide


def _always_there(dock) -> list[QWidget]:
    if isinstance(dock, CensusDock):
        return [
            dock.btn_place, dock.btn_move, dock.btn_pick, dock.btn_save, dock.btn_discard,
            dock.btn_retire, dock.btn_history, dock.btn_new, dock.status,
        ]  # fmt: skip
    if isinstance(dock, ReviewDock):
        return [*dock.decision_buttons.values(), dock.next_button, dock.map_button,
                dock.reason_edit, dock.status_label]  # fmt: skip
    return [dock.create_button, dock.folder_button, dock.digitise_button, dock.status]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_buttons_and_status_always_in_view(size, ctx, city_ws, canvas, artifacts):
    ws, _city = city_ws
    census = CensusDock(canvas, lambda: ws)
    review = ReviewDock(ctx)
    thematic = ThematicDock(ctx)
    win = _office_window(*size, [census, review, thematic])
    census.refresh()
    review.refresh()
    review.select_submission(review.proxy.item(0).id)
    for dock in (census, review, thematic):
        dock.raise_()
        dock.status.setText("✓") if hasattr(dock, "status") else dock.status_label.setText("✓")
        settle(10)
        shot(win, artifacts, f"{dock.objectName()}_{size[0]}x{size[1]}")
        for w in _always_there(dock):
            name = w.objectName() or type(w).__name__
            assert not _in_a_scroll_area(w, dock), f"{name} scrolls away in {dock.objectName()}"
            assert _fully_shown(w, dock), f"{name} cut off in {dock.objectName()} at {size}"
    # the filters fold away: the queue gets their room (remembered; unfolded again after)
    review.raise_()
    settle(10)
    before = review.table.height()
    review.filters_button.click()
    settle(10)
    assert not review.filters_body.isVisible() and review.table.height() > before
    shot(win, artifacts, f"citymgmtReviewDock_{size[0]}x{size[1]}_filters_folded")
    review.filters_button.click()
    assert review.filters_body.isVisibleTo(review)
    review._clear_markers()
    census.release_canvas()
    win.close()
    win.deleteLater()


# -- census -----------------------------------------------------------------------------------
@pytest.fixture
def census(canvas, city_ws):
    ws, city = city_ws
    dock = CensusDock(canvas, lambda: ws)
    dock.resize(420, 900)
    dock.show()
    dock.refresh()
    canvas.setExtent(canvas.fullExtent())
    settle()
    yield dock, ws, city
    dock.release_canvas()
    for tool in dock.tools.values():
        tool.deleteLater()
    dock.close()
    dock.deleteLater()
    settle()


def _pixel(canvas, x: float, y: float) -> QPoint:
    p = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    return QPoint(round(p.x()), round(p.y()))


def _click(canvas, x: float, y: float) -> None:
    pos = _pixel(canvas, x, y)
    QTest.mouseMove(canvas.viewport(), pos)
    QTest.mouseClick(canvas.viewport(), Qt.LeftButton, Qt.NoModifier, pos)


def _xy(component: dict) -> tuple[float, float]:
    x, y = component["geom"].split("POINT(")[1].rstrip(")").split()
    return float(x), float(y)


def _count(ws) -> int:
    c = ws.schema.components
    with ws.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(c)).scalar()


def _fill(dock, code: str) -> None:
    assert dock.select_class(code)
    dock.widgets["dept_code"].setText("001")
    dock.widgets["dept_name"].setEditText("市水务局")


def test_placement_waits_for_save_and_discard_spends_nothing(census, artifacts):
    dock, ws, city = census
    before = _count(ws)
    _fill(dock, "0118")
    dock.btn_place.click()
    x, y = city.x0 + 1.5 * city.cell, city.y0 + 1.5 * city.cell
    _click(dock.canvas, x, y)
    assert _count(ws) == before, "stored on the click, before Save"
    assert dock.pending and dock.pending.band is not None
    assert dock.grid_label.text() != "—" and dock.btn_save.isEnabled()
    assert dock.btn_discard.isEnabled()
    shot(dock, artifacts, "census_pending")
    QTest.keyClick(dock.canvas, Qt.Key_Escape)  # discard on the map
    assert not dock.pending and dock.pending.band is None and _count(ws) == before
    assert not dock.btn_discard.isEnabled()
    _click(dock.canvas, x, y)
    _click(dock.canvas, x + 5, y + 5)  # placed again: the placement moves, nothing stored
    assert _count(ws) == before
    dock.btn_save.click()
    assert _count(ws) == before + 1
    first = dock.status.text()
    _click(dock.canvas, x + 10, y)
    QTest.keyClick(dock.canvas, Qt.Key_Return)
    second = dock.status.text()
    serials = [int(t.split()[0][-6:]) for t in (first.split(" ", 1)[1], second.split(" ", 1)[1])]
    assert serials[1] == serials[0] + 1, (first, second)  # the discard spent no identifier
    dock.select_class("0118")


def test_picked_component_highlighted_and_stale_message_cleared(census, artifacts):
    dock, _ws, city = census
    _fill(dock, "0118")
    dock.widgets["dept_name"].setEditText("")
    dock.btn_place.click()
    _click(dock.canvas, city.x0 + city.cell / 2, city.y0 + city.cell / 2)
    dock.save()
    assert dock.status.text() and "#b00000" in dock.status.styleSheet()  # refused: which field
    dock.btn_pick.click()
    _click(dock.canvas, *_xy(city.components[0]))
    assert dock.current is not None
    assert dock.status.text() == "", "the refusal stayed after picking another component"
    item = dock.highlight.item
    assert item is not None and item.scene() is dock.canvas.scene() and item.isVisible()
    dock.canvas.refresh()
    dock.canvas.waitWhileRendering()
    shot(dock.canvas, artifacts, "census_highlight")
    dock.btn_new.click()
    assert dock.highlight.item is None and dock.current is None


def test_photo_viewer_from_the_census_dock(census, tmp_path, artifacts):
    from PIL import Image

    dock, _ws, city = census
    dock.btn_pick.click()
    _click(dock.canvas, *_xy(city.components[0]))
    paths = []
    for n, colour in enumerate(((200, 40, 40), (40, 160, 60))):
        p = tmp_path / f"photo{n}.jpg"
        Image.new("RGB", (400, 300), colour).save(p)
        paths.append(str(p))
    dock.add_photos(paths)
    assert dock.photos.count() == 2
    viewer = dock._view_photo(dock.photos.item(1))
    settle()
    assert viewer.gallery.count() == 2 and viewer.current_row() == 1
    viewer.step(1)
    assert viewer.current_row() == 0
    viewer.close()


# -- review -----------------------------------------------------------------------------------
@pytest.fixture
def review(ctx, canvas):
    dock = ReviewDock(ctx)
    dock.resize(560, 900)
    dock.show()
    dock.refresh()
    settle()
    yield dock
    dock.map.release_tool()
    dock._clear_markers()
    dock.close()


def test_map_click_selects_a_submission_and_next_moves_on(review, canvas, artifacts):
    d = review
    d.state_combo.setCurrentIndex(d.state_combo.findData("pending"))
    target = d.proxy.item(d.proxy.rowCount() - 1)
    canvas.setExtent(canvas.fullExtent())
    canvas.refresh()
    settle()
    d.map_button.click()
    assert d.map.tool_active()
    _click(canvas, target.x, target.y)
    settle()
    assert d.current is not None
    near = [it for it in d.shown_items() if abs(it.x - target.x) < 1 and abs(it.y - target.y) < 1]
    assert d.current.id in {it.id for it in near}
    assert d.table.hasFocus() or d.table.isAncestorOf(QCoreApplication.instance().focusWidget())
    canvas.refresh()
    canvas.waitWhileRendering()
    shot(canvas, artifacts, "review_map_selected")
    # Next: the next still to decide below it (or none at the end)
    d.select_submission(d.proxy.item(0).id)
    first = d.current.id
    d.table.setFocus()
    QTest.keyClick(d.table, Qt.Key_N)
    settle()
    assert d.current is not None and d.current.id == d.proxy.item(1).id != first
    d.map_button.click()
    assert not d.map.tool_active()


def test_last_decision_leaves_no_stale_detail(review, artifacts):
    d = review
    d.state_combo.setCurrentIndex(d.state_combo.findData("pending"))
    last = d.proxy.item(d.proxy.rowCount() - 1)
    d.state_combo.setCurrentIndex(0)  # every state: the decided one stays listed
    assert d.select_submission(last.id)
    settle()
    others_after = [
        it
        for it in d.shown_items()[d.shown_items().index(d.current) + 1 :]
        if it.state in ("pending", "quarantined", "has_issues")
    ]
    d.reason_edit.setText("不是部件")
    d.decision_buttons["reject"].click()
    settle()
    shot(d, artifacts, "review_after_last")
    if not others_after:
        assert d.current is None
        assert "待审核" not in d.info_label.text() and "pending" not in d.info_label.text()
    assert d.status_label.text()  # what was decided stays said
    # a stale status goes when another submission is chosen
    d.select_submission(d.proxy.item(0).id)
    settle()
    assert d.status_label.text() == ""


def test_photo_viewer_gallery_zoom_fit_and_steps(review, artifacts):
    d = review
    with_photo = next(it for it in d.model.items if it.state == "pending")
    assert d.select_submission(with_photo.id)
    settle()
    assert d.thumbs.count() >= 1 and d.photo_view.has_picture()
    viewer = d.show_photos()
    viewer.resize(900, 700)
    settle(10)
    assert viewer.gallery.count() == d.thumbs.count()
    fitted = viewer.view.scale_factor()
    centre = QPointF(viewer.view.viewport().rect().center())
    wheel = QWheelEvent(
        centre, viewer.view.mapToGlobal(centre.toPoint()), QPoint(0, 0), QPoint(0, 240),
        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False,
    )  # fmt: skip
    QCoreApplication.sendEvent(viewer.view.viewport(), wheel)
    assert viewer.view.scale_factor() == pytest.approx(fitted * 1.25**2)
    shot(viewer, artifacts, "photo_viewer_zoomed")
    viewer.view.fit()
    assert viewer.view.scale_factor() == pytest.approx(fitted)
    viewer.resize(1200, 900)  # resizable; the fitted photo follows the window
    settle(10)
    assert viewer.view.scale_factor() > fitted
    shot(viewer, artifacts, "photo_viewer")
    assert viewer.findChild(QLabel, "photoCaption").text().startswith(d._photos[0].name)
    viewer.close()
