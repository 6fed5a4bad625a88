"""The patrol reports of one week, from the layers the weekly checks produced.

``citymgmt:patrolreport`` runs the checks (coverage, route deviation, KPIs of the week and of
its month) and hands their output layers here; this module turns them into the reports'
data (core.reporting.patrol_report), the report GeoPackage, the charts, and the PDFs from
the shipped layouts. Everything is written to one folder; the JSON files let a layout be
filled again later (the demo project does).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsGeometry, QgsMessageLog, QgsProject, QgsVectorLayer

from ..i18n import tr
from ..private_files import private_dir
from ..reporting import charts as charts_mod
from ..reporting.patrol_report import (
    DayDeviation,
    GridFigures,
    MonthAssessment,
    MonthlyReport,
    ReportFacts,
    WeeklyReport,
    collector_lines,
    kpi_lines,
    save_report,
    weekly_report,
)
from ..reporting.weeks import IsoWeek, Month, recent_weeks
from ..reporting.workspace_facts import report_facts, weekly_trend
from ..workspace.store import Workspace
from .layers import workspace_layer
from .output_styles import style_output_layer
from .report_data import (
    ReportLayers,
    collectors_layer,
    geometries_by_code,
    open_report_layers,
    resp_layer,
    write_layer,
)
from .report_fill import atlas_layout, monthly_layout, weekly_layout
from .report_layouts import export_atlas_pdf, export_pdf

REPORTS = ("weekly", "monthly", "atlas")
TREND_WEEKS = 8
BASE_LAYERS = ("admin_district", "admin_street", "main_roads", "patrol_routes")


@dataclass
class CheckLayers:
    """The output layers of the checks a report is made from (None: not run)."""

    grids: QgsVectorLayer | None = None  # patrolcoverage OUTPUT
    gaps: QgsVectorLayer | None = None  # patrolcoverage GAPS
    days: QgsVectorLayer | None = None  # routedeviation OUTPUT
    offroute: QgsVectorLayer | None = None  # routedeviation OFFROUTE
    kpis: QgsVectorLayer | None = None  # reportingkpi OUTPUT_OVERALL, the week
    kpi_collectors: QgsVectorLayer | None = None
    kpi_hours: QgsVectorLayer | None = None
    month_kpis: QgsVectorLayer | None = None  # the same for the month
    month_collectors: QgsVectorLayer | None = None
    month_hours: QgsVectorLayer | None = None


@dataclass
class ReportFiles:
    folder: Path
    weekly_pdf: Path | None = None
    monthly_pdf: Path | None = None
    atlas_pdf: Path | None = None
    data: Path | None = None
    json: list[Path] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def pdfs(self) -> list[Path]:
        return [p for p in (self.weekly_pdf, self.monthly_pdf, self.atlas_pdf) if p is not None]


def file_names(week: IsoWeek, month: Month) -> dict[str, str]:
    return {
        "weekly": f"patrol-report-{week}.pdf",
        "monthly": f"kpi-report-{month}.pdf",
        "atlas": f"grid-atlas-{week}.pdf",
        "data": f"patrol-report-{week}.gpkg",
        "weekly_json": f"patrol-report-{week}.json",
        "monthly_json": f"kpi-report-{month}.json",
    }


def layer_rows(layer: QgsVectorLayer | None) -> list[dict[str, Any]]:
    """Every feature's attributes as a dict (NULL as None)."""
    if layer is None:
        return []
    names = layer.fields().names()
    out = []
    for f in layer.getFeatures():
        row = {}
        for n in names:
            v = f[n]
            row[n] = None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
        out.append(row)
    return out


def grid_figures(layer: QgsVectorLayer | None) -> list[GridFigures]:
    return [
        GridFigures(str(r["grid_code"]), float(r["road_m"] or 0), float(r["covered_m"] or 0),
                    bool(r["passed"]))
        for r in layer_rows(layer)
    ]  # fmt: skip


def day_deviations(layer: QgsVectorLayer | None) -> list[DayDeviation]:
    return [
        DayDeviation(str(r["collector"]), float(r["patrol_m"] or 0), float(r["patrol_s"] or 0),
                     None if r["off_m"] is None else float(r["off_m"]))
        for r in layer_rows(layer)
    ]  # fmt: skip


