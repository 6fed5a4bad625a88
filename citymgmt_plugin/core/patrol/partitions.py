"""Week partitions of ``track_points`` on PostGIS (declarative partitioning, migration 0007).

A partition holds one local week, Monday 00:00 to Monday 00:00 in the workspace's time
zone, and is named ``track_points_wYYYYMMDD`` after its Monday; a default partition takes
what no week partition covers (a fix written by another tool before its week existed).
Partitions are made on demand, under an advisory lock so two imports never race:

- :func:`ensure_weeks`: an empty partition per missing week (rows of that week waiting in
  the default partition are moved into it first);
- :func:`bulk_week`: a missing week filled in bulk — a plain table loaded by the caller
  (COPY), its indexes built once over the loaded rows, then attached. Building a GiST
  index in one pass over a week is several times faster than growing it fix by fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, text

PARENT = "track_points"
DEFAULT = "track_points_default"
_LOCK = 762_014  # pg_advisory_xact_lock key of partition changes
T = TypeVar("T")


def monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())


def week_name(monday: date) -> str:
    return f"{PARENT}_w{monday:%Y%m%d}"


def week_bounds(monday: date, tz: str) -> tuple[datetime, datetime]:
    """[start, end) of the local week starting on ``monday``, as aware datetimes."""
    zone = ZoneInfo(tz)
    nxt = monday + timedelta(days=7)
    return (
        datetime(monday.year, monday.month, monday.day, tzinfo=zone),
        datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone),
    )


def is_partitioned(conn: Connection) -> bool:
    """Whether the workspace's ``track_points`` is a partitioned table (PostGIS, 0007+)."""
    if conn.dialect.name != "postgresql":
        return False
    kind = conn.execute(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:t)"), {"t": PARENT}
    ).scalar()
    return kind == "p"


def existing_weeks(conn: Connection) -> set[date]:
    """The Mondays that have a partition."""
    names = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(:t)"
        ),
        {"t": PARENT},
    ).scalars()
    out = set()
    for name in names:
        if name.startswith(f"{PARENT}_w") and name[-8:].isdigit():
            out.add(datetime.strptime(name[-8:], "%Y%m%d").date())
    return out


def _lock(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})


def _literal(t: datetime) -> str:
    return "'" + t.isoformat(sep=" ") + "'"


def ensure_weeks(conn: Connection, mondays: Iterable[date], tz: str) -> list[date]:
    """A partition for every given week that has none; the weeks created."""
    _lock(conn)
    have = existing_weeks(conn)
    made = []
    for monday in sorted(set(mondays) - have):
        a, b = week_bounds(monday, tz)
        name = week_name(monday)
        if _default_has_rows(conn, a, b):
            _create_plain(conn, name)
            _move_from_default(conn, name, a, b)
            _attach(conn, name, a, b)
        else:
            conn.execute(
                text(
                    f'CREATE TABLE "{name}" PARTITION OF {PARENT} '
                    f"FOR VALUES FROM ({_literal(a)}) TO ({_literal(b)})"
                )
            )
        made.append(monday)
    return made


def bulk_week(conn: Connection, monday: date, tz: str, load: Callable[[str, bool], T]) -> T | None:
    """Fill a week that has no partition yet: ``load(table_name, has_rows)`` writes the rows
    into a plain table (every column of ``track_points``; ``has_rows``: rows of that week
    waiting in the default partition were moved in first, so the load must leave out what
    they hold), which is then attached as the week's partition, its indexes built once.
    Returns what ``load`` returned; None when the week exists already (the caller inserts
    through the parent instead)."""
    _lock(conn)
    if monday in existing_weeks(conn):
        return None
    a, b = week_bounds(monday, tz)
    name = week_name(monday)
    _create_plain(conn, name)
    moved = _move_from_default(conn, name, a, b)
    out = load(name, moved > 0)
    _attach(conn, name, a, b)
    return out


def _create_plain(conn: Connection, name: str) -> None:
    conn.execute(
        text(f'CREATE TABLE "{name}" (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)')
    )


def _default_has_rows(conn: Connection, a: datetime, b: datetime) -> bool:
    return bool(
        conn.execute(
            text(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE fix_time >= :a AND fix_time < :b)"),
            {"a": a, "b": b},
        ).scalar()
    )


def _move_from_default(conn: Connection, name: str, a: datetime, b: datetime) -> int:
    return conn.execute(
        text(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE fix_time >= :a AND fix_time < :b "
            f'RETURNING *) INSERT INTO "{name}" SELECT * FROM moved'
        ),
        {"a": a, "b": b},
    ).rowcount


def _attach(conn: Connection, name: str, a: datetime, b: datetime) -> None:
    """Attach with a CHECK that proves the range first, so PostgreSQL does not scan the rows
    again; the missing indexes of the parent are built on the table as it attaches."""
    check = f"{name}_range"
    conn.execute(
        text(
            f'ALTER TABLE "{name}" ADD CONSTRAINT "{check}" CHECK '
            f"(fix_time >= {_literal(a)} AND fix_time < {_literal(b)})"
        )
    )
    conn.execute(
        text(
            f'ALTER TABLE {PARENT} ATTACH PARTITION "{name}" '
            f"FOR VALUES FROM ({_literal(a)}) TO ({_literal(b)})"
        )
    )
    conn.execute(text(f'ALTER TABLE "{name}" DROP CONSTRAINT "{check}"'))
