"""Place, change, move and retire components, each with a history version.

Every function takes the caller's connection, so intake/review, reconciliation and the GUI
compose one transaction (``with census.write_transaction(ws) as conn: …``) and add their own
audit or decision rows to it. Nothing here ever deletes a component.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, func, select

from ..i18n import tr
from ..workspace.schema.census import ACCURACY_TOLERANCE_M, RETIRED_STATUSES
from ..workspace.store import Workspace
from . import history
from .errors import NotFound, Problem, ValidationFailed, VersionConflict
from .geo import MAX_TOLERANCE_M, GridRef, anchor, from_db, to_ewkt
from .grids import find_grid, within_box
from .history import json_value
from .identifiers import allocate_identifier, reserve_identifier
from .validation import (
    EDITABLE_FIELDS,
    check_class,
    check_geometry,
    check_identifier,
    check_values,
    get_class,
    no_grid_problem,
)


@dataclass
class ComponentDraft:
    """A component to be stored; identifier and grid are derived when not given."""

    class_code: str
    geom: BaseGeometry | None
    name: str = ""
    dept_code: str = ""
    dept_name: str = ""
    owner_code: str | None = None
    owner_name: str | None = None
    maint_code: str | None = None
    maint_name: str | None = None
    status: str = "完好"
    initial_date: date | None = None  # default: today in the office zone
    data_source: str = "实测"
    accuracy_class: str = "B"
    note: str | None = None
    scheme: str | None = None  # default: the workspace scheme
    identifier: str | None = None  # default: allocated
    grid_code: str | None = None  # default: from the position

    def values(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("geom")
        return d


@dataclass(frozen=True)
class ComponentRef:
    id: int
    identifier: str
    grid_code: str
    version: int


@dataclass(frozen=True)
class Candidate:
    id: int
    identifier: str
    class_code: str
    name: str
    status: str
    version: int
    distance: float
    geom: BaseGeometry | None = None


@dataclass
class ComponentRecord:
    """A stored component as read: attributes, geometry, version."""

    id: int
    attributes: dict[str, Any]
    geom: BaseGeometry | None
    version: int = field(default=1)

    def __getitem__(self, key: str) -> Any:
        return self.attributes[key]


def office_today(ws: Workspace) -> date:
    return datetime.now(ZoneInfo(ws.setting("timezone", "Asia/Shanghai"))).date()


def _grid_problem_or(
    conn: Connection, ws: Workspace, geom: BaseGeometry | None, grid: GridRef | None
) -> tuple[GridRef | None, list[Problem]]:
    if grid is not None:
        return grid, []
    if geom is None or geom.is_empty:
        return None, []
    found = find_grid(conn, ws, geom)
    return found, ([] if found else [no_grid_problem()])


def validate_draft(
    conn: Connection, ws: Workspace, draft: ComponentDraft
) -> tuple[list[Problem], GridRef | None]:
    """Every problem with ``draft`` (class, mandatory, domains, geometry, grid, identifier)."""
    scheme = draft.scheme or ws.setting("component_scheme", "legacy16")
    info = get_class(conn, ws, scheme, draft.class_code)
    values = draft.values()
    if values["initial_date"] is None:
        values["initial_date"] = office_today(ws)
    problems = check_class(info, scheme, draft.class_code)
    problems += check_values(values)
    problems += check_geometry(info, draft.geom)
    grid = None
    if not any(p.rule == "geometry_empty" for p in problems):
        grid, grid_problems = _grid_problem_or(conn, ws, draft.geom, None)
        problems += grid_problems
        if grid is not None and draft.grid_code and draft.grid_code != grid.code:
            problems.append(
                Problem(
                    "no_grid",
                    "grid_code",
                    tr("Census", "Grid {0} was given but the position is in grid {1}.").format(
                        draft.grid_code, grid.code
                    ),
                )
            )
    if draft.identifier:
        problems += check_identifier(
            draft.identifier, scheme, draft.class_code, grid.code if grid else None
        )
        c = ws.schema.components
        if (
            not problems
            and conn.execute(select(c.c.id).where(c.c.identifier == draft.identifier)).first()
        ):
            problems.append(
                Problem(
                    "identifier_taken",
                    "identifier",
                    tr("Census", "Identifier {0} is already used.").format(draft.identifier),
                )
            )
    return problems, grid


def _create_problems(
    conn: Connection, ws: Workspace, draft: ComponentDraft, scheme: str, grid: GridRef | None
) -> tuple[list[Problem], GridRef | None]:
    """Every rule ``draft`` breaks; the grid is looked up unless the caller knows it."""
    if grid is None:
        return validate_draft(conn, ws, draft)
    info = get_class(conn, ws, scheme, draft.class_code)
    values = draft.values()
    values["initial_date"] = values["initial_date"] or office_today(ws)
    problems = check_class(info, scheme, draft.class_code) + check_values(values)
    problems += check_geometry(info, draft.geom)
    if draft.identifier:
        problems += check_identifier(draft.identifier, scheme, draft.class_code, grid.code)
    return problems, grid


def _new_values(
    ws: Workspace, draft: ComponentDraft, identifier: str, scheme: str, grid: GridRef
) -> dict[str, Any]:
    """The stored attributes of a new component (version 1, blanks as NULL)."""
    values = draft.values()
    values.update(
        identifier=identifier,
        scheme=scheme,
        grid_code=grid.code,
        street_code=grid.street_code,
        street_name=grid.street_name,
        community_code=grid.community_code,
        community_name=grid.community_name,
        initial_date=draft.initial_date or office_today(ws),
        change_date=None,
        version=1,
    )
    for k in ("owner_code", "owner_name", "maint_code", "maint_name", "note"):
        if isinstance(values.get(k), str) and not values[k].strip():
            values[k] = None
    return values


def create_component(
    conn: Connection,
    ws: Workspace,
    draft: ComponentDraft,
    actor: str,
    reason: str | None = None,
    operation: str = "create",
    grid: GridRef | None = None,
) -> ComponentRef:
    """Store a new component: grid from its position, identifier allocated (or the given one
    reserved), history version 1. Raises :class:`ValidationFailed` naming every rule broken.
    ``grid`` may be passed by callers that already looked it up (bulk import)."""
    scheme = draft.scheme or ws.setting("component_scheme", "legacy16")
    problems, grid = _create_problems(conn, ws, draft, scheme, grid)
    if problems:
        raise ValidationFailed(problems)
    assert grid is not None and draft.geom is not None
    if draft.identifier:
        identifier = draft.identifier
        reserve_identifier(conn, ws, identifier, scheme)
    else:
        identifier = allocate_identifier(conn, ws, grid.county, scheme, draft.class_code)
    at = history.now()
    values = _new_values(ws, draft, identifier, scheme, grid)
    c = ws.schema.components
    ewkt = to_ewkt(draft.geom, ws.srid)
    if history.kept_by_database(ws):
        history.name_change(conn, operation, reason, actor)
    cid = conn.execute(
        c.insert().values(**values, updated_at=at, updated_by=actor, geom=ewkt).returning(c.c.id)
    ).scalar_one()
    if not history.kept_by_database(ws):
        history.record_create(conn, ws, cid, values, ewkt, actor, operation, reason, at)
    return ComponentRef(cid, identifier, grid.code, 1)


def get_component(
    conn: Connection, ws: Workspace, component_id: int, lock: bool = False
) -> ComponentRecord:
    c = ws.schema.components
    q = select(c).where(c.c.id == component_id)
    if lock and ws.is_postgres:
        q = q.with_for_update()
    row = conn.execute(q).mappings().first()
    if row is None:
        raise NotFound(component_id)
    attrs = {k: row[k] for k in row if k != "geom"}
    return ComponentRecord(row["id"], attrs, from_db(row["geom"]), row["version"])


def find_by_identifier(conn: Connection, ws: Workspace, identifier: str) -> ComponentRecord | None:
    c = ws.schema.components
    cid = conn.execute(select(c.c.id).where(c.c.identifier == identifier)).scalar()
    return None if cid is None else get_component(conn, ws, cid)


def _normalise(field_name: str, v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip()
        if not v and field_name not in ("name", "dept_code", "dept_name"):
            return None
    return v


def _same_geom(a: BaseGeometry | None, b: BaseGeometry | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(shapely.equals_exact(a, b, tolerance=1e-6))


_GRID_FIELDS = ("grid_code", "street_code", "street_name", "community_code", "community_name")


def _refuse_fixed_fields(changes: dict[str, Any]) -> None:
    """Class and identifier (and anything not editable) cannot change: retire and place anew."""
    bad = set(changes) - set(EDITABLE_FIELDS) - {"geom"}
    if bad:
        raise ValidationFailed(
            [
                Problem(
                    "identifier",
                    f,
                    tr(
                        "Census", "{0} cannot be changed: retire the component and place a new one."
                    ).format(f),
                )
                for f in sorted(bad)
            ]
        )


def _attribute_diff(
    attrs: dict[str, Any], changes: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The values after ``changes`` and ``{field: [old, new]}`` of the attributes that differ."""
    new_values = dict(attrs)
    diff: dict[str, list[Any]] = {}
    for f, v in changes.items():
        if f == "geom":
            continue
        v = _normalise(f, v)
        if v != attrs.get(f):
            diff[f] = [json_value(attrs.get(f)), json_value(v)]
            new_values[f] = v
    return new_values, diff


