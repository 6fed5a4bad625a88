"""The real QGIS desktop (Debian's /usr/bin/qgis under Xvfb) with only the plugin zip installed.

A throwaway profile gets the zip installed and enabled (scripts/deploy.py) and its UI
language set to QGIS's Simplified Chinese (``zh-Hans``, what QGIS's Options dialog stores).
QGIS runs in a stock environment: Debian's Python, no venv, no PYTHONPATH, no repository on
the path, so shapely 2, SQLAlchemy 2 … can come only from the wheels inside the zip.
``startup_check.py`` (``--code``) checks the plugin from inside QGIS, opens its three docks,
saves a screenshot to tests/artifacts/qgis_desktop.png, writes a JSON result and quits.
The screen is a small laptop's (1024 x 768): the docks must fit it, tabbed together.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import qgis_process_helper
from qgis_process_helper import PLUGIN, deploy_script, install_plugin, stock_env

plugin_zip = qgis_process_helper.plugin_zip  # fixture; redundant once conftest loads the module

HERE = Path(__file__).resolve().parent
QGIS = "/usr/bin/qgis"
TIMEOUT = 240

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Debian's xvfb"),
]


def run_desktop(profiles_root: Path, scratch: Path, shot: Path) -> tuple[dict, str]:
    out = scratch / "desktop.json"
    env = stock_env(scratch, CITYMGMT_CHECK_OUT=str(out), CITYMGMT_CHECK_SHOT=str(shot))
    env.pop("QT_QPA_PLATFORM")  # a real X display (Xvfb)
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1024x768x24",  # a small laptop screen
        QGIS,
        "--profiles-path",
        str(profiles_root),
        "--noversioncheck",
        "--nologo",
        "--code",
        str(HERE / "startup_check.py"),
    ]
    try:
        done = subprocess.run(
            command,
            env=env,
            cwd=str(scratch),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        log = done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"QGIS did not quit within {TIMEOUT}s: {exc.stdout} {exc.stderr}")
    assert out.is_file(), f"no result from QGIS:\n{log[-4000:]}"
    return json.loads(out.read_text(encoding="utf-8")), log


def test_plugin_in_the_real_qgis_desktop(tmp_path, plugin_zip, artifacts):
    root = tmp_path / "qgis"
    profile = install_plugin(plugin_zip, root)
    settings_ini = profile / "QGIS" / "QGIS3.ini"
    from qgis.PyQt.QtCore import QSettings

    settings = QSettings(str(settings_ini), QSettings.IniFormat)
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh-Hans")
    settings.sync()
    assert deploy_script  # the profile is set up exactly as `make deploy` does

    shot = artifacts / "qgis_desktop.png"
    shot.unlink(missing_ok=True)
    result, log = run_desktop(root, tmp_path, shot)

    assert result["errors"] == [], result["errors"]
    assert "/.venv/" not in result["python"] and result["python"].startswith("/usr/bin/python3")
    assert not [p for p in result["sys_path"] if ".venv" in p or "/work/" in p]
    assert result["settings_dir"].rstrip("/") == str(profile)
    assert PLUGIN in result["active_plugins"], log[-4000:]
    assert result["plugin_class"] == "CityMgmtPlugin"
    assert result["menu_title"] == "数字城管"  # the plugin's zh_CN catalogue, via zh-Hans
    assert result["menu_actions"]
    assert result["toolbar_visible"]
    assert result["provider"]
    private = str(profile / "python" / "dependencies" / "citymgmt")
    for name, (version, path) in result["modules"].items():
        assert path.startswith(private), (name, path)
        if name in ("shapely", "sqlalchemy"):
            assert version.startswith("2."), (name, version)
    assert result["screenshot"] and shot.stat().st_size > 10_000

    # the docks: hidden at first start, then all open they share one tab group on the right
    # and the window still fits the 1024 x 768 screen
    docks = result["docks"]
    assert set(docks) == {
        "citymgmtCensusDock",
        "citymgmtThematicDock",
        "citymgmtReviewDock",
        "citymgmtPoiDock",
    }
    for name, info in docks.items():
        assert info["hidden_at_start"], name
        assert info["open"] and info["area"] == result["right_area"], (name, info)
        assert info["tabbed_with_census"], (name, info)
        assert info["min_height"] < 400, (name, info)
    assert [n for n, i in docks.items() if i["in_front"]] == ["citymgmtThematicDock"]
    _x, _y, width, height = result["window"]
    assert width <= 1024 and height <= 768, result["window"]
    assert result["window_at_start"][3] <= 768, result["window_at_start"]
