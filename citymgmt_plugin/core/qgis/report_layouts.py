"""Print layouts from the shipped templates (resources/layouts/*.qpt), filled and exported.

The helpers here find a template's items by id and give them content: text, a picture, the
rows of a table (with tables that run over several pages kept apart), layers and an extent
for a map, the map's layers for a legend. :mod:`.report_fill` says what goes where in each
report. Export writes PDF with real text (searchable, and what the tests read back).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsRenderContext,
    QgsTableCell,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtXml import QDomDocument

from ..i18n import tr
from ..paths import resource
from ..private_files import make_private, private_dir

FONT = "Noto Sans CJK SC"
RED = QColor("#c0161a")
MM = QgsUnitTypes.LayoutMillimeters


class LayoutError(RuntimeError):
    """A template that cannot be read or lacks an item the report needs (translated)."""


def template_path(stem: str) -> Path:
    return resource("layouts", f"{stem}.qpt")


def load_template(project: QgsProject, stem: str, name: str) -> QgsPrintLayout:
    """A new print layout of ``project`` from ``resources/layouts/<stem>.qpt``."""
    path = template_path(stem)
    doc = QDomDocument()
    if not path.is_file() or not doc.setContent(path.read_text(encoding="utf-8")):
        raise LayoutError(tr("Reports", "The layout template {0} cannot be read.").format(path))
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(doc, QgsReadWriteContext())
    if not ok:
        raise LayoutError(tr("Reports", "The layout template {0} cannot be read.").format(path))
    layout.setName(name)
    return layout


def item(layout: QgsPrintLayout, item_id: str) -> Any:
    found = layout.itemById(item_id)
    if found is None:
        raise LayoutError(
            tr("Reports", "The layout {0} has no item {1}.").format(layout.name(), item_id)
        )
    return found


def set_text(layout: QgsPrintLayout, item_id: str, text: str) -> QgsLayoutItemLabel:
    label = item(layout, item_id)
    label.setText(text)
    return label


def set_picture(layout: QgsPrintLayout, item_id: str, path: Path | None) -> bool:
    """Show the PNG ``path``; without one, the picture item is hidden. True when shown."""
    picture: QgsLayoutItemPicture = item(layout, item_id)
    if path is None or not Path(path).is_file():
        picture.setVisibility(False)
        return False
    picture.setPicturePath(str(path), QgsLayoutItemPicture.FormatRaster)
    picture.setVisibility(True)
    return True


def set_map(
    layout: QgsPrintLayout,
    item_id: str,
    layers: Sequence[QgsVectorLayer],
    extent: QgsRectangle | None,
    margin: float = 0.04,
) -> QgsLayoutItemMap:
    """``layers`` (top first) on the map ``item_id``, zoomed to ``extent`` (grown by
    ``margin`` of its size), fixed so later changes to the project do not move it."""
    map_item: QgsLayoutItemMap = item(layout, item_id)
    layers = [layer for layer in layers if layer is not None and layer.isValid()]
    map_item.setLayers(layers)
    map_item.setKeepLayerSet(True)
    if layers:
        map_item.setCrs(layers[-1].crs())
    if extent is not None and not extent.isEmpty():
        grown = QgsRectangle(extent)
        grown.grow(max(grown.width(), grown.height()) * margin)
        map_item.zoomToExtent(grown)
    return map_item


def set_legend(
    layout: QgsPrintLayout, layers: Sequence[QgsVectorLayer], title: str, map_id: str
) -> QgsLayoutItemLegend:
    """The legend lists the classes of ``layers`` that the map shows (in the user's
    language), without a heading per layer: one line per symbol."""
    legend: QgsLayoutItemLegend = item(layout, "legend")
    legend.setTitle(title)
    legend.setLinkedMap(item(layout, map_id))
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for layer in layers:
        if layer is None or not layer.isValid() or not layer.isSpatial():
            continue
        node = root.addLayer(layer)
        if _classes(layer) > 1:
            QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Hidden)
    legend.setLegendFilterByMapEnabled(True)
    legend.updateLegend()
    legend.adjustBoxSize()
    return legend


def _classes(layer: QgsVectorLayer) -> int:
    """How many legend entries the layer's renderer has."""
    renderer = layer.renderer()
    return len(renderer.legendSymbolItems()) if renderer is not None else 0


