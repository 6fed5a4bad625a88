"""``demo``: build the sample district workspace and run every feature on it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.i18n import tr
from .runner import STEPS


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
    p.add_argument(
        "--seed",
        type=int,
        default=20261121,
        help=tr("Cli", "random seed of the generated district (same seed, same data)"),
    )
    p.add_argument(
        "--steps",
        type=step_names,
        default=[],
        help=tr("Cli", "comma-separated steps to run (default: all): {0}").format(
            ", ".join(name for name, _ in STEPS)
        ),
    )
    p.set_defaults(func=cmd_demo)


def step_names(text: str) -> list[str]:
    """``--steps``: known step names only (argparse exits with status 2 otherwise)."""
    names = [s.strip() for s in text.split(",") if s.strip()]
    known = [name for name, _ in STEPS]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise argparse.ArgumentTypeError(
            tr("Cli", "unknown steps: {0}; the steps are: {1}").format(
                ", ".join(unknown), ", ".join(known)
            )
        )
    return names


def cmd_demo(args: argparse.Namespace) -> int:
    from .runner import run_demo

    run_demo(args.out, scale=args.scale, seed=args.seed, only=args.steps or None)
    return 0
