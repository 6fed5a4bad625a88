"""Patrol tables: main roads and window areas, prescribed routes, GPS track points."""

from __future__ import annotations

from geoalchemy2 import Geometry  # noqa: F401
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
)

from ..types import UtcDateTime
from .columns import geom_column, one_of

ROAD_KINDS = ("main_road", "window_area")


def add_tables(md: MetaData, srid: int) -> None:
    Table(
        "main_roads",
        md,
        Column("id", Integer, primary_key=True),
        Column("kind", Text, nullable=False, default="main_road"),
        Column("name", Text, nullable=False),
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code")),
        geom_column("MULTILINESTRING", srid),
        CheckConstraint(one_of("kind", ROAD_KINDS), name="kind"),
    )
    Table(
        "patrol_routes",
        md,
        Column("id", Integer, primary_key=True),
        Column("collector_code", Text, ForeignKey("collectors.code"), nullable=False),
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code")),
        Column("valid_from", Date),
        geom_column("MULTILINESTRING", srid),
    )
    # On PostGIS (migration 0007) partitioned by week of fix_time (track_points_wYYYYMMDD
    # and a default partition), primary key (collector_code, fix_time, id), a BRIN spatial
    # index; id is bigint from track_points_id_seq. :mod:`..patrol.partitions` creates
    # weeks on demand.
    Table(
        "track_points",
        md,
        Column("id", Integer, primary_key=True),
        Column("collector_code", Text, nullable=False),
        Column("device_id", Text),
        Column("fix_time", UtcDateTime, nullable=False),
        Column("accuracy_m", Float),
        Column("speed_kmh", Float),
        geom_column("POINT", srid),
        Index("ix_track_points_collector_time", "collector_code", "fix_time"),
        CheckConstraint("accuracy_m IS NULL OR accuracy_m >= 0", name="accuracy"),
    )
