"""citymgmt:patrolcoverage — weekly main-road coverage per unit grid from patrol tracks."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.patrol.clip import clip_roads_to_grids
from citymgmt_plugin.core.patrol.coverage import CoverageOutcome, compute_coverage, passes, rollup
from citymgmt_plugin.core.patrol.coverage_postgis import CoverageSqlError, run_in_postgis
from citymgmt_plugin.core.patrol.hugepages import no_hugepage_stalls
from citymgmt_plugin.core.patrol.segments import TrackStats, track_segments

from .base import CityMgmtAlgorithm
from .params import LINE, POINT, POLYGON, field, number, sink, source
from .readers import (
    as_text,
    is_null,
    postgis_sources,
    read_columns,
    require_fields,
    require_projected,
    source_layer,
)
from .writers import make_fields, wkb_2d, write_features


class PatrolCoverageAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "patrolcoverage"
    ALG_NAME = "Patrol coverage of main roads"
    ALG_GROUP = "Patrol"
    ALG_GROUP_ID = "patrol"
    ALG_HELP = (
        "Checks the contract rule that every main road and window area of every grid is "
        "patrolled (every week, for a one-week time window).<br>"
        "Collector GPS fixes are sorted by collector and time; fixes with no time or "
        "position are skipped; a fix that could only be reached from the last kept fix "
        "faster than the maximum speed is a GPS jump and is dropped; the track is broken "
        "where two kept fixes are more than the maximum gap apart.<br>"
        "A point of a road counts as covered when it lies within the tolerance of a track "
        "segment of any collector. Lengths are exact (no sampling).<br>"
        "<b>Outputs</b>: one feature per grid with road length, covered length, coverage "
        "share and whether it reaches the required share (required minus its tolerance; "
        "grids without roads pass); the uncovered road stretches; optionally sums per "
        "responsibility grid from a table of unit grid code and responsibility grid "
        "code.<br>"
        "The grid layer must be in a projected CRS in metres; the other layers are "
        "transformed to it. Times without a time zone are read as China Standard Time "
        "(Asia/Shanghai).<br>"
        "<b>Run in PostGIS</b>: when grids, roads and tracks are tables of one PostGIS "
        "database, the whole computation can run in the database with one SQL script."
    )

    # GRIDS, GRID_CODE_FIELD, TRACKS, COLLECTOR_FIELD, TIME_FIELD, TOLERANCE, MAX_GAP,
    # MAX_SPEED, START, END, OUTPUT: see CityMgmtAlgorithm
    ROADS = "ROADS"
    REQUIRED = "REQUIRED"
    REQUIRED_TOLERANCE = "REQUIRED_TOLERANCE"
    RESP_GRID_TABLE = "RESP_GRID_TABLE"
    RESP_UNIT_FIELD = "RESP_UNIT_FIELD"
    RESP_CODE_FIELD = "RESP_CODE_FIELD"
    PG_MODE = "PG_MODE"
    GAPS = "GAPS"
    RESP_OUTPUT = "RESP_OUTPUT"

    def initAlgorithm(self, config=None) -> None:
        self.add_grid_parameters(code_default=None, code_optional=False)
        self.addParameter(source(self.ROADS, self.tr("Main roads"), [QgsProcessing.TypeVectorLine]))
        self.add_track_parameters()
        self.add_track_rule_parameters()
        self.addParameter(
            QgsProcessingParameterDateTime(self.START, self.tr("Start time"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterDateTime(self.END, self.tr("End time"), optional=True)
        )
        self.addParameter(number(self.REQUIRED, self.tr("Required coverage share"), 1.0, 0.0, 1.0))
        self.addParameter(
            number(
                self.REQUIRED_TOLERANCE, self.tr("Tolerance on the required share"), 0.005, 0.0, 1.0
            )
        )
        self.addParameter(
            source(
                self.RESP_GRID_TABLE,
                self.tr("Responsibility grid table (unit grid to responsibility grid)"),
                [QgsProcessing.TypeVector],
                optional=True,
            )
        )
        for name, label in (
            (self.RESP_UNIT_FIELD, self.tr("Unit grid code field")),
            (self.RESP_CODE_FIELD, self.tr("Responsibility grid code field")),
        ):
            self.addParameter(field(name, label, self.RESP_GRID_TABLE, optional=True))
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.PG_MODE, self.tr("Run in PostGIS (inputs in one PostGIS database)"), False
            )
        )
        self.addParameter(
            sink(self.OUTPUT, self.tr("Grid coverage"), QgsProcessing.TypeVectorPolygon)
        )
        self.addParameter(
            sink(self.GAPS, self.tr("Uncovered road stretches"), QgsProcessing.TypeVectorLine)
        )
        self.addParameter(
            sink(
                self.RESP_OUTPUT,
                self.tr("Responsibility grid coverage"),
                QgsProcessing.TypeVector,
                optional=True,
                create_by_default=False,
            )
        )
        self.add_number_outputs(
            ("grids", self.tr("Grids")),
            ("grids_failed", self.tr("Grids failing")),
            ("road_m", self.tr("Road length (m)")),
            ("covered_m", self.tr("Covered length (m)")),
            ("fixes_used", self.tr("Fixes used")),
            ("fixes_skipped", self.tr("Fixes skipped (null)")),
            ("jumps_dropped", self.tr("GPS jumps dropped")),
        )

    # ------------------------------------------------------------------ run

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        grids_src = self.source(parameters, self.GRIDS, context, POLYGON, self.tr("grid"))
        roads_src = self.source(parameters, self.ROADS, context, LINE, self.tr("road"))
        tracks_src = self.source(parameters, self.TRACKS, context, POINT, self.tr("track"))
        # Distances are measured in the grid layer's CRS; the others are transformed to it.
        crs = grids_src.sourceCrs()
        require_projected(crs, self.tr("grid"))
        code_field = self.parameterAsString(parameters, self.GRID_CODE_FIELD, context)
        require_fields(grids_src, [code_field], self.tr("grid"))
        col_field, time_field = self.track_fields(parameters, context, tracks_src)
        tol = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        if tol <= 0:
            raise QgsProcessingException(self.tr("The tolerance must be greater than zero."))
        rules = self.track_rules(
            parameters,
            context,
            start=self.epoch(parameters, self.START, context),
            end=self.epoch(parameters, self.END, context),
        )
        if rules.start is not None and rules.end is not None and rules.end < rules.start:
            raise QgsProcessingException(self.tr("The end time is before the start time."))
        required = self.parameterAsDouble(parameters, self.REQUIRED, context)
        req_tol = self.parameterAsDouble(parameters, self.REQUIRED_TOLERANCE, context)
        mapping = self._resp_mapping(parameters, context)

        if self.parameterAsBoolean(parameters, self.PG_MODE, context):
            outcome = self._run_in_postgis(
                parameters, context, feedback, code_field, col_field, time_field, tol, rules
            )
        else:
            # Millions of fixes go through short-lived big arrays: see core/hugepages.py.
            with no_hugepage_stalls():
                outcome = self._run_desktop(
                    parameters, context, feedback, grids_src, roads_src, tracks_src, crs,
                    code_field, col_field, time_field, tol, rules,
                )  # fmt: skip
        if feedback.isCanceled():
            return self.cancelled(feedback)
        stats = outcome.stats
        self.report_track_stats(feedback, stats)
        if stats.kept == 0:
            feedback.pushWarning(self.tr("No usable fixes: every grid with roads is uncovered."))
        feedback.setProgress(90)
        results = self._write(parameters, context, outcome, crs, required, req_tol, mapping)
        feedback.setProgress(100)
        return results

    def _run_in_postgis(
        self, parameters, context, feedback, code_field, col_field, time_field, tol, rules
    ) -> CoverageOutcome | None:
        dsn, sources = postgis_sources(
            self, parameters, context, (self.GRIDS, self.ROADS, self.TRACKS)
        )
        try:
            return run_in_postgis(
                dsn, *sources, code_field, col_field, time_field, tol, rules,
                progress=lambda share: feedback.setProgress(5 + 80 * share),
                cancelled=feedback.isCanceled,
            )  # fmt: skip
        except CoverageSqlError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def _resp_mapping(self, parameters, context) -> dict | None:
        if parameters.get(self.RESP_GRID_TABLE) in (None, ""):
            return None
        src = self.parameterAsSource(parameters, self.RESP_GRID_TABLE, context)
        if src is None:
            raise QgsProcessingException(
                self.tr("The responsibility grid table could not be read.")
            )
        unit = self.parameterAsString(parameters, self.RESP_UNIT_FIELD, context)
        code = self.parameterAsString(parameters, self.RESP_CODE_FIELD, context)
        if not unit or not code:
            raise QgsProcessingException(
                self.tr("Choose the unit grid code and responsibility grid code fields.")
            )
        require_fields(src, [unit, code], self.tr("responsibility grid"))
        fields = src.fields()
        iu, ic = fields.lookupField(unit), fields.lookupField(code)
        from qgis.core import QgsFeatureRequest

        req = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
        req.setSubsetOfAttributes([iu, ic])
        mapping = {}
        for f in src.getFeatures(req):
            u, c = f.attributes()[iu], f.attributes()[ic]
            if u is not None and c is not None and not is_null(u) and not is_null(c):
                mapping[str(u)] = str(c)
        return mapping

    def _run_desktop(
        self, parameters, context, feedback, grids_src, roads_src, tracks_src, crs,
        code_field, col_field, time_field, tol, rules,
    ) -> CoverageOutcome:  # fmt: skip
        def layer(name):
            return source_layer(self, parameters, name, context)

        grids = read_columns(grids_src, layer(self.GRIDS), [code_field], crs, context, feedback)
        feedback.setProgress(3)
        roads = read_columns(roads_src, layer(self.ROADS), [], crs, context, feedback)
        feedback.setProgress(6)
        if feedback.isCanceled():
            return _empty_outcome()
        x, y, t, collector = self.read_fixes(
            parameters, context, feedback, tracks_src, crs, col_field, time_field
        )
        feedback.setProgress(30)
        if feedback.isCanceled():
            return _empty_outcome()
        no_collector = _null_mask(collector)
        if no_collector.any():
            x[no_collector] = np.nan
            collector = collector.copy()
            collector[no_collector] = collector[~no_collector][0] if (~no_collector).any() else 0
        # The fixes are ours (just read): cleaned and cut into segments in place.
        segs = track_segments(x, y, t, collector, rules, overwrite=True)
        # The raw fixes are not needed any more: free them before the coverage allocates.
        del x, y, t, collector, no_collector
        feedback.setProgress(40)
        grid_geoms = shapely.from_wkb(grids.wkb)
        road_geoms = shapely.from_wkb(roads.wkb)
        lines, line_grid = clip_roads_to_grids(road_geoms, grid_geoms)
        feedback.setProgress(45)
        if feedback.isCanceled():
            return _empty_outcome()

        def progress(frac: float) -> bool:
            feedback.setProgress(45 + 45 * frac)
            return feedback.isCanceled()

        try:
            res = compute_coverage(lines, line_grid, len(grid_geoms), segs, tol, progress=progress)
        except InterruptedError:
            return _empty_outcome()
        codes = [as_text(c) or "" for c in grids.attrs[code_field]]
        return CoverageOutcome(
            codes, grid_geoms, res.road_m, res.covered_m, res.gap_lines, res.gap_grid,
            res.gap_length, segs.stats,
        )  # fmt: skip

    # ------------------------------------------------------------------ outputs

    def _write(self, parameters, context, outcome, crs, required, req_tol, mapping) -> dict:
        ok = passes(outcome.road_m, outcome.covered_m, required, req_tol)
        fields = make_fields(
            [("grid_code", QVariant.String), ("road_m", QVariant.Double),
             ("covered_m", QVariant.Double), ("coverage", QVariant.Double),
             ("passed", QVariant.Bool)]
        )  # fmt: skip
        sink, out_id = self.sink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, crs
        )
        multi = _as_multi_wkb(outcome.grid_geoms)
        rows = []
        for i, code in enumerate(outcome.grid_codes):
            rm, cm = float(outcome.road_m[i]), float(outcome.covered_m[i])
            attrs = [code, round(rm, 3), round(cm, 3), cm / rm if rm > 0 else None, bool(ok[i])]
            rows.append((attrs, multi[i]))
        write_features(sink, fields, rows)
        results = {self.OUTPUT: out_id}

        gfields = make_fields([("grid_code", QVariant.String), ("length_m", QVariant.Double)])
        gsink, gaps_id = self.sink(
            parameters, self.GAPS, context, gfields, QgsWkbTypes.LineString, crs
        )
        gaps = zip(wkb_2d(outcome.gap_lines), outcome.gap_grid, outcome.gap_length)
        write_features(
            gsink,
            gfields,
            (([outcome.grid_codes[int(gi)], round(float(ln), 3)], wkb) for wkb, gi, ln in gaps),
        )
        results[self.GAPS] = gaps_id

        if mapping is not None:
            rows = rollup(
                [str(c) for c in outcome.grid_codes],
                outcome.road_m,
                outcome.covered_m,
                mapping,
                required,
                req_tol,
            )
            rfields = make_fields(
                [("resp_code", QVariant.String), ("grids", QVariant.Int),
                 ("grids_failed", QVariant.Int), ("road_m", QVariant.Double),
                 ("covered_m", QVariant.Double), ("coverage", QVariant.Double),
                 ("passed", QVariant.Bool)]
            )  # fmt: skip
            rsink, resp_id = self.sink(
                parameters, self.RESP_OUTPUT, context, rfields, QgsWkbTypes.NoGeometry, crs,
                required=False,
            )  # fmt: skip
            if rsink is not None:
                write_features(
                    rsink,
                    rfields,
                    (
                        ([r.code, r.grids, r.grids_failed, round(r.road_m, 3),
                          round(r.covered_m, 3), r.coverage, r.passed], None)
                        for r in rows
                    ),
                )  # fmt: skip
                results[self.RESP_OUTPUT] = resp_id
        results.update(
            grids=len(outcome.grid_codes),
            grids_failed=int(np.count_nonzero(~ok)),
            road_m=float(outcome.road_m.sum()),
            covered_m=float(outcome.covered_m.sum()),
            fixes_used=outcome.stats.kept,
            fixes_skipped=outcome.stats.null_skipped,
            jumps_dropped=outcome.stats.jumps_dropped,
        )
        return results


def _null_mask(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind != "O":
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((is_null(v) for v in values), dtype=bool, count=len(values))


def _as_multi_wkb(geoms: np.ndarray) -> list:
    """Grid polygons as MultiPolygon WKB (the sink's type), None for null geometry."""
    geoms = np.asarray(geoms, dtype=object)
    out = [None] * len(geoms)
    ok = ~shapely.is_missing(geoms)
    idx = np.flatnonzero(ok)
    if len(idx):
        g = geoms[idx]
        single = shapely.get_type_id(g) == 3
        g = g.copy()
        g[single] = shapely.multipolygons(g[single][:, None]) if single.any() else g[single]
        for i, w in zip(idx, wkb_2d(g)):
            out[i] = w
    return out


def _empty_outcome() -> CoverageOutcome:
    e = np.zeros(0)
    return CoverageOutcome([], np.zeros(0, object), e, e, np.zeros(0, object), e, e, TrackStats())
