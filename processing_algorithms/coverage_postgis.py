"""PG_MODE of citymgmt:patrolcoverage: run the coverage SQL in the inputs' own database."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import (
    QgsDataSourceUri,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from citymgmt_plugin.core.coverage import TrackRules, TrackStats
from citymgmt_plugin.core.coverage_sql import (
    CoverageQuery,
    PgTable,
    coverage_statements,
    stats_query,
)

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


def _postgis_layer(alg, parameters, name, context) -> tuple[QgsVectorLayer, QgsDataSourceUri]:
    layer = alg.parameterAsVectorLayer(parameters, name, context)
    if layer is None or layer.providerType() != "postgres":
        raise QgsProcessingException(
            alg.tr("Run in PostGIS needs the {} layer to be a PostGIS table.").format(name)
        )
    return layer, QgsDataSourceUri(layer.source())


def _same_database(uris: list[QgsDataSourceUri]) -> bool:
    keys = {(u.host(), u.port(), u.database(), u.service()) for u in uris}
    return len(keys) == 1


def run_in_postgis(
    alg,
    parameters: dict,
    context: QgsProcessingContext,
    feedback: QgsProcessingFeedback,
    code_field: str,
    col_field: str,
    time_field: str,
    tolerance: float,
    rules: TrackRules,
):
    """Compute the coverage in PostGIS; returns a ``CoverageOutcome`` like the desktop path."""
    import psycopg2

    from .alg_patrolcoverage import CoverageOutcome

    layers = {}
    for name in (alg.GRIDS, alg.ROADS, alg.TRACKS):
        layers[name] = _postgis_layer(alg, parameters, name, context)
    uris = [u for _, u in layers.values()]
    if not _same_database(uris):
        raise QgsProcessingException(
            alg.tr("Run in PostGIS needs grids, roads and tracks in the same database.")
        )
    try:
        conn = psycopg2.connect(uris[0].connectionInfo(True))
    except psycopg2.Error as exc:
        raise QgsProcessingException(
            alg.tr("Could not connect to the PostGIS database: {}").format(str(exc).strip())
        ) from exc
    try:
        with conn, conn.cursor() as cur:
            tables = {name: _table(cur, layer, uri) for name, (layer, uri) in layers.items()}
            tracks_uri = layers[alg.TRACKS][1]
            cur.execute(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
                (tracks_uri.schema() or "public", tracks_uri.table(), time_field),
            )
            row = cur.fetchone()
            kind = _TIME_KINDS.get(row[0]) if row else None
            if kind is None:
                raise QgsProcessingException(
                    alg.tr(
                        "The time field {} must be a timestamp, date or number of seconds."
                    ).format(time_field)
                )
            query = CoverageQuery(
                tables[alg.GRIDS], code_field, tables[alg.ROADS], tables[alg.TRACKS],
                col_field, time_field, kind, tolerance, rules,
            )  # fmt: skip
            stmts = coverage_statements(query)
            results = []
            for k, stmt in enumerate(stmts):
                if feedback.isCanceled():
                    conn.rollback()
                    return None
                cur.execute(stmt)
                if stmt.lstrip().upper().startswith("SELECT"):
                    results.append(cur.fetchall())
                feedback.setProgress(5 + 80 * (k + 1) / len(stmts))
            cur.execute(stats_query(query))
            total, nulls, outside, kept, segments = cur.fetchone()
    except psycopg2.Error as exc:
        raise QgsProcessingException(
            alg.tr("The coverage SQL failed in PostGIS: {}").format(str(exc).strip())
        ) from exc
    finally:
        conn.close()
    grid_rows, gap_rows = results
    stats = TrackStats(
        fixes=int(total),
        null_skipped=int(nulls),
        outside_window=int(outside),
        kept=int(kept),
        segments=int(segments),
    )
    # Jumps are what was valid and in the window but not kept.
    stats.jumps_dropped = int(total) - int(nulls) - int(outside) - int(kept)
    codes = [r[0] for r in grid_rows]
    geoms = shapely.from_wkb([bytes(r[1]) if r[1] is not None else None for r in grid_rows])
    gap_lines = shapely.from_wkb([bytes(r[1]) for r in gap_rows])
    return CoverageOutcome(
        codes,
        np.asarray(geoms, dtype=object),
        np.array([float(r[2]) for r in grid_rows]),
        np.array([float(r[3]) for r in grid_rows]),
        np.asarray(gap_lines, dtype=object),
        np.array([int(r[0]) for r in gap_rows], dtype=np.int64),
        np.array([float(r[2]) for r in gap_rows]),
        stats,
    )


def _table(cur, layer: QgsVectorLayer, uri: QgsDataSourceUri) -> PgTable:
    schema = uri.schema() or "public"
    cur.execute("SELECT Find_SRID(%s, %s, %s)", (schema, uri.table(), uri.geometryColumn()))
    srid = int(cur.fetchone()[0])
    return PgTable(schema, uri.table(), uri.geometryColumn(), srid, layer.subsetString())
