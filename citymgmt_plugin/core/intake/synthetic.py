"""A small synthetic city and field submissions for it: tests, benchmarks, demo fallback.

The city is an ``n`` x ``n`` block of unit grids of ``cell`` metres in the workspace CRS
(姑苏区 320508 by default), main roads every ``road_every`` grids, two responsibility grids,
two collectors and components placed along the roads. Submissions report components near
those roads; the broken kinds the intake must quarantine or flag can be mixed in.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from .. import chinacrs
from ..store import Workspace
from .normalise import Projector

ORIGIN = (120.60, 31.30)  # south-west corner, WGS84
SHANGHAI = timezone(timedelta(hours=8))
COMPONENT_CLASSES = ("0101", "0103", "0105", "0118")
EVENT_CLASSES = ("0102", "0104")
BROKEN_KINDS = (
    "no_position",
    "outside_city",
    "unknown_category",
    "impossible_time",
    "unreadable_photo",
    "unreadable_json",
    "gcj02_shifted",
)


@dataclass
class City:
    srid: int
    x0: float
    y0: float
    n: int
    cell: float
    road_every: int
    grid_codes: list[str]
    components: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> float:
        return self.n * self.cell

    def to_wgs84(self, x: float, y: float) -> tuple[float, float]:
        lon, lat = _projector(self.srid).inverse([x], [y])
        return float(lon[0]), float(lat[0])


@lru_cache(maxsize=4)
def _projector(srid: int) -> Projector:
    return Projector(srid)


def _square(srid: int, x0: float, y0: float, x1: float, y1: float) -> str:
    ring = f"{x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}"
    return f"SRID={srid};MULTIPOLYGON((({ring})))"


def seed_city(
    ws: Workspace,
    n: int = 8,
    cell: float = 250.0,
    road_every: int = 4,
    components: int = 40,
    seed: int = 7,
) -> City:
    """Fill an empty workspace with the synthetic city; returns its layout and components."""
    srid = ws.srid
    s = ws.schema
    (x0,), (y0,) = _projector(srid).forward([ORIGIN[0]], [ORIGIN[1]])
    x0, y0 = round(float(x0)), round(float(y0))
    size = n * cell
    community = "320508001001"
    grids, codes, links = [], [], []
    seq = 0
    for row in range(n):  # numbered west -> east, north -> south
        for colm in range(n):
            seq += 1
            code = f"{community}{seq:03d}"
            gx, gy = x0 + colm * cell, y0 + size - (row + 1) * cell
            grids.append(
                {
                    "code": code,
                    "community_code": community,
                    "responsible": "平江街道",
                    "area_m2": cell * cell,
                    "geom": _square(srid, gx, gy, gx + cell, gy + cell),
                }
            )
            codes.append(code)
            links.append(
                {"resp_grid_code": "R01" if colm < n // 2 else "R02", "unit_grid_code": code}
            )
    whole = _square(srid, x0, y0, x0 + size, y0 + size)
    roads = []
    for k in range(0, n + 1, road_every):
        v, h = x0 + k * cell, y0 + k * cell
        roads.append(
            {
                "kind": "main_road",
                "name": f"南北路{k}",
                "geom": f"SRID={srid};MULTILINESTRING(({v} {y0},{v} {y0 + size}))",
            }
        )
        roads.append(
            {
                "kind": "main_road",
                "name": f"东西路{k}",
                "geom": f"SRID={srid};MULTILINESTRING(({x0} {h},{x0 + size} {h}))",
            }
        )
    rng = random.Random(seed)
    city = City(srid, x0, y0, n, cell, road_every, codes)
    comps = []
    for i in range(components):
        x, y = _on_road(city, rng)
        cls = COMPONENT_CLASSES[i % len(COMPONENT_CLASSES)]
        code = _grid_at(city, x, y)
        comps.append(
            {
                "identifier": f"320508{cls}{i + 1:06d}",
                "scheme": "legacy16",
                "class_code": cls,
                "name": "部件",
                "dept_code": "001",
                "dept_name": "市政",
                "grid_code": code,
                "status": "完好",
                "initial_date": date(2025, 6, 1),
                "data_source": "实测",
                "accuracy_class": "B",
                "geom": f"SRID={srid};POINT({x} {y})",
            }
        )
    with ws.begin() as conn:
        conn.execute(
            insert(s.admin_units),
            [
                {
                    "level": "district",
                    "code": "320508",
                    "name": "姑苏区",
                    "parent_code": None,
                    "geom": whole,
                },
                {
                    "level": "street",
                    "code": "320508001",
                    "name": "平江街道",
                    "parent_code": "320508",
                    "geom": whole,
                },
                {
                    "level": "community",
                    "code": community,
                    "name": "平江社区",
                    "parent_code": "320508001",
                    "geom": whole,
                },
            ],
        )
        conn.execute(insert(s.unit_grids), grids)
        conn.execute(
            insert(s.resp_grids),
            [
                {"code": "R01", "name": "责任网格一", "street_code": "320508001"},
                {"code": "R02", "name": "责任网格二", "street_code": "320508001"},
            ],
        )
        conn.execute(insert(s.resp_grid_units), links)
        conn.execute(
            insert(s.collectors),
            [
                {
                    "code": "C01",
                    "name": "张伟",
                    "resp_grid_code": "R01",
                    "device_id": "dev-01",
                    "active": True,
                },
                {
                    "code": "C02",
                    "name": "李娜",
                    "resp_grid_code": "R02",
                    "device_id": "dev-02",
                    "active": True,
                },
            ],
        )
        conn.execute(insert(s.main_roads), roads)
        if comps:
            conn.execute(insert(s.components), comps)
            rows = conn.execute(s.components.select().order_by(s.components.c.id)).all()
            for c, r in zip(comps, rows):
                c["id"] = r.id
    for c in comps:
        x, y = (float(v) for v in c["geom"].split("(")[1].rstrip(")").split())
        c["x"], c["y"] = x, y
    city.components = comps
    return city


def _on_road(city: City, rng: random.Random) -> tuple[float, float]:
    """A point within 4 m of an inner main road (not the city's edge roads)."""
    k = rng.randrange(city.road_every, city.n, city.road_every)
    along = rng.uniform(city.cell * 0.5, city.size - city.cell * 0.5)
    off = rng.uniform(-4, 4)
    line = city.x0 + k * city.cell
    if rng.random() < 0.5:
        return line + off, city.y0 + along
    return city.x0 + along, city.y0 + k * city.cell + off


def _grid_at(city: City, x: float, y: float) -> str:
    col = min(int((x - city.x0) // city.cell), city.n - 1)
    row = min(int((city.y0 + city.size - y) // city.cell), city.n - 1)
    return city.grid_codes[row * city.n + col]


def make_jpeg(
    lon: float | None,
    lat: float | None,
    when: datetime | None,
    size: tuple[int, int] = (96, 72),
    seed: int = 0,
) -> bytes:
    """A small JPEG with EXIF DateTimeOriginal (local time) and GPS position."""
    import piexif
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    img = Image.new(
        "RGB", size, (rng.randrange(80, 200), rng.randrange(80, 200), rng.randrange(80, 200))
    )
    draw = ImageDraw.Draw(img)
    draw.ellipse(
        (size[0] * 0.25, size[1] * 0.2, size[0] * 0.75, size[1] * 0.8),
        outline=(30, 30, 30),
        width=3,
    )
    exif: dict[str, Any] = {"0th": {}, "Exif": {}, "GPS": {}}
    if when is not None:
        local = when.astimezone(SHANGHAI)
        exif["Exif"][piexif.ExifIFD.DateTimeOriginal] = local.strftime("%Y:%m:%d %H:%M:%S").encode()
        exif["Exif"][piexif.ExifIFD.OffsetTimeOriginal] = b"+08:00"
    if lon is not None and lat is not None:

        def dms(v: float) -> tuple:
            v = abs(v)
            d = int(v)
            m = int((v - d) * 60)
            s = round(((v - d) * 60 - m) * 60 * 10000)
            return ((d, 1), (m, 1), (s, 10000))

        exif["GPS"] = {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: dms(lat),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: dms(lon),
        }
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, exif=piexif.dump(exif))
    return buf.getvalue()


def make_submissions(
    city: City,
    n: int,
    seed: int = 11,
    start: datetime | None = None,
    broken: tuple[str, ...] = (),
    match_share: float = 0.4,
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """``n`` good submissions plus one of each ``broken`` kind; returns (records, truth).

    Records are flat dicts (WGS84 lon/lat, local time without offset, photo names) and may
    carry ``_photo`` (the JPEG bytes to write) and ``_raw`` (a field to write verbatim).
    """
    rng = random.Random(seed)
    start = start or datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
    truth: dict[str, list[str]] = {k: [] for k in ("good", "matches", *BROKEN_KINDS)}
    records = []
    for i in range(n + len(broken)):
        kind_broken = broken[i - n] if i >= n else None
        iid = f"uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        near = city.components and rng.random() < match_share
        if near:
            comp = rng.choice(city.components)
            x, y = comp["x"] + rng.uniform(-2, 2), comp["y"] + rng.uniform(-2, 2)
            cls, kind = comp["class_code"], "component"
        else:
            x, y = _on_road(city, rng)
            if rng.random() < 0.7:
                cls, kind = rng.choice(COMPONENT_CLASSES), "component"
            else:
                cls, kind = rng.choice(EVENT_CLASSES), "event"
        lon, lat = city.to_wgs84(x, y)
        when = start + timedelta(minutes=7 * i + rng.randrange(0, 5))
        collector = "C01" if x < city.x0 + city.size / 2 else "C02"
        rec: dict[str, Any] = {
            "instance_id": iid,
            "lon": round(lon, 7),
            "lat": round(lat, 7),
            "accuracy": round(rng.uniform(3, 9), 1),
            "kind": kind,
            "category_code": cls,
            "observed_at": when.strftime("%Y-%m-%d %H:%M:%S"),
            "collector_code": collector,
            "device_id": "dev-01" if collector == "C01" else "dev-02",
            "description": "井盖破损" if kind == "component" else "道路不洁",
            "status": rng.choice(["完好", "破损"]),
            "photos": f"{iid.split(':')[-1]}.jpg",
        }
        photo_pos = (lon, lat)
        if kind_broken == "no_position":
            rec["lon"] = rec["lat"] = None
        elif kind_broken == "outside_city":
            rec["lon"] = round(lon + 0.2, 7)
        elif kind_broken == "unknown_category":
            rec["category_code"] = "9999"
        elif kind_broken == "impossible_time":
            rec["observed_at"] = "2039-01-01 10:00:00"
        elif kind_broken == "unreadable_json":
            rec["_raw"] = '{"status": "破损", "note": '
        elif kind_broken == "gcj02_shifted":
            glon, glat = chinacrs.wgs84_to_gcj02(lon, lat)
            rec["lon"], rec["lat"] = round(float(glon), 7), round(float(glat), 7)
        if kind_broken == "unreadable_photo":
            rec["_photo"] = b"\xff\xd8\xff\xe0 not really a jpeg"
        else:
            rec["_photo"] = make_jpeg(*photo_pos, when, seed=i)
        records.append(rec)
        if kind_broken:
            truth[kind_broken].append(iid)
        else:
            truth["good"].append(iid)
            if near:
                truth["matches"].append(iid)
    return records, truth


def write_device_export(
    folder: Path,
    records: list[dict[str, Any]],
    fmt: str = "geojson",
    zip_photos: bool = False,
    photos: bool = True,
) -> Path:
    """Write ``records`` as a device export (GeoJSON or CSV) with a photos folder or zip."""
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    if photos:
        if zip_photos:
            with zipfile.ZipFile(folder / "photos.zip", "w") as zf:
                for rec in records:
                    zf.writestr(f"photos/{rec['photos']}", rec["_photo"])
        else:
            (folder / "photos").mkdir(exist_ok=True)
            for rec in records:
                (folder / "photos" / rec["photos"]).write_bytes(rec["_photo"])
    clean = []
    for rec in records:
        row = {k: v for k, v in rec.items() if not k.startswith("_")}
        if "_raw" in rec:
            row["attributes"] = rec["_raw"]
        clean.append(row)
    if fmt == "csv":
        path = folder / "submissions.csv"
        names = sorted({k for r in clean for k in r})
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=names)
            writer.writeheader()
            for r in clean:
                writer.writerow({k: ("" if v is None else v) for k, v in r.items()})
        return path
    features = []
    for r in clean:
        props = {k: v for k, v in r.items() if k not in ("lon", "lat")}
        geom = (
            None if r.get("lon") is None else {"type": "Point", "coordinates": [r["lon"], r["lat"]]}
        )
        features.append({"type": "Feature", "geometry": geom, "properties": props})
    path = folder / "submissions.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def odata_row(rec: dict[str, Any], submitted: datetime) -> dict[str, Any]:
    """A record as ODK Central's OData would send it (groups, geopoint, ``__system``)."""
    geo = None
    if rec.get("lon") is not None:
        geo = {
            "type": "Point",
            "coordinates": [rec["lon"], rec["lat"], 12.0],
            "properties": {"accuracy": rec.get("accuracy")},
        }
    stamp = submitted.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    observed = rec.get("observed_at")
    if observed and "T" not in observed and "+" not in observed:
        observed = observed.replace(" ", "T") + ".000+08:00"
    return {
        "__id": rec["instance_id"],
        "meta": {"instanceID": rec["instance_id"]},
        "observed_at": observed,
        "location": geo,
        "report": {
            "kind": rec.get("kind"),
            "category_code": rec.get("category_code"),
            "description": rec.get("description"),
            "status": rec.get("status"),
            "collector": rec.get("collector_code"),
            "photo": rec.get("photos"),
        },
        "__system": {
            "submissionDate": stamp,
            "updatedAt": None,
            "deletedAt": None,
            "submitterId": "17",
            "submitterName": rec.get("collector_code"),
            "attachmentsPresent": 1,
            "attachmentsExpected": 1,
            "status": None,
            "reviewState": None,
            "deviceId": rec.get("device_id"),
            "edits": 0,
            "formVersion": "2026030201",
        },
    }
