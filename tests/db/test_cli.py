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
    assert "revision 0005" in out
    info = cli("db", "info", str(gpkg)).stdout
    assert "EPSG:4549" in info and "component_classes" in info and "170" in info


def test_db_upgrade_on_postgis_url_with_schema(pg_spec):
    out = cli("db", "upgrade", pg_spec, "--legacy14", "--scheme", "std17").stdout
    assert "revision 0005" in out and "***" not in out
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
        assert "service=office" in out and "revision 0005" in out
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
    assert "数据库结构版本 0005" in out
    assert "Workspace" in cli("--lang", "en", "db", "info", str(tmp_path / "w.gpkg")).stdout


def _zh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return cli("--lang", "zh_CN", *args, check=check)


def test_argparse_speaks_chinese_under_lang_zh_cn():
    out = _zh("db", "info", "--help").stdout
    for words in (
        "用法：",
        "位置参数",
        "选项",
        "显示本帮助信息并退出",
        "工作空间：GeoPackage 路径",
    ):
        assert words in out, out
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out, out
    r = _zh("db", "info", check=False)  # WORKSPACE missing: argparse's own error
    assert r.returncode == 2 and "错误：缺少以下必需参数：WORKSPACE" in r.stderr, r.stderr
    r = _zh("db", "upgrade", "w.gpkg", "--scheme", "nine", check=False)
    assert r.returncode == 2 and "无效的选项：'nine'" in r.stderr, r.stderr
    assert "usage:" in cli("--lang", "en", "--help").stdout  # English stays English


def _actions(parser):
    import argparse

    for action in parser._actions:
        yield parser.prog, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


def test_every_argument_has_help():
    from citymgmt_plugin.cli.main import build_parser

    missing = [
        f"{prog}: {action.option_strings or action.metavar or action.dest}"
        for prog, action in _actions(build_parser())
        if not action.help
    ]
    assert missing == []
    out = cli("ingest", "--help").stdout
    assert "WORKSPACE" in out and "GeoPackage path" in out


def test_unknown_demo_steps_are_refused_naming_the_known_ones(tmp_path):
    r = cli("demo", "--out", str(tmp_path / "d"), "--steps", "foo,district", check=False)
    assert r.returncode == 2
    assert "unknown steps: foo" in r.stderr
    assert "district, checks, coverage, deviation, census, intake, cases, thematic" in r.stderr
    assert not (tmp_path / "d").exists()  # nothing ran
    r = _zh("demo", "--out", str(tmp_path / "d"), "--steps", "foo", check=False)
    assert r.returncode == 2 and "未知的步骤：foo；可用的步骤：district" in r.stderr


def test_db_info_names_the_schema_revision_and_tables_in_chinese(tmp_path):
    gpkg = tmp_path / "office.gpkg"
    cli("db", "upgrade", str(gpkg))
    from citymgmt_plugin.core.workspace.connection import head_revision

    head = head_revision()
    out = cli("db", "info", str(gpkg)).stdout
    assert f"Schema up to date (revision {head})." in out
    assert "Office time zone: Asia/Shanghai" in out
    zh = _zh("db", "info", str(gpkg)).stdout
    assert f"数据库结构已是最新（版本 {head}）。" in zh and "部件类别" in zh, zh
    import getpass

    from ui_text import untranslated

    data = (str(gpkg), getpass.getuser())  # the path and the login are data, shown as they are

    def judged(line: str) -> list[str]:
        for value in data:
            line = line.replace(value, " ")
        return untranslated(line)

    bad = [(line, judged(line)) for line in zh.splitlines() if judged(line)]
    assert bad == [], bad  # table names and settings in Chinese, no English keys


def test_chinese_demo_output_has_no_english_keys_and_office_times(tmp_path):
    from ui_text import untranslated

    out = tmp_path / "demo"
    steps = "district,checks,coverage,census,intake,thematic,kpi"
    r = _zh("demo", "--out", str(out), "--scale", "0.02", "--steps", steps)
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    # the output folder and file names (census-batch.geojson|census-batch) are data
    bad = [(line, untranslated(line.replace(str(out), " "), ("census-batch",))) for line in lines]
    bad = [b for b in bad if b[1]]
    assert bad == [], "\n".join(f"{line!r}: {why}" for line, why in bad)
    made = next(line for line in lines if line.startswith("生成时间："))
    assert made.endswith("Asia/Shanghai") and "+00:00" not in made
    assert any(line.startswith("输出：") for line in lines)
