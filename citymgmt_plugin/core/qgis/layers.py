"""QGIS layers over the workspace tables, grouped in the layer tree and styled from QML.

The layers read the same tables the core writes (GeoPackage through OGR, PostGIS through the
postgres provider). Every layer carries the custom property ``citymgmt/layer`` with its key
(``unit_grids``, ``components_point``, ``submissions``, ``thematic:<table>`` …), so features
find their layer with :func:`find_workspace_layer` whatever the user renamed it to.

No password ever reaches a layer source: PostGIS layers use the spec's pg_service name or
host/port/database/user, plus the QGIS ``authcfg`` id when the spec has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsLayerTreeGroup,
    QgsMessageLog,
    QgsProject,
    QgsRectangle,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
    QgsWkbTypes,
)
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from ..cases.codes import state_labels as case_state_labels
from ..cases.columns import column_titles
from ..i18n import tr
from ..labels import field_label
from ..paths import resource
from ..workspace.store import Workspace, WorkspaceError, WorkspaceSpec

LAYER_KEY_PROPERTY = "citymgmt/layer"
WORKSPACE_PROPERTY = "citymgmt/workspace"
ROOT_GROUP_PROPERTY = "citymgmt/root"
GROUP_PROPERTY = "citymgmt/group"
KEY_COLUMN = "id"
GEOMETRY_COLUMN = "geom"

# OGR ``geometrytype=`` / QgsDataSourceUri type, by geometry kind
GEOMETRY_TYPES = {"point": "Point", "line": "LineString", "polygon": "Polygon"}
_WKB = {
    "Point": QgsWkbTypes.Point,
    "LineString": QgsWkbTypes.LineString,
    "Polygon": QgsWkbTypes.Polygon,
}


@dataclass(frozen=True)
class LayerDef:
    key: str
    table: str
    group: str
    style: str  # QML file stem in resources/styles/
    filters: tuple[tuple[str, str], ...] = ()
    geometry_type: str | None = None
    visible: bool = True


# Group keys, top of the layer tree first (drawn on top).
GROUPS = ("cases", "submissions", "components", "patrol", "thematic", "grids")

LAYERS: tuple[LayerDef, ...] = (
    LayerDef("tasks", "tasks", "cases", "tasks"),
    LayerDef("cases", "cases", "cases", "cases"),
    LayerDef(
        "quarantine",
        "submissions",
        "submissions",
        "submissions",
        (("state", "quarantined"),),
        visible=False,
    ),
    LayerDef("submissions", "submissions", "submissions", "submissions"),
    LayerDef(
        "components_point", "components", "components", "components_point", geometry_type="Point"
    ),
    LayerDef(
        "components_line", "components", "components", "components_line", geometry_type="LineString"
    ),
    LayerDef(
        "components_polygon",
        "components",
        "components",
        "components_polygon",
        geometry_type="Polygon",
    ),
    LayerDef("track_points", "track_points", "patrol", "track_points"),
    LayerDef("patrol_routes", "patrol_routes", "patrol", "patrol_routes"),
    LayerDef("main_roads", "main_roads", "patrol", "main_roads"),
    LayerDef("admin_district", "admin_units", "grids", "admin_units", (("level", "district"),)),
    LayerDef("admin_street", "admin_units", "grids", "admin_units", (("level", "street"),)),
    LayerDef("admin_community", "admin_units", "grids", "admin_units", (("level", "community"),)),
    LayerDef("resp_grids", "resp_grids", "grids", "resp_grids"),
    LayerDef("unit_grids", "unit_grids", "grids", "unit_grids"),
)
LAYER_DEFS = {d.key: d for d in LAYERS}


def group_names() -> dict[str, str]:
    return {
        "cases": tr("Layers", "Cases and tasks"),
        "submissions": tr("Layers", "Submissions"),
        "components": tr("Layers", "Components"),
        "patrol": tr("Layers", "Patrol"),
        "thematic": tr("Layers", "Thematic layers"),
        "grids": tr("Layers", "Base grids"),
    }


def layer_names() -> dict[str, str]:
    return {
        "tasks": tr("Layers", "Verification and check tasks"),
        "cases": tr("Layers", "Cases"),
        "quarantine": tr("Layers", "Quarantined submissions"),
        "submissions": tr("Layers", "Submissions"),
        "components_point": tr("Layers", "Components (points)"),
        "components_line": tr("Layers", "Components (lines)"),
        "components_polygon": tr("Layers", "Components (polygons)"),
        "track_points": tr("Layers", "Track points"),
        "patrol_routes": tr("Layers", "Patrol routes"),
        "main_roads": tr("Layers", "Main roads and window areas"),
        "admin_district": tr("Layers", "Districts"),
        "admin_street": tr("Layers", "Streets"),
        "admin_community": tr("Layers", "Communities"),
        "resp_grids": tr("Layers", "Responsibility grids"),
        "unit_grids": tr("Layers", "Unit grids"),
    }


def category_labels() -> dict[str, dict[str, str]]:
    """Legend labels of categorised styles, by QML stem then category value."""
    states = {
        "pending": tr("Layers", "Pending review"),
        "quarantined": tr("Layers", "Quarantined"),
        "accepted": tr("Layers", "Accepted"),
        "updated": tr("Layers", "Updated a component"),
        "duplicate": tr("Layers", "Duplicate"),
        "rejected": tr("Layers", "Rejected"),
        "has_issues": tr("Layers", "Sent back (has issues)"),
    }
    kinds = {"main_road": tr("Layers", "Main road"), "window_area": tr("Layers", "Window area")}
    other = {"": tr("Layers", "Other")}
    return {
        "tasks": task_standing_labels(),
        "cases": {s.value: text for s, text in case_state_labels().items()},
        "submissions": states,
        "main_roads": kinds,
        "components_point": other,
        "components_line": other,
        "components_polygon": other,
    }


def task_standing_labels() -> dict[str, str]:
    """Legend of the task layer: how each task stands against its deadline."""
    return {
        "overdue": tr("Layers", "Overdue"),
        "due_soon": tr("Layers", "Due within the hour"),
        "open": tr("Layers", "Open"),
        "on_time": tr("Layers", "Done on time"),
        "late": tr("Layers", "Done late"),
        "cancelled": tr("Layers", "Cancelled"),
    }


def rule_labels() -> dict[str, dict[str, str]]:
    """Legend labels of rule-based styles, by QML stem then the rule's (English) label."""
    levels = {
        "District": tr("Layers", "District"),
        "Street": tr("Layers", "Street"),
        "Community": tr("Layers", "Community"),
    }
    return {"admin_units": levels}


