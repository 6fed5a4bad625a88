"""Who works in a PostGIS workspace: logins made members of its roles, with their districts.

:func:`grant_role` makes a login a member of ``<schema>_<role>`` and, for editors, reviewers
and viewers, may limit it to districts (6-digit district or 9-digit street codes of the
workspace's admin units); :func:`revoke_role` takes roles away; :func:`members` lists them.
Each change is audited. The workspace owner, a login with CREATEROLE, or an admin (for every
role but admin) may run them; PostgreSQL refuses anyone else.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, delete, select, text

from ..i18n import tr
from ..sqlnames import quote
from .security import (
    DISTRICT_ROLES,
    ROLES,
    Member,
    SecurityError,
    existing_roles,
    require_postgres,
    role_names,
)
from .store import Workspace, audit

_CODE = re.compile(r"[0-9]{6}|[0-9]{9}", re.ASCII)
_LEVEL = {6: "district", 9: "street"}


def _check_role(role: str, districts: list[str] | None) -> None:
    if role not in ROLES:
        raise SecurityError(
            tr("Security", "No role {0}: choose one of {1}.").format(role, ", ".join(ROLES))
        )
    if districts and role not in DISTRICT_ROLES:
        raise SecurityError(
            tr("Security", "The {0} role works for every district; it cannot be limited.").format(
                role
            )
        )


def _check_login(conn: Connection, login: str, names: dict[str, str]) -> None:
    row = conn.execute(
        text("SELECT rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = :n"), {"n": login}
    ).first()
    if row is None or not row[0] or login in names.values():
        raise SecurityError(
            tr(
                "Security",
                "No login {0} in this database: create it first "
                "(CREATE ROLE … LOGIN, with its password or other authentication).",
            ).format(repr(login))
        )


def _check_districts(conn: Connection, ws: Workspace, codes: list[str]) -> list[str]:
    """``codes`` when each is a district or street of the workspace, else SecurityError."""
    bad = [c for c in codes if not isinstance(c, str) or not _CODE.fullmatch(c)]
    a = ws.schema.admin_units
    known = set(conn.execute(select(a.c.code, a.c.level).where(a.c.code.in_(codes))).all())
    bad += [c for c in codes if c not in bad and (c, _LEVEL[len(c)]) not in known]
    if bad:
        raise SecurityError(
            tr(
                "Security",
                "Not a district (6 digits) or street (9 digits) of this workspace: {0}",
            ).format(", ".join(repr(c) for c in bad))
        )
    return sorted(set(codes))


def _groups_of(conn: Connection, login: str, names: dict[str, str]) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT g.rolname FROM pg_catalog.pg_auth_members am "
            "JOIN pg_catalog.pg_roles g ON g.oid = am.roleid "
            "JOIN pg_catalog.pg_roles m ON m.oid = am.member "
            "WHERE m.rolname = :login AND g.rolname = ANY(:names)"
        ),
        {"login": login, "names": list(names.values())},
    )
    by_name = {v: k for k, v in names.items()}
    return sorted((by_name[r[0]] for r in rows), key=ROLES.index)


def _set_districts(conn: Connection, ws: Workspace, login: str, codes: list[str]) -> None:
    t = ws.schema.role_districts
    conn.execute(delete(t).where(t.c.login == login))
    if codes:
        conn.execute(t.insert(), [{"login": login, "district_code": c} for c in codes])


def grant_role(ws: Workspace, login: str, role: str, districts: list[str] | None = None) -> Member:
    """Make ``login`` a member of the workspace's ``role``; with ``districts`` (editor,
    reviewer, viewer) the login is limited to them, replacing any earlier list."""
    require_postgres(ws)
    _check_role(role, districts)
    names = role_names(ws.spec.schema)
    with ws.begin() as conn:
        if existing_roles(conn, names.values()) != set(names.values()):
            raise SecurityError(
                tr("Security", "The workspace has no roles yet: run db roles first.")
            )
        _check_login(conn, login, names)
        if districts and "admin" in _groups_of(conn, login, names):
            raise SecurityError(
                tr("Security", "{0} is an admin, who works for every district.").format(login)
            )
        codes = _check_districts(conn, ws, districts) if districts else None
        conn.execute(text(f"GRANT {quote(names[role])} TO {quote(login)}"))
        if codes is not None:
            _set_districts(conn, ws, login, codes)
        detail = {"login": login, "role": role, "districts": codes}
        audit(conn, ws.schema, ws.actor, "security.grant", "role_districts", None, detail)
    return member(ws, login)


def revoke_role(ws: Workspace, login: str, role: str | None = None) -> Member:
    """Take ``role`` (default: every role of this workspace) from ``login``; a login left
    with none loses its district list too."""
    require_postgres(ws)
    if role is not None:
        _check_role(role, None)
    names = role_names(ws.spec.schema)
    with ws.begin() as conn:
        held = _groups_of(conn, login, names)
        for r in [role] if role else held:
            if r in held:
                conn.execute(text(f"REVOKE {quote(names[r])} FROM {quote(login)}"))
        if not [r for r in held if r != role] or role is None:
            _set_districts(conn, ws, login, [])
        detail = {"login": login, "role": role or "all"}
        audit(conn, ws.schema, ws.actor, "security.revoke", "role_districts", None, detail)
    return member(ws, login)


def member(ws: Workspace, login: str) -> Member:
    """The roles and districts of ``login`` in this workspace."""
    names = role_names(ws.spec.schema)
    t = ws.schema.role_districts
    with ws.engine.connect() as conn:
        roles = _groups_of(conn, login, names)
        codes = conn.execute(
            select(t.c.district_code).where(t.c.login == login).order_by(t.c.district_code)
        ).scalars()
        return Member(login, tuple(roles), tuple(codes))


def members(ws: Workspace) -> list[Member]:
    """Every login with a role in this workspace, by name."""
    require_postgres(ws)
    names = role_names(ws.spec.schema)
    with ws.engine.connect() as conn:
        logins = conn.execute(
            text(
                "SELECT DISTINCT m.rolname FROM pg_catalog.pg_auth_members am "
                "JOIN pg_catalog.pg_roles g ON g.oid = am.roleid "
                "JOIN pg_catalog.pg_roles m ON m.oid = am.member "
                "WHERE g.rolname = ANY(:names) AND m.rolcanlogin ORDER BY 1"
            ),
            {"names": list(names.values())},
        ).scalars()
        logins = list(logins)
    return [member(ws, login) for login in logins]
