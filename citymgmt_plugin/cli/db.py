"""``db`` sub-commands: create/upgrade a workspace schema, show what it holds, and set up who
may do what in a PostGIS workspace (roles, grants, districts)."""

from __future__ import annotations

import argparse

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

from ..core.i18n import tr
from ..core.labels import (
    chinese,
    labelled,
    pad,
    scheme_label,
    text_width,
    workspace_table_label,
)
from ..core.sqlnames import quote
from ..core.workspace.connection import schema_state
from ..core.workspace.members import Member, grant_role, members, revoke_role
from ..core.workspace.schema import DEFAULT_SRID
from ..core.workspace.security import ROLES, create_roles
from ..core.workspace.store import (
    UpgradeOptions,
    Workspace,
    WorkspaceError,
    WorkspaceSpec,
    describe_actor,
    upgrade,
)
from .common import add_workspace_argument


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help=tr("Cli", "workspace schema"))
    dbsub = db.add_subparsers(
        dest="db_command", metavar="ACTION", help=tr("Cli", "upgrade or info (ACTION --help: more)")
    )
    dbsub.required = True
    up = dbsub.add_parser("upgrade", help=tr("Cli", "create or upgrade the schema"))
    add_workspace_argument(up)
    up.add_argument(
        "--srid",
        type=int,
        default=DEFAULT_SRID,
        help=tr("Cli", "workspace CRS when creating (default 4549)"),
    )
    up.add_argument(
        "--legacy14", action="store_true", help=tr("Cli", "accept legacy 14-digit unit grid codes")
    )
    up.add_argument(
        "--scheme",
        choices=["legacy16", "std17"],
        default="legacy16",
        help=tr("Cli", "component identifier scheme"),
    )
    up.set_defaults(func=cmd_upgrade)
    info = dbsub.add_parser("info", help=tr("Cli", "show schema version and row counts"))
    add_workspace_argument(info)
    info.set_defaults(func=cmd_info)
    _register_security(dbsub)


def _register_security(dbsub: argparse._SubParsersAction) -> None:
    roles = dbsub.add_parser(
        "roles",
        help=tr("Cli", "create the workspace's roles, grants and district limits (PostGIS)"),
    )
    add_workspace_argument(roles)
    roles.set_defaults(func=cmd_roles)
    grant = dbsub.add_parser("grant", help=tr("Cli", "give a database login a workspace role"))
    add_workspace_argument(grant)
    grant.add_argument("login", metavar="LOGIN", help=tr("Cli", "the database login"))
    grant.add_argument(
        "role",
        metavar="ROLE",
        choices=ROLES,
        help=tr("Cli", "the role: {0}").format(", ".join(ROLES)),
    )
    grant.add_argument(
        "--district",
        action="append",
        metavar="CODE",
        help=tr(
            "Cli",
            "limit the login to this district (6 digits) or street (9 digits); repeat for "
            "more; replaces the login's earlier list",
        ),
    )
    grant.set_defaults(func=cmd_grant)
    revoke = dbsub.add_parser("revoke", help=tr("Cli", "take workspace roles from a login"))
    add_workspace_argument(revoke)
    revoke.add_argument("login", metavar="LOGIN", help=tr("Cli", "the database login"))
    revoke.add_argument(
        "role",
        metavar="ROLE",
        nargs="?",
        choices=ROLES,
        help=tr("Cli", "the role to take (default: every workspace role): {0}").format(
            ", ".join(ROLES)
        ),
    )
    revoke.set_defaults(func=cmd_revoke)


def cmd_upgrade(args: argparse.Namespace) -> int:
    spec = WorkspaceSpec.parse(args.workspace)
    options = UpgradeOptions(
        srid=args.srid, grid_code_legacy14=args.legacy14, component_scheme=args.scheme
    )
    rev = upgrade(spec, options)
    print(tr("Cli", "{0}: schema at revision {1}").format(spec.display(), rev))
    return 0


def _table_text(name: str) -> str:
    """A table by what it holds; in English with its name too, for SQL (in Chinese the
    name would be an untranslated key)."""
    label = workspace_table_label(name)
    return label if chinese() or label == name else f"{label} ({name})"


def cmd_info(args: argparse.Namespace) -> int:
    """The workspace, its schema revision, settings that matter and the rows of each table
    (tables by their names in the user's language)."""
    ws = Workspace.open(args.workspace)
    try:
        print(tr("Cli", "Workspace: {0}").format(ws.spec.display()))
        print(schema_state(ws.spec).describe())
        print(tr("Cli", "CRS: EPSG:{0}").format(ws.srid))
        print(
            labelled(
                tr("Cli", "Component identifiers"),
                scheme_label(ws.setting("component_scheme", "legacy16")),
            )
        )
        print(labelled(tr("Cli", "Office time zone"), ws.setting("timezone", "Asia/Shanghai")))
        print(describe_actor(ws))
        rows = []
        with ws.engine.connect() as conn:
            for name, table in sorted(ws.schema.metadata.tables.items()):
                if not _may_read(conn, ws, name):  # a role that may not (the district list)
                    rows.append((_table_text(name), "-"))
                    continue
                n = conn.execute(select(func.count()).select_from(table)).scalar()
                rows.append((_table_text(name), n))
        print(tr("Cli", "Rows per table:"))
        width = max(text_width(label) for label, _ in rows)
        for label, n in rows:
            print(f"  {pad(label, width)} {n:>10}")
    finally:
        ws.close()
    return 0


def _may_read(conn: Connection, ws: Workspace, table: str) -> bool:
    if not ws.is_postgres:
        return True
    return bool(
        conn.execute(
            text("SELECT has_table_privilege(:t, 'SELECT')"),
            {"t": f"{quote(ws.spec.schema)}.{quote(table)}"},
        ).scalar()
    )


def _refused(exc: DBAPIError) -> WorkspaceError:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return WorkspaceError(
        tr("Cli", "PostgreSQL refused: {0}").format(lines[0] if lines else type(exc).__name__)
    )


def _describe(m: Member) -> str:
    where = ", ".join(m.districts) if m.districts else tr("Cli", "all districts")
    roles = ", ".join(m.roles) if m.roles else tr("Cli", "no role")
    return tr("Cli", "{0}: {1} ({2})").format(m.login, roles, where)


def cmd_roles(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.workspace)
    try:
        names = create_roles(ws)
        print(tr("Cli", "Roles of {0}: {1}").format(ws.spec.display(), ", ".join(names)))
        for m in members(ws):
            print("  " + _describe(m))
    except DBAPIError as exc:
        raise _refused(exc) from exc
    finally:
        ws.close()
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.workspace)
    try:
        print(_describe(grant_role(ws, args.login, args.role, args.district)))
    except DBAPIError as exc:
        raise _refused(exc) from exc
    finally:
        ws.close()
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.workspace)
    try:
        print(_describe(revoke_role(ws, args.login, args.role)))
    except DBAPIError as exc:
        raise _refused(exc) from exc
    finally:
        ws.close()
    return 0
