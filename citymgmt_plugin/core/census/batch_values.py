"""Parsing a census batch's raw values: text, dates, numbers, identifiers, coded values, and
one row's target values (:class:`RowParser`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from ..codes import id_schemes
from ..i18n import tr
from .batch_codes import ValueCodes, normal_text
from .batch_dates import parse_date as _parse_date
from .errors import Problem
from .validation import is_placeholder

# What a spreadsheet makes of a long digit string: 3.20508E+15, 3205080101000001.0
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
DATE_FIELDS = ("initial_date",)


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


def parse_date(v: Any, office: str = "Asia/Shanghai") -> date | None | str:
    """A date, None when empty, or the raw text when it cannot be read (see
    :mod:`.batch_dates` for the forms read)."""
    return _parse_date(v, office)


def parse_float(v: Any) -> float | None:
    if v is None or v == "":
        return None
    try:
        return float(str(v).strip())
    except ValueError:
        return None


def spreadsheet_number_problem(shown: str) -> Problem:
    return Problem(
        "identifier_number",
        "identifier",
        tr(
            "Census",
            "Identifier {0} was turned into a number by a spreadsheet (scientific notation or "
            "decimals): its digits cannot be trusted. Export the identifier column as text.",
        ).format(shown),
    )


def identifier_text(v: Any) -> tuple[str | None, Problem | None]:
    """The identifier a cell holds, or the problem that it is a spreadsheet number (a numeric
    cell, scientific notation, a decimal point): such a value is never taken as an
    identifier. A leading apostrophe (a spreadsheet's "this is text" mark) is dropped."""
    if v is None:
        return None, None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if isinstance(v, float) and not np.isfinite(v):
            return None, None
        return None, spreadsheet_number_problem(repr(v) if isinstance(v, float) else str(v))
    s = normal_text(v).lstrip("'").strip()
    if not s:
        return None, None
    if _SCIENTIFIC.match(s) or _DECIMAL.match(s):
        return None, spreadsheet_number_problem(s)
    return s, None


def class_of_identifier(ident: str | None, scheme: str) -> str | None:
    """The class part of an identifier of the scheme's length and all digits, else None."""
    s = id_schemes()[scheme]
    if not ident or len(ident) != s.length or not (ident.isdigit() and ident.isascii()):
        return None
    return ident[s.county_digits : s.county_digits + s.class_digits]


def unmapped_problem(f: str, value: str) -> Problem:
    from ..labels import field_label

    return Problem(
        "value_unmapped",
        f,
        tr("Census", "{0} '{1}' has no value mapping.").format(field_label(f), value),
    )


@dataclass
class RowParser:
    """Turns one source row into target values: the mapping, the fields it fills, the
    identifier scheme, the value maps and the office time zone (for dates)."""

    mapping: dict[str, str]
    fields: Iterable[str]
    scheme: str
    codes: ValueCodes
    office: str = "Asia/Shanghai"
    unmapped: dict[str, Counter] = field(default_factory=dict)  # values without a mapping
    # the class a valid identifier carries (default: a component's, by scheme)
    class_of: Callable[[str | None], str | None] | None = None

    def parse(self, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        """The row's values and the problems reading them found; a class the batch lacks is
        read from a valid identifier."""
        vals: dict[str, Any] = {}
        problems: list[Problem] = []
        for f in self.fields:
            v = raw.get(self.mapping[f])
            if f == "identifier":
                vals[f], problem = identifier_text(v)
                problems += [problem] if problem else []
            elif f in DATE_FIELDS:
                vals[f] = parse_date(v, self.office)
            else:
                vals[f] = self._coded(f, parse_text(v), problems)
        class_field = self.codes.class_field
        if not vals.get(class_field):
            ident = vals.get("identifier")
            of = self.class_of
            vals[class_field] = of(ident) if of else class_of_identifier(ident, self.scheme)
        return vals, problems

    def _coded(self, f: str, text: str | None, problems: list[Problem]) -> str | None:
        if f not in self.codes.coded:
            return text
        value, ok = self.codes.apply(f, text)
        if not ok:
            self.unmapped.setdefault(f, Counter())[normal_text(text)] += 1
            # fields with a domain or a class table are refused by those checks, and a
            # placeholder as a placeholder
            free = f not in self.codes.domains and f != self.codes.class_field
            if free and not is_placeholder(value):
                problems.append(unmapped_problem(f, normal_text(text)))
        return value


def unmapped_values(
    rows: list[dict[str, Any]], mapping: dict[str, str], codes: ValueCodes
) -> dict[str, Counter]:
    """Per coded field the batch carries: each printed value that neither a map entry nor
    the field's allowed values cover, with how many rows carry it."""
    out: dict[str, Counter] = {}
    for f in codes.coded:
        column = mapping.get(f)
        if not column:
            continue
        seen: Counter = Counter()
        for raw in rows:
            text = parse_text(raw.get(column))
            if text is not None and not codes.apply(f, text)[1]:
                seen[normal_text(text)] += 1
        if seen:
            out[f] = seen
    return out


def values_to_map(
    rows: list[dict[str, Any]], mapping: dict[str, str], plain: ValueCodes
) -> dict[str, Counter]:
    """Per coded field the batch carries: each printed value a value map has to say
    something about, with its count — those that are not a stored value as they stand
    (``plain``: the field's rules without any value map), and every value of a field
    without a fixed list (a department, printed as its short name)."""
    out: dict[str, Counter] = {}
    for f in plain.coded:
        column = mapping.get(f)
        if not column:
            continue
        free = plain.allowed(f) is None
        seen: Counter = Counter()
        for raw in rows:
            text = parse_text(raw.get(column))
            if text is not None and (free or not plain.apply(f, text)[1]):
                seen[normal_text(text)] += 1
        if seen:
            out[f] = seen
    return out
