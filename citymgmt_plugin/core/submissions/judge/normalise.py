"""Validation and normalisation: positions, categories and times of a page of records.

Worked out a page at a time and vectorised where it matters (projection, grid lookup):

- the position, in the source's declared system (WGS84, GCJ-02, BD-09, CGCS2000), to WGS84
  (:mod:`...chinacrs`) and then to the workspace CRS; whether a position declared WGS84 or
  nothing is in fact GCJ-02/BD-09-shifted is decided later, with the photos' EXIF in hand
  (:mod:`.position`);
- the unit grid containing it, and whether it is inside the city at all;
- the category code against the component class table of the workspace scheme or the
  event class table;
- times: ISO 8601 with or without offset (without: the office zone, default Asia/Shanghai),
  stored UTC; a time in the future or before 2000 is impossible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import shapely

from ... import chinacrs
from ..records import RawSubmission
from ..states import QuarantineReason as Q
from .context import IntakeContext
from .verdict import Verdict

EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(minutes=10)
_BAD_TIME = (ValueError, TypeError, OverflowError, OSError)
_CRS_ALIASES = {
    "WGS84": "WGS84",
    "EPSG:4326": "WGS84",
    "4326": "WGS84",
    "GCJ02": "GCJ02",
    "GCJ": "GCJ02",
    "AMAP": "GCJ02",
    "BD09": "BD09",
    "BD09LL": "BD09",
    "BAIDU": "BD09",
    "CGCS2000": "CGCS2000",
    "EPSG:4490": "CGCS2000",
    "4490": "CGCS2000",
}
_KINDS = {
    **dict.fromkeys(("部件", "c", "component", "components"), "component"),
    **dict.fromkeys(("事件", "e", "event", "events"), "event"),
}


def parse_time(value: Any, zone: Any) -> datetime | None:
    """ISO 8601 text (offset optional: ``zone`` then), a datetime, or epoch (s or ms)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000.0 if value > 1e11 else float(value)
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return parse_time(float(text), zone)
    text = text.replace("Z", "+00:00").replace("z", "+00:00").replace("/", "-")
    if len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _parse_or_none(value: Any, zone: Any) -> datetime | None:
    try:
        return parse_time(value, zone)
    except _BAD_TIME:
        return None


def _category(rec: RawSubmission, ctx: IntakeContext) -> tuple[str | None, str | None, bool]:
    """(kind, code, known) — the kind is inferred from the code when the record has none."""
    code = (rec.category_code or "").strip() or None
    kind = _KINDS.get((rec.kind or "").strip().lower())
    if code is None:
        return kind, None, False
    if kind == "component":
        return kind, code, code in ctx.component_codes
    if kind == "event":
        return kind, code, code in ctx.event_codes
    if code in ctx.component_codes:
        return "component", code, True
    if code in ctx.event_codes:
        return "event", code, True
    return None, code, False


def _crs_name(value: str | None) -> str:
    text = (value or "unknown").strip().upper().replace("-", "").replace("_", "")
    return _CRS_ALIASES.get(text, "unknown")


@dataclass(frozen=True)
class _Position:
    """One record's position: as declared, in WGS84 and in the workspace CRS."""

    crs: str  # the declared system, normalised name
    has: bool  # a usable position was sent
    xy: tuple[float, float]  # workspace CRS
    wgs: tuple[float, float]
    inside: bool  # inside the city (True when there is no position to check)
    grid: str | None


def _positions(
    records: Sequence[RawSubmission], source_crs: str, ctx: IntakeContext
) -> list[_Position]:
    """Declared -> WGS84 -> workspace CRS, grid and city check, vectorised over the page."""
    n = len(records)
    crs_of = [_crs_name(rec.crs or source_crs) for rec in records]
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    for i, rec in enumerate(records):
        if rec.lon is not None and rec.lat is not None and rec.parse_error is None:
            lon[i], lat[i] = rec.lon, rec.lat
    has = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    has &= ~((lon == 0) & (lat == 0))  # "null island": a phone without a fix
    wlon, wlat = lon.copy(), lat.copy()
    for name in ("GCJ02", "BD09"):
        sel = has & np.array([c == name for c in crs_of], bool)
        if sel.any():
            wlon[sel], wlat[sel] = chinacrs.to_wgs84(name, lon[sel], lat[sel])
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if has.any():
        x[has], y[has] = ctx.projector.forward(wlon[has], wlat[has])
    inside, grid_of = locate(ctx, x, y, has)
    return [
        _Position(
            crs_of[i],
            bool(has[i]),
            (float(x[i]), float(y[i])),
            (float(wlon[i]), float(wlat[i])),
            bool(inside[i]),
            grid_of[i],
        )
        for i in range(n)
    ]


