#!/usr/bin/env python3
"""``make bench``: run every benchmark script in this folder, one after another.

Each script measures citymgmt against the alternatives a user has (QGIS native
algorithms, PostGIS SQL) in the same run and prints its own table; this runner only
sequences them and reports the ones that failed. ``BENCH_ONLY=coverage,census`` picks some;
``BENCH_ARGS`` is passed to each script (e.g. ``--scale 1``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Scripts run more than once (coverage: the demo scale and the 4x version the issue asks for).
RUNS = {"coverage": [["--scale", "1"], ["--scale", "4"]]}


def main() -> int:
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    extra = shlex.split(os.environ.get("BENCH_ARGS", ""))
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        for run in RUNS.get(name, [[]]) if not extra else [[]]:
            print(f"\n######## {name} {' '.join(run)} ########", flush=True)
            t0 = time.perf_counter()
            rc = subprocess.call([sys.executable, str(script), *run, *extra])
            took = time.perf_counter() - t0
            print(f"######## {name}: exit {rc} after {took:.0f} s", flush=True)
            if rc:
                failed.append(name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
