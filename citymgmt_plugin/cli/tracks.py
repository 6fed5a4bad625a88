"""``tracks import``: GPS tracks from devices into a workspace's ``track_points``.

    python -m citymgmt_plugin tracks import WORKSPACE PATH… [--collector CODE]
        [--device ID] [--crs WGS84|GCJ02|BD09|CGCS2000]

PATH: GPX, CSV or GeoJSON track files, ODK Collect ``audit.csv`` logs, or folders of them.
Exit code 0 when every file was read (bad rows are counted, not fatal), 1 when a file could
not be read at all, 2 when the workspace cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.i18n import tr
from .common import add_workspace_argument

SUFFIXES = (".gpx", ".csv", ".geojson", ".json")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tracks", help=tr("Cli", "GPS tracks from devices"))
    tsub = p.add_subparsers(
        dest="tracks_command", metavar="ACTION", help=tr("Cli", "import (ACTION --help: more)")
    )
    tsub.required = True
    imp = tsub.add_parser(
        "import", help=tr("Cli", "import GPX, CSV, GeoJSON tracks and ODK audit logs")
    )
    add_workspace_argument(imp)
    imp.add_argument("paths", metavar="PATH", nargs="+", help=tr("Cli", "track files or folders"))
    imp.add_argument(
        "--collector", help=tr("Cli", "collector code for files that name none (GPX, audit.csv)")
    )
    imp.add_argument("--device", help=tr("Cli", "device id for files that name none"))
    imp.add_argument(
        "--crs",
        choices=["WGS84", "GCJ02", "BD09", "CGCS2000"],
        default="WGS84",
        help=tr("Cli", "coordinate system of longitude/latitude (default: WGS84)"),
    )
    imp.set_defaults(func=cmd_import)


def track_files(paths: list[str]) -> list[Path]:
    """The files given, and the track files inside the folders given (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from ..core.patrol.tracks.describe import report_lines
    from ..core.patrol.tracks.formats import ReadOptions
    from ..core.patrol.tracks.store import import_tracks
    from ..core.workspace.store import Workspace

    files = track_files(args.paths)
    missing = [str(f) for f in files if not f.is_file()]
    if missing or not files:
        print(tr("Cli", "error: no such file: {0}").format(", ".join(missing) or args.paths[0]),
              file=sys.stderr)  # fmt: skip
        return 2
    ws = Workspace.open(args.workspace)
    try:
        zone = ZoneInfo(ws.setting("timezone", "Asia/Shanghai") or "Asia/Shanghai")
        opts = ReadOptions(collector=args.collector, device=args.device, crs=args.crs, zone=zone)
        report = import_tracks(ws, files, opts)
    finally:
        ws.close()
    for line in report_lines(report):
        print(line)
    return 1 if report.bad_files else 0
