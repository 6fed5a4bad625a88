"""漏报 candidates in the workspace: found, confirmed or dismissed by a reviewer, counted.

:func:`detect` reads the problems other channels found in a window (spot-check findings,
and the case loop's public / 12345 / video / leader cases when it exists), the collectors'
fixes and reports around them, and stores the new candidates (:mod:`.missed`); running it
again adds only what is new and never reopens a decided one. :func:`decide` confirms or
dismisses (one transaction, an audit row); :func:`figures` counts per collector, grid and
district.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import shapely
from sqlalchemy import and_, func, select, update

from ..patrol.clip import clip_roads_to_grids
from ..patrol.fixes import read_fixes
from ..workspace.store import Workspace, audit
from .missed import Candidate, CollectorReports, FoundProblem, MissedRow, find_candidates
from .profile import MissedRules
from .stored import epoch, has_table, utc

OTHER_CHANNELS = ("public", "hotline", "video", "leader", "other")
CANDIDATE, CONFIRMED, DISMISSED = "candidate", "confirmed", "dismissed"


@dataclass
class DetectReport:
    problems: int = 0
    new: int = 0
    known: int = 0  # candidates stored before (kept as they were)
    collectors: set[str] = field(default_factory=set)


def found_problems(ws: Workspace, start: int, end: int) -> list[FoundProblem]:
    """Spot-check findings and other-channel cases found in [start, end)."""
    sc, f = ws.schema.spot_checks, ws.schema.spot_check_findings
    q = (
        select(f.c.id, f.c.kind, f.c.class_code, f.c.found_at, sc.c.grid_code,
               func.ST_X(f.c.geom).label("x"), func.ST_Y(f.c.geom).label("y"))
        .join(sc, sc.c.id == f.c.spot_check_id)
        .where(and_(f.c.found_at >= utc(start), f.c.found_at < utc(end)))
    )  # fmt: skip
    with ws.engine.connect() as conn:
        rows = conn.execute(q).all()
    out = [
        FoundProblem("spot_check", r.id, "spot_check", f"SC{r.id}", r.kind, r.class_code,
                     epoch(r.found_at), float(r.x), float(r.y), r.grid_code)
        for r in rows
    ]  # fmt: skip
    if has_table(ws, "cases"):
        out += _case_problems(ws, start, end)
    return out


def _case_problems(ws: Workspace, start: int, end: int) -> list[FoundProblem]:
    from sqlalchemy import MetaData, Table

    c = Table("cases", MetaData(), autoload_with=ws.engine)
    q = select(
        c.c.id, c.c.case_no, c.c.channel, c.c.kind, c.c.class_code, c.c.reported_at,
        c.c.grid_code, func.ST_X(c.c.geom).label("x"), func.ST_Y(c.c.geom).label("y"),
    ).where(
        and_(c.c.channel.in_(OTHER_CHANNELS), c.c.state != "void",
             c.c.reported_at >= utc(start), c.c.reported_at < utc(end))
    )  # fmt: skip
    with ws.engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        FoundProblem("case", r.id, r.channel, r.case_no, r.kind, r.class_code,
                     epoch(r.reported_at), float(r.x), float(r.y), r.grid_code)
        for r in rows
    ]  # fmt: skip


def _grids_and_roads(ws: Workspace, codes: set[str]) -> tuple[dict, dict]:
    ug, mr = ws.schema.unit_grids, ws.schema.main_roads
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(ug.c.code, func.ST_AsBinary(ug.c.geom)).where(ug.c.code.in_(sorted(codes)))
        ).all()
        roads = conn.execute(select(func.ST_AsBinary(mr.c.geom))).scalars().all()
    grids = {code: shapely.from_wkb(bytes(wkb)) for code, wkb in rows if wkb is not None}
    for g in grids.values():
        shapely.prepare(g)
    road_geoms = shapely.from_wkb([bytes(w) for w in roads if w is not None])
    names = list(grids)
    pieces, gi = clip_roads_to_grids(road_geoms, [grids[n] for n in names])
    per_grid = {}
    for k, name in enumerate(names):
        parts = pieces[gi == k]
        if len(parts):
            per_grid[name] = shapely.multilinestrings(parts)
    return grids, per_grid


def _collector_reports(ws: Workspace, start: int, end: int) -> CollectorReports:
    s = ws.schema.submissions
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(s.c.kind, s.c.category_code, s.c.observed_at,
                   func.ST_X(s.c.geom), func.ST_Y(s.c.geom))
            .where(and_(s.c.observed_at >= utc(start), s.c.observed_at < utc(end),
                        s.c.geom.is_not(None), s.c.state != "quarantined"))
        ).all()  # fmt: skip
    return CollectorReports(
        np.array([float(r[3]) for r in rows]),
        np.array([float(r[4]) for r in rows]),
        np.array([epoch(r[2]) for r in rows], dtype=np.int64),
        [r[0] for r in rows],
        [r[1] for r in rows],
    )


def detect(ws: Workspace, start: int, end: int, rules: MissedRules) -> DetectReport:
    """Find and store the 漏报 candidates of the problems found in [start, end)."""
    problems = found_problems(ws, start, end)
    report = DetectReport(problems=len(problems))
    if not problems:
        return report
    grids, roads = _grids_and_roads(ws, {p.grid_code for p in problems if p.grid_code})
    bounds = shapely.bounds(list(grids.values())) if grids else np.zeros((0, 4))
    bbox = (
        tuple(float(v) for v in (*bounds[:, :2].min(0), *bounds[:, 2:].max(0)))
        if len(bounds)
        else None
    )
    first = min(p.found_at for p in problems)
    last = max(p.found_at for p in problems)
    fixes = read_fixes(ws, int(first - rules.patrol_before_h * 3600), last + 1, bbox)
    reports = _collector_reports(
        ws, int(first - rules.match_before_h * 3600), int(last + rules.match_after_h * 3600) + 1
    )
    found = find_candidates(problems, grids, roads, fixes, reports, rules)
    _store(ws, found, report)
    return report


def _store(ws: Workspace, found: list[Candidate], report: DetectReport) -> None:
    m = ws.schema.missed_reports
    now = datetime.now(timezone.utc)
    with ws.begin() as conn:
        have = set(conn.execute(select(m.c.source, m.c.source_id, m.c.collector_code)).all())
        rows = []
        for c in found:
            p = c.problem
            if (p.source, p.source_id, c.collector) in have:
                report.known += 1
                continue
            rows.append(dict(
                source=p.source, source_id=p.source_id, channel=p.channel, ref=p.ref,
                kind=p.kind, class_code=p.class_code, found_at=utc(p.found_at),
                grid_code=p.grid_code, district_code=(p.grid_code or "")[:6] or None,
                collector_code=c.collector, patrolled_at=utc(c.patrolled_at),
                state=CANDIDATE, created_at=now,
                geom=f"SRID={ws.srid};POINT({p.x!r} {p.y!r})",
            ))  # fmt: skip
            report.collectors.add(c.collector)
        if rows:
            conn.execute(m.insert(), rows)
        report.new = len(rows)
        audit(conn, ws.schema, ws.actor, "missed.detect", "missed_reports", None,
              {"problems": report.problems, "new": report.new, "known": report.known})  # fmt: skip


def decide(ws: Workspace, ids: Sequence[int], confirm: bool, note: str | None = None) -> int:
    """Confirm (a 漏报 of that collector) or dismiss candidates; the number changed (a
    candidate someone decided meanwhile is left as it is)."""
    m = ws.schema.missed_reports
    state = CONFIRMED if confirm else DISMISSED
    now = datetime.now(timezone.utc)
    with ws.begin() as conn:
        done = conn.execute(
            update(m)
            .where(and_(m.c.id.in_(list(ids)), m.c.state == CANDIDATE))
            .values(state=state, decided_by=ws.actor, decided_at=now, note=note)
        ).rowcount
        audit(conn, ws.schema, ws.actor, f"missed.{state}", "missed_reports", None,
              {"ids": list(ids), "changed": done, "note": note})  # fmt: skip
    return done


@dataclass
class MissedFigures:
    per_collector: dict[str, MissedRow] = field(default_factory=dict)
    per_grid: dict[str, MissedRow] = field(default_factory=dict)
    per_district: dict[str, MissedRow] = field(default_factory=dict)

    @property
    def confirmed(self) -> int:
        return sum(r.confirmed for r in self.per_collector.values())

    @property
    def candidates(self) -> int:
        return sum(r.candidates for r in self.per_collector.values())


def figures(ws: Workspace, start: int, end: int) -> MissedFigures:
    """Candidates, confirmed and dismissed 漏报 of problems found in [start, end)."""
    m = ws.schema.missed_reports
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(m.c.collector_code, m.c.grid_code, m.c.district_code, m.c.state).where(
                and_(m.c.found_at >= utc(start), m.c.found_at < utc(end))
            )
        ).all()
    out = MissedFigures()
    for code, grid, district, state in rows:
        for table, key in ((out.per_collector, code), (out.per_grid, grid or ""),
                           (out.per_district, district or "")):  # fmt: skip
            row = table.setdefault(key, MissedRow(key))
            row.candidates += state == CANDIDATE
            row.confirmed += state == CONFIRMED
            row.dismissed += state == DISMISSED
    return out


def open_candidates(ws: Workspace, limit: int = 1000) -> list[dict]:
    """Undecided candidates, oldest first, for the reviewer."""
    m = ws.schema.missed_reports
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(m.c.id, m.c.channel, m.c.ref, m.c.kind, m.c.class_code, m.c.found_at,
                   m.c.grid_code, m.c.collector_code, m.c.patrolled_at)
            .where(m.c.state == CANDIDATE).order_by(m.c.found_at, m.c.id).limit(limit)
        ).all()  # fmt: skip
    return [dict(r._mapping) for r in rows]


def ids_of(rows: Iterable[dict]) -> list[int]:
    return [int(r["id"]) for r in rows]
