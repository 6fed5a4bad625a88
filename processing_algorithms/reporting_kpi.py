"""``citymgmt:reportingkpi``: the contract KPIs of the reports of a period."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.kpi import (
    HOUR_BUCKETS,
    NULL_TIME,
    Reports,
    Thresholds,
    assign_to_grids,
    compute_kpis,
    kpi_names,
)

from .base import CityMgmtAlgorithm
from .io import field_name, geometries, gpkg_time_shift, text_values, truthy_values
from .layer_arrays import (
    LOCAL_OFFSET_S,
    points_xy,
    qdatetime_to_epoch,
    read_columns,
    require_fields,
    require_source,
)


def _num(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


# _NO_FAST_PATH: read through QGIS, not layer_arrays' GDAL Arrow path. Workspace GeoPackages
# written through SpatiaLite hold SpatiaLite geometry blobs, which GDAL 3.6's Arrow reader
# returns as nulls (OGR's normal reader understands them); grids and reports are few enough
# (10,000 / 100,000s) for QGIS's reader to take well under a second per 10,000 features.


class ReportingKpiAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "reportingkpi"
    ALG_NAME = "Reporting KPIs"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "The figures the contract pays by, from the submissions (reports) of a period: "
        "overall, per unit grid and per collector, each compared with its threshold.\n\n"
        "A report is in the period when START ≤ time < END (local time, Asia/Shanghai; "
        "without START/END: the local days the valid reports span). It is valid unless its "
        "state is one of the invalid states (default rejected, quarantined, duplicate).\n"
        "- valid_reports ≥ max(annual target / 365, 12 × monthly target / 365) × days of the "
        "period (defaults 150,000 a year, 10,000 a month).\n"
        "- valid_rate = valid / reports ≥ 90 %; component_share = valid component reports / "
        "valid reports ≥ 20 %; closure_rate = closed valid reports / valid reports ≥ 90 % "
        "(only with a closure field: true, non-zero, a date, 'closed' or '结案' count as "
        "closed).\n"
        "- reports_per_collector_day = valid reports / collector-days ≥ 6 (Jinzhong), a "
        "collector-day being a local day on which the collector reported.\n"
        "- Balance = 1 − Gini coefficient of the counts (1: perfectly even; the least "
        "possible value is 1/n for n buckets). area_balance: valid reports per grid, over all "
        "grids; time_balance: valid reports per local hour over the working hours (default "
        "08:00–18:00); category_balance (for information): valid reports per major class. "
        "The contract asks for balance without a figure: the default threshold 0.5 is a "
        "local choice.\n\n"
        "Outputs: the overall KPI table; the grids with reports, valid reports per major "
        "class (comp_01… components, event_01… events), valid rate, component share and "
        "passed; the collectors with reports, valid, per active day and per period day, "
        "reports per 4-hour bucket of the day and passed; and the 24 hourly counts."
    )

    SUBMISSIONS = "SUBMISSIONS"
    TIME_FIELD = "TIME_FIELD"
    COLLECTOR_FIELD = "COLLECTOR_FIELD"
    KIND_FIELD = "KIND_FIELD"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    STATE_FIELD = "STATE_FIELD"
    INVALID_STATES = "INVALID_STATES"
    CLOSURE_FIELD = "CLOSURE_FIELD"
    GRIDS = "GRIDS"
    GRID_CODE_FIELD = "GRID_CODE_FIELD"
    START = "START"
    END = "END"
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

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.SUBMISSIONS,
                self.tr("Submissions (reports)"),
                [QgsProcessing.TypeVectorPoint],
            )
        )
        # Optional: QGIS 3.22 refuses omitted required fields despite defaults; an omitted
        # field falls back to the workspace column name (see io.field_name).
        for name, label, default in (
            (self.TIME_FIELD, self.tr("Time field"), "observed_at"),
            (self.COLLECTOR_FIELD, self.tr("Collector field"), "collector_code"),
            (self.KIND_FIELD, self.tr("Kind field (component / event)"), "kind"),
            (self.CATEGORY_FIELD, self.tr("Category code field"), "category_code"),
            (self.STATE_FIELD, self.tr("State field"), "state"),
            (self.CLOSURE_FIELD, self.tr("Closure field (closed when true)"), None),
        ):
            self.addParameter(
                QgsProcessingParameterField(
                    name,
                    label,
                    defaultValue=default,
                    parentLayerParameterName=self.SUBMISSIONS,
                    optional=True,
                )
            )
        self.addParameter(
            QgsProcessingParameterString(
                self.INVALID_STATES,
                self.tr("States that make a report invalid (comma-separated)"),
                defaultValue="rejected,quarantined,duplicate",
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.GRIDS,
                self.tr("Unit grids"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.GRID_CODE_FIELD,
                self.tr("Grid code field"),
                defaultValue="code",
                parentLayerParameterName=self.GRIDS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterDateTime(self.START, self.tr("Period start"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterDateTime(
                self.END, self.tr("Period end (exclusive)"), optional=True
            )
        )
        th = Thresholds()
        for name, label, default, kind, maximum in (
            (
                self.ANNUAL_TARGET,
                self.tr("Valid reports a year"),
                th.annual_valid,
                QgsProcessingParameterNumber.Integer,
                None,
            ),
            (
                self.MONTHLY_TARGET,
                self.tr("Valid reports a month"),
                th.monthly_valid,
                QgsProcessingParameterNumber.Integer,
                None,
            ),
            (
                self.MIN_COMPONENT_SHARE,
                self.tr("Minimum component share (0-1)"),
                th.component_share,
                QgsProcessingParameterNumber.Double,
                1.0,
            ),
            (
                self.MIN_VALID_RATE,
                self.tr("Minimum valid-report rate (0-1)"),
                th.valid_rate,
                QgsProcessingParameterNumber.Double,
                1.0,
            ),
            (
                self.MIN_CLOSURE_RATE,
                self.tr("Minimum closure rate (0-1)"),
                th.closure_rate,
                QgsProcessingParameterNumber.Double,
                1.0,
            ),
            (
                self.MIN_PER_COLLECTOR_DAY,
                self.tr("Minimum valid reports per collector per day"),
                th.per_collector_day,
                QgsProcessingParameterNumber.Double,
                None,
            ),
            (
                self.MIN_BALANCE,
                self.tr("Minimum balance (1 − Gini, 0-1)"),
                th.balance,
                QgsProcessingParameterNumber.Double,
                1.0,
            ),
        ):
            p = QgsProcessingParameterNumber(name, label, kind, defaultValue=default, minValue=0)
            if maximum is not None:
                p.setMaximum(maximum)
            self.addParameter(p)
        for name, label, default in (
            (self.WORK_START_HOUR, self.tr("Working day starts at hour"), th.work_start_hour),
            (self.WORK_END_HOUR, self.tr("Working day ends at hour"), th.work_end_hour),
        ):
            p = QgsProcessingParameterNumber(
                name,
                label,
                QgsProcessingParameterNumber.Integer,
                defaultValue=default,
                minValue=0,
                maxValue=24,
            )
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_OVERALL, self.tr("KPIs"), QgsProcessing.TypeVector
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_GRIDS,
                self.tr("KPIs per grid"),
                QgsProcessing.TypeVectorPolygon,
                optional=True,
                createByDefault=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_COLLECTORS, self.tr("KPIs per collector"), QgsProcessing.TypeVector
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT_HOURS,
                self.tr("Reports per hour of day"),
                QgsProcessing.TypeVector,
                optional=True,
                createByDefault=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("REPORTS", self.tr("Reports")))
        self.addOutput(QgsProcessingOutputNumber("VALID_REPORTS", self.tr("Valid reports")))
        self.addOutput(QgsProcessingOutputNumber("VALID_RATE", self.tr("Valid-report rate")))
        self.addOutput(
            QgsProcessingOutputNumber("COMPONENT_SHARE", self.tr("Component problem share"))
        )
        self.addOutput(QgsProcessingOutputNumber("AREA_BALANCE", self.tr("Area balance")))
        self.addOutput(QgsProcessingOutputNumber("TIME_BALANCE", self.tr("Time-of-day balance")))
        self.addOutput(QgsProcessingOutputBoolean("PASSED", self.tr("All KPIs passed")))
        self.addOutput(
            QgsProcessingOutputString("HOURLY", self.tr("Reports per hour 0-23 (comma-separated)"))
        )

    # -- helpers -----------------------------------------------------------------------------

    def _epoch(self, parameters, name, context) -> int | None:
        if parameters.get(name) in (None, ""):
            return None
        value = self.parameterAsDateTime(parameters, name, context)
        if not value.isValid():
            return None
        t = qdatetime_to_epoch(value)
        return None if t == NULL_TIME else t

    def _sink(self, parameters, name, context, fields, wkb_type, crs, required: bool = True):
        sink, dest = self.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
        if sink is None and required:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return sink, dest

    # -- run -----------------------------------------------------------------------------------

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        subs = require_source(
            self.parameterAsSource(parameters, self.SUBMISSIONS, context),
            QgsWkbTypes.PointGeometry,
            self.tr("submissions"),
        )
        f_time = field_name(self, parameters, self.TIME_FIELD, context, "observed_at")
        f_coll = field_name(self, parameters, self.COLLECTOR_FIELD, context, "collector_code")
        f_kind = field_name(self, parameters, self.KIND_FIELD, context, "kind")
        f_cat = field_name(self, parameters, self.CATEGORY_FIELD, context, "category_code")
        # Without a state field every report is valid; "state" is used when the layer has it.
        f_state = field_name(self, parameters, self.STATE_FIELD, context)
        if not f_state and subs.fields().lookupField("state") >= 0:
            f_state = "state"
        f_closed = field_name(self, parameters, self.CLOSURE_FIELD, context)
        wanted = list(dict.fromkeys(f for f in (f_time, f_coll, f_kind, f_cat, f_state, f_closed)))
        wanted = [f for f in wanted if f]
        require_fields(subs, wanted, self.tr("submissions"))
        start = self._epoch(parameters, self.START, context)
        end = self._epoch(parameters, self.END, context)
        if start is not None and end is not None and end <= start:
            raise QgsProcessingException(self.tr("The period end must be after its start."))
        invalid_states = [
            s.strip()
            for s in self.parameterAsString(parameters, self.INVALID_STATES, context).split(",")
            if s.strip()
        ]
        th = Thresholds(
            annual_valid=self.parameterAsDouble(parameters, self.ANNUAL_TARGET, context),
            monthly_valid=self.parameterAsDouble(parameters, self.MONTHLY_TARGET, context),
            component_share=self.parameterAsDouble(parameters, self.MIN_COMPONENT_SHARE, context),
            valid_rate=self.parameterAsDouble(parameters, self.MIN_VALID_RATE, context),
            closure_rate=self.parameterAsDouble(parameters, self.MIN_CLOSURE_RATE, context),
            per_collector_day=self.parameterAsDouble(
                parameters, self.MIN_PER_COLLECTOR_DAY, context
            ),
            balance=self.parameterAsDouble(parameters, self.MIN_BALANCE, context),
            work_start_hour=self.parameterAsInt(parameters, self.WORK_START_HOUR, context),
            work_end_hour=self.parameterAsInt(parameters, self.WORK_END_HOUR, context),
        )
        if th.work_end_hour <= th.work_start_hour:
            raise QgsProcessingException(
                self.tr("The working day must end after it starts (hours 0-24).")
            )

        grids = self.parameterAsSource(parameters, self.GRIDS, context)
        grid_wkb = grid_codes = None
        dest_crs = subs.sourceCrs()
        if grids is not None:
            require_source(grids, QgsWkbTypes.PolygonGeometry, self.tr("unit grids"))
            f_grid = field_name(self, parameters, self.GRID_CODE_FIELD, context, "code")
            require_fields(grids, [f_grid], self.tr("unit grids"))
            dest_crs = grids.sourceCrs()
            feedback.setProgressText(self.tr("Reading grids…"))
            gcols = read_columns(
                grids,
                None,  # layer: see _NO_FAST_PATH
                [f_grid],
                dest_crs,
                context,
                feedback,
            )
            grid_wkb = gcols.wkb
            grid_codes = text_values(gcols.attrs[f_grid])
        feedback.setProgress(10)
        if feedback.isCanceled():
            return {}

        feedback.setProgressText(self.tr("Reading submissions…"))
        cols = read_columns(
            subs,
            None,  # layer: see _NO_FAST_PATH
            wanted,
            dest_crs,
            context,
            feedback,
            time_field=f_time,
        )
        feedback.setProgress(50)
        if feedback.isCanceled():
            return {}
        a = cols.attrs
        times = np.asarray(a[f_time], dtype=np.int64)
        shift = gpkg_time_shift(
            self.parameterAsVectorLayer(parameters, self.SUBMISSIONS, context),
            f_time,
            LOCAL_OFFSET_S,
        )
        if shift:
            times = np.where(times == NULL_TIME, NULL_TIME, times + shift)
        reports = Reports(
            time=times,
            collector=text_values(a[f_coll]),
            kind=text_values(a[f_kind]),
            category=text_values(a[f_cat]),
            state=text_values(a[f_state]) if f_state else [None] * len(cols),
            closed=truthy_values(a[f_closed]) if f_closed else None,
        )
        if grid_wkb is not None:
            feedback.setProgressText(self.tr("Assigning reports to grids…"))
            x, y = points_xy(cols.wkb)
            reports.grid = assign_to_grids(x, y, geometries(grid_wkb))
        feedback.setProgress(70)
        try:
            result = compute_kpis(reports, start, end, th, grid_codes, invalid_states)
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if result.in_period == 0:
            feedback.pushWarning(self.tr("No report falls in the period."))
        feedback.setProgress(80)

        out: dict[str, Any] = {}
        names = kpi_names()
        # -- overall -------------------------------------------------------------------------
        fields = QgsFields()
        for name, qtype in (
            ("kpi", QVariant.String),
            ("name", QVariant.String),
            ("value", QVariant.Double),
            ("threshold", QVariant.Double),
            ("passed", QVariant.Bool),
            ("comment", QVariant.String),
        ):
            fields.append(QgsField(name, qtype))
        sink, out[self.OUTPUT_OVERALL] = self._sink(
            parameters, self.OUTPUT_OVERALL, context, fields, QgsWkbTypes.NoGeometry, dest_crs
        )
        for row in result.overall:
            f = QgsFeature(fields)
            f.setAttributes(
                [
                    row.kpi,
                    names.get(row.kpi, row.kpi),
                    _num(None if row.value is None else float(row.value)),
                    _num(None if row.threshold is None else float(row.threshold)),
                    row.passed,
                    row.comment,
                ]
            )
            sink.addFeature(f, QgsFeatureSink.FastInsert)
            value = "—" if row.value is None else f"{row.value:.4g}"
            limit = "—" if row.threshold is None else f"{row.threshold:.4g}"
            mark = {True: "✓", False: "✗", None: ""}[row.passed]
            feedback.pushInfo(f"{row.kpi}: {value} / {limit} {mark}")
        del sink

        # -- grids ------------------------------------------------------------------------------
        if grid_wkb is not None:
            fields = QgsFields()
            fields.append(QgsField("grid_code", QVariant.String, len=20))
            for name in ("reports", "valid", "component", "event"):
                fields.append(QgsField(name, QVariant.Int))
            for name in result.major_columns:
                fields.append(QgsField(name, QVariant.Int))
            fields.append(QgsField("valid_rate", QVariant.Double))
            fields.append(QgsField("comp_share", QVariant.Double))
            fields.append(QgsField("passed", QVariant.Bool))
            sink, dest = self._sink(
                parameters,
                self.OUTPUT_GRIDS,
                context,
                fields,
                QgsWkbTypes.MultiPolygon,
                dest_crs,
                required=False,
            )
            if sink is not None:
                out[self.OUTPUT_GRIDS] = dest
                for wkb, row in zip(grid_wkb, result.grids):
                    f = QgsFeature(fields)
                    f.setAttributes(
                        [
                            row.grid_code,
                            row.reports,
                            row.valid,
                            row.component,
                            row.event,
                            *[row.majors[c] for c in result.major_columns],
                            row.valid_rate,
                            row.component_share,
                            row.passed,
                        ]
                    )
                    if wkb is not None:
                        g = QgsGeometry()
                        g.fromWkb(bytes(wkb))
                        g.convertToMultiType()
                        f.setGeometry(g)
                    sink.addFeature(f, QgsFeatureSink.FastInsert)
                del sink
        elif parameters.get(self.OUTPUT_GRIDS):
            feedback.pushInfo(self.tr("No grids layer: the per-grid output is not written."))
        feedback.setProgress(90)

        # -- collectors ---------------------------------------------------------------------------
        fields = QgsFields()
        fields.append(QgsField("collector", QVariant.String))
        for name in ("reports", "valid", "component"):
            fields.append(QgsField(name, QVariant.Int))
        fields.append(QgsField("valid_rate", QVariant.Double))
        fields.append(QgsField("comp_share", QVariant.Double))
        fields.append(QgsField("active_days", QVariant.Int))
        fields.append(QgsField("per_day", QVariant.Double))
        fields.append(QgsField("per_period_day", QVariant.Double))
        for lo, hi in HOUR_BUCKETS:
            fields.append(QgsField(f"h{lo:02d}_{hi:02d}", QVariant.Int))
        fields.append(QgsField("passed", QVariant.Bool))
        sink, out[self.OUTPUT_COLLECTORS] = self._sink(
            parameters, self.OUTPUT_COLLECTORS, context, fields, QgsWkbTypes.NoGeometry, dest_crs
        )
        for row in result.collectors:
            f = QgsFeature(fields)
            f.setAttributes(
                [
                    row.collector_code,
                    row.reports,
                    row.valid,
                    row.component,
                    row.valid_rate,
                    row.component_share,
                    row.active_days,
                    row.per_day,
                    row.per_period_day,
                    *row.buckets,
                    row.passed,
                ]
            )
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        del sink

        # -- hours --------------------------------------------------------------------------------
        fields = QgsFields()
        for name in ("hour", "reports", "valid", "component"):
            fields.append(QgsField(name, QVariant.Int))
        sink, dest = self._sink(
            parameters,
            self.OUTPUT_HOURS,
            context,
            fields,
            QgsWkbTypes.NoGeometry,
            dest_crs,
            required=False,
        )
        if sink is not None:
            out[self.OUTPUT_HOURS] = dest
            for h in range(24):
                f = QgsFeature(fields)
                f.setAttributes(
                    [
                        h,
                        int(result.hourly[h]),
                        int(result.hourly_valid[h]),
                        int(result.hourly_component[h]),
                    ]
                )
                sink.addFeature(f, QgsFeatureSink.FastInsert)
            del sink
        feedback.setProgress(100)

        out.update(
            {
                "REPORTS": result.in_period,
                "VALID_REPORTS": result.row("valid_reports").value,
                "VALID_RATE": result.row("valid_rate").value,
                "COMPONENT_SHARE": result.row("component_share").value,
                "AREA_BALANCE": result.row("area_balance").value,
                "TIME_BALANCE": result.row("time_balance").value,
                "PASSED": result.passed,
                "HOURLY": ",".join(str(int(v)) for v in result.hourly),
            }
        )
        return out
