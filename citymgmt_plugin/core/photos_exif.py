"""Photo EXIF: the time taken and the GPS position, read with piexif (the one EXIF reader).

Phones write the GPS position in WGS84 whatever their map app does, and the time as camera
local time, with an offset (``OffsetTimeOriginal``) on recent phones; without one it is
read in the office's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

EXIF_UNREADABLE = "exif_unreadable"
TIME_UNREADABLE = "exif_time_unreadable"
POSITION_UNREADABLE = "exif_position_unreadable"

_OFFSET_TIME_ORIGINAL = 0x9011  # piexif 1.1 has no name for it
# What piexif reads from memory; anything else it would take for a file name.
_SIGNATURES = (b"\xff\xd8", b"II*\x00", b"MM\x00*", b"Exif")


@dataclass(frozen=True)
class ExifInfo:
    """What a photo's EXIF says; ``problems`` names what was there but could not be read."""

    taken_at: datetime | None = None  # aware: the photo's offset, else the office zone
    lon: float | None = None
    lat: float | None = None
    problems: tuple[str, ...] = ()


def _rational(value: Any) -> float:
    num, den = value
    return num / den if den else 0.0


def _dms(values: Any, ref: bytes | str | None) -> float | None:
    if not values:
        return None
    deg = _rational(values[0]) + _rational(values[1]) / 60.0 + _rational(values[2]) / 3600.0
    text = ref.decode() if isinstance(ref, bytes) else (ref or "")
    return -deg if text.strip("\x00 ").upper() in ("S", "W") else deg


def _text(value: Any) -> str:
    text = value.decode() if isinstance(value, bytes) else str(value)
    return text.strip("\x00 ")


def _taken_at(exif: dict, zeroth: dict, zone: tzinfo) -> datetime | None:
    import piexif

    raw = exif.get(piexif.ExifIFD.DateTimeOriginal) or zeroth.get(piexif.ImageIFD.DateTime)
    if not raw:
        return None
    local = datetime.strptime(_text(raw), "%Y:%m:%d %H:%M:%S")
    offset = exif.get(_OFFSET_TIME_ORIGINAL)
    if offset and _text(offset):
        return datetime.fromisoformat(local.isoformat() + _text(offset))
    return local.replace(tzinfo=zone)


def _position(gps: dict) -> tuple[float | None, float | None]:
    import piexif

    lat = _dms(gps.get(piexif.GPSIFD.GPSLatitude), gps.get(piexif.GPSIFD.GPSLatitudeRef))
    lon = _dms(gps.get(piexif.GPSIFD.GPSLongitude), gps.get(piexif.GPSIFD.GPSLongitudeRef))
    if lat is None or lon is None:
        return None, None
    return lon, lat


def _readable(data: bytes) -> bool:
    return data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def read_exif(data: bytes | None, zone: tzinfo | str = "Asia/Shanghai") -> ExifInfo:
    """The EXIF of a JPEG (or a raw ``Exif``/TIFF block, e.g. a PNG's ``eXIf`` chunk);
    empty when there is none."""
    import piexif

    if not data or not _readable(data):
        return ExifInfo()
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    try:
        tags = piexif.load(data)
    except Exception:
        has_block = data.startswith(b"Exif") or (
            data.startswith(b"\xff\xd8") and b"Exif\x00\x00" in data[:65536]
        )
        return ExifInfo(problems=(EXIF_UNREADABLE,) if has_block else ())
    problems = []
    taken = lon = lat = None
    try:
        taken = _taken_at(tags.get("Exif") or {}, tags.get("0th") or {}, zone)
    except (ValueError, TypeError, UnicodeDecodeError):
        problems.append(TIME_UNREADABLE)
    try:
        lon, lat = _position(tags.get("GPS") or {})
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        problems.append(POSITION_UNREADABLE)
    return ExifInfo(taken, lon, lat, tuple(problems))
