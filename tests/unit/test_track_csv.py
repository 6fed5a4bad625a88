"""A track CSV is read column by column with numpy; every fix must get the time and the
bad-row reason the row-by-row reader gives, whatever the devices wrote."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from citymgmt_plugin.core.patrol.tracks import formats
from citymgmt_plugin.core.patrol.tracks.formats import ReadOptions, read_track_file

EIGHT_AM_UTC = 1772352000  # 2026-03-01 08:00:00Z
EIGHT_AM_BEIJING = EIGHT_AM_UTC - 8 * 3600  # 2026-03-01 08:00:00 local (UTC+8)

ROWS = [
    ("2026-03-01 08:00:00", EIGHT_AM_BEIJING),
    ("2026-03-01T08:00:00Z", EIGHT_AM_UTC),
    ("2026-03-01T08:00:00+08:00", EIGHT_AM_BEIJING),
    ("2026-03-01 08:00:00+0800", EIGHT_AM_BEIJING),  # offset without a colon
    ("2026-03-01T08:00", EIGHT_AM_BEIJING),
    ("2026-03-01 08:00:00.750", EIGHT_AM_BEIJING),  # the fraction is dropped
    ("2026-3-1 8:00:00", EIGHT_AM_BEIJING),  # not zero-padded
    ("2026/03/01 08:00:00", EIGHT_AM_BEIJING),
    (str(EIGHT_AM_UTC), EIGHT_AM_UTC),  # epoch seconds among dates
    (str(EIGHT_AM_UTC * 1000), EIGHT_AM_UTC),  # epoch milliseconds
]
BAD = ["2026-02-30 08:00:00", "2026-03-01 24:00:00", "yesterday"]


def _read(path: Path, row_by_row: bool):
    opts = ReadOptions(collector="C01")
    if row_by_row:
        with mock.patch.object(formats, "_by_columns", lambda *args: False):
            return read_track_file(path, opts)
    return read_track_file(path, opts)


def test_mixed_time_formats_read_as_row_by_row(tmp_path):
    lines = ["time,lon,lat,accuracy"]
    lines += [f"{t},120.58,31.30,5" for t, _ in ROWS]
    lines += [f"{t},120.58,31.30,5" for t in BAD]
    path = tmp_path / "device.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    fast, slow = _read(path, False), _read(path, True)

    assert list(fast.rows.arrays()["time"]) == [t for _, t in ROWS]
    assert dict(fast.bad) == {"bad_time": len(BAD)}
    assert fast.examples == {"bad_time": len(ROWS) + 2}  # the first bad line of the file
    assert list(slow.rows.arrays()["time"]) == [t for _, t in ROWS]
    assert dict(slow.bad) == dict(fast.bad) and slow.examples == fast.examples
