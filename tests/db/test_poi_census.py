"""Points of interest (兴趣点普查): placed, edited, moved and retired with history, and a POI
survey batch imported, reconciled and applied (``census import --target pois``), on both
backends."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date

import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import func, select

from citymgmt_plugin.cli.main import main
from citymgmt_plugin.core import census
from citymgmt_plugin.core.census.pois import (
    PoiDraft,
    create_poi,
    get_poi,
    poi_history,
    pois_near,
    retire_poi,
    update_poi,
)
from citymgmt_plugin.demo.lattice import seed_lattice

X0, Y0 = 500000.0, 3500000.0


@pytest.fixture(autouse=True)
def _no_remembered_mappings(tmp_path, monkeypatch):
    from citymgmt_plugin.core.census import batch_mapping

    monkeypatch.setattr(batch_mapping, "default_mapping_file", lambda: tmp_path / "none.json")


@pytest.fixture
def grids(workspace):
    seed_lattice(workspace, communities=2, nx=2, ny=2)
    return workspace


def _draft(x, y, name="苏城超市", category="0202", **kw):
    values = dict(address="平江路1号", phone="0512-65230000", door_number="1号",
                  initial_date=date(2024, 3, 1))  # fmt: skip
    values.update(kw)
    return PoiDraft(category, Point(X0 + x, Y0 + y), name=name, **values)


def test_place_edit_move_retire_with_history(grids):
    ws = grids
    with census.write_transaction(ws) as c:
        a = create_poi(c, ws, _draft(50, 50), "li")
        b = create_poi(c, ws, _draft(60, 50, name="平江药房", category="0206"), "li")
    assert a.identifier == "3205080202000001" and b.identifier == "3205080206000001"
    assert a.grid_code == "320508001001003"
    with census.write_transaction(ws) as c:
        r = update_poi(
            c, ws, a.id, {"phone": "0512-65231111；13800000000"}, "wang", "换号", expected_version=1
        )
        assert r.version == 2
        r = update_poi(c, ws, a.id, {"geom": Point(X0 + 150, Y0 + 50)}, "wang", "搬迁")
        assert r.grid_code == "320508001001004" and r.version == 3
        r = retire_poi(c, ws, a.id, "wang", "已关门")
    with ws.engine.connect() as c:
        poi = get_poi(c, ws, a.id)
        hist = poi_history(c, ws, a.id)
        near = pois_near(c, ws, Point(X0 + 60, Y0 + 50), 5)
        actions = Counter(c.execute(select(ws.schema.audit_events.c.action)).scalars())
    assert poi["status"] == "移除" and poi.version == 4 and poi["change_date"] is not None
    assert [(h["version"], h["operation"]) for h in hist] == [
        (1, "create"),
        (2, "update"),
        (3, "move"),
        (4, "retire"),
    ]
    assert hist[1]["changes"]["phone"][1] == "0512-65231111；13800000000"
    assert hist[2]["changes"]["geom"][1] == pytest.approx(100.0)
    assert hist[2]["geom"].distance(Point(X0 + 150, Y0 + 50)) < 0.01
    assert [n[0] for n in near] == [b.id]  # the retired one is not offered
    assert actions["poi.create"] == 2 and actions["poi.retire"] == 1
    with pytest.raises(census.ValidationFailed) as err, census.write_transaction(ws) as c:
        update_poi(c, ws, a.id, {"name": "新名字"}, "wang")
    assert err.value.rules == {"retired"}
    with pytest.raises(census.VersionConflict), census.write_transaction(ws) as c:
        update_poi(c, ws, b.id, {"name": "x"}, "wang", expected_version=7)


@pytest.mark.parametrize(
    "draft, rules",
    [
        (_draft(50, 50, phone="请致电"), {"phone"}),
        (_draft(50, 50, name="无"), {"placeholder"}),
        (_draft(50, 50, name=""), {"mandatory"}),
        (_draft(50, 50, category="9999"), {"class_unknown"}),
        (_draft(-50, 50), {"no_grid"}),
        (_draft(50, 50, status="营业"), {"domain"}),
    ],
    ids=["phone", "placeholder", "no-name", "category", "outside", "status"],
)
def test_refused_with_reasons(grids, draft, rules):
    ws = grids
    with pytest.raises(census.ValidationFailed) as err, census.write_transaction(ws) as c:
        create_poi(c, ws, draft, "li")
    assert err.value.rules == rules
    line = PoiDraft("0202", LineString([(X0 + 1, Y0 + 1), (X0 + 9, Y0 + 9)]), name="x")
    with pytest.raises(census.ValidationFailed) as err, census.write_transaction(ws) as c:
        create_poi(c, ws, line, "li")
    assert err.value.rules == {"geometry_kind"}


def _lonlat(x, y):
    from tests.fixtures.legacy_export import _lonlat as transform

    lon, lat, _ = transform().TransformPoint(X0 + x, Y0 + y)
    return round(lon, 8), round(lat, 8)


def _batch(path, refs):
    """A POI survey batch as a collector's spreadsheet gives it (GBK CSV, lon/lat)."""
    rows = [
        (
            refs[0].identifier,
            "苏城超市",
            "超市便利店",
            "平江路1号",
            "0512-65230000",
            "1号",
            50,
            50,
            "营业",
        ),  # unchanged
        (
            refs[1].identifier,
            "平江药房",
            "药房",
            "平江路3号",
            "0512-65239999",
            "3号",
            60,
            50,
            "营业",
        ),  # changed phone... and category name
        (
            refs[2].identifier,
            "观前书店",
            "专卖店",
            "观前街9号",
            "",
            "9号",
            170,
            150,
            "营业",
        ),  # moved 20 m
        (
            "",
            "苏城超市",
            "超市便利店",
            "平江路1号",
            "",
            "1号",
            52,
            51,
            "营业",
        ),  # duplicate: same name near
        ("", "老街茶馆", "茶馆咖啡厅", "平江路20号", "13900000000", "20号", 130, 30, "营业"),  # new
        (
            "",
            "老街茶馆",
            "茶馆咖啡厅",
            "平江路20号",
            "13900000000",
            "20号",
            131,
            31,
            "营业",
        ),  # duplicate row
        ("", "快递驿站", "快递物流点", "平江路22号", "不详", "22号", 140, 30, "营业"),  # bad phone
        ("", "无名小店", "未知类别", "平江路24号", "", "24号", 150, 30, "营业"),  # unknown category
        ("", "漂移商店", "专卖店", "", "", "", 0, 0, "营业"),  # no position (0 0)
        ("", "关门饭店", "中餐厅", "平江路30号", "", "30号", 160, 30, "停业"),  # new, closed
    ]
    with open(path, "w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["兴趣点编码", "名称", "类别", "地址", "联系电话", "门牌号", "经度", "纬度", "营业状态"]
        )
        for ident, name, cat, addr, phone, door, x, y, status in rows:
            lon, lat = _lonlat(x, y) if (x, y) != (0, 0) else (0, 0)
            w.writerow([ident, name, cat, addr, phone, door, lon, lat, status])
    return path


