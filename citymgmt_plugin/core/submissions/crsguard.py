"""Positions shifted by Chinese map SDKs (GCJ-02, BD-09) in sources that declare WGS84 or
nothing: the evidence, and one decision per submission.

Three kinds of evidence, strongest first:

- ``exif``: the photo's EXIF GPS position (phones write WGS84 there, whatever the app does).
  When the declared position is, within a few metres, ``wgs84_to_gcj02(EXIF)`` (or
  ``wgs84_to_bd09(EXIF)``) while the EXIF position itself is far away, the app shifted it.
  This is conclusive: the stored geometry becomes the corrected position. A declared
  position within a few metres of the EXIF position confirms WGS84 and outweighs the rest.
- ``device``: a device (or a collector, when there is no device id) whose points over this
  pull and the last weeks are consistently better explained by the GCJ-02 correction (the
  median distance to the main roads drops sharply once corrected, or most of its EXIF
  evidence says GCJ-02). Its points are flagged unless their own EXIF confirms WGS84.
- ``roads``: the single point is far from every main road while its corrected position lies
  on one. Weak on its own (a dense network leaves many corrected points near *some* road),
  so it only flags the point for the reviewer.

The decision is stored in ``submissions.crs_flag`` as ``suspected_gcj02:<evidence>[+…]``
(``suspected_bd09:…`` for Baidu), with ``:corrected`` appended when the geometry is the
corrected position (EXIF evidence only); the declared position always stays in
``raw_x``/``raw_y``. Without ``:corrected`` the geometry is the declared position.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from .. import chinacrs
from ..i18n import tr
from ..labels import crs_evidence_label, join
from .records import OUTSIDE_CITY, SUSPECTED_GCJ02, reason_code

_CTX = "Intake"
SUSPECTED_BD09 = "suspected_bd09"
EXIF, DEVICE, ROADS = "exif", "device", "roads"
CORRECTED = "corrected"
CHECKED_CRS = ("unknown", "WGS84")  # declared systems whose positions are checked
_FAR = 1000.0  # road distances are searched up to this far (metres)


def make_flag(system: str, evidence: Sequence[str], corrected: bool = False) -> str:
    """``suspected_gcj02:exif+roads:corrected`` and the like."""
    verdict = SUSPECTED_BD09 if system == "BD09" else SUSPECTED_GCJ02
    flag = f"{verdict}:{'+'.join(evidence)}"
    return f"{flag}:{CORRECTED}" if corrected else flag


@dataclass(frozen=True)
class CrsFlag:
    system: str  # GCJ02 | BD09
    evidence: tuple[str, ...]
    corrected: bool


def parse_flag(flag: str | None) -> CrsFlag | None:
    """The parts of a stored ``crs_flag`` (a bare ``suspected_gcj02`` reads as roads)."""
    if not flag:
        return None
    parts = flag.split(":")
    system = "BD09" if parts[0] == SUSPECTED_BD09 else "GCJ02"
    evidence = tuple(e for e in (parts[1].split("+") if len(parts) > 1 else [ROADS]) if e)
    return CrsFlag(system, evidence, CORRECTED in parts[2:])


def describe_flag(flag: str | None) -> str:
    """The flag for people (translated)."""
    parsed = parse_flag(flag)
    if parsed is None:
        return ""
    name = "BD-09" if parsed.system == "BD09" else "GCJ-02"
    why = join((crs_evidence_label(e) for e in parsed.evidence), "; ")
    if parsed.corrected:
        return tr(_CTX, "{0} position, corrected ({1}).").format(name, why)
    return tr(_CTX, "Position looks {0}-shifted ({1}); kept as declared.").format(name, why)


@dataclass
class History:
    """Earlier stored points of the devices in a pull (declared WGS84 or unknown)."""

    keys: list[str] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    exif_gcj: list[bool] = field(default_factory=list)  # flagged GCJ-02 by EXIF before


@dataclass
class DeviceVerdict:
    key: str
    points: int
    median_raw_m: float
    median_fixed_m: float
    on_road_raw: float  # share of points near a main road as declared
    on_road_fixed: float  # ... and GCJ-02-corrected
    exif_gcj: int
    exif_wgs: int
    gcj02: bool


@dataclass
class Settlement:
    devices: dict[str, DeviceVerdict]
    gcj_devices: list[str]
    corrected: int = 0


def device_key(device_id: str | None, collector_code: str | None) -> str | None:
    if device_id:
        return device_id
    return "@" + collector_code if collector_code else None


def _metres(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    lon1, lat1 = np.asarray(lon1, float), np.asarray(lat1, float)
    k = 111_320.0 * np.cos(np.radians(lat1))
    return np.hypot(
        (np.asarray(lon2, float) - lon1) * k, (np.asarray(lat2, float) - lat1) * 110_574.0
    )


def exif_verdicts(
    lon: np.ndarray, lat: np.ndarray, exif_lon: np.ndarray, exif_lat: np.ndarray, rules: Any
) -> np.ndarray:
    """Per (declared, EXIF) pair: "GCJ02", "BD09", "WGS84" (confirmed) or "" (no evidence)."""
    out = np.full(len(lon), "", dtype=object)
    if not len(lon):
        return out
    glon, glat = chinacrs.wgs84_to_gcj02(exif_lon, exif_lat)
    blon, blat = chinacrs.gcj02_to_bd09(glon, glat)
    d_raw = _metres(exif_lon, exif_lat, lon, lat)
    d_gcj = _metres(glon, glat, lon, lat)
    d_bd = _metres(blon, blat, lon, lat)
    near, apart = rules.exif_match_m, rules.exif_shift_min_m
    out[(d_gcj <= near) & (d_raw >= apart)] = "GCJ02"
    out[(d_bd <= near) & (d_raw >= apart) & (d_gcj >= apart)] = "BD09"
    out[(d_raw <= near) & (d_gcj >= apart)] = "WGS84"
    return out


def road_distances(
    lon: np.ndarray, lat: np.ndarray, ctx: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distance to the nearest main road of each point as declared and GCJ-02-corrected
    (capped at 1 km), and the corrected position in the workspace CRS."""
    n = len(lon)
    raw = np.full(n, _FAR)
    fixed = np.full(n, _FAR)
    clon, clat = chinacrs.gcj02_to_wgs84(lon, lat)
    cx, cy = ctx.projector.forward(clon, clat) if n else (np.empty(0), np.empty(0))
    if not n or ctx.road_tree is None:
        return raw, fixed, cx, cy
    x, y = ctx.projector.forward(lon, lat)
    for pts, out in ((shapely.points(x, y), raw), (shapely.points(cx, cy), fixed)):
        (idx, _), dist = ctx.road_tree.query_nearest(
            pts, max_distance=_FAR, return_distance=True, all_matches=False
        )
        out[idx] = dist
    return raw, fixed, cx, cy


