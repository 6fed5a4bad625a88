"""What a track file gives: fixes as columns, and the rows that could not be used, with why.

Every reader (:mod:`.formats`) hands a :class:`TrackRead`; nothing is checked against the
workspace here. Times are epoch seconds (int64), positions lon/lat in the file's system
(WGS84 unless said otherwise) or x/y in the workspace CRS (``projected``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np

from ...i18n import tr

_CTX = "Tracks"
NULL_TIME = np.iinfo(np.int64).min
_ISO = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})"
    r"(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass
class TrackRows:
    """Fixes of one file, as read (lists; the importer makes arrays)."""

    collector: list[str | None] = field(default_factory=list)
    device: list[str | None] = field(default_factory=list)
    time: list[int] = field(default_factory=list)  # epoch seconds, NULL_TIME unknown
    a: list[float] = field(default_factory=list)  # lon or x
    b: list[float] = field(default_factory=list)  # lat or y
    accuracy: list[float] = field(default_factory=list)  # NaN unknown
    speed: list[float] = field(default_factory=list)  # km/h, NaN unknown
    line: list[int] = field(default_factory=list)  # line / point number in the file

    def add(self, line, collector, device, t, a, b, accuracy=np.nan, speed=np.nan) -> None:
        self.line.append(line)
        self.collector.append(collector)
        self.device.append(device)
        self.time.append(t)
        self.a.append(a)
        self.b.append(b)
        self.accuracy.append(accuracy)
        self.speed.append(speed)

    def __len__(self) -> int:
        return len(self.time)


@dataclass
class TrackRead:
    """One file read: its fixes, its bad rows by reason, and how positions are given."""

    path: str
    rows: TrackRows = field(default_factory=TrackRows)
    bad: Counter = field(default_factory=Counter)  # reason -> rows
    examples: dict[str, int] = field(default_factory=dict)  # reason -> first line
    crs: str = "WGS84"  # of lon/lat: WGS84, GCJ02, BD09, CGCS2000
    projected: bool = False  # a/b are x/y in the workspace CRS

    def reject(self, line: int, reason: str) -> None:
        self.bad[reason] += 1
        self.examples.setdefault(reason, line)


# Bad-row reasons (stable codes; :func:`reason_label` gives the words).
NO_TIME, BAD_TIME, NO_POSITION, BAD_POSITION = "no_time", "bad_time", "no_position", "bad_position"
NO_COLLECTOR, BAD_ACCURACY, IMPOSSIBLE_TIME = "no_collector", "bad_accuracy", "impossible_time"
UNREADABLE = "unreadable"


def reason_label(code: str) -> str:
    return {
        NO_TIME: tr(_CTX, "no time"),
        BAD_TIME: tr(_CTX, "time not readable"),
        NO_POSITION: tr(_CTX, "no position"),
        BAD_POSITION: tr(_CTX, "position not readable or out of range"),
        NO_COLLECTOR: tr(_CTX, "no collector"),
        BAD_ACCURACY: tr(_CTX, "negative or unreadable accuracy"),
        IMPOSSIBLE_TIME: tr(_CTX, "time before 2000 or in the future"),
        UNREADABLE: tr(_CTX, "file not readable"),
    }.get(code, code)


def parse_time(value: object, zone: ZoneInfo) -> int | None:
    """Epoch seconds of ISO 8601 text (no offset: ``zone``), of epoch seconds or
    milliseconds; None when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        v = float(value)
        return int(v / 1000.0) if v > 1e11 else int(v)
    text = str(value).strip()
    if not text:
        return None
    if text.replace(".", "", 1).isdigit():
        return parse_time(float(text), zone)
    m = _ISO.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s, _frac, off = m.groups()
    try:
        naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError:
        return None
    if off is None:
        return int(naive.replace(tzinfo=zone).timestamp())
    if off == "Z":
        return int(naive.replace(tzinfo=timezone.utc).timestamp())
    sign = 1 if off[0] == "+" else -1
    digits = off[1:].replace(":", "")
    offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return int(naive.replace(tzinfo=timezone.utc).timestamp()) - offset


def number(value: object) -> float | None:
    """A float from a cell; None when empty or not a number."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None
