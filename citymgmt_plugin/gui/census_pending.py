"""A placement drawn on the map but not yet saved: the census editor checks it (grid, form)
and saves it, places it again, or discards it. Nothing is stored and no identifier is taken
until it is saved."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas, QgsRubberBand
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

COLOUR = QColor(255, 120, 0)

_KINDS = {
    "Point": QgsWkbTypes.PointGeometry,
    "LineString": QgsWkbTypes.LineGeometry,
    "Polygon": QgsWkbTypes.PolygonGeometry,
}


class PendingPlacement:
    """The geometry (shapely, workspace CRS) of a component about to be saved, drawn as a
    dashed orange outline (a ring for a point)."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        self.canvas = canvas
        self.geom: Any = None
        self.band: QgsRubberBand | None = None

    def __bool__(self) -> bool:
        return self.geom is not None

    def set(self, geom: Any, srid: int) -> None:
        self.clear()
        self.geom = geom
        if self.canvas is None:
            return
        band = QgsRubberBand(self.canvas, _KINDS.get(geom.geom_type, QgsWkbTypes.LineGeometry))
        band.setColor(COLOUR)
        fill = QColor(COLOUR)
        fill.setAlpha(50)
        band.setFillColor(fill)
        band.setWidth(3)
        band.setLineStyle(Qt.DashLine)
        if geom.geom_type == "Point":
            band.setIcon(QgsRubberBand.ICON_CIRCLE)
            band.setIconSize(18)
        band.setToGeometry(self._on_canvas(QgsGeometry.fromWkt(geom.wkt), srid), None)
        self.band = band

    def _on_canvas(self, geom: QgsGeometry, srid: int) -> QgsGeometry:
        dest = self.canvas.mapSettings().destinationCrs()
        src = QgsCoordinateReferenceSystem(f"EPSG:{srid}")
        if dest.isValid() and dest != src:
            geom.transform(QgsCoordinateTransform(src, dest, QgsProject.instance()))
        return geom

    def clear(self) -> None:
        self.geom = None
        if self.band is not None:
            with contextlib.suppress(RuntimeError):
                self.canvas.scene().removeItem(self.band)
            self.band = None
