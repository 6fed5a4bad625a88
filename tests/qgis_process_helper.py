"""Run Debian's ``qgis_process`` against the packaged plugin installed in a throwaway profile.

For algorithm tests that want the real command line::

    from qgis_process_helper import run_qgis_process

    def test_my_alg(installed_profile, tmp_path):
        done = run_qgis_process(
            ["run", "citymgmt:my_alg", "--", f"INPUT={src}", f"OUTPUT={tmp_path / 'o.gpkg'}"],
            installed_profile,
            json_output=True,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)["results"]

How qgis_process 3.22 finds the plugin: ``QGIS_CUSTOM_CONFIG_PATH=ROOT`` makes it use the
profile ``ROOT/profiles/default``; it loads the Python plugins of that profile's
``python/plugins`` whose metadata says ``hasProcessingProvider=yes`` and which are enabled
(``[PythonPlugins] citymgmt_plugin=true`` in ``QGIS/QGIS3.ini``, what ``scripts/deploy.py``
writes; ``qgis_process plugins enable citymgmt_plugin`` does the same), calling only
``classFactory(None)`` and ``initProcessing()``. ``/usr/bin/qgis_process`` is a wrapper that
adds ``--noversioncheck``, which 3.22 rejects, so the ``.bin`` is called.

The environment is a stock QGIS one: Debian's Python, no PYTHONPATH, no venv, so shapely 2,
SQLAlchemy 2 … come from the wheels in the zip, extracted on first use into
``<profile>/python/dependencies/citymgmt/``.

The fixtures here (``plugin_zip``, ``installed_profile``) are session-scoped; the zip is built
once per test process into pytest's temporary folder (wheels from the ``build/wheels`` cache,
downloaded from PyPI on the first build of a fresh checkout).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
PLUGIN = "citymgmt_plugin"
_BUILT: dict[str, Path] = {}


def _script(name: str):
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"citymgmt_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


package_script = _script("package")
deploy_script = _script("deploy")


def build_plugin_zip(folder: Path) -> Path:
    """The release zip (default wheel targets) in ``folder``, built once per test process."""
    if "zip" not in _BUILT:
        _BUILT["zip"] = package_script.build(Path(folder) / "citymgmt.zip")
    return _BUILT["zip"]


def install_plugin(zip_path: Path, profiles_root: Path, enable: bool = True) -> Path:
    """Install into ``profiles_root/profiles/default``; returns that profile folder."""
    profile = profiles_root / "profiles" / "default"
    deploy_script.install_zip(zip_path, profile, enable=enable)
    return profile


def stock_env(scratch: Path, profile_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """A stock desktop environment: no venv, no PYTHONPATH; HOME and XDG dirs in ``scratch``."""
    home = Path(scratch) / "home"
    runtime = Path(scratch) / "runtime"
    home.mkdir(parents=True, exist_ok=True)
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": os.environ.get("CITYMGMT_TEST_LANG", "C.UTF-8"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if profile_dir is not None:
        env["QGIS_CUSTOM_CONFIG_PATH"] = str(Path(profile_dir).parent.parent)
    env.update(extra)
    return env


def run_qgis_process(
    args: Sequence[str],
    profile_dir: Path,
    *,
    json_output: bool = False,
    timeout: float = 300,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``qgis_process.bin [--json] ARGS`` with the profile ``profile_dir`` (…/profiles/default)."""
    profile_dir = Path(profile_dir)
    assert profile_dir.parent.name == "profiles", f"not a profile folder: {profile_dir}"
    command = [QGIS_PROCESS, *(["--json"] if json_output else []), *map(str, args)]
    return subprocess.run(
        command,
        env={**stock_env(profile_dir.parent.parent, profile_dir), **(env or {})},
        cwd=str(cwd or profile_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def plugin_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``citymgmt.zip`` built from the working tree (once per session) and validated."""
    return build_plugin_zip(tmp_path_factory.mktemp("plugin-zip"))


@pytest.fixture(scope="session")
def installed_profile(plugin_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway QGIS profile with the zip installed and enabled (…/profiles/default)."""
    return install_plugin(plugin_zip, tmp_path_factory.mktemp("qgis-profiles"))
