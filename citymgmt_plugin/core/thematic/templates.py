"""Thematic-layer templates: JSON files read and checked here, no code per layer.

A template (one ``*.json`` file) says what a thematic layer is: its geometry kind, fields
(type, English and Chinese alias, domain values with labels, mandatory, default, range),
style, snapping targets and the rules a feature must pass. The shipped templates are in
``resources/templates/``; a city adds its own by dropping a file into a folder named by the
``CITYMGMT_TEMPLATE_DIRS`` environment variable (``os.pathsep``-separated) or the QGIS
setting ``citymgmt/thematic/template_dir``. A city file with the same ``id`` as a shipped
template replaces it. Files that fail the checks are reported, not loaded.

A template may bind to one of the workspace's own tables instead of making a new one
(``"core_table": "main_roads"`` with ``"fixed": {"kind": "main_road"}``, or
``"core_table": "patrol_routes"``): its fields are then the core table's columns (checked
here), the fixed values select and fill the rows it shows, and what a surveyor digitises
lands where the patrol coverage and route deviation checks read it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import tr
from ..labels import chinese
from ..paths import resource
from ..workspace.schema.patrol import ROAD_KINDS

FORMAT = "citymgmt-thematic-template/1"
GEOMETRY_KINDS = ("point", "line", "polygon")
FIELD_TYPES = ("text", "integer", "real", "date", "datetime", "boolean")
DEFAULT_KINDS = ("today", "now", "surveyor")
RULE_IDS = (
    "valid_geometry",
    "no_self_intersection",
    "no_overlap",
    "mandatory_fields",
    "domain_values",
    "min_area",
    "min_length",
)
SNAP_TYPES = ("vertex", "segment", "vertex_segment", "area", "centroid", "middle")
SNAP_UNITS = ("pixels", "meters")
RESERVED_FIELDS = ("id", "geom")
SETTINGS_KEY_DIR = "citymgmt/thematic/template_dir"
ENV_DIRS = "CITYMGMT_TEMPLATE_DIRS"
# \Z, not $: "$" also matches before a trailing newline, which would reach SQL names
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,54}\Z", re.ASCII)
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}\Z", re.ASCII)


@dataclass(frozen=True)
class CoreTable:
    """A workspace table a template may bind to: its columns a form may fill."""

    geometry: str
    columns: dict[str, str]  # column -> template field type
    required: tuple[str, ...]  # NOT NULL without a default: a mandatory field or a fixed value
    fixed_values: dict[str, tuple[Any, ...]]  # allowed fixed values, per column


CORE_TABLES: dict[str, CoreTable] = {
    "main_roads": CoreTable(
        "line",
        {"name": "text", "kind": "text", "resp_grid_code": "text"},
        ("name", "kind"),
        {"kind": ROAD_KINDS},
    ),
    "patrol_routes": CoreTable(
        "line",
        {"collector_code": "text", "resp_grid_code": "text", "valid_from": "date"},
        ("collector_code",),
        {},
    ),
}


class TemplateError(ValueError):
    """A template file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Text2:
    """A text in English (the source language) and Chinese."""

    en: str
    zh: str

    def get(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") and self.zh else self.en

    def local(self) -> str:
        """The text in the user's language: Chinese when the plugin speaks Chinese."""
        return self.get("zh" if chinese() else "en")

    def both(self) -> str:
        return f"{self.zh} {self.en}" if self.zh and self.zh != self.en else self.en


@dataclass(frozen=True)
class DomainValue:
    value: Any
    label: Text2
    color: str = ""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    alias: Text2
    mandatory: bool = False
    domain: tuple[DomainValue, ...] = ()
    default: Any = None  # literal, or {"kind": "today" | "now" | "surveyor"}
    min: float | None = None
    max: float | None = None
    max_length: int | None = None

    @property
    def default_kind(self) -> str:
        """'' (none), 'literal', or one of DEFAULT_KINDS."""
        if self.default is None:
            return ""
        if isinstance(self.default, dict):
            return str(self.default["kind"])
        return "literal"

    def domain_values(self) -> list[Any]:
        return [d.value for d in self.domain]

    def domain_label(self, value: Any, lang: str = "zh") -> str:
        for d in self.domain:
            if d.value == value:
                return d.label.get(lang)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Rule:
    id: str
    value: float | None = None
    fields: tuple[str, ...] = ()  # for no_overlap: only against features with equal values


@dataclass(frozen=True)
class SnapTarget:
    layer: str  # "self", "workspace:<table>" or "thematic:<template id>"
    type: str = "vertex_segment"
    tolerance: float = 12.0
    units: str = "pixels"


@dataclass(frozen=True)
class Template:
    id: str
    title: Text2
    description: Text2
    geometry: str
    table: str
    fields: tuple[FieldSpec, ...]
    category_field: str
    rules: tuple[Rule, ...]
    snapping: tuple[SnapTarget, ...]
    tracing: bool
    style: dict[str, Any]
    source: str  # the file it came from
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    core_table: str = ""  # a workspace table (CORE_TABLES) instead of a table of its own
    fixed: tuple[tuple[str, Any], ...] = ()  # column values of the rows it shows and adds

    @property
    def binding(self) -> str:
        """The name the layer is registered under: its own table, or the core table with
        its fixed values (``main_roads:window_area``)."""
        if not self.core_table:
            return self.table
        return self.core_table + "".join(f":{v}" for _, v in self.fixed)

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def mandatory_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.mandatory]

    def rule(self, rule_id: str) -> Rule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def has_rule(self, rule_id: str) -> bool:
        return self.rule(rule_id) is not None

    def to_json(self) -> dict[str, Any]:
        """The template as read (what ``thematic_layers.definition`` keeps)."""
        return dict(self.raw)


