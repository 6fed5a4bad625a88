"""Demo step ``figures``: the month of the demo week as the contract judges it.

The demo workspace gets the Suzhou 2021 contract (seed 000) with its service period moved
so November 2026 is its second month, a duty roster for November (a few absences), the
desk's coded rejections of broken reports (错报), a spot check of sampled grids whose
findings become 漏报 candidates that a reviewer confirms or dismisses, and then the month:
KPIs, 错报/漏报 figures, scores and payment (``kpi-month/`` tables).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, func, select

from ..core.i18n import tr
from ..core.workspace.store import Workspace
from .tracks import WEEK_START

MONTH = WEEK_START.replace(day=1)
_REASONS = {  # quarantine reason -> the desk's coded reject reason
    "unknown_category": "wrong_class",
    "no_kind": "wrong_class",
    "outside_city": "wrong_position",
    "no_position": "wrong_position",
    "impossible_time": "below_standard",
}


def step_figures(ctx: Any) -> None:
    from ..core.reporting.month_report import lines, write_tables
    from ..core.reporting.monthly import month_figures

    ws = Workspace.open(str(ctx.workspace_path))
    try:
        _contract(ws)
        absent = _roster(ws, ctx.seed)
        wrong = _rejections(ws)
        filed = _file_the_rest(ws)
        checked, found = _spot_checks(ws, ctx.seed)
        candidates, confirmed = _missed(ws)
        ctx.log(
            tr("Demo", "   contract: Suzhou 2021 (seed 000), service from {0}").format(
                _service_start().isoformat()
            )
        )
        ctx.log(
            tr(
                "Demo", "   roster: {0} absences; desk: {1} wrong reports (错报) by coded reason"
            ).format(absent, wrong)
        )
        ctx.log(tr("Demo", "   desk: {0} pending reports filed").format(filed))
        ctx.log(
            tr(
                "Demo",
                "   spot checks: {0} grids, {1} findings; {2} missed-report (漏报) "
                "candidates, {3} confirmed",
            ).format(checked, found, candidates, confirmed)
        )
        mf = month_figures(ws, MONTH)
    finally:
        ws.close()
    for line in lines(mf):
        ctx.log("   " + line)
    folder = ctx.out_dir / "kpi-month"
    write_tables(mf, folder)
    ctx.facts["figures"] = dict(
        wrong=mf.wrong.total,
        missed=mf.missed.confirmed,
        seconds=mf.seconds,
        score=mf.contractors[0].score if mf.contractors else None,
    )
    ctx.output("kpi_month", folder)


def _service_start() -> date:
    prev = MONTH - timedelta(days=1)
    return prev.replace(day=1)


def _contract(ws: Workspace) -> None:
    from ..core.reporting.profile import default_profile
    from ..core.reporting.profile_store import save_profile

    start = _service_start()
    end = date(start.year + 1, start.month, 1) - timedelta(days=1)
    save_profile(ws, replace(default_profile(), service_start=start, service_end=end))


def _roster(ws: Workspace, seed: int) -> int:
    """Every collector on duty every day of the month (seed 000: weekends and holidays
    worked), one in ten absent one day; the number of absences."""
    from ..core.reporting.roster_store import set_days

    rng = random.Random(seed)
    c = ws.schema.collectors
    with ws.engine.connect() as conn:
        codes = sorted(conn.execute(select(c.c.code)).scalars())
    last = (MONTH.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    absent = 0
    for code in codes:
        set_days(ws, code, MONTH, last, "on_duty")
        if rng.random() < 0.1:
            day = WEEK_START + timedelta(days=rng.randrange(7))
            set_days(ws, code, day, day, "absent")
            absent += 1
    return absent


def _rejections(ws: Workspace) -> int:
    """The desk rejects the quarantined reports with the coded reason their fault is."""
    from ..core.submissions import review
    from ..core.submissions.states import reason_code

    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(s.c.id, s.c.row_version, s.c.quarantine_reason).where(
                and_(s.c.state == "quarantined", s.c.collector_code.is_not(None))
            )
        ).all()
    done = 0
    for sid, version, why in rows:
        code = _REASONS.get(str(reason_code(why)), "other")
        d = review.Decision(sid, version, "reject", reason_code=code)
        try:
            review.decide(ws, d, "desk")
            done += 1
        except review.ReviewError:
            continue
    return done


def _file_the_rest(ws: Workspace) -> int:
    """The desk works through the queue: events filed, a component report matched to the
    stored component within 10 m (its status as reported) or else accepted as new."""
    from ..core.submissions import review

    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(s.c.id, s.c.row_version, s.c.kind).where(s.c.state == "pending")
        ).all()
    done = 0
    for sid, version, kind in rows:
        d = review.Decision(sid, version, "accept_new")
        if kind == "component":
            found = review.candidates(ws, sid)
            if found and found[0].distance_m <= 10.0:
                d = review.Decision(
                    sid, version, "update_existing", component_id=found[0].component_id, move=False
                )
        try:
            review.decide(ws, d, "desk")
            done += 1
        except review.ReviewError:
            continue
    return done


def _spot_checks(ws: Workspace, seed: int) -> tuple[int, int]:
    """Three grids per district checked on the demo Wednesday; in a grid a collector walked
    that morning the inspector finds garbage by the road at 15:00."""
    from ..core.patrol.fixes import read_fixes
    from ..core.reporting import spotchecks

    day = WEEK_START + timedelta(days=2)
    grids = spotchecks.sample(ws, day, 3, seed)
    ug = ws.schema.unit_grids
    with ws.engine.connect() as conn:
        boxes = dict(
            conn.execute(
                select(ug.c.code, func.ST_AsBinary(ug.c.geom)).where(ug.c.code.in_(grids))
            ).all()
        )
    morning = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())
    fixes = read_fixes(ws, morning, morning + 6 * 3600)  # 08:00-14:00 local
    found = 0
    for code in grids:
        finding = _finding_in(code, boxes.get(code), fixes, day)
        spotchecks.record(ws, code, day, [finding] if finding else [], "inspector")
        found += finding is not None
    return len(grids), found


def _finding_in(code: str, wkb: Any, fixes: Any, day: date):
    import shapely

    from ..core.reporting.spotchecks import Finding

    if wkb is None or not len(fixes):
        return None
    grid = shapely.from_wkb(bytes(wkb))
    inside = shapely.contains_xy(grid, fixes.x, fixes.y)
    if not inside.any():
        return None
    k = int(inside.nonzero()[0][0])
    at = datetime(day.year, day.month, day.day, 7, 0, tzinfo=timezone.utc)  # 15:00 local
    return Finding("event", "0102", at, float(fixes.x[k]) + 3.0, float(fixes.y[k]), code)


def _missed(ws: Workspace) -> tuple[int, int]:
    """Find the candidates; the reviewer confirms every other one and dismisses the rest."""
    from ..core.reporting import missed_store
    from ..core.reporting.monthly import month_bounds
    from ..core.reporting.profile_store import load_profile

    profile = load_profile(ws)
    start, end = month_bounds(MONTH, profile.timezone)
    rep = missed_store.detect(ws, start, end, profile.missed)
    ids = missed_store.ids_of(missed_store.open_candidates(ws))
    confirm, dismiss = ids[::2], ids[1::2]
    if confirm:
        missed_store.decide(ws, confirm, True)
    if dismiss:
        missed_store.decide(ws, dismiss, False, tr("Demo", "reported to the desk by phone"))
    return rep.new, len(confirm)
