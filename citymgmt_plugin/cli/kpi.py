"""``kpi`` and ``contract``: a month's contract figures, scores and payment; the profile.

    python -m citymgmt_plugin kpi WORKSPACE --month YYYY-MM [--out DIR] [--contract FILE]
    python -m citymgmt_plugin contract show WORKSPACE
    python -m citymgmt_plugin contract set WORKSPACE FILE.json
    python -m citymgmt_plugin contract examples

``kpi`` prints the month (KPIs, 错报, 漏报, spot checks, scores, payment) in the chosen
language and writes the tables as CSV into ``--out`` (default ``kpi-YYYY-MM``). Exit code 0,
2 when the workspace or the profile cannot be used.
"""

from __future__ import annotations

import argparse
import sys

from ..core.i18n import tr
from .common import add_workspace_argument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("kpi", help=tr("Cli", "a month's contract figures, scores and payment"))
    add_workspace_argument(p)
    p.add_argument("--month", required=True, metavar="YYYY-MM", help=tr("Cli", "the month"))
    p.add_argument("--out", metavar="DIR", help=tr("Cli", "folder for the CSV tables"))
    p.add_argument(
        "--contract",
        metavar="FILE",
        help=tr("Cli", "contract profile (JSON) instead of the workspace's"),
    )
    p.add_argument(
        "--no-deviation",
        action="store_true",
        help=tr("Cli", "skip the route deviation (reads the month's GPS fixes)"),
    )
    p.set_defaults(func=cmd_kpi)
    c = sub.add_parser("contract", help=tr("Cli", "the workspace's contract profile"))
    csub = c.add_subparsers(
        dest="contract_command",
        metavar="ACTION",
        help=tr("Cli", "show, set or examples (ACTION --help: more)"),
    )
    csub.required = True
    show = csub.add_parser("show", help=tr("Cli", "print the profile (JSON)"))
    add_workspace_argument(show)
    show.set_defaults(func=cmd_show)
    put = csub.add_parser("set", help=tr("Cli", "keep a profile (JSON file) in the workspace"))
    add_workspace_argument(put)
    put.add_argument("file", metavar="FILE", help=tr("Cli", "the contract profile (JSON)"))
    put.set_defaults(func=cmd_set)
    ex = csub.add_parser("examples", help=tr("Cli", "list the shipped seed contracts"))
    ex.set_defaults(func=cmd_examples)


def _fail(message: str) -> int:
    print(tr("Cli", "error: {0}").format(message), file=sys.stderr)
    return 2


def cmd_kpi(args: argparse.Namespace) -> int:
    from ..core.reporting.month_report import lines, write_tables
    from ..core.reporting.monthly import month_figures, month_of
    from ..core.reporting.profile import ProfileError, load_profile_file
    from ..core.workspace.store import Workspace

    try:
        month = month_of(args.month)
        profile = load_profile_file(args.contract) if args.contract else None
    except ProfileError as exc:
        return _fail(str(exc))
    except ValueError:
        return _fail(tr("Cli", "the month is written YYYY-MM, e.g. 2021-03"))
    ws = Workspace.open(args.workspace)
    try:
        mf = month_figures(ws, month, profile, route_deviation=not args.no_deviation)
    except ProfileError as exc:
        return _fail(str(exc))
    finally:
        ws.close()
    for line in lines(mf):
        print(line)
    paths = write_tables(mf, args.out or f"kpi-{month:%Y-%m}")
    print(tr("Cli", "Tables: {0}").format(", ".join(str(p) for p in paths)))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..core.reporting.profile import ProfileError
    from ..core.reporting.profile_store import has_profile, load_profile
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        profile = load_profile(ws)
        if not has_profile(ws):
            print(tr("Cli", "(no profile saved: the shipped default)"), file=sys.stderr)
    except ProfileError as exc:
        return _fail(str(exc))
    finally:
        ws.close()
    print(profile.to_json())
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from ..core.reporting.profile import ProfileError, load_profile_file
    from ..core.reporting.profile_store import save_profile
    from ..core.workspace.store import Workspace

    try:
        profile = load_profile_file(args.file)
    except ProfileError as exc:
        return _fail(str(exc))
    ws = Workspace.open(args.workspace)
    try:
        save_profile(ws, profile)
    finally:
        ws.close()
    print(tr("Cli", "Contract profile kept: {0}").format(profile.name or profile.id))
    return 0


def cmd_examples(args: argparse.Namespace) -> int:
    from ..core.reporting.profile import load_profile_file, shipped_profiles

    for key, path in shipped_profiles().items():
        p = load_profile_file(path)
        print(f"{key}: {p.name} — {p.source}\n  {path}")
    return 0
