"""What every source hands to intake: one :class:`RawSubmission` per instance, source-neutral.

A source reads its own format (OData rows, GeoJSON features, CSV rows, inbox rows) into
these records and does nothing else: judging, storing and reviewing is :mod:`.judge`,
:mod:`.store` and :mod:`.review`, the same for every source. A source that can be told the
review outcome (:class:`WriteBack`) drains the outbox (:mod:`.writeback`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .states import Problem, QuarantineReason, ReviewDecision

# Which systems a source may declare; "unknown" means WGS84 is assumed and shifted points flagged.
SOURCE_CRS = ("WGS84", "GCJ02", "BD09", "CGCS2000", "unknown")
# Sources whose review outcome is written back (ODK Central): their keys start so.
WRITE_BACK_PREFIXES = ("odk:",)


def writes_back(source_key: str) -> bool:
    """Whether decisions on submissions of ``source_key`` go back to the source."""
    return source_key.startswith(WRITE_BACK_PREFIXES)


class SourceError(Exception):
    """A source could not be read (network, server, file); what was stored before stays."""


@dataclass
class AttachmentRef:
    """A photo a submission refers to; ``fetch(etag)`` -> (bytes | None, etag, mime).

    ``fetch`` returns None content when the stored ``etag`` still matches (HTTP 304), and
    raises :class:`AttachmentMissing` when the file is not there.
    """

    name: str
    fetch: Callable[[str | None], tuple[bytes | None, str | None, str | None]] | None = None
    exists: bool = True


class AttachmentMissing(Exception):
    pass


class AttachmentRefused(AttachmentMissing):
    """A photo that is there but is not read: ``reason`` a :class:`~.states.QuarantineReason`
    value (``photo_too_large``, ``photo_refused``), ``detail`` what was found."""

    def __init__(self, name: str, reason: str, detail: str = "") -> None:
        super().__init__(name)
        self.name = name
        self.reason = reason
        self.detail = detail


@dataclass
class RawSubmission:
    """One submission instance as a source read it (nothing checked yet)."""

    instance_id: str
    payload: Any  # the raw record (dict), or the raw text when it could not be parsed
    server_version: str | None = None
    parse_error: str | None = None  # set when the record's JSON could not be read
    lon: float | None = None
    lat: float | None = None
    accuracy_m: float | None = None
    crs: str | None = None  # per-record override of the source's system
    observed_at: Any = None  # str | datetime | number, parsed by normalise
    server_updated_at: Any = None
    received_at: Any = None
    kind: str | None = None
    category_code: str | None = None
    description: str | None = None
    collector_code: str | None = None
    collector_name: str | None = None
    device_id: str | None = None
    attachments: list[AttachmentRef] = field(default_factory=list)
    # What the source or the sanitiser already found wrong (quarantine problems)
    defects: list[Problem] = field(default_factory=list)


@dataclass
class Page:
    """A batch read from a source and the cursor to persist once it is stored."""

    records: list[RawSubmission]
    cursor: dict[str, Any] | None  # None: the source keeps no cursor
    done: bool = False


class Source(Protocol):
    """A place submissions come from. ``key`` is stored in ``submissions.source``."""

    key: str
    crs: str

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        """Read from ``cursor`` on, a page at a time; the caller stores each before the next."""
        ...


class WriteBack(Protocol):
    """A source that can be told the review outcome (ODK Central): it drains the outbox."""

    def write_review(
        self, instance_id: str, decision: ReviewDecision, comment: str | None
    ) -> None: ...


class _Token(str):
    """Structure written by :func:`plain_text`'s loop (never a value of the record)."""


def plain_text(value: Any) -> str:
    """``value`` as JSON text, also when it is nested too deeply for :func:`json.dumps`
    (then written by a loop instead of recursion: not JSON, but the same text for the same
    content, which is all a content version needs)."""
    try:
        return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    except RecursionError:
        pass
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            out.append(item)
        elif isinstance(item, dict):
            out.append("{")
            stack.append(_Token("}"))
            for k in sorted(item, key=str, reverse=True):
                stack += [item[k], _Token(json.dumps(str(k), ensure_ascii=False) + ":")]
        elif isinstance(item, (list, tuple)):
            out.append("[")
            stack += [_Token("]"), *reversed(item)]
        else:
            out.append(json.dumps(item, default=str, ensure_ascii=False) + ",")
    return "".join(out)


def content_version(payload: Any) -> str:
    """A version for sources without one: a hash of the record's content."""
    text = payload if isinstance(payload, str) else plain_text(payload)
    data = text.encode("utf-8", errors="surrogatepass")
    return "sha1:" + hashlib.sha1(data).hexdigest()[:20]


