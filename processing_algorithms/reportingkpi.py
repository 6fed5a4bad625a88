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
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.labels import labelled
from citymgmt_plugin.core.reporting.kpi import compute_kpis, kpi_names
from citymgmt_plugin.core.reporting.reports import NULL_TIME, Reports, assign_to_grids
from citymgmt_plugin.core.reporting.results import HOUR_BUCKETS, KpiResult, KpiRow, Thresholds

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
    text_values,
    truthy_values,
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
        "The figures the contract pays by, from the submissions (reports) of a period: "
        "overall, per unit grid and per collector, each compared with its threshold.\n\n"
        "A report belongs to the period when its time (local time, Asia/Shanghai) is not "
        "before the period start and before the period end; without them, the period is the "
        "local days the valid reports span. A report is valid unless its state is one of the "
        "states that make a report invalid (by default 'rejected', 'quarantined' and "
        "'duplicate').\n"
        "- Valid reports: at least the larger of the yearly target / 365 and 12 × the monthly "
        "target / 365, times the days of the period (by default 150,000 a year and 10,000 a "
        "month).\n"
        "- Valid-report rate = valid reports / reports, at least 90 %. Component problem "
        "share = valid component reports / valid reports, at least 20 %. Closure rate = "
        "closed valid reports / valid reports, at least 90 %, worked out only when a closure "
        "field is given (true, non-zero, a date, 'closed' or '结案' count as closed).\n"
        "- Valid reports per collector per day = valid reports / collector-days, at least 6 "
        "(Jinzhong); a collector-day is a local day on which the collector reported.\n"
        "- Balance = 1 − the Gini coefficient of the counts (1: perfectly even; the least "
        "possible value is 1/n for n groups). Area balance: valid reports per grid, over all "
        "grids. Time-of-day balance: valid reports per local hour of the working day (by "
        "default 08:00–18:00). Category balance (for information only): valid reports per "
        "major class. The contract asks for balance without a figure: the default threshold "
        "0.5 is a local choice.\n\n"
        "Outputs: the KPIs (one row per figure, with its value, its threshold and whether it "
        "passed); the KPIs per grid: reports, valid reports per major class (columns "
        "'comp_01'… for components, 'event_01'… for events), valid-report rate, component "
        "problem share and whether the grid passed; the KPIs per collector: reports, valid "
        "reports, valid reports per day worked and per day of the period, reports in each "
        "4-hour part of the day and whether the collector passed; and the reports per hour of "
        "day."
    )

    # TIME_FIELD, COLLECTOR_FIELD, GRIDS, GRID_CODE_FIELD, START, END: see CityMgmtAlgorithm
    SUBMISSIONS = "SUBMISSIONS"
    KIND_FIELD = "KIND_FIELD"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    STATE_FIELD = "STATE_FIELD"
    INVALID_STATES = "INVALID_STATES"
    CLOSURE_FIELD = "CLOSURE_FIELD"
    ANNUAL_TARGET = "ANNUAL_TARGET"
    MONTHLY_TARGET = "MONTHLY_TARGET"
    MIN_COMPONENT_SHARE = "MIN_COMPONENT_SHARE"
    MIN_VALID_RATE = "MIN_VALID_RATE"
    MIN_CLOSURE_RATE = "MIN_CLOSURE_RATE"
    MIN_PER_COLLECTOR_DAY = "MIN_PER_COLLECTOR_DAY"
    MIN_BALANCE = "MIN_BALANCE"
    WORK_START_HOUR = "WORK_START_HOUR"
    WORK_END_HOUR = "WORK_END_HOUR"
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
        self._add_thresholds()
        self._add_outputs()

    def _add_report_fields(self) -> None:
        """The submission fields (optional, with the workspace column name as default, see
        params.field) and the invalid states."""
        for name, label, default in (
            (self.TIME_FIELD, self.tr("Time field"), "observed_at"),
            (self.COLLECTOR_FIELD, self.tr("Collector field"), "collector_code"),
            (self.KIND_FIELD, self.tr("Kind field (component / event)"), "kind"),
            (self.CATEGORY_FIELD, self.tr("Category code field"), "category_code"),
            (self.STATE_FIELD, self.tr("State field"), "state"),
            (self.CLOSURE_FIELD, self.tr("Closure field (closed when true)"), None),
        ):
            self.addParameter(field(name, label, self.SUBMISSIONS, default, optional=True))
        self.addParameter(
            QgsProcessingParameterString(
                self.INVALID_STATES,
                self.tr("States that make a report invalid (comma-separated)"),
                defaultValue="rejected,quarantined,duplicate",
            )
        )

    def _add_thresholds(self) -> None:
        """The contract figures (defaults from core's Thresholds) and the working day."""
        th = Thresholds()
        targets = (
            (self.ANNUAL_TARGET, self.tr("Valid reports a year"), th.annual_valid),
            (self.MONTHLY_TARGET, self.tr("Valid reports a month"), th.monthly_valid),
        )
        for name, label, default in targets:
            self.addParameter(number(name, label, default, 0, None, integer=True))
        minima = (
            (self.MIN_COMPONENT_SHARE, self.tr("Minimum component share (0-1)"), 1.0),
            (self.MIN_VALID_RATE, self.tr("Minimum valid-report rate (0-1)"), 1.0),
            (self.MIN_CLOSURE_RATE, self.tr("Minimum closure rate (0-1)"), 1.0),
            (
                self.MIN_PER_COLLECTOR_DAY,
                self.tr("Minimum valid reports per collector per day"),
                None,
            ),
            (self.MIN_BALANCE, self.tr("Minimum balance (1 − Gini, 0-1)"), 1.0),
        )
        defaults = (
            th.component_share, th.valid_rate, th.closure_rate, th.per_collector_day, th.balance
        )  # fmt: skip
        for (name, label, maximum), default in zip(minima, defaults):
            self.addParameter(number(name, label, default, 0, maximum))
        for name, label, default in (
            (self.WORK_START_HOUR, self.tr("Working day starts at hour"), th.work_start_hour),
            (self.WORK_END_HOUR, self.tr("Working day ends at hour"), th.work_end_hour),
        ):
            self.addParameter(number(name, label, default, 0, 24, integer=True, advanced=True))

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
        invalid_states = self._invalid_states(parameters, context)
        th = self._thresholds(parameters, context)
        grids = self._read_grids(parameters, context, feedback, subs)
        feedback.setProgress(10)
        if feedback.isCanceled():
            return self.cancelled(feedback)
        reports = self._read_reports(parameters, context, feedback, subs, fields, grids)
        if reports is None:
            return self.cancelled(feedback)
        feedback.setProgress(70)
        try:
            result = compute_kpis(reports, start, end, th, grids.codes, invalid_states)
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
    ) -> _ReportFields:
        """The submission fields, checked against the layer. Without a state field every
        report is valid; "state" is used when the layer has it."""
        state = field_name(self, parameters, self.STATE_FIELD, context)
        if not state and subs.fields().lookupField("state") >= 0:
            state = "state"
        fields = _ReportFields(
            time=field_name(self, parameters, self.TIME_FIELD, context, "observed_at"),
            collector=field_name(self, parameters, self.COLLECTOR_FIELD, context, "collector_code"),
            kind=field_name(self, parameters, self.KIND_FIELD, context, "kind"),
            category=field_name(self, parameters, self.CATEGORY_FIELD, context, "category_code"),
            state=state,
            closed=field_name(self, parameters, self.CLOSURE_FIELD, context),
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

    def _invalid_states(self, parameters: dict[str, Any], context: QgsProcessingContext) -> list:
        text = self.parameterAsString(parameters, self.INVALID_STATES, context)
        return [s.strip() for s in text.split(",") if s.strip()]

    def _thresholds(self, parameters: dict[str, Any], context: QgsProcessingContext) -> Thresholds:
        def number(name: str) -> float:
            return self.parameterAsDouble(parameters, name, context)

        th = Thresholds(
            annual_valid=number(self.ANNUAL_TARGET),
            monthly_valid=number(self.MONTHLY_TARGET),
            component_share=number(self.MIN_COMPONENT_SHARE),
            valid_rate=number(self.MIN_VALID_RATE),
            closure_rate=number(self.MIN_CLOSURE_RATE),
            per_collector_day=number(self.MIN_PER_COLLECTOR_DAY),
            balance=number(self.MIN_BALANCE),
            work_start_hour=self.parameterAsInt(parameters, self.WORK_START_HOUR, context),
            work_end_hour=self.parameterAsInt(parameters, self.WORK_END_HOUR, context),
        )
        if th.work_end_hour <= th.work_start_hour:
            raise QgsProcessingException(
                self.tr("The working day must end after it starts (hours 0-24).")
            )
        return th

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
        fields: _ReportFields,
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
        a = cols.attrs
        times = np.asarray(a[fields.time], dtype=np.int64)
        layer = self.parameterAsVectorLayer(parameters, self.SUBMISSIONS, context)
        shift = gpkg_time_shift(layer, fields.time, LOCAL_OFFSET_S)
        if shift:
            times = np.where(times == NULL_TIME, NULL_TIME, times + shift)
        reports = Reports(
            time=times,
            collector=text_values(a[fields.collector]),
            kind=text_values(a[fields.kind]),
            category=text_values(a[fields.category]),
            state=text_values(a[fields.state]) if fields.state else [None] * len(cols),
            closed=truthy_values(a[fields.closed]) if fields.closed else None,
        )
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
        names = kpi_names()
        rows = []
        for row in result.overall:
            name = names.get(row.kpi, row.kpi)
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
               ("active_days", QVariant.Int), ("per_day", QVariant.Double),
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
                  row.component_share, row.active_days, row.per_day, row.per_period_day,
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
class _ReportFields:
    """The submission fields the KPIs read ('' for a field not given)."""

    time: str
    collector: str
    kind: str
    category: str
    state: str
    closed: str

    @property
    def wanted(self) -> list[str]:
        names = (self.time, self.collector, self.kind, self.category, self.state, self.closed)
        return [f for f in dict.fromkeys(names) if f]


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
