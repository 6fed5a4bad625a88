"""Run the demo: each step adds to one GeoPackage workspace and prints what it made."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.i18n import tr
from ..core.labels import pad, text_width

# (name, "module:function"); each function takes a DemoContext. Order matters.
STEPS: list[tuple[str, str]] = [
    ("district", "citymgmt_plugin.demo.generate:step_generate"),
    ("checks", "citymgmt_plugin.demo.checks_demo:step_checks"),
    ("coverage", "citymgmt_plugin.demo.coverage_demo:step_coverage"),
    ("deviation", "citymgmt_plugin.demo.coverage_demo:step_deviation"),
    ("census", "citymgmt_plugin.demo.census_demo:step_census"),
    ("intake", "citymgmt_plugin.demo.intake_demo:step_intake"),
    ("cases", "citymgmt_plugin.demo.cases_demo:step_cases"),
    ("thematic", "citymgmt_plugin.demo.thematic_demo:step_thematic"),
    ("overview", "citymgmt_plugin.demo.overview:step_overview"),
    ("kpi", "citymgmt_plugin.demo.checks_demo:step_kpi"),
    ("figures", "citymgmt_plugin.demo.figures_demo:step_figures"),
    ("report", "citymgmt_plugin.demo.report_demo:step_report"),
    ("project", "citymgmt_plugin.demo.report_demo:step_project"),
]


def step_label(name: str) -> str:
    """What a step does, for the log (its name is what ``--steps`` takes)."""
    return {
        "district": tr("Demo", "District, grids, roads, collectors, tracks, components"),
        "checks": tr("Demo", "Unit grid checks"),
        "coverage": tr("Demo", "Weekly patrol coverage"),
        "deviation": tr("Demo", "Route deviation"),
        "census": tr("Demo", "Census import, reconciliation and QA"),
        "intake": tr("Demo", "Intake of the device export"),
        "cases": tr("Demo", "Cases, 核实/核查 tasks to the devices and back"),
        "thematic": tr("Demo", "Thematic layers and statistics per grid"),
        "overview": tr("Demo", "Overview map"),
        "kpi": tr("Demo", "Contract KPIs"),
        "figures": tr(
            "Demo", "The month as the contract judges it: KPIs, 错报/漏报, scores, payment"
        ),
        "report": tr("Demo", "Weekly and monthly reports, the atlas of responsibility grids"),
        "project": tr("Demo", "A ready QGIS project"),
    }.get(name, name)


def output_label(key: str) -> str:
    """What an output is ("" for one a step adds without a label: its file name says it)."""
    return {
        "workspace": tr("Demo", "Demo workspace"),
        "device_export": tr("Demo", "Device export (GeoJSON)"),
        "device_export_csv": tr("Demo", "Device export (CSV)"),
        "device_photos": tr("Demo", "Device photos"),
        "device_ground_truth": tr("Demo", "What the device export hides (for the checks)"),
        "district_truth": tr("Demo", "Planted defects of the district (for the checks)"),
        "grid_errors": tr("Demo", "Unit grid errors"),
        "coverage": tr("Demo", "Patrol coverage per grid"),
        "coverage_map": tr("Demo", "Map of the failing grids"),
        "deviation": tr("Demo", "Route deviation"),
        "census_batch": tr("Demo", "Census batch"),
        "census_report_csv": tr("Demo", "Census reconciliation (CSV)"),
        "census_report_txt": tr("Demo", "Census reconciliation (text)"),
        "census_report_html": tr("Demo", "Census reconciliation (web page)"),
        "census_qa": tr("Demo", "Census QA errors"),
        "thematic_stats_csv": tr("Demo", "Thematic statistics per grid"),
        "overview map": tr("Demo", "Overview map"),
        "kpi_grids": tr("Demo", "KPIs per grid"),
        "kpi_overall": tr("Demo", "KPIs"),
        "kpi_collectors": tr("Demo", "KPIs per collector"),
        "kpi_hours": tr("Demo", "Reports per hour of day"),
        "case_export": tr("Demo", "Cases as the command centre exports them"),
        "task map": tr("Demo", "Map of the 核实/核查 tasks"),
        "kpi_month": tr("Demo", "The month's figures, scores and payment (tables)"),
        "weekly_report": tr("Demo", "Weekly patrol report (PDF)"),
        "monthly_report": tr("Demo", "Monthly KPI and assessment report (PDF)"),
        "grid_atlas": tr("Demo", "Atlas of the responsibility grids (PDF)"),
        "report_layers": tr("Demo", "The reports' layers"),
        "project": tr("Demo", "QGIS project"),
    }.get(key, "")


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
            ctx.log(tr("Demo", "== {0}").format(step_label(name)))
            getattr(importlib.import_module(module), func)(ctx)
            ctx.log(tr("Demo", "   ({0:.1f} s)").format(time.perf_counter() - t0))
    ctx.log(tr("Demo", "Outputs:"))
    labels = {key: output_label(key) or Path(path).name for key, path in ctx.outputs.items()}
    width = max((text_width(label) for label in labels.values()), default=0)
    for key, path in ctx.outputs.items():
        ctx.log(f"  {pad(labels[key], width)}  {path}")
    return ctx
