"""Component identifiers: county (6) + class code + serial (6), never handed out twice.

The next serial per (county, scheme, class) lives in ``identifier_counters``. Allocation
updates that row inside the caller's transaction (``UPDATE … RETURNING``): on PostGIS the row
lock makes concurrent editors queue until the first commits, and a rolled-back transaction
rolls its serial back too, so serials have no gaps other than identifiers that an import
brought with it. On a GeoPackage the first write takes SQLite's database write lock;
:func:`write_transaction` starts with ``BEGIN IMMEDIATE`` so a transaction that reads first
(grid lookup) still serialises cleanly instead of failing with "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from ..codes import id_schemes
from ..i18n import tr
from ..workspace.store import Workspace
from .errors import CensusError

MAX_SERIAL = 999_999


@contextmanager
def write_transaction(ws: Workspace) -> Iterator[Connection]:
    """One transaction that will write: like ``ws.begin()``, but on a GeoPackage it takes the
    write lock at once (``BEGIN IMMEDIATE``), so concurrent editors queue instead of failing."""
    if ws.is_postgres:
        with ws.begin() as conn:
            yield conn
        return
    with ws.engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        if dbapi.in_transaction:  # pragma: no cover - a fresh pooled connection never is
            dbapi.commit()
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            dbapi.rollback()
            raise
        else:
            dbapi.commit()


def _ensure_counter(conn: Connection, ws: Workspace, county: str, scheme: str, cls: str) -> None:
    """Create the counter row if missing, starting after the highest stored serial."""
    s = id_schemes()[scheme]
    start = s.county_digits + s.class_digits + 1
    conn.execute(
        text(
            "INSERT INTO identifier_counters (county_code, scheme, class_code, next_serial) "
            "SELECT :county, :scheme, :cls, "
            f"  coalesce(max(CAST(substr(identifier, {start}) AS INTEGER)), 0) + 1 "
            "FROM components WHERE identifier BETWEEN :lo AND :hi AND length(identifier) = :n "
            "ON CONFLICT (county_code, scheme, class_code) DO NOTHING"
        ),
        {
            "county": county,
            "scheme": scheme,
            "cls": cls,
            "lo": county + cls + "0" * s.serial_digits,
            "hi": county + cls + "9" * s.serial_digits,
            "n": s.length,
        },
    )


def allocate_serials(
    conn: Connection, ws: Workspace, county: str, scheme: str, class_code: str, count: int = 1
) -> list[int]:
    """Take ``count`` consecutive serials for county + class, inside the caller's transaction."""
    if count < 1:
        return []
    first = _take(conn, county, scheme, class_code, count)
    if first is None:  # first identifier of this county and class: make the counter
        _ensure_counter(conn, ws, county, scheme, class_code)
        first = _take(conn, county, scheme, class_code, count)
    if first is None:
        raise CensusError(
            tr("Census", "No serials left for county {0} and class {1} ({2}).").format(
                county, class_code, scheme
            )
        )
    return list(range(int(first), int(first) + count))


def _take(conn: Connection, county: str, scheme: str, class_code: str, count: int) -> int | None:
    return conn.execute(
        text(
            "UPDATE identifier_counters SET next_serial = next_serial + :n "
            "WHERE county_code = :county AND scheme = :scheme AND class_code = :cls "
            "AND next_serial + :n <= :limit "
            "RETURNING next_serial - :n"
        ),
        {
            "n": count,
            "county": county,
            "scheme": scheme,
            "cls": class_code,
            "limit": MAX_SERIAL + 1,
        },
    ).scalar()


def allocate_identifier(
    conn: Connection, ws: Workspace, county: str, scheme: str, class_code: str
) -> str:
    """The next identifier for county + class (row-locked counter, no duplicates)."""
    serial = allocate_serials(conn, ws, county, scheme, class_code, 1)[0]
    return id_schemes()[scheme].compose(county, class_code, serial)


def reserve_identifier(conn: Connection, ws: Workspace, identifier: str, scheme: str) -> None:
    """Move the counter past an identifier that arrives ready-made (census import)."""
    county, cls, serial = id_schemes()[scheme].split(identifier)
    _ensure_counter(conn, ws, county, scheme, cls)
    greatest = "GREATEST" if ws.is_postgres else "max"
    conn.execute(
        text(
            f"UPDATE identifier_counters SET next_serial = {greatest}(next_serial, :s) "
            "WHERE county_code = :county AND scheme = :scheme AND class_code = :cls"
        ),
        {"s": min(serial + 1, MAX_SERIAL + 1), "county": county, "scheme": scheme, "cls": cls},
    )
