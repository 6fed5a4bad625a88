"""Track fixes into ``track_points``: checked, converted, de-duplicated, in one transaction.

A fix is a duplicate when the same collector already has a fix at the same second (in
the workspace or earlier in the same import); duplicates are skipped and counted. Fixes
before 2000 or more than a day in the future are bad rows. Positions are converted from
the file's system (WGS84, GCJ-02, BD-09, CGCS2000) to the workspace CRS.

On PostGIS the fixes go in with binary COPY, week by week: a week without a partition is
loaded into a fresh table that is then attached (:func:`..partitions.bulk_week`), a week
that has one through a staging table and one INSERT that leaves out the duplicates. On a
GeoPackage they are inserted in batches.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, and_, insert, select, text

from ... import chinacrs
from ...workspace.store import Workspace, audit
from .. import partitions
from .batch import IMPOSSIBLE_TIME, TrackRead
from .formats import ReadOptions, read_track_file
from .pgcopy import COLUMNS, ChunkReader, copy_chunks

MIN_TIME = int(datetime(2000, 1, 1, tzinfo=timezone.utc).timestamp())
Progress = Callable[[float], bool]  # share done -> cancel?


class ImportCancelled(Exception):
    pass


@dataclass
class Fixes:
    """Fixes as arrays in the workspace CRS, sorted by collector and time."""

    collector: np.ndarray  # object: text
    device: np.ndarray  # object: text or None
    t: np.ndarray  # int64 epoch seconds
    x: np.ndarray
    y: np.ndarray
    accuracy: np.ndarray  # NaN unknown
    speed: np.ndarray  # NaN unknown

    def __len__(self) -> int:
        return len(self.t)

    def take(self, idx: np.ndarray) -> Fixes:
        return Fixes(*(getattr(self, f)[idx] for f in _FIELDS))


_FIELDS = ("collector", "device", "t", "x", "y", "accuracy", "speed")


@dataclass
class ImportReport:
    files: int = 0
    read: int = 0  # usable fixes read
    imported: int = 0
    duplicates: int = 0  # in the files, or already stored
    bad: Counter = field(default_factory=Counter)  # reason -> rows
    bad_files: list[str] = field(default_factory=list)
    per_collector: Counter = field(default_factory=Counter)
    weeks: list[date] = field(default_factory=list)
    weeks_created: list[date] = field(default_factory=list)
    unknown_collectors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def bad_rows(self) -> int:
        return sum(self.bad.values())


def read_files(paths: Iterable[str | Path], opts: ReadOptions) -> list[TrackRead]:
    return [read_track_file(p, opts) for p in paths]


def to_fixes(reads: Sequence[TrackRead], srid: int, report: ImportReport) -> Fixes:
    """The fixes of every file as arrays in the workspace CRS (lon/lat converted)."""
    parts = []
    for r in reads:
        report.files += 1
        report.bad.update(r.bad)
        if r.bad.get("unreadable"):
            report.bad_files.append(r.path)
        if not len(r.rows):
            continue
        cols = r.rows.arrays()
        a, b = cols["a"], cols["b"]
        if not r.projected:
            lon, lat = chinacrs.to_wgs84(r.crs, a, b)
            a, b = _project(np.asarray(lon), np.asarray(lat), srid)
        parts.append(Fixes(cols["collector"], cols["device"], cols["time"], a, b,
                           cols["accuracy"], cols["speed"]))  # fmt: skip
    if not parts:
        e = np.zeros(0)
        return Fixes(np.zeros(0, object), np.zeros(0, object), np.zeros(0, np.int64), e, e, e, e)
    return Fixes(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))


def _project(lon: np.ndarray, lat: np.ndarray, srid: int) -> tuple[np.ndarray, np.ndarray]:
    from ...projection import Projector

    x, y = Projector(srid).forward(lon, lat)
    return np.asarray(x, float), np.asarray(y, float)


def clean(fixes: Fixes, report: ImportReport, now: int | None = None) -> Fixes:
    """Impossible times out (bad rows), sorted by collector and time, repeats within the
    import out (duplicates)."""
    now = int(time.time()) if now is None else now
    ok = (fixes.t >= MIN_TIME) & (fixes.t <= now + 86400)
    if (~ok).any():
        report.bad[IMPOSSIBLE_TIME] += int((~ok).sum())
    fixes = fixes.take(np.flatnonzero(ok))
    if not len(fixes):
        return fixes
    _, labels = np.unique(fixes.collector.astype(str), return_inverse=True)
    order = np.lexsort((fixes.t, labels))
    fixes = fixes.take(order)
    lab = labels[order]
    first = np.ones(len(fixes), dtype=bool)
    first[1:] = (lab[1:] != lab[:-1]) | (fixes.t[1:] != fixes.t[:-1])
    report.duplicates += int((~first).sum())
    return fixes.take(np.flatnonzero(first))


def import_tracks(
    ws: Workspace,
    paths: Sequence[str | Path],
    opts: ReadOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read the files and store their fixes (one transaction, one audit row)."""
    t0 = time.perf_counter()
    report = ImportReport()
    opts = opts or ReadOptions(zone=ZoneInfo(ws.setting("timezone", "Asia/Shanghai")))
    if not opts.instances:
        opts = _with_instances(ws, opts)
    fixes = clean(to_fixes(read_files(paths, opts), ws.srid, report), report)
    report.read = len(fixes) + report.duplicates
    store_fixes(ws, fixes, report, progress, [str(p) for p in paths])
    report.seconds = time.perf_counter() - t0
    return report


