"""Sources from a stored configuration, so the dock, the CLI and write-back open the same.

A configuration (JSON in ``workspace_settings`` under ``intake.source.<key>``) holds only
what the office shares: type, server address, project, form, coordinate system, page size,
folder. It never names an account: who logs in to ODK Central is decided on each person's
computer (:mod:`.accounts`: a QGIS authentication configuration bound to the server's
host) or, for the command line, by ``--authcfg`` / ``--user`` and the
``CITYMGMT_ODK_PASSWORD`` environment variable. So nobody can make a colleague's QGIS send
a password elsewhere by editing the shared settings.

Passwords go over https only, unless the person allows unencrypted http for a source.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ...i18n import tr
from ...workspace.store import Workspace, WorkspaceError, audit
from ..settings import SOURCE_PREFIX, delete_key, put_json, with_prefix

_CTX = "Intake"

# What a shared configuration may hold, per source type (anything else is dropped on save).
SHARED_KEYS = {
    "odk": ("type", "url", "project", "form", "crs", "page_size"),
    "file": ("type", "path", "photos", "crs", "key"),
    "inbox": ("type", "table", "crs"),
}
DEFAULT_PAGE_SIZE = 1000


class SourceConfigError(Exception):
    """A source cannot be opened as configured (message translated)."""


# -- configurations -------------------------------------------------------------------------
def odk_config(
    url: str,
    project: int | str,
    form: str,
    crs: str = "WGS84",
    page_size: int = DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    """An ODK Central form as the office shares it (no account, no password)."""
    return {
        "type": "odk",
        "url": url.strip(),
        "project": str(project),
        "form": form,
        "crs": crs,
        "page_size": int(page_size),
    }


def folder_config(
    path: str, key: str, crs: str = "unknown", photos: str | None = None
) -> dict[str, Any]:
    """A device-export folder (or file) as the office shares it."""
    config: dict[str, Any] = {"type": "file", "path": path, "crs": crs, "key": key}
    if photos:
        config["photos"] = photos
    return config


def shared_config(config: dict[str, Any]) -> dict[str, Any]:
    """Only what the office shares: accounts, e-mails and anything unknown are dropped."""
    keep = SHARED_KEYS.get(config.get("type") or "", ("type",))
    return {k: config[k] for k in keep if config.get(k) not in (None, "")}


def odk_base_url(url: str) -> str:
    """The server address as the client uses it (no trailing slash, no ``/v1``)."""
    base = url.strip().rstrip("/")
    return base[:-3] if base.endswith("/v1") else base


def source_key(config: dict[str, Any]) -> str:
    """The key the source of ``config`` stores its submissions and cursor under."""
    kind = config.get("type")
    if kind == "odk":
        host = urlsplit(odk_base_url(config["url"])).netloc
        return f"odk:{host}/{config['project']}/{config['form']}"
    if kind == "file":
        return str(config.get("key") or "device")
    if kind == "inbox":
        table = str(config["table"])
        return f"inbox:{table if '.' in table else 'public.' + table}"
    raise SourceConfigError(tr(_CTX, "Unknown source type {0}.").format(kind))


# -- stored in the workspace ------------------------------------------------------------------
def save_source_config(
    ws: Workspace, source_key: str, config: dict[str, Any], actor: str = "intake"
) -> dict[str, Any]:
    """Remember how to reach a source for the dock and write-back: only what the office
    shares (:func:`shared_config`; never an account or a password). Returns it."""
    shared = shared_config(config)
    with ws.begin() as conn:
        put_json(conn, ws, SOURCE_PREFIX + source_key, shared)
        audit(
            conn,
            ws.schema,
            actor,
            "intake.source_saved",
            "workspace_settings",
            None,
            {"source": source_key, "config": shared},
        )
    return shared


def remove_source_config(ws: Workspace, source_key: str, actor: str = "intake") -> bool:
    """Forget a source's configuration; its stored submissions and cursor stay."""
    with ws.begin() as conn:
        done = delete_key(conn, ws, SOURCE_PREFIX + source_key)
        if done:
            audit(
                conn,
                ws.schema,
                actor,
                "intake.source_removed",
                "workspace_settings",
                None,
                {"source": source_key},
            )
    return done


