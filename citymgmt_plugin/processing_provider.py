"""Find the Processing provider in the packaged plugin or in a source checkout.

The zip carries ``processing_algorithms`` inside the plugin folder; a source checkout keeps
it at the top of the repository (importable because the checkout root is on the path of
tests, ``make`` targets and ``qgis_process`` runs started from it).
"""

from __future__ import annotations

from typing import Any


def create_provider() -> Any:
    try:
        from .processing_algorithms.provider import CityMgmtProvider  # packaged zip
    except ImportError:
        from processing_algorithms.provider import CityMgmtProvider  # source checkout
    return CityMgmtProvider()


def runnable(alg_id: str) -> Any:
    """What to hand to ``processing.run`` for ``alg_id``: the id when the registry answers,
    else a fresh instance. (A provider added without a Python reference kept elsewhere loses
    its Python half: its algorithms get empty ids, and it can no longer be removed to re-add.)
    """
    from qgis.core import QgsApplication

    if QgsApplication.processingRegistry().algorithmById(alg_id) is not None:
        return alg_id
    try:
        from .processing_algorithms.provider import create_algorithm  # packaged zip
    except ImportError:
        from processing_algorithms.provider import create_algorithm  # source checkout
    return create_algorithm(alg_id)
