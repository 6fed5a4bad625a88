"""What a report reads from the workspace itself: who and where, and reports per week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import and_, select

from ..workspace.store import Workspace
from .patrol_report import ReportFacts, TrendPoint
from .profile import VALID_STATES
from .reports import DEFAULT_TZ, state_set
from .weeks import IsoWeek


def report_facts(ws: Workspace) -> ReportFacts:
    """Responsibility grids with their unit grids and names, the active collectors, and the
    district's name."""
    s = ws.schema
    facts = ReportFacts()
    with ws.engine.connect() as conn:
        units = conn.execute(
            select(s.resp_grid_units.c.unit_grid_code, s.resp_grid_units.c.resp_grid_code)
        )
        facts.resp_of = {str(u): str(r) for u, r in units}
        facts.resp_names = {
            str(c): str(n or "")
            for c, n in conn.execute(select(s.resp_grids.c.code, s.resp_grids.c.name))
        }
        c = s.collectors.c
        rows = conn.execute(
            select(c.code, c.name, c.resp_grid_code).where(c.active.is_(True)).order_by(c.code)
        )
        facts.people = [(str(code), str(name or ""), str(resp or "")) for code, name, resp in rows]
        a = s.admin_units.c
        district = conn.execute(
            select(a.name).where(a.level == "district").order_by(a.code).limit(1)
        ).scalar()
    facts.place = str(district or "")
    return facts


def weekly_trend(
    ws: Workspace,
    weeks: Sequence[IsoWeek],
    valid_states: Sequence[str] = VALID_STATES,
    tz: str = DEFAULT_TZ,
) -> list[TrendPoint]:
    """Reports and valid (filed or accepted) reports, by the time they were observed, in each
    of ``weeks``."""
    if not weeks:
        return []
    bounds = [w.bounds(tz) for w in weeks]
    lo = datetime.fromtimestamp(min(b[0] for b in bounds), timezone.utc)
    hi = datetime.fromtimestamp(max(b[1] for b in bounds), timezone.utc)
    t = ws.schema.submissions.c
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.observed_at, t.state).where(and_(t.observed_at >= lo, t.observed_at < hi))
        ).all()
    good = state_set(valid_states)
    counts = [[0, 0] for _ in weeks]
    for observed, state in rows:
        if observed is None:
            continue
        if observed.tzinfo is None:
            observed = observed.replace(tzinfo=timezone.utc)
        epoch = observed.timestamp()
        for k, (start, end) in enumerate(bounds):
            if start <= epoch < end:
                counts[k][0] += 1
                counts[k][1] += 1 if str(state or "").strip().lower() in good else 0
                break
    return [TrendPoint(str(w), n, v) for w, (n, v) in zip(weeks, counts)]
