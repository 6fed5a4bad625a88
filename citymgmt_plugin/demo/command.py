"""``demo``: build the sample district workspace and run every feature on it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help=tr("Cli", "build the demo district and run the tools"))
    p.add_argument(
        "--out",
        type=Path,
        default=Path("demo-output"),
        help=tr("Cli", "output folder (default ./demo-output)"),
    )
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help=tr("Cli", "data volume factor (1 = about 100 km², 10,000 grids)"),
    )
    p.add_argument("--seed", type=int, default=20261121)
    p.add_argument(
        "--steps", default="", help=tr("Cli", "comma-separated step names to run (default: all)")
    )
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from .runner import run_demo

    steps = [s for s in args.steps.split(",") if s] or None
    run_demo(args.out, scale=args.scale, seed=args.seed, only=steps)
    return 0
