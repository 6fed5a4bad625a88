"""Demo steps ``coverage`` and ``deviation``: the weekly patrol checks the city pays by.

Runs ``citymgmt:patrolcoverage`` and ``citymgmt:routedeviation`` on the demo week through
``processing.run`` (the same path as the toolbox, the Modeler and ``qgis_process``), writes
their layers to ``coverage.gpkg`` / ``deviation.gpkg`` and renders the failed grids with the
road stretches nobody patrolled to ``coverage-failures.png``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..core.i18n import tr


def _gpkg_table(path: Path, table: str) -> str:
    return f"ogr:dbname='{path}' table=\"{table}\" (geom)"


def _source(ws: Path, table: str) -> str:
    return f"{ws}|layername={table}"


def step_coverage(ctx: Any) -> None:
    import processing

    ws = Path(ctx.workspace_path)
    out = ctx.out_dir / "coverage.gpkg"
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    res = processing.run(
        "citymgmt:patrolcoverage",
        {
            "GRIDS": _source(ws, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "ROADS": _source(ws, "main_roads"),
            "TRACKS": _source(ws, "track_points"),
            "COLLECTOR_FIELD": "collector_code",
            "TIME_FIELD": "fix_time",
            "TOLERANCE": 30,
            "MAX_GAP": 120,
            "MAX_SPEED": 60,
            "REQUIRED": 1.0,
            "REQUIRED_TOLERANCE": 0.005,
            "RESP_GRID_TABLE": _source(ws, "resp_grid_units"),
            "RESP_UNIT_FIELD": "unit_grid_code",
            "RESP_CODE_FIELD": "resp_grid_code",
            "OUTPUT": _gpkg_table(out, "grid_coverage"),
            "GAPS": _gpkg_table(out, "coverage_gaps"),
            "RESP_OUTPUT": _gpkg_table(out, "resp_grid_coverage"),
        },
    )
    seconds = time.perf_counter() - t0
    failed_resp = _failed_resp_grids(out)
    ctx.log(
        tr(
            "Demo",
            "   patrol coverage of {0:,.1f} km of main roads in {1} grids: {2:,.1f} km covered, "
            "{3} grids and {4} responsibility grids fail the weekly rule ({5:.1f} s)",
        ).format(
            res["road_m"] / 1000,
            int(res["grids"]),
            res["covered_m"] / 1000,
            int(res["grids_failed"]),
            len(failed_resp),
            seconds,
        )
    )
    if failed_resp:
        ctx.log(tr("Demo", "   failing responsibility grids: {0}").format(", ".join(failed_resp)))
    ctx.facts["coverage"] = {
        "road_m": res["road_m"],
        "covered_m": res["covered_m"],
        "grids_failed": int(res["grids_failed"]),
        "resp_failed": failed_resp,
        "seconds": seconds,
    }
    ctx.output("coverage", out)
    ctx.output("coverage_map", _render_failures(ctx, ws, out))


def _failed_resp_grids(out: Path) -> list[str]:
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    layer = QgsVectorLayer(f"{out}|layername=resp_grid_coverage", "resp", "ogr")
    if not layer.isValid():
        return []
    request = QgsFeatureRequest().setFilterExpression('"passed" = 0')
    return sorted(str(f["resp_code"]) for f in layer.getFeatures(request))


def _render_failures(ctx: Any, ws: Path, out: Path) -> Path:
    from qgis.core import QgsProject, QgsVectorLayer

    from ..core.qgis.render import render_layers_png

    project = QgsProject()
    grids = QgsVectorLayer(_source(ws, "unit_grids"), tr("Demo", "Unit grids"), "ogr")
    roads = QgsVectorLayer(_source(ws, "main_roads"), tr("Demo", "Main roads"), "ogr")
    failed = QgsVectorLayer(
        f'{out}|layername=grid_coverage|subset="passed" = 0', tr("Demo", "Failed grids"), "ogr"
    )
    gaps = QgsVectorLayer(
        f"{out}|layername=coverage_gaps", tr("Demo", "Unpatrolled stretches"), "ogr"
    )
    _style(
        grids,
        "fill",
        {"color": "250,250,250,255", "outline_color": "200,200,210,255", "outline_width": "0.1"},
    )
    _style(roads, "line", {"line_color": "150,150,150,255", "line_width": "0.5"})
    _style(
        failed,
        "fill",
        {"color": "230,80,60,110", "outline_color": "200,40,30,255", "outline_width": "0.3"},
    )
    _style(gaps, "line", {"line_color": "200,0,0,255", "line_width": "1.2"})
    layers = [gaps, failed, roads, grids]
    project.addMapLayers(layers)
    facts = ctx.facts.get("coverage", {})
    return render_layers_png(
        layers,
        grids.extent(),
        ctx.out_dir / "coverage-failures.png",
        project=project,
        title=tr("Demo", "Weekly patrol coverage: failed grids and unpatrolled road stretches"),
        subtitle=tr("Demo", "{0} unit grids fail; red lines: main roads nobody patrolled").format(
            facts.get("grids_failed", "?")
        ),
    )


def _style(layer: Any, kind: str, props: dict[str, str]) -> None:
    from qgis.core import QgsFillSymbol, QgsLineSymbol, QgsSingleSymbolRenderer

    symbol = (QgsFillSymbol if kind == "fill" else QgsLineSymbol).createSimple(props)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def step_deviation(ctx: Any) -> None:
    import processing

    ws = Path(ctx.workspace_path)
    out = ctx.out_dir / "deviation.gpkg"
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    processing.run(
        "citymgmt:routedeviation",
        {
            "TRACKS": _source(ws, "track_points"),
            "COLLECTOR_FIELD": "collector_code",
            "TIME_FIELD": "fix_time",
            "ROUTES": _source(ws, "patrol_routes"),
            "ROUTE_COLLECTOR_FIELD": "collector_code",
            "TOLERANCE": 30,
            "OUTPUT": _gpkg_table(out, "route_deviation"),
            "OFFROUTE": _gpkg_table(out, "offroute_stretches"),
        },
    )
    seconds = time.perf_counter() - t0
    worst = _worst_deviations(out)
    ctx.log(
        tr("Demo", "   route deviation per collector and day in {0:.1f} s; most off-route:").format(
            seconds
        )
    )
    for collector, day, share in worst:
        ctx.log(f"     {collector}  {day}  {share:.0%}")
    ctx.output("deviation", out)


def _worst_deviations(out: Path, n: int = 5) -> list[tuple[str, str, float]]:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{out}|layername=route_deviation", "dev", "ogr")
    rows = [
        (str(f["collector"]), str(f["day"]), float(f["off_dist_share"] or 0))
        for f in layer.getFeatures()
    ]
    return sorted(rows, key=lambda r: -r[2])[:n]
