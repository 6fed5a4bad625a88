"""Alembic environment: runs on the connection handed in by ``store.upgrade``."""

from __future__ import annotations

from alembic import context
from alembic.ddl.sqlite import SQLiteImpl


class GeoPackageImpl(SQLiteImpl):
    """Alembic knows SQLite; GeoAlchemy2's GeoPackage dialect is SQLite underneath."""

    __dialect__ = "geopackage"


connection = context.config.attributes["connection"]
if connection.dialect.name in ("sqlite", "geopackage"):
    # Batch mode rebuilds a table and renames it into place. SQLite 3.26+ re-parses every
    # trigger on a rename, and the metadata triggers GDAL writes into a GeoPackage
    # (gpkg_metadata_reference_*) do not parse ("NEW.column_nameIS"): with the legacy
    # behaviour the rename leaves triggers alone, as GDAL does itself.
    connection.exec_driver_sql("PRAGMA legacy_alter_table = ON")
# PostgreSQL: alembic_version in the workspace schema (not wherever the search path finds
# one first: public may hold another workspace's or another application's).
context.configure(
    connection=connection,
    render_as_batch=True,
    version_table_schema=context.config.attributes.get("schema"),
)
with context.begin_transaction():
    context.run_migrations()
