"""citymgmt:patrolyear — the weekly main-road coverage of every week of a year, in one run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import numpy as np
import shapely
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDateTime,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QVariant

from citymgmt_plugin.core.patrol.coverage_postgis import CoverageSqlError
from citymgmt_plugin.core.patrol.hugepages import no_hugepage_stalls
from citymgmt_plugin.core.patrol.segments import drop_collectorless
from citymgmt_plugin.core.patrol.year import (
    CityYear,
    WeekCoverage,
    WeekFixes,
    YearSummary,
    mondays,
    week_window,
)
from citymgmt_plugin.core.patrol.year_pg import postgis_weeks

from .base import CityMgmtAlgorithm
from .params import LINE, POINT, POLYGON, number, sink, source
from .readers import (
    as_text,
    null_mask,
    postgis_sources,
    read_columns,
    require_fields,
    require_projected,
    source_layer,
)
from .writers import make_fields, multipolygon_wkb, write_features

TZ = "Asia/Shanghai"  # naive times are China Standard Time, as in readers.LOCAL_ZONE


class PatrolYearAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "patrolyear"
    OUTPUT_STYLES = {
        "OUTPUT": "coverage_weeks_grids",  # a table
        "OUTPUT_GRIDS": "coverage_year_grids",
        "OUTPUT_WEEKS": "coverage_weeks",  # a table
    }
    ALG_NAME = "Patrol coverage of a year, week by week"
    ALG_GROUP = "Patrol"
    ALG_GROUP_ID = "patrol"
    ALG_HELP = (
        "The contract rule 「每个工作责任网格内所有主要道路、窗口地区每周必须巡查到位」 (seed 000: "
        "every main road and window area of every grid patrolled every week), checked for "
        "every week of a year in one run.\n"
        "The weeks are local (Monday 00:00 to Monday 00:00, China Standard Time) that start "
        "in the year (52 or 53), or between the first and the last day when given. Each week "
        "is computed exactly as Patrol coverage of main roads computes one week (same "
        "cleaning of the fixes, same tolerance, exact lengths); the roads are cut by the "
        "grids only once.\n"
        "When the fixes are a PostGIS table (the workspace's GPS fixes, partitioned by week) "
        "they are read week by week, one week in memory at a time, the next week read while "
        "the current one is computed; other sources are read whole first.\n"
        "Outputs: coverage per grid and week (grid_code, week, road_m, covered_m, coverage, "
        "passed); per grid over the year (weeks, weeks passed and failed, lowest and mean "
        "coverage) with the grid polygons; and one row per week (fixes used, grids failing, "
        "covered length, seconds)."
    )

    ROADS = "ROADS"
    YEAR = "YEAR"
    START = "START"
    END = "END"
    REQUIRED = "REQUIRED"
    REQUIRED_TOLERANCE = "REQUIRED_TOLERANCE"
    OUTPUT_GRIDS = "OUTPUT_GRIDS"
    OUTPUT_WEEKS = "OUTPUT_WEEKS"

    def initAlgorithm(self, config=None) -> None:
        self.add_grid_parameters(code_default=None, code_optional=False)
        self.addParameter(source(self.ROADS, self.tr("Main roads"), [QgsProcessing.TypeVectorLine]))
        self.add_track_parameters()
        self.add_track_rule_parameters()
        self.addParameter(
            number(self.YEAR, self.tr("Year"), QDate.currentDate().year(), 2000, 2100, integer=True)
        )
        for name, label in ((self.START, self.tr("First day (instead of the year)")),
                            (self.END, self.tr("Last day (instead of the year)"))):  # fmt: skip
            self.addParameter(
                QgsProcessingParameterDateTime(
                    name, label, QgsProcessingParameterDateTime.Date, optional=True
                )
            )
        self.addParameter(number(self.REQUIRED, self.tr("Required coverage share"), 1.0, 0.0, 1.0))
        self.addParameter(
            number(
                self.REQUIRED_TOLERANCE, self.tr("Tolerance on the required share"), 0.005, 0.0, 1.0
            )
        )
        self.addParameter(
            sink(self.OUTPUT, self.tr("Coverage per grid and week"), QgsProcessing.TypeVector)
        )
        self.addParameter(
            sink(self.OUTPUT_GRIDS, self.tr("Coverage per grid over the year"),
                 QgsProcessing.TypeVectorPolygon)
        )  # fmt: skip
        self.addParameter(
            sink(self.OUTPUT_WEEKS, self.tr("Coverage per week"), QgsProcessing.TypeVector)
        )
        self.add_number_outputs(
            ("weeks", self.tr("Weeks")),
            ("fixes_used", self.tr("Fixes used")),
            ("grid_weeks_failed", self.tr("Grid-weeks failing")),
        )

    # ------------------------------------------------------------------ run

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        grids_src = self.source(parameters, self.GRIDS, context, POLYGON, self.tr("grid"))
        roads_src = self.source(parameters, self.ROADS, context, LINE, self.tr("road"))
        tracks_src = self.source(parameters, self.TRACKS, context, POINT, self.tr("track"))
        crs = grids_src.sourceCrs()
        require_projected(crs, self.tr("grid"))
        code_field = self.parameterAsString(parameters, self.GRID_CODE_FIELD, context)
        require_fields(grids_src, [code_field], self.tr("grid"))
        col_field, time_field = self.track_fields(parameters, context, tracks_src)
        weeks = self._weeks(parameters, context)
        tol = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        if tol <= 0:
            raise QgsProcessingException(self.tr("The tolerance must be greater than zero."))
        grids = read_columns(grids_src, None, [code_field], crs, context, feedback)
        roads = read_columns(roads_src, None, [], crs, context, feedback)
        codes = [as_text(c) or "" for c in grids.attrs[code_field]]
        grid_geoms = shapely.from_wkb(grids.wkb)
        city = CityYear(
            grid_geoms, shapely.from_wkb(roads.wkb), tol,
            self.parameterAsDouble(parameters, self.REQUIRED, context),
            self.parameterAsDouble(parameters, self.REQUIRED_TOLERANCE, context),
        )  # fmt: skip
        feedback.setProgress(2)
        stream = self._fixes(parameters, context, feedback, tracks_src, crs, weeks,
                             col_field, time_field)  # fmt: skip
        with no_hugepage_stalls():
            return self._run(parameters, context, feedback, city, stream, weeks, codes,
                             grid_geoms, crs)  # fmt: skip

    def _weeks(self, parameters, context) -> list[date]:
        start = self.parameterAsDateTime(parameters, self.START, context)
        end = self.parameterAsDateTime(parameters, self.END, context)
        if parameters.get(self.START) not in (None, "") and parameters.get(self.END) not in (
            None,
            "",
        ):
            first, last = start.date().toPyDate(), end.date().toPyDate()
        else:
            year = self.parameterAsInt(parameters, self.YEAR, context)
            first, last = date(year, 1, 1), date(year, 12, 31)
        if last < first:
            raise QgsProcessingException(self.tr("The end time is before the start time."))
        weeks = mondays(first, last)
        if not weeks:
            raise QgsProcessingException(self.tr("No week starts in the period."))
        return weeks

    def _fixes(self, parameters, context, feedback, tracks_src, crs, weeks, col_field,
               time_field) -> Iterator[WeekFixes]:  # fmt: skip
        layer = source_layer(self, parameters, self.TRACKS, context)
        if layer is not None and layer.providerType() == "postgres":
            if layer.crs() != crs:
                raise QgsProcessingException(
                    self.tr("The PostGIS fixes must be in the grid layer's CRS.")
                )
            dsn, (tracks,) = postgis_sources(self, parameters, context, (self.TRACKS,))
            feedback.pushInfo(self.tr("Reading the fixes from PostGIS week by week."))
            return postgis_weeks(dsn, tracks, col_field, time_field, weeks, TZ)
        feedback.pushInfo(self.tr("The fixes are not a PostGIS table: they are read whole."))
        x, y, t, collector = self.read_fixes(
            parameters, context, feedback, tracks_src, crs, col_field, time_field
        )
        collector = drop_collectorless(x, collector, null_mask(collector))
        return _slices(weeks, x, y, np.asarray(t, dtype=np.int64), collector)

    def _run(self, parameters, context, feedback, city: CityYear, stream, weeks, codes,
             grid_geoms, crs) -> dict:  # fmt: skip
        rules = self.track_rules(parameters, context)
        per_grid_week, week_rows = [], []
        summary = YearSummary()
        used = 0
        t0 = time.perf_counter()
        try:
            for k, wc in enumerate(_computed(city, stream, rules, feedback)):
                share = city.share(wc.covered_m)
                summary.add(share, wc.passed)
                per_grid_week.append((wc.monday, wc.covered_m, share, wc.passed))
                used += wc.stats.kept
                week_rows.append(self._week_row(wc))
                feedback.setProgress(2 + 88 * (k + 1) / len(weeks))
                feedback.pushInfo(self.tr("Week of {0}: {1} fixes, {2} grids failing.").format(
                    wc.monday.isoformat(), wc.stats.kept, wc.grids_failed))  # fmt: skip
        except CoverageSqlError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return self.cancelled(feedback)
        feedback.pushInfo(
            self.tr("{0} weeks in {1:.1f} s.").format(len(week_rows), time.perf_counter() - t0)
        )
        out = {
            self.OUTPUT: self._write_grid_weeks(
                parameters, context, city, codes, per_grid_week, crs
            ),
            self.OUTPUT_GRIDS: self._write_year(parameters, context, city, codes, grid_geoms,
                                                summary, crs),
            self.OUTPUT_WEEKS: self._write_weeks(parameters, context, week_rows, crs),
        }  # fmt: skip
        out.update(
            weeks=len(week_rows),
            fixes_used=used,
            grid_weeks_failed=int(sum(int(np.count_nonzero(~w[3])) for w in per_grid_week)),
        )
        feedback.setProgress(100)
        return out

    @staticmethod
    def _week_row(wc: WeekCoverage) -> list:
        return [wc.monday.isoformat(), wc.stats.kept, wc.stats.jumps_dropped, wc.grids_failed,
                float(wc.covered_m.sum()), round(wc.read_s, 3), round(wc.compute_s, 3)]  # fmt: skip

    # ------------------------------------------------------------------ outputs

    def _write_grid_weeks(self, parameters, context, city, codes, rows, crs) -> str:
        fields = make_fields(
            [("grid_code", QVariant.String), ("week", QVariant.String),
             ("road_m", QVariant.Double), ("covered_m", QVariant.Double),
             ("coverage", QVariant.Double), ("passed", QVariant.Bool)]
        )  # fmt: skip
        sink_, dest = self.sink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry, crs
        )
        road = np.round(city.road_m, 3).tolist()

        def features():
            for monday, covered, share, ok in rows:
                week = monday.isoformat()
                cov, sh, ok_ = np.round(covered, 3).tolist(), share.tolist(), ok.tolist()
                for i, code in enumerate(codes):
                    s = sh[i]
                    yield [code, week, road[i], cov[i], None if s != s else s, ok_[i]], None

        write_features(sink_, fields, features())
        return dest

    def _write_year(self, parameters, context, city, codes, grid_geoms, summary, crs) -> str:
        fields = make_fields(
            [("grid_code", QVariant.String), ("road_m", QVariant.Double),
             ("weeks", QVariant.Int), ("weeks_passed", QVariant.Int),
             ("weeks_failed", QVariant.Int), ("min_coverage", QVariant.Double),
             ("mean_coverage", QVariant.Double)]
        )  # fmt: skip
        sink_, dest = self.sink(
            parameters, self.OUTPUT_GRIDS, context, fields, QgsWkbTypes.MultiPolygon, crs
        )
        multi = multipolygon_wkb(grid_geoms)
        n = max(summary.weeks, 1)
        rows = []
        for i, code in enumerate(codes):
            has_road = city.road_m[i] > 0
            lo = float(summary.min_share[i]) if has_road and summary.weeks else None
            mean = float(summary.sum_share[i]) / n if has_road and summary.weeks else None
            passed = int(summary.passed[i]) if summary.weeks else 0
            rows.append(([code, round(float(city.road_m[i]), 3), summary.weeks, passed,
                          summary.weeks - passed, lo, mean], multi[i]))  # fmt: skip
        write_features(sink_, fields, rows)
        return dest

    def _write_weeks(self, parameters, context, rows, crs) -> str:
        fields = make_fields(
            [("week", QVariant.String), ("fixes_used", QVariant.LongLong),
             ("jumps_dropped", QVariant.LongLong), ("grids_failed", QVariant.Int),
             ("covered_m", QVariant.Double), ("read_s", QVariant.Double),
             ("compute_s", QVariant.Double)]
        )  # fmt: skip
        sink_, dest = self.sink(
            parameters, self.OUTPUT_WEEKS, context, fields, QgsWkbTypes.NoGeometry, crs
        )
        write_features(sink_, fields, ((r, None) for r in rows))
        return dest


def _computed(city: CityYear, stream, rules, feedback) -> Iterator[WeekCoverage]:
    for fixes in stream:
        if feedback.isCanceled():
            return
        yield city.week(fixes, rules, TZ)


def _slices(weeks: list[date], x, y, t, collector) -> Iterator[WeekFixes]:
    """Weeks out of fixes read whole (sorted by time once)."""
    order = np.argsort(t, kind="stable")
    t_sorted = t[order]
    for monday in weeks:
        a, b = week_window(monday, TZ)
        lo, hi = np.searchsorted(t_sorted, [a, b])
        idx = order[lo:hi]
        yield WeekFixes(monday, x[idx], y[idx], t[idx], collector[idx])
