"""Command line: ``python -m citymgmt_plugin …`` for admins and scheduled jobs.

WORKSPACE is a GeoPackage path, a ``postgresql://`` URL (``?schema=NAME``, default
``citymgmt``) or ``service=NAME``. Passwords come from the pg_service file, ~/.pgpass or
the PGPASSWORD environment variable, never from the command line.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..core.i18n import tr
from .argparse_texts import translated_argparse

# Modules that add sub-commands: each has register(subparsers) -> None.
COMMAND_MODULES = [
    "citymgmt_plugin.cli.db",
    "citymgmt_plugin.demo.command",
    "citymgmt_plugin.cli.ingest",
    "citymgmt_plugin.cli.census",
    "citymgmt_plugin.cli.classes",
    "citymgmt_plugin.cli.report",
    "citymgmt_plugin.cli.cases",
    "citymgmt_plugin.cli.tracks",
    "citymgmt_plugin.cli.kpi",
    "citymgmt_plugin.cli.figures",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m citymgmt_plugin",
        description=tr(
            "Cli", "Digital city management (数字城管) workspaces: schema, demo, intake."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"citymgmt {__version__}",
        help=tr("Argparse", "show program's version number and exit"),
    )
    parser.add_argument(
        "--lang",
        metavar="LOCALE",
        help=tr("Cli", "language of messages, e.g. zh_CN or en (default: from LANG)"),
    )
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", help=tr("Cli", "what to do (COMMAND --help: more)")
    )
    sub.required = True
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:  # the zip carries no demo
            importlib.import_module(name).register(sub)
    return parser


def user_locale(argv: Sequence[str]) -> str:
    """``--lang X`` if given, else the POSIX locale of the environment (LC_ALL, LANG …)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0].split(":")[0]
    return "en"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    locale = user_locale(argv)
    if not locale.startswith("en"):
        from ..headless import install_translator

        install_translator(locale)  # before the parser: its help text is translated too
    with translated_argparse():  # argparse's own words in the user's language too
        parser = build_parser()
        args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the message, not a traceback, for a scheduled job's log
        from ..core.workspace.store import WorkspaceError

        if isinstance(exc, WorkspaceError):
            print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
            return 2
        raise
