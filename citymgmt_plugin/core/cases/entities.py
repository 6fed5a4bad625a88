"""ODK Central Entity Lists (datasets): the endpoints the task push uses.

From Central's API document (docs/api.yaml of getodk/central-backend):

- ``GET /v1/projects/{p}/datasets/{name}`` -> metadata with its ``properties`` (404: none);
  ``POST /v1/projects/{p}/datasets`` {name} (409.3: it exists);
  ``POST …/datasets/{name}/properties`` {name}: an entity may only carry known properties.
- ``POST …/datasets/{name}/entities``: one {uuid, label, data} or bulk {entities, source};
  all or nothing; a uuid already there is 409.3 (409.19 when that entity was deleted).
- ``GET …/entities/{uuid}`` -> the entity and its ``currentVersion`` {version, data, label}.
- ``PATCH …/entities/{uuid}?baseVersion=N`` {label?, data}: 409.15 when N is not the current
  version (someone changed it since: a device, another office).
- ``DELETE …/entities/{uuid}`` (soft delete).
- ``GET …/datasets/{name}.svc/Entities?$top=N`` -> {"value": [...], "@odata.nextLink"} with a
  ``$skiptoken`` cursor; each row has ``__id``, ``label``, the properties and ``__system``
  {version, updatedAt, deletedAt, …}.

Retries of network errors, 5xx and 429 are :class:`~..submissions.sources.odk.OdkClient`'s; what a
retry can meet after a write the server did but whose answer was lost (409.3 on a create,
409.15 on an update) is handled by the callers in :mod:`.sync`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

from ..i18n import tr
from ..submissions.sources.odk import OdkClient, OdkError, server_message

_CTX = "Tasks"


class EntityConflict(OdkError):
    """409: the entity changed since the version given, or the uuid is taken."""


class EntityClient(OdkClient):
    """An :class:`OdkClient` that also speaks Central's dataset and entity endpoints."""

    def dataset_path(self, project: int | str, dataset: str) -> str:
        return f"/projects/{quote(str(project), safe='')}/datasets/{quote(dataset, safe='')}"

    def entity_path(self, project: int | str, dataset: str, uuid: str) -> str:
        return self.dataset_path(project, dataset) + f"/entities/{quote(uuid, safe='')}"

    def _call(self, method: str, path: str, ok404: bool = False, **kw: Any) -> Any:
        """JSON answer; None for 404 when ``ok404``; EntityConflict for 409, OdkError else."""
        resp = self._send(method, self.url(path), **kw)
        if resp.status_code == 404 and ok404:
            return None
        if resp.status_code == 409:
            raise EntityConflict(
                tr(_CTX, "ODK Central refused {0}: it changed or exists already ({1}).").format(
                    path, server_message(resp) or resp.status_code
                ),
                409,
                server_message(resp),
            )
        if resp.status_code >= 400:
            raise OdkError(
                tr(_CTX, "ODK Central answered HTTP {0} for {1}: {2}").format(
                    resp.status_code, path, server_message(resp) or ""
                ),
                resp.status_code,
                server_message(resp),
            )
        return resp.json()

    # -- datasets -----------------------------------------------------------------------
    def get_dataset(self, project: int | str, dataset: str) -> dict[str, Any] | None:
        return self._call("GET", self.dataset_path(project, dataset), ok404=True)

    def ensure_dataset(self, project: int | str, dataset: str, properties: list[str]) -> None:
        """Create the dataset and the properties it lacks (a second office may race: fine)."""
        meta = self.get_dataset(project, dataset)
        if meta is None:
            body = {"name": dataset, "approvalRequired": False}
            with contextlib.suppress(EntityConflict):  # made meanwhile
                self._call("POST", f"/projects/{quote(str(project), safe='')}/datasets", json=body)
            meta = self.get_dataset(project, dataset) or {}
        have = {p.get("name") for p in meta.get("properties") or []}
        for name in properties:
            if name not in have:
                path = self.dataset_path(project, dataset) + "/properties"
                with contextlib.suppress(EntityConflict):
                    self._call("POST", path, json={"name": name})

    # -- entities -----------------------------------------------------------------------
    def create_entities(
        self, project: int | str, dataset: str, entities: list[dict[str, Any]], source: str
    ) -> None:
        """Bulk create (all or nothing); EntityConflict when a uuid is taken."""
        body = {"entities": entities, "source": {"name": source, "size": len(entities)}}
        self._call("POST", self.dataset_path(project, dataset) + "/entities", json=body)

    def get_entity(self, project: int | str, dataset: str, uuid: str) -> dict[str, Any] | None:
        return self._call("GET", self.entity_path(project, dataset, uuid), ok404=True)

    def update_entity(
        self,
        project: int | str,
        dataset: str,
        uuid: str,
        base_version: int,
        data: dict[str, str],
        label: str | None = None,
    ) -> dict[str, Any] | None:
        """The entity after the update; None when it is gone (404); EntityConflict (409)
        when ``base_version`` is not its current version."""
        body: dict[str, Any] = {"data": data}
        if label:
            body["label"] = label
        path = (
            self.entity_path(project, dataset, uuid)
            + "?"
            + urlencode({"baseVersion": str(base_version)})
        )
        return self._call("PATCH", path, ok404=True, json=body)

    def delete_entity(self, project: int | str, dataset: str, uuid: str) -> bool:
        """Soft-delete; False when it was not there (already deleted)."""
        path = self.entity_path(project, dataset, uuid)
        return self._call("DELETE", path, ok404=True) is not None

    def entity_rows(
        self, project: int | str, dataset: str, page_size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every entity of the dataset through the OData feed, page by page (nextLink)."""
        url = (
            self.url(self.dataset_path(project, dataset) + ".svc/Entities")
            + "?"
            + urlencode({"$top": str(page_size), "$count": "true"})
        )
        while url:
            body = self.get_page(url)
            yield from body.get("value") or []
            url = body.get("@odata.nextLink")
