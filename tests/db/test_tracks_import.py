"""GPS tracks from devices into track_points (GPX, CSV, GeoJSON, ODK audit logs), and the
week partitions of track_points on PostGIS (migration 0007 keeps every row)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import func, insert, select, text

from citymgmt_plugin.core import chinacrs
from citymgmt_plugin.core.patrol import partitions
from citymgmt_plugin.core.patrol.tracks.formats import ReadOptions
from citymgmt_plugin.core.patrol.tracks.store import import_tracks
from citymgmt_plugin.core.workspace.store import Workspace, upgrade

SH = ZoneInfo("Asia/Shanghai")
ROWS_SQL = "SELECT id, collector_code, fix_time, ST_AsText(geom) FROM track_points ORDER BY id"
LON, LAT = 120.62, 31.31  # Suzhou, inside EPSG:4549's zone
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=SH)  # a Monday


def _count(ws) -> int:
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(ws.schema.track_points)).scalar()


def _csv(tmp_path, name="tracks.csv", n=30, collector="C01", start=T0) -> str:
    lines = ["collector_code,device_id,fix_time,lon,lat,accuracy,speed"]
    for k in range(n):
        t = (start + timedelta(seconds=10 * k)).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{collector},dev-1,{t},{LON + k * 1e-4:.6f},{LAT:.6f},5,4.2")
    lines += [
        f"{collector},dev-1,,{LON},{LAT},5,",  # no time
        f"{collector},dev-1,yesterday,{LON},{LAT},5,",  # unreadable time
        f"{collector},dev-1,2026-03-02 10:00:00,,{LAT},5,",  # no position
        f"{collector},dev-1,2026-03-02 10:00:01,{LON},95.5,5,",  # latitude out of range
        f"{collector},dev-1,2026-03-02 10:00:02,{LON},{LAT},-3,",  # negative accuracy
        f",dev-1,2026-03-02 10:00:03,{LON},{LAT},5,",  # no collector
        f"{collector},dev-1,1970-01-01 08:00:05,{LON},{LAT},5,",  # impossible time
        lines[1],  # the first fix again: a duplicate
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _utc(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _gpx(tmp_path, n=20) -> str:
    pts = "".join(
        f'<trkpt lat="{LAT + k * 1e-4:.6f}" lon="{LON:.6f}"><ele>5</ele>'
        f"<time>{_utc(T0 + timedelta(days=7, seconds=10 * k))}</time><speed>1.5</speed></trkpt>"
        for k in range(n)
    )
    gpx = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>C02</name><trkseg>{pts}</trkseg></trk></gpx>"
    )
    path = tmp_path / "walk.gpx"
    path.write_text(gpx, encoding="utf-8")
    return str(path)


def _geojson(tmp_path) -> str:
    times = [(T0 + timedelta(seconds=10 * k)).isoformat() for k in range(5)]
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [LON, LAT + 0.001]},
            "properties": {"collector_code": "C03", "device_id": "dev-3", "time": times[0]},
        },
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[LON + k * 1e-4, LAT + 0.001] for k in range(1, 5)],
            },
            "properties": {"collector_code": "C03", "coordTimes": times[1:]},
        },
    ]
    path = tmp_path / "c03.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return str(path)


def _audit(tmp_path, combined=False) -> str:
    """An ODK Collect audit.csv with location tracking (and Central's combined form)."""
    ms = int(T0.timestamp() * 1000)
    head = "event,node,start,end,latitude,longitude,accuracy,old-value,new-value"
    rows = [
        f"form start,,{ms},,,,,,",
        f"location tracking enabled,,{ms + 10},,,,,,",
        f"location changed,,{ms + 1000},,{LAT},{LON},4.0,,",
        f"question,/data/kind,{ms + 2000},{ms + 9000},{LAT},{LON},4.0,,",  # not a new fix
        f"location changed,,{ms + 11000},,{LAT + 1e-4},{LON},6.5,,",
        f"location changed,,{ms + 21000},,{LAT + 2e-4},{LON},3.0,,",
    ]
    if combined:
        head = "instance ID," + head
        rows = ["uuid:known," + r for r in rows]
    path = tmp_path / ("form - audit.csv" if combined else "audit.csv")
    path.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def test_every_format_with_bad_rows_and_duplicates(workspace, tmp_path):
    ws = workspace
    files = [_csv(tmp_path), _gpx(tmp_path), _geojson(tmp_path), _audit(tmp_path)]
    rep = import_tracks(ws, files, ReadOptions(collector=None, device="dev-9", zone=SH))
    assert rep.imported == 30 + 20 + 5  # the audit.csv names no collector
    assert rep.bad == {
        "no_time": 1, "bad_time": 1, "no_position": 1, "bad_position": 1,
        "bad_accuracy": 1, "no_collector": 1 + 3, "impossible_time": 1,
    }  # fmt: skip
    assert rep.duplicates == 1
    assert rep.per_collector == {"C01": 30, "C02": 20, "C03": 5}
    assert _count(ws) == 55
    again = import_tracks(ws, files, ReadOptions(zone=SH))  # nothing new the second time
    assert again.imported == 0 and again.duplicates == 56
    assert _count(ws) == 55
    tp = ws.schema.track_points
    with ws.engine.connect() as c:
        row = c.execute(
            select(tp.c.device_id, tp.c.speed_kmh, tp.c.accuracy_m)
            .where(tp.c.collector_code == "C02")
            .limit(1)
        ).one()
    assert row.device_id == "dev-9" and row.speed_kmh == pytest.approx(5.4)  # 1.5 m/s


def test_odk_audit_logs(workspace, tmp_path):
    ws = workspace
    s = ws.schema
    with ws.begin() as c:
        c.execute(
            insert(s.submissions).values(
                source="odk:1/verify", instance_id="uuid:known", collector_code="C07",
                device_id="collect:abc", received_at=T0, state="pending", payload={},
            )
        )  # fmt: skip
    rep = import_tracks(ws, [_audit(tmp_path)], ReadOptions(collector="C05", zone=SH))
    assert (rep.imported, rep.per_collector) == (3, {"C05": 3})  # location changed only
    rep = import_tracks(ws, [_audit(tmp_path, combined=True)])
    assert rep.per_collector == {"C07": 3}  # the submission names the collector
    tp = s.track_points
    with ws.engine.connect() as c:
        acc = (
            c.execute(
                select(tp.c.accuracy_m).where(tp.c.collector_code == "C07").order_by(tp.c.fix_time)
            )
            .scalars()
            .all()
        )
        dev = c.execute(select(tp.c.device_id).where(tp.c.collector_code == "C07")).scalars()
        assert set(dev) == {"collect:abc"}
    assert acc == [4.0, 6.5, 3.0]


def test_gcj02_positions_are_converted(workspace, tmp_path):
    ws = workspace
    glon, glat = (float(v) for v in chinacrs.wgs84_to_gcj02(LON, LAT))
    path = tmp_path / "gcj.csv"
    path.write_text(
        f"collector,time,lon,lat\nC09,2026-03-02 09:00:00,{glon:.8f},{glat:.8f}\n", "utf-8"
    )
    import_tracks(ws, [str(path)], ReadOptions(crs="GCJ02", zone=SH))
    plain = tmp_path / "wgs.csv"
    plain.write_text(f"collector,time,lon,lat\nC10,2026-03-02 09:00:00,{LON},{LAT}\n", "utf-8")
    import_tracks(ws, [str(plain)], ReadOptions(zone=SH))
    tp = ws.schema.track_points
    with ws.engine.connect() as c:
        xy = dict(
            (r[0], (r[1], r[2]))
            for r in c.execute(
                select(tp.c.collector_code, func.ST_X(tp.c.geom), func.ST_Y(tp.c.geom))
            )
        )
    assert np.hypot(xy["C09"][0] - xy["C10"][0], xy["C09"][1] - xy["C10"][1]) < 0.5


def _pg_fixes(ws, weeks: int, per_week: int = 3) -> list[dict]:
    rows = []
    for w in range(weeks):
        for k in range(per_week):
            rows.append(
                dict(
                    collector_code="C01",
                    device_id=None,
                    fix_time=T0 + timedelta(days=7 * w, seconds=10 * k),
                    geom=f"SRID=4549;POINT({500000 + k} {3460000 + w})",
                )
            )
    return rows


def test_migration_partitions_track_points_and_keeps_rows(pg_spec):
    upgrade(pg_spec, revision="0001")
    ws = Workspace.open(pg_spec)
    try:
        rows = _pg_fixes(ws, weeks=3)
        rows.append(dict(rows[0]))  # an old duplicate: kept as it was
        with ws.begin() as c:
            c.execute(insert(ws.schema.track_points), rows)
            before = c.execute(text(ROWS_SQL)).all()
    finally:
        ws.close()
    upgrade(pg_spec)
    ws = Workspace.open(pg_spec)
    try:
        with ws.begin() as c:
            after = c.execute(text(ROWS_SQL)).all()
            assert after == before
            assert partitions.is_partitioned(c)
            weeks = partitions.existing_weeks(c)
            assert weeks == {(T0 + timedelta(days=7 * w)).date() for w in range(3)}
            plan = "\n".join(
                c.execute(
                    text(
                        "EXPLAIN SELECT * FROM track_points WHERE fix_time >= :a AND fix_time < :b"
                    ),
                    {"a": T0, "b": T0 + timedelta(days=1)},
                ).scalars()
            )
            assert "track_points_w20260302" in plan and "track_points_w20260309" not in plan
            # new rows get fresh ids after the old ones
            c.execute(insert(ws.schema.track_points), _pg_fixes(ws, 1)[:1])
            assert c.execute(text("SELECT max(id) FROM track_points")).scalar() == len(before) + 1
    finally:
        ws.close()


def test_week_partitions_made_on_demand(pg_workspace, tmp_path):
    ws = pg_workspace
    far = T0 + timedelta(days=70)
    with ws.begin() as c:  # written by another tool before its week existed: default partition
        c.execute(
            insert(ws.schema.track_points),
            [dict(collector_code="C01", fix_time=far, geom="SRID=4549;POINT(500000 3460000)")],
        )
        assert c.execute(text("SELECT count(*) FROM track_points_default")).scalar() == 1
    rep = import_tracks(ws, [_csv(tmp_path, start=far - timedelta(seconds=100))])
    monday = far.date() - timedelta(days=far.weekday())
    assert rep.weeks_created == [monday]
    assert rep.imported == 29 and rep.duplicates == 1 + 1  # in the file; the one stored
    with ws.begin() as c:
        assert c.execute(text("SELECT count(*) FROM track_points_default")).scalar() == 0
        assert c.execute(text(f"SELECT count(*) FROM track_points_w{monday:%Y%m%d}")).scalar() == 30
        # the same week again: through the existing partition, duplicates left out
    rep = import_tracks(ws, [_csv(tmp_path, "more.csv", n=40, start=far - timedelta(seconds=100))])
    assert (rep.imported, rep.weeks_created) == (10, [])
    assert _count(ws) == 40
