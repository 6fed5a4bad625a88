"""The pull: each page of a source judged, then stored with the source's cursor.

sources (:mod:`.sources`) -> judge (:mod:`.judge`) -> store (:mod:`.store`), a page at a
time:

- A record seen again with the same server version is not judged again; a new or changed
  one is (the judge decides everything before the store writes anything).
- Photos are fetched before the transaction (network outside the database), once: an
  attachment already stored is asked for with its ETag and skipped on 304. A page's photos
  are downloaded together, concurrently when the source offers a bounded pool (ODK Central:
  ``run_concurrently``), and stored in submission order with the page; at most one page of
  photos is held in memory.
- A page and its cursor are stored in one transaction, so a pull that dies half-way resumes
  at the first page not stored, and no page is stored twice.
- A pull can be cancelled (``cancelled`` hook): it stops between pages, never inside one,
  so what was stored stays with its cursor and the next pull goes on from there.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.exc import DBAPIError

from ..i18n import tr
from ..labels import crs_evidence_short_label, join, source_label
from ..workspace.chunks import chunked
from ..workspace.faults import error_message
from ..workspace.store import Workspace
from . import store
from .judge import IntakeContext, PageVerdict, Rules, judge_page
from .judge.sanitise import sanitise_page
from .limits import Limits
from .records import AttachmentMissing, AttachmentRef, Page, RawSubmission, Source, SourceError
from .states import DECIDABLE_STATES, SubmissionState

_CTX = "Intake"


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
    edited_after_decision: int = 0  # new versions of decided submissions (decision kept)
    refused: int = 0  # records the database refused (stored quarantined with its message)
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
        if self.edited_after_decision:
            text += " " + tr(
                _CTX,
                "Edited on the server after the decision: {0} (decision kept, new version "
                "flagged for the reviewer).",
            ).format(self.edited_after_decision)
        if self.refused:
            text += " " + tr(
                _CTX, "Refused by the database and quarantined with its message: {0}."
            ).format(self.refused)
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


# -- photos ----------------------------------------------------------------------------------
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


def download_photos(
    source: Source,
    records: Sequence[RawSubmission],
    stored_ids: dict[str, int],
    etags: dict[tuple[int, str], str | None],
) -> dict[str, list[tuple[str, Any]]]:
    """The photos of a page's new and changed records, downloaded together: instance id ->
    [(name, (content | None, etag, mime) or AttachmentMissing)], in submission order."""
    jobs = []
    for rec in records:
        sid = stored_ids.get(rec.instance_id)
        for ref in rec.attachments:
            if ref.fetch is not None:
                known = etags.get((sid, ref.name)) if sid is not None else None
                jobs.append((rec.instance_id, ref, known))
    outcomes = _download(source, [(ref, known) for _, ref, known in jobs])
    out: dict[str, list[tuple[str, Any]]] = {}
    for (iid, ref, _), outcome in zip(jobs, outcomes):
        out.setdefault(iid, []).append((ref.name, outcome))
    return out


# -- one page --------------------------------------------------------------------------------
def _count(report: IngestReport, judged: PageVerdict, stored: store.Stored) -> None:
    report.photos_downloaded += judged.photos.downloaded
    report.photos_unchanged += judged.photos.unchanged
    report.photo_problems += judged.photos.problems
    late = {id(v) for v in stored.late}  # decided before: the decision stays
    changed = [v for v in stored.inserted + stored.edited if id(v) not in late]
    report.unchanged += stored.unchanged
    report.inserted += len(stored.inserted)
    report.edited += len(stored.edited)
    report.edited_after_decision += len(stored.late)
    report.refused += stored.refused
    report.changed_ids += stored.ids
    quarantined = [v for v in changed if v.state == SubmissionState.QUARANTINED]
    report.quarantined += len(quarantined)
    for v in quarantined:
        report.reasons.update(str(p.reason) for p in v.problems)
    flags = [v.flag for v in changed if v.flag is not None]
    report.flagged += len(flags)
    report.flags.update(f.label for f in flags)
    report.corrected += sum(1 for f in flags if f.corrected)
    if judged.gcj_devices:
        report.gcj_devices.update(judged.gcj_devices)
        report.device_reflagged += stored.reflagged


def store_page(
    ws: Workspace,
    source: Source,
    ctx: IntakeContext,
    page: Page,
    report: IngestReport,
    actor: str | None = None,
    photos: bool = True,
) -> None:
    """Judge the new and changed records of ``page`` and store them with its cursor.

    Records are sanitised first (:mod:`.judge.sanitise`), so even looking a record up cannot
    fail on what it holds. A changed record whose stored version is quarantined is judged
    again in full: its photos are downloaded again, not taken as unchanged by their ETag.
    """
    now = datetime.now(timezone.utc)
    records = sanitise_page(page.records, ctx.limits)
    by_id = {rec.instance_id: rec for rec in records}  # twice in a page: the later wins
    report.read += len(page.records)
    with ws.engine.connect() as conn:
        old = store.existing(conn, ws, source.key, list(by_id))
        fresh = [
            r for i, r in by_id.items() if i not in old or old[i].server_version != r.server_version
        ]
        stored_ids = {r.instance_id: old[r.instance_id].id for r in fresh if r.instance_id in old}
        trusted = [
            sid for iid, sid in stored_ids.items() if old[iid].state != SubmissionState.QUARANTINED
        ]
        etags = store.existing_etags(conn, ws, trusted) if photos else {}
    report.unchanged += len(by_id) - len(fresh)
    downloads = download_photos(source, fresh, stored_ids, etags) if photos and fresh else {}
    with ws.engine.connect() as conn:
        judged = judge_page(
            conn,
            ws,
            ctx,
            fresh,
            source.crs,
            downloads,
            stored_ids,
            now,
            getattr(source, "missing_photo_is_error", True),
        )
    written = store.store_page(ws, source.key, judged, page.cursor, actor or ws.actor, now)
    _count(report, judged, written)


def _duplicates(ws: Workspace, ids: list[int]) -> int:
    """How many of ``ids`` are undecided and likely repeat an earlier submission."""
    s, lk = ws.schema.submissions, ws.schema.submission_links
    n = 0
    with ws.engine.connect() as conn:
        for chunk in chunked(ids):
            q = (
                select(func.count())
                .select_from(lk.join(s, s.c.id == lk.c.submission_id))
                .where(and_(lk.c.submission_id.in_(chunk), s.c.state.in_(DECIDABLE_STATES)))
            )
            n += int(conn.execute(q).scalar() or 0)
    return n


# -- the pull --------------------------------------------------------------------------------
def _pages(
    ws: Workspace,
    source: Source,
    ctx: IntakeContext,
    report: IngestReport,
    stop: Callable[[], bool],
    step: Callable[[Page], None],
) -> None:
    """Read, judge and store page after page until the source is done or ``stop()``."""
    report.cancelled = stop()
    pages = iter(()) if report.cancelled else source.pages(store.load_cursor(ws, source.key))
    for page in pages:
        if stop():
            report.cancelled = True
            return
        if page.cursor and page.cursor.get("resumed"):
            report.resumed = True
        step(page)
        if not page.done and stop():  # before the next page is fetched
            report.cancelled = True
            return


def ingest(
    ws: Workspace,
    source: Source,
    actor: str | None = None,
    rules: Rules | None = None,
    photos: bool = True,
    progress: Callable[[IngestReport], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    limits: Limits | None = None,
) -> IngestReport:
    """Pull everything new from ``source`` into ``ws``; returns what happened.

    ``progress(report)`` is called after each stored page. ``cancelled()`` is asked before a
    page is stored and after it: when it says yes the pull stops there (a page fetched but
    not stored is fetched again next time) and the report says ``cancelled``.

    Raises :class:`IngestError` (with the report so far) when the source fails after its
    retries; the pages stored until then stay stored and the next call resumes. The audit
    rows name ``actor``, by default the workspace's actor (whoever runs the pull).
    """
    actor = actor or ws.actor
    t0 = time.perf_counter()
    report = IngestReport(source.key)
    with ws.engine.connect() as conn:
        ctx = IntakeContext.load(conn, ws.schema, ws.settings, rules, limits)

    def step(page: Page) -> None:
        store_page(ws, source, ctx, page, report, actor=actor, photos=photos)
        report.pages += 1
        if progress is not None:
            progress(report)

    try:
        _pages(ws, source, ctx, report, cancelled or (lambda: False), step)
    except (SourceError, OSError) as exc:
        report.error = str(exc)
        report.seconds = time.perf_counter() - t0
        raise IngestError(str(exc), report) from exc
    except DBAPIError as exc:  # the connection or the server failed: the page was not stored
        message = tr(_CTX, "The database stopped the pull: {0}").format(error_message(exc))
        report.error = message
        report.seconds = time.perf_counter() - t0
        raise IngestError(message, report) from exc
    if report.changed_ids:
        report.duplicates = _duplicates(ws, report.changed_ids)
    report.seconds = time.perf_counter() - t0
    return report
