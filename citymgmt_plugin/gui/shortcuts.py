"""Dock actions with keyboard shortcuts that QGIS's shortcut manager knows.

A dock makes its actions with :func:`dock_action` (it owns them: they act while the keyboard
focus is inside the dock, so a letter typed on the map never decides a submission); the
feature registers them with :func:`register_shortcuts`, which puts them in QGIS's
*Settings → Keyboard Shortcuts* (where the user may change them) and takes them out again on
unload.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from qgis.gui import QgsGui
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon, QKeySequence
from qgis.PyQt.QtWidgets import QAbstractButton, QAction, QWidget

from ..core.labels import parens
from ..core.paths import icon_path

DEFAULT_SHORTCUT = "citymgmt/defaultShortcut"  # QAction property: the key it starts with


def icon(name: str) -> QIcon:
    """An icon of ``resources/icons/`` by file stem."""
    return QIcon(str(icon_path(f"{name}.svg")))


def dock_action(
    owner: QWidget,
    name: str,
    text: str,
    key: str,
    slot: Callable[[], Any],
    icon_name: str | None = None,
) -> QAction:
    """An action of ``owner`` (a dock) named ``name`` (objectName), shown as ``text`` in
    QGIS's shortcut list, with ``key`` as its default shortcut while the focus is inside
    ``owner``; triggered, it calls ``slot()``."""
    action = QAction(icon(icon_name) if icon_name else QIcon(), text, owner)
    action.setObjectName(name)
    action.setProperty(DEFAULT_SHORTCUT, key)
    action.setShortcut(QKeySequence(key))
    action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    owner.addAction(action)
    return action


def shortcut_text(action: QAction) -> str:
    """The action's current shortcut as the user's keyboard shows it ("" when none)."""
    return action.shortcut().toString(QKeySequence.NativeText)


def button_tip(button: QAbstractButton, action: QAction, tip: str) -> None:
    """``tip`` on ``button`` with the shortcut of ``action``, kept current when the user
    changes the shortcut in QGIS."""

    def update() -> None:
        with contextlib.suppress(RuntimeError):  # the button went first
            keys = shortcut_text(action)
            button.setToolTip(tip + parens(keys) if keys else tip)

    action.changed.connect(update)
    update()


def register_shortcuts(ctx: Any, actions: Iterable[QAction]) -> list[QAction]:
    """Put ``actions`` in QGIS's shortcut manager (which applies any shortcut the user saved
    for them) and have ``ctx.unload`` take them out. Returns the actions registered."""
    manager = QgsGui.shortcutsManager()
    done: list[QAction] = []
    for action in actions:
        if manager.registerAction(action, str(action.property(DEFAULT_SHORTCUT) or "")):
            done.append(action)

    def unregister() -> None:
        for action in done:
            with contextlib.suppress(RuntimeError):
                manager.unregisterAction(action)

    ctx.on_unload(unregister)
    return done
