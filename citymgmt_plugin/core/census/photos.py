"""Component photos: EXIF time and position kept; bytes in the database or in files.

The workspace setting ``photo_storage`` decides (``database`` or ``files``). Files go to the
folder named by the setting ``photo_dir`` or, for a GeoPackage, ``<name>_photos`` next to it;
the row keeps the path relative to that folder and the SHA-256 of the content.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, select

from .. import photos_exif
from ..i18n import tr
from ..private_files import private_dir, write_private_bytes
from ..workspace.store import Workspace, audit
from .errors import CensusError


@dataclass(frozen=True)
class Exif:
    taken_at: datetime | None = None
    lon: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class PhotoInfo:
    id: int
    filename: str
    sha256: str
    mime: str
    taken_at: datetime | None
    exif_lon: float | None
    exif_lat: float | None


def read_exif(data: bytes, office_zone: str = "Asia/Shanghai") -> Exif:
    """Time taken (camera local time read in the office zone, unless the photo gives an
    offset), in UTC, and GPS position from the EXIF of a JPEG; empty when there is none."""
    info = photos_exif.read_exif(data, office_zone)
    taken = info.taken_at.astimezone(timezone.utc) if info.taken_at else None
    return Exif(taken, info.lon, info.lat)


def photo_root(ws: Workspace) -> Path:
    configured = ws.setting("photo_dir")
    if configured:
        return Path(configured)
    if ws.spec.kind == "gpkg":
        p = Path(ws.spec.path)
        return p.with_name(p.stem + "_photos")
    raise CensusError(
        tr(
            "Census",
            "This workspace stores photos as files but has no photo_dir setting: "
            "set it to a folder every editor can reach.",
        )
    )


def add_photo(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    data: bytes | str | Path,
    actor: str,
    filename: str | None = None,
) -> PhotoInfo:
    """Attach a photo (bytes or a file path) to a component; the same photo twice is one."""
    if not isinstance(data, (bytes, bytearray)):
        path = Path(data)
        filename = filename or path.name
        data = path.read_bytes()
    data = bytes(data)
    filename = filename or "photo.jpg"
    try:
        from PIL import Image

        Image.open(io.BytesIO(data)).verify()
    except Exception as exc:
        raise CensusError(tr("Census", "{0} is not a readable image.").format(filename)) from exc
    sha = hashlib.sha256(data).hexdigest()
    t = ws.schema.component_photos
    existing = conn.execute(
        select(t.c.id).where(t.c.component_id == component_id, t.c.sha256 == sha)
    ).scalar()
    exif = read_exif(data, ws.setting("timezone", "Asia/Shanghai"))
    mime = mimetypes.guess_type(filename)[0] or "image/jpeg"
    if existing is not None:
        return PhotoInfo(existing, filename, sha, mime, exif.taken_at, exif.lon, exif.lat)
    content: bytes | None = data
    rel: str | None = None
    if ws.setting("photo_storage", "database") == "files":
        root = photo_root(ws)
        suffix = Path(filename).suffix.lower() or ".jpg"
        rel = f"{sha[:2]}/{sha}{suffix}"
        target = root / rel
        private_dir(target.parent)  # photos are personal data: owner-only folders and files
        if not target.exists():
            tmp = target.with_suffix(target.suffix + ".part")
            write_private_bytes(tmp, data)
            tmp.replace(target)
        content = None
    pid = conn.execute(
        t.insert()
        .values(
            component_id=component_id,
            filename=filename,
            sha256=sha,
            mime=mime,
            taken_at=exif.taken_at,
            exif_lon=exif.lon,
            exif_lat=exif.lat,
            content=content,
            path=rel,
            added_at=datetime.now(timezone.utc),
            added_by=actor,
        )
        .returning(t.c.id)
    ).scalar_one()
    audit(
        conn,
        ws.schema,
        actor,
        "census.photo",
        "component_photos",
        pid,
        {"component_id": component_id},
    )
    return PhotoInfo(pid, filename, sha, mime, exif.taken_at, exif.lon, exif.lat)


def list_photos(conn: Connection, ws: Workspace, component_id: int) -> list[PhotoInfo]:
    t = ws.schema.component_photos
    rows = conn.execute(
        select(t.c.id, t.c.filename, t.c.sha256, t.c.mime, t.c.taken_at, t.c.exif_lon, t.c.exif_lat)
        .where(t.c.component_id == component_id)
        .order_by(t.c.id)
    )
    return [PhotoInfo(*r) for r in rows]


def photo_bytes(conn: Connection, ws: Workspace, photo_id: int) -> bytes:
    t = ws.schema.component_photos
    r = conn.execute(select(t.c.content, t.c.path).where(t.c.id == photo_id)).first()
    if r is None:
        raise CensusError(tr("Census", "No photo {0}.").format(photo_id))
    if r.content is not None:
        return bytes(r.content)
    return (photo_root(ws) / r.path).read_bytes()
