"""Office roles on PostGIS: one set of group roles per workspace, their grants, and the
districts a login is limited to (row-level security).

``<schema>_admin``, ``_editor``, ``_reviewer``, ``_intake`` and ``_viewer`` are NOLOGIN
group roles; a person's login is made a member of one or more (:func:`grant_role`). What each
may do is :data:`GRANTS` (PostgreSQL refuses the rest); the README shows it as a table.
A login listed in ``role_districts`` sees and writes only the rows of its districts (6-digit
district or 9-digit street admin-unit codes): components and submissions by their unit-grid
code, their history, photos, versions, attachments and decisions through them, thematic
features by position. Logins without rows, admins and the workspace owner are not limited.

Everything here is idempotent: :func:`create_roles` creates what is missing and sets the
grants and policies anew (run it again after an upgrade or a new thematic table). It needs
the owner of the workspace's tables with the right to create roles (CREATEROLE) - the login
that ran ``db upgrade``, normally. Admins may then grant and revoke the other roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, select, text

from ..i18n import tr
from ..sqlnames import SqlNameError, check_name, qualified, quote
from .store import Workspace, WorkspaceError, audit

ROLES = ("admin", "editor", "reviewer", "intake", "viewer")
DISTRICT_ROLES = ("editor", "reviewer", "viewer")  # a --district limit means something for

READ = ("SELECT",)
ADD = ("SELECT", "INSERT")  # append: audit, history-like tables
WRITE = ("SELECT", "INSERT", "UPDATE")  # nothing deleted
EDIT = ("SELECT", "INSERT", "UPDATE", "DELETE")  # map layers edited in QGIS

_WRITTEN_BACK = "UPDATE (written_back)"
_SENT = "UPDATE (attempts, last_error, sent_at)"

# What each role may do beyond reading every table (admin: everything, everywhere).
GRANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "audit_events": {"editor": ADD, "reviewer": ADD, "intake": ADD},
    "components": {"editor": WRITE, "reviewer": WRITE},
    "identifier_counters": {"editor": WRITE, "reviewer": WRITE},
    "component_photos": {"editor": ADD, "reviewer": ADD},
    "main_roads": {"editor": EDIT},
    "patrol_routes": {"editor": EDIT},
    "track_points": {"editor": EDIT},
    "submissions": {"reviewer": ("SELECT", "UPDATE"), "intake": WRITE},
    "submission_versions": {"intake": ADD},
    "submission_attachments": {"intake": WRITE},
    "submission_attachment_versions": {"intake": ADD},  # photos an edit replaced (kept)
    "submission_links": {"intake": ("SELECT", "INSERT", "DELETE")},  # judged anew at ingest
    # a decision stays as it was made; who drains the outbox only marks it written back
    "review_decisions": {
        "reviewer": ("SELECT", "INSERT", _WRITTEN_BACK),
        "intake": ("SELECT", _WRITTEN_BACK),
    },
    "submission_outbox": {
        "reviewer": ("SELECT", "INSERT", _SENT),
        "intake": ("SELECT", _SENT),
    },
    "intake_cursors": {"intake": WRITE},
    # the case loop: the desk imports cases and makes tasks, reviewers and pulls apply results
    "cases": {"editor": WRITE, "reviewer": WRITE, "intake": WRITE},
    "case_history": {"editor": ADD, "reviewer": ADD, "intake": ADD},
    "tasks": {"editor": WRITE, "reviewer": WRITE, "intake": WRITE},
}
THEMATIC_GRANTS = {"editor": EDIT}  # every thematic layer's own table
ADMIN_ONLY = ("role_districts",)  # not even read by others (they ask the functions below)

# Row-level security: limited by the unit-grid code, or through the parent row.
GRID_SCOPED = ("components", "submissions", "cases")
CHILD_SCOPED = {
    "component_history": ("components", "component_id"),
    "component_photos": ("components", "component_id"),
    "submission_versions": ("submissions", "submission_id"),
    "submission_attachments": ("submissions", "submission_id"),
    "submission_attachment_versions": ("submissions", "submission_id"),
    "review_decisions": ("submissions", "submission_id"),
    "submission_links": ("submissions", "submission_id"),
    "submission_outbox": ("review_decisions", "decision_id"),
    "case_history": ("cases", "case_id"),
    "tasks": ("cases", "case_id"),
}
POLICY = "citymgmt_districts"

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION {s}.citymgmt_limited() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = {path} AS $$
  SELECT EXISTS (SELECT 1 FROM {s}.role_districts WHERE login = session_user)
     AND NOT {s}.citymgmt_is_admin()
$$;
CREATE OR REPLACE FUNCTION {s}.citymgmt_my_districts() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = {path} AS $$
  SELECT coalesce(array_agg(district_code ORDER BY district_code), '{{}}'::text[])
    FROM {s}.role_districts WHERE login = session_user
$$;
CREATE OR REPLACE FUNCTION {s}.citymgmt_in_my_districts(g geometry) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = {path} AS $$
  SELECT g IS NOT NULL AND EXISTS (
    SELECT 1 FROM {s}.admin_units a
     WHERE a.code = ANY ({s}.citymgmt_my_districts()) AND a.geom && g
       AND ST_Intersects(a.geom, g))
$$;
"""
_UNLIMITED = "NOT (SELECT {s}.citymgmt_limited())"
_MINE = "CAST((SELECT {s}.citymgmt_my_districts()) AS text[])"  # an InitPlan: once a query


