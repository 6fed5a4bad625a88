"""Shared base class for the citymgmt Processing algorithms."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtCore import QCoreApplication


class CityMgmtAlgorithm(QgsProcessingAlgorithm):
    """Base: translation, group and instance creation shared by every algorithm.

    Subclasses set ``ALG_ID``, ``ALG_NAME`` (English source, translated through tr()),
    ``ALG_GROUP`` / ``ALG_GROUP_ID`` and ``ALG_HELP``.
    """

    ALG_ID = ""
    ALG_NAME = ""
    ALG_GROUP = "Quality checks"
    ALG_GROUP_ID = "checks"
    ALG_HELP = ""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CityMgmtAlgorithm", text)

    def name(self) -> str:
        return self.ALG_ID

    def displayName(self) -> str:
        return self.tr(self.ALG_NAME)

    def group(self) -> str:
        return self.tr(self.ALG_GROUP)

    def groupId(self) -> str:
        return self.ALG_GROUP_ID

    def shortHelpString(self) -> str:
        return self.tr(self.ALG_HELP)

    def createInstance(self) -> QgsProcessingAlgorithm:
        return type(self)()
