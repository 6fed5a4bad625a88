"""``citymgmt:censusqa``: what is still wrong with a component inventory."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterVectorLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.codes import id_schemes
from citymgmt_plugin.core.labels import scheme_label
from citymgmt_plugin.core.qgis.session import current_workspace

from .base import CityMgmtAlgorithm, progress_callback
from .params import number, sink
from .readers import coded_wkb, present_value, read_features, read_postgres, workspace_classes
from .writers import make_fields, write_features


def scheme_ids() -> list[str]:
    """The identifier schemes, in the order of the list (legacy16, std17)."""
    return list(id_schemes())


def workspace_scheme(ids: list[str]) -> str:
    """The connected workspace's scheme (the first one without a workspace)."""
    ws = current_workspace()
    scheme = ws.setting("component_scheme", ids[0]) if ws is not None else ids[0]
    return scheme if scheme in ids else ids[0]


class CensusQaAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "censusqa"
    ALG_NAME = "Census QA (components)"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "Checks a component inventory: identifier structure and uniqueness, identifier county "
        "prefix vs the grid, stored grid code vs the grid the component lies in, duplicates of "
        "the same class within the accuracy tolerance, mandatory attributes, domain values and "
        "geometry kind vs class. Input: the workspace components layer or any layer with its "
        "fields, and the unit grids layer. Output: one error feature per problem, and counts."
    )

    # GRIDS, GRID_CODE_FIELD, TOLERANCE, OUTPUT: see CityMgmtAlgorithm
    INPUT = "INPUT"
    SCHEME = "SCHEME"
    OUTPUT_STYLES = {"OUTPUT": "census_qa_errors"}
    WORKSPACE_LAYERS = {"INPUT": "components_point", "GRIDS": "unit_grids"}
    WORKSPACE_FIELDS = {"GRID_CODE_FIELD": "code"}

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        from citymgmt_plugin.core.census.qa import QA_RULES
        from citymgmt_plugin.core.labels import qa_rule_label

        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.INPUT, self.tr("Components"), [QgsProcessing.TypeVectorAnyGeometry]
            )
        )
        self.add_grid_parameters(vector_layer=True)
        ids = scheme_ids()
        self.addParameter(
            QgsProcessingParameterEnum(
                self.SCHEME,
                self.tr("Identifier scheme when the layer has no 'scheme' field"),
                options=[scheme_label(i) for i in ids],
                defaultValue=ids.index(workspace_scheme(ids)),
            )
        )
        self.addParameter(
            number(
                self.TOLERANCE,
                self.tr("Duplicate tolerance in metres (0: the accuracy class of each component)"),
                0.0,
                0.0,
            )
        )
        self.addParameter(
            sink(self.OUTPUT, self.tr("Census QA errors"), QgsProcessing.TypeVectorPoint)
        )
        self.add_number_outputs(
            ("TOTAL", self.tr("Errors")), ("CHECKED", self.tr("Components checked"))
        )
        self.addOutput(QgsProcessingOutputString("COUNTS", self.tr("Errors per rule (JSON)")))
        self.add_number_outputs(*((rule.upper(), qa_rule_label(rule)) for rule in QA_RULES))

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        from citymgmt_plugin.core.census.geo import GridIndex
        from citymgmt_plugin.core.census.qa import default_classes, run_qa

        layer, grids_layer, code_field = self._layers(parameters, context)
        scheme = self._scheme(parameters, context)
        tol = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        feedback.pushInfo(self.tr("Reading unit grids…"))
        gcodes, gwkb = coded_wkb(grids_layer, code_field)
        grids = GridIndex(gcodes, list(shapely.from_wkb(np.array(gwkb, dtype=object))))
        feedback.setProgress(10)
        feedback.pushInfo(self.tr("Reading components…"))
        components = self._read_components(layer, feedback)
        if components is None:
            return self.cancelled(feedback)
        fids, values, geoms = components
        feedback.setProgress(60)
        classes = workspace_classes(layer) or default_classes()
        feedback.pushInfo(self.tr("Checking {0} components…").format(len(fids)))
        result = run_qa(
            np.array(fids, dtype=np.int64), values, geoms, grids, classes, scheme, tol or None
        )
        feedback.setProgress(85)
        dest = self._write(parameters, context, layer, result)
        return {self.OUTPUT: dest, **self._summary(feedback, result)}

    def checkParameterValues(self, parameters: Any, context: Any) -> tuple[bool, str]:
        """As QGIS checks them, with a scheme given by its id ("legacy16", scripts and the
        command line) taken for its place in the list."""
        given = parameters.get(self.SCHEME)
        if isinstance(given, str) and not given.strip().isdigit():
            ids = scheme_ids()
            if given.strip() not in ids:
                return False, self.tr("Unknown identifier scheme {0}; known: {1}.").format(
                    given, ", ".join(ids)
                )
            parameters = {**parameters, self.SCHEME: ids.index(given.strip())}
        return super().checkParameterValues(parameters, context)

    def _scheme(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
        """The scheme chosen in the list, or given by its id."""
        given = parameters.get(self.SCHEME)
        ids = scheme_ids()
        if isinstance(given, str) and given.strip() in ids:
            return given.strip()
        index = self.parameterAsEnum(parameters, self.SCHEME, context)
        return ids[index] if 0 <= index < len(ids) else ids[0]

    def _layers(self, parameters: dict[str, Any], context: QgsProcessingContext) -> tuple:
        """The components and grids layers (same CRS) and the grid code field."""
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        grids_layer = self.parameterAsVectorLayer(parameters, self.GRIDS, context)
        code_field = self.parameterAsString(parameters, self.GRID_CODE_FIELD, context) or "code"
        if layer is None or grids_layer is None:
            raise QgsProcessingException(self.tr("Give a components layer and a grids layer."))
        if grids_layer.fields().indexOf(code_field) < 0:
            raise QgsProcessingException(
                self.tr("The grids layer has no field {0}.").format(code_field)
            )
        if grids_layer.crs() != layer.crs():
            raise QgsProcessingException(
                self.tr("The components and the grids must be in the same CRS.")
            )
        return layer, grids_layer, code_field

    def _read_components(self, layer: QgsVectorLayer, feedback: QgsProcessingFeedback):
        """Feature ids, the QA fields' values and shapely geometries (None when cancelled):
        one SQL query for a PostGIS layer where possible, else QGIS features."""
        from citymgmt_plugin.core.census.qa import QA_FIELDS

        fields = layer.fields()
        present = [f for f in QA_FIELDS if fields.indexOf(f) >= 0]
        fast = read_postgres(layer, present)
        if fast is not None:
            fids, cols, geoms = fast
        else:
            idx = [fields.indexOf(f) for f in present]
            progress = progress_callback(feedback, 10, 60)
            fids, cols, wkbs = read_features(layer, idx, progress)
            if fids is None:
                return None
            geoms = shapely.from_wkb(np.array(wkbs, dtype=object))
        values = {f: np.array(c, dtype=object) for f, c in zip(present, cols)}
        for f in ("initial_date",):  # dates only matter as present / empty
            if f in values:
                values[f] = np.array([present_value(v) for v in values[f]], dtype=object)
        return fids, values, geoms

    def _write(self, parameters, context, layer, result) -> str:
        """One point per error (at the component), with its rule, label and message."""
        from citymgmt_plugin.core.labels import qa_rule_label

        out_fields = make_fields(
            [("source_fid", QVariant.LongLong), ("identifier", QVariant.String),
             ("rule", QVariant.String), ("label", QVariant.String),
             ("message", QVariant.String)]
        )  # fmt: skip
        sink, dest = self.sink(
            parameters, self.OUTPUT, context, out_fields, QgsWkbTypes.Point, layer.crs()
        )
        write_features(
            sink,
            out_fields,
            (
                ([e.fid, e.identifier, e.rule, qa_rule_label(e.rule), e.message],
                 None if e.point is None else QgsGeometry.fromWkt(e.point.wkt))
                for e in result.errors
            ),
        )  # fmt: skip
        return dest

    def _summary(self, feedback: QgsProcessingFeedback, result: Any) -> dict[str, Any]:
        """Counts per rule (also in the log), in total and as JSON."""
        from citymgmt_plugin.core.census.qa import QA_RULES
        from citymgmt_plugin.core.labels import labelled, qa_rule_label

        counts = result.counts()
        for rule in QA_RULES:
            feedback.pushInfo(labelled(qa_rule_label(rule), counts[rule]))
        feedback.pushInfo(
            self.tr("{0} errors on {1} of {2} components.").format(
                len(result.errors), result.components_with_errors, result.checked
            )
        )
        out: dict[str, Any] = {
            "TOTAL": len(result.errors),
            "CHECKED": result.checked,
            "COUNTS": json.dumps(counts),
        }
        out.update({rule.upper(): counts[rule] for rule in QA_RULES})
        return out