def rule_title(rule_id: str) -> str:
    """The rule's name as users see it."""
    names = {
        "valid_geometry": tr("ThematicRules", "valid geometry"),
        "no_self_intersection": tr("ThematicRules", "no self-intersection"),
        "no_overlap": tr("ThematicRules", "no overlap within the layer"),
        "mandatory_fields": tr("ThematicRules", "mandatory fields"),
        "domain_values": tr("ThematicRules", "values from the field's list"),
        "min_area": tr("ThematicRules", "minimum area"),
        "min_length": tr("ThematicRules", "minimum length"),
    }
    return names.get(rule_id, rule_id)


# -- parsing ------------------------------------------------------------------------------


def _fail(source: str, message: str) -> TemplateError:
    return TemplateError(f"{Path(source).name}: {message}")


def _text2(value: Any, source: str, what: str) -> Text2:
    if isinstance(value, str) and value:
        return Text2(value, value)
    if isinstance(value, dict) and isinstance(value.get("en"), str) and value.get("en"):
        zh = value.get("zh") or value["en"]
        if not isinstance(zh, str):
            raise _fail(source, tr("Templates", "{0}: 'zh' must be text").format(what))
        return Text2(value["en"], zh)
    raise _fail(
        source, tr("Templates", "{0} needs English and Chinese text {{en, zh}}").format(what)
    )


def _check_value(spec_type: str, value: Any) -> bool:
    if spec_type == "text":
        return isinstance(value, str)
    if spec_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if spec_type == "real":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if spec_type == "boolean":
        return isinstance(value, bool)
    if spec_type in ("date", "datetime"):
        return isinstance(value, str)
    return False


def _field_name(raw: dict[str, Any], source: str) -> str:
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _fail(
            source,
            tr("Templates", "field name {0!r} must be lower-case letters, digits and _").format(
                name
            ),
        )
    if name in RESERVED_FIELDS:
        raise _fail(source, tr("Templates", "field name {0} is reserved").format(name))
    return name


def _domain_value(item: Any, name: str, ftype: str, source: str) -> DomainValue:
    """One item of a field's domain: a value of the field's type, a label, a colour."""
    if not isinstance(item, dict) or "value" not in item:
        raise _fail(source, tr("Templates", "field {0}: domain items need a value").format(name))
    if not _check_value(ftype, item["value"]):
        raise _fail(
            source,
            tr("Templates", "field {0}: domain value {1!r} is not of type {2}").format(
                name, item["value"], ftype
            ),
        )
    color = item.get("color", "")
    if color and not _COLOR.match(color):
        raise _fail(
            source, tr("Templates", "field {0}: colour {1} is not #rrggbb").format(name, color)
        )
    label = _text2(item.get("label", str(item["value"])), source, f"{name}.domain")
    return DomainValue(item["value"], label, color)


