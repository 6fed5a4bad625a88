"""核实 / 核查 tasks on both backends: by rule or from chosen cases, assigned by position,
due within the class's time limit (the shipped defaults, or the city's own table)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import TaskKind
from citymgmt_plugin.core.cases.limits import LimitsError, load_limits_file, read_limits
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.store import find_case
from citymgmt_plugin.core.cases.tasks import (
    ASSIGN_COLLECTOR,
    TaskPlan,
    create_tasks,
    handled_unchecked,
    public_unverified,
)
from tests.fixtures.cases_data import case_row, good_rows, write_csv
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def ws(workspace, tmp_path):
    seed_small_workspace(workspace)
    rows = [
        *good_rows(),
        case_row("AJ20261102006", "公众举报", cls="0401", at=(X0 + 210, Y0 + 30)),  # emergency
        case_row("AJ20261102007", "12345热线", state="处置", at=(X0 + 70, Y0 + 170)),
        case_row("AJ20261102008", "公众举报", state="结案", at=(X0 + 90, Y0 + 90)),
    ]
    store = mapping_store(tmp_path / "m.json")
    report = import_cases(workspace, str(write_csv(tmp_path / "c.csv", rows)), store=store)
    assert report.inserted == 8
    return workspace


def _tasks(ws):
    t, c = ws.schema.tasks, ws.schema.cases
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t).join(c, c.c.id == t.c.case_id).order_by(c.c.case_no, t.c.kind)
        ).all()
    return rows


def test_verify_rule_takes_reports_of_other_channels_not_yet_verified(ws):
    report = create_tasks(ws, TaskPlan(TaskKind.VERIFY, rule="public_unverified"), now=NOW)
    tasks = _tasks(ws)
    # public, hotline, video, leader and the emergency; not the collector's own report, not
    # the handled or the closed case
    assert [t.case_no for t in tasks] == [
        "AJ20261102001",
        "AJ20261102002",
        "AJ20261102003",
        "AJ20261102004",
        "AJ20261102006",
    ]
    assert len(report.created) == 5
    by_no = {t.case_no: t for t in tasks}
    assert by_no["AJ20261102001"].due_at == NOW + timedelta(hours=2)  # event default
    assert by_no["AJ20261102006"].due_at == NOW + timedelta(hours=1)  # 突发事件 sooner
    assert {t.assigned_grid for t in tasks} == {"R01"}
    assert {t.state for t in tasks} == {"open"}
    assert len({t.entity_uuid for t in tasks}) == 5
    again = create_tasks(ws, TaskPlan(TaskKind.VERIFY, rule="public_unverified"), now=NOW)
    assert again.created == []  # an open verify task each: nothing new
    with ws.engine.connect() as conn:
        assert public_unverified(conn, ws) == []


def test_check_rule_takes_cases_reported_handled(ws):
    with ws.engine.connect() as conn:
        ids = handled_unchecked(conn, ws)
    assert len(ids) == 1
    report = create_tasks(ws, TaskPlan(TaskKind.CHECK, rule="handled_unchecked"), now=NOW)
    (task,) = _tasks(ws)
    assert task.case_no == "AJ20261102007" and task.kind == "check"
    assert task.due_at == NOW + timedelta(hours=4)
    assert report.created == [task.id]


def test_chosen_cases_with_due_hours_and_a_collector_closed_cases_skipped(ws):
    with ws.engine.connect() as conn:
        ids = [find_case(conn, ws, f"AJ2026110200{i}").id for i in (1, 5, 8)]
    plan = TaskPlan(TaskKind.VERIFY, due_hours=0.5, assign=ASSIGN_COLLECTOR)
    report = create_tasks(ws, plan, ids, now=NOW)
    assert len(report.created) == 2
    assert [no for no, _ in report.skipped] == ["AJ20261102008"]
    assert "Closed" in report.skipped[0][1]
    tasks = _tasks(ws)
    assert {t.assigned_collector for t in tasks} == {"C01"}
    assert {t.due_at for t in tasks} == {NOW + timedelta(minutes=30)}
    # the case history says a task was made
    from citymgmt_plugin.core.cases.store import case_history

    assert case_history(ws, ids[0])[-1].operation == "task"


def test_the_database_refuses_a_second_open_task_of_a_kind(ws):
    create_tasks(ws, TaskPlan(TaskKind.VERIFY, rule="public_unverified"), now=NOW)
    first = _tasks(ws)[0]
    row = {
        k: getattr(first, k)
        for k in (
            "case_id",
            "case_no",
            "kind",
            "state",
            "created_at",
            "created_by",
            "due_at",
            "geom",
        )
    }
    row.update(entity_uuid="00000000-0000-4000-8000-000000000000", entity_sync="none")
    with pytest.raises((IntegrityError, DBAPIError)), ws.begin() as conn:
        conn.execute(insert(ws.schema.tasks), row)


def test_city_time_limits_replace_the_defaults_and_bad_files_change_nothing(ws, tmp_path):
    with ws.engine.connect() as conn:
        assert read_limits(conn, ws).all_default
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "case_kind,class_code,verify_hours,check_hours\nevent,*,1,2\nthing,01,1,2\n"
        "event,0102,soon,2\n",
        encoding="utf-8",
    )
    with pytest.raises(LimitsError) as err:
        load_limits_file(ws, bad)
    assert "line 3" in str(err.value) and "line 4" in str(err.value)
    with ws.engine.connect() as conn:
        assert read_limits(conn, ws).all_default  # untouched
    good = tmp_path / "city.csv"
    good.write_text(
        "case_kind,class_code,verify_hours,check_hours,note\nevent,*,1.5,3,市标准\n"
        "event,0102,0.5,1,暴露垃圾\ncomponent,*,2,4,\n",
        encoding="utf-8",
    )
    assert load_limits_file(ws, good) == 3
    with ws.engine.connect() as conn:
        limits = read_limits(conn, ws)
    assert not limits.all_default
    assert limits.hours("event", "0102", TaskKind.VERIFY) == 0.5
    assert limits.hours("event", "0401", TaskKind.CHECK) == 3
    create_tasks(ws, TaskPlan(TaskKind.VERIFY, rule="public_unverified"), now=NOW)
    by_no = {t.case_no: t for t in _tasks(ws)}
    assert by_no["AJ20261102001"].due_at == NOW + timedelta(minutes=30)
    assert by_no["AJ20261102006"].due_at == NOW + timedelta(hours=1.5)
