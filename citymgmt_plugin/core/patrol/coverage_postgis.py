"""The patrol coverage computed in the inputs' own PostGIS database (the SQL path).

The algorithm's "run in PostGIS" mode hands over where the grids, roads and tracks live
(:class:`PgSource`); this module runs :mod:`.coverage_sql`'s statements there and returns a
:class:`~.coverage.CoverageOutcome` like the desktop kernel's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from ..i18n import tr
from .coverage import CoverageOutcome
from .coverage_sql import CoverageQuery, PgTable, coverage_statements, stats_query
from .segments import TrackRules, TrackStats

_CTX = "Patrol"
_TIME_KINDS = {
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "date": "date",
    "integer": "epoch",
    "bigint": "epoch",
    "smallint": "epoch",
    "numeric": "epoch",
    "double precision": "epoch",
    "real": "epoch",
}


class CoverageSqlError(Exception):
    """The SQL path cannot run or failed (message translated)."""


@dataclass(frozen=True)
class PgSource:
    """A PostGIS table as a QGIS layer names it: where, which geometry, which subset."""

    schema: str
    table: str
    geometry_column: str
    subset: str = ""


def run_in_postgis(
    dsn: str,
    grids: PgSource,
    roads: PgSource,
    tracks: PgSource,
    code_field: str,
    col_field: str,
    time_field: str,
    tolerance: float,
    rules: TrackRules,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CoverageOutcome | None:
    """Compute the coverage in PostGIS; None when ``cancelled`` said so (nothing written)."""
    import psycopg2

    try:
        conn = psycopg2.connect(dsn)
    except psycopg2.Error as exc:
        raise CoverageSqlError(
            tr(_CTX, "Could not connect to the PostGIS database: {0}").format(str(exc).strip())
        ) from exc
    try:
        with conn, conn.cursor() as cur:
            kind = _time_kind(cur, tracks, time_field)
            query = CoverageQuery(
                _table(cur, grids), code_field, _table(cur, roads), _table(cur, tracks),
                col_field, time_field, kind, tolerance, rules,
            )  # fmt: skip
            stmts = coverage_statements(query)
            results = []
            for k, stmt in enumerate(stmts):
                if cancelled is not None and cancelled():
                    conn.rollback()
                    return None
                cur.execute(stmt)
                if stmt.lstrip().upper().startswith("SELECT"):
                    results.append(cur.fetchall())
                if progress is not None:
                    progress((k + 1) / len(stmts))
            cur.execute(stats_query(query))
            counts = cur.fetchone()
    except psycopg2.Error as exc:
        raise CoverageSqlError(
            tr(_CTX, "The coverage SQL failed in PostGIS: {0}").format(str(exc).strip())
        ) from exc
    finally:
        conn.close()
    return _outcome(results, counts)


def _time_kind(cur, tracks: PgSource, time_field: str) -> str:
    cur.execute(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
        (tracks.schema or "public", tracks.table, time_field),
    )
    row = cur.fetchone()
    kind = _TIME_KINDS.get(row[0]) if row else None
    if kind is None:
        raise CoverageSqlError(
            tr(_CTX, "The time field {0} must be a timestamp, date or number of seconds.").format(
                time_field
            )
        )
    return kind


def _table(cur, source: PgSource) -> PgTable:
    schema = source.schema or "public"
    cur.execute("SELECT Find_SRID(%s, %s, %s)", (schema, source.table, source.geometry_column))
    srid = int(cur.fetchone()[0])
    return PgTable(schema, source.table, source.geometry_column, srid, source.subset)


def _outcome(results: list, counts: tuple) -> CoverageOutcome:
    grid_rows, gap_rows = results
    total, nulls, outside, kept, segments = counts
    stats = TrackStats(
        fixes=int(total),
        null_skipped=int(nulls),
        outside_window=int(outside),
        kept=int(kept),
        segments=int(segments),
    )
    # Jumps are what was valid and in the window but not kept.
    stats.jumps_dropped = int(total) - int(nulls) - int(outside) - int(kept)
    geoms = shapely.from_wkb([bytes(r[1]) if r[1] is not None else None for r in grid_rows])
    gap_lines = shapely.from_wkb([bytes(r[1]) for r in gap_rows])
    return CoverageOutcome(
        [r[0] for r in grid_rows],
        np.asarray(geoms, dtype=object),
        np.array([float(r[2]) for r in grid_rows]),
        np.array([float(r[3]) for r in grid_rows]),
        np.asarray(gap_lines, dtype=object),
        np.array([int(r[0]) for r in gap_rows], dtype=np.int64),
        np.array([float(r[2]) for r in gap_rows]),
        stats,
    )
