"""The city-management schema: one SQLAlchemy Core definition for PostGIS and GeoPackage.

The workspace has one projected CGCS2000 CRS (default EPSG:4549), so geometry columns are
built for a given SRID by :func:`build_metadata`. Each domain defines its tables in its own
module (:mod:`.base`, :mod:`.census`, :mod:`.patrol`, :mod:`.thematic`,
:mod:`.submissions`, :mod:`.cases`). Rules that must always hold (identifier formats,
domains, uniqueness, references) are constraints in the database itself, written with
functions both PostgreSQL and SQLite know (length, ltrim, substr), so a row written by any
tool, not only this plugin, is checked. The tables as each migration made them are frozen in the
migrations; this is the definition at the newest revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import MetaData, Table

from . import base, cases, census, patrol, submissions, thematic
from .columns import convention

DEFAULT_SRID = 4549  # CGCS2000 / 3-degree Gauss-Kruger CM 120E (Suzhou and neighbours)
DOMAINS = (base, census, thematic, patrol, submissions, cases)  # in foreign-key order


@dataclass(frozen=True)
class Schema:
    """The tables of one workspace CRS."""

    srid: int
    metadata: MetaData

    def __getattr__(self, name: str) -> Table:
        try:
            return self.metadata.tables[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=8)
def build_metadata(srid: int = DEFAULT_SRID) -> Schema:
    md = MetaData(naming_convention=convention)
    for domain in DOMAINS:
        domain.add_tables(md, srid)
    return Schema(srid=srid, metadata=md)
