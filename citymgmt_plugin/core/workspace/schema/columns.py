"""Shared pieces of the table definitions: naming convention, checks both dialects run."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import Column

GEOMETRY_KINDS = ("point", "line", "polygon")

# Constraint and index names that are the same on every backend and in every migration.
convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def digits(col: str, *lengths: int) -> str:
    """SQL that holds when ``col`` is all digits and of one of ``lengths``."""
    lens = ", ".join(str(n) for n in lengths)
    return f"length({col}) IN ({lens}) AND ltrim({col}, '0123456789') = ''"


def one_of(col: str, values: tuple[str, ...]) -> str:
    """SQL that holds when ``col`` is one of ``values`` (quoted as SQL literals)."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{col} IN ({quoted})"


def geom_column(kind: str, srid: int, nullable: bool = False) -> Column:
    # spatial_index=True: GeoAlchemy2 builds a GiST index (PostGIS) or the gpkg R-tree.
    return Column("geom", Geometry(kind, srid=srid, spatial_index=True), nullable=nullable)