class SecurityError(WorkspaceError):
    """Roles cannot be set up or granted as asked (message translated)."""


@dataclass(frozen=True)
class Member:
    login: str
    roles: tuple[str, ...]  # admin, editor … (without the schema prefix)
    districts: tuple[str, ...]  # empty: not limited


def role_names(schema: str) -> dict[str, str]:
    """{"admin": "<schema>_admin", …}; refused when a name would pass PostgreSQL's 63."""
    try:
        return {r: check_name(f"{schema}_{r}", tr("Security", "Role name")) for r in ROLES}
    except SqlNameError as exc:
        raise SecurityError(
            tr("Security", "The schema name is too long for its role names: {0}").format(exc)
        ) from None


def require_postgres(ws: Workspace) -> None:
    if not ws.is_postgres:
        raise SecurityError(
            tr(
                "Security",
                "Roles and districts are PostgreSQL's: a GeoPackage is one person's file, "
                "protected by the file's own permissions.",
            )
        )
    if "role_districts" not in inspect(ws.engine).get_table_names(schema=ws.spec.schema):
        raise SecurityError(
            tr("Security", "This workspace's schema is too old for roles: run db upgrade first.")
        )


def existing_roles(conn: Connection, names: Iterable[str]) -> set[str]:
    rows = conn.execute(
        text("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(:n)"),
        {"n": list(names)},
    )
    return {r[0] for r in rows}


def _postgis_schema(conn: Connection) -> str:
    return conn.execute(
        text(
            "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'postgis'"
        )
    ).scalar_one()


def _tables(conn: Connection, schema: str) -> list[str]:
    return sorted(inspect(conn).get_table_names(schema=schema))


def _thematic_tables(conn: Connection, ws: Workspace, tables: list[str]) -> list[str]:
    reg = ws.schema.thematic_layers
    names = set(conn.execute(select(reg.c.table_name)).scalars())
    return [t for t in tables if t in names]


def _sequences(conn: Connection, schema: str, table: str) -> list[str]:
    """The sequences feeding ``table``'s columns (serial or identity)."""
    rows = conn.execute(
        text(
            "SELECT s.relname FROM pg_catalog.pg_class s "
            "JOIN pg_catalog.pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
            "WHERE s.relkind = 'S' AND n.nspname = :schema AND t.relname = :table"
        ),
        {"schema": schema, "table": table},
    )
    return [r[0] for r in rows]


def privileges(table: str, role: str, thematic: bool = False) -> tuple[str, ...]:
    """What ``role`` may do with ``table`` (admin: everything)."""
    if role == "admin":
        return (*EDIT, "TRUNCATE", "REFERENCES", "TRIGGER")
    if table in ADMIN_ONLY:
        return ()
    if thematic:
        return THEMATIC_GRANTS.get(role, READ)
    return GRANTS.get(table, {}).get(role, READ)


