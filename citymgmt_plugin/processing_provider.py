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
