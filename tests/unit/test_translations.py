"""The zh_CN catalogue is complete and in step with the code, and it loads in Qt."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
i18n_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n_tool)


def test_every_user_string_has_a_chinese_translation():
    gaps = i18n_tool.missing()
    assert not gaps, "untranslated (run scripts/i18n.py update and translate):\n" + "\n".join(
        f"[{c}] {s}" for c, s in gaps[:50]
    )


def test_catalogue_has_no_strings_the_code_no_longer_uses():
    code = i18n_tool.scan()
    stale = [
        (ctx, src)
        for ctx, msgs in i18n_tool.read_ts().items()
        for src in msgs
        if src not in code.get(ctx, {})
    ]
    assert not stale, f"run scripts/i18n.py update: {stale[:10]}"


def test_compiled_catalogue_translates(tmp_path, qgis_app):
    qm = tmp_path / "citymgmt_zh_CN.qm"
    subprocess.run(["lrelease", "-silent", str(i18n_tool.TS), "-qm", str(qm)], check=True)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        from citymgmt_plugin.core.codes import validate_grid_code

        assert QCoreApplication.translate("Plugin", "City management") == "数字城管"
        problems = validate_grid_code("12345")
        assert problems and "单元网格代码" in problems[0] and "应为15位" in problems[0]
    finally:
        QCoreApplication.removeTranslator(translator)
