"""The workspace's own GPS fixes of a time window, as arrays (no per-fix Python objects).

On PostGIS one binary ``COPY`` (the window's week partitions only; an optional bounding
box uses the spatial index), collectors carried as a 32-bit hash and named back from the
workspace's collectors. On a GeoPackage the rows are read with sqlite3 and the point blobs
parsed with numpy.
"""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import text

from ..workspace.store import Workspace

_ROW = np.dtype(
    [("n", ">i2"), ("l1", ">i4"), ("x", ">f8"), ("l2", ">i4"), ("y", ">f8"),
     ("l3", ">i4"), ("t", ">i8"), ("l4", ">i4"), ("c", ">i4")]
)  # fmt: skip


@dataclass
class WindowFixes:
    x: np.ndarray
    y: np.ndarray
    t: np.ndarray  # int64 epoch seconds
    collector: np.ndarray  # object: codes

    def __len__(self) -> int:
        return len(self.t)

    def take(self, idx: np.ndarray) -> WindowFixes:
        return WindowFixes(self.x[idx], self.y[idx], self.t[idx], self.collector[idx])


def read_fixes(
    ws: Workspace,
    start: int,
    end: int,
    bbox: tuple[float, float, float, float] | None = None,
) -> WindowFixes:
    """The fixes with ``start <= fix_time < end`` (epoch seconds), optionally in a box."""
    if ws.is_postgres:
        return _postgis(ws, start, end, bbox)
    return _geopackage(ws, start, end, bbox)


def _postgis(ws: Workspace, start: int, end: int, bbox) -> WindowFixes:
    where = "fix_time >= to_timestamp(%s) AND fix_time < to_timestamp(%s)"
    args: list = [start, end]
    if bbox is not None:
        where += " AND geom && ST_MakeEnvelope(%s, %s, %s, %s, %s)"
        args += [*bbox, ws.srid]
    sql = (
        "COPY (SELECT ST_X(geom), ST_Y(geom), floor(extract(epoch FROM fix_time))::int8, "
        f"hashtext(collector_code) FROM track_points WHERE {where}) TO STDOUT "
        "WITH (FORMAT binary)"
    )
    buf = io.BytesIO()
    with ws.engine.connect() as conn:
        names = dict(
            conn.execute(
                text(
                    "SELECT hashtext(c), c FROM (SELECT code AS c FROM collectors UNION "
                    "SELECT DISTINCT collector_code FROM track_points WHERE "
                    "fix_time >= to_timestamp(:a) AND fix_time < to_timestamp(:b)) k"
                ),
                {"a": start, "b": end},
            ).all()
        )
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            cur.copy_expert(cur.mogrify(sql, args).decode(), buf)
    data = buf.getbuffer()
    rows = np.frombuffer(data[19 : len(data) - 2], dtype=_ROW)
    hashes = rows["c"].astype(np.int64)
    uniq, inv = np.unique(hashes, return_inverse=True)
    labels = np.array([names.get(int(h), str(h)) for h in uniq], dtype=object)
    return WindowFixes(
        rows["x"].astype(float), rows["y"].astype(float), rows["t"].astype(np.int64),
        labels[inv.reshape(-1)] if len(uniq) else np.zeros(0, dtype=object),
    )  # fmt: skip


def _iso(t: int) -> str:
    d = datetime.fromtimestamp(t, timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def _geopackage(ws: Workspace, start: int, end: int, bbox) -> WindowFixes:
    con = sqlite3.connect(f"file:{ws.spec.path}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT collector_code, fix_time, geom FROM track_points "
            "WHERE fix_time >= ? AND fix_time < ?",
            (_iso(start), _iso(end)),
        ).fetchall()
    finally:
        con.close()
    if not rows:
        e = np.zeros(0)
        return WindowFixes(e, e, np.zeros(0, np.int64), np.zeros(0, dtype=object))
    codes, times, blobs = zip(*rows)
    x, y = gpkg_points(blobs)
    t = np.array([v.rstrip("Z") for v in times], dtype="datetime64[ms]").astype(np.int64)
    t //= 1000
    fixes = WindowFixes(x, y, t, np.asarray(codes, dtype=object))
    if bbox is not None:
        keep = (x >= bbox[0]) & (x <= bbox[2]) & (y >= bbox[1]) & (y <= bbox[3])
        fixes = fixes.take(np.flatnonzero(keep))
    return fixes


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def gpkg_points(blobs) -> tuple[np.ndarray, np.ndarray]:
    """x, y of GeoPackage point blobs (header, optional envelope, WKB point), parsed with
    numpy for each blob length at once (a workspace writes them all alike)."""
    n = len(blobs)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    lengths = np.fromiter((0 if b is None else len(b) for b in blobs), np.int64, n)
    for size in np.unique(lengths):
        if size < 29:
            continue
        idx = np.flatnonzero(lengths == size)
        raw = np.frombuffer(b"".join(blobs[i] for i in idx), np.uint8).reshape(len(idx), size)
        env = np.vectorize(_ENVELOPE_BYTES.get)((raw[:, 3] >> 1) & 7, 0)
        for off in np.unique(8 + env):
            rows = np.flatnonzero(8 + env == off)
            little = raw[rows, off] == 1
            for order, sel in (("<f8", rows[little]), (">f8", rows[~little])):
                if len(sel):
                    xy = raw[sel, off + 5 : off + 21].copy().view(order)
                    x[idx[sel]], y[idx[sel]] = xy[:, 0], xy[:, 1]
    return x, y
