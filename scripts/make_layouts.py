"""Write the print layout templates of the reports to resources/layouts/ (run after editing).

    PYTHONPATH=. .venv/bin/python scripts/make_layouts.py

The .qpt files are the shipped artefact (a city may edit them in QGIS's layout designer and
keep the item ids); this script is their source. Items are found by their id when the
product fills a template (core/qgis/report_layouts.py): maps get layers and extents, labels
their text in the user's language, pictures the charts, tables their rows. Texts here are
placeholders in English.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayoutFrame,
    QgsLayoutItem,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

OUT = Path(__file__).resolve().parent.parent / "resources" / "layouts"
FONT = "Noto Sans CJK SC"
INK, MUTED, RULE = "#1f2a36", "#4a5868", "#9aa7b5"
MM = QgsUnitTypes.LayoutMillimeters


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _text_format(size: float, bold: bool = False, color: str = INK) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(_font(size, bold))
    fmt.setSize(size)
    fmt.setColor(QColor(color))
    return fmt


def _place(item, x: float, y: float, w: float, h: float, page: int = 0) -> None:
    item.attemptResize(QgsLayoutSize(w, h, MM))
    item.attemptMove(QgsLayoutPoint(x, y, MM), page=page)


def _layout(pages: int, orientation=QgsLayoutItemPage.Portrait) -> QgsPrintLayout:
    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    collection = layout.pageCollection()
    collection.page(0).setPageSize("A4", orientation)
    for _ in range(pages - 1):
        page = QgsLayoutItemPage(layout)
        page.setPageSize("A4", orientation)
        collection.addPage(page)
    return layout


def label(layout, item_id: str, text: str, box, page=0, size=9.0, bold=False, color=INK):
    item = QgsLayoutItemLabel(layout)
    item.setId(item_id)
    item.setText(text)
    item.setFont(_font(size, bold))
    item.setFontColor(QColor(color))
    item.setVAlign(Qt.AlignTop)
    layout.addLayoutItem(item)
    _place(item, *box, page=page)
    return item


def heading(layout, item_id: str, text: str, x: float, y: float, w: float, page: int = 0):
    return label(layout, item_id, text, (x, y, w, 7), page, size=11.5, bold=True)


def picture(layout, item_id: str, box, page=0) -> QgsLayoutItemPicture:
    item = QgsLayoutItemPicture(layout)
    item.setId(item_id)
    item.setResizeMode(QgsLayoutItemPicture.Zoom)
    layout.addLayoutItem(item)
    _place(item, *box, page=page)
    return item


def north_arrow(layout, box, page=0) -> QgsLayoutItemPicture:
    item = picture(layout, "north", box, page)
    item.setPicturePath("arrows/NorthArrow_02.svg", QgsLayoutItemPicture.FormatSVG)
    return item


def map_item(layout, item_id: str, box, page=0) -> QgsLayoutItemMap:
    item = QgsLayoutItemMap(layout)
    item.setId(item_id)
    item.setFrameEnabled(True)
    item.setFrameStrokeColor(QColor(RULE))
    item.setBackgroundColor(QColor("white"))
    layout.addLayoutItem(item)
    _place(item, *box, page=page)
    _x, _y, w, h = box
    item.setExtent(QgsRectangle(500000, 3400000, 500000 + w, 3400000 + h))  # a placeholder
    item.setCrs(QgsCoordinateReferenceSystem("EPSG:4549"))  # replaced by the layers' CRS
    return item


def legend(layout, box, page=0, title="Legend", grow_down=False) -> QgsLayoutItemLegend:
    item = QgsLayoutItemLegend(layout)
    item.setId("legend")
    item.setTitle(title)
    item.setAutoUpdateModel(False)
    item.setBackgroundColor(QColor(255, 255, 255, 230))
    item.setFrameEnabled(True)
    item.setFrameStrokeColor(QColor(RULE))
    for style, size, bold in (("title", 10, True), ("group", 8.5, True), ("subgroup", 8, True),
                              ("symbolLabel", 7.5, False)):  # fmt: skip
        item.setStyleFont(_legend_style(style), _font(size, bold))
    item.setResizeToContents(True)
    # on a map it grows upwards from its lower-left corner, so it stays inside the map;
    # beside a map (grow_down) it hangs from its upper-left corner
    item.setReferencePoint(QgsLayoutItem.UpperLeft if grow_down else QgsLayoutItem.LowerLeft)
    layout.addLayoutItem(item)
    x, y, w, h = box
    item.attemptResize(QgsLayoutSize(w, h, MM))
    item.attemptMove(QgsLayoutPoint(x, y if grow_down else y + h, MM), page=page)
    return item


def _legend_style(name: str):
    from qgis.core import QgsLegendStyle

    return {
        "title": QgsLegendStyle.Title,
        "group": QgsLegendStyle.Group,
        "subgroup": QgsLegendStyle.Subgroup,
        "symbolLabel": QgsLegendStyle.SymbolLabel,
    }[name]


def scalebar(layout, box, page=0) -> QgsLayoutItemScaleBar:
    item = QgsLayoutItemScaleBar(layout)
    item.setId("scalebar")
    item.setStyle("Single Box")
    item.setUnits(QgsUnitTypes.DistanceMeters)
    item.setUnitLabel("m")
    item.setNumberOfSegments(4)
    item.setNumberOfSegmentsLeft(0)
    item.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    item.setMinimumBarWidth(30)
    item.setMaximumBarWidth(60)
    item.setTextFormat(_text_format(7))
    item.setBackgroundEnabled(True)
    item.setBackgroundColor(QColor(255, 255, 255, 220))
    layout.addLayoutItem(item)
    _place(item, *box, page=page)
    return item


def _style_table(table: QgsLayoutTable) -> None:
    table.setHeaderTextFormat(_text_format(7.5, True, "#ffffff"))
    table.setContentTextFormat(_text_format(7))
    table.setCellMargin(0.9)
    table.setGridStrokeWidth(0.15)
    table.setGridColor(QColor("#c9d2db"))
    table.setHorizontalGrid(True)
    table.setVerticalGrid(False)
    table.setShowGrid(True)
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setEmptyTableBehavior(QgsLayoutTable.ShowMessage)
    table.setEmptyTableMessage("—")
    header = QgsLayoutTableStyle()
    header.enabled = True
    header.cellBackgroundColor = QColor("#3b5d7a")
    table.setCellStyle(QgsLayoutTable.HeaderRow, header)
    odd = QgsLayoutTableStyle()
    odd.enabled = True
    odd.cellBackgroundColor = QColor("#f1f4f7")
    table.setCellStyle(QgsLayoutTable.OddRows, odd)


def manual_table(layout, item_id: str, box, page=0, repeat=False) -> QgsLayoutItemManualTable:
    table = QgsLayoutItemManualTable.create(layout)
    layout.addMultiFrame(table)
    _style_table(table)
    table.setIncludeTableHeader(True)
    if repeat:
        table.setResizeMode(QgsLayoutMultiFrame.RepeatUntilFinished)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    _place(frame, *box, page=page)
    table.addFrame(frame)
    return table


def attribute_table(layout, item_id: str, box, page=0) -> QgsLayoutItemAttributeTable:
    table = QgsLayoutItemAttributeTable.create(layout)
    layout.addMultiFrame(table)
    _style_table(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    _place(frame, *box, page=page)
    table.addFrame(frame)
    return table


def rule(layout, y: float, page: int = 0, x: float = 12, w: float = 186) -> None:
    from qgis.core import QgsLayoutItemShape, QgsSimpleFillSymbolLayer

    item = QgsLayoutItemShape(layout)
    item.setShapeType(QgsLayoutItemShape.Rectangle)
    symbol = item.symbol()
    layer = symbol.symbolLayer(0)
    if isinstance(layer, QgsSimpleFillSymbolLayer):
        layer.setColor(QColor(INK))
        layer.setStrokeStyle(Qt.NoPen)
    layout.addLayoutItem(item)
    _place(item, x, y, w, 0.5, page)


def header(layout, title: str, width: float = 186) -> None:
    label(layout, "title", title, (12, 10, width, 11), size=17, bold=True)
    label(layout, "subtitle", "District · generated on", (12, 21, width, 6), size=9, color=MUTED)
    rule(layout, 28, w=width)


def weekly() -> QgsPrintLayout:
    layout = _layout(4)
    layout.setName("Weekly patrol report")
    header(layout, "Weekly patrol report")
    label(layout, "summary", "Summary", (12, 31, 186, 22), size=9.5)
    # the legend beside the map and the scale bar under it: nothing of the district hidden
    map_item(layout, "map_overview", (12, 54, 125, 138))
    north_arrow(layout, (127, 56, 8, 12))
    legend(layout, (140, 54, 58, 50), grow_down=True)
    scalebar(layout, (67, 193, 70, 9))
    heading(layout, "heading_resp", "Responsibility grids failing the weekly rule", 12, 206, 186)
    manual_table(layout, "table_resp", (12, 214, 186, 70))
    label(layout, "more_resp", "", (12, 285, 186, 6), size=7.5, color=MUTED)
    heading(layout, "heading_charts", "Reports", 12, 10, 186, page=1)
    picture(layout, "chart_hourly", (12, 19, 186, 84), page=1)
    picture(layout, "chart_trend", (12, 106, 186, 84), page=1)
    picture(layout, "chart_collectors", (12, 193, 186, 88), page=1)
    label(layout, "chart_note", "", (12, 283, 186, 8), page=1, size=8, color=MUTED)
    heading(layout, "heading_collectors", "Collectors", 12, 10, 186, page=2)
    manual_table(layout, "table_collectors", (12, 19, 186, 266), page=2, repeat=True)
    heading(layout, "heading_failing", "Unit grids failing the weekly rule", 12, 10, 186, page=3)
    manual_table(layout, "table_failing", (12, 19, 186, 266), page=3, repeat=True)
    return layout


def monthly() -> QgsPrintLayout:
    layout = _layout(4)
    layout.setName("Monthly KPI and assessment report")
    header(layout, "Monthly KPI and assessment report")
    label(layout, "summary", "Summary", (12, 31, 186, 14), size=9.5)
    heading(layout, "heading_kpis", "Contract figures", 12, 46, 186)
    manual_table(layout, "table_kpis", (12, 54, 186, 118))
    heading(layout, "heading_assessment", "Assessment (考核)", 12, 176, 186)
    label(layout, "assessment", "Assessment", (12, 184, 186, 30), size=9)
    picture(layout, "chart_trend", (12, 212, 186, 74))
    heading(layout, "heading_charts", "Reports", 12, 10, 186, page=1)
    picture(layout, "chart_collectors", (12, 19, 186, 92), page=1)
    picture(layout, "chart_hourly", (12, 114, 186, 84), page=1)
    label(layout, "chart_note", "", (12, 200, 186, 8), page=1, size=8, color=MUTED)
    heading(layout, "heading_payment", "Assessment: contractors and payment", 12, 10, 186, page=2)
    manual_table(layout, "table_payment", (12, 19, 186, 30), page=2)
    heading(layout, "heading_scores", "Assessment: collectors' scores", 12, 53, 186, page=2)
    manual_table(layout, "table_scores", (12, 62, 186, 223), page=2, repeat=True)
    heading(layout, "heading_collectors", "Collectors", 12, 10, 186, page=3)
    manual_table(layout, "table_collectors", (12, 19, 186, 266), page=3, repeat=True)
    return layout


def atlas() -> QgsPrintLayout:
    layout = _layout(1, QgsLayoutItemPage.Landscape)
    layout.setName("Responsibility grid atlas")
    label(layout, "title", "Responsibility grid", (10, 8, 200, 10), size=16, bold=True)
    label(layout, "date", "Week · date", (10, 18, 200, 6), size=9, color=MUTED)
    rule(layout, 25, x=10, w=277)
    map_item(layout, "map", (10, 28, 190, 172))
    north_arrow(layout, (190, 30, 8, 12))
    scalebar(layout, (12, 189, 60, 9))
    map_item(layout, "overview", (206, 28, 81, 50))
    label(layout, "figures", "Figures", (206, 80, 81, 27), size=8.5)
    heading(layout, "heading_collectors", "Collectors", 206, 107, 81)
    attribute_table(layout, "table_collectors", (206, 114, 81, 26))
    legend(layout, (206, 144, 81, 56), title="Legend")
    return layout


def _save(layout: QgsPrintLayout, stem: str) -> None:
    path = OUT / f"{stem}.qpt"
    if not layout.saveAsTemplate(str(path), QgsReadWriteContext()):
        raise SystemExit(f"{stem}: could not write {path}")
    print(path)


def main() -> int:
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    OUT.mkdir(parents=True, exist_ok=True)
    for make, stem in ((weekly, "weekly_patrol"), (monthly, "monthly_kpi"), (atlas, "grid_atlas")):
        _save(make(), stem)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
