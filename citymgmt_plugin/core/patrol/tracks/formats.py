"""Track file readers: CSV, GPX, GeoJSON and ODK Collect audit logs.

- **CSV**: a header naming the columns (English or Chinese): collector (``collector_code``
  / ``collector`` / 采集员), device (``device_id`` / ``device`` / 设备), time (``fix_time``
  / ``time`` / ``timestamp`` / 时间), position as ``lon``/``lat`` (经度/纬度) or ``x``/``y``
  in the workspace CRS, optional ``accuracy`` (m, 精度) and ``speed`` (km/h, 速度).
- **GPX** 1.0/1.1: every ``trkpt`` with its ``time``; the collector and device are given
  by the caller (the GPX has no field for them) or, for the collector, the track's name.
- **GeoJSON**: Point features with the CSV's property names, or LineStrings with a
  ``coordTimes`` / ``times`` list (as GPX converters write them).
- **ODK Collect audit log** (the form's ``audit.csv`` attachment with location tracking):
  ``event,node,start,end,latitude,longitude,accuracy…``; the ``location changed`` events
  are the fixes (``start`` in epoch milliseconds). The collector is the ``user`` column
  (identity tracking), else given; ODK Central's combined export starts with an
  ``instance ID`` column, which names the submission and through it the collector and
  device the workspace stored for it.

Times without an offset are the office's local time; positions are WGS84 lon/lat unless
the caller says GCJ02, BD09 or CGCS2000.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from .batch import (
    BAD_ACCURACY,
    BAD_POSITION,
    BAD_TIME,
    NO_COLLECTOR,
    NO_POSITION,
    NO_TIME,
    UNREADABLE,
    TrackRead,
    number,
    parse_time,
)

_COLUMNS = {
    "collector": ("collector_code", "collector", "user", "采集员", "采集员编号", "监督员"),
    "device": ("device_id", "device", "deviceid", "设备", "设备编号"),
    "time": ("fix_time", "time", "timestamp", "datetime", "gps_time", "时间", "定位时间"),
    "lon": ("lon", "lng", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "x": ("x",),
    "y": ("y",),
    "accuracy": ("accuracy", "accuracy_m", "精度"),
    "speed": ("speed", "speed_kmh", "速度"),
}


@dataclass(frozen=True)
class ReadOptions:
    collector: str | None = None  # for files that do not name one (GPX, an audit.csv)
    device: str | None = None
    crs: str = "WGS84"  # of lon/lat positions
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    # ODK instance ID -> (collector, device), from the workspace's submissions
    instances: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic collector paused while millions of rows become lists and tuples (it would
    walk them again and again: 3× the parse time), restored afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_track_file(path: str | Path, opts: ReadOptions) -> TrackRead:
    """Read one file by its extension (``.csv`` is a track table or an ODK audit log)."""
    with _no_gc():
        return _read(Path(path), opts)


def _read(path: Path, opts: ReadOptions) -> TrackRead:
    read = TrackRead(str(path), crs=opts.crs)
    try:
        suffix = path.suffix.lower()
        if suffix == ".gpx":
            _gpx(path, opts, read)
        elif suffix in (".geojson", ".json"):
            _geojson(path, opts, read)
        else:
            _csv(path.read_text(encoding="utf-8-sig"), opts, read)
    except (OSError, UnicodeDecodeError, ET.ParseError, json.JSONDecodeError, ValueError):
        read.reject(0, UNREADABLE)
    return read


def _accept(read: TrackRead, opts: ReadOptions, line: int, values: dict) -> None:
    """Check one fix's values and add it, or count it as bad with its reason."""
    raw_time = values.get("time")
    if raw_time in (None, ""):
        read.reject(line, NO_TIME)
        return
    t = parse_time(raw_time, opts.zone)
    if t is None:
        read.reject(line, BAD_TIME)
        return
    a, b = values.get("a"), values.get("b")
    if a in (None, "") or b in (None, ""):
        read.reject(line, NO_POSITION)
        return
    a, b = number(a), number(b)
    if a is None or b is None or not _in_range(a, b, read.projected):
        read.reject(line, BAD_POSITION)
        return
    acc = values.get("accuracy")
    acc_v = number(acc) if acc not in (None, "") else math.nan
    if acc_v is None or acc_v < 0:
        read.reject(line, BAD_ACCURACY)
        return
    collector = _text(values.get("collector")) or opts.collector
    if not collector:
        read.reject(line, NO_COLLECTOR)
        return
    speed = number(values.get("speed"))
    device = _text(values.get("device")) or opts.device
    read.rows.add(line, collector, device, t, a, b, acc_v, math.nan if speed is None else speed)


