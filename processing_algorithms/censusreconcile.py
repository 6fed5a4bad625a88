"""``citymgmt:censusreconcile``: a census batch layer reconciled with a workspace's inventory
(and applied, when asked), for models and batch work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from .base import CityMgmtAlgorithm, progress_callback
from .params import sink, source
from .readers import census_table
from .writers import make_fields, write_features

KINDS = ("new", "changed", "moved", "missing", "duplicate")  # the kinds an editor decides
KIND_COUNTS = ("new", "unchanged", "changed", "moved", "missing", "duplicate")


class CensusReconcileAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "censusreconcile"
    # the report is a folder of files, not a layer
    OUTPUT_STYLES = {"ITEMS": "census_items", "REFUSED": "census_refused", "REPORT": ""}
    ALG_NAME = "Census reconciliation (batch layer)"
    ALG_GROUP = "Census"
    ALG_GROUP_ID = "census"
    ALG_HELP = (
        "Reconciles a census batch with the component inventory of a workspace: each row of "
        "the batch is mapped to the component fields, checked and compared with the stored "
        "components (new, unchanged, attributes changed, moved, duplicate), and the stored "
        "components of the surveyed unit grids that the batch lacks are found (missing). "
        "Rows that cannot be taken are refused, each with its reasons.\n\n"
        'Field mapping: a JSON file {"target field": "source column"}; value mapping: '
        '{"target field": {"source value": "stored value"}} for coded fields (status, '
        "data source, accuracy class, department, class). Without them, what the "
        "reconciliation dialog remembered for the same columns is used, else known column "
        "names. Coordinate system: of a table without geometry (x and y or WKT columns); "
        "found from the numbers when not given.\n\n"
        "The batch surveys components, or points of interest (name, category, address, "
        "phone, door number; matched by identifier, else by name within 30 m).\n\n"
        "Accept: the kinds of item applied. Apply: write the accepted items into the "
        "workspace in one transaction, with history and audit rows (nothing is written "
        "when one cannot be applied, or when cancelled). Outputs: the items (a point each, "
        "kind and decision), the refused rows with their reasons, counts, and the report "
        "(CSV, text and HTML) in the report folder."
    )

    WORKSPACE = "WORKSPACE"
    INPUT = "INPUT"
    MAPPING = "MAPPING"
    VALUES = "VALUES"
    CRS = "CRS"
    ACCEPT = "ACCEPT"
    APPLY = "APPLY"
    REPORT = "REPORT"
    TARGET = "TARGET"
    ITEMS = "ITEMS"
    REFUSED = "REFUSED"

    def kind_labels(self) -> list[str]:
        from citymgmt_plugin.core.labels import reconcile_kind_label

        return [reconcile_kind_label(k) for k in KINDS]

    # -- parameters ----------------------------------------------------------------------------

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            QgsProcessingParameterString(
                self.WORKSPACE, self.tr("Workspace (.gpkg, postgresql:// URL or service=NAME)")
            )
        )
        self.add_input()
        self.add_run_parameters()
        self.add_outputs()

    def add_input(self) -> None:
        self.addParameter(source(self.INPUT, self.tr("Census batch"), [QgsProcessing.TypeVector]))

    def add_run_parameters(self) -> None:
        json_file = QgsProcessingParameterFile.File
        for name, label in (
            (self.MAPPING, self.tr("Field mapping (JSON)")),
            (self.VALUES, self.tr("Value mapping of coded fields (JSON)")),
        ):
            self.addParameter(
                QgsProcessingParameterFile(name, label, json_file, "json", optional=True)
            )
        self.addParameter(
            QgsProcessingParameterCrs(
                self.CRS, self.tr("Coordinate system of a table's coordinates"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.ACCEPT, self.tr("Accept"), self.kind_labels(), allowMultiple=True,
                defaultValue=[0, 1, 2, 3],
            )
        )  # fmt: skip
        self.addParameter(
            QgsProcessingParameterEnum(
                self.TARGET,
                self.tr("The batch surveys"),
                [self.tr("components"), self.tr("points of interest")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.APPLY, self.tr("Apply the accepted items to the workspace"), False
            )
        )
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                self.REPORT, self.tr("Report folder"), optional=True, createByDefault=False
            )
        )

    def add_outputs(self) -> None:
        self.addParameter(
            sink(self.ITEMS, self.tr("Reconciliation items"), QgsProcessing.TypeVectorPoint)
        )
        self.addParameter(sink(self.REFUSED, self.tr("Refused rows"), QgsProcessing.TypeVector))
        self.add_number_outputs(
            ("ROWS", self.tr("Rows read")),
            ("VALID", self.tr("Valid rows")),
            ("INVALID", self.tr("Refused rows")),
            ("ACCEPTED", self.tr("Accepted items")),
            *((k.upper(), self.kind_output_label(k)) for k in KIND_COUNTS),
        )
        for name, label in (
            ("APPLIED", self.tr("What applying did (JSON)")),
            ("REFUSALS", self.tr("Refused rows by reason (JSON)")),
            ("UNMAPPED", self.tr("Values without a mapping (JSON)")),
        ):
            self.addOutput(QgsProcessingOutputString(name, label))

    def kind_output_label(self, kind: str) -> str:
        from citymgmt_plugin.core.labels import reconcile_kind_label

        return reconcile_kind_label(kind)

    # -- reading -------------------------------------------------------------------------------

    def read_input(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any
    ) -> Any:
        """The batch as core's table; None when cancelled."""
        src = self.parameterAsSource(parameters, self.INPUT, context)
        if src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        name = str(parameters.get(self.INPUT) or src.sourceName())
        return census_table(src, name, progress_callback(feedback, 0, 40))

    def options(self, parameters: dict[str, Any], context: QgsProcessingContext) -> Any:
        from citymgmt_plugin.core.census.batch_codes import read_value_maps
        from citymgmt_plugin.core.census.batch_mapping import read_mapping_file
        from citymgmt_plugin.core.census.batch_run import ImportOptions

        mapping = self.parameterAsFile(parameters, self.MAPPING, context)
        values = self.parameterAsFile(parameters, self.VALUES, context)
        crs: QgsCoordinateReferenceSystem = self.parameterAsCrs(parameters, self.CRS, context)
        chosen = self.parameterAsEnums(parameters, self.ACCEPT, context)
        report = self.parameterAsString(parameters, self.REPORT, context)
        return ImportOptions(
            mapping=read_mapping_file(mapping) if mapping else None,
            values=read_value_maps(values) if values else None,
            crs=(crs.authid() or crs.toWkt()) if crs.isValid() else None,
            accept=tuple(KINDS[i] for i in chosen),
            apply=self.parameterAsBoolean(parameters, self.APPLY, context),
            report_dir=Path(report) if report else None,
            target=("components", "pois")[self.parameterAsEnum(parameters, self.TARGET, context)],
        )

    # -- running -------------------------------------------------------------------------------

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        from citymgmt_plugin.core.census.errors import CensusError

        try:
            options = self.options(parameters, context)
            table = self.read_input(parameters, context, feedback)
        except CensusError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if table is None:
            return self.cancelled(feedback)
        run = self._run(parameters, context, feedback, table, options)
        if run is None:
            return self.cancelled(feedback)
        for line in run.summary_lines():
            feedback.pushInfo(line)
        outputs = self._write(parameters, context, run)
        outputs.update(self._numbers(run))
        if run.report:
            outputs[self.REPORT] = str(run.report["html"].parent)
        return outputs

    def _run(self, parameters, context, feedback, table, options) -> Any:
        """Reconcile (and apply) in the workspace; None when cancelled while applying."""
        from citymgmt_plugin.core.census.batch_mapping import MappingStore
        from citymgmt_plugin.core.census.batch_run import ApplyFailed, run_table
        from citymgmt_plugin.core.census.errors import CensusError
        from citymgmt_plugin.core.census.reconcile_apply import ApplyCancelled
        from citymgmt_plugin.core.workspace.store import Workspace, WorkspaceError

        spec = self.parameterAsString(parameters, self.WORKSPACE, context).strip()
        try:
            ws = Workspace.open(spec)
        except WorkspaceError as exc:
            raise QgsProcessingException(str(exc)) from exc
        progress = progress_callback(feedback, 50, 100)
        feedback.setProgress(45)
        try:
            return run_table(
                ws, table, options, MappingStore(), lambda d, n: progress(d / max(n, 1))
            )
        except ApplyFailed as exc:
            if isinstance(exc.__cause__, ApplyCancelled):
                return None
            raise QgsProcessingException(self.tr("Nothing was applied: {0}").format(exc)) from exc
        except CensusError as exc:
            raise QgsProcessingException(str(exc)) from exc
        finally:
            ws.close()

    def _write(self, parameters, context, run) -> dict[str, Any]:
        """One point per item (its anchor, in the workspace CRS) and one row per refused
        batch row."""
        from citymgmt_plugin.core.census.geo import anchor
        from citymgmt_plugin.core.labels import census_rule_label, describe_changes, join
        from citymgmt_plugin.core.labels import reconcile_kind_label as kind_label

        item_fields = make_fields(
            [("seq", QVariant.Int), ("kind", QVariant.String), ("kind_label", QVariant.String),
             ("accepted", QVariant.Bool), ("row_no", QVariant.Int),
             ("identifier", QVariant.String), ("class_code", QVariant.String),
             ("distance_m", QVariant.Double), ("changes", QVariant.String, 0),
             ("duplicate_of", QVariant.String), ("result", QVariant.String, 0)]
        )  # fmt: skip
        crs = QgsCoordinateReferenceSystem(f"EPSG:{run.srid}")
        items, items_dest = self.sink(
            parameters, self.ITEMS, context, item_fields, QgsWkbTypes.Point, crs
        )
        write_features(
            items,
            item_fields,
            (
                ([it.seq, it.kind, kind_label(it.kind), bool(it.accepted and it.actionable),
                  it.row_no, it.identifier or "", it.class_code, it.distance,
                  describe_changes(it.changes), it.duplicate_of or "",
                  it.applied or join(p.message for p in it.problems)],
                 None if it.geom is None else QgsGeometry.fromWkt(anchor(it.geom).wkt))
                for it in run.recon.items
            ),
        )  # fmt: skip
        refused_fields = make_fields(
            [("row_no", QVariant.Int), ("identifier", QVariant.String),
             ("rules", QVariant.String, 0), ("reasons", QVariant.String, 0),
             ("message", QVariant.String, 0)]
        )  # fmt: skip
        refused, refused_dest = self.sink(
            parameters, self.REFUSED, context, refused_fields, QgsWkbTypes.NoGeometry,
            QgsCoordinateReferenceSystem(),
        )  # fmt: skip
        write_features(
            refused,
            refused_fields,
            (
                ([f.row_no, f.identifier or "", ",".join(sorted({p.rule for p in f.problems})),
                  join(census_rule_label(r) for r in sorted({p.rule for p in f.problems})),
                  f.reason], None)
                for f in run.batch.failures
            ),
        )  # fmt: skip
        return {self.ITEMS: items_dest, self.REFUSED: refused_dest}

    def _numbers(self, run) -> dict[str, Any]:
        counts = run.recon.counts()
        out: dict[str, Any] = {k.upper(): counts[k] for k in KIND_COUNTS}
        out.update(
            ROWS=run.batch.read_rows,
            VALID=len(run.batch.records),
            INVALID=len(run.batch.failures),
            ACCEPTED=len(run.recon.accepted()),
            APPLIED=json.dumps(run.result.as_dict() if run.result else {}),
            REFUSALS=json.dumps(dict(run.batch.refusals())),
            UNMAPPED=json.dumps(
                {f: dict(c) for f, c in run.batch.unmapped.items()}, ensure_ascii=False
            ),
        )
        return out
