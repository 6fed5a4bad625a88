"""citymgmt:patrolreport — the weekly patrol report, the monthly KPI report and the
responsibility-grid atlas of a workspace, as PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputFile,
    QgsProcessingOutputFolder,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)

from citymgmt_plugin.core.qgis import checks
from citymgmt_plugin.core.qgis.patrol_reports import REPORTS, CheckLayers, write_reports
from citymgmt_plugin.core.reporting.weeks import IsoWeek, last_full_week
from citymgmt_plugin.core.workspace.store import Workspace

from .base import CityMgmtAlgorithm

TEMP = "TEMPORARY_OUTPUT"


class PatrolReportAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "patrolreport"
    ALG_NAME = "Patrol reports (weekly, monthly, atlas)"
    ALG_GROUP = "Patrol"
    ALG_GROUP_ID = "patrol"
    ALG_HELP = (
        "Writes the reports of one ISO week of a workspace as PDF files, from the shipped "
        "print layouts:\n"
        "- the weekly patrol report: a map of the unit grids and road stretches that fail "
        "the weekly patrol rule, the failing responsibility grids, charts of reports per "
        "hour, per collector and per week, and tables of the collectors and of the failing "
        "unit grids;\n"
        "- the monthly KPI and assessment report of the month the week belongs to (the month "
        "of its Thursday): every contract figure with its threshold and verdict, charts and "
        "the collectors' figures;\n"
        "- an atlas with one page per responsibility grid: its map with the stretches nobody "
        "patrolled, scale bar, north arrow, legend, date, its figures and its collectors.\n\n"
        "The checks run first, on the workspace's own layers: patrol coverage and route "
        "deviation for the week, reporting KPIs for the week and the month. The folder also "
        "gets the reports' layers (a GeoPackage), their data (JSON) and the charts (PNG). "
        "Leave the week empty for the last full week. The workspace is a GeoPackage path, a "
        "postgresql:// URL or service=NAME."
    )
    WORKSPACE = "WORKSPACE"
    WEEK = "WEEK"
    REPORTS = "REPORTS"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"

    def flags(self) -> QgsProcessingAlgorithm.Flags:
        # print layouts are drawn on the main thread, as QGIS's own layout exports are
        return super().flags() | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            QgsProcessingParameterString(
                self.WORKSPACE, self.tr("Workspace (.gpkg, postgresql:// URL or service=NAME)")
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.WEEK, self.tr("ISO week, e.g. 2026-W46 (empty: the last full week)"),
                optional=True,
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterEnum(
                self.REPORTS, self.tr("Reports to write"), options=self._report_names(),
                allowMultiple=True, defaultValue=[0, 1, 2],
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Output folder"))
        )
        for name, label in (
            ("WEEKLY_PDF", self.tr("Weekly patrol report (PDF)")),
            ("MONTHLY_PDF", self.tr("Monthly KPI report (PDF)")),
            ("ATLAS_PDF", self.tr("Responsibility grid atlas (PDF)")),
            ("REPORT_DATA", self.tr("Report layers (GeoPackage)")),
        ):
            self.addOutput(QgsProcessingOutputFile(name, label))
        self.addOutput(QgsProcessingOutputFolder("FOLDER", self.tr("Output folder")))

    def _report_names(self) -> list[str]:
        return [
            self.tr("Weekly patrol report"),
            self.tr("Monthly KPI and assessment report"),
            self.tr("Responsibility grid atlas"),
        ]

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        week = self._week(parameters, context)
        which = [REPORTS[i] for i in self.parameterAsEnums(parameters, self.REPORTS, context)]
        folder = Path(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
        ws = self._workspace(parameters, context)
        try:
            inputs = checks.workspace_inputs(ws)
            missing = inputs.missing("grids", "roads", "tracks", "routes", "submissions")
            if missing:
                labels = checks.input_labels()
                raise QgsProcessingException(
                    self.tr("The workspace has no {0}.").format(
                        ", ".join(labels[m] for m in missing)
                    )
                )
            feedback.pushInfo(self.tr("Week {0}: {1}").format(week, week.dates_text()))
            layers = self._run_checks(inputs, week, "monthly" in which, context, feedback)
            if layers is None:
                return self.cancelled(feedback)
            files = write_reports(ws, week, layers, folder, which, _progress(feedback))
        finally:
            ws.close()
        if feedback.isCanceled():
            return self.cancelled(feedback)
        for note in files.notes:
            feedback.pushWarning(note)
        for pdf in files.pdfs():
            feedback.pushInfo(self.tr("Written: {0}").format(pdf))
        feedback.setProgress(100)
        return {
            "WEEKLY_PDF": str(files.weekly_pdf or ""),
            "MONTHLY_PDF": str(files.monthly_pdf or ""),
            "ATLAS_PDF": str(files.atlas_pdf or ""),
            "REPORT_DATA": str(files.data or ""),
            "FOLDER": str(folder),
            self.OUTPUT_FOLDER: str(folder),
        }

    def _week(self, parameters: dict, context: QgsProcessingContext) -> IsoWeek:
        text = self.parameterAsString(parameters, self.WEEK, context).strip()
        try:
            return IsoWeek.parse(text) if text else last_full_week()
        except ValueError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def _workspace(self, parameters: dict, context: QgsProcessingContext) -> Workspace:
        spec = self.parameterAsString(parameters, self.WORKSPACE, context).strip()
        try:
            return Workspace.open(spec)
        except Exception as exc:
            raise QgsProcessingException(
                self.tr("The workspace {0} cannot be opened: {1}").format(spec, exc)
            ) from exc

    def _run_checks(self, inputs, week: IsoWeek, monthly: bool, context, feedback):
        """The checks as child algorithms, their outputs kept in memory (None: cancelled)."""
        steps = QgsProcessingMultiStepFeedback(4 if monthly else 3, feedback)
        out = CheckLayers()
        runs = [
            (checks.COVERAGE, checks.coverage_parameters(
                inputs, week, {"OUTPUT": TEMP, "GAPS": TEMP}),
             {"OUTPUT": "grids", "GAPS": "gaps"}),
            (checks.DEVIATION, checks.deviation_parameters(
                inputs, week, {"OUTPUT": TEMP, "OFFROUTE": TEMP}),
             {"OUTPUT": "days", "OFFROUTE": "offroute"}),
            (checks.KPI, checks.kpi_parameters(inputs, *week.bounds(), _kpi_outputs()),
             {"OUTPUT_OVERALL": "kpis", "OUTPUT_COLLECTORS": "kpi_collectors",
              "OUTPUT_HOURS": "kpi_hours"}),
        ]  # fmt: skip
        if monthly:
            runs.append(
                (checks.KPI, checks.kpi_parameters(inputs, *week.month().bounds(), _kpi_outputs()),
                 {"OUTPUT_OVERALL": "month_kpis", "OUTPUT_COLLECTORS": "month_collectors",
                  "OUTPUT_HOURS": "month_hours"})
            )  # fmt: skip
        for k, (alg_id, params, wanted) in enumerate(runs):
            steps.setCurrentStep(k)
            results = self._child(alg_id, params, context, steps)
            if steps.isCanceled():
                return None
            for output, attr in wanted.items():
                setattr(out, attr, QgsProcessingUtils.mapLayerFromString(results[output], context))
        return out

    def _child(self, alg_id: str, params: dict, context, feedback) -> dict:
        """Run a sibling algorithm (a fresh instance: the registry need not hold it)."""
        import processing

        from .patrolcoverage import PatrolCoverageAlgorithm
        from .reportingkpi import ReportingKpiAlgorithm
        from .routedeviation import RouteDeviationAlgorithm

        classes = {
            checks.COVERAGE: PatrolCoverageAlgorithm,
            checks.DEVIATION: RouteDeviationAlgorithm,
            checks.KPI: ReportingKpiAlgorithm,
        }
        alg = classes[alg_id]().create()
        return processing.run(
            alg, params, context=context, feedback=feedback, is_child_algorithm=True
        )


def _kpi_outputs() -> dict[str, str]:
    return {"OUTPUT_OVERALL": TEMP, "OUTPUT_COLLECTORS": TEMP, "OUTPUT_HOURS": TEMP}


def _progress(feedback: QgsProcessingFeedback):
    def progress(percent: float, text: str) -> bool:
        feedback.setProgressText(text)
        feedback.setProgress(percent)
        return feedback.isCanceled()

    return progress
