"""The untranslated-identifier check the desktop scenarios apply to the Chinese UI."""

from __future__ import annotations

import pytest
from ui_text import offending_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("accept_new: 1 decided.", ["accept_new", "decided"]),
        ("0101 上水井盖：请绘制point。", ["point"]),
        ("0101 上水井盖：请绘制 point。", ["point"]),
        ("坐标 auto", ["auto"]),
        ("缺少字段 identifier_format、dept_code", ["identifier_format", "dept_code"]),
        (
            "<b>待审核</b> · component 0101 · uuid:5c1e2f3a-8b9c-4d0e-9f1a-2b3c4d5e6f70",
            ["component"],
        ),
    ],
)
def test_identifiers_and_english_words_are_found(text, words):
    assert offending_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "已连接（EPSG:4549，部件标识码 16 位）。",
        "已连接到 /tmp/pytest-of-root/ws/workspace.gpkg。",
        "GeoPackage 文件 (*.gpkg)",
        "从 ODK Central 拉取：http://127.0.0.1:8080/v1/projects/7",
        "账号 reviewer@example.org",
        "WGS84、GCJ-02、CGCS2000",
        "网格 320508001001003，责任网格 R01，采集员 C02",
        "EPSG:4549 - CGCS2000 / 3-degree GK CM 120E",  # a CRS name is data, not UI text
        "照片 5c1e2f3a.jpg 无法读取",
        "输出图层中的错误类型（字段 'type'）",
        "不带时区的时间按中国标准时间（Asia/Shanghai）解读",
        "原因来自 GEOS",
        "工作空间（.gpkg、postgresql:// URL 或 service=NAME）",
        "未指定照片文件夹时，使用上报文件旁的 photos/ 或 photos.zip。",
        "使用 Basic 方式的 QGIS 认证配置",
        "",
    ],
)
def test_codes_names_and_data_pass(text):
    words = offending_words(text, allowed=("degree",))
    assert words == [], words


def test_whole_tokens_are_compared():
    assert offending_words("已连接（部件标识码 legacy16）") == ["legacy16"]
    assert offending_words("您的账号：审核账号 (7oty6xx)", ["7oty6xx"]) == []


def test_data_words_given_by_the_scenario_pass():
    assert offending_words("odk:127.0.0.1:8080/7/city_report") == ["odk", "city_report"]
    assert offending_words("odk:127.0.0.1:8080/7/city_report", ["city_report"]) == ["odk"]


def test_half_width_punctuation_beside_chinese_is_found():
    from ui_text import untranslated

    assert untranslated("已保存, 版本 2") == ["half-width punctuation '存,'"]
    assert untranslated("部件: 0101") == ["half-width punctuation '件:'"]
    assert untranslated("已保存，版本 2：EPSG:4549") == []
    assert untranslated("按 Ctrl+Return 保存，Esc 放弃") == []  # keys keep their names
