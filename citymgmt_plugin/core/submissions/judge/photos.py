"""Photo checks: decodable, and their EXIF time and position agree with the submission.

A photo that cannot be read (or is missing, for sources whose photos come with the
record) quarantines its submission as ``unreadable_photo``; a disagreeing EXIF is noted on
the photo for the reviewer. Positions are compared once the submission's position is
settled (:mod:`.position` may correct it from the EXIF).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ...photos_exif import ExifInfo, read_exif
from ...projection import metres
from ..records import AttachmentMissing, AttachmentRefused
from ..states import QuarantineReason
from .context import IntakeContext, Rules
from .verdict import CheckedPhoto, PhotoCheck, PhotoTally, Verdict

# One download's outcome: (content | None when unchanged, etag, mime), or AttachmentMissing.
Download = Any


def _jpeg_scan(content: bytes) -> tuple[bool, bytes | None]:
    """Walk a JPEG's markers: (well formed and complete, the ``Exif`` APP1 block or None)."""
    if content[:2] != b"\xff\xd8":
        return False, None
    pos, n, exif = 2, len(content), None
    while pos + 4 <= n:
        if content[pos] != 0xFF:
            return False, None
        marker = content[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        (length,) = struct.unpack(">H", content[pos + 2 : pos + 4])
        if marker == 0xE1 and content[pos + 4 : pos + 10] == b"Exif\x00\x00":
            exif = content[pos + 4 : pos + 2 + length]
        if marker == 0xDA:  # start of scan: the image data must run to an end marker
            return content.rstrip(b"\x00")[-2:] == b"\xff\xd9", exif
        pos += 2 + length
    return False, None


def _decode(content: bytes) -> tuple[str | None, bytes | None, str | None]:
    """(mime, EXIF block, problem) of an image that is not a complete JPEG, through PIL."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as img:
            fmt = img.format
            exif = img.info.get("exif")
            if fmt == "JPEG":  # decode at 1/8 scale: every byte is still read and checked
                img.draft("RGB", (max(1, img.width // 8), max(1, img.height // 8)))
            img.load()  # a truncated file fails here (verify() would not notice)
    except Exception as exc:
        return None, None, f"unreadable: {exc}"
    return Image.MIME.get(fmt or "", "application/octet-stream"), exif, None


def check_photo(
    content: bytes,
    zone: Any,
    observed: datetime | None,
    wgs84: tuple[float, float] | None,
    rules: Rules,
) -> PhotoCheck:
    """Is the photo decodable; do its EXIF time and position agree with the submission?"""
    ok, block = _jpeg_scan(content)
    mime = "image/jpeg"
    if not ok:  # the fast path is a complete JPEG; anything else is decoded
        mime, block, problem = _decode(content)
        if problem is not None:
            return PhotoCheck(False, problem=problem)
    info = read_exif(block, zone) if block else ExifInfo()
    check = PhotoCheck(True, mime, info.taken_at, info.lon, info.lat)
    problems = list(info.problems)
    if check.exif_time is not None and observed is not None:
        hours = abs((check.exif_time - observed).total_seconds()) / 3600.0
        if hours > rules.exif_time_h:
            problems.append(f"exif_time_differs: {hours:.1f} h")
    check.problem = "; ".join(problems) or None
    compare_position(check, wgs84, rules)
    return check


def compare_position(check: PhotoCheck, wgs84: tuple[float, float] | None, rules: Rules) -> None:
    """Add ``exif_position_differs`` when the photo was taken far from ``wgs84``."""
    if check.exif_lon is None or check.exif_lat is None or wgs84 is None:
        return
    d = float(metres(wgs84[0], wgs84[1], check.exif_lon, check.exif_lat))
    if d > rules.exif_distance_m:
        problem = f"exif_position_differs: {d:.0f} m"
        check.problem = f"{check.problem}; {problem}" if check.problem else problem


def _checked(
    v: Verdict, name: str, outcome: Download, missing_is_error: bool, ctx: IntakeContext
) -> CheckedPhoto | None:
    """One download's outcome as a photo to store (None: unchanged, HTTP 304)."""
    if isinstance(outcome, AttachmentRefused):  # too large, a link, outside the export
        reason = QuarantineReason(outcome.reason)
        v.quarantine(reason, f"{name}: {outcome.detail}" if outcome.detail else name)
        problem = f"{reason}: {outcome.detail}" if outcome.detail else str(reason)
        return CheckedPhoto(name, None, None, None, None, problem)
    if isinstance(outcome, AttachmentMissing):
        if missing_is_error:
            v.quarantine(QuarantineReason.UNREADABLE_PHOTO, f"{name} missing")
        return CheckedPhoto(name, None, None, None, None, "missing")
    content, etag, mime = outcome
    if content is None:
        return None
    # The position is compared once it is settled (the EXIF may correct it).
    check = check_photo(content, ctx.timezone, v.observed_utc, None, ctx.rules)
    jpg_name = name.lower().endswith((".jpg", ".jpeg"))
    if check.readable and jpg_name and check.mime != "image/jpeg":  # a PNG named .jpg
        check.readable = False
        check.problem = f"not a JPEG: {check.mime}"
    if not check.readable:
        v.quarantine(QuarantineReason.UNREADABLE_PHOTO, name)
    return CheckedPhoto(name, content, etag, mime or check.mime, check, check.problem)


def judge_photos(
    verdicts: Sequence[Verdict],
    downloads: dict[str, list[tuple[str, Download]]],
    missing_is_error: bool,
    ctx: IntakeContext,
    tally: PhotoTally,
) -> None:
    """Check the downloaded photos of each verdict, in submission order."""
    for v in verdicts:
        for name, outcome in downloads.get(v.instance_id, ()):
            photo = _checked(v, name, outcome, missing_is_error, ctx)
            if photo is None:
                tally.unchanged += 1
                continue
            if photo.content is None:
                tally.problems += 1
            else:
                tally.downloaded += 1
            v.photos.append(photo)


def compare_positions(verdicts: Sequence[Verdict], ctx: IntakeContext, tally: PhotoTally) -> None:
    """Once positions are settled: EXIF positions against them; problems counted."""
    for v in verdicts:
        for p in v.photos:
            if p.check is None:
                continue
            compare_position(p.check, v.wgs84, ctx.rules)
            p.problem = p.check.problem
            if p.problem:
                tally.problems += 1
