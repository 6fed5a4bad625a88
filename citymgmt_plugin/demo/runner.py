"""Run the demo: each step adds to one GeoPackage workspace and prints what it made."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.i18n import tr

# (name, "module:function"); each function takes a DemoContext. Order matters.
STEPS: list[tuple[str, str]] = [
    ("district", "citymgmt_plugin.demo.generate:step_generate"),
    ("checks", "citymgmt_plugin.demo.checks_demo:step_checks"),
    ("coverage", "citymgmt_plugin.demo.coverage_demo:step_coverage"),
    ("deviation", "citymgmt_plugin.demo.coverage_demo:step_deviation"),
    ("census", "citymgmt_plugin.demo.census_demo:step_census"),
    ("intake", "citymgmt_plugin.demo.intake_demo:step_intake"),
    ("thematic", "citymgmt_plugin.demo.thematic_demo:step_thematic"),
    ("overview", "citymgmt_plugin.demo.overview:step_overview"),
    ("kpi", "citymgmt_plugin.demo.checks_demo:step_kpi"),
    ("report", "citymgmt_plugin.demo.report_demo:step_report"),
    ("project", "citymgmt_plugin.demo.report_demo:step_project"),
]


@dataclass
class DemoContext:
    out_dir: Path
    workspace_path: Path
    scale: float
    seed: int
    outputs: dict[str, Path] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = print

    def output(self, key: str, path: Path) -> Path:
        self.outputs[key] = path
        return path


def run_demo(
    out_dir: Path, scale: float = 1.0, seed: int = 20261121, only: list[str] | None = None
) -> DemoContext:
    from ..headless import qgis_session

    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(out_dir, out_dir / "demo-district.gpkg", scale, seed)
    with qgis_session():
        for name, target in STEPS:
            if only and name not in only:
                continue
            module, _, func = target.partition(":")
            t0 = time.perf_counter()
            ctx.log(tr("Demo", "== {0}").format(name))
            getattr(importlib.import_module(module), func)(ctx)
            ctx.log(tr("Demo", "   ({0:.1f} s)").format(time.perf_counter() - t0))
    ctx.log(tr("Demo", "Outputs:"))
    for key, path in ctx.outputs.items():
        ctx.log(f"  {key:<28} {path}")
    return ctx
