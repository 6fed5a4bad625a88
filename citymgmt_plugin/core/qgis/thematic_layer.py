"""QGIS side of a thematic layer: the layer over the workspace table, its form, style, snapping.

The form is QGIS's own attribute form, configured from the template: aliases, editor widgets
(ValueMap with the domain labels, DateTime, Range, CheckBox), default values
(QgsDefaultValue: surveyor, today, literal defaults) and constraints (not null, and one
expression per field for domains, ranges, lengths and blanks), all hard, so the form itself
refuses a feature that breaks them. Snapping is set per layer in the project's advanced
snapping configuration from the template's targets. No widgets here (qgis.core only).
"""

from __future__ import annotations

import json
from typing import Any

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsDefaultValue,
    QgsEditorWidgetSetup,
    QgsField,
    QgsFieldConstraints,
    QgsFields,
    QgsProject,
    QgsRendererCategory,
    QgsSettings,
    QgsSingleSymbolRenderer,
    QgsSnappingConfig,
    QgsSymbol,
    QgsTolerance,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor

from ..i18n import tr
from ..thematic.tables import ThematicLayerInfo, registered_template
from ..thematic.templates import FieldSpec, Template, get_template, parse_template, rule_title
from ..workspace.store import Workspace

TEMPLATE_PROPERTY = "citymgmt/thematic_template"
DEFINITION_PROPERTY = "citymgmt/thematic_definition"
TABLE_PROPERTY = "citymgmt/thematic_table"
CORE_TABLE_PROPERTY = "citymgmt/thematic_core_table"  # set on layers over a workspace table
LAYER_KEY_PROPERTY = "citymgmt/layer"  # same key as core.layers
LANGUAGE_SETTING = "citymgmt/thematic/language"
SURVEYOR_VARIABLE = "citymgmt_surveyor"
NULL_VALUE_MAP = "{2839923C-8B7D-419E-B84B-CA2FE9B80EC7}"  # QGIS's ValueMap NULL marker
WKB_TYPES = {
    "point": QgsWkbTypes.Point,
    "line": QgsWkbTypes.LineString,
    "polygon": QgsWkbTypes.Polygon,
}
QVARIANT_TYPES = {
    "text": QVariant.String,
    "integer": QVariant.LongLong,
    "real": QVariant.Double,
    "date": QVariant.Date,
    "datetime": QVariant.DateTime,
    "boolean": QVariant.Bool,
}
_SNAP_FLAGS = {
    "vertex": QgsSnappingConfig.VertexFlag,
    "segment": QgsSnappingConfig.SegmentFlag,
    "vertex_segment": QgsSnappingConfig.VertexFlag | QgsSnappingConfig.SegmentFlag,
    "area": QgsSnappingConfig.AreaFlag,
    "centroid": QgsSnappingConfig.CentroidFlag,
    "middle": QgsSnappingConfig.MiddleOfSegmentFlag,
}
_UNITS = {"pixels": QgsTolerance.Pixels, "meters": QgsTolerance.ProjectUnits}


def label_language() -> str:
    """Language of aliases and value labels in forms: the setting, else Chinese."""
    return str(QgsSettings().value(LANGUAGE_SETTING, "zh") or "zh")


# -- the layer ---------------------------------------------------------------------------


def layer_template(layer: QgsVectorLayer) -> Template | None:
    """The template a layer was configured with (kept in the layer's custom properties)."""
    raw = layer.customProperty(DEFINITION_PROPERTY)
    if raw:
        try:
            return parse_template(json.loads(raw), layer.name())
        except (ValueError, TypeError):
            pass
    tid = layer.customProperty(TEMPLATE_PROPERTY)
    if tid:
        try:
            return get_template(str(tid))
        except ValueError:
            return None
    return None


def thematic_layer(
    ws: Workspace,
    table: ThematicLayerInfo | str,
    template: Template | None = None,
    name: str | None = None,
    lang: str | None = None,
) -> QgsVectorLayer:
    """A configured QgsVectorLayer over a thematic table of ``ws`` (may be invalid).

    For a template bound to a workspace table the layer reads that table, filtered by the
    template's fixed values (main roads: ``kind``), so new features land there.
    """
    from .layers import workspace_layer

    info_title = table.title if isinstance(table, ThematicLayerInfo) else None
    table_name = table.table_name if isinstance(table, ThematicLayerInfo) else table
    tpl = template or registered_template(ws, table_name)
    if tpl is None:
        raise ValueError(
            tr("Thematic", "{0} is not a thematic layer of this workspace").format(table_name)
        )
    stem = f"thematic_{tpl.id}"
    layer = workspace_layer(
        ws,
        tpl.core_table or table_name,
        name=name or info_title or tpl.title.get(lang or label_language()),
        style=stem,
        key=f"thematic:{table_name}",
        **dict(tpl.fixed),
    )
    if layer.isValid():
        finish_thematic_layer(layer, tpl, table_name, lang)
    return layer


