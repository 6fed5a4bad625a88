"""Files with personal data are the owner's to read: a new GeoPackage workspace (0600, its new
folders 0700), stored photos, a reconciliation report, a rendered map; whatever the umask."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest
from osgeo import osr
from PIL import Image
from shapely.geometry import Point

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census.importer import MappingStore, import_batch
from citymgmt_plugin.core.census.reconcile import reconcile
from citymgmt_plugin.core.census.reconcile_report import write_report
from citymgmt_plugin.core.workspace.store import UpgradeOptions, Workspace, upgrade
from citymgmt_plugin.demo.lattice import seed_lattice

X0, Y0 = 500000.0, 3500000.0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _wgs84(x: float, y: float) -> tuple[float, float]:
    s, d = osr.SpatialReference(), osr.SpatialReference()
    s.ImportFromEPSG(4549)
    d.ImportFromEPSG(4326)
    for r in (s, d):
        r.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon, lat, _ = osr.CoordinateTransformation(s, d).TransformPoint(x, y)
    return lon, lat


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o002], ids=["000", "022", "002"])
def test_workspace_photos_and_reports_are_owner_only(tmp_path, umask):
    old = os.umask(umask)
    try:
        gpkg = tmp_path / "office" / "new" / "ws.gpkg"
        upgrade(str(gpkg), UpgradeOptions(photo_storage="files"))
        ws = Workspace.open(str(gpkg))
        seed_lattice(ws, communities=1, nx=2, ny=2)
        draft = census.ComponentDraft(
            "0101", Point(X0 + 50, Y0 + 50), name="井盖", dept_code="001", dept_name="水务"
        )
        with census.write_transaction(ws) as c:
            ref = census.create_component(c, ws, draft, ws.actor)
            census.add_photo(c, ws, ref.id, _jpeg(), ws.actor, "IMG_1.jpg")
        lon, lat = _wgs84(X0 + 60, Y0 + 60)
        src = tmp_path / "batch.geojson"
        src.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": {"type": "Point", "coordinates": [lon, lat]},
                            "properties": {"LBDM": "0101", "BJZT": "完好", "ZGBMMC": "水务"},
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        with ws.begin() as c:
            recon = reconcile(c, ws, import_batch(c, ws, src, store=MappingStore(tmp_path / "m")))
        shared = tmp_path / "shared"  # a folder that was there: left as it is
        shared.mkdir()
        os.chmod(shared, 0o755)
        report = write_report(recon, shared / "reports" / "2026")
        ws.close()
    finally:
        os.umask(old)
    assert _mode(gpkg) == 0o600
    assert _mode(gpkg.parent) == _mode(gpkg.parent.parent) == 0o700
    photos = [p for p in (tmp_path / "office" / "new" / "ws_photos").rglob("*")]
    assert photos and all(_mode(p) == (0o700 if p.is_dir() else 0o600) for p in photos)
    assert _mode(tmp_path / "office" / "new" / "ws_photos") == 0o700
    assert {_mode(p) for p in report.values()} == {0o600}
    assert _mode(shared / "reports") == _mode(shared / "reports" / "2026") == 0o700
    assert _mode(shared) == 0o755
