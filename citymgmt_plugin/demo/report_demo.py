"""Demo steps ``report`` and ``project``: the week's PDF reports and a ready QGIS project.

``report`` runs ``citymgmt:patrolreport`` on the demo week (the same algorithm as the menu
entry, the toolbox and ``python -m citymgmt_plugin report``) into ``reports/``;
``project`` writes ``demo-district.qgz`` next to the workspace: its layers grouped and
styled, the week's results, map themes and the report layouts.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..core.i18n import tr
from ..processing_provider import runnable


def demo_week() -> str:
    from ..core.reporting.weeks import IsoWeek
    from .tracks import WEEK_START

    return str(IsoWeek.of(WEEK_START))


def step_report(ctx: Any) -> None:
    import processing

    folder = Path(ctx.out_dir) / "reports"
    t0 = time.perf_counter()
    res = processing.run(
        runnable("citymgmt:patrolreport"),
        {
            "WORKSPACE": str(ctx.workspace_path),
            "WEEK": demo_week(),
            "REPORTS": [0, 1, 2],
            "OUTPUT_FOLDER": str(folder),
        },
    )
    ctx.log(
        tr("Demo", "   patrol reports of {0} in {1:.1f} s:").format(
            demo_week(), time.perf_counter() - t0
        )
    )
    for key, out in (
        ("weekly_report", "WEEKLY_PDF"),
        ("monthly_report", "MONTHLY_PDF"),
        ("grid_atlas", "ATLAS_PDF"),
        ("report_layers", "REPORT_DATA"),
    ):
        if res.get(out):
            ctx.log(f"     {res[out]}")
            ctx.output(key, Path(res[out]))
    ctx.facts["report_folder"] = folder


def step_project(ctx: Any) -> None:
    from ..core.qgis.project_file import ExtraLayer, build_project
    from ..core.workspace.store import Workspace

    folder = ctx.facts.get("report_folder") or Path(ctx.out_dir) / "reports"
    path = Path(ctx.out_dir) / "demo-district.qgz"
    extra = [
        ExtraLayer(Path(ctx.out_dir) / "checks.gpkg", "grid_errors",
                   tr("Demo", "Unit grid errors"), "grid_errors"),
        ExtraLayer(Path(ctx.out_dir) / "census-qa.gpkg", "census-qa",
                   tr("Demo", "Census QA errors"), "census_qa_errors"),
    ]  # fmt: skip
    ws = Workspace.open(str(ctx.workspace_path))
    try:
        build_project(ws, folder, demo_week(), path, [e for e in extra if e.path.exists()])
    finally:
        ws.close()
    ctx.log(tr("Demo", "   QGIS project with layers, map themes and layouts: {0}").format(path))
    ctx.output("project", path)
