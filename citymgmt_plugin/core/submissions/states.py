"""What a submission is in, as Enums, and the one place their column values are read and
written (the codec).

- ``submissions.state``: a :class:`SubmissionState` value; ``review_decisions.decision`` and
  ``submission_outbox.decision``: a :class:`ReviewDecision` value. Both Enums are ``str``
  subclasses, so they bind as text and compare equal to the stored text.
- ``submissions.quarantine_reason``: the :class:`Problem` list as ``code: detail`` parts
  joined by ``"; "`` (:func:`encode_reasons` / :func:`decode_reasons`), the code a
  :class:`QuarantineReason` value.
- ``submissions.crs_flag``: a :class:`PositionFlag` as ``suspected_gcj02:exif+roads`` (or
  ``suspected_bd09:…``), ``:corrected`` appended when the geometry is the corrected position
  (:func:`encode_flag` / :func:`decode_flag`); the declared position always stays in
  ``raw_x``/``raw_y``.

The CHECK constraints of the schema (:mod:`..workspace.schema.submissions`) list the same
state and decision values; a test keeps them equal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, or_

from ..i18n import tr
from ..labels import crs_evidence_label, join, labelled, quarantine_reason_label

_CTX = "Intake"


class _Code(str, Enum):
    """A stored code: a ``str`` that prints as its value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class SubmissionState(_Code):
    PENDING = "pending"  # received, waiting for review
    QUARANTINED = "quarantined"  # invalid: kept with its raw payload and reasons
    ACCEPTED = "accepted"  # became a new component or an event case
    UPDATED = "updated"  # updated a stored component
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    HAS_ISSUES = "has_issues"  # sent back to the collector

    @property
    def decidable(self) -> bool:
        return self in DECIDABLE_STATES


DECIDABLE_STATES = (
    SubmissionState.PENDING,
    SubmissionState.QUARANTINED,
    SubmissionState.HAS_ISSUES,
)


class ReviewDecision(_Code):
    ACCEPT_NEW = "accept_new"
    UPDATE_EXISTING = "update_existing"
    DUPLICATE = "duplicate"
    REJECT = "reject"
    HAS_ISSUES = "has_issues"

    @property
    def state(self) -> SubmissionState:
        """The state a submission takes with this decision."""
        return _STATE_OF[self]

    @property
    def needs_reason(self) -> bool:
        return self in (ReviewDecision.REJECT, ReviewDecision.HAS_ISSUES)

    @property
    def names_component(self) -> bool:
        """Decided against a stored component (the reviewer's candidate)."""
        return self in (ReviewDecision.UPDATE_EXISTING, ReviewDecision.DUPLICATE)


_STATE_OF = {
    ReviewDecision.ACCEPT_NEW: SubmissionState.ACCEPTED,
    ReviewDecision.UPDATE_EXISTING: SubmissionState.UPDATED,
    ReviewDecision.DUPLICATE: SubmissionState.DUPLICATE,
    ReviewDecision.REJECT: SubmissionState.REJECTED,
    ReviewDecision.HAS_ISSUES: SubmissionState.HAS_ISSUES,
}


class QuarantineReason(_Code):
    NO_POSITION = "no_position"
    OUTSIDE_CITY = "outside_city"
    UNKNOWN_CATEGORY = "unknown_category"
    UNREADABLE_JSON = "unreadable_json"
    UNREADABLE_PHOTO = "unreadable_photo"
    IMPOSSIBLE_TIME = "impossible_time"
    # What the database could not have stored as sent (the judge's sanitiser):
    INVALID_TEXT = "invalid_text"  # NUL characters or bytes that are not text: replaced by U+FFFD
    INVALID_NUMBER = "invalid_number"  # NaN or Infinity: kept as text
    ID_TOO_LONG = "id_too_long"  # instance id over the limit: stored under its hash
    TEXT_TOO_LONG = "text_too_long"  # description or a short field over its limit: column cut
    RECORD_TOO_LARGE = "record_too_large"  # the record over the size limit: a prefix kept
    NESTED_TOO_DEEP = "nested_too_deep"  # JSON nested deeper than the limit
    PHOTO_TOO_LARGE = "photo_too_large"  # a photo over the size limit: not stored
    PHOTO_REFUSED = "photo_refused"  # a link, or a path outside the export folder: not read
    STORE_REFUSED = "store_refused"  # the database refused the record (its message kept)


QUARANTINE_REASONS = tuple(QuarantineReason)


class PositionSystem(_Code):
    GCJ02 = "GCJ02"
    BD09 = "BD09"


class Evidence(_Code):
    EXIF = "exif"  # the photo's GPS position is the declared one before the shift
    DEVICE = "device"  # the device's positions are consistently shifted
    ROADS = "roads"  # far from the main roads, corrected it lies on one


def _as(enum: type[Enum], value: Any) -> Any:
    """``value`` as a member of ``enum`` when it is one of its values, else as given."""
    try:
        return enum(value)
    except ValueError:
        return value


