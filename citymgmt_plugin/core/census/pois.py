"""Points of interest (兴趣点普查): place, change, move and retire, each with a history version.

A POI has a category (``poi_categories``), a name, an address, a phone, a door number
(门牌号) and a position; its identifier is county (6) + category (4) + serial (6), allocated
like a component's (``identifier_counters``, scheme ``poi``). As for components, every
function takes the caller's connection (one transaction per user action) and writes the
history version and audit row with the change; nothing is ever deleted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, func, select

from ..i18n import tr
from ..labels import field_label
from ..workspace.schema.census import POI_RETIRED
from ..workspace.store import Workspace, audit
from .components import office_today
from .errors import NotFound, Problem, ValidationFailed, VersionConflict
from .geo import GridRef, from_db, to_ewkt
from .grids import find_grid, within_box
from .poi_checks import (
    category_problem,
    check_poi_values,
    geometry_problems,
)
from .poi_identifiers import allocate_poi_identifiers

POI_EDITABLE = (
    "name",
    "address",
    "phone",
    "door_number",
    "status",
    "initial_date",
    "data_source",
    "note",
)
POI_SNAPSHOT = (
    "identifier",
    "category_code",
    *POI_EDITABLE,
    "grid_code",
    "street_code",
    "street_name",
    "community_code",
    "community_name",
    "change_date",
    "version",
)
POI_TOLERANCE_M = 5.0  # a POI farther than this from where it was stored has moved
_GRID_FIELDS = ("grid_code", "street_code", "street_name", "community_code", "community_name")


@dataclass(frozen=True)
class PoiCategory:
    code: str
    major_code: str
    major_name: str
    name: str


@dataclass
class PoiDraft:
    """A POI to be stored; identifier and grid are derived."""

    category_code: str
    geom: BaseGeometry | None
    name: str = ""
    address: str | None = None
    phone: str | None = None
    door_number: str | None = None
    status: str = "正常"
    initial_date: date | None = None  # default: today in the office zone
    data_source: str = "实测"
    note: str | None = None

    def values(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("geom")
        return d


@dataclass(frozen=True)
class PoiRef:
    id: int
    identifier: str
    grid_code: str
    version: int


@dataclass
class PoiRecord:
    id: int
    attributes: dict[str, Any]
    geom: BaseGeometry | None
    version: int

    def __getitem__(self, key: str) -> Any:
        return self.attributes[key]


def poi_categories(conn: Connection, ws: Workspace) -> dict[str, PoiCategory]:
    t = ws.schema.poi_categories
    rows = conn.execute(select(t).order_by(t.c.code))
    return {r.code: PoiCategory(r.code, r.major_code, r.major_name, r.name) for r in rows}


# -- storing -------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _json(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _json(values.get(k)) for k in POI_SNAPSHOT}


def _blank_to_none(values: dict[str, Any]) -> None:
    for k in ("address", "phone", "door_number", "note"):
        if isinstance(values.get(k), str) and not values[k].strip():
            values[k] = None


def poi_row(draft: PoiDraft, ws: Workspace, identifier: str, grid: GridRef) -> dict[str, Any]:
    """The stored row of a new POI (without who and when)."""
    values = draft.values()
    values.update(
        identifier=identifier,
        grid_code=grid.code,
        street_code=grid.street_code,
        street_name=grid.street_name,
        community_code=grid.community_code,
        community_name=grid.community_name,
        change_date=None,
        version=1,
        initial_date=draft.initial_date or office_today(ws),
    )
    _blank_to_none(values)
    return values


def history_row(
    poi_id: int,
    values: dict,
    operation: str,
    actor: str,
    reason: str | None,
    changes: dict | None,
    geom_ewkt: str | None,
    at: datetime,
) -> dict:
    return {
        "poi_id": poi_id,
        "version": values["version"],
        "operation": operation,
        "changed_at": at,
        "changed_by": actor,
        "reason": reason,
        "attributes": snapshot(values),
        "changes": changes,
        "geom": geom_ewkt,
    }


def create_poi(
    conn: Connection,
    ws: Workspace,
    draft: PoiDraft,
    actor: str,
    reason: str | None = None,
    operation: str = "create",
) -> PoiRef:
    """Store a new POI: grid from its position, identifier allocated, history version 1;
    :class:`ValidationFailed` names every rule broken."""
    values = draft.values()
    values["initial_date"] = values["initial_date"] or office_today(ws)
    problems = check_poi_values(values) + geometry_problems(draft.geom)
    cat = category_problem(poi_categories(conn, ws), draft.category_code)
    problems += [cat] if cat else []
    grid = find_grid(conn, ws, draft.geom) if not problems else None
    if grid is None and not problems:
        problems.append(
            Problem(
                "no_grid",
                "geom",
                tr("Census", "The position is in no unit grid of this workspace."),
            )
        )
    if problems:
        raise ValidationFailed(problems)
    assert grid is not None and draft.geom is not None
    identifier = allocate_poi_identifiers(conn, grid.county, draft.category_code)[0]
    row = poi_row(draft, ws, identifier, grid)
    now, ewkt = _now(), to_ewkt(draft.geom, ws.srid)
    t = ws.schema.pois
    pid = conn.execute(
        t.insert().values(**row, updated_at=now, updated_by=actor, geom=ewkt).returning(t.c.id)
    ).scalar_one()
    conn.execute(
        ws.schema.poi_history.insert(),
        history_row(pid, row, operation, actor, reason, None, ewkt, now),
    )
    audit(conn, ws.schema, actor, "poi." + operation, "pois", pid, {"identifier": identifier})
    return PoiRef(pid, identifier, grid.code, 1)


def get_poi(conn: Connection, ws: Workspace, poi_id: int, lock: bool = False) -> PoiRecord:
    t = ws.schema.pois
    q = select(t).where(t.c.id == poi_id)
    if lock and ws.is_postgres:
        q = q.with_for_update()
    row = conn.execute(q).mappings().first()
    if row is None:
        raise NotFound(poi_id)
    attrs = {k: row[k] for k in row if k != "geom"}
    return PoiRecord(row["id"], attrs, from_db(row["geom"]), row["version"])


def poi_diff(attrs: dict[str, Any], changes: dict[str, Any]) -> tuple[dict, dict]:
    """The values after ``changes`` and ``{field: [old, new]}`` of what differs."""
    new_values, diff = dict(attrs), {}
    for f, v in changes.items():
        if f == "geom":
            continue
        if isinstance(v, str):
            v = v.strip() or (None if f not in ("name",) else "")
        if v != attrs.get(f):
            diff[f] = [_json(attrs.get(f)), _json(v)]
            new_values[f] = v
    return new_values, diff


def _move(
    current: PoiRecord, geom: BaseGeometry, grid: GridRef | None, new_values: dict, diff: dict
) -> list[Problem]:
    """Record a move (distance, grid fields); refused into no grid or another county."""
    problems = geometry_problems(geom)
    if problems:
        return problems
    if grid is None:
        return [
            Problem(
                "no_grid",
                "geom",
                tr("Census", "The position is in no unit grid of this workspace."),
            )
        ]
    ident = current.attributes["identifier"]
    if grid.county != ident[:6]:
        return [
            Problem(
                "county_change",
                "geom",
                tr(
                    "Census",
                    "The new position is in county {0}; point of interest {1} belongs to "
                    "county {2}: retire it and place a new one there.",
                ).format(grid.county, ident, ident[:6]),
            )
        ]
    moved = current.geom.distance(geom) if current.geom is not None else None
    diff["geom"] = [None, round(moved, 3) if moved is not None else None]
    for f, v in zip(
        _GRID_FIELDS,
        (grid.code, grid.street_code, grid.street_name, grid.community_code, grid.community_name),
    ):
        if v != current.attributes.get(f):
            diff[f] = [current.attributes.get(f), v]
            new_values[f] = v
    return []


def operation_of(diff: dict, new_values: dict) -> str:
    if not set(diff) - {"geom", *_GRID_FIELDS}:
        return "move"
    if set(diff) == {"status"}:
        return "retire" if new_values["status"] in POI_RETIRED else "status"
    return "update"


def update_poi(
    conn: Connection,
    ws: Workspace,
    poi_id: int,
    changes: dict[str, Any],
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
    operation: str | None = None,
) -> PoiRef:
    """Change attributes and/or the position (``changes["geom"]``) of a POI: version + 1,
    change date, history ``{field: [old, new]}``; a retired POI changes its status first."""
    current = get_poi(conn, ws, poi_id, lock=True)
    attrs = current.attributes
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(poi_id, expected_version, current.version, attrs.get("updated_by"))
    bad = set(changes) - set(POI_EDITABLE) - {"geom"}
    if bad:
        raise ValidationFailed(
            [
                Problem(
                    "identifier",
                    f,
                    tr("Census", "{0} of a point of interest cannot be changed.").format(
                        field_label(f, "pois")
                    ),
                )
                for f in sorted(bad)
            ]
        )
    new_values, diff = poi_diff(attrs, changes)
    new_geom = changes.get("geom")
    problems: list[Problem] = []
    if new_geom is not None and not (
        current.geom is not None and shapely.equals_exact(new_geom, current.geom, 1e-6)
    ):
        problems += _move(current, new_geom, find_grid(conn, ws, new_geom), new_values, diff)
    else:
        new_geom = None
    if not diff and not problems:
        return PoiRef(poi_id, attrs["identifier"], attrs["grid_code"], current.version)
    if attrs["status"] in POI_RETIRED and "status" not in diff:
        problems.append(
            Problem(
                "retired",
                "status",
                tr(
                    "Census", "Point of interest {0} is gone ({1}); restore its status first."
                ).format(attrs["identifier"], attrs["status"]),
            )
        )
    today = office_today(ws)
    initial = new_values.get("initial_date")
    new_values["change_date"] = max(today, initial) if isinstance(initial, date) else today
    problems += check_poi_values(new_values)
    if problems:
        raise ValidationFailed(problems)
    return _write(
        conn,
        ws,
        current,
        new_values,
        diff,
        new_geom,
        operation or operation_of(diff, new_values),
        actor,
        reason,
    )


def _write(conn, ws, current, new_values, diff, new_geom, operation, actor, reason) -> PoiRef:
    t = ws.schema.pois
    now, version = _now(), current.version + 1
    upd = {f: new_values[f] for f in diff if f != "geom"}
    upd.update(
        change_date=new_values["change_date"], version=version, updated_at=now, updated_by=actor
    )
    geom = new_geom if new_geom is not None else current.geom
    ewkt = to_ewkt(geom, ws.srid) if geom is not None else None
    if new_geom is not None:
        upd["geom"] = ewkt
    res = conn.execute(
        t.update().where(t.c.id == current.id, t.c.version == current.version).values(**upd)
    )
    if res.rowcount != 1:
        raise VersionConflict(current.id, current.version, None, None)
    new_values["version"] = version
    conn.execute(
        ws.schema.poi_history.insert(),
        history_row(current.id, new_values, operation, actor, reason, diff, ewkt, now),
    )
    ident = current.attributes["identifier"]
    audit(
        conn,
        ws.schema,
        actor,
        "poi." + operation,
        "pois",
        current.id,
        {"identifier": ident, "version": version, "fields": sorted(diff)},
    )
    return PoiRef(current.id, ident, new_values["grid_code"], version)


def retire_poi(
    conn: Connection,
    ws: Workspace,
    poi_id: int,
    actor: str,
    reason: str,
    expected_version: int | None = None,
) -> PoiRef:
    """The POI is gone (status 移除); the row and its history stay."""
    return update_poi(
        conn, ws, poi_id, {"status": "移除"}, actor, reason, expected_version, "retire"
    )


def poi_history(conn: Connection, ws: Workspace, poi_id: int) -> list[dict[str, Any]]:
    """Versions of a POI, oldest first (as :func:`.components.component_history`)."""
    h = ws.schema.poi_history
    rows = conn.execute(select(h).where(h.c.poi_id == poi_id).order_by(h.c.version)).mappings()
    return [{**{k: r[k] for k in r if k != "geom"}, "geom": from_db(r["geom"])} for r in rows]


def pois_near(
    conn: Connection,
    ws: Workspace,
    geom: BaseGeometry,
    tolerance: float,
    include_retired: bool = False,
    limit: int = 20,
) -> list[tuple[int, float]]:
    """(id, distance) of the POIs within ``tolerance`` metres of ``geom``, nearest first."""
    t = ws.schema.pois
    pt = geom if geom.geom_type == "Point" else geom.representative_point()
    dist = func.ST_Distance(t.c.geom, func.ST_GeomFromText(pt.wkt, ws.srid)).label("dist")
    box = (pt.x - tolerance, pt.y - tolerance, pt.x + tolerance, pt.y + tolerance)
    q = select(t.c.id, dist).where(within_box(ws, t, box))
    if not include_retired:
        q = q.where(t.c.status.notin_(POI_RETIRED))
    found = [
        (r.id, float(r.dist)) for r in conn.execute(q) if r.dist is not None and r.dist <= tolerance
    ]
    return sorted(found, key=lambda x: x[1])[:limit]
