"""Shared base class for the citymgmt Processing algorithms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsFeatureSource,
    QgsFields,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from citymgmt_plugin.core.patrol.segments import NULL_TIME, TrackRules, TrackStats
from citymgmt_plugin.core.qgis.session import current_workspace, workspace_layer_default

from .help import help_html
from .params import field, number, source
from .readers import (
    points_xy,
    qdatetime_to_epoch,
    read_columns,
    require_fields,
    require_source,
    source_layer,
    text_values,
)
from .writers import style_on_load


class CityMgmtAlgorithm(QgsProcessingAlgorithm):
    """Base: translation, group and instance creation shared by every algorithm, and the
    parameters, inputs and outputs several of them share.

    Subclasses set ``ALG_ID``, ``ALG_NAME`` (English source, translated through tr()),
    ``ALG_GROUP`` / ``ALG_GROUP_ID`` and ``ALG_HELP``.
    """

    ALG_ID = ""
    ALG_NAME = ""
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = ""
    # Output parameter name -> style stem (core.qgis.output_styles): how each output looks
    # when Processing loads it into the project.
    OUTPUT_STYLES: dict[str, str] = {}
    # Inputs that default to the connected workspace's layers in QGIS: parameter name ->
    # workspace layer key; and field parameters -> the workspace's column name.
    WORKSPACE_LAYERS: dict[str, str] = {}
    WORKSPACE_FIELDS: dict[str, str] = {}

    # Parameter names used by more than one algorithm (and by the add_* helpers below).
    GRIDS = "GRIDS"
    GRID_CODE_FIELD = "GRID_CODE_FIELD"
    TRACKS = "TRACKS"
    COLLECTOR_FIELD = "COLLECTOR_FIELD"
    TIME_FIELD = "TIME_FIELD"
    TOLERANCE = "TOLERANCE"
    MAX_GAP = "MAX_GAP"
    MAX_SPEED = "MAX_SPEED"
    START = "START"
    END = "END"
    OUTPUT = "OUTPUT"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CityMgmtAlgorithm", text)

    def name(self) -> str:
        return self.ALG_ID

    def cancelled(self, feedback: QgsProcessingFeedback) -> dict[str, Any]:
        """What a cancelled run returns: no outputs (none were written), and the log says
        so rather than showing an empty result."""
        feedback.pushWarning(self.tr("Cancelled: no output was written."))
        return {}

    def displayName(self) -> str:
        return self.tr(self.ALG_NAME)

    def group(self) -> str:
        return self.tr(self.ALG_GROUP)

    def groupId(self) -> str:
        return self.ALG_GROUP_ID

    def shortHelpString(self) -> str:
        """The help in the user's language, escaped for the dialog (see :mod:`.help`)."""
        return help_html(self.tr(self.ALG_HELP))

    def helpUrl(self) -> str:
        """This algorithm's section of the shipped user guide (file URL)."""
        from citymgmt_plugin.core.qgis.guide_link import guide_url

        return guide_url(self.ALG_ID)

    def createInstance(self) -> QgsProcessingAlgorithm:
        return type(self)()

    def postProcessAlgorithm(
        self, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict[str, Any]:
        """Styles for the outputs that will be loaded (main thread, after the run)."""
        style_on_load(context, self.OUTPUT_STYLES)
        return {}

    def addParameter(self, definition: Any, createOutput: bool = True) -> bool:
        """As QGIS's, with the connected workspace's layer (or column) as the default of the
        inputs named in ``WORKSPACE_LAYERS`` / ``WORKSPACE_FIELDS``: in a QGIS session with a
        workspace open, the dialog starts with the workspace's layers, not the active one."""
        name = definition.name()
        default = None
        if name in self.WORKSPACE_LAYERS:
            default = workspace_layer_default(self.WORKSPACE_LAYERS[name])
        elif name in self.WORKSPACE_FIELDS and current_workspace() is not None:
            default = self.WORKSPACE_FIELDS[name]
        if default is not None:
            definition.setDefaultValue(default)
        return super().addParameter(definition, createOutput)

    # -- shared parameter declarations ---------------------------------------------------------

    def add_grid_parameters(
        self,
        *,
        label: str | None = None,
        optional: bool = False,
        code_default: str | None = "code",
        code_optional: bool = True,
        vector_layer: bool = False,
    ) -> None:
        """``GRIDS`` (polygons; "Unit grids" unless ``label``) and ``GRID_CODE_FIELD``.

        ``vector_layer``: a vector layer parameter instead of a feature source (for
        algorithms that need the layer itself).
        """
        label = label or self.tr("Unit grids")
        polygons = [QgsProcessing.TypeVectorPolygon]
        if vector_layer:
            grids = QgsProcessingParameterVectorLayer(
                self.GRIDS, label, polygons, optional=optional
            )
        else:
            grids = source(self.GRIDS, label, polygons, optional=optional)
        self.addParameter(grids)
        self.addParameter(
            field(
                self.GRID_CODE_FIELD,
                self.tr("Grid code field"),
                self.GRIDS,
                code_default,
                optional=code_optional,
            )
        )

    def add_track_parameters(self) -> None:
        """``TRACKS`` (GPS fixes), ``COLLECTOR_FIELD`` and ``TIME_FIELD``."""
        points = [QgsProcessing.TypeVectorPoint]
        self.addParameter(source(self.TRACKS, self.tr("Patrol GPS fixes"), points))
        self.addParameter(field(self.COLLECTOR_FIELD, self.tr("Collector field"), self.TRACKS))
        self.addParameter(field(self.TIME_FIELD, self.tr("Time field"), self.TRACKS))

    def add_track_rule_parameters(self) -> None:
        """``TOLERANCE`` (m), ``MAX_GAP`` (s) and ``MAX_SPEED`` (km/h): how fixes make tracks
        and how near a track counts (see :meth:`track_rules`)."""
        self.addParameter(number(self.TOLERANCE, self.tr("Tolerance (m)"), 30.0, 0.01))
        self.addParameter(number(self.MAX_GAP, self.tr("Maximum gap between fixes (s)"), 120.0, 1))
        self.addParameter(number(self.MAX_SPEED, self.tr("Maximum speed (km/h)"), 60.0, 0.1))

    def add_number_outputs(self, *outputs: tuple[str, str]) -> None:
        """Numeric results: ``(name, translated description)`` pairs."""
        for name, description in outputs:
            self.addOutput(QgsProcessingOutputNumber(name, description))

    # -- reading parameters ------------------------------------------------------------------

    def source(
        self,
        parameters: dict[str, Any],
        name: str,
        context: QgsProcessingContext,
        geometry: int,
        what: str,
    ) -> QgsFeatureSource:
        """The feature source ``name``, checked: readable, not empty, ``geometry`` type."""
        return require_source(self.parameterAsSource(parameters, name, context), geometry, what)

    def track_fields(
        self, parameters: dict[str, Any], context: QgsProcessingContext, tracks: QgsFeatureSource
    ) -> tuple[str, str]:
        """``COLLECTOR_FIELD`` and ``TIME_FIELD``, checked against the ``tracks`` source."""
        col_field = self.parameterAsString(parameters, self.COLLECTOR_FIELD, context)
        time_field = self.parameterAsString(parameters, self.TIME_FIELD, context)
        require_fields(tracks, [col_field, time_field], self.tr("track"))
        return col_field, time_field

    def read_fixes(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        tracks: QgsFeatureSource,
        crs: QgsCoordinateReferenceSystem,
        col_field: str,
        time_field: str,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The GPS fixes of ``TRACKS`` in ``crs``: x, y (NaN without position), epoch times
        and collector values (fast GeoPackage path where possible)."""
        layer = source_layer(self, parameters, self.TRACKS, context)
        cols = read_columns(
            tracks, layer, [col_field, time_field], crs, context, feedback, time_field=time_field
        )
        x, y = cols.xy if cols.xy is not None else points_xy(cols.wkb)
        return x, y, cols.attrs[time_field], cols.attrs[col_field]

    def read_coded(
        self,
        source: QgsFeatureSource,
        code_field: str,
        crs: QgsCoordinateReferenceSystem,
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> tuple[np.ndarray, list[str | None]]:
        """WKB geometries (in ``crs``) and codes as text of a grid or administrative layer.

        Read through QGIS, not layer_arrays' GDAL Arrow path: workspace GeoPackages written
        through SpatiaLite hold SpatiaLite geometry blobs, which GDAL 3.6's Arrow reader
        returns as nulls (OGR's normal reader understands them); grids and reports are few
        enough (10,000 / 100,000s) for QGIS's reader to take well under a second per 10,000
        features.
        """
        cols = read_columns(source, None, [code_field], crs, context, feedback)
        return cols.wkb, text_values(cols.attrs[code_field])

    def epoch(self, parameters: dict[str, Any], name: str, context: QgsProcessingContext):
        """A date-time parameter as epoch seconds; None when not given or invalid."""
        if parameters.get(name) in (None, ""):
            return None
        value = self.parameterAsDateTime(parameters, name, context)
        if not value.isValid():
            return None
        t = qdatetime_to_epoch(value)
        return None if t == NULL_TIME else t

    def track_rules(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        start: int | None = None,
        end: int | None = None,
    ) -> TrackRules:
        """``TrackRules`` from ``MAX_GAP`` and ``MAX_SPEED``, for the window [start, end]."""
        return TrackRules(
            max_gap_s=self.parameterAsDouble(parameters, self.MAX_GAP, context),
            max_speed_kmh=self.parameterAsDouble(parameters, self.MAX_SPEED, context),
            start=start,
            end=end,
        )

    def report_track_stats(self, feedback: QgsProcessingFeedback, stats: TrackStats) -> None:
        """Tell the user what cleaning the fixes dropped (``TrackStats``)."""
        if stats.null_skipped:
            feedback.pushWarning(
                self.tr("{} fixes without time, position or collector were skipped.").format(
                    stats.null_skipped
                )
            )
        if stats.jumps_dropped:
            feedback.pushInfo(
                self.tr("{} fixes were dropped as GPS jumps.").format(stats.jumps_dropped)
            )

    # -- outputs ---------------------------------------------------------------------------------

    def sink(
        self,
        parameters: dict[str, Any],
        name: str,
        context: QgsProcessingContext,
        fields: QgsFields,
        wkb_type: int,
        crs: QgsCoordinateReferenceSystem,
        required: bool = True,
    ) -> tuple[QgsFeatureSink | None, str]:
        """``(sink, destination id)`` of the sink parameter ``name``. A sink that cannot be
        created is an error when ``required``; else (an optional output the user skipped)
        the sink is None."""
        sink, dest = self.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
        if sink is None and required:
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return sink, dest


def progress_callback(
    feedback: QgsProcessingFeedback | None, lo: float = 0.0, hi: float = 100.0
) -> Callable[[float], bool]:
    """``progress(fraction) -> canceled`` for the core kernels, mapped onto [lo, hi] %."""

    def progress(fraction: float) -> bool:
        if feedback is None:
            return False
        feedback.setProgress(lo + (hi - lo) * min(max(fraction, 0.0), 1.0))
        return feedback.isCanceled()

    return progress