# Field names seen in device exports and inbox tables, most specific first.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "instance_id": ("instance_id", "instanceID", "instanceId", "__id", "uuid", "id", "report_id"),
    "version": ("version", "server_version", "edit_id"),
    "lon": ("lon", "lng", "longitude", "x"),
    "lat": ("lat", "latitude", "y"),
    "accuracy_m": ("accuracy_m", "accuracy", "gps_accuracy", "hacc"),
    "crs": ("crs", "coord_system", "coordinate_system"),
    "observed_at": (
        "observed_at",
        "reported_at",
        "report_time",
        "time",
        "timestamp",
        "datetime",
        "created_at",
        "start",
    ),
    "updated_at": ("updated_at", "server_updated_at", "modified_at"),
    "kind": ("kind", "type", "report_kind"),
    "category_code": ("category_code", "class_code", "category", "code", "event_code"),
    "description": ("description", "desc", "note", "remark", "comment"),
    "collector_code": ("collector_code", "collector", "collector_id", "reporter", "user"),
    "collector_name": ("collector_name", "reporter_name", "submitter_name"),
    "device_id": ("device_id", "deviceid", "device", "imei"),
    "photos": ("photos", "photo", "images", "image", "attachments", "pictures"),
    "attributes": ("attributes", "extra", "payload", "data", "properties_json"),
}


_LOWER_NAMES = {what: tuple(n.lower() for n in names) for what, names in FIELD_NAMES.items()}


def pick(row: dict[str, Any], what: str, lowered: bool = False) -> Any:
    """The first non-empty value among the known names for ``what`` (case-insensitive;
    ``lowered``: the keys of ``row`` are lower case already)."""
    lower = row if lowered else {str(k).lower(): v for k, v in row.items()}
    for name in _LOWER_NAMES[what]:
        value = lower.get(name)
        if value is not None and value != "":
            return value
    return None


def text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = plain_text(value) if isinstance(value, (dict, list, tuple)) else str(value)
    return text.strip() or None


def float_or_none(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if f == f else None  # NaN -> None


def photo_names(value: Any) -> list[str]:
    """Photo file names from a list, or a ``;``/``,``/``|``-separated string."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
    else:
        text = str(value)
        for sep in ("|", ","):
            text = text.replace(sep, ";")
        items = text.split(";")
    return [i.strip() for i in items if i and i.strip()]


def record_from_row(
    row: dict[str, Any], fallback_id: str, attachments: list[AttachmentRef] | None = None
) -> RawSubmission:
    """A :class:`RawSubmission` from a flat dict of a device export or inbox row.

    An ``attributes`` field holding JSON text is parsed into the payload; when it cannot be
    read, the record keeps the raw text and ``parse_error`` says why (quarantined later).
    """
    payload = dict(row)
    parse_error = None
    defects: list[Problem] = []
    extra = pick(row, "attributes")
    if isinstance(extra, str):
        try:
            parsed = json.loads(extra)
        except ValueError as exc:
            parse_error = str(exc)
        except RecursionError:  # kept as the text it is; the judge quarantines it
            defects.append(Problem(QuarantineReason.NESTED_TOO_DEEP, "attributes"))
        else:
            if isinstance(parsed, dict):
                payload.update({k: v for k, v in parsed.items() if k not in payload})
            else:
                parse_error = "attributes is not a JSON object"
    elif isinstance(extra, dict):
        payload.update({k: v for k, v in extra.items() if k not in payload})
    low = {str(k).lower(): v for k, v in payload.items()}

    def pick_(what: str) -> Any:
        return pick(low, what, lowered=True)

    instance_id = (
        text_or_none(pick_("instance_id"))
        or fallback_id
        or "h-" + content_version(row).removeprefix("sha1:")
    )
    version = text_or_none(pick_("version")) or content_version(row)
    return RawSubmission(
        instance_id=instance_id,
        payload=payload,
        server_version=version,
        parse_error=parse_error,
        lon=float_or_none(pick_("lon")),
        lat=float_or_none(pick_("lat")),
        accuracy_m=float_or_none(pick_("accuracy_m")),
        crs=text_or_none(pick_("crs")),
        observed_at=pick_("observed_at"),
        server_updated_at=pick_("updated_at"),
        kind=text_or_none(pick_("kind")),
        category_code=text_or_none(pick_("category_code")),
        description=text_or_none(pick_("description")),
        collector_code=text_or_none(pick_("collector_code")),
        collector_name=text_or_none(pick_("collector_name")),
        device_id=text_or_none(pick_("device_id")),
        attachments=attachments or [],
        defects=defects,
    )
