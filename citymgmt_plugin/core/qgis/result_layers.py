"""Processing results into a project group, styled as the Processing dialog would style them.

QGIS's own loader (``processing.gui.Postprocessing``) puts results at the top of the layer
tree; the weekly checks want them in one group per week. :func:`load_results` does the same
steps (layer from the context, its output name, into the project, then its post-processor,
which styles it) into a given group.
"""

from __future__ import annotations

from qgis.core import (
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsProject,
)

RESULT_GROUP_PROPERTY = "citymgmt/results"


def replace_group(project: QgsProject, name: str) -> QgsLayerTreeGroup:
    """A fresh group ``name`` at the top of the layer tree; one of that name made earlier
    (the same week run again) goes, with its layers."""
    root = project.layerTreeRoot()
    for child in list(root.children()):
        if isinstance(child, QgsLayerTreeGroup) and child.name() == name:
            ids = [node.layerId() for node in child.findLayers()]
            root.removeChildNode(child)
            project.removeMapLayers([i for i in ids if project.mapLayer(i) is not None])
    group = root.insertGroup(0, name)
    group.setCustomProperty(RESULT_GROUP_PROPERTY, name)
    return group


def load_results(
    context: QgsProcessingContext,
    project: QgsProject,
    group: QgsLayerTreeGroup,
    feedback: QgsProcessingFeedback | None = None,
) -> list[QgsMapLayer]:
    """Add the layers ``context`` was to load on completion to ``group`` of ``project``,
    each named as its output and passed to its post-processor. Returns them in order."""
    feedback = feedback or QgsProcessingFeedback()
    loaded = []
    for dest, details in context.layersToLoadOnCompletion().items():
        layer = QgsProcessingUtils.mapLayerFromString(dest, context, typeHint=details.layerTypeHint)
        if layer is None:
            continue
        details.setOutputLayerName(layer)
        layer = context.temporaryLayerStore().takeMapLayer(layer) or layer
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        post = details.postProcessor()
        if post is not None:
            post.postProcessLayer(layer, context, feedback)
        loaded.append(layer)
    context.setLayersToLoadOnCompletion({})
    return loaded