def source_configs(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every source configuration of the workspace, by source key."""
    with ws.engine.connect() as conn:
        return with_prefix(conn, ws, SOURCE_PREFIX)


# -- where passwords may go -------------------------------------------------------------------
def server_origin(url: str) -> str:
    """``scheme://host:port`` of ``url`` (lower case, default port written out)."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "").lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"https": 443, "http": 80}.get(scheme)
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def check_server_url(url: str, allow_http: bool = False) -> None:
    """Refuse an address a password must not be sent to (SourceConfigError, translated)."""
    parts = urlsplit((url or "").strip())
    try:
        parts.port  # noqa: B018 - raises on a bad port
        bad_port = False
    except ValueError:
        bad_port = True
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname or bad_port:
        raise SourceConfigError(
            tr(_CTX, "Not a server address: {0}. Give it as https://host/…").format(url)
        )
    if parts.username or parts.password:
        raise SourceConfigError(
            tr(
                _CTX,
                "The address {0} contains an account: give the account in a QGIS "
                "authentication configuration instead.",
            ).format(parts.hostname)
        )
    if parts.scheme.lower() == "http" and not allow_http:
        raise SourceConfigError(
            tr(
                _CTX,
                "{0} is not encrypted (http://): the password would travel readable. Use "
                "https://, or allow unencrypted http for this source.",
            ).format(url)
        )


# -- who logs in ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OdkLogin:
    """An ODK Central account read on this computer (held in memory only)."""

    email: str
    password: str = field(repr=False)


Credentials = Callable[[str], "tuple[str | None, str | None]"]  # authcfg id -> (user, password)


def _account(authcfg: str | None, credentials: Credentials | None) -> tuple[Any, Any]:
    """(user, password) of the named configuration, else (None, the environment's password).

    A named configuration that cannot be read is an error (translated), not a silent
    fall-back to the environment: the user chose it and must learn why it failed.
    """
    from .odk import PASSWORD_ENV

    if not authcfg:
        return None, os.environ.get(PASSWORD_ENV)
    if credentials is None:
        raise SourceConfigError(
            tr(_CTX, "QGIS authentication configuration {0} can only be read inside QGIS.").format(
                authcfg
            )
        )
    try:
        user, password = credentials(authcfg)
    except WorkspaceError as exc:  # the authentication configuration's own message
        raise SourceConfigError(str(exc)) from exc
    return user or None, password or None


def odk_login(
    authcfg: str | None = None, email: str | None = None, credentials: Credentials | None = None
) -> OdkLogin:
    """The account of an authentication configuration (user name = e-mail), read by
    ``credentials`` (inside QGIS: :func:`...qgis.accounts.odk_login`), else ``email`` with the
    ``CITYMGMT_ODK_PASSWORD`` environment variable.

    Call on the main thread: QGIS may ask for its master password.
    """
    from .odk import PASSWORD_ENV

    user, password = _account(authcfg, credentials)
    if authcfg and not user:
        raise SourceConfigError(
            tr(
                _CTX,
                "QGIS authentication configuration {0} has no user name: give your ODK "
                "Central e-mail as the user name.",
            ).format(authcfg)
        )
    email = user or email
    if not email or not password:
        raise SourceConfigError(
            tr(
                _CTX,
                "No ODK Central account: give --user and set {0}, or name a QGIS "
                "authentication configuration.",
            ).format(PASSWORD_ENV)
        )
    return OdkLogin(email, password)


def open_source(
    ws: Workspace | None,
    config: dict[str, Any],
    login: OdkLogin | None = None,
    allow_http: bool = False,
    **kw: Any,
) -> Any:
    """The source a configuration describes (ODK sources log in lazily, on first request).

    An ODK source needs ``login`` (see :func:`odk_login`, or :mod:`.accounts` in QGIS): the
    configuration itself never supplies an account.
    """
    kind = config.get("type")
    if kind == "odk":
        from .odk import OdkClient, OdkSource

        check_server_url(config["url"], allow_http)
        if login is None:
            raise SourceConfigError(
                tr(_CTX, "No ODK Central account for {0} on this computer.").format(
                    source_key(config)
                )
            )
        email, password = login.email, login.password
        opts = {k: v for k, v in kw.items() if k in ("retries", "backoff", "timeout", "workers")}
        if "workers" not in opts and config.get("workers"):
            opts["workers"] = int(config["workers"])  # concurrent photo downloads (default 8)
        client = OdkClient(config["url"], email, password, **opts)
        return OdkSource(
            client,
            config["project"],
            config["form"],
            page_size=int(config.get("page_size", DEFAULT_PAGE_SIZE)),
            crs=config.get("crs") or "WGS84",
            photos=kw.get("photos", True),
        )
    if kind == "file":
        from .files import DeviceExportSource

        return DeviceExportSource(
            config["path"],
            crs=config.get("crs") or "unknown",
            photos=config.get("photos") or None,
            key=config.get("key", "device"),
        )
    if kind == "inbox":
        from .inbox import InboxSource

        if ws is None:
            raise SourceConfigError(tr(_CTX, "An inbox source needs the workspace database."))
        return InboxSource(ws.engine, config["table"], crs=config.get("crs") or "WGS84")
    raise SourceConfigError(tr(_CTX, "Unknown source type {0}.").format(kind))
