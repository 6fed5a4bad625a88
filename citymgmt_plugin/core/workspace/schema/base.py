"""Base tables: settings, administrative units, unit and responsibility grids, collectors, audit,
and which districts an office login is limited to."""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from ..types import JsonText, UtcDateTime
from .columns import digits, geom_column, one_of

ADMIN_LEVELS = {"district": 6, "street": 9, "community": 12}


def add_tables(md: MetaData, srid: int) -> None:
    Table(
        "workspace_settings",
        md,
        Column("key", Text, primary_key=True),
        Column("value", Text, nullable=False),
    )
    Table(
        "admin_units",
        md,
        Column("id", Integer, primary_key=True),
        Column("level", Text, nullable=False),
        Column("code", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("parent_code", Text, ForeignKey("admin_units.code")),
        geom_column("MULTIPOLYGON", srid),
        CheckConstraint(one_of("level", tuple(ADMIN_LEVELS)), name="level"),
        CheckConstraint(
            "(level = 'district' AND " + digits("code", 6) + ") OR "
            "(level = 'street' AND " + digits("code", 9) + ") OR "
            "(level = 'community' AND " + digits("code", 12) + ")",
            name="code_format",
        ),
        CheckConstraint(
            "parent_code IS NULL OR substr(code, 1, length(parent_code)) = parent_code",
            name="code_under_parent",
        ),
    )
    # 15 digits: county (6) + street (3) + community (3) + sequence (3); the legacy 14-digit
    # form (+2) is allowed by the check and refused by a trigger unless the workspace enables
    # it (setting grid_code_legacy14 = '1'), see migrations.
    Table(
        "unit_grids",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", Text, nullable=False, unique=True),
        Column("community_code", Text, ForeignKey("admin_units.code"), nullable=False),
        Column("responsible", Text),
        Column("area_m2", Float),
        geom_column("MULTIPOLYGON", srid),
        CheckConstraint(digits("code", 14, 15), name="code_format"),
        CheckConstraint("substr(code, 1, 12) = community_code", name="code_in_community"),
    )
    Table(
        "resp_grids",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("street_code", Text, ForeignKey("admin_units.code")),
        geom_column("MULTIPOLYGON", srid, nullable=True),
        CheckConstraint("length(code) BETWEEN 1 AND 32", name="code_format"),
    )
    Table(
        "resp_grid_units",
        md,
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code"), primary_key=True),
        Column("unit_grid_code", Text, ForeignKey("unit_grids.code"), primary_key=True),
        UniqueConstraint("unit_grid_code"),  # a unit grid answers to one responsibility grid
    )
    Table(
        "collectors",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code")),
        Column("device_id", Text),
        Column("active", Boolean, nullable=False, default=True),
    )
    Table(
        "audit_events",
        md,
        Column("id", Integer, primary_key=True),
        Column("at", UtcDateTime, nullable=False),
        Column("actor", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("table_name", Text),
        Column("row_id", Integer),
        Column("detail", JsonText),
    )
    # The districts (6-digit) or streets (9-digit admin-unit codes) a database login is
    # limited to; a login without rows is not limited. PostGIS only in effect (row-level
    # security, see workspace/security.py); written by the workspace admin only.
    Table(
        "role_districts",
        md,
        Column("login", Text, primary_key=True),
        Column("district_code", Text, primary_key=True),
        CheckConstraint(digits("district_code", 6, 9), name="code_format"),
    )
