"""Rendering workspace layers to PNG (the demo overview and later maps reuse it)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtGui import QColor, QImage

from citymgmt_plugin.core.qgis.layers import load_workspace_layers, workspace_extent
from citymgmt_plugin.core.qgis.render import is_blank, render_layers_png
from citymgmt_plugin.demo.overview import step_overview
from citymgmt_plugin.demo.runner import DemoContext
from tests.fixtures.small_workspace import seed_small_workspace


def test_render_small_workspace(qgis_app, gpkg_workspace, tmp_path, artifacts):
    seed_small_workspace(gpkg_workspace)
    project = QgsProject()
    layers = load_workspace_layers(gpkg_workspace, project)
    out = render_layers_png(
        project.layerTreeRoot().checkedLayers(),
        workspace_extent(layers),
        artifacts / "render_small.png",
        size=(800, 600),
        title="小型工作区",
        subtitle="6 unit grids",
    )
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 600)
    assert not is_blank(out)
    # the main road (orange-red #e8552e) is drawn below the title band
    road = QColor("#e8552e")
    hits = 0
    for y in range(60, 600, 2):
        for x in range(0, 800, 4):
            c = QColor(image.pixel(x, y))
            if (
                abs(c.red() - road.red())
                + abs(c.green() - road.green())
                + abs(c.blue() - road.blue())
                < 40
            ):
                hits += 1
    assert hits > 20
    project.clear()


def test_render_nothing_is_blank(qgis_app, tmp_path):
    from qgis.core import QgsRectangle

    out = render_layers_png([], QgsRectangle(0, 0, 10, 10), tmp_path / "empty.png", size=(64, 48))
    assert is_blank(out)


def test_demo_overview_step(qgis_app, gpkg_workspace, tmp_path):
    seed_small_workspace(gpkg_workspace)
    lines: list[str] = []
    ctx = DemoContext(tmp_path, Path(gpkg_workspace.spec.path), 1.0, 1, log=lines.append)
    step_overview(ctx)
    png = ctx.outputs["overview map"]
    assert png == tmp_path / "overview.png" and png.exists()
    assert not is_blank(png)
    assert QImage(str(png)).size().width() == 1600
    assert any(str(png) in line for line in lines)


def test_component_at_a_grid_centre_is_not_hidden_by_the_grid_code(
    qgis_app, gpkg_workspace, tmp_path, artifacts
):
    """Labels are drawn over every layer: the unit grid's code must make way for a
    component marker (components block labels) instead of covering it."""
    from datetime import date

    from qgis.core import QgsRectangle
    from sqlalchemy import insert

    from citymgmt_plugin.core.qgis.layers import workspace_layer
    from tests.fixtures.small_workspace import X0, Y0

    ws = gpkg_workspace
    seed_small_workspace(ws)
    cx, cy = X0 + 150, Y0 + 50  # the centre of grid 005, where its code is labelled
    with ws.begin() as c:
        c.execute(
            insert(ws.schema.components).values(
                identifier="3205080101000099", scheme="legacy16", class_code="0101",
                name="上水井盖", dept_code="001", dept_name="市水务局",
                grid_code="320508001001005", status="完好", data_source="实测",
                accuracy_class="B", version=1, initial_date=date(2026, 1, 5),
                geom=f"SRID=4549;POINT({cx} {cy})",
            )
        )  # fmt: skip
    points = workspace_layer(ws, "components", geometry_type="Point", style="components_point")
    grids = workspace_layer(ws, "unit_grids")
    extent = QgsRectangle(cx - 40, cy - 30, cx + 40, cy + 30)  # about 1:400: codes shown
    out = render_layers_png([points, grids], extent, artifacts / "grid_label_vs_component.png",
                            size=(400, 300), margin=0)  # fmt: skip
    image = QImage(str(out))
    blue = QColor("#1f78b4")  # class 01's marker
    hits = 0
    for y in range(140, 161):
        for x in range(190, 211):
            c = QColor(image.pixel(x, y))
            if (
                abs(c.red() - blue.red())
                + abs(c.green() - blue.green())
                + abs(c.blue() - blue.blue())
                < 60
            ):
                hits += 1
    assert hits > 30, f"the marker at the grid centre is covered ({hits} marker pixels)"
