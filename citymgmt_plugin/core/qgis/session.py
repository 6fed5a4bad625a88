"""The workspace connected in this QGIS session, for code that has no plugin context
(Processing algorithms give their inputs the workspace's layers as defaults).

The plugin sets it when a workspace is connected and clears it on unload; ``qgis_process``
and scripts have none, and nothing changes for them.
"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QThread

from ..workspace.connection import spec_to_string
from ..workspace.store import Workspace, WorkspaceSpec
from .layers import LAYER_DEFS, find_workspace_layer, layer_source, subset_string

SETTINGS_KEY = "citymgmt/workspace/last"  # the workspace last connected on this computer
PROJECT_SCOPE = "citymgmt"  # the project's workspace: readEntry(PROJECT_SCOPE, PROJECT_KEY)
PROJECT_KEY = "workspace"
_current: dict[str, Any] = {"workspace": None}


def remember_workspace(spec: WorkspaceSpec, project: QgsProject | None = None) -> str:
    """Save ``spec`` (no password, authcfg id only) in QgsSettings and the project."""
    value = spec_to_string(spec)
    QgsSettings().setValue(SETTINGS_KEY, value)
    (project or QgsProject.instance()).writeEntry(PROJECT_SCOPE, PROJECT_KEY, value)
    return value


def last_workspace() -> str:
    return str(QgsSettings().value(SETTINGS_KEY, "") or "")


def project_workspace(project: QgsProject | None = None) -> str:
    """The workspace saved in the project; a GeoPackage path written relative to the
    project file (a project made to be moved with its data) is made whole."""
    project = project or QgsProject.instance()
    value, ok = project.readEntry(PROJECT_SCOPE, PROJECT_KEY, "")
    if ok and value.startswith(("./", "../")):
        return project.readPath(value)
    return value if ok else ""


def known_workspaces() -> list[str]:
    """Workspaces to offer in a picker: the connected one, the project's, the last used."""
    found = [workspace_spec_text(), project_workspace(), last_workspace()]
    return list(dict.fromkeys(w for w in found if w))


def set_current_workspace(ws: Workspace | None) -> None:
    _current["workspace"] = ws


def current_workspace() -> Workspace | None:
    return _current["workspace"]


def _main_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def workspace_spec_text() -> str | None:
    """The connected workspace as it is written in a parameter (path, URL, service=…)."""
    ws = current_workspace()
    return spec_to_string(ws.spec) if ws is not None else None


def workspace_layer_default(key: str) -> str | None:
    """A default for a layer parameter: the connected workspace's layer ``key``
    (``unit_grids``, ``main_roads`` …) — its id when it is loaded in the project, else its
    source. None without a workspace (or off the main thread, where the project is not
    to be read)."""
    ws = current_workspace()
    if ws is None or key not in LAYER_DEFS or not _main_thread():
        return None
    layer = find_workspace_layer(QgsProject.instance(), key)
    if layer is not None and layer.isValid():
        return layer.id()
    d = LAYER_DEFS[key]
    source, provider = layer_source(ws, d.table, subset_string(dict(d.filters)), d.geometry_type)
    return source if provider == "ogr" else f"{provider}://{source}"
