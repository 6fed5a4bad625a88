"""Spot checks (现场检查): grids sampled for a day, and what the inspector found there.

Seed 002 (Panzhihua) manages the contractor 「通过对服务外包单位工作的日常考核、不定期现场检
查及年度考核的方式」: an inspector visits sampled grids. A finding is a problem found by
another channel than the collectors, so it enters the 漏报 figures like a public report
(:mod:`.missed_store`); a check without findings is a clean grid.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import and_, select, update

from ..i18n import tr
from ..workspace.store import Workspace, audit

_CTX = "Kpi"


class SpotCheckError(ValueError):
    pass


@dataclass(frozen=True)
class Finding:
    kind: str  # component / event
    class_code: str
    found_at: datetime
    x: float  # workspace CRS
    y: float
    description: str = ""


def sample(ws: Workspace, day: date, per_district: int, seed: int | None = None) -> list[str]:
    """Plan spot checks for ``day``: ``per_district`` unit grids drawn at random in each
    district (a grid already planned that day is not drawn again); the grid codes."""
    ug, sc = ws.schema.unit_grids, ws.schema.spot_checks
    rng = random.Random(seed if seed is not None else day.toordinal())
    with ws.begin() as conn:
        codes = list(conn.execute(select(ug.c.code).order_by(ug.c.code)).scalars())
        planned = set(conn.execute(select(sc.c.grid_code).where(sc.c.planned_for == day)).scalars())
        by_district: dict[str, list[str]] = {}
        for c in codes:
            if c not in planned:
                by_district.setdefault(c[:6], []).append(c)
        chosen = []
        for district in sorted(by_district):
            pool = by_district[district]
            chosen += rng.sample(pool, min(per_district, len(pool)))
        now = datetime.now(timezone.utc)
        if chosen:
            conn.execute(sc.insert(), [
                dict(grid_code=c, planned_for=day, state="planned", created_at=now,
                     created_by=ws.actor) for c in chosen
            ])  # fmt: skip
        audit(conn, ws.schema, ws.actor, "spotcheck.sample", "spot_checks", None,
              {"day": day.isoformat(), "grids": chosen})  # fmt: skip
    return chosen


def record(
    ws: Workspace,
    grid_code: str,
    day: date,
    findings: Iterable[Finding],
    inspector: str | None = None,
    checked_at: datetime | None = None,
) -> int:
    """Record the check of a grid on a day (planned or not) and its findings; the check's id."""
    sc, f = ws.schema.spot_checks, ws.schema.spot_check_findings
    findings = list(findings)
    when = checked_at or (
        max(x.found_at for x in findings) if findings else datetime.now(timezone.utc)
    )
    with ws.begin() as conn:
        row = conn.execute(
            select(sc.c.id).where(and_(sc.c.grid_code == grid_code, sc.c.planned_for == day))
        ).first()
        values = dict(state="done", checked_at=when, inspector=inspector or ws.actor)
        if row is None:
            sid = conn.execute(
                sc.insert().values(grid_code=grid_code, planned_for=day, created_at=when,
                                   created_by=ws.actor, **values).returning(sc.c.id)
            ).scalar_one()  # fmt: skip
        else:
            sid = row[0]
            conn.execute(update(sc).where(sc.c.id == sid).values(**values))
        for x in findings:
            if x.kind not in ("component", "event"):
                raise SpotCheckError(tr(_CTX, "A finding is a component or an event problem."))
        if findings:
            conn.execute(f.insert(), [
                dict(spot_check_id=sid, found_at=x.found_at, kind=x.kind, class_code=x.class_code,
                     description=x.description or None, created_by=ws.actor,
                     geom=f"SRID={ws.srid};POINT({x.x!r} {x.y!r})") for x in findings
            ])  # fmt: skip
        audit(conn, ws.schema, ws.actor, "spotcheck.record", "spot_checks", sid,
              {"grid": grid_code, "findings": len(findings)})  # fmt: skip
    return sid


@dataclass
class SpotCheckFigures:
    per_district: dict[str, tuple[int, int]]  # district -> (grids checked, findings)

    @property
    def checked(self) -> int:
        return sum(v[0] for v in self.per_district.values())


def figures(ws: Workspace, first: date, last: date) -> SpotCheckFigures:
    """Grids checked and findings per district for the days (checks done only)."""
    sc, f = ws.schema.spot_checks, ws.schema.spot_check_findings
    with ws.engine.connect() as conn:
        checks = conn.execute(
            select(sc.c.id, sc.c.grid_code).where(
                and_(sc.c.state == "done", sc.c.planned_for >= first, sc.c.planned_for <= last)
            )
        ).all()
        ids = [c.id for c in checks]
        found = (
            conn.execute(select(f.c.spot_check_id).where(f.c.spot_check_id.in_(ids)))
            .scalars()
            .all()
            if ids
            else []
        )
    district_of = {c.id: c.grid_code[:6] for c in checks}
    out: dict[str, list[int]] = {}
    for c in checks:
        out.setdefault(district_of[c.id], [0, 0])[0] += 1
    for sid in found:
        out[district_of[sid]][1] += 1
    return SpotCheckFigures({k: (v[0], v[1]) for k, v in out.items()})
