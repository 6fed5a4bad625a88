"""Rules a component must satisfy before it is stored; each failure names its rule."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, select

from ..codes import id_schemes, validate_component_id
from ..i18n import tr
from ..labels import field_label, geometry_kind_label, scheme_label
from ..workspace.schema.census import ACCURACY_CLASSES, COMPONENT_STATUSES, DATA_SOURCES
from ..workspace.store import Workspace
from .errors import Problem
from .geo import geometry_kind

# Attributes a user or a batch can set (identifier, grid and names are derived).
EDITABLE_FIELDS = (
    "name",
    "dept_code",
    "dept_name",
    "owner_code",
    "owner_name",
    "maint_code",
    "maint_name",
    "status",
    "initial_date",
    "data_source",
    "accuracy_class",
    "note",
)
MANDATORY_FIELDS = ("name", "dept_code", "dept_name", "status", "initial_date")
# What exports put in a mandatory field that was never filled in ("unspecified", "none" …);
# compared after full-width forms are made plain, so "／" is "/" too.
PLACEHOLDERS = (
    "000",
    "未指定",
    "未知",
    "无",
    "暂无",
    "空",
    "/",
    "-",
    "--",
    "—",
    "null",
    "NULL",
    "(null)",
)
DOMAINS: dict[str, tuple[str, ...]] = {
    "status": COMPONENT_STATUSES,
    "data_source": DATA_SOURCES,
    "accuracy_class": ACCURACY_CLASSES,
}


@dataclass(frozen=True)
class ClassInfo:
    scheme: str
    code: str
    major_code: str
    major_name: str
    name: str
    geometry_kind: str
    department_code: str | None = None
    department_name: str | None = None


def class_table(conn: Connection, ws: Workspace, scheme: str | None = None) -> dict[str, ClassInfo]:
    """The workspace's component classes of ``scheme`` (default: the workspace scheme)."""
    scheme = scheme or ws.setting("component_scheme", "legacy16")
    t = ws.schema.component_classes
    rows = conn.execute(select(t).where(t.c.scheme == scheme).order_by(t.c.code))
    return {
        r.code: ClassInfo(
            r.scheme,
            r.code,
            r.major_code,
            r.major_name,
            r.name,
            r.geometry_kind,
            r.department_code,
            r.department_name,
        )
        for r in rows
    }


def get_class(conn: Connection, ws: Workspace, scheme: str, code: str) -> ClassInfo | None:
    t = ws.schema.component_classes
    r = conn.execute(select(t).where(t.c.scheme == scheme, t.c.code == code)).first()
    if r is None:
        return None
    return ClassInfo(
        r.scheme,
        r.code,
        r.major_code,
        r.major_name,
        r.name,
        r.geometry_kind,
        r.department_code,
        r.department_name,
    )


def is_placeholder(value: Any) -> bool:
    """Whether a value is one of :data:`PLACEHOLDERS` (a filled-in "nothing")."""
    return isinstance(value, str) and _placeholder_text(value)


@lru_cache(maxsize=4096)
def _placeholder_text(value: str) -> bool:
    return unicodedata.normalize("NFKC", value).strip() in PLACEHOLDERS


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_values(
    values: dict[str, Any], mandatory: tuple[str, ...] = MANDATORY_FIELDS
) -> list[Problem]:
    """Mandatory attributes present, domain values inside their domains, dates readable."""
    problems = []
    for f in mandatory:
        if _blank(values.get(f)):
            problems.append(
                Problem(
                    "mandatory",
                    f,
                    tr("Census", "Mandatory attribute missing: {0}.").format(field_label(f)),
                )
            )
    for f, domain in DOMAINS.items():
        v = values.get(f)
        if not _blank(v) and v not in domain:
            problems.append(
                Problem(
                    "domain",
                    f,
                    tr("Census", "{0} '{1}' is not one of: {2}.").format(
                        field_label(f), v, "、".join(domain)
                    ),
                )
            )
    for f in ("initial_date", "change_date"):
        v = values.get(f)
        if not _blank(v) and not isinstance(v, date):
            problems.append(
                Problem(
                    "date", f, tr("Census", "{0} is not a date: {1}.").format(field_label(f), v)
                )
            )
    a, b = values.get("initial_date"), values.get("change_date")
    if isinstance(a, date) and isinstance(b, date) and b < a:
        problems.append(
            Problem(
                "date",
                "change_date",
                tr("Census", "Change date {0} is before the initial date {1}.").format(b, a),
            )
        )
    return problems


def check_class(info: ClassInfo | None, scheme: str, class_code: str) -> list[Problem]:
    if info is None:
        return [
            Problem(
                "class_unknown",
                "class_code",
                tr(
                    "Census", "Class {0} is not in this workspace's class table of {1} identifiers."
                ).format(class_code or "?", scheme_label(scheme)),
            )
        ]
    return []


def check_geometry(info: ClassInfo | None, geom: BaseGeometry | None) -> list[Problem]:
    kind = geometry_kind(geom)
    if kind is None:
        return [Problem("geometry_empty", "geom", tr("Census", "The component has no geometry."))]
    if info is not None and kind != info.geometry_kind:
        return [
            Problem(
                "geometry_kind",
                "geom",
                tr("Census", "Class {0} ({1}) is drawn as a {2}, not a {3}.").format(
                    info.code,
                    info.name,
                    geometry_kind_label(info.geometry_kind),
                    geometry_kind_label(kind),
                ),
            )
        ]
    if geom is not None and not geom.is_valid:
        return [Problem("geometry_empty", "geom", tr("Census", "The geometry is not valid."))]
    return []


def check_identifier(
    identifier: str, scheme: str, class_code: str, grid_code: str | None
) -> list[Problem]:
    if scheme not in id_schemes():
        return [Problem("identifier", "scheme", tr("Census", "Unknown scheme {0}.").format(scheme))]
    out = []
    for msg in validate_component_id(identifier, scheme, class_code=class_code):
        out.append(Problem("identifier", "identifier", msg))
    if not out and grid_code and identifier[:6] != grid_code[:6]:
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


def no_grid_problem() -> Problem:
    return Problem(
        "no_grid", "geom", tr("Census", "The position is in no unit grid of this workspace.")
    )
