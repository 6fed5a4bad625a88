"""The weekly checks of a workspace as Processing runs: their input layers and parameters.

One place says which layer and field feeds which parameter of ``citymgmt:patrolcoverage``,
``citymgmt:routedeviation`` and ``citymgmt:reportingkpi`` for one ISO week, so the
weekly-check dialog, the patrol report and the command line run the same checks. Only
parameter values are built here; running them is the caller's (Processing stays out of
core).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, QTimeZone

from ..i18n import tr
from ..reporting.reports import DEFAULT_TZ
from ..reporting.weeks import IsoWeek
from ..workspace.store import Workspace
from .layers import find_workspace_layer, layer_names, layer_source, postgis_uri

COVERAGE = "citymgmt:patrolcoverage"
DEVIATION = "citymgmt:routedeviation"
KPI = "citymgmt:reportingkpi"

# Workspace columns the checks read.
GRID_CODE, COLLECTOR, FIX_TIME = "code", "collector_code", "fix_time"


@dataclass
class CheckInputs:
    """The layers the weekly checks read (None: not available)."""

    grids: QgsVectorLayer | None = None  # unit grids
    roads: QgsVectorLayer | None = None  # main roads and window areas
    routes: QgsVectorLayer | None = None  # prescribed patrol routes
    tracks: QgsVectorLayer | None = None  # GPS fixes
    submissions: QgsVectorLayer | None = None  # field reports
    resp_units: QgsVectorLayer | None = None  # unit grid -> responsibility grid (table)

    def missing(self, *names: str) -> list[str]:
        """The names of the given inputs that are absent or invalid."""
        return [n for n in names if not _usable(getattr(self, n))]

    def layers(self) -> list[QgsVectorLayer]:
        return [v for f in fields(self) if _usable(v := getattr(self, f.name))]


def _usable(layer: QgsVectorLayer | None) -> bool:
    return layer is not None and layer.isValid()


_TABLES = {
    "grids": ("unit_grids", "unit_grids"),
    "roads": ("main_roads", "main_roads"),
    "routes": ("patrol_routes", "patrol_routes"),
    "tracks": ("track_points", "track_points"),
    "submissions": ("submissions", "submissions"),
    "resp_units": ("resp_grid_units", ""),
}


def workspace_inputs(ws: Workspace) -> CheckInputs:
    """Layers straight over the workspace tables (no project needed)."""
    names = layer_names()
    out = CheckInputs()
    for attr, (table, key) in _TABLES.items():
        if not key:
            setattr(out, attr, table_layer(ws, table))
            continue
        source, provider = layer_source(ws, table)
        layer = QgsVectorLayer(source, names.get(key, table), provider)
        setattr(out, attr, layer if layer.isValid() else None)
    return out


def project_inputs(project: QgsProject, ws: Workspace | None = None) -> CheckInputs:
    """The workspace layers loaded in ``project`` (found by their key, whatever their
    name); the responsibility-grid table, which is not a map layer, from ``ws``."""
    out = CheckInputs()
    for attr, (table, key) in _TABLES.items():
        if key:
            setattr(out, attr, find_workspace_layer(project, key))
        elif ws is not None:
            setattr(out, attr, table_layer(ws, table))
    return out


def table_layer(ws: Workspace, table: str) -> QgsVectorLayer | None:
    """A table of ``ws`` without geometry as a layer (None when it cannot be opened)."""
    if ws.spec.kind == "gpkg":
        layer = QgsVectorLayer(f"{ws.spec.path}|layername={table}", table, "ogr")
    else:
        uri = postgis_uri(ws.spec)
        uri.setDataSource(ws.spec.schema, table, "")
        layer = QgsVectorLayer(uri.uri(False), table, "postgres")
    return layer if layer.isValid() else None


def local_datetime(epoch: int, tz: str = DEFAULT_TZ) -> QDateTime:
    """A QDateTime in the office zone for epoch seconds (what the time parameters take)."""
    return QDateTime.fromSecsSinceEpoch(int(epoch), QTimeZone(tz.encode()))


def week_window(week: IsoWeek, tz: str = DEFAULT_TZ) -> tuple[QDateTime, QDateTime]:
    """START and END of the week for the patrol checks, whose END is inclusive: Monday
    00:00:00 to Sunday 23:59:59 local."""
    start, end = week.bounds(tz)
    return local_datetime(start, tz), local_datetime(end - 1, tz)


def coverage_parameters(inputs: CheckInputs, week: IsoWeek, outputs: dict[str, Any]) -> dict:
    """``citymgmt:patrolcoverage`` for ``week`` (outputs: OUTPUT, GAPS, RESP_OUTPUT …)."""
    start, end = week_window(week)
    params = {
        "GRIDS": inputs.grids,
        "GRID_CODE_FIELD": GRID_CODE,
        "ROADS": inputs.roads,
        "TRACKS": inputs.tracks,
        "COLLECTOR_FIELD": COLLECTOR,
        "TIME_FIELD": FIX_TIME,
        "START": start,
        "END": end,
    }
    if _usable(inputs.resp_units) and "RESP_OUTPUT" in outputs:
        params.update(
            RESP_GRID_TABLE=inputs.resp_units,
            RESP_UNIT_FIELD="unit_grid_code",
            RESP_CODE_FIELD="resp_grid_code",
        )
    else:
        outputs = {k: v for k, v in outputs.items() if k != "RESP_OUTPUT"}
    return {**params, **outputs}


def deviation_parameters(inputs: CheckInputs, week: IsoWeek, outputs: dict[str, Any]) -> dict:
    """``citymgmt:routedeviation`` for ``week`` (outputs: OUTPUT, OFFROUTE)."""
    start, end = week_window(week)
    return {
        "TRACKS": inputs.tracks,
        "COLLECTOR_FIELD": COLLECTOR,
        "TIME_FIELD": FIX_TIME,
        "ROUTES": inputs.routes,
        "ROUTE_COLLECTOR_FIELD": COLLECTOR,
        "START": start,
        "END": end,
        **outputs,
    }


def kpi_parameters(
    inputs: CheckInputs, start: int, end: int, outputs: dict[str, Any], tz: str = DEFAULT_TZ
) -> dict:
    """``citymgmt:reportingkpi`` for [start, end) in epoch seconds (a week or a month);
    the submission fields are the algorithm's defaults, the workspace's column names."""
    params = {
        "SUBMISSIONS": inputs.submissions,
        "START": local_datetime(start, tz),
        "END": local_datetime(end, tz),
        **outputs,
    }
    if _usable(inputs.grids):
        params.update(GRIDS=inputs.grids, GRID_CODE_FIELD=GRID_CODE)
    return params


def input_labels() -> dict[str, str]:
    """What each input is called in messages."""
    return {
        "grids": tr("Checks", "unit grids"),
        "roads": tr("Checks", "main roads"),
        "routes": tr("Checks", "patrol routes"),
        "tracks": tr("Checks", "GPS track points"),
        "submissions": tr("Checks", "submissions"),
        "resp_units": tr("Checks", "responsibility grid table"),
    }


def week_group_name(week: IsoWeek) -> str:
    """The layer-tree group a week's results go to."""
    return tr("Checks", "Weekly checks {0}").format(week)
