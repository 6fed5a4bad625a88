"""QGIS authentication configurations as the source of database credentials.

A workspace spec names a QGIS authentication configuration by id (``authcfg``); the user name
and password stay in QGIS's encrypted authentication database. They are read when SQLAlchemy
opens a connection (the ``do_connect`` event) and handed to the driver, never kept on the
spec, the engine URL, the settings or the project.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from ..i18n import tr
from ..workspace.store import WorkspaceError

SUPPORTED_METHODS = ("Basic",)


@dataclass(frozen=True)
class Credentials:
    """User name and password read from the authentication database (held in memory only)."""

    username: str = ""
    password: str = field(default="", repr=False)

    def apply(self, cparams: dict[str, Any]) -> None:
        if self.username:
            cparams["user"] = self.username
        if self.password:
            cparams["password"] = self.password


def resolve_authcfg(authcfg: str) -> Credentials:
    """Read ``authcfg`` through ``QgsApplication.authManager()``; WorkspaceError when it fails.

    Call from the main thread the first time: QGIS may ask for the master password.
    """
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if manager is None or manager.isDisabled():
        raise WorkspaceError(
            tr(
                "Auth", "The QGIS authentication system is not available, so {0} cannot be read."
            ).format(authcfg)
        )
    config = QgsAuthMethodConfig()
    if not manager.loadAuthenticationConfig(authcfg, config, True) or not config.id():
        raise WorkspaceError(
            tr(
                "Auth",
                "QGIS authentication configuration {0} cannot be read: check that it exists "
                "and that the master password is set.",
            ).format(authcfg)
        )
    if config.method() not in SUPPORTED_METHODS:
        raise WorkspaceError(
            tr(
                "Auth",
                "QGIS authentication configuration {0} uses the {1} method; "
                "a user name and password (Basic) is needed.",
            ).format(authcfg, config.method())
        )
    return Credentials(config.config("username", ""), config.config("password", ""))


def attach_credentials(engine: Engine, authcfg: str) -> Engine:
    """Resolve ``authcfg`` each time ``engine`` opens a DBAPI connection."""

    def _inject(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        resolve_authcfg(authcfg).apply(cparams)

    event.listen(engine, "do_connect", _inject)
    return engine


def attach_fixed_credentials(engine: Engine, credentials: Credentials) -> Engine:
    """Use already resolved ``credentials`` (e.g. in a worker thread) for ``engine``."""

    def _inject(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        credentials.apply(cparams)

    event.listen(engine, "do_connect", _inject)
    return engine


_scope = threading.local()
_scope_lock = threading.Lock()
_scope_listening = False


def _scoped_inject(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
    credentials = getattr(_scope, "credentials", None)
    if credentials is not None and dialect.name == "postgresql":
        credentials.apply(cparams)


@contextmanager
def credentials_scope(credentials: Credentials | None) -> Iterator[None]:
    """PostgreSQL connections opened by this thread inside the block use ``credentials``.

    For code that builds its own engine (``store.upgrade``) where no engine is at hand.
    """
    global _scope_listening
    if credentials is None:
        yield
        return
    with _scope_lock:
        if not _scope_listening:
            event.listen(Engine, "do_connect", _scoped_inject)
            _scope_listening = True
    previous = getattr(_scope, "credentials", None)
    _scope.credentials = credentials
    try:
        yield
    finally:
        _scope.credentials = previous
