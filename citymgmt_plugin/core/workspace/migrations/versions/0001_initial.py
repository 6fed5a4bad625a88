"""Initial city-management schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import context, op
from geoalchemy2 import Geometry
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from citymgmt_plugin.core.codes import default_component_classes, default_event_classes
from citymgmt_plugin.core.workspace.types import Blob, JsonText, UtcDateTime

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


# The schema as this revision made it, frozen: later revisions change it step by step
# (op.create_table, op.add_column …), and citymgmt_plugin/core/workspace/schema/ is the
# definition at the newest revision.
COMPONENT_STATUSES = ("完好", "破损", "丢失", "废弃", "移除")
RETIRED_STATUSES = ("废弃", "移除")
DATA_SOURCES = ("实测", "地形图", "基础地理数据", "其他")
ACCURACY_CLASSES = ("A", "B", "C")
ACCURACY_TOLERANCE_M = {"A": 0.5, "B": 1.0, "C": 10.0}
ADMIN_LEVELS = {"district": 6, "street": 9, "community": 12}
GEOMETRY_KINDS = ("point", "line", "polygon")
SUBMISSION_STATES = (
    "pending",  # received, waiting for review
    "quarantined",  # invalid: kept with its raw payload and reason
    "accepted",  # became a new component or an event case
    "updated",  # updated a stored component
    "duplicate",
    "rejected",
    "has_issues",  # sent back to the collector
)
REVIEW_DECISIONS = ("accept_new", "update_existing", "duplicate", "reject", "has_issues")
ROAD_KINDS = ("main_road", "window_area")
COMPONENT_SCHEMES = ("legacy16", "std17")

convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _digits(col: str, *lengths: int) -> str:
    """SQL that holds when ``col`` is all digits and of one of ``lengths``."""
    lens = ", ".join(str(n) for n in lengths)
    return f"length({col}) IN ({lens}) AND ltrim({col}, '0123456789') = ''"


def _in(col: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{col} IN ({quoted})"


def _geom(kind: str, srid: int, nullable: bool = False) -> Column:
    # spatial_index=True: GeoAlchemy2 builds a GiST index (PostGIS) or the gpkg R-tree.
    return Column("geom", Geometry(kind, srid=srid, spatial_index=True), nullable=nullable)


def _tables_0001(srid: int) -> MetaData:  # long: a frozen snapshot of the schema, kept whole
    md = MetaData(naming_convention=convention)

    Table(
        "workspace_settings",
        md,
        Column("key", Text, primary_key=True),
        Column("value", Text, nullable=False),
    )

    Table(
        "admin_units",
        md,
        Column("id", Integer, primary_key=True),
        Column("level", Text, nullable=False),
        Column("code", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("parent_code", Text, ForeignKey("admin_units.code")),
        _geom("MULTIPOLYGON", srid),
        CheckConstraint(_in("level", tuple(ADMIN_LEVELS)), name="level"),
        CheckConstraint(
            "(level = 'district' AND " + _digits("code", 6) + ") OR "
            "(level = 'street' AND " + _digits("code", 9) + ") OR "
            "(level = 'community' AND " + _digits("code", 12) + ")",
            name="code_format",
        ),
        CheckConstraint(
            "parent_code IS NULL OR substr(code, 1, length(parent_code)) = parent_code",
            name="code_under_parent",
        ),
    )

    # 15 digits: county (6) + street (3) + community (3) + sequence (3); the legacy 14-digit
    # form (+2) is allowed by the check and refused by a trigger unless the workspace enables
    # it (setting grid_code_legacy14 = '1'), see migrations.
    Table(
        "unit_grids",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", Text, nullable=False, unique=True),
        Column("community_code", Text, ForeignKey("admin_units.code"), nullable=False),
        Column("responsible", Text),
        Column("area_m2", Float),
        _geom("MULTIPOLYGON", srid),
        CheckConstraint(_digits("code", 14, 15), name="code_format"),
        CheckConstraint("substr(code, 1, 12) = community_code", name="code_in_community"),
    )

    Table(
        "resp_grids",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("street_code", Text, ForeignKey("admin_units.code")),
        _geom("MULTIPOLYGON", srid, nullable=True),
        CheckConstraint("length(code) BETWEEN 1 AND 32", name="code_format"),
    )

    Table(
        "resp_grid_units",
        md,
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code"), primary_key=True),
        Column("unit_grid_code", Text, ForeignKey("unit_grids.code"), primary_key=True),
        UniqueConstraint("unit_grid_code"),  # a unit grid answers to one responsibility grid
    )

    Table(
        "collectors",
        md,
        Column("id", Integer, primary_key=True),
        Column("code", Text, nullable=False, unique=True),
        Column("name", Text, nullable=False),
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code")),
        Column("device_id", Text),
        Column("active", Boolean, nullable=False, default=True),
    )

    Table(
        "component_classes",
        md,
        Column("scheme", Text, primary_key=True),
        Column("code", Text, primary_key=True),
        Column("major_code", Text, nullable=False),
        Column("major_name", Text, nullable=False),
        Column("name", Text, nullable=False),
        Column("geometry_kind", Text, nullable=False, default="point"),
        Column("department_code", Text),
        Column("department_name", Text),
        CheckConstraint(_in("scheme", COMPONENT_SCHEMES), name="scheme"),
        CheckConstraint(_in("geometry_kind", GEOMETRY_KINDS), name="geometry_kind"),
        CheckConstraint(
            "(scheme = 'legacy16' AND " + _digits("code", 4) + ") OR "
            "(scheme = 'std17' AND " + _digits("code", 5) + ")",
            name="code_format",
        ),
        CheckConstraint("substr(code, 1, 2) = major_code", name="code_in_major"),
    )

    Table(
        "event_classes",
        md,
        Column("code", Text, primary_key=True),
        Column("major_code", Text, nullable=False),
        Column("major_name", Text, nullable=False),
        Column("name", Text, nullable=False),
        CheckConstraint(_digits("code", 4), name="code_format"),
    )

    # Identifier: county (6) + class code (4 legacy / 5 std17) + serial (6).
    Table(
        "components",
        md,
        Column("id", Integer, primary_key=True),
        Column("identifier", Text, nullable=False, unique=True),
        Column("scheme", Text, nullable=False),
        Column("class_code", Text, nullable=False),
        Column("name", Text, nullable=False),
        Column("dept_code", Text, nullable=False),
        Column("dept_name", Text, nullable=False),
        Column("owner_code", Text),
        Column("owner_name", Text),
        Column("maint_code", Text),
        Column("maint_name", Text),
        Column("grid_code", Text, ForeignKey("unit_grids.code"), nullable=False),
        Column("street_code", Text),
        Column("street_name", Text),
        Column("community_code", Text),
        Column("community_name", Text),
        Column("status", Text, nullable=False, default="完好"),
        Column("initial_date", Date, nullable=False),
        Column("change_date", Date),
        Column("data_source", Text, nullable=False, default="实测"),
        Column("accuracy_class", Text, nullable=False, default="B"),
        Column("note", Text),
        Column("version", Integer, nullable=False, default=1),
        Column("updated_at", UtcDateTime),
        Column("updated_by", Text),
        _geom("GEOMETRY", srid),
        ForeignKeyConstraint(
            ["scheme", "class_code"], ["component_classes.scheme", "component_classes.code"]
        ),
        CheckConstraint(_in("status", COMPONENT_STATUSES), name="status"),
        CheckConstraint(_in("data_source", DATA_SOURCES), name="data_source"),
        CheckConstraint(_in("accuracy_class", ACCURACY_CLASSES), name="accuracy_class"),
        CheckConstraint(
            "(scheme = 'legacy16' AND " + _digits("identifier", 16) + ") OR "
            "(scheme = 'std17' AND " + _digits("identifier", 17) + ")",
            name="identifier_format",
        ),
        CheckConstraint(
            "substr(identifier, 7, length(class_code)) = class_code", name="identifier_class"
        ),
        CheckConstraint(
            "substr(identifier, 1, 6) = substr(grid_code, 1, 6)", name="identifier_county"
        ),
        CheckConstraint("change_date IS NULL OR change_date >= initial_date", name="dates"),
        Index("ix_components_grid_code", "grid_code"),
        Index("ix_components_class", "scheme", "class_code"),
    )

    # Next free serial per county and class; row-locked while an identifier is allocated.
    Table(
        "identifier_counters",
        md,
        Column("county_code", Text, primary_key=True),
        Column("scheme", Text, primary_key=True),
        Column("class_code", Text, primary_key=True),
        Column("next_serial", Integer, nullable=False),
        CheckConstraint("next_serial BETWEEN 1 AND 1000000", name="serial_range"),
    )

    Table(
        "component_photos",
        md,
        Column("id", Integer, primary_key=True),
        Column("component_id", Integer, ForeignKey("components.id"), nullable=False),
        Column("filename", Text, nullable=False),
        Column("sha256", Text, nullable=False),
        Column("mime", Text, nullable=False, default="image/jpeg"),
        Column("taken_at", UtcDateTime),
        Column("exif_lon", Float),
        Column("exif_lat", Float),
        Column("content", Blob),  # in the database, or ...
        Column("path", Text),  # ... a file next to it, as the workspace decides
        Column("added_at", UtcDateTime, nullable=False),
        Column("added_by", Text),
        CheckConstraint("content IS NOT NULL OR path IS NOT NULL", name="stored"),
        UniqueConstraint("component_id", "sha256"),
    )

    Table(
        "component_history",
        md,
        Column("id", Integer, primary_key=True),
        Column("component_id", Integer, ForeignKey("components.id"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("operation", Text, nullable=False),
        Column("changed_at", UtcDateTime, nullable=False),
        Column("changed_by", Text, nullable=False),
        Column("reason", Text),
        Column("attributes", JsonText, nullable=False),  # full snapshot of the version
        Column("changes", JsonText),  # {field: [old, new]}
        _geom("GEOMETRY", srid, nullable=True),
        UniqueConstraint("component_id", "version"),
        CheckConstraint(
            _in("operation", ("create", "update", "move", "status", "retire", "import")),
            name="operation",
        ),
    )

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
        CheckConstraint(_in("geometry_kind", GEOMETRY_KINDS), name="geometry_kind"),
    )

    Table(
        "main_roads",
        md,
        Column("id", Integer, primary_key=True),
        Column("kind", Text, nullable=False, default="main_road"),
        Column("name", Text, nullable=False),
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code")),
        _geom("MULTILINESTRING", srid),
        CheckConstraint(_in("kind", ROAD_KINDS), name="kind"),
    )

    Table(
        "patrol_routes",
        md,
        Column("id", Integer, primary_key=True),
        Column("collector_code", Text, ForeignKey("collectors.code"), nullable=False),
        Column("resp_grid_code", Text, ForeignKey("resp_grids.code")),
        Column("valid_from", Date),
        _geom("MULTILINESTRING", srid),
    )

    Table(
        "track_points",
        md,
        Column("id", Integer, primary_key=True),
        Column("collector_code", Text, nullable=False),
        Column("device_id", Text),
        Column("fix_time", UtcDateTime, nullable=False),
        Column("accuracy_m", Float),
        Column("speed_kmh", Float),
        _geom("POINT", srid),
        Index("ix_track_points_collector_time", "collector_code", "fix_time"),
        CheckConstraint("accuracy_m IS NULL OR accuracy_m >= 0", name="accuracy"),
    )

    Table(
        "submissions",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", Text, nullable=False),  # e.g. odk:project/form, file:..., inbox
        Column("instance_id", Text, nullable=False),
        Column("server_version", Text),  # instanceID of the current edit, or updatedAt
        Column("collector_code", Text),
        Column("collector_name", Text),
        Column("device_id", Text),
        Column("observed_at", UtcDateTime),
        Column("received_at", UtcDateTime, nullable=False),
        Column("server_updated_at", UtcDateTime),
        Column("kind", Text),  # component / event
        Column("category_code", Text),
        Column("description", Text),
        Column("raw_x", Float),
        Column("raw_y", Float),
        Column("raw_crs", Text),
        Column("crs_flag", Text),  # e.g. suspected_gcj02
        Column("grid_code", Text),
        Column("state", Text, nullable=False, default="pending"),
        Column("quarantine_reason", Text),
        Column("payload", JsonText, nullable=False),
        Column("attachments", JsonText),
        Column("row_version", Integer, nullable=False, default=1),
        Column("decided_at", UtcDateTime),
        Column("decided_by", Text),
        _geom("POINT", srid, nullable=True),
        UniqueConstraint("source", "instance_id"),
        CheckConstraint(_in("state", SUBMISSION_STATES), name="state"),
        CheckConstraint(
            "state <> 'quarantined' OR quarantine_reason IS NOT NULL", name="quarantine_reason"
        ),
        CheckConstraint("kind IS NULL OR kind IN ('component', 'event')", name="kind"),
        Index("ix_submissions_state", "state"),
    )

    Table(
        "submission_versions",
        md,
        Column("id", Integer, primary_key=True),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("server_version", Text),
        Column("replaced_at", UtcDateTime, nullable=False),
        Column("payload", JsonText, nullable=False),
    )

    Table(
        "submission_attachments",
        md,
        Column("id", Integer, primary_key=True),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("name", Text, nullable=False),
        Column("etag", Text),
        Column("sha256", Text),
        Column("mime", Text),
        Column("content", Blob),
        Column("path", Text),
        Column("exif_time", UtcDateTime),
        Column("exif_lon", Float),
        Column("exif_lat", Float),
        Column("problem", Text),  # unreadable, EXIF disagrees with the submission, ...
        UniqueConstraint("submission_id", "name"),
    )

    Table(
        "review_decisions",
        md,
        Column("id", Integer, primary_key=True),
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
        Column("decision", Text, nullable=False),
        Column("reason", Text),
        Column("component_id", Integer, ForeignKey("components.id")),
        Column("reviewer", Text, nullable=False),
        Column("decided_at", UtcDateTime, nullable=False),
        Column("written_back", Boolean, nullable=False, default=False),
        CheckConstraint(_in("decision", REVIEW_DECISIONS), name="decision"),
    )

    Table(
        "audit_events",
        md,
        Column("id", Integer, primary_key=True),
        Column("at", UtcDateTime, nullable=False),
        Column("actor", Text, nullable=False),
        Column("action", Text, nullable=False),
        Column("table_name", Text),
        Column("row_id", Integer),
        Column("detail", JsonText),
    )

    return md


def upgrade() -> None:
    opts = context.config.attributes["options"]
    bind = op.get_bind()
    # A fresh MetaData each time: GeoAlchemy2's create events adjust the table objects per
    # dialect, so one instance must not serve a GeoPackage and then PostGIS.
    md = _tables_0001(opts.srid)
    md.create_all(bind)
    tables = md.tables
    if bind.dialect.name == "postgresql":
        op.execute(_LEGACY14_PG)
    else:
        for ddl in _LEGACY14_SQLITE:
            op.execute(ddl)
    op.bulk_insert(
        tables["workspace_settings"],
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
            tables["component_classes"],
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
        tables["event_classes"],
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
    _tables_0001(opts.srid if opts else 4549).drop_all(bind)
