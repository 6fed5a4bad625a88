"""Census: class-table versions, filing and closing standards per class, points of interest.

- ``class_table_versions``: every class table the workspace has had, with its rows and
  what it changed; version 1 of each is the shipped table (the 17-digit one marked
  provisional: derived from the 16-digit one, the 2026 standard's own codes may differ).
- ``component_classes`` gain ``filing_standard`` and ``closing_standard`` (立案标准 /
  结案标准); ``event_classes`` gain the managing department and the same standards.
- ``poi_categories`` (shipped list), ``pois`` and ``poi_history``: the point-of-interest
  census (兴趣点普查), in the workspace CRS.

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

from citymgmt_plugin.core.codes import (
    default_component_classes,
    default_event_classes,
    default_poi_categories,
    id_schemes,
)
from citymgmt_plugin.core.paths import resource
from citymgmt_plugin.core.workspace.types import JsonText, UtcDateTime

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen at this revision.
DATA_SOURCES = ("实测", "地形图", "基础地理数据", "其他")
POI_STATUSES = ("正常", "停业", "移除")
OPERATIONS = ("create", "update", "move", "status", "retire", "import")
convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(col: str, values: tuple[str, ...]) -> str:
    return f"{col} IN ({', '.join(repr(v) for v in values)})"


def _digits(col: str, n: int) -> str:
    return f"length({col}) = {n} AND ltrim({col}, '0123456789') = ''"


def _versions_table(md: sa.MetaData) -> sa.Table:
    return sa.Table(
        "class_table_versions",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("scheme", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("loaded_at", UtcDateTime, nullable=False),
        sa.Column("loaded_by", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("sha256", sa.Text),
        sa.Column("is_default", sa.Boolean, nullable=False, default=False),
        sa.Column("provisional", sa.Boolean, nullable=False, default=False),
        sa.Column("class_count", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("classes", JsonText, nullable=False),
        sa.Column("changes", JsonText),
        sa.UniqueConstraint("kind", "scheme", "version"),
        sa.CheckConstraint(_in("kind", ("component", "event")), name="kind"),
    )


NEW_TABLES = ("class_table_versions", "poi_categories", "pois", "poi_history")


def _poi_tables(md: sa.MetaData, srid: int) -> None:
    sa.Table("unit_grids", md, sa.Column("code", sa.Text, primary_key=True))  # referred to

    def geom(nullable: bool = False) -> sa.Column:
        return sa.Column(
            "geom", Geometry("POINT", srid=srid, spatial_index=True), nullable=nullable
        )

    sa.Table(
        "poi_categories",
        md,
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("major_code", sa.Text, nullable=False),
        sa.Column("major_name", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.CheckConstraint(_digits("code", 4), name="code_format"),
        sa.CheckConstraint("substr(code, 1, 2) = major_code", name="code_in_major"),
    )
    sa.Table(
        "pois",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("identifier", sa.Text, nullable=False, unique=True),
        sa.Column("category_code", sa.Text, sa.ForeignKey("poi_categories.code"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("address", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("door_number", sa.Text),
        sa.Column("grid_code", sa.Text, sa.ForeignKey("unit_grids.code"), nullable=False),
        sa.Column("street_code", sa.Text),
        sa.Column("street_name", sa.Text),
        sa.Column("community_code", sa.Text),
        sa.Column("community_name", sa.Text),
        sa.Column("status", sa.Text, nullable=False, default="正常"),
        sa.Column("initial_date", sa.Date, nullable=False),
        sa.Column("change_date", sa.Date),
        sa.Column("data_source", sa.Text, nullable=False, default="实测"),
        sa.Column("note", sa.Text),
        sa.Column("version", sa.Integer, nullable=False, default=1),
        sa.Column("updated_at", UtcDateTime),
        sa.Column("updated_by", sa.Text),
        geom(),
        sa.CheckConstraint(_in("status", POI_STATUSES), name="status"),
        sa.CheckConstraint(_in("data_source", DATA_SOURCES), name="data_source"),
        sa.CheckConstraint(_digits("identifier", 16), name="identifier_format"),
        sa.CheckConstraint("substr(identifier, 7, 4) = category_code", name="identifier_category"),
        sa.CheckConstraint(
            "substr(identifier, 1, 6) = substr(grid_code, 1, 6)", name="identifier_county"
        ),
        sa.CheckConstraint("change_date IS NULL OR change_date >= initial_date", name="dates"),
        sa.Index("ix_pois_grid_code", "grid_code"),
        sa.Index("ix_pois_category", "category_code"),
    )
    sa.Table(
        "poi_history",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("poi_id", sa.Integer, sa.ForeignKey("pois.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("operation", sa.Text, nullable=False),
        sa.Column("changed_at", UtcDateTime, nullable=False),
        sa.Column("changed_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("attributes", JsonText, nullable=False),
        sa.Column("changes", JsonText),
        geom(nullable=True),
        sa.UniqueConstraint("poi_id", "version"),
        sa.CheckConstraint(_in("operation", OPERATIONS), name="operation"),
    )


def _workspace_srid(bind: sa.Connection) -> int:
    value = bind.execute(sa.text("SELECT value FROM workspace_settings WHERE key = 'srid'"))
    return int(value.scalar() or 4549)


def _shipped_versions() -> list[dict]:
    """Version 1 of each class table: the shipped ones."""
    now = datetime.now(timezone.utc)
    out = []
    tables = [("component", s, default_component_classes(s), f) for s, f in
              ((name, sch.classes_file) for name, sch in id_schemes().items())]  # fmt: skip
    tables.append(("event", "event", default_event_classes(), "event_classes.csv"))
    for kind, scheme, classes, file in tables:
        rows = [{"code": c.code, "major_code": c.major_code, "major_name": c.major_name,
                 "name": c.name, **({"geometry_kind": c.geometry_kind} if kind == "component"
                                    else {})} for c in classes]  # fmt: skip
        out.append(
            {
                "kind": kind, "scheme": scheme, "version": 1, "loaded_at": now,
                "loaded_by": "citymgmt", "source": file,
                "sha256": hashlib.sha256(resource("codes", file).read_bytes()).hexdigest(),
                "is_default": True, "provisional": scheme == "std17",
                "class_count": len(rows), "note": None, "classes": rows, "changes": None,
            }
        )  # fmt: skip
    return out


ADDED_COLUMNS = {
    "component_classes": ("filing_standard", "closing_standard"),
    "event_classes": ("department_code", "department_name", "filing_standard", "closing_standard"),
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, columns in ADDED_COLUMNS.items():
        for name in columns:
            op.add_column(table, sa.Column(name, sa.Text))
    md = sa.MetaData(naming_convention=convention)
    versions = _versions_table(md)
    _poi_tables(md, _workspace_srid(bind))
    md.create_all(bind, tables=[md.tables[n] for n in NEW_TABLES])
    op.bulk_insert(versions, _shipped_versions())
    op.bulk_insert(
        md.tables["poi_categories"],
        [{"code": c.code, "major_code": c.major_code, "major_name": c.major_name,
          "name": c.name} for c in default_poi_categories()],
    )  # fmt: skip


def downgrade() -> None:
    bind = op.get_bind()
    md = sa.MetaData(naming_convention=convention)
    _versions_table(md)
    _poi_tables(md, _workspace_srid(bind))
    md.drop_all(bind, tables=[md.tables[n] for n in NEW_TABLES])
    if bind.dialect.name != "postgresql":
        # A GeoPackage keeps the added columns (empty, nullable, unknown to 0002): SQLite's
        # ALTER TABLE re-reads the whole schema, and the GeoPackage metadata triggers
        # SpatiaLite writes do not parse, so DROP COLUMN fails there.
        return
    for table, columns in ADDED_COLUMNS.items():
        for name in columns:
            op.drop_column(table, name)