# -- quarantine reasons ----------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One reason a submission is quarantined, with what was found (``detail``)."""

    reason: QuarantineReason | str  # a str: a code this version does not know
    detail: str = ""


DETAIL_CHARS = 300  # of a reason's detail (a value, a file name, the database's message)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database takes them


def _detail(text: str) -> str:
    """A detail that keeps the column readable: one line, no ``"; "`` (the separator), only
    characters a database stores, cut."""
    text = _UNSTORABLE.sub("\ufffd", str(text)[: DETAIL_CHARS * 2])
    text = " ".join(text.split()).replace("; ", ", ")
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def encode_reasons(problems: Sequence[Problem]) -> str | None:
    """The ``quarantine_reason`` column value (None: not quarantined)."""
    parts = [f"{p.reason}: {_detail(p.detail)}" if p.detail else str(p.reason) for p in problems]
    return "; ".join(parts) or None


def decode_reasons(text: str | None) -> list[Problem]:
    """The problems of a stored ``quarantine_reason``."""
    out = []
    for part in (text or "").split("; "):
        if not part.strip():
            continue
        code, _, detail = part.partition(":")
        out.append(Problem(_as(QuarantineReason, code.strip()), detail.strip()))
    return out


def reason_code(text: str | None) -> QuarantineReason | str:
    """The first reason code of a stored ``quarantine_reason`` ("" when there is none)."""
    problems = decode_reasons(text)
    return problems[0].reason if problems else ""


def reason_codes(text: str | None) -> set[QuarantineReason | str]:
    return {p.reason for p in decode_reasons(text)}


def describe_reason(text: str | None) -> str:
    """The quarantine reasons for people (translated), from the stored column value."""
    parts = []
    for p in decode_reasons(text):
        label = quarantine_reason_label(str(p.reason))
        detail = _reason_detail(p)
        parts.append(labelled(label, detail) if detail else label)
    return join(parts, "; ")


def _reason_detail(p: Problem) -> str:
    """What is worth showing of a reason's detail: no "None, None" for a missing position;
    a missing photo's file name with a translated "missing"."""
    detail = p.detail
    if p.reason == QuarantineReason.NO_POSITION and all(
        part.strip() in ("None", "nan", "") for part in detail.split(",")
    ):
        return ""
    if p.reason == QuarantineReason.UNREADABLE_PHOTO and detail.endswith(" missing"):
        return tr(_CTX, "{0} is missing").format(detail[: -len(" missing")])
    return "" if detail in ("-", "None") else detail


# -- shifted positions -----------------------------------------------------------------------
_SUSPECTED = {PositionSystem.GCJ02: "suspected_gcj02", PositionSystem.BD09: "suspected_bd09"}
_CORRECTED = "corrected"


@dataclass(frozen=True)
class PositionFlag:
    """A position that looks shifted by a Chinese map SDK, the evidence, and whether the
    stored geometry is the corrected position (conclusive, EXIF evidence only)."""

    system: PositionSystem
    evidence: tuple[Evidence, ...]
    corrected: bool = False

    @property
    def label(self) -> str:
        """The evidence part of the column value, e.g. ``exif+roads:corrected``."""
        text = "+".join(str(e) for e in self.evidence)
        return f"{text}:{_CORRECTED}" if self.corrected else text


def encode_flag(flag: PositionFlag | None) -> str | None:
    """The ``crs_flag`` column value."""
    if flag is None:
        return None
    return f"{_SUSPECTED[PositionSystem(flag.system)]}:{flag.label}"


def decode_flag(text: str | None) -> PositionFlag | None:
    """The parts of a stored ``crs_flag`` (a bare ``suspected_gcj02`` reads as roads)."""
    if not text:
        return None
    parts = text.split(":")
    system = PositionSystem.BD09 if parts[0] == _SUSPECTED[PositionSystem.BD09] else None
    evidence = parts[1].split("+") if len(parts) > 1 else [Evidence.ROADS.value]
    return PositionFlag(
        system or PositionSystem.GCJ02,
        tuple(_as(Evidence, e) for e in evidence if e),
        _CORRECTED in parts[2:],
    )


def flag_corrected_or_none(column: Any) -> ColumnElement[bool]:
    """SQL: no flag, or a flag whose geometry was corrected."""
    return or_(column.is_(None), column.like(f"%:{_CORRECTED}"))


def describe_flag(text: str | None) -> str:
    """The stored flag for people (translated)."""
    flag = decode_flag(text)
    if flag is None:
        return ""
    name = "BD-09" if flag.system == PositionSystem.BD09 else "GCJ-02"
    why = join((crs_evidence_label(str(e)) for e in flag.evidence), "; ")
    if flag.corrected:
        return tr(_CTX, "{0} position, corrected ({1}).").format(name, why)
    return tr(_CTX, "Position looks {0}-shifted ({1}); kept as declared.").format(name, why)


def values(members: Iterable[Enum]) -> tuple[str, ...]:
    """The stored values of ``members`` (e.g. for a CHECK constraint or an ``IN`` list)."""
    return tuple(str(m.value) for m in members)
