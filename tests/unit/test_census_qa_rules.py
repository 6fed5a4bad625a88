"""Census QA rules one by one on a small inventory, and a rule added through the registry."""

from __future__ import annotations

import numpy as np
from shapely.geometry import LineString, Point, box

from citymgmt_plugin.core.census.geo import GridIndex
from citymgmt_plugin.core.census.qa import QA_RULES, RULES, QaRule, rule_label, run_qa

GRIDS = GridIndex(
    ["320508001001001", "320508001001002"], [box(0, 0, 100, 100), box(100, 0, 200, 100)]
)
CLASSES = {("legacy16", "0101"): "point", ("legacy16", "0211"): "line"}
GOOD = {
    "identifier": "3205080101000001",
    "class_code": "0101",
    "name": "上水井盖",
    "dept_code": "001",
    "dept_name": "市水务局",
    "grid_code": "320508001001001",
    "status": "完好",
    "initial_date": "2024-01-01",
    "data_source": "实测",
    "accuracy_class": "B",
}


def _qa(rows: list[tuple[dict, object]], **kw):
    fields = list(GOOD)
    values = {f: np.array([r.get(f) for r, _ in rows], dtype=object) for f in fields}
    geoms = np.array([g for _, g in rows], dtype=object)
    return run_qa(np.arange(1, len(rows) + 1), values, geoms, GRIDS, CLASSES, **kw)


def _row(geom=None, **changes):
    return dict(GOOD, **changes), Point(50, 50) if geom is None else geom


def _found(result) -> list[tuple[int, str, str]]:
    return [(e.fid, e.rule, e.message) for e in result.errors]


def test_a_clean_inventory_has_no_errors():
    result = _qa(
        [_row(), _row(Point(150, 50), identifier="3205080101000002", grid_code="320508001001002")]
    )
    assert result.errors == [] and result.checked == 2
    assert result.counts() == dict.fromkeys(QA_RULES, 0)


def test_each_rule_reports_its_problem():
    rows = [
        _row(identifier="3205080102000003"),  # 1: class part 0102 vs class 0101
        _row(Point(60, 60), identifier="3205080101000000"),  # 2: serial 0
        _row(Point(70, 70), identifier="3205090101000004"),  # 3: county 320509 vs grid
        _row(Point(80, 80), identifier="12345"),  # 4: too short
        _row(Point(150, 50), identifier="3205080101000005"),  # 5: stored grid 001, lies in 002
        _row(Point(250, 50), identifier="3205080101000006"),  # 6: outside every grid
        _row(Point(20, 20), identifier="3205080101000007"),  # 7 and 8: same class 0.5 m apart
        _row(Point(20.5, 20), identifier="3205080101000008"),
        _row(Point(30, 80), identifier="3205080101000009", name=" "),  # 9: name empty
        _row(Point(40, 80), identifier="3205080101000010", status="好的"),  # 10: domain
        _row(Point(50, 80), identifier="3205080199000011", class_code="0199"),  # 11: class
        _row(LineString([(5, 5), (9, 9)]), identifier="3205080101000012"),  # 12: a line
        _row(Point(), identifier="3205080101000013"),  # 13: no geometry
        _row(Point(90, 10), identifier="3205080101000014"),  # 14 and 15: same identifier
        _row(Point(90, 30), identifier="3205080101000014"),
    ]
    found = _found(_qa(rows))
    assert found == [
        (1, "identifier_format",
         "Identifier 3205080102000003 carries class 0102, the component is class 0101."),
        (2, "identifier_format", "Identifier 3205080101000000 has serial 0."),
        (3, "identifier_county",
         "Identifier 3205090101000004 is of county 320509, its grid 320508001001001 of county "
         "320508."),
        (4, "identifier_format", "Identifier 12345 must be 16 digits."),
        (5, "grid_mismatch", "Stored grid 320508001001001, but it lies in grid 320508001001002."),
        (6, "outside_grids", "The component lies in no unit grid."),
        (7, "duplicate", "Same class as 3205080101000008, 0.50 m away."),
        (8, "duplicate", "Same class as 3205080101000007, 0.50 m away."),
        (9, "mandatory", "Name is empty."),
        (10, "domain", "Status '好的' is not allowed."),
        (11, "class_unknown",
         "Class 0199 is not in the 16 digits (GB/T 30428.2-2013) class table."),
        (12, "geometry_kind", "Class 0101 needs a point; the geometry is a line."),
        (13, "geometry_kind", "No geometry."),
        (14, "identifier_unique", "Identifier 3205080101000014 is used by 2 components."),
        (15, "identifier_unique", "Identifier 3205080101000014 is used by 2 components."),
    ]  # fmt: skip


def test_errors_of_one_component_follow_the_rule_order():
    row = _row(Point(250, 50), identifier="3205080102000000", name="", status="x")
    assert [e.rule for e in _qa([row]).errors] == [
        "identifier_format",
        "identifier_format",
        "outside_grids",
        "mandatory",
        "domain",
    ]


def test_a_rule_added_to_the_registry_runs_and_counts():
    def placeholder_name(data):
        for i, v in enumerate(data.get["name"]):
            if v == "待定":
                yield i, "Name is a placeholder."

    rule = QaRule("placeholder_value", placeholder_name, lambda: "placeholder value")
    rows = [_row(), _row(Point(60, 60), identifier="3205080101000002", name="待定")]
    result = _qa(rows, rules=(*RULES, rule))
    assert _found(result) == [(2, "placeholder_value", "Name is a placeholder.")]
    assert rule_label("identifier_format") == "identifier structure"
    assert rule_label("no_such_rule") == "no_such_rule"


def test_placeholders_in_mandatory_attributes():
    rows = [
        _row(dept_name="未指定"),
        _row(Point(60, 60), identifier="3205080101000002", name="无", dept_code="000"),
        _row(Point(70, 70), identifier="3205080101000003", note="/"),  # not mandatory
    ]
    found = [(fid, rule) for fid, rule, _ in _found(_qa(rows)) if rule == "placeholder"]
    assert found == [(1, "placeholder"), (2, "placeholder"), (2, "placeholder")]
    assert "'未指定'" in next(e.message for e in _qa(rows).errors if e.rule == "placeholder")
    assert rule_label("placeholder") != "placeholder"
