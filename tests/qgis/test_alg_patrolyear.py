"""citymgmt:patrolyear: every week of a period in one run, the same as citymgmt:patrolcoverage
week by week; from a GeoPackage and streamed from a workspace's partitioned track_points."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QDateTime, Qt

from tests.fixtures.coverage_synth import make_district, write_gpkg

WEEKS = [date(2024, 5, 6), date(2024, 5, 13), date(2024, 5, 20)]


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    d = make_district(scale=0.02, seed=11, days=16)  # three local weeks, 2 collectors
    path = tmp_path_factory.mktemp("year") / "district.gpkg"
    write_gpkg(d, path)
    return d, path


def _rows(layer) -> list[dict]:
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "t", "ogr")
    names = layer.fields().names()
    return [dict(zip(names, f.attributes())) for f in layer.getFeatures()]


def _year(path: Path, tracks, tmp_path: Path, col: str = "collector", t: str = "t") -> dict:
    import processing

    tmp_path.mkdir(parents=True, exist_ok=True)
    return processing.run(
        "citymgmt:patrolyear",
        {
            "GRIDS": f"{path}|layername=grids",
            "GRID_CODE_FIELD": "grid_code",
            "ROADS": f"{path}|layername=roads",
            "TRACKS": tracks,
            "COLLECTOR_FIELD": col,
            "TIME_FIELD": t,
            "START": QDate(2024, 5, 6),
            "END": QDate(2024, 5, 22),
            "OUTPUT": str(tmp_path / "grid_weeks.gpkg"),
            "OUTPUT_GRIDS": str(tmp_path / "grids_year.gpkg"),
            "OUTPUT_WEEKS": str(tmp_path / "weeks.gpkg"),
        },
    )


def _local(d: date) -> QDateTime:
    t = datetime(d.year, d.month, d.day, tzinfo=timezone(timedelta(hours=8)))
    return QDateTime.fromString(
        t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), Qt.ISODate
    )


def _per_week(rows: list[dict]) -> dict:
    return {(r["week"], r["grid_code"]): r for r in rows}


def test_each_week_is_the_weekly_coverage(processing_ready, district, tmp_path):
    import processing

    _d, path = district
    res = _year(path, f"{path}|layername=tracks", tmp_path)
    assert res["weeks"] == 3
    got = _per_week(_rows(res["OUTPUT"]))
    for monday in WEEKS:
        week = processing.run(
            "citymgmt:patrolcoverage",
            {
                "GRIDS": f"{path}|layername=grids",
                "GRID_CODE_FIELD": "grid_code",
                "ROADS": f"{path}|layername=roads",
                "TRACKS": f"{path}|layername=tracks",
                "COLLECTOR_FIELD": "collector",
                "TIME_FIELD": "t",
                "START": _local(monday),
                "END": _local(monday + timedelta(days=7)).addSecs(-1),
                "OUTPUT": "TEMPORARY_OUTPUT",
                "GAPS": "TEMPORARY_OUTPUT",
            },
        )
        for f in week["OUTPUT"].getFeatures():
            row = got[(monday.isoformat(), f["grid_code"])]
            assert row["covered_m"] == pytest.approx(f["covered_m"], abs=1e-3)
            assert bool(row["passed"]) == bool(f["passed"])
    weeks = {r["week"]: r for r in _rows(res["OUTPUT_WEEKS"])}
    assert set(weeks) == {m.isoformat() for m in WEEKS}
    assert weeks["2024-05-20"]["fixes_used"] < weeks["2024-05-13"]["fixes_used"]  # 2 days
    year = _rows(res["OUTPUT_GRIDS"])
    assert all(r["weeks"] == 3 and r["weeks_passed"] + r["weeks_failed"] == 3 for r in year)
    failing = sum(r["grids_failed"] for r in weeks.values())
    assert failing == res["grid_weeks_failed"] == sum(r["weeks_failed"] for r in year)


def test_streamed_from_partitioned_track_points(processing_ready, district, pg_workspace, tmp_path):
    from sqlalchemy.engine import make_url

    from citymgmt_plugin.core.patrol.tracks.store import Fixes, ImportReport, clean, store_fixes

    d, path = district
    ws = pg_workspace
    ok = d.ft != np.iinfo(np.int64).min
    n = int(ok.sum())
    fixes = Fixes(
        np.asarray(d.fcol[ok], dtype=object), np.full(n, None, dtype=object),
        d.ft[ok], d.fx[ok], d.fy[ok], np.full(n, np.nan), np.full(n, np.nan),
    )  # fmt: skip
    report = ImportReport()
    fixes = clean(fixes, report, now=int(datetime(2030, 1, 1).timestamp()))
    store_fixes(ws, fixes, report)
    assert report.weeks_created == WEEKS
    url = make_url(ws.spec.url if hasattr(ws.spec, "url") else str(ws.engine.url))
    conn = f"host={url.host} port={url.port} user={url.username} dbname={url.database}"
    uri = f'{conn} key=\'id\' table="{ws.spec.schema}"."track_points" (geom)'
    layer = QgsVectorLayer(uri, "track_points", "postgres")
    assert layer.isValid()
    streamed = _year(path, layer, tmp_path / "pg", "collector_code", "fix_time")
    whole = _year(path, f"{path}|layername=tracks", tmp_path / "gpkg")
    a, b = _per_week(_rows(whole["OUTPUT"])), _per_week(_rows(streamed["OUTPUT"]))
    assert set(a) == set(b)
    for key, row in a.items():
        assert b[key]["covered_m"] == pytest.approx(row["covered_m"], abs=1e-3), key
    # null positions are not stored in track_points: the same fixes are used otherwise
    assert streamed["fixes_used"] == whole["fixes_used"]
