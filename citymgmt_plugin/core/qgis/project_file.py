"""A ready QGIS project (.qgz) of a workspace and its week's reports.

The workspace layers grouped and styled, the week's results in their own group, map themes
for the four jobs (census, review, patrol, thematic layers) and the three report layouts
filled from the report folder. Paths are written relative to the project file, so the
folder can be moved or copied whole and opened anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsLayerTreeGroup,
    QgsMapThemeCollection,
    QgsProject,
    QgsReferencedRectangle,
    QgsVectorLayer,
)

from ..i18n import tr
from ..private_files import make_private
from ..reporting.patrol_report import load_monthly, load_weekly
from ..workspace.store import Workspace
from .layers import LAYER_KEY_PROPERTY, load_workspace_layers, workspace_crs, workspace_extent
from .output_styles import style_output_layer
from .patrol_reports import file_names
from .report_data import ReportLayers, open_report_layers
from .report_fill import atlas_layout, monthly_layout, weekly_layout

PROJECT_SCOPE, PROJECT_KEY = "citymgmt", "workspace"  # as the workspace dialog stores it


@dataclass
class ExtraLayer:
    """A result file to show in the project: GeoPackage table, title, output style."""

    path: Path
    table: str
    title: str
    style: str


def theme_names() -> dict[str, str]:
    return {
        "census": tr("Project", "Census"),
        "review": tr("Project", "Review"),
        "patrol": tr("Project", "Patrol"),
        "thematic": tr("Project", "Thematic"),
    }


# The layers each map theme shows (by their citymgmt/layer key; "report:" the week's
# results; "thematic:" every thematic layer).
THEMES = {
    "census": ("components_point", "components_line", "components_polygon", "unit_grids",
               "admin_street", "admin_district"),
    "review": ("submissions", "quarantine", "components_point", "unit_grids", "admin_district"),
    "patrol": ("report:coverage_gaps", "report:failing_grids", "report:failing_resp",
               "patrol_routes", "report:roads_thin", "admin_street", "admin_district"),
    "thematic": ("thematic:", "unit_grids", "admin_street", "admin_district"),
}  # fmt: skip


def build_project(
    ws: Workspace, folder: Path, week: str, path: Path, extra: Iterable[ExtraLayer] = ()
) -> Path:
    """Write ``path`` (.qgz): the workspace's layers, the week's report layers from
    ``folder`` and ``extra`` result files, the map themes and the report layouts."""
    from ..reporting.weeks import IsoWeek

    iso = IsoWeek.parse(week)
    names = file_names(iso, iso.month())
    project = QgsProject()
    project.setFileName(str(path))
    project.setCrs(workspace_crs(ws))
    project.setTitle(tr("Project", "City management: {0}").format(ws.spec.display()))
    base = load_workspace_layers(ws, project)
    _track_points_off(project, base)
    report = open_report_layers(folder / names["data"])
    report.base = {**base, "roads_thin": _thin_roads(base)}
    weekly = _report_layers(report)
    _add_group(project, tr("Project", "Weekly checks {0}").format(week), weekly)
    _add_group(project, tr("Project", "Quality checks"), _extra_layers(extra))
    _add_themes(project)
    _add_layouts(project, folder, names, report)
    extent = workspace_extent(base)
    if not extent.isEmpty():
        project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, project.crs()))
    project.writeEntry(PROJECT_SCOPE, PROJECT_KEY, project.writePath(ws.spec.path or ""))
    if not project.write():
        raise OSError(project.error())
    project.clear()
    return make_private(path)  # its layouts name collectors


def _track_points_off(project: QgsProject, base: Mapping[str, QgsVectorLayer]) -> None:
    """1.4 million fixes draw slowly: the project opens with them unchecked."""
    tracks = base.get("track_points")
    if tracks is None:
        return
    node = project.layerTreeRoot().findLayer(tracks.id())
    if node is not None:
        node.setItemVisibilityChecked(False)


def _thin_roads(base: Mapping[str, QgsVectorLayer]) -> QgsVectorLayer | None:
    """The main roads drawn thin, as the report maps show them under the results."""
    roads = base.get("main_roads")
    if roads is None:
        return None
    thin = roads.clone()
    thin.setName(tr("Project", "Main roads (report maps)"))
    style_output_layer(thin, "report_roads")
    return thin


# in the layouts (or the heavy one of the week), not drawn when the project opens
HIDDEN = ("report:grid_coverage", "report:resp_grid_coverage", "report:roads_thin",
          "report:offroute_stretches")  # fmt: skip


def _report_layers(report: ReportLayers) -> list[tuple[str, QgsVectorLayer]]:
    keys = ("coverage_gaps", "failing_grids", "offroute_stretches", "failing_resp",
            "resp_grid_coverage", "grid_coverage", "collectors")  # fmt: skip
    out = [(f"report:{k}", getattr(report, k)) for k in keys if getattr(report, k) is not None]
    if report.base.get("roads_thin") is not None:
        out.append(("report:roads_thin", report.base["roads_thin"]))
    return out


def _extra_layers(extra: Iterable[ExtraLayer]) -> list[tuple[str, QgsVectorLayer]]:
    out = []
    for e in extra:
        layer = QgsVectorLayer(f"{e.path}|layername={e.table}", e.title, "ogr")
        if layer.isValid():
            style_output_layer(layer, e.style)
            out.append((f"extra:{e.table}", layer))
    return out


def _add_group(project: QgsProject, name: str, layers: list[tuple[str, QgsVectorLayer]]):
    if not layers:
        return None
    group: QgsLayerTreeGroup = project.layerTreeRoot().insertGroup(0, name)
    for key, layer in layers:
        layer.setCustomProperty(LAYER_KEY_PROPERTY, key)
        project.addMapLayer(layer, False)
        node = group.addLayer(layer)
        if key in HIDDEN:
            node.setItemVisibilityChecked(False)  # shown in the layouts; the failing above
    return group


def _add_themes(project: QgsProject) -> None:
    """One map theme per job: its layers on, the rest off."""
    collection = project.mapThemeCollection()
    layers = list(project.mapLayers().values())
    for theme, name in theme_names().items():
        wanted = THEMES[theme]
        records = []
        for layer in layers:
            key = str(layer.customProperty(LAYER_KEY_PROPERTY) or "")
            if key in wanted or any(w.endswith(":") and key.startswith(w) for w in wanted):
                records.append(QgsMapThemeCollection.MapThemeLayerRecord(layer))
        record = QgsMapThemeCollection.MapThemeRecord()
        record.setLayerRecords(records)
        collection.insert(name, record)


def _add_layouts(project: QgsProject, folder: Path, names: dict, report: ReportLayers) -> None:
    """The three report layouts, filled from the report's JSON, charts and layers."""
    manager = project.layoutManager()
    weekly_json = folder / names["weekly_json"]
    if weekly_json.is_file():
        weekly = load_weekly(weekly_json)
        charts = chart_files(folder, weekly.week)
        manager.addLayout(weekly_layout(project, weekly, report, charts))
        manager.addLayout(atlas_layout(project, weekly, report))
    monthly_json = folder / names["monthly_json"]
    if monthly_json.is_file():
        monthly = load_monthly(monthly_json)
        manager.addLayout(monthly_layout(project, monthly, chart_files(folder, monthly.month)))


def chart_files(folder: Path, stem: str) -> dict[str, Path | None]:
    """The charts a report run drew (see patrol_reports.draw_charts), None where absent."""
    out = {}
    for key in ("hourly", "trend", "collectors"):
        png = folder / "charts" / f"{stem}-{key}.png"
        out[key] = png if png.is_file() else None
    return out
