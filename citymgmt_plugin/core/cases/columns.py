"""Column titles of the case and task tables, in the reader's language (the layers' aliases)."""

from __future__ import annotations

from ..i18n import tr

_CTX = "CaseColumns"


def case_columns() -> dict[str, str]:
    return {
        "id": tr(_CTX, "ID"),
        "case_no": tr(_CTX, "Case number"),
        "channel": tr(_CTX, "Channel"),
        "kind": tr(_CTX, "Kind"),
        "class_code": tr(_CTX, "Class code"),
        "description": tr(_CTX, "Description"),
        "address": tr(_CTX, "Address"),
        "state": tr(_CTX, "State"),
        "reported_at": tr(_CTX, "Reported at"),
        "due_at": tr(_CTX, "Deadline"),
        "state_at": tr(_CTX, "State since"),
        "closed_at": tr(_CTX, "Closed at"),
        "grid_code": tr(_CTX, "Unit grid"),
        "resp_grid_code": tr(_CTX, "Responsibility grid"),
        "collector_code": tr(_CTX, "Reporting collector"),
        "submission_id": tr(_CTX, "Submission"),
        "component_id": tr(_CTX, "Matched component"),
        "source": tr(_CTX, "Source"),
        "source_values": tr(_CTX, "Values at the source"),
        "source_hash": tr(_CTX, "Source fingerprint"),
        "row_version": tr(_CTX, "Version"),
        "created_at": tr(_CTX, "Created at"),
        "updated_at": tr(_CTX, "Changed at"),
        "updated_by": tr(_CTX, "Changed by"),
    }


def task_columns() -> dict[str, str]:
    return {
        "id": tr(_CTX, "ID"),
        "case_id": tr(_CTX, "Case"),
        "case_no": tr(_CTX, "Case number"),
        "kind": tr(_CTX, "Task"),
        "state": tr(_CTX, "State"),
        "rule": tr(_CTX, "Rule"),
        "created_at": tr(_CTX, "Created at"),
        "created_by": tr(_CTX, "Created by"),
        "due_at": tr(_CTX, "Deadline"),
        "assigned_grid": tr(_CTX, "Responsibility grid"),
        "assigned_collector": tr(_CTX, "Collector"),
        "outcome": tr(_CTX, "Outcome"),
        "result_at": tr(_CTX, "Answered at"),
        "result_by": tr(_CTX, "Answered by"),
        "result_note": tr(_CTX, "Note"),
        "result_submission_id": tr(_CTX, "Answer submission"),
        "result": tr(_CTX, "Answer"),
        "closed_at": tr(_CTX, "Finished at"),
        "closed_by": tr(_CTX, "Finished by"),
        "entity_uuid": tr(_CTX, "Entity"),
        "entity_dataset": tr(_CTX, "Entity list"),
        "entity_version": tr(_CTX, "Entity version"),
        "entity_sync": tr(_CTX, "On the devices"),
        "entity_synced_at": tr(_CTX, "Pushed at"),
        "row_version": tr(_CTX, "Version"),
    }


def column_titles(table: str) -> dict[str, str]:
    """Titles of ``table``'s columns ({} for a table this module does not know)."""
    return {"cases": case_columns, "tasks": task_columns}.get(table, dict)()
