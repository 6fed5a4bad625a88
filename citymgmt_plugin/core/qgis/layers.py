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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsDataSourceUri,
    QgsLayerTreeGroup,
    QgsMessageLog,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from sqlalchemy import select
from sqlalchemy.engine import make_url

from ..i18n import tr
from ..paths import resource
from ..workspace.store import Workspace, WorkspaceError, WorkspaceSpec

LAYER_KEY_PROPERTY = "citymgmt/layer"
WORKSPACE_PROPERTY = "citymgmt/workspace"
ROOT_GROUP_PROPERTY = "citymgmt/root"
GROUP_PROPERTY = "citymgmt/group"
CORE_TABLE_PROPERTY = "citymgmt/thematic_core_table"  # as core.thematic.qgis_layer
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
GROUPS = ("submissions", "components", "patrol", "thematic", "grids")

LAYERS: tuple[LayerDef, ...] = (
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
        "submissions": tr("Layers", "Submissions"),
        "components": tr("Layers", "Components"),
        "patrol": tr("Layers", "Patrol"),
        "thematic": tr("Layers", "Thematic layers"),
        "grids": tr("Layers", "Base grids"),
    }


def layer_names() -> dict[str, str]:
    return {
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
        "submissions": states,
        "main_roads": kinds,
        "components_point": other,
        "components_line": other,
        "components_polygon": other,
    }


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
    """Load ``resources/styles/<stem>.qml`` and translate its category labels."""
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
    labels = category_labels().get(stem)
    renderer = layer.renderer()
    if labels and isinstance(renderer, QgsCategorizedSymbolRenderer):
        for index, category in enumerate(renderer.categories()):
            label = labels.get(str(category.value()))
            if label:
                renderer.updateCategoryLabel(index, label)
    layer.setCustomProperty("citymgmt/style", stem)
    return True


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


def _thematic_layer(ws: Workspace, row: Mapping[str, str], key: str) -> QgsVectorLayer:
    """The thematic module's configured layer (form, aliases, style), else a plain one."""
    try:
        from .thematic_layer import thematic_layer

        return thematic_layer(ws, row["table_name"], name=row["title"])
    except (ImportError, ValueError):  # no such module, or a template it does not know
        return workspace_layer(
            ws, row["table_name"], name=row["title"], style=_thematic_style(row), key=key
        )


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
    """Add the workspace layers to ``project`` under one group; returns them by key.

    Layers are grouped (submissions, components, patrol, thematic layers, base grids) and
    styled. A group of the same name is replaced when ``replace``. Tables that cannot be
    opened are logged and left out; WorkspaceError when none can.
    """
    names = layer_names()
    groups = group_names()
    root_name = root_group_name or default_root_name()
    tree_root = project.layerTreeRoot()
    existing = _find_group(tree_root, root_name)
    if existing is not None and replace:
        _remove_group(project, existing)
    root = tree_root.insertGroup(0, root_name)
    root.setCustomProperty(ROOT_GROUP_PROPERTY, ws.spec.display())
    subgroups: dict[str, QgsLayerTreeGroup] = {}
    for gkey in GROUPS:
        sub = root.addGroup(groups[gkey])
        sub.setCustomProperty(GROUP_PROPERTY, gkey)
        subgroups[gkey] = sub

    loaded: dict[str, QgsVectorLayer] = {}
    failed: list[str] = []

    def add(key: str, layer: QgsVectorLayer, gkey: str, visible: bool) -> None:
        if not layer.isValid():
            failed.append(key)
            return
        layer.setCustomProperty(WORKSPACE_PROPERTY, ws.spec.display())
        project.addMapLayer(layer, False)
        node = subgroups[gkey].addLayer(layer)
        node.setItemVisibilityChecked(visible)
        if not visible:
            node.setExpanded(False)
        loaded[key] = layer

    thematic = []
    try:
        thematic = thematic_registrations(ws)
    except Exception as exc:  # a broken registry must not keep the base layers away
        QgsMessageLog.logMessage(str(exc), "citymgmt")
    for d in LAYERS:
        layer = workspace_layer(
            ws,
            d.table,
            name=names[d.key],
            geometry_type=d.geometry_type,
            style=d.style,
            key=d.key,
            **dict(d.filters),
        )
        add(d.key, layer, d.group, d.visible)
    for row in thematic:
        key = f"thematic:{row['table_name']}"
        layer = _thematic_layer(ws, row, key)
        # a template layer over a table shown above (main roads, patrol routes) starts
        # unchecked: the same rows, drawn once; digitising through it checks it
        add(key, layer, "thematic", not layer.customProperty(CORE_TABLE_PROPERTY))

    for gkey, sub in subgroups.items():
        if not sub.children():
            root.removeChildNode(sub)
        elif gkey in ("submissions",):
            sub.setExpanded(True)
    if failed:
        QgsMessageLog.logMessage(
            tr("Layers", "Workspace layers that could not be opened: {0}").format(
                ", ".join(failed)
            ),
            "citymgmt",
        )
    if not loaded:
        root.parent().removeChildNode(root)
        raise WorkspaceError(
            tr("Layers", "No layer of {0} could be opened.").format(ws.spec.display())
        )
    return loaded


def find_workspace_layer(project: QgsProject, key: str) -> QgsVectorLayer | None:
    """The first layer of ``project`` whose ``citymgmt/layer`` property is ``key``."""
    for layer in project.mapLayers().values():
        if layer.customProperty(LAYER_KEY_PROPERTY) == key:
            return layer
    return None


def workspace_extent(layers: Mapping[str, QgsVectorLayer]):
    """Combined extent of the base layers (admin units and grids), else of all layers."""
    from qgis.core import QgsRectangle

    extent = QgsRectangle()
    preferred = [k for k in ("admin_district", "unit_grids", "resp_grids") if k in layers]
    for key in preferred or list(layers):
        layer = layers[key]
        layer.updateExtents()
        e = layer.extent()
        if not e.isNull() and not e.isEmpty():
            extent.combineExtentWith(e)
    return extent
