"""Walk a widget tree and find what a Chinese-speaking user would see untranslated.

``visible_texts(root)`` gathers every text the user can see in ``root`` (labels, buttons,
group titles, window titles, line edits and their placeholders, every combo-box item, every
cell and header of item views); ``untranslated(text)`` names what is wrong in one text:
snake_case identifiers, English geometry kinds, "auto", ASCII words of three or more letters
that are not an allowed code or abbreviation, and a half-width comma, colon or semicolon next
to a Chinese character. Widgets of QGIS itself (``Qgs…`` classes and their children) are
skipped: their texts come from QGIS's own catalogue, which tests do not load.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

# Codes and abbreviations a Chinese user reads as they are.
ALLOWED_WORDS = {
    "ODK",
    "GPS",
    "EPSG",
    "URL",
    "CSV",
    "WKT",
    "PostGIS",
    "GeoPackage",
    "QGIS",
    "Central",  # "ODK Central", a product name
    "GCJ",
    "WGS",
    "CGCS",
    "JSON",
    "EXIF",
    "GeoJSON",
    "GPX",  # the GPS exchange format tracks come in
    "uuid",  # ODK instance ids ("uuid:…") are data
    "SDK",
    "http",  # the protocol, named where unencrypted access is allowed
    "https",
    "Basic",  # QGIS's authentication method of that name
}
_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
_SNAKE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
# ASCII look-arounds, not \b: between a Chinese character and a Latin letter there is no \b.
_KINDS = re.compile(
    r"(?<![A-Za-z])(?:point|line|polygon|multi[a-z]*|points|lines|polygons)(?![A-Za-z])",
    re.IGNORECASE,
)
_AUTO = re.compile(r"(?<![A-Za-z])auto(?![A-Za-z])", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]{3,}")
_HALF = re.compile(rf"[{_CJK}]\s*[,:;]|[,:;]\s*[{_CJK}]")
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Rich text as a user reads it."""
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", text.replace("<br>", "\n"))
    return html.unescape(text)


def untranslated(text: str) -> list[str]:
    """What in ``text`` is not translated or not punctuated for Chinese."""
    found = []
    found += [f"identifier {m}" for m in _SNAKE.findall(text)]
    found += [f"geometry kind {m}" for m in _KINDS.findall(text)]
    found += ["'auto'" for _ in _AUTO.findall(text)]
    words = [w for w in _WORD.findall(_SNAKE.sub(" ", text)) if w not in ALLOWED_WORDS]
    found += [f"English word {w}" for w in words if not _KINDS.fullmatch(w) and w != "auto"]
    found += [f"half-width punctuation {m!r}" for m in _HALF.findall(text)]
    return found


_OURS_IN_QGIS = {"QgsMessageBar", "QgsMessageBarItem"}  # they show the plugin's messages


def _qgis_owned(w: QWidget, root: QWidget) -> bool:
    while w is not None and w is not root:
        name = type(w).__name__
        if name.startswith("Qgs") and name not in _OURS_IN_QGIS:
            return True
        w = w.parentWidget()
    return False


def _view_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    hidden_col = getattr(view, "isColumnHidden", lambda c: False)
    hidden_row = getattr(view, "isRowHidden", None)
    if header is not None and header().isVisible():
        for c in range(model.columnCount()):  # only table and tree views have this header
            if not hidden_col(c):
                yield str(model.headerData(c, Qt.Horizontal, Qt.DisplayRole) or "")

    def rows(parent) -> Iterator[str]:
        for r in range(model.rowCount(parent)):
            if hidden_row is not None:
                try:
                    hidden = hidden_row(r, parent) if parent.isValid() else hidden_row(r)
                except TypeError:
                    hidden = hidden_row(r, parent)
                if hidden:
                    continue
            try:
                columns = model.columnCount(parent)
            except TypeError:  # a list model (columnCount is not public in PyQt)
                columns = 1
            for c in range(columns):
                if hidden_col(c):
                    continue
                index = model.index(r, c, parent)
                value = model.data(index, Qt.DisplayRole)
                if value not in (None, ""):
                    yield str(value)
                if c == 0 and not isinstance(view, QListView) and model.rowCount(index) > 0:
                    yield from rows(index)

    from qgis.PyQt.QtCore import QModelIndex

    yield from rows(QModelIndex())


def _texts(w: QWidget) -> Iterator[str]:
    if isinstance(w, (QDockWidget,)) or w.isWindow():
        yield w.windowTitle()
    if isinstance(w, QLabel):
        yield plain(w.text())
    elif isinstance(w, QAbstractButton):
        yield w.text()
    elif isinstance(w, QGroupBox):
        yield w.title()
    elif isinstance(w, QComboBox):
        yield from (w.itemText(i) for i in range(w.count()))
        if w.isEditable():
            yield w.currentText()
    elif isinstance(w, QLineEdit):
        if not isinstance(w.parentWidget(), QComboBox):
            yield w.text() or w.placeholderText()  # the placeholder shows when empty
    elif isinstance(w, (QTextEdit, QPlainTextEdit)):
        yield w.toPlainText()
    elif isinstance(w, QTabWidget):
        yield from (w.tabText(i) for i in range(w.count()))
    if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
        if isinstance(w.parentWidget(), QComboBox):
            return  # the items were read from the combo box
        yield from _view_texts(w)


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget name, text) for every non-empty text visible in ``root``."""
    out = []
    widgets: Iterable[QWidget] = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if w is not root and (not w.isVisibleTo(root) or _qgis_owned(w, root)):
            continue
        name = w.objectName() or type(w).__name__
        for text in _texts(w):
            if text and text.strip():
                out.append((name, text))
    return out


def problems(root: QWidget, data: Iterable[str] = ()) -> list[str]:
    """Every untranslated piece visible in ``root``; ``data`` are values users typed
    themselves (names, free text), removed from the texts before they are judged."""
    out = []
    data = sorted((v for v in data if v), key=len, reverse=True)  # a path before a name in it
    for name, text in visible_texts(root):
        judged = text
        for value in data:
            judged = judged.replace(value, " ")
        for what in untranslated(judged):
            out.append(f"{root.objectName() or type(root).__name__}/{name}: {what} in {text!r}")
    return out
