"""What a source offers, to choose from and to test: ODK Central's projects and forms, a
device-export folder's submissions file and photos.

Network and file work only, no widgets: the sources dialog runs these in a background task.
Every failure is a :class:`DiscoveryError` with a translated message that includes what the
server said.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...i18n import tr
from .configs import OdkLogin, SourceConfigError, check_server_url

_CTX = "Intake"


class DiscoveryError(Exception):
    """Listing or testing a source failed (message translated)."""


@dataclass(frozen=True)
class OdkProject:
    id: str
    name: str

    def label(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id


@dataclass(frozen=True)
class OdkForm:
    id: str  # xmlFormId
    name: str
    state: str = "open"
    submissions: int | None = None

    def label(self) -> str:
        text = f"{self.name} ({self.id})" if self.name and self.name != self.id else self.id
        if self.submissions is not None:
            text += " · " + tr(_CTX, "{0} submissions").format(self.submissions)
        if self.state and self.state != "open":
            text += " · " + self.state
        return text


def describe_odk_error(exc: Exception) -> str:
    """The message of an ODK Central failure, with the server's own words when it sent any."""
    detail = getattr(exc, "detail", None)
    text = str(exc)
    if detail:
        text += " " + tr(_CTX, "The server said: {0}").format(detail)
    return text


def _client(url: str, login: OdkLogin, allow_http: bool) -> Any:
    from .odk import OdkClient

    try:
        check_server_url(url, allow_http)
    except SourceConfigError as exc:
        raise DiscoveryError(str(exc)) from exc
    return OdkClient(url, login.email, login.password, retries=1, backoff=0.2, timeout=20.0)


def _call(fn: Any, *args: Any) -> Any:
    from .odk import OdkError

    try:
        return fn(*args)
    except OdkError as exc:
        raise DiscoveryError(describe_odk_error(exc)) from exc


def odk_projects(url: str, login: OdkLogin, allow_http: bool = False) -> list[OdkProject]:
    """Log in and list the projects the account may see (archived ones last)."""
    client = _client(url, login, allow_http)
    _call(client.login)
    rows = _call(client.list_projects)
    rows = sorted(rows, key=lambda r: (bool(r.get("archived")), str(r.get("name") or "")))
    return [OdkProject(str(r["id"]), str(r.get("name") or "")) for r in rows if "id" in r]


def odk_forms(url: str, login: OdkLogin, project: str, allow_http: bool = False) -> list[OdkForm]:
    """Log in and list the forms of ``project``, with their submission counts."""
    client = _client(url, login, allow_http)
    rows = _call(client.list_forms, project)
    return [_form(r) for r in rows if r.get("xmlFormId")]


def _form(row: dict[str, Any]) -> OdkForm:
    count = row.get("submissions")
    return OdkForm(
        str(row["xmlFormId"]),
        str(row.get("name") or ""),
        str(row.get("state") or "open"),
        int(count) if isinstance(count, int) else None,
    )


def check_odk(url: str, login: OdkLogin, project: str, form: str, allow_http: bool = False) -> str:
    """Log in, list the project's forms and find ``form`` among them: what was found."""
    client = _client(url, login, allow_http)
    _call(client.login)
    forms = [_form(r) for r in _call(client.list_forms, project) if r.get("xmlFormId")]
    found = next((f for f in forms if f.id == form), None)
    if found is None:
        raise DiscoveryError(
            tr(
                _CTX,
                "Logged in as {0}, but project {1} has no form {2} for this account (forms: {3}).",
            ).format(login.email, project, form, ", ".join(f.id for f in forms) or "-")
        )
    return tr(_CTX, "Logged in to {0} as {1}. Project {2} has {3} forms; {4}.").format(
        url, login.email, project, len(forms), found.label()
    )


def check_folder(path: str, photos: str | None = None) -> str:
    """Find the submissions file and photos of a device export, count its records."""
    from .files import DeviceExportSource, ExportError

    where = Path(path) if path else None
    if where is None or not where.exists():
        raise DiscoveryError(tr(_CTX, "No such file or folder: {0}").format(path))
    if photos and not Path(photos).exists():
        raise DiscoveryError(tr(_CTX, "No such photo folder: {0}").format(photos))
    try:
        source = DeviceExportSource(where, photos=photos or None)
        count = sum(1 for _ in source.records())
    except (ExportError, OSError, ValueError) as exc:
        raise DiscoveryError(str(exc)) from exc
    photo_place = source.photos.where
    return tr(_CTX, "{0}: {1} submissions; photos: {2}.").format(
        source.path.name,
        count,
        str(photo_place) if photo_place is not None else tr(_CTX, "none found"),
    )
