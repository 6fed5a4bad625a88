"""citymgmt:reportingkpi through processing.run (memory layers in, GeoPackage out), on a real
workspace GeoPackage, and through the real qgis_process binary."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt, QTimeZone
from qgis_process_helper import installed_profile, plugin_zip, run_qgis_process  # noqa: F401

ALG = "citymgmt:reportingkpi"
SH = ZoneInfo("Asia/Shanghai")
X0, Y0 = 500000.0, 3500000.0


def run(params: dict) -> dict:
    import processing

    return processing.run(ALG, params)


def utc(day: int, hour: int, minute: int = 0) -> QDateTime:
    t = datetime(2026, 11, day, hour, minute, tzinfo=SH).astimezone(timezone.utc)
    return QDateTime.fromString(t.strftime("%Y-%m-%dT%H:%M:%SZ"), Qt.ISODate)


def naive_local(day: int, hour: int, minute: int = 0) -> QDateTime:
    """A zone-less Shanghai wall time, as field-app exports hold (QGIS writes it as is)."""
    return QDateTime.fromString(f"2026-11-{day:02d}T{hour:02d}:{minute:02d}:00", Qt.ISODate)


# local day, hour, minute, collector, kind, category, state, closed, (x, y) or None, status
# The same reports as tests/unit/test_kpi.py: grid g0 = x 0-100, g1 = 100-200, g2 = 200-300.
ROWS = [
    (16, 8, 30, "A", "component", "0101", "accepted", 1, (50, 50), "破损"),
    (16, 9, 10, "A", "event", "0102", "accepted", 1, (60, 50), None),
    (16, 9, 50, "A", "event", "0501", "rejected", 1, (150, 50), None),
    (17, 14, 0, "A", "component", "0203", "pending", 0, (160, 50), "丢失"),
    (17, 23, 30, "A", "event", "0301", "duplicate", 0, (900, 900), None),
    (16, 10, 0, "B", "事件", "0101", "accepted", 1, (170, 50), None),
    (16, 10, 20, "B", "component", "0401", "quarantined", 0, None, "破损"),
    (16, 7, 59, "B", "event", "0201", "has_issues", 0, (20, 20), None),
    (17, 12, 0, None, "Component", "0601", "accepted", 0, (30, 80), "破损"),
    (16, 11, 0, "A", "component", "0101", "accepted", 0, (40, 40), "完好"),  # checked: fine
    (18, 0, 0, "A", "event", "0101", "accepted", 1, (50, 50), None),
    (15, 23, 59, "A", "event", "0101", "accepted", 1, (50, 50), None),
]


def submissions(crs: str = "EPSG:4549", fields: str = "", naive: bool = False) -> QgsVectorLayer:
    spec = fields or (
        "field=observed_at:datetime&field=collector_code:string&field=kind:string"
        "&field=category_code:string&field=state:string&field=closed:integer"
        "&field=status:string&field=due_at:datetime"
    )
    lyr = QgsVectorLayer(f"Point?crs={crs}&{spec}", "subs", "memory")
    feats = []
    due = naive_local(17, 23) if naive else utc(17, 23)  # every report due before the end
    for day, h, m, coll, kind, cat, state, closed, xy, status in ROWS:
        f = QgsFeature(lyr.fields())
        t = naive_local(day, h, m) if naive else utc(day, h, m)
        f.setAttributes([t, coll, kind, cat, state, closed, status, due][: len(lyr.fields())])
        if xy:
            f.setGeometry(QgsGeometry.fromWkt(f"POINT({X0 + xy[0]} {Y0 + xy[1]})"))
        feats.append(f)
    f = QgsFeature(lyr.fields())  # no time
    f.setAttributes([None, "A", "event", "0101", "accepted", 1, None, due][: len(lyr.fields())])
    feats.append(f)
    assert lyr.dataProvider().addFeatures(feats)
    return lyr


def grids() -> QgsVectorLayer:
    lyr = QgsVectorLayer("Polygon?crs=EPSG:4549&field=code:string", "grids", "memory")
    feats = []
    for k in range(3):
        f = QgsFeature(lyr.fields())
        f.setAttributes([f"g{k}"])
        x = X0 + 100 * k
        f.setGeometry(
            QgsGeometry.fromWkt(
                f"POLYGON(({x} {Y0},{x + 100} {Y0},{x + 100} {Y0 + 100},{x} {Y0 + 100},{x} {Y0}))"
            )
        )
        feats.append(f)
    assert lyr.dataProvider().addFeatures(feats)
    return lyr


def local_qdt(day: int, hour: int = 0) -> QDateTime:
    return QDateTime(
        datetime(2026, 11, day, hour).date(),
        datetime(2026, 11, day, hour).time(),
        QTimeZone(b"Asia/Shanghai"),
    )


def outputs(tmp_path) -> dict:
    return {
        "OUTPUT_OVERALL": str(tmp_path / "overall.gpkg"),
        "OUTPUT_GRIDS": str(tmp_path / "grids.gpkg"),
        "OUTPUT_COLLECTORS": str(tmp_path / "collectors.gpkg"),
        "OUTPUT_HOURS": str(tmp_path / "hours.gpkg"),
    }


def table(path: str) -> list[dict]:
    lyr = QgsVectorLayer(path, "t", "ogr")
    assert lyr.isValid(), path
    names = lyr.fields().names()
    return [
        {
            n: (None if f[n] is None or (hasattr(f[n], "isNull") and f[n].isNull()) else f[n])
            for n in names
        }
        for f in lyr.getFeatures()
    ]


def by_kpi(rows):
    return {r["kpi"]: r for r in rows}


def test_hand_checked_period(processing_ready, tmp_path):
    res = run(
        {
            "SUBMISSIONS": submissions(),
            "CLOSURE_FIELD": "closed",
            "DUE_FIELD": "due_at",
            "GRIDS": grids(),
            "START": local_qdt(16),
            "END": local_qdt(18),
            **outputs(tmp_path),
        }
    )
    assert (res["REPORTS"], res["VALID_REPORTS"]) == (10, 4)  # valid problems: filed ones
    assert res["VALID_RATE"] == pytest.approx(4 / 9)
    assert res["COMPONENT_SHARE"] == pytest.approx(0.5)  # the one checked fine is no problem
    assert res["AREA_BALANCE"] == pytest.approx(0.5)
    assert res["TIME_BALANCE"] == pytest.approx(3 / 16)  # 30-minute slots, lunch left out
    assert res["PASSED"] is False
    assert res["HOURLY"].split(",") == [
        str(n) for n in [0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    ]
    ov = by_kpi(table(res["OUTPUT_OVERALL"]))
    assert ov["valid_reports"]["threshold"] is None and ov["valid_reports"]["passed"] is None
    assert ov["closure_rate"]["value"] == pytest.approx(6 / 7)  # due in the period; 1 open
    assert ov["reports_per_collector_day"]["value"] == pytest.approx(3 / 4)
    assert ov["component_share"]["passed"] is True
    assert ov["reports"]["threshold"] is None and ov["reports"]["passed"] is None
    assert ov["outside_working_time"]["value"] == 1
    g = {r["grid_code"]: r for r in table(res["OUTPUT_GRIDS"])}
    assert (g["g0"]["reports"], g["g0"]["valid"], g["g0"]["comp_01"], g["g0"]["event_01"]) == (
        5,
        3,
        1,
        1,
    )
    assert g["g0"]["event_02"] == 0  # the has_issues report of class 0201 is not valid
    # the quarantined report of grid g1 has no point here
    assert (g["g1"]["reports"], g["g1"]["valid"], g["g1"]["passed"]) == (3, 1, False)
    assert g["g0"]["passed"] is False and g["g2"]["passed"] is None and g["g2"]["reports"] == 0
    assert QgsVectorLayer(res["OUTPUT_GRIDS"]).wkbType() == 6
    c = {r["collector"]: r for r in table(res["OUTPUT_COLLECTORS"])}
    assert (c["A"]["reports"], c["A"]["valid"], c["A"]["active_days"], c["A"]["per_day"]) == (
        6,
        2,
        2,
        1.0,
    )
    assert (c["A"]["scheduled_days"], c["A"]["absent_days"]) == (2, 0)
    assert [c["A"][k] for k in ("h00_04", "h04_08", "h08_12", "h12_16", "h16_20", "h20_24")] == [
        0,
        0,
        4,
        1,
        0,
        1,
    ]
    assert c["B"]["per_period_day"] == pytest.approx(0.5)
    assert c[None]["reports"] == 1
    hours = table(res["OUTPUT_HOURS"])
    assert len(hours) == 24 and sum(h["reports"] for h in hours) == 10
    assert sum(h["valid"] for h in hours) == 4


def test_without_grids_closure_and_period(processing_ready, tmp_path):
    res = run({"SUBMISSIONS": submissions(), **outputs(tmp_path)})
    assert "OUTPUT_GRIDS" not in res or not res["OUTPUT_GRIDS"]
    assert res["REPORTS"] == 12  # all local days of the data: 15th to 18th
    ov = by_kpi(table(res["OUTPUT_OVERALL"]))
    assert ov["closure_rate"]["value"] is None and ov["area_balance"]["value"] is None


def test_workspace_submissions(processing_ready, gpkg_workspace, tmp_path):
    """The workspace's own submissions and unit_grids tables (UTC text times, SpatiaLite blobs)."""
    from sqlalchemy import update

    from tests.fixtures.small_workspace import seed_small_workspace

    seed_small_workspace(gpkg_workspace)
    s = gpkg_workspace.schema
    with gpkg_workspace.begin() as conn:
        conn.execute(
            update(s.submissions).values(
                observed_at=datetime(2026, 11, 16, 1, 0, tzinfo=timezone.utc),
                payload={"status": "破损"},  # the status as device exports send it
            )
        )
    ws = gpkg_workspace.spec.path
    res = run(
        {
            "SUBMISSIONS": f"{ws}|layername=submissions",
            "GRIDS": f"{ws}|layername=unit_grids",
            "START": local_qdt(16),
            "END": local_qdt(23),
            **outputs(tmp_path),
        }
    )
    # pending, accepted, rejected, quarantined: only the accepted one is valid (filed)
    assert (res["REPORTS"], res["VALID_REPORTS"], res["VALID_RATE"]) == (4, 1, 0.25)
    assert res["COMPONENT_SHARE"] == 1.0  # the status read from the payload
    assert res["HOURLY"].split(",")[9] == "4"  # 01:00 UTC = 09:00 in Shanghai
    g = table(res["OUTPUT_GRIDS"])
    assert len(g) == 6 and sum(r["reports"] for r in g) == 3  # the quarantined one lies outside
    ov = by_kpi(table(res["OUTPUT_OVERALL"]))
    assert "2.75" not in ov["reports"]["comment"] and ov["valid_reports"]["threshold"] is None
    assert ov["monthly_valid"]["threshold"] is None  # a week is not a whole month


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty", "empty"),
        ("polygons", "point"),
        ("field", "nope"),
        ("period", "after"),
        ("hours", "working day"),
    ],
)
def test_bad_inputs_give_clear_errors(processing_ready, tmp_path, case, message):
    params = {"SUBMISSIONS": submissions(), **outputs(tmp_path)}
    if case == "empty":
        params["SUBMISSIONS"] = QgsVectorLayer(
            "Point?crs=EPSG:4549&field=observed_at:datetime", "e", "memory"
        )
    elif case == "polygons":
        params["SUBMISSIONS"] = grids()
    elif case == "field":
        params["COLLECTOR_FIELD"] = "nope"
    elif case == "period":
        params.update(START=local_qdt(18), END=local_qdt(16))
    elif case == "hours":
        params.update(WORKING_TIME="18:00-08:00")
    with pytest.raises(QgsProcessingException) as exc:
        run(params)
    assert message in str(exc.value).lower()
    assert "Traceback" not in str(exc.value)


