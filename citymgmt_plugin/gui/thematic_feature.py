"""Feature wiring: the Thematic layers dock, and forms and rules on thematic layers loaded
into the project by any path (workspace loader, saved project, the dock)."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.qgis.thematic_layer import TEMPLATE_PROPERTY, configure_layer, layer_template
from .shortcuts import icon
from .thematic_guard import attach_guard, detach_all


class ThematicFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.dock: Any = None
        self.action: QAction | None = None
        self._connected = False

    def init_gui(self) -> None:
        from .thematic_dock import ThematicDock

        main = self.ctx.iface.mainWindow()
        self.dock = ThematicDock(self.ctx, main)
        self.ctx.add_dock(
            self.dock,
            Qt.RightDockWidgetArea,
            toggle_action_text=tr("ThematicDock", "Thematic layers"),
            icon=icon("thematic"),
        )
        self.action = self.ctx.dock_actions[self.dock.objectName()]
        QgsProject.instance().layersAdded.connect(self._layers_added)
        self._connected = True
        self._layers_added(list(QgsProject.instance().mapLayers().values()))

    def unload(self) -> None:
        if self._connected:
            QgsProject.instance().layersAdded.disconnect(self._layers_added)
            self._connected = False
        detach_all()
        self.dock = None  # removed and deleted by ctx.unload
        self.action = None

    def _layers_added(self, layers: list[Any]) -> None:
        """Thematic layers get their template's form and rule guard however they came in."""
        for layer in layers:
            if not isinstance(layer, QgsVectorLayer):
                continue
            key = layer.customProperty("citymgmt/layer")
            if not (
                layer.customProperty(TEMPLATE_PROPERTY)
                or (isinstance(key, str) and key.startswith("thematic:"))
            ):
                continue
            template = layer_template(layer)
            if template is None and self.ctx.workspace is not None and isinstance(key, str):
                from ..core.thematic.tables import registered_template

                try:
                    template = registered_template(self.ctx.workspace, key.split(":", 1)[1])
                except Exception as exc:
                    QgsMessageLog.logMessage(str(exc), "citymgmt")
            if template is None:
                continue
            if layer.customProperty(TEMPLATE_PROPERTY) != template.id:
                configure_layer(layer, template, style=not layer.customProperty("citymgmt/style"))
            attach_guard(layer, template, self.ctx.iface.messageBar())
