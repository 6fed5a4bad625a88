"""A QGIS application without a display, with Processing and the citymgmt provider.

For the command line, the demo, the benchmarks and the tests. It lives outside ``core``:
core holds no Processing and never reaches for the provider.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .core.i18n import tr
from .processing_provider import create_provider, runnable

_APP: Any = None
_PROVIDER: Any = None  # kept alive here: the registry does not own the Python object
_KEEP: list[Any] = []  # providers registered by ensure_provider, kept alive likewise
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
        _PROVIDER = create_provider()
        registry.addProvider(_PROVIDER)
    return _APP


@contextmanager
def qgis_session() -> Iterator[Any]:
    yield start_qgis()


def ensure_provider() -> bool:
    """Register the citymgmt provider with a live Python object; True when its algorithms
    can be run by id.

    A provider registered as a temporary (``addProvider(create_provider())``) loses its
    Python side: the registry then holds an empty shell (id '', algorithms without ids)
    that cannot even be removed. Registering first, with a kept reference, avoids that.
    """
    from qgis.core import QgsApplication

    reg = QgsApplication.processingRegistry() if QgsApplication.instance() else None
    if reg is None or reg.providerById("citymgmt") is None:
        if QgsApplication.instance() is None:
            start_qgis()  # registers a provider: check it below
            reg = QgsApplication.processingRegistry()
        else:
            from processing.core.Processing import Processing

            Processing.initialize()
            reg = QgsApplication.processingRegistry()
        if reg.providerById("citymgmt") is None:
            keep = create_provider()
            _KEEP.append(keep)
            reg.addProvider(keep)
    return reg.algorithmById("citymgmt:censusqa") is not None


def run_census_qa(components: Any, grids: Any, **params: Any) -> dict[str, Any]:
    """processing.run('citymgmt:censusqa', …); the algorithm object itself when the
    registry only holds a broken provider shell."""
    import processing

    args = {"INPUT": components, "GRIDS": grids, "OUTPUT": "memory:"}
    args.update(params)
    ensure_provider()
    return processing.run(runnable("citymgmt:censusqa"), args)
