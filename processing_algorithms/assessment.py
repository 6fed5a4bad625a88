"""citymgmt:assessment — a month's 考核 from a workspace: KPIs, 错报, 漏报, scores, payment."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.reporting.month_report import Table, lines, tables
from citymgmt_plugin.core.reporting.monthly import month_figures, month_of
from citymgmt_plugin.core.reporting.profile import ProfileError, load_profile_file

from .base import CityMgmtAlgorithm
from .params import sink
from .writers import make_fields, write_features

OUTPUTS = {  # table name -> output parameter
    "kpis": "OUTPUT_KPIS",
    "collectors": "OUTPUT_COLLECTORS",
    "districts": "OUTPUT_DISTRICTS",
    "grids": "OUTPUT_GRIDS",
    "payment": "OUTPUT_PAYMENT",
}


class AssessmentAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "assessment"
    ALG_NAME = "Monthly assessment (考核) and payment"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    # tables without geometry: their stems give the columns titles in the reader's language
    OUTPUT_STYLES = {param: f"assessment_{table}" for table, param in OUTPUTS.items()}
    ALG_HELP = (
        "The month a contract is assessed and paid by (seed 002: 「月度考核与年度履约验收相结合」, "
        "「按照考核结果支付相应支付项目进度款项」), from a workspace and its contract profile "
        "(or a contract profile file in JSON).\n"
        "- KPIs as the contracts define them (see Reporting KPIs), over the workspace's "
        "reports, duty roster and its cases and 核实/核查 tasks.\n"
        "- 错报 (wrong reports): reports rejected for a coded reason, per collector and "
        "district.\n"
        "- 漏报 (missed reports): the confirmed candidates (found by the missed detect command "
        "or the Contract figures dialog and decided by a reviewer), per collector, grid and "
        "district; rate = confirmed / (valid problems + confirmed); spot checks per "
        "district.\n"
        "- Scores: the profile's scoring sheet. Each collector starts at the base score and "
        "loses points per confirmed 漏报, 错报, late task, day off the prescribed route (with "
        "patrol routes and GPS fixes), absence and report shortfall, each capped. The "
        "contractor's score is its collectors' mean minus points for the month's volume and "
        "rate shortfalls; the payment is the monthly fee times the share of the band the "
        "score reaches.\n"
        "Outputs: tables of the KPIs, the collectors, the districts, the grids with 漏报 and "
        "the payment."
    )

    WORKSPACE = "WORKSPACE"
    MONTH = "MONTH"
    CONTRACT = "CONTRACT"
    ROUTE_DEVIATION = "ROUTE_DEVIATION"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            QgsProcessingParameterString(
                self.WORKSPACE, self.tr("Workspace (GeoPackage path, postgresql:// URL, service=)")
            )
        )
        self.addParameter(QgsProcessingParameterString(self.MONTH, self.tr("Month (YYYY-MM)")))
        self.addParameter(
            QgsProcessingParameterFile(
                self.CONTRACT,
                self.tr("Contract profile (JSON; empty: the workspace's)"),
                extension="json",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.ROUTE_DEVIATION, self.tr("Count days off the prescribed route"), True
            )
        )
        for name, label in (
            ("OUTPUT_KPIS", self.tr("KPIs of the month")),
            ("OUTPUT_COLLECTORS", self.tr("Collectors: figures and scores")),
            ("OUTPUT_DISTRICTS", self.tr("Districts: wrong and missed reports, spot checks")),
            ("OUTPUT_GRIDS", self.tr("Grids with missed reports")),
            ("OUTPUT_PAYMENT", self.tr("Contractors: scores and payment")),
        ):
            self.addParameter(sink(name, label, QgsProcessing.TypeVector))
        self.add_number_outputs(
            ("SCORE", self.tr("Contractor score")), ("PAYABLE", self.tr("Payable"))
        )

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        from citymgmt_plugin.core.workspace.store import Workspace, WorkspaceError

        try:
            month = month_of(self.parameterAsString(parameters, self.MONTH, context))
        except ValueError:
            raise QgsProcessingException(
                self.tr("The month is written YYYY-MM, e.g. 2021-03.")
            ) from None
        path = self.parameterAsFile(parameters, self.CONTRACT, context)
        try:
            profile = load_profile_file(path) if path else None
            ws = Workspace.open(self.parameterAsString(parameters, self.WORKSPACE, context))
        except (ProfileError, WorkspaceError) as exc:
            raise QgsProcessingException(str(exc)) from exc
        try:
            deviation = self.parameterAsBoolean(parameters, self.ROUTE_DEVIATION, context)
            mf = month_figures(ws, month, profile, route_deviation=deviation)
        except ProfileError as exc:
            raise QgsProcessingException(str(exc)) from exc
        finally:
            ws.close()
        for line in lines(mf):
            feedback.pushInfo(line)
        out: dict[str, Any] = {}
        for t in tables(mf):
            out[OUTPUTS[t.name]] = self._write(parameters, context, t)
        first = mf.contractors[0] if mf.contractors else None
        out["SCORE"] = first.score if first else None
        out["PAYABLE"] = first.payable if first else None
        return out

    def _write(self, parameters: dict[str, Any], context: QgsProcessingContext, t: Table) -> str:
        fields = make_fields([(name, _kind(t, k)) for k, (name, _) in enumerate(t.columns)])
        sink_, dest = self.sink(
            parameters, OUTPUTS[t.name], context, fields, QgsWkbTypes.NoGeometry,
            _no_crs(),
        )  # fmt: skip
        write_features(sink_, fields, ((row, None) for row in t.rows))
        return dest


def _kind(t: Table, k: int) -> Any:
    """The field type of column ``k`` from its values (text when empty or mixed)."""
    values = [row[k] for row in t.rows if row[k] is not None]
    if values and all(isinstance(v, bool) for v in values):
        return QVariant.Bool
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return QVariant.LongLong
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return QVariant.Double
    if t.name == "kpis" and t.columns[k][0] in ("value", "threshold"):
        return QVariant.Double
    return QVariant.String


def _no_crs():
    from qgis.core import QgsCoordinateReferenceSystem

    return QgsCoordinateReferenceSystem()
