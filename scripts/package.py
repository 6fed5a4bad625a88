"""Build ``dist/citymgmt.zip``: the plugin as the QGIS plugin repository and installer take it.

Layout of the zip (one top folder, the Python package QGIS imports)::

    citymgmt_plugin/
      __init__.py …            the package (no __pycache__, .pyc, .ts, pending translations)
      metadata.txt, LICENSE
      processing_algorithms/   the Processing provider, found as .processing_algorithms
      resources/               code tables, styles, templates, icons (core/paths.py looks here)
      docs/                    the user guide, Markdown in English and Chinese (core/guide.py)
      i18n/citymgmt_*.qm       compiled translations (lrelease; the .ts stay in the repo)
      wheels/*.whl             runtime dependencies a stock QGIS lacks (see dependencies.py)

Wheels are downloaded once with ``pip download --only-binary=:all: --no-deps`` for each
target (``cpXY-<platform tag>``) into ``build/wheels/<target>/`` and reused from there, so a
repeated build is offline. One exception, for Linux targets: shapely is **built from source
against the build machine's GEOS** (``libgeos_c.so.1``, Debian: libgeos-dev) instead of taking
PyPI's manylinux wheel. QGIS has already loaded the system GEOS into its process, and on Linux
a manylinux shapely's GEOS calls bind to that copy, not to the newer one the wheel carries
(see ``citymgmt_plugin/geos_check.py``). Built against the oldest GEOS we support (Debian 12's
3.11) and linked to the soname every Linux QGIS loads, it works with GEOS 3.11 and newer; it
must be built with the target's Python (the running interpreter).

Targets: ``--targets`` or ``CITYMGMT_WHEEL_TARGETS`` (comma
separated); the default bundles Linux x86_64 for Python 3.11 (Debian 12's QGIS, the tested
one) and Windows x64 for Python 3.12 (OSGeo4W's QGIS 3.34+). Other examples:
``cp39-win_amd64`` (OSGeo4W QGIS 3.22–3.28), ``cp39-macosx_10_15_x86_64``,
``cp312-manylinux2014_x86_64`` (Ubuntu 24.04; Linux targets are built on a machine of
that kind, with its Python, for shapely). Pure-Python wheels are shared by all targets.

Usage: ``make package`` (= ``.venv/bin/python scripts/package.py [--targets …] [--out …]``).
"""

from __future__ import annotations

import argparse
import ast
import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "citymgmt_plugin"
DIST_ZIP = ROOT / "dist" / "citymgmt.zip"
WHEEL_CACHE = ROOT / "build" / "wheels"
DEFAULT_TARGETS = ("cp311-manylinux2014_x86_64", "cp312-win_amd64")
# Bundled requirements that requirements.txt does not pin (the venv takes them from Debian).
EXTRA_PINS = {"packaging": "25.0", "tzdata": "2025.2"}
# demo: the demo district generator runs from a checkout (make demo), users get no generator
EXCLUDED_DIRS = {"__pycache__", "tests", "pending", "demo", ".pytest_cache", ".ruff_cache"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".ts", ".orig", ".rej", ".swp"}
REQUIRED_METADATA = (
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "repository",
    "tracker",
)

if str(ROOT) not in sys.path:  # a build script, not plugin code: import the checkout
    sys.path.insert(0, str(ROOT))


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def read_pins(requirements: Path = ROOT / "requirements.txt") -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        found = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)", line)
        if found:
            pins[normalise(found.group(1))] = found.group(2)
    return pins


def bundle_pins() -> list[tuple[str, str]]:
    """(distribution, version) of every wheel to bundle, from dependencies.REQUIREMENTS."""
    from citymgmt_plugin.dependencies import REQUIREMENTS

    pins = {**{normalise(k): v for k, v in EXTRA_PINS.items()}, **read_pins()}
    result = []
    for req in REQUIREMENTS:
        version = pins.get(normalise(req.dist))
        if version is None:
            raise SystemExit(f"package: no pinned version for {req.dist} in requirements.txt")
        result.append((req.dist, version))
    return result


def targets_from_env() -> list[str]:
    value = os.environ.get("CITYMGMT_WHEEL_TARGETS", "")
    return [t.strip() for t in value.split(",") if t.strip()] or list(DEFAULT_TARGETS)


