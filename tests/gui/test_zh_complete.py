"""Every dock and dialog in Simplified Chinese, with data in it: the widget tree is walked and
no visible text may carry an untranslated identifier (snake_case ids, English geometry kinds,
"auto", English words) or a half-width comma/colon beside Chinese (``widget_texts.problems``,
the walker and judge the desktop tier uses too). Class codes
show their names. Screenshots: ``tests/artifacts/zh/``."""

from __future__ import annotations

import csv
from datetime import datetime, timezone

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from sqlalchemy import insert, select
from widget_texts import problems
from zh_translator import zh_cn

from citymgmt_plugin.gui.context import PluginContext
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

ODK_SOURCE = "odk:10.0.0.8/3/f01"  # an office's ODK Central server, project 3, form f01
PHOTO = "20261102_0930.jpg"
# What users typed or devices sent, shown as it is: names, codes, free text, file names.
DATA = ("张三", "李四", "C01", "tester", PHOTO)


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def assert_all_chinese(widget, ws, *data: str) -> None:
    """No untranslated text in ``widget``; ``data``: values shown as users gave them (the
    signed-in person is the workspace's actor, e.g. the system login)."""
    found = problems(widget, data=(*DATA, ws.actor, *data))
    assert not found, "untranslated in Chinese:\n" + "\n".join(dict.fromkeys(found))


def shot(widget, artifacts, name: str) -> None:
    out = artifacts / "zh"
    out.mkdir(exist_ok=True)
    widget.grab().save(str(out / f"{name}.png"))


def _point(x: float, y: float) -> str:
    return f"SRID=4549;POINT({x} {y})"


@pytest.fixture
def zh_ws(gpkg_workspace, tmp_path):
    """The small workspace plus a component report next to a stored manhole cover (with a
    photo whose EXIF disagrees and a suspected GCJ-02 shift) and an event from ODK Central;
    the zh_CN catalogue installed."""
    ws = gpkg_workspace
    seed_small_workspace(ws)
    now = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    s = ws.schema
    common = dict(collector_code="C01", collector_name="张三", observed_at=now, received_at=now)
    with ws.begin() as c:
        c.execute(
            insert(s.submissions),
            [
                dict(
                    common,
                    source="device",
                    instance_id="uuid:6c1f2b0e-0101",
                    kind="component",
                    category_code="0101",
                    description="井盖破损",
                    crs_flag="suspected_gcj02:roads",
                    grid_code="320508001001001",
                    state="pending",
                    payload={"status": "破损"},
                    geom=_point(X0 + 22, Y0 + 148),
                ),
                dict(
                    common,
                    source=ODK_SOURCE,
                    instance_id="uuid:9d3a7e21-0102",
                    kind="event",
                    category_code="0102",
                    description="路边垃圾",
                    crs_flag=None,
                    grid_code="320508001001002",
                    state="pending",
                    payload={},
                    geom=_point(X0 + 150, Y0 + 150),
                ),
            ],
        )
        sid = c.execute(
            select(s.submissions.c.id).where(s.submissions.c.instance_id == "uuid:6c1f2b0e-0101")
        ).scalar()
        c.execute(
            insert(s.submission_attachments).values(
                submission_id=sid,
                name=PHOTO,
                problem="exif_time_differs: 3.2 h; exif_position_differs: 120 m",
            )
        )
    with zh_cn(tmp_path):
        yield ws


@pytest.fixture
def ctx(qgis_iface, zh_ws):
    context = PluginContext(qgis_iface, QMenu("m"), QToolBar("t"))
    context._workspace = zh_ws  # the workspace fixture closes it
    yield context
    context.unload()


