"""Device exports: a GeoJSON file, or a CSV file, with photos in a folder or a zip.

Layouts understood (the photos folder is looked for next to the file):

    export/submissions.geojson   FeatureCollection, or one GeoJSON Feature per line (.geojsonl)
    export/submissions.csv       one row per submission: lon/lat (or x/y) columns
    export/photos/ or photos.zip photo files named in each record's ``photos`` field

A record whose JSON cannot be read is still a record: it is kept with its raw text and
quarantined as ``unreadable_json`` (its instance id is the one in the text when it can be
found, else a hash of the text, so re-reading the file does not store it twice).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from ...i18n import tr
from ..limits import LIMITS, Limits
from ..records import (
    AttachmentMissing,
    AttachmentRef,
    AttachmentRefused,
    Page,
    RawSubmission,
    SourceError,
    content_version,
    photo_names,
    pick,
    plain_text,
    record_from_row,
)
from ..states import Problem, QuarantineReason
from .textfile import open_text, read_text

_CTX = "Intake"
# The instance id in a record's text: a JSON string, escapes and all (decoded after).
_ID_IN_TEXT = re.compile(
    r'"(?:instance_?id|instanceID|__id|uuid|id)"\s*:\s*"((?:[^"\\]|\\.)+)"', re.I
)


class ExportError(SourceError):
    """The export cannot be read at all (message translated)."""


def _outside_name(name: str) -> bool:
    """A photo name that points out of the export folder (absolute, or with ``..``)."""
    parts = PurePosixPath(name.replace("\\", "/"))
    return parts.is_absolute() or ".." in parts.parts or (len(name) > 1 and name[1] == ":")


class PhotoStore:
    """Photos by name in a folder or a zip (looked up case-insensitively, any sub-folder).

    Only regular files inside the folder are read: a symbolic link (to ``/etc/passwd``, say)
    or a path out of the folder is refused, the submission quarantined (``photo_refused``).
    A photo over the size limit is not read past the limit (a zip entry is streamed), and
    the submission is quarantined (``photo_too_large``).
    """

    def __init__(
        self, where: Path | None, limits: Limits = LIMITS, linked_ok: bool = False
    ) -> None:
        self.where = where
        self.limits = limits
        self._zip: zipfile.ZipFile | None = None
        self._index: dict[str, Any] = {}
        self._refused: dict[str, str] = {}  # name -> why it is not read
        self._all_refused: str | None = None
        if where is None:
            return
        if where.is_symlink() and not linked_ok:
            self._all_refused = tr(_CTX, "the photo folder is a link")
        elif where.is_file() and zipfile.is_zipfile(where):
            self._index_zip(where)
        elif where.is_dir():
            self._index_folder(where)

    def _index_zip(self, where: Path) -> None:
        self._zip = zipfile.ZipFile(where)
        for info in self._zip.infolist():
            if info.is_dir():
                continue
            key = PurePosixPath(info.filename.replace("\\", "/")).name.lower()
            if stat.S_ISLNK(info.external_attr >> 16):
                self._refused.setdefault(key, tr(_CTX, "a link in the zip"))
            elif _outside_name(info.filename):
                self._refused.setdefault(key, tr(_CTX, "a path outside the export folder"))
            else:
                self._index.setdefault(key, info)

    def _index_folder(self, where: Path) -> None:
        """Regular files under ``where``; links (files or folders) are not followed, so every
        file indexed lies inside the folder."""
        folders = [str(where)]
        while folders:
            with os.scandir(folders.pop()) as entries:
                for e in entries:
                    if e.is_symlink():
                        self._refused.setdefault(e.name.lower(), tr(_CTX, "a link"))
                    elif e.is_dir(follow_symlinks=False):
                        folders.append(e.path)
                    elif e.is_file(follow_symlinks=False):
                        self._index.setdefault(e.name.lower(), e.path)

    def _refuse(self, name: str) -> None:
        """Raise :class:`AttachmentRefused` when ``name`` may not be read."""
        key = PurePosixPath(name.replace("\\", "/")).name.lower()
        why = self._all_refused or (
            tr(_CTX, "a path outside the export folder")
            if _outside_name(name)
            else self._refused.get(key)
            if key not in self._index
            else None
        )
        if why is not None:
            raise AttachmentRefused(name, QuarantineReason.PHOTO_REFUSED.value, why)

    def _too_large(self, name: str, size: int) -> AttachmentRefused:
        detail = tr(_CTX, "{0} bytes or more (at most {1})").format(size, self.limits.photo_bytes)
        return AttachmentRefused(name, QuarantineReason.PHOTO_TOO_LARGE.value, detail)

    def _read_capped(self, f: BinaryIO, name: str) -> bytes:
        """At most the size limit from ``f``: one byte more and the photo is refused."""
        cap = self.limits.photo_bytes
        data = f.read(cap + 1)
        if len(data) > cap:
            raise self._too_large(name, len(data))
        return data

    def read(self, name: str) -> bytes:
        self._refuse(name)
        key = PurePosixPath(name.replace("\\", "/")).name.lower()
        target = self._index.get(key)
        if target is None:
            raise AttachmentMissing(name)
        if self._zip is not None:
            if target.file_size > self.limits.photo_bytes:
                raise self._too_large(name, target.file_size)
            with self._zip.open(target) as f:  # the declared size may lie: read capped
                return self._read_capped(f, name)
        path = Path(target)
        if path.is_symlink():  # replaced by a link since the folder was read
            raise AttachmentRefused(name, QuarantineReason.PHOTO_REFUSED.value, tr(_CTX, "a link"))
        size = path.stat().st_size
        if size > self.limits.photo_bytes:
            raise self._too_large(name, size)
        with open(path, "rb") as f:
            return self._read_capped(f, name)

    def ref(self, name: str) -> AttachmentRef:
        def fetch(etag: str | None) -> tuple[bytes | None, str | None, str | None]:
            content = self.read(name)
            tag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
            return (None if tag == etag else content), tag, None

        key = PurePosixPath(name.replace("\\", "/")).name.lower()
        return AttachmentRef(name, fetch=fetch, exists=key in self._index)


def find_photos(export: Path) -> Path | None:
    base = export.parent if export.is_file() else export
    for name in ("photos", "photos.zip", "media", "media.zip", "images", "images.zip"):
        if (base / name).exists() or (base / name).is_symlink():
            return base / name
    return None


def find_export(path: Path) -> Path:
    """The submissions file in a folder (GeoJSON preferred), or ``path`` itself. A file in
    the folder that is a link is not taken (it could name any file of the computer)."""
    if path.is_file():
        return path
    for pattern in ("*.geojson", "*.geojsonl", "*.jsonl", "*.json", "*.csv"):
        found = sorted(p for p in path.glob(pattern) if p.is_file() and not p.is_symlink())
        if found:
            return found[0]
    raise ExportError(tr(_CTX, "No GeoJSON or CSV submissions file in {0}.").format(path))


_TOO_DEEP = "nested too deeply to read"


def _id_in_text(text: str) -> str | None:
    match = _ID_IN_TEXT.search(text)
    if match is None:
        return None
    try:
        return str(json.loads('"' + match.group(1) + '"'))
    except ValueError:
        return match.group(1)


def _broken(text: str, error: str, where: str) -> RawSubmission:
    found = _id_in_text(text)
    raw = text.encode("utf-8", errors="surrogatepass")
    instance_id = found or "raw-" + hashlib.sha1(raw).hexdigest()[:16]
    defects = [Problem(QuarantineReason.NESTED_TOO_DEEP, where)] if error == _TOO_DEEP else []
    return RawSubmission(
        instance_id=instance_id,
        payload=text,
        server_version=content_version(text),
        parse_error=f"{where}: {error}",
        defects=defects,
    )


def _in_string(ch: str, escaped: bool) -> tuple[bool, bool]:
    """Inside a JSON string, after ``ch``: (still inside, next character escaped)."""
    if escaped:
        return True, False
    if ch == "\\":
        return True, True
    return ch != '"', False


def _top_objects(text: str, start: int) -> Iterator[tuple[int, int | None]]:
    """(begin, end) of each ``{…}`` directly inside the JSON array opened at ``start``; an
    object the text breaks off in ends at None."""
    depth, begin, in_str, esc = 0, None, False, False
    for pos in range(start + 1, len(text)):
        ch = text[pos]
        if in_str:
            in_str, esc = _in_string(ch, esc)
        elif ch == '"':
            in_str = True
        elif ch == "{":
            begin = pos if depth == 0 else begin
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and begin is not None:
                yield begin, pos + 1
                begin = None
        elif ch == "]" and depth == 0:
            return
    if begin is not None:
        yield begin, None


class DeviceExportSource:
    """A device export file (GeoJSON or CSV) and its photos; read whole, no cursor."""

    missing_photo_is_error = True

    def __init__(
        self,
        path: Path | str,
        crs: str = "unknown",
        photos: Path | str | None = None,
        key: str = "device",
        page_size: int = 2000,
        limits: Limits = LIMITS,
    ) -> None:
        self.path = find_export(Path(path))
        self.crs = crs
        self.key = key
        self.page_size = page_size
        self.limits = limits
        # a photo folder named by the person may be a link; one found next to the file not
        where = Path(photos) if photos else find_photos(self.path)
        self.photos = PhotoStore(where, limits, linked_ok=bool(photos))

    def records(self) -> Iterator[RawSubmission]:
        suffix = self.path.suffix.lower()
        if suffix == ".csv":
            yield from self._csv()
        elif suffix in (".geojsonl", ".jsonl"):
            yield from self._lines()
        else:
            yield from self._geojson()

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        batch: list[RawSubmission] = []
        for rec in self.records():
            batch.append(rec)
            if len(batch) >= self.page_size:
                yield Page(batch, None)
                batch = []
        yield Page(batch, None, done=True)

    def _refs(self, row: dict[str, Any]) -> list[AttachmentRef]:
        return [self.photos.ref(n) for n in photo_names(pick(row, "photos"))]

    def _feature(self, feature: Any, where: str) -> RawSubmission:
        if not isinstance(feature, dict):
            return _broken(plain_text(feature), "not a GeoJSON feature", where)
        props = feature.get("properties")
        if not isinstance(props, dict):
            props = {"properties": props}
        row = dict(props)
        if feature.get("id") is not None and pick(row, "instance_id") is None:
            row["id"] = feature["id"]
        geom = feature.get("geometry")
        if isinstance(geom, dict) and geom.get("type") == "Point":
            coords = geom.get("coordinates")
            if isinstance(coords, list) and len(coords) >= 2:
                row.setdefault("lon", coords[0])
                row.setdefault("lat", coords[1])
        rec = record_from_row(row, "", self._refs(row))
        rec.payload = feature if rec.parse_error is None else rec.payload
        return rec

    def _geojson(self) -> Iterator[RawSubmission]:
        text = read_text(self.path)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            # A truncated or hand-edited file: read it feature by feature, keep what breaks.
            yield from self._salvage(text)
            return
        features = data.get("features") if isinstance(data, dict) else data
        if isinstance(data, dict) and data.get("type") == "Feature":
            features = [data]
        if not isinstance(features, list):
            raise ExportError(tr(_CTX, "{0} is not a GeoJSON FeatureCollection.").format(self.path))
        for i, feature in enumerate(features):
            yield self._feature(feature, f"feature {i + 1}")

    def _salvage(self, text: str) -> Iterator[RawSubmission]:
        """Split a broken FeatureCollection at its features; parse each on its own."""
        start = text.find("[", text.find('"features"'))
        if start < 0:
            yield _broken(text, "not a GeoJSON document", "file")
            return
        for n, (begin, end) in enumerate(_top_objects(text, start), 1):
            yield self._parse_piece(text[begin:end], f"feature {n}")

    def _parse_piece(self, piece: str, where: str) -> RawSubmission:
        try:
            return self._feature(json.loads(piece), where)
        except ValueError as exc:
            return _broken(piece, str(exc), where)
        except RecursionError:
            return _broken(piece, _TOO_DEEP, where)

    def _lines(self) -> Iterator[RawSubmission]:
        with open_text(self.path) as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    yield self._parse_piece(line.strip().lstrip("\ufeff"), f"line {n}")

    def _csv(self) -> Iterator[RawSubmission]:
        """Rows of a CSV file; a row the reader cannot take (a field over the reader's limit)
        is a record of its own, quarantined as too large."""
        _raise_field_limit(self.limits.csv_field_chars)
        with open_text(self.path, newline="") as f:
            reader = csv.DictReader(f)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield self._unreadable_row(reader.line_num, str(exc))
                    continue
                clean = {str(k).strip(): v for k, v in row.items() if k is not None}
                yield record_from_row(clean, "", self._refs(clean))

    def _unreadable_row(self, line: int, error: str) -> RawSubmission:
        where = f"{self.path.name} line {line}"
        digest = hashlib.sha1(where.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return RawSubmission(
            instance_id="row-" + digest,
            payload={"file": self.path.name, "line": line, "error": error},
            server_version=content_version(where + error),
            defects=[Problem(QuarantineReason.RECORD_TOO_LARGE, f"line {line}: {error}")],
        )


def _raise_field_limit(chars: int) -> None:
    """Let the CSV reader take fields up to ``chars`` (never lowering what another part of
    the process set; the limit is the csv module's, process-wide)."""
    if csv.field_size_limit() < chars:
        csv.field_size_limit(chars)