def _parse_domain(raw: dict[str, Any], name: str, ftype: str, source: str) -> list[DomainValue]:
    domain = [_domain_value(item, name, ftype, source) for item in raw.get("domain", []) or []]
    values = [d.value for d in domain]
    if len(set(map(repr, values))) != len(values):
        raise _fail(source, tr("Templates", "field {0}: domain values repeat").format(name))
    return domain


def _check_default(
    default: Any, name: str, ftype: str, domain: list[DomainValue], source: str
) -> None:
    """A default kind (today, now, surveyor) that suits the field, or a literal of its
    type and domain."""
    if isinstance(default, dict):
        if default.get("kind") not in DEFAULT_KINDS:
            raise _fail(
                source,
                tr("Templates", "field {0}: default kind must be one of {1}").format(
                    name, ", ".join(DEFAULT_KINDS)
                ),
            )
        if default["kind"] == "today" and ftype not in ("date", "datetime", "text"):
            raise _fail(
                source, tr("Templates", "field {0}: 'today' needs a date field").format(name)
            )
        return
    if default is None:
        return
    if not _check_value(ftype, default):
        raise _fail(
            source,
            tr("Templates", "field {0}: default {1!r} is not of type {2}").format(
                name, default, ftype
            ),
        )
    if domain and default not in [d.value for d in domain]:
        raise _fail(
            source,
            tr("Templates", "field {0}: default {1!r} is not in its domain").format(name, default),
        )


def _check_limits(raw: dict[str, Any], name: str, ftype: str, source: str) -> int | None:
    """min and max only on number fields; max_length (returned) a positive integer on text."""
    for key in ("min", "max"):
        if raw.get(key) is not None and ftype not in ("integer", "real"):
            raise _fail(
                source, tr("Templates", "field {0}: {1} needs a number field").format(name, key)
            )
    max_length = raw.get("max_length")
    if max_length is not None and (
        ftype != "text" or not isinstance(max_length, int) or max_length < 1
    ):
        raise _fail(source, tr("Templates", "field {0}: bad max_length").format(name))
    return max_length


def _parse_field(raw: Any, source: str) -> FieldSpec:
    if not isinstance(raw, dict):
        raise _fail(source, tr("Templates", "each field must be an object"))
    name = _field_name(raw, source)
    ftype = raw.get("type")
    if ftype not in FIELD_TYPES:
        raise _fail(
            source,
            tr("Templates", "field {0}: type must be one of {1}").format(
                name, ", ".join(FIELD_TYPES)
            ),
        )
    alias = _text2(raw.get("alias", name), source, f"{name}.alias")
    domain = _parse_domain(raw, name, ftype, source)
    default = raw.get("default")
    _check_default(default, name, ftype, domain, source)
    max_length = _check_limits(raw, name, ftype, source)
    return FieldSpec(
        name=name,
        type=ftype,
        alias=alias,
        mandatory=bool(raw.get("mandatory", False)),
        domain=tuple(domain),
        default=default,
        min=raw.get("min"),
        max=raw.get("max"),
        max_length=max_length,
    )


def _parse_identity(data: dict[str, Any], source: str) -> tuple[str, str, str, str]:
    """id, geometry, core table ('' when none) and table of a template."""
    if data.get("format") != FORMAT:
        raise _fail(source, tr("Templates", "'format' must be {0}").format(FORMAT))
    tid = data.get("id")
    if not isinstance(tid, str) or not _NAME.match(tid):
        raise _fail(source, tr("Templates", "'id' must be lower-case letters, digits and _"))
    geometry = data.get("geometry")
    if geometry not in GEOMETRY_KINDS:
        raise _fail(
            source,
            tr("Templates", "'geometry' must be one of {0}").format(", ".join(GEOMETRY_KINDS)),
        )
    core_table = data.get("core_table", "") or ""
    if core_table and core_table not in CORE_TABLES:
        raise _fail(
            source,
            tr("Templates", "'core_table' must be one of {0}").format(", ".join(CORE_TABLES)),
        )
    table = data.get("table", core_table or f"thematic_{tid}")
    if not isinstance(table, str) or not _NAME.match(table):
        raise _fail(source, tr("Templates", "'table' must be lower-case letters, digits and _"))
    if core_table and table != core_table:
        raise _fail(
            source,
            tr("Templates", "a template bound to {0} has no table of its own").format(core_table),
        )
    return tid, geometry, core_table, table


