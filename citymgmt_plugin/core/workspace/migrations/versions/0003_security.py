"""Security: intake cursors apart from the settings, the districts a login is limited to;
on PostGIS the database sets who and when, audit and history are append-only, and component
versions, history and audit rows are kept by triggers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

On PostGIS, after this revision:

- ``audit_events.actor`` and ``.at`` are set by a trigger to ``session_user`` and ``now()``
  whatever the client sent; ``review_decisions.reviewer``, ``submissions.decided_by`` and
  ``component_photos.added_by`` name ``session_user`` the same way.
- ``audit_events`` and ``component_history`` refuse UPDATE, DELETE and TRUNCATE unless the
  login is the workspace's admin (a superuser, the owner of the schema, or a member of the
  ``<schema>_admin`` role).
- Every INSERT into or UPDATE of ``components``, from the census code, QGIS's attribute
  table or plain SQL, gets its version (1, then +1 when anything recorded changed), change
  date, updated_at, a ``component_history`` row (after an "import" baseline row of the
  state before, when the component had none) and an ``audit_events`` row, both naming
  ``session_user``. The census code only names the operation, the reason and the person it
  acts for (``citymgmt.operation`` / ``.reason`` / ``.actor``, local to the transaction,
  used once; the person goes to the row's ``updated_by`` only, every other writer's is
  ``session_user``) and no longer writes history itself on PostGIS. Identifier, scheme and
  class cannot change.
- An admin may bulk-load components without history (``SET citymgmt.bulk_load = on``): the
  first change later records the loaded state as the baseline.

Names in the functions are schema-qualified, and the trigger functions run with a fixed
search path (``pg_catalog``, PostGIS's schema, ``pg_temp``), so a client's search path (QGIS
connects with ``"$user", public``) cannot redirect them; the small SQL helpers they call
have no path of their own so PostgreSQL can inline them, and are resolved in the trigger's.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from alembic import context, op
from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    MetaData,
    Table,
    Text,
    column,
    delete,
    select,
    table,
    text,
)

from citymgmt_plugin.core.workspace.types import JsonText, UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CURSOR_PREFIX = "intake.cursor."
convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _tables_0003() -> MetaData:
    md = MetaData(naming_convention=convention)
    Table(
        "role_districts",
        md,
        Column("login", Text, primary_key=True),
        Column("district_code", Text, primary_key=True),
        CheckConstraint(
            "length(district_code) IN (6, 9) AND ltrim(district_code, '0123456789') = ''",
            name="code_format",
        ),
    )
    Table(
        "intake_cursors",
        md,
        Column("source_key", Text, primary_key=True),
        Column("cursor", JsonText, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    return md


# {s}: the workspace schema (quoted); {lit}: the same as a string literal; {admin}: the
# literal name of its admin role; {path}: the search path functions run with.
_PG_FUNCTIONS = r"""
CREATE FUNCTION {s}.citymgmt_is_admin() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
      OR pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = {lit}),
                     'MEMBER')
      OR CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {admin})
              THEN pg_has_role(session_user, {admin}, 'MEMBER') ELSE false END
$$;

CREATE FUNCTION {s}.citymgmt_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $$
DECLARE
  stamp jsonb := jsonb_build_object(TG_ARGV[0], session_user::text);
BEGIN
  IF TG_NARGS > 1 THEN
    stamp := stamp || jsonb_build_object(TG_ARGV[1], now());
  END IF;
  NEW := jsonb_populate_record(NEW, stamp);
  RETURN NEW;
END $$;

CREATE FUNCTION {s}.citymgmt_audit_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $$
BEGIN
  NEW.actor := session_user;
  NEW.at := now();
  RETURN NEW;
END $$;

CREATE FUNCTION {s}.citymgmt_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $$
BEGIN
  IF NOT {s}.citymgmt_is_admin() THEN
    RAISE EXCEPTION '%.% is append-only: % refused for % (记录只能追加，不能修改或删除)',
      TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP, session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION {s}.citymgmt_office_today() RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT (now() AT TIME ZONE coalesce(
    (SELECT value FROM {s}.workspace_settings WHERE key = 'timezone'), 'Asia/Shanghai'))::date
$$;