def default_root_name() -> str:
    return tr("Layers", "City management")


# -- sources -----------------------------------------------------------------------------


def _quote_literal(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def subset_string(filters: Mapping[str, Any] | None = None, where: str | None = None) -> str:
    """``"col" = 'value' AND …`` (a list or tuple value becomes ``IN (…)``), plus ``where``."""
    parts = []
    for col, value in (filters or {}).items():
        if '"' in col:
            raise ValueError(col)
        if isinstance(value, (list, tuple, set)):
            values = ", ".join(_quote_literal(v) for v in value)
            parts.append(f'"{col}" IN ({values})')
        elif value is None:
            parts.append(f'"{col}" IS NULL')
        else:
            parts.append(f'"{col}" = {_quote_literal(value)}')
    if where:
        parts.append(f"({where})")
    return " AND ".join(parts)


def postgis_uri(spec: WorkspaceSpec) -> QgsDataSourceUri:
    """Connection part of a PostGIS layer URI for ``spec``: service or host/port/db/user,
    ``authcfg`` when given; the URL's password, if any, is dropped."""
    uri = QgsDataSourceUri()
    if spec.service:
        uri.setConnection(spec.service, "", "", "", QgsDataSourceUri.SslPrefer, spec.authcfg)
    else:
        url = make_url(spec.url)
        uri.setConnection(
            url.host or "",
            str(url.port or 5432),
            url.database or "",
            "" if spec.authcfg else (url.username or ""),
            "",
            _sslmode(url.query.get("sslmode")),
            spec.authcfg,
        )
    return uri


def _sslmode(value: Any) -> QgsDataSourceUri.SslMode:
    if isinstance(value, (tuple, list)):
        value = value[0] if value else None
    return QgsDataSourceUri.decodeSslMode(str(value)) if value else QgsDataSourceUri.SslPrefer


def layer_source(
    ws: Workspace, table: str, subset: str = "", geometry_type: str | None = None
) -> tuple[str, str]:
    """(source, provider key) for ``table`` of ``ws``."""
    if ws.spec.kind == "gpkg":
        source = f"{ws.spec.path}|layername={table}"
        if geometry_type:
            source += f"|geometrytype={geometry_type}"
        if subset:
            source += f"|subset={subset}"
        return source, "ogr"
    uri = postgis_uri(ws.spec)
    uri.setDataSource(ws.spec.schema, table, GEOMETRY_COLUMN, subset, KEY_COLUMN)
    uri.setSrid(str(ws.srid))
    if geometry_type:
        uri.setWkbType(_WKB[geometry_type])
    return uri.uri(False), "postgres"


# -- styles ------------------------------------------------------------------------------


def style_path(stem: str) -> Path:
    return resource("styles", f"{stem}.qml")


def apply_style(layer: QgsVectorLayer, stem: str) -> bool:
    """Load ``resources/styles/<stem>.qml`` and translate its legend labels."""
    path = style_path(stem)
    if not path.is_file():
        return False
    _msg, ok = layer.loadNamedStyle(str(path))
    if not ok:
        QgsMessageLog.logMessage(
            tr("Layers", "Style {0} could not be applied: {1}").format(path.name, _msg),
            "citymgmt",
        )
        return False
    translate_legend(layer, stem)
    layer.setCustomProperty("citymgmt/style", stem)
    return True


def translate_legend(layer: QgsVectorLayer, stem: str) -> None:
    """Legend labels of the style ``stem`` in the user's language: categories by value,
    rules by the label the QML gives them."""
    renderer = layer.renderer()
    if isinstance(renderer, QgsCategorizedSymbolRenderer):
        labels = category_labels().get(stem, {})
        for index, category in enumerate(renderer.categories()):
            label = labels.get(str(category.value()))
            if label:
                renderer.updateCategoryLabel(index, label)
    elif isinstance(renderer, QgsRuleBasedRenderer):
        labels = rule_labels().get(stem, {})
        for rule in renderer.rootRule().descendants():
            label = labels.get(rule.label())
            if label:
                rule.setLabel(label)


def label_fields(layer: QgsVectorLayer, table: str) -> None:
    """Give each column of ``layer`` (over workspace ``table``) its translated title, as
    the attribute table, the identify results and the forms show it."""
    for index, f in enumerate(layer.fields()):
        label = field_label(f.name(), table)
        if label != f.name():
            layer.setFieldAlias(index, label)


# -- layers ------------------------------------------------------------------------------


def workspace_layer(
    ws: Workspace,
    table: str,
    *,
    name: str | None = None,
    geometry_type: str | None = None,
    style: str | None = None,
    where: str | None = None,
    key: str | None = None,
    **filters: Any,
) -> QgsVectorLayer:
    """A QgsVectorLayer over ``table`` of ``ws``, optionally filtered.

    ``filters`` are column = value conditions (a list/tuple value means IN); ``where`` is extra
    SQL understood by both SQLite and PostgreSQL; ``geometry_type`` ("Point", "LineString",
    "Polygon") keeps features of that type (single or multi). ``style`` is a QML stem;
    by default ``<table>.qml`` when it exists. The layer may be invalid: check ``isValid()``.
    """
    subset = subset_string(filters, where)
    source, provider = layer_source(ws, table, subset, geometry_type)
    layer = QgsVectorLayer(source, name or table, provider)
    layer.setCustomProperty(LAYER_KEY_PROPERTY, key or table)
    if layer.isValid():
        label_fields(layer, table)
        apply_style(layer, style or table)
    return layer


def thematic_registrations(ws: Workspace) -> list[dict[str, str]]:
    """Rows of ``thematic_layers`` (table_name, title, template, geometry_kind)."""
    t = ws.schema.thematic_layers
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.table_name, t.c.title, t.c.template, t.c.geometry_kind).order_by(t.c.id)
        ).all()
    return [dict(r._mapping) for r in rows]


