"""Command line: ``python -m citymgmt_plugin …`` for admins and scheduled jobs.

WORKSPACE is a GeoPackage path, a ``postgresql://`` URL (``?schema=NAME``, default
``citymgmt``) or ``service=NAME``. Passwords come from the pg_service file, ~/.pgpass or
the PGPASSWORD environment variable, never from the command line.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .core.i18n import tr

# Modules that add sub-commands: each has register(subparsers) -> None.
COMMAND_MODULES = [
    "citymgmt_plugin.cli_db",
    "citymgmt_plugin.cli_demo",
    "citymgmt_plugin.cli_ingest",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m citymgmt_plugin",
        description=tr(
            "Cli", "Digital city management (数字城管) workspaces: schema, demo, intake."
        ),
    )
    parser.add_argument("--version", action="version", version=f"citymgmt {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the message, not a traceback, for a scheduled job's log
        from .core.store import WorkspaceError

        if isinstance(exc, WorkspaceError):
            print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
            return 2
        raise
