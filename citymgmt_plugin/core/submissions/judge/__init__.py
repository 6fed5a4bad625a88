"""The judge: one Verdict per record (validation, photos, position shift, duplicate link),
decided before anything is stored.

:func:`judge_page` runs the steps in order, each a module:

1. :mod:`.normalise`: position to WGS84 and the workspace CRS, grid, inside the city,
   category, times (quarantine problems: no position, outside the city, unknown category,
   unreadable JSON, impossible time);
2. :mod:`.photos`: the page's downloaded photos decodable, EXIF time (unreadable photo);
3. :mod:`.position`: GCJ-02/BD-09-shifted positions from the photos' EXIF, the devices'
   history and the roads (the flag, and the corrected geometry when conclusive); then the
   photos' EXIF positions against the settled position;
4. :mod:`.links`: the duplicate link of each record, and the stored rows the page relinks.

The store (:mod:`..store`) writes the verdicts as they are. A later check (say, a record's
sizes and encodings) is one more step here with its own :class:`~..states.QuarantineReason`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from ..records import RawSubmission
from . import links, photos, position, stored
from .context import IntakeContext, Rules
from .normalise import normalise_page
from .verdict import PageVerdict, Verdict

__all__ = ["IntakeContext", "PageVerdict", "Rules", "Verdict", "judge_page"]


def _exif_positions(
    verdicts: Sequence[Verdict], before: dict[str, list[tuple[float, float]]]
) -> dict[int, list[tuple[float, float]]]:
    """Verdict index -> EXIF positions of its photos (downloaded now, else as stored)."""
    out: dict[int, list[tuple[float, float]]] = {}
    for i, v in enumerate(verdicts):
        got = [p.exif_position for p in v.photos if p.exif_position is not None]
        out[i] = got or before.get(v.instance_id, [])  # type: ignore[assignment]
    return out


def judge_page(
    conn: Connection,
    ws: Any,
    ctx: IntakeContext,
    records: Sequence[RawSubmission],
    source_crs: str,
    downloads: dict[str, list[tuple[str, Any]]],
    stored_ids: dict[str, int],
    received_at: datetime,
    missing_photo_is_error: bool = True,
) -> PageVerdict:
    """Judge the new and changed ``records`` of a page (``stored_ids``: those already stored,
    by instance id); ``downloads``: their photos as downloaded, by instance id."""
    page = PageVerdict(normalise_page(records, source_crs, ctx, received_at))
    verdicts = page.verdicts
    if not verdicts:
        return page
    photos.judge_photos(verdicts, downloads, missing_photo_is_error, ctx, page.photos)
    history = stored.device_history(conn, ws, verdicts, ctx.rules.device_history_days)
    edited = {
        stored_ids[v.instance_id]: v.instance_id for v in verdicts if v.instance_id in stored_ids
    }
    exif = _exif_positions(verdicts, stored.stored_exif(conn, ws, edited))
    settled = position.settle(verdicts, exif, ctx, history)
    page.gcj_devices = settled.gcj_devices
    photos.compare_positions(verdicts, ctx, page.photos)
    page.relinks = links.link_page(conn, ws, verdicts, stored_ids, ctx.duplicates)
    return page
