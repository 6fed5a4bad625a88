"""``citymgmt:reportingkpi``: the contract KPIs of the reports of a period."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.labels import labelled
from citymgmt_plugin.core.reporting.kpi import compute_kpis, kpi_name
from citymgmt_plugin.core.reporting.reports import Reports, assign_to_grids
from citymgmt_plugin.core.reporting.results import HOUR_BUCKETS, KpiResult, KpiRow

from .base import CityMgmtAlgorithm
from .params import POINT, POLYGON, field, number, sink, source
from .readers import (
    LOCAL_OFFSET_S,
    field_name,
    geometries,
    gpkg_time_shift,
    points_xy,
    read_columns,
    require_fields,
    require_source,
)
from .reporting_inputs import (
    ReportFields,
    contract_profile,
    reports_from_columns,
    roster_from_source,
    shift_times,
)
from .writers import make_fields, wkb_geometry, write_features


def _num(value: float | None) -> float | None:
    """A KPI value for a table cell: float, or None when unknown (None or NaN)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


class ReportingKpiAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "reportingkpi"
    ALG_NAME = "Reporting KPIs"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "The figures the contract pays by, from the reports of a period, as the contracts "
        "define them: overall, per unit grid and per collector, each compared with the "
        "threshold of the contract profile (a JSON file; default the Suzhou 2021 contract, "
        "seed 000; a threshold given here overrides it).\n"
        "\n"
        "A report is in the period when its time is at or after the period start and before "
        "the period end (local time; without them: the local days the valid reports span). "
        "Valid = filed or accepted (立案; states accepted, updated): pending and sent-back "
        "reports are not valid. A problem = an event, or a component reported with a problem "
        "status (破损, 丢失; the component status field, or the workspace payload's status): "
        "census records and components checked fine are not problems. Without a kind (or a "
        "code prefix such as 部件/事件) a report is neither (event and component codes share "
        "numbers).\n"
        "- annual_valid: valid problems since the first service day, judged after the last "
        "(seed 000: 「项目服务期内有效上报事件问题总量不少于15万件」); monthly_valid: valid "
        "problems of each whole month from the second service month "
        "(「项目服务期第二个月起，每月不少于1万件」); nothing is spread over days.\n"
        "- valid_rate = valid problems / problems (「事部件问题上报有效率 =90%」); "
        "component_share = valid component problems / valid problems "
        "(「其中部件类问题占比不少于20%」); closure_rate = closed / due (已结案/应结案, seed "
        "004 「应解决问题数…已解决…解决率」): valid problems whose deadline (the deadline "
        "field) falls in the period, closed (the closure field: a flag or a time) by its end.\n"
        "- reports_per_collector_day = valid problems / scheduled days (seed 003 "
        "「每人每天6条」): from the duty roster (collector_code, day, status on_duty / absent "
        "/ leave / off; an absence counts), else every working day of the period; "
        "collectors_on_duty: the fewest on duty on a day (seed 002 「每天安排不低于53名」).\n"
        "- channel_share:…: problems per reporting channel (the channel field; seed 004 "
        "「采集人员上报…占99.21%，其他渠道上报…」).\n"
        "- Balance = 1 − Gini coefficient of the counts (1: perfectly even). area_balance: "
        "valid problems per grid; time_balance: per slot of the working time with breaks, "
        "weekends and holidays as the contract says (seed 000: 8:30–17:30, lunch 12:00–13:00, "
        "weekends and holidays worked; the working time parameter overrides the periods); "
        "outside_working_time: valid problems outside it; category_balance (for information): "
        "per major class. The contracts ask for balance without a figure: 0.5 is a local "
        "choice.\n"
        "\n"
        "Outputs: the overall KPI table; the grids with reports, valid problems per major "
        "class (comp_01… components, event_01… events), valid rate, component share and "
        "passed; the collectors with reports, valid problems, scheduled and absent days, per "
        "scheduled day and per period day, reports per 4-hour bucket and passed; and the 24 "
        "hourly counts."
    )

    # TIME_FIELD, COLLECTOR_FIELD, GRIDS, GRID_CODE_FIELD, START, END: see CityMgmtAlgorithm
    SUBMISSIONS = "SUBMISSIONS"
    KIND_FIELD = "KIND_FIELD"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    STATE_FIELD = "STATE_FIELD"
    VALID_STATES = "VALID_STATES"
    STATUS_FIELD = "STATUS_FIELD"
    CHANNEL_FIELD = "CHANNEL_FIELD"
    DUE_FIELD = "DUE_FIELD"
    CLOSURE_FIELD = "CLOSURE_FIELD"
    CONTRACT = "CONTRACT"
    ROSTER = "ROSTER"
    ANNUAL_TARGET = "ANNUAL_TARGET"
    MONTHLY_TARGET = "MONTHLY_TARGET"
    MIN_COMPONENT_SHARE = "MIN_COMPONENT_SHARE"
    MIN_VALID_RATE = "MIN_VALID_RATE"
    MIN_CLOSURE_RATE = "MIN_CLOSURE_RATE"
    MIN_PER_COLLECTOR_DAY = "MIN_PER_COLLECTOR_DAY"
    MIN_BALANCE = "MIN_BALANCE"
    WORKING_TIME = "WORKING_TIME"
    OUTPUT_OVERALL = "OUTPUT_OVERALL"
    OUTPUT_GRIDS = "OUTPUT_GRIDS"
    OUTPUT_COLLECTORS = "OUTPUT_COLLECTORS"
    OUTPUT_HOURS = "OUTPUT_HOURS"
    OUTPUT_STYLES = {
        OUTPUT_OVERALL: "kpi_overall",
        OUTPUT_GRIDS: "kpi_grids",
        OUTPUT_COLLECTORS: "kpi_collectors",
        OUTPUT_HOURS: "kpi_hours",
    }
    WORKSPACE_LAYERS = {"SUBMISSIONS": "submissions", "GRIDS": "unit_grids"}
    WORKSPACE_FIELDS = {"GRID_CODE_FIELD": "code"}

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            source(
                self.SUBMISSIONS, self.tr("Submissions (reports)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self._add_report_fields()
        self.add_grid_parameters(optional=True)
        self.addParameter(
            QgsProcessingParameterDateTime(self.START, self.tr("Period start"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterDateTime(
                self.END, self.tr("Period end (exclusive)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.CONTRACT, self.tr("Contract profile (JSON)"), extension="json", optional=True
            )
        )
        self.addParameter(
            source(
                self.ROSTER,
                self.tr("Duty roster (collector_code, day, status)"),
                [QgsProcessing.TypeVector],
                optional=True,
            )
        )
        self._add_thresholds()
        self._add_outputs()

    def _add_report_fields(self) -> None:
        """The report fields (optional, with the workspace column name as default, see
        params.field) and the valid states."""
        for name, label, default in (
            (self.TIME_FIELD, self.tr("Time field"), "observed_at"),
            (self.COLLECTOR_FIELD, self.tr("Collector field"), "collector_code"),
            (self.KIND_FIELD, self.tr("Kind field (component / event)"), "kind"),
            (self.CATEGORY_FIELD, self.tr("Category code field"), "category_code"),
            (self.STATE_FIELD, self.tr("State field"), "state"),
            (self.STATUS_FIELD, self.tr("Component status field (破损, 丢失 …)"), None),
            (self.CHANNEL_FIELD, self.tr("Reporting channel field"), None),
            (self.DUE_FIELD, self.tr("Deadline field (closure due)"), None),
            (self.CLOSURE_FIELD, self.tr("Closure field (a flag or the closing time)"), None),
        ):
            self.addParameter(field(name, label, self.SUBMISSIONS, default, optional=True))
        self.addParameter(
            QgsProcessingParameterString(
                self.VALID_STATES,
                self.tr("States of a valid (filed or accepted) report, comma-separated"),
                defaultValue="accepted,updated",
            )
        )

    def _add_thresholds(self) -> None:
        """Thresholds over the contract profile's (empty: the profile's figure) and the
        working time."""
        for name, label in (
            (self.ANNUAL_TARGET, self.tr("Valid problem reports a year (empty: contract)")),
            (self.MONTHLY_TARGET, self.tr("Valid problem reports a month (empty: contract)")),
        ):
            self.addParameter(number(name, label, None, 0, None, integer=True, optional=True))
        for name, label, maximum in (
            (self.MIN_COMPONENT_SHARE, self.tr("Minimum component share (0-1)"), 1.0),
            (self.MIN_VALID_RATE, self.tr("Minimum valid-report rate (0-1)"), 1.0),
            (self.MIN_CLOSURE_RATE, self.tr("Minimum closure rate (0-1)"), 1.0),
            (
                self.MIN_PER_COLLECTOR_DAY,
                self.tr("Minimum valid reports per collector per day"),
                None,
            ),
            (self.MIN_BALANCE, self.tr("Minimum balance (1 − Gini, 0-1)"), 1.0),
        ):
            self.addParameter(number(name, label, None, 0, maximum, optional=True))
        self.addParameter(
            QgsProcessingParameterString(
                self.WORKING_TIME,
                self.tr("Working time, e.g. 08:30-12:00,13:00-17:30 (empty: contract)"),
                optional=True,
            )
        )

    def _add_outputs(self) -> None:
        self.addParameter(sink(self.OUTPUT_OVERALL, self.tr("KPIs"), QgsProcessing.TypeVector))
        self.addParameter(
            sink(
                self.OUTPUT_GRIDS,
                self.tr("KPIs per grid"),
                QgsProcessing.TypeVectorPolygon,
                optional=True,
            )
        )
        self.addParameter(
            sink(self.OUTPUT_COLLECTORS, self.tr("KPIs per collector"), QgsProcessing.TypeVector)
        )
        self.addParameter(
            sink(
                self.OUTPUT_HOURS,
                self.tr("Reports per hour of day"),
                QgsProcessing.TypeVector,
                optional=True,
            )
        )
        self.add_number_outputs(
            ("REPORTS", self.tr("Reports")),
            ("VALID_REPORTS", self.tr("Valid reports")),
            ("VALID_RATE", self.tr("Valid-report rate")),
            ("COMPONENT_SHARE", self.tr("Component problem share")),
            ("AREA_BALANCE", self.tr("Area balance")),
            ("TIME_BALANCE", self.tr("Time-of-day balance")),
        )
        self.addOutput(QgsProcessingOutputBoolean("PASSED", self.tr("All KPIs passed")))
        self.addOutput(
            QgsProcessingOutputString("HOURLY", self.tr("Reports per hour 0-23 (comma-separated)"))
        )

    # -- run -----------------------------------------------------------------------------------

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        subs = self.source(parameters, self.SUBMISSIONS, context, POINT, self.tr("submissions"))
        fields = self._report_fields(parameters, context, subs)
        start, end = self._period(parameters, context)
        profile = contract_profile(self, parameters, context)
        roster = self._roster(parameters, context, feedback)
        grids = self._read_grids(parameters, context, feedback, subs)
        feedback.setProgress(10)
        if feedback.isCanceled():
            return self.cancelled(feedback)
        reports = self._read_reports(parameters, context, feedback, subs, fields, grids)
        if reports is None:
            return self.cancelled(feedback)
        feedback.setProgress(70)
        try:
            result = compute_kpis(reports, start, end, profile, grids.codes, roster)
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if result.in_period == 0:
            feedback.pushWarning(self.tr("No report falls in the period."))
        feedback.setProgress(80)
        out = self._write_overall(parameters, context, feedback, result, grids.crs)
        out.update(self._write_grids(parameters, context, feedback, result, grids))
        feedback.setProgress(90)
        out.update(self._write_collectors(parameters, context, result, grids.crs))
        out.update(self._write_hours(parameters, context, result, grids.crs))
        feedback.setProgress(100)
        out.update(_summary(result))
        return out

    # -- parameters ----------------------------------------------------------------------------

    def _report_fields(
        self, parameters: dict[str, Any], context: QgsProcessingContext, subs: Any
    ) -> ReportFields:
        """The report fields, checked against the layer. Without a state field every report
        is valid; "state" and "status" are used when the layer has them, else the status is
        read from a workspace's "payload"."""
        names = subs.fields().names()

        def given(name: str, usual: str = "") -> str:
            value = field_name(self, parameters, name, context)
            return value or (usual if usual in names else "")

        status = given(self.STATUS_FIELD, "status")
        fields = ReportFields(
            time=field_name(self, parameters, self.TIME_FIELD, context, "observed_at"),
            collector=field_name(self, parameters, self.COLLECTOR_FIELD, context, "collector_code"),
            kind=field_name(self, parameters, self.KIND_FIELD, context, "kind"),
            category=field_name(self, parameters, self.CATEGORY_FIELD, context, "category_code"),
            state=given(self.STATE_FIELD, "state"),
            status=status,
            channel=given(self.CHANNEL_FIELD),
            due=given(self.DUE_FIELD),
            closed=given(self.CLOSURE_FIELD),
            payload="payload" if not status and "payload" in names else "",
        )
        require_fields(subs, fields.wanted, self.tr("submissions"))
        return fields

    def _period(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[int | None, int | None]:
        start = self.epoch(parameters, self.START, context)
        end = self.epoch(parameters, self.END, context)
        if start is not None and end is not None and end <= start:
            raise QgsProcessingException(self.tr("The period end must be after its start."))
        return start, end

    def _roster(self, parameters, context, feedback):
        """The duty roster (None when not given); unreadable rows are named in the log."""
        roster, problems = roster_from_source(self, parameters, context)
        for p in problems[:20]:
            feedback.pushWarning(self.tr("Roster row {0}: {1}").format(p.line, p.reason))
        if len(problems) > 20:
            feedback.pushWarning(self.tr("… and {0} more roster rows").format(len(problems) - 20))
        return roster

    # -- reading -------------------------------------------------------------------------------

    def _read_grids(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        subs: Any,
    ) -> _Grids:
        """The optional grids (WKB and codes, in their own CRS, which the outputs then use;
        else the submissions' CRS)."""
        grids = self.parameterAsSource(parameters, self.GRIDS, context)
        if grids is None:
            return _Grids(subs.sourceCrs())
        require_source(grids, POLYGON, self.tr("unit grids"))
        f_grid = field_name(self, parameters, self.GRID_CODE_FIELD, context, "code")
        require_fields(grids, [f_grid], self.tr("unit grids"))
        crs = grids.sourceCrs()
        feedback.setProgressText(self.tr("Reading grids…"))
        wkb, codes = self.read_coded(grids, f_grid, crs, context, feedback)
        return _Grids(crs, wkb, codes)

    def _read_reports(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        subs: Any,
        fields: ReportFields,
        grids: _Grids,
    ) -> Reports | None:
        """The reports as core's columns (None when cancelled); GeoPackage times with a zone
        corrected (see readers.gpkg_time_shift); each assigned to its grid."""
        feedback.setProgressText(self.tr("Reading submissions…"))
        # through QGIS, not the GDAL Arrow path (see CityMgmtAlgorithm.read_coded)
        cols = read_columns(
            subs, None, fields.wanted, grids.crs, context, feedback, time_field=fields.time
        )
        feedback.setProgress(50)
        if feedback.isCanceled():
            return None
        layer = self.parameterAsVectorLayer(parameters, self.SUBMISSIONS, context)
        shift = gpkg_time_shift(layer, fields.time, LOCAL_OFFSET_S)
        times = shift_times(np.asarray(cols.attrs[fields.time], dtype=np.int64), shift)
        reports = reports_from_columns(cols.attrs, len(cols), fields, times)
        if grids.wkb is not None:
            feedback.setProgressText(self.tr("Assigning reports to grids…"))
            x, y = points_xy(cols.wkb)
            reports.grid = assign_to_grids(x, y, geometries(grids.wkb))
        return reports

    # -- writing -------------------------------------------------------------------------------

    def _write_overall(self, parameters, context, feedback, result, crs) -> dict[str, Any]:
        """The overall KPI table; each KPI also in the log."""
        fields = make_fields(
            [("kpi", QVariant.String), ("name", QVariant.String), ("value", QVariant.Double),
             ("threshold", QVariant.Double), ("passed", QVariant.Bool),
             ("comment", QVariant.String)]
        )  # fmt: skip
        sink, dest = self.sink(
            parameters, self.OUTPUT_OVERALL, context, fields, QgsWkbTypes.NoGeometry, crs
        )
        rows = []
        for row in result.overall:
            name = kpi_name(row.kpi)
            rows.append(([row.kpi, name, _num(row.value), _num(row.threshold), row.passed,
                          row.comment], None))  # fmt: skip
            feedback.pushInfo(labelled(name, _log_value(row)))
        write_features(sink, fields, rows)
        return {self.OUTPUT_OVERALL: dest}

    def _write_grids(self, parameters, context, feedback, result, grids) -> dict[str, Any]:
        """The per-grid table with the grid polygons (only with a grids layer)."""
        if grids.wkb is None:
            if parameters.get(self.OUTPUT_GRIDS):
                feedback.pushInfo(self.tr("No grids layer: the per-grid output is not written."))
            return {}
        fields = make_fields(
            [("grid_code", QVariant.String, 20)]
            + [(name, QVariant.Int) for name in ("reports", "valid", "component", "event")]
            + [(name, QVariant.Int) for name in result.major_columns]
            + [("valid_rate", QVariant.Double), ("comp_share", QVariant.Double),
               ("passed", QVariant.Bool)]
        )  # fmt: skip
        sink, dest = self.sink(
            parameters, self.OUTPUT_GRIDS, context, fields, QgsWkbTypes.MultiPolygon,
            grids.crs, required=False,
        )  # fmt: skip
        if sink is None:
            return {}
        write_features(
            sink,
            fields,
            (
                ([row.grid_code, row.reports, row.valid, row.component, row.event,
                  *[row.majors[c] for c in result.major_columns], row.valid_rate,
                  row.component_share, row.passed],
                 None if wkb is None else wkb_geometry(wkb, multi=True))
                for wkb, row in zip(grids.wkb, result.grids)
            ),
        )  # fmt: skip
        return {self.OUTPUT_GRIDS: dest}

    def _write_collectors(self, parameters, context, result, crs) -> dict[str, Any]:
        """The per-collector table."""
        fields = make_fields(
            [("collector", QVariant.String)]
            + [(name, QVariant.Int) for name in ("reports", "valid", "component")]
            + [("valid_rate", QVariant.Double), ("comp_share", QVariant.Double),
               ("active_days", QVariant.Int), ("scheduled_days", QVariant.Int),
               ("absent_days", QVariant.Int), ("per_day", QVariant.Double),
               ("per_period_day", QVariant.Double)]
            + [(f"h{lo:02d}_{hi:02d}", QVariant.Int) for lo, hi in HOUR_BUCKETS]
            + [("passed", QVariant.Bool)]
        )  # fmt: skip
        sink, dest = self.sink(
            parameters, self.OUTPUT_COLLECTORS, context, fields, QgsWkbTypes.NoGeometry, crs
        )
        write_features(
            sink,
            fields,
            (
                ([row.collector_code, row.reports, row.valid, row.component, row.valid_rate,
                  row.component_share, row.active_days, row.scheduled_days, row.absent_days,
                  row.per_day, row.per_period_day,
                  *row.buckets, row.passed], None)
                for row in result.collectors
            ),
        )  # fmt: skip
        return {self.OUTPUT_COLLECTORS: dest}

    def _write_hours(self, parameters, context, result, crs) -> dict[str, Any]:
        """Reports, valid and component reports per hour of day (optional)."""
        fields = make_fields(
            [(name, QVariant.Int) for name in ("hour", "reports", "valid", "component")]
        )
        sink, dest = self.sink(
            parameters, self.OUTPUT_HOURS, context, fields, QgsWkbTypes.NoGeometry, crs,
            required=False,
        )  # fmt: skip
        if sink is None:
            return {}
        hourly = zip(result.hourly, result.hourly_valid, result.hourly_component)
        write_features(
            sink,
            fields,
            (([h, int(a), int(v), int(c)], None) for h, (a, v, c) in enumerate(hourly)),
        )
        return {self.OUTPUT_HOURS: dest}


@dataclass(frozen=True)
class _Grids:
    """The grids layer as read (no WKB and no codes without one) and the output CRS."""

    crs: QgsCoordinateReferenceSystem
    wkb: np.ndarray | None = None
    codes: list[str | None] | None = None


def _log_value(row: KpiRow) -> str:
    """A KPI for the log: value / threshold and a mark when it has a verdict."""
    value = "—" if row.value is None else f"{row.value:.4g}"
    limit = "—" if row.threshold is None else f"{row.threshold:.4g}"
    mark = {True: "✓", False: "✗", None: ""}[row.passed]
    return f"{value} / {limit} {mark}"


def _summary(result: KpiResult) -> dict[str, Any]:
    """The algorithm's scalar outputs."""
    return {
        "REPORTS": result.in_period,
        "VALID_REPORTS": result.row("valid_reports").value,
        "VALID_RATE": result.row("valid_rate").value,
        "COMPONENT_SHARE": result.row("component_share").value,
        "AREA_BALANCE": result.row("area_balance").value,
        "TIME_BALANCE": result.row("time_balance").value,
        "PASSED": result.passed,
        "HOURLY": ",".join(str(int(v)) for v in result.hourly),
    }
