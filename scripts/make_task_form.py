"""Write the 核实/核查 result form (XLSForm) to resources/forms/ (run after editing).

    .venv/bin/python scripts/make_task_form.py [--dataset citymgmt_tasks]

The .xlsx is the shipped artefact; this script is its source. The form lists the open tasks
of the entity list the plugin pushes (``select_one_from_file <dataset>.csv``, only
``status = 'open'``, on a map by the entities' ``geometry``), asks the outcome that fits the
task's kind (核实: 属实 / 不属实 / 位置修正; 核查: 已处置 / 未处置 / 部分处置), where the collector
stands, photos and a note, and updates the task's entity (``entities`` sheet: status
``submitted`` and the outcome) so other devices see it is answered. The names the plugin
reads back are those of :mod:`citymgmt_plugin.core.cases.intake`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "forms"
FORM_ID = "citymgmt_task_result"
ZH, EN = "label::Chinese (zh)", "label::English (en)"
SURVEY_COLUMNS = [
    "type",
    "name",
    ZH,
    EN,
    "required",
    "relevant",
    "calculation",
    "choice_filter",
    "appearance",
    "parameters",
    "save_to",
]


def _lookup(dataset: str, prop: str) -> str:
    return f"instance('{dataset}')/root/item[name=${{task}}]/{prop}"


def _task_rows(dataset: str) -> list[dict[str, str]]:
    """Who and when; the task chosen from the entity list and what the form reads of it."""
    calc = [
        (p, _lookup(dataset, p))
        for p in (
            "task_kind",
            "case_no",
            "case_kind",
            "class_code",
            "class_name",
            "address",
            "deadline",
        )
    ]
    return [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "deviceid", "name": "device_id"},
        {"type": "username", "name": "collector_code"},
        {
            "type": f"select_one_from_file {dataset}.csv",
            "name": "task",
            ZH: "任务",
            EN: "Task",
            "required": "yes",
            "choice_filter": "status = 'open'",
            "appearance": "map",
        },
        *({"type": "calculate", "name": name, "calculation": expr} for name, expr in calc),
        # what the intake reads as kind and category, like any report
        {"type": "calculate", "name": "kind", "calculation": "${case_kind}"},
        {"type": "calculate", "name": "category_code", "calculation": "${class_code}"},
        {
            "type": "note",
            "name": "about",
            ZH: "案件 ${case_no}：${class_name}，${address}；截止 ${deadline}",
            EN: "Case ${case_no}: ${class_name}, ${address}; due ${deadline}",
        },
    ]


def _answer_rows() -> list[dict[str, str]]:
    """The outcome of the task's kind, where, photos, a note."""
    return [
        {
            "type": "select_one verify_outcome",
            "name": "verify_outcome",
            ZH: "核实结果",
            EN: "Verification",
            "required": "yes",
            "relevant": "${task_kind} = 'verify'",
        },
        {
            "type": "select_one check_outcome",
            "name": "check_outcome",
            ZH: "核查结果",
            EN: "Check",
            "required": "yes",
            "relevant": "${task_kind} = 'check'",
        },
        {
            "type": "geopoint",
            "name": "location",
            ZH: "所在位置（位置修正时在问题的准确位置采集）",
            EN: "Where you are (for a corrected position: at the problem's exact place)",
            "required": "yes",
        },
        {
            "type": "text",
            "name": "new_address",
            ZH: "准确地址",
            EN: "Exact address",
            "relevant": "${verify_outcome} = 'relocated'",
        },
        {
            "type": "image",
            "name": "photo_1",
            ZH: "现场照片",
            EN: "Photo on site",
            "required": "yes",
            "parameters": "max-pixels=1600",
        },
        {
            "type": "image",
            "name": "photo_2",
            ZH: "补充照片",
            EN: "Another photo",
            "parameters": "max-pixels=1600",
        },
        # both photos in the one field the intake downloads photos from ("a.jpg;b.jpg")
        {
            "type": "calculate",
            "name": "photos",
            "calculation": "concat(${photo_1}, ';', ${photo_2})",
        },
        {"type": "text", "name": "note", ZH: "备注", EN: "Note"},
    ]


def _entity_rows() -> list[dict[str, str]]:
    """What the submission writes to the task's entity (the entities sheet names it)."""
    return [
        {
            "type": "calculate",
            "name": "status_after",
            "calculation": "'submitted'",
            "save_to": "status",
        },
        {
            "type": "calculate",
            "name": "outcome_after",
            "calculation": "concat(${verify_outcome}, ${check_outcome})",
            "save_to": "outcome",
        },
    ]


def survey_rows(dataset: str) -> list[dict[str, str]]:
    return [*_task_rows(dataset), *_answer_rows(), *_entity_rows()]


CHOICES = [
    ("verify_outcome", "confirmed", "属实", "Confirmed"),
    ("verify_outcome", "not_confirmed", "不属实", "Not confirmed"),
    ("verify_outcome", "relocated", "位置修正", "Position corrected"),
    ("check_outcome", "handled", "已处置", "Handled"),
    ("check_outcome", "not_handled", "未处置", "Not handled"),
    ("check_outcome", "partly_handled", "部分处置", "Partly handled"),
]


def write_form(path: Path, dataset: str) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for row in survey_rows(dataset):
        survey.append([row.get(c, "") for c in SURVEY_COLUMNS])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", ZH, EN])
    for choice in CHOICES:
        choices.append(list(choice))
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append(
        [
            "核实核查结果",
            FORM_ID,
            "2026112801",
            "Chinese (zh)",
            "concat(${case_no}, ' ', ${task_kind})",
        ]
    )
    entities = wb.create_sheet("entities")
    entities.append(["list_name", "entity_id"])
    entities.append([dataset, "${task}"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="citymgmt_tasks")
    parser.add_argument("--out", type=Path, default=OUT / f"{FORM_ID}.xlsx")
    args = parser.parse_args()
    print(write_form(args.out, args.dataset))


if __name__ == "__main__":
    main()