def set_scalebar(layout: QgsPrintLayout, map_id: str, kilometres: bool) -> None:
    """The scale bar measures the map ``map_id`` in kilometres or metres."""
    bar = item(layout, "scalebar")
    bar.setLinkedMap(item(layout, map_id))
    if kilometres:
        bar.setUnits(QgsUnitTypes.DistanceKilometers)
        bar.setUnitLabel("km")
    else:
        bar.setUnits(QgsUnitTypes.DistanceMeters)
        bar.setUnitLabel("m")
    bar.update()


def cell(text: Any, alert: bool = False, align_right: bool = False) -> QgsTableCell:
    c = QgsTableCell(str(text))
    if alert:
        c.setForegroundColor(RED)
    if align_right:
        c.setHorizontalAlignment(Qt.AlignRight)
    return c


def set_table(
    layout: QgsPrintLayout,
    frame_id: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[QgsTableCell]],
    widths: Sequence[float] = (),
) -> QgsLayoutMultiFrame:
    """Give the table whose (first) frame is ``frame_id`` its headers and rows; widths in
    mm (0: fit to the text)."""
    frame: QgsLayoutFrame = item(layout, frame_id)
    table = frame.multiFrame()
    widths = fit_widths(widths, frame.rect().width(), table.cellMargin())
    table.setHeaders([QgsLayoutTableColumn(heading) for heading in headers])
    table.setTableContents([list(r) for r in rows])
    if widths:
        table.setColumnWidths(widths)
    # the manual table rebuilds its columns from the headings alone: align them afterwards
    table.setColumns(_aligned(table.columns(), rows))
    table.setHeaderHAlignment(QgsLayoutTable.FollowColumn)
    table.recalculateFrameSizes()
    return table


def _aligned(
    columns: Sequence[QgsLayoutTableColumn], rows: Sequence[Sequence[QgsTableCell]]
) -> list[QgsLayoutTableColumn]:
    """The columns with their headings aligned like their values (figures right)."""
    for i, column in enumerate(columns):
        right = bool(rows) and all(
            i < len(r) and r[i].horizontalAlignment() & Qt.AlignRight for r in rows
        )
        column.setHAlignment(Qt.AlignRight if right else Qt.AlignLeft)
    return list(columns)


def fit_widths(widths: Sequence[float], frame_mm: float, margin_mm: float) -> list[float]:
    """Column widths scaled so the columns with their cell margins fill the frame."""
    if not widths:
        return []
    room = frame_mm - 2 * margin_mm * len(widths) - 0.5
    total = float(sum(widths))
    return [w * room / total for w in widths] if total > 0 and room > 0 else list(widths)


def last_page(multi_frame: QgsLayoutMultiFrame) -> int:
    return max(frame.page() for frame in multi_frame.frames())


def start_on_page(layout: QgsPrintLayout, frame_id: str, page: int) -> None:
    """Move the first frame of a table to ``page`` (same place on the page), adding pages
    as needed: a table that runs over several pages pushes the next one along."""
    frame: QgsLayoutFrame = item(layout, frame_id)
    collection = layout.pageCollection()
    while collection.pageCount() <= page:
        new = QgsLayoutItemPage(layout)
        new.setPageSize(collection.page(0).pageSize())
        collection.addPage(new)
    pos = collection.positionOnPage(frame.pos())
    frame.attemptMove(QgsLayoutPoint(pos.x(), pos.y(), MM), page=page)


def drop_empty_pages(layout: QgsPrintLayout) -> None:
    """Remove trailing pages nothing is placed on."""
    collection = layout.pageCollection()
    while collection.pageCount() > 1:
        index = collection.pageCount() - 1
        placed = [i for i in collection.itemsOnPage(index) if not isinstance(i, QgsLayoutItemPage)]
        if placed:  # (the page itself is listed as an item on it)
            break
        collection.deletePage(index)


