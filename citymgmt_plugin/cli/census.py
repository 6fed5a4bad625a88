"""``census`` sub-commands: a census batch imported without the dialog (for scheduled jobs
and batch work), and the census settings of a workspace.

    python -m citymgmt_plugin census import WORKSPACE FILE [--layer L] [--mapping MAPPING.json]
        [--values VALUES.json] [--crs CRS] [--accept KINDS] [--apply] [--report DIR]
        [--target components|pois]
    python -m citymgmt_plugin census settings WORKSPACE [--grid-numbering on|off]

``census import`` reads, maps, validates and reconciles the batch, prints the counts by
outcome and by refusal reason and the values without a mapping, writes the report (CSV,
text, HTML) into DIR and, with ``--apply``, applies the accepted items in one transaction.
``MAPPING.json`` is ``{"target field": "source column"}``; ``VALUES.json`` is ``{"target
field": {"source value": "stored value"}}``; without them, what was remembered for the same
columns (in the dialog) is used, else known column names. Exit code 0 when it ran (refused
rows included), 1 when applying failed (nothing was saved; e.g. a component changed by
someone else meanwhile), 2 when the file, the workspace or a mapping file cannot be opened
or used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.i18n import tr
from .common import add_workspace_argument

KIND_CHOICES = ("new", "changed", "moved", "missing", "duplicate")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("census", help=tr("Cli", "component census: batch import, settings"))
    csub = p.add_subparsers(
        dest="census_command",
        metavar="ACTION",
        help=tr("Cli", "import or settings (ACTION --help: more)"),
    )
    csub.required = True
    _register_import(csub)
    st = csub.add_parser("settings", help=tr("Cli", "show or change the census settings"))
    add_workspace_argument(st)
    st.add_argument(
        "--grid-numbering",
        choices=("on", "off"),
        help=tr("Cli", "check that unit grids are numbered west to east, north to south"),
    )
    st.set_defaults(func=cmd_settings)


def _register_import(csub: argparse._SubParsersAction) -> None:
    imp = csub.add_parser(
        "import", help=tr("Cli", "read, check and reconcile a survey batch; apply it if asked")
    )
    add_workspace_argument(imp)
    imp.add_argument("file", metavar="FILE", help=tr("Cli", "CSV, Excel, GeoPackage, Shapefile"))
    imp.add_argument("--layer", help=tr("Cli", "layer or sheet (default: the first)"))
    imp.add_argument(
        "--mapping", metavar="MAPPING.json", help=tr("Cli", "target field -> source column")
    )
    imp.add_argument(
        "--values",
        metavar="VALUES.json",
        help=tr("Cli", "per coded field: source value -> stored value"),
    )
    imp.add_argument(
        "--crs", help=tr("Cli", "CRS of the source, e.g. EPSG:4490 (default: found from the data)")
    )
    imp.add_argument(
        "--accept",
        default="new,changed,moved,missing",
        help=tr("Cli", "kinds of item to accept (default: new,changed,moved,missing)"),
    )
    imp.add_argument(
        "--apply", action="store_true", help=tr("Cli", "apply the accepted items (one transaction)")
    )
    imp.add_argument("--report", metavar="DIR", help=tr("Cli", "write the report into DIR"))
    imp.add_argument("--reason", help=tr("Cli", "reason recorded in the history"))
    imp.add_argument(
        "--target",
        choices=("components", "pois"),
        default="components",
        help=tr("Cli", "what the batch surveys: components (default) or points of interest"),
    )
    imp.set_defaults(func=cmd_import)


def _fail(message: str) -> int:
    print(tr("Cli", "error: {0}").format(message), file=sys.stderr)
    return 2


def _options(args: argparse.Namespace):
    from ..core.census.batch_codes import read_value_maps
    from ..core.census.batch_mapping import read_mapping_file
    from ..core.census.batch_run import ImportOptions
    from ..core.census.errors import CensusError

    accept = tuple(k.strip() for k in args.accept.split(",") if k.strip())
    bad = [k for k in accept if k not in KIND_CHOICES]
    if bad:
        raise CensusError(tr("Cli", "unknown kind of item: {0}").format(", ".join(bad)))
    return ImportOptions(
        layer=args.layer,
        mapping=read_mapping_file(args.mapping) if args.mapping else None,
        values=read_value_maps(args.values) if args.values else None,
        crs=args.crs,
        accept=accept,
        apply=args.apply,
        report_dir=Path(args.report) if args.report else None,
        reason=args.reason,
        target=args.target,
    )


def cmd_import(args: argparse.Namespace) -> int:
    from ..core.census.batch_read import read_source
    from ..core.census.batch_run import ApplyFailed, run_table
    from ..core.census.errors import CensusError
    from ..core.workspace.store import Workspace

    try:
        options = _options(args)
        table = read_source(args.file, options.layer)
    except (CensusError, OSError) as exc:
        return _fail(str(exc))
    ws = Workspace.open(args.workspace)
    try:
        try:
            run = run_table(ws, table, options)
        except ApplyFailed as exc:  # the transaction rolled back: nothing was written
            for line in exc.run.summary_lines():
                print(line)
            print(tr("Cli", "error: {0} (nothing was saved)").format(exc), file=sys.stderr)
            return 1
        except CensusError as exc:
            return _fail(str(exc))
        for line in run.summary_lines():
            print(line)
        return 0
    finally:
        ws.close()


def cmd_settings(args: argparse.Namespace) -> int:
    from ..core.census.settings import GRID_NUMBERING, census_settings, set_setting
    from ..core.workspace.store import Workspace

    ws = Workspace.open(args.workspace)
    try:
        if args.grid_numbering:
            set_setting(ws, GRID_NUMBERING, "1" if args.grid_numbering == "on" else "0", ws.actor)
        for line in census_settings(ws):
            print(line)
        return 0
    finally:
        ws.close()
