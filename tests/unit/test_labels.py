"""Labels of stored identifiers and punctuation of composed messages, in English and in
Chinese; which catalogue a QGIS locale loads."""

from __future__ import annotations

import pytest
from qgis.core import QgsSettings
from zh_translator import zh_cn

from citymgmt_plugin.core import labels as L
from citymgmt_plugin.core import paths
from citymgmt_plugin.core.submissions.states import describe_flag, describe_reason


@pytest.fixture
def chinese(qgis_app, tmp_path):
    with zh_cn(tmp_path):
        yield


def test_english_labels_and_punctuation(qgis_app):
    assert not L.chinese()
    assert L.geometry_kind_label("polygon") == "polygon"
    assert L.geometry_kind_label("MultiLineString") == "line"
    assert L.labelled("Status", "破损") == "Status: 破损"
    assert L.join(["a", "b"], "; ") == "a; b"
    assert L.enumeration(["Name", "Note"]) == "Name, Note"
    assert L.parens("A") == " (A)"
    assert L.describe_changes({"status": ["完好", "破损"], "note": [None, "x"]}) == (
        "Status: 完好 → 破损; Note: (empty) → x"
    )
    assert L.source_label("odk:10.0.0.8/3/f01") == "ODK Central 10.0.0.8, project 3, form f01"
    assert L.binding_label("main_roads", (("kind", "window_area"),)) == (
        "main roads table (kind: window area)"
    )
    assert L.decision_label("accept_new") == "Accept new"
    assert L.source_label("my-office-export") == "my-office-export"  # a name the office chose


def test_chinese_labels(chinese):
    assert L.chinese()
    assert [L.geometry_kind_label(k) for k in ("point", "line", "polygon")] == ["点", "线", "面"]
    assert L.decision_label("accept_new") == "新增入库"
    assert L.decision_label("has_issues") == "退回补充"
    assert L.submission_state_label("has_issues") == "已退回"
    assert L.submission_kind_label("event") == "事件"
    assert L.qa_rule_label("identifier_format") == "标识码结构"
    assert L.topology_error_label("admin_mismatch") == "代码与所在行政区划不符"
    assert L.field_label("status") == "部件状态"
    assert L.field_label("x") == "X 坐标（东向或经度）"
    assert L.crs_label("auto") == "自动识别" and L.crs_label("") == "自动识别"
    assert L.source_label("device") == "设备导出"
    assert L.source_label("inbox:citymgmt.field_inbox") == "收件表 citymgmt.field_inbox"
    assert L.scheme_label("std17") == "17 位（2026 版）"
    assert L.history_operation_label("retire") == "注销"
    assert L.reconcile_kind_label("missing") == "缺失"


def test_chinese_punctuation_in_composed_messages(chinese):
    assert L.labelled("部件状态", "破损") == "部件状态：破损"
    assert L.join(["甲", "乙"]) == "甲，乙"
    assert L.join(["甲", "乙"], "; ") == "甲；乙"
    assert L.enumeration(["名称", "备注"]) == "名称、备注"
    assert L.parens("A") == "（A）"
    assert L.describe_changes({"status": ["完好", "破损"], "geom": [None, 3.2]}) == (
        "部件状态：完好 → 破损；移动 3.2 米"
    )
    assert L.photo_problem_label("exif_time_differs: 3.2 h; missing") == (
        "拍摄时间与上报时间相差 3.2 小时；照片缺失"
    )
    assert describe_reason("no_position: None, None; unknown_category: 9999") == (
        "无位置；未知类别：9999"
    )
    assert describe_reason("unreadable_photo: a.jpg missing") == "照片无法读取：a.jpg 缺失"
    assert L.crs_evidence_short_label("exif+roads:corrected") == "照片GPS+主要道路（已纠正）"
    assert describe_flag("suspected_gcj02:exif+roads:corrected") == (
        "GCJ-02 坐标，已纠正（照片GPS位置经偏移后即为上报位置；远离主要道路，纠偏后位于道路上）。"
    )


def test_change_values_for_people(qgis_app, tmp_path):
    """Booleans (as PostGIS returns them) read yes / no, nothing reads (empty)."""
    assert L.describe_changes({"note": [False, True]}) == "Note: no → yes"
    assert L.value_text(None) == "(empty)" and L.value_text(0) == "0"
    with zh_cn(tmp_path):
        assert L.describe_changes({"note": [True, None]}) == "备注：是 → （空）"


