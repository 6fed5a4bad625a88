"""The store: a judged page written in one transaction, with the source's cursor.

- One row per (source, instance id): a new record is inserted; a new server version of a
  stored one (an edit on the server) keeps the previous payload in ``submission_versions``
  and updates the row (:mod:`.store_rows`: back to review when undecided; a decided one
  keeps its decision and is flagged for the reviewer; replaced photos kept as versions).
- A quarantined record is stored like any other, with its raw payload and the reasons:
  nothing a device sent is dropped. When the database refuses the page for what a record
  holds, the page is written record by record in savepoints and the refused record is
  stored quarantined with the database's message.
- Photos (``submission_attachments``): new rows, or new content for a name already stored.
- Duplicate links (``submission_links``): the page's own and the stored rows it relinks.
- Earlier pending rows of devices judged to send GCJ-02 are flagged.
- The cursor (ODK: the nextLink of the next page, and the updatedAt watermark) is written in
  the same transaction as the page it follows, so a pull that dies half-way resumes at the
  first page not stored, and no page is stored twice.
- Races: the stored rows a page changes are read locked (PostGIS ``FOR UPDATE``; a
  GeoPackage has one writer, ``BEGIN IMMEDIATE``), versions are counted up in SQL, and pages
  of one source are written one at a time (an advisory lock).

Nothing is decided here: every value comes from the verdicts (:mod:`.judge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from ..census import write_transaction
from ..workspace.chunks import chunked
from ..workspace.faults import error_message, row_error, savepoint
from ..workspace.store import Workspace, audit
from . import store_rows as rows
from .judge.position import CHECKED_CRS
from .judge.verdict import Link, PageVerdict, Verdict
from .settings import get_cursor, put_cursor
from .states import Evidence, PositionFlag, PositionSystem, SubmissionState, encode_flag


@dataclass
class Stored:
    """What a page's transaction wrote."""

    inserted: list[Verdict] = field(default_factory=list)
    edited: list[Verdict] = field(default_factory=list)
    unchanged: int = 0  # stored meanwhile with the same server version
    ids: list[int] = field(default_factory=list)  # submission ids, new then edited
    reflagged: int = 0  # earlier pending rows of GCJ-02 devices flagged now
    late: list[Verdict] = field(default_factory=list)  # edits of decided submissions (flagged)
    refused: int = 0  # records the database refused (stored quarantined with its message)


# -- what is stored --------------------------------------------------------------------------
def existing(
    conn: Connection,
    ws: Workspace,
    key: str,
    ids: Sequence[str],
    payload: bool = False,
    lock: bool = False,
) -> dict[str, Any]:
    """The stored rows of ``key`` for these instance ids (id, version, state, row version).

    ``lock``: on PostGIS the rows are locked for the transaction (``FOR UPDATE``, in id
    order), so a reviewer's decision on one of them is either committed before (and seen
    here) or waits until the page is stored (and then finds its row version moved on).
    """
    s = ws.schema.submissions
    out: dict[str, Any] = {}
    cols = [s.c.id, s.c.instance_id, s.c.server_version, s.c.state, s.c.row_version]
    if payload:
        cols.append(s.c.payload)
    for chunk in chunked(ids):
        q = select(*cols).where(and_(s.c.source == key, s.c.instance_id.in_(chunk)))
        if lock and ws.is_postgres:
            q = q.order_by(s.c.id).with_for_update()
        out.update({r.instance_id: r for r in conn.execute(q).all()})
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


# -- links and flags ---------------------------------------------------------------------
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
def _lock_source(conn: Connection, ws: Workspace, key: str) -> None:
    """On PostGIS, pages of one source are written one at a time (an advisory lock for the
    transaction): two pulls of the same source cannot both insert the same record."""
    if ws.is_postgres:
        name = f"citymgmt.intake:{ws.spec.schema}:{key}"
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))


@dataclass
class _Plan:
    """A page's verdicts sorted against what is stored (read and locked in the transaction)."""

    old: dict[str, Any]
    inserts: list[Verdict] = field(default_factory=list)
    edits: list[tuple[Verdict, Any]] = field(default_factory=list)
    unchanged: int = 0


def _plan(conn: Connection, ws: Workspace, key: str, judged: PageVerdict) -> _Plan:
    ids = [v.instance_id for v in judged.verdicts]
    plan = _Plan(existing(conn, ws, key, ids, payload=True, lock=True))
    for v in judged.verdicts:
        prev = plan.old.get(v.instance_id)
        if prev is None:
            plan.inserts.append(v)
        elif prev.server_version != v.values["server_version"]:
            plan.edits.append((v, prev))
        else:
            plan.unchanged += 1
    return plan


@dataclass
class _Written:
    new: dict[int, Verdict] = field(default_factory=dict)  # submission id -> verdict
    edits: dict[int, Verdict] = field(default_factory=dict)
    late: list[Verdict] = field(default_factory=list)  # edits of decided submissions
    refused: int = 0


