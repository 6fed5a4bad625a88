"""``citymgmt:censusimport``: a census batch file (CSV in UTF-8 or GBK, Excel, GeoPackage,
Shapefile, GeoJSON) read as the census import reads it, reconciled and applied when asked."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from .censusreconcile import CensusReconcileAlgorithm


class CensusImportAlgorithm(CensusReconcileAlgorithm):
    ALG_ID = "censusimport"
    ALG_NAME = "Census import (batch file)"
    ALG_GROUP = "Census"
    ALG_GROUP_ID = "census"
    ALG_HELP = (
        "Imports a census batch file as python -m citymgmt_plugin census import does: the "
        "file is read as it comes (CSV in UTF-8, UTF-8 with a byte-order mark or GBK/GB18030; "
        "Excel; GeoPackage, Shapefile or GeoJSON), with dates as older platforms and "
        "spreadsheets print them, positions from x and y or a WKT column (empty markers "
        "such as POINT EMPTY, NULL or 0 0 refused as no position), identifiers a spreadsheet "
        "turned into numbers refused; then reconciled with the workspace as Census "
        "reconciliation (batch layer) does, with the same parameters and outputs."
    )

    FILE = "FILE"
    LAYER = "LAYER"

    def add_input(self) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.FILE,
                self.tr("Census batch file"),
                QgsProcessingParameterFile.File,
                fileFilter=self.tr(
                    "Survey data (*.csv *.txt *.xlsx *.gpkg *.shp *.geojson *.json)"
                ),
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.LAYER, self.tr("Layer or sheet (default: the first)"), optional=True
            )
        )

    def read_input(
        self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any
    ) -> Any:
        from citymgmt_plugin.core.census.batch_read import read_source

        path = self.parameterAsFile(parameters, self.FILE, context)
        if not path:
            raise QgsProcessingException(self.tr("Give the census batch file."))
        layer = self.parameterAsString(parameters, self.LAYER, context).strip() or None
        feedback.pushInfo(self.tr("Reading {0}…").format(path))
        return read_source(path, layer)
