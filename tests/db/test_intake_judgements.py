"""Shifted positions (EXIF, device, roads) and duplicate submissions, on hand-made data.

The synthetic city (:func:`seed_city`): 8 x 8 grids of 250 m, main roads every 1,000 m
(offsets 0, 1000, 2000 from the south-west corner), stored components only on the inner
roads. Near it GCJ-02 moves a point about 397 m east and 241 m south, BD-09 about 1,007 m
east and 452 m north.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select

from citymgmt_plugin.core import chinacrs
from citymgmt_plugin.core.submissions import ingest, review
from citymgmt_plugin.core.submissions.judge.duplicates import DuplicateRules
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from tests.fixtures.synthetic_submissions import (
    SHANGHAI,
    make_jpeg,
    seed_city,
    write_device_export,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def _rec(
    city,
    iid,
    dx,
    dy,
    *,
    minutes=0.0,
    kind="component",
    cat="0101",
    collector="C01",
    device="dev-01",
    send="WGS84",  # what the app does to the true position: WGS84, GCJ02, BD09
    exif="true",  # "true": EXIF at the true position; None: no GPS in the photo; (lon, lat)
):
    lon, lat = city.to_wgs84(city.x0 + dx, city.y0 + dy)
    slon, slat = lon, lat
    if send == "GCJ02":
        slon, slat = (float(v) for v in chinacrs.wgs84_to_gcj02(lon, lat))
    elif send == "BD09":
        slon, slat = (float(v) for v in chinacrs.wgs84_to_bd09(lon, lat))
    when = T0 + timedelta(minutes=minutes)
    photo_at = (lon, lat) if exif == "true" else (exif or (None, None))
    return {
        "instance_id": iid,
        "lon": round(slon, 8),
        "lat": round(slat, 8),
        "crs": "WGS84",  # what the app claims, whatever it sends
        "kind": kind,
        "category_code": cat,
        "observed_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "collector_code": collector,
        "device_id": device,
        "description": "测试",
        "photos": f"{iid}.jpg",
        "_photo": make_jpeg(*photo_at, when),
        "_true": (city.x0 + dx, city.y0 + dy),
    }


def _ingest(ws, tmp_path, recs, **kw):
    write_device_export(tmp_path / "exp", recs)
    return ingest(ws, DeviceExportSource(tmp_path / "exp", crs="unknown"), **kw)


def _rows(ws):
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        rows = c.execute(
            select(s, func.ST_X(s.c.geom).label("x"), func.ST_Y(s.c.geom).label("y"))
        ).all()
    return {r.instance_id: r for r in rows}


def _grid_at(city, x, y):
    col = int((x - city.x0) // city.cell)
    row = int((city.y0 + city.size - y) // city.cell)
    return city.grid_codes[row * city.n + col]


def ws_xy(city, lon, lat):
    from tests.fixtures.synthetic_submissions import _projector

    x, y = _projector(city.srid).forward([lon], [lat])
    return float(x[0]), float(y[0])


# -- shifted positions ---------------------------------------------------------------------
def test_exif_is_conclusive_corrects_gcj02_and_bd09(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    recs = [
        # GCJ-02 sent as WGS84, in a block (500 m from every road): only the EXIF tells.
        _rec(city, "gcj", 520, 1480, device="dev-05", send="GCJ02"),
        # BD-09 sent as WGS84: declared ~2.5 km east, outside the city; corrected inside.
        _rec(city, "bd", 1520, 480, device="dev-06", send="BD09"),
        # True WGS84 with its photo taken ~5 km away: neither pattern, no flag.
        _rec(city, "far", 520, 520, device="dev-08", exif=(120.65, 31.28)),
    ]
    report = _ingest(ws, tmp_path, recs)
    rows = _rows(ws)
    gcj, bd, far = rows["gcj"], rows["bd"], rows["far"]
    assert gcj.crs_flag == "suspected_gcj02:exif:corrected" and gcj.state == "pending"
    assert bd.crs_flag == "suspected_bd09:exif:corrected" and bd.state == "pending"
    assert bd.quarantine_reason is None  # outside as declared, inside once corrected
    for row, rec in ((gcj, recs[0]), (bd, recs[1])):
        assert math.hypot(row.x - rec["_true"][0], row.y - rec["_true"][1]) < 0.05
        assert (row.raw_x, row.raw_y) == (rec["lon"], rec["lat"])  # the declared stays
        assert row.grid_code == _grid_at(city, *rec["_true"])
    assert far.crs_flag is None and far.state == "pending"
    assert report.flagged == 2 and report.corrected == 2 and not report.gcj_devices
    a = ws.schema.submission_attachments
    with ws.engine.connect() as c:
        problems = dict(c.execute(select(a.c.name, a.c.problem)).all())
    assert problems["gcj.jpg"] is None and problems["bd.jpg"] is None  # EXIF agrees now
    assert problems["far.jpg"].startswith("exif_position_differs")


def test_exif_confirming_wgs84_outweighs_roads(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    # A true position whose (wrong) GCJ-02 correction lands exactly on a main road: the
    # roads alone would flag it. Its EXIF confirms it; without GPS in the photo it is flagged.
    on_road = city.to_wgs84(city.x0 + 1000, city.y0 + 400)
    glon, glat = chinacrs.wgs84_to_gcj02(*on_road)
    recs = []
    for iid, exif in (("confirmed", "true"), ("no-gps", None)):
        r = _rec(city, iid, 0, 0, device="dev-07-" + iid, exif=exif)
        r["lon"], r["lat"] = round(float(glon), 8), round(float(glat), 8)
        if exif:
            r["_photo"] = make_jpeg(r["lon"], r["lat"], T0)
        recs.append(r)
    # And a true WGS84 point on a road: nothing to flag.
    recs.append(_rec(city, "on-road", 1000, 1700, device="dev-09", exif=None))
    _ingest(ws, tmp_path, recs)
    rows = _rows(ws)
    assert rows["confirmed"].crs_flag is None
    assert rows["no-gps"].crs_flag == "suspected_gcj02:roads"  # for the reviewer only ...
    x, y = ws_xy(city, recs[1]["lon"], recs[1]["lat"])
    assert math.hypot(rows["no-gps"].x - x, rows["no-gps"].y - y) < 0.05  # ... kept as sent
    assert rows["on-road"].crs_flag is None


def test_device_aggregation_flags_a_gcj02_device(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    recs = []
    # dev-09 runs a GCJ-02 app and declares WGS84; its photos carry no GPS. Six reports on
    # the inner north-south road and one 12 m off it (the roads alone cannot tell that one).
    for k, dy in enumerate((600, 700, 800, 1300, 1400, 1500)):
        recs.append(
            _rec(city, f"g{k}", 1000, dy, minutes=k, device="dev-09", send="GCJ02", exif=None)
        )
    recs.append(
        _rec(city, "g-off", 1012, 1700, minutes=9, device="dev-09", send="GCJ02", exif=None)
    )
    # dev-01 sends true WGS84 on the roads: no device verdict, no flag.
    for k, dx in enumerate((200, 400, 600, 1300, 1500)):
        recs.append(_rec(city, f"w{k}", dx, 1000, minutes=k, exif=None))
    report = _ingest(ws, tmp_path, recs)
    rows = _rows(ws)
    assert report.gcj_devices == {"dev-09"}
    for k in range(6):
        assert rows[f"g{k}"].crs_flag == "suspected_gcj02:device+roads"
    assert rows["g-off"].crs_flag == "suspected_gcj02:device"
    for k in range(5):
        assert rows[f"w{k}"].crs_flag is None
    # Flagged, not corrected: the geometry is the declared position.
    x, y = ws_xy(city, recs[0]["lon"], recs[0]["lat"])
    assert math.hypot(rows["g0"].x - x, rows["g0"].y - y) < 0.05

    # A later pull with one more dev-09 report: judged with the device's stored history.
    late = _rec(city, "g-late", 1012, 1800, minutes=60, device="dev-09", send="GCJ02", exif=None)
    more = [*recs, late]
    report = _ingest(ws, tmp_path, more)
    assert report.inserted == 1 and report.gcj_devices == {"dev-09"}
    assert _rows(ws)["g-late"].crs_flag == "suspected_gcj02:device"


def test_device_flag_reaches_earlier_stored_rows(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    first = [_rec(city, "early", 1012, 1700, device="dev-09", send="GCJ02", exif=None)]
    _ingest(ws, tmp_path, first)
    assert _rows(ws)["early"].crs_flag is None  # one point: no evidence yet
    later = first + [
        _rec(city, f"g{k}", 1000, dy, minutes=10 + k, device="dev-09", send="GCJ02", exif=None)
        for k, dy in enumerate((600, 700, 800, 1300, 1400))
    ]
    report = _ingest(ws, tmp_path, later)
    assert report.gcj_devices == {"dev-09"} and report.device_reflagged == 1
    assert _rows(ws)["early"].crs_flag == "suspected_gcj02:device"


# -- duplicates ----------------------------------------------------------------------------
def _dup_recs(city):
    base = (1500, 1500)  # in a block, far from every stored component

    def at(iid, ddx, ddy, minutes, **kw):
        kw.setdefault("collector", "C02")
        kw.setdefault("device", "dev-02")
        return _rec(city, iid, base[0] + ddx, base[1] + ddy, minutes=minutes, **kw)

    return [
        at("A", 0, 0, 0, collector="C01", device="dev-01"),
        at("B", 12, 0, 10),  # 12 m, 10 min: a duplicate of A
        at("C", 0, 45, 15),  # 45 m: too far
        at("D", 5, 0, 180),  # 3 h after A, 2 h 50 after B: too late
        at("E", 3, 0, 5, cat="0103"),  # another class
        at("F", 2, 0, 6, kind="event", cat="0102"),  # an event
        at("G", 20, 10, 20),  # 12.8 m from B (itself a duplicate of A): links to A
    ]


def test_duplicates_within_distance_and_window_same_category(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    report = _ingest(ws, tmp_path, _dup_recs(city))
    assert report.duplicates == 2
    rows = _rows(ws)
    iid = {r.id: k for k, r in rows.items()}
    links = review.duplicate_links(ws)
    assert {iid[k]: iid[v.original_id] for k, v in links.items()} == {"B": "A", "G": "A"}
    b = links[rows["B"].id]
    assert (round(b.distance_m), round(b.minutes)) == (12, 10)
    assert b.original_instance_id == "A" and b.original_state == "pending"
    g = links[rows["G"].id]
    assert (round(g.distance_m, 1), round(g.minutes)) == (22.4, 20)
    # Configurable: within 50 m, C (45 m from A) is one too.
    wide = review.duplicate_links(ws, rules=DuplicateRules(distance_m=50.0, window_h=2.0))
    assert {iid[k]: iid[v.original_id] for k, v in wide.items()} == {
        "B": "A",
        "C": "A",
        "G": "A",
    }
    # ... and within 4 h, D (3 h after A) as well.
    long = review.duplicate_links(ws, rules=DuplicateRules(distance_m=30.0, window_h=4.0))
    assert iid[long[rows["D"].id].original_id] == "A"
    # The queue carries the link for the dock.
    items = {i.instance_id: i for i in review.queue(ws)}
    assert items["B"].duplicate_of.original_id == rows["A"].id
    assert items["A"].duplicate_of is None and items["E"].duplicate_of is None


def test_auto_match_decides_duplicates_with_the_link(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    _ingest(ws, tmp_path, _dup_recs(city))
    result = review.auto_match(ws)
    assert result["duplicate_submission"] == 2
    rows = _rows(ws)
    assert {k for k, r in rows.items() if r.state == "duplicate"} == {"B", "G"}
    s = ws.schema
    with ws.engine.connect() as c:
        reasons = dict(
            c.execute(
                select(s.submissions.c.instance_id, s.review_decisions.c.reason).join(
                    s.review_decisions,
                    s.review_decisions.c.submission_id == s.submissions.c.id,
                )
            ).all()
        )
        detail = c.execute(
            select(s.audit_events.c.detail).where(
                s.audit_events.c.action == "review.duplicate",
                s.audit_events.c.row_id == rows["B"].id,
            )
        ).scalar_one()
    assert reasons["B"] == "duplicate of submission A (12 m, 10 min later)"
    assert detail["duplicate_of"] == rows["A"].id and detail["auto"] is True
    # Decided ones are no longer offered as duplicates; a second run decides nothing more.
    assert review.duplicate_links(ws) == {}
    assert review.auto_match(ws)["duplicate_submission"] == 0


def test_auto_match_leaves_duplicates_of_a_rejected_report(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    _ingest(ws, tmp_path, _dup_recs(city)[:2])
    a = next(i for i in review.queue(ws) if i.instance_id == "A")
    review.decide(ws, review.Decision(a.id, a.row_version, "reject", "不是问题"), "li")
    assert review.auto_match(ws)["duplicate_submission"] == 0
    b = next(i for i in review.queue(ws) if i.instance_id == "B")
    assert b.state == "pending" and b.duplicate_of.original_state == "rejected"
