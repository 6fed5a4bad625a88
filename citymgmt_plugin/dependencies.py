"""Runtime dependencies: use what QGIS's Python has, else the wheels bundled in the zip.

A stock QGIS (Debian's ``qgis`` package, OSGeo4W, the macOS bundle) ships numpy, psycopg2,
requests, pyproj, PyQt5 and MarkupSafe, but not shapely 2, SQLAlchemy 2, GeoAlchemy2, alembic,
Mako, typing_extensions, openpyxl or piexif (nor, on Windows, the tzdata that zoneinfo needs).
The plugin zip carries wheels of those in ``wheels/`` (see ``scripts/package.py``).
:func:`ensure_dependencies`, called first thing by ``classFactory``:

1. checks every :data:`REQUIREMENTS` entry (importable, version at least the minimum) without
   importing anything heavy; when all are there (a development venv, the tests, a QGIS whose
   Python already has them) it returns at once and changes nothing;
2. for the missing ones, picks the bundled wheel whose tags fit this interpreter and extracts
   it, once per plugin version, into a plugin-private folder:
   ``<QGIS profile>/python/dependencies/citymgmt/<plugin version>/<python>-<platform>/``
   (outside QGIS: the user's cache folder; ``CITYMGMT_DEPENDENCIES_DIR`` overrides both);
3. puts that folder at the front of ``sys.path`` with :func:`site.addsitedir`, so a bundled
   SQLAlchemy 2 wins over an older one that the system may have (Debian's 1.4).

This module is the one place in the plugin allowed to change ``sys.path``. Nothing is ever
installed into QGIS's own Python, so other plugins are not affected unless they import the
same packages after us (they then get versions at least as new as theirs would be).

When a needed wheel is not bundled for this platform, :class:`DependencyError` carries a
translated message naming the packages to install; ``classFactory`` then returns an
:class:`UnavailablePlugin` that shows the message instead of a traceback.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import platform
import re
import shutil
import site
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core.i18n import tr, user_locale
from .core.paths import PACKAGE_DIR, translation_file
from .metadata import __version__

LOG_TAG = "citymgmt"
WHEELS_DIR = PACKAGE_DIR / "wheels"
ENV_DIR = "CITYMGMT_DEPENDENCIES_DIR"
_MARKERS = ".installed"


@dataclass(frozen=True)
class Requirement:
    dist: str  # distribution name as on PyPI (the wheel file name starts with it, normalised)
    module: str  # top-level import name
    minimum: str  # lowest version the plugin works with
    only_on: str = ""  # needed only where sys.platform starts with this ("win32")

    @property
    def needed(self) -> bool:
        return sys.platform.startswith(self.only_on)

    @property
    def wheel_prefix(self) -> str:
        return normalise(self.dist)

    def spec(self) -> str:
        return f"{self.dist}>={self.minimum}"


# What the plugin imports beyond the standard library, numpy, PyQt/qgis, psycopg2, requests,
# pyproj and MarkupSafe (which every QGIS has), in dependency order. The versions bundled in
# the zip are the pins of requirements.txt (scripts/package.py reads them).
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("typing_extensions", "typing_extensions", "4.12"),
    Requirement("packaging", "packaging", "20.0"),
    Requirement("shapely", "shapely", "2.0"),
    Requirement("SQLAlchemy", "sqlalchemy", "2.0"),
    Requirement("GeoAlchemy2", "geoalchemy2", "0.15"),
    Requirement("Mako", "mako", "1.1"),
    Requirement("alembic", "alembic", "1.13"),
    Requirement("et_xmlfile", "et_xmlfile", "1.1"),
    Requirement("openpyxl", "openpyxl", "3.1"),  # census import from .xlsx
    Requirement("piexif", "piexif", "1.1"),  # photo EXIF time and position
    Requirement("tzdata", "tzdata", "2023.3", only_on="win32"),  # zoneinfo has no system tz db
)


class DependencyError(RuntimeError):
    """A requirement can be met neither by QGIS's Python nor by a bundled wheel."""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def version_tuple(version: str) -> tuple[int, ...]:
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    return tuple(int(p) for p in match.group(0).split(".")) if match else ()


# --- what this interpreter has -----------------------------------------------------------


def installed_version(req: Requirement) -> str | None:
    """Version of ``req`` that ``import req.module`` would give, or None if not importable."""
    module = sys.modules.get(req.module)
    if module is not None and getattr(module, "__version__", None):
        return str(module.__version__)  # already imported: that is the one in use
    if module is None and importlib.util.find_spec(req.module) is None:
        return None
    try:
        return importlib.metadata.version(req.dist)  # without importing it
    except importlib.metadata.PackageNotFoundError:
        module = module or importlib.import_module(req.module)  # no metadata: ask the module
    return str(getattr(module, "__version__", "0"))


def is_satisfied(req: Requirement) -> bool:
    version = installed_version(req)
    return version is not None and version_tuple(version) >= version_tuple(req.minimum)


