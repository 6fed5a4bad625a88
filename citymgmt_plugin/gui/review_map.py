"""The review dock on the map: the selected submission (a red cross) and its candidate
components (blue rings), zooming to them, and a map tool that selects a submission by a
click near it."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.gui import QgsRubberBand, QgsVertexMarker
from qgis.PyQt.QtGui import QColor

from ..core.submissions import review
from .census_maptools import PickTool

MARGIN_M = 60  # around the submission and its candidates when zooming


class SubmissionPickTool(PickTool):
    """Click near a submission to select it in the queue (workspace CRS, a few pixels)."""

    RADIUS_PX = 10


class ReviewMap:
    """What the review dock draws on ``canvas`` (None: no map, e.g. a test stub)."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.markers: list[Any] = []
        self.tool: SubmissionPickTool | None = None

    def transform(self, srid: int) -> QgsCoordinateTransform:
        """Workspace CRS to the canvas CRS."""
        src = QgsCoordinateReferenceSystem(f"EPSG:{srid}")
        dst = self.canvas.mapSettings().destinationCrs()
        return QgsCoordinateTransform(src, dst if dst.isValid() else src, QgsProject.instance())

    def zoom_to(self, it: review.QueueItem, matches: list[review.Match], srid: int) -> None:
        if self.canvas is None or it is None or it.x is None:
            return
        xs = [it.x] + [m.x for m in matches]
        ys = [it.y] + [m.y for m in matches]
        rect = QgsRectangle(
            min(xs) - MARGIN_M, min(ys) - MARGIN_M, max(xs) + MARGIN_M, max(ys) + MARGIN_M
        )
        self.canvas.setExtent(self.transform(srid).transformBoundingBox(rect))
        self.canvas.refresh()

    def clear(self) -> None:
        for m in self.markers:
            if self.canvas is not None:
                with contextlib.suppress(RuntimeError):
                    self.canvas.scene().removeItem(m)
        self.markers = []

    def draw(
        self,
        it: review.QueueItem | None,
        matches: list[review.Match],
        chosen: review.Match | None,
        srid: int,
    ) -> None:
        """The submission ``it`` and its candidates, ``chosen`` bolder."""
        self.clear()
        if self.canvas is None or it is None or it.x is None:
            return
        tf = self.transform(srid)
        for m in matches:
            selected = chosen is not None and m.component_id == chosen.component_id
            self.markers.append(self._ring(tf.transform(QgsPointXY(m.x, m.y)), selected))
        marker = QgsVertexMarker(self.canvas)
        marker.setCenter(tf.transform(QgsPointXY(it.x, it.y)))
        marker.setIconType(QgsVertexMarker.ICON_X)
        marker.setColor(QColor(220, 30, 30))
        marker.setIconSize(18)
        marker.setPenWidth(3)
        self.markers.append(marker)

    def _ring(self, centre: QgsPointXY, selected: bool) -> QgsRubberBand:
        band = QgsRubberBand(self.canvas, QgsWkbTypes.PolygonGeometry)
        circle = QgsGeometry.fromPointXY(centre).buffer(self.canvas.mapUnitsPerPixel() * 9, 12)
        band.setToGeometry(circle, None)
        band.setColor(QColor(0, 120, 255, 200 if selected else 110))
        band.setFillColor(QColor(0, 120, 255, 70 if selected else 25))
        band.setWidth(3 if selected else 1)
        return band

    # -- selecting on the map ------------------------------------------------------------
    def select_tool(self, srid: int, picked: Any, ended: Any) -> SubmissionPickTool | None:
        """The map tool (made once); ``picked(x, y, radius_m)`` gets each click, ``ended()``
        is called when another map tool takes over."""
        if self.canvas is None:
            return None
        if self.tool is None:
            self.tool = SubmissionPickTool(self.canvas, srid)
            self.tool.picked.connect(picked)
            self.tool.deactivated.connect(ended)
        self.tool.set_srid(srid)
        return self.tool

    def tool_active(self) -> bool:
        return self.tool is not None and self.canvas.mapTool() is self.tool

    def release_tool(self) -> None:
        if self.tool is not None and self.canvas is not None:
            with contextlib.suppress(RuntimeError):
                if self.canvas.mapTool() is self.tool:
                    self.canvas.unsetMapTool(self.tool)
