"""citymgmt:routedeviation — time and distance each collector spent off the prescribed route."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.coverage import TrackRules, track_segments
from citymgmt_plugin.core.deviation import route_deviation

from .base import CityMgmtAlgorithm
from .layer_arrays import (
    points_xy,
    read_columns,
    require_fields,
    require_projected,
    require_source,
    source_layer,
)


def _label(v) -> str | None:
    """Collector labels compared as text: layers give bytes, str or numbers."""
    if v is None or (isinstance(v, QVariant) and v.isNull()):
        return None
    return v.decode() if isinstance(v, bytes) else str(v)


class RouteDeviationAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "routedeviation"
    ALG_NAME = "Deviation from prescribed patrol routes"
    ALG_GROUP = "Patrol"
    ALG_GROUP_ID = "patrol"
    ALG_HELP = (
        "Checks the rule that collectors patrol along their prescribed route (no change of "
        "route without approval).<br>"
        "GPS fixes are cleaned as in the coverage check (null time or position skipped, GPS "
        "jumps faster than the maximum speed dropped, tracks broken at gaps longer than the "
        "maximum gap). A fix is off-route when it is farther than the tolerance from the "
        "collector's route; a segment between two off-route fixes counts wholly off-route, "
        "a segment with one end off counts in proportion.<br>"
        "<b>Outputs</b>: a table per collector and day (China Standard Time) with patrol "
        "time and distance, time and distance off-route and their shares; and the off-route "
        "stretches as lines with their length and duration. Collectors without a route are "
        "reported with empty off-route values.<br>"
        "Distances are measured in the tracks' projected CRS (or the routes' when the tracks "
        "are in longitude/latitude); at least one of them must be in a projected CRS in "
        "metres."
    )

    TRACKS = "TRACKS"
    COLLECTOR_FIELD = "COLLECTOR_FIELD"
    TIME_FIELD = "TIME_FIELD"
    ROUTES = "ROUTES"
    ROUTE_COLLECTOR_FIELD = "ROUTE_COLLECTOR_FIELD"
    TOLERANCE = "TOLERANCE"
    MAX_GAP = "MAX_GAP"
    MAX_SPEED = "MAX_SPEED"
    OUTPUT = "OUTPUT"
    OFFROUTE = "OFFROUTE"

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.TRACKS, self.tr("Patrol GPS fixes"), [QgsProcessing.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.COLLECTOR_FIELD,
                self.tr("Collector field"),
                parentLayerParameterName=self.TRACKS,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.TIME_FIELD, self.tr("Time field"), parentLayerParameterName=self.TRACKS
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ROUTES, self.tr("Prescribed routes"), [QgsProcessing.TypeVectorLine]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.ROUTE_COLLECTOR_FIELD,
                self.tr("Route collector field"),
                parentLayerParameterName=self.ROUTES,
            )
        )
        for name, label, default, minimum in (
            (self.TOLERANCE, self.tr("Tolerance (m)"), 30.0, 0.01),
            (self.MAX_GAP, self.tr("Maximum gap between fixes (s)"), 120.0, 1.0),
            (self.MAX_SPEED, self.tr("Maximum speed (km/h)"), 60.0, 0.1),
        ):
            p = QgsProcessingParameterNumber(
                name, label, QgsProcessingParameterNumber.Double, defaultValue=default
            )
            p.setMinimum(minimum)
            self.addParameter(p)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, self.tr("Deviation per collector and day"), QgsProcessing.TypeVector
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OFFROUTE, self.tr("Off-route stretches"), QgsProcessing.TypeVectorLine
            )
        )

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        tracks_src = require_source(
            self.parameterAsSource(parameters, self.TRACKS, context),
            QgsWkbTypes.PointGeometry,
            self.tr("track"),
        )
        routes_src = require_source(
            self.parameterAsSource(parameters, self.ROUTES, context),
            QgsWkbTypes.LineGeometry,
            self.tr("route"),
        )
        # Distances are measured in the tracks' CRS, or the routes' when the GPS fixes are
        # still in longitude/latitude.
        crs = tracks_src.sourceCrs()
        if crs.isGeographic() and not routes_src.sourceCrs().isGeographic():
            crs = routes_src.sourceCrs()
        require_projected(crs, self.tr("track"))
        col_field = self.parameterAsString(parameters, self.COLLECTOR_FIELD, context)
        time_field = self.parameterAsString(parameters, self.TIME_FIELD, context)
        route_field = self.parameterAsString(parameters, self.ROUTE_COLLECTOR_FIELD, context)
        require_fields(tracks_src, [col_field, time_field], self.tr("track"))
        require_fields(routes_src, [route_field], self.tr("route"))
        tol = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        rules = TrackRules(
            max_gap_s=self.parameterAsDouble(parameters, self.MAX_GAP, context),
            max_speed_kmh=self.parameterAsDouble(parameters, self.MAX_SPEED, context),
        )
        routes = self._routes(routes_src, route_field, crs, context)
        feedback.setProgress(5)
        tracks = read_columns(
            tracks_src, source_layer(self, parameters, self.TRACKS, context),
            [col_field, time_field], crs, context, feedback, time_field=time_field,
        )  # fmt: skip
        if feedback.isCanceled():
            return {}
        feedback.setProgress(40)
        x, y = tracks.xy if tracks.xy is not None else points_xy(tracks.wkb)
        labels = np.array([_label(v) for v in tracks.attrs[col_field]], dtype=object)
        no_label = np.equal(labels, None)
        if no_label.any():
            x[no_label] = np.nan
            labels[no_label] = ""
        segs = track_segments(x, y, tracks.attrs[time_field], labels, rules)
        if segs.stats.null_skipped:
            feedback.pushWarning(
                self.tr("{} fixes without time, position or collector were skipped.").format(
                    segs.stats.null_skipped
                )
            )
        if segs.stats.jumps_dropped:
            feedback.pushInfo(
                self.tr("{} fixes were dropped as GPS jumps.").format(segs.stats.jumps_dropped)
            )
        feedback.setProgress(55)
        if feedback.isCanceled():
            return {}
        result = route_deviation(segs, routes, tol)
        if result.missing_routes:
            feedback.pushWarning(
                self.tr("No route for collectors: {}").format(
                    ", ".join(sorted(str(c) for c in result.missing_routes))
                )
            )
        feedback.setProgress(85)
        return self._write(parameters, context, result, crs)

    def _routes(self, src, field, crs, context) -> dict:
        idx = src.fields().lookupField(field)
        req = QgsFeatureRequest().setSubsetOfAttributes([idx])
        if src.sourceCrs() != crs:
            req.setDestinationCrs(crs, context.transformContext())
        parts: dict[str, list] = {}
        for f in src.getFeatures(req):
            label = _label(f.attributes()[idx])
            if label is None or not f.hasGeometry():
                continue
            parts.setdefault(label, []).append(bytes(f.geometry().asWkb()))
        if not parts:
            raise QgsProcessingException(
                self.tr("The route layer has no routes with a collector and a geometry.")
            )
        return {label: shapely.union_all(shapely.from_wkb(wkbs)) for label, wkbs in parts.items()}

    def _write(self, parameters, context, result, crs) -> dict:
        fields = QgsFields()
        for name, kind in (
            ("collector", QVariant.String),
            ("day", QVariant.String),
            ("patrol_s", QVariant.Double),
            ("patrol_m", QVariant.Double),
            ("off_s", QVariant.Double),
            ("off_m", QVariant.Double),
            ("off_time_share", QVariant.Double),
            ("off_dist_share", QVariant.Double),
        ):
            fields.append(QgsField(name, kind))
        sink, out_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry, crs
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        feats = []
        for r in sorted(result.rows, key=lambda r: (str(r.collector), r.day)):
            f = QgsFeature(fields)
            f.setAttributes(
                [str(r.collector), r.day, round(r.patrol_s, 3), round(r.patrol_m, 3),
                 _round(r.off_s), _round(r.off_m), r.off_time_share, r.off_dist_share]
            )  # fmt: skip
            feats.append(f)
        sink.addFeatures(feats, QgsFeatureSink.FastInsert)

        lfields = QgsFields()
        for name, kind in (
            ("collector", QVariant.String),
            ("day", QVariant.String),
            ("length_m", QVariant.Double),
            ("duration_s", QVariant.Double),
        ):
            lfields.append(QgsField(name, kind))
        lsink, off_id = self.parameterAsSink(
            parameters, self.OFFROUTE, context, lfields, QgsWkbTypes.LineString, crs
        )
        if lsink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OFFROUTE))
        st = result.stretches
        lfeats = []
        for wkb, c, d, ln, dur in zip(
            shapely.to_wkb(st.lines), st.collector, st.day, st.length_m, st.duration_s
        ):
            f = QgsFeature(lfields)
            g = QgsGeometry()
            g.fromWkb(wkb)
            f.setGeometry(g)
            f.setAttributes([str(c), str(d), round(float(ln), 3), round(float(dur), 3)])
            lfeats.append(f)
        lsink.addFeatures(lfeats, QgsFeatureSink.FastInsert)
        return {
            self.OUTPUT: out_id,
            self.OFFROUTE: off_id,
        }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)
