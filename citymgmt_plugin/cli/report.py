"""``report``: the patrol reports of one ISO week as PDF (for a scheduled job).

    python -m citymgmt_plugin report WORKSPACE --week 2026-W46 --out DIR

Runs ``citymgmt:patrolreport`` (the same algorithm as the menu entry and the Processing
toolbox) and prints the files it wrote. Exit code 0 when the reports were written, 2 when
the week or the workspace cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.i18n import tr

REPORT_CHOICES = ("weekly", "monthly", "atlas")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help=tr("Cli", "write the weekly patrol report, the monthly KPI report and the atlas"),
    )
    p.add_argument(
        "workspace",
        metavar="WORKSPACE",
        help=tr("Cli", "GeoPackage path, postgresql:// URL or service=NAME"),
    )
    p.add_argument(
        "--week", default="", help=tr("Cli", "ISO week YYYY-Www (default: the last full week)")
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        help=tr("Cli", "output folder (default ./reports)"),
    )
    p.add_argument(
        "--reports",
        default=",".join(REPORT_CHOICES),
        help=tr("Cli", "which reports, comma-separated: weekly, monthly, atlas (default: all)"),
    )
    p.set_defaults(func=cmd_report)


def chosen_reports(text: str) -> list[int]:
    """Indexes of the REPORTS options; ValueError (translated) for an unknown name."""
    names = [s.strip() for s in text.split(",") if s.strip()]
    unknown = [n for n in names if n not in REPORT_CHOICES]
    if unknown or not names:
        raise ValueError(
            tr("Cli", "unknown report {0}: choose from weekly, monthly, atlas").format(
                ", ".join(unknown) or "''"
            )
        )
    return [REPORT_CHOICES.index(n) for n in names]


def cmd_report(args: argparse.Namespace) -> int:
    from ..core.reporting.weeks import IsoWeek

    try:
        if args.week:
            IsoWeek.parse(args.week)
        which = chosen_reports(args.reports)
    except ValueError as exc:
        print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
        return 2
    return _run(args, which)


def _run(args: argparse.Namespace, which: list[int]) -> int:
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from ..headless import start_qgis
    from ..processing_provider import runnable

    start_qgis()
    import processing

    class Feedback(QgsProcessingFeedback):
        def setProgressText(self, text: str) -> None:
            print(text, flush=True)

        def pushWarning(self, text: str) -> None:
            print(text, file=sys.stderr, flush=True)

    params = {
        "WORKSPACE": args.workspace,
        "WEEK": args.week,
        "REPORTS": which,
        "OUTPUT_FOLDER": str(args.out.resolve()),
    }
    try:
        result = processing.run(runnable("citymgmt:patrolreport"), params, feedback=Feedback())
    except QgsProcessingException as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        print(tr("Cli", "error: {0}").format(message), file=sys.stderr)
        return 2
    for key in ("WEEKLY_PDF", "MONTHLY_PDF", "ATLAS_PDF", "REPORT_DATA"):
        if result.get(key):
            print(result[key])
    return 0