CREATE FUNCTION {s}.citymgmt_anchor(g geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN g IS NULL THEN NULL
    WHEN GeometryType(g) = 'POINT' THEN g
    WHEN GeometryType(g) = 'MULTIPOINT' THEN ST_GeometryN(g, 1)
    WHEN GeometryType(g) = 'LINESTRING' THEN ST_LineInterpolatePoint(g, 0.5)
    WHEN GeometryType(g) = 'MULTILINESTRING' AND GeometryType(ST_LineMerge(g)) = 'LINESTRING'
      THEN ST_LineInterpolatePoint(ST_LineMerge(g), 0.5)
    ELSE ST_PointOnSurface(g)
  END
$$;

CREATE FUNCTION {s}.citymgmt_component_snapshot(r {s}.components) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'identifier', r.identifier, 'scheme', r.scheme, 'class_code', r.class_code,
    'name', r.name, 'dept_code', r.dept_code, 'dept_name', r.dept_name,
    'owner_code', r.owner_code, 'owner_name', r.owner_name,
    'maint_code', r.maint_code, 'maint_name', r.maint_name, 'grid_code', r.grid_code,
    'street_code', r.street_code, 'street_name', r.street_name,
    'community_code', r.community_code, 'community_name', r.community_name,
    'status', r.status, 'initial_date', r.initial_date, 'change_date', r.change_date,
    'data_source', r.data_source, 'accuracy_class', r.accuracy_class, 'note', r.note,
    'version', r.version)
$$;

CREATE FUNCTION {s}.citymgmt_component_changes(o {s}.components, n {s}.components)
RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(
      (SELECT jsonb_object_agg(a.key, jsonb_build_array(a.value, b.value))
         FROM jsonb_each({s}.citymgmt_component_snapshot(o)) a
         JOIN jsonb_each({s}.citymgmt_component_snapshot(n)) b ON b.key = a.key
        WHERE a.key NOT IN ('version', 'change_date') AND a.value IS DISTINCT FROM b.value),
      '{{}}'::jsonb)
    || CASE WHEN o.geom IS DISTINCT FROM n.geom THEN jsonb_build_object('geom',
         jsonb_build_array(NULL::text, round(ST_Distance({s}.citymgmt_anchor(o.geom),
                                                         {s}.citymgmt_anchor(n.geom))::numeric, 3)))
       ELSE '{{}}'::jsonb END
$$;

CREATE FUNCTION {s}.citymgmt_component_operation(diff jsonb, status text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM jsonb_object_keys(diff) k WHERE k NOT IN
      ('geom', 'grid_code', 'street_code', 'street_name', 'community_code', 'community_name'))
      THEN 'move'
    WHEN (SELECT array_agg(k) FROM jsonb_object_keys(diff) k) = ARRAY['status'] THEN
      CASE WHEN status IN ('废弃', '移除') THEN 'retire' ELSE 'status' END
    ELSE 'update'
  END
$$;

CREATE FUNCTION {s}.citymgmt_component_stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = {path} AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.version := 1;
  ELSE
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.identifier IS DISTINCT FROM OLD.identifier
       OR NEW.scheme IS DISTINCT FROM OLD.scheme
       OR NEW.class_code IS DISTINCT FROM OLD.class_code THEN
      RAISE EXCEPTION 'component %: identifier and class cannot change; retire it and place '
        'a new one (部件标识码和类别不可更改)', OLD.identifier
        USING ERRCODE = 'check_violation';
    END IF;
    -- nothing recorded changed (a re-save, or only version / dates / author written):
    -- the row stays as it was
    NEW.version := OLD.version;
    NEW.change_date := OLD.change_date;
    NEW.updated_at := OLD.updated_at;
    NEW.updated_by := OLD.updated_by;
    IF NEW IS NOT DISTINCT FROM OLD THEN
      RETURN NEW;
    END IF;
    NEW.version := OLD.version + 1;
    NEW.change_date := greatest({s}.citymgmt_office_today(), NEW.initial_date);
  END IF;
  NEW.updated_at := now();
  NEW.updated_by := coalesce(nullif(current_setting('citymgmt.actor', true), ''), session_user);
  RETURN NEW;
END $$;

CREATE FUNCTION {s}.citymgmt_component_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
DECLARE
  op text := nullif(current_setting('citymgmt.operation', true), '');
  why text := nullif(current_setting('citymgmt.reason', true), '');
  diff jsonb;
  detail jsonb;
