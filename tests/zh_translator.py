"""Install a zh_CN translator built from the pending catalogues (tests of translated names)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

PENDING = Path(__file__).resolve().parent.parent / "citymgmt_plugin" / "i18n" / "pending"


def build_qm(json_files: list[Path], out_dir: Path) -> Path:
    contexts: dict[str, dict[str, str]] = {}
    for f in json_files:
        for ctx, messages in json.loads(f.read_text(encoding="utf-8")).items():
            contexts.setdefault(ctx, {}).update(messages)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        '<TS version="2.1" language="zh_CN">',
    ]
    for ctx, messages in contexts.items():
        lines.append(f"<context><name>{escape(ctx)}</name>")
        for source, translation in messages.items():
            lines.append(
                f"<message><source>{escape(source)}</source>"
                f"<translation>{escape(translation)}</translation></message>"
            )
        lines.append("</context>")
    lines.append("</TS>")
    ts = out_dir / "test_zh_CN.ts"
    ts.write_text("\n".join(lines), encoding="utf-8")
    qm = out_dir / "test_zh_CN.qm"
    subprocess.run(["lrelease", "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


@contextmanager
def zh_cn(out_dir: Path, names: tuple[str, ...] = ("workspace.json",)) -> Iterator[None]:
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    qm = build_qm([PENDING / n for n in names], out_dir)
    translator = QTranslator()
    assert translator.load(str(qm)), qm
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)
