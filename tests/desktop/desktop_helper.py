"""Start the real QGIS desktop under Xvfb on a scenario and read back what it recorded.

The profile is made as a user's would be: the release zip installed by ``scripts/deploy.py``
(``install_plugin``), the UI language set in ``QGIS/QGIS3.ini`` as QGIS's Options dialog
stores it. QGIS runs in a stock environment (Debian's Python, no venv, no PYTHONPATH) with
``--code launch.py``; the scenario (``qgis_runner`` + a steps module) writes a JSON result
and screenshots, then quits. One QGIS start per scenario.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis_process_helper import install_plugin, stock_env

HERE = Path(__file__).resolve().parent
QGIS = "/usr/bin/qgis"
SCREEN = "1920x1200x24"  # room for a 1600×1000 window (docks_at_two_sizes)
TIMEOUT = 300  # seconds for one QGIS run, start to quit


def make_profile(zip_path: Path, profiles_root: Path, locale: str | None) -> Path:
    """A fresh profile with the zip installed and enabled; ``locale`` as the UI language."""
    from qgis.PyQt.QtCore import QSettings

    profile = install_plugin(zip_path, profiles_root)
    settings = QSettings(str(profile / "QGIS" / "QGIS3.ini"), QSettings.IniFormat)
    if locale:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", locale)
    settings.sync()
    return profile


@dataclass
class DesktopRun:
    result: dict[str, Any]
    log: str
    returncode: int | None
    seconds: float

    @property
    def steps(self) -> dict[str, dict[str, Any]]:
        return {s["name"]: s for s in self.result.get("steps", [])}

    def failed_steps(self) -> list[str]:
        return [s["name"] for s in self.result.get("steps", []) if not s.get("ok")]

    def explain(self, names: list[str] | None = None) -> str:
        """Why steps failed: tracebacks, errors caught in QGIS, its log and output."""
        parts = []
        if not self.result.get("finished"):
            parts.append(f"QGIS did not finish the scenario (exit code {self.returncode}).")
        if self.result.get("launch_error"):
            parts.append("The scenario could not start:\n" + self.result["launch_error"])
        for name in names if names is not None else self.failed_steps():
            step = self.steps.get(name, {"error": "never started"})
            parts.append(f"--- step {name}: {step.get('error') or ''}")
            parts += step.get("errors", [])
            logged = [m for m in self.result.get("messages", []) if m["step"] == name]
            parts += [f"[log {m['tag']} {m['level']}] {m['text'][:1500]}" for m in logged[-8:]]
        for dialog in self.result.get("unexpected_dialogs", []):
            parts.append(f"unexpected dialog: {dialog}")
        parts.append("--- QGIS output (tail):\n" + self.log[-3000:])
        return "\n".join(parts)


def run_scenario(
    profiles_root: Path,
    scratch: Path,
    config: dict[str, Any],
    env: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> DesktopRun:
    """QGIS under ``xvfb-run`` on ``config`` (written as JSON); waits for it to quit."""
    out = Path(config["out"])
    out.unlink(missing_ok=True)
    config_path = scratch / f"{config['name']}.json"
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    run_env = stock_env(
        scratch,
        CITYMGMT_SCENARIO=str(config_path),
        CITYMGMT_DESKTOP_DIR=str(HERE),
        **(env or {}),
    )
    run_env.pop("QT_QPA_PLATFORM")  # a real X display (Xvfb)
    command = [
        "xvfb-run",
        "-a",
        "-s",
        f"-screen 0 {SCREEN}",
        QGIS,
        "--profiles-path",
        str(profiles_root),
        "--noversioncheck",
        "--nologo",
        "--code",
        str(HERE / "launch.py"),
    ]
    started = time.monotonic()
    proc = subprocess.Popen(
        command,
        env=run_env,
        cwd=str(scratch),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # xvfb-run, Xvfb and QGIS in one group: stopped together
    )
    try:
        log, _ = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        log, _ = proc.communicate()
        log += f"\n[killed: QGIS did not quit within {timeout:.0f} s]"
        code = None
    result: dict[str, Any] = {"steps": [], "finished": False}
    if out.is_file():
        result = json.loads(out.read_text(encoding="utf-8"))
    return DesktopRun(result, log or "", code, round(time.monotonic() - started, 1))