BEGIN
  PERFORM set_config('citymgmt.operation', '', true), set_config('citymgmt.reason', '', true),
          set_config('citymgmt.actor', '', true);
  IF TG_OP = 'INSERT' THEN
    IF current_setting('citymgmt.bulk_load', true) = 'on' AND {s}.citymgmt_is_admin() THEN
      RETURN NULL;
    END IF;
    op := coalesce(op, 'create');
    detail := jsonb_build_object('identifier', NEW.identifier);
  ELSE
    diff := {s}.citymgmt_component_changes(OLD, NEW);
    IF NOT EXISTS (SELECT 1 FROM {s}.component_history h
                    WHERE h.component_id = OLD.id AND h.version = OLD.version) THEN
      INSERT INTO {s}.component_history (component_id, version, operation, changed_at,
                                         changed_by, reason, attributes, changes, geom)
      VALUES (OLD.id, OLD.version, 'import', coalesce(OLD.updated_at, now()),
              coalesce(OLD.updated_by, '?'),
              coalesce(nullif(current_setting('citymgmt.baseline_reason', true), ''),
                       'state before the first recorded change'),
              {s}.citymgmt_component_snapshot(OLD), NULL, OLD.geom);
    END IF;
    op := coalesce(op, {s}.citymgmt_component_operation(diff, NEW.status));
    detail := jsonb_build_object('identifier', NEW.identifier, 'version', NEW.version,
      'fields', (SELECT coalesce(jsonb_agg(k ORDER BY k COLLATE "C"), '[]'::jsonb)
                   FROM jsonb_object_keys(diff) k));
  END IF;
  INSERT INTO {s}.component_history (component_id, version, operation, changed_at, changed_by,
                                     reason, attributes, changes, geom)
  VALUES (NEW.id, NEW.version, op, now(), session_user, why,
          {s}.citymgmt_component_snapshot(NEW), diff, NEW.geom);
  INSERT INTO {s}.audit_events (at, actor, action, table_name, row_id, detail)
  VALUES (now(), session_user, 'census.' || op, 'components', NEW.id, detail);
  RETURN NULL;
END $$;
"""

_PG_TRIGGERS = """
CREATE TRIGGER audit_events_stamp BEFORE INSERT ON {s}.audit_events
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_audit_stamp();
CREATE TRIGGER review_decisions_stamp BEFORE INSERT ON {s}.review_decisions
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_stamp('reviewer');
CREATE TRIGGER submissions_stamp_insert BEFORE INSERT ON {s}.submissions
  FOR EACH ROW WHEN (NEW.decided_by IS NOT NULL)
  EXECUTE FUNCTION {s}.citymgmt_stamp('decided_by');
CREATE TRIGGER submissions_stamp_update BEFORE UPDATE ON {s}.submissions
  FOR EACH ROW WHEN (NEW.decided_by IS NOT NULL AND NEW.decided_by IS DISTINCT FROM OLD.decided_by)
  EXECUTE FUNCTION {s}.citymgmt_stamp('decided_by');
CREATE TRIGGER component_photos_stamp BEFORE INSERT ON {s}.component_photos
  FOR EACH ROW WHEN (NEW.added_by IS NOT NULL)
  EXECUTE FUNCTION {s}.citymgmt_stamp('added_by');
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON {s}.audit_events
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON {s}.audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION {s}.citymgmt_append_only();
CREATE TRIGGER component_history_append_only BEFORE UPDATE OR DELETE ON {s}.component_history
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_append_only();
CREATE TRIGGER component_history_no_truncate BEFORE TRUNCATE ON {s}.component_history
  FOR EACH STATEMENT EXECUTE FUNCTION {s}.citymgmt_append_only();
CREATE TRIGGER components_stamp BEFORE INSERT OR UPDATE ON {s}.components
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_component_stamp();
CREATE TRIGGER components_history_insert AFTER INSERT ON {s}.components
  FOR EACH ROW EXECUTE FUNCTION {s}.citymgmt_component_history();
CREATE TRIGGER components_history_update AFTER UPDATE ON {s}.components
  FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
  EXECUTE FUNCTION {s}.citymgmt_component_history();
