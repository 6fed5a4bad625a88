"""A resizable photo viewer: one photo large (wheel zoom, drag, fit, 100 %), a gallery of
thumbnails below it, previous / next. Shared by the review and census docks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QByteArray, QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon, QKeySequence, QPainter, QPixmap
from qgis.PyQt.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QShortcut,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import tr
from ..core.labels import parens

GEOMETRY_SETTING = "citymgmt/photoViewer/geometry"
ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.02, 16.0


@dataclass(frozen=True)
class PhotoItem:
    """One photo to show: its name and its bytes (None: not available)."""

    name: str
    content: bytes | None
    note: str = ""  # shown under the photo: when and where it was taken, a problem …


def pixmap_of(content: bytes | None) -> QPixmap:
    pix = QPixmap()
    if content is not None:
        pix.loadFromData(content)
    return pix


class ZoomView(QGraphicsView):
    """A picture that zooms with the mouse wheel around the pointer and pans by dragging."""

    doubleClicked = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoZoomView")
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setRenderHint(QPainter.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setStyleSheet("background: #222;")
        self.fitted = True  # follow the window's size until the user zooms

    def set_pixmap(self, pix: QPixmap) -> None:
        self._item.setPixmap(pix)
        self.scene().setSceneRect(self._item.boundingRect())
        self.fit()

    def pixmap(self) -> QPixmap:
        return self._item.pixmap()

    def has_picture(self) -> bool:
        return not self._item.pixmap().isNull()

    def clear(self) -> None:
        self.set_pixmap(QPixmap())

    def scale_factor(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        self.fitted = True
        if self.has_picture():
            self.fitInView(self._item, Qt.KeepAspectRatio)

    def actual_size(self) -> None:
        self.fitted = False
        self.resetTransform()

    def zoom(self, steps: float) -> None:
        factor = ZOOM_STEP**steps
        target = self.scale_factor() * factor
        if not self.has_picture() or not MIN_SCALE <= target <= MAX_SCALE:
            return
        self.fitted = False
        self.scale(factor, factor)

    def mouseDoubleClickEvent(self, event: Any) -> None:
        self.doubleClicked.emit()
        event.accept()

    def wheelEvent(self, event: Any) -> None:
        self.zoom(event.angleDelta().y() / 120.0)
        event.accept()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.fitted:
            self.fit()


class PhotoViewer(QDialog):
    """The photos of one submission or component; opened at photo ``start``."""

    def __init__(
        self, photos: list[PhotoItem], start: int = 0, title: str = "", parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("citymgmtPhotoViewer")
        self.setWindowTitle(title or tr("PhotoViewer", "Photos"))
        self.setSizeGripEnabled(True)
        self.photos = photos
        self._build()
        self._keys()
        self._fill_gallery()
        self.show_photo(start)
        self._restore_size()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Vertical, self)
        self.view = ZoomView(split)
        self.gallery = QListWidget(split)
        self.gallery.setObjectName("photoGallery")
        self.gallery.setViewMode(QListWidget.IconMode)
        self.gallery.setFlow(QListWidget.LeftToRight)
        self.gallery.setWrapping(False)
        self.gallery.setIconSize(QSize(120, 90))
        self.gallery.setMinimumHeight(70)
        self.gallery.currentRowChanged.connect(self.show_photo)
        split.addWidget(self.view)
        split.addWidget(self.gallery)
        split.setStretchFactor(0, 1)
        split.setSizes([600, 130])
        layout.addWidget(split, 1)
        self.caption = QLabel(self, objectName="photoCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.caption)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.prev_button = QPushButton(tr("PhotoViewer", "Previous"), self)
        self.next_button = QPushButton(tr("PhotoViewer", "Next"), self)
        zoom_out = QPushButton(tr("PhotoViewer", "Zoom out"), self)
        zoom_in = QPushButton(tr("PhotoViewer", "Zoom in"), self)
        fit = QPushButton(tr("PhotoViewer", "Fit"), self)
        actual = QPushButton(tr("PhotoViewer", "Actual size"), self)
        close = QPushButton(tr("PhotoViewer", "Close"), self)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        zoom_out.clicked.connect(lambda: self.view.zoom(-1))
        zoom_in.clicked.connect(lambda: self.view.zoom(1))
        fit.clicked.connect(self.view.fit)
        actual.clicked.connect(self.view.actual_size)
        close.clicked.connect(self.close)
        for b in (self.prev_button, self.next_button, zoom_out, zoom_in, fit, actual):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        return row

    def _keys(self) -> None:
        for keys, slot in (
            ((Qt.Key_Left, Qt.Key_PageUp), lambda: self.step(-1)),
            ((Qt.Key_Right, Qt.Key_PageDown), lambda: self.step(1)),
            ((Qt.Key_Plus, Qt.Key_Equal), lambda: self.view.zoom(1)),
            ((Qt.Key_Minus,), lambda: self.view.zoom(-1)),
            ((Qt.Key_F,), self.view.fit),
            ((Qt.Key_1,), self.view.actual_size),
        ):
            for key in keys:
                QShortcut(QKeySequence(key), self, activated=slot)

    def _fill_gallery(self) -> None:
        for photo in self.photos:
            pix = pixmap_of(photo.content)
            thumb = QIcon(pix.scaled(240, 180, Qt.KeepAspectRatio)) if not pix.isNull() else QIcon()
            self.gallery.addItem(QListWidgetItem(thumb, photo.name))

    def current_row(self) -> int:
        return self.gallery.currentRow()

    def step(self, delta: int) -> None:
        if self.photos:
            self.gallery.setCurrentRow((self.current_row() + delta) % len(self.photos))

    def show_photo(self, row: int) -> None:
        if not 0 <= row < len(self.photos):
            return
        if self.gallery.currentRow() != row:
            self.gallery.setCurrentRow(row)  # comes back here through currentRowChanged
            return
        photo = self.photos[row]
        pix = pixmap_of(photo.content)
        self.view.set_pixmap(pix)
        where = tr("PhotoViewer", "{0} of {1}").format(row + 1, len(self.photos))
        text = photo.name + parens(where)
        if pix.isNull():
            text += " — " + tr("PhotoViewer", "this photo cannot be read")
        if photo.note:
            text += "\n" + photo.note
        self.caption.setText(text)
        several = len(self.photos) > 1
        self.prev_button.setEnabled(several)
        self.next_button.setEnabled(several)

    def _restore_size(self) -> None:
        saved = QgsSettings().value(GEOMETRY_SETTING, QByteArray())
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            self.restoreGeometry(saved)
        else:
            self.resize(960, 760)

    def done(self, result: int) -> None:
        QgsSettings().setValue(GEOMETRY_SETTING, self.saveGeometry())
        super().done(result)

    def closeEvent(self, event: Any) -> None:
        QgsSettings().setValue(GEOMETRY_SETTING, self.saveGeometry())
        super().closeEvent(event)
