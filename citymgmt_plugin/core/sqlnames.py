"""SQL names (schemas, tables, columns, roles): checked strictly, then always quoted.

Names that come from a user, a template or another system are built into SQL only after
:func:`check_name` accepted them: 1 to 63 ASCII lower-case letters, digits and ``_``,
starting with a letter or ``_`` (PostgreSQL's limit, and a form every client, GeoPackage and
QGIS provider handles without quoting surprises). Anything else (quotes, semicolons, spaces,
newlines, upper case, look-alike Unicode letters, names longer than PostgreSQL keeps) is
refused with a translated message naming what was wrong, instead of being cut, folded or
pasted into a statement. :func:`quote` then quotes the name as SQL's standard says, so even a
name that slipped past a check could not end the identifier.
"""

from __future__ import annotations

import re

from .i18n import tr

MAX_LENGTH = 63  # PostgreSQL's NAMEDATALEN - 1: longer names are silently cut
_NAME = re.compile(r"[a-z_][a-z0-9_]*", re.ASCII)
# Inbox tables belong to another system, which may use upper-case column names.
_FOREIGN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


class SqlNameError(ValueError):
    """A name that must not be built into SQL (message translated)."""


def check_name(name: object, what: str = "", max_length: int = MAX_LENGTH) -> str:
    """``name`` when it is a safe SQL name of at most ``max_length`` characters.

    ``what`` says in the message what the name is for ("Table name", "Schema name" …).
    """
    return _check(name, what, max_length, _NAME)


def check_foreign_name(name: object, what: str = "", max_length: int = MAX_LENGTH) -> str:
    """Like :func:`check_name`, upper-case letters allowed (another system's tables)."""
    return _check(name, what, max_length, _FOREIGN_NAME)


def _check(name: object, what: str, max_length: int, pattern: re.Pattern[str]) -> str:
    label = what or tr("SqlNames", "Name")
    if not isinstance(name, str) or not pattern.fullmatch(name):
        raise SqlNameError(
            tr(
                "SqlNames",
                "{0} {1} is not allowed: use lower-case letters a-z, digits and _, "
                "starting with a letter or _.",
            ).format(label, _shown(name))
        )
    if len(name) > max_length:
        raise SqlNameError(
            tr("SqlNames", "{0} {1} is too long: at most {2} characters.").format(
                label, _shown(name), max_length
            )
        )
    if name.startswith("pg_"):
        raise SqlNameError(
            tr("SqlNames", "{0} {1} is not allowed: names starting with pg_ are reserved.").format(
                label, _shown(name)
            )
        )
    return name


def _shown(name: object) -> str:
    """The name as the message shows it: quoted, with newlines and the like made visible."""
    text = name if isinstance(name, str) else str(name)
    if len(text) > 80:
        text = text[:77] + "…"
    return repr(text)


def quote(name: str) -> str:
    """``name`` as a quoted SQL identifier (double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str | None, name: str) -> str:
    """``"schema"."name"`` (or ``"name"`` without a schema), both parts quoted."""
    return f"{quote(schema)}.{quote(name)}" if schema else quote(name)
