"""A device export of field submissions (城管通): GeoJSON + CSV + JPEG photos, with trouble.

Submissions are made where collectors stopped on their patrol (from the simulated tracks):
component reports refer to the nearest stored component (or describe a new one), event
reports carry an event class. Planted on purpose and listed in ``ground_truth.json``:

- ~5 % duplicates: the same problem reported again minutes later, a few metres away, by
  another collector;
- ~5 % GCJ-02 positions: half declared ``GCJ02``, half declared ``WGS84`` but shifted;
- ~3 % malformed: no position, a position outside the city, an unknown category code, a
  time in the future or in 1970, a photo that is not a JPEG or is truncated, a photo whose
  EXIF position is kilometres away.

These files are *not* loaded into the workspace: the intake feature ingests them.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..core import chinacrs
from ..core.codes import default_component_classes, default_event_classes
from ..core.projection import Projector
from .tracks import UTC_OFFSET_H

LOCAL = timezone(timedelta(hours=UTC_OFFSET_H))
MALFORMED_KINDS = (
    "no_position",
    "outside_city",
    "unknown_category",
    "future_time",
    "time_1970",
    "photo_not_jpeg",
    "photo_truncated",
    "exif_far",
)
_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def to_wgs84(x: np.ndarray, y: np.ndarray, srid: int = 4549) -> tuple[np.ndarray, np.ndarray]:
    """Projected workspace coordinates to WGS84 lon/lat."""
    return Projector(srid).inverse(x, y)


def _iso_local(t: float) -> str:
    return datetime.fromtimestamp(t, LOCAL).isoformat(timespec="seconds")


@dataclass
class _Surroundings:
    """What a report refers to: the stored point components (tree, coordinates, class
    names), the event classes and the named roads (tree)."""

    comp_tree: Any
    comp_xy: np.ndarray
    point_comps: list[dict]
    comp_names: dict[str, str]
    events: list
    road_tree: Any
    road_names: list[str]

    @classmethod
    def of(cls, components: list[dict], district) -> _Surroundings:
        point_comps = [c for c in components if c["kind"] == "point"]
        comp_xy = np.array([[c["x"], c["y"]] for c in point_comps])
        return cls(
            comp_tree=shapely.STRtree(shapely.points(comp_xy)),
            comp_xy=comp_xy,
            point_comps=point_comps,
            comp_names={c.code: c.name for c in default_component_classes("legacy16")},
            events=default_event_classes(),
            road_tree=shapely.STRtree(np.array([r.geom for r in district.roads], dtype=object)),
            road_names=[r.name for r in district.roads],
        )


def _empty_photo_folder(export: Path) -> Path:
    photos_dir = export / "photos"
    if export.exists():
        for p in sorted(photos_dir.glob("*")) if photos_dir.exists() else []:
            p.unlink()
    photos_dir.mkdir(parents=True, exist_ok=True)
    return photos_dir


def _add_duplicates(subs: list[dict], n_base: int, n_dup: int, n_coll: int, rng, truth) -> None:
    """Duplicates of some originals, by another collector a few minutes later."""
    originals = np.sort(rng.choice(n_base, size=n_dup, replace=False))
    for k in originals:
        o = subs[k]
        others = [c for c in range(n_coll) if c != o["_collector"]]
        ci = others[int(rng.integers(len(others)))]
        ang, dist = rng.uniform(0, 2 * np.pi), rng.uniform(5, 15)
        dup = dict(o)
        dup.update(
            instance_id=_uuid(rng),
            _collector=ci,
            _t=o["_t"] + float(rng.uniform(120, 900)),
            _x=o["_x"] + dist * np.cos(ang),
            _y=o["_y"] + dist * np.sin(ang),
            description=o["description"] + "(再次发现)",
            _dup_of=o["instance_id"],
        )
        subs.append(dup)
        truth["duplicates"].append(
            {"instance_id": dup["instance_id"], "original": o["instance_id"]}
        )


def _malform(s: dict, kind: str, rng) -> None:
    """Give submission ``s`` the planted problem ``kind``."""
    s["_problem"] = kind
    if kind == "no_position":
        s["_lon"] = s["_lat"] = None
    elif kind == "outside_city":
        s["_lon"], s["_lat"] = 118.7969 + rng.uniform(-0.05, 0.05), 32.0603  # Nanjing
    elif kind == "unknown_category":
        s["category_code"] = "9" + s["category_code"][1:] if s["category_code"] else "9999"
    elif kind == "future_time":
        s["_t"] = datetime(2027, 5, 1, 10, 0, tzinfo=LOCAL).timestamp()
    elif kind == "time_1970":
        s["_t"] = datetime(1970, 1, 1, 8, 0, tzinfo=LOCAL).timestamp()
    elif kind == "exif_far":
        s["_exif"] = (s["_exif"][0] + 0.04, s["_exif"][1] - 0.03)  # ~5 km away


def _plant_positions(subs: list[dict], srid: int, n_gcj: int, n_bad: int, rng, truth) -> None:
    """Positions in WGS84, then the planted coordinate (GCJ-02) and data problems."""
    lon, lat = to_wgs84(np.array([s["_x"] for s in subs]), np.array([s["_y"] for s in subs]), srid)
    for s, a, b in zip(subs, lon, lat):
        s["_lon"], s["_lat"] = float(a), float(b)
        s["_exif"] = (float(a), float(b))
        s["crs"] = "WGS84"
    plain = [i for i, s in enumerate(subs) if "_dup_of" not in s]
    chosen = rng.choice(plain, size=n_gcj + n_bad, replace=False)
    for j, i in enumerate(chosen[:n_gcj]):
        s = subs[i]
        glon, glat = chinacrs.wgs84_to_gcj02(s["_lon"], s["_lat"])
        s["_lon"], s["_lat"] = float(glon), float(glat)
        if j % 2 == 0:
            s["crs"] = "GCJ02"
            truth["gcj02_declared"].append(s["instance_id"])
        else:
            truth["gcj02_undeclared"].append(s["instance_id"])
    for j, i in enumerate(chosen[n_gcj:]):
        kind = MALFORMED_KINDS[j % len(MALFORMED_KINDS)]
        _malform(subs[i], kind, rng)
        truth["malformed"].append({"instance_id": subs[i]["instance_id"], "problem": kind})


def _write_photos(subs: list[dict], photos_dir: Path, rng) -> None:
    """One or two JPEGs per submission (the planted bad ones not a JPEG, or truncated)."""
    for s in subs:
        names = []
        for k in range(s["_n_photos"]):
            name = f"{s['instance_id'][5:13]}_{k + 1}.jpg"
            data = _photo(s, k, rng)
            if k == 0 and s.get("_problem") == "photo_not_jpeg":
                data = _png_bytes(s)
            elif k == 0 and s.get("_problem") == "photo_truncated":
                data = data[: len(data) * 2 // 5]
            (photos_dir / name).write_bytes(data)
            names.append(name)
        s["photos"] = names


def _records(subs: list[dict], collectors) -> tuple[list[dict], list[dict]]:
    """GeoJSON features and CSV rows of the submissions."""
    features, rows = [], []
    for s in subs:
        props = {
            "instance_id": s["instance_id"],
            "collector_code": collectors[s["_collector"]].code,
            "device_id": collectors[s["_collector"]].device_id,
            "observed_at": _iso_local(s["_t"]),
            "kind": s["kind"],
            "category_code": s["category_code"],
            "description": s["description"],
            "photos": s["photos"],
            "crs": s["crs"],
            "component_identifier": s.get("component_identifier"),
            "status": s.get("status"),
        }
        has_pos = s["_lon"] is not None
        geom = (
            {"type": "Point", "coordinates": [round(s["_lon"], 7), round(s["_lat"], 7)]}
            if has_pos
            else None
        )
        features.append({"type": "Feature", "geometry": geom, "properties": props})
        rows.append(
            dict(
                props,
                photos=";".join(s["photos"]),
                component_identifier=props["component_identifier"] or "",
                status=props["status"] or "",
                lon=f"{s['_lon']:.7f}" if has_pos else "",
                lat=f"{s['_lat']:.7f}" if has_pos else "",
            )
        )
    return features, rows


def _write_files(export: Path, subs: list[dict], collectors) -> tuple[Path, Path]:
    features, rows = _records(subs, collectors)
    geojson = export / "submissions.geojson"
    geojson.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    csv_path = export / "submissions.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return geojson, csv_path


def _counts(subs: list[dict], truth: dict) -> dict[str, int]:
    return {
        "submissions": len(subs),
        "duplicates": len(truth["duplicates"]),
        "gcj02": len(truth["gcj02_declared"]) + len(truth["gcj02_undeclared"]),
        "malformed": len(truth["malformed"]),
        "photos": sum(len(s["photos"]) for s in subs),
        "component": sum(1 for s in subs if s["kind"] == "component"),
        "event": sum(1 for s in subs if s["kind"] == "event"),
    }


def build_export(
    out_dir: Path,
    tracks,
    collectors,
    components: list[dict],
    district,
    rng: np.random.Generator,
    scale: float,
    srid: int = 4549,
) -> dict:
    """Write ``out_dir/device-export/…``; returns a summary (counts, paths)."""
    export = out_dir / "device-export"
    photos_dir = _empty_photo_folder(export)
    around = _Surroundings.of(components, district)
    n_total = max(60, round(600 * scale))
    n_dup = max(3, round(0.05 * n_total))
    n_gcj = max(4, round(0.05 * n_total))
    n_bad = max(len(MALFORMED_KINDS), round(0.03 * n_total))
    n_base = n_total - n_dup
    pick = np.sort(rng.choice(len(tracks.stops), size=n_base, replace=False))
    stops = [tracks.stops[i] for i in pick]
    stops.sort(key=lambda s: (s["t"], s["collector"]))
    subs = [_new_submission(rng, s, around) for s in stops]
    truth: dict = {
        "duplicates": [],
        "gcj02_declared": [],
        "gcj02_undeclared": [],
        "malformed": [],
        "component_refs": 0,
    }
    _add_duplicates(subs, n_base, n_dup, len(collectors), rng, truth)
    subs.sort(key=lambda s: (s["_t"], s["instance_id"]))
    _plant_positions(subs, srid, n_gcj, n_bad, rng, truth)
    _write_photos(subs, photos_dir, rng)
    truth["component_refs"] = sum(1 for s in subs if s.get("component_identifier"))
    geojson, csv_path = _write_files(export, subs, collectors)
    truth["counts"] = _counts(subs, truth)
    gt = export / "ground_truth.json"
    gt.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return {
        "geojson": geojson,
        "csv": csv_path,
        "photos": photos_dir,
        "truth": gt,
        "counts": truth["counts"],
    }


def _uuid(rng: np.random.Generator) -> str:
    return "uuid:" + str(uuid.UUID(bytes=rng.bytes(16), version=4))


def _new_submission(rng, stop, around: _Surroundings) -> dict:
    x, y = stop["x"], stop["y"]
    road = around.road_names[int(around.road_tree.nearest(shapely.points(x, y)))]
    sub: dict = {
        "instance_id": _uuid(rng),
        "_collector": int(stop["collector"]),
        "_t": float(stop["t"] + rng.uniform(0, 60)),
        "_n_photos": 1 if rng.random() < 0.7 else 2,
    }
    if rng.random() < 0.45:
        sub.update(_component_report(rng, x, y, around))
    else:
        e = around.events[int(rng.integers(len(around.events)))]
        sub.update(
            kind="event",
            category_code=e.code,
            component_identifier=None,
            status=None,
            _x=x + rng.normal(0, 8),
            _y=y + rng.normal(0, 8),
        )
        sub["description"] = f"{e.name}:{_EVENT_DETAIL[int(rng.integers(len(_EVENT_DETAIL)))]}"
    sub["_label"] = sub["description"]
    sub["description"] += f",{road}附近"
    return sub


def _component_report(rng, x: float, y: float, around: _Surroundings) -> dict:
    """A report of the nearest stored component (its state), or of a new one nearby."""
    j = int(around.comp_tree.nearest(shapely.points(x, y)))
    comp_xy, comp_names = around.comp_xy, around.comp_names
    near = np.hypot(comp_xy[j, 0] - x, comp_xy[j, 1] - y) < 40.0
    status = str(rng.choice(["破损", "丢失", "完好"], p=[0.5, 0.15, 0.35]))
    if near and rng.random() < 0.8:
        c = around.point_comps[j]
        return dict(
            kind="component",
            category_code=c["class_code"],
            component_identifier=c["identifier"],
            status=status,
            _x=c["x"] + rng.normal(0, 4),
            _y=c["y"] + rng.normal(0, 4),
            description=f"{comp_names[c['class_code']]}{_STATUS_TEXT[status]}",
        )
    code = around.point_comps[int(rng.integers(len(around.point_comps)))]["class_code"]
    ang, dist = rng.uniform(0, 2 * np.pi), rng.uniform(5, 20)
    return dict(
        kind="component",
        category_code=code,
        component_identifier=None,
        status="完好",
        _x=x + dist * np.cos(ang),
        _y=y + dist * np.sin(ang),
        description=f"新增{comp_names[code]},库中未见",
    )


_STATUS_TEXT = {"破损": "破损,需维修", "丢失": "丢失,存在安全隐患", "完好": "核查完好"}
_EVENT_DETAIL = (
    "人行道上",
    "路口东南角",
    "沿街店铺门前",
    "小区出入口",
    "公交站台旁",
    "河道边",
    "非机动车道上",
    "绿化带内",
)


# --------------------------------------------------------------------------- photos


@lru_cache(maxsize=1)
def _fonts():
    from PIL import ImageFont

    try:
        return ImageFont.truetype(_FONT, 26), ImageFont.truetype(_FONT, 18)
    except OSError:  # no CJK font: ASCII captions only are still readable
        f = ImageFont.load_default()
        return f, f


@lru_cache(maxsize=8)
def _background(variant: int):
    from PIL import Image, ImageDraw

    sky = [(150, 190, 230), (190, 200, 210), (120, 160, 210), (210, 215, 220)][variant % 4]
    img = Image.new("RGB", (640, 480), sky)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 260, 640, 480], fill=(95, 95, 100))  # road
    d.polygon([(0, 260), (200, 260), (0, 480)], fill=(170, 165, 150))  # pavement
    for k in range(5):  # buildings
        x0 = 40 + k * 120 + (variant * 17) % 40
        h = 90 + (k * 37 + variant * 23) % 90
        d.rectangle([x0, 260 - h, x0 + 90, 260], fill=(200 - k * 12, 190 - k * 8, 175))
    for k in range(6):  # lane marks
        d.rectangle([300 + k * 55, 365, 330 + k * 55, 372], fill=(235, 235, 235))
    return img


def _photo(sub: dict, k: int, rng: np.random.Generator) -> bytes:
    import piexif
    from PIL import ImageDraw

    img = _background(int(rng.integers(4))).copy()
    d = ImageDraw.Draw(img)
    big, small = _fonts()
    cx, cy = int(rng.integers(220, 420)), int(rng.integers(300, 400))
    colour = tuple(int(v) for v in rng.integers(40, 220, 3))
    if sub["kind"] == "component":
        d.ellipse([cx - 50, cy - 20, cx + 50, cy + 20], fill=colour, outline=(20, 20, 20), width=3)
    else:
        d.rectangle(
            [cx - 60, cy - 40, cx + 60, cy + 30], fill=colour, outline=(20, 20, 20), width=3
        )
    local = datetime.fromtimestamp(sub["_t"] + 5 * k, LOCAL)
    d.rectangle([0, 0, 640, 70], fill=(0, 0, 0))
    d.text((12, 6), sub["_label"][:22], font=big, fill=(255, 255, 255))
    d.text(
        (12, 42),
        f"{sub['category_code']}  {local:%Y-%m-%d %H:%M:%S}  {sub['instance_id'][5:13]}",
        font=small,
        fill=(255, 220, 120),
    )
    lon, lat = sub["_exif"]
    exif = {
        "0th": {piexif.ImageIFD.Make: b"CGT", piexif.ImageIFD.Model: b"CGT-3"},
        "Exif": {
            piexif.ExifIFD.DateTimeOriginal: local.strftime("%Y:%m:%d %H:%M:%S").encode(),
            piexif.ExifIFD.OffsetTimeOriginal: b"+08:00",
        },
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: _dms(abs(lat)),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: _dms(abs(lon)),
            piexif.GPSIFD.GPSMapDatum: b"WGS-84",
        },
    }
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80, exif=piexif.dump(exif))
    return buf.getvalue()


def _dms(deg: float) -> tuple:
    d = int(deg)
    m = int((deg - d) * 60)
    s = round(((deg - d) * 60 - m) * 60 * 10000)
    return ((d, 1), (m, 1), (s, 10000))


def _png_bytes(sub: dict) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()
