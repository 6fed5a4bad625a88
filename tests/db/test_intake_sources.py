"""Intake from device exports and a PostGIS inbox: quarantine, idempotence, edits."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from citymgmt_plugin.core.submissions import ingest
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from citymgmt_plugin.core.submissions.sources.inbox import InboxSource
from citymgmt_plugin.core.submissions.states import QUARANTINE_REASONS, reason_code
from tests.fixtures.synthetic_submissions import (
    BROKEN_KINDS,
    make_submissions,
    seed_city,
    write_device_export,
)


@pytest.fixture
def city_ws(workspace):
    return workspace, seed_city(workspace)


def _rows(ws):
    s = ws.schema.submissions
    with ws.engine.connect() as c:
        return {r.instance_id: r for r in c.execute(select(s)).all()}


def test_geojson_export_quarantines_every_reason_and_flags_gcj02(city_ws, tmp_path):
    ws, city = city_ws
    recs, truth = make_submissions(city, 20, broken=BROKEN_KINDS)
    write_device_export(tmp_path / "exp", recs)
    report = ingest(ws, DeviceExportSource(tmp_path / "exp"))
    assert report.inserted == 27 and report.read == 27
    rows = _rows(ws)
    for kind in QUARANTINE_REASONS:
        if kind not in BROKEN_KINDS:  # the sanitiser's, photos' and store's own reasons:
            continue  # every one of them in test_intake_malformed.py
        (iid,) = truth[kind]
        row = rows[iid]
        assert row.state == "quarantined", kind
        assert reason_code(row.quarantine_reason) == kind
        assert row.payload  # raw payload kept
    (gcj,) = truth["gcj02_shifted"]
    # The photo's EXIF GPS is the true position: conclusive, so the geometry is corrected.
    assert rows[gcj].crs_flag == "suspected_gcj02:exif+roads:corrected"
    assert rows[gcj].state == "pending"
    assert all(rows[i].state == "pending" and rows[i].crs_flag is None for i in truth["good"])
    assert rows[truth["unreadable_json"][0]].payload == {
        "raw": rows[truth["unreadable_json"][0]].payload["raw"]
    }
    # times: local without offset = Asia/Shanghai, stored UTC
    good = rows[truth["good"][0]]
    assert good.observed_at.utcoffset().total_seconds() == 0
    assert good.observed_at.hour == 0  # 08:00 +08:00
    a = ws.schema.submission_attachments
    with ws.engine.connect() as c:
        exif = c.execute(
            select(a.c.exif_time, a.c.exif_lon, a.c.problem).where(a.c.name == good.attachments[0])
        ).one()
        gcj_problem = c.execute(
            select(a.c.problem).where(a.c.name == rows[gcj].attachments[0])
        ).scalar()
    assert exif.exif_time == good.observed_at and exif.problem is None
    assert gcj_problem is None  # the corrected position is where the photo was taken
    # pulling again stores nothing new
    again = ingest(ws, DeviceExportSource(tmp_path / "exp"))
    assert (again.inserted, again.edited, again.unchanged) == (0, 0, 27)
    with ws.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(ws.schema.submissions)).scalar() == 27
        assert c.execute(select(func.count()).select_from(a)).scalar() == 27


def test_csv_with_zipped_photos_and_declared_gcj02(city_ws, tmp_path):
    ws, city = city_ws
    from citymgmt_plugin.core import chinacrs

    recs, _ = make_submissions(city, 12)
    for r in recs:  # a GCJ-02 app: every position shifted, declared as such
        g = chinacrs.wgs84_to_gcj02(r["lon"], r["lat"])
        r["lon"], r["lat"] = float(g[0]), float(g[1])
    write_device_export(tmp_path / "exp", recs, fmt="csv", zip_photos=True)
    report = ingest(ws, DeviceExportSource(tmp_path / "exp" / "submissions.csv", crs="GCJ02"))
    assert report.inserted == 12 and report.quarantined == 0 and report.photos_downloaded == 12
    rows = _rows(ws)
    assert all(r.raw_crs == "GCJ02" and r.crs_flag is None and r.grid_code for r in rows.values())


def test_edited_record_updates_row_and_keeps_previous_version(city_ws, tmp_path):
    ws, city = city_ws
    recs, _ = make_submissions(city, 5)
    write_device_export(tmp_path / "exp", recs)
    ingest(ws, DeviceExportSource(tmp_path / "exp"))
    recs[2]["description"] = "井盖丢失"
    recs[2]["status"] = "丢失"
    write_device_export(tmp_path / "exp", recs)
    report = ingest(ws, DeviceExportSource(tmp_path / "exp"))
    assert (report.inserted, report.edited, report.unchanged) == (0, 1, 4)
    row = _rows(ws)[recs[2]["instance_id"]]
    assert row.description == "井盖丢失" and row.row_version == 2
    v = ws.schema.submission_versions
    with ws.engine.connect() as c:
        old = c.execute(select(v).where(v.c.submission_id == row.id)).one()
    assert old.payload["properties"]["description"] == "井盖破损"


def test_postgis_inbox_table(pg_workspace):
    ws = pg_workspace
    city = seed_city(ws)
    recs, truth = make_submissions(city, 6, broken=("unreadable_json", "no_position"))
    schema = ws.spec.schema
    with ws.begin() as c:
        c.execute(
            text(
                f'CREATE TABLE "{schema}".device_inbox (id text PRIMARY KEY, '
                "updated_at timestamptz NOT NULL, category_code text, kind text, "
                "observed_at text, collector_code text, payload text, geom geometry(Point, 4326))"
            )
        )
        for i, r in enumerate(recs):
            payload = r.get("_raw") or json.dumps({"description": r["description"]})
            c.execute(
                text(
                    f'INSERT INTO "{schema}".device_inbox VALUES '
                    "(:id, now() + make_interval(secs => :i), "
                    ":cat, :kind, :obs, :col, :payload, "
                    "CASE WHEN :lon IS NULL THEN NULL "
                    "ELSE ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) END)"
                ),
                dict(
                    id=r["instance_id"],
                    i=i,
                    cat=r["category_code"],
                    kind=r["kind"],
                    obs=r["observed_at"],
                    col=r["collector_code"],
                    payload=payload,
                    lon=r["lon"],
                    lat=r["lat"],
                ),
            )
    source = InboxSource(ws.engine, f"{schema}.device_inbox", page_size=3)
    report = ingest(ws, source)
    assert report.inserted == 8 and report.pages >= 3
    rows = _rows(ws)
    assert reason_code(rows[truth["unreadable_json"][0]].quarantine_reason) == "unreadable_json"
    assert reason_code(rows[truth["no_position"][0]].quarantine_reason) == "no_position"
    first = next(r for r in recs if r["instance_id"] == truth["good"][0])
    assert rows[first["instance_id"]].description == first["description"]
    assert rows[first["instance_id"]].grid_code
    # incremental: only rows changed after the cursor are read again
    with ws.begin() as c:
        c.execute(
            text(
                f"UPDATE \"{schema}\".device_inbox SET updated_at = now() + interval '1 hour', "
                "category_code = '0103' WHERE id = :id"
            ),
            {"id": truth["good"][1]},
        )
    again = ingest(ws, InboxSource(ws.engine, f"{schema}.device_inbox", page_size=3))
    assert (again.read, again.edited, again.inserted) == (1, 1, 0)
