"""Census import (every format, CRS transforms, row failures) and reconciliation + apply."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from osgeo import ogr, osr
from shapely.geometry import Point
from sqlalchemy import func, select

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census import ComponentDraft
from citymgmt_plugin.core.census.batch_mapping import MappingStore, guess_mapping
from citymgmt_plugin.core.census.batch_read import read_source
from citymgmt_plugin.core.census.importer import import_batch
from citymgmt_plugin.core.census.reconcile import reconcile
from citymgmt_plugin.core.census.reconcile_apply import apply_reconciliation
from citymgmt_plugin.core.census.reconcile_report import write_report
from citymgmt_plugin.demo.lattice import seed_lattice

X0, Y0 = 500000.0, 3500000.0


def _to(srid: int, x: float, y: float) -> tuple[float, float]:
    s, d = osr.SpatialReference(), osr.SpatialReference()
    s.ImportFromEPSG(4549)
    d.ImportFromEPSG(srid)
    for r in (s, d):
        r.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x2, y2, _ = osr.CoordinateTransformation(s, d).TransformPoint(x, y)
    return x2, y2


@pytest.fixture
def stored(workspace):
    ws = workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    pts = [(50, 50), (60, 60), (70, 70), (80, 80), (90, 90), (350, 150)]
    refs = []
    with census.write_transaction(ws) as c:
        for x, y in pts:
            refs.append(
                census.create_component(
                    c,
                    ws,
                    ComponentDraft(
                        "0101",
                        Point(X0 + x, Y0 + y),
                        name="上水井盖",
                        dept_code="001",
                        dept_name="市水务局",
                        initial_date=date(2024, 5, 1),
                    ),
                    "seed",
                )
            )
    return ws, refs


def batch_rows(refs):
    """(identifier, class, x, y, status, dept_name) in workspace metres."""
    return [
        (refs[0].identifier, "0101", 50.0, 50.0, "完好", "市水务局"),  # unchanged
        (refs[1].identifier, "0101", 60.0, 60.0, "破损", "市水务局"),  # changed
        (refs[2].identifier, "0101", 75.0, 70.0, "完好", "市水务局"),  # moved 5 m
        # refs[3] absent                                                missing
        (refs[4].identifier, "0101", 90.0, 90.0, "完好", "市水务局"),  # unchanged
        ("", "0101", 90.3, 90.0, "完好", "市水务局"),  # duplicate of refs[4]
        ("", "0101", 150.0, 30.0, "完好", "市水务局"),  # new
        ("", "0101", 150.2, 30.0, "完好", "市水务局"),  # duplicate of the previous row
        ("", "0102", 20.0, 20.0, "好的", "市水务局"),  # bad status
        ("", "0101", -50.0, 20.0, "完好", "市水务局"),  # outside every grid
        ("", "0199", 30.0, 20.0, "完好", "市水务局"),  # unknown class
        ("", "0101", 40.0, 20.0, "完好", ""),  # mandatory dept missing
    ]


def write_geojson(path, rows, srid=4326):
    feats = []
    for ident, cls, x, y, st, dept in rows:
        lon, lat = _to(srid, X0 + x, Y0 + y)
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "BSM": ident,
                    "LBDM": cls,
                    "BJZT": st,
                    "ZGBMMC": dept,
                    "ZGBMDM": "001",
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")


def test_reconcile_and_apply(stored, tmp_path):
    ws, refs = stored
    src = tmp_path / "batch.geojson"
    write_geojson(src, batch_rows(refs))
    store = MappingStore(tmp_path / "maps.json")
    with ws.begin() as c:
        batch = import_batch(c, ws, src, store=store)
    assert batch.source_crs == "EPSG:4326"
    assert sorted((f.row_no, sorted({p.rule for p in f.problems})) for f in batch.failures) == [
        (8, ["domain"]),
        (9, ["no_grid"]),
        (10, ["class_unknown"]),
        (11, ["mandatory"]),
    ]
    assert "部件状态" in batch.failures[0].reason or "Status" in batch.failures[0].reason
    with ws.begin() as c:
        recon = reconcile(c, ws, batch)
    counts = recon.counts()
    assert counts == {
        "new": 1,
        "unchanged": 2,
        "changed": 1,
        "moved": 1,
        "missing": 1,
        "duplicate": 2,
    }
    by_kind = {i.kind: i for i in recon.items}
    assert by_kind["changed"].changes == {"status": ["完好", "破损"]}
    assert by_kind["moved"].distance == pytest.approx(5.0, abs=0.01)
    assert by_kind["missing"].identifier == refs[3].identifier
    dups = sorted(i.duplicate_of for i in recon.items if i.kind == "duplicate")
    assert dups == sorted([refs[4].identifier, "row 6"])
    # the editor rejects the retirement of the missing one
    assert recon.set_decision([by_kind["missing"].seq], False) == 1
    with census.write_transaction(ws) as c:
        result = apply_reconciliation(c, ws, recon, "editor")
    assert result.as_dict() == {"created": 1, "updated": 1, "moved": 1, "retired": 0, "skipped": 3}
    report = write_report(recon, tmp_path / "out", result=result)
    text = report["txt"].read_text(encoding="utf-8")
    assert "1 created" in text and "Invalid rows" in text
    page = report["html"].read_text(encoding="utf-8")  # what applying did, beside the failures
    assert "1 created" in page and "Invalid rows" in page
    with open(report["csv"], encoding="utf-8-sig") as f:
        lines = list(csv.reader(f))
    assert len(lines) == 1 + len(recon.items) + 4
    s = ws.schema
    with ws.begin() as c:
        n = c.execute(select(func.count()).select_from(s.components)).scalar()
        moved = census.get_component(c, ws, refs[2].id)
        changed = census.get_component(c, ws, refs[1].id)
        ops = (
            c.execute(
                select(s.component_history.c.operation).where(s.component_history.c.version > 1)
            )
            .scalars()
            .all()
        )
    assert n == 7
    assert moved.geom.distance(Point(X0 + 75, Y0 + 70)) < 0.01 and moved.version == 2
    assert changed["status"] == "破损" and changed["change_date"] is not None
    assert sorted(ops) == ["move", "status"]
    # a second pass of the same batch now finds the changes already made
    with ws.begin() as c:
        again = reconcile(c, ws, import_batch(c, ws, src, store=store))
    assert again.counts()["changed"] == 0 and again.counts()["moved"] == 0
    assert again.counts()["new"] == 0  # the new row now duplicates what it created


def test_apply_is_one_transaction(stored, tmp_path):
    ws, refs = stored
    src = tmp_path / "batch.geojson"
    write_geojson(src, batch_rows(refs))
    with ws.begin() as c:
        recon = reconcile(c, ws, import_batch(c, ws, src, store=MappingStore(tmp_path / "m.json")))
    with census.write_transaction(ws) as c:  # someone edits a component meanwhile
        census.update_component(c, ws, refs[3].id, {"note": "x"}, "other")
    with pytest.raises(census.CensusError), census.write_transaction(ws) as c:
        apply_reconciliation(c, ws, recon, "editor")
    with ws.begin() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 6
        assert census.get_component(c, ws, refs[1].id)["status"] == "完好"


def test_apply_reports_progress_and_cancel_rolls_back(stored, tmp_path, monkeypatch):
    from citymgmt_plugin.core.census import reconcile_apply as rc

    ws, refs = stored
    src = tmp_path / "batch.geojson"
    write_geojson(src, batch_rows(refs))
    with ws.begin() as c:
        recon = reconcile(c, ws, import_batch(c, ws, src, store=MappingStore(tmp_path / "m.json")))
    recon.set_decision(None, True, kinds=tuple(rc.ACTIONABLE))
    total = len(recon.accepted())
    assert total >= 4
    monkeypatch.setattr(rc, "_PROGRESS_EVERY", 1)
    seen = []

    def stop_midway(done, n):
        seen.append((done, n))
        return done == 3  # the user presses Cancel after three items went in

    with pytest.raises(rc.ApplyCancelled, match="3 of"), census.write_transaction(ws) as c:
        apply_reconciliation(c, ws, recon, "editor", progress=stop_midway)
    assert seen == [(0, total), (1, total), (2, total), (3, total)]
    with ws.begin() as c:  # the three applied items went with the rollback
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 6
        assert census.get_component(c, ws, refs[1].id)["status"] == "完好"
        assert census.get_component(c, ws, refs[2].id).version == 1
    # Without cancelling, the same reconciliation applies and reports the end.
    seen.clear()
    with census.write_transaction(ws) as c:
        result = apply_reconciliation(c, ws, recon, "editor", progress=lambda d, n: seen.append(d))
    r = result.as_dict()
    assert seen[-1] == total and r["created"] + r["updated"] + r["moved"] + r["retired"] == total


def test_apply_keeps_the_state_before_the_first_change(stored, tmp_path):
    """Components loaded in bulk have no history: applying writes their prior state first
    (looked up once for the whole batch), then the change."""
    from sqlalchemy import delete

    ws, refs = stored
    h = ws.schema.component_history
    with ws.begin() as c:  # as if refs[1] had come in by a bulk load
        c.execute(delete(h).where(h.c.component_id == refs[1].id))
    src = tmp_path / "batch.geojson"
    write_geojson(src, batch_rows(refs))
    with ws.begin() as c:
        recon = reconcile(c, ws, import_batch(c, ws, src, store=MappingStore(tmp_path / "m.json")))
    with census.write_transaction(ws) as c:
        apply_reconciliation(c, ws, recon, "editor")
    with ws.begin() as c:
        rows = c.execute(
            select(h.c.version, h.c.operation, h.c.attributes)
            .where(h.c.component_id.in_([refs[1].id, refs[2].id]))
            .order_by(h.c.component_id, h.c.version)
        ).all()
    assert [(r.version, r.operation) for r in rows] == [
        (1, "import"),  # refs[1]: the baseline written by apply
        (2, "status"),
        (1, "create"),  # refs[2]: its own creation, not duplicated
        (2, "move"),
    ]
    assert rows[0].attributes["status"] == "完好"


@pytest.fixture
def gpkg_stored(gpkg_workspace):
    ws = gpkg_workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    return ws


def _rows():
    return [("", "0101", 10.0 + i * 25, 20.0, "完好", "市水务局") for i in range(5)] + [
        ("", "0101", 10.0, 20.0, "乱码", "市水务局")
    ]


@pytest.mark.parametrize("fmt", ["csv-projected", "xlsx-cgcs2000", "shp", "gpkg", "geojson"])
def test_import_formats(gpkg_stored, tmp_path, fmt):
    ws = gpkg_stored
    rows = _rows()
    if fmt == "csv-projected":
        src = tmp_path / "b.csv"
        with open(src, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(
                ["标识码", "类别代码", "X坐标", "Y坐标", "部件状态", "主管部门名称", "主管部门代码"]
            )
            for ident, cls, x, y, st, dept in rows:
                w.writerow([ident, cls, X0 + x, Y0 + y, st, dept, "001"])
    elif fmt == "xlsx-cgcs2000":
        import openpyxl

        src = tmp_path / "b.xlsx"
        wb = openpyxl.Workbook()
        sh = wb.active
        sh.append(["BSM", "LBDM", "经度", "纬度", "BJZT", "ZGBMMC", "ZGBMDM"])
        for ident, cls, x, y, st, dept in rows:
            lon, lat = _to(4490, X0 + x, Y0 + y)
            sh.append([ident or None, cls, lon, lat, st, dept, "001"])
        wb.save(src)
    elif fmt == "geojson":
        src = tmp_path / "b.geojson"
        write_geojson(src, rows)
    else:
        driver = {"shp": "ESRI Shapefile", "gpkg": "GPKG"}[fmt]
        src = tmp_path / f"b.{fmt}"
        ds = ogr.GetDriverByName(driver).CreateDataSource(str(src))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4549)
        lyr = ds.CreateLayer(
            "survey", srs, ogr.wkbPoint, options=["ENCODING=UTF-8"] if fmt == "shp" else []
        )
        for name in ("BSM", "LBDM", "BJZT", "ZGBMMC", "ZGBMDM"):
            lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))
        for ident, cls, x, y, st, dept in rows:
            feat = ogr.Feature(lyr.GetLayerDefn())
            for k, v in zip(
                ("BSM", "LBDM", "BJZT", "ZGBMMC", "ZGBMDM"), (ident, cls, st, dept, "001")
            ):
                feat.SetField(k, v)
            feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({X0 + x} {Y0 + y})"))
            lyr.CreateFeature(feat)
        ds = None
    store = MappingStore(tmp_path / "maps.json")
    with ws.begin() as c:
        batch = import_batch(c, ws, src, store=store)
    assert len(batch.records) == 5
    assert [f.row_no for f in batch.failures] == [6]
    got = sorted(r.grid_code for r in batch.records)
    assert got == ["320508001001003"] * 4 + ["320508001001004"]
    for r in batch.records:
        assert r.geom.distance(Point(X0 + 10 + 25 * (r.row_no - 1), Y0 + 20)) < 0.01
    # the mapping is remembered for the next batch with the same columns
    table = read_source(src)
    assert store.get(table.columns) == guess_mapping(table.columns, table.has_geometry)


def test_remembered_mapping_wins(gpkg_stored, tmp_path):
    ws = gpkg_stored
    src = tmp_path / "odd.csv"
    src.write_text("a,b,c,d,e,f\n0101,500010,3500020,完好,水务局,001\n", encoding="utf-8")
    store = MappingStore(tmp_path / "maps.json")
    mapping = {
        "class_code": "a",
        "x": "b",
        "y": "c",
        "status": "d",
        "dept_name": "e",
        "dept_code": "f",
    }
    store.remember(["a", "b", "c", "d", "e", "f"], mapping, "EPSG:4549")
    with ws.begin() as c:
        batch = import_batch(c, ws, src, store=store)
    assert len(batch.records) == 1 and batch.records[0].grid_code == "320508001001003"
