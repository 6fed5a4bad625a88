"""Sources from a stored configuration, so the dock, the CLI and write-back open the same.

Configurations (JSON in ``workspace_settings`` under ``intake.source.<key>``) never hold a
password: ODK Central's comes from the QGIS authentication configuration named by
``authcfg``, else the ``CITYMGMT_ODK_PASSWORD`` environment variable.
"""

from __future__ import annotations

from typing import Any

from ..i18n import tr
from ..workspace.store import Workspace, WorkspaceError

_CTX = "Intake"


class SourceConfigError(Exception):
    pass


def odk_config(
    url: str,
    project: int | str,
    form: str,
    email: str | None,
    authcfg: str | None = None,
    crs: str = "WGS84",
) -> dict[str, Any]:
    return {
        "type": "odk",
        "url": url,
        "project": str(project),
        "form": form,
        "email": email,
        "authcfg": authcfg,
        "crs": crs,
    }


def open_source(ws: Workspace | None, config: dict[str, Any], **kw: Any) -> Any:
    """The source a configuration describes (ODK sources log in lazily, on first request)."""
    kind = config.get("type")
    if kind == "odk":
        from .odk import PASSWORD_ENV, OdkClient, OdkSource, password_from

        try:
            user, password = password_from(config.get("authcfg"))
        except WorkspaceError as exc:  # the authentication configuration's own message
            raise SourceConfigError(str(exc)) from exc
        email = config.get("email") or user
        if not email or not password:
            raise SourceConfigError(
                tr(
                    _CTX,
                    "No ODK Central account: give --user and set {0}, or name a QGIS "
                    "authentication configuration.",
                ).format(PASSWORD_ENV)
            )
        opts = {k: v for k, v in kw.items() if k in ("retries", "backoff", "timeout", "workers")}
        if "workers" not in opts and config.get("workers"):
            opts["workers"] = int(config["workers"])  # concurrent photo downloads (default 8)
        client = OdkClient(config["url"], email, password, **opts)
        return OdkSource(
            client,
            config["project"],
            config["form"],
            page_size=int(config.get("page_size", 1000)),
            crs=config.get("crs") or "WGS84",
            photos=kw.get("photos", True),
        )
    if kind == "file":
        from .files import DeviceExportSource

        return DeviceExportSource(
            config["path"], crs=config.get("crs") or "unknown", key=config.get("key", "device")
        )
    if kind == "inbox":
        from .inbox import InboxSource

        if ws is None:
            raise SourceConfigError(tr(_CTX, "An inbox source needs the workspace database."))
        return InboxSource(ws.engine, config["table"], crs=config.get("crs") or "WGS84")
    raise SourceConfigError(tr(_CTX, "Unknown source type {0}.").format(kind))
