"""citymgmt:patrolreport on a small demo district: the weekly report, the monthly KPI report
and the atlas as PDF, opened again with poppler (pages to PNG under tests/artifacts/reports,
text with pdftotext); the ready project; the command line; Chinese; no matplotlib."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtGui import QColor, QImage
from sqlalchemy import func, select
from zh_translator import zh_cn

from citymgmt_plugin.core.workspace.store import Workspace

ROOT = Path(__file__).resolve().parents[2]
WEEK = "2026-W46"  # the demo week
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")


@pytest.fixture(scope="module")
def district(qgis_app, processing_ready_module, tmp_path_factory):
    """A small demo district with its device export ingested (reports in the week)."""
    from citymgmt_plugin.demo.generate import step_generate
    from citymgmt_plugin.demo.intake_demo import step_intake
    from citymgmt_plugin.demo.runner import DemoContext

    out = tmp_path_factory.mktemp("district")
    ctx = DemoContext(out, out / "demo-district.gpkg", 0.05, 7, log=lambda _m: None)
    step_generate(ctx)
    step_intake(ctx)
    return ctx


@pytest.fixture(scope="module")
def processing_ready_module(qgis_app):
    from processing.core.Processing import Processing

    from citymgmt_plugin.headless import ensure_provider

    Processing.initialize()
    assert ensure_provider()


def run_report(workspace: Path, folder: Path, reports=(0, 1, 2), week: str = WEEK) -> dict:
    import processing

    from citymgmt_plugin.processing_provider import runnable

    params = {
        "WORKSPACE": str(workspace),
        "WEEK": week,
        "REPORTS": list(reports),
        "OUTPUT_FOLDER": str(folder),
    }
    return processing.run(runnable("citymgmt:patrolreport"), params)


@pytest.fixture(scope="module")
def reports(district, tmp_path_factory) -> dict:
    return run_report(district.workspace_path, tmp_path_factory.mktemp("reports"))


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def text(pdf: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def png_pages(pdf: Path, folder: Path, first: int = 1, last: int | None = None) -> list[Path]:
    """The pages as PNG (72 dpi) in ``folder``; each must show something."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / pdf.stem
    args = ["pdftoppm", "-r", "72", "-png", "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(stem)], check=True)
    shots = sorted(folder.glob(f"{pdf.stem}-*.png"))
    for shot in shots:
        assert _inked(shot) > 0.01, shot
    return shots


def _inked(png: Path) -> float:
    """Share of sampled pixels that are not white."""
    image = QImage(str(png))
    n = inked = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            n += 1
            inked += QColor(image.pixel(x, y)).lightness() < 235
    return inked / max(n, 1)


def _failing_grids(workspace: Path, data: Path) -> list[str]:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f'{data}|layername=grid_coverage|subset="passed" = 0', "f", "ogr")
    return sorted(str(f["grid_code"]) for f in layer.getFeatures())


def test_weekly_report_pages_and_text(district, reports, artifacts):
    pdf = Path(reports["WEEKLY_PDF"])
    assert pdf.name == "patrol-report-2026-W46.pdf"
    n = pages(pdf)
    assert n >= 4  # summary and map, charts, collectors, failing grids
    first = text(pdf, 1)
    assert "Weekly patrol report 2026-W46 (2026-11-09" in first
    assert "fail the weekly patrol rule" in first
    assert "Legend" in first and "Responsibility grids failing the weekly rule" in first
    whole = text(pdf)
    for code in _failing_grids(district.workspace_path, Path(reports["REPORT_DATA"])):
        assert code in whole  # every failing unit grid is listed
    ws = Workspace.open(str(district.workspace_path))
    try:
        with ws.engine.connect() as c:
            collectors = [r[0] for r in c.execute(select(ws.schema.collectors.c.code))]
    finally:
        ws.close()
    assert collectors and all(code in whole for code in collectors)  # digits kept in the text
    assert f"page {n} of {n}" in text(pdf, n)
    shots = png_pages(pdf, artifacts / "reports")
    assert len(shots) == n


