"""The algorithms as the Processing dialog shows them: help that renders every sentence
(English and Chinese), in plain words, a Help link into the shipped guide, the workspace and
the identifier scheme as pickers, and inputs that start with the connected workspace's layers."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import processing
import pytest
from qgis.core import QgsApplication, QgsProject, QgsSettings
from qgis.gui import QgsBrowserGuiModel
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QTextBrowser
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.layers import load_workspace_layers
from citymgmt_plugin.core.qgis.session import set_current_workspace
from tests.fixtures.small_workspace import seed_small_workspace

_SENTENCE_END = re.compile(r"(?<=[.。;；])\s*")


def _algorithms() -> list:
    provider = QgsApplication.processingRegistry().providerById("citymgmt")
    return sorted(provider.algorithms(), key=lambda a: a.id())


def _settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()


@pytest.fixture
def dialog_for(qgis_iface, processing_ready, monkeypatch):
    """Opens the real Processing dialog of an algorithm (the test iface has no browser
    model; QGIS's has)."""
    model = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model, raising=False)
    opened = []

    def open_dialog(alg_id: str):
        dlg = processing.createAlgorithmDialog(alg_id)
        opened.append(dlg)
        return dlg

    yield open_dialog
    for dlg in opened:
        dlg.close()
    _settle()


def _sentences(plain: str) -> list[str]:
    out = []
    for line in plain.split("\n"):
        line = line.strip().removeprefix("- ")
        out += [" ".join(s.split()) for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def _shown_help(dialog_for, alg_id: str) -> str:
    dlg = dialog_for(alg_id)
    browser = dlg.findChild(QTextBrowser, "textShortHelp")
    return " ".join(browser.toPlainText().split())


def _check_every_sentence(dialog_for) -> list[str]:
    missing = []
    for alg in _algorithms():
        plain = alg.tr(type(alg).ALG_HELP)  # the text before it is made HTML
        shown = _shown_help(dialog_for, alg.id())
        missing += [f"{alg.id()}: {s!r}" for s in _sentences(plain) if s not in shown]
    return missing


def test_help_renders_every_sentence_in_english_and_chinese(dialog_for, tmp_path):
    assert _check_every_sentence(dialog_for) == []
    with zh_cn(tmp_path):
        assert _check_every_sentence(dialog_for) == []
        assert "时间" in _shown_help(dialog_for, "citymgmt:patrolcoverage")


def test_a_literal_less_than_sign_no_longer_swallows_a_sentence():
    from qgis.PyQt.QtGui import QTextDocument

    from processing_algorithms.help import help_html

    text = "Fixes count when start ≤ time < end. The rest stays.\n- a & b"
    html = "".join(f"<p>{line}</p>" for line in help_html(text).split("\n"))  # as QGIS
    doc = QTextDocument()
    doc.setHtml(html)
    shown = doc.toPlainText()
    assert "start ≤ time < end." in shown and "The rest stays." in shown
    assert "• a & b" in shown


def test_help_in_plain_words_without_markup_or_parameter_ids(processing_ready, tmp_path):
    for translated in (False, True):
        with zh_cn(tmp_path) if translated else _nothing():
            for alg in _algorithms():
                plain = alg.tr(type(alg).ALG_HELP)
                assert not re.search(r"</?[a-z]+>", plain), (alg.id(), "markup in the text")
                ids = [p.name() for p in alg.parameterDefinitions()]
                used = [i for i in ids if re.search(rf"(?<![A-Za-z_]){i}(?![A-Za-z_])", plain)]
                assert used == [], (alg.id(), used)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_args) -> None:
        return None


def test_help_links_to_the_guide_section_in_the_users_language(processing_ready):
    for alg in _algorithms():
        url = urlparse(alg.helpUrl())
        assert url.scheme == "file" and url.fragment == alg.name(), alg.helpUrl()
        page = Path(url.path).read_text(encoding="utf-8")
        assert f'id="{alg.name()}"' in page, alg.id()
        assert Path(url.path).name == "guide.en.html"
    settings = QgsSettings()
    before = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "zh-Hans")  # as QGIS's options store it
    try:
        url = urlparse(_algorithms()[0].helpUrl())
        page = Path(url.path).read_text(encoding="utf-8")
        assert Path(url.path).name == "guide.zh_CN.html" and "处理算法" in page
    finally:
        for key, value in zip(("locale/overrideFlag", "locale/userLocale"), before):
            settings.remove(key) if value is None else settings.setValue(key, value)


