"""Edits that arrived after the decision: the decision stays, the reviewer looks.

When a new server version of an already decided submission is stored (an ODK Central edit
after acceptance, say), intake keeps the decision (state, decider, the component made) and
sets ``late_edit_at`` (:mod:`..store_rows`). The queue shows those submissions
(:attr:`.queue.QueueFilter.late_edits`, :attr:`.queue.QueueItem.late_edit_at`); the
reviewer compares the new version with the decision (the earlier payload is in
``submission_versions``, replaced photos in ``submission_attachment_versions``), changes
the component in the census when the edit calls for it, and marks the edit as seen here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import Connection, and_, update
from sqlalchemy.exc import DBAPIError

from ... import census
from ...i18n import tr
from ...workspace.faults import error_message
from ...workspace.store import Workspace, audit
from .decisions import Pick

_CTX = "Review"
_NOT_ALLOWED = "42501"  # insufficient_privilege: the login's role may not change submissions


def acknowledge(
    ws: Workspace, picked: Sequence[Pick], reviewer: str | None = None
) -> tuple[int, list[tuple[int, str]]]:
    """Mark late edits as seen, each guarded by the row version the reviewer loaded:
    (how many, [(submission id, why not)]). A login the database does not let change
    submissions (a viewer) is told so for each."""
    reviewer = reviewer or ws.actor
    done, refused = 0, []
    for p in picked:
        try:
            with census.write_transaction(ws) as conn:
                seen = _mark_seen(conn, ws, p, reviewer)
        except DBAPIError as exc:
            if getattr(exc.orig, "pgcode", None) != _NOT_ALLOWED:
                raise
            why = tr(_CTX, "You may not change submission {0}: {1}").format(
                p.id, error_message(exc)
            )
            refused.append((p.id, why))
            continue
        if seen:
            done += 1
        else:
            changed = tr(_CTX, "Submission {0} changed since it was loaded; reload it.")
            refused.append((p.id, changed.format(p.id)))
    return done, refused


def _mark_seen(conn: Connection, ws: Workspace, p: Pick, reviewer: str) -> bool:
    s = ws.schema.submissions
    n = conn.execute(
        update(s)
        .where(
            and_(s.c.id == p.id, s.c.row_version == p.row_version, s.c.late_edit_at.is_not(None))
        )
        .values(late_edit_at=None, row_version=s.c.row_version + 1)
    ).rowcount
    if n != 1:
        return False
    at = datetime.now(timezone.utc).isoformat()
    audit(conn, ws.schema, reviewer, "review.late_edit_seen", "submissions", p.id, {"at": at})
    return True
