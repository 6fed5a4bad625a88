"""citymgmt:gridtopology through processing.run (memory layers in, GeoPackage out) and through
the real qgis_process binary with the packaged plugin installed in a throwaway profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from qgis_process_helper import installed_profile, plugin_zip, run_qgis_process  # noqa: F401

ALG = "citymgmt:gridtopology"
C = "320508001001"
X0, Y0 = 500000.0, 3500000.0


def run(params: dict) -> dict:
    import processing

    return processing.run(ALG, params)


def box(x0, y0, x1, y1) -> str:
    x0, x1, y0, y1 = x0 + X0, x1 + X0, y0 + Y0, y1 + Y0
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def layer(kind: str, crs: str, fields: list[tuple[str, QVariant.Type]], rows) -> QgsVectorLayer:
    spec = "&".join(f"field={n}:{'integer' if t == QVariant.Int else 'string'}" for n, t in fields)
    lyr = QgsVectorLayer(f"{kind}?crs={crs}&{spec}", "t", "memory")
    feats = []
    for wkt, attrs in rows:
        f = QgsFeature(lyr.fields())
        f.setAttributes(list(attrs))
        if wkt:
            f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    assert lyr.dataProvider().addFeatures(feats)
    return lyr


def hand_grids(crs: str = "EPSG:4549") -> QgsVectorLayer:
    """Nine 100 m grids with one overlap (500 m²), one closed gap (1,000 m²), a spike
    (invalid), a 14-digit and a non-digit code, plus a sliver strip, a too-large grid in
    another community and a too-small grid sharing its code (see tests/unit/test_topology)."""
    g = {}
    for r in range(3):
        for c in range(3):
            g[r * 3 + c + 1] = box(c * 100, r * 100, c * 100 + 100, r * 100 + 100)
    g[2] = box(95, 0, 200, 100)
    g[5] = box(100, 100, 200, 190)
    pts = [(200, 200), (300, 200), (300, 300), (250, 300), (250, 350), (250, 300), (200, 300)]
    ring = ",".join(f"{x + X0} {y + Y0}" for x, y in [*pts, pts[0]])
    g[9] = f"POLYGON(({ring}))"
    g[10] = box(300, 0, 1300, 10)
    g[11] = box(1000, 1000, 1300, 1300)
    g[12] = box(-50, 0, 0, 30)
    codes = {k: f"{C}{k:03d}" for k in g}
    codes[7], codes[8], codes[12] = C + "07", C + "0A8", codes[11]
    return layer("Polygon", crs, [("code", QVariant.String)], [(g[k], [codes[k]]) for k in g])


def hand_admin() -> QgsVectorLayer:
    c1 = (
        f"MULTIPOLYGON((({X0} {Y0},{X0 + 1300} {Y0},{X0 + 1300} {Y0 + 10},{X0 + 300} {Y0 + 10},"
        f"{X0 + 300} {Y0 + 300},{X0} {Y0 + 300},{X0} {Y0 + 30},{X0 - 50} {Y0 + 30},"
        f"{X0 - 50} {Y0},{X0} {Y0})))"
    )
    rows = [(c1, [C, "community"]), (box(1000, 1000, 1300, 1250), ["320508001002", "community"])]
    rows.append((box(-5000, -5000, 5000, 5000), ["320508", "district"]))
    return layer(
        "MultiPolygon", "EPSG:4549", [("code", QVariant.String), ("level", QVariant.String)], rows
    )


def write_gpkg(lyr: QgsVectorLayer, path, name: str) -> str:
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = name
    if Path(path).exists():
        opts.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    err = QgsVectorFileWriter.writeAsVectorFormatV3(
        lyr, str(path), QgsCoordinateTransformContext(), opts
    )
    assert err[0] == QgsVectorFileWriter.NoError, err
    return f"{path}|layername={name}"


def read_errors(path: str) -> list[dict]:
    out = QgsVectorLayer(path, "errors", "ogr")
    assert out.isValid(), path
    assert out.wkbType() == 6  # MultiPolygon
    rows = []
    for f in out.getFeatures():
        d = {k: f[k] for k in ("type", "grid_code", "other_code", "message", "area_m2")}
        d["geom"] = f.geometry()
        rows.append(d)
    return rows


def test_memory_layers_to_geopackage(processing_ready, tmp_path):
    res = run({"GRIDS": hand_grids(), "OUTPUT": str(tmp_path / "errors.gpkg")})
    want = {
        "INVALID": 1,
        "OVERLAP": 1,
        "GAP": 1,
        "OUTSIDE": 0,
        "SLIVER": 1,
        "AREA": 2,
        "DUPLICATE_CODE": 2,
        "MALFORMED_CODE": 2,
        "ADMIN_MISMATCH": 0,
    }
    assert {k: res[k] for k in want} == want
    assert res["ERRORS"] == 10 and res["GRIDS_CHECKED"] == 12
    assert res["GAP_AREA"] == pytest.approx(1000.0)
    assert res["OVERLAP_AREA"] == pytest.approx(500.0)
    rows = read_errors(res["OUTPUT"])
    assert len(rows) == 10
    (ov,) = [r for r in rows if r["type"] == "overlap"]
    assert (ov["grid_code"], ov["other_code"]) == (C + "001", C + "002")
    assert ov["geom"].area() == pytest.approx(500.0)
    (gap,) = [r for r in rows if r["type"] == "gap"]
    assert gap["geom"].area() == pytest.approx(1000.0) and gap["area_m2"] == pytest.approx(1000.0)
    assert gap["grid_code"] is None or gap["grid_code"] == QVariant() or not gap["grid_code"]
    (inv,) = [r for r in rows if r["type"] == "invalid"]
    assert "Self-intersection" in inv["message"] and inv["grid_code"] == C + "009"
    for r in rows:
        assert r["message"]


def test_admin_layer_with_subset_and_options(processing_ready, tmp_path):
    admin = hand_admin()
    admin.setSubsetString("\"level\" = 'community'")
    res = run(
        {
            "GRIDS": hand_grids(),
            "GRID_CODE_FIELD": "code",
            "ADMIN": admin,
            "ADMIN_CODE_FIELD": "code",
            "LEGACY14": True,
            "MIN_AREA": 1000,
            "MAX_AREA": 100_000,
            "SLIVER_RATIO": 0.02,
            "OUTPUT": str(tmp_path / "errors.gpkg"),
        }
    )
    assert (res["MALFORMED_CODE"], res["AREA"], res["SLIVER"]) == (1, 0, 0)
    assert (res["OUTSIDE"], res["ADMIN_MISMATCH"], res["GAP"]) == (1, 1, 1)
    rows = read_errors(res["OUTPUT"])
    (out,) = [r for r in rows if r["type"] == "outside"]
    assert out["geom"].area() == pytest.approx(15_000.0)
    (mm,) = [r for r in rows if r["type"] == "admin_mismatch"]
    assert mm["grid_code"] == C + "011" and mm["other_code"] == "320508001002"


def test_geopackage_inputs_in_another_crs(processing_ready, tmp_path):
    """GeoPackage sources; the admin layer is reprojected to the grids'."""
    path = tmp_path / "in.gpkg"
    grids = write_gpkg(hand_grids(), path, "grids")
    admin = hand_admin()
    admin.setSubsetString("\"level\" = 'community'")
    write_gpkg(admin, path, "admin")
    # the admin units in Web Mercator: read back in the grids' CRS
    import processing

    admin_3857 = processing.run(
        "native:reprojectlayer",
        {
            "INPUT": f"{path}|layername=admin",
            "TARGET_CRS": QgsCoordinateReferenceSystem("EPSG:3857"),
            "OUTPUT": str(tmp_path / "admin_3857.gpkg"),
        },
    )["OUTPUT"]
    res = run(
        {
            "GRIDS": grids,
            "ADMIN": admin_3857,
            "OUTPUT": str(tmp_path / "errors.gpkg"),
        }
    )
    assert (res["OUTSIDE"], res["ADMIN_MISMATCH"], res["GAP"], res["OVERLAP"]) == (1, 1, 1, 1)
    assert res["GAP_AREA"] == pytest.approx(1000.0, abs=0.5)


