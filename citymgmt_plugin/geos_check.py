"""Does shapely work in this process, with the GEOS that the host (QGIS) already loaded?

Why this exists: ``qgis.bin`` and ``qgis_process.bin`` link GEOS's C library
(``libgeos_c.so.1``) and load it into the process's global symbol scope before any plugin
runs. On Linux an extension module loaded later binds its ``GEOS…`` calls to the first
definition in that scope, not to the copy it ships: a manylinux shapely wheel (which bundles
its own, newer GEOS) then runs against the host's older GEOS and fails at run time
("WKB output dimension must be 2 or 3" with GEOS 3.11 under shapely built for 3.13), or
worse, mixes two GEOS builds. The plugin zip therefore carries, for Linux, a shapely built
from source against the host's ``libgeos_c.so.1`` (``scripts/package.py``): one GEOS in the
process, the one QGIS uses. On Windows and macOS, libraries bind their imports per library
(by DLL name / two-level namespace), so the PyPI wheels are safe there.

:func:`self_check` proves it at load: WKB and WKT round trips in 2-D and 3-D, a predicate
and a spatial-index query. When they fail, :func:`failure_message` names what to install;
the plugin then loads as a stand-in that shows that one message instead of failing on
every click.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from dataclasses import dataclass

from .core.i18n import tr


@dataclass(frozen=True)
class GeosReport:
    ok: bool
    shapely_version: str = "?"
    built_geos: str = "?"  # the GEOS shapely was compiled against
    host_geos: str = "?"  # the GEOS the process resolves GEOS calls to
    problem: str = ""


def host_geos_version() -> str:
    """``GEOSversion()`` as the process resolves it: the host's copy when one is loaded."""
    try:
        process = ctypes.CDLL(None)  # the global scope: what a later library binds to
        func = getattr(process, "GEOSversion", None)
        if func is None:
            name = ctypes.util.find_library("geos_c")
            if name is None:
                return "?"
            func = ctypes.CDLL(name).GEOSversion
        func.restype = ctypes.c_char_p
        return func().decode("ascii", "replace")
    except (OSError, AttributeError):  # Windows has no global scope: nothing to compare
        return "?"


def _exercise() -> None:
    """Raise when shapely cannot do what the plugin does all day."""
    import shapely
    from shapely import Point, STRtree, box

    for geom in (Point(500000.5, 3500000.25), Point(1.0, 2.0, 3.0), box(0, 0, 10, 10)):
        back = shapely.from_wkb(shapely.to_wkb(geom))
        if not back.equals_exact(geom, 1e-9) or back.has_z != geom.has_z:
            raise RuntimeError(f"WKB round trip changed {geom.wkt}")
        again = shapely.from_wkt(shapely.to_wkt(geom, rounding_precision=-1))
        if not again.equals_exact(geom, 1e-9):
            raise RuntimeError(f"WKT round trip changed {geom.wkt}")
    hex_ewkb = shapely.to_wkb(Point(1, 2), hex=True, include_srid=True)
    if shapely.from_wkb(hex_ewkb).x != 1.0:
        raise RuntimeError("hex WKB round trip failed")
    square = box(0, 0, 10, 10)
    if not square.contains(Point(5, 5)) or square.intersects(Point(20, 20)):
        raise RuntimeError("predicates give wrong answers")
    tree = STRtree([box(i, 0, i + 1, 1) for i in range(10)])
    if sorted(tree.query(box(2.5, 0.2, 4.5, 0.8)).tolist()) != [2, 3, 4]:
        raise RuntimeError("spatial index query gives wrong answers")


def self_check() -> GeosReport:
    """Exercise shapely in this process; never raises."""
    try:
        import shapely
    except Exception as exc:  # an unimportable build: report, do not crash QGIS
        return GeosReport(False, problem=f"{type(exc).__name__}: {exc}")
    built = ".".join(str(n) for n in getattr(shapely, "geos_version", ()) or ()) or "?"
    report = {
        "shapely_version": str(getattr(shapely, "__version__", "?")),
        "built_geos": built,
        "host_geos": host_geos_version(),
    }
    try:
        _exercise()
    except Exception as exc:
        return GeosReport(False, problem=f"{type(exc).__name__}: {exc}", **report)
    return GeosReport(True, **report)


def failure_message(report: GeosReport) -> str:
    """One translated message naming the cause and what to install."""
    if sys.platform.startswith("linux"):
        remedy = tr(
            "Dependencies",
            "Install the City management zip built for this system (it carries shapely built "
            "against this system's GEOS), or build shapely against it: install the GEOS "
            "development package (Debian/Ubuntu: libgeos-dev) and run python3 -m pip install "
            '--no-binary shapely "shapely>=2.0" for QGIS\'s Python, then restart QGIS.',
        )
    else:
        remedy = tr(
            "Dependencies",
            'Install shapely 2 for QGIS\'s Python (python3 -m pip install "shapely>=2.0", in '
            "OSGeo4W: the OSGeo4W Shell) and restart QGIS.",
        )
    return tr(
        "Dependencies",
        "City management cannot work with geometries in this QGIS: shapely {0} (built for "
        "GEOS {1}) fails with the GEOS library QGIS loaded (GEOS {2}): {3}. {4}",
    ).format(report.shapely_version, report.built_geos, report.host_geos, report.problem, remedy)
