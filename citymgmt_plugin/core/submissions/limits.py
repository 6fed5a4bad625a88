"""Size limits of what intake stores, one place for the sources and the judge.

A record over a limit is not refused: it is stored and quarantined with its own reason
(:class:`~.states.QuarantineReason`), what is over the limit cut or kept by its hash, so a
reviewer sees it and nothing a device sent goes unnoticed. A photo over its limit is not
read at all (a zip entry or a download stops at the limit), so one huge file cannot take
the memory of the pull.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    id_bytes: int = 512  # instance id (UTF-8): over it, stored under its hash
    version_bytes: int = 512  # server version: over it, stored as its hash
    description_chars: int = 10_000
    field_chars: int = 200  # kind, category, collector, device, crs, photo names
    payload_bytes: int = 1 << 20  # the record as stored JSON: over it, a prefix is kept
    kept_chars: int = 65_536  # the prefix kept of a record over the size limit
    depth: int = 64  # JSON nesting
    photo_bytes: int = 25 << 20  # one photo
    csv_field_chars: int = 16 << 20  # a CSV field the reader takes at all (over it: unreadable)


LIMITS = Limits()
