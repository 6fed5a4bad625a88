"""citymgmt:routedeviation — time and distance each collector spent off the prescribed route."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDateTime,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.patrol.deviation import route_deviation, routes_by_collector
from citymgmt_plugin.core.patrol.hugepages import no_hugepage_stalls
from citymgmt_plugin.core.patrol.segments import drop_collectorless, track_segments

from .base import CityMgmtAlgorithm
from .params import LINE, POINT, field, sink, source
from .readers import as_text, line_geometries, require_fields, require_projected
from .writers import make_fields, wkb_2d, write_features


class RouteDeviationAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "routedeviation"
    ALG_NAME = "Deviation from prescribed patrol routes"
    ALG_GROUP = "Patrol"
    ALG_GROUP_ID = "patrol"
    ALG_HELP = (
        "Checks the rule that collectors patrol along their prescribed route (no change "
        "of route without approval).\n"
        "GPS fixes are cleaned as in the coverage check (null time or position skipped, "
        "GPS jumps faster than the maximum speed dropped, tracks broken at gaps longer "
        "than the maximum gap). A fix is off-route when it is farther than the tolerance "
        "from the collector's route; a segment between two off-route fixes counts wholly "
        "off-route, a segment with one end off counts in proportion.\n"
        "Outputs: a table per collector and day (China Standard Time) with patrol time "
        "and distance, time and distance off-route and their shares; and the off-route "
        "stretches as lines with their length and duration. Collectors without a route "
        "are reported with empty off-route values.\n"
        "Distances are measured in the tracks' projected CRS (or the routes' when the "
        "tracks are in longitude/latitude); at least one of them must be in a projected "
        "CRS in metres."
    )

    # TRACKS, COLLECTOR_FIELD, TIME_FIELD, TOLERANCE, MAX_GAP, MAX_SPEED, OUTPUT: see
    # CityMgmtAlgorithm
    ROUTES = "ROUTES"
    ROUTE_COLLECTOR_FIELD = "ROUTE_COLLECTOR_FIELD"
    OFFROUTE = "OFFROUTE"
    OUTPUT_STYLES = {"OUTPUT": "route_deviation", OFFROUTE: "offroute_stretches"}
    WORKSPACE_LAYERS = {"TRACKS": "track_points", "ROUTES": "patrol_routes"}
    WORKSPACE_FIELDS = {
        "COLLECTOR_FIELD": "collector_code",
        "TIME_FIELD": "fix_time",
        "ROUTE_COLLECTOR_FIELD": "collector_code",
    }

    def initAlgorithm(self, config=None) -> None:
        self.add_track_parameters()
        self.addParameter(
            source(self.ROUTES, self.tr("Prescribed routes"), [QgsProcessing.TypeVectorLine])
        )
        self.addParameter(
            field(self.ROUTE_COLLECTOR_FIELD, self.tr("Route collector field"), self.ROUTES)
        )
        self.add_track_rule_parameters()
        for name, label in ((self.START, self.tr("Start time")), (self.END, self.tr("End time"))):
            self.addParameter(QgsProcessingParameterDateTime(name, label, optional=True))
        self.addParameter(
            sink(self.OUTPUT, self.tr("Deviation per collector and day"), QgsProcessing.TypeVector)
        )
        self.addParameter(
            sink(self.OFFROUTE, self.tr("Off-route stretches"), QgsProcessing.TypeVectorLine)
        )

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        tracks_src = self.source(parameters, self.TRACKS, context, POINT, self.tr("track"))
        routes_src = self.source(parameters, self.ROUTES, context, LINE, self.tr("route"))
        # Distances are measured in the tracks' CRS, or the routes' when the GPS fixes are
        # still in longitude/latitude.
        crs = tracks_src.sourceCrs()
        if crs.isGeographic() and not routes_src.sourceCrs().isGeographic():
            crs = routes_src.sourceCrs()
        require_projected(crs, self.tr("track"))
        col_field, time_field = self.track_fields(parameters, context, tracks_src)
        route_field = self.parameterAsString(parameters, self.ROUTE_COLLECTOR_FIELD, context)
        require_fields(routes_src, [route_field], self.tr("route"))
        tol = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        rules = self._rules(parameters, context)
        routes = self._routes(routes_src, route_field, crs, context)
        feedback.setProgress(5)
        segs = self._track_segments(
            parameters, context, feedback, tracks_src, crs, (col_field, time_field), rules
        )
        if segs is None:
            return self.cancelled(feedback)
        self.report_track_stats(feedback, segs.stats)
        feedback.setProgress(55)
        if feedback.isCanceled():
            return self.cancelled(feedback)
        result = route_deviation(segs, routes, tol)
        if result.missing_routes:
            feedback.pushWarning(
                self.tr("No route for collectors: {}").format(
                    ", ".join(sorted(str(c) for c in result.missing_routes))
                )
            )
        feedback.setProgress(85)
        results = self._write(parameters, context, result, crs)
        feedback.setProgress(100)
        return results

    def _rules(self, parameters, context):
        """Track rules, with the optional time window [START, END]."""
        start = self.epoch(parameters, self.START, context)
        end = self.epoch(parameters, self.END, context)
        if start is not None and end is not None and end < start:
            raise QgsProcessingException(self.tr("The end time is before the start time."))
        return self.track_rules(parameters, context, start=start, end=end)

    def _routes(self, src, field, crs, context) -> dict:
        labels, wkbs = line_geometries(src, field, crs, context)
        if not labels:
            raise QgsProcessingException(
                self.tr("The route layer has no routes with a collector and a geometry.")
            )
        return routes_by_collector(labels, wkbs)

    def _track_segments(self, parameters, context, feedback, tracks_src, crs, fields, rules):
        """The fixes read, labelled by collector as text, and cut into segments in place
        (None when cancelled)."""
        x, y, t, collectors = self.read_fixes(
            parameters, context, feedback, tracks_src, crs, *fields
        )
        if feedback.isCanceled():
            return None
        feedback.setProgress(40)
        labels = np.array([as_text(v) for v in collectors], dtype=object)
        labels = drop_collectorless(x, labels, np.equal(labels, None))
        with no_hugepage_stalls():  # see core/hugepages.py
            return track_segments(x, y, t, labels, rules, overwrite=True)

    def _write(self, parameters, context, result, crs) -> dict:
        fields = make_fields(
            [("collector", QVariant.String), ("day", QVariant.String),
             ("patrol_s", QVariant.Double), ("patrol_m", QVariant.Double),
             ("off_s", QVariant.Double), ("off_m", QVariant.Double),
             ("off_time_share", QVariant.Double), ("off_dist_share", QVariant.Double)]
        )  # fmt: skip
        sink, out_id = self.sink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry, crs
        )
        write_features(
            sink,
            fields,
            (
                ([str(r.collector), r.day, round(r.patrol_s, 3), round(r.patrol_m, 3),
                  _round(r.off_s), _round(r.off_m), r.off_time_share, r.off_dist_share], None)
                for r in sorted(result.rows, key=lambda r: (str(r.collector), r.day))
            ),
        )  # fmt: skip

        lfields = make_fields(
            [("collector", QVariant.String), ("day", QVariant.String),
             ("length_m", QVariant.Double), ("duration_s", QVariant.Double),
             ("day_off_share", QVariant.Double)]
        )  # fmt: skip
        lsink, off_id = self.sink(
            parameters, self.OFFROUTE, context, lfields, QgsWkbTypes.LineString, crs
        )
        # each stretch carries its collector-day's share off route (what the style shows)
        share = {(str(r.collector), r.day): r.off_dist_share for r in result.rows}
        st = result.stretches
        stretches = zip(wkb_2d(st.lines), st.collector, st.day, st.length_m, st.duration_s)
        write_features(
            lsink,
            lfields,
            (
                ([str(c), str(d), round(float(ln), 3), round(float(dur), 3),
                  share.get((str(c), str(d)))], wkb)
                for wkb, c, d, ln, dur in stretches
            ),
        )  # fmt: skip
        return {self.OUTPUT: out_id, self.OFFROUTE: off_id}


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)
