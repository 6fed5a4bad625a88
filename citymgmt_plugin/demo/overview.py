"""Demo step: an overview map of the demo district, rendered from the workspace layers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..core.i18n import tr

if TYPE_CHECKING:
    from .runner import DemoContext

OVERVIEW_SIZE = (1600, 1200)
MAX_TRACK_POINTS = 40_000  # more than this are thinned for the overview


def _count(ws, table) -> int:
    with ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def step_overview(ctx: DemoContext) -> None:
    from qgis.core import QgsProject

    from ..core.qgis.layers import load_workspace_layers, workspace_extent
    from ..core.qgis.render import render_layers_png
    from ..core.workspace.store import Workspace

    ws = Workspace.open(str(ctx.workspace_path))
    try:
        project = QgsProject()
        layers = load_workspace_layers(ws, project)
        s = ws.schema
        counts = {
            "grids": _count(ws, s.unit_grids),
            "components": _count(ws, s.components),
            "tracks": _count(ws, s.track_points),
        }
        tracks = layers.get("track_points")
        if tracks is not None and counts["tracks"] > MAX_TRACK_POINTS:
            step = -(-counts["tracks"] // MAX_TRACK_POINTS)
            tracks.setSubsetString(f'"id" % {step} = 0')
        shown = project.layerTreeRoot().checkedLayers()
        path = render_layers_png(
            shown,
            workspace_extent(layers),
            ctx.out_dir / "overview.png",
            project=project,
            size=OVERVIEW_SIZE,
            title=tr("Demo", "Demo district: overview"),
            subtitle=tr(
                "Demo",
                "{0} unit grids, {1} components, {2} track points; EPSG:{3}",
            ).format(
                f"{counts['grids']:,}",
                f"{counts['components']:,}",
                f"{counts['tracks']:,}",
                ws.srid,
            ),
        )
        project.clear()
    finally:
        ws.close()
    ctx.output("overview map", path)
    ctx.facts["overview_layers"] = len(layers)
    ctx.log(tr("Demo", "   overview map: {0}").format(path))
