"""Initial city-management schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import context, op

from citymgmt_plugin.core.codes import default_component_classes, default_event_classes
from citymgmt_plugin.core.workspace.model import build_metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_LEGACY14_PG = """
CREATE OR REPLACE FUNCTION citymgmt_grid_code_form() RETURNS trigger AS $$
BEGIN
  IF length(NEW.code) = 14 AND coalesce(
      (SELECT value FROM workspace_settings WHERE key = 'grid_code_legacy14'), '0') <> '1' THEN
    RAISE EXCEPTION 'unit grid code % has 14 digits: this workspace uses 15-digit codes '
      '(单元网格代码应为15位)', NEW.code USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER unit_grids_code_form BEFORE INSERT OR UPDATE OF code ON unit_grids
  FOR EACH ROW EXECUTE FUNCTION citymgmt_grid_code_form();
"""

_LEGACY14_SQLITE = [
    f"""
CREATE TRIGGER unit_grids_code_form_{event.split()[0].lower()} BEFORE {event} ON unit_grids
WHEN length(NEW.code) = 14 AND coalesce(
  (SELECT value FROM workspace_settings WHERE key = 'grid_code_legacy14'), '0') <> '1'
BEGIN
  SELECT RAISE(ABORT, 'unit grid code has 14 digits: this workspace uses 15-digit codes \
(单元网格代码应为15位)');
END
"""
    for event in ("INSERT", "UPDATE OF code")
]


def upgrade() -> None:
    opts = context.config.attributes["options"]
    bind = op.get_bind()
    # A fresh, uncached MetaData: GeoAlchemy2's create events adjust the table objects per
    # dialect, so one instance must not serve a GeoPackage and then PostGIS.
    schema = build_metadata.__wrapped__(opts.srid)
    schema.metadata.create_all(bind)
    if bind.dialect.name == "postgresql":
        op.execute(_LEGACY14_PG)
    else:
        for ddl in _LEGACY14_SQLITE:
            op.execute(ddl)
    op.bulk_insert(
        schema.workspace_settings,
        [
            {"key": "srid", "value": str(opts.srid)},
            {"key": "grid_code_legacy14", "value": "1" if opts.grid_code_legacy14 else "0"},
            {"key": "component_scheme", "value": opts.component_scheme},
            {"key": "photo_storage", "value": opts.photo_storage},
            {"key": "timezone", "value": opts.timezone},
        ],
    )
    for scheme in ("legacy16", "std17"):
        op.bulk_insert(
            schema.component_classes,
            [
                {
                    "scheme": scheme,
                    "code": c.code,
                    "major_code": c.major_code,
                    "major_name": c.major_name,
                    "name": c.name,
                    "geometry_kind": c.geometry_kind,
                }
                for c in default_component_classes(scheme)
            ],
        )
    op.bulk_insert(
        schema.event_classes,
        [
            {"code": c.code, "major_code": c.major_code, "major_name": c.major_name, "name": c.name}
            for c in default_event_classes()
        ],
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS citymgmt_grid_code_form() CASCADE")
    opts = context.config.attributes.get("options")
    build_metadata(opts.srid if opts else 4549).metadata.drop_all(bind)
