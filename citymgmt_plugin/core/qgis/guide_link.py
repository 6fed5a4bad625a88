"""The shipped user guide as QGIS opens it: rendered into the QGIS profile, linked by URL."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication

from ..guide import guide_file
from ..i18n import user_locale


def guide_folder() -> Path:
    """Where the rendered guide is written: the cache of the QGIS profile in use (the
    desktop and qgis_process have one)."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "cache" / "citymgmt"


def guide_url(anchor: str = "") -> str:
    """``file://…/guide.<language>.html#anchor``: the user guide in the language QGIS shows
    (rendered from the shipped Markdown when it is first asked for); "" when it cannot be
    written."""
    try:
        path = guide_file(user_locale(), guide_folder())
    except OSError:
        return ""
    url = path.as_uri()
    return f"{url}#{anchor}" if anchor else url
