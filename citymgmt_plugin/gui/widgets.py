"""Small widget helpers shared by the docks: ISO dates, scrolling bodies, messages."""

from __future__ import annotations

import contextlib
import html
from datetime import datetime, tzinfo
from typing import Any

from qgis.PyQt.QtCore import QSize, Qt, QTimer
from qgis.PyQt.QtWidgets import QDateTimeEdit, QFrame, QLabel, QScrollArea, QSplitter, QWidget

from ..core.labels import chinese, punct

# Unambiguous in English and Chinese alike, whatever the system locale would print.
ISO_DATE = "yyyy-MM-dd"
ISO_MINUTES = "yyyy-MM-dd HH:mm"
OFFICE_ZONE = "Asia/Shanghai"  # the `timezone` setting's default


def iso_dates(*edits: QDateTimeEdit) -> None:
    """Show QDateEdit / QDateTimeEdit values as ``yyyy-MM-dd`` (``… HH:mm`` with a time)."""
    for edit in edits:
        has_time = bool(edit.displayedSections() & QDateTimeEdit.TimeSections_Mask)
        edit.setDisplayFormat(ISO_MINUTES if has_time else ISO_DATE)


def local_minutes(value: datetime | None, zone: tzinfo | None = None) -> str:
    """``yyyy-MM-dd HH:mm`` in the office zone (a naive time is taken as already local)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        if zone is None:
            from zoneinfo import ZoneInfo

            zone = ZoneInfo(OFFICE_ZONE)
        value = value.astimezone(zone)
    return value.strftime("%Y-%m-%d %H:%M")


def scrolling(body: QWidget, parent: Any = None) -> QScrollArea:
    """``body`` in a frameless scroll area: a dock holding it asks for little room (it
    scrolls when the screen is small) and still lets ``body`` grow when there is room."""
    area = QScrollArea(parent)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
    area.setWidget(body)
    return area


class CompactSplitter(QSplitter):
    """A splitter that asks only for its minimum: inside :func:`scrolling` with word-wrapped
    labels around it, the scroll area sizes its body by the preferred height, so a splitter
    asking for its children's preferred sizes would scroll a dock that has room enough."""

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()


class GrowingLabel(QLabel):
    """A word-wrapped label whose window grows (never shrinks) to show the whole text: a
    dialog's layout does not follow a label that wraps onto more lines, and the window's
    adjustSize() stops at two thirds of the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        QTimer.singleShot(0, self._grow)

    def _grow(self) -> None:
        with contextlib.suppress(RuntimeError):  # the label went before the timer fired
            window = self.window()
            if window.isVisible() and window.layout() is not None:
                want = window.heightForWidth(window.width())
                if want > window.height():
                    window.resize(window.width(), want)


def push_message(bar: Any, title: str, text: str, level: Any, duration: int = 0) -> None:
    """``bar.pushMessage(title, text, …)``; in Chinese the title is followed by "：" (a
    message bar puts ": " after the title itself)."""
    if not chinese():
        bar.pushMessage(title, text, level, duration)
        return
    body = f"<b>{html.escape(title)}{punct(': ')}</b>{html.escape(text)}"
    bar.pushMessage("", body, level, duration)
