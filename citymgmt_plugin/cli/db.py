"""``db`` sub-commands: create/upgrade a workspace schema and show what it holds."""

from __future__ import annotations

import argparse

from sqlalchemy import func, select

from ..core.i18n import tr
from ..core.workspace.schema import DEFAULT_SRID
from ..core.workspace.store import UpgradeOptions, Workspace, WorkspaceSpec, describe_actor, upgrade


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help=tr("Cli", "workspace schema"))
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    dbsub.required = True
    up = dbsub.add_parser("upgrade", help=tr("Cli", "create or upgrade the schema"))
    up.add_argument("workspace", metavar="WORKSPACE")
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
    info.add_argument("workspace", metavar="WORKSPACE")
    info.set_defaults(func=cmd_info)


def cmd_upgrade(args: argparse.Namespace) -> int:
    spec = WorkspaceSpec.parse(args.workspace)
    options = UpgradeOptions(
        srid=args.srid, grid_code_legacy14=args.legacy14, component_scheme=args.scheme
    )
    rev = upgrade(spec, options)
    print(tr("Cli", "{0}: schema at revision {1}").format(spec.display(), rev))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.workspace)
    try:
        print(tr("Cli", "Workspace: {0}").format(ws.spec.display()))
        print(tr("Cli", "CRS: EPSG:{0}").format(ws.srid))
        print(describe_actor(ws))
        with ws.engine.connect() as conn:
            for name, table in sorted(ws.schema.metadata.tables.items()):
                n = conn.execute(select(func.count()).select_from(table)).scalar()
                print(f"  {name:<24} {n:>10}")
    finally:
        ws.close()
    return 0
