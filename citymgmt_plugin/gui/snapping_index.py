"""Snapping indexes that outlive their layer, and how to drop them.

QGIS before 3.40.4 keys a canvas's snapping indexes (``QgsPointLocator``) by the layer's
address and never forgets a deleted layer's (qgis/QGIS#59530, fixed by PR #60562). A layer
made later at the same address inherits the dead layer's index: built from other data
(often empty) and no longer told about edits, so snapping to the new layer silently finds
nothing until QGIS restarts. Removing a layer and adding another, as users and this plugin
do all day, hits it. ``QgsSnappingUtils`` has no call to drop one index, but it drops them
all when the map's CRS changes; indexes are rebuilt lazily on the next snap.
"""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsMapSettings


def has_stale_index_bug(version: int | None = None) -> bool:
    """Whether this QGIS keeps snapping indexes of deleted layers (fixed in 3.40.4, 3.42)."""
    v = Qgis.QGIS_VERSION_INT if version is None else version
    return v < 34004 or 34100 <= v < 34200


def reset_snapping_indexes(snapping_utils: Any) -> bool:
    """Drop every snapping index of ``snapping_utils`` (a ``QgsSnappingUtils``), where this
    QGIS needs it; returns whether it did."""
    if snapping_utils is None or not has_stale_index_bug():
        return False
    settings = QgsMapSettings(snapping_utils.mapSettings())
    other = QgsMapSettings(settings)
    current = settings.destinationCrs().authid()
    other.setDestinationCrs(
        QgsCoordinateReferenceSystem("EPSG:3857" if current == "EPSG:4326" else "EPSG:4326")
    )
    snapping_utils.setMapSettings(other)  # a CRS change clears all locators
    snapping_utils.setMapSettings(settings)
    return True
