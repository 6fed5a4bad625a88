"""A component's versions; the selected version is drawn on the map with a rubber band."""

from __future__ import annotations

import json
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas, QgsRubberBand
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import census
from ..core.i18n import tr
from ..core.labels import class_label, describe_changes, history_operation_label
from ..core.workspace.store import Workspace


class HistoryDialog(QDialog):
    COLUMNS = ("version", "operation", "changed_by", "changed_at", "reason", "changes")

    def __init__(
        self, ws: Workspace, component_id: int, canvas: QgsMapCanvas, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citymgmtCensusHistory")
        self.ws = ws
        self.canvas = canvas
        self.band: QgsRubberBand | None = None
        with ws.engine.connect() as c:
            self.versions = census.component_history(c, ws, component_id)
            rec = census.get_component(c, ws, component_id)
            info = census.class_table(c, ws, rec["scheme"]).get(rec["class_code"])
        self.setWindowTitle(
            tr("Census", "History of {0} ({1})").format(
                rec["identifier"], class_label(rec["class_code"], info.name if info else None)
            )
        )
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Census", "Select a version to show it on the map."), self))
        self.table = QTableWidget(len(self.versions), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(
            [
                tr("Census", "Version"),
                tr("Census", "Operation"),
                tr("Census", "By"),
                tr("Census", "When"),
                tr("Census", "Why"),
                tr("Census", "What changed"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        zone = ws.setting("timezone", "Asia/Shanghai")
        from zoneinfo import ZoneInfo

        for r, v in enumerate(self.versions):
            changes = v.get("changes") or {}
            if isinstance(changes, str):
                changes = json.loads(changes)
            cells = [
                str(v["version"]),
                history_operation_label(v["operation"]),
                v["changed_by"],
                v["changed_at"].astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M"),
                v.get("reason") or "",
                describe_changes(changes),
            ]
            for col, val in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(val))
        self.table.resizeColumnsToContents()
        self.table.itemSelectionChanged.connect(self._selected)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.button(QDialogButtonBox.Close).setText(tr("Census", "Close"))
        buttons.rejected.connect(self.close)
        lay.addWidget(buttons)
        self.resize(720, 320)

    def _selected(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            self.show_version(min(rows))

    def show_version(self, row: int) -> QgsRubberBand | None:
        """Draw version ``row`` (0-based) on the canvas; returns the rubber band."""
        geom = self.versions[row]["geom"]
        self.clear_band()
        if geom is None:
            return None
        g = QgsGeometry.fromWkt(geom.wkt)
        xf = QgsCoordinateTransform(
            QgsCoordinateReferenceSystem(f"EPSG:{self.ws.srid}"),
            self.canvas.mapSettings().destinationCrs(),
            QgsProject.instance(),
        )
        g.transform(xf)
        kind = {
            "Point": QgsWkbTypes.PointGeometry,
            "LineString": QgsWkbTypes.LineGeometry,
        }.get(geom.geom_type, QgsWkbTypes.PolygonGeometry)
        self.band = QgsRubberBand(self.canvas, kind)
        self.band.setColor(QColor(0, 120, 255, 200))
        self.band.setFillColor(QColor(0, 120, 255, 60))
        self.band.setWidth(3)
        self.band.setIconSize(14)
        self.band.setToGeometry(g, None)
        self.band.show()
        self.canvas.refresh()
        return self.band

    def clear_band(self) -> None:
        if self.band is not None:
            self.canvas.scene().removeItem(self.band)
            self.band = None

    def closeEvent(self, e: Any) -> None:
        self.clear_band()
        super().closeEvent(e)

    def done(self, r: int) -> None:
        self.clear_band()
        super().done(r)
