"""Where the map canvas looks: the workspace's district, in the project CRS."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QTimer

MARGIN = 0.05  # of the district's larger side, around it


def zoom_canvas(
    canvas: Any,
    extent: QgsRectangle,
    crs: QgsCoordinateReferenceSystem,
    project: QgsProject | None = None,
) -> bool:
    """Show ``extent`` (in ``crs``) on ``canvas``, in the project's CRS; False when empty.

    QGIS makes its canvas follow the project CRS; a bare canvas (tests, other windows) is
    set to it here, so both look the same.
    """
    if canvas is None or extent.isNull() or extent.isEmpty():
        return False
    project = project or QgsProject.instance()
    dest = project.crs() if project.crs().isValid() else crs
    if canvas.mapSettings().destinationCrs() != dest:
        canvas.setDestinationCrs(dest)
    if dest != crs:
        extent = QgsCoordinateTransform(crs, dest, project).transformBoundingBox(extent)
    canvas.setExtent(extent.buffered(MARGIN * max(extent.width(), extent.height())))
    canvas.refresh()
    return True


def zoom_canvas_after_layers(
    canvas: Any,
    extent: QgsRectangle,
    crs: QgsCoordinateReferenceSystem,
    project: QgsProject | None = None,
) -> bool:
    """:func:`zoom_canvas` now, and again once the event loop turns.

    When the first layers of a project arrive, QGIS's layer-tree bridge zooms the canvas to
    their full extent a moment later (one stray submission far away makes that the whole
    province); the second zoom comes after it.
    """
    if not zoom_canvas(canvas, extent, crs, project):
        return False

    def again() -> None:
        with contextlib.suppress(RuntimeError):  # the canvas went away meanwhile
            zoom_canvas(canvas, extent, crs, project)

    QTimer.singleShot(0, again)
    return True
