"""The store: a judged page written in one transaction, with the source's cursor.

- One row per (source, instance id): a new record is inserted; a new server version of a
  stored one (an edit on the server) keeps the previous payload in ``submission_versions``
  and updates the row (``row_version`` + 1, back to review).
- A quarantined record is stored like any other, with its raw payload and the reasons:
  nothing a device sent is dropped.
- Photos (``submission_attachments``): new rows, or new content for a name already stored.
- Duplicate links (``submission_links``): the page's own and the stored rows it relinks.
- Earlier pending rows of devices judged to send GCJ-02 are flagged.
- The cursor (ODK: the nextLink of the next page, and the updatedAt watermark) is written in
  the same transaction as the page it follows, so a pull that dies half-way resumes at the
  first page not stored, and no page is stored twice.

Nothing is decided here: every value comes from the verdicts (:mod:`.judge`). Each write is
its own small function, so a page can also be written record by record (a savepoint each)
or with its rows locked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, update

from ..workspace.chunks import chunked
from ..workspace.store import Workspace, audit
from .judge.position import CHECKED_CRS
from .judge.verdict import CheckedPhoto, Link, PageVerdict, Verdict
from .settings import get_cursor, put_cursor
from .states import (
    Evidence,
    PositionFlag,
    PositionSystem,
    SubmissionState,
    encode_flag,
    encode_reasons,
)


@dataclass
class Stored:
    """What a page's transaction wrote."""

    inserted: list[Verdict] = field(default_factory=list)
    edited: list[Verdict] = field(default_factory=list)
    unchanged: int = 0  # stored meanwhile with the same server version
    ids: list[int] = field(default_factory=list)  # submission ids, new then edited
    reflagged: int = 0  # earlier pending rows of GCJ-02 devices flagged now


# -- what is stored --------------------------------------------------------------------------
def existing(
    conn: Connection, ws: Workspace, key: str, ids: Sequence[str], payload: bool = False
) -> dict[str, Any]:
    """The stored rows of ``key`` for these instance ids (id, version, state, row version)."""
    s = ws.schema.submissions
    out: dict[str, Any] = {}
    cols = [s.c.id, s.c.instance_id, s.c.server_version, s.c.state, s.c.row_version]
    if payload:
        cols.append(s.c.payload)
    for chunk in chunked(ids):
        rows = conn.execute(
            select(*cols).where(and_(s.c.source == key, s.c.instance_id.in_(chunk)))
        ).all()
        out.update({r.instance_id: r for r in rows})
    return out


def existing_etags(
    conn: Connection, ws: Workspace, sub_ids: Sequence[int]
) -> dict[tuple[int, str], str | None]:
    """(submission id, photo name) -> the ETag of the photo stored."""
    a = ws.schema.submission_attachments
    out: dict[tuple[int, str], str | None] = {}
    for chunk in chunked(sub_ids):
        rows = conn.execute(
            select(a.c.submission_id, a.c.name, a.c.etag).where(a.c.submission_id.in_(chunk))
        ).all()
        out.update({(r[0], r[1]): r[2] for r in rows})
    return out


def load_cursor(ws: Workspace, source_key: str) -> dict[str, Any] | None:
    with ws.engine.connect() as conn:
        return get_cursor(conn, ws, source_key)


# -- rows ------------------------------------------------------------------------------------
def _row(v: Verdict, key: str, now: datetime) -> dict[str, Any]:
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


def _insert(
    conn: Connection, ws: Workspace, key: str, verdicts: list[Verdict], now: datetime
) -> dict[str, int]:
    if not verdicts:
        return {}
    conn.execute(ws.schema.submissions.insert(), [_row(v, key, now) for v in verdicts])
    rows = existing(conn, ws, key, [v.instance_id for v in verdicts])
    return {iid: r.id for iid, r in rows.items()}


def _edit(
    conn: Connection, ws: Workspace, key: str, v: Verdict, old: Any, now: datetime, actor: str
) -> None:
    """A new server version: the previous payload kept, the row updated, back to review."""
    s = ws.schema
    conn.execute(
        s.submission_versions.insert().values(
            submission_id=old.id,
            server_version=old.server_version,
            replaced_at=now,
            payload=old.payload,
        )
    )
    row = _row(v, key, now)
    row.pop("received_at")
    row.update(row_version=old.row_version + 1, decided_at=None, decided_by=None)
    conn.execute(update(s.submissions).where(s.submissions.c.id == old.id).values(**row))
    detail = {
        "source": key,
        "instance_id": old.instance_id,
        "previous": old.server_version,
        "previous_state": old.state,
    }
    audit(conn, s, actor, "intake.edited", "submissions", old.id, detail)


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


