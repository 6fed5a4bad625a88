"""Menu entries for the weekly patrol work: the weekly checks and the patrol reports."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ..core.i18n import tr
from ..core.paths import icon_path
from ..core.reporting.weeks import last_full_week
from ..core.workspace.connection import spec_to_string
from .weekly_checks import WeeklyChecksDialog


class PatrolFeature:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx  # no GUI work here
        self.checks_action: QAction | None = None
        self.reports_action: QAction | None = None
        self.dialog: WeeklyChecksDialog | None = None
        self.reports_dialog: Any = None

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
        self.reports_action = QAction(
            QIcon(str(icon_path("patrol_report.svg"))),
            tr("WeeklyChecks", "Patrol reports…"),
            self.ctx.iface.mainWindow(),
        )
        self.reports_action.setObjectName("citymgmtPatrolReportsAction")
        self.reports_action.setToolTip(
            tr("WeeklyChecks", "Weekly patrol report, monthly KPI report and atlas as PDF")
        )
        self.reports_action.triggered.connect(self.show_reports)
        self.ctx.add_action(self.reports_action, toolbar=False)

    def unload(self) -> None:
        if self.dialog is not None:
            self.dialog.cancel()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self.reports_dialog is not None:
            self.reports_dialog.close()
            self.reports_dialog.deleteLater()
            self.reports_dialog = None
        self.checks_action = None  # removed and deleted by ctx.unload
        self.reports_action = None

    def show_checks(self) -> WeeklyChecksDialog:
        if self.dialog is None:
            self.dialog = WeeklyChecksDialog(self.ctx, self.ctx.iface.mainWindow())
        else:
            self.dialog.prefill()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def show_reports(self) -> Any:
        """The Processing dialog of ``citymgmt:patrolreport``, filled with the open
        workspace and the last full week (the toolbox's own dialog: log, progress, the
        output folder, and the same run as the command line's)."""
        import processing

        params = {"WEEK": str(last_full_week())}
        ws = self.ctx.workspace
        if ws is not None:
            params["WORKSPACE"] = spec_to_string(ws.spec)
        if self.reports_dialog is not None:
            self.reports_dialog.close()
            self.reports_dialog.deleteLater()
        self.reports_dialog = processing.createAlgorithmDialog("citymgmt:patrolreport", params)
        if self.reports_dialog is not None:
            self.reports_dialog.show()
        return self.reports_dialog