def finish_thematic_layer(
    layer: QgsVectorLayer, tpl: Template, table_name: str, lang: str | None = None
) -> None:
    """Form, constraints and (unless its QML style was applied) the template's renderer."""
    stem = f"thematic_{tpl.id}"
    styled = layer.customProperty("citymgmt/style") == stem
    configure_layer(layer, tpl, lang=lang, style=not styled)
    if styled:
        label_categories(layer, tpl, lang)
    layer.setCustomProperty(TABLE_PROPERTY, table_name)
    if tpl.core_table:
        layer.setCustomProperty(CORE_TABLE_PROPERTY, tpl.core_table)


def label_categories(layer: QgsVectorLayer, template: Template, lang: str | None = None) -> None:
    """Legend labels of a categorised QML style on a field with a list of values: the
    template's labels of those values, in the language of the form."""
    renderer = layer.renderer()
    if not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return
    try:
        spec = template.field(renderer.classAttribute())
    except KeyError:
        return
    lang = lang or label_language()
    for index, category in enumerate(renderer.categories()):
        if category.value() in spec.domain_values():
            renderer.updateCategoryLabel(index, spec.domain_label(category.value(), lang))


def template_fields(template: Template, lang: str | None = None) -> QgsFields:
    """The template's fields as QgsFields (for Processing sinks and memory layers)."""
    lang = lang or label_language()
    fields = QgsFields()
    for f in template.fields:
        qf = QgsField(f.name, QVARIANT_TYPES[f.type])
        if f.max_length:
            qf.setLength(f.max_length)
        qf.setAlias(f.alias.get(lang))
        fields.append(qf)
    return fields


def default_expression(f: FieldSpec) -> str:
    kind = f.default_kind
    if kind == "surveyor":
        return (
            f"coalesce(nullif(@{SURVEYOR_VARIABLE}, ''), nullif(@user_full_name, ''), "
            "@user_account_name)"
        )
    if kind == "today":
        return (
            "to_date(now())"
            if f.type == "date"
            else ("now()" if f.type == "datetime" else "format_date(now(), 'yyyy-MM-dd')")
        )
    if kind == "now":
        return "now()"
    if kind == "literal":
        return _expr_literal(f.default)
    return ""


def _expr_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def constraint_expression(f: FieldSpec) -> tuple[str, str]:
    """(expression, description) for the field's rules beyond not-null; ('', '') if none."""
    q = '"' + f.name + '"'
    parts: list[str] = []
    why: list[str] = []
    if f.domain:
        values = ", ".join(_expr_literal(v) for v in f.domain_values())
        parts.append(f"{q} IN ({values})")
        why.append(tr("ThematicForm", "a value from the list"))
    if f.mandatory and f.type == "text":
        parts.append(f"length(trim({q})) > 0")
        why.append(tr("ThematicForm", "not blank"))
    if f.max_length:
        parts.append(f"length({q}) <= {f.max_length}")
        why.append(tr("ThematicForm", "at most {0} characters").format(f.max_length))
    if f.min is not None:
        parts.append(f"{q} >= {f.min!r}")
        why.append(tr("ThematicForm", "at least {0:g}").format(f.min))
    if f.max is not None:
        parts.append(f"{q} <= {f.max!r}")
        why.append(tr("ThematicForm", "at most {0:g}").format(f.max))
    if not parts:
        return "", ""
    expr = " AND ".join(f"({p})" for p in parts)
    if not f.mandatory:
        expr = f"{q} IS NULL OR ({expr})"
    return expr, "; ".join(why)


