"""One-line builders for the Processing parameters the algorithms declare.

Each returns the same parameter object the long constructor call would; only what differs
from QGIS's defaults is given. Labels are passed in already translated (``self.tr("…")`` at
the call site, so the string extractor finds them).
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)

# Geometry kinds, for CityMgmtAlgorithm.source()
POINT = QgsWkbTypes.PointGeometry
LINE = QgsWkbTypes.LineGeometry
POLYGON = QgsWkbTypes.PolygonGeometry


def source(
    name: str, label: str, types: list[int], optional: bool = False
) -> QgsProcessingParameterFeatureSource:
    return QgsProcessingParameterFeatureSource(name, label, types, optional=optional)


def field(
    name: str, label: str, parent: str, default: str | None = None, optional: bool = False
) -> QgsProcessingParameterField:
    """A field of the layer parameter ``parent``.

    QGIS 3.22 refuses a run that omits a required field parameter even when it has a default
    (``processing.run``, ``qgis_process``): fields with a usual name are declared optional
    and read with :func:`.io.field_name`, which falls back to that name.
    """
    return QgsProcessingParameterField(
        name, label, defaultValue=default, parentLayerParameterName=parent, optional=optional
    )


def number(
    name: str,
    label: str,
    default: float | None,
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    integer: bool = False,
    advanced: bool = False,
    optional: bool = False,
) -> QgsProcessingParameterNumber:
    kind = QgsProcessingParameterNumber.Integer if integer else QgsProcessingParameterNumber.Double
    p = QgsProcessingParameterNumber(name, label, kind, defaultValue=default, optional=optional)
    if minimum is not None:
        p.setMinimum(minimum)
    if maximum is not None:
        p.setMaximum(maximum)
    return advanced_parameter(p) if advanced else p


def sink(
    name: str, label: str, kind: int, optional: bool = False, create_by_default: bool = True
) -> QgsProcessingParameterFeatureSink:
    return QgsProcessingParameterFeatureSink(
        name, label, kind, optional=optional, createByDefault=create_by_default
    )


def advanced_parameter(p: Any) -> Any:
    """``p`` shown under "Advanced parameters" in the dialog."""
    p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
    return p
