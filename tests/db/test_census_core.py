"""Census core on both backends: placement, validation, identifiers, history, photos."""

from __future__ import annotations

import io
from datetime import date

import pytest
from shapely.geometry import LineString, Point, Polygon
from sqlalchemy import func, select

from citymgmt_plugin.core import census
from citymgmt_plugin.core.census import ComponentDraft, ValidationFailed, VersionConflict
from citymgmt_plugin.demo.lattice import seed_lattice

X0, Y0 = 500000.0, 3500000.0


def draft(**over) -> ComponentDraft:
    d = dict(
        class_code="0101",
        geom=Point(X0 + 50, Y0 + 50),
        name="上水井盖",
        dept_code="001",
        dept_name="市水务局",
    )
    d.update(over)
    return ComponentDraft(**d)


@pytest.fixture
def ws(workspace):
    seed_lattice(workspace, communities=2, nx=2, ny=2)
    return workspace


def test_create_assigns_grid_identifier_history(ws):
    with census.write_transaction(ws) as c:
        a = census.create_component(c, ws, draft(), "li")
        b = census.create_component(c, ws, draft(geom=Point(X0 + 250, Y0 + 150)), "li")
    # community 1 (x < 200): south-west grid is row 2 (north→south), col 1 → seq 3
    assert a.grid_code == "320508001001003"
    assert a.identifier == "3205080101000001"
    assert b.grid_code == "320508001002001"
    assert b.identifier == "3205080101000002"
    with ws.begin() as c:
        rec = census.get_component(c, ws, a.id)
        assert rec["street_code"] == "320508001"
        assert rec["community_name"] == "第1街道第1社区"
        hist = census.component_history(c, ws, a.id)
    assert [h["operation"] for h in hist] == ["create"]
    assert hist[0]["attributes"]["identifier"] == a.identifier


@pytest.mark.parametrize(
    "over,rule",
    [
        ({"geom": Point(X0 - 10, Y0 - 10)}, "no_grid"),
        ({"class_code": "0199"}, "class_unknown"),
        ({"dept_name": ""}, "mandatory"),
        ({"name": "  "}, "mandatory"),
        ({"status": "好的"}, "domain"),
        ({"accuracy_class": "D"}, "domain"),
        ({"geom": LineString([(X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20)])}, "geometry_kind"),
        ({"identifier": "3205090101000001"}, "identifier_county"),
        ({"identifier": "3205080102000001"}, "identifier"),
    ],
)
def test_refused_with_rule(ws, over, rule):
    with pytest.raises(ValidationFailed) as err, census.write_transaction(ws) as c:
        census.create_component(c, ws, draft(**over), "li")
    assert rule in err.value.rules
    assert str(err.value)
    with ws.begin() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.components)).scalar() == 0


def test_polygon_and_line_classes(ws):
    with ws.begin() as c:
        classes = census.class_table(c, ws)
    poly_cls = next(k for k, v in classes.items() if v.geometry_kind == "polygon")
    line_cls = next(k for k, v in classes.items() if v.geometry_kind == "line")
    with census.write_transaction(ws) as c:
        p = census.create_component(
            c,
            ws,
            draft(
                class_code=poly_cls,
                geom=Polygon([(X0 + 5, Y0 + 5), (X0 + 40, Y0 + 5), (X0 + 40, Y0 + 40)]),
            ),
            "li",
        )
        ln = census.create_component(
            c,
            ws,
            draft(class_code=line_cls, geom=LineString([(X0 + 110, Y0 + 10), (X0 + 190, Y0 + 10)])),
            "li",
        )
    assert p.identifier[6:10] == poly_cls
    assert ln.grid_code == "320508001001004"


def test_identifier_continues_after_bulk_loaded_rows(ws):
    with census.write_transaction(ws) as c:
        census.create_component(c, ws, draft(identifier="3205080101000041"), "import")
        nxt = census.create_component(c, ws, draft(), "li")
    assert nxt.identifier == "3205080101000042"
    with pytest.raises(ValidationFailed) as err, census.write_transaction(ws) as c:
        census.create_component(c, ws, draft(identifier="3205080101000041"), "li")
    assert err.value.rules == {"identifier_taken"}


def test_rollback_returns_serial(ws):
    with pytest.raises(RuntimeError), census.write_transaction(ws) as c:
        census.create_component(c, ws, draft(), "li")
        raise RuntimeError("boom")
    with census.write_transaction(ws) as c:
        ref = census.create_component(c, ws, draft(), "li")
    assert ref.identifier.endswith("000001")


def test_update_move_retire_history_and_locking(ws):
    with census.write_transaction(ws) as c:
        ref = census.create_component(c, ws, draft(), "li")
    with census.write_transaction(ws) as c:
        r2 = census.update_component(
            c,
            ws,
            ref.id,
            {"status": "破损", "note": "盖板裂"},
            "wang",
            "巡查发现",
            expected_version=1,
        )
    assert r2.version == 2
    with pytest.raises(VersionConflict) as err, census.write_transaction(ws) as c:
        census.update_component(c, ws, ref.id, {"note": "x"}, "zhao", expected_version=1)
    assert err.value.current == 2 and err.value.by == "wang"
    with census.write_transaction(ws) as c:
        r3 = census.move_component(c, ws, ref.id, Point(X0 + 150, Y0 + 50), "wang", "复测", 2)
    assert r3.grid_code == "320508001001004" and r3.version == 3
    with census.write_transaction(ws) as c:
        r4 = census.retire_component(c, ws, ref.id, "wang", "道路改造拆除", expected_version=3)
    with ws.begin() as c:
        rec = census.get_component(c, ws, ref.id)
        hist = census.component_history(c, ws, ref.id)
    assert rec["status"] == "移除" and rec["change_date"] == census.office_today(ws)
    assert r4.version == 4
    assert [h["operation"] for h in hist] == ["create", "update", "move", "retire"]
    assert hist[1]["changes"]["status"] == ["完好", "破损"]
    assert hist[1]["reason"] == "巡查发现"
    assert hist[0]["geom"].equals(Point(X0 + 50, Y0 + 50))
    assert hist[2]["geom"].equals(Point(X0 + 150, Y0 + 50))
    assert hist[2]["changes"]["grid_code"] == ["320508001001003", "320508001001004"]
    # retired: plain edits refused, row still there
    with pytest.raises(ValidationFailed) as e2, census.write_transaction(ws) as c:
        census.update_component(c, ws, ref.id, {"note": "y"}, "li")
    assert "retired" in e2.value.rules


