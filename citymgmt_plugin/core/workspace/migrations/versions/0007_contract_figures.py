"""Contract figures: duty roster, 漏报 candidates, spot checks, coded reject reasons,
contractors, and GPS track points partitioned by week on PostGIS.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

On PostGIS ``track_points`` becomes a table partitioned by range of ``fix_time``, one
partition per local week (Monday 00:00 in the workspace's time zone, named
``track_points_wYYYYMMDD``) and a default partition for anything else; its primary key is
(collector_code, fix_time, id), which also serves the per-collector time queries; its
spatial index is a BRIN (``brin_geometry_inclusion_ops_2d``): fixes arrive in time order,
collector by collector, so block ranges are compact, and a week's BRIN is built in a tenth
of a GiST's time, which is what lets an import reach 200,000 fixes a second. Every existing
row is kept (same id) in the partition of its week. On a GeoPackage the table stays as it
is (R-tree).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import context, op
from geoalchemy2 import Geometry
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from citymgmt_plugin.core.workspace.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The tables and values as this revision made them, frozen (see 0001).
ROSTER_STATUSES = ("on_duty", "absent", "leave", "off")
MISSED_STATES = ("candidate", "confirmed", "dismissed")
MISSED_SOURCES = ("case", "spot_check")
SPOT_CHECK_STATES = ("planned", "done")
REJECT_REASONS = (
    "wrong_class",
    "wrong_position",
    "below_standard",
    "repeat",
    "not_a_problem",
    "other",
)
NEW_TABLES = ("duty_roster", "spot_checks", "spot_check_findings", "missed_reports")

convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(col: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{col} IN ({quoted})"


def _geom(srid: int, nullable: bool = False) -> Column:
    return Column("geom", Geometry("POINT", srid=srid, spatial_index=True), nullable=nullable)


def _tables_0007(srid: int) -> MetaData:
    md = MetaData(naming_convention=convention)
    Table("collectors", md, Column("id", Integer, primary_key=True), Column("code", Text))
    Table("unit_grids", md, Column("id", Integer, primary_key=True), Column("code", Text))
    Table(
        "duty_roster",
        md,
        Column("collector_code", Text, ForeignKey("collectors.code"), primary_key=True),
        Column("day", Date, primary_key=True),
        Column("status", Text, nullable=False),
        Column("note", Text),
        Column("updated_at", UtcDateTime, nullable=False),
        Column("updated_by", Text, nullable=False),
        CheckConstraint(_in("status", ROSTER_STATUSES), name="status"),
        Index("ix_duty_roster_day", "day"),
    )
    Table(
        "spot_checks",
        md,
        Column("id", Integer, primary_key=True),
        Column("grid_code", Text, ForeignKey("unit_grids.code"), nullable=False),
        Column("planned_for", Date, nullable=False),
        Column("state", Text, nullable=False, default="planned"),
        Column("checked_at", UtcDateTime),
        Column("inspector", Text),
        Column("note", Text),
        Column("created_at", UtcDateTime, nullable=False),
        Column("created_by", Text, nullable=False),
        CheckConstraint(_in("state", SPOT_CHECK_STATES), name="state"),
        CheckConstraint("state = 'planned' OR checked_at IS NOT NULL", name="checked"),
        UniqueConstraint("grid_code", "planned_for"),
    )
    Table(
        "spot_check_findings",
        md,
        Column("id", Integer, primary_key=True),
        Column("spot_check_id", Integer, ForeignKey("spot_checks.id"), nullable=False),
        Column("found_at", UtcDateTime, nullable=False),
        Column("kind", Text, nullable=False),
        Column("class_code", Text, nullable=False),
        Column("description", Text),
        Column("created_by", Text, nullable=False),
        _geom(srid),
        CheckConstraint("kind IN ('component', 'event')", name="kind"),
    )
    Table(
        "missed_reports",
        md,
        Column("id", Integer, primary_key=True),
        Column("source", Text, nullable=False),
        Column("source_id", Integer, nullable=False),
        Column("channel", Text, nullable=False),
        Column("ref", Text),
        Column("kind", Text, nullable=False),
        Column("class_code", Text),
        Column("found_at", UtcDateTime, nullable=False),
        Column("grid_code", Text),
        Column("district_code", Text),
        Column("collector_code", Text, nullable=False),
        Column("patrolled_at", UtcDateTime, nullable=False),
        Column("state", Text, nullable=False, default="candidate"),
        Column("decided_by", Text),
        Column("decided_at", UtcDateTime),
        Column("note", Text),
        Column("created_at", UtcDateTime, nullable=False),
        _geom(srid),
        CheckConstraint(_in("state", MISSED_STATES), name="state"),
        CheckConstraint(_in("source", MISSED_SOURCES), name="source"),
        CheckConstraint("state = 'candidate' OR decided_at IS NOT NULL", name="decided"),
        UniqueConstraint("source", "source_id", "collector_code"),
        Index("ix_missed_reports_state", "state"),
        Index("ix_missed_reports_collector_code", "collector_code"),
    )
    return md


def _setting(key: str, default: str) -> str:
    row = (
        op.get_bind()
        .execute(text("SELECT value FROM workspace_settings WHERE key = :k"), {"k": key})
        .first()
    )
    return row[0] if row is not None and row[0] else default


def _srid() -> int:
    opts = context.config.attributes.get("options")
    return int(_setting("srid", str(opts.srid if opts else 4549)))


def upgrade() -> None:
    bind = op.get_bind()
    md = _tables_0007(_srid())
    md.create_all(bind, tables=[md.tables[name] for name in NEW_TABLES])
    op.execute("ALTER TABLE collectors ADD COLUMN contractor TEXT")
    op.execute(
        "ALTER TABLE review_decisions ADD COLUMN reason_code TEXT "
        "CONSTRAINT ck_review_decisions_reason_code CHECK (reason_code IS NULL OR "
        + _in("reason_code", REJECT_REASONS)
        + ")"
    )
    if bind.dialect.name == "postgresql":
        _partition_track_points(_srid(), _setting("timezone", "Asia/Shanghai"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        _unpartition_track_points(_srid())
    with op.batch_alter_table("review_decisions") as batch:
        batch.drop_constraint("ck_review_decisions_reason_code", type_="check")
        batch.drop_column("reason_code")
    with op.batch_alter_table("collectors") as batch:
        batch.drop_column("contractor")
    md = _tables_0007(_srid())
    md.drop_all(bind, tables=[md.tables[name] for name in reversed(NEW_TABLES)])


# -- track points by week (PostGIS) -----------------------------------------------------------
_COLUMNS = "id, collector_code, device_id, fix_time, accuracy_m, speed_kmh, geom"


def _monday_bounds(monday: date, tz: str) -> tuple[str, str]:
    zone = ZoneInfo(tz)
    a = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    nxt = monday + timedelta(days=7)
    b = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
    return a.isoformat(sep=" "), b.isoformat(sep=" ")


def _partition_track_points(srid: int, tz: str) -> None:
    """The plain table becomes a partitioned one; every row is kept, with its id."""
    for sql in (
        "ALTER TABLE track_points RENAME TO track_points_0001",
        "ALTER TABLE track_points_0001 RENAME CONSTRAINT pk_track_points TO pk_track_points_0001",
        "ALTER INDEX IF EXISTS ix_track_points_collector_time RENAME TO ix_track_points_0001_ct",
        "ALTER INDEX IF EXISTS idx_track_points_geom RENAME TO idx_track_points_0001_geom",
        "ALTER SEQUENCE IF EXISTS track_points_id_seq RENAME TO track_points_0001_id_seq",
        "CREATE SEQUENCE track_points_id_seq",
        f"""CREATE TABLE track_points (
              id bigint NOT NULL DEFAULT nextval('track_points_id_seq'),
              collector_code text NOT NULL,
              device_id text,
              fix_time timestamptz NOT NULL,
              accuracy_m double precision,
              speed_kmh double precision,
              geom geometry(POINT, {int(srid)}) NOT NULL,
              CONSTRAINT pk_track_points PRIMARY KEY (collector_code, fix_time, id),
              CONSTRAINT ck_track_points_accuracy CHECK (accuracy_m IS NULL OR accuracy_m >= 0)
            ) PARTITION BY RANGE (fix_time)""",
        "ALTER SEQUENCE track_points_id_seq OWNED BY track_points.id",
        "CREATE INDEX idx_track_points_geom ON track_points "
        "USING brin (geom brin_geometry_inclusion_ops_2d)",
        "CREATE TABLE track_points_default PARTITION OF track_points DEFAULT",
    ):
        op.execute(sql)
    bind = op.get_bind()
    mondays = bind.execute(
        text(
            "SELECT DISTINCT date_trunc('week', fix_time AT TIME ZONE :tz)::date "
            "FROM track_points_0001"
        ),
        {"tz": tz},
    ).scalars()
    for monday in sorted(mondays):
        a, b = _monday_bounds(monday, tz)
        op.execute(
            f"CREATE TABLE track_points_w{monday:%Y%m%d} PARTITION OF track_points "
            f"FOR VALUES FROM ('{a}') TO ('{b}')"
        )
    op.execute(f"INSERT INTO track_points ({_COLUMNS}) SELECT {_COLUMNS} FROM track_points_0001")
    op.execute(
        "SELECT setval('track_points_id_seq', coalesce((SELECT max(id) FROM track_points), 0) "
        "+ 1, false)"
    )
    _copy_grants("track_points_0001", "track_points")
    op.execute("DROP TABLE track_points_0001")


def _copy_grants(old: str, new: str) -> None:
    """The privileges other roles had on the old table, on the new one."""
    rows = (
        op.get_bind()
        .execute(
            text(
                "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
                "WHERE table_schema = current_schema() AND table_name = :t "
                "AND grantee <> current_user"
            ),
            {"t": old},
        )
        .all()
    )
    for grantee, privilege in rows:
        ident = '"' + grantee.replace('"', '""') + '"'
        op.execute(f"GRANT {privilege} ON {new} TO {ident}")
    seq = (
        op.get_bind()
        .execute(
            text(
                "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
                "WHERE table_schema = current_schema() AND table_name = :t "
                "AND privilege_type = 'INSERT' AND grantee <> current_user"
            ),
            {"t": old},
        )
        .scalars()
    )
    for grantee in seq:
        ident = '"' + grantee.replace('"', '""') + '"'
        op.execute(f"GRANT USAGE ON SEQUENCE track_points_id_seq TO {ident}")


def _unpartition_track_points(srid: int) -> None:
    for sql in (
        "ALTER TABLE track_points RENAME TO track_points_0007",
        "ALTER TABLE track_points_0007 RENAME CONSTRAINT pk_track_points TO pk_track_points_0007",
        "ALTER INDEX idx_track_points_geom RENAME TO idx_track_points_0007_geom",
        "ALTER SEQUENCE track_points_id_seq RENAME TO track_points_0007_id_seq",
        f"""CREATE TABLE track_points (
              id serial NOT NULL,
              collector_code text NOT NULL,
              device_id text,
              fix_time timestamptz NOT NULL,
              accuracy_m double precision,
              speed_kmh double precision,
              geom geometry(POINT, {int(srid)}) NOT NULL,
              CONSTRAINT pk_track_points PRIMARY KEY (id),
              CONSTRAINT ck_track_points_accuracy CHECK (accuracy_m IS NULL OR accuracy_m >= 0)
            )""",
        f"INSERT INTO track_points ({_COLUMNS}) SELECT {_COLUMNS} FROM track_points_0007",
        "SELECT setval('track_points_id_seq', coalesce((SELECT max(id) FROM track_points), 0) "
        "+ 1, false)",
        "CREATE INDEX ix_track_points_collector_time ON track_points (collector_code, fix_time)",
        "CREATE INDEX idx_track_points_geom ON track_points USING gist (geom)",
        "DROP TABLE track_points_0007 CASCADE",
    ):
        op.execute(sql)