def missing_requirements() -> list[Requirement]:
    return [req for req in REQUIREMENTS if req.needed and not is_satisfied(req)]


# --- which bundled wheel fits ------------------------------------------------------------


def _platform_tags() -> set[str]:
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    tags = {"any", plat}
    if plat.startswith("linux_"):
        arch = plat[len("linux_") :]
        libc = (os.confstr("CS_GNU_LIBC_VERSION") or "") if hasattr(os, "confstr") else ""
        found = re.match(r"glibc (\d+)\.(\d+)", libc)
        if found and found.group(1) == "2":
            glibc_minor = int(found.group(2))
            tags.update(f"manylinux_2_{m}_{arch}" for m in range(5, glibc_minor + 1))
            legacy = {"manylinux1": 5, "manylinux2010": 12, "manylinux2014": 17}
            tags.update(f"{n}_{arch}" for n, m in legacy.items() if m <= glibc_minor)
    elif plat.startswith("macosx_"):
        release = platform.mac_ver()[0] or "10.9"
        major, minor = ([*version_tuple(release), 0, 0])[:2]
        arch = platform.machine()
        arches = {arch, "universal2", "universal"} | ({"intel"} if arch == "x86_64" else set())
        versions = [(10, m) for m in range(9, 16 if major > 10 else minor + 1)]
        versions += [(v, 0) for v in range(11, major + 1)]
        tags.update(f"macosx_{a}_{b}_{x}" for a, b in versions for x in arches)
    return tags


def interpreter_tag() -> str:
    """e.g. ``cp311-linux_x86_64``: names the extraction folder."""
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"cp{sys.version_info[0]}{sys.version_info[1]}-{plat}"


def wheel_fits(filename: str) -> bool:
    """True if the wheel ``filename`` can be used by this interpreter."""
    parts = filename[: -len(".whl")].split("-")
    if len(parts) < 5:
        return False
    pys, abis, plats = (set(p.split(".")) for p in parts[-3:])
    major, minor = sys.version_info[:2]
    cp = f"cp{major}{minor}"
    if not plats & _platform_tags():
        return False
    for py in pys:
        for abi in abis:
            if abi == "none" and py in {f"py{major}", f"py{major}{minor}", cp}:
                return True
            if abi == cp and py == cp:
                return True
            if abi == "abi3" and py.startswith(f"cp{major}") and version_tuple(py[3:]) <= (minor,):
                return True
    return False


def bundled_wheel(req: Requirement, wheels_dir: Path | None = None) -> Path | None:
    wheels_dir = wheels_dir or WHEELS_DIR
    if not wheels_dir.is_dir():
        return None
    candidates = [
        path
        for path in sorted(wheels_dir.glob("*.whl"))
        if normalise(path.name.split("-")[0]) == req.wheel_prefix and wheel_fits(path.name)
    ]
    return candidates[-1] if candidates else None


# --- where the wheels go -----------------------------------------------------------------


def dependencies_root() -> Path:
    """``…/dependencies/citymgmt`` in the QGIS profile, or in the user's cache folder."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    profile = ""
    try:
        from qgis.core import QgsApplication

        if QgsApplication.instance() is not None:
            profile = QgsApplication.qgisSettingsDirPath()
    except ImportError:  # pragma: no cover - QGIS is always there for the plugin
        pass
    if profile:
        return Path(profile) / "python" / "dependencies" / "citymgmt"
    if sys.platform == "win32":
        cache = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        cache = Path.home() / "Library" / "Caches"
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "citymgmt" / "dependencies"


def target_dir() -> Path:
    return dependencies_root() / __version__ / interpreter_tag()


def is_extracted(target: Path, wheel: Path) -> bool:
    return (target / _MARKERS / wheel.name).is_file()


def extract_wheel(wheel: Path, target: Path) -> None:
    """Unzip ``wheel`` into ``target`` (a wheel is a ready-made site folder) and mark it done."""
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            path = Path(archive.extract(info, target))
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                path.chmod(mode | 0o600)
    (target / _MARKERS).mkdir(parents=True, exist_ok=True)
    (target / _MARKERS / wheel.name).write_text(__version__, encoding="utf-8")


def activate(target: Path) -> None:
    """Make ``target`` importable ahead of the system site folders (the one sys.path edit)."""
    entry = str(target)
    if entry in sys.path:
        return
    before = list(sys.path)
    site.addsitedir(entry)  # also runs any .pth files the wheels carry
    added = [p for p in sys.path if p not in before]
    sys.path[:] = added + before
    importlib.invalidate_caches()


def remove_other_versions(root: Path) -> None:
    """Best effort: drop folders extracted for other plugin versions."""
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and child.name != __version__:
            shutil.rmtree(child, ignore_errors=True)


# --- messages ----------------------------------------------------------------------------


@contextmanager
def plugin_catalogue() -> Iterator[None]:
    """The plugin's translator, for messages made before ``initProcessing`` installs it."""
    try:
        from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    except ImportError:  # pragma: no cover
        yield
        return
    if QCoreApplication.instance() is None:
        yield
        return
    qm = translation_file(user_locale())
    translator = QTranslator()
    loaded = qm is not None and translator.load(str(qm))
    loaded = loaded and QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        if loaded:
            QCoreApplication.removeTranslator(translator)


