"""Census: class-table versions, filing and closing standards per class, points of interest.

- ``class_table_versions``: every class table the workspace has had, with its rows and
  what it changed; version 1 of each is the shipped table (the 17-digit one marked
  provisional: derived from the 16-digit one, the 2026 standard's own codes may differ).
- ``component_classes`` gain ``filing_standard`` and ``closing_standard`` (立案标准 /
  结案标准); ``event_classes`` gain the managing department and the same standards.
- ``poi_categories`` (shipped list), ``pois`` and ``poi_history``: the point-of-interest
  census (兴趣点普查), in the workspace CRS.
- PostGIS: the history and audit rows of components (0003) are written once per statement
  from its transition tables instead of once per row, with the same rows, operations,
  reasons and people: a census apply that changes 50,000 components in a few statements
  is historised set-wise, an edit of one component as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import context, op
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
down_revision = "0005"
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


# {s}: the workspace schema (quoted); {path}: the search path the function runs with.
_PG_STATEMENT_HISTORY = r"""
CREATE FUNCTION {s}.citymgmt_component_history_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
DECLARE
  op text := nullif(current_setting('citymgmt.operation', true), '');
  why text := nullif(current_setting('citymgmt.reason', true), '');
  baseline text := coalesce(nullif(current_setting('citymgmt.baseline_reason', true), ''),
                            'state before the first recorded change');
BEGIN
  PERFORM set_config('citymgmt.operation', '', true), set_config('citymgmt.reason', '', true),
          set_config('citymgmt.actor', '', true);
  IF TG_OP = 'INSERT' THEN
    IF current_setting('citymgmt.bulk_load', true) = 'on' AND {s}.citymgmt_is_admin() THEN
      RETURN NULL;
    END IF;
    INSERT INTO {s}.component_history (component_id, version, operation, changed_at,
                                       changed_by, reason, attributes, changes, geom)
    SELECT n.id, n.version, coalesce(op, 'create'), now(), session_user, why,
           {s}.citymgmt_component_snapshot(n), NULL, n.geom
    FROM new_rows n;
    INSERT INTO {s}.audit_events (at, actor, action, table_name, row_id, detail)
    SELECT now(), session_user, 'census.' || coalesce(op, 'create'), 'components', n.id,
           jsonb_build_object('identifier', n.identifier)
    FROM new_rows n;
    RETURN NULL;
  END IF;
  -- the state before of components without history first (it comes before the change)
  INSERT INTO {s}.component_history (component_id, version, operation, changed_at,
                                     changed_by, reason, attributes, changes, geom)
  SELECT o.id, o.version, 'import', coalesce(o.updated_at, now()), coalesce(o.updated_by, '?'),
         baseline, {s}.citymgmt_component_snapshot(o), NULL, o.geom
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE o.version IS DISTINCT FROM n.version
    AND NOT EXISTS (SELECT 1 FROM {s}.component_history h
                    WHERE h.component_id = o.id AND h.version = o.version)
  ORDER BY o.id;
  WITH c AS MATERIALIZED (
    -- a transition table's rows, kept in a CTE, are plain records: typed again here
    SELECT ROW(o.*)::{s}.components AS o, ROW(n.*)::{s}.components AS n, d.diff,
           coalesce(op, {s}.citymgmt_component_operation(d.diff, n.status)) AS op
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (SELECT {s}.citymgmt_component_changes(o, n) AS diff) d
    WHERE o.version IS DISTINCT FROM n.version
    ORDER BY n.id
  ), hist AS (
    INSERT INTO {s}.component_history (component_id, version, operation, changed_at,
                                       changed_by, reason, attributes, changes, geom)
    SELECT (c.n).id, (c.n).version, c.op, now(), session_user, why,
           {s}.citymgmt_component_snapshot(c.n), c.diff, (c.n).geom
    FROM c
  )
  INSERT INTO {s}.audit_events (at, actor, action, table_name, row_id, detail)
  SELECT now(), session_user, 'census.' || c.op, 'components', (c.n).id,
         jsonb_build_object('identifier', (c.n).identifier, 'version', (c.n).version,
           'fields', (SELECT coalesce(jsonb_agg(k ORDER BY k COLLATE "C"), '[]'::jsonb)
                        FROM jsonb_object_keys(c.diff) k))
  FROM c;
  RETURN NULL;
END $$;
DROP TRIGGER components_history_insert ON {s}.components;
DROP TRIGGER components_history_update ON {s}.components;
CREATE TRIGGER components_history_insert AFTER INSERT ON {s}.components
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {s}.citymgmt_component_history_rows();
CREATE TRIGGER components_history_update AFTER UPDATE ON {s}.components
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION {s}.citymgmt_component_history_rows();
"""

# back to 0003's triggers: one row at a time (its function stays in place)
_PG_ROW_HISTORY = """
DROP TRIGGER components_history_insert ON {s}.components;
DROP TRIGGER components_history_update ON {s}.components;
DROP FUNCTION {s}.citymgmt_component_history_rows();
CREATE TRIGGER components_history_insert AFTER INSERT ON {s}.components
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_component_history();
CREATE TRIGGER components_history_update AFTER UPDATE ON {s}.components
  FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
  EXECUTE FUNCTION {s}.citymgmt_component_history();
"""


def _pg_names(bind: sa.Connection) -> dict[str, str]:
    """The workspace schema (quoted) and the search path the functions run with."""
    schema = (
        context.config.attributes.get("schema")
        or bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    )
    postgis = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'postgis'"
        )
    ).scalar_one()
    quote = '"{}"'.format
    return {
        "s": quote(schema.replace('"', '""')),
        "path": f"pg_catalog, {quote(postgis.replace(chr(34), chr(34) * 2))}, pg_temp",
    }


def _run(bind: sa.Connection, sql: str) -> None:
    # the driver's cursor, no parameters: '%' and ':' in the bodies stay as written
    cursor = bind.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _run(bind, _PG_STATEMENT_HISTORY.format(**_pg_names(bind)))
    for table, columns in ADDED_COLUMNS.items():
        kept = {c["name"] for c in sa.inspect(bind).get_columns(table)}  # a GeoPackage's, below
        for name in columns:
            if name not in kept:
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
    if bind.dialect.name == "postgresql":
        _run(bind, _PG_ROW_HISTORY.format(**_pg_names(bind)))
    md = sa.MetaData(naming_convention=convention)
    _versions_table(md)
    _poi_tables(md, _workspace_srid(bind))
    md.drop_all(bind, tables=[md.tables[n] for n in NEW_TABLES])
    if bind.dialect.name != "postgresql":
        # A GeoPackage keeps the added columns (empty, nullable, unknown to 0002): SQLite's
        # ALTER TABLE re-reads the whole schema, and the GeoPackage metadata triggers
        # SpatiaLite writes do not parse, so DROP COLUMN fails there. Upgrading again
        # takes them as they are.
        return
    for table, columns in ADDED_COLUMNS.items():
        for name in columns:
            op.drop_column(table, name)