def _attachments(
    conn: Connection, ws: Workspace, new: dict[int, Verdict], edited: dict[int, Verdict]
) -> None:
    """Photos of new rows, and new content for a name an edited row already has."""
    a = ws.schema.submission_attachments
    rows = [_attachment(sid, p) for sid, v in new.items() for p in v.photos]
    for sid, v in edited.items():
        for p in v.photos:
            row = _attachment(sid, p)
            done = conn.execute(
                update(a).where(and_(a.c.submission_id == sid, a.c.name == p.name)).values(**row)
            ).rowcount
            if not done:
                rows.append(row)
    if rows:
        conn.execute(a.insert(), rows)


def _links(
    conn: Connection,
    ws: Workspace,
    links: dict[int, Link | None],
    replaced: Sequence[int],
    ids: dict[str, int],
) -> None:
    """Store the links of the page's rows and of the stored rows it relinks (``ids``: the
    page's instance ids -> submission ids, for originals stored with this page)."""
    lk = ws.schema.submission_links
    for chunk in chunked(sorted(set(replaced) | set(links))):
        conn.execute(delete(lk).where(lk.c.submission_id.in_(chunk)))
    rows = []
    for sid, link in links.items():
        if link is None:
            continue
        original = ids.get(link.original) if isinstance(link.original, str) else link.original
        if original is not None and original != sid:
            rows.append(
                {
                    "submission_id": sid,
                    "original_id": original,
                    "distance_m": link.distance_m,
                    "minutes": link.minutes,
                }
            )
    if rows:
        conn.execute(lk.insert(), rows)


def _flag_devices(conn: Connection, ws: Workspace, devices: Sequence[str]) -> int:
    """Flag the earlier pending, unflagged rows of devices now judged to send GCJ-02."""
    s = ws.schema.submissions
    ids = [d for d in devices if not d.startswith("@")]
    codes = [d[1:] for d in devices if d.startswith("@")]
    who = []
    if ids:
        who.append(s.c.device_id.in_(ids))
    if codes:
        who.append(and_(s.c.device_id.is_(None), s.c.collector_code.in_(codes)))
    flag = PositionFlag(PositionSystem.GCJ02, (Evidence.DEVICE,))
    return conn.execute(
        update(s)
        .where(
            and_(
                or_(*who),
                s.c.state == SubmissionState.PENDING.value,
                s.c.crs_flag.is_(None),
                s.c.raw_crs.in_(CHECKED_CRS),
            )
        )
        .values(crs_flag=encode_flag(flag))
    ).rowcount


# -- the page --------------------------------------------------------------------------------
def store_page(
    ws: Workspace,
    key: str,
    judged: PageVerdict,
    cursor: dict[str, Any] | None,
    actor: str,
    now: datetime,
) -> Stored:
    """Write the verdicts of a page and its cursor (``None``: the source keeps none)."""
    out = Stored()
    s = ws.schema
    with ws.begin() as conn:
        old = existing(conn, ws, key, [v.instance_id for v in judged.verdicts], payload=True)
        edits: dict[int, Verdict] = {}
        for v in judged.verdicts:
            prev = old.get(v.instance_id)
            if prev is None:
                out.inserted.append(v)
            elif prev.server_version != v.values["server_version"]:
                _edit(conn, ws, key, v, prev, now, actor)
                edits[prev.id] = v
                out.edited.append(v)
            else:
                out.unchanged += 1
        by_iid = _insert(conn, ws, key, out.inserted, now)
        new = {by_iid[v.instance_id]: v for v in out.inserted}
        out.ids = list(new) + list(edits)
        by_iid.update({v.instance_id: sid for sid, v in edits.items()})
        _attachments(conn, ws, new, edits)
        page_links = {sid: v.link for sid, v in {**new, **edits}.items()}
        _links(conn, ws, {**judged.relinks, **page_links}, list(edits), by_iid)
        if judged.gcj_devices:
            out.reflagged = _flag_devices(conn, ws, judged.gcj_devices)
        if cursor is not None:
            kept = {k: v for k, v in cursor.items() if k != "resumed"}
            put_cursor(conn, ws, key, kept)
        changed = out.inserted + out.edited
        if changed:
            quarantined = sum(1 for v in changed if v.state == SubmissionState.QUARANTINED)
            detail = {
                "source": key,
                "inserted": len(out.inserted),
                "edited": len(out.edited),
                "quarantined": quarantined,
            }
            audit(conn, s, actor, "intake.page", "submissions", None, detail)
    return out