def _device_verdicts(
    keys: list[str | None],
    raw: np.ndarray,
    fixed: np.ndarray,
    exif_votes: list[str],
    rules: Any,
) -> dict[str, DeviceVerdict]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k is not None:
            groups[k].append(i)
    out = {}
    for key, idx in groups.items():
        ix = np.array(idx)
        mr, mf = float(np.median(raw[ix])), float(np.median(fixed[ix]))
        gcj = sum(1 for i in idx if exif_votes[i] == "GCJ02")
        wgs = sum(1 for i in idx if exif_votes[i] == "WGS84")
        on_raw = float(np.mean(raw[ix] <= rules.device_on_road_m))
        on_fixed = float(np.mean(fixed[ix] <= rules.device_on_road_m))
        if gcj + wgs >= rules.device_min_exif:
            verdict = gcj >= rules.device_exif_share * (gcj + wgs)
        else:
            # Corrected, its points move onto the roads: most of them, far more than as
            # declared, and the typical distance drops sharply (a collector working away
            # from the main roads fails the first two; chance alone fails all three).
            verdict = (
                len(idx) >= rules.device_min_points
                and on_fixed >= rules.device_on_share
                and on_fixed >= on_raw + rules.device_on_gain
                and mf <= rules.device_drop * mr
            )
        out[key] = DeviceVerdict(key, len(idx), mr, mf, on_raw, on_fixed, gcj, wgs, bool(verdict))
    return out


