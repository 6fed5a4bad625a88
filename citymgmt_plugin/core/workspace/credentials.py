"""Database credentials handed to a connection when it opens, never kept on a spec or URL.

Where they come from (a QGIS authentication configuration) is :mod:`..qgis.auth`; here is
only what SQLAlchemy needs: the user name and password, and the ``do_connect`` hooks that
apply them to an engine, or to every PostgreSQL connection a thread opens in a block.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass(frozen=True)
class Credentials:
    """User name and password read from the authentication database (held in memory only)."""

    username: str = ""
    password: str = field(default="", repr=False)

    def apply(self, cparams: dict[str, Any]) -> None:
        if self.username:
            cparams["user"] = self.username
        if self.password:
            cparams["password"] = self.password


def attach_fixed_credentials(engine: Engine, credentials: Credentials) -> Engine:
    """Use already resolved ``credentials`` (e.g. in a worker thread) for ``engine``."""

    def _inject(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        credentials.apply(cparams)

    event.listen(engine, "do_connect", _inject)
    return engine


_scope = threading.local()
_scope_lock = threading.Lock()
_scope_listening = False


def _scoped_inject(dialect: Any, conn_rec: Any, cargs: Any, cparams: dict[str, Any]) -> None:
    credentials = getattr(_scope, "credentials", None)
    if credentials is not None and dialect.name == "postgresql":
        credentials.apply(cparams)


@contextmanager
def credentials_scope(credentials: Credentials | None) -> Iterator[None]:
    """PostgreSQL connections opened by this thread inside the block use ``credentials``.

    For code that builds its own engine (``store.upgrade``) where no engine is at hand.
    """
    global _scope_listening
    if credentials is None:
        yield
        return
    with _scope_lock:
        if not _scope_listening:
            event.listen(Engine, "do_connect", _scoped_inject)
            _scope_listening = True
    previous = getattr(_scope, "credentials", None)
    _scope.credentials = credentials
    try:
        yield
    finally:
        _scope.credentials = previous
