"""The shipped 核实/核查 result form: what it asks, the entity list it reads and updates, and
that the plugin reads its submissions back into task results."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl

from citymgmt_plugin.core.cases.codes import Outcome
from citymgmt_plugin.core.cases.intake import result_from_payload
from citymgmt_plugin.core.cases.sync import PROPERTIES
from citymgmt_plugin.core.paths import resource

ROOT = Path(__file__).resolve().parents[2]
FORM = resource("forms", "citymgmt_task_result.xlsx")


def _sheet(wb, name):
    rows = list(wb[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:]]


def test_the_form_reads_the_entity_list_and_asks_the_outcome_of_each_kind():
    wb = openpyxl.load_workbook(FORM, read_only=True)
    assert {"survey", "choices", "settings", "entities"} <= set(wb.sheetnames)
    survey = {r["name"]: r for r in _sheet(wb, "survey")}
    task = survey["task"]
    assert task["type"] == "select_one_from_file citymgmt_tasks.csv"
    assert task["choice_filter"] == "status = 'open'" and task["required"] == "yes"
    assert survey["verify_outcome"]["relevant"] == "${task_kind} = 'verify'"
    assert survey["check_outcome"]["relevant"] == "${task_kind} = 'check'"
    assert survey["location"]["type"] == "geopoint"
    assert survey["photo_1"]["type"] == "image" and survey["photo_1"]["required"] == "yes"
    # the intake downloads the photos named in "photos" (both, ';'-separated)
    assert survey["photos"]["calculation"] == "concat(${photo_1}, ';', ${photo_2})"
    from citymgmt_plugin.core.submissions.records import FIELD_NAMES

    assert "photos" in FIELD_NAMES["photos"] and "collector_code" in FIELD_NAMES["collector_code"]
    # every entity property it looks up is one the push writes
    looked_up = [
        r["calculation"].rsplit("/", 1)[1]
        for r in survey.values()
        if (r["calculation"] or "").startswith("instance(")
    ]
    assert looked_up and set(looked_up) <= set(PROPERTIES)
    saved = {r["save_to"] for r in survey.values() if r["save_to"]}
    assert saved <= set(PROPERTIES)
    choices = {(r["list_name"], r["name"]): r["label::Chinese (zh)"] for r in _sheet(wb, "choices")}
    assert choices == {
        ("verify_outcome", "confirmed"): "属实",
        ("verify_outcome", "not_confirmed"): "不属实",
        ("verify_outcome", "relocated"): "位置修正",
        ("check_outcome", "handled"): "已处置",
        ("check_outcome", "not_handled"): "未处置",
        ("check_outcome", "partly_handled"): "部分处置",
    }
    assert {c[1] for c in choices} == {o.value for o in Outcome}
    (entity,) = _sheet(wb, "entities")
    assert entity == {"list_name": "citymgmt_tasks", "entity_id": "${task}"}
    wb.close()


def test_the_shipped_form_is_what_its_script_writes(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_task_form", ROOT / "scripts" / "make_task_form.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    fresh = script.write_form(tmp_path / "form.xlsx", "citymgmt_tasks")
    a, b = openpyxl.load_workbook(FORM), openpyxl.load_workbook(fresh)
    for name in b.sheetnames:
        assert list(a[name].iter_rows(values_only=True)) == list(
            b[name].iter_rows(values_only=True)
        ), name


def test_a_submission_of_the_form_reads_back_as_a_task_result():
    # as ODK Central's OData feed sends it (fields at the top, the geopoint as GeoJSON)
    row = {
        "__id": "uuid:5f0c…",
        "task": "0c3a7922-b611-42ca-a961-944e09fa9aa2",
        "task_kind": "verify",
        "verify_outcome": "relocated",
        "location": {
            "type": "Point",
            "coordinates": [120.61, 31.32, 4.0],
            "properties": {"accuracy": 5.0},
        },
        "new_address": "观前街 8 号",
        "photo_1": "1700000000.jpg",
        "note": "在对面",
        "collector_code": "C07",
        "meta": {"instanceID": "uuid:5f0c…"},
        "__system": {"submitterName": "C07"},
    }
    result = result_from_payload(row, submission_id=9)
    assert result.task == "0c3a7922-b611-42ca-a961-944e09fa9aa2"
    assert result.outcome is Outcome.RELOCATED
    assert (result.lon, result.lat) == (120.61, 31.32)
    assert result.address == "观前街 8 号" and result.photos == ("1700000000.jpg",)
    assert result.collector == "C07" and result.submission_id == 9
    # a device export writes the geopoint as text, Chinese labels are understood too
    export = {
        "task": "uuid:0C3A7922-B611-42CA-A961-944E09FA9AA2",
        "check_outcome": "已处置",
        "location": "31.32 120.61 4 5",
    }
    result = result_from_payload(export)
    assert result.outcome is Outcome.HANDLED and (result.lon, result.lat) == (120.61, 31.32)
    # an ordinary report is no task result
    assert result_from_payload({"category_code": "0102", "description": "x"}) is None
