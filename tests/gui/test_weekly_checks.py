"""The weekly-checks dialog driven offscreen: the workspace's layers pre-filled, a week
picked, coverage, deviation and KPIs run as background tasks, styled results in the week's
group; what cannot run says why; cancel stops."""

from __future__ import annotations

import gc
import time
from datetime import datetime, timezone

import pytest
from qgis.core import QgsLayerTreeGroup, QgsProject, QgsRuleBasedRenderer
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QMenu, QToolBar
from sqlalchemy import update
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.layers import LAYER_KEY_PROPERTY, load_workspace_layers
from citymgmt_plugin.core.qgis.output_styles import STYLE_PROPERTY
from citymgmt_plugin.core.reporting.weeks import IsoWeek, last_full_week
from citymgmt_plugin.core.workspace.store import Workspace, upgrade
from citymgmt_plugin.gui.context import PluginContext
from citymgmt_plugin.gui.weekly_checks import WeeklyChecksDialog
from tests.fixtures.small_workspace import seed_small_workspace

WEEK = IsoWeek(2026, 45)  # the small workspace's fixes and reports: Monday 2026-11-02


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        QCoreApplication.processEvents()
        time.sleep(0.01)
        assert time.monotonic() < deadline, "timed out"


@pytest.fixture
def ctx(qgis_iface, processing_ready, tmp_path):
    spec = str(tmp_path / "ws.gpkg")
    upgrade(spec)
    ws = Workspace.open(spec)
    seed_small_workspace(ws)
    observed = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    with ws.begin() as c:
        c.execute(update(ws.schema.submissions).values(observed_at=observed))
    QgsProject.instance().clear()
    load_workspace_layers(ws, QgsProject.instance())
    context = PluginContext(qgis_iface, QMenu("citymgmt"), QToolBar("citymgmt"))
    context.set_workspace(ws)
    yield context
    # a dialog left in a reference cycle holds layers: collect it while QGIS still runs
    # (collected after pytest-qgis has shut QGIS down, a layer's destructor crashes)
    gc.collect()
    context.unload()
    QgsProject.instance().clear()


def _settle() -> None:
    """Let the status label grow the window (it does so on the next turn of the loop)."""
    for _ in range(5):
        QCoreApplication.processEvents()
        time.sleep(0.02)


def _group(name: str) -> QgsLayerTreeGroup | None:
    return QgsProject.instance().layerTreeRoot().findGroup(name)


def test_prefilled_run_and_styled_results_in_the_weeks_group(ctx, artifacts):
    dialog = WeeklyChecksDialog(ctx)
    assert dialog.week == last_full_week()  # the default: the last full week
    keys = {
        n: c.currentLayer().customProperty(LAYER_KEY_PROPERTY) for n, c in dialog.combos.items()
    }
    assert keys == {
        "grids": "unit_grids",
        "roads": "main_roads",
        "routes": "patrol_routes",
        "tracks": "track_points",
        "submissions": "submissions",
    }
    dialog.set_week(WEEK)
    assert (
        dialog.week_label.text().startswith("2026-W45") and "2026-11-08" in dialog.week_label.text()
    )
    dialog.show()
    assert dialog.run_checks()
    assert not dialog.run_button.isEnabled() and dialog.cancel_button.isEnabled()
    wait_until(lambda: not dialog.queue.running and dialog.run_button.isEnabled())
    assert dialog.progress.value() == 100, dialog.status.text()
    group = _group("Weekly checks 2026-W45")
    assert group is not None and group is QgsProject.instance().layerTreeRoot().children()[0]
    layers = {n.layer().customProperty(STYLE_PROPERTY) or n.layer().name(): n.layer()
              for n in group.findLayers()}  # fmt: skip
    assert {"coverage_grids", "coverage_gaps", "kpi_grids"} <= set(layers)
    assert len(group.findLayers()) == 8  # grids, gaps, resp table; day table, stretches; 3 KPI
    grids = layers["coverage_grids"]
    assert isinstance(grids.renderer(), QgsRuleBasedRenderer)
    failing = [f["grid_code"] for f in grids.getFeatures() if f["passed"] is False]
    assert failing and "grids fail the weekly rule" in dialog.status.text()
    assert grids.name() == "Grid coverage"
    _settle()
    dialog.grab().save(str(artifacts / "weekly_checks_dialog.png"))
    # the same week again replaces its group
    assert dialog.run_checks()
    wait_until(lambda: dialog.run_button.isEnabled())
    names = [c.name() for c in QgsProject.instance().layerTreeRoot().children()]
    assert names.count("Weekly checks 2026-W45") == 1
    _render("Weekly checks 2026-W45", artifacts / "weekly_checks_map.png")
    dialog.close()


def _render(name, path) -> None:
    """The week's results over the workspace's roads and routes, as a picture to look at."""
    from citymgmt_plugin.core.qgis.layers import find_workspace_layer
    from citymgmt_plugin.core.qgis.render import render_layers_png

    project = QgsProject.instance()
    layers = [n.layer() for n in _group(name).findLayers() if n.layer().isSpatial()]
    base = [find_workspace_layer(project, k) for k in ("patrol_routes", "main_roads")]
    extent = layers[-1].extent()
    extent.grow(40)
    render_layers_png(layers[:-1] + base + layers[-1:], extent, path, size=(900, 600), title=name)


def test_missing_inputs_are_named_and_nothing_runs(ctx):
    dialog = WeeklyChecksDialog(ctx)
    dialog.combos["routes"].setLayer(None)
    dialog.combos["submissions"].setLayer(None)
    dialog.boxes["citymgmt:patrolcoverage"].setChecked(False)
    assert not dialog.run_checks()
    text = dialog.status.text()
    assert "Route deviation: choose patrol routes" in text
    assert "Reporting KPIs: choose submissions" in text
    assert _group(f"Weekly checks {dialog.week}") is None


def test_cancel_stops_the_checks(ctx):
    dialog = WeeklyChecksDialog(ctx)
    dialog.set_week(WEEK)
    assert dialog.run_checks()
    dialog.cancel()
    wait_until(lambda: dialog.run_button.isEnabled())
    assert dialog.status.text() == "Cancelled."
    assert dialog.progress.value() < 100


def test_dialog_in_chinese(ctx, tmp_path, artifacts):
    with zh_cn(tmp_path):
        dialog = WeeklyChecksDialog(ctx)
        dialog.set_week(WEEK)
        assert dialog.windowTitle() == "每周检查"
        assert dialog.week_label.text() == "2026-W45（2026-11-02 – 2026-11-08）"
        assert dialog.run_checks()
        wait_until(lambda: dialog.run_button.isEnabled())
        assert _group("每周检查 2026-W45") is not None
        assert "完成" in dialog.status.text()
        dialog.show()
        _settle()
        dialog.grab().save(str(artifacts / "weekly_checks_dialog_zh.png"))
        dialog.close()