def _parse_fields(data: dict[str, Any], source: str) -> tuple[FieldSpec, ...]:
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise _fail(source, tr("Templates", "'fields' must be a non-empty list"))
    fields = tuple(_parse_field(f, source) for f in raw_fields)
    names = [f.name for f in fields]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _fail(source, tr("Templates", "fields repeat: {0}").format(", ".join(dupes)))
    return fields


def _parse_rule(raw: Any, source: str, geometry: str, names: list[str]) -> Rule:
    """A rule id, or {id, value, fields}: known, with a value where it needs one, for the
    layer's geometry, over fields the template has."""
    rid = raw.get("id") if isinstance(raw, dict) else raw
    if rid not in RULE_IDS:
        raise _fail(source, tr("Templates", "unknown rule {0!r}").format(rid))
    value = raw.get("value") if isinstance(raw, dict) else None
    if rid in ("min_area", "min_length"):
        if not isinstance(value, (int, float)) or value < 0:
            raise _fail(source, tr("Templates", "rule {0} needs a value >= 0").format(rid))
        if {"min_area": "polygon", "min_length": "line"}[rid] != geometry:
            raise _fail(
                source,
                tr("Templates", "rule {0} does not apply to {1} layers").format(rid, geometry),
            )
    rule_fields = tuple(raw.get("fields", ())) if isinstance(raw, dict) else ()
    for f in rule_fields:
        if f not in names:
            raise _fail(source, tr("Templates", "rule {0}: {1} is not a field").format(rid, f))
    return Rule(rid, float(value) if value is not None else None, rule_fields)


def _snap_target(raw: Any, source: str) -> SnapTarget:
    if not isinstance(raw, dict) or not isinstance(raw.get("layer"), str):
        raise _fail(source, tr("Templates", "snapping targets need a 'layer'"))
    layer = raw["layer"]
    if not (layer == "self" or layer.startswith(("workspace:", "thematic:"))):
        raise _fail(
            source,
            tr(
                "Templates",
                "snapping layer {0!r}: use self, workspace:<table> or thematic:<template>",
            ).format(layer),
        )
    stype = raw.get("type", "vertex_segment")
    units = raw.get("units", "pixels")
    if stype not in SNAP_TYPES or units not in SNAP_UNITS:
        raise _fail(source, tr("Templates", "snapping {0}: bad type or units").format(layer))
    return SnapTarget(layer, stype, float(raw.get("tolerance", 12)), units)


def _parse_style(data: dict[str, Any], source: str) -> dict[str, Any]:
    style = data.get("style", {}) or {}
    if not isinstance(style, dict):
        raise _fail(source, tr("Templates", "'style' must be an object"))
    for key in ("color", "outline"):
        if style.get(key) and not _COLOR.match(style[key]):
            raise _fail(source, tr("Templates", "style {0} is not #rrggbb").format(key))
    return style


def parse_template(data: Any, source: str = "<template>") -> Template:
    """Check one template document; TemplateError names the file and what is wrong."""
    if not isinstance(data, dict):
        raise _fail(source, tr("Templates", "a template is a JSON object"))
    tid, geometry, core_table, table = _parse_identity(data, source)
    fields = _parse_fields(data, source)
    names = [f.name for f in fields]
    category = data.get("category_field", "")
    if category and category not in names:
        raise _fail(source, tr("Templates", "category_field {0} is not a field").format(category))
    rules = tuple(_parse_rule(raw, source, geometry, names) for raw in data.get("rules", []))
    snapping_raw = data.get("snapping", {}) or {}
    targets = tuple(_snap_target(raw, source) for raw in snapping_raw.get("targets", []))
    fixed = _parse_core_binding(data, source, core_table, geometry, fields)
    style = _parse_style(data, source)
    return Template(
        id=tid,
        title=_text2(data.get("title"), source, "title"),
        description=_text2(data.get("description", data.get("title")), source, "description"),
        geometry=geometry,
        table=table,
        fields=fields,
        category_field=category,
        rules=rules,
        snapping=targets,
        tracing=bool(snapping_raw.get("tracing", False)),
        style=style,
        source=source,
        raw=data,
        core_table=core_table,
        fixed=fixed,
    )


