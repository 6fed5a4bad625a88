"""``classes`` sub-commands: a city's own class table, and the versions a workspace has had.

    python -m citymgmt_plugin classes load WORKSPACE FILE [--scheme legacy16|std17] [--events]
    python -m citymgmt_plugin classes history WORKSPACE [--scheme …] [--events]

FILE is a CSV (UTF-8 or GBK) or Excel sheet, one row per class: code, major_code,
major_name, name, geometry_kind, department_code, department_name, verify_hours,
check_hours, filing_standard, closing_standard (or their Chinese names, see
``resources/codes/README.md``). Exit code 0 when loaded, 1 when the table was refused
(every reason printed), 2 when the workspace or file cannot be opened.
"""

from __future__ import annotations

import argparse
import sys

from ..core.i18n import tr
from .common import add_workspace_argument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classes", help=tr("Cli", "class tables: load a city's own, history"))
    csub = p.add_subparsers(
        dest="classes_command",
        metavar="ACTION",
        help=tr("Cli", "load or history (ACTION --help: more)"),
    )
    csub.required = True
    load = csub.add_parser("load", help=tr("Cli", "load a city's class table as a new version"))
    add_workspace_argument(load)
    load.add_argument("file", metavar="FILE", help=tr("Cli", "CSV or Excel class table"))
    load.add_argument("--note", help=tr("Cli", "why the table changes (kept with the version)"))
    load.set_defaults(func=cmd_load)
    hist = csub.add_parser("history", help=tr("Cli", "the versions of a class table"))
    add_workspace_argument(hist)
    hist.set_defaults(func=cmd_history)
    for sp in (load, hist):
        sp.add_argument(
            "--scheme",
            choices=("legacy16", "std17"),
            help=tr("Cli", "identifier scheme of the component classes (default: the workspace's)"),
        )
        sp.add_argument("--events", action="store_true", help=tr("Cli", "the event classes"))


def _which(args: argparse.Namespace, ws):
    from ..core.census.class_tables import EVENTS, component_table

    if args.events:
        return EVENTS
    return component_table(args.scheme or ws.setting("component_scheme", "legacy16"))


def cmd_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..core.census.class_tables import ClassTableError, describe_version, load_class_table
    from ..core.workspace.store import Workspace

    if not Path(args.file).is_file():
        print(tr("Cli", "error: {0}").format(tr("Cli", "No such file: {0}").format(args.file)),
              file=sys.stderr)  # fmt: skip
        return 2
    ws = Workspace.open(args.workspace)
    try:
        try:
            version = load_class_table(ws, args.file, _which(args, ws), ws.actor, args.note)
        except ClassTableError as exc:
            print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
            return 1
        print(describe_version(version, ws.setting("timezone", "Asia/Shanghai")))
        return 0
    finally:
        ws.close()


def cmd_history(args: argparse.Namespace) -> int:
    from ..core.census.class_tables import describe_version, versions
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        with ws.engine.connect() as conn:
            for v in versions(conn, ws, _which(args, ws)):
                print(describe_version(v, ws.setting("timezone", "Asia/Shanghai")))
        return 0
    finally:
        ws.close()
