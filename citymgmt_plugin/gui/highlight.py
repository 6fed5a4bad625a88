"""Highlighting one workspace geometry on the map canvas (QgsHighlight)."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import QgsGeometry, QgsVectorLayer
from qgis.gui import QgsHighlight, QgsMapCanvas
from qgis.PyQt.QtGui import QColor

COLOUR = QColor(255, 0, 200)


class CanvasHighlight:
    """At most one highlighted geometry (workspace CRS ``srid``) on ``canvas`` at a time.

    QgsHighlight takes the coordinate system from a layer; a small memory layer in the
    workspace CRS, kept here and never added to the project, stands for it.
    """

    def __init__(self, canvas: QgsMapCanvas) -> None:
        self.canvas = canvas
        self.item: QgsHighlight | None = None
        self._crs_layers: dict[int, QgsVectorLayer] = {}

    def _crs_layer(self, srid: int) -> QgsVectorLayer:
        if srid not in self._crs_layers:
            self._crs_layers[srid] = QgsVectorLayer(f"Point?crs=EPSG:{srid}", "crs", "memory")
        return self._crs_layers[srid]

    def show(self, geom: Any, srid: int) -> QgsHighlight | None:
        """Highlight the shapely geometry ``geom`` (in EPSG:``srid``); None clears."""
        self.clear()
        if geom is None or self.canvas is None:
            return None
        item = QgsHighlight(self.canvas, QgsGeometry.fromWkt(geom.wkt), self._crs_layer(srid))
        item.setColor(COLOUR)
        fill = QColor(COLOUR)
        fill.setAlpha(60)
        item.setFillColor(fill)
        item.setWidth(4)
        item.setBuffer(1.2)  # mm around the outline, so a point shows as a ring
        item.show()
        self.item = item
        return item

    def clear(self) -> None:
        if self.item is not None:
            with contextlib.suppress(RuntimeError):  # the canvas went first
                self.canvas.scene().removeItem(self.item)
            self.item = None
