"""``cases`` and ``tasks``: the case loop from the command line (for scheduled jobs).

    python -m citymgmt_plugin cases import WORKSPACE FILE [--channel C] [--kind K] [--crs CRS]
    python -m citymgmt_plugin cases from-reports WORKSPACE
    python -m citymgmt_plugin tasks create WORKSPACE --kind verify|check [--rule NAME]
                                           [--due-hours N] [--cases NO,…] [--assign collector]
    python -m citymgmt_plugin tasks push WORKSPACE --odk URL --project N --dataset NAME
                                         [--user EMAIL | --authcfg ID] [--allow-http]
    python -m citymgmt_plugin tasks limits WORKSPACE FILE.csv
    python -m citymgmt_plugin tasks results WORKSPACE

FILE is a CSV, Excel or GeoJSON file, or ``table:schema.name`` (a table of the workspace's
PostGIS database). The ODK Central account is given as for ``ingest``: ``--authcfg`` or
``--user`` with the password in CITYMGMT_ODK_PASSWORD; https unless ``--allow-http``.
Exit codes: 0 done, 1 stopped part-way (what was done stays), 2 cannot start.
"""

from __future__ import annotations

import argparse
import sys

from ..core.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:
    cases = sub.add_parser("cases", help=tr("Cli", "cases from the command centre's platform"))
    csub = cases.add_subparsers(dest="cases_command", metavar="ACTION")
    csub.required = True
    imp = csub.add_parser("import", help=tr("Cli", "import cases from a file or PostGIS table"))
    imp.add_argument("workspace", metavar="WORKSPACE")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--layer", help=tr("Cli", "layer or sheet of the file"))
    imp.add_argument(
        "--channel",
        choices=["collector", "public", "hotline", "video", "leader", "other"],
        help=tr("Cli", "channel of rows that do not say it"),
    )
    imp.add_argument(
        "--kind", choices=["event", "component"], help=tr("Cli", "kind of rows that do not say it")
    )
    imp.add_argument(
        "--crs",
        help=tr("Cli", "coordinate system: EPSG:n, CGCS2000, WGS84, GCJ02 or BD09"),
    )
    imp.set_defaults(func=cmd_import)
    reports = csub.add_parser(
        "from-reports", help=tr("Cli", "make cases of the collectors' accepted event reports")
    )
    reports.add_argument("workspace", metavar="WORKSPACE")
    reports.set_defaults(func=cmd_from_reports)
    _register_tasks(sub)


def _register_tasks(sub: argparse._SubParsersAction) -> None:
    tasks = sub.add_parser("tasks", help=tr("Cli", "核实/核查 tasks for the collectors"))
    tsub = tasks.add_subparsers(dest="tasks_command", metavar="ACTION")
    tsub.required = True
    create = tsub.add_parser("create", help=tr("Cli", "create verify or check tasks"))
    create.add_argument("workspace", metavar="WORKSPACE")
    create.add_argument("--kind", choices=["verify", "check"], required=True)
    create.add_argument(
        "--rule",
        choices=["public_unverified", "handled_unchecked"],
        help=tr("Cli", "which cases (default: the rule of the kind)"),
    )
    create.add_argument("--cases", help=tr("Cli", "these case numbers instead (comma-separated)"))
    create.add_argument(
        "--due-hours", type=float, help=tr("Cli", "hours to finish (default: the class's limit)")
    )
    create.add_argument(
        "--assign",
        choices=["grid", "collector"],
        default="grid",
        help=tr("Cli", "to the responsibility grid, or also to its collector"),
    )
    create.add_argument("--collector", help=tr("Cli", "assign every task to this collector"))
    create.set_defaults(func=cmd_create)
    push = tsub.add_parser("push", help=tr("Cli", "send open tasks to ODK Central"))
    push.add_argument("workspace", metavar="WORKSPACE")
    push.add_argument(
        "--odk", metavar="URL", required=True, help=tr("Cli", "ODK Central server URL")
    )
    push.add_argument("--project", required=True, help=tr("Cli", "ODK Central project id"))
    push.add_argument("--dataset", required=True, help=tr("Cli", "entity list (dataset) name"))
    push.add_argument(
        "--user", help=tr("Cli", "ODK Central account e-mail (password: CITYMGMT_ODK_PASSWORD)")
    )
    push.add_argument(
        "--authcfg", help=tr("Cli", "QGIS authentication configuration with the ODK account")
    )
    push.add_argument(
        "--allow-http",
        action="store_true",
        help=tr("Cli", "send the ODK password over unencrypted http (not recommended)"),
    )
    push.add_argument(
        "--close",
        choices=["update", "delete"],
        default="update",
        help=tr("Cli", "close finished tasks' entities by update (status) or delete"),
    )
    push.set_defaults(func=cmd_push)
    limits = tsub.add_parser("limits", help=tr("Cli", "load the city's time limits (CSV)"))
    limits.add_argument("workspace", metavar="WORKSPACE")
    limits.add_argument("file", metavar="FILE")
    limits.set_defaults(func=cmd_limits)
    results = tsub.add_parser(
        "results", help=tr("Cli", "apply the results of verification forms received")
    )
    results.add_argument("workspace", metavar="WORKSPACE")
    results.set_defaults(func=cmd_results)


