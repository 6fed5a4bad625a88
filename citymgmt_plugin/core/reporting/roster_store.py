"""The duty roster in the workspace (``duty_roster``): imported from a CSV or entered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import and_, delete, select

from ..i18n import tr
from ..workspace.store import Workspace, audit
from .roster import ROSTER_STATUSES, RosterProblem, read_roster_csv
from .worktime import day_date

_CTX = "Kpi"


class RosterError(ValueError):
    pass


@dataclass
class RosterImport:
    stored: int = 0
    problems: list[RosterProblem] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # collectors not in the workspace


def _store(ws: Workspace, entries: Iterable[tuple[str, date, str]], action: str) -> int:
    """Upsert (collector, day) -> status in one transaction; the rows written."""
    dr = ws.schema.duty_roster
    now = datetime.now(timezone.utc)
    rows = {(c, d): s for c, d, s in entries}
    with ws.begin() as conn:
        for c, d in rows:
            conn.execute(delete(dr).where(and_(dr.c.collector_code == c, dr.c.day == d)))
        if rows:
            conn.execute(dr.insert(), [
                dict(collector_code=c, day=d, status=s, updated_at=now, updated_by=ws.actor)
                for (c, d), s in rows.items()
            ])  # fmt: skip
        audit(conn, ws.schema, ws.actor, action, "duty_roster", None, {"rows": len(rows)})
    return len(rows)


def import_csv(ws: Workspace, text: str) -> RosterImport:
    """Roster rows of a CSV (collector, day, status; see :mod:`.roster`); rows of collectors
    the workspace does not know are listed and left out."""
    read = read_roster_csv(text)
    out = RosterImport(problems=list(read.problems))
    c = ws.schema.collectors
    with ws.engine.connect() as conn:
        known = set(conn.execute(select(c.c.code)).scalars())
    entries = []
    r = read.roster
    for code, day, status in zip(r.collector, r.day, r.status):
        if code not in known:
            if code not in out.unknown:
                out.unknown.append(code)
            continue
        entries.append((code, day_date(day), status))
    out.stored = _store(ws, entries, "roster.import")
    return out


def set_days(ws: Workspace, collector: str, first: date, last: date, status: str) -> int:
    """Enter one status for a collector over days [first, last]."""
    if status not in ROSTER_STATUSES:
        raise RosterError(tr(_CTX, "Unknown duty status {0}.").format(status))
    if last < first:
        raise RosterError(tr(_CTX, "The last day is before the first."))
    c = ws.schema.collectors
    with ws.engine.connect() as conn:
        if conn.execute(select(c.c.code).where(c.c.code == collector)).first() is None:
            raise RosterError(tr(_CTX, "No collector {0} in this workspace.").format(collector))
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return _store(ws, [(collector, d, status) for d in days], "roster.set")


def roster_rows(ws: Workspace, first: date, last: date) -> list[tuple[str, date, str]]:
    dr = ws.schema.duty_roster
    with ws.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(dr.c.collector_code, dr.c.day, dr.c.status)
            .where(and_(dr.c.day >= first, dr.c.day <= last))
            .order_by(dr.c.day, dr.c.collector_code)
        ).all()]  # fmt: skip
