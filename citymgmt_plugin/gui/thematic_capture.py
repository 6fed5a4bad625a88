"""Getting a thematic layer ready for digitising: layers to snap to, snapping, tracing, rules."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsMapCanvas, QgsMapCanvasTracer
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.qgis.thematic_layer import (
    apply_snapping,
    configure_layer,
    layer_template,
    missing_snapping_tables,
)
from ..core.thematic.templates import Template
from ..core.workspace.store import Workspace
from .snapping_index import reset_snapping_indexes
from .thematic_guard import RuleGuard, attach_guard

TRACING_ACTION = "EnableTracingAction"  # QGIS's snapping toolbar action


def enable_tracing(canvas: QgsMapCanvas, main_window: Any = None, message_bar: Any = None) -> Any:
    """Switch tracing on for ``canvas``: QGIS's own toolbar action when there is one."""
    tracer = QgsMapCanvasTracer.tracerForCanvas(canvas)
    action = tracer.actionEnableTracing() if tracer is not None else None
    if action is None and main_window is not None:
        action = main_window.findChild(QAction, TRACING_ACTION)
    if tracer is None:  # no QGIS main window (tests, standalone canvases)
        tracer = QgsMapCanvasTracer(canvas, message_bar)
        tracer.setParent(canvas)
    if action is None:
        action = QAction(tr("ThematicCapture", "Enable tracing"), canvas)
        action.setCheckable(True)
        tracer.setActionEnableTracing(action)
    action.setChecked(True)
    snapping = tracer.actionEnableSnapping()
    if snapping is not None:
        snapping.setChecked(True)
    return tracer


def add_snapping_layers(
    ws: Workspace | None, project: QgsProject, layer: QgsVectorLayer, template: Template
) -> list[QgsVectorLayer]:
    """Load the workspace tables the template snaps to when the project lacks them."""
    if ws is None:
        return []
    from ..core.qgis.layers import workspace_layer

    added = []
    for table in missing_snapping_tables(project, layer, template):
        other = workspace_layer(ws, table)
        if other.isValid():
            project.addMapLayer(other)
            added.append(other)
    return added


def prepare_capture(
    layer: QgsVectorLayer,
    canvas: QgsMapCanvas,
    template: Template | None = None,
    ws: Workspace | None = None,
    project: QgsProject | None = None,
    message_bar: Any = None,
    main_window: Any = None,
) -> RuleGuard:
    """Form, snapping, tracing (line and area templates that ask for it) and rule guard;
    then the layer is put in editing mode and made the canvas's current layer."""
    project = project or QgsProject.instance()
    template = template or layer_template(layer)
    if template is None:
        raise ValueError(tr("ThematicCapture", "{0} is not a thematic layer").format(layer.name()))
    if layer.customProperty("citymgmt/thematic_template") != template.id:
        configure_layer(layer, template)
    if project.mapLayer(layer.id()) is None:
        project.addMapLayer(layer)
    node = project.layerTreeRoot().findLayer(layer.id())
    if node is not None and not node.isVisible():  # e.g. loaded unchecked over a core table
        node.setItemVisibilityCheckedParentRecursive(True)
    add_snapping_layers(ws, project, layer, template)
    # the layer or a target may sit at a deleted layer's address and inherit its index
    reset_snapping_indexes(canvas.snappingUtils())
    apply_snapping(project, layer, template, canvas.snappingUtils())
    if template.tracing and template.geometry != "point":
        enable_tracing(canvas, main_window, message_bar)
    guard = attach_guard(layer, template, message_bar)
    if not layer.isEditable():
        layer.startEditing()
    canvas.setCurrentLayer(layer)
    return guard
