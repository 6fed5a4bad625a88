"""Install the shipped zh_CN catalogue, compiled fresh, for tests of translated names."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "citymgmt_plugin" / "i18n" / "citymgmt_zh_CN.ts"


def build_qm(out_dir: Path) -> Path:
    qm = out_dir / "test_zh_CN.qm"
    subprocess.run(["lrelease", "-silent", str(TS), "-qm", str(qm)], check=True)
    return qm


@contextmanager
def zh_cn(out_dir: Path) -> Iterator[None]:
    """Translate through the real catalogue while the block runs."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    qm = build_qm(out_dir)
    translator = QTranslator()
    assert translator.load(str(qm)), qm
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)
