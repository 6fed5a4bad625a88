"""``citymgmt:gridtopology``: unit grid quality (gaps, overlaps, shapes, codes, admin units)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.grids.topology import (
    ERROR_TYPES,
    GridRules,
    TopologyResult,
    check_grids,
)
from citymgmt_plugin.core.labels import labelled, topology_error_label

from .base import CityMgmtAlgorithm, progress_callback
from .params import POLYGON, field, number, sink, source
from .readers import (
    field_name,
    geometries,
    require_fields,
    require_projected,
    require_source,
    source_layer,
    workspace_setting,
)
from .writers import Row, make_fields, qgs_geometry, write_features


class GridTopologyAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "gridtopology"
    ALG_NAME = "Unit grid topology and codes"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "Checks unit grids against GB/T 30428.1: closed polygons that cover the area without "
        "gaps or overlaps, about 10,000 m² each, with well-formed codes that agree with the "
        "administrative units.\n\n"
        "Each error in the output layer has its name in the field 'label' and its type in the "
        "field 'type':\n"
        "- Invalid geometry ('invalid'): missing, not a polygon or not valid (the reason "
        "comes from GEOS); the other checks use a repaired copy.\n"
        "- Overlap ('overlap'): the area two grids share (their codes in the fields "
        "'grid_code' and 'other_code').\n"
        "- Gap ('gap'): an area no grid covers, inside the outer boundary of the grids or, "
        "when administrative units are given, inside them.\n"
        "- Outside the administrative units ('outside'): the part of a grid outside every "
        "administrative unit.\n"
        "- Sliver ('sliver'): thinness 4πA/P² below the sliver ratio (1 for a disc, 0.785 for "
        "a square, 0.26 for a 10:1 rectangle).\n"
        "- Area out of range ('area'): a grid area outside the minimum–maximum range.\n"
        "- Duplicate code ('duplicate_code'), malformed code ('malformed_code'): a code has "
        "15 digits, county (6) + street (3) + community (3) + sequence (3); legacy 14-digit "
        "codes only when they are allowed.\n"
        "- Code not matching its administrative unit ('admin_mismatch'): the code of the "
        "administrative unit the grid lies in (at its point on surface) does not begin the "
        "grid code (use community polygons with 12-digit codes, or street polygons with "
        "9-digit codes).\n"
        "- Numbered out of order ('numbering'): inside a community the grids are not "
        "numbered west to east, north to south. Checked when asked for, or when the grids' "
        "workspace says so (the command line's census settings with --grid-numbering on)."
        "\n\n"
        "Gaps, overlaps and outside parts smaller than the area tolerance are ignored. The "
        "grids must be in a projected coordinate system in metres. The result also gives the "
        "count of each error type."
    )

    # GRIDS, GRID_CODE_FIELD, OUTPUT: see CityMgmtAlgorithm
    ADMIN = "ADMIN"
    ADMIN_CODE_FIELD = "ADMIN_CODE_FIELD"
    MIN_AREA = "MIN_AREA"
    MAX_AREA = "MAX_AREA"
    SLIVER_RATIO = "SLIVER_RATIO"
    AREA_TOLERANCE = "AREA_TOLERANCE"
    LEGACY14 = "LEGACY14"
    OUTPUT_STYLES = {"OUTPUT": "grid_errors"}
    WORKSPACE_LAYERS = {"GRIDS": "unit_grids", "ADMIN": "admin_community"}
    WORKSPACE_FIELDS = {"GRID_CODE_FIELD": "code", "ADMIN_CODE_FIELD": "code"}
    NUMBERING = "NUMBERING"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.add_grid_parameters()
        self.addParameter(
            source(
                self.ADMIN,
                self.tr("Administrative units (communities or streets)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            field(
                self.ADMIN_CODE_FIELD,
                self.tr("Administrative unit code field"),
                self.ADMIN,
                "code",
                optional=True,
            )
        )
        self.addParameter(number(self.MIN_AREA, self.tr("Minimum grid area (m²)"), 2000.0, 0.0))
        self.addParameter(number(self.MAX_AREA, self.tr("Maximum grid area (m²)"), 40000.0, 0.0))
        self.addParameter(
            number(
                self.SLIVER_RATIO,
                self.tr("Sliver thinness ratio 4πA/P² below which a grid is a sliver"),
                0.1,
                0.0,
                1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.LEGACY14, self.tr("Allow legacy 14-digit grid codes"), defaultValue=False
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.NUMBERING,
                self.tr("Check the numbering order (west to east, north to south)"),
                [
                    self.tr("as the grids' workspace says"),
                    self.tr("check"),
                    self.tr("do not check"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            number(
                self.AREA_TOLERANCE,
                self.tr("Ignore gaps and overlaps smaller than (m²)"),
                1.0,
                0.0,
                advanced=True,
            )
        )
        self.addParameter(
            sink(self.OUTPUT, self.tr("Grid errors"), QgsProcessing.TypeVectorPolygon)
        )
        self.add_number_outputs(
            ("GRIDS_CHECKED", self.tr("Grids checked")),
            ("ERRORS", self.tr("Errors")),
            ("INVALID", self.tr("Invalid geometries")),
            ("OVERLAP", self.tr("Overlaps")),
            ("GAP", self.tr("Gaps")),
            ("OUTSIDE", self.tr("Outside admin units")),
            ("SLIVER", self.tr("Slivers")),
            ("AREA", self.tr("Area out of range")),
            ("DUPLICATE_CODE", self.tr("Duplicate codes")),
            ("MALFORMED_CODE", self.tr("Malformed codes")),
            ("ADMIN_MISMATCH", self.tr("Codes not matching admin unit")),
            ("NUMBERING", self.tr("Grids numbered out of order")),
            ("GAP_AREA", self.tr("Gap area (m²)")),
            ("OVERLAP_AREA", self.tr("Overlap area (m²)")),
        )

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        grids, admin = self._sources(parameters, context)
        crs = grids.sourceCrs()
        require_projected(crs, self.tr("unit grids"))
        if crs.mapUnits() != QgsUnitTypes.DistanceMeters:
            feedback.pushWarning(
                self.tr("The grid CRS is not in metres: areas are in its own units.")
            )
        code_field = field_name(self, parameters, self.GRID_CODE_FIELD, context, "code")
        require_fields(grids, [code_field], self.tr("unit grids"))
        rules = self._rules(parameters, context)
        feedback.setProgressText(self.tr("Reading grids…"))
        wkb, codes = self.read_coded(grids, code_field, crs, context, feedback)
        if feedback.isCanceled():
            return self.cancelled(feedback)
        geoms = geometries(wkb)
        admin_geoms, admin_codes = self._read_admin(parameters, context, feedback, admin, crs)
        feedback.setProgress(10)
        feedback.setProgressText(self.tr("Checking {0} grids…").format(len(geoms)))
        try:
            result = check_grids(
                geoms, codes, rules, admin_geoms, admin_codes,
                progress=progress_callback(feedback, 10, 90),
            )  # fmt: skip
        except InterruptedError:
            return self.cancelled(feedback)
        out = {self.OUTPUT: self._write(parameters, context, feedback, result, crs)}
        out.update(self._summary(feedback, result))
        feedback.setProgress(100)
        return out

    def _sources(self, parameters: dict[str, Any], context: QgsProcessingContext) -> tuple:
        """The grids (checked) and the optional administrative units. Invalid geometries
        are what this algorithm reports: they are read as they are, whatever the user's
        "invalid features filtering" setting (restored for the next algorithm)."""
        check = context.invalidGeometryCheck()
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
        try:
            grids = self.parameterAsSource(parameters, self.GRIDS, context)
            admin = self.parameterAsSource(parameters, self.ADMIN, context)
        finally:
            context.setInvalidGeometryCheck(check)
        return require_source(grids, POLYGON, self.tr("unit grids")), admin

    def _rules(self, parameters: dict[str, Any], context: QgsProcessingContext) -> GridRules:
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        max_area = self.parameterAsDouble(parameters, self.MAX_AREA, context)
        if max_area < min_area:
            raise QgsProcessingException(
                self.tr("The maximum grid area is smaller than the minimum.")
            )
        return GridRules(
            min_area=min_area,
            max_area=max_area,
            sliver_ratio=self.parameterAsDouble(parameters, self.SLIVER_RATIO, context),
            legacy14=self.parameterAsBool(parameters, self.LEGACY14, context),
            area_tolerance=self.parameterAsDouble(parameters, self.AREA_TOLERANCE, context),
            numbering=self._numbering(parameters, context),
        )

    def _numbering(self, parameters: dict[str, Any], context: QgsProcessingContext) -> bool:
        """Whether to check the numbering order: asked for, or the workspace's setting."""
        from citymgmt_plugin.core.census.settings import GRID_NUMBERING, enabled

        choice = self.parameterAsEnum(parameters, self.NUMBERING, context)
        if choice:
            return choice == 1
        layer = source_layer(self, parameters, self.GRIDS, context)
        return enabled(workspace_setting(layer, GRID_NUMBERING))

    def _read_admin(self, parameters, context, feedback, admin, crs) -> tuple:
        """Geometries and codes of the administrative units; (None, None) without."""
        if admin is None:
            return None, None
        require_source(admin, POLYGON, self.tr("administrative units"))
        admin_field = field_name(self, parameters, self.ADMIN_CODE_FIELD, context, "code")
        require_fields(admin, [admin_field], self.tr("administrative units"))
        feedback.setProgressText(self.tr("Reading administrative units…"))
        wkb, codes = self.read_coded(admin, admin_field, crs, context, feedback)
        return geometries(wkb), codes

    def _write(self, parameters, context, feedback, result, crs) -> str:
        """One error feature per problem, with its geometry."""
        fields = make_fields(
            [("type", QVariant.String, 20), ("label", QVariant.String),
             ("grid_code", QVariant.String, 20),
             ("other_code", QVariant.String, 20), ("message", QVariant.String, 254),
             ("area_m2", QVariant.Double)]
        )  # fmt: skip
        sink, dest_id = self.sink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, crs
        )
        write_features(sink, fields, self._error_rows(result.errors, feedback))
        return dest_id

    @staticmethod
    def _summary(feedback: QgsProcessingFeedback, result: TopologyResult) -> dict[str, Any]:
        """Counts per error type (also in the log) and the gap and overlap areas."""
        counts = result.counts
        for t in ERROR_TYPES:
            if counts[t]:
                feedback.pushInfo(labelled(topology_error_label(t), counts[t]))
        out: dict[str, Any] = {
            "GRIDS_CHECKED": result.grids,
            "ERRORS": len(result.errors),
            "GAP_AREA": result.total_area("gap"),
            "OVERLAP_AREA": result.total_area("overlap"),
        }
        out.update({t.upper(): counts[t] for t in ERROR_TYPES})
        return out

    @staticmethod
    def _error_rows(errors: list, feedback: QgsProcessingFeedback) -> Iterator[Row]:
        n = max(len(errors), 1)
        for k, err in enumerate(errors):
            if feedback.isCanceled():
                break
            yield (
                [
                    err.type,
                    topology_error_label(err.type),
                    err.grid_code,
                    err.other_code,
                    err.message,
                    err.area,
                ],
                qgs_geometry(err.geometry),
            )
            if k % 500 == 0:
                feedback.setProgress(90 + 10 * k / n)