def test_workspace_tables(processing_ready, gpkg_workspace, tmp_path):
    """The workspace's unit_grids and community admin_units: a clean block of six grids."""
    from tests.fixtures.small_workspace import seed_small_workspace

    seed_small_workspace(gpkg_workspace)
    ws = gpkg_workspace.spec.path
    res = run(
        {
            "GRIDS": f"{ws}|layername=unit_grids",
            "ADMIN": f"{ws}|layername=admin_units|subset=\"level\" = 'community'",
            "OUTPUT": str(tmp_path / "errors.gpkg"),
        }
    )
    assert res["GRIDS_CHECKED"] == 6 and res["ERRORS"] == 0


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty", "empty"),
        ("points", "polygon"),
        ("field", "nope"),
        ("geographic", "geographic"),
        ("areas", "maximum"),
    ],
)
def test_bad_inputs_give_clear_errors(processing_ready, tmp_path, case, message):
    params = {"GRIDS": hand_grids(), "OUTPUT": str(tmp_path / "e.gpkg")}
    if case == "empty":
        params["GRIDS"] = layer("Polygon", "EPSG:4549", [("code", QVariant.String)], [])
    elif case == "points":
        params["GRIDS"] = layer(
            "Point", "EPSG:4549", [("code", QVariant.String)], [(f"POINT({X0} {Y0})", [C + "001"])]
        )
    elif case == "field":
        params["GRID_CODE_FIELD"] = "nope"
    elif case == "geographic":
        params["GRIDS"] = layer(
            "Polygon",
            "EPSG:4490",
            [("code", QVariant.String)],
            [("POLYGON((120 31,120.001 31,120.001 31.001,120 31))", [C + "001"])],
        )
    elif case == "areas":
        params.update(MIN_AREA=5000, MAX_AREA=1000)
    with pytest.raises(QgsProcessingException) as exc:
        run(params)
    assert message in str(exc.value).lower() or message in str(exc.value)
    assert "Traceback" not in str(exc.value)


