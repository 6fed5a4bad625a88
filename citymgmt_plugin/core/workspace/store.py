"""Workspaces: where the city-management tables live, and how to open and upgrade them.

A workspace is either a GeoPackage file (one person, demos, tests) or a schema in an office
PostGIS database. Both are opened as a SQLAlchemy engine over the same table definitions
(:mod:`.model`) and upgraded by the same alembic migrations.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, Engine, create_engine, event, select, text

from ..i18n import tr
from ..private_files import private_dir, private_file
from ..sqlnames import SqlNameError, check_name, quote
from .schema import DEFAULT_SRID, Schema, build_metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_PG_SCHEMA = "citymgmt"
# Where a workspace's actor (the person named in every decision, edit and audit row) comes from
ACTOR_DATABASE = "database"  # the PostgreSQL login (session_user)
ACTOR_QGIS_AUTH = "qgis_auth"  # the user name of the QGIS authentication configuration
ACTOR_SYSTEM = "system"  # the operating-system login


# The search path of a workspace connection: its schema, then the schema of the PostGIS
# extension (for PostGIS's functions and types; usually public) and nothing else. Text SQL
# and triggers find the workspace's tables first; SQLAlchemy statements are qualified anyway.
SEARCH_PATH_SQL = """
SELECT set_config('search_path', format('%%I, %%I', %(schema)s, coalesce(
  (SELECT n.nspname FROM pg_catalog.pg_extension e
     JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'),
  'public')), false)
"""


class WorkspaceError(Exception):
    """A workspace cannot be opened or is not in the state asked for (message translated)."""


@dataclass(frozen=True)
class WorkspaceSpec:
    """Where a workspace is: a GeoPackage path, a PostgreSQL URL or a pg_service name.

    Passwords are never part of a spec that is saved: a QGIS authentication configuration
    id (``authcfg``) or the pg_service file / ~/.pgpass supplies them at connect time.
    A GeoPackage may name one too (``office.gpkg|authcfg=abc1234``): its user name is then
    the workspace's actor instead of the operating-system login.
    """

    kind: str  # "gpkg" | "postgres"
    path: str = ""
    url: str = ""  # postgresql URL without password, or empty when service is used
    service: str = ""
    schema: str = DEFAULT_PG_SCHEMA
    authcfg: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def parse(value: str) -> WorkspaceSpec:
        """Read ``file.gpkg``, ``postgresql://…[?schema=x]`` or ``service=NAME [schema=x]``."""
        value = value.strip()
        if value.startswith(("postgresql://", "postgres://", "postgresql+psycopg2://")):
            parts = urlsplit(value)
            query = dict(parse_qsl(parts.query))
            schema = query.pop("schema", DEFAULT_PG_SCHEMA)
            authcfg = query.pop("authcfg", "")
            url = urlunsplit(
                ("postgresql+psycopg2", parts.netloc, parts.path, urlencode(query), "")
            )
            return WorkspaceSpec("postgres", url=url, schema=_check_schema(schema), authcfg=authcfg)
        if value.startswith("service="):
            items = dict(item.split("=", 1) for item in value.split() if "=" in item)
            return WorkspaceSpec(
                "postgres",
                service=items["service"],
                schema=_check_schema(items.get("schema", DEFAULT_PG_SCHEMA)),
                authcfg=items.get("authcfg", ""),
            )
        path, _, options = value.partition("|")
        if path.lower().endswith(".gpkg"):
            items = dict(item.split("=", 1) for item in options.split("|") if "=" in item)
            return WorkspaceSpec(
                "gpkg",
                path=str(Path(path).expanduser().resolve()),
                authcfg=items.get("authcfg", "").strip(),
            )
        raise WorkspaceError(
            tr(
                "Workspace",
                "Not a workspace: give a .gpkg path, a postgresql:// URL or service=NAME.",
            )
        )

    def display(self) -> str:
        if self.kind == "gpkg":
            return self.path
        where = f"service={self.service}" if self.service else _hide_password(self.url)
        return f"{where} schema={self.schema}"


def _check_schema(name: str) -> str:
    """``name`` when it is a safe schema name (no quotes, newlines, look-alikes, ≤ 63)."""
    try:
        return check_name(name, tr("Workspace", "Schema name"))
    except SqlNameError as exc:
        raise WorkspaceError(str(exc)) from None


def _hide_password(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def spatialite_library() -> str:
    return os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")


def create_workspace_engine(spec: WorkspaceSpec, password: str | None = None, **kw: Any) -> Engine:
    """An engine for ``spec``; GeoPackage connections load SpatiaLite in GeoPackage mode."""
    if spec.kind == "gpkg":
        from geoalchemy2.admin.dialects.geopackage import load_spatialite_gpkg

        os.environ.setdefault("SPATIALITE_LIBRARY_PATH", spatialite_library())
        engine = create_engine(f"gpkg:///{spec.path}", **kw)

        def _on_connect(dbapi_conn: Any, record: Any) -> None:
            load_spatialite_gpkg(dbapi_conn, record)
            # GeoAlchemy2 leaves SpatiaLite in "amphibious" mode, which writes SpatiaLite
            # blobs; GPKG mode writes standard GeoPackage geometry blobs that GDAL, QGIS
            # and every other GeoPackage reader understand.
            dbapi_conn.execute("SELECT EnableGpkgMode()")
            dbapi_conn.execute("PRAGMA foreign_keys = ON")
            dbapi_conn.execute("PRAGMA busy_timeout = 10000")

        event.listen(engine, "connect", _on_connect)
        return engine

    connect_args: dict[str, Any] = {"application_name": "citymgmt"}
    if spec.service:
        connect_args["service"] = spec.service
        url = "postgresql+psycopg2://"
    else:
        url = spec.url
    if password is not None:
        connect_args["password"] = password
    # Every table SQLAlchemy names is qualified with the workspace schema, so nothing
    # resolves through another schema of the search path (public may hold another
    # workspace or another application's tables of the same names).
    options = dict(kw.pop("execution_options", None) or {})
    options["schema_translate_map"] = {None: spec.schema}
    engine = create_engine(
        url, connect_args=connect_args, pool_pre_ping=True, execution_options=options, **kw
    )
    schema = spec.schema

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_conn: Any, record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(SEARCH_PATH_SQL, {"schema": schema})
        dbapi_conn.commit()

    return engine


class Workspace:
    """An open workspace: engine, tables for its CRS, its settings, and who works in it.

    ``actor`` is the person every decision, edit and audit row of this session names,
    found once when the workspace opens (:func:`find_actor`); ``actor_source`` says how.
    """

    def __init__(self, spec: WorkspaceSpec, engine: Engine, auth_user: str = "") -> None:
        self.spec = spec
        self.engine = engine
        self.settings = read_settings(engine, spec.schema if spec.kind == "postgres" else None)
        if not self.settings:
            raise WorkspaceError(
                tr("Workspace", "{0} has no city-management schema yet: create it first.").format(
                    spec.display()
                )
            )
        self.srid = int(self.settings.get("srid", DEFAULT_SRID))
        self.schema: Schema = build_metadata(self.srid)
        self.actor, self.actor_source = find_actor(engine, auth_user)

    @classmethod
    def open(
        cls, spec: WorkspaceSpec | str, password: str | None = None, auth_user: str = ""
    ) -> Workspace:
        """Open ``spec``; ``auth_user`` is the QGIS authentication user of a GeoPackage."""
        if isinstance(spec, str):
            spec = WorkspaceSpec.parse(spec)
        if spec.kind == "gpkg" and not Path(spec.path).exists():
            raise WorkspaceError(tr("Workspace", "No such GeoPackage: {0}").format(spec.path))
        return cls(spec, create_workspace_engine(spec, password), auth_user)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name  # "postgresql" | "geopackage"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: everything inside commits together or rolls back whole."""
        with self.engine.begin() as conn:
            yield conn

    def setting(self, key: str, default: str = "") -> str:
        return self.settings.get(key, default)

    def close(self) -> None:
        self.engine.dispose()


def read_settings(engine: Engine, schema: str | None = None) -> dict[str, str]:
    """The workspace's settings; {} when ``schema`` (PostgreSQL) holds no workspace."""
    from sqlalchemy import inspect

    if "workspace_settings" not in inspect(engine).get_table_names(schema=schema):
        return {}
    md = build_metadata(DEFAULT_SRID)
    with engine.connect() as conn:
        rows = conn.execute(select(md.workspace_settings)).all()
    return {r.key: r.value for r in rows}


def find_actor(engine: Engine, auth_user: str = "") -> tuple[str, str]:
    """(actor, source): who works in the workspace of ``engine``.

    PostgreSQL: the database login (``session_user``), whoever supplied the credentials.
    GeoPackage: ``auth_user`` (the user name of the QGIS authentication configuration the
    workspace was opened with) when given, else the operating-system login.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar_one()), ACTOR_DATABASE
    if auth_user.strip():
        return auth_user.strip(), ACTOR_QGIS_AUTH
    return system_login(), ACTOR_SYSTEM


def describe_actor(ws: Workspace | None) -> str:
    """The docks' "Signed in as li (database login)" line, translated."""
    if ws is None:
        return tr("Workspace", "Not signed in: no workspace is open.")
    how = {
        ACTOR_DATABASE: tr("Workspace", "database login"),
        ACTOR_QGIS_AUTH: tr("Workspace", "QGIS authentication"),
        ACTOR_SYSTEM: tr("Workspace", "system login"),
    }.get(ws.actor_source, ws.actor_source)
    return tr("Workspace", "Signed in as {0} ({1})").format(ws.actor, how)


def system_login() -> str:
    """The operating-system login (as ``getpass`` finds it), else the numeric user id."""
    try:
        return getpass.getuser()
    except Exception:  # no LOGNAME/USER/USERNAME and no passwd entry (some containers)
        uid = getattr(os, "getuid", None)
        return f"uid {uid()}" if uid is not None else "?"


def audit(
    conn: Connection,
    schema: Schema,
    actor: str,
    action: str,
    table_name: str | None = None,
    row_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record who did what, inside the caller's transaction."""
    # Values as parameters, not .values(): one statement shape, compiled once and cached
    # (bulk work such as applying a census writes thousands of these).
    conn.execute(
        schema.audit_events.insert(),
        {
            "at": datetime.now(timezone.utc),
            "actor": actor,
            "action": action,
            "table_name": table_name,
            "row_id": row_id,
            "detail": detail,
        },
    )


@dataclass(frozen=True)
class UpgradeOptions:
    """Settings fixed when a workspace is created (ignored on later upgrades)."""

    srid: int = DEFAULT_SRID
    grid_code_legacy14: bool = False
    component_scheme: str = "legacy16"
    photo_storage: str = "database"  # or "files"
    timezone: str = "Asia/Shanghai"


def upgrade(
    spec: WorkspaceSpec | str,
    options: UpgradeOptions | None = None,
    password: str | None = None,
    revision: str = "head",
) -> str:
    """Create or upgrade the schema of a workspace to ``revision``; returns the revision."""
    from alembic import command
    from alembic.config import Config

    if isinstance(spec, str):
        spec = WorkspaceSpec.parse(spec)
    options = options or UpgradeOptions()
    if spec.kind == "gpkg" and not Path(spec.path).exists():
        # positions, photos and collector ids: the owner's to read (0600 in a 0700 folder)
        private_dir(Path(spec.path).parent)
        private_file(spec.path)
    engine = create_workspace_engine(spec, password)
    try:
        with engine.begin() as conn:
            if spec.kind == "postgres":
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {quote(spec.schema)}"))
                conn.exec_driver_sql(SEARCH_PATH_SQL, {"schema": spec.schema})
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            cfg.attributes["connection"] = conn
            cfg.attributes["options"] = options
            # alembic's version table lives in the workspace schema, never in public
            cfg.attributes["schema"] = spec.schema if spec.kind == "postgres" else None
            command.upgrade(cfg, revision)
            return current_revision(conn) or ""
    finally:
        engine.dispose()


def current_revision(conn: Connection) -> str | None:
    """The alembic revision of the workspace ``conn`` reaches (its own schema's table)."""
    from alembic.runtime.migration import MigrationContext

    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    opts = {"version_table_schema": schema} if schema else {}
    return MigrationContext.configure(conn, opts=opts).get_current_revision()


def with_schema(spec: WorkspaceSpec, schema: str) -> WorkspaceSpec:
    return replace(spec, schema=_check_schema(schema))
