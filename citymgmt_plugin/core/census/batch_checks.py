"""Checking the rows of a census batch: class, attributes, position, identifier.

Each check returns the :class:`Problem` list of one row (empty: the row is good); a row
with problems is reported with all of them and the rest of the batch goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from ..i18n import tr
from ..labels import field_label, scheme_label
from .errors import Problem
from .geo import geometry_kind
from .validation import (
    DOMAINS,
    MANDATORY_FIELDS,
    ClassInfo,
    check_identifier,
    no_grid_problem,
)


def _missing(f: str) -> Problem:
    return Problem(
        "mandatory", f, tr("Census", "Mandatory attribute missing: {0}.").format(field_label(f))
    )


def class_problems(cls: str | None, info: ClassInfo | None, scheme: str) -> list[Problem]:
    """The class is given and in the workspace's class table."""
    if not cls:
        return [_missing("class_code")]
    if info is None:
        return [
            Problem(
                "class_unknown",
                "class_code",
                tr("Census", "Class {0} is not in this workspace's class table ({1}).").format(
                    cls, scheme_label(scheme)
                ),
            )
        ]
    return []


def attribute_problems(vals: dict[str, Any], fields: set[str]) -> list[Problem]:
    """Mandatory attributes the batch carries are filled, values in their domains, the
    initial date a date."""
    ps = [_missing(f) for f in MANDATORY_FIELDS if f in fields and vals.get(f) in (None, "")]
    for f, domain in DOMAINS.items():
        v = vals.get(f)
        if v and v not in domain:
            ps.append(
                Problem(
                    "domain",
                    f,
                    tr("Census", "{0} '{1}' is not one of: {2}.").format(
                        field_label(f), v, "、".join(domain)
                    ),
                )
            )
    if isinstance(vals.get("initial_date"), str):
        ps.append(
            Problem(
                "date",
                "initial_date",
                tr("Census", "{0} is not a date: {1}.").format(
                    field_label("initial_date"), vals["initial_date"]
                ),
            )
        )
    return ps


def position_problems(
    geom: BaseGeometry | None, info: ClassInfo | None, grid_code: str | None
) -> list[Problem]:
    """A usable geometry (``None``: none), of the class's kind, inside a unit grid."""
    kind = geometry_kind(geom) if geom is not None else None
    if kind is None:
        return [Problem("geometry_empty", "geom", tr("Census", "The row has no usable position."))]
    if info is not None and kind != info.geometry_kind:
        return [
            Problem(
                "geometry_kind",
                "geom",
                tr("Census", "Class {0} ({1}) is drawn as a {2}, not a {3}.").format(
                    info.code, info.name, info.geometry_kind, kind
                ),
            )
        ]
    if grid_code is None:
        return [no_grid_problem()]
    return []


@dataclass
class RowChecks:
    """The checks of one batch: its scheme, the workspace's class table, the fields the
    batch carries, and the identifiers seen so far (an identifier may appear once)."""

    scheme: str
    classes: dict[str, ClassInfo]
    fields: set[str]
    seen_ids: dict[str, int] = field(default_factory=dict)

    def identifier_problems(
        self, row_no: int, ident: str | None, cls: str | None, grid_code: str | None
    ) -> list[Problem]:
        """The identifier fits the scheme, class and grid, and no earlier row has it."""
        if not (ident and cls):
            return []
        ps = check_identifier(ident, self.scheme, cls, grid_code)
        if ident in self.seen_ids:
            ps.append(
                Problem(
                    "identifier_taken",
                    "identifier",
                    tr("Census", "Identifier {0} also appears in row {1}.").format(
                        ident, self.seen_ids[ident]
                    ),
                )
            )
        else:
            self.seen_ids[ident] = row_no
        return ps

    def row(
        self, row_no: int, vals: dict[str, Any], geom: BaseGeometry | None, grid_code: str | None
    ) -> list[Problem]:
        """Every problem of one parsed row (``geom``: None when it has no usable one)."""
        cls = vals.get("class_code")
        info = self.classes.get(cls or "")
        ps = class_problems(cls, info, self.scheme)
        ps += attribute_problems(vals, self.fields)
        ps += position_problems(geom, info, grid_code)
        ps += self.identifier_problems(row_no, vals.get("identifier"), cls, grid_code)
        return ps
