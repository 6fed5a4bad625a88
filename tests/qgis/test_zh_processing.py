"""Processing in Simplified Chinese: the output descriptions, the log and the error layers of
``citymgmt:censusqa`` and ``citymgmt:gridtopology`` carry labels, not rule ids."""

from __future__ import annotations

import re
from pathlib import Path

import processing
from qgis.core import QgsApplication, QgsProcessingFeedback, QgsVectorLayer
from ui_text import untranslated
from zh_translator import zh_cn

from citymgmt_plugin.core.qgis.layers import workspace_layer
from citymgmt_plugin.demo.lattice import seed_lattice
from tests.qgis import test_alg_gridtopology as topo
from tests.qgis.test_census_qa import X0, Y0, _file_layer


class Log(QgsProcessingFeedback):
    """Everything an algorithm tells the user."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info: str) -> None:
        self.lines.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning: str) -> None:
        self.lines.append(warning)
        super().pushWarning(warning)

    def setProgressText(self, text: str) -> None:
        self.lines.append(text)
        super().setProgressText(text)


def _bad(texts, fields: tuple[str, ...] = ()) -> list[str]:
    """What is untranslated in ``texts``; ``fields``: input field names a text may name."""
    out = []
    for text in texts:
        judged = str(text)
        if judged.startswith("Results: {"):  # processing.run's own summary of the outputs
            continue
        for name in fields:
            judged = judged.replace(name, " ")
        out += [f"{what} in {text!r}" for what in untranslated(judged)]
    return out


def _descriptions(alg_id: str) -> list[str]:
    alg = QgsApplication.processingRegistry().algorithmById(alg_id).create()  # init in Chinese
    return [alg.displayName(), *(o.description() for o in alg.outputDefinitions())] + [
        p.description() for p in alg.parameterDefinitions()
    ]


def _rows(path: str, *fields: str) -> list[tuple]:
    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid(), path
    return [tuple(f[n] for n in fields) for f in layer.getFeatures()]


def test_census_qa_in_chinese(processing_ready, gpkg_workspace, tmp_path):
    seed_lattice(gpkg_workspace, communities=2, nx=2, ny=2)
    grids = workspace_layer(gpkg_workspace, "unit_grids")
    p = lambda x, y: f"POINT({X0 + x} {Y0 + y})"  # noqa: E731
    survey = _file_layer(
        tmp_path / "survey.gpkg",
        [
            (p(20, 10), {"identifier": "320508010100002"}),  # identifier structure
            (p(-10, 10), {"identifier": "3205080101000009"}),  # outside every grid
            (p(10, 60), {"identifier": "3205080101000013", "dept_name": None}),  # mandatory
            (p(30, 60), {"identifier": "3205080199000015", "class_code": "0199"}),  # class
            (f"LINESTRING({X0 + 40} {Y0 + 60},{X0 + 45} {Y0 + 65})", {}),  # geometry kind
        ],
    )
    out = str(tmp_path / "qa.gpkg")
    log = Log()
    with zh_cn(tmp_path):
        texts = _descriptions("citymgmt:censusqa")
        res = processing.run(
            "citymgmt:censusqa", {"INPUT": survey, "GRIDS": grids, "OUTPUT": out}, feedback=log
        )
    assert "标识码结构" in texts and "几何类型与类别不符" in texts
    assert not _bad(texts, fields=("scheme",))
    assert any(line.startswith("不在任何网格内：") for line in log.lines), log.lines
    assert not _bad(log.lines)
    rows = _rows(res["OUTPUT"], "rule", "label", "message")
    labels = {rule: label for rule, label, _ in rows}
    assert labels["geometry_kind"] == "几何类型与类别不符"
    assert labels["class_unknown"] == "未知类别"
    kind = next(m for rule, _, m in rows if rule == "geometry_kind")
    assert kind == "类别 0101 应为点，实际几何为线。"
    unknown = next(m for rule, _, m in rows if rule == "class_unknown")
    assert "16 位（GB/T 30428.2-2013）" in unknown
    assert not _bad(label for _, label, _ in rows)
    assert not _bad(message for _, _, message in rows)


def test_grid_topology_in_chinese(processing_ready, tmp_path):
    out = str(Path(tmp_path) / "topology.gpkg")
    log = Log()
    with zh_cn(tmp_path):
        texts = _descriptions(topo.ALG)
        res = processing.run(topo.ALG, {"GRIDS": topo.hand_grids(), "OUTPUT": out}, feedback=log)
    assert not _bad(texts)
    assert "重叠：1" in log.lines, log.lines
    assert not _bad(log.lines)
    rows = _rows(res["OUTPUT"], "type", "label")
    assert ("overlap", "重叠") in rows and ("duplicate_code", "代码重复") in rows
    assert not _bad(label for _, label in rows)


_TAGS = re.compile(r"</?(?:p|b|i|br)\s*/?>")  # the markup the help texts use
_ENTITY = re.compile(r"&(?:[a-z]+|#\d+);")


def _helps() -> dict[str, str]:
    provider = QgsApplication.processingRegistry().providerById("citymgmt")
    return {alg.id(): alg.create().shortHelpString() for alg in provider.algorithms()}


def _html_problems(helps: dict[str, str]) -> list[str]:
    """Help the Processing dialog would garble: it shows each line as an HTML paragraph,
    so a literal "<" starts a tag and swallows the text after it ("START ≤ time < END"
    lost a sentence), and "&" starts an entity."""
    out = []
    for alg_id, text in helps.items():
        for line in text.split("\n"):
            rest = _ENTITY.sub("", _TAGS.sub("", line))
            if "<" in rest or "&" in rest:
                out.append(f"{alg_id}: {line[:80]!r}")
    return out


def test_help_is_well_formed_html_in_english_and_chinese(processing_ready, tmp_path):
    english = _helps()
    with zh_cn(tmp_path):
        chinese = _helps()
    assert all(english.values()) and chinese != english
    assert _html_problems(english) == []
    assert _html_problems(chinese) == []
    # plain words: parameters by their displayed names, no parameter ids
    ids = re.compile(r"\b(START|END|OUTPUT|WORKSPACE|TEMPLATE_FILE|CATEGORY_FIELD)\b")
    assert [k for k, v in {**english, **chinese}.items() if ids.search(v)] == []
