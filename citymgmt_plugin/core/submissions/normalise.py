"""Normalisation: positions, categories, times and photos of raw submissions, checked.

Everything a submission needs to become a row is worked out here, a page at a time and
vectorised where it matters (projection, grid lookup, road distances):

- the position, in the source's declared system (WGS84, GCJ-02, BD-09, CGCS2000), to WGS84
  (:mod:`..chinacrs`) and then to the workspace CRS; whether a position declared WGS84 or
  nothing is in fact GCJ-02/BD-09-shifted is decided later, with the photos' EXIF in hand
  (:mod:`.crsguard`);
- the unit grid containing it, and whether it is inside the city at all;
- the category code against the component class table of the workspace scheme or the
  event class table;
- times: ISO 8601 with or without offset (without: the office zone, default Asia/Shanghai),
  stored UTC; a time in the future or before 2000 is impossible;
- photos: decodable, and their EXIF time and position compared with the submission's.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, func, select

from .. import chinacrs
from ..i18n import tr
from ..labels import join, labelled, quarantine_reason_label
from ..workspace.schema import Schema
from .records import (
    IMPOSSIBLE_TIME,
    NO_POSITION,
    OUTSIDE_CITY,
    UNKNOWN_CATEGORY,
    UNREADABLE_JSON,
    UNREADABLE_PHOTO,
    RawSubmission,
)

_CTX = "Intake"
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Rules:
    """Thresholds of the checks (metres, hours)."""

    gcj_far_m: float = 20.0  # a raw point this far from every main road ...
    gcj_near_m: float = 6.0  # ... whose corrected position is this near one is flagged
    exif_match_m: float = 15.0  # declared vs shifted EXIF position: "the same"
    exif_shift_min_m: float = 50.0  # ... while this far from the EXIF position itself
    device_min_points: int = 5  # a device judged on its roads needs this many points ...
    device_drop: float = 0.3  # ... median road distance corrected / declared at most this,
    device_on_road_m: float = 15.0  # ... and the share of its points this near a main road
    device_on_share: float = 0.5  # ... once corrected at least this,
    device_on_gain: float = 0.3  # ... and at least this much higher than as declared
    device_min_exif: int = 2  # EXIF verdicts that decide a device instead of the roads
    device_exif_share: float = 0.8  # share of them saying GCJ-02 to call it a GCJ-02 device
    device_history_days: int = 30  # stored points of a device taken into account
    exif_time_h: float = 2.0
    exif_distance_m: float = 150.0
    city_buffer_m: float = 0.0


class Projector:
    """WGS84 lon/lat -> workspace CRS: vectorised with pyproj, else through QGIS."""

    def __init__(self, srid: int) -> None:
        self.srid = srid
        self._pyproj = None
        self._qgis = None
        try:
            import warnings

            with warnings.catch_warnings():  # Debian's pyproj warns about its data folder
                warnings.simplefilter("ignore")
                from pyproj import Transformer

            self._pyproj = Transformer.from_crs(4326, srid, always_xy=True)
        except Exception:  # pragma: no cover - pyproj ships with QGIS on the supported setups
            from qgis.core import (
                QgsCoordinateReferenceSystem,
                QgsCoordinateTransform,
                QgsCoordinateTransformContext,
            )

            self._qgis = QgsCoordinateTransform(
                QgsCoordinateReferenceSystem("EPSG:4326"),
                QgsCoordinateReferenceSystem(f"EPSG:{srid}"),
                QgsCoordinateTransformContext(),
            )

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self._pyproj is not None:
            x, y = self._pyproj.transform(lon, lat)
            return np.asarray(x, float), np.asarray(y, float)
        from qgis.core import QgsPointXY

        out = [self._qgis.transform(QgsPointXY(a, b)) for a, b in zip(lon, lat)]
        return np.array([p.x() for p in out]), np.array([p.y() for p in out])

    def inverse(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self._pyproj is not None:
            lon, lat = self._pyproj.transform(x, y, direction="INVERSE")
            return np.asarray(lon, float), np.asarray(lat, float)
        from qgis.core import QgsCoordinateTransform, QgsPointXY

        out = [
            self._qgis.transform(QgsPointXY(a, b), QgsCoordinateTransform.ReverseTransform)
            for a, b in zip(x, y)
        ]
        return np.array([p.x() for p in out]), np.array([p.y() for p in out])


def _shapes(conn: Connection, table: Any, *cols: Any) -> tuple[list[Any], list[tuple]]:
    rows = conn.execute(select(func.ST_AsBinary(table.c.geom), *cols)).all()
    geoms, attrs = [], []
    for r in rows:
        if r[0] is None:
            continue
        geoms.append(shapely.from_wkb(bytes(r[0])))
        attrs.append(tuple(r[1:]))
    return geoms, attrs


@dataclass
class IntakeContext:
    """What the checks need from the workspace, read once per pull."""

    srid: int
    scheme: str
    timezone: Any
    projector: Projector
    component_codes: set[str]
    event_codes: set[str]
    grid_tree: shapely.STRtree | None
    grid_codes: list[str]
    city: Any  # shapely geometry or None (no check)
    road_tree: shapely.STRtree | None
    collectors_by_device: dict[str, str]
    collector_names: dict[str, str]
    rules: Rules = field(default_factory=Rules)

    @classmethod
    def load(
        cls, conn: Connection, schema: Schema, settings: dict[str, str], rules: Rules | None = None
    ) -> IntakeContext:
        from zoneinfo import ZoneInfo

        srid = int(settings.get("srid", schema.srid))
        scheme = settings.get("component_scheme", "legacy16")
        zone = ZoneInfo(settings.get("timezone", "Asia/Shanghai") or "Asia/Shanghai")
        cc = schema.component_classes
        component_codes = {
            r[0] for r in conn.execute(select(cc.c.code).where(cc.c.scheme == scheme)).all()
        }
        event_codes = {r[0] for r in conn.execute(select(schema.event_classes.c.code)).all()}
        grids, grid_attrs = _shapes(conn, schema.unit_grids, schema.unit_grids.c.code)
        units, unit_attrs = _shapes(conn, schema.admin_units, schema.admin_units.c.level)
        district_geoms = [g for g, a in zip(units, unit_attrs) if a[0] == "district"]
        city = None
        if district_geoms:
            city = shapely.union_all(district_geoms)
        elif grids:
            city = shapely.union_all(grids)
        if city is not None:
            shapely.prepare(city)
        roads, _ = _shapes(conn, schema.main_roads, schema.main_roads.c.kind)
        col = schema.collectors
        collectors = conn.execute(select(col.c.code, col.c.name, col.c.device_id)).all()
        return cls(
            srid=srid,
            scheme=scheme,
            timezone=zone,
            projector=Projector(srid),
            component_codes=component_codes,
            event_codes=event_codes,
            grid_tree=shapely.STRtree(grids) if grids else None,
            grid_codes=[a[0] for a in grid_attrs],
            city=city,
            road_tree=shapely.STRtree(roads) if roads else None,
            collectors_by_device={d: c for c, _, d in collectors if d},
            collector_names={c: n for c, n, _ in collectors},
            rules=rules or Rules(),
        )


@dataclass
class Normalised:
    """A submission ready to store: column values, state and (when invalid) the reason."""

    raw: RawSubmission
    values: dict[str, Any]
    state: str
    reason: str | None
    wgs84: tuple[float, float] | None  # position in WGS84 after conversion
    observed_utc: datetime | None
    crs: str = "unknown"  # the declared system, normalised name
    declared: tuple[float, float] | None = None  # lon/lat as sent
    device: str | None = None  # device id, or "@" + collector code (device evidence)


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


def _category(rec: RawSubmission, ctx: IntakeContext) -> tuple[str | None, str | None, bool]:
    """(kind, code, known) — the kind is inferred from the code when the record has none."""
    code = (rec.category_code or "").strip() or None
    kind = (rec.kind or "").strip().lower() or None
    if kind in ("部件", "c", "component", "components"):
        kind = "component"
    elif kind in ("事件", "e", "event", "events"):
        kind = "event"
    elif kind is not None:
        kind = None
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


def normalise_page(
    records: Sequence[RawSubmission],
    source_crs: str,
    ctx: IntakeContext,
    received_at: datetime,
) -> list[Normalised]:
    """Check and convert one page of records (positions vectorised over the page)."""
    n = len(records)
    crs_of = []
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    for i, rec in enumerate(records):
        crs_of.append(_crs_name(rec.crs or source_crs))
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

    out = []
    for i, rec in enumerate(records):
        out.append(
            _one(
                rec,
                ctx,
                received_at,
                crs_of[i],
                bool(has[i]),
                (float(x[i]), float(y[i])),
                (float(wlon[i]), float(wlat[i])),
                bool(inside[i]),
                grid_of[i],
            )
        )
    return out


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


def _crs_name(value: str | None) -> str:
    text = (value or "unknown").strip().upper().replace("-", "").replace("_", "")
    aliases = {
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
    return aliases.get(text, "unknown")


def _one(
    rec: RawSubmission,
    ctx: IntakeContext,
    received_at: datetime,
    crs: str,
    has_position: bool,
    xy: tuple[float, float],
    wgs: tuple[float, float],
    inside: bool,
    grid_code: str | None,
) -> Normalised:
    reasons: list[str] = []
    if rec.parse_error is not None:
        reasons.append(f"{UNREADABLE_JSON}: {rec.parse_error}")
    kind, code, known = _category(rec, ctx)
    observed = None
    try:
        observed = parse_time(rec.observed_at, ctx.timezone)
    except (ValueError, TypeError, OverflowError, OSError):
        reasons.append(f"{IMPOSSIBLE_TIME}: {rec.observed_at!r}")
    updated = None
    try:
        updated = parse_time(rec.server_updated_at, ctx.timezone)
    except (ValueError, TypeError, OverflowError, OSError):
        updated = None
    if rec.parse_error is None:
        if not has_position:
            reasons.append(f"{NO_POSITION}: {rec.lon!r}, {rec.lat!r}")
        elif not inside:
            reasons.append(f"{OUTSIDE_CITY}: {wgs[0]:.6f}, {wgs[1]:.6f}")
        if not known:
            reasons.append(f"{UNKNOWN_CATEGORY}: {code or '-'}")
        if observed is not None:
            latest = max(received_at, updated or received_at) + FUTURE_SLACK
            if observed > latest or observed < EARLIEST:
                reasons.append(f"{IMPOSSIBLE_TIME}: {observed.isoformat()}")
    collector = rec.collector_code
    if collector is None and rec.device_id:
        collector = ctx.collectors_by_device.get(rec.device_id)
    name = rec.collector_name or (ctx.collector_names.get(collector) if collector else None)
    values: dict[str, Any] = {
        "instance_id": rec.instance_id,
        "server_version": rec.server_version,
        "collector_code": collector,
        "collector_name": name,
        "device_id": rec.device_id,
        "observed_at": observed,
        "server_updated_at": updated,
        "kind": kind,
        "category_code": code,
        "description": rec.description,
        "raw_x": rec.lon,
        "raw_y": rec.lat,
        "raw_crs": crs,
        "crs_flag": None,  # decided with the photos in hand: crsguard.settle()
        "grid_code": grid_code,
        "payload": rec.payload if rec.parse_error is None else {"raw": rec.payload},
        "geom": f"SRID={ctx.srid};POINT({xy[0]!r} {xy[1]!r})" if has_position else None,
    }
    state = "quarantined" if reasons else "pending"
    return Normalised(
        raw=rec,
        values=values,
        state=state,
        reason="; ".join(reasons) if reasons else None,
        wgs84=wgs if has_position else None,
        observed_utc=observed,
        crs=crs,
        declared=(float(rec.lon), float(rec.lat)) if has_position else None,
        device=rec.device_id or ("@" + collector if collector else None),
    )


@dataclass
class PhotoCheck:
    readable: bool
    mime: str | None = None
    exif_time: datetime | None = None
    exif_lon: float | None = None
    exif_lat: float | None = None
    problem: str | None = None


def _rational(value: Any) -> float:
    if isinstance(value, tuple):
        num, den = value
        return num / den if den else 0.0
    return float(value)  # PIL's IFDRational


def _dms(values: Any, ref: bytes | str) -> float:
    deg = _rational(values[0]) + _rational(values[1]) / 60.0 + _rational(values[2]) / 3600.0
    ref = ref.decode() if isinstance(ref, bytes) else str(ref)
    ref = ref.strip("\x00 ")
    return -deg if ref in ("S", "W") else deg


def _jpeg_scan(content: bytes) -> tuple[bool, bytes | None]:
    """Walk a JPEG's markers: (well formed and complete, the Exif TIFF block or None)."""
    import struct

    if content[:2] != b"\xff\xd8":
        return False, None
    pos, n, exif = 2, len(content), None
    while pos + 4 <= n:
        if content[pos] != 0xFF:
            return False, None
        marker = content[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        (length,) = struct.unpack(">H", content[pos + 2 : pos + 4])
        if marker == 0xE1 and content[pos + 4 : pos + 10] == b"Exif\x00\x00":
            exif = content[pos + 10 : pos + 2 + length]
        if marker == 0xDA:  # start of scan: the image data must run to an end marker
            return content.rstrip(b"\x00")[-2:] == b"\xff\xd9", exif
        pos += 2 + length
    return False, None


def _tiff_tags(tiff: bytes) -> dict[str, Any]:
    """DateTimeOriginal, OffsetTimeOriginal and the GPS position from an Exif TIFF block."""
    import struct

    end = "<" if tiff[:2] == b"II" else ">"

    def ifd(offset: int) -> dict[int, Any]:
        (count,) = struct.unpack(end + "H", tiff[offset : offset + 2])
        out = {}
        for k in range(count):
            e = offset + 2 + 12 * k
            tag, typ, num = struct.unpack(end + "HHI", tiff[e : e + 8])
            size = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 10: 8}.get(typ, 1) * num
            at = e + 8 if size <= 4 else struct.unpack(end + "I", tiff[e + 8 : e + 12])[0]
            raw = tiff[at : at + size]
            if typ == 2:
                out[tag] = raw.split(b"\x00")[0].decode("ascii", "replace")
            elif typ == 5:
                out[tag] = [struct.unpack(end + "II", raw[8 * m : 8 * m + 8]) for m in range(num)]
            elif typ == 4:
                out[tag] = struct.unpack(end + "I", raw[:4])[0]
            else:
                out[tag] = raw
        return out

    (first,) = struct.unpack(end + "I", tiff[4:8])
    ifd0 = ifd(first)
    tags: dict[str, Any] = {}
    if 0x8769 in ifd0:
        sub = ifd(ifd0[0x8769])
        tags["time"] = sub.get(0x9003) or ifd0.get(0x0132)
        tags["offset"] = sub.get(0x9011)
    if 0x8825 in ifd0:
        gps = ifd(ifd0[0x8825])
        if gps.get(2) and gps.get(4):
            tags["lat"] = _dms(gps[2], gps.get(1, b"N"))
            tags["lon"] = _dms(gps[4], gps.get(3, b"E"))
    return tags