def test_poi_batch_through_the_command_line(grids, any_spec, tmp_path, capsys):
    ws = grids
    with census.write_transaction(ws) as c:
        refs = [
            create_poi(c, ws, _draft(50, 50), "li"),
            create_poi(
                c,
                ws,
                _draft(
                    60, 50, name="平江药房", category="0206", address="平江路3号", door_number="3号"
                ),
                "li",
            ),
            create_poi(
                c,
                ws,
                _draft(
                    150,
                    150,
                    name="观前书店",
                    category="0204",
                    address="观前街9号",
                    door_number="9号",
                    phone=None,
                ),
                "li",
            ),
            create_poi(c, ws, _draft(180, 20, name="旧报亭", category="1403"), "li"),  # missing
        ]
    src = _batch(tmp_path / "poi.csv", refs)
    values = tmp_path / "values.json"
    values.write_text(
        json.dumps(
            {"status": {"营业": "正常"}, "category_code": {"药房": "0206"}}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    args = [
        "census",
        "import",
        any_spec,
        str(src),
        "--target",
        "pois",
        "--values",
        str(values),
        "--report",
        str(tmp_path / "report"),
        "--apply",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Rows read: 10; valid: 7; invalid: 3" in out, out
    assert "  not a telephone number: 1" in out and "  no position: 1" in out
    assert "  new: 2" in out and "  duplicate: 2" in out and "  missing: 1" in out
    assert "Applied: 2 created, 1 updated, 1 moved, 1 retired" in out
    t = ws.schema.pois
    with ws.engine.connect() as c:
        rows = {r.name: r for r in c.execute(select(t))}
        hist = Counter(c.execute(select(ws.schema.poi_history.c.operation)).scalars())
    assert len(rows) == 6
    assert rows["平江药房"].phone == "0512-65239999" and rows["平江药房"].version == 2
    assert rows["旧报亭"].status == "移除"
    assert rows["关门饭店"].status == "停业" and rows["关门饭店"].identifier == "3205080101000001"
    assert rows["老街茶馆"].category_code == "0104" and rows["老街茶馆"].door_number == "20号"
    assert hist == {"create": 4, "import": 2, "update": 1, "move": 1, "retire": 1}
    with ws.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 0