def test_move_to_other_county_refused(ws):
    seed_lattice(ws, county="320509", origin=(X0, Y0 + 1000), communities=1, nx=1, ny=1)
    with census.write_transaction(ws) as c:
        ref = census.create_component(c, ws, draft(), "li")
    with pytest.raises(ValidationFailed) as err, census.write_transaction(ws) as c:
        census.move_component(c, ws, ref.id, Point(X0 + 50, Y0 + 1050), "li")
    assert err.value.rules == {"county_change"}


def test_candidates_near(ws):
    with census.write_transaction(ws) as c:
        census.create_component(c, ws, draft(geom=Point(X0 + 50, Y0 + 50)), "li")
        census.create_component(c, ws, draft(geom=Point(X0 + 53, Y0 + 50)), "li")
        census.create_component(c, ws, draft(geom=Point(X0 + 80, Y0 + 50)), "li")
        found = census.candidates_near(c, ws, Point(X0 + 51, Y0 + 50), "0101", 5.0)
    assert [round(f.distance, 3) for f in found] == [1.0, 2.0]


def _jpeg_with_exif() -> bytes:
    import piexif
    from PIL import Image

    exif = piexif.dump(
        {
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2026:03:05 09:30:00"},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((31, 1), (18, 1), (3600, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((120, 1), (37, 1), (0, 1)),
            },
        }
    )
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buf, "JPEG", exif=exif)
    return buf.getvalue()


@pytest.mark.parametrize("storage", ["database", "files"])
def test_photos_keep_exif(ws, storage, tmp_path):
    s = ws.schema
    with ws.begin() as c:
        c.execute(
            s.workspace_settings.delete().where(
                s.workspace_settings.c.key.in_(["photo_storage", "photo_dir"])
            )
        )
        c.execute(
            s.workspace_settings.insert(),
            [
                {"key": "photo_storage", "value": storage},
                {"key": "photo_dir", "value": str(tmp_path / "ph")},
            ],
        )
    ws.settings["photo_storage"] = storage
    ws.settings["photo_dir"] = str(tmp_path / "ph")
    data = _jpeg_with_exif()
    with census.write_transaction(ws) as c:
        ref = census.create_component(c, ws, draft(), "li")
        p = census.add_photo(c, ws, ref.id, data, "li", "IMG_1.jpg")
        again = census.add_photo(c, ws, ref.id, data, "li", "IMG_1.jpg")
    assert again.id == p.id
    assert p.taken_at.isoformat() == "2026-03-05T01:30:00+00:00"
    assert p.exif_lat == pytest.approx(31.31) and p.exif_lon == pytest.approx(120.6166667)
    with ws.begin() as c:
        assert census.photo_bytes(c, ws, p.id) == data
        row = c.execute(select(s.component_photos.c.content, s.component_photos.c.path)).first()
    assert (row.content is None) == (storage == "files")
    if storage == "files":
        assert (tmp_path / "ph" / row.path).read_bytes() == data


def test_initial_date_default_and_change_date(ws):
    with census.write_transaction(ws) as c:
        ref = census.create_component(c, ws, draft(initial_date=date(2020, 1, 1)), "li")
        rec = census.get_component(c, ws, ref.id)
    assert rec["initial_date"] == date(2020, 1, 1) and rec["change_date"] is None


@pytest.fixture
def ws17(any_spec):
    """A workspace created on the 17-digit identifier scheme, on each backend."""
    from citymgmt_plugin.core.workspace.store import UpgradeOptions, Workspace, upgrade

    upgrade(any_spec, UpgradeOptions(component_scheme="std17"))
    w = Workspace.open(any_spec)
    seed_lattice(w, communities=2, nx=2, ny=2)
    yield w
    w.close()


def test_std17_scheme_identifiers(ws17):
    """county (6) + 5-digit class + 6-digit serial; the 16-digit scheme's classes are refused
    with the reason, and a retired identifier is never handed out again."""
    with census.write_transaction(ws17) as c:
        a = census.create_component(c, ws17, draft(class_code="01001"), "tester")
        b = census.create_component(
            c, ws17, draft(class_code="01001", geom=Point(X0 + 60, Y0 + 50)), "tester"
        )
        with pytest.raises(ValidationFailed, match=r"class table of 17 digits \(2026 form\)"):
            census.create_component(c, ws17, draft(class_code="0101"), "tester")
    assert (a.identifier, b.identifier) == ("32050801001000001", "32050801001000002")
    with census.write_transaction(ws17) as c:
        census.retire_component(c, ws17, b.id, "tester", "demolished")
        d = census.create_component(
            c, ws17, draft(class_code="01001", geom=Point(X0 + 70, Y0 + 50)), "tester"
        )
        row = census.get_component(c, ws17, a.id)
    assert d.identifier == "32050801001000003"
    assert row["scheme"] == "std17" and row["class_code"] == "01001"
