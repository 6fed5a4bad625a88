"""A month of contract figures from a workspace: KPIs, 错报, 漏报, spot checks, route
deviation, scores and payment (seed 002: 「月度考核」, 「按照考核结果支付」).

Only reads: 漏报 candidates are found by :func:`.missed_store.detect` and decided by a
reviewer before they count here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, select

from ..workspace.store import Workspace
from . import missed_store, spotchecks
from .assessment import CollectorUnits, ContractorRow, ScoreRow, collector_scores, contractor_scores
from .kpi import compute_kpis
from .misreports import WrongFigures, wrong_reports
from .missed import MissedRow
from .missed_store import MissedFigures
from .profile import ContractProfile
from .profile_store import load_profile
from .reports import local_epoch
from .results import KpiResult
from .stored import StoredReports, district_names, read_collectors, read_reports, read_roster
from .stored import read_tasks as read_case_tasks
from .tasks import CHECK, VERIFY, late_per_collector


@dataclass
class MonthFigures:
    month: date
    start: int
    end: int
    profile: ContractProfile
    kpis: KpiResult
    wrong: WrongFigures
    missed: MissedFigures
    spot: spotchecks.SpotCheckFigures
    deviation_days: dict[str, int] | None  # None: no routes or no fixes
    scores: list[ScoreRow]
    contractors: list[ContractorRow]
    districts: dict[str, str] = field(default_factory=dict)  # code -> name
    seconds: float = 0.0


def month_of(text: str) -> date:
    """``YYYY-MM`` -> the first day; ValueError otherwise."""
    year, month = text.strip().split("-")
    return date(int(year), int(month), 1)


def month_bounds(month: date, tz: str) -> tuple[int, int]:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return local_epoch(month, tz), local_epoch(nxt, tz)


def month_figures(
    ws: Workspace,
    month: date,
    profile: ContractProfile | None = None,
    route_deviation: bool = True,
) -> MonthFigures:
    """Every figure of the month (see the module docstring)."""
    t0 = time.perf_counter()
    profile = profile or load_profile(ws)
    start, end = month_bounds(month, profile.timezone)
    since = start
    if profile.service_start is not None:
        since = min(start, local_epoch(profile.service_start, profile.timezone))
    stored = read_reports(ws, since, end)
    last = last_day(month)
    roster = read_roster(ws, month, last)
    tasks = read_case_tasks(ws, start, end)
    kpis = compute_kpis(stored.reports, start, end, profile, stored.grid_codes, roster, tasks)
    in_period = np.flatnonzero((stored.reports.time >= start) & (stored.reports.time < end))
    wrong = wrong_reports(stored.reports.collector, stored.district, stored.reports.state,
                          stored.reports.reason, in_period)  # fmt: skip
    missed = missed_store.figures(ws, start, end)
    _add_valid(missed, kpis, stored)
    deviation = _deviation_days(ws, start, end, profile) if route_deviation else None
    units = _units(kpis, wrong, missed, deviation, tasks, start, end, profile)
    people = read_collectors(ws)
    names = {c: (p.name, p.contractor) for c, p in people.items()}
    scores = collector_scores(units, names, profile.sheet)
    contractors = contractor_scores(scores, kpis, profile, profile.name or "—")
    return MonthFigures(
        month, start, end, profile, kpis, wrong, missed, spotchecks.figures(ws, month, last),
        deviation, scores, contractors, district_names(ws), time.perf_counter() - t0,
    )  # fmt: skip


def _add_valid(missed: MissedFigures, kpis: KpiResult, stored: StoredReports) -> None:
    """Valid problem reports per collector, grid and district: the rates' other half."""
    for row in kpis.collectors:
        if row.collector_code:
            missed.per_collector.setdefault(row.collector_code, MissedRow(row.collector_code))
            missed.per_collector[row.collector_code].valid = row.valid
    for row in kpis.grids:
        code = row.grid_code or ""
        if row.valid or code in missed.per_grid:
            missed.per_grid.setdefault(code, MissedRow(code)).valid = row.valid
        district = code[:6]
        if row.valid or district in missed.per_district:
            missed.per_district.setdefault(district, MissedRow(district)).valid += row.valid


def _units(kpis, wrong, missed, deviation, tasks, start, end, profile) -> dict[str, CollectorUnits]:
    """What each collector is charged with (collectors with reports, on the roster, or with a
    confirmed 漏报)."""
    rate = profile.rates.per_collector_day
    late_v = late_per_collector(tasks, start, end, VERIFY)
    late_c = late_per_collector(tasks, start, end, CHECK)
    units: dict[str, CollectorUnits] = {}
    for row in kpis.collectors:
        if not row.collector_code:
            continue
        u = units.setdefault(row.collector_code, CollectorUnits())
        u.absence = row.absent_days
        if rate is not None:
            u.shortfall = max(0.0, rate * row.scheduled_days - row.valid)
    for code, r in missed.per_collector.items():
        units.setdefault(code, CollectorUnits()).missed = r.confirmed
    for code, r in wrong.per_collector.items():
        units.setdefault(code, CollectorUnits()).wrong = r.wrong
    for table, name in ((late_v, "late_verify"), (late_c, "late_check"),
                        (deviation or {}, "route_deviation")):  # fmt: skip
        for code, n in table.items():
            setattr(units.setdefault(code, CollectorUnits()), name, n)
    return units


def _deviation_days(ws: Workspace, start: int, end: int, profile: ContractProfile):
    """Days each collector's patrol left the prescribed route by more than the sheet's
    ``off_share`` (tolerance 30 m, the coverage default); None without routes."""
    from ..patrol.deviation import route_deviation, routes_by_collector
    from ..patrol.fixes import read_fixes
    from ..patrol.segments import TrackRules, track_segments

    pr = ws.schema.patrol_routes
    with ws.engine.connect() as conn:
        rows = conn.execute(select(pr.c.collector_code, func.ST_AsBinary(pr.c.geom))).all()
    if not rows:
        return None
    routes = routes_by_collector([r[0] for r in rows], [bytes(r[1]) for r in rows])
    fixes = read_fixes(ws, start, end)
    if not len(fixes):
        return None
    segs = track_segments(fixes.x, fixes.y, fixes.t, fixes.collector,
                          TrackRules(start=start, end=end - 1), overwrite=True)  # fmt: skip
    result = route_deviation(segs, routes, 30.0)
    limit = profile.sheet.item("route_deviation").off_share
    days: dict[str, int] = {}
    for r in result.rows:
        share = r.off_dist_share
        if share is not None and share > limit:
            days[str(r.collector)] = days.get(str(r.collector), 0) + 1
    return days


def last_day(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1) - timedelta(days=1)