def store_fixes(
    ws: Workspace,
    fixes: Fixes,
    report: ImportReport,
    progress: Progress | None = None,
    sources: Sequence[str] = (),
) -> None:
    """Write cleaned fixes (see :func:`clean`) in one transaction, with an audit row."""
    tz = ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai"
    with ws.begin() as conn:
        known = set(conn.execute(select(ws.schema.collectors.c.code)).scalars())
        report.unknown_collectors = sorted(set(fixes.collector.tolist()) - known)
        if partitions.is_partitioned(conn):
            _store_weeks(conn, ws.srid, tz, fixes, report, progress)
        else:
            _store_rows(conn, ws, fixes, report, progress)
        audit(
            conn, ws.schema, ws.actor, "tracks_import", "track_points", None,
            {"files": list(sources)[:50], "imported": report.imported,
             "duplicates": report.duplicates, "bad": dict(report.bad)},
        )  # fmt: skip


def _with_instances(ws: Workspace, opts: ReadOptions) -> ReadOptions:
    """The collector and device of every stored submission, by ODK instance ID."""
    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        rows = conn.execute(select(s.c.instance_id, s.c.collector_code, s.c.device_id)).all()
    from dataclasses import replace

    return replace(opts, instances={r[0]: (r[1], r[2]) for r in rows})


# -- PostGIS: week by week -----------------------------------------------------------------
def _store_weeks(
    conn: Connection, srid: int, tz: str, fixes: Fixes, report: ImportReport, progress
) -> None:
    week_of, mondays = week_index(fixes.t, tz)
    report.weeks = mondays
    ids = _id_block(conn, len(fixes))
    raw = conn.connection.dbapi_connection
    for k, monday in enumerate(mondays):
        sel = np.flatnonzero(week_of == k)
        part = fixes.take(sel)

        def load(table: str, has_rows: bool, part=part, sel=sel) -> dict[str, int]:
            if has_rows:
                return _insert_week(conn, raw, part, ids[sel], srid, table)
            _copy(raw, table, part, ids[sel], srid)
            return _per_collector(part)

        added = partitions.bulk_week(conn, monday, tz, load)
        if added is not None:
            report.weeks_created.append(monday)
        else:
            table = partitions.week_name(monday)
            added = _insert_week(conn, raw, part, ids[sel], srid, table)
        n = sum(added.values())
        report.duplicates += len(part) - n
        report.imported += n
        report.per_collector.update(added)
        if progress is not None and progress((k + 1) / len(mondays)):
            raise ImportCancelled


def week_index(t: np.ndarray, tz: str) -> tuple[np.ndarray, list[date]]:
    """The local week (index into the returned Mondays) of each epoch time."""
    if not len(t):
        return np.zeros(0, dtype=np.int64), []
    zone = ZoneInfo(tz)
    # offsets change rarely: one lookup per distinct hour
    hours = t // 3600
    uh, inv = np.unique(hours, return_inverse=True)
    offs = np.fromiter(
        (int(datetime.fromtimestamp(int(h) * 3600, zone).utcoffset().total_seconds()) for h in uh),
        dtype=np.int64,
        count=len(uh),
    )
    day = (t + offs[inv.reshape(-1)]) // 86400  # local epoch day; 1970-01-01 was a Thursday
    monday_day = day - (day + 3) % 7
    uniq, week_of = np.unique(monday_day, return_inverse=True)
    epoch = date(1970, 1, 1)
    return week_of.reshape(-1), [epoch + timedelta(days=int(d)) for d in uniq]