def test_monthly_report_has_the_kpis_and_the_assessment(district, reports, artifacts):
    from citymgmt_plugin.core.reporting.monthly import month_figures

    pdf = Path(reports["MONTHLY_PDF"])
    assert pdf.name == "kpi-report-2026-11.pdf"
    first = text(pdf, 1)
    assert "Monthly KPI and assessment report 2026-11" in first
    for kpi in ("Valid reports", "Valid-report rate", "Component problem share", "Area balance"):
        assert kpi in first
    assert "Assessment (考核)" in first and "Not scored" not in first
    assert "Scored with the contract profile" in first
    ws = Workspace.open(str(district.workspace_path))
    try:
        mf = month_figures(ws, date(2026, 11, 1))  # no profile saved: the shipped default
    finally:
        ws.close()
    assert not has_saved_profile(district.workspace_path)
    for c in mf.contractors:  # the contractor's score and payment, on page 1 and page 3
        assert f"score {c.score:.1f}" in first and f"{c.payable:,.2f} payable" in first
    page3 = " ".join(text(pdf, 3).split())
    assert "Assessment: contractors and payment" in page3
    for c in mf.contractors:
        assert c.contractor[:10] in page3  # the name wraps
        assert f"{c.payable:,.2f}" in page3 and f"{c.fee:,.2f}" in page3
    assert "Assessment: collectors' scores" in page3
    assert "(错报)" in page3 and "(漏报)" in page3  # the headings wrap
    lines = text(pdf, 3).splitlines()
    assert mf.scores
    for s in mf.scores:  # one line per collector: code, name, 错报, 漏报 ... score
        line = next(x for x in lines if x.split()[:1] == [s.collector])
        cols = line.split()
        assert len(cols) == 9 and cols[-1] == f"{s.score:.1f}", line
        wrong = mf.wrong.per_collector.get(s.collector)
        missed = mf.missed.per_collector.get(s.collector)
        assert cols[2] == str(wrong.wrong if wrong else 0), line
        assert cols[3] == str(missed.confirmed if missed else 0), line
    assert "Collectors" in text(pdf, 4)
    png_pages(pdf, artifacts / "reports")


def has_saved_profile(workspace: Path) -> bool:
    from citymgmt_plugin.core.reporting.profile_store import has_profile

    ws = Workspace.open(str(workspace))
    try:
        return has_profile(ws)
    finally:
        ws.close()


def test_monthly_report_says_why_when_the_month_cannot_be_scored(district, tmp_path, monkeypatch):
    from citymgmt_plugin.core.reporting import monthly
    from citymgmt_plugin.core.reporting.profile import ProfileError

    def broken(*_a, **_k):
        raise ProfileError("The contract profile has no scoring sheet.")

    monkeypatch.setattr(monthly, "month_figures", broken)
    res = run_report(district.workspace_path, tmp_path / "noscore", reports=(1,))
    pdf = Path(res["MONTHLY_PDF"])
    first = " ".join(text(pdf, 1).split())
    assert "The assessment of the month could not be computed:" in first
    assert "The contract profile has no scoring sheet." in first
    assert "Valid-report rate" in first  # the rest of the report is kept
    assert pages(pdf) == 3 and "Collectors" in text(pdf, 3)
    assert "Assessment: collectors' scores" not in text(pdf)


def test_atlas_one_page_per_responsibility_grid(district, reports, artifacts):
    pdf = Path(reports["ATLAS_PDF"])
    ws = Workspace.open(str(district.workspace_path))
    try:
        with ws.engine.connect() as c:
            codes = sorted(r[0] for r in c.execute(select(ws.schema.resp_grids.c.code)))
            n_grids = c.execute(select(func.count()).select_from(ws.schema.resp_grids)).scalar()
    finally:
        ws.close()
    assert pages(pdf) == n_grids == len(codes)
    for k, code in enumerate(codes, start=1):  # sorted by code, one each
        page = text(pdf, k)
        assert code in page
        for part in ("Legend", "Collectors", "Unit grids", "Week 2026-W46", " m"):
            assert part in page, (k, part)
    png_pages(pdf, artifacts / "reports", 1, 3)


def test_report_folder_holds_data_charts_and_json(reports):
    folder = Path(reports["FOLDER"])
    names = {p.name for p in folder.iterdir()}
    assert {"patrol-report-2026-W46.gpkg", "patrol-report-2026-W46.json",
            "kpi-report-2026-11.json"} <= names  # fmt: skip
    charts = {p.name for p in (folder / "charts").iterdir()}
    assert {"2026-W46-hourly.png", "2026-W46-trend.png", "2026-W46-collectors.png"} <= charts
    # collectors' names and where they went: owner-only, like the workspace
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert written and all(p.stat().st_mode & 0o077 == 0 for p in written), [
        (p.name, oct(p.stat().st_mode)) for p in written if p.stat().st_mode & 0o077]  # fmt: skip


def test_ready_project_opens_with_layers_themes_and_layouts(district, reports, tmp_path):
    from citymgmt_plugin.core.qgis.project_file import build_project

    folder = tmp_path / "moved"
    shutil.copytree(Path(reports["FOLDER"]), folder / "reports")
    shutil.copy(district.workspace_path, folder / "demo-district.gpkg")
    ws = Workspace.open(str(folder / "demo-district.gpkg"))
    try:
        build_project(ws, folder / "reports", WEEK, folder / "demo.qgz")
    finally:
        ws.close()
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(folder), str(elsewhere))  # relative paths: the folder moves whole
    project = QgsProject()
    assert project.read(str(elsewhere / "demo.qgz"))
    layers = list(project.mapLayers().values())
    assert len(layers) >= 20 and all(layer.isValid() for layer in layers)
    assert all(str(elsewhere) in layer.source() for layer in layers)
    assert sorted(project.mapThemeCollection().mapThemes()) == [
        "Census", "Patrol", "Review", "Thematic"]  # fmt: skip
    names = [layout.name() for layout in project.layoutManager().layouts()]
    assert len(names) == 3 and any(n.startswith("Weekly patrol report 2026-W46") for n in names)
    atlas = next(x for x in project.layoutManager().layouts() if x.atlas().enabled())
    assert atlas.atlas().coverageLayer() is not None and atlas.atlas().coverageLayer().isValid()
    weekly = project.layoutManager().layoutByName(names[0])
    assert weekly.itemById("map_overview").layers()  # the map kept its layers
    patrol = project.mapThemeCollection().mapThemeVisibleLayers("Patrol")
    assert any(layer.name() == "Main roads nobody patrolled" for layer in patrol)
    project.clear()


