"""What a Chinese-speaking user sees of the workspace layers and the Processing help: an
attribute table with translated column titles, and an algorithm's help as the Processing
dialog renders it (screenshots in tests/artifacts/, to look at)."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgsDualView
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QTextBrowser
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.layers import load_workspace_layers
from tests.fixtures.small_workspace import seed_small_workspace


def _settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


def test_attribute_table_titles_in_chinese(qgis_canvas, gpkg_workspace, tmp_path, artifacts):
    seed_small_workspace(gpkg_workspace)
    project = QgsProject.instance()
    with zh_cn(tmp_path):
        layer = load_workspace_layers(gpkg_workspace, project)["submissions"]
    view = QgsDualView()
    view.init(layer, qgis_canvas)
    view.setView(QgsDualView.AttributeTable)
    model = view.masterModel()
    titles = [
        model.headerData(c, Qt.Horizontal, Qt.DisplayRole) for c in range(model.columnCount())
    ]
    assert titles[:4] == ["id", "来源", "实例编号", "服务器版本"]
    assert "审核状态" in titles and "问题描述" in titles
    view.resize(1100, 260)
    view.show()
    _settle()
    view.grab().save(str(artifacts / "attribute_table_zh.png"))
    view.close()
    project.removeAllMapLayers()


@pytest.mark.parametrize("alg_id", ["citymgmt:reportingkpi", "citymgmt:createthematiclayer"])
def test_processing_help_renders_whole(qgis_app, tmp_path, artifacts, alg_id):
    """The help as the Processing dialog builds it (one paragraph per line, as HTML): every
    line of it is shown, nothing swallowed by markup."""
    from citymgmt_plugin.headless import ensure_provider

    ensure_provider()
    with zh_cn(tmp_path):
        alg = QgsApplication.processingRegistry().algorithmById(alg_id).create()
        help_text = alg.shortHelpString()
        title = alg.displayName()
    html = f"<h2>{title}</h2>" + "".join(f"<p>{line}</p>" for line in help_text.split("\n"))
    browser = QTextBrowser()
    browser.setHtml(html)
    shown = browser.toPlainText()
    for line in filter(None, help_text.split("\n")):
        assert line.replace("&lt;", "<") in shown, line
    browser.resize(520, 900)
    browser.show()
    _settle()
    browser.grab().save(str(artifacts / f"help_{alg_id.split(':')[1]}_zh.png"))
    browser.close()
