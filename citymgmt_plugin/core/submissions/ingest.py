"""Safe intake: every page of a source stored in one transaction, with the source's cursor.

- One row per (source, instance id): a record seen again with the same server version
  stores nothing; a new server version (an edit on the server) keeps the previous payload in
  ``submission_versions`` and updates the row (``row_version`` + 1, back to review).
- An invalid record is stored with state ``quarantined``, its raw payload and the reason;
  nothing a device sent is dropped.
- The cursor (ODK: the nextLink of the next page, and the updatedAt watermark) is written in
  the same transaction as the page it follows, so a pull that dies half-way resumes at the
  first page not stored, and no page is stored twice.
- Photos are fetched before the transaction (network outside the database), once: an
  attachment already stored is asked for with its ETag and skipped on 304. A page's photos
  are downloaded together, concurrently when the source offers a bounded pool (ODK Central:
  ``run_concurrently``), and stored in submission order with the page; at most one page of
  photos is held in memory.
- A pull can be cancelled (``cancelled`` hook): it stops between pages, never inside one,
  so what was stored stays with its cursor and the next pull goes on from there.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, update

from ..i18n import tr
from ..labels import crs_evidence_short_label, join, source_label
from ..workspace.store import Workspace, audit
from . import crsguard
from .normalise import (
    IntakeContext,
    Normalised,
    Rules,
    check_photo,
    compare_position,
    normalise_page,
)
from .records import (
    UNREADABLE_PHOTO,
    AttachmentMissing,
    AttachmentRef,
    Page,
    Source,
    reason_code,
)

_CTX = "Intake"
SOURCE_PREFIX = "intake.source."
_CHUNK = 900  # parameters per IN (...) list, under SQLite's limit


@dataclass
class IngestReport:
    source: str
    pages: int = 0
    read: int = 0
    inserted: int = 0
    edited: int = 0
    unchanged: int = 0
    quarantined: int = 0
    flagged: int = 0
    corrected: int = 0  # flagged with conclusive (EXIF) evidence: geometry corrected
    flags: Counter = field(default_factory=Counter)  # crs_flag values of new/edited rows
    gcj_devices: set = field(default_factory=set)  # devices judged to send GCJ-02
    device_reflagged: int = 0  # earlier pending rows of those devices flagged now
    duplicates: int = 0  # new/edited rows that likely repeat an earlier submission
    changed_ids: list = field(default_factory=list, repr=False)  # ids of new/edited rows
    photos_downloaded: int = 0
    photos_unchanged: int = 0
    photo_problems: int = 0
    reasons: Counter = field(default_factory=Counter)
    resumed: bool = False
    cancelled: bool = False  # stopped on request between pages; the next pull goes on
    error: str | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        text = tr(
            _CTX,
            "{0}: read {1}, new {2}, edited {3}, unchanged {4}, quarantined {5}, "
            "suspected GCJ-02 {6}, photos downloaded {7} (unchanged {8}).",
        ).format(
            source_label(self.source),
            self.read,
            self.inserted,
            self.edited,
            self.unchanged,
            self.quarantined,
            self.flagged,
            self.photos_downloaded,
            self.photos_unchanged,
        )
        if self.flagged or self.gcj_devices:
            text += " " + tr(
                _CTX,
                "Shifted positions: {0} corrected from the photos' GPS, {1} flagged for review "
                "({2}); devices sending GCJ-02: {3}.",
            ).format(
                self.corrected,
                self.flagged - self.corrected,
                join(f"{crs_evidence_short_label(k)} {v}" for k, v in sorted(self.flags.items()))
                or "-",
                join(sorted(self.gcj_devices)) or "-",
            )
        if self.duplicates:
            text += " " + tr(_CTX, "Likely duplicates of earlier submissions: {0}.").format(
                self.duplicates
            )
        if self.resumed:
            text += " " + tr(_CTX, "Resumed an interrupted pull.")
        if self.cancelled:
            text += " " + tr(
                _CTX, "Cancelled: what was stored stays, the next pull goes on from there."
            )
        return text


class IngestError(Exception):
    """A pull stopped (network, server); what was stored before stays, the cursor with it."""

    def __init__(self, message: str, report: IngestReport) -> None:
        super().__init__(message)
        self.report = report


# -- cursors (intake_cursors) and source configurations (workspace_settings) -----------
def _put_setting(conn: Connection, ws: Workspace, key: str, value: str) -> None:
    t = ws.schema.workspace_settings
    done = conn.execute(update(t).where(t.c.key == key).values(value=value)).rowcount
    if not done:
        conn.execute(t.insert().values(key=key, value=value))


def load_cursor(ws: Workspace, source_key: str) -> dict[str, Any] | None:
    """Where the next pull of ``source_key`` goes on from (``intake_cursors``), or None."""
    t = ws.schema.intake_cursors
    with ws.engine.connect() as conn:
        value = conn.execute(select(t.c.cursor).where(t.c.source_key == source_key)).scalar()
    return value or None


def _save_cursor(conn: Connection, ws: Workspace, source_key: str, cursor: dict[str, Any]) -> None:
    """Keep a source's cursor in ``intake_cursors``: intake may write it; the settings (which
    steer credentials) only an admin may."""
    t = ws.schema.intake_cursors
    row = {"cursor": cursor, "updated_at": datetime.now(timezone.utc)}
    if not conn.execute(update(t).where(t.c.source_key == source_key).values(**row)).rowcount:
        conn.execute(t.insert().values(source_key=source_key, **row))


def save_source_config(
    ws: Workspace, source_key: str, config: dict[str, Any], actor: str = "intake"
) -> dict[str, Any]:
    """Remember how to reach a source for the dock and write-back: only what the office
    shares (:func:`.sources.shared_config`; never an account or a password). Returns it."""
    from .sources import shared_config

    shared = shared_config(config)
    with ws.begin() as conn:
        _put_setting(conn, ws, SOURCE_PREFIX + source_key, json.dumps(shared, ensure_ascii=False))
        audit(
            conn,
            ws.schema,
            actor,
            "intake.source_saved",
            "workspace_settings",
            None,
            {"source": source_key, "config": shared},
        )
    return shared


def remove_source_config(ws: Workspace, source_key: str, actor: str = "intake") -> bool:
    """Forget a source's configuration; its stored submissions and cursor stay."""
    t = ws.schema.workspace_settings
    with ws.begin() as conn:
        done = conn.execute(delete(t).where(t.c.key == SOURCE_PREFIX + source_key)).rowcount
        if done:
            audit(
                conn,
                ws.schema,
                actor,
                "intake.source_removed",
                "workspace_settings",
                None,
                {"source": source_key},
            )
    return bool(done)


