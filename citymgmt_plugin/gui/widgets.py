"""Small widget helpers shared by the docks: ISO dates, scrolling bodies."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDateTimeEdit, QFrame, QScrollArea, QWidget

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
