"""What the judge reads from the workspace before a page is stored: the devices' earlier
points, the EXIF positions of photos already stored, and stored duplicate links."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, and_, func, select

from ...workspace.chunks import chunked
from ..states import SubmissionState, decode_flag
from .position import CHECKED_CRS, EXIF, History, device_key
from .verdict import Verdict


def device_history(conn: Connection, ws: Any, verdicts: Sequence[Verdict], days: int) -> History:
    """Earlier stored points (declared WGS84 or unknown) of the devices in ``verdicts``."""
    s = ws.schema.submissions
    devices = sorted({v.device for v in verdicts if v.device and not v.device.startswith("@")})
    collectors = sorted({v.device[1:] for v in verdicts if v.device and v.device.startswith("@")})
    skip = {v.instance_id for v in verdicts}
    since = datetime.now(timezone.utc) - timedelta(days=days)
    base = and_(
        s.c.raw_crs.in_(CHECKED_CRS),
        s.c.raw_x.is_not(None),
        s.c.state != SubmissionState.QUARANTINED,
        s.c.received_at >= since,
    )
    conds = [s.c.device_id.in_(chunk) for chunk in chunked(devices)]
    conds += [
        and_(s.c.device_id.is_(None), s.c.collector_code.in_(chunk))
        for chunk in chunked(collectors)
    ]
    cols = (s.c.instance_id, s.c.device_id, s.c.collector_code, s.c.raw_x, s.c.raw_y, s.c.crs_flag)
    h = History()
    for cond in conds:
        for r in conn.execute(select(*cols).where(and_(base, cond))).all():
            if r.instance_id in skip:
                continue
            flag = decode_flag(r.crs_flag)
            h.keys.append(device_key(r.device_id, r.collector_code))  # type: ignore[arg-type]
            h.lon.append(float(r.raw_x))
            h.lat.append(float(r.raw_y))
            h.exif_gcj.append(flag is not None and EXIF in flag.evidence)
    return h


def stored_exif(
    conn: Connection, ws: Any, ids: dict[int, str]
) -> dict[str, list[tuple[float, float]]]:
    """instance id -> EXIF positions of the photos already stored (edited submissions)."""
    a = ws.schema.submission_attachments
    out: dict[str, list[tuple[float, float]]] = {}
    for chunk in chunked(list(ids)):
        for sid, lon, lat in conn.execute(
            select(a.c.submission_id, a.c.exif_lon, a.c.exif_lat).where(
                and_(a.c.submission_id.in_(chunk), a.c.exif_lon.is_not(None))
            )
        ).all():
            out.setdefault(ids[sid], []).append((float(lon), float(lat)))
    return out


def last_submission_id(conn: Connection, ws: Any) -> int:
    s = ws.schema.submissions
    return int(conn.execute(select(func.max(s.c.id))).scalar() or 0)


def links_of(conn: Connection, ws: Any, ids: Iterable[int]) -> dict[int, int]:
    """Stored links: submission id -> original id, for ``ids``."""
    lk = ws.schema.submission_links
    out: dict[int, int] = {}
    for chunk in chunked(sorted(set(ids))):
        q = select(lk.c.submission_id, lk.c.original_id).where(lk.c.submission_id.in_(chunk))
        out.update({int(a): int(b) for a, b in conn.execute(q).all()})
    return out


def linked_to(conn: Connection, ws: Any, originals: Iterable[int]) -> dict[int, int]:
    """Stored links whose original is one of ``originals``: submission id -> original id."""
    lk = ws.schema.submission_links
    out: dict[int, int] = {}
    for chunk in chunked(sorted(set(originals))):
        q = select(lk.c.submission_id, lk.c.original_id).where(lk.c.original_id.in_(chunk))
        out.update({int(a): int(b) for a, b in conn.execute(q).all()})
    return out


def points(conn: Connection, ws: Any, ids: Iterable[int]) -> dict[int, tuple[float, float, float]]:
    """Submission id -> (x, y, observed epoch seconds), for rows that have all three."""
    s = ws.schema.submissions
    out: dict[int, tuple[float, float, float]] = {}
    for chunk in chunked(sorted(set(ids))):
        q = select(s.c.id, func.ST_X(s.c.geom), func.ST_Y(s.c.geom), s.c.observed_at).where(
            and_(s.c.id.in_(chunk), s.c.geom.is_not(None), s.c.observed_at.is_not(None))
        )
        for sid, x, y, t in conn.execute(q).all():
            out[int(sid)] = (float(x), float(y), t.timestamp())
    return out
