"""The review dock driven through its widgets: filters, counts, photos, candidates on the
canvas, shortcuts, batch decisions, an edit after the decision."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from sqlalchemy import select

from citymgmt_plugin.core.submissions import ingest, review
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.review_dock import ReviewDock
from citymgmt_plugin.gui.review_model import LATE_EDITS
from tests.fixtures.synthetic_submissions import (
    BROKEN_KINDS,
    make_submissions,
    seed_city,
    write_device_export,
)


def settle():
    for _ in range(5):
        QCoreApplication.processEvents()


@pytest.fixture
def dock(qgis_iface, qgis_canvas, gpkg_workspace, tmp_path):
    ws = gpkg_workspace
    city = seed_city(ws)
    recs, truth = make_submissions(city, 20, broken=BROKEN_KINDS)
    write_device_export(tmp_path / "exp", recs)
    ingest(ws, DeviceExportSource(tmp_path / "exp"))
    QgsProject.instance().clear()
    layers = [
        QgsVectorLayer(f"{ws.spec.path}|layername={name}", name, "ogr")
        for name in ("components", "main_roads", "unit_grids")
    ]
    QgsProject.instance().addMapLayers(layers)
    canvas = qgis_canvas
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    canvas.setLayers(layers)
    canvas.resize(800, 600)
    ctx = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
    ctx._workspace = ws  # the fixture closes it
    d = ReviewDock(ctx)
    d.resize(560, 900)
    d.show()
    d.refresh()
    settle()
    yield d, ws, truth, canvas
    d._clear_markers()
    d.close()
    QgsProject.instance().clear()


def select_ids(d, ids):
    sel = QItemSelection()
    for row in range(d.proxy.rowCount()):
        if d.proxy.item(row).id in ids:
            left = d.proxy.index(row, 0)
            sel.select(left, d.proxy.index(row, d.proxy.columnCount() - 1))
    d.table.selectionModel().select(sel, QItemSelectionModel.ClearAndSelect)
    settle()


def test_filters_counts_selection_and_decisions(dock, artifacts):
    d, ws, truth, canvas = dock
    assert d.model.rowCount() == 27
    assert "27" in d.counts_label.text()
    d.state_combo.setCurrentIndex(d.state_combo.findData("quarantined"))
    assert d.proxy.rowCount() == 6
    d.state_combo.setCurrentIndex(d.state_combo.findData("pending"))
    assert d.proxy.rowCount() == 21
    d.collector_combo.setCurrentIndex(d.collector_combo.findData("C01"))
    c01 = d.proxy.rowCount()
    assert 0 < c01 < 21
    d.collector_combo.setCurrentIndex(0)
    code = next(i.grid_code for i in d.model.items if i.grid_code and i.state == "pending")
    d.grid_edit.setText(code)
    shown = [d.proxy.item(r) for r in range(d.proxy.rowCount())]
    assert shown and all(i.grid_code == code for i in shown)
    assert len(shown) == sum(
        1 for i in d.model.items if i.grid_code == code and i.state == "pending"
    )
    d.grid_edit.clear()

    # select a report of a stored component: photo, candidates, map
    target = next(i for i in d.model.items if i.instance_id == truth["matches"][0])
    assert d.select_submission(target.id)
    settle()
    assert d.current.id == target.id
    assert d.thumbs.count() == 1 and d.photo_view.pixmap() is not None
    assert d.cand_table.rowCount() >= 1
    assert len(d.markers) == d.cand_table.rowCount() + 1
    assert canvas.extent().contains(QgsPointXY(target.x, target.y))
    canvas.refresh()
    canvas.waitWhileRendering()
    d.grab().save(str(artifacts / "review_dock.png"))
    canvas.grab().save(str(artifacts / "review_canvas.png"))

    # keyboard: D = duplicate of the chosen candidate
    d.table.setFocus()
    QTest.keyClick(d.table, Qt.Key_D)
    settle()
    s = ws.schema
    with ws.engine.connect() as c:
        state = c.execute(
            select(s.submissions.c.state).where(s.submissions.c.id == target.id)
        ).scalar()
    assert state == "duplicate"
    assert d.current is not None and d.current.id != target.id  # moved on to the next

    # reject needs a reason
    nxt = d.current
    d.decision_buttons["reject"].click()
    assert "reason" in d.status_label.text()
    d.reason_edit.setText("照片与位置不符")
    d.decision_buttons["reject"].click()
    with ws.engine.connect() as c:
        row = c.execute(select(s.submissions).where(s.submissions.c.id == nxt.id)).one()
        rd = c.execute(
            select(s.review_decisions).where(s.review_decisions.c.submission_id == nxt.id)
        ).one()
    assert row.state == "rejected" and rd.reason == "照片与位置不符"

    # batch: three quarantined sent back at once
    d.state_combo.setCurrentIndex(d.state_combo.findData("quarantined"))
    ids = [d.proxy.item(r).id for r in range(3)]
    select_ids(d, set(ids))
    assert len(d.selected_items()) == 3
    d.reason_edit.setText("请补充信息")
    d.decision_buttons["has_issues"].click()
    with ws.engine.connect() as c:
        states = c.execute(select(s.submissions.c.state).where(s.submissions.c.id.in_(ids))).all()
    assert [st for (st,) in states] == ["has_issues"] * 3
    d.state_combo.setCurrentIndex(0)
    assert "has issues 3" in d.counts_label.text()


def test_dates_are_iso_and_times_local(dock):
    """Filters show yyyy-MM-dd whatever the locale; the table shows the workspace's time."""
    from datetime import date
    from zoneinfo import ZoneInfo

    from qgis.PyQt.QtCore import QLocale

    d, ws, _truth, _canvas = dock
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    try:
        d.set_date_range(date(2026, 10, 22), date(2026, 11, 21))
        assert (d.date_from.text(), d.date_to.text()) == ("2026-10-22", "2026-11-21")
    finally:
        QLocale.setDefault(before)
    col = d.model.COLUMNS.index("observed")
    row, it = next((r, i) for r, i in enumerate(d.model.items) if i.observed_at is not None)
    shown = d.model.data(d.model.index(row, col))
    local = it.observed_at.astimezone(ZoneInfo(ws.setting("timezone", "Asia/Shanghai")))
    assert shown == local.strftime("%Y-%m-%d %H:%M")
    d.model.zone = ZoneInfo("Asia/Urumqi")  # another `timezone` setting: two hours earlier
    hour = int(d.model.data(d.model.index(row, col))[11:13])
    assert hour == (local.hour - 2) % 24


