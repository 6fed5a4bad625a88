"""Feature wiring: "Import GPS tracks…" and "Contract figures…" in the plugin menu."""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.paths import icon_path


class FiguresFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.tracks_action: QAction | None = None
        self.figures_action: QAction | None = None
        self.dialogs: dict[str, Any] = {}

    def init_gui(self) -> None:
        main = self.ctx.iface.mainWindow()
        self.tracks_action = QAction(
            QIcon(str(icon_path("tracks_import.svg"))), tr("Figures", "Import GPS tracks…"), main
        )
        self.tracks_action.setObjectName("citymgmtTracksAction")
        self.tracks_action.setToolTip(
            tr("Figures", "Import GPX, CSV, GeoJSON tracks and ODK audit logs into the workspace")
        )
        self.tracks_action.triggered.connect(lambda: self._show("tracks"))
        self.ctx.add_action(self.tracks_action, toolbar=False)
        self.figures_action = QAction(
            QIcon(str(icon_path("contract_figures.svg"))), tr("Figures", "Contract figures…"), main
        )
        self.figures_action.setObjectName("citymgmtFiguresAction")
        self.figures_action.setToolTip(
            tr("Figures", "Contract profile, duty roster, missed reports and the month's scores")
        )
        self.figures_action.triggered.connect(lambda: self._show("figures"))
        self.ctx.add_action(self.figures_action, toolbar=False)
        self.ctx.workspace_changed.connect(self._workspace_changed)

    def _show(self, which: str) -> None:
        ws = self.ctx.workspace
        if ws is None:
            self.ctx.iface.messageBar().pushWarning(
                tr("Figures", "City management"), tr("Figures", "Connect a workspace first.")
            )
            return
        dialog = self.dialogs.get(which)
        if dialog is None:
            main = self.ctx.iface.mainWindow()
            if which == "tracks":
                from .tracks_dialog import TracksDialog

                dialog = TracksDialog(ws, main)
            else:
                from .contract_dialog import ContractDialog

                dialog = ContractDialog(ws, main)
            self.dialogs[which] = dialog
        dialog.show()
        dialog.raise_()

    def _workspace_changed(self, ws: Any) -> None:
        for dialog in self.dialogs.values():
            dialog.close()
            dialog.deleteLater()
        self.dialogs.clear()

    def unload(self) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            self.ctx.workspace_changed.disconnect(self._workspace_changed)
        self._workspace_changed(None)
        self.tracks_action = None  # removed from the menu by ctx.unload
        self.figures_action = None