def test_translated_names(processing_ready, tmp_path):
    from zh_translator import zh_cn

    alg = QgsApplication.processingRegistry().algorithmById(ALG)
    with zh_cn(tmp_path):
        assert alg.displayName() == "上报考核指标"
        res = run({"SUBMISSIONS": submissions(), **outputs(tmp_path)})
        names = {r["kpi"]: r["name"] for r in table(res["OUTPUT_OVERALL"])}
        assert names["valid_rate"] == "有效上报率"


@pytest.mark.slow
def test_qgis_process_binary(processing_ready, installed_profile, tmp_path):  # noqa: F811
    src = tmp_path / "subs.gpkg"
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = "subs"
    err = QgsVectorFileWriter.writeAsVectorFormatV3(
        submissions(naive=True), str(src), QgsCoordinateTransformContext(), opts
    )
    assert err[0] == QgsVectorFileWriter.NoError, err
    opts.layerName = "grids"
    opts.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    err = QgsVectorFileWriter.writeAsVectorFormatV3(
        grids(), str(src), QgsCoordinateTransformContext(), opts
    )
    assert err[0] == QgsVectorFileWriter.NoError, err
    done = run_qgis_process(
        [
            "run",
            ALG,
            "--",
            f"SUBMISSIONS={src}|layername=subs",
            f"GRIDS={src}|layername=grids",
            "CLOSURE_FIELD=closed",
            "DUE_FIELD=due_at",
            "START=2026-11-16T00:00:00",
            "END=2026-11-18T00:00:00",
            *[f"{k}={v}" for k, v in outputs(tmp_path).items()],
        ],
        installed_profile,
        json_output=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(done.stdout)["results"]
    assert (results["REPORTS"], results["VALID_REPORTS"]) == (10, 4)
    assert results["AREA_BALANCE"] == pytest.approx(0.5)
    ov = by_kpi(table(str(tmp_path / "overall.gpkg")))
    assert ov["closure_rate"]["value"] == pytest.approx(6 / 7)