def _id_block(conn: Connection, n: int) -> np.ndarray:
    """``n`` ids from the track_points sequence, reserved in one call."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    last = conn.execute(
        text("SELECT setval('track_points_id_seq', nextval('track_points_id_seq') + :n - 1)"),
        {"n": n},
    ).scalar()
    return np.arange(int(last) - n + 1, int(last) + 1, dtype=np.int64)


def _copy(raw, table: str, fixes: Fixes, ids: np.ndarray, srid: int) -> None:
    chunks = copy_chunks(
        ids, fixes.collector, fixes.device, fixes.t, fixes.accuracy, fixes.speed,
        fixes.x, fixes.y, srid,
    )  # fmt: skip
    with raw.cursor() as cur:
        cur.copy_expert(
            f'COPY "{table}" ({COLUMNS}) FROM STDIN WITH (FORMAT binary)',
            ChunkReader(chunks),
            size=1 << 20,
        )


def _per_collector(fixes: Fixes) -> dict[str, int]:
    codes, counts = np.unique(fixes.collector.astype(str), return_counts=True)
    return dict(zip(codes.tolist(), counts.tolist()))


def _insert_week(
    conn: Connection, raw, fixes: Fixes, ids: np.ndarray, srid: int, table: str
) -> dict[str, int]:
    """Fixes of a week whose table has rows: a fix outside the stored time span of its
    collector cannot repeat one and goes in by COPY; the others are staged and inserted
    unless stored (:func:`_insert_new`). The fixes added per collector."""
    codes = sorted(set(fixes.collector.tolist()))
    spans = conn.execute(
        text(
            f'SELECT c, (SELECT min(fix_time) FROM "{table}" WHERE collector_code = c), '
            f'(SELECT max(fix_time) FROM "{table}" WHERE collector_code = c) '
            "FROM unnest(CAST(:codes AS text[])) AS c"
        ),
        {"codes": codes},
    ).all()
    risky = np.zeros(len(fixes), dtype=bool)
    for code, lo, hi in spans:
        if lo is not None:
            mine = fixes.collector == code
            risky |= mine & (fixes.t >= int(lo.timestamp())) & (fixes.t <= int(hi.timestamp()))
    safe = np.flatnonzero(~risky)
    added = {}
    if len(safe):
        part = fixes.take(safe)
        _copy(raw, table, part, ids[safe], srid)
        added = _per_collector(part)
    if risky.any():
        idx = np.flatnonzero(risky)
        for code, n in _insert_new(conn, raw, fixes.take(idx), ids[idx], srid, table).items():
            added[code] = added.get(code, 0) + n
    return added


def _insert_new(
    conn: Connection, raw, fixes: Fixes, ids: np.ndarray, srid: int, table: str = "track_points"
) -> dict[str, int]:
    """Fixes of a week that has rows: staged, then inserted into ``table`` unless stored
    already; the fixes added per collector."""
    conn.execute(
        text(
            "CREATE TEMP TABLE IF NOT EXISTS _track_stage "
            "(LIKE track_points INCLUDING DEFAULTS) ON COMMIT DROP"
        )
    )
    conn.execute(text("TRUNCATE _track_stage"))
    _copy(raw, "_track_stage", fixes, ids, srid)
    lo, hi = int(fixes.t.min()), int(fixes.t.max())
    rows = conn.execute(
        text(
            f'WITH added AS (INSERT INTO "{table}" ({COLUMNS}) SELECT {COLUMNS} '
            f'FROM _track_stage s WHERE NOT EXISTS (SELECT 1 FROM "{table}" t WHERE '
            "t.fix_time >= to_timestamp(:lo) AND t.fix_time <= to_timestamp(:hi) AND "
            "t.collector_code = s.collector_code AND t.fix_time = s.fix_time) "
            "RETURNING collector_code) SELECT collector_code, count(*) FROM added GROUP BY 1"
        ),
        {"lo": lo, "hi": hi},
    ).all()
    return {c: int(n) for c, n in rows}


# -- GeoPackage (and a PostGIS table not yet partitioned) -----------------------------------
def _store_rows(conn: Connection, ws: Workspace, fixes: Fixes, report: ImportReport, progress):
    tp = ws.schema.track_points
    keep = np.ones(len(fixes), dtype=bool)
    for code in np.unique(fixes.collector.astype(str)):
        sel = np.flatnonzero(fixes.collector.astype(str) == code)
        lo = datetime.fromtimestamp(int(fixes.t[sel].min()), timezone.utc)
        hi = datetime.fromtimestamp(int(fixes.t[sel].max()), timezone.utc)
        stored = conn.execute(
            select(tp.c.fix_time).where(
                and_(tp.c.collector_code == code, tp.c.fix_time >= lo, tp.c.fix_time <= hi)
            )
        ).scalars()
        have = {int(v.timestamp()) for v in stored}
        if have:
            keep[sel] = ~np.isin(fixes.t[sel], np.fromiter(have, np.int64, len(have)))
    report.duplicates += int((~keep).sum())
    fixes = fixes.take(np.flatnonzero(keep))
    step = 20_000
    for k in range(0, len(fixes), step):
        rows = [
            {
                "collector_code": fixes.collector[i],
                "device_id": fixes.device[i],
                "fix_time": datetime.fromtimestamp(int(fixes.t[i]), timezone.utc),
                "accuracy_m": None if np.isnan(fixes.accuracy[i]) else float(fixes.accuracy[i]),
                "speed_kmh": None if np.isnan(fixes.speed[i]) else float(fixes.speed[i]),
                "geom": f"SRID={ws.srid};POINT({fixes.x[i]!r} {fixes.y[i]!r})",
            }
            for i in range(k, min(k + step, len(fixes)))
        ]
        conn.execute(insert(tp), rows)
        if progress is not None and progress(min(1.0, (k + step) / max(len(fixes), 1))):
            raise ImportCancelled
    report.imported += len(fixes)
    codes, counts = np.unique(fixes.collector.astype(str), return_counts=True)
    report.per_collector.update(dict(zip(codes.tolist(), counts.tolist())))