def _error(exc: BaseException) -> int:
    print(tr("Cli", "error: {0}").format(exc), file=sys.stderr)
    return 2


def cmd_import(args: argparse.Namespace) -> int:
    from ..core.cases.batch import import_cases
    from ..core.cases.codes import CaseKind, Channel
    from ..core.cases.importer import ImportOptions
    from ..core.cases.positions import PositionError
    from ..core.cases.sources import CaseSourceError
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        options = ImportOptions(
            Channel(args.channel) if args.channel else None,
            CaseKind(args.kind) if args.kind else None,
            args.crs,
        )
        try:
            report = import_cases(ws, args.file, args.layer, options=options)
        except (CaseSourceError, PositionError) as exc:
            return _error(exc)
        print(report.summary())
        for failure in report.failures:
            print(
                tr("Cli", "  row {0} ({1}): {2}").format(
                    failure.row_no, failure.case_no or "—", failure.reason
                )
            )
        return 0
    finally:
        ws.close()


def cmd_from_reports(args: argparse.Namespace) -> int:
    from ..core.cases.reports import cases_from_reports
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        print(tr("Cli", "{0} cases made of accepted reports").format(cases_from_reports(ws)))
        return 0
    finally:
        ws.close()


def cmd_create(args: argparse.Namespace) -> int:
    from ..core.cases.codes import TaskKind
    from ..core.cases.store import find_case
    from ..core.cases.tasks import RULE_KINDS, TaskPlan, create_tasks
    from ..core.workspace.store import Workspace

    kind = TaskKind(args.kind)
    rule = args.rule or next(r for r, k in RULE_KINDS.items() if k is kind)
    ws = Workspace.open(args.workspace)
    try:
        ids = None
        if args.cases:
            with ws.engine.connect() as conn:
                found = {n: find_case(conn, ws, n) for n in args.cases.split(",") if n.strip()}
            missing = [n for n, c in found.items() if c is None]
            if missing:
                return _error(tr("Cli", "no such case: {0}").format(", ".join(missing)))
            ids, rule = [c.id for c in found.values()], None
        plan = TaskPlan(kind, args.due_hours, args.assign, args.collector, rule)
        report = create_tasks(ws, plan, ids)
        print(report.summary())
        for case_no, reason in report.skipped:
            print(tr("Cli", "  {0}: {1}").format(case_no, reason))
        return 0
    finally:
        ws.close()


def cmd_push(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from ..core.cases.entities import EntityClient
    from ..core.cases.sync import Target, push_tasks, save_target
    from ..core.qgis.accounts import odk_login
    from ..core.submissions.sources.configs import SourceConfigError, check_server_url
    from ..core.submissions.sources.odk import OdkError
    from ..core.workspace.store import Workspace

    try:
        check_server_url(args.odk, args.allow_http)
        login = odk_login(args.authcfg, args.user)
    except SourceConfigError as exc:
        return _error(exc)
    ws = Workspace.open(args.workspace)
    try:
        client = EntityClient(args.odk, login.email, login.password)
        target = Target(client, args.project, args.dataset)
        try:
            save_target(ws, args.odk, args.project, args.dataset, args.close)
        except DBAPIError:  # only an admin may change the office's settings: push anyway
            print(tr("Cli", "note: the office's push target stays as an admin set it"))

        def progress(done: int, total: int) -> None:
            print(tr("Cli", "  {0} of {1}").format(done, total), flush=True)

        try:
            report = push_tasks(ws, target, close=args.close, progress=progress)
        except OdkError as exc:
            message = tr("Cli", "error: {0} (the next run goes on from here)").format(exc)
            print(message, file=sys.stderr)
            return 1
        print(report.summary())
        return 0
    finally:
        ws.close()


def cmd_limits(args: argparse.Namespace) -> int:
    from ..core.cases.limits import LimitsError, load_limits_file
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        try:
            n = load_limits_file(ws, args.file)
        except LimitsError as exc:
            return _error(exc)
        print(tr("Cli", "{0} time limits loaded").format(n))
        return 0
    finally:
        ws.close()


def cmd_results(args: argparse.Namespace) -> int:
    from ..core.cases.intake import apply_submitted_results
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        summary = apply_submitted_results(ws)
        print(summary.text())
        return 0
    finally:
        ws.close()
