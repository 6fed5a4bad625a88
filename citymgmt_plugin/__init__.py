"""citymgmt: a QGIS plugin for digital city management (数字城管) offices."""

from __future__ import annotations

from .metadata import __version__

__all__ = ["__version__", "classFactory"]


def classFactory(iface):
    """QGIS calls this to create the plugin; nothing is drawn until initGui()."""
    from .dependencies import ensure_dependencies

    ensure_dependencies()
    from .plugin import CityMgmtPlugin

    return CityMgmtPlugin(iface)
