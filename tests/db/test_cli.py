"""The command line an admin or a scheduled job uses, run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins", LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "citymgmt_plugin", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


def test_help_lists_the_commands():
    out = cli("--help").stdout
    for command in ("db", "demo"):
        assert command in out
    assert "upgrade" in cli("db", "--help").stdout


def test_db_upgrade_and_info_on_geopackage(tmp_path):
    gpkg = tmp_path / "office.gpkg"
    out = cli("db", "upgrade", str(gpkg)).stdout
    assert "revision 0003" in out
    info = cli("db", "info", str(gpkg)).stdout
    assert "EPSG:4549" in info and "component_classes" in info and "170" in info


def test_db_upgrade_on_postgis_url_with_schema(pg_spec):
    out = cli("db", "upgrade", pg_spec, "--legacy14", "--scheme", "std17").stdout
    assert "revision 0003" in out and "***" not in out
    from citymgmt_plugin.core.workspace.store import Workspace

    ws = Workspace.open(pg_spec)
    assert ws.setting("grid_code_legacy14") == "1" and ws.setting("component_scheme") == "std17"
    ws.close()


def test_db_upgrade_via_pg_service(tmp_path, pg_url, pg_spec):
    from sqlalchemy.engine import make_url

    u = make_url(pg_url)
    service_file = tmp_path / "pg_service.conf"
    service_file.write_text(
        f"[office]\nhost={u.host}\nport={u.port}\ndbname={u.database}\nuser={u.username}\n"
    )
    schema = pg_spec.rsplit("schema=", 1)[1]
    os.environ["PGSERVICEFILE"] = str(service_file)
    try:
        out = cli("db", "upgrade", f"service=office schema={schema}").stdout
        assert "service=office" in out and "revision 0003" in out
    finally:
        del os.environ["PGSERVICEFILE"]


def test_bad_workspace_gives_a_message_not_a_traceback(tmp_path):
    r = cli("db", "info", str(tmp_path / "missing.gpkg"), check=False)
    assert r.returncode == 2
    assert "No such GeoPackage" in r.stderr and "Traceback" not in r.stderr
    r = cli("db", "info", "office.sqlite", check=False)
    assert r.returncode == 2 and "Not a workspace" in r.stderr


def test_messages_in_chinese_for_a_chinese_locale(tmp_path):
    env_lang = dict(os.environ, LANG="zh_CN.UTF-8")
    r = subprocess.run(
        [sys.executable, "-m", "citymgmt_plugin", "db", "info", str(tmp_path / "none.gpkg")],
        cwd=ROOT,
        env=dict(env_lang, PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 2 and "GeoPackage 文件不存在" in r.stderr
    out = cli("--lang", "zh_CN", "db", "upgrade", str(tmp_path / "w.gpkg")).stdout
    assert "数据库结构版本 0003" in out
    assert "Workspace" in cli("--lang", "en", "db", "info", str(tmp_path / "w.gpkg")).stdout
