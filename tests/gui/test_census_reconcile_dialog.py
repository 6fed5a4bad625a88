"""The reconciliation dialog: read a batch, map columns, table + map classes, decide, apply."""

from __future__ import annotations

import csv
import time
from datetime import date

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication, Qt
from shapely.geometry import Point
from sqlalchemy import func, select

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census import ComponentDraft
from citymgmt_plugin.core.census.batch_mapping import MappingStore
from citymgmt_plugin.demo.lattice import seed_lattice
from citymgmt_plugin.gui.census_reconcile import ReconcileDialog

X0, Y0 = 500000.0, 3500000.0


def test_dialog_reconciles_and_applies(qgis_new_project, gpkg_workspace, tmp_path, artifacts):
    ws = gpkg_workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    with census.write_transaction(ws) as c:
        refs = [
            census.create_component(
                c,
                ws,
                ComponentDraft(
                    "0101",
                    Point(X0 + x, Y0 + 50),
                    name="上水井盖",
                    dept_code="001",
                    dept_name="市水务局",
                    initial_date=date(2024, 1, 1),
                ),
                "seed",
            )
            for x in (20, 40, 60)
        ]
    src = tmp_path / "batch.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["编号", "类别", "东坐标", "北坐标", "状态", "主管部门名称", "主管部门代码"])
        w.writerow(
            [refs[0].identifier, "0101", X0 + 20, Y0 + 50, "完好", "市水务局", "001"]
        )  # unchanged
        w.writerow(
            [refs[1].identifier, "0101", X0 + 40, Y0 + 50, "破损", "市水务局", "001"]
        )  # changed
        w.writerow(["", "0101", X0 + 150, Y0 + 50, "完好", "市水务局", "001"])  # new
        # refs[2] missing
    dlg = ReconcileDialog(ws, store=MappingStore(tmp_path / "m.json"))
    dlg.path.setText(str(src))
    dlg.read_columns()
    targets = {
        "identifier": "编号",
        "class_code": "类别",
        "x": "东坐标",
        "y": "北坐标",
        "status": "状态",
    }
    from citymgmt_plugin.core.census.batch_mapping import TARGET_FIELDS

    for r, t in enumerate(TARGET_FIELDS):
        if t in targets:
            dlg.mapping.cellWidget(r, 1).setCurrentText(targets[t])
    dlg.crs_box.setCurrentText("EPSG:4549")
    recon = dlg.run()
    assert recon is not None
    assert recon.counts() == {
        "new": 1,
        "unchanged": 1,
        "changed": 1,
        "moved": 0,
        "missing": 1,
        "duplicate": 0,
    }
    assert dlg.items.rowCount() == 4
    assert dlg.layer is not None and dlg.layer.featureCount() == 4
    assert QgsProject.instance().mapLayer(dlg.layer.id()) is dlg.layer
    # the attribute table's titles, and the result by its label
    titles = [f.displayName() for f in dlg.layer.fields()]
    assert titles == ["Item", "Result", "Identifier", "Row in the file"]
    result = dlg.layer.editorWidgetSetup(dlg.layer.fields().indexOf("kind"))
    assert (
        result.type() == "ValueMap"
        and {"attributes changed": "changed"} in (result.config()["map"])
    )
    # untick the missing one in the table
    row = next(i for i, it in enumerate(recon.items) if it.kind == "missing")
    dlg.items.item(row, 0).setCheckState(Qt.Unchecked)
    assert not recon.items[row].accepted
    dlg.resize(1000, 700)
    dlg.show()
    dlg.grab().save(str(artifacts / "census_reconcile.png"))
    outcomes = []
    dlg.applied.connect(outcomes.append)
    task = dlg.apply()
    assert task is not None and dlg.progress.isVisible() and not dlg.items.isEnabled()
    assert dlg.apply() is None  # one apply at a time
    deadline = time.monotonic() + 30
    while not outcomes and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert outcomes, "the apply task did not finish"
    result = outcomes[0]
    assert result.as_dict() == {"created": 1, "updated": 1, "moved": 0, "retired": 0, "skipped": 1}
    assert not dlg.progress.isVisible() and dlg.items.isEnabled()
    assert not dlg.apply_btn.isEnabled()
    assert "1 created" in dlg.status.text()
    dlg.grab().save(str(artifacts / "census_reconcile_applied.png"))
    with ws.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 4
    dlg.close()
    dlg.deleteLater()
