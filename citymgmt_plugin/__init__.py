"""citymgmt: a QGIS plugin for digital city management (数字城管) offices."""

from __future__ import annotations

from .metadata import __version__

__all__ = ["__version__", "classFactory"]


def classFactory(iface):
    """QGIS calls this to create the plugin; nothing is drawn until initGui()."""
    from .dependencies import (
        DependencyError,
        UnavailablePlugin,
        ensure_dependencies,
        log,
        plugin_catalogue,
    )
    from .geos_check import failure_message, self_check

    try:
        ensure_dependencies()  # bundled wheels, when QGIS's Python lacks a requirement
    except DependencyError as exc:  # says which packages to install, without a traceback
        return UnavailablePlugin(iface, str(exc))
    report = self_check()  # shapely against the GEOS this process already loaded
    if not report.ok:
        with plugin_catalogue():
            message = failure_message(report)
        log(message, "Critical")
        return UnavailablePlugin(iface, message)
    from .plugin import CityMgmtPlugin

    return CityMgmtPlugin(iface)