def _thematic_style(row: Mapping[str, str]) -> str:
    for stem in (row["table_name"], f"thematic_{row['template']}"):
        if style_path(stem).is_file():
            return stem
    return f"thematic_{row['geometry_kind']}"


# -- loading in two steps: open (any thread), then add (main thread) -----------------------


@dataclass
class PlannedLayer:
    """One layer to load: what to open, how to style it, where it goes in the layer tree."""

    key: str
    group: str
    name: str
    table: str
    style: str
    visible: bool = True
    filters: tuple[tuple[str, Any], ...] = ()
    geometry_type: str | None = None
    template: Any = None  # thematic Template: its form is set up on the main thread
    thematic_table: str = ""
    layer: QgsVectorLayer | None = field(default=None, repr=False)  # set by open_layer


def plan_layers(ws: Workspace) -> list[PlannedLayer]:
    """The workspace's layers, base tables first, then its thematic layers (reads the DB)."""
    names = layer_names()
    plans = [
        PlannedLayer(
            d.key, d.group, names[d.key], d.table, d.style, d.visible, d.filters, d.geometry_type
        )
        for d in LAYERS
    ]
    try:
        thematic = thematic_registrations(ws)
    except Exception as exc:  # a broken registry must not keep the base layers away
        QgsMessageLog.logMessage(str(exc), "citymgmt")
        thematic = []
    return plans + [_plan_thematic(ws, row) for row in thematic]