def test_reports_in_chinese(district, tmp_path, artifacts):
    with zh_cn(tmp_path):
        res = run_report(district.workspace_path, tmp_path / "zh", reports=(0, 1))
    pdf = Path(res["WEEKLY_PDF"])
    first = text(pdf, 1)
    assert "巡查周报 2026-W46" in first
    assert "图例" in first
    shots = png_pages(pdf, artifacts / "reports" / "zh", 1, 2)
    assert shots
    monthly = Path(res["MONTHLY_PDF"])
    first = "".join(text(monthly, 1).split())  # (见 and 页 come out as radicals)
    assert "各采集员得分" in first and "应付" in first and "扣减" in first
    assert "考核：采集员得分" in "".join(text(monthly, 3).split())
    assert png_pages(monthly, artifacts / "reports" / "zh", 1, 3)


def test_without_matplotlib_the_report_says_so(district, tmp_path, monkeypatch):
    from citymgmt_plugin.core.reporting import charts

    monkeypatch.setattr(charts, "missing_reason", lambda: "Charts are left out: no matplotlib.")
    res = run_report(district.workspace_path, tmp_path / "nochart", reports=(0,))
    assert "Charts are left out: no matplotlib." in text(Path(res["WEEKLY_PDF"]), 2)
    assert not (tmp_path / "nochart" / "charts").exists()


def test_bad_week_is_refused(district, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="not an ISO week"):
        run_report(district.workspace_path, tmp_path, week="2026-46")


def test_command_line_report(district, tmp_path):
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:/usr/share/qgis/python/plugins", LANG="C.UTF-8")
    args = [sys.executable, "-m", "citymgmt_plugin", "report", str(district.workspace_path)]
    out = subprocess.run(
        [*args, "--week", WEEK, "--out", str(tmp_path / "cli"), "--reports", "weekly"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert str(tmp_path / "cli" / "patrol-report-2026-W46.pdf") in out.stdout
    assert (tmp_path / "cli" / "patrol-report-2026-W46.pdf").is_file()
    bad = subprocess.run(
        [*args, "--week", "W46", "--out", str(tmp_path / "bad")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert bad.returncode == 2 and "not an ISO week" in bad.stderr
    assert not (tmp_path / "bad").exists()


def test_report_in_a_modeler_model(district, tmp_path):
    """A model with the week as its input and the report as its step, saved and reloaded
    as the Modeler does; it inherits the algorithm's main-thread flag."""
    import processing
    from qgis.core import (
        QgsProcessingAlgorithm,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterString,
    )

    model = QgsProcessingModelAlgorithm("Weekly reports", "citymgmt tests")
    model.addModelParameter(
        QgsProcessingParameterString("week", "Week"), QgsProcessingModelParameter("week")
    )
    child = QgsProcessingModelChildAlgorithm("citymgmt:patrolreport")
    child.setChildId("report")
    child.addParameterSources(
        "WORKSPACE",
        [QgsProcessingModelChildParameterSource.fromStaticValue(str(district.workspace_path))],
    )
    child.addParameterSources(
        "WEEK", [QgsProcessingModelChildParameterSource.fromModelParameter("week")]
    )
    child.addParameterSources(
        "REPORTS", [QgsProcessingModelChildParameterSource.fromStaticValue([0])]
    )
    out = QgsProcessingModelOutput("reports", "reports")
    out.setChildId("report")
    out.setChildOutputName("OUTPUT_FOLDER")
    child.setModelOutputs({"reports": out})
    model.addChildAlgorithm(child)
    path = tmp_path / "reports.model3"
    assert model.toFile(str(path))
    reloaded = QgsProcessingModelAlgorithm()
    assert reloaded.fromFile(str(path)) and reloaded.validate()[0], reloaded.validate()[1]
    assert reloaded.flags() & QgsProcessingAlgorithm.FlagNoThreading
    folder = tmp_path / "model-out"
    processing.run(reloaded, {"week": WEEK, "report:reports": str(folder)})
    assert "Weekly patrol report 2026-W46" in text(folder / "patrol-report-2026-W46.pdf", 1)
