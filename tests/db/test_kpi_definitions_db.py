"""Contract definitions that live on the submission path (issue #14, problems 6 and 8).

Written before the fixes and failing on the code of that time: a report without a kind
was read as a component report when its event code shares a number with a component code,
and auto-matching made a new break on a component already stored as 破损 a duplicate.
"""

from __future__ import annotations

from sqlalchemy import select, update

from citymgmt_plugin.core.submissions import review
from tests.db.test_intake_judgements import _ingest, _rec, _rows
from tests.fixtures.synthetic_submissions import seed_city


def test_report_without_kind_is_not_read_as_a_component(workspace, tmp_path):
    """DOMAIN.md / issue #14: 40 of 54 event codes share a number with a component code
    (0101 私搭乱建 vs 0101 上水井盖): without a kind, 0101 is neither, so the report
    is held back with its reason instead of counting as a component problem."""
    ws = workspace
    city = seed_city(ws)
    rec = _rec(city, "no-kind", 520, 1000, kind="", cat="0101")
    _ingest(ws, tmp_path, [rec])
    row = _rows(ws)["no-kind"]
    assert row.kind != "component"
    assert row.state == "quarantined"
    assert "kind" in (row.quarantine_reason or "")


def test_a_new_break_on_a_component_stored_broken_is_not_a_duplicate(workspace, tmp_path):
    """Seed 002: 「案件漏报、错报等被考核事项」 — a duplicate counts against the collector;
    a break reported on a component whose stored status is already 破损 is a report of a
    problem (matched to that component), not a duplicate of the census record."""
    ws = workspace
    city = seed_city(ws)
    comp = city.components[0]
    s = ws.schema
    with ws.begin() as conn:
        conn.execute(
            update(s.components).where(s.components.c.id == comp["id"]).values(status="破损")
        )
    rec = _rec(
        city, "break", comp["x"] - city.x0 + 1.0, comp["y"] - city.y0, cat=comp["class_code"]
    )
    rec["status"] = "破损"
    rec["component_identifier"] = comp["identifier"]
    _ingest(ws, tmp_path, [rec])
    review.auto_match(ws, reviewer="tester")
    row = _rows(ws)["break"]
    assert row.state not in ("duplicate", "pending")
    assert row.state in ("accepted", "updated")
    rd = s.review_decisions
    with ws.engine.connect() as conn:
        (decided_component,) = conn.execute(
            select(rd.c.component_id).where(rd.c.submission_id == row.id)
        ).one()
    assert decided_component == comp["id"]  # matched to the stored component
