"""Case tables: cases and their history, 核实/核查 tasks, per-class time limits.

A case (案件) is what the command centre handles: reported by a collector, the public, the
12345 hotline, video surveillance or a leader, then filed, dispatched, handled, checked and
closed (or voided / put on hold). The collection contractor verifies (核实) and checks (核查)
cases within time limits: each such job is a task, carried to the devices as an entity of an
ODK Central entity list (``entity_*`` columns keep that copy in step).
"""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    text,
)

from ..types import JsonText, UtcDateTime
from .columns import geom_column, one_of

# Column values; core/cases/codes.py names them as Enums with their translated labels.
CASE_CHANNELS = ("collector", "public", "hotline", "video", "leader", "other")
CASE_KINDS = ("event", "component")
CASE_STATES = (
    "reported",  # 上报
    "filed",  # 立案
    "dispatched",  # 派遣
    "handled",  # 处置 (reported handled by the department)
    "checked",  # 核查 (checked on site: handled)
    "closed",  # 结案
    "void",  # 作废
    "on_hold",  # 挂账
)
CASE_OPERATIONS = ("import", "update", "state", "relocate", "match", "task", "result")
TASK_KINDS = ("verify", "check")
TASK_STATES = ("open", "done", "cancelled")
VERIFY_OUTCOMES = ("confirmed", "not_confirmed", "relocated")
CHECK_OUTCOMES = ("handled", "not_handled", "partly_handled")
# The task's copy on the devices: never pushed / an open entity / changed since pushed /
# closed (updated to closed or deleted).
ENTITY_SYNC = ("none", "open", "stale", "closed")
OPEN_TASK = "state = 'open'"


def add_tables(md: MetaData, srid: int) -> None:
    _case_tables(md, srid)
    _task_tables(md, srid)


def _case_tables(md: MetaData, srid: int) -> None:
    Table(
        "cases",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_no", Text, nullable=False, unique=True),
        Column("channel", Text, nullable=False),
        Column("kind", Text, nullable=False),
        Column("class_code", Text, nullable=False),
        Column("description", Text),
        Column("address", Text),
        Column("state", Text, nullable=False, default="reported"),
        Column("reported_at", UtcDateTime, nullable=False),
        Column("due_at", UtcDateTime),  # the centre's handling deadline, when it sends one
        Column("state_at", UtcDateTime, nullable=False),  # when the current state began
        Column("closed_at", UtcDateTime),
        Column("grid_code", Text),  # unit grid holding the position
        Column("resp_grid_code", Text),
        Column("collector_code", Text),  # who reported it (collector channel)
        Column("submission_id", Integer, ForeignKey("submissions.id")),
        Column("component_id", Integer, ForeignKey("components.id")),
        Column("source", Text, nullable=False),  # file / table it came from, or "submission"
        Column("source_values", JsonText),  # the row as the source last sent it
        Column("source_hash", Text),
        Column("row_version", Integer, nullable=False, default=1),
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("updated_by", Text, nullable=False),
        geom_column("POINT", srid),
        CheckConstraint("length(case_no) BETWEEN 1 AND 64", name="case_no"),
        CheckConstraint(one_of("channel", CASE_CHANNELS), name="channel"),
        CheckConstraint(one_of("kind", CASE_KINDS), name="kind"),
        CheckConstraint(one_of("state", CASE_STATES), name="state"),
        CheckConstraint("closed_at IS NULL OR closed_at >= reported_at", name="dates"),
        Index("ix_cases_state", "state"),
        Index("ix_cases_grid_code", "grid_code"),
    )
    Table(
        "case_history",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Column("actor", Text, nullable=False),
        Column("operation", Text, nullable=False),
        Column("from_state", Text),
        Column("to_state", Text),
        Column("changes", JsonText),  # {field: [old, new]}
        Column("note", Text),
        CheckConstraint(one_of("operation", CASE_OPERATIONS), name="operation"),
        Index("ix_case_history_case_id", "case_id"),
    )


def _task_tables(md: MetaData, srid: int) -> None:
    outcomes = (
        f"outcome IS NULL OR (kind = 'verify' AND {one_of('outcome', VERIFY_OUTCOMES)}) "
        f"OR (kind = 'check' AND {one_of('outcome', CHECK_OUTCOMES)})"
    )
    Table(
        "tasks",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
        Column("case_no", Text, nullable=False),  # the case's number, for labels and devices
        Column("kind", Text, nullable=False),
        Column("state", Text, nullable=False, default="open"),
        Column("rule", Text),  # the rule that made it, or NULL: chosen by hand
        Column("created_at", UtcDateTime, nullable=False),
        Column("created_by", Text, nullable=False),
        Column("due_at", UtcDateTime, nullable=False),
        Column("assigned_grid", Text, ForeignKey("resp_grids.code")),
        Column("assigned_collector", Text, ForeignKey("collectors.code")),
        Column("outcome", Text),
        Column("result_at", UtcDateTime),  # when the collector was on site
        Column("result_by", Text),
        Column("result_note", Text),
        Column("result_submission_id", Integer, ForeignKey("submissions.id")),
        Column("result", JsonText),  # what the device sent (position, photos …)
        Column("closed_at", UtcDateTime),  # done or cancelled
        Column("closed_by", Text),
        Column("entity_uuid", Text, nullable=False, unique=True),
        Column("entity_dataset", Text),  # server/project/dataset it was pushed to
        Column("entity_version", Integer),
        Column("entity_sync", Text, nullable=False, default="none"),
        Column("entity_synced_at", UtcDateTime),
        Column("row_version", Integer, nullable=False, default=1),
        geom_column("POINT", srid),
        CheckConstraint(one_of("kind", TASK_KINDS), name="kind"),
        CheckConstraint(one_of("state", TASK_STATES), name="state"),
        CheckConstraint(one_of("entity_sync", ENTITY_SYNC), name="entity_sync"),
        CheckConstraint(outcomes, name="outcome"),
        CheckConstraint("(state = 'done') = (outcome IS NOT NULL)", name="done_outcome"),
        CheckConstraint("due_at >= created_at", name="due"),
        # one open task of a kind per case
        Index(
            "uq_tasks_open_case_kind",
            "case_id",
            "kind",
            unique=True,
            postgresql_where=text(OPEN_TASK),
            sqlite_where=text(OPEN_TASK),
        ),
        Index("ix_tasks_state", "state"),
        Index("ix_tasks_case_id", "case_id"),
    )
    Table(
        "task_time_limits",
        md,
        Column("case_kind", Text, primary_key=True),
        # a class code, its 2-digit major class, or '*' for every class of the kind
        Column("class_code", Text, primary_key=True),
        Column("verify_hours", Float, nullable=False),
        Column("check_hours", Float, nullable=False),
        Column("is_default", Boolean, nullable=False, default=False),
        Column("note", Text),
        CheckConstraint(one_of("case_kind", CASE_KINDS), name="case_kind"),
        CheckConstraint("verify_hours > 0 AND check_hours > 0", name="hours"),
    )
