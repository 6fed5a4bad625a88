"""Which ODK Central account a source uses: decided on each person's computer.

The workspace (shared by the office) says where a source is; it never says who logs in.
Each person binds a QGIS authentication configuration to a source in their own QGIS
settings (QgsSettings), keyed by workspace and source key, together with the server
(scheme, host and port) they bound it to and whether they allowed unencrypted http. A pull
refuses when the shared address no longer points at that server, so nobody can redirect a
colleague's password by editing the shared settings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...i18n import tr
from ...workspace.store import WorkspaceSpec
from .configs import SourceConfigError, check_server_url, server_origin

_CTX = "Intake"
SETTINGS_GROUP = "citymgmt/intake/accounts"


@dataclass(frozen=True)
class AccountBinding:
    """A QGIS authentication configuration bound to a source's server, on this computer."""

    authcfg: str
    origin: str  # scheme://host:port the account was bound to
    allow_http: bool = False


def workspace_identity(spec: WorkspaceSpec) -> str:
    """Where a workspace is, without any account: the same for everyone who opens it."""
    if spec.kind == "gpkg":
        return "gpkg:" + str(Path(spec.path).expanduser().resolve())
    if spec.service:
        return f"pg:service={spec.service}/{spec.schema}"
    from sqlalchemy.engine import make_url

    url = make_url(spec.url)
    return f"pg:{url.host or ''}:{url.port or 5432}/{url.database or ''}/{spec.schema}"


class AccountBindings:
    """The bindings of one workspace in QgsSettings (or any QSettings-like object)."""

    def __init__(self, workspace_id: str, settings: Any = None) -> None:
        self.workspace_id = workspace_id
        self._settings = settings

    @property
    def settings(self) -> Any:
        if self._settings is None:
            from qgis.core import QgsSettings

            return QgsSettings()
        return self._settings

    def _group(self, source_key: str) -> str:
        digest = hashlib.sha256(f"{self.workspace_id}\n{source_key}".encode()).hexdigest()
        return f"{SETTINGS_GROUP}/{digest[:24]}"

    def get(self, source_key: str) -> AccountBinding | None:
        s = self.settings
        group = self._group(source_key)
        authcfg = s.value(f"{group}/authcfg", "") or ""
        origin = s.value(f"{group}/origin", "") or ""
        if not authcfg or not origin:
            return None
        allow = s.value(f"{group}/allow_http", False)
        allow_http = allow is True or str(allow).lower() in ("true", "1")
        return AccountBinding(str(authcfg), str(origin), allow_http)

    def bind(
        self, source_key: str, authcfg: str, url: str, allow_http: bool = False
    ) -> AccountBinding:
        """Use ``authcfg`` for ``source_key`` on this computer, for the server of ``url``."""
        check_server_url(url, allow_http)
        binding = AccountBinding(authcfg, server_origin(url), bool(allow_http))
        s = self.settings
        group = self._group(source_key)
        s.setValue(f"{group}/authcfg", binding.authcfg)
        s.setValue(f"{group}/origin", binding.origin)
        s.setValue(f"{group}/allow_http", binding.allow_http)
        s.setValue(f"{group}/workspace", self.workspace_id)  # for whoever reads the file
        s.setValue(f"{group}/source", source_key)
        return binding

    def forget(self, source_key: str) -> None:
        self.settings.remove(self._group(source_key))


def check_binding(source_key: str, url: str, binding: AccountBinding | None) -> None:
    """Refuse to send the bound account to ``url`` unless it is the server it was bound to."""
    if binding is None:
        raise SourceConfigError(
            tr(
                _CTX,
                "No account for {0} on this computer: choose your QGIS authentication "
                "configuration in Sources….",
            ).format(source_key)
        )
    if server_origin(url) != binding.origin:
        raise SourceConfigError(
            tr(
                _CTX,
                "The address of {0} now points to {1}, but your account was given for {2}. "
                "Nothing was sent. Check the address with your office, then choose your "
                "account again in Sources….",
            ).format(source_key, server_origin(url), binding.origin)
        )
    check_server_url(url, binding.allow_http)
