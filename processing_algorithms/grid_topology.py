"""``citymgmt:gridtopology``: unit grid quality (gaps, overlaps, shapes, codes, admin units)."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.topology import ERROR_TYPES, GridRules, check_grids

from .base import CityMgmtAlgorithm
from .io import field_name, geometries, progress_callback, qgs_geometry, text_values
from .layer_arrays import (
    read_columns,
    require_fields,
    require_projected,
    require_source,
)

# _NO_FAST_PATH: read through QGIS, not layer_arrays' GDAL Arrow path. Workspace GeoPackages
# written through SpatiaLite hold SpatiaLite geometry blobs, which GDAL 3.6's Arrow reader
# returns as nulls (OGR's normal reader understands them); grids and reports are few enough
# (10,000 / 100,000s) for QGIS's reader to take well under a second per 10,000 features.


class GridTopologyAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "gridtopology"
    ALG_NAME = "Unit grid topology and codes"
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = (
        "Checks unit grids (单元网格) against GB/T 30428.1: closed polygons that cover the area "
        "without gaps or overlaps, about 10,000 m² each, with well-formed codes that agree "
        "with the administrative units.\n\n"
        "Error types in the output layer (field 'type'):\n"
        "- invalid: missing, non-polygon or invalid geometry (reason from GEOS); the other "
        "checks use a repaired copy.\n"
        "- overlap: the area shared by two grids (grid_code and other_code).\n"
        "- gap: an area covered by no grid inside the outer boundary of the grids or, when an "
        "administrative layer is given, inside its units.\n"
        "- outside: the part of a grid outside every administrative unit.\n"
        "- sliver: thinness 4πA/P² below the sliver ratio (1 = disc, 0.785 = square, "
        "0.26 = 10:1 rectangle).\n"
        "- area: grid area outside the minimum–maximum range.\n"
        "- duplicate_code, malformed_code: 15 digits = county (6) + street (3) + community (3) "
        "+ sequence (3); 14-digit legacy codes only when allowed.\n"
        "- admin_mismatch: the administrative unit the grid lies in (by its point on surface) "
        "has a code that does not begin the grid code (use community polygons with 12-digit "
        "codes, or streets with 9-digit codes).\n\n"
        "Gaps, overlaps and outside parts smaller than the area tolerance are ignored. The "
        "grids must be in a projected CRS in metres. The result also gives the count of each "
        "error type."
    )

    GRIDS = "GRIDS"
    GRID_CODE_FIELD = "GRID_CODE_FIELD"
    ADMIN = "ADMIN"
    ADMIN_CODE_FIELD = "ADMIN_CODE_FIELD"
    MIN_AREA = "MIN_AREA"
    MAX_AREA = "MAX_AREA"
    SLIVER_RATIO = "SLIVER_RATIO"
    AREA_TOLERANCE = "AREA_TOLERANCE"
    LEGACY14 = "LEGACY14"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.GRIDS, self.tr("Unit grids"), [QgsProcessing.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.GRID_CODE_FIELD,
                self.tr("Grid code field"),
                defaultValue="code",
                parentLayerParameterName=self.GRIDS,
                optional=True,  # QGIS 3.22 refuses omitted required fields despite defaults
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ADMIN,
                self.tr("Administrative units (communities or streets)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.ADMIN_CODE_FIELD,
                self.tr("Administrative unit code field"),
                defaultValue="code",
                parentLayerParameterName=self.ADMIN,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_AREA,
                self.tr("Minimum grid area (m²)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=2000.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_AREA,
                self.tr("Maximum grid area (m²)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=40000.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.SLIVER_RATIO,
                self.tr("Sliver thinness ratio 4πA/P² below which a grid is a sliver"),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.1,
                minValue=0.0,
                maxValue=1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.LEGACY14, self.tr("Allow legacy 14-digit grid codes"), defaultValue=False
            )
        )
        tol = QgsProcessingParameterNumber(
            self.AREA_TOLERANCE,
            self.tr("Ignore gaps and overlaps smaller than (m²)"),
            QgsProcessingParameterNumber.Double,
            defaultValue=1.0,
            minValue=0.0,
        )
        tol.setFlags(tol.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(tol)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Grid errors"), QgsProcessing.TypeVectorPolygon
            )
        )
        self.addOutput(QgsProcessingOutputNumber("GRIDS_CHECKED", self.tr("Grids checked")))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", self.tr("Errors")))
        self.addOutput(QgsProcessingOutputNumber("INVALID", self.tr("Invalid geometries")))
        self.addOutput(QgsProcessingOutputNumber("OVERLAP", self.tr("Overlaps")))
        self.addOutput(QgsProcessingOutputNumber("GAP", self.tr("Gaps")))
        self.addOutput(QgsProcessingOutputNumber("OUTSIDE", self.tr("Outside admin units")))
        self.addOutput(QgsProcessingOutputNumber("SLIVER", self.tr("Slivers")))
        self.addOutput(QgsProcessingOutputNumber("AREA", self.tr("Area out of range")))
        self.addOutput(QgsProcessingOutputNumber("DUPLICATE_CODE", self.tr("Duplicate codes")))
        self.addOutput(QgsProcessingOutputNumber("MALFORMED_CODE", self.tr("Malformed codes")))
        self.addOutput(
            QgsProcessingOutputNumber("ADMIN_MISMATCH", self.tr("Codes not matching admin unit"))
        )
        self.addOutput(QgsProcessingOutputNumber("GAP_AREA", self.tr("Gap area (m²)")))
        self.addOutput(QgsProcessingOutputNumber("OVERLAP_AREA", self.tr("Overlap area (m²)")))

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        # Invalid geometries are what this algorithm reports: read them as they are, whatever
        # the user's "invalid features filtering" setting (restored for the next algorithm).
        check = context.invalidGeometryCheck()
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
        try:
            grids = self.parameterAsSource(parameters, self.GRIDS, context)
            admin = self.parameterAsSource(parameters, self.ADMIN, context)
        finally:
            context.setInvalidGeometryCheck(check)
        grids = require_source(grids, QgsWkbTypes.PolygonGeometry, self.tr("unit grids"))
        crs = grids.sourceCrs()
        require_projected(crs, self.tr("unit grids"))
        if crs.mapUnits() != QgsUnitTypes.DistanceMeters:
            feedback.pushWarning(
                self.tr("The grid CRS is not in metres: areas are in its own units.")
            )
        code_field = field_name(self, parameters, self.GRID_CODE_FIELD, context, "code")
        require_fields(grids, [code_field], self.tr("unit grids"))
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        max_area = self.parameterAsDouble(parameters, self.MAX_AREA, context)
        if max_area < min_area:
            raise QgsProcessingException(
                self.tr("The maximum grid area is smaller than the minimum.")
            )
        rules = GridRules(
            min_area=min_area,
            max_area=max_area,
            sliver_ratio=self.parameterAsDouble(parameters, self.SLIVER_RATIO, context),
            legacy14=self.parameterAsBool(parameters, self.LEGACY14, context),
            area_tolerance=self.parameterAsDouble(parameters, self.AREA_TOLERANCE, context),
        )

        feedback.setProgressText(self.tr("Reading grids…"))
        cols = read_columns(
            grids,
            None,  # layer: see _NO_FAST_PATH
            [code_field],
            crs,
            context,
            feedback,
        )
        if feedback.isCanceled():
            return {}
        geoms = geometries(cols.wkb)
        codes = text_values(cols.attrs[code_field])

        admin_geoms = admin_codes = None
        if admin is not None:
            require_source(admin, QgsWkbTypes.PolygonGeometry, self.tr("administrative units"))
            admin_field = field_name(self, parameters, self.ADMIN_CODE_FIELD, context, "code")
            require_fields(admin, [admin_field], self.tr("administrative units"))
            feedback.setProgressText(self.tr("Reading administrative units…"))
            acols = read_columns(
                admin,
                None,  # layer: see _NO_FAST_PATH
                [admin_field],
                crs,
                context,
                feedback,
            )
            admin_geoms = geometries(acols.wkb)
            admin_codes = text_values(acols.attrs[admin_field])
        feedback.setProgress(10)

        feedback.setProgressText(self.tr("Checking {0} grids…").format(len(geoms)))
        try:
            result = check_grids(
                geoms,
                codes,
                rules,
                admin_geoms,
                admin_codes,
                progress=progress_callback(feedback, 10, 90),
            )
        except InterruptedError:
            return {}

        fields = QgsFields()
        fields.append(QgsField("type", QVariant.String, len=20))
        fields.append(QgsField("grid_code", QVariant.String, len=20))
        fields.append(QgsField("other_code", QVariant.String, len=20))
        fields.append(QgsField("message", QVariant.String, len=254))
        fields.append(QgsField("area_m2", QVariant.Double))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, crs
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        n = max(len(result.errors), 1)
        for k, err in enumerate(result.errors):
            if feedback.isCanceled():
                break
            f = QgsFeature(fields)
            f.setAttributes([err.type, err.grid_code, err.other_code, err.message, err.area])
            f.setGeometry(qgs_geometry(err.geometry))
            sink.addFeature(f, QgsFeatureSink.FastInsert)
            if k % 500 == 0:
                feedback.setProgress(90 + 10 * k / n)

        counts = result.counts
        for t in ERROR_TYPES:
            if counts[t]:
                feedback.pushInfo(f"{t}: {counts[t]}")
        out: dict[str, Any] = {
            self.OUTPUT: dest_id,
            "GRIDS_CHECKED": result.grids,
            "ERRORS": len(result.errors),
            "GAP_AREA": result.total_area("gap"),
            "OVERLAP_AREA": result.total_area("overlap"),
        }
        out.update({t.upper(): counts[t] for t in ERROR_TYPES})
        return out
