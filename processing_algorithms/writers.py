"""Writing side of the algorithms: field lists, shapely to QGIS geometry, rows to a sink.

Creating the sink itself is :meth:`.base.CityMgmtAlgorithm.sink` (it needs the algorithm).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Union

import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.qgis.output_styles import style_output_layer

# (name, QVariant type) or (name, QVariant type, length)
FieldSpec = Union[tuple[str, Any], tuple[str, Any, int]]
# attributes, and a geometry: None, a QgsGeometry or WKB bytes
Row = tuple[Sequence[Any], Union[QgsGeometry, bytes, None]]

_CHUNK = 10_000


TEXT_WIDTH = 254  # the widest a shapefile (dBase) text field can be


def make_fields(specs: Iterable[FieldSpec]) -> QgsFields:
    """Output fields; text fields without a width get the widest a shapefile allows, so
    any writable format keeps them whole (GeoPackage and PostGIS ignore the width)."""
    fields = QgsFields()
    for name, kind, *length in specs:
        if not length and kind == QVariant.String:
            length = [TEXT_WIDTH]
        fields.append(QgsField(name, kind, len=length[0]) if length else QgsField(name, kind))
    return fields


def wkb_geometry(wkb: bytes | None, multi: bool = False) -> QgsGeometry:
    """A QgsGeometry from WKB (null for None), converted to multi-type when ``multi``."""
    g = QgsGeometry()
    if wkb is not None:
        g.fromWkb(bytes(wkb))
        if multi:
            g.convertToMultiType()
    return g


def write_features(sink: QgsFeatureSink, fields: QgsFields, rows: Iterable[Row]) -> int:
    """Add one feature per ``(attributes, geometry)`` row (fast insert, in chunks); the count.

    A row without geometry (None) gets none; WKB is converted here.
    """
    batch: list[QgsFeature] = []
    n = 0
    for attrs, geom in rows:
        f = QgsFeature(fields)
        f.setAttributes(list(attrs))
        if geom is not None:
            f.setGeometry(geom if isinstance(geom, QgsGeometry) else wkb_geometry(geom))
        batch.append(f)
        if len(batch) >= _CHUNK:
            _add(sink, batch)
            n += len(batch)
            batch = []
    if batch:
        _add(sink, batch)
        n += len(batch)
    return n


def _add(sink: QgsFeatureSink, features: list[QgsFeature]) -> None:
    """Add features; a sink that refuses them is an error, not a silently shorter output."""
    if not sink.addFeatures(features, QgsFeatureSink.FastInsert):
        from qgis.core import QgsProcessingException

        raise QgsProcessingException(sink.lastError() or "features could not be written")


def wkb_2d(geoms: Any) -> Any:
    """``shapely.to_wkb`` in two dimensions: every output layer here is 2-D."""
    return shapely.to_wkb(geoms, output_dimension=2)


def qgs_geometry(geom: shapely.Geometry | None, multi: bool = True) -> QgsGeometry:
    """A QgsGeometry (null for None / empty), converted to multi-type when ``multi``."""
    if geom is None or geom.is_empty:
        return QgsGeometry()
    g = QgsGeometry()
    g.fromWkb(wkb_2d(geom))
    if multi:
        g.convertToMultiType()
    return g


def multipolygon_wkb(geoms: Any) -> list:
    """Polygons as MultiPolygon WKB (a multi-polygon sink's type), None for null geometry."""
    geoms = np.asarray(geoms, dtype=object)
    out = [None] * len(geoms)
    idx = np.flatnonzero(~shapely.is_missing(geoms))
    if len(idx):
        g = geoms[idx].copy()
        single = shapely.get_type_id(g) == 3
        g[single] = shapely.multipolygons(g[single][:, None]) if single.any() else g[single]
        for i, w in zip(idx, wkb_2d(g)):
            out[i] = w
    return out


# -- styled outputs ----------------------------------------------------------------------


class StyledOutput(QgsProcessingLayerPostProcessorInterface):
    """Styles an output layer once Processing has loaded it into the project (shipped QML,
    legend and field titles in the user's language: core.qgis.output_styles)."""

    def __init__(self, stem: str) -> None:
        super().__init__()
        self.stem = stem

    def postProcessLayer(self, layer: Any, context: Any, feedback: Any) -> None:
        style_output_layer(layer, self.stem)


# Processing keeps only a pointer to a post-processor: the Python objects live here.
_POST_PROCESSORS: list[StyledOutput] = []


def style_on_load(context: QgsProcessingContext, styles: dict[str, str]) -> int:
    """Give each layer ``context`` will load a post-processor with the style of its output
    (``styles``: output parameter name -> style stem). Returns how many were set."""
    n = 0
    for dest, details in context.layersToLoadOnCompletion().items():
        stem = styles.get(details.outputName)
        if not stem:
            continue
        post = StyledOutput(stem)
        _POST_PROCESSORS.append(post)
        context.layerToLoadOnCompletionDetails(dest).setPostProcessor(post)
        n += 1
    return n