def test_an_edit_after_the_decision_is_flagged_and_marked_as_seen(dock, artifacts, tmp_path):
    """The collector edits an accepted report: the dock shows it under its own filter with
    the flag and the reason, and "Mark edit as seen" clears it; the decision stays."""
    d, ws, truth, _canvas = dock
    target = next(i for i in d.model.items if i.instance_id == truth["good"][0])
    review.decide(ws, review.Decision(target.id, target.row_version, "reject", "重复上报"))
    s = ws.schema.submissions
    export = tmp_path / "exp" / "submissions.geojson"
    data = json.loads(export.read_text(encoding="utf-8"))
    for f in data["features"]:
        if f["properties"]["instance_id"] == target.instance_id:
            f["properties"]["description"] = "补拍了照片，位置已更正"
    export.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = ingest(ws, DeviceExportSource(tmp_path / "exp"))
    assert report.edited_after_decision == 1
    d.refresh()
    d.state_combo.setCurrentIndex(d.state_combo.findData(LATE_EDITS))
    settle()
    assert d.proxy.rowCount() == 1 and d.proxy.item(0).id == target.id
    flag_col = d.model.COLUMNS.index("flag")
    assert d.proxy.data(d.proxy.index(0, flag_col)) == "edited after the decision"
    d.table.selectRow(0)
    settle()
    assert "after the decision" in d.info_label.text()
    d.grab().save(str(artifacts / "review_late_edit.png"))
    d.seen_button.click()
    settle()
    assert "Marked as seen: 1" in d.status_label.text()
    with ws.engine.connect() as c:
        row = c.execute(select(s).where(s.c.id == target.id)).one()
    assert row.late_edit_at is None and row.state == "rejected"
    assert d.proxy.rowCount() == 0
