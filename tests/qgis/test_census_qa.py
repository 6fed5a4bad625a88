"""citymgmt:censusqa through processing.run, with exact counts per rule."""

from __future__ import annotations

import json

import pytest
from qgis.core import QgsVectorLayer
from shapely.geometry import Point
from sqlalchemy import update

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census import ComponentDraft
from citymgmt_plugin.core.qgis.layers import workspace_layer
from citymgmt_plugin.demo.lattice import seed_lattice

X0, Y0 = 500000.0, 3500000.0


@pytest.fixture(scope="module")
def processing(qgis_app):
    from citymgmt_plugin.headless import run_census_qa

    return run_census_qa


def _draft(x, y, **kw):
    d = dict(name="上水井盖", dept_code="001", dept_name="市水务局")
    d.update(kw)
    return ComponentDraft("0101", Point(X0 + x, Y0 + y), **d)


def test_qa_on_workspace_layers(processing, workspace):
    ws = workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    with census.write_transaction(ws) as c:
        a = census.create_component(c, ws, _draft(50, 50), "t")
        census.create_component(c, ws, _draft(50.4, 50), "t")  # duplicate pair (B: 1 m)
        census.create_component(c, ws, _draft(150, 150), "t")
        census.create_component(c, ws, _draft(150.6, 150, accuracy_class="A"), "t")  # B/A: dup
        moved = census.create_component(c, ws, _draft(250, 50), "t")
        census.create_component(c, ws, _draft(300, 50), "t")
        # stored grid no longer matches the position (same county: allowed by the schema)
        c.execute(
            update(ws.schema.components)
            .where(ws.schema.components.c.id == moved.id)
            .values(grid_code=a.grid_code)
        )
    comps = workspace_layer(ws, "components", geometry_type="Point")
    grids = workspace_layer(ws, "unit_grids")
    assert comps.isValid() and grids.isValid()
    res = processing(comps, grids)
    counts = json.loads(res["COUNTS"])
    assert res["CHECKED"] == 6
    assert {k: v for k, v in counts.items() if v} == {"grid_mismatch": 1, "duplicate": 4}
    assert res["TOTAL"] == 5
    layer = res["OUTPUT"]
    if isinstance(layer, str):
        from qgis.core import QgsProcessingContext

        layer = QgsProcessingContext().getMapLayer(layer)
    rules = sorted(f["rule"] for f in layer.getFeatures())
    assert rules == ["duplicate"] * 4 + ["grid_mismatch"]


def _file_layer(path, rows):
    """A GeoPackage layer with the schema's fields and mixed geometry (as a survey might)."""
    from osgeo import ogr, osr

    names = [
        "identifier",
        "scheme",
        "class_code",
        "name",
        "dept_code",
        "dept_name",
        "grid_code",
        "status",
        "initial_date",
        "data_source",
        "accuracy_class",
    ]
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    lyr = ds.CreateLayer("comps", srs, ogr.wkbUnknown)
    for n in names:
        lyr.CreateField(ogr.FieldDefn(n, ogr.OFTString))
    for wkt, over in rows:
        base = {
            "identifier": None,
            "scheme": "legacy16",
            "class_code": "0101",
            "name": "上水井盖",
            "dept_code": "001",
            "dept_name": "水务",
            "grid_code": "320508001001003",
            "status": "完好",
            "initial_date": "2026-01-01",
            "data_source": "实测",
            "accuracy_class": "B",
        }
        base.update(over)
        f = ogr.Feature(lyr.GetLayerDefn())
        for n in names:
            if base[n] is not None:
                f.SetField(n, base[n])
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None
    layer = QgsVectorLayer(f"{path}|layername=comps", "comps", "ogr")
    assert layer.isValid()
    return layer


def test_qa_rules_exact_counts(processing, gpkg_workspace, tmp_path):
    ws = gpkg_workspace
    seed_lattice(ws, communities=2, nx=2, ny=2)
    grids = workspace_layer(ws, "unit_grids")
    p = lambda x, y: f"POINT({X0 + x} {Y0 + y})"  # noqa: E731
    rows = [
        (p(10, 10), {"identifier": "3205080101000001"}),  # clean
        (p(20, 10), {"identifier": "320508010100002"}),  # 15 digits → format
        (p(30, 10), {"identifier": "3205080102000003"}),  # class part 0102 ≠ 0101 → format
        (p(40, 10), {"identifier": "3205080101000000"}),  # serial 0 → format
        (p(50, 10), {"identifier": "3205090101000005"}),  # county 320509 vs grid → county
        (p(60, 10), {"identifier": "3205080101000006"}),  # unique pair (1/2)
        (p(70, 10), {"identifier": "3205080101000006"}),  # unique pair (2/2)
        (p(80, 10), {"identifier": "3205080101000008", "grid_code": "320508001001001"}),  # grid
        (p(-10, 10), {"identifier": "3205080101000009"}),  # outside every grid
        (p(90, 30), {"identifier": "3205080101000010"}),  # duplicate pair (1/2)
        (p(90.5, 30), {"identifier": "3205080101000011"}),  # duplicate pair (2/2)
        (p(90.5, 30.2), {"identifier": "3205080101000012", "status": "移除"}),  # retired: no dup
        (p(10, 60), {"identifier": "3205080101000013", "dept_name": None, "name": ""}),  # 2×mand.
        (p(20, 60), {"identifier": "3205080101000014", "status": "好的", "accuracy_class": "Z"}),
        (p(30, 60), {"identifier": "3205080199000015", "class_code": "0199"}),  # unknown class
        (
            f"LINESTRING({X0 + 40} {Y0 + 60},{X0 + 45} {Y0 + 65})",
            {"identifier": "3205080101000016"},
        ),  # geometry kind
    ]
    layer = _file_layer(tmp_path / "survey.gpkg", rows)
    res = processing(layer, grids)
    counts = json.loads(res["COUNTS"])
    assert counts == {
        "identifier_format": 3,
        "identifier_unique": 2,
        "identifier_county": 1,
        "grid_mismatch": 1,
        "outside_grids": 1,
        "duplicate": 2,
        "mandatory": 2,
        "placeholder": 0,
        "domain": 2,
        "class_unknown": 1,
        "geometry_kind": 1,
    }
    assert res["TOTAL"] == 16 and res["CHECKED"] == 16