ALTER FUNCTION {s}.citymgmt_grid_code_form() SET search_path = {s}, pg_catalog, pg_temp;
"""

_PG_DROP = """
DROP TRIGGER IF EXISTS audit_events_stamp ON {s}.audit_events;
DROP TRIGGER IF EXISTS review_decisions_stamp ON {s}.review_decisions;
DROP TRIGGER IF EXISTS submissions_stamp_insert ON {s}.submissions;
DROP TRIGGER IF EXISTS submissions_stamp_update ON {s}.submissions;
DROP TRIGGER IF EXISTS component_photos_stamp ON {s}.component_photos;
DROP TRIGGER IF EXISTS audit_events_append_only ON {s}.audit_events;
DROP TRIGGER IF EXISTS audit_events_no_truncate ON {s}.audit_events;
DROP TRIGGER IF EXISTS component_history_append_only ON {s}.component_history;
DROP TRIGGER IF EXISTS component_history_no_truncate ON {s}.component_history;
DROP TRIGGER IF EXISTS components_stamp ON {s}.components;
DROP TRIGGER IF EXISTS components_history_insert ON {s}.components;
DROP TRIGGER IF EXISTS components_history_update ON {s}.components;
DROP FUNCTION IF EXISTS {s}.citymgmt_component_history();
DROP FUNCTION IF EXISTS {s}.citymgmt_component_stamp();
DROP FUNCTION IF EXISTS {s}.citymgmt_component_operation(jsonb, text);
DROP FUNCTION IF EXISTS {s}.citymgmt_component_changes({s}.components, {s}.components);
DROP FUNCTION IF EXISTS {s}.citymgmt_component_snapshot({s}.components);
DROP FUNCTION IF EXISTS {s}.citymgmt_anchor(geometry);
DROP FUNCTION IF EXISTS {s}.citymgmt_office_today();
DROP FUNCTION IF EXISTS {s}.citymgmt_append_only();
DROP FUNCTION IF EXISTS {s}.citymgmt_stamp();
DROP FUNCTION IF EXISTS {s}.citymgmt_audit_stamp();
DROP FUNCTION IF EXISTS {s}.citymgmt_is_admin() CASCADE;
ALTER FUNCTION {s}.citymgmt_grid_code_form() RESET search_path;
"""


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _pg_names(bind: Connection) -> dict[str, str]:
    """The placeholders of the SQL above for the schema being upgraded."""
    schema = (
        context.config.attributes.get("schema")
        or bind.execute(text("SELECT current_schema()")).scalar_one()
    )
    postgis = bind.execute(
        text(
            "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'postgis'"
        )
    ).scalar_one()
    return {
        "s": _ident(schema),
        "lit": _literal(schema),
        "admin": _literal(schema + "_admin"),
        "path": f"pg_catalog, {_ident(postgis)}, pg_temp",
    }


def _run(bind: Connection, sql: str) -> None:
    # the driver's cursor, no parameters: '%' and ':' in the bodies stay as written
    cursor = bind.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _move_cursors(bind: Connection, cursors: Table, into_table: bool) -> None:
    """Intake cursors between workspace_settings (0001) and their own table (0003)."""
    settings = table("workspace_settings", column("key"), column("value"))
    if into_table:
        rows = bind.execute(select(settings.c.key, settings.c.value)).all()
        moved = [
            {
                "source_key": key[len(CURSOR_PREFIX) :],
                "cursor": json.loads(value),
                "updated_at": datetime.now(timezone.utc),
            }
            for key, value in rows
            if key.startswith(CURSOR_PREFIX)
        ]
        if moved:
            bind.execute(cursors.insert(), moved)
            bind.execute(
                delete(settings).where(
                    settings.c.key.in_([CURSOR_PREFIX + m["source_key"] for m in moved])
                )
            )
        return
    back = bind.execute(select(cursors.c.source_key, cursors.c.cursor)).all()
    if back:
        bind.execute(
            settings.insert(),
            [{"key": CURSOR_PREFIX + k, "value": json.dumps(v)} for k, v in back],
        )


def upgrade() -> None:
    bind = op.get_bind()
    md = _tables_0003()
    md.create_all(bind)
    _move_cursors(bind, md.tables["intake_cursors"], into_table=True)
    if bind.dialect.name == "postgresql":
        names = _pg_names(bind)
        _run(bind, _PG_FUNCTIONS.format(**names))
        _run(bind, _PG_TRIGGERS.format(**names))


def downgrade() -> None:
    bind = op.get_bind()
    md = _tables_0003()
    if bind.dialect.name == "postgresql":
        _run(bind, _PG_DROP.format(**_pg_names(bind)))
    _move_cursors(bind, md.tables["intake_cursors"], into_table=False)
    md.drop_all(bind)
