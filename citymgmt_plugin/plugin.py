"""QGIS entry point: wiring only. Features live in ``gui/``, logic in ``core/``."""

from __future__ import annotations

import importlib
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator
from qgis.PyQt.QtWidgets import QMenu

from .core.i18n import tr
from .core.paths import PACKAGE_DIR

# Each feature: a class with __init__(ctx), init_gui() and unload(), in the order shown.
FEATURES = [
    "citymgmt_plugin.gui.workspace_feature:WorkspaceFeature",
]

MENU_OBJECT_NAME = "citymgmtMenu"
TOOLBAR_OBJECT_NAME = "citymgmtToolbar"


def load_translator() -> QTranslator | None:
    """Install the plugin's catalogue for the user's QGIS locale (zh_CN ships)."""
    locale = (QSettings().value("locale/userLocale", "") or QLocale.system().name())[:5]
    qm = PACKAGE_DIR / "i18n" / f"citymgmt_{locale}.qm"
    if not qm.exists():
        qm = PACKAGE_DIR / "i18n" / f"citymgmt_{locale[:2]}.qm"
    translator = QTranslator()
    if qm.exists() and translator.load(str(qm)):
        QCoreApplication.installTranslator(translator)
        return translator
    return None


class CityMgmtPlugin:
    def __init__(self, iface: Any) -> None:
        self.iface = iface  # no GUI work here: qgis_process constructs plugins headless
        self.provider = None
        self.translator: QTranslator | None = None
        self.ctx = None
        self.features: list[Any] = []

    def initProcessing(self) -> None:
        from .processing_provider import create_provider

        if self.translator is None:
            self.translator = load_translator()
        self.provider = create_provider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:
        from .gui.context import PluginContext

        self.initProcessing()
        menu = QMenu(tr("Plugin", "City management"), self.iface.mainWindow().menuBar())
        menu.setObjectName(MENU_OBJECT_NAME)
        self.iface.mainWindow().menuBar().insertMenu(
            self.iface.firstRightStandardMenu().menuAction(), menu
        )
        toolbar = self.iface.addToolBar(tr("Plugin", "City management"))
        toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.ctx = PluginContext(self.iface, menu, toolbar)
        for spec in FEATURES:
            module, _, name = spec.partition(":")
            feature = getattr(importlib.import_module(module), name)(self.ctx)
            feature.init_gui()
            self.features.append(feature)

    def unload(self) -> None:
        for feature in reversed(self.features):
            feature.unload()
        self.features.clear()
        if self.ctx is not None:
            self.ctx.unload()
            self.ctx.toolbar.deleteLater()
            self.iface.mainWindow().menuBar().removeAction(self.ctx.menu.menuAction())
            self.ctx.menu.deleteLater()
            self.ctx.deleteLater()
            self.ctx = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
