"""The judge's first step: what a database cannot store (or should not) is cleaned, and the
record quarantined with its own reason; nothing is dropped.

Per record, before anything else (before the store even looks the record up):

- texts (payload values and keys, the record's fields, photo names): NUL characters and
  lone surrogates (bytes that were not text in the file's encoding, see
  :mod:`..sources.textfile`; ``\\ud800`` escapes in JSON) become U+FFFD: ``invalid_text``;
- numbers: NaN and ±Infinity become the texts ``"NaN"``, ``"Infinity"`` in the payload and
  no value in a number column: ``invalid_number``;
- an instance id over the limit, or with characters replaced, is stored under its hash
  (``id:sha256:…``, the same for the same id, so a re-read does not store it twice); the id
  as sent stays in the payload: ``id_too_long`` (or ``invalid_text``);
- a description or a short field over its limit: the column cut, the payload whole:
  ``text_too_long``;
- JSON nested deeper than the limit: the deeper part kept as text: ``nested_too_deep``;
- a record over the size limit as stored JSON: a prefix of its text kept with its size and
  hash: ``record_too_large``.

A value of a type JSON has no word for (a Decimal of an inbox column, say) becomes text.
Limits: :mod:`..limits`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..limits import LIMITS, Limits
from ..records import RawSubmission, plain_text
from ..states import Problem
from ..states import QuarantineReason as Q

_SURROGATE = re.compile("[\ud800-\udfff]")
_SHORT_FIELDS = ("kind", "category_code", "collector_code", "collector_name", "device_id", "crs")
_TIME_FIELDS = ("observed_at", "server_updated_at", "received_at")
_NUMBER_FIELDS = ("lon", "lat", "accuracy_m")
_JSON_SCALARS = (str, int, float, bool, type(None))
_NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def clean_text(text: str) -> tuple[str, bool]:
    """``text`` with NUL characters and lone surrogates replaced by U+FFFD; whether any was."""
    if "\x00" not in text:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return text, False
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "\ufffd")), True


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:40]


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


@dataclass
class _Found:
    """What a record's payload holds that cannot be stored as it is."""

    text: set[str] = field(default_factory=set)  # top-level fields with invalid text
    number: set[str] = field(default_factory=set)  # ... with NaN / Infinity
    deep: bool = False
    other: bool = False  # values of types JSON has no word for
    bytes_at_most: int = 0  # an upper bound of the payload's size as JSON

    @property
    def clean(self) -> bool:
        return not (self.text or self.number or self.deep or self.other)


def _scan_scalar(value: Any, where: str, found: _Found) -> None:
    if isinstance(value, str):
        found.bytes_at_most += 6 * len(value) + 2  # \uXXXX escapes at worst
        if clean_text(value)[1]:
            found.text.add(where)
    elif isinstance(value, int):
        found.bytes_at_most += len(str(value)) + 1
    elif isinstance(value, float):
        found.bytes_at_most += 32
        if not math.isfinite(value):
            found.number.add(where)
    elif value is None or isinstance(value, bool):
        found.bytes_at_most += 6
    else:
        found.other = True
        found.bytes_at_most += 1 << 30  # its text is not known: measured


def _scan(payload: Any, depth: int) -> _Found:
    """Walk the payload (a loop: any depth) for what :func:`_rebuild` must change."""
    found = _Found()
    stack: list[tuple[Any, int, str]] = [(payload, 0, "")]
    while stack:
        value, level, where = stack.pop()
        if isinstance(value, (dict, list, tuple)):
            if level >= depth:
                found.deep = True
                continue
            found.bytes_at_most += 2
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                key, bad = clean_text(k) if isinstance(k, str) else (str(k), False)
                name = where or key
                found.bytes_at_most += 6 * len(key) + 4
                if bad:
                    found.text.add(name)
                stack.append((v, level + 1, name))
        else:
            _scan_scalar(value, where or "payload", found)
    return found


def _rebuild(value: Any, level: int, limits: Limits) -> Any:
    """The payload as it can be stored (recursion stops at ``limits.depth``)."""
    if isinstance(value, (dict, list, tuple)) and level >= limits.depth:  # kept as text
        return clean_text(_cut(plain_text(value), limits.kept_chars))[0]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = clean_text(k)[0] if isinstance(k, str) else str(k)
            while key in out:  # two keys that differed only in what was replaced
                key += "\ufffd"
            out[key] = _rebuild(v, level + 1, limits)
        return out
    if isinstance(value, (list, tuple)):
        return [_rebuild(v, level + 1, limits) for v in value]
    if isinstance(value, str):
        return clean_text(value)[0]
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE.get(value, "NaN")
    if isinstance(value, _JSON_SCALARS):
        return value
    return clean_text(str(value))[0]


def _size_checked(
    payload: Any, limits: Limits, problems: list[Problem], at_most: int | None = None
) -> Any:
    """``payload`` when it fits the size limit as stored JSON, else a prefix of its text
    (``at_most``: an upper bound of its size, when known: under the limit, not measured)."""
    if at_most is not None and at_most <= limits.payload_bytes:
        return payload
    if isinstance(payload, str):
        text = payload
    else:
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    size = len(text.encode("utf-8"))
    if size <= limits.payload_bytes:
        return payload
    problems.append(Problem(Q.RECORD_TOO_LARGE, f"{size} bytes"))
    kept = text[: limits.kept_chars]
    if isinstance(payload, str):
        return kept
    return {"truncated": kept, "bytes": size, "sha256": _digest(text)}


