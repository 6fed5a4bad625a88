"""The rows the store writes for one verdict: the submission, its earlier version, its photos
(and the photos an edit replaces), and the row of a record the database refused.

- A new server version of a stored submission keeps the previous payload in
  ``submission_versions``; ``row_version`` goes up by one in SQL. When the submission is
  still undecided it goes back to review with the new version's state. When it was already
  decided (accepted, updated, rejected, a duplicate) the decision stays: state, decider and
  time are kept, the new version is stored and ``late_edit_at`` flags it for the reviewer,
  so an edit on the server can neither undo a decision nor make a second component.
- A photo an edit replaces (new content under the same name, or no content any more) is
  copied to ``submission_attachment_versions`` first, with the version it belonged to.
- A record the database refuses (:func:`refused`) is stored as a quarantined row that keeps
  what can be kept: its identity, its payload as escaped text, the reasons and the
  database's message (``store_refused``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, literal, or_, select, update

from ..workspace.chunks import chunked
from ..workspace.store import Workspace, audit
from ..workspace.types import UtcDateTime
from .judge.verdict import CheckedPhoto, Verdict
from .limits import LIMITS, Limits
from .states import Problem, QuarantineReason, SubmissionState, encode_flag, encode_reasons


def row_values(v: Verdict, key: str, now: datetime) -> dict[str, Any]:
    row = dict(v.values)
    names = [p.name for p in v.record.attachments]
    row.update(
        source=key,
        received_at=v.received_at or now,
        state=v.state.value,
        quarantine_reason=encode_reasons(v.problems),
        crs_flag=encode_flag(v.flag),
        attachments=names or None,
    )
    return row


def ids_of(conn: Connection, ws: Workspace, key: str, iids: Sequence[str]) -> dict[str, int]:
    """Instance id -> submission id of the stored rows of ``key``."""
    s = ws.schema.submissions
    out: dict[str, int] = {}
    for chunk in chunked(iids):
        q = select(s.c.instance_id, s.c.id).where(
            and_(s.c.source == key, s.c.instance_id.in_(chunk))
        )
        out.update({r[0]: int(r[1]) for r in conn.execute(q).all()})
    return out


def insert(
    conn: Connection, ws: Workspace, key: str, verdicts: Sequence[Verdict], now: datetime
) -> None:
    if verdicts:
        conn.execute(ws.schema.submissions.insert(), [row_values(v, key, now) for v in verdicts])


def decided(state: str) -> bool:
    """A stored state a reviewer has decided (an edit must not reopen it)."""
    try:
        return not SubmissionState(state).decidable
    except ValueError:
        return False


def edit(
    conn: Connection, ws: Workspace, key: str, v: Verdict, old: Any, now: datetime, actor: str
) -> bool:
    """A new server version: the previous payload kept, the row updated; returns whether the
    submission was decided (then the decision stays and the edit is flagged)."""
    s = ws.schema
    conn.execute(
        s.submission_versions.insert().values(
            submission_id=old.id,
            server_version=old.server_version,
            replaced_at=now,
            payload=old.payload,
        )
    )
    row = row_values(v, key, now)
    row.pop("received_at")
    late = decided(old.state)
    if late:  # the decision stays; the reviewer sees the new version flagged
        row.pop("state")
        row.pop("quarantine_reason")
        row["late_edit_at"] = now
    else:
        row.update(decided_at=None, decided_by=None)
    row["row_version"] = s.submissions.c.row_version + 1
    conn.execute(update(s.submissions).where(s.submissions.c.id == old.id).values(**row))
    detail = {
        "source": key,
        "instance_id": old.instance_id,
        "previous": old.server_version,
        "previous_state": old.state,
    }
    if late:
        detail["problems"] = encode_reasons(v.problems)
    action = "intake.edited_after_decision" if late else "intake.edited"
    audit(conn, s, actor, action, "submissions", old.id, detail)
    return late


def _attachment(sub_id: int, p: CheckedPhoto) -> dict[str, Any]:
    check = p.check
    return {
        "submission_id": sub_id,
        "name": p.name,
        "etag": p.etag,
        "sha256": hashlib.sha256(p.content).hexdigest() if p.content else None,
        "mime": p.mime,
        "content": p.content,
        "exif_time": check.exif_time if check else None,
        "exif_lon": check.exif_lon if check else None,
        "exif_lat": check.exif_lat if check else None,
        "problem": p.problem,
    }


_KEPT = ("etag", "sha256", "mime", "content", "exif_time", "exif_lon", "exif_lat", "problem")


def _keep_photo(
    conn: Connection, ws: Workspace, row: dict[str, Any], version: str | None, now: datetime
) -> None:
    """Copy the stored photo ``row`` replaces (other content, or none now) to the versions."""
    a, av = ws.schema.submission_attachments, ws.schema.submission_attachment_versions
    changed = a.c.content.is_not(None)
    if row["sha256"] is not None:
        changed = and_(changed, or_(a.c.sha256.is_(None), a.c.sha256 != row["sha256"]))
    cols = [a.c.id, a.c.submission_id, a.c.name, *(a.c[k] for k in _KEPT)]
    q = select(
        *cols, literal(version).label("server_version"), literal(now, UtcDateTime).label("at")
    ).where(and_(a.c.submission_id == row["submission_id"], a.c.name == row["name"], changed))
    names = ["attachment_id", "submission_id", "name", *_KEPT, "server_version", "replaced_at"]
    conn.execute(av.insert().from_select(names, q))


def attachments(
    conn: Connection,
    ws: Workspace,
    new: dict[int, Verdict],
    edits: dict[int, Verdict],
    versions: dict[int, str | None],
    now: datetime,
) -> None:
    """Photos of new rows, and new content for a name an edited row already has (the old
    content kept as a version: ``versions``, submission id -> the version it belonged to)."""
    a = ws.schema.submission_attachments
    rows = [_attachment(sid, p) for sid, v in new.items() for p in v.photos]
    for sid, v in edits.items():
        for p in v.photos:
            row = _attachment(sid, p)
            _keep_photo(conn, ws, row, versions.get(sid), now)
            done = conn.execute(
                update(a).where(and_(a.c.submission_id == sid, a.c.name == p.name)).values(**row)
            ).rowcount
            if not done:
                rows.append(row)
    if rows:
        conn.execute(a.insert(), rows)


REFUSED_ID_BYTES = 256  # an id or version of a refused record longer than this: its hash


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _escaped(payload: Any, limits: Limits) -> str:
    text = json.dumps(payload, ensure_ascii=True, default=str)
    return text[: limits.kept_chars]


def refused(v: Verdict, message: str, limits: Limits = LIMITS) -> Verdict:
    """``v`` as a row the database takes: identity, payload as escaped text, the reasons
    and ``store_refused`` with the database's ``message``; no photos, position or link."""
    values: dict[str, Any] = {k: v.values.get(k) for k in ("instance_id", "server_version")}
    for k in ("instance_id", "server_version"):  # perhaps what was refused: then by its hash
        text = str(values[k]) if values[k] is not None else None
        if text is not None and len(text.encode("utf-8", "surrogatepass")) > REFUSED_ID_BYTES:
            values[k] = ("id:sha256:" if k == "instance_id" else "sha256:") + _digest(text)
    try:
        text = _escaped(v.values.get("payload"), limits)
    except (ValueError, TypeError, RecursionError):
        text = repr(v.values.get("payload"))[: limits.kept_chars]
    values["payload"] = {"refused": text}
    problems = [*v.problems, Problem(QuarantineReason.STORE_REFUSED, message)]
    record = dataclasses.replace(v.record, attachments=[], instance_id=values["instance_id"])
    return dataclasses.replace(
        v, record=record, values=values, problems=problems, photos=[], link=None, flag=None
    )
