"""QGIS authentication configurations as the source of database credentials.

A workspace spec names a QGIS authentication configuration by id (``authcfg``); the user name
and password stay in QGIS's encrypted authentication database. They are read when SQLAlchemy
opens a connection (the ``do_connect`` event) and handed to the driver, never kept on the
spec, the engine URL, the settings or the project. The credentials themselves and the hooks
that apply them are :mod:`..workspace.credentials` (no QGIS there).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

from ..i18n import tr
from ..workspace.credentials import Credentials
from ..workspace.store import WorkspaceError

SUPPORTED_METHODS = ("Basic",)


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
