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
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...i18n import tr
from ..records import (
    AttachmentMissing,
    AttachmentRef,
    Page,
    RawSubmission,
    SourceError,
    content_version,
    photo_names,
    pick,
    record_from_row,
)

_CTX = "Intake"
_ID_IN_TEXT = re.compile(r'"(?:instance_?id|instanceID|__id|uuid|id)"\s*:\s*"([^"]+)"', re.I)


class ExportError(SourceError):
    """The export cannot be read at all (message translated)."""


class PhotoStore:
    """Photos by name in a folder or a zip (looked up case-insensitively, any sub-folder)."""

    def __init__(self, where: Path | None) -> None:
        self.where = where
        self._zip: zipfile.ZipFile | None = None
        self._index: dict[str, Any] = {}
        if where is None:
            return
        if where.is_file() and zipfile.is_zipfile(where):
            self._zip = zipfile.ZipFile(where)
            for info in self._zip.infolist():
                if not info.is_dir():
                    self._index.setdefault(Path(info.filename).name.lower(), info.filename)
        elif where.is_dir():
            for path in where.rglob("*"):
                if path.is_file():
                    self._index.setdefault(path.name.lower(), path)

    def read(self, name: str) -> bytes:
        target = self._index.get(Path(name).name.lower())
        if target is None:
            raise AttachmentMissing(name)
        if self._zip is not None:
            return self._zip.read(target)
        return Path(target).read_bytes()

    def ref(self, name: str) -> AttachmentRef:
        def fetch(etag: str | None) -> tuple[bytes | None, str | None, str | None]:
            content = self.read(name)
            tag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
            return (None if tag == etag else content), tag, None

        return AttachmentRef(name, fetch=fetch, exists=Path(name).name.lower() in self._index)


def find_photos(export: Path) -> Path | None:
    base = export.parent if export.is_file() else export
    for name in ("photos", "photos.zip", "media", "media.zip", "images", "images.zip"):
        if (base / name).exists():
            return base / name
    return None


def find_export(path: Path) -> Path:
    """The submissions file in a folder (GeoJSON preferred), or ``path`` itself."""
    if path.is_file():
        return path
    for pattern in ("*.geojson", "*.geojsonl", "*.jsonl", "*.json", "*.csv"):
        found = sorted(path.glob(pattern))
        if found:
            return found[0]
    raise ExportError(tr(_CTX, "No GeoJSON or CSV submissions file in {0}.").format(path))


def _broken(text: str, error: str, where: str) -> RawSubmission:
    match = _ID_IN_TEXT.search(text)
    instance_id = match.group(1) if match else "raw-" + hashlib.sha1(text.encode()).hexdigest()[:16]
    return RawSubmission(
        instance_id=instance_id,
        payload=text,
        server_version=content_version(text),
        parse_error=f"{where}: {error}",
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
    ) -> None:
        self.path = find_export(Path(path))
        self.crs = crs
        self.key = key
        self.page_size = page_size
        self.photos = PhotoStore(Path(photos) if photos else find_photos(self.path))

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
            return _broken(json.dumps(feature, ensure_ascii=False), "not a GeoJSON feature", where)
        props = feature.get("properties")
        if not isinstance(props, dict):
            props = {"properties": props}
        row = dict(props)
        if feature.get("id") is not None and pick(row, "instance_id") is None:
            row["id"] = feature["id"]
        geom = feature.get("geometry")
        if isinstance(geom, dict) and geom.get("type") == "Point":
            coords = geom.get("coordinates") or []
            if len(coords) >= 2:
                row.setdefault("lon", coords[0])
                row.setdefault("lat", coords[1])
        rec = record_from_row(row, "", self._refs(row))
        rec.payload = feature if rec.parse_error is None else rec.payload
        return rec

    def _geojson(self) -> Iterator[RawSubmission]:
        text = self.path.read_text(encoding="utf-8-sig")
        try:
            data = json.loads(text)
        except ValueError:
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

    def _lines(self) -> Iterator[RawSubmission]:
        with open(self.path, encoding="utf-8-sig") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    yield self._parse_piece(line.strip(), f"line {n}")

    def _csv(self) -> Iterator[RawSubmission]:
        with open(self.path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                clean = {k.strip(): v for k, v in row.items() if k is not None}
                yield record_from_row(clean, "", self._refs(clean))
