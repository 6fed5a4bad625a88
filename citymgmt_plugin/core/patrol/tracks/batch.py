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


_FIELDS = ("collector", "device", "time", "a", "b", "accuracy", "speed")


@dataclass
class TrackRows:
    """Fixes of one file, as read: rows added one by one (lists) or in blocks (arrays);
    :meth:`arrays` gives them all as arrays. ``a``/``b``: lon/lat or x/y; ``time``: epoch
    seconds; ``accuracy`` (m) and ``speed`` (km/h): NaN unknown."""

    pending: dict[str, list] = field(default_factory=lambda: {f: [] for f in _FIELDS})
    blocks: list[dict[str, np.ndarray]] = field(default_factory=list)

    def add(self, line, collector, device, t, a, b, accuracy=np.nan, speed=np.nan) -> None:
        for name, value in zip(_FIELDS, (collector, device, t, a, b, accuracy, speed)):
            self.pending[name].append(value)

    def extend(self, **columns: np.ndarray) -> None:
        """A block of fixes, every field an array of the same length."""
        self.blocks.append({f: columns[f] for f in _FIELDS})

    def arrays(self) -> dict[str, np.ndarray]:
        if self.pending["time"]:
            self.blocks.append(_as_arrays(self.pending))
            self.pending = {f: [] for f in _FIELDS}
        if not self.blocks:
            return _as_arrays({f: [] for f in _FIELDS})
        if len(self.blocks) > 1:
            self.blocks = [{f: np.concatenate([b[f] for b in self.blocks]) for f in _FIELDS}]
        return self.blocks[0]

    def __len__(self) -> int:
        return len(self.pending["time"]) + sum(len(b["time"]) for b in self.blocks)


def _as_arrays(cols: dict[str, list]) -> dict[str, np.ndarray]:
    def objects(values: list) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out

    return {
        "collector": objects(cols["collector"]),
        "device": objects(cols["device"]),
        "time": np.asarray(cols["time"], dtype=np.int64),
        "a": np.asarray(cols["a"], dtype=float),
        "b": np.asarray(cols["b"], dtype=float),
        "accuracy": np.asarray(cols["accuracy"], dtype=float),
        "speed": np.asarray(cols["speed"], dtype=float),
    }


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
