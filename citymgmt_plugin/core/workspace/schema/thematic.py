"""Thematic-layer registry (each thematic layer has its own table, made from its template)."""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    CheckConstraint,
    Column,
    Integer,
    MetaData,
    Table,
    Text,
)

from ..types import JsonText, UtcDateTime
from .columns import GEOMETRY_KINDS, one_of


def add_tables(md: MetaData, srid: int) -> None:
    Table(
        "thematic_layers",
        md,
        Column("id", Integer, primary_key=True),
        Column("template", Text, nullable=False),
        Column("table_name", Text, nullable=False, unique=True),
        Column("title", Text, nullable=False),
        Column("geometry_kind", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("definition", JsonText, nullable=False),  # the template as applied
        CheckConstraint(one_of("geometry_kind", GEOMETRY_KINDS), name="geometry_kind"),
    )
