"""Demo steps: unit grid checks (after "district") and reporting KPIs (after "intake").

Both run the Processing algorithms by id, as a user's model or scheduled ``qgis_process``
job would, on the demo workspace: grid errors to ``checks.gpkg``, KPIs per grid to
``kpi-grids.gpkg`` and the KPI tables to ``kpi-overall.csv``, ``kpi-collectors.csv`` and
``kpi-hours.csv``.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from ..core.i18n import tr
from ..core.labels import join, pad, text_width, topology_error_label
from ..processing_provider import runnable


def _gpkg_table(path: Path, table: str) -> str:
    return f"ogr:dbname='{path}' table=\"{table}\" (geom)"


def _source(ws: Path, table: str, subset: str = "") -> str:
    return f"{ws}|layername={table}" + (f"|subset={subset}" if subset else "")


def step_checks(ctx: Any) -> None:
    import processing

    from ..core.workspace.store import Workspace

    ws_path = Path(ctx.workspace_path)
    ws = Workspace.open(str(ws_path))
    try:
        legacy14 = ws.setting("grid_code_legacy14", "0") == "1"
    finally:
        ws.close()
    out = ctx.out_dir / "checks.gpkg"
    if out.exists():
        out.unlink()
    t0 = time.perf_counter()
    res = processing.run(
        runnable("citymgmt:gridtopology"),
        {
            "GRIDS": _source(ws_path, "unit_grids"),
            "GRID_CODE_FIELD": "code",
            "ADMIN": _source(ws_path, "admin_units", "\"level\" = 'community'"),
            "ADMIN_CODE_FIELD": "code",
            "LEGACY14": legacy14,
            "OUTPUT": _gpkg_table(out, "grid_errors"),
        },
    )
    seconds = time.perf_counter() - t0
    counts = {
        k.lower(): int(res[k])
        for k in (
            "INVALID",
            "OVERLAP",
            "GAP",
            "OUTSIDE",
            "SLIVER",
            "AREA",
            "DUPLICATE_CODE",
            "MALFORMED_CODE",
            "ADMIN_MISMATCH",
        )
    }
    ctx.log(
        tr("Demo", "   unit grid checks: {0} grids, {1} errors in {2:.1f} s").format(
            int(res["GRIDS_CHECKED"]), int(res["ERRORS"]), seconds
        )
    )
    ctx.log("   " + join(f"{topology_error_label(k)} {v}" for k, v in counts.items()))
    ctx.log(
        tr("Demo", "   gap area {0:,.1f} m², overlap area {1:,.1f} m²").format(
            res["GAP_AREA"], res["OVERLAP_AREA"]
        )
    )
    ctx.facts["checks"] = dict(
        grids=int(res["GRIDS_CHECKED"]), errors=int(res["ERRORS"]), seconds=seconds, **counts
    )
    ctx.output("grid_errors", out)


def step_kpi(ctx: Any) -> None:
    import processing
    from sqlalchemy import func, select

    from ..core.workspace.store import Workspace

    ws_path = Path(ctx.workspace_path)
    ws = Workspace.open(str(ws_path))
    try:
        with ws.begin() as conn:
            n = conn.execute(select(func.count()).select_from(ws.schema.submissions)).scalar()
    finally:
        ws.close()
    if not n:
        ctx.log(
            tr(
                "Demo",
                "   no submissions in the workspace yet (the intake step brings them): "
                "reporting KPIs skipped.",
            )
        )
        return
    from qgis.PyQt.QtCore import QDateTime, QTime, QTimeZone

    from .tracks import WEEK_START

    zone = QTimeZone(b"Asia/Shanghai")
    start = QDateTime(WEEK_START, QTime(0, 0), zone)  # the demo week, Monday to Sunday
    out = ctx.out_dir / "kpi-grids.gpkg"
    tables = {k: ctx.out_dir / f"kpi-{k}.csv" for k in ("overall", "collectors", "hours")}
    for path in (out, *tables.values()):
        if path.exists():
            path.unlink()
    t0 = time.perf_counter()
    res = processing.run(
        runnable("citymgmt:reportingkpi"),
        {
            "SUBMISSIONS": _source(ws_path, "submissions"),
            "GRIDS": _source(ws_path, "unit_grids"),
            "START": start,
            "END": start.addDays(7),
            "OUTPUT_OVERALL": str(tables["overall"]),
            "OUTPUT_GRIDS": _gpkg_table(out, "kpi_grids"),
            "OUTPUT_COLLECTORS": str(tables["collectors"]),
            "OUTPUT_HOURS": str(tables["hours"]),
        },
    )
    seconds = time.perf_counter() - t0
    ctx.log(
        tr("Demo", "   reporting KPIs of {0} reports in {1:.1f} s:").format(
            int(res["REPORTS"]), seconds
        )
    )
    marks = {"1": "✓", "true": "✓", "0": "✗", "false": "✗"}
    with open(tables["overall"], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    width = max((text_width(row["name"]) for row in rows), default=0)
    for row in rows:
        value = f"{float(row['value']):.3g}" if row["value"] else "—"
        limit = f" / {float(row['threshold']):.3g}" if row["threshold"] else ""
        mark = marks.get(row["passed"].strip().lower(), "")
        ctx.log(f"   {pad(row['name'], width)}  {value}{limit} {mark}")
    ctx.log(tr("Demo", "   reports per hour: {0}").format(res["HOURLY"]))
    ctx.facts["kpi"] = dict(
        reports=int(res["REPORTS"]),
        valid=res["VALID_REPORTS"],
        valid_rate=res["VALID_RATE"],
        component_share=res["COMPONENT_SHARE"],
        passed=bool(res["PASSED"]),
        seconds=seconds,
    )
    ctx.output("kpi_grids", out)
    for key, path in tables.items():
        ctx.output(f"kpi_{key}", path)
