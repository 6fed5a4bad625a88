"""SQL parameter limits: long ``IN (...)`` lists sent in chunks both backends accept."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

_T = TypeVar("_T")

# Bound parameters per statement: under SQLite's limit (999 before 3.32), with room for the
# statement's other parameters; PostgreSQL allows far more.
SQL_PARAMS = 900


def chunked(items: Sequence[_T], size: int = SQL_PARAMS) -> Iterator[list[_T]]:
    """``items`` in consecutive lists of at most ``size``."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
