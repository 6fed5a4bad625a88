"""The rules a thematic feature must pass, evaluated with shapely (no QGIS).

:func:`check_feature` returns the violations of one feature: each names the rule it broke
(``rule`` id, as in the template) and says why. The GUI hook refuses to save a feature with
violations; the demo and the algorithm use the same function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ..i18n import tr
from ..labels import enumeration, join, parens
from .templates import FieldSpec, Template, rule_title

# Overlaps smaller than this (m² for areas, m for lines) are snapping noise on shared edges.
OVERLAP_TOLERANCE = 1e-6
_GEOM_TYPES = {
    "point": ("Point", "MultiPoint"),
    "line": ("LineString", "MultiLineString"),
    "polygon": ("Polygon", "MultiPolygon"),
}


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    fid: Any = None

    @property
    def title(self) -> str:
        return rule_title(self.rule)

    def __str__(self) -> str:
        return f"[{self.title}] {self.message}"


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    # QVariant NULL from QGIS arrives as a QVariant object whose isNull() is true
    is_null = getattr(value, "isNull", None)
    if callable(is_null) and is_null():
        return True
    return isinstance(value, str) and not value.strip()


def _self_intersection(geom: BaseGeometry, kind: str) -> str:
    """A reason when the geometry crosses itself, else ''."""
    if kind == "line":
        if not shapely.is_simple(geom):
            return tr("ThematicRules", "the line crosses itself")
        return ""
    if kind == "polygon":
        reason = shapely.is_valid_reason(geom)
        if "Self-intersection" in reason:
            return tr("ThematicRules", "the boundary crosses itself ({0})").format(reason)
    return ""


def check_geometry(template: Template, geom: BaseGeometry | None) -> list[Violation]:
    out: list[Violation] = []
    kind = template.geometry
    if geom is None or geom.is_empty:
        if template.has_rule("valid_geometry"):
            out.append(
                Violation("valid_geometry", tr("ThematicRules", "the feature has no geometry"))
            )
        return out
    if geom.geom_type not in _GEOM_TYPES[kind] and template.has_rule("valid_geometry"):
        out.append(
            Violation(
                "valid_geometry",
                tr("ThematicRules", "a {0} layer cannot hold a {1}").format(kind, geom.geom_type),
            )
        )
        return out
    crossing = _self_intersection(geom, kind)
    if crossing and template.has_rule("no_self_intersection"):
        out.append(Violation("no_self_intersection", crossing))
    if (
        template.has_rule("valid_geometry")
        and not shapely.is_valid(geom)
        and not (crossing and template.has_rule("no_self_intersection"))
    ):
        out.append(
            Violation(
                "valid_geometry",
                tr("ThematicRules", "invalid geometry: {0}").format(shapely.is_valid_reason(geom)),
            )
        )
    if out or not shapely.is_valid(geom):
        return out  # the area of a crossing ring means nothing
    rule = template.rule("min_area")
    if rule is not None and kind == "polygon" and geom.area < (rule.value or 0):
        out.append(
            Violation(
                "min_area",
                tr("ThematicRules", "area {0:.1f} m² is below the minimum {1:g} m²").format(
                    geom.area, rule.value
                ),
            )
        )
    rule = template.rule("min_length")
    if rule is not None and kind == "line" and geom.length < (rule.value or 0):
        out.append(
            Violation(
                "min_length",
                tr("ThematicRules", "length {0:.1f} m is below the minimum {1:g} m").format(
                    geom.length, rule.value
                ),
            )
        )
    return out


def _as_python(value: Any) -> Any:
    """QDate/QDateTime/QVariant values from QGIS as Python values."""
    if value is None:
        return None
    for name in ("toPyDateTime", "toPyDate"):
        conv = getattr(value, name, None)
        if callable(conv):
            return conv()
    return value


def _quoted(name: str) -> str:
    """A column name as it is stored, quoted: what to look for in the table."""
    return f"'{name}'"


def _field_text(f: FieldSpec) -> str:
    """A field for people: its label in the user's language and its quoted column name."""
    return f.alias.local() + parens(_quoted(f.name))


