"""Component cases matched to the stored component they are about (与入库部件数据的匹配).

Candidates are stored components near the case, of its class first; a person chooses one in
the task dock. The link is the case's; the census (the component itself) is not changed.
"""

from __future__ import annotations

import shapely
from sqlalchemy import Connection, select, update

from ..census.components import Candidate, candidates_near
from ..i18n import tr
from ..workspace.store import Workspace, audit
from .codes import CaseKind, Operation
from .store import CaseError, get_case, history_rows, now_utc

_CTX = "Cases"
DEFAULT_RADIUS_M = 30.0  # case positions are a collector's or a citizen's, not a survey's


def component_candidates(
    ws: Workspace, case_id: int, radius_m: float = DEFAULT_RADIUS_M, limit: int = 10
) -> list[Candidate]:
    """Stored components within ``radius_m`` of a case: of the case's class first, then of
    other classes (a report may name the class wrongly), nearest first in each."""
    with ws.engine.connect() as conn:
        case = get_case(conn, ws, case_id)
        point = shapely.Point(case.x, case.y)
        same = candidates_near(conn, ws, point, case.class_code, radius_m, limit=limit)
        others = [
            c
            for c in candidates_near(conn, ws, point, None, radius_m, limit=limit * 2)
            if c.class_code != case.class_code
        ]
    return (same + others)[:limit]


def _identifier(conn: Connection, ws: Workspace, component_id: int) -> str:
    c = ws.schema.components
    ident = conn.execute(select(c.c.identifier).where(c.c.id == component_id)).scalar()
    if ident is None:
        raise CaseError(tr(_CTX, "No component with id {0}.").format(component_id))
    return ident


def link_component(
    ws: Workspace, case_id: int, component_id: int | None, actor: str | None = None
) -> None:
    """Link a component case to ``component_id`` (None: unlink); history row, audit."""
    actor = actor or ws.actor
    t = ws.schema.cases
    with ws.begin() as conn:
        case = get_case(conn, ws, case_id)
        if case.kind != CaseKind.COMPONENT.value:
            raise CaseError(
                tr(_CTX, "Case {0} is an event: only component cases are matched.").format(
                    case.case_no
                )
            )
        old = _identifier(conn, ws, case.component_id) if case.component_id else None
        new = _identifier(conn, ws, component_id) if component_id else None
        now = now_utc()
        conn.execute(
            update(t)
            .where(t.c.id == case_id)
            .values(
                component_id=component_id,
                updated_at=now,
                updated_by=actor,
                row_version=t.c.row_version + 1,
            )
        )
        history_rows(
            conn,
            ws,
            [
                {
                    "case_id": case_id,
                    "at": now,
                    "actor": actor,
                    "operation": Operation.MATCH,
                    "changes": {"component": [old, new]},
                }
            ],
        )
        audit(conn, ws.schema, actor, "cases.match", "cases", case_id, {"component": new})
