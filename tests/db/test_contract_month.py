"""A month of contract figures on a real workspace (both backends): 错报 with coded reasons,
a spot check whose finding becomes a 漏报 candidate against the collector who had just
patrolled there, the duty roster, scores and payment, and the ``kpi`` command in Chinese."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from citymgmt_plugin.core.reporting import missed_store, spotchecks
from citymgmt_plugin.core.reporting.monthly import month_figures
from citymgmt_plugin.core.reporting.profile import default_profile
from citymgmt_plugin.core.reporting.profile_store import load_profile, save_profile
from citymgmt_plugin.core.reporting.roster_store import import_csv, set_days
from citymgmt_plugin.core.submissions import review
from citymgmt_plugin.core.submissions.review import ReviewError
from tests.db.test_intake_judgements import _ingest, _rec, _rows
from tests.fixtures.synthetic_submissions import SHANGHAI, seed_city

MARCH = date(2026, 3, 1)


def _profile():
    p = replace(default_profile(), service_start=date(2026, 2, 1), service_end=date(2027, 1, 31))
    return p.with_volumes(monthly_valid=10)


def _reports(ws, tmp_path, city):
    recs = []
    for k in range(8):  # C01: 8 events along the road x = 1000, one every 10 minutes
        r = _rec(city, f"c01-{k}", 1000 + 40 * k, 300, kind="event", cat="0102", minutes=10 * k)
        recs.append(r)
    for k in range(3):  # C02: 3 broken components elsewhere
        r = _rec(city, f"c02-{k}", 1990, 1500 + 40 * k, collector="C02", device="dev-02",
                 minutes=5 * k)  # fmt: skip
        r["status"] = "破损"
        recs.append(r)
    _ingest(ws, tmp_path, recs)
    return _rows(ws)


def _decide(ws, rows, iid, decision, **kw):
    row = rows[iid]
    review.decide(ws, review.Decision(row.id, row.row_version, decision, **kw), "desk")


def test_wrong_reports_need_a_coded_reason(workspace, tmp_path):
    ws = workspace
    rows = _reports(ws, tmp_path, seed_city(ws))
    with pytest.raises(ReviewError):  # neither a coded reason nor words
        _decide(ws, rows, "c01-0", "reject")
    _decide(ws, rows, "c01-0", "reject", reason_code="wrong_class")
    _decide(ws, rows, "c01-1", "reject", reason="照片看不清")  # words only: "other"
    rd = ws.schema.review_decisions
    with ws.engine.connect() as c:
        got = dict(c.execute(select(rd.c.reason_code, rd.c.reason)).all())
    assert set(got) == {"wrong_class", "other"}
    assert got["wrong_class"] == "wrong class" and got["other"] == "照片看不清"
    with pytest.raises(ReviewError):
        _decide(ws, rows, "c01-2", "reject", reason_code="no_such_reason")


def test_month_of_figures_scores_and_payment(workspace, tmp_path):
    ws = workspace
    city = seed_city(ws)
    save_profile(ws, _profile())
    assert load_profile(ws).service_start == date(2026, 2, 1)
    rows = _reports(ws, tmp_path, city)
    for k in range(2, 8):
        _decide(ws, rows, f"c01-{k}", "accept_new")
    _decide(ws, rows, "c01-0", "reject", reason_code="wrong_class")
    _decide(ws, rows, "c01-1", "reject", reason_code="repeat")
    _decide(ws, rows, "c02-0", "reject", reason_code="wrong_position")
    # the roster: C01 absent on the 3rd; a CSV for C02 with one unknown collector
    set_days(ws, "C01", date(2026, 3, 1), date(2026, 3, 2), "on_duty")
    set_days(ws, "C01", date(2026, 3, 3), date(2026, 3, 3), "absent")
    rep = import_csv(ws, "collector_code,day,status\nC02,2026-03-02,在岗\nC99,2026-03-02,在岗\n")
    assert (rep.stored, rep.unknown) == (1, ["C99"])
    # C01 walks the road x = 1000 from 08:00 to 08:30; a spot check finds an event at 09:00
    t0 = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
    with ws.begin() as c:
        c.execute(insert(ws.schema.track_points), [
            dict(collector_code="C01", fix_time=t0 + timedelta(seconds=10 * k),
                 geom=f"SRID={city.srid};POINT({city.x0 + 1005} {city.y0 + 400 + 2 * k})")
            for k in range(180)
        ])  # fmt: skip
    grid = _grid(city, 1005, 500)
    spotchecks.record(ws, grid, date(2026, 3, 2), [
        spotchecks.Finding("event", "0501", t0 + timedelta(hours=1), city.x0 + 1010, city.y0 + 500)
    ])  # fmt: skip
    profile = load_profile(ws)
    start, end = _month(profile)
    det = missed_store.detect(ws, start, end, profile.missed)
    assert (det.problems, det.new, det.collectors) == (1, 1, {"C01"})
    assert missed_store.detect(ws, start, end, profile.missed).new == 0  # nothing twice
    (cand,) = missed_store.open_candidates(ws)
    assert missed_store.decide(ws, [cand["id"]], confirm=True) == 1

    mf = month_figures(ws, MARCH)
    assert mf.kpis.row("valid_reports").value == 6
    assert mf.kpis.row("monthly_valid").passed is False  # 6 of the floor of 10 (month 2)
    assert mf.wrong.by_reason == {"wrong_class": 1, "repeat": 1, "wrong_position": 1}
    assert mf.wrong.per_collector["C01"].wrong == 2 and mf.wrong.per_collector["C01"].reports == 8
    assert mf.missed.per_collector["C01"].confirmed == 1
    assert mf.missed.per_collector["C01"].rate == pytest.approx(1 / 7)  # 1 / (6 valid + 1)
    assert mf.missed.per_district["320508"].confirmed == 1
    assert mf.spot.per_district == {"320508": (1, 1)}
    scores = {s.collector: s for s in mf.scores}
    # C01: 漏报 2 + 错报 2 × 1 + absence 3 = 7 points off
    assert scores["C01"].deductions["missed"] == 2 and scores["C01"].deductions["absence"] == 3
    assert scores["C01"].score == pytest.approx(93.0)
    assert scores["C02"].score == pytest.approx(99.0)  # one 错报
    (c,) = mf.contractors
    # mean 96 − volume 40 % short × 1 − rates short (valid rate 6/11: 35.5 pp × 0.5, capped)
    assert c.score == pytest.approx(max(0.0, 96.0 - 20.0 - 20.0))
    assert c.payable == pytest.approx(c.fee * c.pay_share) and c.withheld > 0


def _grid(city, dx, dy) -> str:
    from tests.db.test_intake_judgements import _grid_at

    return _grid_at(city, city.x0 + dx, city.y0 + dy)


def _month(profile):
    from citymgmt_plugin.core.reporting.monthly import month_bounds

    return month_bounds(MARCH, profile.timezone)


def test_kpi_command_in_chinese(gpkg_workspace, tmp_path):
    ws = gpkg_workspace
    city = seed_city(ws)
    save_profile(ws, _profile())
    rows = _reports(ws, tmp_path, city)
    _decide(ws, rows, "c01-2", "accept_new")
    _decide(ws, rows, "c01-0", "reject", reason_code="not_a_problem")
    spec = str(ws.spec.path)
    ws.close()
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "citymgmt_plugin", "--lang", "zh_CN", "kpi", spec,
         "--month", "2026-03", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "有效上报率" in text and "错报" in text and "漏报" in text and "得分" in text
    assert "不是问题" in text  # the reject reason by its label
    assert "{" not in text and "not_a_problem" not in text  # no raw dicts or codes
    assert sorted(p.name for p in out.iterdir()) == [
        "collectors.csv",
        "districts.csv",
        "grids.csv",
        "kpis.csv",
        "payment.csv",
    ]
    head = (out / "payment.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "应付" in head or "支付" in head
