"""``ingest``: pull field submissions into a workspace (for a scheduled job).

    python -m citymgmt_plugin ingest WORKSPACE --odk URL --project N --form ID [--user EMAIL]
    python -m citymgmt_plugin ingest WORKSPACE --file EXPORT [--crs GCJ02]
    python -m citymgmt_plugin ingest WORKSPACE --inbox SCHEMA.TABLE

The ODK Central password comes from the CITYMGMT_ODK_PASSWORD environment variable (or a
QGIS authentication configuration, ``--authcfg``), never from the command line, and only
over https unless ``--allow-http`` is given. The workspace remembers the source without the
account (the dock's Sources… dialog binds each person's own). Exit code 0 when the pull
finished, 1 when it stopped part-way (what was stored stays; the next run resumes), 2 when
the workspace or the source cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..core.i18n import tr
from ..core.labels import auto_match_text, join, quarantine_reason_label
from .common import add_workspace_argument

if TYPE_CHECKING:
    from ..core.workspace.store import Workspace


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help=tr("Cli", "pull field-device submissions into a workspace"))
    add_workspace_argument(p)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--odk", metavar="URL", help=tr("Cli", "ODK Central server URL"))
    where.add_argument(
        "--file",
        metavar="PATH",
        help=tr("Cli", "device export: GeoJSON or CSV file, or its folder"),
    )
    where.add_argument(
        "--inbox", metavar="TABLE", help=tr("Cli", "PostGIS inbox table (schema.table)")
    )
    p.add_argument("--project", help=tr("Cli", "ODK Central project id"))
    p.add_argument("--form", help=tr("Cli", "ODK Central form id"))
    p.add_argument(
        "--user", help=tr("Cli", "ODK Central account e-mail (password: CITYMGMT_ODK_PASSWORD)")
    )
    p.add_argument(
        "--authcfg", help=tr("Cli", "QGIS authentication configuration with the ODK account")
    )
    p.add_argument(
        "--allow-http",
        action="store_true",
        help=tr("Cli", "send the ODK password over unencrypted http (not recommended)"),
    )
    p.add_argument(
        "--crs",
        choices=["WGS84", "GCJ02", "BD09", "CGCS2000", "unknown"],
        help=tr(
            "Cli", "coordinate system of the source (files default: unknown, checked against roads)"
        ),
    )
    p.add_argument(
        "--photos", metavar="PATH", help=tr("Cli", "photo folder or zip of a device export")
    )
    p.add_argument(
        "--source-name", default="device", help=tr("Cli", "name of a file source (default: device)")
    )
    p.add_argument("--no-photos", action="store_true", help=tr("Cli", "do not download photos"))
    p.add_argument("--page-size", type=int, default=1000, help=tr("Cli", "submissions per page"))
    p.add_argument(
        "--auto-match", action="store_true", help=tr("Cli", "then decide obvious matches")
    )
    p.set_defaults(func=cmd_ingest)


def _remember_source(ws: Workspace, key: str, config: dict[str, Any]) -> None:
    """Keep the source's shared configuration for the dock and write-back, when it is new or
    changed and this login may (on PostGIS only an admin changes source configurations; a
    pull service goes on with its own arguments and says it did not save them)."""
    from sqlalchemy.exc import DBAPIError

    from ..core.submissions import save_source_config, source_configs
    from ..core.submissions.sources.configs import shared_config

    if source_configs(ws).get(key) == shared_config(config):
        return
    try:
        save_source_config(ws, key, config, actor="cli")
    except DBAPIError as exc:
        if getattr(exc.orig, "pgcode", None) != "42501":
            raise
        print(
            tr(
                "Cli",
                "note: the source configuration was not saved: only a workspace admin may "
                "change it. The pull goes on with the arguments given.",
            ),
            file=sys.stderr,
        )


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..core.qgis.accounts import odk_login
    from ..core.submissions import IngestError, ingest
    from ..core.submissions.sources.configs import (
        SourceConfigError,
        folder_config,
        odk_config,
        open_source,
    )
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        login = None
        if args.odk:
            if not args.project or not args.form:
                print(tr("Cli", "error: --odk needs --project and --form"), file=sys.stderr)
                return 2
            config = odk_config(
                args.odk, args.project, args.form, args.crs or "WGS84", args.page_size
            )
        elif args.file:
            config = folder_config(args.file, args.source_name, args.crs or "unknown", args.photos)
        else:
            config = {"type": "inbox", "table": args.inbox, "crs": args.crs or "WGS84"}
        try:
            if args.odk:
                login = odk_login(args.authcfg, args.user)
            source = open_source(
                ws, config, login=login, allow_http=args.allow_http, photos=not args.no_photos
            )
        except (SourceConfigError, OSError, ValueError) as exc:
            print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
            return 2
        if config["type"] != "file":
            _remember_source(ws, source.key, config)

        def progress(r):
            print(tr("Cli", "  page {0}: {1} read").format(r.pages, r.read), flush=True)

        try:
            report = ingest(ws, source, photos=not args.no_photos, progress=progress)
        except IngestError as exc:
            print(exc.report.summary())
            print(tr("Cli", "error: {0} (the next run resumes here)").format(exc), file=sys.stderr)
            return 1
        print(report.summary())
        if report.reasons:
            print(
                tr("Cli", "Quarantined by reason: {0}").format(
                    join(
                        f"{quarantine_reason_label(k)} {v}"
                        for k, v in sorted(report.reasons.items())
                    )
                )
            )
        if args.auto_match:
            from ..core.submissions.review import auto_match

            # decisions on this source are written back with this run's account
            writers = {source.key: source if hasattr(source, "write_review") else None}
            matched = auto_match(ws, writer_for=lambda key: writers.get(key))
            print(tr("Cli", "Auto-match: {0}").format(auto_match_text(matched)))
        from ..core.cases.intake import after_intake  # task results, cases of reports

        loop = after_intake(ws).text()
        if loop:
            print(loop)
        return 0
    finally:
        ws.close()
