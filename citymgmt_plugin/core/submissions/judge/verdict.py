"""The judge's answer: one :class:`Verdict` per record, and what a page decides besides.

A verdict holds everything the store writes for a record: the column values (position,
grid, category, times …), the state with its quarantine problems, the position flag, the
checked photos and the duplicate link. The store only turns it into rows (:mod:`..store`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..records import RawSubmission
from ..states import PositionFlag, Problem, QuarantineReason, SubmissionState


@dataclass
class PhotoCheck:
    readable: bool
    mime: str | None = None
    exif_time: datetime | None = None
    exif_lon: float | None = None
    exif_lat: float | None = None
    problem: str | None = None


@dataclass
class CheckedPhoto:
    """A downloaded photo (``content`` None: missing) and what its check found."""

    name: str
    content: bytes | None
    etag: str | None
    mime: str | None
    check: PhotoCheck | None
    problem: str | None

    @property
    def exif_position(self) -> tuple[float, float] | None:
        c = self.check
        if c is None or c.exif_lon is None or c.exif_lat is None:
            return None
        return (c.exif_lon, c.exif_lat)


@dataclass(frozen=True)
class Link:
    """A likely repeat of an earlier submission: the earliest report of its cluster."""

    original: int | str  # a stored submission id, or the instance id of a record of this page
    distance_m: float  # to the original
    minutes: float  # after the original


@dataclass
class Verdict:
    """One record, judged: column values, state and reasons, flag, photos, duplicate link."""

    record: RawSubmission
    values: dict[str, Any]  # the row's column values (geometry as EWKT)
    problems: list[Problem]
    wgs84: tuple[float, float] | None  # position in WGS84 after conversion
    observed_utc: datetime | None
    xy: tuple[float, float] | None = None  # position in the workspace CRS (the geometry)
    received_at: datetime | None = None  # as the source says, when it does
    crs: str = "unknown"  # the declared system, normalised name
    declared: tuple[float, float] | None = None  # lon/lat as sent
    device: str | None = None  # device id, or "@" + collector code (device evidence)
    flag: PositionFlag | None = None
    photos: list[CheckedPhoto] = field(default_factory=list)
    link: Link | None = None

    @property
    def instance_id(self) -> str:
        return self.record.instance_id

    @property
    def state(self) -> SubmissionState:
        return SubmissionState.QUARANTINED if self.problems else SubmissionState.PENDING

    def quarantine(self, reason: QuarantineReason, detail: str = "") -> None:
        self.problems.append(Problem(reason, detail))

    def set_outside(self, outside: bool) -> None:
        """Add or drop the ``outside_city`` problem (a position corrected after the check)."""
        has = any(p.reason == QuarantineReason.OUTSIDE_CITY for p in self.problems)
        if outside and not has and self.wgs84 is not None:
            lon, lat = self.wgs84
            self.quarantine(QuarantineReason.OUTSIDE_CITY, f"{lon:.6f}, {lat:.6f}")
        elif not outside and has:
            self.problems = [p for p in self.problems if p.reason != QuarantineReason.OUTSIDE_CITY]

    def linkable(self) -> bool:
        """Takes part in duplicate links: position, time, kind and category known, and not
        quarantined but for a photo."""
        v = self.values
        if self.xy is None or self.observed_utc is None:
            return False
        if v.get("kind") is None or v.get("category_code") is None:
            return False
        return all(p.reason == QuarantineReason.UNREADABLE_PHOTO for p in self.problems)


@dataclass
class PhotoTally:
    downloaded: int = 0
    unchanged: int = 0
    problems: int = 0


@dataclass
class PageVerdict:
    """The verdicts of a page and what the page decides about stored rows."""

    verdicts: list[Verdict]
    gcj_devices: list[str] = field(default_factory=list)  # devices judged to send GCJ-02
    relinks: dict[int, Link | None] = field(default_factory=dict)  # stored rows' new links
    photos: PhotoTally = field(default_factory=PhotoTally)