def source_configs(ws: Workspace) -> dict[str, dict[str, Any]]:
    t = ws.schema.workspace_settings
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.key, t.c.value).where(t.c.key.like(SOURCE_PREFIX + "%"))
        ).all()
    return {k[len(SOURCE_PREFIX) :]: json.loads(v) for k, v in rows}


# -- the pull ------------------------------------------------------------------------------
def ingest(
    ws: Workspace,
    source: Source,
    actor: str | None = None,
    rules: Rules | None = None,
    photos: bool = True,
    progress: Callable[[IngestReport], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> IngestReport:
    """Pull everything new from ``source`` into ``ws``; returns what happened.

    ``progress(report)`` is called after each stored page. ``cancelled()`` is asked before a
    page is stored and after it: when it says yes the pull stops there (a page fetched but
    not stored is fetched again next time) and the report says ``cancelled``.

    Raises :class:`IngestError` (with the report so far) when the source fails after its
    retries; the pages stored until then stay stored and the next call resumes. The audit
    rows name ``actor``, by default the workspace's actor (whoever runs the pull).
    """
    import time

    actor = actor or ws.actor
    t0 = time.perf_counter()
    report = IngestReport(source.key)
    with ws.engine.connect() as conn:
        ctx = IntakeContext.load(conn, ws.schema, ws.settings, rules)
    cursor = load_cursor(ws, source.key)
    stop = cancelled or (lambda: False)
    try:
        report.cancelled = stop()
        pages = iter(()) if report.cancelled else source.pages(cursor)
        for page in pages:
            if stop():
                report.cancelled = True
                break
            if page.cursor and page.cursor.get("resumed"):
                report.resumed = True
            store_page(ws, source, ctx, page, report, actor=actor, photos=photos)
            report.pages += 1
            if progress is not None:
                progress(report)
            if not page.done and stop():  # before the next page is fetched
                report.cancelled = True
                break
    except Exception as exc:
        from .files import ExportError
        from .inbox import InboxError
        from .odk import OdkError

        if not isinstance(exc, (OdkError, ExportError, InboxError, OSError)):
            raise
        report.error = str(exc)
        report.seconds = time.perf_counter() - t0
        raise IngestError(str(exc), report) from exc
    if report.changed_ids:
        from .duplicates import find_duplicates

        with ws.engine.connect() as conn:
            report.duplicates = len(find_duplicates(conn, ws, ids=report.changed_ids))
    report.seconds = time.perf_counter() - t0
    return report


def _chunks(items: list[Any], n: int = _CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _existing(
    conn: Connection, ws: Workspace, key: str, ids: list[str], payload: bool = False
) -> dict[str, Any]:
    s = ws.schema.submissions
    out: dict[str, Any] = {}
    cols = [s.c.id, s.c.instance_id, s.c.server_version, s.c.state, s.c.row_version]
    if payload:
        cols.append(s.c.payload)
    for chunk in _chunks(ids):
        rows = conn.execute(
            select(*cols).where(and_(s.c.source == key, s.c.instance_id.in_(chunk)))
        ).all()
        out.update({r.instance_id: r for r in rows})
    return out


def _existing_etags(
    conn: Connection, ws: Workspace, sub_ids: list[int]
) -> dict[tuple[int, str], str | None]:
    a = ws.schema.submission_attachments
    out: dict[tuple[int, str], str | None] = {}
    for chunk in _chunks(sub_ids):
        rows = conn.execute(
            select(a.c.submission_id, a.c.name, a.c.etag).where(a.c.submission_id.in_(chunk))
        ).all()
        out.update({(r[0], r[1]): r[2] for r in rows})
    return out


@dataclass
class _Photo:
    name: str
    content: bytes | None
    etag: str | None
    mime: str | None
    check: Any
    problem: str | None


def _fetch_photos(
    todo: list[Normalised],
    existing: dict[str, Any],
    source: Source,
    ctx: IntakeContext,
    etags: dict,
    report: IngestReport,
) -> dict[str, list[_Photo]]:
    """The photos of a page's new and changed items: downloaded together (concurrently when
    the source can, e.g. ODK Central), then checked in submission order."""
    jobs = []
    for item in todo:
        old = existing.get(item.values["instance_id"])
        for ref in item.raw.attachments:
            if ref.fetch is not None:
                jobs.append((item, ref, etags.get((old.id, ref.name)) if old else None))
    outcomes = _download(source, [(ref, known) for _, ref, known in jobs])
    missing_is_error = getattr(source, "missing_photo_is_error", True)
    out: dict[str, list[_Photo]] = {item.values["instance_id"]: [] for item in todo}
    for (item, ref, _known), outcome in zip(jobs, outcomes):
        photo = _checked_photo(item, ref.name, outcome, missing_is_error, ctx, report)
        if photo is not None:
            out[item.values["instance_id"]].append(photo)
    return out


def _download(source: Source, jobs: list[tuple[AttachmentRef, str | None]]) -> list[Any]:
    """``ref.fetch(etag)`` for every job, results in job order (AttachmentMissing returned).

    A source with ``run_concurrently(calls)`` runs them on its bounded pool; any other
    error stops the downloads and is raised (the page is then not stored).
    """

    def call(ref: AttachmentRef, etag: str | None) -> Any:
        try:
            return ref.fetch(etag)  # type: ignore[misc]
        except AttachmentMissing as exc:
            return exc

    calls = [partial(call, ref, etag) for ref, etag in jobs]
    run = getattr(source, "run_concurrently", None)
    return run(calls) if run is not None else [c() for c in calls]


def _checked_photo(
    item: Normalised,
    name: str,
    outcome: Any,
    missing_is_error: bool,
    ctx: IntakeContext,
    report: IngestReport,
) -> _Photo | None:
    """One download's outcome as a photo to store (None: unchanged, HTTP 304)."""
    if isinstance(outcome, AttachmentMissing):
        if missing_is_error:
            _quarantine(item, f"{UNREADABLE_PHOTO}: {name} missing")
        report.photo_problems += 1
        return _Photo(name, None, None, None, None, "missing")
    content, etag, mime = outcome
    if content is None:
        report.photos_unchanged += 1
        return None
    report.photos_downloaded += 1
    # The position is compared once it is settled (the EXIF may correct it).
    check = check_photo(content, ctx.timezone, item.observed_utc, None, ctx.rules)
    jpg_name = name.lower().endswith((".jpg", ".jpeg"))
    if check.readable and jpg_name and check.mime != "image/jpeg":  # a PNG named .jpg
        check.readable = False
        check.problem = f"not a JPEG: {check.mime}"
    if not check.readable:
        _quarantine(item, f"{UNREADABLE_PHOTO}: {name}")
    return _Photo(name, content, etag, mime or check.mime, check, check.problem)


def _exif_positions(
    todo: list[Normalised],
    fetched: dict[str, list[_Photo]],
    stored: dict[str, list[tuple[float, float]]],
) -> dict[int, list[tuple[float, float]]]:
    """Item index -> EXIF positions of its photos (downloaded now, else as stored)."""
    out: dict[int, list[tuple[float, float]]] = {}
    for i, item in enumerate(todo):
        iid = item.values["instance_id"]
        got = [
            (p.check.exif_lon, p.check.exif_lat)
            for p in fetched.get(iid, [])
            if p.check is not None and p.check.exif_lon is not None and p.check.exif_lat is not None
        ]
        out[i] = got or stored.get(iid, [])
    return out


def _history(
    conn: Connection, ws: Workspace, todo: list[Normalised], days: int
) -> crsguard.History:
    """Earlier stored points (declared WGS84 or unknown) of the devices in ``todo``."""
    from datetime import timedelta

    s = ws.schema.submissions
    devices = sorted({i.device for i in todo if i.device and not i.device.startswith("@")})
    collectors = sorted({i.device[1:] for i in todo if i.device and i.device.startswith("@")})
    skip = {i.values["instance_id"] for i in todo}
    since = datetime.now(timezone.utc) - timedelta(days=days)
    base = and_(
        s.c.raw_crs.in_(crsguard.CHECKED_CRS),
        s.c.raw_x.is_not(None),
        s.c.state != "quarantined",
        s.c.received_at >= since,
    )
    h = crsguard.History()
    conds = [s.c.device_id.in_(chunk) for chunk in _chunks(devices)]
    conds += [
        and_(s.c.device_id.is_(None), s.c.collector_code.in_(chunk))
        for chunk in _chunks(collectors)
    ]
    for cond in conds:
        rows = conn.execute(
            select(
                s.c.instance_id,
                s.c.device_id,
                s.c.collector_code,
                s.c.raw_x,
                s.c.raw_y,
                s.c.crs_flag,
            ).where(and_(base, cond))
        ).all()
        for r in rows:
            if r.instance_id in skip:
                continue
            key = crsguard.device_key(r.device_id, r.collector_code)
            flag = crsguard.parse_flag(r.crs_flag)
            h.keys.append(key)
            h.lon.append(float(r.raw_x))
            h.lat.append(float(r.raw_y))
            h.exif_gcj.append(flag is not None and crsguard.EXIF in flag.evidence)
    return h


def _stored_exif(
    conn: Connection, ws: Workspace, ids: dict[int, str]
) -> dict[str, list[tuple[float, float]]]:
    """instance id -> EXIF positions of the photos already stored (edited submissions)."""
    a = ws.schema.submission_attachments
    out: dict[str, list[tuple[float, float]]] = {}
    for chunk in _chunks(list(ids)):
        for sid, lon, lat in conn.execute(
            select(a.c.submission_id, a.c.exif_lon, a.c.exif_lat).where(
                and_(a.c.submission_id.in_(chunk), a.c.exif_lon.is_not(None))
            )
        ).all():
            out.setdefault(ids[sid], []).append((float(lon), float(lat)))
    return out


def _quarantine(item: Normalised, reason: str) -> None:
    item.state = "quarantined"
    item.reason = f"{item.reason}; {reason}" if item.reason else reason


def store_page(
    ws: Workspace,
    source: Source,
    ctx: IntakeContext,
    page: Page,
    report: IngestReport,
    actor: str | None = None,
    photos: bool = True,
) -> None:
    actor = actor or ws.actor
    s = ws.schema
    now = datetime.now(timezone.utc)
    by_id = {rec.instance_id: rec for rec in page.records}  # twice in a page: the later wins
    report.read += len(page.records)

    # What is new or changed (only that is normalised), and its photos (before the transaction).
    with ws.engine.connect() as conn:
        existing = _existing(conn, ws, source.key, list(by_id))
        changed_ids = [
            r.id
            for r in existing.values()
            if r.server_version != by_id[r.instance_id].server_version
        ]
        etags = _existing_etags(conn, ws, changed_ids) if photos else {}
    fresh = [
        rec
        for iid, rec in by_id.items()
        if iid not in existing or existing[iid].server_version != rec.server_version
    ]
    report.unchanged += len(by_id) - len(fresh)
    todo: list[Normalised] = normalise_page(fresh, source.crs, ctx, now) if fresh else []
    fetched: dict[str, list[_Photo]] = {}
    if photos:
        fetched = _fetch_photos(todo, existing, source, ctx, etags, report)
    settled = None
    if todo:
        # Shifted positions: photos' EXIF, the devices' history and the roads, decided once.
        with ws.engine.connect() as conn:
            history = _history(conn, ws, todo, ctx.rules.device_history_days)
            stored = _stored_exif(
                conn, ws, {r.id: iid for iid, r in existing.items() if r.id in changed_ids}
            )
        settled = crsguard.settle(todo, _exif_positions(todo, fetched, stored), ctx, history)
        for item in todo:
            for p in fetched.get(item.values["instance_id"], []):
                if p.check is not None:
                    compare_position(p.check, item.wgs84, ctx.rules)
                    p.problem = p.check.problem
                if p.problem and p.check is not None:
                    report.photo_problems += 1

    with ws.begin() as conn:
        existing = _existing(conn, ws, source.key, [i.values["instance_id"] for i in todo], True)
        inserts, edits = [], []
        for item in todo:
            old = existing.get(item.values["instance_id"])
            if old is None:
                inserts.append(item)
            elif old.server_version != item.values["server_version"]:
                edits.append((item, old))
            else:
                report.unchanged += 1
        if inserts:
            conn.execute(
                s.submissions.insert(),
                [_row(item, source.key, now, fetched) for item in inserts],
            )
            new_ids = _existing(conn, ws, source.key, [i.values["instance_id"] for i in inserts])
        else:
            new_ids = {}
        for item, old in edits:
            conn.execute(
                s.submission_versions.insert().values(
                    submission_id=old.id,
                    server_version=old.server_version,
                    replaced_at=now,
                    payload=old.payload,
                )
            )
            row = _row(item, source.key, now, fetched)
            row.pop("received_at")
            row.update(row_version=old.row_version + 1, decided_at=None, decided_by=None)
            conn.execute(update(s.submissions).where(s.submissions.c.id == old.id).values(**row))
            audit(
                conn,
                s,
                actor,
                "intake.edited",
                "submissions",
                old.id,
                {
                    "source": source.key,
                    "instance_id": old.instance_id,
                    "previous": old.server_version,
                    "previous_state": old.state,
                },
            )
        # Photos: new rows, or new content for a name already stored.
        att_rows = []
        for item in inserts:
            sub_id = new_ids[item.values["instance_id"]].id
            att_rows += [_att(sub_id, p) for p in fetched.get(item.values["instance_id"], [])]
        a = s.submission_attachments
        for item, old in edits:
            for p in fetched.get(item.values["instance_id"], []):
                row = _att(old.id, p)
                done = conn.execute(
                    update(a)
                    .where(and_(a.c.submission_id == old.id, a.c.name == p.name))
                    .values(**row)
                ).rowcount
                if not done:
                    att_rows.append(row)
        if att_rows:
            conn.execute(a.insert(), att_rows)
        if page.cursor is not None:
            cursor = {k: v for k, v in page.cursor.items() if k != "resumed"}
            _save_cursor(conn, ws, source.key, cursor)
        changed = inserts + [e[0] for e in edits]
        quarantined = [i for i in changed if i.state == "quarantined"]
        for item in quarantined:
            for part in (item.reason or "").split("; "):
                report.reasons[reason_code(part)] += 1
        report.changed_ids += [new_ids[i.values["instance_id"]].id for i in inserts]
        report.changed_ids += [old.id for _, old in edits]
        report.inserted += len(inserts)
        report.edited += len(edits)
        report.quarantined += len(quarantined)
        flags = [i.values["crs_flag"] for i in changed if i.values.get("crs_flag")]
        report.flagged += len(flags)
        report.flags.update(f.split(":", 1)[1] for f in flags)
        report.corrected += sum(1 for f in flags if f.endswith(":" + crsguard.CORRECTED))
        if settled is not None and settled.gcj_devices:
            report.gcj_devices.update(settled.gcj_devices)
            report.device_reflagged += _flag_device_rows(conn, ws, settled.gcj_devices)
        if changed:
            audit(
                conn,
                s,
                actor,
                "intake.page",
                "submissions",
                None,
                {
                    "source": source.key,
                    "inserted": len(inserts),
                    "edited": len(edits),
                    "quarantined": len(quarantined),
                },
            )


def _flag_device_rows(conn: Connection, ws: Workspace, devices: list[str]) -> int:
    """Flag the earlier pending, unflagged rows of devices now judged to send GCJ-02."""
    s = ws.schema.submissions
    ids = [d for d in devices if not d.startswith("@")]
    codes = [d[1:] for d in devices if d.startswith("@")]
    who = []
    if ids:
        who.append(s.c.device_id.in_(ids))
    if codes:
        who.append(and_(s.c.device_id.is_(None), s.c.collector_code.in_(codes)))
    return conn.execute(
        update(s)
        .where(
            and_(
                or_(*who),
                s.c.state == "pending",
                s.c.crs_flag.is_(None),
                s.c.raw_crs.in_(crsguard.CHECKED_CRS),
            )
        )
        .values(crs_flag=crsguard.make_flag("GCJ02", [crsguard.DEVICE]))
    ).rowcount


def _row(
    item: Normalised, key: str, now: datetime, fetched: dict[str, list[_Photo]]
) -> dict[str, Any]:
    row = dict(item.values)
    names = [p.name for p in item.raw.attachments]
    received = None
    if item.raw.received_at:
        from .normalise import parse_time

        try:
            received = parse_time(item.raw.received_at, timezone.utc)
        except (ValueError, TypeError):
            received = None
    row.update(
        source=key,
        received_at=received or now,
        state=item.state,
        quarantine_reason=item.reason,
        attachments=names or None,
    )
    return row


def _att(sub_id: int, p: _Photo) -> dict[str, Any]:
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
