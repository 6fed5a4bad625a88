"""A case's history in words, in the reader's language: the rows keep codes (operation,
states, task kinds, outcomes, why a result was kept) and what people wrote; the words are
made when the history is shown."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from ..i18n import tr
from .codes import CaseState, Outcome, TaskKind, label
from .store import HistoryEntry

_CTX = "CaseHistory"


def operation_label(operation: str) -> str:
    return {
        "import": tr(_CTX, "imported"),
        "update": tr(_CTX, "changed at the source"),
        "state": tr(_CTX, "state changed"),
        "relocate": tr(_CTX, "moved"),
        "match": tr(_CTX, "component matched"),
        "task": tr(_CTX, "task"),
        "result": tr(_CTX, "result"),
    }.get(operation, operation)


def field_label(name: str) -> str:
    return {
        "channel": tr(_CTX, "channel"),
        "kind": tr(_CTX, "kind"),
        "class_code": tr(_CTX, "class"),
        "description": tr(_CTX, "description"),
        "address": tr(_CTX, "address"),
        "reported_at": tr(_CTX, "reported"),
        "due_at": tr(_CTX, "deadline"),
        "closed_at": tr(_CTX, "closed"),
        "collector_code": tr(_CTX, "collector"),
        "position": tr(_CTX, "position"),
    }.get(name, name)


def _local(text: str | None, zone: tzinfo) -> str:
    if not text:
        return ""
    return datetime.fromisoformat(text).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _task(task: dict[str, Any], zone: tzinfo) -> str:
    kind = label(TaskKind(task["kind"]))
    if task.get("cancelled"):
        if task["cancelled"] == "case_ended":
            return tr(_CTX, "{0} cancelled: the case was closed or voided").format(kind)
        return tr(_CTX, "{0} cancelled").format(kind)
    return tr(_CTX, "{0}, due {1}").format(kind, _local(task.get("due_at"), zone))


def _kept(changes: dict[str, Any]) -> str:
    kept = changes.get("kept")
    if kept == "already_done":
        first = label(Outcome(changes["first"])) if changes.get("first") else ""
        return tr(_CTX, "not applied: the task already had its result ({0})").format(first)
    if kept == "cancelled":
        return tr(_CTX, "not applied: the task was cancelled")
    if kept == "wrong_kind":
        return tr(_CTX, "not applied: an answer of the other kind of task")
    return ""


def _result(changes: dict[str, Any]) -> str:
    result = changes["result"]
    outcome = Outcome(result["outcome"])
    text = tr(_CTX, "{0} {1} (by {2})").format(
        label(outcome.task_kind), label(outcome), result.get("collector") or "?"
    )
    kept = _kept(changes)
    return f"{text} {kept}".strip()


def _details(entry: HistoryEntry, zone: tzinfo) -> list[str]:
    changes = entry.changes or {}
    if "task" in changes:
        return [_task(changes["task"], zone)]
    if "result" in changes:
        return [_result(changes)]
    if entry.operation == "match":
        return [str((changes.get("component") or [None, None])[1] or "—")]
    if entry.operation == "update" and changes:
        return ["、".join(field_label(k) for k in changes)]
    return []


def describe_entry(entry: HistoryEntry, zone: tzinfo) -> str:
    """``yyyy-MM-dd HH:mm who what: states, details, note`` in the reader's language."""
    parts = [entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), entry.actor]
    parts.append(operation_label(entry.operation))
    if entry.to_state:
        before = label(CaseState(entry.from_state)) if entry.from_state else ""
        parts.append(f"{before} → {label(CaseState(entry.to_state))}".strip())
    parts += _details(entry, zone)
    if entry.note and entry.operation != "import":  # an import's note is the file's path
        parts.append(entry.note)
    return " ".join(p for p in parts if p)
