"""Parsing a census batch's raw values: text, dates, numbers, and one row's target values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import numpy as np

from ..codes import id_schemes

# Date forms read from text, tried in order (a time part is ignored).
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%Y.%m.%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
)


def parse_text(v: Any) -> str | None:
    """Text without surrounding blanks, None when empty; whole floats lose their '.0'."""
    if v is None:
        return None
    if isinstance(v, float):
        if not np.isfinite(v):
            return None
        if v.is_integer():
            v = int(v)
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def parse_date(v: Any) -> date | None | str:
    """A date, None when empty, or the raw text when it cannot be read."""
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    if not s:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(s[:19] if "T" in s or " " in s else s, fmt).date()
        except ValueError:
            continue
    return s


def parse_float(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(str(v).strip())
    except ValueError:
        return None


def parse_row(
    raw: dict[str, Any], mapping: dict[str, str], fields: Iterable[str], scheme: str
) -> dict[str, Any]:
    """The target values of one source row; a class code the batch lacks is read from a
    full-length identifier."""
    vals: dict[str, Any] = {}
    for t in fields:
        v = raw.get(mapping[t])
        vals[t] = parse_date(v) if t == "initial_date" else parse_text(v)
    ident = vals.get("identifier")
    if not vals.get("class_code") and ident and len(ident) in (16, 17):
        s = id_schemes()[scheme]
        vals["class_code"] = ident[s.county_digits : s.county_digits + s.class_digits]
    return vals
