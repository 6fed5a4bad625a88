"""Arguments several commands share."""

from __future__ import annotations

import argparse

from ..core.i18n import tr


def add_workspace_argument(parser: argparse.ArgumentParser) -> None:
    """The positional WORKSPACE, with its help."""
    parser.add_argument(
        "workspace",
        metavar="WORKSPACE",
        help=tr(
            "Cli",
            "the workspace: a GeoPackage path, a postgresql:// URL (?schema=NAME, default "
            "citymgmt) or service=NAME; passwords come from the pg_service file, ~/.pgpass or "
            "PGPASSWORD",
        ),
    )
