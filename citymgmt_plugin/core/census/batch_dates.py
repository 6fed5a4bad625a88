"""Dates as census batches print them: ISO and slashed forms, what older platforms' Java code
printed (``Tue Mar 05 14:22:10 CST 2024``), Chinese dates (``2024年3月5日``, with or without a
time) and spreadsheet serial numbers (``45356``, ``45356.59``), each with or without a time.

Only the date is kept. A time zone a Java date names is read: ``CST`` is China Standard Time
(as Chinese platforms print it), an explicit UTC/GMT offset moves the moment into the office
zone before the date is taken.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

# Spreadsheet day 0 (Excel's 1900 system, after its leap-year bug) and the serials taken as
# dates: 20000 = 1954-10-03 … 80000 = 2119-01-10; other plain numbers are not dates.
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (20000, 80000)

_TIME = r"(?:[ T]*(\d{1,2})[:时点](\d{1,2})分?(?:[:]?(\d{1,2})秒?)?(?:\.\d+)?)?"
_ZONE = r"\s*(Z|[+-]\d{2}:?\d{2})?"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + _ZONE + "$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?" + _TIME + "$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_JAVA = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+([a-z]{3})[a-z]*\s+(\d{1,2})\s+"
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([a-z]+(?:[+-]\d{1,2}(?::?\d{2})?)?)\s+(\d{4})$",
    re.IGNORECASE,
)
# Zone names in Java dates that are China's own time: the printed date is the office date.
_CHINA_ZONES = ("CST", "CCT", "PRC", "BJT", "HKT")


def _normal(text: str) -> str:
    """Full-width digits and colons made plain, blanks squeezed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _offset(zone: str | None) -> timezone | None:
    """A UTC offset such as ``Z``, ``+0800``, ``GMT+8``, ``UTC``; None when there is none."""
    if not zone:
        return None
    z = zone.upper()
    if z in ("Z", "UTC", "GMT", "UT"):
        return timezone.utc
    m = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?", z)
    if m is None:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return timezone(timedelta(minutes=minutes if m.group(1) == "+" else -minutes))


def _on(parts: tuple[Any, ...], zone: timezone | None, office: str) -> date | None:
    """The office date of year, month, day[, hour, minute, second] in ``zone`` (None: the
    office's own zone); None when there is no such day or time."""
    y, mo, d, *hms = (int(p) if p else 0 for p in parts)
    try:
        moment = datetime(y, mo, d, *hms)
    except ValueError:
        return None
    if zone is None:
        return moment.date()
    return moment.replace(tzinfo=zone).astimezone(ZoneInfo(office)).date()


def _java(m: re.Match, office: str) -> date | None:
    month = m.group(1).lower()
    if month not in _MONTHS:
        return None
    zone_name = m.group(6).upper()
    zone = None if zone_name in _CHINA_ZONES else _offset(zone_name)
    if zone is None and zone_name not in _CHINA_ZONES:
        return None  # a zone we cannot place: better refused than a day off
    parts = (m.group(7), _MONTHS.index(month) + 1, m.group(2), m.group(3), m.group(4), m.group(5))
    return _on(parts, zone, office)


def serial_date(value: float) -> date | None:
    """A spreadsheet serial day number (fraction: time of day) as a date, within
    :data:`SERIAL_RANGE`; None outside it."""
    if not SERIAL_RANGE[0] <= value < SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + timedelta(days=int(value))


def read_date_text(text: str, office: str = "Asia/Shanghai") -> date | None:
    """The date a text prints, or None when it prints none this module knows."""
    s = _normal(text)
    m = _ISO.match(s)
    if m:
        return _on(m.groups()[:6], _offset(m.group(7)), office)
    m = _CHINESE.match(s.replace(" ", ""))
    if m:
        return _on(m.groups(), None, office)
    m = _COMPACT.match(s)
    if m:
        return _on(m.groups(), None, office)
    m = _JAVA.match(s)
    if m:
        return _java(m, office)
    if _SERIAL.match(s):
        return serial_date(float(s))
    return None


def parse_date(v: Any, office: str = "Asia/Shanghai") -> date | None | str:
    """A date, None when empty, or the raw text when it cannot be read as one."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v != v:  # NaN: an empty spreadsheet cell
            return None
        return serial_date(float(v)) or str(v)
    s = str(v).strip()
    if not s:
        return None
    return read_date_text(s, office) or s
