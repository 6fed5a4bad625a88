"""Submission settings kept in ``workspace_settings``: the cursor of each source and the
configuration the office shares for it, as JSON under a key prefix."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, select, update

CURSOR_PREFIX = "intake.cursor."
SOURCE_PREFIX = "intake.source."


def get_json(conn: Connection, ws: Any, key: str) -> Any:
    t = ws.schema.workspace_settings
    value = conn.execute(select(t.c.value).where(t.c.key == key)).scalar()
    return json.loads(value) if value else None


def put_json(conn: Connection, ws: Any, key: str, value: Any) -> None:
    t = ws.schema.workspace_settings
    text = json.dumps(value, ensure_ascii=False)
    done = conn.execute(update(t).where(t.c.key == key).values(value=text)).rowcount
    if not done:
        conn.execute(t.insert().values(key=key, value=text))


def delete_key(conn: Connection, ws: Any, key: str) -> bool:
    t = ws.schema.workspace_settings
    return bool(conn.execute(delete(t).where(t.c.key == key)).rowcount)


def with_prefix(conn: Connection, ws: Any, prefix: str) -> dict[str, Any]:
    """Key (without ``prefix``) -> value of every setting under ``prefix``."""
    t = ws.schema.workspace_settings
    rows = conn.execute(select(t.c.key, t.c.value).where(t.c.key.like(prefix + "%"))).all()
    return {k[len(prefix) :]: json.loads(v) for k, v in rows}