def hourly(layer: QgsVectorLayer | None) -> tuple[list[int], list[int]]:
    counts, valid = [0] * 24, [0] * 24
    for r in layer_rows(layer):
        h = int(r["hour"])
        counts[h], valid[h] = int(r["reports"] or 0), int(r["valid"] or 0)
    return counts, valid


def build_weekly(ws: Workspace, week: IsoWeek, checks: CheckLayers, facts: ReportFacts,
                 notes: Sequence[str] = ()) -> WeeklyReport:  # fmt: skip
    people = collector_lines(
        facts.people, day_deviations(checks.days), layer_rows(checks.kpi_collectors)
    )
    counts, valid = hourly(checks.kpi_hours)
    return weekly_report(
        week, facts.place, grid_figures(checks.grids), facts,
        collectors=people, kpis=kpi_lines(layer_rows(checks.kpis)),
        hourly=counts, hourly_valid=valid,
        trend=weekly_trend(ws, recent_weeks(week, TREND_WEEKS)), notes=list(notes),
    )  # fmt: skip


def build_monthly(ws: Workspace, month: Month, checks: CheckLayers, facts: ReportFacts,
                  notes: Sequence[str] = ()) -> MonthlyReport:  # fmt: skip
    report = MonthlyReport(str(month), facts.place, month.days, notes=list(notes))
    if time.time() < month.bounds()[1]:
        report.notes.append(tr("Reports", "The month is not over yet: figures so far."))
    report.kpis = kpi_lines(layer_rows(checks.month_kpis))
    report.collectors = collector_lines(facts.people, [], layer_rows(checks.month_collectors))
    report.hourly, report.hourly_valid = hourly(checks.month_hours)
    report.trend = weekly_trend(ws, month.weeks())
    report.assessment = assess_month(ws, month)
    return report


def assess_month(ws: Workspace, month: Month) -> MonthAssessment:
    """The month's 考核 (scores and payment) from the workspace's contract profile (the
    shipped default without one); when it cannot be computed, why, and the report goes on."""
    from ..reporting.month_report import month_assessment
    from ..reporting.monthly import month_figures
    from ..reporting.profile import ProfileError

    try:
        return month_assessment(month_figures(ws, month.first))
    except ProfileError as exc:
        reason = str(exc)
    except Exception as exc:  # the rest of the report is still worth having
        QgsMessageLog.logMessage(f"assessment of {month}: {exc!r}", "citymgmt", Qgis.Warning)
        reason = str(exc) or type(exc).__name__
    return MonthAssessment(error=reason)


def write_data(ws: Workspace, path: Path, report: WeeklyReport, checks: CheckLayers,
               resp_of: dict[str, str]) -> Path:  # fmt: skip
    """The report GeoPackage: coverage, stretches, responsibility grids, collectors
    (``resp_of``: unit grid -> responsibility grid)."""
    path.unlink(missing_ok=True)
    for layer, name in ((checks.grids, "grid_coverage"), (checks.gaps, "coverage_gaps"),
                        (checks.offroute, "offroute_stretches")):  # fmt: skip
        if layer is not None:
            write_layer(layer, path, name)
    resp_grids = workspace_layer(ws, "resp_grids")
    crs = checks.grids.crs() if checks.grids is not None else resp_grids.crs()
    shapes = resp_geometries(resp_grids, checks.grids, resp_of)
    write_layer(resp_layer(report.resp, shapes, crs), path, "resp_grid_coverage")
    write_layer(collectors_layer(report.collectors, crs), path, "collectors")
    return path


