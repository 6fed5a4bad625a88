"""Cases, case history, 核实/核查 tasks and per-class task time limits.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import csv

from alembic import context, op
from geoalchemy2 import Geometry
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

from citymgmt_plugin.core.paths import resource
from citymgmt_plugin.core.workspace.types import JsonText, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The tables as this revision made them, frozen (see 0001).
CASE_CHANNELS = ("collector", "public", "hotline", "video", "leader", "other")
CASE_KINDS = ("event", "component")
CASE_STATES = ("reported", "filed", "dispatched", "handled", "checked", "closed", "void", "on_hold")
CASE_OPERATIONS = ("import", "update", "state", "relocate", "match", "task", "result")
TASK_KINDS = ("verify", "check")
TASK_STATES = ("open", "done", "cancelled")
VERIFY_OUTCOMES = ("confirmed", "not_confirmed", "relocated")
CHECK_OUTCOMES = ("handled", "not_handled", "partly_handled")
ENTITY_SYNC = ("none", "open", "stale", "closed")
NEW_TABLES = ("cases", "case_history", "tasks", "task_time_limits")

convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(col: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{col} IN ({quoted})"


def _geom(srid: int) -> Column:
    return Column("geom", Geometry("POINT", srid=srid, spatial_index=True), nullable=False)


def _referenced(md: MetaData) -> None:
    """The tables of earlier revisions the new ones refer to (keys only; not created here)."""
    Table("submissions", md, Column("id", Integer, primary_key=True))
    Table("components", md, Column("id", Integer, primary_key=True))
    Table("resp_grids", md, Column("id", Integer, primary_key=True), Column("code", Text))
    Table("collectors", md, Column("id", Integer, primary_key=True), Column("code", Text))


def _tables_0004(srid: int) -> MetaData:
    md = MetaData(naming_convention=convention)
    _referenced(md)
    _cases(md, srid)
    _case_history(md)
    _tasks(md, srid)
    _time_limits(md)
    return md


def _cases(md: MetaData, srid: int) -> None:
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
        Column("due_at", UtcDateTime),
        Column("state_at", UtcDateTime, nullable=False),
        Column("closed_at", UtcDateTime),
        Column("grid_code", Text),
        Column("resp_grid_code", Text),
        Column("collector_code", Text),
        Column("submission_id", Integer, ForeignKey("submissions.id")),
        Column("component_id", Integer, ForeignKey("components.id")),
        Column("source", Text, nullable=False),
        Column("source_values", JsonText),
        Column("source_hash", Text),
        Column("row_version", Integer, nullable=False, default=1),
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("updated_by", Text, nullable=False),
        _geom(srid),
        CheckConstraint("length(case_no) BETWEEN 1 AND 64", name="case_no"),
        CheckConstraint(_in("channel", CASE_CHANNELS), name="channel"),
        CheckConstraint(_in("kind", CASE_KINDS), name="kind"),
        CheckConstraint(_in("state", CASE_STATES), name="state"),
        CheckConstraint("closed_at IS NULL OR closed_at >= reported_at", name="dates"),
        Index("ix_cases_state", "state"),
        Index("ix_cases_grid_code", "grid_code"),
    )


def _case_history(md: MetaData) -> None:
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
        Column("changes", JsonText),
        Column("note", Text),
        CheckConstraint(_in("operation", CASE_OPERATIONS), name="operation"),
        Index("ix_case_history_case_id", "case_id"),
    )


def _tasks(md: MetaData, srid: int) -> None:
    outcomes = (
        f"outcome IS NULL OR (kind = 'verify' AND {_in('outcome', VERIFY_OUTCOMES)}) "
        f"OR (kind = 'check' AND {_in('outcome', CHECK_OUTCOMES)})"
    )
    Table(
        "tasks",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
        Column("case_no", Text, nullable=False),  # the case's number, for labels and devices
        Column("kind", Text, nullable=False),
        Column("state", Text, nullable=False, default="open"),
        Column("rule", Text),
        Column("created_at", UtcDateTime, nullable=False),
        Column("created_by", Text, nullable=False),
        Column("due_at", UtcDateTime, nullable=False),
        Column("assigned_grid", Text, ForeignKey("resp_grids.code")),
        Column("assigned_collector", Text, ForeignKey("collectors.code")),
        Column("outcome", Text),
        Column("result_at", UtcDateTime),
        Column("result_by", Text),
        Column("result_note", Text),
        Column("result_submission_id", Integer, ForeignKey("submissions.id")),
        Column("result", JsonText),
        Column("closed_at", UtcDateTime),
        Column("closed_by", Text),
        Column("entity_uuid", Text, nullable=False, unique=True),
        Column("entity_dataset", Text),
        Column("entity_version", Integer),
        Column("entity_sync", Text, nullable=False, default="none"),
        Column("entity_synced_at", UtcDateTime),
        Column("row_version", Integer, nullable=False, default=1),
        _geom(srid),
        CheckConstraint(_in("kind", TASK_KINDS), name="kind"),
        CheckConstraint(_in("state", TASK_STATES), name="state"),
        CheckConstraint(_in("entity_sync", ENTITY_SYNC), name="entity_sync"),
        CheckConstraint(outcomes, name="outcome"),
        CheckConstraint("(state = 'done') = (outcome IS NOT NULL)", name="done_outcome"),
        CheckConstraint("due_at >= created_at", name="due"),
        Index(
            "uq_tasks_open_case_kind",
            "case_id",
            "kind",
            unique=True,
            postgresql_where=text("state = 'open'"),
            sqlite_where=text("state = 'open'"),
        ),
        Index("ix_tasks_state", "state"),
        Index("ix_tasks_case_id", "case_id"),
    )


def _time_limits(md: MetaData) -> None:
    Table(
        "task_time_limits",
        md,
        Column("case_kind", Text, primary_key=True),
        Column("class_code", Text, primary_key=True),
        Column("verify_hours", Float, nullable=False),
        Column("check_hours", Float, nullable=False),
        Column("is_default", Boolean, nullable=False, default=False),
        Column("note", Text),
        CheckConstraint(_in("case_kind", CASE_KINDS), name="case_kind"),
        CheckConstraint("verify_hours > 0 AND check_hours > 0", name="hours"),
    )


def _srid() -> int:
    opts = context.config.attributes.get("options")
    bind = op.get_bind()
    row = bind.execute(text("SELECT value FROM workspace_settings WHERE key = 'srid'")).first()
    if row is not None:
        return int(row[0])
    return opts.srid if opts else 4549


def _default_limits() -> list[dict]:
    with open(resource("codes", "task_time_limits.csv"), encoding="utf-8-sig", newline="") as f:
        return [
            {
                "case_kind": r["case_kind"].strip(),
                "class_code": r["class_code"].strip(),
                "verify_hours": float(r["verify_hours"]),
                "check_hours": float(r["check_hours"]),
                "is_default": True,
                "note": (r.get("note") or "").strip() or None,
            }
            for r in csv.DictReader(f)
        ]


def upgrade() -> None:
    bind = op.get_bind()
    md = _tables_0004(_srid())
    md.create_all(bind, tables=[md.tables[name] for name in NEW_TABLES])
    op.bulk_insert(md.tables["task_time_limits"], _default_limits())


def downgrade() -> None:
    bind = op.get_bind()
    md = _tables_0004(_srid())
    md.drop_all(bind, tables=[md.tables[name] for name in reversed(NEW_TABLES)])
