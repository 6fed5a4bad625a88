"""The case loop under the office's roles on PostGIS: the desk (editor) imports cases and
makes tasks, a reviewer applies results, the pull service (intake) applies the verification
form's answers, a viewer only reads; a login limited to district A sees and tasks only
district A's cases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import Outcome, TaskKind
from citymgmt_plugin.core.cases.intake import apply_submitted_results
from citymgmt_plugin.core.cases.queue import list_tasks
from citymgmt_plugin.core.cases.results import APPLIED, TaskResult, apply_result
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.tasks import TaskPlan, create_tasks
from tests.fixtures.cases_data import case_row, write_csv
from tests.fixtures.office import PLACES, A, B, Office, Y, build_office


@pytest.fixture
def office(pg_url: str, pg_spec: str) -> Iterator[Office]:
    yield from build_office(pg_url, pg_spec)


def _batch(tmp_path, name: str, numbers: dict[str, str]):
    rows = [
        case_row(no, "12345热线", at=(PLACES[d]["x"] + 60, Y + 60), system="EPSG:4549")
        for no, d in numbers.items()
    ]
    return str(write_csv(tmp_path / name, rows))


def test_roles_work_the_case_loop_and_districts_limit_it(office, tmp_path):
    o = office
    store = mapping_store(tmp_path / "m.json")
    editor = o.open_as("editor")
    try:
        report = import_cases(
            editor, _batch(tmp_path, "a.csv", {"AJ0001": A, "AJ0002": B}), store=store
        )
        assert report.inserted == 2, [f.reason for f in report.failures]
        made = create_tasks(editor, TaskPlan(TaskKind.VERIFY, rule="public_unverified"))
        assert len(made.created) == 2
    finally:
        editor.close()

    limited = o.open_as("editor_a")
    try:
        assert [t.case_no for t in list_tasks(limited)] == ["AJ0001"]  # B's is not there
        report = import_cases(limited, _batch(tmp_path, "b.csv", {"AJ0003": A}), store=store)
        assert report.inserted == 1
        with pytest.raises(DBAPIError):  # a case in district B is refused by the database
            import_cases(limited, _batch(tmp_path, "c.csv", {"AJ0004": B}), store=store)
    finally:
        limited.close()

    tasks = {t.case_no: t for t in list_tasks(o.owner)}
    reviewer = o.open_as("reviewer")
    try:
        first = TaskResult(tasks["AJ0001"].entity_uuid, Outcome.CONFIRMED, collector="C01")
        assert apply_result(reviewer, first).status == APPLIED
    finally:
        reviewer.close()

    intake = o.open_as("intake")
    try:
        s = intake.schema.submissions
        with intake.begin() as c:
            c.execute(
                insert(s),
                {
                    "source": "odk:x/1/citymgmt_task_result",
                    "instance_id": "uuid:r2",
                    "received_at": tasks["AJ0002"].created_at,
                    "state": "pending",
                    "payload": {
                        "task": tasks["AJ0002"].entity_uuid,
                        "verify_outcome": "not_confirmed",
                    },
                },
            )
        summary = apply_submitted_results(intake)
        assert [a.status for a in summary.outcomes] == [APPLIED]
    finally:
        intake.close()

    viewer = o.open_as("viewer")
    try:
        assert {t.state for t in list_tasks(viewer)} == {"done"}
        with pytest.raises(DBAPIError):
            create_tasks(viewer, TaskPlan(TaskKind.CHECK), [tasks["AJ0001"].case_id])
    finally:
        viewer.close()
    c = o.owner.schema.cases
    with o.owner.engine.connect() as conn:
        states = dict(conn.execute(select(c.c.case_no, c.c.state)).all())
    assert states == {"AJ0001": "reported", "AJ0002": "void", "AJ0003": "reported"}
