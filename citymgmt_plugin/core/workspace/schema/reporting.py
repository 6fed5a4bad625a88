"""Contract-figure tables: the duty roster, spot checks and their findings, 漏报 candidates."""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from ..types import UtcDateTime
from .columns import geom_column, one_of

ROSTER_STATUSES = ("on_duty", "absent", "leave", "off")
MISSED_STATES = ("candidate", "confirmed", "dismissed")
MISSED_SOURCES = ("case", "spot_check")
SPOT_CHECK_STATES = ("planned", "done")


def add_tables(md: MetaData, srid: int) -> None:
    # One row per collector and day: on_duty / absent count as scheduled days.
    Table(
        "duty_roster",
        md,
        Column("collector_code", Text, ForeignKey("collectors.code"), primary_key=True),
        Column("day", Date, primary_key=True),
        Column("status", Text, nullable=False),
        Column("note", Text),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("updated_by", Text, nullable=False),
        CheckConstraint(one_of("status", ROSTER_STATUSES), name="status"),
        Index("ix_duty_roster_day", "day"),
    )
    # 现场检查: a grid sampled for a day; the inspector's findings are problems found by
    # another channel than the collectors (漏报 figures).
    Table(
        "spot_checks",
        md,
        Column("id", Integer, primary_key=True),
        Column("grid_code", Text, ForeignKey("unit_grids.code"), nullable=False),
        Column("planned_for", Date, nullable=False),
        Column("state", Text, nullable=False, default="planned"),
        Column("checked_at", UtcDateTime),
        Column("inspector", Text),
        Column("note", Text),
        Column("created_at", UtcDateTime, nullable=False),
        Column("created_by", Text, nullable=False),
        CheckConstraint(one_of("state", SPOT_CHECK_STATES), name="state"),
        CheckConstraint("state = 'planned' OR checked_at IS NOT NULL", name="checked"),
        UniqueConstraint("grid_code", "planned_for"),
    )
    Table(
        "spot_check_findings",
        md,
        Column("id", Integer, primary_key=True),
        Column("spot_check_id", Integer, ForeignKey("spot_checks.id"), nullable=False),
        Column("found_at", UtcDateTime, nullable=False),
        Column("kind", Text, nullable=False),
        Column("class_code", Text, nullable=False),
        Column("description", Text),
        Column("created_by", Text, nullable=False),
        geom_column("POINT", srid),
        CheckConstraint("kind IN ('component', 'event')", name="kind"),
    )
    # A problem found by another channel in a grid a collector patrolled shortly before,
    # with no matching report of that collector: a 漏报 candidate, until a reviewer
    # confirms or dismisses it (source: a case or a spot-check finding).
    Table(
        "missed_reports",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", Text, nullable=False),
        Column("source_id", Integer, nullable=False),
        Column("channel", Text, nullable=False),
        Column("ref", Text),  # case number or finding label
        Column("kind", Text, nullable=False),
        Column("class_code", Text),
        Column("found_at", UtcDateTime, nullable=False),
        Column("grid_code", Text),
        Column("district_code", Text),
        Column("collector_code", Text, nullable=False),
        Column("patrolled_at", UtcDateTime, nullable=False),  # last fix in the grid before
        Column("state", Text, nullable=False, default="candidate"),
        Column("decided_by", Text),
        Column("decided_at", UtcDateTime),
        Column("note", Text),
        Column("created_at", UtcDateTime, nullable=False),
        geom_column("POINT", srid),
        CheckConstraint(one_of("state", MISSED_STATES), name="state"),
        CheckConstraint(one_of("source", MISSED_SOURCES), name="source"),
        CheckConstraint("state = 'candidate' OR decided_at IS NOT NULL", name="decided"),
        UniqueConstraint("source", "source_id", "collector_code"),
        Index("ix_missed_reports_state", "state"),
        Index("ix_missed_reports_collector_code", "collector_code"),
    )
