"""Week after week of fixes out of a PostGIS table, for :mod:`.year`.

Each week is one binary ``COPY (SELECT …) TO STDOUT`` restricted to the week's time range,
so a table partitioned by week (the workspace's ``track_points``) reads one partition. The
rows are fixed-width (x, y, epoch seconds, a 32-bit hash of the collector: the coverage
only needs to tell collectors apart) and become numpy arrays without per-row Python. The
next week is read on a second connection while the current one is computed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np

from ..i18n import tr
from .coverage_postgis import CoverageSqlError, PgSource, _time_kind
from .year import WeekFixes, week_window

_CTX = "Patrol"
_ROW = np.dtype(
    [("n", ">i2"), ("l1", ">i4"), ("x", ">f8"), ("l2", ">i4"), ("y", ">f8"),
     ("l3", ">i4"), ("t", ">i8"), ("l4", ">i4"), ("c", ">i4")]
)  # fmt: skip
_HEADER = 19  # signature (11), flags (4), header extension length (4)
_PG_EPOCH = 946_684_800  # 2000-01-01 UTC in Unix seconds


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _time_sql(column: str, kind: str, tz: str) -> str:
    col = _ident(column)
    if kind == "timestamptz":
        return col
    if kind in ("timestamp", "date"):
        zone = tz.replace("'", "''")
        return f"({col}::timestamp AT TIME ZONE '{zone}')"
    return f"to_timestamp({col})"


def week_sql(
    tracks: PgSource, col_field: str, time_field: str, kind: str, tz: str, raw: bool = False
) -> str:
    """The COPY statement of one week (two %s: the week's start and end, timestamptz).

    ``raw``: the geometry and the time as stored (EWKB points and timestamptz, parsed by
    numpy: no function per fix in the database), for NOT NULL point columns."""
    t = _time_sql(time_field, kind, tz)
    table = f"{_ident(tracks.schema or 'public')}.{_ident(tracks.table)}"
    geom = _ident(tracks.geometry_column)
    where = f"{t} >= %s AND {t} < %s AND {_ident(col_field)} IS NOT NULL"
    if tracks.subset:
        where += f" AND ({tracks.subset.replace('%', '%%')})"
    if raw:
        cols = f"{geom}, {t}, hashtext({_ident(col_field)}::text)"
    else:
        cols = (
            f"coalesce(ST_X({geom}), 'NaN'), coalesce(ST_Y({geom}), 'NaN'), "
            f"floor(extract(epoch FROM {t}))::int8, hashtext({_ident(col_field)}::text)"
        )
    return f"COPY (SELECT {cols} FROM {table} WHERE {where}) TO STDOUT WITH (FORMAT binary)"


def _raw_ok(cur, tracks: PgSource, time_field: str, kind: str) -> bool:
    """Whether the stored columns can be read as they are: a NOT NULL 2-D point geometry
    and a NOT NULL timestamptz time."""
    if kind != "timestamptz":
        return False
    cur.execute(
        "SELECT a.attname, a.attnotnull, format_type(a.atttypid, a.atttypmod) "
        "FROM pg_attribute a WHERE a.attrelid = to_regclass(%s) AND a.attname IN (%s, %s)",
        (f'"{tracks.schema or "public"}"."{tracks.table}"', tracks.geometry_column, time_field),
    )
    cols = {name: (notnull, kind_) for name, notnull, kind_ in cur.fetchall()}
    geom, t = cols.get(tracks.geometry_column), cols.get(time_field)
    return bool(geom and t and geom[0] and t[0] and geom[1].lower().startswith("geometry(point,"))


def _raw_dtype(first: bytes) -> np.dtype:
    """The row layout of a raw week from its first row (EWKB with or without SRID, byte
    order as the server writes it)."""
    glen = int.from_bytes(first[2:6], "big")
    order = "<" if first[6] == 1 else ">"
    geom = [("bo", "u1"), ("gt", f"{order}u4")]
    if glen == 25:
        geom.append(("srid", f"{order}u4"))
    geom += [("x", f"{order}f8"), ("y", f"{order}f8")]
    return np.dtype([("n", ">i2"), ("l1", ">i4"), *geom, ("l2", ">i4"), ("t", ">i8"),
                     ("l3", ">i4"), ("c", ">i4")])  # fmt: skip


def _read_week(dsn: str, sql: str, monday: date, tz: str, raw: bool = False) -> WeekFixes:
    import psycopg2

    t0 = time.perf_counter()
    a, b = week_window(monday, tz)
    buf = io.BytesIO()
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT to_timestamp(%s), to_timestamp(%s)", (a, b))
        lo, hi = cur.fetchone()
        cur.copy_expert(cur.mogrify(sql, (lo, hi)).decode(), buf)
    conn.close()
    data = buf.getbuffer()
    body = data[_HEADER : len(data) - 2]
    dtype = _raw_dtype(bytes(body[:40])) if raw and len(body) else _ROW
    rows = np.frombuffer(body, dtype=dtype)
    t = rows["t"].astype(np.int64)
    if raw:  # microseconds since 2000-01-01 UTC
        t = t // 1_000_000 + _PG_EPOCH
    fixes = WeekFixes(
        monday,
        rows["x"].astype(np.float64),
        rows["y"].astype(np.float64),
        t,
        rows["c"].astype(np.int32),
    )
    del rows, body, data
    buf.close()
    fixes.read_s = time.perf_counter() - t0
    return fixes


def postgis_weeks(
    dsn: str,
    tracks: PgSource,
    col_field: str,
    time_field: str,
    weeks: Sequence[date],
    tz: str,
    prefetch: bool = True,
) -> Iterator[WeekFixes]:
    """The fixes of each week, read while the caller works on the previous one."""
    import psycopg2

    try:
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            kind = _time_kind(cur, tracks, time_field)
            raw = _raw_ok(cur, tracks, time_field, kind)
        conn.close()
    except psycopg2.Error as exc:
        raise CoverageSqlError(
            tr(_CTX, "Could not connect to the PostGIS database: {0}").format(str(exc).strip())
        ) from exc
    sql = week_sql(tracks, col_field, time_field, kind, tz, raw)
    if not prefetch:
        for monday in weeks:
            yield _read_week(dsn, sql, monday, tz, raw)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt = pool.submit(_read_week, dsn, sql, weeks[0], tz, raw) if weeks else None
        for k in range(len(weeks)):
            current = nxt.result()
            more = k + 1 < len(weeks)
            nxt = pool.submit(_read_week, dsn, sql, weeks[k + 1], tz, raw) if more else None
            yield current