def _new_position_grid(
    conn: Connection, ws: Workspace, attrs: dict[str, Any], geom: BaseGeometry | None
) -> tuple[GridRef | None, list[Problem]]:
    """The unit grid of a new position, and why the position cannot be taken (kind of
    geometry, outside every grid, another county than the identifier's)."""
    info = get_class(conn, ws, attrs["scheme"], attrs["class_code"])
    problems = check_geometry(info, geom)
    if problems:
        return None, problems
    grid = find_grid(conn, ws, geom)
    if grid is None:
        return None, [no_grid_problem()]
    if grid.county != attrs["identifier"][:6]:
        problems.append(
            Problem(
                "county_change",
                "geom",
                tr(
                    "Census",
                    "The new position is in county {0}; identifier {1} belongs to "
                    "county {2}. Retire the component and place a new one there.",
                ).format(grid.county, attrs["identifier"], attrs["identifier"][:6]),
            )
        )
    return grid, problems


def _move_diff(
    current: ComponentRecord,
    new_geom: BaseGeometry | None,
    grid: GridRef | None,
    new_values: dict[str, Any],
    diff: dict[str, list[Any]],
) -> None:
    """Record a move in ``diff`` (``geom``: the distance moved) and the grid fields that
    change with it in ``diff`` and ``new_values``."""
    if current.geom is not None and new_geom is not None:
        moved = float(anchor(current.geom).distance(anchor(new_geom)))
    else:
        moved = None
    diff["geom"] = [None, round(moved, 3) if moved is not None else None]
    if grid is None:
        return
    attrs = current.attributes
    for f, v in zip(
        _GRID_FIELDS,
        (grid.code, grid.street_code, grid.street_name, grid.community_code, grid.community_name),
    ):
        if v != attrs.get(f):
            diff[f] = [attrs.get(f), v]
            new_values[f] = v


