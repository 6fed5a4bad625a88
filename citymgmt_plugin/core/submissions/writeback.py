"""Write-back: review outcomes told to the source a submission came from, through an outbox.

A decision on a submission of a source that can be told (ODK Central) puts one row in
``submission_outbox``, in the decision's own transaction: the decision and what the source
is to hear (the decision, a comment) are stored together or not at all. The source then
drains the outbox (:meth:`~.records.WriteBack.write_review`; ODK Central: ``PATCH
reviewState`` and a comment): right after the decision when a writer is at hand, again by
:func:`write_back_pending` or after a pull of that source. A failed or impossible attempt
keeps the row (with the error) for the next drain; the decision itself stays whatever
happens, and ``review_decisions.written_back`` says whether the source has heard it.

Which account writes is the caller's: a ``writer_for(source key)`` (the dock and the
pull: the person's bound account, :func:`.pull.bound_writer_for`; the command line: the
account of the run). This module never opens a source itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, func, select, update

from ..i18n import tr
from ..workspace.chunks import chunked
from ..workspace.store import Workspace
from .records import WriteBack, writes_back
from .states import ReviewDecision

_CTX = "Review"
WriterFor = Callable[[str], Any]  # source key -> a WriteBack (write_review()), or None


def no_writer(_source: str) -> WriteBack | None:
    """No account at hand: decisions wait in the outbox."""
    return None


def enqueue(
    conn: Connection,
    ws: Workspace,
    decision_id: int,
    source: str,
    instance_id: str,
    decision: ReviewDecision,
    comment: str | None,
) -> int | None:
    """Queue a decision for its source, inside the decision's transaction (None: the source
    is not told)."""
    if not writes_back(source):
        return None
    o = ws.schema.submission_outbox
    return conn.execute(
        o.insert()
        .values(
            decision_id=decision_id,
            source=source,
            instance_id=instance_id,
            decision=ReviewDecision(decision).value,
            comment=comment,
            created_at=datetime.now(timezone.utc),
            attempts=0,
        )
        .returning(o.c.id)
    ).scalar_one()


@dataclass
class Drained:
    written: int = 0
    failed: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # outbox id -> why not (translated)


def _pending(ws: Workspace, ids: Sequence[int] | None, source: str | None) -> list[Any]:
    o = ws.schema.submission_outbox
    cols = (o.c.id, o.c.decision_id, o.c.source, o.c.instance_id, o.c.decision, o.c.comment)
    base = o.c.sent_at.is_(None)
    if source is not None:
        base = and_(base, o.c.source == source)
    with ws.engine.connect() as conn:
        if ids is None:
            return list(conn.execute(select(*cols).where(base).order_by(o.c.id)).all())
        rows = []
        for chunk in chunked(sorted(ids)):
            q = select(*cols).where(and_(base, o.c.id.in_(chunk))).order_by(o.c.id)
            rows += conn.execute(q).all()
        return rows


def _mark(ws: Workspace, row: Any, error: str | None) -> None:
    """One attempt: sent (the decision marked written back), or the error kept."""
    o, rd = ws.schema.submission_outbox, ws.schema.review_decisions
    now = datetime.now(timezone.utc)
    with ws.begin() as conn:
        values: dict[str, Any] = {"attempts": o.c.attempts + 1, "last_error": error}
        if error is None:
            values["sent_at"] = now
            conn.execute(update(rd).where(rd.c.id == row.decision_id).values(written_back=True))
        conn.execute(update(o).where(o.c.id == row.id).values(**values))


def _writer(writer_for: WriterFor, source: str) -> Any:
    """The source's writer, None (no account here), or why it cannot be opened."""
    try:
        return writer_for(source)
    except Exception as exc:  # a configuration that cannot be opened: kept, retried later
        return str(exc) or type(exc).__name__


def _send(writer: Any, row: Any) -> str | None:
    """Tell the source one outbox entry: None when it heard it, else why not."""
    if isinstance(writer, str):
        return writer
    if writer is None:
        return tr(_CTX, "No connection to {0}: decision kept, not written back.").format(row.source)
    try:
        writer.write_review(row.instance_id, ReviewDecision(row.decision), row.comment)
    except Exception as exc:  # the server, the network, the account: kept, retried
        return str(exc) or type(exc).__name__
    return None


def drain(
    ws: Workspace,
    writer_for: WriterFor | None = None,
    ids: Sequence[int] | None = None,
    source: str | None = None,
) -> Drained:
    """Send what waits in the outbox (all, the entries ``ids``, or one ``source``'s), oldest
    first, each through ``writer_for(source key)``."""
    writer_for = writer_for or no_writer
    writers: dict[str, Any] = {}
    out = Drained()
    for row in _pending(ws, ids, source):
        if row.source not in writers:
            writers[row.source] = _writer(writer_for, row.source)
        error = _send(writers[row.source], row)
        _mark(ws, row, error)
        if error is None:
            out.written += 1
        else:
            out.failed += 1
            out.errors[row.id] = error
    return out


def write_back_pending(ws: Workspace, writer_for: WriterFor | None = None) -> tuple[int, int]:
    """Retry every decision not yet written back: (written, still failing)."""
    done = drain(ws, writer_for)
    return done.written, done.failed


def pending_count(ws: Workspace, source: str | None = None) -> int:
    """Decisions not yet written back (to ``source``, or to any)."""
    o = ws.schema.submission_outbox
    q = select(func.count()).select_from(o).where(o.c.sent_at.is_(None))
    if source is not None:
        q = q.where(o.c.source == source)
    with ws.engine.connect() as conn:
        return int(conn.execute(q).scalar() or 0)
