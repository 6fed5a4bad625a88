"""Run ``citymgmt:censusqa`` from core code (demo, benchmark, tests) in a headless QGIS."""

from __future__ import annotations

from typing import Any

_KEEP: list[Any] = []  # the Python provider object must outlive its registration


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
            from ...headless import start_qgis

            start_qgis()  # registers a provider: check it below
            reg = QgsApplication.processingRegistry()
        else:
            from processing.core.Processing import Processing

            Processing.initialize()
            reg = QgsApplication.processingRegistry()
        if reg.providerById("citymgmt") is None:
            from ...processing_provider import create_provider

            keep = create_provider()
            _KEEP.append(keep)
            reg.addProvider(keep)
    return reg.algorithmById("citymgmt:censusqa") is not None


def run_census_qa(components: Any, grids: Any, **params: Any) -> dict[str, Any]:
    """processing.run('citymgmt:censusqa', …); the algorithm object itself when the
    registry only holds a broken provider shell."""
    import processing

    from ...processing_provider import runnable

    args = {"INPUT": components, "GRIDS": grids, "OUTPUT": "memory:"}
    args.update(params)
    ensure_provider()
    return processing.run(runnable("citymgmt:censusqa"), args)
