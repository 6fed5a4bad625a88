"""The layers a report shows, kept in one GeoPackage next to its PDFs.

The patrol report writes the week's coverage, uncovered stretches, off-route stretches,
responsibility grids with their figures and the collectors' table to
``patrol-report-<week>.gpkg``; its print layouts (and the demo project's) read them from
there, styled as the Processing outputs are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from ..i18n import tr
from ..private_files import make_private
from ..reporting.patrol_report import CollectorLine, RespLine
from .output_styles import style_output_layer

# layer in the report GeoPackage -> output style
REPORT_LAYERS = {
    "grid_coverage": "coverage_grids",
    "coverage_gaps": "coverage_gaps",
    "offroute_stretches": "offroute_stretches",
    "resp_grid_coverage": "resp_grid_coverage",
    "collectors": "report_collectors",
}

_RESP_FIELDS = [
    ("code", QVariant.String), ("name", QVariant.String), ("grids", QVariant.Int),
    ("grids_failed", QVariant.Int), ("road_m", QVariant.Double), ("covered_m", QVariant.Double),
    ("coverage", QVariant.Double), ("passed", QVariant.Bool), ("collectors", QVariant.String),
]  # fmt: skip
_COLLECTOR_FIELDS = [
    ("code", QVariant.String), ("name", QVariant.String), ("resp_code", QVariant.String),
    ("patrol_km", QVariant.Double), ("patrol_h", QVariant.Double), ("off_share", QVariant.Double),
    ("reports", QVariant.Int), ("valid", QVariant.Int),
]  # fmt: skip


def memory_layer(
    geometry: str,
    crs: QgsCoordinateReferenceSystem,
    specs: Sequence[tuple[str, Any]],
    rows: Iterable[tuple[list[Any], QgsGeometry | None]],
    name: str = "rows",
) -> QgsVectorLayer:
    """A memory layer (``geometry``: "MultiPolygon", "NoGeometry" …) holding ``rows``."""
    layer = QgsVectorLayer(f"{geometry}?crs={crs.authid()}", name, "memory")
    fields = QgsFields()
    for field_name, kind in specs:
        fields.append(QgsField(field_name, kind))
    layer.dataProvider().addAttributes(list(fields))
    layer.updateFields()
    features = []
    for attrs, geom in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(list(attrs))
        if geom is not None:
            f.setGeometry(geom)
        features.append(f)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def write_layer(layer: QgsVectorLayer, path: Path, name: str) -> None:
    """Write ``layer`` as table ``name`` of the GeoPackage ``path`` (created when absent,
    the table replaced when present)."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    if path.exists():
        options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    error, message, _path, _layer = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(path), QgsCoordinateTransformContext(), options
    )
    if error != QgsVectorFileWriter.NoError:
        raise OSError(tr("Reports", "{0} could not be written: {1}").format(name, message))
    make_private(path)


def resp_layer(
    lines: Sequence[RespLine], geometries: dict[str, QgsGeometry], crs: QgsCoordinateReferenceSystem
) -> QgsVectorLayer:
    """The responsibility grids with their week's figures (those without a geometry too)."""
    rows = [
        ([r.code, r.name, r.grids, r.grids_failed, round(r.road_m, 1), round(r.covered_m, 1),
          r.coverage, r.passed, r.collectors], geometries.get(r.code))
        for r in lines
    ]  # fmt: skip
    return memory_layer("MultiPolygon", crs, _RESP_FIELDS, rows, "resp_grid_coverage")


def collectors_layer(lines: Sequence[CollectorLine], crs: QgsCoordinateReferenceSystem):
    rows = [
        ([c.code, c.name, c.resp_code, round(c.patrol_km, 2), round(c.patrol_h, 2), c.off_share,
          c.reports, c.valid], None)
        for c in lines
    ]  # fmt: skip
    return memory_layer("NoGeometry", crs, _COLLECTOR_FIELDS, rows, "collectors")


def geometries_by_code(layer: QgsVectorLayer | None, code_field: str = "code") -> dict:
    """Feature geometries of ``layer`` by the text of ``code_field`` (multi-part)."""
    if layer is None or not layer.isValid():
        return {}
    out = {}
    for f in layer.getFeatures():
        g = QgsGeometry(f.geometry())
        g.convertToMultiType()
        out[str(f[code_field])] = g
    return out


@dataclass
class ReportLayers:
    """Layers of one report (from its GeoPackage) and of the workspace, for the layouts."""

    grid_coverage: QgsVectorLayer | None = None
    failing_grids: QgsVectorLayer | None = None  # the same table, failing grids only
    failing_resp: QgsVectorLayer | None = None  # responsibility grids failing only
    coverage_gaps: QgsVectorLayer | None = None
    offroute_stretches: QgsVectorLayer | None = None
    resp_grid_coverage: QgsVectorLayer | None = None
    collectors: QgsVectorLayer | None = None
    base: dict[str, QgsVectorLayer] = field(default_factory=dict)  # workspace layers by key

    def all(self) -> list[QgsVectorLayer]:
        found = [
            self.grid_coverage, self.failing_grids, self.failing_resp, self.coverage_gaps,
            self.offroute_stretches,
            self.resp_grid_coverage, self.collectors, *self.base.values(),
        ]  # fmt: skip
        return [layer for layer in found if layer is not None and layer.isValid()]


def layer_titles() -> dict[str, str]:
    return {
        "grid_coverage": tr("Reports", "Unit grid coverage"),
        "failing_grids": tr("Reports", "Unit grids failing the weekly rule"),
        "failing_resp": tr("Reports", "Responsibility grids failing the weekly rule"),
        "coverage_gaps": tr("Reports", "Main roads nobody patrolled"),
        "offroute_stretches": tr("Reports", "Off-route stretches"),
        "resp_grid_coverage": tr("Reports", "Responsibility grids"),
        "collectors": tr("Reports", "Collectors"),
    }


def open_report_layers(gpkg: Path) -> ReportLayers:
    """The report's layers from its GeoPackage, named in the user's language and styled."""
    titles = layer_titles()
    out = ReportLayers()
    for table, stem in REPORT_LAYERS.items():
        layer = QgsVectorLayer(f"{gpkg}|layername={table}", titles[table], "ogr")
        if layer.isValid():
            style_output_layer(layer, stem)
            setattr(out, table, layer)
    if out.collectors is not None and out.grid_coverage is not None:
        # a table has no CRS of its own; without one, an atlas page's table complains
        out.collectors.setCrs(out.grid_coverage.crs())
    for table, attr, stem in (
        ("grid_coverage", "failing_grids", "coverage_grids"),
        ("resp_grid_coverage", "failing_resp", "resp_grid_coverage"),
    ):
        failing = QgsVectorLayer(
            f'{gpkg}|layername={table}|subset="passed" = 0', titles[attr], "ogr"
        )
        if failing.isValid():
            style_output_layer(failing, stem)
            setattr(out, attr, failing)
    return out
