"""Results of 核实 and 核查 finish their task and move the case on; none is ever lost."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, select

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import Outcome, TaskKind
from citymgmt_plugin.core.cases.results import (
    ALREADY,
    APPLIED,
    CANCELLED,
    REPEATED,
    UNKNOWN,
    WRONG_KIND,
    TaskResult,
    apply_result,
)
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.store import case_history, find_case
from citymgmt_plugin.core.cases.tasks import TaskPlan, cancel_tasks, create_tasks
from tests.fixtures.cases_data import case_row, to_wgs84, write_csv
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

SEEN = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def ws(workspace, tmp_path):
    seed_small_workspace(workspace)
    rows = [
        case_row("AJ0001", at=(X0 + 50, Y0 + 50)),
        case_row("AJ0002", "12345热线", at=(X0 + 150, Y0 + 50)),
        case_row("AJ0003", "视频监控", at=(X0 + 250, Y0 + 50)),
        case_row("AJ0004", "公众举报", state="处置", at=(X0 + 50, Y0 + 150)),
        case_row("AJ0005", "公众举报", state="处置", at=(X0 + 150, Y0 + 150)),
    ]
    store = mapping_store(tmp_path / "m.json")
    import_cases(workspace, str(write_csv(tmp_path / "c.csv", rows)), store=store)
    create_tasks(workspace, TaskPlan(TaskKind.VERIFY, rule="public_unverified"))
    create_tasks(workspace, TaskPlan(TaskKind.CHECK, rule="handled_unchecked"))
    return workspace


def _task(ws, case_no, kind=None):
    t, c = ws.schema.tasks, ws.schema.cases
    q = select(t).join(c, c.c.id == t.c.case_id).where(c.c.case_no == case_no)
    if kind:
        q = q.where(t.c.kind == kind)
    with ws.engine.connect() as conn:
        return conn.execute(q.order_by(t.c.id.desc())).first()


def _case(ws, case_no):
    with ws.engine.connect() as conn:
        return find_case(conn, ws, case_no)


def result(task, outcome, **kw):
    return TaskResult(task.entity_uuid, outcome, SEEN, "C01", **kw)


def test_confirmed_finishes_the_task_and_keeps_the_case_as_reported(ws):
    task = _task(ws, "AJ0001")
    out = apply_result(ws, result(task, Outcome.CONFIRMED, note="确有垃圾", submission_id=None))
    assert out.status == APPLIED and out.case_state == "reported"
    done = _task(ws, "AJ0001")
    assert (done.state, done.outcome, done.result_by) == ("done", "confirmed", "C01")
    assert done.result_at == SEEN and done.result_note == "确有垃圾"
    history = case_history(ws, done.case_id)
    assert history[-1].operation == "result"
    assert history[-1].changes["result"]["collector"] == "C01"
    assert history[-1].note == "确有垃圾"  # the collector's words
    from zoneinfo import ZoneInfo

    from citymgmt_plugin.core.cases.describe import describe_entry

    text = describe_entry(history[-1], ZoneInfo("Asia/Shanghai"))
    assert "result Verify Confirmed (by C01) 确有垃圾" in text
    made = describe_entry(history[-2], ZoneInfo("Asia/Shanghai"))
    assert "task Verify, due " in made


def test_not_confirmed_voids_the_case(ws):
    out = apply_result(ws, result(_task(ws, "AJ0002"), Outcome.NOT_CONFIRMED))
    assert out.case_state == "void"
    h = case_history(ws, out.case_id)
    assert any(e.from_state == "reported" and e.to_state == "void" for e in h)


def test_position_corrected_moves_the_case_and_its_grid(ws):
    task = _task(ws, "AJ0003")
    lon, lat = to_wgs84(X0 + 250, Y0 + 150)  # the collector found it 100 m north
    apply_result(ws, result(task, Outcome.RELOCATED, lon=lon, lat=lat, address="观前街 8 号"))
    case = _case(ws, "AJ0003")
    assert abs(case.x - (X0 + 250)) < 0.01 and abs(case.y - (Y0 + 150)) < 0.01
    assert case.grid_code == "320508001001003" and case.address == "观前街 8 号"
    assert [e.operation for e in case_history(ws, case.id)][-2:] == ["relocate", "result"]


def test_check_handled_checks_the_case_and_not_handled_sends_it_back(ws):
    ok = apply_result(ws, result(_task(ws, "AJ0004", "check"), Outcome.HANDLED))
    assert ok.case_state == "checked"
    back = apply_result(ws, result(_task(ws, "AJ0005", "check"), Outcome.PARTLY_HANDLED))
    assert back.case_state == "dispatched"


def test_no_result_is_lost_or_applied_twice(ws):
    task = _task(ws, "AJ0001")
    first = result(task, Outcome.CONFIRMED, submission_id=None)
    assert apply_result(ws, first).status == APPLIED
    second = result(task, Outcome.NOT_CONFIRMED)  # a second collector disagrees
    out = apply_result(ws, second)
    assert out.status == ALREADY
    assert _case(ws, "AJ0001").state == "reported"  # the first result stands
    kept = case_history(ws, out.case_id)[-1]
    assert kept.changes["result"]["outcome"] == "not_confirmed"  # ... and the second is kept
    from zoneinfo import ZoneInfo

    from citymgmt_plugin.core.cases.describe import describe_entry

    said = describe_entry(kept, ZoneInfo("Asia/Shanghai"))
    assert "not applied: the task already had its result (Confirmed)" in said

    wrong = apply_result(ws, result(_task(ws, "AJ0004", "check"), Outcome.CONFIRMED))
    assert wrong.status == WRONG_KIND
    assert case_history(ws, wrong.case_id)[-1].changes["result"]["outcome"] == "confirmed"

    t5 = _task(ws, "AJ0005", "check")
    with ws.begin() as conn:
        cancel_tasks(conn, ws, [t5.id], "li", "重复派遣")
    assert apply_result(ws, result(t5, Outcome.HANDLED)).status == CANCELLED
    assert apply_result(ws, TaskResult("no-such-task", Outcome.HANDLED)).status == UNKNOWN


def test_the_same_submission_twice_changes_nothing(ws, workspace):
    from sqlalchemy import insert

    s = ws.schema.submissions
    with ws.begin() as conn:
        sid = conn.execute(
            insert(s).returning(s.c.id),
            {
                "source": "odk:x/1/verify",
                "instance_id": "uuid:1",
                "received_at": SEEN,
                "payload": {"task": "x"},
                "state": "pending",
            },
        ).scalar()
    task = _task(ws, "AJ0002")
    r = result(task, Outcome.CONFIRMED, submission_id=sid)
    assert apply_result(ws, r).status == APPLIED
    n = len(case_history(ws, task.case_id))
    assert apply_result(ws, r).status == REPEATED
    assert len(case_history(ws, task.case_id)) == n


def test_accepted_event_reports_become_filed_collector_cases(ws):
    from citymgmt_plugin.core.cases.reports import case_number, cases_from_reports

    s = ws.schema.submissions
    point = f"SRID=4549;POINT({X0 + 70} {Y0 + 130})"
    base = {
        "source": "file:dev",
        "received_at": SEEN,
        "observed_at": SEEN,
        "geom": point,
        "collector_code": "C01",
        "description": "道路不洁",
        "payload": {},
        "grid_code": None,
    }
    with ws.begin() as conn:
        ids = (
            conn.execute(
                insert(s).returning(s.c.id, sort_by_parameter_order=True),
                [
                    dict(
                        base,
                        instance_id="uuid:a1",
                        state="accepted",
                        kind="event",
                        category_code="0104",
                        grid_code="320508001001001",
                    ),
                    dict(
                        base,
                        instance_id="uuid:a2",
                        state="pending",
                        kind="event",
                        category_code="0104",
                    ),
                    dict(
                        base,
                        instance_id="uuid:a3",
                        state="accepted",
                        kind="component",
                        category_code="0101",
                    ),
                ],
            )
            .scalars()
            .all()
        )
    assert cases_from_reports(ws, actor="li") == 1
    assert cases_from_reports(ws, actor="li") == 0  # once
    case = _case(ws, case_number(ids[0]))
    assert (case.channel, case.kind, case.class_code, case.state) == (
        "collector",
        "event",
        "0104",
        "filed",
    )
    assert case.submission_id == ids[0] and case.collector_code == "C01"
    assert abs(case.x - (X0 + 70)) < 0.01 and case.resp_grid_code == "R01"
