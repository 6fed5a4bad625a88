"""Opening a workspace from QGIS: a spec's ``authcfg`` resolved through QGIS authentication.

A PostgreSQL spec with an ``authcfg`` gets its user name and password at each new connection
(:func:`..qgis.auth.attach_credentials`); a GeoPackage's ``authcfg`` only names who works in
it. Schema state, upgrade and the saved form of a spec are :mod:`..workspace.connection`.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from ..workspace.connection import connect_error
from ..workspace.credentials import Credentials
from ..workspace.store import Workspace, WorkspaceSpec, create_workspace_engine
from .auth import attach_credentials, resolve_authcfg


def credentials_for(spec: WorkspaceSpec) -> Credentials | None:
    """Resolve the spec's authcfg now (main thread), or None when it has none."""
    if spec.kind != "postgres" or not spec.authcfg:
        return None
    return resolve_authcfg(spec.authcfg)


def open_workspace(spec: WorkspaceSpec | str) -> Workspace:
    """Open ``spec``; an ``authcfg`` is resolved through QGIS at each new connection.

    A GeoPackage's ``authcfg`` only names who works in it: its user name is the actor.
    """
    if isinstance(spec, str):
        spec = WorkspaceSpec.parse(spec)
    if spec.kind == "gpkg" and spec.authcfg:
        user = resolve_authcfg(spec.authcfg).username
        try:
            return Workspace.open(spec, auth_user=user)
        except SQLAlchemyError as exc:
            raise connect_error(spec, exc) from exc
    if spec.kind == "gpkg" or not spec.authcfg:
        try:
            return Workspace.open(spec)
        except SQLAlchemyError as exc:
            raise connect_error(spec, exc) from exc
    resolve_authcfg(spec.authcfg)  # fail early, and in the calling (main) thread
    engine = attach_credentials(create_workspace_engine(spec), spec.authcfg)
    try:
        return Workspace(spec, engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise connect_error(spec, exc) from exc
    except Exception:
        engine.dispose()
        raise
