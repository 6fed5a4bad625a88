"""Translation for core messages without widgets.

Core code calls ``tr("Context", "text")``; under QGIS (or any Qt application with the
plugin translator installed) the zh_CN catalogue answers, elsewhere the English source.
"""

from __future__ import annotations

try:  # core stays importable where Qt is absent (plain unit tests, CLI without QGIS)
    from qgis.PyQt.QtCore import QCoreApplication
except ImportError:  # pragma: no cover - QGIS is always present in this project's setups
    QCoreApplication = None  # type: ignore[assignment,misc]


def tr(context: str, text: str) -> str:
    """Translate ``text`` in ``context`` with the installed Qt translators."""
    if QCoreApplication is None:
        return text
    return QCoreApplication.translate(context, text)
