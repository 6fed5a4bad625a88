"""Feature wiring: drop the canvas's snapping indexes when the project removes layers, so
a layer added later never inherits a deleted layer's index (``core.snapping_index``)."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProject

from .snapping_index import has_stale_index_bug, reset_snapping_indexes


class SnappingFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self._connected = False

    def init_gui(self) -> None:
        if has_stale_index_bug():
            QgsProject.instance().layersRemoved.connect(self._layers_removed)
            self._connected = True

    def unload(self) -> None:
        if self._connected:
            QgsProject.instance().layersRemoved.disconnect(self._layers_removed)
            self._connected = False

    def _layers_removed(self, _layer_ids: list[str]) -> None:
        try:
            utils = self.ctx.iface.mapCanvas().snappingUtils()
        except (AttributeError, RuntimeError):  # no canvas (closing QGIS)
            return
        reset_snapping_indexes(utils)
