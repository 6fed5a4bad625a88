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
  attachment already stored is asked for with its ETag and skipped on 304.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, select, update

from ..i18n import tr
from ..store import Workspace, audit
from .normalise import IntakeContext, Normalised, Rules, check_photo, normalise_page
from .records import UNREADABLE_PHOTO, AttachmentMissing, Page, Source, reason_code

_CTX = "Intake"
CURSOR_PREFIX = "intake.cursor."
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
    photos_downloaded: int = 0
    photos_unchanged: int = 0
    photo_problems: int = 0
    reasons: Counter = field(default_factory=Counter)
    resumed: bool = False
    error: str | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        text = tr(
            _CTX,
            "{0}: read {1}, new {2}, edited {3}, unchanged {4}, quarantined {5}, "
            "suspected GCJ-02 {6}, photos downloaded {7} (unchanged {8}).",
        ).format(
            self.source,
            self.read,
            self.inserted,
            self.edited,
            self.unchanged,
            self.quarantined,
            self.flagged,
            self.photos_downloaded,
            self.photos_unchanged,
        )
        if self.resumed:
            text += " " + tr(_CTX, "Resumed an interrupted pull.")
        return text


class IngestError(Exception):
    """A pull stopped (network, server); what was stored before stays, the cursor with it."""

    def __init__(self, message: str, report: IngestReport) -> None:
        super().__init__(message)
        self.report = report


# -- cursors and source configurations in workspace_settings ---------------------------------
def _get_setting(conn: Connection, ws: Workspace, key: str) -> str | None:
    t = ws.schema.workspace_settings
    return conn.execute(select(t.c.value).where(t.c.key == key)).scalar()


def _put_setting(conn: Connection, ws: Workspace, key: str, value: str) -> None:
    t = ws.schema.workspace_settings
    done = conn.execute(update(t).where(t.c.key == key).values(value=value)).rowcount
    if not done:
        conn.execute(t.insert().values(key=key, value=value))


def load_cursor(ws: Workspace, source_key: str) -> dict[str, Any] | None:
    with ws.engine.connect() as conn:
        value = _get_setting(conn, ws, CURSOR_PREFIX + source_key)
    return json.loads(value) if value else None


def save_source_config(ws: Workspace, source_key: str, config: dict[str, Any]) -> None:
    """Remember how to reach a source (never a password) for the dock and write-back."""
    with ws.begin() as conn:
        _put_setting(conn, ws, SOURCE_PREFIX + source_key, json.dumps(config, ensure_ascii=False))


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
    actor: str = "intake",
    rules: Rules | None = None,
    photos: bool = True,
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Pull everything new from ``source`` into ``ws``; returns what happened.

    Raises :class:`IngestError` (with the report so far) when the source fails after its
    retries; the pages stored until then stay stored and the next call resumes.
    """
    import time

    t0 = time.perf_counter()
    report = IngestReport(source.key)
    with ws.engine.connect() as conn:
        ctx = IntakeContext.load(conn, ws.schema, ws.settings, rules)
    cursor = load_cursor(ws, source.key)
    try:
        for page in source.pages(cursor):
            if page.cursor and page.cursor.get("resumed"):
                report.resumed = True
            store_page(ws, source, ctx, page, report, actor=actor, photos=photos)
            report.pages += 1
            if progress is not None:
                progress(report)
    except Exception as exc:
        from .files import ExportError
        from .inbox import InboxError
        from .odk import OdkError

        if not isinstance(exc, (OdkError, ExportError, InboxError, OSError)):
            raise
        report.error = str(exc)
        report.seconds = time.perf_counter() - t0
        raise IngestError(str(exc), report) from exc
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
    item: Normalised,
    source: Source,
    ctx: IntakeContext,
    sub_id: int | None,
    etags: dict,
    report: IngestReport,
) -> list[_Photo]:
    out = []
    missing_is_error = getattr(source, "missing_photo_is_error", True)
    for ref in item.raw.attachments:
        if ref.fetch is None:
            continue
        known = etags.get((sub_id, ref.name)) if sub_id is not None else None
        try:
            content, etag, mime = ref.fetch(known)
        except AttachmentMissing:
            problem = "missing"
            if missing_is_error:
                _quarantine(item, f"{UNREADABLE_PHOTO}: {ref.name} missing")
            out.append(_Photo(ref.name, None, None, None, None, problem))
            report.photo_problems += 1
            continue
        if content is None:
            report.photos_unchanged += 1
            continue
        report.photos_downloaded += 1
        check = check_photo(content, ctx.timezone, item.observed_utc, item.wgs84, ctx.rules)
        jpg_name = ref.name.lower().endswith((".jpg", ".jpeg"))
        if check.readable and jpg_name and check.mime != "image/jpeg":  # a PNG named .jpg
            check.readable = False
            check.problem = f"not a JPEG: {check.mime}"
        if not check.readable:
            _quarantine(item, f"{UNREADABLE_PHOTO}: {ref.name}")
        if check.problem:
            report.photo_problems += 1
        out.append(_Photo(ref.name, content, etag, mime or check.mime, check, check.problem))
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
    actor: str = "intake",
    photos: bool = True,
) -> None:
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
        for item in todo:
            old = existing.get(item.values["instance_id"])
            fetched[item.values["instance_id"]] = _fetch_photos(
                item, source, ctx, old.id if old else None, etags, report
            )

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
            _put_setting(conn, ws, CURSOR_PREFIX + source.key, json.dumps(cursor))
        changed = inserts + [e[0] for e in edits]
        quarantined = [i for i in changed if i.state == "quarantined"]
        for item in quarantined:
            for part in (item.reason or "").split("; "):
                report.reasons[reason_code(part)] += 1
        report.inserted += len(inserts)
        report.edited += len(edits)
        report.quarantined += len(quarantined)
        report.flagged += sum(1 for i in changed if i.values.get("crs_flag"))
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