def check_photo(
    content: bytes,
    zone: Any,
    observed: datetime | None,
    wgs84: tuple[float, float] | None,
    rules: Rules,
) -> PhotoCheck:
    """Is the photo decodable; do its EXIF time and position agree with the submission?"""
    ok, tiff = _jpeg_scan(content)
    if ok:  # the fast path: a complete JPEG, its Exif read directly
        check = PhotoCheck(True, mime="image/jpeg")
        problems = []
        try:
            tags = _tiff_tags(tiff) if tiff else {}
        except Exception:
            tags = {}
            problems.append("exif_unreadable")
        if tags.get("time"):
            try:
                local = datetime.strptime(tags["time"].strip(), "%Y:%m:%d %H:%M:%S")
                off = (tags.get("offset") or "").strip()
                check.exif_time = (
                    datetime.fromisoformat(local.isoformat() + off)
                    if off
                    else local.replace(tzinfo=zone)
                )
            except ValueError:
                problems.append("exif_time_unreadable")
        check.exif_lon, check.exif_lat = tags.get("lon"), tags.get("lat")
        return _compare(check, problems, observed, wgs84, rules)
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as img:
            fmt = img.format
            exif = img.getexif()
            if fmt == "JPEG":  # decode at 1/8 scale: every byte is still read and checked
                img.draft("RGB", (max(1, img.width // 8), max(1, img.height // 8)))
            img.load()  # a truncated file fails here (verify() would not notice)
    except Exception as exc:
        return PhotoCheck(False, problem=f"unreadable: {exc}")
    mime = Image.MIME.get(fmt or "", "application/octet-stream")
    check = PhotoCheck(True, mime=mime)
    problems = []
    try:
        ifd = exif.get_ifd(0x8769)  # Exif IFD
        raw_time = ifd.get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, DateTime
        if raw_time:
            local = datetime.strptime(str(raw_time).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            offset = ifd.get(0x9011)  # OffsetTimeOriginal
            if offset:
                check.exif_time = datetime.fromisoformat(
                    local.isoformat() + str(offset).strip("\x00 ")
                )
            else:
                check.exif_time = local.replace(tzinfo=zone)
    except (ValueError, TypeError, KeyError):
        problems.append("exif_time_unreadable")
    try:
        gps = exif.get_ifd(0x8825)
        if gps.get(2) and gps.get(4):
            check.exif_lat = _dms(gps[2], gps.get(1, "N"))
            check.exif_lon = _dms(gps[4], gps.get(3, "E"))
    except (TypeError, ValueError, ZeroDivisionError, IndexError, KeyError):
        problems.append("exif_position_unreadable")
    return _compare(check, problems, observed, wgs84, rules)


def _compare(
    check: PhotoCheck,
    problems: list[str],
    observed: datetime | None,
    wgs84: tuple[float, float] | None,
    rules: Rules,
) -> PhotoCheck:
    if check.exif_time is not None and observed is not None:
        hours = abs((check.exif_time - observed).total_seconds()) / 3600.0
        if hours > rules.exif_time_h:
            problems.append(f"exif_time_differs: {hours:.1f} h")
    if check.exif_lon is not None and wgs84 is not None:
        d = _metres(wgs84[0], wgs84[1], check.exif_lon, check.exif_lat)
        if d > rules.exif_distance_m:
            problems.append(f"exif_position_differs: {d:.0f} m")
    check.problem = "; ".join(problems) or None
    return check


def compare_position(check: PhotoCheck, wgs84: tuple[float, float] | None, rules: Rules) -> None:
    """Add ``exif_position_differs`` to a photo checked without a position (see
    :func:`check_photo`), once the submission's position is settled."""
    if check.exif_lon is None or check.exif_lat is None or wgs84 is None:
        return
    d = _metres(wgs84[0], wgs84[1], check.exif_lon, check.exif_lat)
    if d > rules.exif_distance_m:
        problem = f"exif_position_differs: {d:.0f} m"
        check.problem = f"{check.problem}; {problem}" if check.problem else problem


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    k = 111_320.0
    return math.hypot((lon2 - lon1) * k * math.cos(math.radians(lat1)), (lat2 - lat1) * 110_574.0)


def describe_reason(reason: str | None) -> str:
    """The quarantine reason for people (translated), from its stored code and detail."""
    if not reason:
        return ""
    parts = []
    for item in reason.split("; "):
        code, _, detail = item.partition(":")
        label = quarantine_reason_label(code.strip())
        detail = _reason_detail(code.strip(), detail.strip())
        parts.append(labelled(label, detail) if detail else label)
    return join(parts, "; ")


def _reason_detail(code: str, detail: str) -> str:
    """What is worth showing of a reason's detail: no "None, None" for a missing position;
    a missing photo's file name with a translated "missing"."""
    if code == NO_POSITION and all(p.strip() in ("None", "nan", "") for p in detail.split(",")):
        return ""
    if code == UNREADABLE_PHOTO and detail.endswith(" missing"):
        return tr(_CTX, "{0} is missing").format(detail[: -len(" missing")])
    return "" if detail in ("-", "None") else detail
