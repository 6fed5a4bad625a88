"""The "User guide" entry: in the plugin's menu and in QGIS's Help → Plugins menu."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QAction, QMenu

from ..core.i18n import tr
from ..core.qgis.guide_link import guide_url
from .shortcuts import icon
from .widgets import push_message


class HelpFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.action: QAction | None = None

    def init_gui(self) -> None:
        iface = self.ctx.iface
        self.action = QAction(icon("guide"), tr("Help", "User guide"), iface.mainWindow())
        self.action.setObjectName("citymgmtGuideAction")
        self.action.setToolTip(tr("Help", "How to work with the census, review and checks"))
        self.action.triggered.connect(self.open_guide)
        self.ctx.add_action(self.action, toolbar=False)
        help_menu = getattr(iface, "pluginHelpMenu", lambda: None)()
        if isinstance(help_menu, QMenu):  # QGIS's Help → Plugins (a mock in test stubs)
            help_menu.addAction(self.action)
            self.ctx.on_unload(lambda: _remove(help_menu, self.action))

    def open_guide(self, anchor: str = "") -> str:
        """Open the guide (at ``anchor``) in the system's browser; returns its URL."""
        url = guide_url(anchor if isinstance(anchor, str) else "")
        if not url or not QDesktopServices.openUrl(QUrl(url)):
            push_message(
                self.ctx.iface.messageBar(),
                tr("Help", "User guide"),
                tr("Help", "The user guide could not be opened."),
                Qgis.Warning,
                5,
            )
        return url

    def unload(self) -> None:
        self.action = None  # removed and deleted by ctx.unload


def _remove(menu: QMenu, action: QAction) -> None:
    with contextlib.suppress(RuntimeError):
        menu.removeAction(action)
