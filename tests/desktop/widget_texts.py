"""The texts a user sees in a widget tree, with where each one is: the one walker of the
tests, in the real QGIS desktop (Debian's Python: standard library and QGIS only) and in
pytest's GUI tests.

Labels, buttons, group titles, placeholders, read-only line edits, text edits, window
titles, tooltips, the widgets' actions, combo box items, item views (header, cells and their
tooltips), tab titles and message bar items. Text people typed into editable fields is data,
not the plugin's words, and is left out. Widgets of QGIS's own library (``qgis.gui``: file,
CRS and authentication selectors …) are translated by QGIS and left out, except message
bars, whose items carry the plugin's words. :func:`problems` judges every text with
``ui_text``.
"""

from __future__ import annotations

from typing import Any

from qgis.gui import QgsMessageBar, QgsMessageBarItem
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QModelIndex, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

try:  # imported as tests.desktop.widget_texts, or by path under its own name inside QGIS
    from . import ui_text
except ImportError:
    import ui_text

MAX_ROWS = 200


def _name(w: QWidget) -> str:
    return w.objectName() or _class(w)


def _class(w: QWidget) -> str:
    """The C++ class name: inside QGIS, widgets QGIS made reach Python as their Qt base."""
    return w.metaObject().className()


def _from_qgis(w: QWidget) -> bool:
    return _class(w).startswith("Qgs")


def _hidden(view: QAbstractItemView, row: int, col: int, parent: QModelIndex) -> bool:
    """A row or column the view hides (filtered, collapsed away): the user does not see it."""
    if getattr(view, "isColumnHidden", None) is not None and view.isColumnHidden(col):
        return True
    is_hidden = getattr(view, "isRowHidden", None)
    if is_hidden is None:
        return False
    try:
        return bool(is_hidden(row, parent))  # tree views
    except TypeError:
        return bool(is_hidden(row))  # table and list views


def _model_texts(view: QAbstractItemView, visible_only: bool = False) -> list[tuple[str, str]]:
    model = view.model()
    if model is None:
        return []
    out = []
    try:
        columns = model.columnCount()
    except TypeError:  # a list model: one column (its columnCount is private to Python)
        columns = 1
    for col in range(columns):
        header = model.headerData(col, Qt.Horizontal, Qt.DisplayRole)
        column_hidden = getattr(view, "isColumnHidden", lambda _c: False)(col)
        if header and columns > 1 and not (visible_only and column_hidden):
            out.append(("header", str(header)))

    def rows(parent: QModelIndex, depth: int) -> None:
        for row in range(min(model.rowCount(parent), MAX_ROWS)):
            for col in range(columns):
                if visible_only and _hidden(view, row, col, parent):
                    continue
                index = model.index(row, col, parent)
                for role, what in ((Qt.DisplayRole, "cell"), (Qt.ToolTipRole, "cell tooltip")):
                    value = model.data(index, role)
                    if isinstance(value, str) and value.strip():
                        out.append((what, value))
            if depth < 3:
                rows(model.index(row, 0, parent), depth + 1)

    rows(QModelIndex(), 0)
    return out


def _own_texts(w: QWidget, visible_only: bool = False) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if w.isWindow() or w.inherits("QDockWidget"):
        out.append(("title", w.windowTitle()))
    if isinstance(w, QLabel):
        out.append(("label", w.text()))
    elif isinstance(w, QAbstractButton):
        out.append(("button", w.text()))
    elif isinstance(w, QGroupBox):
        out.append(("group", w.title()))
    elif isinstance(w, QLineEdit):
        out.append(("placeholder", w.placeholderText()))
        if w.isReadOnly():
            out.append(("text", w.text()))
    elif isinstance(w, QComboBox):
        out += [("item", w.itemText(i)) for i in range(w.count())]
    elif isinstance(w, (QTextEdit, QPlainTextEdit)) and w.isReadOnly():
        out.append(("text", w.toPlainText()))
    elif isinstance(w, QAbstractItemView):
        out += _model_texts(w, visible_only)
    elif isinstance(w, QTabWidget):
        out += [("tab", w.tabText(i)) for i in range(w.count())]
    out.append(("tooltip", w.toolTip()))
    for action in w.actions():
        out += [("action", action.text()), ("action tooltip", action.toolTip())]
    return out


def _bar_texts(bar: Any) -> list[tuple[str, str]]:
    bar = sip.cast(bar, QgsMessageBar)
    items = [sip.cast(i, QgsMessageBarItem) for i in bar.items()] if hasattr(bar, "items") else []
    out = []
    for item in items:
        out += [("message title", item.title()), ("message", item.text())]
    return out


def collect(root: QWidget, visible_only: bool = False) -> list[tuple[str, str]]:
    """(place, text) for every non-empty text in ``root``'s tree; ``visible_only``: of the
    widgets, rows and columns shown now (else of hidden ones too: a dialog's other page …)."""
    found: list[tuple[str, str]] = []

    def visit(w: QWidget, path: str) -> None:
        here = f"{path}/{_name(w)}" if path else _name(w)
        if visible_only and w is not root and not w.isVisibleTo(root):
            return
        if _class(w) == "QgsMessageBar":
            found.extend((f"{here} {kind}", t) for kind, t in _bar_texts(w))
            return
        if w is not root and _from_qgis(w):
            return
        texts = _own_texts(w, visible_only)
        found.extend((f"{here} {kind}", t) for kind, t in texts if t and t.strip())
        if isinstance(w, (QComboBox, QAbstractItemView)):
            return  # their popups and viewports hold nothing of their own
        below = here if (w.objectName() or w is root) else path  # named widgets only
        for child in w.children():
            if isinstance(child, QWidget) and not child.isWindow():
                visit(child, below)

    visit(root, "")
    return found


def problems(
    root: QWidget, data: Any = (), allowed: Any = (), visible_only: bool = True
) -> list[str]:
    """Every untranslated piece in ``root`` ("place: what in 'text'"). ``data``: values shown
    as people or devices gave them (names, free text, file names), cut out of a text before
    it is judged; ``allowed``: more words that are data here."""
    values = sorted((v for v in data if v), key=len, reverse=True)  # a path before a name in it
    out = []
    for place, text in collect(root, visible_only):
        judged = text
        for value in values:
            judged = judged.replace(value, " ")
        out += [f"{place}: {what} in {text!r}" for what in ui_text.untranslated(judged, allowed)]
    return out
