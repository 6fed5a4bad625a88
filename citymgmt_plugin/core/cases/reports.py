"""Collectors' reports the desk accepted become cases: an accepted event report (review
decision ``accept_new`` on an event) is a case of the collector channel, filed (立案: the
contracts count a report as valid once the desk accepts it), at the report's position, with
its class, description, collector and time, linked to the submission."""

from __future__ import annotations

from sqlalchemy import func, insert, not_, select

from ..submissions.states import SubmissionState
from ..workspace.store import Workspace, audit
from .codes import CaseState, Channel, Operation
from .store import ewkt_point, history_rows, now_utc, resp_grid_of

ACCEPTED = SubmissionState.ACCEPTED  # an accepted new report
SOURCE = "submission"


def case_number(submission_id: int) -> str:
    return f"SUB{submission_id:08d}"


def cases_from_reports(ws: Workspace, actor: str | None = None) -> int:
    """A case for every accepted event report that has none yet; how many were made."""
    actor = actor or ws.actor
    s, c = ws.schema.submissions, ws.schema.cases
    has_case = select(c.c.id).where(c.c.submission_id == s.c.id).exists()
    query = select(
        s.c.id,
        s.c.category_code,
        s.c.description,
        s.c.collector_code,
        s.c.grid_code,
        s.c.observed_at,
        s.c.received_at,
        func.ST_X(s.c.geom).label("x"),
        func.ST_Y(s.c.geom).label("y"),
    ).where(s.c.state == ACCEPTED, s.c.kind == "event", s.c.geom.is_not(None), not_(has_case))
    now = now_utc()
    with ws.begin() as conn:
        reports = conn.execute(query.order_by(s.c.id)).all()
        if not reports:
            return 0
        resp = resp_grid_of(conn, ws)
        rows = [
            {
                "case_no": case_number(r.id),
                "channel": Channel.COLLECTOR.value,
                "kind": "event",
                "class_code": r.category_code,
                "description": r.description,
                "state": CaseState.FILED.value,
                "reported_at": r.observed_at or r.received_at,
                "state_at": now,
                "grid_code": r.grid_code,
                "resp_grid_code": resp.get(r.grid_code or ""),
                "collector_code": r.collector_code,
                "submission_id": r.id,
                "source": SOURCE,
                "row_version": 1,
                "created_at": now,
                "updated_at": now,
                "updated_by": actor,
                "geom": ewkt_point(r.x, r.y, ws.srid),
            }
            for r in reports
        ]
        ids = conn.execute(
            insert(c).returning(c.c.id, sort_by_parameter_order=True), rows
        ).scalars()
        history_rows(
            conn,
            ws,
            [
                {
                    "case_id": case_id,
                    "at": now,
                    "actor": actor,
                    "operation": Operation.IMPORT,
                    "to_state": CaseState.FILED.value,
                    "note": SOURCE,
                }
                for case_id in ids
            ],
        )
        audit(conn, ws.schema, actor, "cases.from_reports", "cases", detail={"made": len(rows)})
    return len(rows)
