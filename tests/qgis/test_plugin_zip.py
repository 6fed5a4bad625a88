"""The packaged zip: valid for the plugin repository, installs, and loads in a stock QGIS Python.

The load runs in a subprocess on Debian's ``/usr/bin/python3 -I`` (no venv, no PYTHONPATH, no
user site): shapely 2, SQLAlchemy 2, GeoAlchemy2, alembic … are not importable there, so the
plugin works only if ``dependencies.ensure_dependencies`` extracts the zip's wheels into the
profile. ``zip_load_check.py`` does what QGIS does (``qgis.utils`` plugin paths, loadPlugin,
startPlugin, unloadPlugin) on a real QMainWindow and writes a JSON report.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
import qgis_process_helper
from qgis_process_helper import PLUGIN, deploy_script, install_plugin, package_script, stock_env

plugin_zip = qgis_process_helper.plugin_zip  # fixture; redundant once conftest loads the module

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
LIBS = ("shapely", "sqlalchemy", "geoalchemy2", "alembic", "mako", "openpyxl", "piexif")


def load_in_stock_python(profile: Path, scratch: Path, mode: str = "full") -> dict:
    out = scratch / f"report-{mode}.json"
    done = subprocess.run(
        [SYSTEM_PYTHON, "-I", str(HERE / "zip_load_check.py"), str(profile), str(out), mode],
        env=stock_env(scratch),
        cwd=str(scratch),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and out.is_file(), done.stdout + done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_zip_is_what_the_plugin_repository_accepts(plugin_zip):
    assert package_script.check_zip(plugin_zip) == []
    with zipfile.ZipFile(plugin_zip) as archive:
        names = archive.namelist()
    assert {n.split("/")[0] for n in names} == {PLUGIN}
    for inside in (
        "__init__.py",
        "metadata.txt",
        "LICENSE",
        "dependencies.py",
        "processing_algorithms/provider.py",
        "resources/icons/citymgmt.svg",
        "i18n/citymgmt_zh_CN.qm",
    ):
        assert f"{PLUGIN}/{inside}" in names, inside
    wheels = [n for n in names if n.startswith(f"{PLUGIN}/wheels/")]
    # Linux: shapely built against the host's GEOS (linux_ tag), never PyPI's manylinux build
    assert any("cp311" in w and "-linux_x86_64" in w and "/shapely-" in w for w in wheels)
    assert not any("manylinux" in w and "/shapely-" in w for w in wheels)
    assert not [n for n in names if n.endswith((".pyc", ".ts")) or "__pycache__" in n]
    assert plugin_zip.stat().st_size < 25e6  # plugins.qgis.org upload limit


def test_zip_carries_no_data_generator(plugin_zip):
    """The demo district and the tests' generators and fake servers stay in the checkout."""
    with zipfile.ZipFile(plugin_zip) as archive:
        names = archive.namelist()
    generators = ("/demo/", "fixtures", "synthetic", "lattice", "odk_server", "coverage_synth")
    assert [n for n in names if any(g in n for g in generators)] == []
    assert [n for n in names if "/core/" in n and n.endswith(".py")], "core is shipped"


def _bad_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_checker_rejects_broken_zips(tmp_path, plugin_zip):
    with zipfile.ZipFile(plugin_zip) as archive:
        good = {n: archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}
    meta = good[f"{PLUGIN}/metadata.txt"]
    cases = {
        "two-tops": {**good, "other/x.py": ""},
        "pyc": {**good, f"{PLUGIN}/core/__pycache__/x.cpython-311.pyc": ""},
        "no-email": {**good, f"{PLUGIN}/metadata.txt": meta.replace("email=", "mail=")},
        "old-qgis": {
            **good,
            f"{PLUGIN}/metadata.txt": meta.replace("Version=3.22", "Version=3.16"),
        },
        "abs-import": {
            **good,
            f"{PLUGIN}/processing_algorithms/x.py": "from processing_algorithms.base import A\n",
        },
        "no-license": {k: v for k, v in good.items() if not k.endswith("/LICENSE")},
        "no-wheels": {k: v for k, v in good.items() if "/wheels/" not in k},
        "bad-name": {n.replace(PLUGIN, "citymgmt-plugin", 1): v for n, v in good.items()},
    }
    for name, files in cases.items():
        problems = package_script.check_zip(_bad_zip(tmp_path / f"{name}.zip", files))
        assert problems, name


def test_deploy_replaces_an_older_copy_and_enables_it(tmp_path, plugin_zip):
    profile = tmp_path / "profiles" / "default"
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nother_plugin=true\n\n[locale]\nuserLocale=zh_CN\n")
    old = profile / "python" / "plugins" / PLUGIN
    old.mkdir(parents=True)
    (old / "stale_module.py").write_text("")
    target = deploy_script.install_zip(plugin_zip, profile)
    assert target == old and not (old / "stale_module.py").exists()
    assert (old / "metadata.txt").is_file() and (old / "wheels").is_dir()
    text = ini.read_text()
    assert "citymgmt_plugin=true" in text and "other_plugin=true" in text and "zh_CN" in text
    assert [p.name for p in (profile / "python" / "plugins").iterdir()] == [PLUGIN]