def _widget(f: FieldSpec, lang: str) -> QgsEditorWidgetSetup:
    if f.domain:
        entries: list[dict[str, Any]] = []
        if not f.mandatory:
            entries.append({tr("ThematicForm", "(empty)"): NULL_VALUE_MAP})
        entries += [{d.label.get(lang): d.value} for d in f.domain]
        return QgsEditorWidgetSetup("ValueMap", {"map": entries})
    if f.type in ("date", "datetime"):
        fmt = "yyyy-MM-dd" if f.type == "date" else "yyyy-MM-dd HH:mm:ss"
        return QgsEditorWidgetSetup(
            "DateTime",
            {
                "allow_null": not f.mandatory,
                "calendar_popup": True,
                "display_format": fmt,
                "field_format": fmt,
                "field_iso_format": f.type == "datetime",
            },
        )
    if f.type == "boolean":
        return QgsEditorWidgetSetup("CheckBox", {"CheckedState": "", "UncheckedState": ""})
    if f.type in ("integer", "real"):
        config: dict[str, Any] = {
            "AllowNull": not f.mandatory,
            "Style": "SpinBox",
            "Step": 1 if f.type == "integer" else 0.1,
            "Precision": 0 if f.type == "integer" else 2,
        }
        config["Min"] = f.min if f.min is not None else -2147483647
        config["Max"] = f.max if f.max is not None else 2147483647
        return QgsEditorWidgetSetup("Range", config)
    return QgsEditorWidgetSetup("TextEdit", {"IsMultiline": f.name == "note", "UseHtml": False})


def configure_layer(
    layer: QgsVectorLayer, template: Template, lang: str | None = None, style: bool = True
) -> None:
    """Give ``layer`` the template's form, defaults, constraints and (if ``style``) style."""
    lang = lang or label_language()
    fields = layer.fields()
    for f in template.fields:
        idx = fields.indexOf(f.name)
        if idx < 0:
            continue
        layer.setFieldAlias(idx, f.alias.get(lang))
        layer.setEditorWidgetSetup(idx, _widget(f, lang))
        expr = default_expression(f)
        if expr:
            layer.setDefaultValueDefinition(idx, QgsDefaultValue(expr, False))
        if f.mandatory:
            layer.setFieldConstraint(
                idx,
                QgsFieldConstraints.ConstraintNotNull,
                QgsFieldConstraints.ConstraintStrengthHard,
            )
        cexpr, why = constraint_expression(f)
        if cexpr:
            layer.setConstraintExpression(idx, cexpr, why)
            layer.setFieldConstraint(
                idx,
                QgsFieldConstraints.ConstraintExpression,
                QgsFieldConstraints.ConstraintStrengthHard,
            )
    for key in ("id", "fid"):
        idx = fields.indexOf(key)
        if idx >= 0 and template.fields and key not in {f.name for f in template.fields}:
            layer.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("Hidden", {}))
    for name, value in template.fixed:  # e.g. main_roads.kind: given, not typed
        idx = fields.indexOf(name)
        if idx < 0:
            continue
        literal = _expr_literal(value)
        layer.setEditorWidgetSetup(idx, QgsEditorWidgetSetup("Hidden", {}))
        layer.setDefaultValueDefinition(idx, QgsDefaultValue(literal, False))
        layer.setConstraintExpression(
            idx, f'"{name}" = {literal}', tr("ThematicForm", "set by the layer")
        )
        layer.setFieldConstraint(
            idx,
            QgsFieldConstraints.ConstraintExpression,
            QgsFieldConstraints.ConstraintStrengthHard,
        )
    if style:
        layer.setRenderer(template_renderer(template, lang))
    layer.setCustomProperty(TEMPLATE_PROPERTY, template.id)
    layer.setCustomProperty(DEFINITION_PROPERTY, json.dumps(template.to_json(), ensure_ascii=False))
    rules = ", ".join(rule_title(r.id) for r in template.rules)
    layer.setAbstract(f"{template.description.get(lang)}\n{tr('Thematic', 'Rules')}: {rules}")


def template_renderer(template: Template, lang: str | None = None):
    """A categorised renderer on the category field (domain colours), else single symbol."""
    lang = lang or label_language()
    st = template.style
    base = QgsSymbol.defaultSymbol(QgsWkbTypes.geometryType(WKB_TYPES[template.geometry]))
    _style_symbol(base, template.geometry, st.get("color", "#3377aa"), st)
    cat_field = template.category_field
    if cat_field:
        spec = template.field(cat_field)
        if spec.domain and all(d.color for d in spec.domain):
            cats = []
            for d in spec.domain:
                sym = base.clone()
                _style_symbol(sym, template.geometry, d.color, st)
                cats.append(QgsRendererCategory(d.value, sym, d.label.get(lang)))
            return QgsCategorizedSymbolRenderer(cat_field, cats)
    return QgsSingleSymbolRenderer(base)


