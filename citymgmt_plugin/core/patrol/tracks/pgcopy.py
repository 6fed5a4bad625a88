"""Track points in PostgreSQL's binary COPY format, built with numpy (no per-row Python).

Rows are grouped by what varies in length or nullness (collector code, device, whether
accuracy and speed are known); each group is one fixed-width numpy record array whose bytes
are the COPY rows. Columns, in order: id, collector_code, device_id, fix_time,
accuracy_m, speed_kmh, geom (EWKB point with SRID).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import numpy as np

COLUMNS = "id, collector_code, device_id, fix_time, accuracy_m, speed_kmh, geom"
HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
_PG_EPOCH = 946_684_800  # 2000-01-01 UTC in Unix seconds
_EWKB_POINT_SRID = 0x20000001


def _dtype(code_len: int, dev_len: int | None, acc: bool, spd: bool) -> np.dtype:
    fields: list[tuple] = [("n", ">i2"), ("l_id", ">i4"), ("id", ">i8"), ("l_c", ">i4")]
    fields += [("c", f"S{code_len}"), ("l_d", ">i4")]
    if dev_len:
        fields.append(("d", f"S{dev_len}"))
    fields += [("l_t", ">i4"), ("t", ">i8"), ("l_a", ">i4")]
    if acc:
        fields.append(("a", ">f8"))
    fields.append(("l_s", ">i4"))
    if spd:
        fields.append(("s", ">f8"))
    fields += [("l_g", ">i4"), ("g_bo", "u1"), ("g_type", "<u4"), ("g_srid", "<u4"),
               ("x", "<f8"), ("y", "<f8")]  # fmt: skip
    return np.dtype(fields)


def _group(ids, code: bytes, dev: bytes | None, t, acc, spd, x, y, srid: int) -> bytes:
    has_a, has_s = acc is not None, spd is not None
    rec = np.empty(len(t), dtype=_dtype(len(code), len(dev) if dev else None, has_a, has_s))
    rec["n"] = 7
    rec["l_id"], rec["id"] = 8, ids
    rec["l_c"], rec["c"] = len(code), code
    rec["l_d"] = len(dev) if dev else -1
    if dev:
        rec["d"] = dev
    rec["l_t"], rec["t"] = 8, (t - _PG_EPOCH) * 1_000_000
    rec["l_a"] = 8 if has_a else -1
    if has_a:
        rec["a"] = acc
    rec["l_s"] = 8 if has_s else -1
    if has_s:
        rec["s"] = spd
    rec["l_g"], rec["g_bo"], rec["g_type"], rec["g_srid"] = 25, 1, _EWKB_POINT_SRID, srid
    rec["x"], rec["y"] = x, y
    return rec.tobytes()


def copy_chunks(
    ids: np.ndarray,
    collector: np.ndarray,
    device: np.ndarray,
    t: np.ndarray,
    accuracy: np.ndarray,
    speed: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    srid: int,
) -> Iterator[bytes]:
    """The COPY stream (header, row groups, trailer) of the given rows. ``collector`` and
    ``device`` are object arrays of text (device None: NULL); NaN accuracy / speed: NULL."""
    yield HEADER
    acc_known, spd_known = ~np.isnan(accuracy), ~np.isnan(speed)
    keys = np.array(
        [f"{c}\x00{'' if d is None else d}\x00{int(d is None)}" for c, d in zip(collector, device)],
        dtype=object,
    )
    flags = acc_known.astype(np.int8) * 2 + spd_known.astype(np.int8)
    uniq, inv = np.unique(keys, return_inverse=True)
    for k, key in enumerate(uniq):
        code, dev, dev_null = key.split("\x00")
        in_key = inv == k
        for flag in (0, 1, 2, 3):
            sel = np.flatnonzero(in_key & (flags == flag))
            if not len(sel):
                continue
            yield _group(
                ids[sel], code.encode(), None if dev_null == "1" else dev.encode(), t[sel],
                accuracy[sel] if flag & 2 else None, speed[sel] if flag & 1 else None,
                x[sel], y[sel], srid,
            )  # fmt: skip
    yield TRAILER


class ChunkReader:
    """A file-like object over the COPY chunks, for ``cursor.copy_expert``."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._view = memoryview(b"")
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        if self._pos >= len(self._view):
            nxt = next(self._chunks, None)
            if nxt is None:
                return b""
            self._view, self._pos = memoryview(nxt), 0
        end = len(self._view) if size < 0 else min(len(self._view), self._pos + size)
        out = bytes(self._view[self._pos : end])
        self._pos = end
        return out

    def readline(self, size: int = -1) -> bytes:  # pragma: no cover - COPY reads blocks
        return self.read(size)
