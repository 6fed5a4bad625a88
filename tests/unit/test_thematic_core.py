"""Thematic templates, rules and per-grid statistics: pure Python, exact answers."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import LineString, Point, Polygon, box

from citymgmt_plugin.core.thematic.rules import check_feature
from citymgmt_plugin.core.thematic.stats import grid_stats
from citymgmt_plugin.core.thematic.templates import (
    CORE_TABLES,
    ENV_DIRS,
    TemplateError,
    builtin_dir,
    get_template,
    load_templates,
    parse_template,
)

SHIPPED = {
    "management_districts": ("管理辖区", "polygon"),
    "construction_zones": ("施工作业区域", "polygon"),
    "waterlogging_points": ("雨水积聚点", "point"),
    "waterlogging_areas": ("雨水积聚区域", "polygon"),
    "garbage_accumulation": ("垃圾积存点", "point"),
    "street_occupation_points": ("占道集中点", "point"),
    "street_occupation_areas": ("占道集中区域", "polygon"),
    "patrol_routes": ("巡查路线", "line"),
    "main_roads": ("主要道路", "line"),
    "window_areas": ("窗口地区", "line"),
}
# Templates whose layer is a workspace table that the coverage checks read.
BOUND = {
    "main_roads": ("main_roads", (("kind", "main_road"),), "main_roads:main_road"),
    "window_areas": ("main_roads", (("kind", "window_area"),), "main_roads:window_area"),
    "patrol_routes": ("patrol_routes", (), "patrol_routes"),
}


@pytest.fixture(autouse=True)
def _no_city_dirs(monkeypatch):
    monkeypatch.delenv(ENV_DIRS, raising=False)


def _attrs(t, **over):
    a = {f.name: f.default for f in t.fields if f.default_kind == "literal"}
    a.update(surveyor="张三", survey_date="2026-11-20")
    for f in t.mandatory_fields:
        a.setdefault(f.name, "x" if f.type == "text" else 1)
    a.update(over)
    return a


def test_shipped_templates_are_valid_and_bilingual():
    found = load_templates(include_user_dirs=False)
    assert found.errors == []
    assert {t.id: (t.title.zh, t.geometry) for t in found} == SHIPPED
    for t in found:
        assert t.title.en and t.title.zh != t.title.en
        names = [f.name for f in t.fields]
        if t.id in BOUND:
            assert (t.core_table, t.fixed, t.binding) == BOUND[t.id]
            assert t.table == t.core_table and not t.category_field
            assert set(names) <= set(CORE_TABLES[t.core_table].columns)
            assert t.has_rule("min_length") and t.tracing and t.snapping
            continue
        assert not t.core_table and t.binding == t.table
        for common in ("surveyor", "survey_date", "data_source", "accuracy_class"):
            assert common in names and t.field(common).mandatory
        assert t.field("surveyor").default_kind == "surveyor"
        assert t.field("survey_date").default_kind == "today"
        assert t.field("data_source").default == "实测"
        assert t.field("accuracy_class").default == "B"
        for f in t.fields:
            assert f.alias.en and f.alias.zh, (t.id, f.name)
            for d in f.domain:
                assert d.label.en and d.label.zh, (t.id, f.name, d.value)
        cat = t.field(t.category_field)
        assert cat.domain and all(d.color for d in cat.domain)
        rules = {r.id for r in t.rules}
        assert {"valid_geometry", "mandatory_fields"} <= rules
        assert t.snapping, t.id
        assert t.tracing == (t.geometry != "point")
    assert get_template("construction_zones").has_rule("no_overlap")
    assert get_template("施工作业区域").id == "construction_zones"


def test_city_template_folder_without_code(tmp_path, monkeypatch):
    city = tmp_path / "city"
    city.mkdir()
    doc = json.loads((builtin_dir() / "garbage_accumulation.json").read_text("utf-8"))
    doc.update(
        id="dog_waste",
        table="thematic_dog_waste",
        title={"en": "Dog waste spots", "zh": "宠物粪便点"},
    )
    (city / "dog_waste.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    override = json.loads((builtin_dir() / "main_roads.json").read_text("utf-8"))
    override["title"] = {"en": "Main roads (city)", "zh": "主要道路(本市)"}
    (city / "main_roads.json").write_text(json.dumps(override, ensure_ascii=False), "utf-8")
    broken = dict(doc, id="broken", geometry="volume")
    (city / "broken.json").write_text(json.dumps(broken), "utf-8")
    (city / "junk.json").write_text("{not json", "utf-8")
    monkeypatch.setenv(ENV_DIRS, str(city))
    found = load_templates()
    assert "dog_waste" in found.ids() and found["dog_waste"].title.zh == "宠物粪便点"
    assert found["main_roads"].title.zh == "主要道路(本市)"
    assert "broken" not in found.ids()
    assert any("broken.json" in e and "geometry" in e for e in found.errors)
    assert any("junk.json" in e for e in found.errors)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"format": "x"}, "format"),
        ({"fields": []}, "fields"),
        ({"category_field": "nope"}, "category_field"),
        ({"rules": ["no_such_rule"]}, "unknown rule"),
        ({"rules": [{"id": "min_length", "value": 3}]}, "does not apply"),
        ({"title": "only one language"}, None),
    ],
)
def test_template_checks(change, message):
    doc = json.loads((builtin_dir() / "construction_zones.json").read_text("utf-8"))
    doc.update(change)
    if message is None:
        assert parse_template(doc).title.en == "only one language"
        return
    with pytest.raises(TemplateError, match=message):
        parse_template(doc, "x.json")


def test_field_checks():
    doc = json.loads((builtin_dir() / "construction_zones.json").read_text("utf-8"))
    doc["fields"][1]["default"] = "not_in_domain"
    with pytest.raises(TemplateError, match="not in its domain"):
        parse_template(doc)
    doc = json.loads((builtin_dir() / "construction_zones.json").read_text("utf-8"))
    doc["fields"].append({"name": "geom", "type": "text"})
    with pytest.raises(TemplateError, match="reserved"):
        parse_template(doc)


def test_rules_name_what_is_broken():
    t = get_template("construction_zones")
    square = box(0, 0, 10, 10)
    assert check_feature(t, square, _attrs(t)) == []
    bow_tie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    assert [v.rule for v in check_feature(t, bow_tie, _attrs(t))] == ["no_self_intersection"]
    others = [(7, box(5, 5, 20, 20), {}), (8, box(10, 0, 20, 5), {})]  # 8 only touches
    found = check_feature(t, square, _attrs(t), others)
    assert [v.rule for v in found] == ["no_overlap"] and "7" in found[0].message
    assert "8" not in found[0].message
    found = check_feature(t, square, _attrs(t, name="  ", surveyor=None))
    assert [v.rule for v in found] == ["mandatory_fields"]
    assert "name" in found[0].message and "surveyor" in found[0].message
    found = check_feature(t, square, _attrs(t, category="swimming"))
    assert [v.rule for v in found] == ["domain_values"]
    assert [v.rule for v in check_feature(t, box(0, 0, 1, 1), _attrs(t))] == ["min_area"]
    assert [v.rule for v in check_feature(t, Point(0, 0), _attrs(t))] == ["valid_geometry"]


def test_line_rules():
    t = get_template("patrol_routes")
    ok = LineString([(0, 0), (100, 0), (100, 50)])
    assert check_feature(t, ok, _attrs(t)) == []
    crossing = LineString([(0, 0), (100, 0), (50, 50), (50, -50)])
    assert [v.rule for v in check_feature(t, crossing, _attrs(t))] == ["no_self_intersection"]
    assert [v.rule for v in check_feature(t, LineString([(0, 0), (5, 0)]), _attrs(t))] == [
        "min_length"
    ]
    found = check_feature(t, ok, _attrs(t, collector_code=" "))
    assert [v.rule for v in found] == ["mandatory_fields"] and "collector_code" in str(found[0])
    doc = json.loads((builtin_dir() / "construction_zones.json").read_text("utf-8"))
    doc.update(geometry="line", rules=["domain_values", {"id": "min_length", "value": 1}])
    doc["fields"].append({"name": "times", "type": "integer", "min": 1, "max": 50})
    ranged = parse_template(doc)
    found = check_feature(ranged, ok, _attrs(ranged, times=0))
    assert [v.rule for v in found] == ["domain_values"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"core_table": "components"}, "core_table"),
        ({"geometry": "polygon", "rules": []}, "holds line"),
        ({"table": "thematic_roads"}, "no table of its own"),
        ({"fixed": {"kind": "motorway"}}, "bad value"),
        ({"fixed": {"colour": "red"}}, "not a column"),
        ({"fixed": {}}, "needs kind"),
        ({"fields": [{"name": "name", "type": "text"}]}, "needs name"),
        ({"fields": [{"name": "lanes", "type": "integer"}]}, "lanes is not a integer column"),
    ],
)
def test_core_table_binding_checks(change, message):
    doc = json.loads((builtin_dir() / "main_roads.json").read_text("utf-8"))
    doc.update(change)
    with pytest.raises(TemplateError, match=message):
        parse_template(doc, "x.json")
    doc = json.loads((builtin_dir() / "construction_zones.json").read_text("utf-8"))
    with pytest.raises(TemplateError, match="needs a 'core_table'"):
        parse_template(dict(doc, fixed={"kind": "main_road"}))


def test_grid_stats_exact():
    grids = [box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 100, 100, 200)]
    codes = ["G1", "G2", "G3"]
    points = [Point(10, 10), Point(20, 20), Point(150, 50), Point(100, 50), Point(500, 500)]
    rows = grid_stats(points, ["a", "b", "a", "a", "a"], grids, codes)
    # (100, 50) is on the G1/G2 edge: counted once, in G1 (first grid); (500, 500) nowhere
    assert [(r.grid_code, r.category, r.count) for r in rows] == [
        ("G1", "a", 2),
        ("G1", "b", 1),
        ("G2", "a", 1),
    ]
    lines = [
        LineString([(50, 50), (150, 50)]),
        LineString([(10, 0), (10, 150)]),
        LineString([(0, 100), (100, 100)]),
    ]  # the last runs along the G1/G3 edge
    rows = grid_stats(lines, ["r", "r", "s"], grids, codes, kind="line")
    got = {(r.grid_code, r.category): (r.count, round(r.length_m, 6)) for r in rows}
    assert got[("G1", "r")] == (2, 150.0)
    assert got[("G2", "r")] == (1, 50.0)
    assert got[("G3", "r")] == (1, 50.0)
    assert sum(r.length_m for r in rows if r.category == "r") == pytest.approx(250.0)
    polys = [box(90, 90, 110, 110), box(10, 10, 30, 20), box(300, 300, 310, 310)]
    rows = grid_stats(polys, ["z", None, "z"], grids, codes, kind="polygon")
    got = {(r.grid_code, r.category): (r.count, round(r.area_m2, 6)) for r in rows}
    assert got == {
        ("G1", ""): (1, 200.0),
        ("G1", "z"): (1, 100.0),
        ("G2", "z"): (1, 100.0),
        ("G3", "z"): (1, 100.0),
    }
    assert grid_stats([], [], grids, codes) == []
