"""ensure_dependencies: a no-op in the venv, bundled wheels extracted once, clear errors."""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path
from unittest.mock import MagicMock

import pytest

import citymgmt_plugin
from citymgmt_plugin import dependencies as deps
from citymgmt_plugin.dependencies import DependencyError, Requirement, UnavailablePlugin

FAKE = "citymgmt_probe_dep"


def make_wheel(folder: Path, version: str, name: str = FAKE, tags: str = "py3-none-any") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{name}-{version}-{tags}.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{name}/__init__.py", f'__version__ = "{version}"\n')
        archive.writestr(
            f"{name}-{version}.dist-info/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        )
    return wheel


def install_plain(site: Path, version: str) -> None:
    """An already installed (system) copy of the fake package."""
    (site / FAKE).mkdir(parents=True)
    (site / FAKE / "__init__.py").write_text(f'__version__ = "{version}"\n')
    info = site / f"{FAKE}-{version}.dist-info"
    info.mkdir()
    info.joinpath("METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {FAKE}\nVersion: {version}\n"
    )


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """One fake requirement, a private wheels folder and target, sys.path restored after."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, FAKE, raising=False)
    monkeypatch.setattr(deps, "REQUIREMENTS", (Requirement(FAKE, FAKE, "1.0"),))
    monkeypatch.setattr(deps, "WHEELS_DIR", tmp_path / "wheels")
    monkeypatch.setenv(deps.ENV_DIR, str(tmp_path / "deps"))
    yield tmp_path
    sys.modules.pop(FAKE, None)


def test_nothing_to_do_in_the_venv_is_fast_and_changes_nothing():
    path = list(sys.path)
    started = time.perf_counter()
    assert deps.ensure_dependencies() == []
    assert time.perf_counter() - started < 0.5
    assert sys.path == path


def test_every_requirement_has_a_pin_and_the_pins_satisfy_the_minimums():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "package_script", Path(__file__).resolve().parents[2] / "scripts" / "package.py"
    )
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    pins = dict(package.bundle_pins())
    for req in deps.REQUIREMENTS:
        assert deps.version_tuple(pins[req.dist]) >= deps.version_tuple(req.minimum), req


@pytest.mark.parametrize(
    ("name", "fits"),
    [
        ("a-1.0-py3-none-any.whl", True),
        ("shapely-2.1.2-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl", True),
        ("sqlalchemy-2.0.44-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", True),
        ("b-1.0-cp37-abi3-manylinux_2_17_x86_64.whl", True),
        ("shapely-2.1.2-cp312-cp312-win_amd64.whl", False),
        ("shapely-2.1.2-cp312-cp312-manylinux2014_x86_64.whl", False),
        ("shapely-2.1.2-cp311-cp311-macosx_11_0_arm64.whl", False),
        ("c-1.0-py2-none-any.whl", False),
        ("not-a-wheel.whl", False),
    ],
)
def test_wheel_tags_match_debian_12_python(name, fits):
    if sys.platform != "linux" or sys.version_info[:2] != (3, 11):
        pytest.skip("tag table written for CPython 3.11 on Linux x86_64")
    assert deps.wheel_fits(name) is fits


def test_missing_package_is_extracted_once_and_importable(sandbox):
    wheel = make_wheel(sandbox / "wheels", "1.2.0")
    make_wheel(sandbox / "wheels", "1.2.0", tags="cp312-cp312-win_amd64")  # not for us
    stale = sandbox / "deps" / "0.0.1"
    stale.mkdir(parents=True)
    assert deps.ensure_dependencies() == [wheel.name]
    module = __import__(FAKE)
    assert module.__version__ == "1.2.0"
    assert Path(module.__file__).is_relative_to(deps.target_dir())
    version = citymgmt_plugin.__version__
    assert deps.target_dir() == sandbox / "deps" / version / deps.interpreter_tag()
    assert sys.path[0] == str(deps.target_dir())
    assert not stale.exists()  # folders of other plugin versions are dropped
    assert deps.ensure_dependencies() == []  # satisfied now


def test_next_start_reuses_the_extracted_folder(sandbox, monkeypatch):
    make_wheel(sandbox / "wheels", "1.2.0")
    deps.ensure_dependencies()
    marker = next((deps.target_dir() / ".installed").iterdir())
    mtime = marker.stat().st_mtime_ns
    # a new QGIS start: fresh sys.path and modules
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(deps.target_dir())])
    sys.modules.pop(FAKE, None)
    assert deps.ensure_dependencies() == []
    assert marker.stat().st_mtime_ns == mtime
    assert __import__(FAKE).__version__ == "1.2.0"


def test_too_old_installed_version_is_shadowed_by_the_bundled_one(sandbox):
    system = sandbox / "system-site"
    install_plain(system, "0.5")
    sys.path.append(str(system))
    assert deps.installed_version(deps.REQUIREMENTS[0]) == "0.5"
    make_wheel(sandbox / "wheels", "1.2.0")
    deps.ensure_dependencies()
    assert __import__(FAKE).__version__ == "1.2.0"


def test_already_imported_old_version_gives_a_clear_error(sandbox):
    system = sandbox / "system-site"
    install_plain(system, "0.5")
    sys.path.append(str(system))
    __import__(FAKE)  # another plugin got there first
    make_wheel(sandbox / "wheels", "1.2.0")
    with pytest.raises(DependencyError, match="Restart QGIS") as err:
        deps.ensure_dependencies()
    assert f"{FAKE} 0.5" in str(err.value)


def test_missing_wheel_names_what_to_install_and_the_plugin_says_so(sandbox):
    with pytest.raises(DependencyError) as err:
        deps.ensure_dependencies()
    message = str(err.value)
    assert f"{FAKE}>=1.0" in message and "pip install" in message
    assert deps.interpreter_tag() in message

    iface = MagicMock()
    plugin = citymgmt_plugin.classFactory(iface)  # no traceback: a stand-in that explains
    assert isinstance(plugin, UnavailablePlugin)
    plugin.initProcessing()
    plugin.initGui()
    args = iface.messageBar().pushMessage.call_args.args
    assert FAKE in args[1]
    plugin.unload()
