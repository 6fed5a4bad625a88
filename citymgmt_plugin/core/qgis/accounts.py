"""ODK Central accounts read from QGIS authentication configurations (user name = e-mail)."""

from __future__ import annotations

from ..submissions.sources.configs import OdkLogin
from ..submissions.sources.configs import odk_login as _odk_login
from .auth import resolve_authcfg


def authcfg_account(authcfg: str) -> tuple[str | None, str | None]:
    """(user, password) of a QGIS authentication configuration; WorkspaceError when it
    cannot be read. Call on the main thread: QGIS may ask for its master password."""
    creds = resolve_authcfg(authcfg)
    return creds.username or None, creds.password or None


def odk_login(authcfg: str | None = None, email: str | None = None) -> OdkLogin:
    """The account of ``authcfg`` read through QGIS, else ``email`` with the
    ``CITYMGMT_ODK_PASSWORD`` environment variable (see
    :func:`..submissions.sources.configs.odk_login`)."""
    return _odk_login(authcfg, email, credentials=authcfg_account)
