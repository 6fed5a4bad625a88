"""shapely inside a process that already loaded a GEOS (what qgis.bin / qgis_process.bin do).

Each case runs in a fresh interpreter that first loads a GEOS C library into the global
symbol scope, exactly as QGIS's binaries have done before any plugin is imported:

- Debian's GEOS 3.11 (QGIS 3.22 on Debian 12) under the shapely we ship for Linux (built
  from source against the system GEOS): works;
- a GEOS 3.13 (QGIS 3.40's; taken from PyPI's shapely wheel, which bundles one) under the
  same build: works, the C API is backward compatible;
- Debian's GEOS 3.11 under PyPI's manylinux shapely wheel (built for GEOS 3.13): the cause
  of the desktop crashes; the self-check catches it and the plugin loads as a stand-in
  with one message naming what to install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPI_CACHE = ROOT / "build" / "wheels" / "pypi-manylinux-shapely"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux symbol scope")

PROBE = """
import ctypes, json, sys
for lib in sys.argv[1:]:
    ctypes.CDLL(lib, mode=ctypes.RTLD_GLOBAL)
from citymgmt_plugin.geos_check import failure_message, self_check
report = self_check()
out = report.__dict__.copy()
out["message"] = "" if report.ok else failure_message(report)
import citymgmt_plugin
plugin = citymgmt_plugin.classFactory(None)
out["plugin"] = type(plugin).__name__
out["plugin_message"] = getattr(plugin, "message", "")
print(json.dumps(out))
"""


def _probe(preload: list[str], python_path: list[Path] = ()) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [*(str(p) for p in python_path), str(ROOT), env.get("PYTHONPATH", "")]
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *preload],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def pypi_shapely(tmp_path_factory) -> Path:
    """PyPI's manylinux shapely wheel (bundling GEOS 3.13), unpacked: what we no longer ship."""
    pins = [ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if "shapely==" in ln]
    PYPI_CACHE.mkdir(parents=True, exist_ok=True)
    wheels = sorted(PYPI_CACHE.glob("shapely-*manylinux*.whl"))
    if not wheels:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--only-binary=:all:",
                "--no-deps",
                "--platform",
                "manylinux2014_x86_64",
                "--python-version",
                f"{sys.version_info[0]}.{sys.version_info[1]}",
                "--dest",
                str(PYPI_CACHE),
                pins[0].strip(),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        wheels = sorted(PYPI_CACHE.glob("shapely-*manylinux*.whl"))
    site = tmp_path_factory.mktemp("pypi-shapely")
    with zipfile.ZipFile(wheels[-1]) as archive:
        archive.extractall(site)
    return site


def _bundled_geos(site: Path) -> list[str]:
    libs = site / "shapely.libs"
    core = sorted(libs.glob("libgeos-*.so*"))
    capi = sorted(libs.glob("libgeos_c-*.so*"))
    return [str(core[0]), str(capi[0])]


def test_shipped_shapely_works_with_the_geos_qgis_3_22_loaded():
    out = _probe(["libgeos_c.so.1"])
    assert out["ok"], out
    assert out["host_geos"].startswith("3.11"), out
    assert out["plugin"] == "CityMgmtPlugin"


def test_shipped_shapely_works_with_a_newer_host_geos(pypi_shapely):
    """QGIS 3.34/3.40 load GEOS 3.12/3.13: a shapely built for 3.11 runs on them."""
    out = _probe(_bundled_geos(pypi_shapely))
    assert out["ok"], out
    assert out["host_geos"].startswith("3.13"), out
    assert out["plugin"] == "CityMgmtPlugin"


def test_manylinux_shapely_under_qgis_geos_is_caught_with_one_message(pypi_shapely):
    out = _probe(["libgeos_c.so.1"], [pypi_shapely])
    assert not out["ok"], out
    assert "dimension" in out["problem"], out
    assert out["built_geos"].startswith("3.13") and out["host_geos"].startswith("3.11"), out
    assert "libgeos-dev" in out["message"] and "--no-binary shapely" in out["message"]
    # the plugin does not load half-broken: one stand-in that shows the message
    assert out["plugin"] == "UnavailablePlugin"
    assert out["plugin_message"] == out["message"]


def test_self_check_in_the_test_process_itself():
    from citymgmt_plugin.geos_check import self_check

    report = self_check()
    assert report.ok, report
