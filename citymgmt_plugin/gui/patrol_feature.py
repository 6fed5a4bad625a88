"""Menu entries for the weekly patrol work: the weekly checks and the patrol reports."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.paths import icon_path
from .weekly_checks import WeeklyChecksDialog


class PatrolFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.checks_action: QAction | None = None
        self.dialog: WeeklyChecksDialog | None = None

    def init_gui(self) -> None:
        self.checks_action = QAction(
            QIcon(str(icon_path("weekly_checks.svg"))),
            tr("WeeklyChecks", "Weekly checks…"),
            self.ctx.iface.mainWindow(),
        )
        self.checks_action.setObjectName("citymgmtWeeklyChecksAction")
        self.checks_action.setToolTip(
            tr("WeeklyChecks", "Run patrol coverage, route deviation and KPIs for one week")
        )
        self.checks_action.triggered.connect(self.show_checks)
        self.ctx.add_action(self.checks_action, toolbar=False)

    def unload(self) -> None:
        if self.dialog is not None:
            self.dialog.cancel()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.checks_action = None  # removed and deleted by ctx.unload

    def show_checks(self) -> WeeklyChecksDialog:
        if self.dialog is None:
            self.dialog = WeeklyChecksDialog(self.ctx, self.ctx.iface.mainWindow())
        else:
            self.dialog.prefill()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog
