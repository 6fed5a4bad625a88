"""A track CSV's columns checked and converted at once with numpy (no per-row Python).

The same checks as :func:`.formats._accept`, in the same order, so each bad row gets the
same reason: no time, unreadable time, no position, position out of range, bad accuracy, no
collector. Times are ISO 8601 (``YYYY-MM-DD HH:MM[:SS[.fff]]``, ``T`` or space, with ``Z``,
an offset or none: local time) or epoch seconds / milliseconds; a column numpy cannot read
whole is left to the row-by-row reader (None).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np

from .batch import (
    BAD_ACCURACY,
    BAD_POSITION,
    BAD_TIME,
    NO_COLLECTOR,
    NO_POSITION,
    NO_TIME,
    TrackRead,
)


def column(rows: list[list[str]], i: int | None) -> np.ndarray:
    """Column ``i`` of the rows as a stripped str array ('' where missing)."""
    if i is None:
        return np.full(len(rows), "", dtype=object)
    return np.array([r[i].strip() if i < len(r) else "" for r in rows], dtype=object)


def _numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(floats with NaN for empty, unreadable mask); None when numpy cannot parse."""
    empty = values == ""
    text = np.where(empty, "nan", values).astype(str)
    try:
        return text.astype(float), np.zeros(len(values), bool)
    except ValueError:
        return None


def _zone_offset(zone: ZoneInfo, seconds: np.ndarray) -> np.ndarray:
    """The zone's UTC offset (s) at each local time (one lookup per distinct hour)."""
    from datetime import datetime, timezone

    hours = seconds // 3600
    uh, inv = np.unique(hours, return_inverse=True)
    offs = np.fromiter(
        (int(datetime.fromtimestamp(int(h) * 3600, timezone.utc).replace(tzinfo=zone)
             .utcoffset().total_seconds()) for h in uh),
        dtype=np.int64, count=len(uh),
    )  # fmt: skip
    return offs[inv.reshape(-1)]


def times(values: np.ndarray, zone: ZoneInfo) -> np.ndarray | None:
    """Epoch seconds (int64; -1 marks unreadable, empty rows are ignored by the caller);
    None when the column needs the row-by-row reader."""
    present = values != ""
    sample = values[present]
    if not len(sample):
        return np.full(len(values), -1, np.int64)
    if all(str(v).replace(".", "", 1).isdigit() for v in sample[:50]):
        nums = _numbers(values)
        if nums is None:
            return None
        v = nums[0]
        sec = np.where(v > 1e11, v / 1000.0, v)
        return np.where(np.isnan(sec), -1, sec).astype(np.int64)
    return _iso_times(values, present, zone)


_WIDTH = 40


def _codes(text: np.ndarray) -> np.ndarray:
    """The characters of each text as a (rows, 40) matrix of code points (0 past the end)."""
    return text.astype(f"U{_WIDTH}").view(np.uint32).reshape(len(text), _WIDTH).copy()