def settle(
    items: Sequence[Any],
    exif: dict[int, list[tuple[float, float]]],
    ctx: Any,
    history: History | None = None,
) -> Settlement:
    """Decide, for the normalised ``items`` of a page, which positions are shifted; set
    ``crs_flag``, and for conclusive (EXIF) evidence the corrected geometry, grid and
    inside-the-city check. ``exif``: item index -> the EXIF positions of its photos."""
    from .normalise import locate

    rules = ctx.rules
    sel = [
        i
        for i, it in enumerate(items)
        if it.crs in CHECKED_CRS
        and it.declared is not None
        and bool(chinacrs.in_china(*it.declared))
    ]
    result = Settlement({}, [])
    if not sel:
        return result
    lon = np.array([items[i].declared[0] for i in sel])
    lat = np.array([items[i].declared[1] for i in sel])

    # EXIF: one verdict per photo, then per submission (photos must not disagree).
    pairs = [(k, e) for k, i in enumerate(sel) for e in exif.get(i, ())]
    votes = [""] * len(sel)
    if pairs:
        pk = np.array([k for k, _ in pairs])
        per_photo = exif_verdicts(
            lon[pk],
            lat[pk],
            np.array([e[0] for _, e in pairs]),
            np.array([e[1] for _, e in pairs]),
            rules,
        )
        seen: dict[int, set[str]] = defaultdict(set)
        for k, v in zip(pk, per_photo):
            if v:
                seen[int(k)].add(v)
        for k, found in seen.items():
            if len(found) == 1:
                votes[k] = found.pop()

    # Roads: this page and the devices' history, in one vectorised pass.
    h = history or History()
    all_lon = np.concatenate([lon, np.asarray(h.lon, float)])
    all_lat = np.concatenate([lat, np.asarray(h.lat, float)])
    raw, fixed, cx, cy = road_distances(all_lon, all_lat, ctx)
    keys = [items[i].device for i in sel] + list(h.keys)
    all_votes = votes + ["GCJ02" if g else "" for g in h.exif_gcj]
    devices = _device_verdicts(keys, raw, fixed, all_votes, rules)
    result.devices = devices
    result.gcj_devices = sorted(k for k, v in devices.items() if v.gcj02)
    point_roads = (raw[: len(sel)] > rules.gcj_far_m) & (fixed[: len(sel)] <= rules.gcj_near_m)

    for k, i in enumerate(sel):
        it = items[i]
        vote = votes[k]
        if vote == "WGS84":
            continue
        evidence = []
        system = "GCJ02"
        if vote in ("GCJ02", "BD09"):
            evidence.append(EXIF)
            system = vote
        dev = devices.get(it.device) if it.device else None
        if system == "GCJ02" and dev is not None and dev.gcj02:
            evidence.append(DEVICE)
        if system == "GCJ02" and point_roads[k]:
            evidence.append(ROADS)
        if not evidence:
            continue
        corrected = EXIF in evidence
        it.values["crs_flag"] = make_flag(system, evidence, corrected)
        if corrected:
            wlon, wlat = chinacrs.to_wgs84(system, lon[k : k + 1], lat[k : k + 1])
            x, y = ctx.projector.forward(wlon, wlat)
            fx, fy = float(x[0]), float(y[0])
            it.wgs84 = (float(wlon[0]), float(wlat[0]))
            result.corrected += 1
        else:
            fx, fy = float(cx[k]), float(cy[k])
        inside, grid = locate(ctx, np.array([fx]), np.array([fy]))
        if corrected:
            it.values["geom"] = f"SRID={ctx.srid};POINT({fx!r} {fy!r})"
            it.values["grid_code"] = grid[0]
            _outside(it, not inside[0])
        elif inside[0]:
            # Shifted out of the city but corrected inside: for the reviewer, not quarantine.
            _outside(it, False)
    return result


def _outside(item: Any, outside: bool) -> None:
    """Set or clear the item's ``outside_city`` quarantine reason."""
    parts = [p for p in (item.reason or "").split("; ") if p]
    has = any(reason_code(p) == OUTSIDE_CITY for p in parts)
    if outside and not has:
        parts.append(f"{OUTSIDE_CITY}: {item.wgs84[0]:.6f}, {item.wgs84[1]:.6f}")
    elif not outside and has:
        parts = [p for p in parts if reason_code(p) != OUTSIDE_CITY]
    item.reason = "; ".join(parts) or None
    item.state = "quarantined" if parts else "pending"
