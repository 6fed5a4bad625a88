"""A city's own class table: loaded, checked and versioned (``classes load``), on both
backends; migration 0006 on a workspace that already holds components."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import func, select

from citymgmt_plugin.cli.main import main
from citymgmt_plugin.core import census
from citymgmt_plugin.core.census.class_tables import (
    EVENTS,
    ClassTableError,
    component_table,
    current_version,
    load_class_table,
    notice,
    versions,
)
from citymgmt_plugin.core.codes import default_component_classes, default_event_classes
from citymgmt_plugin.core.workspace.store import Workspace, current_revision, upgrade
from citymgmt_plugin.demo.lattice import seed_lattice
from tests.fixtures.migrations import downgrade as _downgrade

X0, Y0 = 500000.0, 3500000.0
KIND_ZH = {"point": "点", "line": "线", "polygon": "面"}
HEADER_ZH = [
    "类别代码",
    "大类代码",
    "大类名称",
    "小类名称",
    "几何类型",
    "主管部门代码",
    "主管部门名称",
    "核实时限",
    "核查时限",
    "立案标准",
    "结案标准",
]


def city_table(path, drop=(), kinds=None, extra=(), encoding="gbk"):
    """The shipped 16-digit classes as a city would write them (Chinese headers, GBK),
    with a department and standards for the 01 classes, and changes."""
    kinds = kinds or {}
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER_ZH)
        for c in default_component_classes("legacy16"):
            if c.code in drop:
                continue
            ours = c.major_code == "01"
            w.writerow(
                [
                    c.code,
                    c.major_code,
                    c.major_name,
                    c.name,
                    KIND_ZH[kinds.get(c.code, c.geometry_kind)],
                    "001" if ours else "",
                    "市水务局" if ours else "",
                    "2" if ours else "",
                    "4" if ours else "",
                    "井盖缺失、破损、移位" if ours else "",
                    "修复或更换" if ours else "",
                ]
            )
        for row in extra:
            w.writerow(row)
    return path


@pytest.fixture
def inventory(workspace):
    """Two components: a manhole cover (0101, point) and a guard rail (0211, line)."""
    ws = workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    with census.write_transaction(ws) as c:
        for cls, geom, name in (
            ("0101", Point(X0 + 50, Y0 + 50), "上水井盖"),
            ("0211", LineString([(X0 + 10, Y0 + 80), (X0 + 90, Y0 + 80)]), "交通护栏"),
        ):
            draft = census.ComponentDraft(
                cls,
                geom,
                name=name,
                dept_code="001",
                dept_name="市政",
                initial_date=date(2024, 1, 2),
            )
            census.create_component(c, ws, draft, "seed")
    return ws


def test_shipped_tables_are_version_1_and_the_17_digit_one_provisional(workspace):
    with workspace.engine.connect() as c:
        legacy = current_version(c, workspace, component_table("legacy16"))
        std17 = current_version(c, workspace, component_table("std17"))
        events = current_version(c, workspace, EVENTS)
    assert (legacy.version, legacy.is_default, legacy.provisional) == (1, True, False)
    assert (std17.version, std17.is_default, std17.provisional) == (1, True, True)
    assert legacy.class_count == len(default_component_classes("legacy16"))
    assert events.class_count == len(default_event_classes())
    assert notice(std17)[2] and "Provisional" in notice(std17)[0]
    assert "derived from the 16-digit" in notice(std17)[1]
    assert not notice(legacy)[2]


def test_a_city_table_is_loaded_as_the_next_version(inventory, tmp_path):
    ws = inventory
    path = city_table(
        tmp_path / "city.csv",
        extra=[["0190", "01", "公用设施", "智能井盖", "点", "001", "市水务局", "1", "2", "", ""]],
    )
    v = load_class_table(ws, path, component_table("legacy16"), "chief", "2024 city table")
    assert (v.version, v.class_count, v.is_default, v.provisional) == (2, 86, False, False)
    assert v.changes["added"] == ["0190"] and v.changes["removed"] == []
    assert "department_code" in v.changes["changed"]["0101"]
    with ws.engine.connect() as c:
        classes = census.class_table(c, ws)
        t = ws.schema.component_classes
        row = c.execute(select(t).where(t.c.scheme == "legacy16", t.c.code == "0101")).one()
        stored = c.execute(
            select(ws.schema.class_table_versions.c.classes).where(
                ws.schema.class_table_versions.c.version == 2
            )
        ).scalar_one()
        actions = c.execute(select(ws.schema.audit_events.c.action)).scalars().all()
        history = versions(c, ws, component_table("legacy16"))
    assert classes["0190"].name == "智能井盖" and classes["0101"].department_name == "市水务局"
    assert (row.filing_standard, row.closing_standard) == ("井盖缺失、破损、移位", "修复或更换")
    limits = {r["code"]: (r["verify_hours"], r["check_hours"]) for r in stored}
    assert limits["0190"] == (1.0, 2.0) and limits["0301"] == (None, None)
    assert "classes.load" in actions
    assert [h.version for h in history] == [1, 2]
    # a new component of the city's class takes its department
    assert classes["0190"].department_code == "001"


def test_classes_in_use_cannot_be_dropped_or_redrawn(inventory, tmp_path):
    ws = inventory
    path = city_table(tmp_path / "bad.csv", drop=("0101",), kinds={"0211": "polygon"})
    with pytest.raises(ClassTableError) as err:
        load_class_table(ws, path, component_table("legacy16"), "chief")
    text = str(err.value)
    assert "0101" in text and "dropped" in text
    assert "0211" in text and "polygon" in text  # "another kind than polygon"
    with ws.engine.connect() as c:  # nothing changed
        assert current_version(c, ws, component_table("legacy16")).version == 1
        assert "0101" in census.class_table(c, ws)


def test_every_bad_line_is_named(workspace, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "code,name,major_name,geometry_kind,verify_hours,check_hours\n"
        "0101,上水井盖,公用设施,point,2,4\n"
        "01x1,坏代码,公用设施,point,,\n"
        "0102,污水井盖,公用设施,circle,,\n"
        "0103,雨水井盖,公用设施,point,-1,4\n"
        "0104,,公用设施,point,2,\n"
        "0101,重复,公用设施,point,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ClassTableError) as err:
        load_class_table(workspace, path, component_table("legacy16"), "chief")
    text = str(err.value)
    for expected in ("line 3", "line 4", "line 5", "line 6", "0101 is given twice"):
        assert expected in text, (expected, text)
    assert "line 2" not in text


def test_event_classes(workspace, tmp_path):
    path = tmp_path / "events.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "major_code", "major_name", "name", "department_name", "立案标准"])
        for c in default_event_classes():
            w.writerow([c.code, c.major_code, c.major_name, c.name, "市城管局", "发现即立案"])
    v = load_class_table(workspace, path, EVENTS, "chief")
    assert (v.kind, v.version) == ("event", 2)
    with workspace.engine.connect() as c:
        t = workspace.schema.event_classes
        names = set(c.execute(select(t.c.department_name)).scalars())
    assert names == {"市城管局"}


def test_cli_load_and_history(inventory, any_spec, tmp_path, capsys):
    path = city_table(tmp_path / "city.csv")
    assert main(["classes", "load", any_spec, str(path), "--note", "苏州 2024"]) == 0
    out = capsys.readouterr().out
    assert "version 2: 85 classes" in out and "苏州 2024" in out
    bad = city_table(tmp_path / "bad.csv", drop=("0101",))
    assert main(["classes", "load", any_spec, str(bad)]) == 1
    assert "0101" in capsys.readouterr().err
    assert main(["classes", "load", any_spec, str(tmp_path / "none.csv")]) == 2
    assert main(["classes", "history", any_spec]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "shipped with the plugin" in lines[0]
    assert main(["classes", "history", any_spec, "--scheme", "std17"]) == 0
    assert "provisional" in capsys.readouterr().out


def test_migration_0006_on_a_workspace_with_components(any_spec):
    upgrade(any_spec, revision="0002")
    ws = Workspace.open(any_spec)
    try:
        seed_lattice(ws, communities=1, nx=2, ny=2)
        c_ = ws.schema.components
        with ws.begin() as c:  # as 0002 knew it: no class-table columns read here
            c.execute(
                c_.insert().values(
                    identifier="3205080101000001",
                    scheme="legacy16",
                    class_code="0101",
                    name="上水井盖",
                    dept_code="001",
                    dept_name="市政",
                    grid_code="320508001001001",
                    status="完好",
                    initial_date=date(2024, 1, 2),
                    data_source="实测",
                    accuracy_class="B",
                    version=1,
                    geom=f"SRID=4549;POINT({X0 + 50} {Y0 + 350})",
                )
            )
    finally:
        ws.close()
    assert upgrade(any_spec, revision="0006") == "0006"
    ws = Workspace.open(any_spec)
    try:
        with ws.engine.connect() as c:
            assert current_revision(c) == "0006"
            assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 1
            assert len(versions(c, ws, component_table("legacy16"))) == 1
            assert c.execute(select(func.count()).select_from(ws.schema.poi_categories)).scalar()
    finally:
        ws.close()
    before = _revision_before("0006")
    _downgrade(any_spec, before)  # and back (0006's own downgrade)
    ws = Workspace.open(any_spec)
    try:
        with ws.engine.connect() as c:
            assert current_revision(c) == before
            assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 1
    finally:
        ws.close()


def _revision_before(revision: str) -> str:
    from alembic.script import ScriptDirectory

    from citymgmt_plugin.core.workspace.store import MIGRATIONS_DIR

    down = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision).down_revision
    assert isinstance(down, str)
    return down


def test_census_settings_command(workspace, any_spec, capsys):
    assert main(["census", "settings", any_spec]) == 0
    assert capsys.readouterr().out.strip().endswith("off")
    assert main(["census", "settings", any_spec, "--grid-numbering", "on"]) == 0
    assert capsys.readouterr().out.strip().endswith("on")
    ws = Workspace.open(any_spec)
    try:
        assert ws.setting("grid_numbering_check") == "1"
        with ws.engine.connect() as c:
            actions = c.execute(select(ws.schema.audit_events.c.action)).scalars().all()
        assert "settings.set" in actions
    finally:
        ws.close()
