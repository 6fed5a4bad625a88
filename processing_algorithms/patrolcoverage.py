"""citymgmt:patrolcoverage — weekly main-road coverage per unit grid from patrol tracks."""

from __future__ import annotations

from dataclasses import dataclass

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

from citymgmt_plugin.core.patrol.coverage import (
    CoverageOutcome,
    empty_outcome,
    grid_coverage,
    passes,
    rollup,
)
from citymgmt_plugin.core.patrol.coverage_postgis import CoverageSqlError, run_in_postgis
from citymgmt_plugin.core.patrol.hugepages import no_hugepage_stalls
from citymgmt_plugin.core.patrol.segments import TrackRules, drop_collectorless, track_segments

from .base import CityMgmtAlgorithm, progress_callback
from .params import LINE, POINT, POLYGON, field, number, sink, source
from .readers import (
    as_text,
    null_mask,
    postgis_sources,
    read_columns,
    require_fields,
    require_projected,
    source_layer,
    value_map,
)
from .writers import make_fields, multipolygon_wkb, wkb_2d, write_features


class PatrolCoverageAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "patrolcoverage"
    ALG_NAME = "Patrol coverage of main roads"
    ALG_GROUP = "Patrol"
    ALG_GROUP_ID = "patrol"
    ALG_HELP = (
        "Checks the contract rule that every main road and window area of every grid is "
        "patrolled (every week, for a one-week time window).\n"
        "Collector GPS fixes are sorted by collector and time; fixes with no time or "
        "position are skipped; a fix that could only be reached from the last kept fix "
        "faster than the maximum speed is a GPS jump and is dropped; the track is broken "
        "where two kept fixes are more than the maximum gap apart.\n"
        "A point of a road counts as covered when it lies within the tolerance of a track "
        "segment of any collector. Lengths are exact (no sampling).\n"
        "Outputs: one feature per grid with road length, covered length, coverage share "
        "and whether it reaches the required share (required minus its tolerance; grids "
        "without roads pass); the uncovered road stretches; optionally sums per "
        "responsibility grid from a table of unit grid code and responsibility grid code.\n"
        "The grid layer must be in a projected CRS in metres; the other layers are "
        "transformed to it. Times without a time zone are read as China Standard Time "
        "(Asia/Shanghai).\n"
        "Run in PostGIS: when grids, roads and tracks are tables of one PostGIS database, "
        "the whole computation can run in the database with one SQL script."
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
    OUTPUT_STYLES = {
        "OUTPUT": "coverage_grids",
        GAPS: "coverage_gaps",
        RESP_OUTPUT: "resp_grid_coverage",
    }
    WORKSPACE_LAYERS = {"GRIDS": "unit_grids", "ROADS": "main_roads", "TRACKS": "track_points"}
    WORKSPACE_FIELDS = {
        "GRID_CODE_FIELD": "code",
        "COLLECTOR_FIELD": "collector_code",
        "TIME_FIELD": "fix_time",
    }

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
        run = self._settings(parameters, context, grids_src, tracks_src)
        if self.parameterAsBoolean(parameters, self.PG_MODE, context):
            outcome = self._run_in_postgis(parameters, context, feedback, run)
        else:
            # Millions of fixes go through short-lived big arrays: see core/hugepages.py.
            with no_hugepage_stalls():
                outcome = self._run_desktop(
                    parameters, context, feedback, (grids_src, roads_src, tracks_src), crs, run
                )
        if feedback.isCanceled():
            return self.cancelled(feedback)
        self.report_track_stats(feedback, outcome.stats)
        if outcome.stats.kept == 0:
            feedback.pushWarning(self.tr("No usable fixes: every grid with roads is uncovered."))
        feedback.setProgress(90)
        results = self._write(parameters, context, outcome, crs, run)
        feedback.setProgress(100)
        return results

    def _settings(self, parameters, context, grids_src, tracks_src) -> _Run:
        """Fields, tolerance, track rules, required share and the responsibility grids."""
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
        return _Run(
            code_field, col_field, time_field, tol, rules,
            required=self.parameterAsDouble(parameters, self.REQUIRED, context),
            required_tolerance=self.parameterAsDouble(parameters, self.REQUIRED_TOLERANCE, context),
            mapping=self._resp_mapping(parameters, context),
        )  # fmt: skip

    def _run_in_postgis(self, parameters, context, feedback, run: _Run) -> CoverageOutcome:
        dsn, sources = postgis_sources(
            self, parameters, context, (self.GRIDS, self.ROADS, self.TRACKS)
        )
        try:
            return run_in_postgis(
                dsn, *sources, run.code_field, run.col_field, run.time_field, run.tolerance,
                run.rules, progress=lambda share: feedback.setProgress(5 + 80 * share),
                cancelled=feedback.isCanceled,
            )  # fmt: skip
        except CoverageSqlError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def _resp_mapping(self, parameters, context) -> dict | None:
        """Unit grid code -> responsibility grid code, from the optional table."""
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
        return value_map(src, unit, code)

    def _run_desktop(self, parameters, context, feedback, sources, crs, run) -> CoverageOutcome:
        """Read the layers, cut the fixes into track segments and compute in core."""
        grids_src, roads_src, tracks_src = sources

        def layer(name):
            return source_layer(self, parameters, name, context)

        grids = read_columns(grids_src, layer(self.GRIDS), [run.code_field], crs, context, feedback)
        feedback.setProgress(3)
        roads = read_columns(roads_src, layer(self.ROADS), [], crs, context, feedback)
        feedback.setProgress(6)
        if feedback.isCanceled():
            return empty_outcome()
        segs = self._track_segments(parameters, context, feedback, tracks_src, crs, run)
        if segs is None:
            return empty_outcome()
        feedback.setProgress(40)
        codes = [as_text(c) or "" for c in grids.attrs[run.code_field]]
        try:
            return grid_coverage(
                codes, shapely.from_wkb(grids.wkb), shapely.from_wkb(roads.wkb), segs,
                run.tolerance, progress=progress_callback(feedback, 45, 90),
            )  # fmt: skip
        except InterruptedError:
            return empty_outcome()

    def _track_segments(self, parameters, context, feedback, tracks_src, crs, run):
        """The fixes read and cut into segments (None when cancelled). The fixes are ours
        (just read): cleaned and cut in place, and freed before the coverage allocates."""
        x, y, t, collector = self.read_fixes(
            parameters, context, feedback, tracks_src, crs, run.col_field, run.time_field
        )
        feedback.setProgress(30)
        if feedback.isCanceled():
            return None
        collector = drop_collectorless(x, collector, null_mask(collector))
        return track_segments(x, y, t, collector, run.rules, overwrite=True)

    # ------------------------------------------------------------------ outputs

    def _write(self, parameters, context, outcome, crs, run: _Run) -> dict:
        ok = passes(outcome.road_m, outcome.covered_m, run.required, run.required_tolerance)
        results = {
            self.OUTPUT: self._write_grids(parameters, context, outcome, crs, ok),
            self.GAPS: self._write_gaps(parameters, context, outcome, crs),
        }
        if run.mapping is not None:
            resp_id = self._write_resp(parameters, context, outcome, crs, run)
            if resp_id is not None:
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

    def _write_grids(self, parameters, context, outcome, crs, ok) -> str:
        """One feature per grid: road and covered length, share, passed."""
        fields = make_fields(
            [("grid_code", QVariant.String), ("road_m", QVariant.Double),
             ("covered_m", QVariant.Double), ("coverage", QVariant.Double),
             ("passed", QVariant.Bool)]
        )  # fmt: skip
        sink, out_id = self.sink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon, crs
        )
        multi = multipolygon_wkb(outcome.grid_geoms)
        rows = []
        for i, code in enumerate(outcome.grid_codes):
            rm, cm = float(outcome.road_m[i]), float(outcome.covered_m[i])
            attrs = [code, round(rm, 3), round(cm, 3), cm / rm if rm > 0 else None, bool(ok[i])]
            rows.append((attrs, multi[i]))
        write_features(sink, fields, rows)
        return out_id

    def _write_gaps(self, parameters, context, outcome, crs) -> str:
        """The uncovered road stretches with their grid and length."""
        fields = make_fields([("grid_code", QVariant.String), ("length_m", QVariant.Double)])
        sink, gaps_id = self.sink(
            parameters, self.GAPS, context, fields, QgsWkbTypes.LineString, crs
        )
        gaps = zip(wkb_2d(outcome.gap_lines), outcome.gap_grid, outcome.gap_length)
        write_features(
            sink,
            fields,
            (([outcome.grid_codes[int(gi)], round(float(ln), 3)], wkb) for wkb, gi, ln in gaps),
        )
        return gaps_id

    def _write_resp(self, parameters, context, outcome, crs, run: _Run) -> str | None:
        """Sums per responsibility grid (optional output: None when not asked for)."""
        rows = rollup(
            [str(c) for c in outcome.grid_codes],
            outcome.road_m,
            outcome.covered_m,
            run.mapping,
            run.required,
            run.required_tolerance,
        )
        fields = make_fields(
            [("resp_code", QVariant.String), ("grids", QVariant.Int),
             ("grids_failed", QVariant.Int), ("road_m", QVariant.Double),
             ("covered_m", QVariant.Double), ("coverage", QVariant.Double),
             ("passed", QVariant.Bool)]
        )  # fmt: skip
        sink, resp_id = self.sink(
            parameters, self.RESP_OUTPUT, context, fields, QgsWkbTypes.NoGeometry, crs,
            required=False,
        )  # fmt: skip
        if sink is None:
            return None
        write_features(
            sink,
            fields,
            (
                ([r.code, r.grids, r.grids_failed, round(r.road_m, 3),
                  round(r.covered_m, 3), r.coverage, r.passed], None)
                for r in rows
            ),
        )  # fmt: skip
        return resp_id


@dataclass(frozen=True)
class _Run:
    """The settings of one run, read from the parameters."""

    code_field: str
    col_field: str
    time_field: str
    tolerance: float
    rules: TrackRules
    required: float
    required_tolerance: float
    mapping: dict | None  # unit grid code -> responsibility grid code