def _cached(folder: Path, dist: str, version: str, built: bool = False) -> Path | None:
    """The cached wheel of ``dist==version``: a local build (``linux_*`` tag) or a download."""
    prefix = f"{normalise(dist)}-{version}-"
    for path in folder.glob("*.whl"):
        if normalise(path.name.split("-")[0]) + "-" + path.name.split("-")[1] + "-" != prefix:
            continue
        if ("-linux_" in path.name) == built:
            return path
    return None


def builds_from_source(target: str, dist: str) -> bool:
    """Linux targets get shapely built against the host's GEOS (see the module docstring)."""
    return normalise(dist) == "shapely" and "linux" in target


def build_host_shapely(target: str, version: str, folder: Path) -> Path:
    """``shapely==version`` compiled against this machine's ``libgeos_c.so.1``."""
    found = re.fullmatch(r"cp(\d)(\d+)-.*linux.*_(x86_64|aarch64)", target)
    here = f"{sys.version_info[0]}{sys.version_info[1]}"
    import platform

    if not found or found.group(1) + found.group(2) != here or found.group(3) != platform.machine():
        raise SystemExit(
            f"package: {target}: shapely for Linux is built against the host's GEOS and must be "
            f"built with that Python on that architecture (this is cp{here} {platform.machine()})"
        )
    cached = _cached(folder, "shapely", version, built=True)
    if cached is not None:
        return cached
    print(
        f"package: building shapely {version} against this system's GEOS for {target}", flush=True
    )
    with tempfile.TemporaryDirectory(prefix=".build-", dir=folder) as dest:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-binary",
            "shapely",
            "--wheel-dir",
            dest,
            f"shapely=={version}",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(
                "package: building shapely failed (needs gcc, Python headers and the GEOS "
                f"development package, Debian: libgeos-dev python3-dev):\n{result.stderr}"
            )
        for wheel in Path(dest).glob("shapely-*.whl"):
            os.replace(wheel, folder / wheel.name)
    built = _cached(folder, "shapely", version, built=True)
    if built is None:
        raise SystemExit(f"package: no shapely wheel was built for {target}")
    return built


def download_wheels(targets: list[str], cache: Path = WHEEL_CACHE) -> list[Path]:
    """The pinned wheels for each target, downloaded into ``cache/<target>/`` when missing."""
    pins = bundle_pins()
    wheels: dict[str, Path] = {}
    for target in targets:
        found = re.fullmatch(r"cp(\d)(\d+)-(.+)", target)
        if not found:
            raise SystemExit(f"package: target {target!r} is not like cp311-manylinux2014_x86_64")
        major, minor, plat = found.groups()
        folder = cache / target
        folder.mkdir(parents=True, exist_ok=True)
        todo = [
            f"{d}=={v}"
            for d, v in pins
            if not builds_from_source(target, d) and _cached(folder, d, v) is None
        ]
        if todo:
            print(f"package: downloading {', '.join(todo)} for {target}", flush=True)
            cmd = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--only-binary=:all:",
                "--no-deps",
                "--platform",
                plat,
                "--python-version",
                f"{major}.{minor}",
                "--implementation",
                "cp",
                "--dest",
                "{dest}",
                *todo,
            ]
            with tempfile.TemporaryDirectory(prefix=".download-", dir=cache) as dest:
                cmd[cmd.index("{dest}")] = dest
                result = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if result.returncode != 0:
                    raise SystemExit(f"package: pip download failed for {target}:\n{result.stderr}")
                for wheel in Path(dest).glob("*.whl"):  # whole files only: builds may run at once
                    os.replace(wheel, folder / wheel.name)
        for dist, version in pins:
            if builds_from_source(target, dist):
                path = build_host_shapely(target, version, folder)
                wheels.setdefault(path.name, path)
                continue
            path = _cached(folder, dist, version)
            if path is None:
                raise SystemExit(f"package: no wheel of {dist}=={version} for {target}")
            wheels.setdefault(path.name, path)  # pure-Python wheels: once for all targets
    return sorted(wheels.values(), key=lambda p: p.name)


def _included(path: Path) -> bool:
    return not (set(path.parts) & EXCLUDED_DIRS) and path.suffix not in EXCLUDED_SUFFIXES