def _style_symbol(sym: Any, kind: str, color: str, st: dict[str, Any]) -> None:
    fill = QColor(color)
    outline = QColor(st.get("outline", color))
    if kind == "polygon":
        fill.setAlphaF(float(st.get("opacity", 0.35)))
        sym.setColor(fill)
        layer = sym.symbolLayer(0)
        layer.setStrokeColor(outline)
        layer.setStrokeWidth(float(st.get("width", 0.6)))
    elif kind == "line":
        sym.setColor(fill)
        sym.setWidth(float(st.get("width", 0.8)))
    else:
        sym.setColor(fill)
        sym.setSize(float(st.get("size", 3.0)))
        sym.symbolLayer(0).setStrokeColor(outline)


# -- snapping ----------------------------------------------------------------------------


def _layer_table(layer: Any) -> str:
    """The workspace table a layer reads (custom property, else its data source)."""
    key = layer.customProperty(LAYER_KEY_PROPERTY)
    if isinstance(key, str) and key:
        return key.split(":", 1)[1] if key.startswith("thematic:") else key
    source = layer.source()
    if "|layername=" in source:
        return source.split("|layername=", 1)[1].split("|", 1)[0]
    if layer.providerType() == "postgres":
        from qgis.core import QgsDataSourceUri

        return QgsDataSourceUri(source).table()
    return ""


def snapping_target_layers(project: QgsProject, layer: QgsVectorLayer, target: str) -> list:
    """Project layers a template's snapping target names."""
    if target == "self":
        return [layer]
    found = []
    for other in project.mapLayers().values():
        if not isinstance(other, QgsVectorLayer) or other.id() == layer.id():
            continue
        if target.startswith("thematic:"):
            if other.customProperty(TEMPLATE_PROPERTY) == target.split(":", 1)[1]:
                found.append(other)
        elif target.startswith("workspace:"):
            table = target.split(":", 1)[1]
            key = other.customProperty(LAYER_KEY_PROPERTY)
            if key == table or (key is None and _layer_table(other) == table):
                found.append(other)
    return found


def apply_snapping(
    project: QgsProject, layer: QgsVectorLayer, template: Template, snapping_utils: Any = None
) -> list[QgsVectorLayer]:
    """Turn on advanced snapping for the template's targets; returns the snapped layers.

    Other layers' settings are left as they were. ``snapping_utils`` (a canvas's) gets the
    same configuration at once, as QGIS does for its main canvas.
    """
    config = QgsSnappingConfig(project.snappingConfig())
    config.setEnabled(True)
    config.setMode(QgsSnappingConfig.AdvancedConfiguration)
    snapped: list[QgsVectorLayer] = []
    for target in template.snapping:
        for target_layer in snapping_target_layers(project, layer, target.layer):
            settings = QgsSnappingConfig.IndividualLayerSettings(
                True, _SNAP_FLAGS[target.type], target.tolerance, _UNITS[target.units], 0.0, 0.0
            )
            config.setIndividualLayerSettings(target_layer, settings)
            snapped.append(target_layer)
    project.setSnappingConfig(config)
    if snapping_utils is not None:
        snapping_utils.setConfig(config)
        _follow_project(project, snapping_utils)
    return snapped


_FOLLOWING: set[tuple[int, int]] = set()


def _follow_project(project: QgsProject, snapping_utils: Any) -> None:
    """Keep a canvas's snapping configuration equal to the project's (as QGIS's main window
    does), so it never holds layers the project has removed."""
    key = (id(project), id(snapping_utils))
    if key in _FOLLOWING:
        return
    _FOLLOWING.add(key)

    def follow(config: QgsSnappingConfig) -> None:
        try:
            snapping_utils.setConfig(config)
        except RuntimeError:  # the canvas is gone
            _FOLLOWING.discard(key)

    project.snappingConfigChanged.connect(follow)


def missing_snapping_tables(
    project: QgsProject, layer: QgsVectorLayer, template: Template
) -> list[str]:
    """Workspace tables the template snaps to that have no layer in the project."""
    return [
        t.layer.split(":", 1)[1]
        for t in template.snapping
        if t.layer.startswith("workspace:") and not snapping_target_layers(project, layer, t.layer)
    ]
