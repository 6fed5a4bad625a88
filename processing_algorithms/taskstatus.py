"""``citymgmt:taskstatus``: the 核实/核查 tasks of a period with state, lateness and outcome."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDateTime, QVariant

from citymgmt_plugin.core.cases.codes import Outcome, TaskKind, label
from citymgmt_plugin.core.cases.figures import Figures, Rate, TaskFact, compute, in_period

from .base import CityMgmtAlgorithm
from .params import sink
from .writers import make_fields, write_features

KINDS = ("all", "verify", "check")


def _qdt(value: datetime | None) -> QDateTime | None:
    if value is None:
        return None
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()))


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


class TaskStatusAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "taskstatus"
    ALG_NAME = "Verification and check tasks"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "The 核实 (verify) and 核查 (check) tasks of a workspace that are due in a period (from "
        "the period start up to, not including, its end; without them: all), one point per "
        "task at its case, with its state, whether it was done on time, late, is overdue or "
        "not due yet (pending), the hours past its deadline (negative: in time) and the "
        "outcome.\n\n"
        "The on-time rates (optional) give per collector, responsibility grid and district "
        "and kind: on time / (on time + late + overdue); cancelled and pending tasks do not "
        "count. The median hours from task to result are given too. The district's on-time "
        "rates of verification and of checks are also returned as numbers (empty without "
        "tasks)."
    )

    OUTPUT_STYLES = {"OUTPUT": "tasks", "RATES": "task_rates"}  # rates: a table, no style

    WORKSPACE = "WORKSPACE"
    KIND = "KIND"
    RATES = "RATES"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            QgsProcessingParameterString(
                self.WORKSPACE, self.tr("Workspace (.gpkg, postgresql:// URL or service=NAME)")
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
        self.addParameter(
            QgsProcessingParameterEnum(
                self.KIND,
                self.tr("Tasks"),
                options=[self.tr("All"), self.tr("Verify (核实)"), self.tr("Check (核查)")],
                defaultValue=0,
            )
        )
        self.addParameter(sink(self.OUTPUT, self.tr("Tasks"), QgsProcessing.TypeVectorPoint))
        self.addParameter(
            sink(self.RATES, self.tr("On-time rates"), QgsProcessing.TypeVector, optional=True)
        )
        self.add_number_outputs(
            ("VERIFY_ON_TIME_RATE", self.tr("On-time rate of verification")),
            ("CHECK_ON_TIME_RATE", self.tr("On-time rate of checks")),
            ("OVERDUE", self.tr("Tasks overdue")),
        )

    def _when(self, parameters: dict[str, Any], name: str, context: Any) -> datetime | None:
        t = self.epoch(parameters, name, context)
        return None if t is None else datetime.fromtimestamp(t, tz=timezone.utc)

    def processAlgorithm(self, parameters: Any, context: Any, feedback: Any) -> dict:
        from citymgmt_plugin.core.cases.figures import read_facts
        from citymgmt_plugin.core.workspace.store import Workspace, WorkspaceError

        spec = self.parameterAsString(parameters, self.WORKSPACE, context).strip()
        try:
            ws = Workspace.open(spec)
        except WorkspaceError as exc:
            raise QgsProcessingException(str(exc)) from exc
        try:
            facts, srid = read_facts(ws), ws.srid
        finally:
            ws.close()
        kind = KINDS[self.parameterAsEnum(parameters, self.KIND, context)]
        if kind != "all":
            facts = [f for f in facts if f.kind == kind]
        start, end = (
            self._when(parameters, self.START, context),
            self._when(parameters, self.END, context),
        )
        figures = compute(facts, start, end)
        crs = QgsCoordinateReferenceSystem(f"EPSG:{srid}")
        dest = self._write_tasks(parameters, context, in_period(facts, start, end), figures, crs)
        results: dict[str, Any] = {self.OUTPUT: dest}
        rates_dest = self._write_rates(parameters, context, figures, crs)
        if rates_dest is not None:
            results[self.RATES] = rates_dest
        for task_kind, key in (
            (TaskKind.VERIFY, "VERIFY_ON_TIME_RATE"),
            (TaskKind.CHECK, "CHECK_ON_TIME_RATE"),
        ):
            rate = figures.district(task_kind)
            results[key] = rate.rate if rate is not None else None
        results["OVERDUE"] = len(figures.overdue)
        feedback.pushInfo(
            self.tr("{0} tasks, {1} overdue").format(
                len(in_period(facts, start, end)), len(figures.overdue)
            )
        )
        return results

    def _write_tasks(
        self,
        parameters: Any,
        context: Any,
        facts: list[TaskFact],
        figures: Figures,
        crs: QgsCoordinateReferenceSystem,
    ) -> str:
        fields = make_fields(
            [
                ("task_id", QVariant.Int),
                ("case_no", QVariant.String),
                ("channel", QVariant.String),
                ("case_kind", QVariant.String),
                ("class_code", QVariant.String),
                ("kind", QVariant.String),
                ("kind_label", QVariant.String),
                ("state", QVariant.String),
                ("status", QVariant.String),
                ("hours_late", QVariant.Double),
                ("created_at", QVariant.DateTime),
                ("due_at", QVariant.DateTime),
                ("result_at", QVariant.DateTime),
                ("outcome", QVariant.String),
                ("outcome_label", QVariant.String),
                ("collector", QVariant.String),
                ("grid", QVariant.String),
            ]
        )
        out, dest = self.sink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point, crs)
        now = figures.now

        def rows():
            for f in facts:
                status = f.status(now)
                late = None if status in ("pending", "cancelled") else _num(f.hours_late(now))
                geom = QgsGeometry.fromPointXY(QgsPointXY(f.x, f.y)) if f.x is not None else None
                yield (
                    [
                        f.task_id,
                        f.case_no,
                        f.channel,
                        f.case_kind,
                        f.class_code,
                        f.kind,
                        label(TaskKind(f.kind)),
                        f.state,
                        status,
                        late,
                        _qdt(f.created_at),
                        _qdt(f.due_at),
                        _qdt(f.result_at),
                        f.outcome,
                        label(Outcome(f.outcome)) if f.outcome else None,
                        f.collector,
                        f.grid,
                    ],
                    geom,
                )

        write_features(out, fields, rows())
        return dest

    def _write_rates(
        self, parameters: Any, context: Any, figures: Figures, crs: QgsCoordinateReferenceSystem
    ) -> str | None:
        fields = make_fields(
            [
                ("level", QVariant.String),
                ("group", QVariant.String),
                ("kind", QVariant.String),
                ("on_time", QVariant.Int),
                ("late", QVariant.Int),
                ("overdue", QVariant.Int),
                ("pending", QVariant.Int),
                ("on_time_rate", QVariant.Double),
                ("median_hours", QVariant.Double),
            ]
        )
        out, dest = self.sink(
            parameters, self.RATES, context, fields, QgsWkbTypes.NoGeometry, crs, required=False
        )
        if out is None:
            return None
        levels: list[tuple[str, list[Rate]]] = [
            ("collector", figures.by_collector),
            ("grid", figures.by_grid),
            ("district", figures.by_district),
        ]
        write_features(
            out,
            fields,
            (
                (
                    [
                        level,
                        r.group,
                        r.kind,
                        r.on_time,
                        r.late,
                        r.overdue,
                        r.pending,
                        _num(r.rate, 4),
                        _num(r.median_hours),
                    ],
                    None,
                )
                for level, rates in levels
                for r in rates
            ),
        )
        return dest
