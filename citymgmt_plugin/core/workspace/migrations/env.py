"""Alembic environment: runs on the connection handed in by ``store.upgrade``."""

from __future__ import annotations

from alembic import context
from alembic.ddl.sqlite import SQLiteImpl


class GeoPackageImpl(SQLiteImpl):
    """Alembic knows SQLite; GeoAlchemy2's GeoPackage dialect is SQLite underneath."""

    __dialect__ = "geopackage"


connection = context.config.attributes["connection"]
# PostgreSQL: alembic_version in the workspace schema (not wherever the search path finds
# one first: public may hold another workspace's or another application's).
context.configure(
    connection=connection,
    render_as_batch=True,
    version_table_schema=context.config.attributes.get("schema"),
)
with context.begin_transaction():
    context.run_migrations()
