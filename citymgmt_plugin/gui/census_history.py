"""A component's (or a point of interest's) versions; the selected version is drawn on the
map with a rubber band."""

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


def _versions(conn: Any, ws: Workspace, component_id: int) -> tuple[list, str, str, Any]:
    """A component's versions, identifier, class code and class name."""
    rec = census.get_component(conn, ws, component_id)
    info = census.class_table(conn, ws, rec["scheme"]).get(rec["class_code"])
    versions = census.component_history(conn, ws, component_id)
    return versions, rec["identifier"], rec["class_code"], info.name if info else None


def _poi_versions(conn: Any, ws: Workspace, poi_id: int) -> tuple[list, str, str, Any]:
    """A point of interest's versions, identifier, category code and category name."""
    from ..core.census import pois

    rec = pois.get_poi(conn, ws, poi_id)
    cat = pois.poi_categories(conn, ws).get(rec["category_code"])
    versions = pois.poi_history(conn, ws, poi_id)
    return versions, rec["identifier"], rec["category_code"], cat.name if cat else None


class HistoryDialog(QDialog):
    COLUMNS = ("version", "operation", "changed_by", "changed_at", "reason", "changes")

    def __init__(
        self,
        ws: Workspace,
        component_id: int,
        canvas: QgsMapCanvas,
        parent: QWidget | None = None,
        poi: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citymgmtCensusHistory")
        self.ws = ws
        self.canvas = canvas
        self.band: QgsRubberBand | None = None
        with ws.engine.connect() as c:
            loaded = _poi_versions(c, ws, component_id) if poi else _versions(c, ws, component_id)
        self.versions, identifier, code, name = loaded
        self.setWindowTitle(
            tr("Census", "History of {0} ({1})").format(identifier, class_label(code, name))
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
