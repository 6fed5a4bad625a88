"""Tasks to the devices as entities of an ODK Central entity list, against the local Central
(real HTTP): bulk create, close by update or delete, 409 on a stale baseVersion resolved by
reading the entity again, lost answers and server errors retried without duplicates or
losses, a cancelled push resumed, OData paging of entities."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.codes import Outcome, TaskKind
from citymgmt_plugin.core.cases.entities import EntityClient
from citymgmt_plugin.core.cases.results import TaskResult, apply_result
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.sync import PROPERTIES, Target, push_tasks
from citymgmt_plugin.core.cases.tasks import ASSIGN_COLLECTOR, TaskPlan, create_tasks
from tests.fixtures.cases_data import case_row, to_wgs84, write_csv
from tests.fixtures.odk_server import EMAIL, PASSWORD, CentralServer
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace

DATASET = "citymgmt_tasks"


@pytest.fixture
def ws(workspace, tmp_path):
    seed_small_workspace(workspace)
    rows = [case_row(f"AJ{i:04d}", "公众举报", at=(X0 + 20 + 25 * i, Y0 + 40)) for i in range(1, 8)]
    store = mapping_store(tmp_path / "m.json")
    import_cases(workspace, str(write_csv(tmp_path / "c.csv", rows)), store=store)
    create_tasks(
        workspace, TaskPlan(TaskKind.VERIFY, rule="public_unverified", assign=ASSIGN_COLLECTOR)
    )
    return workspace


@pytest.fixture
def central():
    with CentralServer() as srv:
        srv.central.add_project(3, "城管核实")
        yield srv


def target(srv, **kw) -> Target:
    client = EntityClient(srv.url, EMAIL, PASSWORD, backoff=0.01, **kw)
    return Target(client, 3, DATASET)


def _tasks(ws):
    t = ws.schema.tasks
    with ws.engine.connect() as conn:
        return conn.execute(select(t).order_by(t.c.id)).all()


def test_push_creates_one_entity_per_open_task_in_bulk(ws, central):
    report = push_tasks(ws, target(central))
    assert report.created == 7 and report.conflicts == 0
    ds = central.central.entities.dataset(3, DATASET)
    assert ds.properties == PROPERTIES  # made by the push
    # bulk: one create request for all seven
    assert [w for w in central.central.entities.writes if w[0] == "POST"] == [("POST", "bulk", 7)]
    tasks = _tasks(ws)
    assert {t.entity_sync for t in tasks} == {"open"} and {t.entity_version for t in tasks} == {1}
    first = ds.entities[tasks[0].entity_uuid]
    data = first.data
    assert data["case_no"] == "AJ0001" and data["task_kind"] == "verify"
    assert data["status"] == "open" and data["assignee"] == "C01" and data["grid"] == "R01"
    assert data["class_name"] == "暴露垃圾" and data["address"] == "平江路 1 号"
    lat, lon, _alt, _acc = (float(v) for v in data["geometry"].split())
    want_lon, want_lat = to_wgs84(X0 + 45, Y0 + 40)
    assert abs(lat - want_lat) < 1e-6 and abs(lon - want_lon) < 1e-6
    assert len(data["deadline"]) == 16  # "YYYY-MM-DD HH:MM", office time
    assert "AJ0001" in first.label
    again = push_tasks(ws, target(central))
    assert (again.created, again.updated, again.closed) == (0, 0, 0)


def test_a_result_closes_the_entity_even_after_a_device_changed_it(ws, central):
    push_tasks(ws, target(central))
    task = _tasks(ws)[0]
    store = central.central.entities
    # the verification form's submission updated the entity on the server: version 2
    store.device_update(3, DATASET, task.entity_uuid, {"status": "submitted"})
    apply_result(ws, TaskResult(task.entity_uuid, Outcome.CONFIRMED, collector="C01"))
    report = push_tasks(ws, target(central))
    assert report.closed == 1 and report.conflicts == 1  # 409.15, read again, applied again
    entity = store.dataset(3, DATASET).entities[task.entity_uuid]
    assert entity.version == 3
    assert entity.data["status"] == "closed" and entity.data["outcome"] == "confirmed"
    assert _tasks(ws)[0].entity_sync == "closed"
    patches = [entry for entry in central.central.log if entry[0] == "PATCH"]
    assert [p[2] for p in patches] == [409, 200]


def test_close_by_delete(ws, central):
    push_tasks(ws, target(central))
    task = _tasks(ws)[1]
    apply_result(ws, TaskResult(task.entity_uuid, Outcome.NOT_CONFIRMED, collector="C01"))
    report = push_tasks(ws, target(central), close="delete")
    assert report.closed == 1
    ds = central.central.entities.dataset(3, DATASET)
    assert ds.entities[task.entity_uuid].deleted_at is not None
    assert len(ds.live()) == 6


def test_a_lost_answer_and_server_errors_are_retried_without_duplicates(ws, central):
    store = central.central.entities
    store.fail("POST", "500", times=1)  # the first try fails outright ...
    store.fail("POST", "lost", times=1)  # ... the second is done but its answer is lost
    report = push_tasks(ws, target(central))
    ds = store.dataset(3, DATASET)
    assert len(ds.live()) == 7  # every task once
    assert report.created + report.found == 7 and report.found == 7
    assert {t.entity_sync for t in _tasks(ws)} == {"open"}


def test_a_cancelled_push_keeps_what_it_did_and_the_next_goes_on(ws, central):
    calls = []

    def cancel_after_two_chunks() -> bool:
        calls.append(1)
        return len(calls) > 2

    report = push_tasks(ws, target(central), chunk=2, cancelled=cancel_after_two_chunks)
    assert report.cancelled and report.created == 4
    assert sum(t.entity_sync == "open" for t in _tasks(ws)) == 4
    rest = push_tasks(ws, target(central), chunk=2)
    assert rest.created == 3 and not rest.cancelled
    assert len(central.central.entities.dataset(3, DATASET).live()) == 7


def test_the_odata_feed_pages_entities(ws, central):
    push_tasks(ws, target(central))
    client = target(central).client
    rows = list(client.entity_rows(3, DATASET, page_size=3))
    assert len(rows) == 7 and len({r["__id"] for r in rows}) == 7
    pages = [p for p in central.central.log if ".svc/Entities" in p[1]]
    assert len(pages) == 3 and "%24skiptoken=01" in pages[1][1]
    assert {r["__system"]["version"] for r in rows} == {1}


def test_an_entity_deleted_on_the_server_is_made_again(ws, central):
    push_tasks(ws, target(central))
    task = _tasks(ws)[2]
    store = central.central.entities
    store.dataset(3, DATASET).entities[task.entity_uuid].deleted_at = "2026-11-02T00:00:00Z"
    with ws.begin() as conn:  # the task changed here (reassigned): its entity must be updated
        t = ws.schema.tasks
        from sqlalchemy import update

        conn.execute(update(t).where(t.c.id == task.id).values(entity_sync="stale"))
    first = push_tasks(ws, target(central))
    assert first.gone == 1
    second = push_tasks(ws, target(central))
    assert second.created == 1
    renewed = _tasks(ws)[2]
    assert renewed.entity_uuid != task.entity_uuid and renewed.entity_sync == "open"
    assert len(store.dataset(3, DATASET).live()) == 7