def _retired_problem(attrs: dict[str, Any]) -> Problem:
    return Problem(
        "retired",
        "status",
        tr("Census", "Component {0} is retired ({1}); restore its status first.").format(
            attrs["identifier"], attrs["status"]
        ),
    )


def _operation_of(diff: dict[str, list[Any]], new_values: dict[str, Any]) -> str:
    """move (only the position and what follows it), retire / status, or update."""
    if set(diff) - {"geom", *_GRID_FIELDS} == set():
        return "move"
    if set(diff) == {"status"}:
        return "retire" if new_values["status"] in RETIRED_STATUSES else "status"
    return "update"


def _write_version(
    conn: Connection,
    ws: Workspace,
    current: ComponentRecord,
    new_values: dict[str, Any],
    diff: dict[str, list[Any]],
    new_geom: BaseGeometry | None,
    operation: str,
    actor: str,
    reason: str | None,
    has_baseline: bool | None = None,
) -> int:
    """The component row updated (only if still at the version read), its history version
    and audit row written - by the database's triggers on PostGIS (told the operation, reason
    and person), here in a GeoPackage (after a baseline row when there is none); returns the
    new version."""
    by_database = history.kept_by_database(ws)
    if by_database:
        history.name_change(conn, operation, reason, actor)
    else:
        history.ensure_baseline(conn, ws, current.id, current.attributes, current.geom,
                                has_baseline)  # fmt: skip
    now = history.now()
    version = current.version + 1
    c = ws.schema.components
    upd = {f: new_values[f] for f in diff if f != "geom"}
    upd.update(
        change_date=new_values["change_date"], version=version, updated_at=now, updated_by=actor
    )
    geom_ewkt = to_ewkt(new_geom, ws.srid) if new_geom is not None else None
    if "geom" in diff:
        upd["geom"] = geom_ewkt
    res = conn.execute(
        c.update().where(c.c.id == current.id, c.c.version == current.version).values(**upd)
    )
    if res.rowcount != 1:  # GeoPackage: a writer slipped in between read and write
        raise VersionConflict(current.id, current.version, None, None)
    new_values["version"] = version
    if not by_database:
        history.record_update(conn, ws, current.id, new_values, diff, geom_ewkt, actor, operation,
                              reason, now)  # fmt: skip
    return version


