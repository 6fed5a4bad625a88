"""The demo's case loop on a small demo district: cases from four channels imported (bad
rows refused), tasks pushed to the local ODK Central, answers back through the intake,
cases moved on, on-time rates and the task map."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.workspace.store import Workspace


@pytest.fixture(scope="module")
def ran(qgis_app, tmp_path_factory):
    from citymgmt_plugin.demo.cases_demo import step_cases
    from citymgmt_plugin.demo.generate import step_generate
    from citymgmt_plugin.demo.runner import DemoContext

    out = tmp_path_factory.mktemp("demo-cases")
    lines: list[str] = []
    ctx = DemoContext(out, out / "demo-district.gpkg", 0.05, 7, log=lines.append)
    step_generate(ctx)
    step_cases(ctx)
    return ctx, lines


def test_the_case_loop_runs_on_the_demo_district(ran):
    ctx, lines = ran
    facts = ctx.facts["cases"]
    assert facts["imported"] == 40 and facts["refused"] == 3 and facts["again_unchanged"] == 40
    text = "\n".join(lines)
    for channel in ("公众举报", "12345热线", "视频监控", "领导交办"):
        assert channel in text
    verify, verify_close, check, check_close = facts["push"]
    assert verify["created"] > 0 and verify_close["closed"] > 0 and check["created"] > 0
    assert verify_close["conflicts"] + check_close["conflicts"] > 0  # devices changed some
    figures = ctx.facts["task_figures"]
    assert figures["verify"]["overdue"] >= 1  # the unanswered ones
    assert 0 < figures["verify"]["rate"] < 1 and figures["check"]["median_hours"] > 0
    assert ctx.outputs["task map"].stat().st_size > 10_000

    ws = Workspace.open(str(ctx.workspace_path))
    try:
        c = ws.schema.cases
        with ws.engine.connect() as conn:
            states = dict(conn.execute(select(c.c.state, func.count()).group_by(c.c.state)).all())
    finally:
        ws.close()
    assert states.get("checked", 0) > 0 and states.get("void", 0) > 0  # moved on by results