def _plan_thematic(ws: Workspace, row: Mapping[str, str]) -> PlannedLayer:
    """The thematic module's configured layer (form, aliases, style), else a plain one."""
    table, key = row["table_name"], f"thematic:{row['table_name']}"
    try:
        from ..thematic.tables import registered_template

        tpl = registered_template(ws, table)
    except (ImportError, ValueError):  # no such module, or a template it does not know
        tpl = None
    if tpl is None:
        return PlannedLayer(key, "thematic", row["title"], table, _thematic_style(row))
    # a template layer over a table shown above (main roads, patrol routes) starts
    # unchecked: the same rows, drawn once; digitising through it checks it
    return PlannedLayer(
        key,
        "thematic",
        row["title"],
        tpl.core_table or table,
        f"thematic_{tpl.id}",
        visible=not tpl.core_table,
        filters=tuple(tpl.fixed),
        template=tpl,
        thematic_table=table,
    )


def open_layer(ws: Workspace, plan: PlannedLayer) -> QgsVectorLayer:
    """Open the provider of ``plan`` (the slow part; any thread), unstyled; may be invalid."""
    subset = subset_string(dict(plan.filters))
    source, provider = layer_source(ws, plan.table, subset, plan.geometry_type)
    layer = QgsVectorLayer(source, plan.name, provider)
    layer.setCustomProperty(LAYER_KEY_PROPERTY, plan.key)
    plan.layer = layer
    return layer


def finish_layer(plan: PlannedLayer) -> None:
    """Style an opened layer, and give a thematic one its form (main thread)."""
    layer = plan.layer
    if layer is None or not layer.isValid():
        return
    label_fields(layer, plan.table)
    apply_style(layer, plan.style)
    titles = column_titles(plan.table)
    for index, f in enumerate(layer.fields()):
        if f.name() in titles:
            layer.setFieldAlias(index, titles[f.name()])
    if plan.template is not None:
        from .thematic_layer import finish_thematic_layer

        finish_thematic_layer(layer, plan.template, plan.thematic_table)


def add_workspace_layers(
    ws: Workspace,
    project: QgsProject,
    plans: list[PlannedLayer],
    root_group_name: str | None = None,
    replace: bool = True,
) -> dict[str, QgsVectorLayer]:
    """Add the opened layers of ``plans`` to ``project`` under one group (main thread).

    Layers are grouped (submissions, components, patrol, thematic layers, base grids) and
    styled. A group of the same name is replaced when ``replace``. Layers that could not be
    opened are logged and left out; WorkspaceError (and the project unchanged) when none can.
    """
    failed = [p.key for p in plans if p.layer is None or not p.layer.isValid()]
    if failed:
        QgsMessageLog.logMessage(
            tr("Layers", "Workspace layers that could not be opened: {0}").format(
                ", ".join(failed)
            ),
            "citymgmt",
        )
    usable = [p for p in plans if p.key not in failed]
    if not usable:
        raise WorkspaceError(
            tr("Layers", "No layer of {0} could be opened.").format(ws.spec.display())
        )
    root = _root_group(ws, project, root_group_name, replace)
    subgroups: dict[str, QgsLayerTreeGroup] = {}
    for gkey in GROUPS:
        sub = root.addGroup(group_names()[gkey])
        sub.setCustomProperty(GROUP_PROPERTY, gkey)
        subgroups[gkey] = sub
    loaded: dict[str, QgsVectorLayer] = {}
    for plan in usable:
        layer = plan.layer
        assert layer is not None
        finish_layer(plan)
        layer.setCustomProperty(WORKSPACE_PROPERTY, ws.spec.display())
        project.addMapLayer(layer, False)
        node = subgroups[plan.group].addLayer(layer)
        node.setItemVisibilityChecked(plan.visible)
        if not plan.visible:
            node.setExpanded(False)
        loaded[plan.key] = layer
    for gkey, sub in subgroups.items():
        if not sub.children():
            root.removeChildNode(sub)
        elif gkey in ("cases", "submissions"):
            sub.setExpanded(True)
    return loaded


