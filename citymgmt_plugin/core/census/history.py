"""The record of every component change: history versions and audit rows.

On PostGIS the database keeps them (triggers of migration 0003), for every writer alike: the
census code only names the operation and the reason for the change it is about to make
(:func:`name_change`), and the trigger writes version, history and audit row with the
database login and time. In a GeoPackage (one person, no triggers) the census code writes
them itself (:func:`record_create`, :func:`record_update`), with the client's actor.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, select, text

from ..i18n import tr
from ..workspace.store import Workspace, audit
from .geo import to_ewkt

SNAPSHOT_FIELDS = (
    "identifier",
    "scheme",
    "class_code",
    "name",
    "dept_code",
    "dept_name",
    "owner_code",
    "owner_name",
    "maint_code",
    "maint_name",
    "grid_code",
    "street_code",
    "street_name",
    "community_code",
    "community_name",
    "status",
    "initial_date",
    "change_date",
    "data_source",
    "accuracy_class",
    "note",
    "version",
)


def now() -> datetime:
    return datetime.now(timezone.utc)


def json_value(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {k: json_value(values.get(k)) for k in SNAPSHOT_FIELDS}


def kept_by_database(ws: Workspace) -> bool:
    """Whether the database writes versions, history and audit of components (PostGIS)."""
    return ws.is_postgres


def name_change(conn: Connection, operation: str, reason: str | None, actor: str) -> None:
    """PostGIS: tell the trigger what the next component write is, why, and for whom (the
    row's ``updated_by``); local to this transaction and used once. The version, history and
    audit rows are the trigger's, and they name the database login."""
    conn.execute(
        text(
            "SELECT set_config('citymgmt.operation', :op, true), "
            "set_config('citymgmt.reason', :reason, true), "
            "set_config('citymgmt.actor', :actor, true), "
            "set_config('citymgmt.baseline_reason', :baseline, true)"
        ),
        {
            "op": operation,
            "reason": reason or "",
            "actor": actor,
            "baseline": tr("Census", "state before the first recorded change"),
        },
    )


def record_create(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    values: dict[str, Any],
    ewkt: str,
    actor: str,
    operation: str,
    reason: str | None,
    at: datetime,
) -> None:
    """GeoPackage: history version 1 and the audit row of a new component."""
    conn.execute(
        ws.schema.component_history.insert().values(
            component_id=component_id,
            version=1,
            operation=operation,
            changed_at=at,
            changed_by=actor,
            reason=reason,
            attributes=snapshot(values),
            changes=None,
            geom=ewkt,
        )
    )
    detail = {"identifier": values["identifier"]}
    audit(conn, ws.schema, actor, "census." + operation, "components", component_id, detail)


def record_update(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    new_values: dict[str, Any],
    diff: dict[str, list[Any]],
    geom_ewkt: str | None,
    actor: str,
    operation: str,
    reason: str | None,
    at: datetime,
) -> None:
    """GeoPackage: the history version of a change (``new_values["version"]``) and its audit."""
    version = new_values["version"]
    conn.execute(
        ws.schema.component_history.insert(),
        {
            "component_id": component_id,
            "version": version,
            "operation": operation,
            "changed_at": at,
            "changed_by": actor,
            "reason": reason,
            "attributes": snapshot(new_values),
            "changes": diff,
            "geom": geom_ewkt,
        },
    )
    audit(
        conn,
        ws.schema,
        actor,
        "census." + operation,
        "components",
        component_id,
        {"identifier": new_values["identifier"], "version": version, "fields": sorted(diff)},
    )


def ensure_baseline(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    attrs: dict[str, Any],
    geom: Any,
    known: bool | None = None,
) -> None:
    """GeoPackage: components loaded in bulk have no history: keep their state before the
    first change (``known``: whether the caller already knows it is there)."""
    h = ws.schema.component_history
    version = attrs["version"]
    if known is None:
        known = (
            conn.execute(
                select(h.c.id).where(h.c.component_id == component_id, h.c.version == version)
            ).first()
            is not None
        )
    if known:
        return
    conn.execute(
        h.insert(),
        {
            "component_id": component_id,
            "version": version,
            "operation": "import",
            "changed_at": attrs.get("updated_at") or now(),
            "changed_by": attrs.get("updated_by") or "?",
            "reason": tr("Census", "state before the first recorded change"),
            "attributes": snapshot(attrs),
            "changes": None,
            "geom": to_ewkt(geom, ws.srid) if geom is not None else None,
        },
    )
