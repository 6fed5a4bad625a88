"""``citymgmt:reportingkpi``: the contract KPIs of the reports of a period."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from qgis.core import (
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
from citymgmt_plugin.core.reporting.kpi import (
    HOUR_BUCKETS,
    NULL_TIME,
    Reports,
    Thresholds,
    assign_to_grids,
    compute_kpis,
    kpi_names,
)

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

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            source(
                self.SUBMISSIONS, self.tr("Submissions (reports)"), [QgsProcessing.TypeVectorPoint]
            )
        )
        # Optional, with the workspace column name as default (see params.field).
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
        self.add_grid_parameters(optional=True)
        self.addParameter(
            QgsProcessingParameterDateTime(self.START, self.tr("Period start"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterDateTime(
                self.END, self.tr("Period end (exclusive)"), optional=True
            )
        )
        th = Thresholds()
        for name, label, default, integer, maximum in (
            (self.ANNUAL_TARGET, self.tr("Valid reports a year"), th.annual_valid, True, None),
            (self.MONTHLY_TARGET, self.tr("Valid reports a month"), th.monthly_valid, True, None),
            (
                self.MIN_COMPONENT_SHARE,
                self.tr("Minimum component share (0-1)"),
                th.component_share,
                False,
                1.0,
            ),
            (
                self.MIN_VALID_RATE,
                self.tr("Minimum valid-report rate (0-1)"),
                th.valid_rate,
                False,
                1.0,
            ),
            (
                self.MIN_CLOSURE_RATE,
                self.tr("Minimum closure rate (0-1)"),
                th.closure_rate,
                False,
                1.0,
            ),
            (
                self.MIN_PER_COLLECTOR_DAY,
                self.tr("Minimum valid reports per collector per day"),
                th.per_collector_day,
                False,
                None,
            ),
            (
                self.MIN_BALANCE,
                self.tr("Minimum balance (1 − Gini, 0-1)"),
                th.balance,
                False,
                1.0,
            ),
        ):
            self.addParameter(number(name, label, default, 0, maximum, integer=integer))
        for name, label, default in (
            (self.WORK_START_HOUR, self.tr("Working day starts at hour"), th.work_start_hour),
            (self.WORK_END_HOUR, self.tr("Working day ends at hour"), th.work_end_hour),
        ):
            self.addParameter(number(name, label, default, 0, 24, integer=True, advanced=True))
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
        start = self.epoch(parameters, self.START, context)
        end = self.epoch(parameters, self.END, context)
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
            require_source(grids, POLYGON, self.tr("unit grids"))
            f_grid = field_name(self, parameters, self.GRID_CODE_FIELD, context, "code")
            require_fields(grids, [f_grid], self.tr("unit grids"))
            dest_crs = grids.sourceCrs()
            feedback.setProgressText(self.tr("Reading grids…"))
            grid_wkb, grid_codes = self.read_coded(grids, f_grid, dest_crs, context, feedback)
        feedback.setProgress(10)
        if feedback.isCanceled():
            return self.cancelled(feedback)

        feedback.setProgressText(self.tr("Reading submissions…"))
        # through QGIS, not the GDAL Arrow path (see CityMgmtAlgorithm.read_coded)
        cols = read_columns(subs, None, wanted, dest_crs, context, feedback, time_field=f_time)
        feedback.setProgress(50)
        if feedback.isCanceled():
            return self.cancelled(feedback)
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
        fields = make_fields(
            [("kpi", QVariant.String), ("name", QVariant.String), ("value", QVariant.Double),
             ("threshold", QVariant.Double), ("passed", QVariant.Bool),
             ("comment", QVariant.String)]
        )  # fmt: skip
        sink, out[self.OUTPUT_OVERALL] = self.sink(
            parameters, self.OUTPUT_OVERALL, context, fields, QgsWkbTypes.NoGeometry, dest_crs
        )
        rows = []
        for row in result.overall:
            value, limit = _num(row.value), _num(row.threshold)
            rows.append(
                (
                    [row.kpi, names.get(row.kpi, row.kpi), value, limit, row.passed, row.comment],
                    None,
                )
            )
            value = "—" if row.value is None else f"{row.value:.4g}"
            limit = "—" if row.threshold is None else f"{row.threshold:.4g}"
            mark = {True: "✓", False: "✗", None: ""}[row.passed]
            feedback.pushInfo(labelled(names.get(row.kpi, row.kpi), f"{value} / {limit} {mark}"))
        write_features(sink, fields, rows)
        del sink

        # -- grids ------------------------------------------------------------------------------
        if grid_wkb is not None:
            fields = make_fields(
                [("grid_code", QVariant.String, 20)]
                + [(name, QVariant.Int) for name in ("reports", "valid", "component", "event")]
                + [(name, QVariant.Int) for name in result.major_columns]
                + [("valid_rate", QVariant.Double), ("comp_share", QVariant.Double),
                   ("passed", QVariant.Bool)]
            )  # fmt: skip
            sink, dest = self.sink(
                parameters, self.OUTPUT_GRIDS, context, fields, QgsWkbTypes.MultiPolygon,
                dest_crs, required=False,
            )  # fmt: skip
            if sink is not None:
                out[self.OUTPUT_GRIDS] = dest
                write_features(
                    sink,
                    fields,
                    (
                        ([row.grid_code, row.reports, row.valid, row.component, row.event,
                          *[row.majors[c] for c in result.major_columns], row.valid_rate,
                          row.component_share, row.passed],
                         None if wkb is None else wkb_geometry(wkb, multi=True))
                        for wkb, row in zip(grid_wkb, result.grids)
                    ),
                )  # fmt: skip
                del sink
        elif parameters.get(self.OUTPUT_GRIDS):
            feedback.pushInfo(self.tr("No grids layer: the per-grid output is not written."))
        feedback.setProgress(90)

        # -- collectors ---------------------------------------------------------------------------
        fields = make_fields(
            [("collector", QVariant.String)]
            + [(name, QVariant.Int) for name in ("reports", "valid", "component")]
            + [("valid_rate", QVariant.Double), ("comp_share", QVariant.Double),
               ("active_days", QVariant.Int), ("per_day", QVariant.Double),
               ("per_period_day", QVariant.Double)]
            + [(f"h{lo:02d}_{hi:02d}", QVariant.Int) for lo, hi in HOUR_BUCKETS]
            + [("passed", QVariant.Bool)]
        )  # fmt: skip
        sink, out[self.OUTPUT_COLLECTORS] = self.sink(
            parameters, self.OUTPUT_COLLECTORS, context, fields, QgsWkbTypes.NoGeometry, dest_crs
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
        del sink

        # -- hours --------------------------------------------------------------------------------
        fields = make_fields(
            [(name, QVariant.Int) for name in ("hour", "reports", "valid", "component")]
        )
        sink, dest = self.sink(
            parameters, self.OUTPUT_HOURS, context, fields, QgsWkbTypes.NoGeometry, dest_crs,
            required=False,
        )  # fmt: skip
        if sink is not None:
            out[self.OUTPUT_HOURS] = dest
            hourly = zip(result.hourly, result.hourly_valid, result.hourly_component)
            write_features(
                sink,
                fields,
                (([h, int(a), int(v), int(c)], None) for h, (a, v, c) in enumerate(hourly)),
            )
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
