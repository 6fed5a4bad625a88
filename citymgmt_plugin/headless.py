"""A QGIS application without a display, for the command line, the demo and benchmarks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .core.i18n import tr

_APP: Any = None
_PROVIDER: Any = None  # kept alive here: the registry does not own the Python object
_TRANSLATOR: Any = None


def ensure_app() -> Any:
    """Start (once) a headless QgsApplication; reuse the running one inside QGIS or tests."""
    global _APP
    from qgis.core import QgsApplication

    if QgsApplication.instance() is not None and _APP is None:
        _APP = QgsApplication.instance()  # already running (tests, QGIS itself)
    if _APP is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # QGIS switches a GeoPackage to WAL whenever it opens it for update and back when
        # the last handle closes; in one long headless process (demo, scheduled job) a
        # read-only handle still in GDAL's pool then loses the -shm file and fails with
        # "unable to open database file". Keep the rollback journal instead.
        from osgeo import gdal

        gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "DELETE")
        QgsApplication.setPrefixPath("/usr", True)
        _APP = QgsApplication([], False)
        _APP.initQgis()
    return _APP


def install_translator(locale: str) -> bool:
    """Translate user-facing text into ``locale`` (e.g. zh_CN) when its catalogue ships."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from .core.paths import translation_file

    global _TRANSLATOR
    qm = translation_file(locale)
    if qm is None:
        return False
    ensure_app()
    translator = QTranslator()
    if not translator.load(str(qm)):
        return False
    QCoreApplication.installTranslator(translator)
    _TRANSLATOR = translator  # the application does not own it
    return True


def start_qgis() -> Any:
    """Start (once) a headless QgsApplication with Processing and the citymgmt provider."""
    global _PROVIDER
    from qgis.core import QgsApplication

    ensure_app()
    try:
        from processing.core.Processing import Processing
    except ImportError as exc:
        raise RuntimeError(
            tr(
                "Headless",
                "QGIS Processing is not importable: add QGIS's python/plugins folder "
                "(e.g. /usr/share/qgis/python/plugins) to PYTHONPATH.",
            )
        ) from exc
    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    if registry.providerById("citymgmt") is None:
        from .processing_provider import create_provider

        _PROVIDER = create_provider()
        registry.addProvider(_PROVIDER)
    return _APP


@contextmanager
def qgis_session() -> Iterator[Any]:
    yield start_qgis()
