"""What a point of interest must satisfy: category, name, domains, phone, position and
identifier (county + category + serial); each failure names its rule."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from shapely.geometry.base import BaseGeometry

from ..i18n import tr
from ..labels import field_label
from ..workspace.schema.census import DATA_SOURCES, POI_STATUSES
from .errors import Problem
from .geo import geometry_kind
from .validation import is_placeholder

POI_MANDATORY = ("name", "status", "initial_date")
POI_DOMAINS = {"status": POI_STATUSES, "data_source": DATA_SOURCES}
# one phone number: digits with the usual separators; several split by ; , 、 / or blanks
_PHONE = re.compile(r"^\+?[\d\s()\-]{7,20}$")
_PHONE_SPLIT = re.compile(r"[;,，；、/]+")


# -- checks --------------------------------------------------------------------------------


def phone_problem(phone: str | None) -> Problem | None:
    """A phone field holds one or more numbers (7–20 digits and separators each)."""
    if phone is None or not str(phone).strip():
        return None
    parts = [p.strip() for p in _PHONE_SPLIT.split(str(phone)) if p.strip()]
    if parts and all(_PHONE.match(p) for p in parts):
        return None
    return Problem(
        "phone", "phone", tr("Census", "Phone {0} is not a telephone number.").format(phone)
    )


def check_poi_values(values: dict[str, Any]) -> list[Problem]:
    """Mandatory attributes present (a placeholder is not a name), domains, phone, dates."""
    problems = []
    for f in POI_MANDATORY:
        v = values.get(f)
        if v is None or (isinstance(v, str) and not v.strip()):
            problems.append(
                Problem(
                    "mandatory",
                    f,
                    tr("Census", "Mandatory attribute missing: {0}.").format(
                        field_label(f, "pois")
                    ),
                )
            )
        elif is_placeholder(v):
            problems.append(
                Problem(
                    "placeholder",
                    f,
                    tr("Census", "Mandatory attribute {0} holds a placeholder: '{1}'.").format(
                        field_label(f, "pois"), v
                    ),
                )
            )
    for f, domain in POI_DOMAINS.items():
        v = values.get(f)
        if v and v not in domain:
            problems.append(
                Problem(
                    "domain",
                    f,
                    tr("Census", "{0} '{1}' is not one of: {2}.").format(
                        field_label(f, "pois"), v, "、".join(domain)
                    ),
                )
            )
    problem = phone_problem(values.get("phone"))
    problems += [problem] if problem else []
    for f in ("initial_date", "change_date"):
        v = values.get(f)
        if v not in (None, "") and not isinstance(v, date):
            problems.append(
                Problem(
                    "date",
                    f,
                    tr("Census", "{0} is not a date: {1}.").format(field_label(f, "pois"), v),
                )
            )
    return problems


def category_problem(categories: dict[str, Any], code: str | None) -> Problem | None:
    if code and code in categories:
        return None
    return Problem(
        "class_unknown",
        "category_code",
        tr("Census", "POI category {0} is not in this workspace's category list.").format(
            code or "?"
        ),
    )


def geometry_problems(geom: BaseGeometry | None) -> list[Problem]:
    kind = geometry_kind(geom)
    if kind is None:
        return [Problem("geometry_empty", "geom", tr("Census", "No position."))]
    if kind != "point" or geom.geom_type != "Point":
        return [Problem("geometry_kind", "geom", tr("Census", "A point of interest is a point."))]
    return []


def identifier_problems(identifier: str, category: str, grid_code: str | None) -> list[Problem]:
    """A POI identifier: 16 digits, the category's code at 7–10, the grid's county."""
    if not (identifier.isdigit() and identifier.isascii() and len(identifier) == 16):
        return [
            Problem(
                "identifier",
                "identifier",
                tr("Census", "POI identifier {0} must be 16 digits.").format(identifier),
            )
        ]
    out = []
    if identifier[6:10] != category:
        out.append(
            Problem(
                "identifier",
                "identifier",
                tr(
                    "Census", "POI identifier {0} carries category {1}, the POI is of category {2}."
                ).format(identifier, identifier[6:10], category),
            )
        )
    if int(identifier[10:]) == 0:
        out.append(
            Problem(
                "identifier",
                "identifier",
                tr("Census", "POI identifier {0}: serial cannot be 0.").format(identifier),
            )
        )
    if grid_code and grid_code[:6] != identifier[:6]:
        out.append(
            Problem(
                "identifier_county",
                "identifier",
                tr(
                    "Census",
                    "Identifier {0} starts with county {1} but the position is in grid {2} "
                    "of county {3}.",
                ).format(identifier, identifier[:6], grid_code, grid_code[:6]),
            )
        )
    return out