def _copy_tree(src: Path, dst: Path) -> None:
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_file() and _included(rel):
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dst / rel)


def compile_translations(dst_i18n: Path) -> list[Path]:
    """Put a .qm for every .ts into the staged i18n/, reusing one from `make translations`."""
    src = ROOT / PLUGIN / "i18n"
    made = []
    for ts in sorted(src.glob("*.ts")) if src.is_dir() else []:
        qm = ts.with_suffix(".qm")
        out = dst_i18n / qm.name
        out.parent.mkdir(parents=True, exist_ok=True)
        if qm.is_file() and qm.stat().st_mtime >= ts.stat().st_mtime:
            shutil.copy2(qm, out)
        else:
            lrelease = shutil.which("lrelease") or shutil.which("lrelease-qt5")
            if lrelease is None:
                raise SystemExit("package: lrelease not found (Debian: qttools5-dev-tools)")
            subprocess.run([lrelease, "-silent", str(ts), "-qm", str(out)], check=True)
        made.append(out)
    return made


def stage(dst: Path, wheels: list[Path]) -> Path:
    """Lay out the plugin folder under ``dst``; returns ``dst/citymgmt_plugin``."""
    top = dst / PLUGIN
    _copy_tree(ROOT / PLUGIN, top)
    for stale in top.joinpath("i18n").glob("*.qm") if top.joinpath("i18n").is_dir() else []:
        stale.unlink()  # rebuilt below from the .ts
    _copy_tree(ROOT / "processing_algorithms", top / "processing_algorithms")
    _copy_tree(ROOT / "resources", top / "resources")
    _copy_tree(ROOT / "docs", top / "docs")  # the user guide (core/guide.py)
    shutil.copy2(ROOT / "metadata.txt", top / "metadata.txt")
    shutil.copy2(ROOT / "LICENSE", top / "LICENSE")
    compile_translations(top / "i18n")
    if wheels:
        (top / "wheels").mkdir(exist_ok=True)
        for wheel in wheels:
            shutil.copy2(wheel, top / "wheels" / wheel.name)
    return top


