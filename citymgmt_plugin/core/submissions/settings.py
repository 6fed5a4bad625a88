"""Submission settings: the configuration the office shares for each source, as JSON under a
key prefix in ``workspace_settings`` (which only an admin may change on PostGIS), and each
source's cursor in ``intake_cursors`` (which intake writes with every stored page)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, delete, select, update

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


def get_cursor(conn: Connection, ws: Any, source_key: str) -> dict[str, Any] | None:
    """Where the next pull of ``source_key`` goes on from, or None."""
    t = ws.schema.intake_cursors
    return conn.execute(select(t.c.cursor).where(t.c.source_key == source_key)).scalar() or None


def put_cursor(conn: Connection, ws: Any, source_key: str, cursor: dict[str, Any]) -> None:
    t = ws.schema.intake_cursors
    row = {"cursor": cursor, "updated_at": datetime.now(timezone.utc)}
    if not conn.execute(update(t).where(t.c.source_key == source_key).values(**row)).rowcount:
        conn.execute(t.insert().values(source_key=source_key, **row))
