"""citymgmt:thematicstats — per unit or responsibility grid: count, length or area of a
thematic layer's features by category."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from citymgmt_plugin.core.qgis.thematic_layer import layer_template
from citymgmt_plugin.core.thematic.stats import StatRow, grid_stats
from citymgmt_plugin.core.thematic.templates import Template

from .base import CityMgmtAlgorithm
from .params import field, sink, source
from .readers import categorised_geometries, coded_geometries, geometry_kind
from .writers import make_fields, write_features


class ThematicStatsAlgorithm(CityMgmtAlgorithm):
    ALG_ID = "thematicstats"
    ALG_NAME = "Thematic layer statistics per grid"
    ALG_GROUP = "Thematic layers"
    ALG_GROUP_ID = "thematic"
    ALG_HELP = (
        "For each unit or responsibility grid: how many features of a thematic layer it holds "
        "by category, and their length (lines) or area (polygons) inside the grid. Points "
        "count in the grid that holds them; lines and areas are cut by the grid boundaries. "
        "Measures are in the grid layer's coordinate system (use a projected one such as "
        "EPSG:4549). Without a category field, a thematic layer made from a template is "
        "counted by the template's category field."
    )

    # GRIDS, GRID_CODE_FIELD, OUTPUT: see CityMgmtAlgorithm
    THEMATIC = "THEMATIC"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    OUTPUT_STYLES = {"OUTPUT": "thematic_stats"}
    WORKSPACE_LAYERS = {"GRIDS": "unit_grids"}
    WORKSPACE_FIELDS = {"GRID_CODE_FIELD": "code"}

    def initAlgorithm(self, config: Any = None) -> None:
        self.addParameter(
            source(self.THEMATIC, self.tr("Thematic layer"), [QgsProcessing.TypeVectorAnyGeometry])
        )
        self.addParameter(
            field(self.CATEGORY_FIELD, self.tr("Category field"), self.THEMATIC, optional=True)
        )
        self.add_grid_parameters(label=self.tr("Unit or responsibility grids"), code_optional=False)
        self.addParameter(
            sink(self.OUTPUT, self.tr("Statistics per grid"), QgsProcessing.TypeVector)
        )

    def processAlgorithm(self, parameters: Any, context: Any, feedback: Any) -> dict:
        source = self.parameterAsSource(parameters, self.THEMATIC, context)
        grids = self.parameterAsSource(parameters, self.GRIDS, context)
        if source is None or grids is None:
            raise QgsProcessingException(self.tr("Give a thematic layer and the grids."))
        layer = self.parameterAsVectorLayer(parameters, self.THEMATIC, context)
        template = layer_template(layer) if layer is not None else None
        category, cat_idx = self._category(parameters, context, source, template)
        code_idx = self._code_index(parameters, context, grids)
        if grids.sourceCrs().isGeographic():
            feedback.reportError(
                self.tr("The grids' CRS is geographic: lengths and areas are in degrees.")
            )
        codes, cells = coded_geometries(grids, code_idx)
        features = categorised_geometries(source, cat_idx, grids.sourceCrs(), context, feedback)
        if features is None:
            return self.cancelled(feedback)
        geoms, cats = features
        rows = grid_stats(geoms, cats, cells, codes, kind=geometry_kind(source))
        dest = self._write(parameters, context, grids, rows, _labeller(template, category))
        feedback.pushInfo(
            self.tr("{0} rows for {1} features in {2} grids").format(
                len(rows), len(geoms), len(cells)
            )
        )
        return {self.OUTPUT: dest}

    def _category(
        self, parameters: Any, context: Any, source: Any, template: Template | None
    ) -> tuple[str, int]:
        """The category field (the template's when none is given) and its index (-1: none)."""
        category = self.parameterAsString(parameters, self.CATEGORY_FIELD, context)
        if not category and template is not None:
            category = template.category_field
        cat_idx = source.fields().lookupField(category) if category else -1
        if category and cat_idx < 0:
            raise QgsProcessingException(
                self.tr("No field {0} in the thematic layer").format(category)
            )
        return category, cat_idx

    def _code_index(self, parameters: Any, context: Any, grids: Any) -> int:
        code_field = self.parameterAsString(parameters, self.GRID_CODE_FIELD, context)
        code_idx = grids.fields().lookupField(code_field)
        if code_idx < 0:
            raise QgsProcessingException(self.tr("No field {0} in the grids").format(code_field))
        return code_idx

    def _write(
        self,
        parameters: Any,
        context: Any,
        grids: Any,
        rows: list[StatRow],
        label: Callable[[str], str],
    ) -> str:
        fields = make_fields(
            [("grid_code", QVariant.String), ("category", QVariant.String),
             ("category_label", QVariant.String), ("count", QVariant.Int),
             ("length_m", QVariant.Double), ("area_m2", QVariant.Double)]
        )  # fmt: skip
        sink, dest = self.sink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry, grids.sourceCrs()
        )
        write_features(
            sink,
            fields,
            (
                ([row.grid_code, row.category, label(row.category), row.count,
                  round(row.length_m, 3), round(row.area_m2, 3)], None)
                for row in rows
            ),
        )  # fmt: skip
        return dest


def _labeller(template: Template | None, category: str) -> Callable[[str], str]:
    """The label of a category value: the template's domain label when the layer has a
    template with that field, else the value itself."""
    spec = None
    if template is not None and category:
        try:
            spec = template.field(category)
        except KeyError:
            spec = None
    if spec is None:
        return lambda value: value
    return spec.domain_label