def log(message: str, level: str = "Info") -> None:
    try:
        from qgis.core import Qgis, QgsMessageLog

        QgsMessageLog.logMessage(message, LOG_TAG, getattr(Qgis, level))
    except ImportError:  # pragma: no cover
        print(message, file=sys.stderr)


def _gui_available() -> bool:
    try:
        from qgis.core import QgsApplication
        from qgis.PyQt.QtWidgets import QApplication
    except ImportError:  # pragma: no cover
        return False
    app = QgsApplication.instance()
    return isinstance(app, QApplication) and QgsApplication.platform() == "desktop"


def _missing_message(absent: list[Requirement]) -> str:
    specs = " ".join(f'"{req.spec()}"' for req in absent)
    return tr(
        "Dependencies",
        "City management needs Python packages that this QGIS does not have and that the "
        "plugin does not bundle for this platform ({0}, Python {1}): {2}. Install them into "
        "QGIS's Python (for example: python3 -m pip install {3}) and restart QGIS, or install "
        "the plugin zip built for this platform.",
    ).format(
        interpreter_tag(),
        platform.python_version(),
        ", ".join(req.spec() for req in absent),
        specs,
    )


def _stale_message(stale: list[tuple[Requirement, str]]) -> str:
    return tr(
        "Dependencies",
        "City management needs newer Python packages than the ones already loaded by QGIS "
        "or another plugin: {0}. Restart QGIS so that City management is loaded first, or "
        "upgrade them in QGIS's Python.",
    ).format(", ".join(f"{req.dist} {version} (< {req.minimum})" for req, version in stale))


# --- the entry point ---------------------------------------------------------------------


def ensure_dependencies() -> list[str]:
    """Make every requirement importable; return the wheels extracted now (usually none).

    Raises :class:`DependencyError` (translated message) when a requirement can't be met.
    """
    missing = missing_requirements()
    if not missing:
        return []
    with plugin_catalogue():
        wheels = {req: bundled_wheel(req) for req in missing}
        absent = [req for req, wheel in wheels.items() if wheel is None]
        if absent:
            message = _missing_message(absent)
            log(message, "Critical")
            raise DependencyError(message)
        target = target_dir()
        todo = [w for w in wheels.values() if w is not None and not is_extracted(target, w)]
        if todo:
            _extract_all(todo, target)
            remove_other_versions(target.parent.parent)
        activate(target)
        stale = [(req, installed_version(req) or "?") for req in missing if not is_satisfied(req)]
        if stale:
            message = _stale_message(stale)
            log(message, "Critical")
            raise DependencyError(message)
    return [w.name for w in todo]


def _extract_all(wheels: list[Path], target: Path) -> None:
    names = ", ".join(w.name.split("-")[0] + " " + w.name.split("-")[1] for w in wheels)
    log(
        tr(
            "Dependencies",
            "City management: setting up its bundled Python packages ({0}) in {1}. "
            "This happens once per plugin version.",
        ).format(names, target)
    )
    dialog = None
    if _gui_available():
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtWidgets import QApplication, QProgressDialog

        dialog = QProgressDialog(
            tr("Dependencies", "City management: preparing Python packages…"),
            "",
            0,
            len(wheels),
        )
        dialog.setCancelButton(None)
        dialog.setWindowTitle(tr("Dependencies", "City management"))
        dialog.setWindowModality(Qt.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        QApplication.processEvents()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for done, wheel in enumerate(wheels):
            if dialog is not None:
                from qgis.PyQt.QtWidgets import QApplication

                dialog.setValue(done)
                dialog.setLabelText(
                    tr("Dependencies", "City management: preparing {0}…").format(
                        wheel.name.split("-")[0]
                    )
                )
                QApplication.processEvents()
            extract_wheel(wheel, target)
    except OSError as exc:
        message = tr(
            "Dependencies", "City management could not unpack its Python packages into {0}: {1}"
        ).format(target, exc)
        log(message, "Critical")
        raise DependencyError(message) from exc
    finally:
        if dialog is not None:
            dialog.setValue(len(wheels))
            dialog.close()
            dialog.deleteLater()
    log(tr("Dependencies", "City management: Python packages ready in {0}.").format(target))


class UnavailablePlugin:
    """Stands in for the plugin when its dependencies can't be met: says why, adds nothing."""

    def __init__(self, iface: Any, message: str) -> None:
        self.iface = iface
        self.message = message

    def initProcessing(self) -> None:
        log(self.message, "Critical")

    def initGui(self) -> None:
        if self.iface is not None:
            from qgis.core import Qgis

            self.iface.messageBar().pushMessage(
                tr("Dependencies", "City management"), self.message, Qgis.Critical, 0
            )

    def unload(self) -> None:
        pass