def test_review_dock_in_chinese(ctx, zh_ws, qgis_canvas, artifacts):
    from citymgmt_plugin.gui.review_dock import ReviewDock

    d = ReviewDock(ctx)
    d.resize(620, 900)
    d.show()
    d.refresh()
    settle()
    queue = {it.instance_id: row for row, it in enumerate(d.model.items)}
    category = d.model.COLUMNS.index("category")
    source = d.model.COLUMNS.index("source")

    def cell(instance_id: str, column: int) -> str:
        return d.model.index(queue[instance_id], column).data()

    assert cell("uuid:6c1f2b0e-0101", category) == "部件 0101 上水井盖"
    assert cell("uuid:9d3a7e21-0102", category) == "事件 0102 暴露垃圾"
    assert cell("uuid:6c1f2b0e-0101", source) == "设备导出"
    assert cell("uuid:9d3a7e21-0102", source) == "ODK Central 10.0.0.8，项目 3，表单 f01"
    assert d.category_combo.itemText(d.category_combo.findData("0101")) == "0101 上水井盖"
    assert d.decision_buttons["accept_new"].text() == "新增入库（A）"

    target = next(i for i in d.model.items if i.instance_id == "uuid:6c1f2b0e-0101")
    assert d.select_submission(target.id)
    settle()
    info = d.info_label.text()
    assert "部件 0101 上水井盖" in info and "远离主要道路" in info
    assert f"{PHOTO}：拍摄时间与上报时间相差 3.2 小时；拍摄位置距上报位置 120 米" in info
    assert d.cand_table.rowCount() == 1
    assert d.cand_table.item(0, 1).text() == "0101 上水井盖"
    shot(d, artifacts, "review_dock")
    assert_all_chinese(d, zh_ws)

    quarantined = next(i for i in d.model.items if i.state == "quarantined")
    assert d.select_submission(quarantined.id)
    settle()
    assert "位于城区之外" in d.info_label.text()
    assert_all_chinese(d, zh_ws)

    assert d.select_submission(target.id)
    settle()
    d.decision_buttons["duplicate"].click()
    settle()
    assert d.status_label.text() == "判为重复：已处理 1 条。"
    shot(d, artifacts, "review_dock_decided")
    assert_all_chinese(d, zh_ws)
    d._clear_markers()
    d.close()


def test_sources_dialog_in_chinese(ctx, zh_ws, tmp_path, artifacts):
    from citymgmt_plugin.core.submissions import save_source_config
    from citymgmt_plugin.core.submissions.sources.configs import (
        folder_config,
        odk_config,
        source_key,
    )
    from citymgmt_plugin.gui.review_dock import ReviewDock

    url = "https://10.0.0.8"
    odk = odk_config(url, 3, "f01")
    assert source_key(odk) == ODK_SOURCE
    save_source_config(zh_ws, ODK_SOURCE, odk)
    folder = str(tmp_path / "exports")
    save_source_config(zh_ws, "device", folder_config(folder, "device"))
    d = ReviewDock(ctx)
    dlg = d.open_sources()
    dlg.resize(640, 720)
    settle()
    texts = [dlg.source_list.item(i).text() for i in range(dlg.source_list.count())]
    assert any(t.startswith("ODK Central 10.0.0.8，项目 3，表单 f01") for t in texts), texts
    assert dlg.select(ODK_SOURCE)
    settle()
    shot(dlg, artifacts, "sources_dialog")
    assert_all_chinese(dlg, zh_ws, url, folder)
    dlg.close()
    d.close()


def _component_id(ws, identifier: str) -> int:
    comps = ws.schema.components
    with ws.engine.connect() as c:
        return c.execute(select(comps.c.id).where(comps.c.identifier == identifier)).scalar()


def test_census_dock_and_history_in_chinese(zh_ws, qgis_canvas, artifacts):
    from citymgmt_plugin.core import census
    from citymgmt_plugin.gui.census_dock import CensusDock

    ws = zh_ws
    cid = _component_id(ws, "3205080101000001")
    with census.write_transaction(ws) as c:
        changes = {"status": "破损", "note": "井盖松动"}
        census.update_component(c, ws, cid, changes, "李四", "巡查发现")
    dock = CensusDock(qgis_canvas, lambda: ws)
    dock.resize(420, 900)
    dock.show()
    dock.refresh()
    assert dock.select_class("0201")
    settle()
    assert dock.status.text() == "0201 停车场：请绘制面。"
    shot(dock, artifacts, "census_dock_class")
    assert_all_chinese(dock, zh_ws)

    dock.load_component(cid)
    settle()
    assert dock.title.text() == "正在编辑 3205080101000001（0101 上水井盖，版本 2，破损）"
    shot(dock, artifacts, "census_dock_edit")
    assert_all_chinese(dock, zh_ws)

    history = dock.show_history()
    history.resize(900, 320)
    settle()
    assert history.windowTitle() == "3205080101000001（0101 上水井盖）的变更历史"
    ops = [history.table.item(r, 1).text() for r in range(history.table.rowCount())]
    assert ops == ["普查导入", "属性变更"]
    assert history.table.item(1, 5).text() == "部件状态：完好 → 破损；备注：（空） → 井盖松动"
    shot(history, artifacts, "census_history")
    assert_all_chinese(history, zh_ws)
    history.close()
    dock.close()