def normalise_page(
    records: Sequence[RawSubmission],
    source_crs: str,
    ctx: IntakeContext,
    received_at: datetime,
) -> list[Verdict]:
    """Check and convert one page of records: a verdict each, photos not yet judged."""
    positions = _positions(records, source_crs, ctx)
    return [_one(rec, ctx, received_at, pos) for rec, pos in zip(records, positions)]


def locate(
    ctx: IntakeContext, x: np.ndarray, y: np.ndarray, has: np.ndarray | None = None
) -> tuple[np.ndarray, list[str | None]]:
    """Inside the city (True where there is no position to check) and the unit grid code."""
    n = len(x)
    has = np.ones(n, bool) if has is None else has
    inside = np.ones(n, bool)
    if ctx.city is not None and has.any():
        city = ctx.city
        if ctx.rules.city_buffer_m:
            city = city.buffer(ctx.rules.city_buffer_m)
        inside = shapely.contains_xy(city, np.where(has, x, 0.0), np.where(has, y, 0.0)) | ~has
    grid_of: list[str | None] = [None] * n
    if ctx.grid_tree is not None and has.any():
        idx = np.nonzero(has)[0]
        pairs = ctx.grid_tree.query(shapely.points(x[idx], y[idx]), predicate="intersects")
        for pi, gi in zip(pairs[0], pairs[1]):
            i = idx[pi]
            if grid_of[i] is None:
                grid_of[i] = ctx.grid_codes[gi]
    return inside, grid_of


def _content_problems(
    v: Verdict, rec: RawSubmission, pos: _Position, known: bool, code: str | None, latest: datetime
) -> None:
    """Position, category and time of a record whose JSON could be read."""
    if not pos.has:
        v.quarantine(Q.NO_POSITION, f"{rec.lon!r}, {rec.lat!r}")
    elif not pos.inside:
        v.quarantine(Q.OUTSIDE_CITY, f"{pos.wgs[0]:.6f}, {pos.wgs[1]:.6f}")
    if not known:
        v.quarantine(Q.UNKNOWN_CATEGORY, code or "-")
    observed = v.observed_utc
    if observed is not None and (observed > latest or observed < EARLIEST):
        v.quarantine(Q.IMPOSSIBLE_TIME, observed.isoformat())


def _one(rec: RawSubmission, ctx: IntakeContext, received_at: datetime, pos: _Position) -> Verdict:
    kind, code, known = _category(rec, ctx)
    collector = rec.collector_code
    if collector is None and rec.device_id:
        collector = ctx.collectors_by_device.get(rec.device_id)
    name = rec.collector_name or (ctx.collector_names.get(collector) if collector else None)
    updated = _parse_or_none(rec.server_updated_at, ctx.timezone)
    values: dict[str, Any] = {
        "instance_id": rec.instance_id,
        "server_version": rec.server_version,
        "collector_code": collector,
        "collector_name": name,
        "device_id": rec.device_id,
        "observed_at": None,
        "server_updated_at": updated,
        "kind": kind,
        "category_code": code,
        "description": rec.description,
        "raw_x": rec.lon,
        "raw_y": rec.lat,
        "raw_crs": pos.crs,
        "grid_code": pos.grid,
        "payload": rec.payload if rec.parse_error is None else {"raw": rec.payload},
        "geom": f"SRID={ctx.srid};POINT({pos.xy[0]!r} {pos.xy[1]!r})" if pos.has else None,
    }
    v = Verdict(
        record=rec,
        values=values,
        problems=list(rec.defects),  # found by the source and the sanitiser
        wgs84=pos.wgs if pos.has else None,
        observed_utc=None,
        xy=pos.xy if pos.has else None,
        received_at=_parse_or_none(rec.received_at, timezone.utc),
        crs=pos.crs,
        declared=(float(rec.lon), float(rec.lat)) if pos.has else None,  # type: ignore[arg-type]
        device=rec.device_id or ("@" + collector if collector else None),
    )
    if rec.parse_error is not None:
        v.quarantine(Q.UNREADABLE_JSON, rec.parse_error)
    try:
        v.observed_utc = parse_time(rec.observed_at, ctx.timezone)
    except _BAD_TIME:
        v.quarantine(Q.IMPOSSIBLE_TIME, repr(rec.observed_at))
    values["observed_at"] = v.observed_utc
    if rec.parse_error is None:
        latest = max(received_at, updated or received_at) + FUTURE_SLACK
        _content_problems(v, rec, pos, known, code, latest)
    return v
