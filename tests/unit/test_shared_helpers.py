"""The shared base helpers: one EXIF reader, one projection helper, one SQL chunking helper;
and the device-export reader that salvages a broken GeoJSON file."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import piexif
import pytest
from PIL import Image

from citymgmt_plugin.core import photos_exif
from citymgmt_plugin.core.projection import Projector, UnknownCrs, metres, transform_geoms
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.workspace.chunks import SQL_PARAMS, chunked
from tests.fixtures.synthetic_submissions import make_jpeg

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _jpeg(exif: dict) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (90, 120, 150)).save(buf, "JPEG", exif=piexif.dump(exif))
    return buf.getvalue()


def test_exif_time_with_offset_and_position():
    when = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    info = photos_exif.read_exif(make_jpeg(120.61, 31.31, when), "Asia/Urumqi")
    assert info.taken_at == when and info.taken_at.utcoffset() == timedelta(hours=8)
    assert info.lon == pytest.approx(120.61, abs=1e-6) and info.lat == pytest.approx(
        31.31, abs=1e-6
    )
    assert info.problems == ()


def test_exif_time_without_offset_is_read_in_the_office_zone():
    data = _jpeg({"0th": {piexif.ImageIFD.DateTime: b"2026:03:02 09:30:00"}})
    info = photos_exif.read_exif(data, SHANGHAI)
    assert info.taken_at == datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc)
    assert (info.lon, info.lat) == (None, None)


def test_exif_south_west_and_unreadable_parts():
    gps = {
        piexif.GPSIFD.GPSLatitudeRef: b"S",
        piexif.GPSIFD.GPSLatitude: ((33, 1), (52, 1), (0, 1)),
        piexif.GPSIFD.GPSLongitudeRef: b"W",
        piexif.GPSIFD.GPSLongitude: ((70, 1), (30, 1), (0, 1)),
    }
    bad_time = {piexif.ExifIFD.DateTimeOriginal: b"yesterday"}
    info = photos_exif.read_exif(_jpeg({"GPS": gps, "Exif": bad_time}))
    assert (info.lon, info.lat) == (-70.5, pytest.approx(-33.8667, abs=1e-4))
    assert info.taken_at is None and info.problems == (photos_exif.TIME_UNREADABLE,)


def test_exif_of_what_is_no_photo_is_empty(tmp_path):
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    secret = tmp_path / "secret.txt"
    secret.write_text("not a photo")
    for data in (None, b"", png.getvalue(), str(secret).encode()):  # never opened as a path
        assert photos_exif.read_exif(data) == photos_exif.ExifInfo()
    broken = b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II*\x00\xff\xff"
    assert photos_exif.read_exif(broken).problems == (photos_exif.EXIF_UNREADABLE,)


def test_projection_round_trip_and_metres():
    p = Projector(4549)
    lon, lat = np.array([120.6, 120.65]), np.array([31.3, 31.32])
    x, y = p.forward(lon, lat)
    assert x[0] == pytest.approx(557122.865, abs=1e-3) and y[0] == pytest.approx(
        3464391.326, abs=1e-3
    )
    back = p.inverse(x, y)
    assert np.allclose(back[0], lon, atol=1e-9) and np.allclose(back[1], lat, atol=1e-9)
    assert p.forward([], [])[0].shape == (0,)
    # 0.001° of latitude is about 111 m; the approximation agrees with the projection
    d = float(metres(120.6, 31.3, 120.6, 31.301))
    gx, gy = p.forward([120.6, 120.6], [31.3, 31.301])
    assert d == pytest.approx(float(np.hypot(gx[1] - gx[0], gy[1] - gy[0])), rel=0.01)
    with pytest.raises(UnknownCrs):
        transform_geoms(np.array([None]), "EPSG:999999", 4549)


def test_chunked():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunked([])) == []
    assert [len(c) for c in chunked(list(range(2 * SQL_PARAMS + 1)))] == [SQL_PARAMS] * 2 + [1]


def test_broken_geojson_is_salvaged_feature_by_feature(tmp_path):
    good = '{"type": "Feature", "properties": {"id": "a", "note": "x {not} \\" ]"}}'
    bad = '{"type": "Feature", "properties": {"id": "b", "note": oops}}'
    cut = '{"type": "Feature", "properties": {"id": "c", "note": "half'
    path = tmp_path / "submissions.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [' + f"{good},\n{bad},\n{cut}")
    records = list(DeviceExportSource(path).records())
    assert [r.instance_id for r in records] == ["a", "b", "c"]
    assert records[0].parse_error is None and records[0].payload["properties"]["note"] == (
        'x {not} " ]'
    )
    assert records[1].parse_error.startswith("feature 2:") and records[1].payload == bad
    assert records[2].parse_error.startswith("feature 3:")
