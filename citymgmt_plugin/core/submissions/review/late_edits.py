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

from sqlalchemy import and_, update

from ... import census
from ...i18n import tr
from ...workspace.store import Workspace, audit
from .decisions import Pick

_CTX = "Review"


def acknowledge(
    ws: Workspace, picked: Sequence[Pick], reviewer: str | None = None
) -> tuple[int, list[tuple[int, str]]]:
    """Mark late edits as seen, each guarded by the row version the reviewer loaded:
    (how many, [(submission id, why not)])."""
    reviewer = reviewer or ws.actor
    s = ws.schema.submissions
    done, refused = 0, []
    for p in picked:
        with census.write_transaction(ws) as conn:
            n = conn.execute(
                update(s)
                .where(
                    and_(
                        s.c.id == p.id,
                        s.c.row_version == p.row_version,
                        s.c.late_edit_at.is_not(None),
                    )
                )
                .values(late_edit_at=None, row_version=s.c.row_version + 1)
            ).rowcount
            if n == 1:
                at = datetime.now(timezone.utc).isoformat()
                audit(
                    conn,
                    ws.schema,
                    reviewer,
                    "review.late_edit_seen",
                    "submissions",
                    p.id,
                    {"at": at},
                )
                done += 1
            else:
                refused.append(
                    (
                        p.id,
                        tr(_CTX, "Submission {0} changed since it was loaded; reload it.").format(
                            p.id
                        ),
                    )
                )
    return done, refused