def check_attributes(template: Template, attrs: Mapping[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    if template.has_rule("mandatory_fields"):
        missing = [f for f in template.mandatory_fields if is_blank(attrs.get(f.name))]
        if missing:
            names = enumeration(_field_text(f) for f in missing)
            out.append(
                Violation(
                    "mandatory_fields",
                    tr("ThematicRules", "mandatory fields are empty: {0}").format(names),
                )
            )
    if template.has_rule("domain_values"):
        for f in template.fields:
            value = attrs.get(f.name)
            if is_blank(value):
                continue
            value = _as_python(value)
            if f.domain and value not in f.domain_values():
                out.append(
                    Violation(
                        "domain_values",
                        tr(
                            "ThematicRules", "{0} ({1}): {2!r} is not one of the listed values"
                        ).format(f.alias.local(), _quoted(f.name), value),
                    )
                )
            elif (
                f.type in ("integer", "real")
                and isinstance(value, (int, float))
                and ((f.min is not None and value < f.min) or (f.max is not None and value > f.max))
            ):
                out.append(
                    Violation(
                        "domain_values",
                        tr("ThematicRules", "{0} ({1}): {2} is outside {3:g} … {4:g}").format(
                            f.alias.local(),
                            _quoted(f.name),
                            value,
                            f.min if f.min is not None else float("-inf"),
                            f.max if f.max is not None else float("inf"),
                        ),
                    )
                )
    start, end = (_as_python(attrs.get("start_date")), _as_python(attrs.get("end_date")))
    if (
        template.has_rule("domain_values")
        and isinstance(start, (date, datetime))
        and isinstance(end, (date, datetime))
        and end < start
    ):
        out.append(
            Violation("domain_values", tr("ThematicRules", "the end date is before the start date"))
        )
    return out


def overlapping(
    template: Template,
    geom: BaseGeometry,
    others: Iterable[tuple[Any, BaseGeometry, Mapping[str, Any] | None]],
    attrs: Mapping[str, Any] | None = None,
) -> list[Any]:
    """Ids of ``others`` whose interior overlaps ``geom`` (areas, or shared line stretches)."""
    rule = template.rule("no_overlap")
    if rule is None or geom is None or geom.is_empty or template.geometry == "point":
        return []
    hits = []
    shapely.prepare(geom)
    for oid, other, other_attrs in others:
        if other is None or other.is_empty or not geom.intersects(other):
            continue
        if (
            rule.fields
            and attrs is not None
            and other_attrs is not None
            and any(attrs.get(f) != other_attrs.get(f) for f in rule.fields)
        ):
            continue
        try:
            inter = geom.intersection(other)
        except shapely.errors.GEOSException:
            inter = shapely.make_valid(geom).intersection(shapely.make_valid(other))
        measure = inter.area if template.geometry == "polygon" else inter.length
        if measure > OVERLAP_TOLERANCE:
            hits.append(oid)
    return hits


def check_feature(
    template: Template,
    geom: BaseGeometry | None,
    attrs: Mapping[str, Any],
    others: Iterable[tuple[Any, BaseGeometry, Mapping[str, Any] | None]] = (),
    fid: Any = None,
) -> list[Violation]:
    """Every rule of ``template`` that the feature breaks (empty list: it may be saved).

    ``others`` are the other features of the layer (id, geometry, attributes) for the
    no-overlap rule; pass only those near the feature.
    """
    out = check_geometry(template, geom) + check_attributes(template, attrs)
    if geom is not None and not geom.is_empty and template.has_rule("no_overlap"):
        shape = geom if shapely.is_valid(geom) else shapely.make_valid(geom)
        hits = overlapping(template, shape, others, attrs)
        if hits:
            out.append(
                Violation(
                    "no_overlap",
                    tr("ThematicRules", "overlaps feature(s) {0} of the same layer").format(
                        ", ".join(str(h) for h in hits)
                    ),
                )
            )
    return [Violation(v.rule, v.message, fid) for v in out]


def describe(violations: Iterable[Violation]) -> str:
    return join((str(v) for v in violations), "; ")
