"""Results that arrive through the normal intake: the verification form's submissions.

The form (``resources/forms/citymgmt_task_result.xlsx``) answers one task, chosen from the
entity list: its ``task`` field holds the entity's uuid, ``verify_outcome`` or
``check_outcome`` the finding, ``location`` where the collector stood, ``photo_1``/``photo_2``
the photos, ``note`` and ``new_address`` what they add. Each such submission, once the intake
has stored it, is read here into a :class:`~.results.TaskResult` and applied; the submissions
already looked at are remembered (a cursor in the workspace settings), so each is applied
once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from ..i18n import tr
from ..submissions.settings import get_cursor, put_cursor
from ..workspace.store import Workspace
from .codes import OUTCOME_WORDS, Outcome, read_code
from .results import APPLIED, Applied, TaskResult, apply_result

_CTX = "Tasks"
CURSOR_KEY = "tasks.results"  # in intake_cursors: the last submission looked at
TASK_FIELDS = ("task", "task_uuid", "entity_id")
PHOTO_FIELDS = ("photo_1", "photo_2", "photo_3", "photo")


def _flat(data: Any, out: dict[str, Any] | None = None) -> dict[str, Any]:
    """Group fields lifted to the top (first name wins); geopoints kept whole."""
    out = {} if out is None else out
    if not isinstance(data, dict):
        return out
    for key, value in data.items():
        if key == "__system":
            continue
        if isinstance(value, dict) and value.get("type") != "Point":
            _flat(value, out)
        else:
            out.setdefault(key, value)
    return out


def _lonlat(value: Any) -> tuple[float | None, float | None]:
    """A geopoint as OData sends it ({"type": "Point", "coordinates": [lon, lat, …]}) or as
    a device export writes it ("lat lon alt accuracy")."""
    try:
        if isinstance(value, dict):
            lon, lat = value["coordinates"][:2]
            return float(lon), float(lat)
        if isinstance(value, str) and value.strip():
            lat, lon = value.split()[:2]
            return float(lon), float(lat)
    except (KeyError, ValueError, TypeError):
        pass
    return None, None


def task_reference(payload: Any) -> str | None:
    flat = _flat(payload)
    for name in TASK_FIELDS:
        value = flat.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def result_from_payload(
    payload: Any,
    submission_id: int | None = None,
    collector: str | None = None,
    observed_at: datetime | None = None,
) -> TaskResult | None:
    """The task result a submission carries; None when it answers no task or has no
    readable outcome (it then stays an ordinary submission)."""
    ref = task_reference(payload)
    if ref is None:
        return None
    flat = _flat(payload)
    said = flat.get("verify_outcome") or flat.get("check_outcome") or flat.get("outcome")
    outcome = read_code(OUTCOME_WORDS, said)
    if not isinstance(outcome, Outcome):
        return None
    lon, lat = _lonlat(flat.get("location") or flat.get("geopoint"))
    photos = tuple(str(flat[n]) for n in PHOTO_FIELDS if flat.get(n))
    return TaskResult(
        ref,
        outcome,
        observed_at,
        collector or (str(flat["collector_code"]) if flat.get("collector_code") else None),
        flat.get("note") or None,
        lon,
        lat,
        flat.get("new_address") or None,
        submission_id,
        photos,
    )


@dataclass
class ResultsSummary:
    looked_at: int = 0
    outcomes: list[Applied] = field(default_factory=list)

    def text(self) -> str:
        applied = sum(1 for a in self.outcomes if a.status == APPLIED)
        kept = len(self.outcomes) - applied
        return tr(
            _CTX, "{0} submissions looked at: {1} results applied, {2} kept in case history"
        ).format(self.looked_at, applied, kept)


def _cursor(conn: Connection, ws: Workspace) -> int:
    cursor = get_cursor(conn, ws, CURSOR_KEY) or {}
    return int(cursor.get("after", 0))


def _save_cursor(ws: Workspace, last: int) -> None:
    """Remember how far the results were read; a login that may not move intake cursors
    (on PostGIS with roles: only intake may) reads them again next time, to no effect."""
    try:
        with ws.begin() as conn:
            put_cursor(conn, ws, CURSOR_KEY, {"after": last})
    except DBAPIError:
        pass


def apply_submitted_results(
    ws: Workspace, actor: str | None = None, page: int = 1000
) -> ResultsSummary:
    """Apply the results of the submissions stored since the last call."""
    s = ws.schema.submissions
    summary = ResultsSummary()
    while True:
        with ws.engine.connect() as conn:
            after = _cursor(conn, ws)
            rows = conn.execute(
                select(s.c.id, s.c.payload, s.c.collector_code, s.c.observed_at)
                .where(s.c.id > after)
                .order_by(s.c.id)
                .limit(page)
            ).all()
        if not rows:
            return summary
        for row in rows:  # quarantined ones too: a result is about a task, not a new report
            summary.looked_at += 1
            result = result_from_payload(row.payload, row.id, row.collector_code, row.observed_at)
            if result is not None:
                summary.outcomes.append(apply_result(ws, result, actor))
        _save_cursor(ws, rows[-1].id)


@dataclass
class AfterIntake:
    """What the case loop took from what the intake stored."""

    cases_made: int
    results: ResultsSummary

    def text(self) -> str:
        """A line for the person who pulled ('' when nothing concerned the case loop)."""
        applied = sum(1 for a in self.results.outcomes if a.status == APPLIED)
        if not self.cases_made and not self.results.outcomes:
            return ""
        return tr(
            _CTX, "Case loop: {0} cases from accepted reports, {1} task results applied"
        ).format(self.cases_made, applied)


def after_intake(ws: Workspace, actor: str | None = None) -> AfterIntake:
    """Cases of newly accepted event reports, then the task results of new submissions."""
    from .reports import cases_from_reports

    made = cases_from_reports(ws, actor)
    return AfterIntake(made, apply_submitted_results(ws, actor))
