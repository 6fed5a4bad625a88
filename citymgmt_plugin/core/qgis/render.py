"""Render map layers to a PNG without a canvas (demo maps, reports, coverage failure maps)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsMapLayer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QRectF, QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

from ..private_files import make_private, private_dir

TITLE_FONT = "Noto Sans CJK SC"


def render_layers_png(
    layers: Sequence[QgsMapLayer],
    extent: QgsRectangle,
    path: Path | str,
    size: tuple[int, int] = (1600, 1200),
    title: str | None = None,
    crs: QgsCoordinateReferenceSystem | None = None,
    background: QColor | str = "white",
    margin: float = 0.03,
    subtitle: str | None = None,
    project: QgsProject | None = None,
) -> Path:
    """Render ``layers`` (first drawn on top, as in the layer tree) to ``path``.

    ``extent`` is in ``crs`` (default: the first layer's CRS) and grown by ``margin`` on each
    side; the map keeps its proportions inside ``size`` pixels. An optional ``title`` (and
    ``subtitle``) is drawn in a band at the top left. Expressions in styles see the global,
    ``project`` (default: the current one) and map settings scopes. Returns the written path.
    """
    path = Path(path)
    private_dir(path.parent)  # maps show positions: owner-only, like the workspace
    layers = [layer for layer in layers if layer is not None and layer.isValid()]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    if crs is None:
        crs = layers[0].crs() if layers else QgsCoordinateReferenceSystem()
    settings.setDestinationCrs(crs)
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(background))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    settings.setFlag(QgsMapSettings.UseAdvancedEffects, True)
    grown = QgsRectangle(extent)
    if not grown.isEmpty() and margin:
        grown.grow(max(grown.width(), grown.height()) * margin)
    settings.setExtent(grown)

    width, height = size
    band = _band_height(height, subtitle) if (title or subtitle) else 0
    settings.setOutputSize(QSize(width, height - band))
    # @map_scale and friends, as on the canvas (styles size markers by scale)
    context = QgsExpressionContext()
    context.appendScope(QgsExpressionContextUtils.globalScope())
    context.appendScope(QgsExpressionContextUtils.projectScope(project or QgsProject.instance()))
    context.appendScope(QgsExpressionContextUtils.mapSettingsScope(settings))
    settings.setExpressionContext(context)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = QImage(width, height, QImage.Format_ARGB32_Premultiplied)
    image.fill(QColor(background))
    painter = QPainter(image)
    try:
        painter.drawImage(0, band, job.renderedImage())
        if band:
            _draw_title(painter, width, band, _title_px(height), title or "", subtitle)
    finally:
        painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(str(path))
    return make_private(path)


def _title_px(height: int) -> int:
    return max(14, height // 40)


def _band_height(height: int, subtitle: str | None) -> int:
    px = _title_px(height)
    return int(px * 2.0 + (px * 0.9 if subtitle else 0))


def _draw_title(
    painter: QPainter, width: int, band: int, px: int, title: str, subtitle: str | None
) -> None:
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.TextAntialiasing)
    title_font = QFont(TITLE_FONT)
    title_font.setPixelSize(px)
    title_font.setBold(True)
    painter.fillRect(0, 0, width, band, QColor("#f4f6f8"))
    painter.setPen(QColor("#9aa7b5"))
    painter.drawLine(0, band - 1, width, band - 1)
    pad = px * 0.6
    painter.setPen(QColor("#1f2a36"))
    painter.setFont(title_font)
    painter.drawText(
        QRectF(pad, pad * 0.4, width - 2 * pad, px * 1.4),
        int(Qt.AlignLeft | Qt.AlignVCenter),
        title,
    )
    if subtitle:
        sub_font = QFont(TITLE_FONT)
        sub_font.setPixelSize(max(11, int(px * 0.6)))
        painter.setFont(sub_font)
        painter.setPen(QColor("#4a5868"))
        painter.drawText(
            QRectF(pad, pad * 0.4 + px * 1.35, width - 2 * pad, px * 0.9),
            int(Qt.AlignLeft | Qt.AlignVCenter),
            subtitle,
        )


def is_blank(path: Path | str, background: QColor | str = "white") -> bool:
    """True when every sampled pixel of the PNG is the background colour."""
    image = QImage(str(path))
    if image.isNull():
        return True
    bg = QColor(background).rgb()
    step_x = max(1, image.width() // 200)
    step_y = max(1, image.height() // 200)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            if image.pixel(x, y) != bg:
                return False
    return True