def _storable_as_is(payload: Any, limits: Limits) -> bool:
    """The common case, checked at C speed: the payload is JSON the database takes, under
    the size limit and certainly not nested too deeply (fewer brackets than the limit)."""
    try:
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        size = len(text.encode("utf-8"))  # a lone surrogate fails here
    except (ValueError, TypeError, RecursionError):  # NaN, other types, depth; UnicodeError
        return False
    if "\\u0000" in text or text.count("{") + text.count("[") > limits.depth:
        return False
    return size <= limits.payload_bytes


def _payload(payload: Any, limits: Limits, problems: list[Problem]) -> Any:
    if not isinstance(payload, str) and _storable_as_is(payload, limits):
        return payload
    found = _scan(payload, limits.depth)
    if not found.clean:
        payload = _rebuild(payload, 0, limits)
    if found.text:
        problems.append(Problem(Q.INVALID_TEXT, ", ".join(sorted(found.text))))
    if found.number:
        problems.append(Problem(Q.INVALID_NUMBER, ", ".join(sorted(found.number))))
    if found.deep:
        problems.append(Problem(Q.NESTED_TOO_DEEP, f"> {limits.depth}"))
        return _size_checked(payload, limits, problems)  # the part kept as text not counted
    return _size_checked(payload, limits, problems, found.bytes_at_most)


@dataclass
class _Fields:
    """The record's own fields as they can be stored, and what was found on the way."""

    values: dict[str, Any] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    long: list[str] = field(default_factory=list)


def _text_fields(rec: RawSubmission, limits: Limits, out: _Fields) -> None:
    for name in (*_SHORT_FIELDS, "description"):
        value = getattr(rec, name)
        if value is None:
            continue
        text, bad = clean_text(value if isinstance(value, str) else str(value))
        if bad:
            out.text.append(name)
        cap = limits.description_chars if name == "description" else limits.field_chars
        if len(text) > cap:
            out.long.append(f"{name} {len(text)}")
            text = _cut(text, cap)
        if text is not value:
            out.values[name] = text
    for name in _TIME_FIELDS:
        value = getattr(rec, name)
        if isinstance(value, str):
            text, bad = clean_text(_cut(value, limits.field_chars))
            if text is not value:
                out.values[name] = text
            if bad:
                out.text.append(name)


def _number_fields(rec: RawSubmission, out: _Fields) -> None:
    for name in _NUMBER_FIELDS:
        value = getattr(rec, name)
        if value is not None and not math.isfinite(value):
            out.numbers.append(name)
            out.values[name] = None


def _identity(rec: RawSubmission, limits: Limits, out: _Fields, problems: list[Problem]) -> None:
    """Instance id and server version that fit a unique index and compare as sent."""
    raw = rec.instance_id if isinstance(rec.instance_id, str) else str(rec.instance_id)
    size = len(raw.encode("utf-8", errors="surrogatepass"))
    bad = clean_text(raw)[1]
    if bad or size > limits.id_bytes:
        out.values["instance_id"] = "id:sha256:" + _digest(raw)
        if size > limits.id_bytes:
            problems.append(Problem(Q.ID_TOO_LONG, f"{size} bytes"))
        if bad:
            out.text.append("instance_id")
    version = rec.server_version
    if version is not None:
        text, bad = clean_text(str(version))
        if bad or len(text.encode("utf-8")) > limits.version_bytes:
            out.values["server_version"] = "sha256:" + _digest(str(version))


def _photo_name(name: str, limits: Limits, out: _Fields) -> str:
    text, bad = clean_text(name)
    if bad:
        out.text.append("photos")
    if len(text) > limits.field_chars:
        out.long.append(f"photos {len(text)}")
        text = text[: limits.field_chars - 42] + "…" + _digest(name)
    return text


def _attachments(rec: RawSubmission, limits: Limits, out: _Fields) -> None:
    refs = []
    changed = False
    for ref in rec.attachments:
        name = _photo_name(ref.name, limits, out)
        changed |= name != ref.name
        refs.append(dataclasses.replace(ref, name=name) if name != ref.name else ref)
    if changed:
        out.values["attachments"] = refs


def sanitise(rec: RawSubmission, limits: Limits = LIMITS) -> RawSubmission:
    """``rec`` as it can be stored, with what had to change as its defects."""
    problems = list(rec.defects)
    fields = _Fields()
    _identity(rec, limits, fields, problems)
    _text_fields(rec, limits, fields)
    _number_fields(rec, fields)
    _attachments(rec, limits, fields)
    payload = _payload(rec.payload, limits, problems)
    if fields.text:
        problems.append(Problem(Q.INVALID_TEXT, ", ".join(fields.text)))
    if fields.numbers:
        problems.append(Problem(Q.INVALID_NUMBER, ", ".join(fields.numbers)))
    if fields.long:
        problems.append(Problem(Q.TEXT_TOO_LONG, ", ".join(fields.long)))
    if not problems and not fields.values and payload is rec.payload:
        return rec  # the common case: nothing to change
    return dataclasses.replace(rec, payload=payload, defects=_merged(problems), **fields.values)


def _merged(problems: list[Problem]) -> list[Problem]:
    """One problem per reason, the details joined."""
    by_reason: dict[Any, list[str]] = {}
    for p in problems:
        by_reason.setdefault(p.reason, [])
        if p.detail and p.detail not in by_reason[p.reason]:
            by_reason[p.reason].append(p.detail)
    return [Problem(r, ", ".join(d)) for r, d in by_reason.items()]


def sanitise_page(records: Sequence[RawSubmission], limits: Limits = LIMITS) -> list[RawSubmission]:
    return [sanitise(rec, limits) for rec in records]