def _iso_shape(codes: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Rows shaped exactly like ``YYYY-MM-DD[T ]HH:MM[:SS[.f…]]`` once a zone is cut off
    (``length``: characters left); the fraction is dropped in place (the row-by-row reader
    ignores it too)."""
    ok = length >= 16
    for k in (4, 7):
        ok &= codes[:, k] == ord("-")
    ok &= (codes[:, 10] == ord("T")) | (codes[:, 10] == ord(" "))
    ok &= codes[:, 13] == ord(":")
    ok &= _digits(codes, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15])
    seconds = (length >= 19) & (codes[:, 16] == ord(":")) & _digits(codes, [17, 18])
    fraction = np.flatnonzero(ok & seconds & (length >= 21) & (codes[:, 19] == ord(".")))
    if len(fraction):
        tail = codes[fraction, 20:]
        past = np.arange(20, _WIDTH)[None, :] >= length[fraction, None]
        good = (((tail >= ord("0")) & (tail <= ord("9"))) | past).all(axis=1)
        codes[fraction[good], 19:] = 0
        length = length.copy()
        length[fraction[good]] = 19
    return ok & ((length == 16) | (seconds & (length == 19)))


def _digits(codes: np.ndarray, at: list[int]) -> np.ndarray:
    picked = codes[:, at]
    return ((picked >= ord("0")) & (picked <= ord("9"))).all(axis=1)


def _cut_zone(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop a trailing ``Z`` or ``±HH:MM`` in place: (zone given, seconds east of UTC,
    characters left)."""
    n = len(codes)
    length = (codes != 0).sum(axis=1)
    rows = np.arange(n)
    last = codes[rows, np.maximum(length - 1, 0)]
    utc = last == ord("Z")
    codes[rows[utc], length[utc] - 1] = 0
    left = length - utc
    at = np.maximum(length - 6, 0)
    sign = codes[rows, at]
    off = (
        (length > 19)
        & ((sign == ord("+")) | (sign == ord("-")))
        & (codes[rows, np.maximum(length - 3, 0)] == ord(":"))
    )
    east = np.zeros(n, np.int64)
    if off.any():
        r, a = rows[off], at[off]
        digit = codes - ord("0")
        hh = digit[r, a + 1] * 10 + digit[r, a + 2]
        mm = digit[r, a + 4] * 10 + digit[r, a + 5]
        east[off] = np.where(sign[off] == ord("+"), 1, -1) * (hh * 3600 + mm * 60)
        for k in range(6):
            codes[r, a + k] = 0
        left[off] -= 6
    return utc | off, east, left


def _iso_times(values: np.ndarray, present: np.ndarray, zone: ZoneInfo) -> np.ndarray:
    """Epoch seconds of ISO 8601 texts (-1 where unreadable): ``Z`` and offsets as given,
    none: ``zone``. Texts of another shape (epoch numbers among dates, ``2026/3/1 8:00``,
    ``+0800`` …) are read one by one with the row-by-row reader's rules."""
    codes = _codes(values.astype(str))
    whole = codes[:, _WIDTH - 1] == 0  # none cut short at 40 characters
    aware, east, length = _cut_zone(codes)
    ok = present & whole & _iso_shape(codes, length)
    codes[:, 10] = np.where(codes[:, 10] == ord(" "), ord("T"), codes[:, 10])
    text = codes.view(f"U{_WIDTH}").reshape(len(codes))
    sec = np.full(len(text), -1, np.int64)
    other = np.flatnonzero(present & ~ok)
    sec[other] = [_one(v, zone) for v in values[other]]
    if not ok.any():
        return sec
    try:
        sec[ok] = text[ok].astype("datetime64[s]").astype(np.int64) - east[ok]
    except ValueError:  # a shape that is no date (month 13 …): row by row
        sec[ok] = [_one(v, zone) for v in values[ok]]
        return sec
    local = ok & ~aware
    if local.any():
        sec[local] -= _zone_offset(zone, sec[local])
    return sec


def _one(value: str, zone: ZoneInfo) -> int:
    from .batch import parse_time

    t = parse_time(value, zone)
    return -1 if t is None else t


def accept_columns(read: TrackRead, cols: dict[str, np.ndarray], opts) -> bool:
    """Check and add the fixes of the columns (time, a, b, accuracy, speed, collector,
    device); False when numpy could not read a column (the caller reads row by row)."""
    t = times(cols["time"], opts.zone)
    a, b = _numbers(cols["a"]), _numbers(cols["b"])
    acc = _numbers(cols["accuracy"])
    speed = _numbers(cols["speed"])
    if t is None or a is None or b is None or acc is None or speed is None:
        return False
    n = len(t)
    collector = np.where(cols["collector"] == "", opts.collector or "", cols["collector"])
    reason = np.full(n, "", dtype=object)
    checks = (
        (NO_TIME, cols["time"] == ""),
        (BAD_TIME, t < 0),
        (NO_POSITION, (cols["a"] == "") | (cols["b"] == "")),
        (BAD_POSITION, ~_in_range(a[0], b[0], read.projected)),
        (BAD_ACCURACY, acc[0] < 0),
        (NO_COLLECTOR, collector == ""),
    )
    for code, bad in checks:
        reason[(reason == "") & bad] = code
    for code in dict.fromkeys(r for r in reason if r):
        rows = np.flatnonzero(reason == code)
        read.bad[code] += len(rows)
        read.examples.setdefault(code, int(cols["line"][rows[0]]))
    ok = np.flatnonzero(reason == "")
    device = np.where(cols["device"] == "", opts.device, cols["device"])
    read.rows.extend(
        collector=collector[ok].astype(object), device=device[ok].astype(object),
        time=t[ok], a=a[0][ok], b=b[0][ok], accuracy=acc[0][ok], speed=speed[0][ok],
    )  # fmt: skip
    return True


def _in_range(a: np.ndarray, b: np.ndarray, projected: bool) -> np.ndarray:
    finite = np.isfinite(a) & np.isfinite(b)
    if projected:
        return finite
    with np.errstate(invalid="ignore"):
        return finite & (np.abs(a) <= 180) & (np.abs(b) <= 90) & ~((a == 0) & (b == 0))