def test_columns_are_labelled_per_table(chinese):
    assert L.field_label("code", "unit_grids") == "单元网格代码"
    assert L.field_label("code", "admin_units") == "区划代码"
    assert L.field_label("kind", "main_roads") == "道路类型"
    assert L.field_label("kind", "submissions") == "上报类型"
    assert L.field_label("kind", "reconciliation") == "比对结果"
    assert L.field_label("name", "resp_grids") == "名称"
    assert L.field_label("collector_code", "track_points") == "采集员编号"
    assert L.field_label("status") == "部件状态"  # a component attribute by default
    assert L.field_label("status", "thematic_zones") == "status"  # unknown: as it is
    assert L.field_label("level", "components") == "level"


def test_class_names_beside_codes():
    names = L.ClassNames({"0101": "上水井盖"}, {"0101": "私搭乱建"})
    assert names.component("0101") == "0101 上水井盖"
    assert names.event("0101") == "0101 私搭乱建"
    assert names.component("9999") == "9999"
    assert names.category("component", "0101").endswith("0101 上水井盖")
    assert names.category("event", "0101").endswith("0101 私搭乱建")


@pytest.mark.parametrize(
    ("locale", "code"),
    [
        ("zh-Hans", "zh_CN"),
        ("zh_Hans", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("zh_cn", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh-Hant", "zh_TW"),
        ("zh_TW", "zh_TW"),
        ("de_DE.UTF-8", "de_DE"),
        ("en", "en"),
        ("C", "c"),
    ],
)
def test_catalogue_code(locale, code):
    assert paths.catalogue_code(locale) == code


def test_translation_file_for_qgis_locales(tmp_path, monkeypatch):
    (tmp_path / "i18n").mkdir()
    qm = tmp_path / "i18n" / "citymgmt_zh_CN.qm"
    qm.write_bytes(b"")
    monkeypatch.setattr(paths, "PACKAGE_DIR", tmp_path)
    for locale in ("zh-Hans", "zh_Hans", "zh-CN", "zh_CN", "zh", "zh_CN.UTF-8"):
        assert paths.translation_file(locale) == qm, locale
    for locale in ("zh-Hant", "en_US", "C", ""):
        assert paths.translation_file(locale) is None, locale


def test_plugin_loads_the_catalogue_for_qgis_chinese(qgis_app):
    """QGIS's Options dialog stores zh-Hans with the override flag; without the flag QGIS
    follows the system, and so does the plugin."""
    from qgis.PyQt.QtCore import QCoreApplication

    from citymgmt_plugin.core.i18n import user_locale
    from citymgmt_plugin.plugin import load_translator

    if paths.translation_file("zh_CN") is None:
        pytest.skip("the compiled catalogue is built by `make translations`")
    settings = QgsSettings()
    before = {k: settings.value(k) for k in ("locale/overrideFlag", "locale/userLocale")}
    try:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", "zh-Hans")
        assert user_locale() == "zh-Hans"
        translator = load_translator()
        assert translator is not None
        try:
            assert QCoreApplication.translate("Plugin", "City management") == "数字城管"
        finally:
            QCoreApplication.removeTranslator(translator)
        settings.setValue("locale/overrideFlag", False)
        assert user_locale() != "zh-Hans"
    finally:
        for key, value in before.items():
            if value is None:
                settings.remove(key)
            else:
                settings.setValue(key, value)


def test_chinese_catalogue_has_no_half_width_punctuation_between_placeholders():
    """The catalogue tool makes punctuation full-width next to Chinese characters; between two
    placeholders ("{1}:{2}") it cannot tell, and a formatted message would show "姑苏区:5.0"."""
    import re
    import xml.etree.ElementTree as ET

    ts = paths.PACKAGE_DIR / "i18n" / "citymgmt_zh_CN.ts"
    bad = [
        (msg.findtext("source"), msg.findtext("translation"))
        for msg in ET.parse(ts).getroot().iter("message")
        if re.search(r"[\u4e00-\u9fff]", msg.findtext("translation") or "")
        and re.search(r"\}\s*[,:;]\s*\{", msg.findtext("translation") or "")
    ]
    assert not bad, bad
