"""What the judge needs from the workspace, read once per pull, and its thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import shapely
from sqlalchemy import Connection, func, select

from ...projection import Projector
from ...workspace.schema import Schema
from ..limits import LIMITS, Limits
from .duplicates import DuplicateRules


@dataclass(frozen=True)
class Rules:
    """Thresholds of the checks (metres, hours)."""

    gcj_far_m: float = 20.0  # a raw point this far from every main road ...
    gcj_near_m: float = 6.0  # ... whose corrected position is this near one is flagged
    exif_match_m: float = 15.0  # declared vs shifted EXIF position: "the same"
    exif_shift_min_m: float = 50.0  # ... while this far from the EXIF position itself
    device_min_points: int = 5  # a device judged on its roads needs this many points ...
    device_drop: float = 0.3  # ... median road distance corrected / declared at most this,
    device_on_road_m: float = 15.0  # ... and the share of its points this near a main road
    device_on_share: float = 0.5  # ... once corrected at least this,
    device_on_gain: float = 0.3  # ... and at least this much higher than as declared
    device_min_exif: int = 2  # EXIF verdicts that decide a device instead of the roads
    device_exif_share: float = 0.8  # share of them saying GCJ-02 to call it a GCJ-02 device
    device_history_days: int = 30  # stored points of a device taken into account
    exif_time_h: float = 2.0
    exif_distance_m: float = 150.0
    city_buffer_m: float = 0.0


def _shapes(conn: Connection, table: Any, *cols: Any) -> tuple[list[Any], list[tuple]]:
    rows = conn.execute(select(func.ST_AsBinary(table.c.geom), *cols)).all()
    geoms, attrs = [], []
    for r in rows:
        if r[0] is None:
            continue
        geoms.append(shapely.from_wkb(bytes(r[0])))
        attrs.append(tuple(r[1:]))
    return geoms, attrs


def _city(conn: Connection, schema: Schema, grids: list[Any]) -> Any:
    """The district(s), else the union of the unit grids; None: no check."""
    units, unit_attrs = _shapes(conn, schema.admin_units, schema.admin_units.c.level)
    district_geoms = [g for g, a in zip(units, unit_attrs) if a[0] == "district"]
    city = None
    if district_geoms:
        city = shapely.union_all(district_geoms)
    elif grids:
        city = shapely.union_all(grids)
    if city is not None:
        shapely.prepare(city)
    return city


@dataclass
class IntakeContext:
    """What the checks need from the workspace, read once per pull."""

    srid: int
    scheme: str
    timezone: Any
    projector: Projector
    component_codes: set[str]
    event_codes: set[str]
    grid_tree: shapely.STRtree | None
    grid_codes: list[str]
    city: Any  # shapely geometry or None (no check)
    road_tree: shapely.STRtree | None
    collectors_by_device: dict[str, str]
    collector_names: dict[str, str]
    rules: Rules = field(default_factory=Rules)
    duplicates: DuplicateRules = field(default_factory=DuplicateRules)
    limits: Limits = LIMITS

    @classmethod
    def load(
        cls,
        conn: Connection,
        schema: Schema,
        settings: dict[str, str],
        rules: Rules | None = None,
        limits: Limits | None = None,
    ) -> IntakeContext:
        from zoneinfo import ZoneInfo

        srid = int(settings.get("srid", schema.srid))
        scheme = settings.get("component_scheme", "legacy16")
        zone = ZoneInfo(settings.get("timezone", "Asia/Shanghai") or "Asia/Shanghai")
        cc = schema.component_classes
        component_codes = {
            r[0] for r in conn.execute(select(cc.c.code).where(cc.c.scheme == scheme)).all()
        }
        event_codes = {r[0] for r in conn.execute(select(schema.event_classes.c.code)).all()}
        grids, grid_attrs = _shapes(conn, schema.unit_grids, schema.unit_grids.c.code)
        roads, _ = _shapes(conn, schema.main_roads, schema.main_roads.c.kind)
        col = schema.collectors
        collectors = conn.execute(select(col.c.code, col.c.name, col.c.device_id)).all()
        return cls(
            srid=srid,
            scheme=scheme,
            timezone=zone,
            projector=Projector(srid),
            component_codes=component_codes,
            event_codes=event_codes,
            grid_tree=shapely.STRtree(grids) if grids else None,
            grid_codes=[a[0] for a in grid_attrs],
            city=_city(conn, schema, grids),
            road_tree=shapely.STRtree(roads) if roads else None,
            collectors_by_device={d: c for c, _, d in collectors if d},
            collector_names={c: n for c, n, _ in collectors},
            rules=rules or Rules(),
            duplicates=DuplicateRules.from_settings(settings),
            limits=limits or LIMITS,
        )