@pytest.fixture
def connected(gpkg_workspace, qgis_new_project):
    """A workspace connected in this QGIS session, its layers in the project."""
    ws = gpkg_workspace
    seed_small_workspace(ws)
    layers = load_workspace_layers(ws, QgsProject.instance())
    set_current_workspace(ws)
    yield ws, layers
    set_current_workspace(None)
    QgsProject.instance().removeAllMapLayers()


def _value(dlg, name: str):
    return dlg.mainWidget().wrappers[name].parameterValue()


def test_inputs_start_with_the_workspace_layers(connected, dialog_for):
    _ws, layers = connected
    dlg = dialog_for("citymgmt:patrolcoverage")
    assert _value(dlg, "GRIDS") == layers["unit_grids"].id()
    assert _value(dlg, "ROADS") == layers["main_roads"].id()
    assert _value(dlg, "TRACKS") == layers["track_points"].id()
    assert _value(dlg, "GRID_CODE_FIELD") == "code"
    assert (_value(dlg, "COLLECTOR_FIELD"), _value(dlg, "TIME_FIELD")) == (
        "collector_code",
        "fix_time",
    )
    kpi = dialog_for("citymgmt:reportingkpi")
    assert _value(kpi, "SUBMISSIONS") == layers["submissions"].id()
    qa = dialog_for("citymgmt:censusqa")
    assert _value(qa, "INPUT") == layers["components_point"].id()


def test_without_a_workspace_nothing_is_preset(processing_ready):
    set_current_workspace(None)
    alg = QgsApplication.processingRegistry().algorithmById("citymgmt:patrolcoverage").create()
    assert alg.parameterDefinition("GRIDS").defaultValue() is None
    assert alg.parameterDefinition("GRID_CODE_FIELD").defaultValue() is None


def test_workspace_and_scheme_are_picked_from_lists(connected, dialog_for, artifacts):
    ws, _layers = connected
    from citymgmt_plugin.core.workspace.connection import spec_to_string

    dlg = dialog_for("citymgmt:createthematiclayer")
    wrapper = dlg.mainWidget().wrappers["WORKSPACE"]
    assert type(wrapper).__name__ == "WorkspaceWidgetWrapper"
    items = [wrapper.combo.itemText(i) for i in range(wrapper.combo.count())]
    assert spec_to_string(ws.spec) in items
    assert wrapper.value() == spec_to_string(ws.spec)  # the connected one, chosen
    dlg.resize(900, 700)
    dlg.show()
    _settle()
    dlg.grab().save(str(artifacts / "processing_createthematiclayer.png"))
    wrapper.combo.setCurrentIndex(0)
    assert wrapper.value() is None  # none: the layer goes to the output

    qa = dialog_for("citymgmt:censusqa")
    scheme = qa.mainWidget().wrappers["SCHEME"]
    options = qa.algorithm().parameterDefinition("SCHEME").options()
    assert options == ["16 digits (GB/T 30428.2-2013)", "17 digits (2026 form)"]
    assert scheme.parameterValue() == 0  # the workspace's scheme (legacy16)


def test_scheme_given_by_id_or_refused(processing_ready):
    alg = QgsApplication.processingRegistry().algorithmById("citymgmt:censusqa")
    context = processing.tools.dataobjects.createContext()
    params = {"SCHEME": "nine_digits"}
    bad, message = alg.checkParameterValues(params, context)
    assert not bad and "nine_digits" in message and "legacy16" in message
    created = alg.create()
    assert created._scheme({"SCHEME": "std17"}, context) == "std17"
    assert created._scheme({"SCHEME": 1}, context) == "std17"
    assert created._scheme({}, context) == "legacy16"
