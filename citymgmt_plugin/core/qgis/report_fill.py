"""What goes where in each report's print layout: the weekly patrol report, the monthly KPI
and assessment report, and the atlas with one page per responsibility grid."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from qgis.core import (
    QgsLayoutItemMap,
    QgsLayoutItemMapOverview,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
)

from ..i18n import tr
from ..labels import chinese, labelled, parens
from ..reporting.patrol_report import (
    MonthAssessment,
    MonthlyReport,
    WeeklyReport,
    kpi_threshold_text,
    kpi_value_text,
    month_title,
    monthly_summary,
    verdict_text,
    week_title,
    weekly_summary,
)
from .report_data import ReportLayers
from .report_layouts import (
    add_footers,
    cell,
    drop_empty_pages,
    item,
    last_page,
    load_template,
    set_legend,
    set_map,
    set_picture,
    set_scalebar,
    set_table,
    set_text,
    start_on_page,
)

_CTX = "Reports"
RESP_ROWS = 12  # rows of failing responsibility grids on the first page
OFF_ROUTE_ALERT = 0.25  # a collector this much off route is shown in red


def _pct(value: float | None) -> str:
    """A share as a percentage: "12.5 %" in English, "12.5%" in Chinese."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}" + ("%" if chinese() else " %")


def wrap_name(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` columns (a Chinese character takes
    two): layout tables break lines only at spaces, and contractors' names have none."""
    lines, line, used = [], "", 0
    for ch in text:
        w = 2 if ord(ch) > 0x2E7F else 1
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + w
    return "\n".join([*lines, line])


def _subtitle(place: str, today: date | None = None) -> str:
    today = today or date.today()
    generated = tr(_CTX, "generated on {0}").format(today.isoformat())
    return " · ".join(p for p in (place, generated) if p)


def _charts_note(charts: dict[str, Path | None], notes: list[str]) -> str:
    return " ".join(notes) if any(v is None for v in charts.values()) else ""


# -- weekly --------------------------------------------------------------------------------


def weekly_layout(project: QgsProject, report: WeeklyReport, layers: ReportLayers,
                  charts: dict[str, Path | None]) -> QgsPrintLayout:  # fmt: skip
    """The weekly patrol report: summary and overview map, failing responsibility grids,
    charts, the collectors and the failing unit grids."""
    title = week_title(report.week, report.dates)
    layout = load_template(project, "weekly_patrol", title)
    set_text(layout, "title", title)
    set_text(layout, "subtitle", _subtitle(report.place))
    set_text(layout, "summary", weekly_summary(report))
    _weekly_map(layout, layers)
    _resp_table(layout, report)
    set_text(layout, "heading_charts", tr(_CTX, "Reports"))
    for key in ("hourly", "trend", "collectors"):
        set_picture(layout, f"chart_{key}", charts.get(key))
    set_text(layout, "chart_note", _charts_note(charts, report.notes))
    set_text(layout, "heading_collectors", tr(_CTX, "Collectors: patrol and reports"))
    collectors = _collector_table(layout, report)
    set_text(layout, "heading_failing", tr(_CTX, "Unit grids failing the weekly rule"))
    start_on_page(layout, "heading_failing", last_page(collectors) + 1)
    start_on_page(layout, "table_failing", last_page(collectors) + 1)
    _failing_table(layout, report)
    drop_empty_pages(layout)
    add_footers(layout, title)
    return layout


def _weekly_map(layout: QgsPrintLayout, layers: ReportLayers) -> None:
    base = layers.base
    shown = [
        layers.coverage_gaps, layers.failing_grids, layers.failing_resp, base.get("roads_thin"),
        base.get("admin_street"), base.get("admin_district"),
    ]  # fmt: skip
    district = base.get("admin_district")
    extent = district.extent() if district is not None else None
    if extent is None or extent.isEmpty():
        extent = layers.grid_coverage.extent() if layers.grid_coverage else QgsRectangle()
    set_map(layout, "map_overview", shown, extent, margin=0.02)
    legend_layers = [layers.coverage_gaps, layers.failing_grids, layers.failing_resp,
                     base.get("roads_thin")]  # fmt: skip
    set_legend(layout, legend_layers, tr(_CTX, "Legend"), "map_overview")
    set_scalebar(layout, "map_overview", kilometres=True)
    item(layout, "north").setLinkedMap(item(layout, "map_overview"))


def _resp_table(layout: QgsPrintLayout, report: WeeklyReport) -> None:
    set_text(layout, "heading_resp", tr(_CTX, "Responsibility grids failing the weekly rule"))
    failing = sorted(report.resp_failing, key=lambda r: (r.coverage or 0.0, r.code))
    rows = [
        [cell(r.code), cell(r.name), cell(f"{r.grids_failed} / {r.grids}", alert=True),
         cell(_pct(r.coverage), align_right=True), cell(r.collectors)]
        for r in failing[:RESP_ROWS]
    ]  # fmt: skip
    headers = [
        tr(_CTX, "Responsibility grid"),
        tr(_CTX, "Name"),
        tr(_CTX, "Unit grids failing"),
        tr(_CTX, "Coverage"),
        tr(_CTX, "Collectors"),
    ]
    set_table(layout, "table_resp", headers, rows, (34, 40, 30, 22, 60))
    more = len(failing) - RESP_ROWS
    set_text(
        layout,
        "more_resp",
        tr(_CTX, "… and {0} more: see the atlas.").format(more) if more > 0 else "",
    )


def _collector_table(layout: QgsPrintLayout, report: WeeklyReport):
    rows = [
        [cell(c.code), cell(c.name), cell(c.resp_code),
         cell(f"{c.patrol_km:,.1f}", align_right=True),
         cell(f"{c.patrol_h:,.1f}", align_right=True),
         cell(_pct(c.off_share), alert=(c.off_share or 0) >= OFF_ROUTE_ALERT, align_right=True),
         cell(c.reports, align_right=True), cell(c.valid, align_right=True)]
        for c in report.collectors
    ]  # fmt: skip
    headers = [tr(_CTX, "Collector"), tr(_CTX, "Name"), tr(_CTX, "Responsibility grid"),
               tr(_CTX, "Patrolled (km)"), tr(_CTX, "Patrol time (h)"), tr(_CTX, "Off route"),
               tr(_CTX, "Reports"), tr(_CTX, "Valid")]  # fmt: skip
    return set_table(layout, "table_collectors", headers, rows, (20, 22, 32, 22, 22, 20, 18, 18))


def _failing_table(layout: QgsPrintLayout, report: WeeklyReport):
    rows = [
        [cell(f.code), cell(f.resp_code), cell(f.resp_name),
         cell(f"{f.road_m:,.0f}", align_right=True),
         cell(f"{f.covered_m:,.0f}", align_right=True),
         cell(_pct(f.share), alert=True, align_right=True)]
        for f in report.failing
    ]  # fmt: skip
    headers = [
        tr(_CTX, "Unit grid"),
        tr(_CTX, "Responsibility grid"),
        tr(_CTX, "Name"),
        tr(_CTX, "Main roads (m)"),
        tr(_CTX, "Patrolled (m)"),
        tr(_CTX, "Coverage"),
    ]
    return set_table(layout, "table_failing", headers, rows, (36, 34, 40, 26, 26, 22))


# -- monthly -------------------------------------------------------------------------------


def assessment_text(a: MonthAssessment | None) -> str:
    """The 考核 paragraph of the first page: the contractors' scores and payment, or why the
    month is not scored."""
    if a is None:
        return tr(_CTX, "This report was made without the assessment of the month.")
    if a.error:
        return tr(
            _CTX,
            "The assessment of the month could not be computed: {0} The other figures of the "
            "report are complete.",
        ).format(a.error.rstrip(".。") + ("。" if chinese() else "."))
    lines = [
        tr(
            _CTX,
            "Scored with the contract profile {0}: each collector starts from {1:g} points, "
            "less the deductions; a contractor's score is its collectors' mean less its own "
            "deductions and decides the share of the monthly fee paid. Every collector's score "
            "is on page 3.",
        ).format(a.profile or "—", a.base_score)
    ]
    for p in a.payments:
        lines.append(
            tr(
                _CTX,
                "{0}: score {1:.1f}, {2} of the monthly fee: {3:,.2f} payable, {4:,.2f} withheld.",
            ).format(p.contractor, p.score, _pct(p.pay_share), p.payable, p.withheld)
        )
    return "\n".join(lines)


def _payment_table(layout: QgsPrintLayout, a: MonthAssessment) -> None:
    rows = [
        [cell(wrap_name(p.contractor, 26)), cell(p.collectors, align_right=True),
         cell(f"{p.collector_mean:.1f}", align_right=True),
         cell(f"{p.deductions:.1f}", align_right=True),
         cell(f"{p.score:.1f}", align_right=True),
         cell(_pct(p.pay_share), alert=p.pay_share < 1, align_right=True),
         cell(f"{p.fee:,.2f}", align_right=True), cell(f"{p.payable:,.2f}", align_right=True),
         cell(f"{p.withheld:,.2f}", alert=p.withheld > 0, align_right=True)]
        for p in a.payments
    ]  # fmt: skip
    headers = [tr("Kpi", "Contractor"), tr("Kpi", "Collectors"), tr("Kpi", "Mean collector score"),
               tr("Kpi", "Contractor deductions"), tr("Kpi", "Score"), tr("Kpi", "Share paid"),
               tr("Kpi", "Monthly fee"), tr("Kpi", "Payable"), tr("Kpi", "Withheld")]  # fmt: skip
    set_table(layout, "table_payment", headers, rows, (40, 14, 22, 20, 12, 14, 22, 22, 18))


def _score_table(layout: QgsPrintLayout, a: MonthAssessment):
    rows = [
        [cell(s.collector), cell(s.name), cell(s.wrong, align_right=True),
         cell(s.missed, align_right=True), cell(s.late_tasks, align_right=True),
         cell(s.deviation_days, align_right=True), cell(s.absent_days, align_right=True),
         cell(f"{s.deductions:.1f}", align_right=True),
         cell(f"{s.score:.1f}", align_right=True)]
        for s in a.scores
    ]  # fmt: skip
    headers = [tr("Kpi", "Collector"), tr("Kpi", "Name"), tr("Kpi", "Wrong reports (错报)"),
               tr("Kpi", "Confirmed missed (漏报)"), tr("Kpi", "Late tasks"),
               tr("Kpi", "Days off route"), tr("Kpi", "Absent days"), tr("Kpi", "Deductions"),
               tr("Kpi", "Score")]  # fmt: skip
    return set_table(layout, "table_scores", headers, rows, (20, 24, 24, 26, 18, 20, 18, 20, 16))


def _assessment_pages(layout: QgsPrintLayout, a: MonthAssessment | None) -> int:
    """Page 3: the payment and every collector's score; the page the collectors start on."""
    set_text(layout, "heading_assessment", tr(_CTX, "Assessment (考核)"))
    set_text(layout, "assessment", assessment_text(a))
    parts = ("heading_payment", "table_payment", "heading_scores", "table_scores")
    if a is None or a.error:
        for part in parts:
            item(layout, part).setVisibility(False)
        return 2
    set_text(layout, "heading_payment", tr(_CTX, "Assessment: contractors and payment"))
    _payment_table(layout, a)
    set_text(layout, "heading_scores", tr(_CTX, "Assessment: collectors' scores"))
    return last_page(_score_table(layout, a)) + 1


def monthly_layout(project: QgsProject, report: MonthlyReport,
                   charts: dict[str, Path | None]) -> QgsPrintLayout:  # fmt: skip
    title = month_title(report.month)
    layout = load_template(project, "monthly_kpi", title)
    set_text(layout, "title", title)
    set_text(layout, "subtitle", _subtitle(report.place))
    set_text(layout, "summary", monthly_summary(report))
    set_text(layout, "heading_kpis", tr(_CTX, "Contract figures"))
    rows = [
        [cell(k.name), cell(kpi_value_text(k), align_right=True),
         cell(kpi_threshold_text(k), align_right=True),
         cell(verdict_text(k.passed), alert=k.passed is False), cell(k.comment)]
        for k in report.kpis
    ]  # fmt: skip
    headers = [tr(_CTX, "Figure"), tr(_CTX, "Value"), tr(_CTX, "Required"),
               tr(_CTX, "Verdict"), tr(_CTX, "How it is counted")]  # fmt: skip
    set_table(layout, "table_kpis", headers, rows, (38, 20, 20, 16, 92))
    collectors_page = _assessment_pages(layout, report.assessment)
    set_text(layout, "heading_charts", tr(_CTX, "Reports"))
    for key in ("trend", "collectors", "hourly"):
        set_picture(layout, f"chart_{key}", charts.get(key))
    set_text(layout, "chart_note", _charts_note(charts, report.notes))
    set_text(layout, "heading_collectors", tr(_CTX, "Collectors"))
    start_on_page(layout, "heading_collectors", collectors_page)
    start_on_page(layout, "table_collectors", collectors_page)
    rows = [
        [cell(c.code), cell(c.name), cell(c.resp_code), cell(c.reports, align_right=True),
         cell(c.valid, align_right=True),
         cell(_pct(c.valid / c.reports if c.reports else None), align_right=True),
         cell(c.active_days, align_right=True),
         cell(f"{c.valid / c.active_days:.1f}" if c.active_days else "—", align_right=True)]
        for c in report.collectors
    ]  # fmt: skip
    headers = [tr(_CTX, "Collector"), tr(_CTX, "Name"), tr(_CTX, "Responsibility grid"),
               tr(_CTX, "Reports"), tr(_CTX, "Valid"), tr(_CTX, "Valid rate"),
               tr(_CTX, "Active days"), tr(_CTX, "Valid per active day")]  # fmt: skip
    set_table(layout, "table_collectors", headers, rows, (20, 24, 34, 18, 18, 20, 20, 32))
    drop_empty_pages(layout)
    add_footers(layout, title)
    return layout


# -- atlas ---------------------------------------------------------------------------------


def atlas_layout(project: QgsProject, report: WeeklyReport, layers: ReportLayers) -> QgsPrintLayout:
    """One page per responsibility grid: its map with the failing stretches, an overview,
    its figures, its collectors, legend, scale bar, north arrow and date."""
    name = tr(_CTX, "Responsibility grid atlas {0}").format(report.week)
    layout = load_template(project, "grid_atlas", name)
    coverage = layers.resp_grid_coverage
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"code"')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"code"')
    set_text(
        layout, "title", tr(_CTX, "Responsibility grid") + ' [% "name" %]' + parens('[% "code" %]')
    )
    set_text(layout, "date", " · ".join([
        tr(_CTX, "Week {0}").format(report.week) + parens(report.dates),
        tr(_CTX, "generated on {0}").format(date.today().isoformat())]))  # fmt: skip
    set_text(layout, "figures", _atlas_figures())
    _atlas_maps(layout, layers)
    _atlas_collectors(layout, layers)
    return layout


def _atlas_figures() -> str:
    lines = [
        labelled(tr(_CTX, "Unit grids"), '[% "grids" %]'),
        labelled(tr(_CTX, "Failing the weekly rule"), '[% "grids_failed" %]'),
        labelled(tr(_CTX, "Main roads (km)"), "[% format_number(\"road_m\" / 1000, 2) %]"),
        labelled(tr(_CTX, "Patrolled"),
                 "[% CASE WHEN \"coverage\" IS NULL THEN '—' "
                 "ELSE format_number(\"coverage\" * 100, 1) || ' %' END %]"),
        labelled(tr(_CTX, "Collectors"), '[% "collectors" %]'),
    ]  # fmt: skip
    return "\n".join(lines)


def _atlas_maps(layout: QgsPrintLayout, layers: ReportLayers) -> None:
    base = layers.base
    shown = [
        layers.coverage_gaps, base.get("patrol_routes"), base.get("roads_thin"),
        layers.resp_grid_coverage, layers.grid_coverage,
    ]  # fmt: skip
    main: QgsLayoutItemMap = set_map(layout, "map", shown, None)
    main.setAtlasDriven(True)
    main.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    main.setAtlasMargin(0.12)
    district = base.get("admin_district")
    context = [layers.failing_resp, base.get("admin_street"), district]
    extent = district.extent() if district is not None else layers.resp_grid_coverage.extent()
    overview: QgsLayoutItemMap = set_map(layout, "overview", context, extent, margin=0.02)
    frame = QgsLayoutItemMapOverview("where", overview)
    frame.setLinkedMap(main)
    overview.overviews().addOverview(frame)
    legend_layers = [layers.coverage_gaps, layers.grid_coverage, layers.resp_grid_coverage,
                     base.get("roads_thin"), base.get("patrol_routes")]  # fmt: skip
    set_legend(layout, legend_layers, tr(_CTX, "Legend"), "map")
    set_scalebar(layout, "map", kilometres=False)
    item(layout, "north").setLinkedMap(main)


def _atlas_collectors(layout: QgsPrintLayout, layers: ReportLayers) -> None:
    from qgis.core import QgsLayoutTableColumn

    set_text(layout, "heading_collectors", tr(_CTX, "Collectors"))
    table = item(layout, "table_collectors").multiFrame()
    table.setVectorLayer(layers.collectors)
    table.setFilterFeatures(True)
    table.setFeatureFilter("\"resp_code\" = attribute(@atlas_feature, 'code')")
    columns = []
    for heading, expression, width in (
        (tr(_CTX, "Collector"), "\"name\" || ' ' || \"code\"", 22),
        (tr(_CTX, "km"), 'format_number("patrol_km", 1)', 10),
        (tr(_CTX, "Off route"),
         "CASE WHEN \"off_share\" IS NULL THEN '—' "
         "ELSE format_number(\"off_share\" * 100, 1) || ' %' END", 14),
        (tr(_CTX, "Reports"), '"reports"', 10),
        (tr(_CTX, "Valid"), '"valid"', 9),
    ):  # fmt: skip
        column = QgsLayoutTableColumn(heading)
        column.setAttribute(expression)
        column.setWidth(width)
        columns.append(column)
    table.setColumns(columns)
    table.refreshAttributes()