def update_component(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    changes: dict[str, Any],
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
    operation: str | None = None,
    has_baseline: bool | None = None,
) -> ComponentRef:
    """Change attributes and/or geometry (``changes["geom"]``) of a component.

    Sets the change date, bumps ``version`` (refused with :class:`VersionConflict` when
    ``expected_version`` is not the stored one) and writes a history version with
    ``{field: [old, new]}``. A new position re-assigns the unit grid (same county only: the
    identifier is permanent). Class and identifier cannot change: retire and place anew.
    ``has_baseline``: whether a history row of the stored version exists, when the caller
    already knows (bulk work asks once for all); None looks it up.
    On PostGIS the version, history and audit rows are written by the database's triggers.
    """
    current = get_component(conn, ws, component_id, lock=True)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(
            component_id, expected_version, current.version, current.attributes.get("updated_by")
        )
    attrs = current.attributes
    _refuse_fixed_fields(changes)
    new_values, diff = _attribute_diff(attrs, changes)
    new_geom = current.geom
    problems: list[Problem] = []
    if "geom" in changes and not _same_geom(changes["geom"], current.geom):
        new_geom = changes["geom"]
        grid, problems = _new_position_grid(conn, ws, attrs, new_geom)
        _move_diff(current, new_geom, grid, new_values, diff)
    if not diff:
        return ComponentRef(component_id, attrs["identifier"], attrs["grid_code"], current.version)
    if attrs["status"] in RETIRED_STATUSES and "status" not in diff:
        problems.append(_retired_problem(attrs))
    today = office_today(ws)
    new_values["change_date"] = (
        max(today, new_values["initial_date"]) if new_values.get("initial_date") else today
    )
    problems += check_values(new_values)
    if problems:
        raise ValidationFailed(problems)
    if expected_version is None or current.version != expected_version:
        has_baseline = None  # what the caller knew was about another version
    if operation is None:
        operation = _operation_of(diff, new_values)
    version = _write_version(
        conn, ws, current, new_values, diff, new_geom, operation, actor, reason, has_baseline
    )
    return ComponentRef(component_id, attrs["identifier"], new_values["grid_code"], version)


def move_component(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    geom: BaseGeometry,
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> ComponentRef:
    return update_component(
        conn, ws, component_id, {"geom": geom}, actor, reason, expected_version, operation=None
    )


def set_status(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    status: str,
    actor: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> ComponentRef:
    return update_component(
        conn, ws, component_id, {"status": status}, actor, reason, expected_version
    )


def retire_component(
    conn: Connection,
    ws: Workspace,
    component_id: int,
    actor: str,
    reason: str,
    status: str = "移除",
    expected_version: int | None = None,
) -> ComponentRef:
    """Retire (status 移除 or 废弃); the row and its history stay."""
    if status not in RETIRED_STATUSES:
        raise ValidationFailed(
            [
                Problem(
                    "domain",
                    "status",
                    tr("Census", "Retiring sets status {0}, not {1}.").format(
                        "、".join(RETIRED_STATUSES), status
                    ),
                )
            ]
        )
    return update_component(
        conn, ws, component_id, {"status": status}, actor, reason, expected_version, "retire"
    )


def component_history(conn: Connection, ws: Workspace, component_id: int) -> list[dict[str, Any]]:
    """Versions of a component, oldest first: version, operation, who, when, why, changes,
    the full attribute snapshot and the geometry of that version (shapely)."""
    h = ws.schema.component_history
    rows = conn.execute(
        select(h).where(h.c.component_id == component_id).order_by(h.c.version)
    ).mappings()
    out = []
    for r in rows:
        d = {k: r[k] for k in r if k != "geom"}
        d["geom"] = from_db(r["geom"])
        out.append(d)
    return out


def candidates_near(
    conn: Connection,
    ws: Workspace,
    geom: BaseGeometry,
    class_code: str | None = None,
    tolerance: float | None = None,
    include_retired: bool = False,
    limit: int = 20,
) -> list[Candidate]:
    """Stored components within ``tolerance`` metres (default: the widest accuracy class),
    nearest first; of ``class_code`` when given. For matching a report to the inventory."""
    tol = MAX_TOLERANCE_M if tolerance is None else float(tolerance)
    c = ws.schema.components
    pt = anchor(geom)
    dist = func.ST_Distance(c.c.geom, func.ST_GeomFromText(pt.wkt, ws.srid)).label("dist")
    q = select(
        c.c.id,
        c.c.identifier,
        c.c.class_code,
        c.c.name,
        c.c.status,
        c.c.version,
        dist,
        func.ST_AsBinary(c.c.geom).label("wkb"),
    ).where(within_box(ws, c, (pt.x - tol, pt.y - tol, pt.x + tol, pt.y + tol)))
    if class_code:
        q = q.where(c.c.class_code == class_code)
    if not include_retired:
        q = q.where(c.c.status.notin_(RETIRED_STATUSES))
    rows = [r for r in conn.execute(q) if r.dist is not None and r.dist <= tol]
    rows.sort(key=lambda r: (r.dist, r.identifier))
    return [
        Candidate(
            r.id,
            r.identifier,
            r.class_code,
            r.name,
            r.status,
            r.version,
            float(r.dist),
            from_db(r.wkb),
        )
        for r in rows[:limit]
    ]


def tolerance_of(accuracy_class: str | None) -> float:
    return ACCURACY_TOLERANCE_M.get(accuracy_class or "B", 1.0)