def _in_range(a: float, b: float, projected: bool) -> bool:
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return projected or (-180.0 <= a <= 180.0 and -90.0 <= b <= 90.0 and (a, b) != (0.0, 0.0))


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# -- CSV and ODK audit logs --------------------------------------------------------------------
def _header_index(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    out = {}
    for key, options in _COLUMNS.items():
        for o in options:
            if o in names:
                out[key] = names.index(o)
                break
    return out


def _csv(text: str, opts: ReadOptions, read: TrackRead) -> None:
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        raise ValueError("empty")
    low = [h.strip().lower() for h in header]
    if "event" in low and "start" in low and "latitude" in low:
        _audit(low, rows, opts, read)
        return
    idx = _header_index(header)
    if "time" not in idx or not (("lon" in idx and "lat" in idx) or ("x" in idx and "y" in idx)):
        raise ValueError("no time or position columns")
    read.projected = "lon" not in idx
    ka, kb = ("x", "y") if read.projected else ("lon", "lat")
    body = list(rows)
    if _by_columns(body, len(header), idx, ka, kb, opts, read):
        return
    for line, row in enumerate(body, start=2):
        if not any(c.strip() for c in row):
            continue

        def cell(key: str, row=row) -> str | None:
            i = idx.get(key)
            return row[i] if i is not None and i < len(row) else None

        values = {k: cell(k) for k in ("collector", "device", "time", "accuracy", "speed")}
        values.update(a=cell(ka), b=cell(kb))
        _accept(read, opts, line, values)


def _by_columns(body, width, idx, ka, kb, opts, read) -> bool:
    """The rows read column by column with numpy (every row as wide as the header; blank
    lines skipped); False when that cannot be done and the rows are to be read one by one."""
    from .csv_columns import accept_columns

    widths = np.fromiter(map(len, body), np.int64, len(body))
    lines = np.flatnonzero(widths) + 2
    if not len(lines) or (widths[widths > 0] != width).any():
        return False
    cols = list(zip(*(body if len(lines) == len(body) else [r for r in body if r])))

    def col(key: str, strip: bool = True) -> np.ndarray:
        i = idx.get(key)
        if i is None:
            return np.full(len(lines), "", dtype="U1")
        values = np.array(cols[i], dtype=str)
        return np.char.strip(values) if strip else values

    values = {k: col(k) for k in ("collector", "device", "time")}
    values.update({k: col(k, strip=False) for k in ("accuracy", "speed")})
    values.update(a=col(ka, strip=False), b=col(kb, strip=False), line=lines)
    return accept_columns(read, values, opts)


def _audit(header: list[str], rows, opts: ReadOptions, read: TrackRead) -> None:
    """An ODK Collect audit log: the ``location changed`` events are the fixes."""
    col = {name: i for i, name in enumerate(header)}
    inst = col.get("instance id")
    body = [r for r in rows if any(c.strip() for c in r)]
    ev = col["event"]
    moves = [r for r in body if ev < len(r) and r[ev].strip().lower() == "location changed"]
    for line, row in enumerate(moves or body, start=2):

        def cell(key: str, row=row) -> str | None:
            i = col.get(key)
            return row[i] if i is not None and i < len(row) else None

        collector, device = opts.instances.get((cell("instance id") or "").strip(), (None, None))
        if inst is None or collector is None:
            collector = cell("user") or opts.collector
            device = opts.device
        values = {
            "collector": collector, "device": device, "time": cell("start"),
            "a": cell("longitude"), "b": cell("latitude"), "accuracy": cell("accuracy"),
        }  # fmt: skip
        _accept(read, opts, line, values)


# -- GPX ------------------------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _gpx(path: Path, opts: ReadOptions, read: TrackRead) -> None:
    track_name = None
    n = 0
    for _event, el in ET.iterparse(str(path), events=("end",)):
        tag = _local(el.tag)
        if tag == "name" and track_name is None and el.text:
            track_name = el.text.strip()
        if tag != "trkpt":
            continue
        n += 1
        values = {"a": el.get("lon"), "b": el.get("lat"), "collector": None, "device": None}
        for child in el:
            ctag = _local(child.tag)
            if ctag == "time":
                values["time"] = child.text
            elif ctag in ("speed", "accuracy"):
                values[ctag] = child.text
            elif ctag == "extensions":
                for ext in child.iter():
                    if _local(ext.tag) in ("speed", "accuracy") and ext.text:
                        values[_local(ext.tag)] = ext.text
        if values.get("speed") not in (None, ""):
            v = number(values["speed"])
            values["speed"] = None if v is None else v * 3.6  # GPX speed is m/s
        if not opts.collector and track_name:
            values["collector"] = track_name
        _accept(read, opts, n, values)
        el.clear()


# -- GeoJSON --------------------------------------------------------------------------------
def _geojson(path: Path, opts: ReadOptions, read: TrackRead) -> None:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    features = data.get("features", []) if isinstance(data, dict) else []
    n = 0
    for feat in features:
        props = {str(k).lower(): v for k, v in (feat.get("properties") or {}).items()}
        geom = feat.get("geometry") or {}
        common = {key: next((props[o] for o in _COLUMNS[key] if o in props), None)
                  for key in ("collector", "device", "time", "accuracy", "speed")}  # fmt: skip
        if geom.get("type") == "LineString":
            times = props.get("coordtimes") or props.get("times") or []
            for k, coord in enumerate(geom.get("coordinates") or []):
                n += 1
                t = times[k] if k < len(times) else None
                _accept(read, opts, n, {**common, "time": t, **_ab(coord)})
            continue
        n += 1
        coord = geom.get("coordinates") if geom.get("type") == "Point" else None
        _accept(read, opts, n, {**common, **_ab(coord)})


def _ab(coord: object) -> dict:
    if isinstance(coord, (list, tuple)) and len(coord) >= 2:
        return {"a": coord[0], "b": coord[1]}
    return {"a": None, "b": None}