def test_reconcile_dialog_in_chinese(zh_ws, tmp_path, artifacts):
    from citymgmt_plugin.core.census.batch_mapping import TARGET_FIELDS, MappingStore
    from citymgmt_plugin.gui.census_reconcile import ReconcileDialog

    src = tmp_path / "普查批次.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "类别", "东坐标", "北坐标", "状态", "备注"])
        w.writerow(["3205080118000001", "0118", X0 + 60, Y0 + 150, "破损", "灯罩破裂"])
        w.writerow(["", "0101", X0 + 150, Y0 + 50, "完好", ""])
    dlg = ReconcileDialog(zh_ws, store=MappingStore(tmp_path / "m.json"))
    assert dlg.crs_box.itemText(0) == "自动识别"
    dlg.path.setText(str(src))
    dlg.read_columns()
    targets = {
        "identifier": "编号",
        "class_code": "类别",
        "x": "东坐标",
        "y": "北坐标",
        "status": "状态",
        "note": "备注",
    }
    for r, t in enumerate(TARGET_FIELDS):
        if t in targets:
            dlg.mapping.cellWidget(r, 1).setCurrentText(targets[t])
    dlg.crs_box.setCurrentText("EPSG:4549")
    recon = dlg.run()
    assert recon is not None and recon.counts()["changed"] == 1
    row = next(r for r, it in enumerate(recon.items) if it.kind == "changed")
    assert dlg.items.item(row, 1).text() == "属性变更"
    assert dlg.items.item(row, 4).text() == "0118 路灯"
    assert dlg.items.item(row, 6).text() == "部件状态：完好 → 破损；备注：（空） → 灯罩破裂"
    dlg.resize(1100, 760)
    dlg.show()
    settle()
    shot(dlg, artifacts, "census_reconcile")
    assert_all_chinese(dlg, zh_ws, str(src), src.stem)
    dlg.close()
    QgsProject.instance().removeAllMapLayers()


def test_thematic_dock_in_chinese(ctx, zh_ws, artifacts):
    from citymgmt_plugin.gui.thematic_dock import ThematicDock

    dock = ThematicDock(ctx)
    dock.resize(420, 800)
    dock.show()
    settle()
    titles = [dock.template_list.item(i).text() for i in range(dock.template_list.count())]
    assert titles[0] == "管理辖区"
    assert dock.layer_list.item(0).text() == "雨水积聚"
    row = titles.index("主要道路")
    dock.template_list.setCurrentRow(row)
    settle()
    assert "保存在工作空间的主要道路表（类型：主要道路）中" in dock.details.text()
    shot(dock, artifacts, "thematic_dock")
    assert_all_chinese(dock, zh_ws)
    dock.close()


def test_workspace_dialog_in_chinese(ctx, zh_ws, artifacts):
    from citymgmt_plugin.gui.workspace_dialog import WorkspaceDialog

    dlg = WorkspaceDialog(ctx)
    dlg.show()
    settle()
    dlg.connect_workspace()
    settle()
    connected = "已连接。坐标系 EPSG:4549；部件标识码：16 位（GB/T 30428.2-2013）。"
    assert dlg.status_label.text().startswith(connected)
    settle()
    assert dlg.status_label.height() >= dlg.status_label.heightForWidth(dlg.status_label.width())
    shot(dlg, artifacts, "workspace_dialog")
    assert_all_chinese(dlg, zh_ws, zh_ws.spec.path)
    dlg.close()