def _parse_core_binding(
    data: dict[str, Any],
    source: str,
    core_table: str,
    geometry: str,
    fields: tuple[FieldSpec, ...],
) -> tuple[tuple[str, Any], ...]:
    """Check a template bound to a workspace table; its fixed column values, in order."""
    raw_fixed = data.get("fixed", {}) or {}
    if not core_table:
        if raw_fixed:
            raise _fail(source, tr("Templates", "'fixed' needs a 'core_table'"))
        return ()
    spec = CORE_TABLES[core_table]
    if geometry != spec.geometry:
        raise _fail(
            source,
            tr("Templates", "{0} holds {1} geometries").format(core_table, spec.geometry),
        )
    if not isinstance(raw_fixed, dict):
        raise _fail(source, tr("Templates", "'fixed' must be an object"))
    names = {f.name for f in fields}
    for f in fields:
        if spec.columns.get(f.name) != f.type:
            raise _fail(
                source,
                tr("Templates", "field {0} is not a {1} column of the workspace table {2}").format(
                    f.name, f.type, core_table
                ),
            )
    for col, value in raw_fixed.items():
        allowed = spec.fixed_values.get(col)
        if col not in spec.columns or col in names:
            raise _fail(
                source,
                tr("Templates", "fixed {0}: not a column of {1}, or also a field").format(
                    col, core_table
                ),
            )
        if not _check_value(spec.columns[col], value) or (allowed and value not in allowed):
            raise _fail(source, tr("Templates", "fixed {0}: bad value {1!r}").format(col, value))
    for col in spec.required:
        if col not in raw_fixed and not (
            col in names and any(f.mandatory for f in fields if f.name == col)
        ):
            raise _fail(
                source,
                tr("Templates", "{0} needs {1}: make it a mandatory field or a fixed value").format(
                    core_table, col
                ),
            )
    return tuple(raw_fixed.items())


def load_template_file(path: Path | str) -> Template:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(str(path), tr("Templates", "not readable JSON: {0}").format(exc)) from exc
    return parse_template(data, str(path))


# -- folders ------------------------------------------------------------------------------


def builtin_dir() -> Path:
    return resource("templates")


def user_dirs() -> list[Path]:
    """City template folders: environment variable, then the QGIS setting."""
    dirs = [Path(p) for p in os.environ.get(ENV_DIRS, "").split(os.pathsep) if p]
    try:
        from qgis.core import QgsSettings

        value = QgsSettings().value(SETTINGS_KEY_DIR, "") or ""
        if value:
            dirs.append(Path(str(value)))
    except ImportError:  # pragma: no cover - QGIS is present in this project's setups
        pass
    return dirs


@dataclass
class TemplateSet:
    templates: dict[str, Template]
    errors: list[str]

    def __getitem__(self, key: str) -> Template:
        return self.templates[key]

    def __iter__(self):
        return iter(self.templates.values())

    def __len__(self) -> int:
        return len(self.templates)

    def ids(self) -> list[str]:
        return list(self.templates)


def load_templates(
    extra_dirs: Sequence[Path | str] | None = None, include_user_dirs: bool = True
) -> TemplateSet:
    """Every usable template, shipped first then city folders (later ids replace earlier)."""
    dirs: list[Path] = [builtin_dir()]
    if include_user_dirs:
        dirs += user_dirs()
    dirs += [Path(d) for d in (extra_dirs or [])]
    templates: dict[str, Template] = {}
    errors: list[str] = []
    for folder in dirs:
        if not folder.is_dir():
            if folder != builtin_dir():
                errors.append(tr("Templates", "{0}: no such folder").format(folder))
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                t = load_template_file(path)
            except TemplateError as exc:
                errors.append(str(exc))
                continue
            templates[t.id] = t
    return TemplateSet(dict(sorted(templates.items(), key=lambda kv: _order(kv[1]))), errors)


def _order(t: Template) -> tuple[int, str]:
    return (int(t.raw.get("order", 100)), t.id)


def get_template(template: str | Template, extra_dirs: Iterable[Path | str] = ()) -> Template:
    """A template by id, or from a file path; TemplateError when unknown."""
    if isinstance(template, Template):
        return template
    if template.endswith(".json") and Path(template).is_file():
        return load_template_file(template)
    found = load_templates(list(extra_dirs))
    if template in found.templates:
        return found.templates[template]
    for t in found:  # also accept the Chinese or English title
        if template in (t.title.en, t.title.zh):
            return t
    raise TemplateError(tr("Templates", "No thematic template {0!r}").format(template))