def _root_group(
    ws: Workspace, project: QgsProject, root_group_name: str | None, replace: bool
) -> QgsLayerTreeGroup:
    root_name = root_group_name or default_root_name()
    tree_root = project.layerTreeRoot()
    existing = _find_group(tree_root, root_name)
    if existing is not None and replace:
        _remove_group(project, existing)
    root = tree_root.insertGroup(0, root_name)
    root.setCustomProperty(ROOT_GROUP_PROPERTY, ws.spec.display())
    return root


def _find_group(parent: QgsLayerTreeGroup, name: str) -> QgsLayerTreeGroup | None:
    for child in parent.children():
        if isinstance(child, QgsLayerTreeGroup) and child.name() == name:
            return child
    return None


def _remove_group(project: QgsProject, group: QgsLayerTreeGroup) -> None:
    ids = [node.layerId() for node in group.findLayers()]
    parent = group.parent()
    parent.removeChildNode(group)
    project.removeMapLayers([i for i in ids if project.mapLayer(i) is not None])


def load_workspace_layers(
    ws: Workspace, project: QgsProject, root_group_name: str | None = None, replace: bool = True
) -> dict[str, QgsVectorLayer]:
    """Open and add the workspace layers in one go (main thread); returns them by key.

    :class:`.layer_task.LoadLayersTask` does the same with the opening in the background.
    """
    plans = plan_layers(ws)
    for plan in plans:
        open_layer(ws, plan)
    return add_workspace_layers(ws, project, plans, root_group_name, replace)


def find_workspace_layer(project: QgsProject, key: str) -> QgsVectorLayer | None:
    """The first layer of ``project`` whose ``citymgmt/layer`` property is ``key``."""
    for layer in project.mapLayers().values():
        if layer.customProperty(LAYER_KEY_PROPERTY) == key:
            return layer
    return None


def workspace_extent(layers: Mapping[str, QgsVectorLayer]) -> QgsRectangle:
    """Extent of the district layer, else of the unit grids, else of the other base layers.

    Never the submissions or components: one report far away must not set the view.
    """
    for keys in (("admin_district",), ("unit_grids",), _OTHER_BASE_LAYERS):
        extent = QgsRectangle()
        for key in keys:
            layer = layers.get(key)
            if layer is None:
                continue
            layer.updateExtents()
            e = layer.extent()
            if not e.isNull() and not e.isEmpty():
                extent.combineExtentWith(e)
        if not extent.isNull() and not extent.isEmpty():
            return extent
    return QgsRectangle()


_OTHER_BASE_LAYERS = ("admin_street", "admin_community", "resp_grids")


# -- where the map opens -----------------------------------------------------------------


def workspace_crs(ws: Workspace) -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(f"EPSG:{ws.srid}")


def district_extent(ws: Workspace) -> QgsRectangle:
    """Where the map of ``ws`` opens (workspace CRS), read from the database.

    The district (``admin_units`` of level district), else the unit grids, else any admin
    unit or responsibility grid; an empty rectangle when the workspace has none of them.
    Submissions and components never count: one stray report must not set the view.
    """
    s = ws.schema
    sources = (
        (s.admin_units, s.admin_units.c.level == "district"),
        (s.unit_grids, None),
        (s.admin_units, None),
        (s.resp_grids, None),
    )
    with ws.engine.connect() as conn:
        for table, where in sources:
            box = _bounds(conn, ws, table, where)
            if box is not None:
                return QgsRectangle(*box)
    return QgsRectangle()


def _bounds(conn: Any, ws: Workspace, table: Any, where: Any) -> tuple[float, ...] | None:
    g = table.c.geom
    if ws.is_postgres:
        parts = (func.ST_XMin(g), func.ST_YMin(g), func.ST_XMax(g), func.ST_YMax(g))
    else:  # SpatiaLite in GeoPackage mode
        parts = (func.ST_MinX(g), func.ST_MinY(g), func.ST_MaxX(g), func.ST_MaxY(g))
    query = select(
        func.min(parts[0]), func.min(parts[1]), func.max(parts[2]), func.max(parts[3])
    ).where(g.is_not(None))
    if where is not None:
        query = query.where(where)
    row = conn.execute(query).first()
    if row is None or any(v is None for v in row):
        return None
    box = tuple(float(v) for v in row)
    return box if box[2] > box[0] or box[3] > box[1] else None