def _write_all(
    conn: Connection, ws: Workspace, key: str, plan: _Plan, now: datetime, actor: str
) -> _Written:
    """The page in one go (the usual case)."""
    out = _Written()
    for v, prev in plan.edits:
        if rows.edit(conn, ws, key, v, prev, now, actor):
            out.late.append(v)
        out.edits[prev.id] = v
    rows.insert(conn, ws, key, plan.inserts, now)
    by_iid = rows.ids_of(conn, ws, key, [v.instance_id for v in plan.inserts])
    out.new = {by_iid[v.instance_id]: v for v in plan.inserts}
    versions = {prev.id: prev.server_version for _, prev in plan.edits}
    rows.attachments(conn, ws, out.new, out.edits, versions, now)
    return out


def _write_one(
    conn: Connection, ws: Workspace, key: str, v: Verdict, prev: Any, now: datetime, actor: str
) -> tuple[int, bool]:
    """One record with its photos: (submission id, whether it was a decided one's edit)."""
    if prev is None:
        rows.insert(conn, ws, key, [v], now)
        sid = rows.ids_of(conn, ws, key, [v.instance_id])[v.instance_id]
        rows.attachments(conn, ws, {sid: v}, {}, {}, now)
        return sid, False
    late = rows.edit(conn, ws, key, v, prev, now, actor)
    rows.attachments(conn, ws, {}, {prev.id: v}, {prev.id: prev.server_version}, now)
    return prev.id, late


def _write_each(
    conn: Connection, ws: Workspace, key: str, plan: _Plan, now: datetime, actor: str
) -> _Written:
    """Record by record, each in a savepoint: a record the database refuses is stored as a
    quarantined row with the database's message, and the page goes on."""
    out = _Written()
    work = [(v, prev) for v, prev in plan.edits] + [(v, None) for v in plan.inserts]
    for v, prev in work:
        try:
            with savepoint(conn):
                sid, late = _write_one(conn, ws, key, v, prev, now, actor)
        except Exception as exc:
            if not row_error(exc):
                raise
            v = rows.refused(v, error_message(exc))
            out.refused += 1
            sid, late = _write_one(conn, ws, key, v, prev, now, actor)
        (out.new if prev is None else out.edits)[sid] = v
        if late:
            out.late.append(v)
    return out


def _finish(
    conn: Connection,
    ws: Workspace,
    key: str,
    judged: PageVerdict,
    written: _Written,
    cursor: dict[str, Any] | None,
    actor: str,
) -> int:
    """Links, device flags, the cursor and the page's audit row; returns rows reflagged."""
    by_iid = {v.instance_id: sid for sid, v in {**written.new, **written.edits}.items()}
    page_links = {sid: v.link for sid, v in {**written.new, **written.edits}.items()}
    _links(conn, ws, {**judged.relinks, **page_links}, list(written.edits), by_iid)
    reflagged = _flag_devices(conn, ws, judged.gcj_devices) if judged.gcj_devices else 0
    if cursor is not None:
        kept = {k: v for k, v in cursor.items() if k != "resumed"}
        put_cursor(conn, ws, key, kept)
    changed = list(written.new.values()) + list(written.edits.values())
    if changed:
        detail = {
            "source": key,
            "inserted": len(written.new),
            "edited": len(written.edits),
            "quarantined": sum(1 for v in changed if v.state == SubmissionState.QUARANTINED),
        }
        if written.late:
            detail["edited_after_decision"] = len(written.late)
        if written.refused:
            detail["refused_by_database"] = written.refused
        audit(conn, ws.schema, actor, "intake.page", "submissions", None, detail)
    return reflagged


def _write_page(
    ws: Workspace,
    key: str,
    judged: PageVerdict,
    cursor: dict[str, Any] | None,
    actor: str,
    now: datetime,
    one_by_one: bool,
) -> Stored:
    with write_transaction(ws) as conn:
        _lock_source(conn, ws, key)
        plan = _plan(conn, ws, key, judged)
        write = _write_each if one_by_one else _write_all
        written = write(conn, ws, key, plan, now, actor)
        reflagged = _finish(conn, ws, key, judged, written, cursor, actor)
    return Stored(
        inserted=list(written.new.values()),
        edited=list(written.edits.values()),
        unchanged=plan.unchanged,
        ids=list(written.new) + list(written.edits),
        reflagged=reflagged,
        late=written.late,
        refused=written.refused,
    )


def store_page(
    ws: Workspace,
    key: str,
    judged: PageVerdict,
    cursor: dict[str, Any] | None,
    actor: str,
    now: datetime,
) -> Stored:
    """Write the verdicts of a page and its cursor (``None``: the source keeps none).

    One transaction for the page. When the database refuses it for what a record holds
    (:func:`~..workspace.faults.row_error`), the page is written again record by record,
    each in a savepoint, the refused record quarantined with the database's message, so
    the page's other records, its cursor and every page after it are stored. When the
    connection or the server fails, the error is raised: nothing of the page was stored.
    """
    try:
        return _write_page(ws, key, judged, cursor, actor, now, one_by_one=False)
    except Exception as exc:
        if not row_error(exc):
            raise
    return _write_page(ws, key, judged, cursor, actor, now, one_by_one=True)