def test_translated_names_and_messages(processing_ready, tmp_path):
    from zh_translator import zh_cn

    alg = QgsApplication.processingRegistry().algorithmById(ALG)
    with zh_cn(tmp_path):
        assert alg.displayName() == "单元网格拓扑与编码检查"
        res = run({"GRIDS": hand_grids(), "OUTPUT": str(tmp_path / "zh.gpkg")})
        rows = read_errors(res["OUTPUT"])
        (ov,) = [r for r in rows if r["type"] == "overlap"]
        assert "重叠" in ov["message"]


# -- the real qgis_process binary -------------------------------------------------------------


@pytest.mark.slow
def test_qgis_process_binary(processing_ready, installed_profile, tmp_path):  # noqa: F811
    src = write_gpkg(hand_grids(), tmp_path / "grids.gpkg", "grids")
    out = tmp_path / "errors.gpkg"
    done = run_qgis_process(
        ["run", ALG, "--", f"GRIDS={src}", f"OUTPUT={out}"],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert results["OVERLAP"] == 1 and results["GAP"] == 1 and results["ERRORS"] == 10
    rows = read_errors(str(out))
    assert sorted(r["type"] for r in rows).count("duplicate_code") == 2
    # a bad input through the binary: a clear message and a non-zero exit, no traceback
    done = run_qgis_process(
        [
            "run",
            ALG,
            "--",
            f"GRIDS={src}",
            "GRID_CODE_FIELD=nope",
            f"OUTPUT={tmp_path / 'bad.gpkg'}",
        ],
        installed_profile,
    )
    assert done.returncode != 0
    assert "nope" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