def resp_geometries(resp_grids: QgsVectorLayer, grids: QgsVectorLayer | None,
                    resp_of: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """Each responsibility grid's outline: its own geometry, else the union of its unit
    grids (workspaces that keep only the grid lists)."""
    shapes = {k: g for k, g in geometries_by_code(resp_grids).items() if not g.isEmpty()}
    missing: dict[str, list] = {}
    for code, g in geometries_by_code(grids, "grid_code").items():
        resp = resp_of.get(code)
        if resp and resp not in shapes:
            missing.setdefault(resp, []).append(g)
    for resp, parts in missing.items():
        shapes[resp] = QgsGeometry.unaryUnion(parts)
    return shapes


def draw_charts(report: WeeklyReport | MonthlyReport, folder: Path,
                stem: str) -> dict[str, Path | None]:  # fmt: skip
    """The report's three charts as PNGs (None each when matplotlib is missing)."""
    if charts_mod.missing_reason() is not None:
        return {"hourly": None, "trend": None, "collectors": None}
    folder.mkdir(parents=True, exist_ok=True)
    people = [c for c in report.collectors if c.reports or getattr(c, "patrol_km", 0)]
    names = [f"{c.name} {c.code}".strip() for c in people]
    title = (
        tr("Reports", "Reports per week of the month")
        if isinstance(report, MonthlyReport)
        else None
    )
    return {
        "hourly": charts_mod.hourly_chart(
            report.hourly, report.hourly_valid, folder / f"{stem}-hourly.png"),
        "trend": charts_mod.trend_chart(
            [t.label for t in report.trend], [t.reports for t in report.trend],
            [t.valid for t in report.trend], folder / f"{stem}-trend.png", title=title),
        "collectors": charts_mod.collector_chart(
            names, [c.valid for c in people], [c.reports - c.valid for c in people],
            folder / f"{stem}-collectors.png"),
    }  # fmt: skip


def base_layers(ws: Workspace) -> dict[str, QgsVectorLayer]:
    """The workspace layers the report maps show under the results, styled."""
    from .layers import LAYER_DEFS, layer_names

    names = layer_names()
    out = {}
    for key in BASE_LAYERS:
        d = LAYER_DEFS[key]
        layer = workspace_layer(ws, d.table, name=names[key], style=d.style, key=key,
                                **dict(d.filters))  # fmt: skip
        if layer.isValid():
            out[key] = layer
    roads = workspace_layer(ws, "main_roads", name=names["main_roads"], key="main_roads")
    if roads.isValid() and style_output_layer(roads, "report_roads"):
        out["roads_thin"] = roads  # under the district map, thin
    return out


def write_reports(
    ws: Workspace,
    week: IsoWeek,
    checks: CheckLayers,
    folder: Path,
    which: Sequence[str] = REPORTS,
    progress: Callable[[float, str], bool] | None = None,
) -> ReportFiles:
    """Every report of ``which`` for ``week`` (the monthly one for the week's month) into
    ``folder``; ``progress(percent, what)`` returns True to stop."""
    progress = progress or (lambda _p, _t: False)
    private_dir(folder)  # positions and collectors: owner-only, like the workspace
    month = week.month()
    names = file_names(week, month)
    out = ReportFiles(folder)
    notes = [reason] if (reason := charts_mod.missing_reason()) else []
    out.notes += notes
    facts = report_facts(ws)
    report = build_weekly(ws, week, checks, facts, notes)
    out.data = write_data(ws, folder / names["data"], report, checks, facts.resp_of)
    out.json.append(save_report(report, folder / names["weekly_json"]))
    project = QgsProject()
    layers = open_report_layers(out.data)
    layers.base = base_layers(ws)
    project.addMapLayers(layers.all())
    try:
        _weekly_files(project, report, layers, folder, names, which, out, progress)
        if "monthly" in which and not progress(85, tr("Reports", "Monthly report…")):
            monthly = build_monthly(ws, month, checks, facts, notes)
            out.json.append(save_report(monthly, folder / names["monthly_json"]))
            charts = draw_charts(monthly, folder / "charts", f"{month}")
            out.charts += [p for p in charts.values() if p]
            layout = monthly_layout(project, monthly, charts)
            out.monthly_pdf = export_pdf(layout, folder / names["monthly"])
    finally:
        project.clear()
    return out


def _weekly_files(project, report, layers: ReportLayers, folder, names, which, out, progress):
    if "weekly" in which and not progress(60, tr("Reports", "Weekly report…")):
        charts = draw_charts(report, folder / "charts", str(report.week))
        out.charts += [p for p in charts.values() if p]
        out.weekly_pdf = export_pdf(
            weekly_layout(project, report, layers, charts), folder / names["weekly"]
        )
    if "atlas" in which and not progress(70, tr("Reports", "Atlas of responsibility grids…")):
        out.atlas_pdf = export_atlas_pdf(
            atlas_layout(project, report, layers), folder / names["atlas"]
        )