def write_zip(top: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    tmp = Path(name)
    with zipfile.ZipFile(tmp, "w") as archive:
        for path in sorted(top.rglob("*")):
            if path.is_file():
                name = path.relative_to(top.parent).as_posix()
                method = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                archive.write(path, name, compress_type=method)
    tmp.chmod(0o644)  # mkstemp made it private
    tmp.replace(out)


def build(out: Path = DIST_ZIP, targets: list[str] | None = None, wheels: bool = True) -> Path:
    """Build the zip at ``out`` and check it; raises SystemExit listing any problem."""
    wheel_files = download_wheels(targets or targets_from_env()) if wheels else []
    with tempfile.TemporaryDirectory(prefix="citymgmt-package-") as tmp:
        top = stage(Path(tmp), wheel_files)
        write_zip(top, out)
    problems = check_zip(out, require_wheels=wheels)
    if problems:
        raise SystemExit("package: invalid zip:\n  " + "\n  ".join(problems))
    return out


# --- the checker -------------------------------------------------------------------------


def _absolute_imports_of(source: str, name: str) -> list[int]:
    """Lines importing top-level ``name``, except fallbacks in an ``except ImportError:``."""
    tree = ast.parse(source)
    fallback = {
        id(node)
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        for stmt in handler.body
        for node in ast.walk(stmt)
    }
    lines = []
    for node in ast.walk(tree):
        if id(node) in fallback:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == name:
                lines.append(node.lineno)
        elif isinstance(node, ast.Import):
            lines += [node.lineno for a in node.names if a.name.split(".")[0] == name]
    return lines


def check_zip(path: Path, require_wheels: bool = True) -> list[str]:
    """What would make the QGIS plugin repository or a user's QGIS reject the zip (empty: OK)."""
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        tops = {n.split("/")[0] for n in archive.namelist()}
        if len(tops) != 1:
            return [f"expected one top folder, found {sorted(tops)}"]
        top = tops.pop()

        def read(rel: str) -> str:
            return archive.read(f"{top}/{rel}").decode("utf-8")

        problems = _check_entry(top, set(names), read)
        problems += _check_metadata(top, names, read)
        problems += _check_layout(top, names)
        if require_wheels:
            problems += _check_wheels(names, top)
        problems += _check_imports(top, names, read)
    return problems


def _check_entry(top: str, files: set[str], read) -> list[str]:
    problems = []
    if not top.isidentifier():
        problems.append(f"top folder {top!r} is not a Python identifier")
    if f"{top}/__init__.py" not in files:
        problems.append("no __init__.py in the top folder")
    elif "def classFactory(" not in read("__init__.py"):
        problems.append("__init__.py has no classFactory(iface)")
    if f"{top}/LICENSE" not in files:
        problems.append("no LICENSE in the top folder")
    return problems


def _check_metadata(top: str, names: list[str], read) -> list[str]:
    metadata_files = [n for n in names if n.endswith("metadata.txt")]
    if metadata_files != [f"{top}/metadata.txt"]:
        return [f"expected exactly {top}/metadata.txt, found {metadata_files}"]
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case sensitive (qgisMinimumVersion)
    parser.read_string(read("metadata.txt"))
    meta = dict(parser["general"]) if parser.has_section("general") else {}
    problems = [f"metadata.txt: no {k}" for k in REQUIRED_METADATA if not meta.get(k)]
    if meta.get("qgisMinimumVersion") != "3.22":
        problems.append("metadata.txt: qgisMinimumVersion is not 3.22")
    if meta.get("hasProcessingProvider", "").lower() != "yes":
        problems.append("metadata.txt: hasProcessingProvider is not yes")
    if not re.fullmatch(r"\d+\.\d+\.\d+", meta.get("version", "")):
        problems.append("metadata.txt: version is not like 1.2.3")
    icon = meta.get("icon")
    if icon and f"{top}/{icon}" not in set(names):
        problems.append(f"metadata.txt: icon {icon} is not in the zip")
    return problems


def _check_layout(top: str, names: list[str]) -> list[str]:
    problems = []
    for name in names:
        parts = name.split("/")
        if "__pycache__" in parts or name.endswith((".pyc", ".pyo")):
            problems.append(f"compiled Python file: {name}")
        if "tests" in parts[:-1]:
            problems.append(f"test file: {name}")
    for required in ("processing_algorithms/__init__.py", "processing_algorithms/provider.py"):
        if f"{top}/{required}" not in names:
            problems.append(f"no {required} inside the top folder")
    if not any(n.startswith(f"{top}/resources/") for n in names):
        problems.append("no resources/ inside the top folder")
    if not any(n.startswith(f"{top}/i18n/") and n.endswith(".qm") for n in names):
        problems.append("no compiled translations (i18n/*.qm)")
    return problems


def _check_imports(top: str, names: list[str], read) -> list[str]:
    """The packaged algorithms are not a top-level package any more."""
    problems = []
    for name in names:
        if not name.endswith(".py"):
            continue
        for line in _absolute_imports_of(read(name[len(top) + 1 :]), "processing_algorithms"):
            problems.append(
                f"{name}:{line}: absolute import of processing_algorithms "
                "(use a relative import: it is citymgmt_plugin.processing_algorithms here)"
            )
    return problems


def _check_wheels(names: list[str], top: str) -> list[str]:
    from citymgmt_plugin.dependencies import REQUIREMENTS

    wheels = [n.split("/")[-1] for n in names if n.startswith(f"{top}/wheels/")]
    present = {normalise(w.split("-")[0]) for w in wheels if w.endswith(".whl")}
    return [
        f"wheels/: no wheel of {req.dist}"
        for req in REQUIREMENTS
        if normalise(req.dist) not in present
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DIST_ZIP)
    parser.add_argument(
        "--targets",
        help="comma-separated cpXY-<platform> wheel targets "
        f"(default: $CITYMGMT_WHEEL_TARGETS or {','.join(DEFAULT_TARGETS)})",
    )
    parser.add_argument(
        "--no-wheels", action="store_true", help="leave the runtime wheels out (dev builds)"
    )
    args = parser.parse_args(argv)
    targets = args.targets.split(",") if args.targets else None
    out = build(args.out, targets, wheels=not args.no_wheels)
    size = out.stat().st_size / 1e6
    with zipfile.ZipFile(out) as archive:
        count = len(archive.namelist())
    print(
        f"package: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: "
        f"{count} files, {size:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