def _grant_table(
    conn: Connection, schema: str, table: str, names: dict[str, str], thematic: bool
) -> None:
    t = qualified(schema, table)
    seqs = _sequences(conn, schema, table)
    for role, name in names.items():
        conn.execute(text(f"REVOKE ALL ON {t} FROM {quote(name)}"))
        privs = privileges(table, role, thematic)
        if privs:
            conn.execute(text(f"GRANT {', '.join(privs)} ON {t} TO {quote(name)}"))
        for seq in seqs:
            usage = "USAGE, SELECT" if "INSERT" in privs else "SELECT"  # nextval: INSERT
            conn.execute(
                text(f"GRANT {usage} ON SEQUENCE {qualified(schema, seq)} TO {quote(name)}")
            )


def _scope_table(conn: Connection, schema: str, table: str, condition: str) -> None:
    """Row-level security on ``table``: one policy for every command and role."""
    t = qualified(schema, table)
    s = quote(schema)
    expr = f"{_UNLIMITED.format(s=s)} OR {condition}"
    conn.execute(text(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"))
    conn.execute(text(f"DROP POLICY IF EXISTS {POLICY} ON {t}"))
    conn.execute(text(f"CREATE POLICY {POLICY} ON {t} USING ({expr}) WITH CHECK ({expr})"))


def _grid_condition(schema: str) -> str:
    mine = _MINE.format(s=quote(schema))
    return f"substr(grid_code, 1, 6) = ANY ({mine}) OR substr(grid_code, 1, 9) = ANY ({mine})"


def _child_condition(schema: str, parent: str, column: str) -> str:
    return f"EXISTS (SELECT 1 FROM {qualified(schema, parent)} p WHERE p.id = {quote(column)})"


def _thematic_condition(schema: str) -> str:
    return f"{quote(schema)}.citymgmt_in_my_districts(geom)"


def _functions_sql(conn: Connection, schema: str) -> str:
    path = f"pg_catalog, {quote(_postgis_schema(conn))}, pg_temp"
    return _FUNCTIONS.format(s=quote(schema), path=path)


def _run(conn: Connection, sql: str) -> None:
    """A script without parameters through the driver (its ``%`` and ``:`` stay)."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def create_roles(ws: Workspace) -> list[str]:
    """Create the workspace's group roles (when missing), grant each what it needs and
    switch row-level security on; returns the role names. Idempotent."""
    require_postgres(ws)
    schema = ws.spec.schema
    names = role_names(schema)
    with ws.begin() as conn:
        existing = existing_roles(conn, names.values())
        for name in names.values():
            if name not in existing:
                conn.execute(text(f"CREATE ROLE {quote(name)} NOLOGIN"))
        _grant_schema(conn, schema, names)
        tables = _tables(conn, schema)
        thematic = set(_thematic_tables(conn, ws, tables))
        for table in tables:
            _grant_table(conn, schema, table, names, table in thematic)
        _run(conn, _functions_sql(conn, schema))
        _scope_tables(conn, schema, thematic)
        audit(
            conn, ws.schema, ws.actor, "security.roles", None, None, {"roles": list(names.values())}
        )
    return list(names.values())


def _grant_schema(conn: Connection, schema: str, names: dict[str, str]) -> None:
    s = quote(schema)
    for role, name in names.items():
        conn.execute(text(f"GRANT USAGE ON SCHEMA {s} TO {quote(name)}"))
        if role != "admin":  # admins may make members of the other roles
            conn.execute(text(f"GRANT {quote(name)} TO {quote(names['admin'])} WITH ADMIN OPTION"))
    conn.execute(text(f"GRANT CREATE ON SCHEMA {s} TO {quote(names['admin'])}"))


def _scope_tables(conn: Connection, schema: str, thematic: Iterable[str]) -> None:
    for table in GRID_SCOPED:
        _scope_table(conn, schema, table, _grid_condition(schema))
    for table, (parent, column) in CHILD_SCOPED.items():
        _scope_table(conn, schema, table, _child_condition(schema, parent, column))
    for table in thematic:
        _scope_table(conn, schema, table, _thematic_condition(schema))


def secure_new_table(conn: Connection, ws: Workspace, table: str) -> bool:
    """A thematic table just made (inside ``conn``'s transaction) gets the grants and the
    district policy of :func:`create_roles`, when the workspace has roles; True when so."""
    if not ws.is_postgres:
        return False
    schema = ws.spec.schema
    names = role_names(schema)
    if existing_roles(conn, names.values()) != set(names.values()):
        return False
    _grant_table(conn, schema, table, names, thematic=True)
    _scope_table(conn, schema, table, _thematic_condition(schema))
    return True
