"""The ``citymgmt`` Processing provider."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from citymgmt_plugin.core.paths import icon_path


def algorithm_classes() -> list[type]:
    """Every algorithm the provider offers; imported lazily so the plugin starts fast.

    Plain ``from … import`` statements, not importlib: QGIS's import hook records the
    modules a plugin imports that way and drops them on unload (importlib bypasses it).
    """
    classes: list[type] = []
    # Each algorithm module appends itself here (one line each, keep sorted by id).
    from .censusimport import CensusImportAlgorithm

    classes.append(CensusImportAlgorithm)
    from .censusqa import CensusQaAlgorithm

    classes.append(CensusQaAlgorithm)
    from .censusreconcile import CensusReconcileAlgorithm

    classes.append(CensusReconcileAlgorithm)
    from .gridtopology import GridTopologyAlgorithm

    classes.append(GridTopologyAlgorithm)
    from .patrolcoverage import PatrolCoverageAlgorithm

    classes.append(PatrolCoverageAlgorithm)
    from .patrolreport import PatrolReportAlgorithm

    classes.append(PatrolReportAlgorithm)
    from .routedeviation import RouteDeviationAlgorithm

    classes.append(RouteDeviationAlgorithm)
    from .patrolyear import PatrolYearAlgorithm

    classes.append(PatrolYearAlgorithm)
    from .reportingkpi import ReportingKpiAlgorithm

    classes.append(ReportingKpiAlgorithm)
    from .createthematiclayer import CreateThematicLayerAlgorithm

    classes.append(CreateThematicLayerAlgorithm)
    from .thematicstats import ThematicStatsAlgorithm

    classes.append(ThematicStatsAlgorithm)
    from .taskstatus import TaskStatusAlgorithm

    classes.append(TaskStatusAlgorithm)
    from .assessment import AssessmentAlgorithm

    classes.append(AssessmentAlgorithm)
    return classes


def create_algorithm(alg_id: str) -> QgsProcessingAlgorithm:
    """A new, initialised instance of ``citymgmt:<id>`` (or ``<id>``), for running an
    algorithm without the registry; KeyError for an unknown id."""
    name = alg_id.split(":", 1)[1] if alg_id.startswith("citymgmt:") else alg_id
    for cls in algorithm_classes():
        if name == cls.ALG_ID:
            return cls().create()
    raise KeyError(alg_id)


class CityMgmtProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "citymgmt"

    def name(self) -> str:
        return QCoreApplication.translate("CityMgmtProvider", "City management")

    def longName(self) -> str:
        return self.name()

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("citymgmt.svg")))

    def loadAlgorithms(self) -> None:
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