@pytest.mark.slow
def test_zip_loads_in_a_stock_qgis_python(tmp_path, plugin_zip):
    profile = install_plugin(plugin_zip, tmp_path / "root")
    report = load_in_stock_python(profile, tmp_path)

    # the subprocess really is a stock QGIS Python
    assert report["env_pythonpath"] is None
    assert not [p for p in report["sys_path"] if "/work/" in p or ".venv" in p]
    for lib in LIBS:
        before = report["before"][lib]
        assert before is None or (lib == "shapely" and before.startswith("1.")), (lib, before)
    assert report["before"]["numpy"].startswith("1.")
    assert report["settings_dir"].rstrip("/") == str(profile)

    # QGIS's loading path
    assert report["errors"] == []
    assert report["available"] and report["has_processing"] == "yes"
    assert report["loaded"] and report["started"] and report["active"]
    assert report["plugin_class"] == "CityMgmtPlugin"
    assert report["plugin_file"].startswith(str(profile / "python" / "plugins" / PLUGIN))
    assert report["after_start"]["menus"] == ["citymgmtMenu"]
    assert report["after_start"]["toolbars"] == ["citymgmtToolbar"]
    assert report["after_start"]["menubar_actions"][-1] == "Help"  # inserted before Help
    assert report["provider"]
    assert all(a.startswith("citymgmt:") for a in report["algorithms"])

    # the bundled wheels, extracted once into the profile's private folder, really work
    private = profile / "python" / "dependencies" / "citymgmt"
    for lib in LIBS:
        assert report["after"][lib].split()[1].startswith(str(private)), report["after"][lib]
    assert report["after"]["shapely"].startswith("2.")
    assert report["after"]["sqlalchemy"].startswith("2.")
    assert report["shapely_ok"] and report["workspace_srid"]
    installed = report["dependencies"]
    assert any("/shapely-2" in d and "cp311" in d for d in installed)
    assert any("/sqlalchemy-2" in d for d in installed)
    assert any("setting up" in message for _, message in report["log"])

    # unload leaves nothing
    assert report["unloaded"]
    assert report["after_unload"] == report["before_start"]
    assert not report["provider_after_unload"]
    # QGIS's import hook drops every plugin module it saw imported by name. It misses parent
    # packages reached only through a submodule (citymgmt_plugin.gui …: no code in them) and
    # `from .. import x` out of a folder without __init__.py (a namespace package has no
    # __file__, which the hook requires)
    left = report["modules_after_unload"]
    assert [
        m for m, is_package, namespace_child in left if not (is_package or namespace_child)
    ] == []
    assert report["leftover_actions"] == []

    # the next start reuses the extracted folder: no extraction, same markers
    markers = sorted((private).glob("*/*/.installed/*"))
    stamps = [m.stat().st_mtime_ns for m in markers]
    again = load_in_stock_python(profile, tmp_path)
    assert again["errors"] == [] and again["active"]
    assert not any("setting up" in message for _, message in again["log"])
    assert [m.stat().st_mtime_ns for m in markers] == stamps


@pytest.mark.slow
def test_zip_processing_only_start(tmp_path, plugin_zip):
    """What qgis_process does: classFactory(iface) then initProcessing(), no GUI."""
    profile = install_plugin(plugin_zip, tmp_path / "root")
    report = load_in_stock_python(profile, tmp_path, mode="processing")
    assert report["errors"] == []
    assert report["started"] and report["provider"]
    assert report["after_start"]["menus"] == [] and report["after_start"]["toolbars"] == []
    assert report["after"]["sqlalchemy"].startswith("2.")


@pytest.mark.slow
def test_missing_wheel_for_the_platform_explains_without_a_traceback(tmp_path, plugin_zip):
    profile = install_plugin(plugin_zip, tmp_path / "root")
    for wheel in (profile / "python" / "plugins" / PLUGIN / "wheels").glob("shapely-*cp311*"):
        wheel.unlink()
    report = load_in_stock_python(profile, tmp_path)
    assert report["plugin_class"] == "UnavailablePlugin"
    # no exception reached QGIS's error dialog (only the check script's own skip is recorded)
    assert all("plugin not started" in e for e in report["errors"]), report["errors"]
    assert report["active"] and not report["provider"]
    assert report["after_start"]["menus"] == []
    [(_title, text)] = report["message_bar"]
    assert "shapely>=2.0" in text and "pip install" in text
    assert any(level == 2 and "shapely>=2.0" in message for level, message in report["log"])
