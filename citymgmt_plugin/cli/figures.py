"""``roster``, ``spotcheck`` and ``missed``: what the contract figures need besides reports.

    python -m citymgmt_plugin roster import WORKSPACE FILE.csv
    python -m citymgmt_plugin roster set WORKSPACE COLLECTOR FIRST LAST STATUS
    python -m citymgmt_plugin spotcheck sample WORKSPACE --day YYYY-MM-DD [--per-district N]
    python -m citymgmt_plugin spotcheck record WORKSPACE FILE.csv
    python -m citymgmt_plugin missed detect WORKSPACE --month YYYY-MM
    python -m citymgmt_plugin missed list WORKSPACE
    python -m citymgmt_plugin missed confirm|dismiss WORKSPACE ID… [--note TEXT]

A spot-check CSV has one row per finding, or a row without kind for a clean grid:
``grid_code, day, time, kind, class_code, lon, lat, description`` (WGS84 lon/lat).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..core.i18n import tr
from .common import add_workspace_argument


def register(sub: argparse._SubParsersAction) -> None:
    _roster(sub)
    _spotcheck(sub)
    _missed(sub)


def _roster(sub) -> None:
    r = sub.add_parser("roster", help=tr("Cli", "the collectors' duty roster"))
    rs = r.add_subparsers(
        dest="roster_command",
        metavar="ACTION",
        help=tr("Cli", "import or set (ACTION --help: more)"),
    )
    rs.required = True
    imp = rs.add_parser("import", help=tr("Cli", "import a roster CSV (collector, day, status)"))
    add_workspace_argument(imp)
    imp.add_argument(
        "file", metavar="FILE", help=tr("Cli", "the roster (CSV: collector_code, day, status)")
    )
    imp.set_defaults(func=cmd_roster_import)
    put = rs.add_parser("set", help=tr("Cli", "enter one status for a collector over days"))
    add_workspace_argument(put)
    put.add_argument("collector", help=tr("Cli", "the collector's code"))
    put.add_argument(
        "first", type=date.fromisoformat, metavar="FIRST", help=tr("Cli", "first day (YYYY-MM-DD)")
    )
    put.add_argument(
        "last", type=date.fromisoformat, metavar="LAST", help=tr("Cli", "last day (YYYY-MM-DD)")
    )
    put.add_argument(
        "status",
        choices=["on_duty", "absent", "leave", "off"],
        help=tr("Cli", "on duty, absent, on leave or off"),
    )
    put.set_defaults(func=cmd_roster_set)


def _spotcheck(sub) -> None:
    s = sub.add_parser("spotcheck", help=tr("Cli", "spot checks (现场检查) of sampled grids"))
    ss = s.add_subparsers(
        dest="spot_command",
        metavar="ACTION",
        help=tr("Cli", "sample or record (ACTION --help: more)"),
    )
    ss.required = True
    smp = ss.add_parser("sample", help=tr("Cli", "draw grids to check on a day"))
    add_workspace_argument(smp)
    smp.add_argument(
        "--day",
        required=True,
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help=tr("Cli", "the day of the checks"),
    )
    smp.add_argument(
        "--per-district", type=int, default=5, help=tr("Cli", "grids drawn per district")
    )
    smp.set_defaults(func=cmd_spot_sample)
    rec = ss.add_parser("record", help=tr("Cli", "record checks and findings from a CSV"))
    add_workspace_argument(rec)
    rec.add_argument("file", metavar="FILE", help=tr("Cli", "the checks and their findings (CSV)"))
    rec.add_argument("--inspector", help=tr("Cli", "who checked (default: you)"))
    rec.set_defaults(func=cmd_spot_record)


def _missed(sub) -> None:
    m = sub.add_parser("missed", help=tr("Cli", "missed reports (漏报): find and decide"))
    ms = m.add_subparsers(
        dest="missed_command",
        metavar="ACTION",
        help=tr("Cli", "detect, list, confirm or dismiss (ACTION --help: more)"),
    )
    ms.required = True
    det = ms.add_parser("detect", help=tr("Cli", "find the candidates of a month"))
    add_workspace_argument(det)
    det.add_argument(
        "--month", required=True, metavar="YYYY-MM", help=tr("Cli", "the month to search")
    )
    det.set_defaults(func=cmd_missed_detect)
    lst = ms.add_parser("list", help=tr("Cli", "list the candidates still to decide"))
    add_workspace_argument(lst)
    lst.set_defaults(func=cmd_missed_list)
    for name, confirm in (("confirm", True), ("dismiss", False)):
        d = ms.add_parser(name, help=tr("Cli", "confirm or dismiss candidates by id"))
        add_workspace_argument(d)
        d.add_argument(
            "ids", nargs="+", type=int, metavar="ID", help=tr("Cli", "candidate ids (missed list)")
        )
        d.add_argument("--note", help=tr("Cli", "why (kept with the decision)"))
        d.set_defaults(func=cmd_missed_decide, confirm=confirm)


def cmd_roster_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..core.reporting.roster_store import import_csv
    from ..core.workspace.store import Workspace

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        print(tr("Cli", "error: {0}").format(exc.strerror), file=sys.stderr)
        return 2
    ws = Workspace.open(args.workspace)
    try:
        rep = import_csv(ws, text)
    except ValueError as exc:
        print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(
        tr("Cli", "Roster: {0} days stored, {1} rows not usable.").format(
            rep.stored, len(rep.problems)
        )
    )
    for p in rep.problems[:20]:
        print(tr("Cli", "  line {0}: {1}").format(p.line, p.reason))
    if rep.unknown:
        print(tr("Cli", "Not collectors of this workspace: {0}").format(", ".join(rep.unknown)))
    return 0


def cmd_roster_set(args: argparse.Namespace) -> int:
    from ..core.reporting.roster_store import RosterError, set_days
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        n = set_days(ws, args.collector, args.first, args.last, args.status)
    except RosterError as exc:
        print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(tr("Cli", "Roster: {0} days stored.").format(n))
    return 0


def cmd_spot_sample(args: argparse.Namespace) -> int:
    from ..core.reporting.spotchecks import sample
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        grids = sample(ws, args.day, args.per_district)
    finally:
        ws.close()
    print(tr("Cli", "Spot checks planned for {0}: {1}").format(args.day, ", ".join(grids) or "—"))
    return 0


def cmd_spot_record(args: argparse.Namespace) -> int:
    from ..core.reporting.spotcheck_csv import record_csv
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        checks, findings, problems = record_csv(ws, args.file, args.inspector)
    except (OSError, ValueError) as exc:
        print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(tr("Cli", "Spot checks recorded: {0} grids, {1} findings.").format(checks, findings))
    for line, reason in problems[:20]:
        print(tr("Cli", "  line {0}: {1}").format(line, reason))
    return 0


def cmd_missed_detect(args: argparse.Namespace) -> int:
    from ..core.reporting.missed_store import detect
    from ..core.reporting.monthly import month_bounds, month_of
    from ..core.reporting.profile_store import load_profile
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        profile = load_profile(ws)
        start, end = month_bounds(month_of(args.month), profile.timezone)
        rep = detect(ws, start, end, profile.missed)
    finally:
        ws.close()
    print(
        tr(
            "Cli",
            "Missed reports (漏报): {0} problems found by other channels, {1} new "
            "candidates, {2} already known.",
        ).format(rep.problems, rep.new, rep.known)
    )
    return 0


def cmd_missed_list(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from ..core.reporting.missed_store import open_candidates
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        rows = open_candidates(ws)
        zone = ZoneInfo(ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai")
    finally:
        ws.close()
    for r in rows:
        print(
            tr("Cli", "{0}: {1} {2} {3} found {4} in grid {5}; {6} patrolled it at {7}").format(
                r["id"],
                r["ref"],
                r["kind"],
                r["class_code"] or "",
                f"{r['found_at'].astimezone(zone):%Y-%m-%d %H:%M}",
                r["grid_code"],
                r["collector_code"],
                f"{r['patrolled_at'].astimezone(zone):%H:%M}",
            )
        )
    if not rows:
        print(tr("Cli", "No candidate to decide."))
    return 0


def cmd_missed_decide(args: argparse.Namespace) -> int:
    from ..core.reporting.missed_store import decide
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        n = decide(ws, args.ids, args.confirm, args.note)
    finally:
        ws.close()
    print(
        tr("Cli", "{0} of {1} decided (the others were no longer open).").format(n, len(args.ids))
    )
    return 0
