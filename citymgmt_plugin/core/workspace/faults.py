"""Which database errors a row causes and which the connection does; savepoints.

A batch of rows written in one transaction can fail because of one row's values
(PostgreSQL SQLSTATE class 22 data exception, 23 integrity constraint violation, 54 program
limit exceeded: a value too long for an index entry; SQLite's constraint and "too big"
errors; a value the driver cannot send at all): then the batch can be written again row by
row, each in a savepoint, and only the row that fails is set aside. When the connection or
the server fails (class 08 connection, 57 operator intervention: a terminated backend, a
shutdown; 40 deadlock or serialisation; no SQLSTATE: the socket closed), no single row is
to blame and the error is raised.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, StatementError

ROW_SQLSTATE_CLASSES = ("22", "23", "54")
_VALUE_ERRORS = (ValueError, UnicodeError, OverflowError)
_SQLITE_ROW_MESSAGES = ("too big", "datatype mismatch", "constraint failed")


def _sqlite_row_error(orig: sqlite3.Error) -> bool:
    if isinstance(orig, (sqlite3.IntegrityError, sqlite3.DataError)):
        return True
    text = str(orig).lower()
    return any(m in text for m in _SQLITE_ROW_MESSAGES)


def row_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the fault of the values written (not of the connection)."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return False
        orig = exc.orig
        code = getattr(orig, "pgcode", None)
        if code:
            return str(code)[:2] in ROW_SQLSTATE_CLASSES
        if isinstance(orig, sqlite3.Error):
            return _sqlite_row_error(orig)
        return False
    if isinstance(exc, StatementError):  # raised while a value was bound
        return isinstance(exc.orig, _VALUE_ERRORS)
    return isinstance(exc, _VALUE_ERRORS)


def error_message(exc: BaseException) -> str:
    """The database's (or the driver's) own message, first line."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


@contextmanager
def savepoint(conn: Connection, name: str = "citymgmt_row") -> Iterator[None]:
    """Statements inside are undone alone when they raise (the transaction goes on)."""
    conn.exec_driver_sql(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException as exc:
        try:
            conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}")
            conn.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
        except Exception:  # the connection itself is gone: the first error says why
            raise exc from None
        raise
    conn.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
