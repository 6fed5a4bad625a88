"""The census settings a city chooses for its workspace (``workspace_settings``)."""

from __future__ import annotations

from sqlalchemy import delete, insert

from ..i18n import tr
from ..labels import labelled
from ..workspace.store import Workspace, audit

# '1': unit grids must be numbered west→east, north→south inside a community (QA checks it)
GRID_NUMBERING = "grid_numbering_check"


def enabled(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "on", "true", "yes")


def set_setting(ws: Workspace, key: str, value: str, actor: str) -> None:
    """Store one setting (one transaction, audited) and keep the open workspace's copy."""
    t = ws.schema.workspace_settings
    with ws.begin() as conn:
        old = ws.settings.get(key)
        conn.execute(delete(t).where(t.c.key == key))
        conn.execute(insert(t).values(key=key, value=value))
        audit(conn, ws.schema, actor, "settings.set", "workspace_settings", None,
              {"key": key, "old": old, "new": value})  # fmt: skip
    ws.settings[key] = value


def census_settings(ws: Workspace) -> list[str]:
    """The census settings, one line each, for people."""
    on = enabled(ws.setting(GRID_NUMBERING))
    return [
        labelled(
            tr("Census", "Unit grids numbered west to east, north to south (checked)"),
            tr("Census", "on") if on else tr("Census", "off"),
        )
    ]
