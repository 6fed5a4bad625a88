"""Alembic environment: runs on the connection handed in by ``store.upgrade``."""

from __future__ import annotations

from alembic import context
from alembic.ddl.sqlite import SQLiteImpl


class GeoPackageImpl(SQLiteImpl):
    """Alembic knows SQLite; GeoAlchemy2's GeoPackage dialect is SQLite underneath."""

    __dialect__ = "geopackage"


connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
