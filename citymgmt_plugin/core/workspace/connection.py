"""Connecting to a workspace: schema state, upgrade with given credentials, saved form.

:mod:`.store` knows specs, engines and migrations; this module adds what a connection dialog
needs: tell what state a workspace's schema is in, upgrade it with credentials resolved
beforehand, and write a spec back as a string that holds no password. Opening a workspace
whose spec names a QGIS authentication configuration is :mod:`..qgis.connection`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..i18n import tr
from .credentials import Credentials, attach_fixed_credentials, credentials_scope
from .store import (
    MIGRATIONS_DIR,
    UpgradeOptions,
    WorkspaceError,
    WorkspaceSpec,
    create_workspace_engine,
    upgrade,
)

# Schema states
NEW_FILE = "new_file"  # GeoPackage path that does not exist yet
EMPTY = "empty"  # reachable, no city-management schema
OUTDATED = "outdated"  # older revision than this plugin's head
CURRENT = "current"
NEWER = "newer"  # a revision this plugin does not know (made by a newer version)


@dataclass(frozen=True)
class SchemaState:
    state: str
    revision: str = ""
    head: str = ""

    def describe(self) -> str:
        if self.state == NEW_FILE:
            return tr("Workspace", "New GeoPackage: the schema will be created in a new file.")
        if self.state == EMPTY:
            return tr("Workspace", "No city-management schema yet.")
        if self.state == OUTDATED:
            return tr("Workspace", "Schema revision {0}: an upgrade to {1} is available.").format(
                self.revision, self.head
            )
        if self.state == NEWER:
            return tr(
                "Workspace",
                "Schema revision {0} is newer than this plugin knows ({1}): update the plugin.",
            ).format(self.revision, self.head)
        return tr("Workspace", "Schema up to date (revision {0}).").format(self.revision)


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() or ""


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision) is not None
    except Exception:
        return False


def spec_to_string(spec: WorkspaceSpec) -> str:
    """The spec in the form :meth:`WorkspaceSpec.parse` reads, never with a password."""
    if spec.kind == "gpkg":
        return spec.path + (f"|authcfg={spec.authcfg}" if spec.authcfg else "")
    if spec.service:
        out = f"service={spec.service} schema={spec.schema}"
        return out + (f" authcfg={spec.authcfg}" if spec.authcfg else "")
    url = make_url(spec.url)._replace(password=None)
    query = dict(url.query)
    query["schema"] = spec.schema
    if spec.authcfg:
        query["authcfg"] = spec.authcfg
    base = url.set(query={}).render_as_string(hide_password=False)
    return f"{base}?{urlencode(query)}"


def connect_error(spec: WorkspaceSpec, exc: Exception) -> WorkspaceError:
    """A translated "cannot connect" error naming ``spec`` and the driver's first line."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return WorkspaceError(
        tr("Workspace", "Cannot connect to {0}: {1}").format(
            spec.display(), detail[0] if detail else type(exc).__name__
        )
    )


def schema_state(spec: WorkspaceSpec, credentials: Credentials | None = None) -> SchemaState:
    """Whether ``spec`` has no schema, an older one or the current one; never creates files."""
    head = head_revision()
    if spec.kind == "gpkg" and not Path(spec.path).exists():
        return SchemaState(NEW_FILE, "", head)
    engine = create_workspace_engine(spec)
    if credentials is not None:
        attach_fixed_credentials(engine, credentials)
    try:
        with engine.connect() as conn:
            where = spec.schema if spec.kind == "postgres" else None
            tables = set(inspect(conn).get_table_names(schema=where))
            if "alembic_version" not in tables or "workspace_settings" not in tables:
                return SchemaState(EMPTY, "", head)
            table = f'"{spec.schema}".alembic_version' if where else "alembic_version"
            revision = conn.execute(text(f"SELECT version_num FROM {table}")).scalar() or ""
    except SQLAlchemyError as exc:
        raise connect_error(spec, exc) from exc
    finally:
        engine.dispose()
    if not revision:
        return SchemaState(EMPTY, "", head)
    if revision == head:
        return SchemaState(CURRENT, revision, head)
    if not _known_revision(revision):
        return SchemaState(NEWER, revision, head)
    return SchemaState(OUTDATED, revision, head)


def upgrade_workspace(
    spec: WorkspaceSpec,
    options: UpgradeOptions | None = None,
    credentials: Credentials | None = None,
) -> str:
    """:func:`store.upgrade` with ``credentials`` (resolved beforehand) for PostgreSQL."""
    try:
        with credentials_scope(credentials):
            return upgrade(spec, options)
    except SQLAlchemyError as exc:
        raise connect_error(spec, exc) from exc
