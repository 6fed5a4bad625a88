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

The decision is the verdict's :class:`~..states.PositionFlag` (stored by the codec of
:mod:`..states`); ``corrected`` only for EXIF evidence, when the geometry becomes the
corrected position. The declared position always stays in ``raw_x``/``raw_y``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from ... import chinacrs
from ...projection import metres
from ..states import Evidence, PositionFlag, PositionSystem
from .normalise import locate

EXIF, DEVICE, ROADS = Evidence.EXIF, Evidence.DEVICE, Evidence.ROADS
CHECKED_CRS = ("unknown", "WGS84")  # declared systems whose positions are checked
_FAR = 1000.0  # road distances are searched up to this far (metres)


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


def exif_verdicts(
    lon: np.ndarray, lat: np.ndarray, exif_lon: np.ndarray, exif_lat: np.ndarray, rules: Any
) -> np.ndarray:
    """Per (declared, EXIF) pair: "GCJ02", "BD09", "WGS84" (confirmed) or "" (no evidence)."""
    out = np.full(len(lon), "", dtype=object)
    if not len(lon):
        return out
    glon, glat = chinacrs.wgs84_to_gcj02(exif_lon, exif_lat)
    blon, blat = chinacrs.gcj02_to_bd09(glon, glat)
    d_raw = metres(exif_lon, exif_lat, lon, lat)
    d_gcj = metres(glon, glat, lon, lat)
    d_bd = metres(blon, blat, lon, lat)
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


def _checked(items: Sequence[Any]) -> list[int]:
    """Indexes of the items whose declared position is checked (WGS84 or nothing, in China)."""
    return [
        i
        for i, it in enumerate(items)
        if it.crs in CHECKED_CRS
        and it.declared is not None
        and bool(chinacrs.in_china(*it.declared))
    ]


def _exif_votes(
    lon: np.ndarray, lat: np.ndarray, exif: list[Sequence[tuple[float, float]]], rules: Any
) -> list[str]:
    """One EXIF verdict per submission: its photos' verdicts when they do not disagree."""
    pairs = [(k, e) for k, found in enumerate(exif) for e in found]
    votes = [""] * len(lon)
    if not pairs:
        return votes
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
    return votes


def _flag(vote: str, device: DeviceVerdict | None, on_road: bool) -> PositionFlag | None:
    """The flag of one point from its EXIF vote, its device's verdict and the roads."""
    if vote == "WGS84":
        return None  # confirmed by its photo: outweighs the rest
    evidence = []
    system = PositionSystem.GCJ02
    if vote in ("GCJ02", "BD09"):
        evidence.append(EXIF)
        system = PositionSystem(vote)
    if system == PositionSystem.GCJ02 and device is not None and device.gcj02:
        evidence.append(DEVICE)
    if system == PositionSystem.GCJ02 and on_road:
        evidence.append(ROADS)
    if not evidence:
        return None
    return PositionFlag(system, tuple(evidence), corrected=EXIF in evidence)


def _apply(
    it: Any, flag: PositionFlag, declared: tuple[float, float], fixed: Any, ctx: Any
) -> None:
    """Set the flag; a corrected flag moves the geometry, grid and city check with it.

    ``fixed``: the GCJ-02-corrected position in the workspace CRS (a flag kept as declared
    is checked there: shifted out of the city but inside once corrected is for the reviewer,
    not quarantine)."""
    it.flag = flag
    if flag.corrected:
        lon, lat = np.array([declared[0]]), np.array([declared[1]])
        wlon, wlat = chinacrs.to_wgs84(str(flag.system), lon, lat)
        x, y = ctx.projector.forward(wlon, wlat)
        fx, fy = float(x[0]), float(y[0])
        it.wgs84 = (float(wlon[0]), float(wlat[0]))
    else:
        fx, fy = fixed
    inside, grid = locate(ctx, np.array([fx]), np.array([fy]))
    if flag.corrected:
        it.xy = (fx, fy)
        it.values["geom"] = f"SRID={ctx.srid};POINT({fx!r} {fy!r})"
        it.values["grid_code"] = grid[0]
        it.set_outside(not inside[0])
    elif inside[0]:
        it.set_outside(False)


def settle(
    items: Sequence[Any],
    exif: dict[int, list[tuple[float, float]]],
    ctx: Any,
    history: History | None = None,
) -> Settlement:
    """Decide, for the ``items`` (verdicts) of a page, which positions are shifted; set their
    ``flag``, and for conclusive (EXIF) evidence the corrected geometry, grid and
    inside-the-city check. ``exif``: item index -> the EXIF positions of its photos."""
    rules = ctx.rules
    sel = _checked(items)
    result = Settlement({}, [])
    if not sel:
        return result
    lon = np.array([items[i].declared[0] for i in sel])
    lat = np.array([items[i].declared[1] for i in sel])
    votes = _exif_votes(lon, lat, [exif.get(i, ()) for i in sel], rules)
    # Roads: this page and the devices' history, in one vectorised pass.
    h = history or History()
    all_lon = np.concatenate([lon, np.asarray(h.lon, float)])
    all_lat = np.concatenate([lat, np.asarray(h.lat, float)])
    raw, fixed, cx, cy = road_distances(all_lon, all_lat, ctx)
    keys = [items[i].device for i in sel] + list(h.keys)
    all_votes = votes + ["GCJ02" if g else "" for g in h.exif_gcj]
    result.devices = _device_verdicts(keys, raw, fixed, all_votes, rules)
    result.gcj_devices = sorted(k for k, v in result.devices.items() if v.gcj02)
    on_road = (raw[: len(sel)] > rules.gcj_far_m) & (fixed[: len(sel)] <= rules.gcj_near_m)
    for k, i in enumerate(sel):
        it = items[i]
        device = result.devices.get(it.device) if it.device else None
        flag = _flag(votes[k], device, bool(on_road[k]))
        if flag is None:
            continue
        _apply(it, flag, (lon[k], lat[k]), (float(cx[k]), float(cy[k])), ctx)
        result.corrected += int(flag.corrected)
    return result
