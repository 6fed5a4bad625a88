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


def user_locale() -> str:
    """The language QGIS shows: the translation it loaded (QGIS 3.22+), else its settings
    (``locale/userLocale`` when ``locale/overrideFlag`` is set), else the system locale."""
    if QCoreApplication is None:
        return ""
    from qgis.PyQt.QtCore import QLocale, QSettings

    app = QCoreApplication.instance()
    translation = getattr(app, "translation", None)
    code = translation() if callable(translation) else ""
    if code:
        return str(code)
    settings = QSettings()
    if str(settings.value("locale/overrideFlag", "false")).lower() in ("true", "1"):
        code = settings.value("locale/userLocale", "") or ""
    return str(code) or QLocale.system().name()
