"""Case import from the command centre's platform, on PostGIS and in a GeoPackage: CSV, Excel,
GeoJSON and a PostGIS table; every supported coordinate system; bad rows listed with their
reason while the rest goes on; the same batch twice changes nothing; a case changed at the
source is updated with history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import CaseKind, Channel
from citymgmt_plugin.core.cases.importer import ImportOptions
from citymgmt_plugin.core.cases.sources import guess_mapping, mapping_store
from citymgmt_plugin.core.cases.store import case_history, find_case
from tests.fixtures.cases_data import (
    HEADER,
    bad_rows,
    case_row,
    good_rows,
    write_csv,
    write_geojson,
    write_xlsx,
)
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace


@pytest.fixture
def ws(workspace):
    seed_small_workspace(workspace)
    return workspace


@pytest.fixture
def store(tmp_path):
    return mapping_store(tmp_path / "case_mappings.json")


def _cases(ws):
    t = ws.schema.cases
    with ws.engine.connect() as c:
        rows = c.execute(
            select(
                t.c.case_no,
                t.c.channel,
                t.c.kind,
                t.c.state,
                t.c.grid_code,
                t.c.resp_grid_code,
                func.ST_X(t.c.geom),
                func.ST_Y(t.c.geom),
            ).order_by(t.c.case_no)
        ).all()
    return {r[0]: r for r in rows}


def test_csv_from_four_channels_in_every_crs_with_bad_rows_listed(ws, tmp_path, store):
    path = write_csv(tmp_path / "cases.csv", good_rows() + [r for r, _ in bad_rows()])
    report = import_cases(ws, str(path), store=store)

    assert (report.read, report.inserted, report.updated) == (11, 5, 0)
    by_row = {f.row_no: f for f in report.failures}
    for n, (_, rule) in enumerate(bad_rows(), start=6):
        assert rule in by_row[n].rules, (n, by_row[n].reason)
        assert by_row[n].reason  # a message a person can read
    cases = _cases(ws)
    assert set(cases) == {f"AJ2026110200{i}" for i in range(1, 6)}
    assert {c.channel for c in cases.values()} == {
        "public",
        "hotline",
        "video",
        "leader",
        "collector",
    }
    # each position lands where it was meant, whatever system it came in (GCJ-02/BD-09 undone)
    expected = {
        "AJ20261102001": (X0 + 50, Y0 + 50),
        "AJ20261102002": (X0 + 150, Y0 + 50),
        "AJ20261102003": (X0 + 250, Y0 + 150),
        "AJ20261102004": (X0 + 20, Y0 + 150),
        "AJ20261102005": (X0 + 120, Y0 + 120),
    }
    for no, (x, y) in expected.items():
        assert abs(cases[no][6] - x) < 0.5 and abs(cases[no][7] - y) < 0.5, no
        assert cases[no].grid_code.startswith("320508001001")
        assert cases[no].resp_grid_code == "R01"
    assert cases["AJ20261102004"].kind == "component"
    assert {c.state for c in cases.values()} == {"reported"}


def test_importing_the_same_file_twice_changes_nothing(ws, tmp_path, store):
    path = write_csv(tmp_path / "cases.csv", good_rows())
    import_cases(ws, str(path), store=store)
    t = ws.schema.case_history
    with ws.engine.connect() as c:
        before = c.execute(select(func.count()).select_from(t)).scalar()
    again = import_cases(ws, str(path), store=store)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    with ws.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(t)).scalar() == before == 5


def test_a_case_changed_at_the_source_is_updated_with_history(ws, tmp_path, store):
    rows = good_rows()
    import_cases(ws, str(write_csv(tmp_path / "day1.csv", rows)), store=store)
    rows[0] = case_row("AJ20261102001", state="处置", address="平江路 3 号", at=(X0 + 60, Y0 + 50))
    report = import_cases(ws, str(write_csv(tmp_path / "day2.csv", rows)), store=store)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 4)

    with ws.engine.connect() as c:
        case = find_case(c, ws, "AJ20261102001")
    assert case.state == "handled" and case.address == "平江路 3 号"
    assert abs(case.x - (X0 + 60)) < 0.5
    history = case_history(ws, case.id)
    assert [h.operation for h in history] == ["import", "update"]
    last = history[-1]
    assert (last.from_state, last.to_state) == ("reported", "handled")
    assert last.changes["address"] == ["平江路 1 号", "平江路 3 号"]
    assert "position" in last.changes
    assert last.actor == ws.actor


def test_a_correction_made_here_survives_a_reimport_of_an_unchanged_row(ws, tmp_path, store):
    from citymgmt_plugin.core.cases.store import move_case

    path = write_csv(tmp_path / "cases.csv", good_rows())
    import_cases(ws, str(path), store=store)
    with ws.begin() as c:
        case = find_case(c, ws, "AJ20261102002")
        move_case(c, ws, case.id, X0 + 155, Y0 + 55, "li", "位置修正")
    import_cases(ws, str(path), store=store)
    with ws.engine.connect() as c:
        case = find_case(c, ws, "AJ20261102002")
    assert abs(case.x - (X0 + 155)) < 0.01  # the platform did not change it: ours stays


def test_excel_with_chinese_headers_and_remembered_mapping(ws, tmp_path, store):
    path = write_xlsx(tmp_path / "cases.xlsx", good_rows()[:2])
    columns = HEADER
    assert guess_mapping(columns, has_geometry=False)["case_no"] == "案件编号"
    # a user maps "发生地址" elsewhere once; the next batch with those columns reuses it
    mapping = guess_mapping(columns, has_geometry=False)
    mapping["description"] = "发生地址"
    mapping.pop("address")
    report = import_cases(ws, str(path), mapping=mapping, store=store)
    assert report.inserted == 2
    assert store.get(columns)["description"] == "发生地址"
    path2 = write_xlsx(tmp_path / "more.xlsx", [case_row("AJ20261102010", address="观前街")])
    import_cases(ws, str(path2), store=store)
    t = ws.schema.cases
    with ws.engine.connect() as c:
        desc = c.execute(select(t.c.description).where(t.c.case_no == "AJ20261102010")).scalar()
    assert desc == "观前街"


def test_geojson_points_and_defaults_for_missing_columns(ws, tmp_path, store):
    wgs84 = [case_row(f"AJ2026110200{i}", at=(X0 + 40 * i, Y0 + 60)) for i in range(1, 4)]
    rows = [[*r[:1], None, None, *r[3:]] for r in wgs84]  # no channel, no kind
    path = write_geojson(tmp_path / "cases.geojson", rows)
    report = import_cases(
        ws,
        str(path),
        options=ImportOptions(channel=Channel.HOTLINE, kind=CaseKind.EVENT),
        store=store,
    )
    assert report.inserted == 3, [f.reason for f in report.failures]
    assert {c.channel for c in _cases(ws).values()} == {"hotline"}


def test_postgis_table(pg_workspace, tmp_path, store):
    from sqlalchemy import text

    ws = pg_workspace
    seed_small_workspace(ws)
    rows = good_rows()[:2]
    with ws.begin() as c:
        c.execute(
            text(
                "CREATE TABLE platform_cases (ajbh text, wtly text, wtlx text, xldm text, "
                "sbsj timestamptz, geom geometry(Point, 4490))"
            )
        )
        for r in rows:
            # platform stored GCJ-02 rows as such; the table here is CGCS2000 (EPSG:4490)
            lon, lat = (r[9], r[10]) if r[11] == "WGS84" else (None, None)
            if lon is None:
                continue
            c.execute(
                text(
                    "INSERT INTO platform_cases VALUES (:no, '12345热线', '事件', '0102', "
                    "'2026-11-02T09:00+08:00', ST_SetSRID(ST_MakePoint(:x, :y), 4490))"
                ),
                {"no": r[0], "x": lon, "y": lat},
            )
    schema = ws.spec.schema
    report = import_cases(ws, f"table:{schema}.platform_cases", store=store)
    assert report.inserted == 1, [f.reason for f in report.failures]
    case = _cases(ws)["AJ20261102001"]
    assert abs(case[6] - (X0 + 50)) < 0.5


def test_a_large_batch_on_postgis_is_copied_in_with_the_same_result(pg_workspace, tmp_path):
    """From 1,000 new cases PostGIS gets them by COPY: same values, history, idempotence."""
    from citymgmt_plugin.core.cases.store import COPY_FROM

    ws = pg_workspace
    seed_small_workspace(ws)
    n = COPY_FROM + 200
    rows = [
        case_row(
            f"AJ2026{i:06d}",
            ("公众举报", "12345热线", "视频监控", "领导交办")[i % 4],
            at=(X0 + 5 + (i % 290), Y0 + 5 + (i // 290) * 40),
            system="WGS84",
            state="处置" if i == 7 else "上报",
        )
        for i in range(n)
    ]
    store = mapping_store(tmp_path / "m.json")
    path = write_csv(tmp_path / "big.csv", rows)
    report = import_cases(ws, str(path), store=store)
    assert report.inserted == n and not report.failures
    with ws.engine.connect() as c:
        case = find_case(c, ws, "AJ2026000007")
        history = c.execute(select(func.count()).select_from(ws.schema.case_history)).scalar()
    assert case.state == "handled" and case.channel == "leader"
    assert case.reported_at.isoformat() == "2026-11-02T01:15:00+00:00"  # 09:15 office time
    assert abs(case.x - (X0 + 12)) < 0.5 and case.grid_code.startswith("320508001001")
    assert case.resp_grid_code == "R01" and case.address == "平江路 1 号"
    assert history == n
    assert [h.operation for h in case_history(ws, case.id)] == ["import"]
    again = import_cases(ws, str(path), store=store)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, n)