def add_footers(layout: QgsPrintLayout, text: str) -> None:
    """``text`` and "page i / n" at the foot of every page."""
    collection = layout.pageCollection()
    n = collection.pageCount()
    for index in range(n):
        page = collection.page(index)
        size = page.pageSize()
        label = QgsLayoutItemLabel(layout)
        label.setId(f"footer_{index + 1}")
        label.setText(tr("Reports", "{0} · page {1} of {2}").format(text, index + 1, n))
        font = QFont(FONT)
        font.setPointSizeF(7)
        label.setFont(font)
        label.setFontColor(QColor("#6b7885"))
        label.setHAlign(Qt.AlignRight)
        layout.addLayoutItem(label)
        label.attemptResize(QgsLayoutSize(size.width() - 24, 5, MM))
        label.attemptMove(QgsLayoutPoint(12, size.height() - 8, MM), page=index)


def _plain(font: QFont) -> QFont:
    font = QFont(font)
    font.setStyleStrategy(QFont.PreferNoShaping)
    return font


def _plain_format(fmt: Any) -> Any:
    fmt = fmt.__class__(fmt)
    fmt.setFont(_plain(fmt.font()))
    return fmt


def keep_digits_searchable(layout: QgsPrintLayout) -> None:
    """Latin text without OpenType shaping in every label, table, legend and scale bar.

    Shaped, the CJK font draws the digits of a mixed run ("CJ001", "2026-W46") with
    alternate glyphs that Qt's PDF writer maps to no character: the PDF looks right but
    its text (search, copy, pdftotext) loses those digits. Qt does not save the font's
    strategy in a template or project, so it is set here, just before export.
    """
    from qgis.core import QgsLayoutItemScaleBar

    for layout_item in layout.items():
        if isinstance(layout_item, QgsLayoutItemLabel):
            layout_item.setFont(_plain(layout_item.font()))
        elif isinstance(layout_item, QgsLayoutItemScaleBar):
            layout_item.setTextFormat(_plain_format(layout_item.textFormat()))
        elif isinstance(layout_item, QgsLayoutItemLegend):
            for part in (QgsLegendStyle.Title, QgsLegendStyle.Group, QgsLegendStyle.Subgroup,
                         QgsLegendStyle.SymbolLabel):  # fmt: skip
                layout_item.setStyleFont(part, _plain(layout_item.styleFont(part)))
    for multi_frame in layout.multiFrames():
        if isinstance(multi_frame, QgsLayoutTable):
            multi_frame.setHeaderTextFormat(_plain_format(multi_frame.headerTextFormat()))
            multi_frame.setContentTextFormat(_plain_format(multi_frame.contentTextFormat()))


def _pdf_settings() -> QgsLayoutExporter.PdfExportSettings:
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 150
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
    settings.exportMetadata = True
    settings.simplifyGeometries = True
    return settings


def export_pdf(layout: QgsPrintLayout, path: Path) -> Path:
    """The layout as PDF, owner-only (reports name collectors and show where they went)."""
    private_dir(path.parent)
    keep_digits_searchable(layout)
    result = QgsLayoutExporter(layout).exportToPdf(str(path), _pdf_settings())
    if result != QgsLayoutExporter.Success:
        raise LayoutError(tr("Reports", "The PDF {0} could not be written.").format(path))
    return make_private(path)


def export_atlas_pdf(layout: QgsPrintLayout, path: Path, feedback: Any = None) -> Path:
    """Every atlas page into one PDF, owner-only."""
    private_dir(path.parent)
    keep_digits_searchable(layout)
    result, error = QgsLayoutExporter.exportToPdf(
        layout.atlas(), str(path), _pdf_settings(), feedback
    )
    if result != QgsLayoutExporter.Success:
        raise LayoutError(
            tr("Reports", "The PDF {0} could not be written.").format(path) + f" {error}"
        )
    return make_private(path)
