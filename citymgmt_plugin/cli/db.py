"""``db`` sub-commands: create/upgrade a workspace schema and show what it holds."""

from __future__ import annotations

import argparse

from sqlalchemy import func, select

from ..core.i18n import tr
from ..core.labels import (
    chinese,
    labelled,
    pad,
    scheme_label,
    text_width,
    workspace_table_label,
)
from ..core.workspace.connection import schema_state
from ..core.workspace.schema import DEFAULT_SRID
from ..core.workspace.store import UpgradeOptions, Workspace, WorkspaceSpec, describe_actor, upgrade
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
                n = conn.execute(select(func.count()).select_from(table)).scalar()
                rows.append((_table_text(name), n))
        print(tr("Cli", "Rows per table:"))
        width = max(text_width(label) for label, _ in rows)
        for label, n in rows:
            print(f"  {pad(label, width)} {n:>10}")
    finally:
        ws.close()
    return 0
