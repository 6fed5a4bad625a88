"""QGIS entry point: wiring only. Features live in ``gui/``, logic in ``core/``."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator
from qgis.PyQt.QtWidgets import QMenu

from .core.i18n import tr, user_locale
from .core.paths import translation_file

# Each feature: a class with __init__(ctx), init_gui() and unload(), in the order shown.
FEATURES = [
    "citymgmt_plugin.gui.workspace_feature:WorkspaceFeature",
    "citymgmt_plugin.gui.census_feature:CensusFeature",
    "citymgmt_plugin.gui.thematic_feature:ThematicFeature",
    "citymgmt_plugin.gui.review_feature:ReviewFeature",
    "citymgmt_plugin.gui.patrol_feature:PatrolFeature",
    "citymgmt_plugin.gui.task_feature:TaskFeature",
    "citymgmt_plugin.gui.figures_feature:FiguresFeature",
    "citymgmt_plugin.gui.snapping_feature:SnappingFeature",
    "citymgmt_plugin.gui.help_feature:HelpFeature",
]

MENU_OBJECT_NAME = "citymgmtMenu"
TOOLBAR_OBJECT_NAME = "citymgmtToolbar"


def load_translator() -> QTranslator | None:
    """Install the plugin's catalogue for the user's QGIS locale (zh_CN ships)."""
    qm = translation_file(user_locale())
    translator = QTranslator()
    if qm is not None and translator.load(str(qm)):
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
        if self.provider is None:  # initGui calls it too; QGIS may have called it first
            provider = create_provider()
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider  # else: already registered (headless helper), keep it

    def initGui(self) -> None:
        from .gui.context import PluginContext

        try:
            self.initProcessing()
            menubar = self.iface.mainWindow().menuBar()
            menu = QMenu(tr("Plugin", "City management"), menubar)
            menu.setObjectName(MENU_OBJECT_NAME)
            before = self.iface.firstRightStandardMenu()  # Help; a mock in test stubs
            if isinstance(before, QMenu):
                menubar.insertMenu(before.menuAction(), menu)
            else:
                menubar.addMenu(menu)
            toolbar = self.iface.addToolBar(tr("Plugin", "City management"))
            toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
            self.ctx = PluginContext(self.iface, menu, toolbar)
            for spec in FEATURES:
                module, _, name = spec.partition(":")
                # __import__, not importlib: QGIS tracks plugin modules through its
                # __import__ hook and drops them on unload (else a reload keeps old code)
                feature = getattr(__import__(module, fromlist=[name]), name)(self.ctx)
                feature.init_gui()
                self.features.append(feature)
        except Exception:
            self.unload()  # QGIS drops a plugin whose initGui fails without calling unload
            raise

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
