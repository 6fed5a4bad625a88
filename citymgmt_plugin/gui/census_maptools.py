"""Census map tools: place (point/line/polygon, snapping), move, pick. Thin: they collect
geometry in the workspace CRS and hand it to the census dock, which calls core."""

from __future__ import annotations

from typing import Any

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent, QgsMapTool, QgsRubberBand, QgsVertexMarker
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor


class _CensusTool(QgsMapTool):
    """Shared: snapped map point in the workspace CRS, a vertex marker for the snap."""

    def __init__(self, canvas: QgsMapCanvas, srid: int) -> None:
        super().__init__(canvas)
        self.srid = srid
        self.setCursor(Qt.CrossCursor)
        self._marker: QgsVertexMarker | None = None

    def set_srid(self, srid: int) -> None:
        self.srid = srid

    def _to_ws(self) -> QgsCoordinateTransform:
        return QgsCoordinateTransform(
            self.canvas().mapSettings().destinationCrs(),
            QgsCoordinateReferenceSystem(f"EPSG:{self.srid}"),
            QgsProject.instance(),
        )

    def snapped(self, e: QgsMapMouseEvent) -> tuple[QgsPointXY, bool]:
        """Map point under the mouse, snapped to features when the project snaps."""
        match = self.canvas().snappingUtils().snapToMap(e.pos())
        if match.isValid():
            return QgsPointXY(match.point()), True
        return self.toMapCoordinates(e.pos()), False

    def ws_xy(self, p: QgsPointXY) -> tuple[float, float]:
        q = self._to_ws().transform(p)
        return q.x(), q.y()

    def canvasMoveEvent(self, e: QgsMapMouseEvent) -> None:
        p, snapped = self.snapped(e)
        if snapped:
            if self._marker is None:
                self._marker = QgsVertexMarker(self.canvas())
                self._marker.setIconType(QgsVertexMarker.ICON_BOX)
                self._marker.setColor(QColor(255, 0, 255))
                self._marker.setPenWidth(2)
            self._marker.setCenter(p)
            self._marker.show()
        elif self._marker is not None:
            self._marker.hide()
        self.on_move(p)

    def on_move(self, p: QgsPointXY) -> None:
        pass

    def _drop_marker(self) -> None:
        if self._marker is not None:
            self.canvas().scene().removeItem(self._marker)
            self._marker = None

    def deactivate(self) -> None:
        self._drop_marker()
        super().deactivate()


class PlaceTool(_CensusTool):
    """Click a point; or click the vertices of a line/polygon and right-click (or Enter) to
    finish. Backspace drops the last vertex, Esc cancels. Emits the shapely geometry.

    With no line or polygon in progress, Enter asks to save the placement (``confirmed``)
    and Esc to discard it (``discarded``)."""

    geometry_done = pyqtSignal(object)
    confirmed = pyqtSignal()
    discarded = pyqtSignal()

    def __init__(self, canvas: QgsMapCanvas, srid: int, kind: str = "point") -> None:
        super().__init__(canvas, srid)
        self.kind = kind
        self.vertices: list[QgsPointXY] = []  # canvas CRS
        self._band: QgsRubberBand | None = None

    def set_kind(self, kind: str) -> None:
        self.reset()
        self.kind = kind

    def _rubber(self) -> QgsRubberBand:
        if self._band is None:
            gtype = (
                QgsWkbTypes.PolygonGeometry if self.kind == "polygon" else QgsWkbTypes.LineGeometry
            )
            self._band = QgsRubberBand(self.canvas(), gtype)
            self._band.setColor(QColor(255, 60, 0, 160))
            self._band.setFillColor(QColor(255, 60, 0, 50))
            self._band.setWidth(2)
        return self._band

    def reset(self) -> None:
        self.vertices = []
        if self._band is not None:
            self.canvas().scene().removeItem(self._band)
            self._band = None

    def _redraw(self, floating: QgsPointXY | None = None) -> None:
        if self.kind == "point":
            return
        pts = self.vertices + ([floating] if floating is not None else [])
        band = self._rubber()
        if self.kind == "polygon":
            band.setToGeometry(QgsGeometry.fromPolygonXY([pts]), None)
        else:
            band.setToGeometry(QgsGeometry.fromPolylineXY(pts), None)

    def on_move(self, p: QgsPointXY) -> None:
        if self.vertices:
            self._redraw(p)

    def canvasReleaseEvent(self, e: QgsMapMouseEvent) -> None:
        if e.button() == Qt.RightButton:
            self.finish()
            return
        if e.button() != Qt.LeftButton:
            return
        p, _ = self.snapped(e)
        if self.kind == "point":
            x, y = self.ws_xy(p)
            self.geometry_done.emit(shapely.Point(x, y))
            return
        self.vertices.append(p)
        self._redraw()

    def keyPressEvent(self, e: Any) -> None:
        drawing = bool(self.vertices)
        if e.key() in (Qt.Key_Return, Qt.Key_Enter):
            if drawing:
                self.finish()
            else:
                self.confirmed.emit()
        elif e.key() == Qt.Key_Escape:
            if drawing:
                self.reset()
            else:
                self.discarded.emit()
        elif e.key() == Qt.Key_Backspace and drawing:
            self.vertices.pop()
            self._redraw()
        else:
            e.ignore()
            return
        e.accept()

    def finish(self) -> None:
        need = 3 if self.kind == "polygon" else 2
        if self.kind == "point" or len(self.vertices) < need:
            self.reset()
            return
        coords = [self.ws_xy(v) for v in self.vertices]
        geom = shapely.Polygon(coords) if self.kind == "polygon" else shapely.LineString(coords)
        self.reset()
        self.geometry_done.emit(geom)

    def deactivate(self) -> None:
        self.reset()
        super().deactivate()


class PickTool(_CensusTool):
    """Click near a component: emits the workspace-CRS point and a search radius (m)."""

    picked = pyqtSignal(float, float, float)
    RADIUS_PX = 8

    def radius_m(self) -> float:
        return max(self.canvas().mapUnitsPerPixel() * self.RADIUS_PX, 0.5)

    def canvasReleaseEvent(self, e: QgsMapMouseEvent) -> None:
        if e.button() != Qt.LeftButton:
            return
        p = self.toMapCoordinates(e.pos())
        x, y = self.ws_xy(p)
        self.picked.emit(x, y, self.radius_m())


class MoveTool(PickTool):
    """First click picks a component (``picked``), the second click gives its new place:
    ``moved(dx, dy, x, y)`` in workspace metres, snapped to features."""

    moved = pyqtSignal(float, float, float, float)

    def __init__(self, canvas: QgsMapCanvas, srid: int) -> None:
        super().__init__(canvas, srid)
        self.origin: tuple[float, float] | None = None

    def has_pick(self) -> bool:
        return self.origin is not None

    def canvasReleaseEvent(self, e: QgsMapMouseEvent) -> None:
        if e.button() == Qt.RightButton:
            self.origin = None
            return
        if e.button() != Qt.LeftButton:
            return
        if self.origin is None:
            p = self.toMapCoordinates(e.pos())
            x, y = self.ws_xy(p)
            self.origin = (x, y)
            self.picked.emit(x, y, self.radius_m())
            return
        p, _ = self.snapped(e)
        x, y = self.ws_xy(p)
        ox, oy = self.origin
        self.origin = None
        self.moved.emit(x - ox, y - oy, x, y)

    def cancel_pick(self) -> None:
        self.origin = None
