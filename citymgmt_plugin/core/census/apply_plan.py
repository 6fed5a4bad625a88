"""What applying each accepted reconciliation item writes, worked out before anything is
written: the rows of new components (identifiers reserved and allocated per county and class
at once) and the new state of changed, moved and retired ones (checked against the version
the reconciliation saw, with their history versions and audit rows).

The rules are those of placing and updating one component (:mod:`.components`): the same
checks, the same history snapshot and change list, the same operation names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ARRAY, Connection, Integer, any_, bindparam, select

from ..codes import id_schemes
from ..i18n import tr
from ..workspace.schema.census import RETIRED_STATUSES
from ..workspace.store import Workspace
from .apply_write import GRID_FIELDS, chunks
from .components import (
    ComponentRecord,
    _attribute_diff,
    _operation_of,
    _retired_problem,
    office_today,
)
from .errors import CensusError, Problem, ValidationFailed, VersionConflict
from .geo import GridRef, anchors, from_db, to_ewkt
from .history import snapshot as _snapshot
from .identifiers import allocate_serials, reserve_identifier
from .reconcile import ReconItem
from .validation import (
    EDITABLE_FIELDS,
    ClassInfo,
    check_class,
    check_geometry,
    check_identifier,
    check_values,
)

BASELINE_OPERATION = "import"


@dataclass
class Creation:
    """A new component: its row (identifier allocated), geometry and grid."""

    item: ReconItem
    values: dict[str, Any]
    geom: BaseGeometry
    grid: GridRef


@dataclass
class Change:
    """A stored component's next version: the row as read, the values after the change, what
    changed (``{field: [old, new]}``), the new geometry (None: unchanged), the operation
    the history names and what the apply counts it as."""

    item: ReconItem
    current: ComponentRecord
    new_values: dict[str, Any]
    diff: dict[str, list[Any]]
    new_geom: BaseGeometry | None
    operation: str
    outcome: str

    @property
    def version(self) -> int:
        return self.current.version + 1


def load_current(
    conn: Connection, ws: Workspace, ids: list[int], geometry: bool = True
) -> dict[int, ComponentRecord]:
    """The stored rows of ``ids`` (locked for this transaction on PostGIS), by id; with their
    geometry when ``geometry`` (the PostGIS path has the server keep it)."""
    c = ws.schema.components
    cols = [col for col in c.c if col.name != "geom"]
    if geometry:
        cols.append(c.c.geom.ST_AsBinary().label("wkb"))
    out: dict[int, ComponentRecord] = {}
    for part in chunks(sorted(set(ids)), 5000):
        if ws.is_postgres:
            q = select(*cols).where(c.c.id == any_(bindparam("ids", type_=ARRAY(Integer))))
            rows = conn.execute(q.with_for_update(of=c), {"ids": list(part)})
        else:
            rows = conn.execute(select(*cols).where(c.c.id.in_(list(part))))
        keys = list(rows.keys())
        for r in rows:
            attrs = dict(zip(keys, r))
            geom = from_db(attrs.pop("wkb")) if geometry else None
            out[attrs["id"]] = ComponentRecord(attrs["id"], attrs, geom, attrs["version"])
    return out


def outcome_of(kind: str) -> str:
    """What applying an item of ``kind`` counts as."""
    return {"moved": "moved", "missing": "retired"}.get(kind, "updated")


def item_error(it: ReconItem, exc: Exception | str) -> CensusError:
    """Why an accepted item cannot be applied, naming the item."""
    from .reconcile import kind_label

    return CensusError(
        tr("Census", "Item {0} ({1}, row {2}) cannot be applied: {3}").format(
            it.seq, kind_label(it.kind), it.row_no or "-", exc
        )
    )


# -- changes -------------------------------------------------------------------------------


def _move_fields(current: ComponentRecord, grid: GridRef) -> dict[str, Any]:
    """The grid fields of a new position; refused when it is in another county."""
    ident = current.attributes["identifier"]
    if grid.county != ident[:6]:
        raise ValidationFailed(
            [
                Problem(
                    "county_change",
                    "geom",
                    tr(
                        "Census",
                        "The new position is in county {0}; identifier {1} belongs to "
                        "county {2}. Retire the component and place a new one there.",
                    ).format(grid.county, ident, ident[:6]),
                )
            ]
        )
    return dict(
        zip(
            GRID_FIELDS,
            (
                grid.code,
                grid.street_code,
                grid.street_name,
                grid.community_code,
                grid.community_name,
            ),
        )
    )


def move_facts(items: list[ReconItem]) -> dict[int, tuple[float | None, bool]]:
    """For moved items (by ``seq``): how far the component moves (between anchors, None
    when the stored one had no geometry) and whether the new geometry is valid; vectorised."""
    moved = [it for it in items if it.kind == "moved"]
    if not moved:
        return {}
    new = np.array([it.geom for it in moved], dtype=object)
    old = np.array([it.old_geom for it in moved], dtype=object)
    valid = shapely.is_valid(new)
    dist = np.full(len(moved), np.nan)
    has = ~shapely.is_missing(old)
    if has.any():
        dist[has] = shapely.distance(anchors(old[has]), anchors(new[has]))
    return {
        it.seq: (None if np.isnan(d) else float(d), bool(v)) for it, d, v in zip(moved, dist, valid)
    }


def _moved_diff(current: ComponentRecord, distance: float | None, grid: GridRef) -> dict:
    """``geom`` (the distance moved) and the grid fields that change with the position."""
    diff: dict[str, Any] = {"geom": [None, round(distance, 3) if distance is not None else None]}
    for f, v in _move_fields(current, grid).items():
        if v != current.attributes.get(f):
            diff[f] = [current.attributes.get(f), v]
    return diff


def _invalid_geometry() -> ValidationFailed:
    return ValidationFailed(
        [Problem("geometry_empty", "geom", tr("Census", "The geometry is not valid."))]
    )


def plan_change(
    it: ReconItem,
    current: ComponentRecord,
    changes: dict[str, Any],
    grid: GridRef | None,
    today: date,
    operation: str | None = None,
    move: tuple[float | None, bool] | None = None,
) -> Change | None:
    """The next version of ``current`` after ``changes`` (``geom`` among them for a move,
    with the ``grid`` it lies in and ``move``: its :func:`move_facts`); None when nothing
    would change."""
    if current.version != it.version:
        raise VersionConflict(
            current.id, it.version or 0, current.version, current.attributes.get("updated_by")
        )
    attrs = current.attributes
    new_values, diff = _attribute_diff(attrs, {k: v for k, v in changes.items() if k != "geom"})
    new_geom = changes.get("geom")
    if new_geom is not None and grid is not None and move is not None:
        distance, valid = move
        if not valid:
            raise _invalid_geometry()
        moved = _moved_diff(current, distance, grid)
        diff.update(moved)
        new_values.update({f: moved[f][1] for f in GRID_FIELDS if f in moved})
    if not diff:
        return None
    problems = [_retired_problem(attrs)] if attrs["status"] in RETIRED_STATUSES else []
    if "status" in diff:
        problems = []
    initial = new_values.get("initial_date")
    new_values["change_date"] = max(today, initial) if isinstance(initial, date) else today
    problems += check_values(new_values)
    if problems:
        raise ValidationFailed(problems)
    op = operation or _operation_of(diff, new_values)
    return Change(it, current, new_values, diff, new_geom, op, outcome_of(it.kind))


def change_row(ch: Change, ws: Workspace, actor: str, now: datetime) -> dict[str, Any]:
    """The UPDATE parameters of a change (see :func:`.apply_write.update_components`)."""
    from .apply_write import UPDATED

    row = {f: ch.new_values.get(f) for f in UPDATED}
    row.update(
        id=ch.current.id,
        old_version=ch.current.version,
        version=ch.version,
        updated_at=now,
        updated_by=actor,
        geom=to_ewkt(ch.new_geom, ws.srid) if ch.new_geom is not None else None,
    )
    return row


def change_history(ch: Change, ws: Workspace, actor: str, reason: str, now: datetime) -> dict:
    geom = ch.new_geom if ch.new_geom is not None else ch.current.geom
    return {
        "component_id": ch.current.id,
        "version": ch.version,
        "operation": ch.operation,
        "changed_at": now,
        "changed_by": actor,
        "reason": reason,
        "attributes": _snapshot({**ch.new_values, "version": ch.version}),
        "changes": ch.diff,
        "geom": to_ewkt(geom, ws.srid) if geom is not None else None,
    }


def change_audit(ch: Change, actor: str, now: datetime) -> dict[str, Any]:
    detail = {
        "identifier": ch.current.attributes["identifier"],
        "version": ch.version,
        "fields": sorted(ch.diff),
    }
    return _audit(actor, now, "census." + ch.operation, ch.current.id, detail)


def baseline_history(rec: ComponentRecord, ws: Workspace, now: datetime) -> dict[str, Any]:
    """The state of a component loaded without history, kept before its first change."""
    attrs = rec.attributes
    return {
        "component_id": rec.id,
        "version": rec.version,
        "operation": BASELINE_OPERATION,
        "changed_at": attrs.get("updated_at") or now,
        "changed_by": attrs.get("updated_by") or "?",
        "reason": tr("Census", "state before the first recorded change"),
        "attributes": _snapshot(attrs),
        "changes": None,
        "geom": to_ewkt(rec.geom, ws.srid) if rec.geom is not None else None,
    }


def _audit(actor: str, now: datetime, action: str, row_id: int, detail: dict) -> dict[str, Any]:
    return {
        "at": now,
        "actor": actor,
        "action": action,
        "table_name": "components",
        "row_id": row_id,
        "detail": detail,
    }


# -- creations -----------------------------------------------------------------------------


def taken_identifiers(conn: Connection, ws: Workspace, idents: list[str]) -> set[str]:
    c = ws.schema.components
    out: set[str] = set()
    for part in chunks(sorted(set(idents)), 1000):
        out.update(conn.execute(select(c.c.identifier).where(c.c.identifier.in_(part))).scalars())
    return out


def reserve_given(conn: Connection, ws: Workspace, scheme: str, idents: list[str]) -> None:
    """Move each county-and-class counter past the highest identifier the batch brings."""
    s = id_schemes()[scheme]
    highest: dict[tuple[str, str], str] = {}
    for ident in idents:
        key = (ident[: s.county_digits], ident[s.county_digits : s.county_digits + s.class_digits])
        highest[key] = max(highest.get(key, ident), ident)
    for ident in highest.values():
        reserve_identifier(conn, ws, ident, scheme)


def allocate(conn: Connection, ws: Workspace, scheme: str, wanted: list[tuple[str, str]]):
    """Identifiers for (county, class) pairs, in order: one counter update per pair."""
    s = id_schemes()[scheme]
    need: dict[tuple[str, str], int] = defaultdict(int)
    for key in wanted:
        need[key] += 1
    serials = {k: iter(allocate_serials(conn, ws, k[0], scheme, k[1], n)) for k, n in need.items()}
    return [s.compose(county, cls, next(serials[(county, cls)])) for county, cls in wanted]


def creation_problems(
    values: dict[str, Any], geom: BaseGeometry, info: ClassInfo | None, scheme: str, grid: GridRef
) -> list[Problem]:
    """What placing one new component refuses (class, values, geometry, identifier)."""
    problems = check_class(info, scheme, values["class_code"])
    problems += check_values(values) + check_geometry(info, geom)
    if values.get("identifier"):
        problems += check_identifier(values["identifier"], scheme, values["class_code"], grid.code)
    return problems


def creation_row(cr: Creation, scheme: str, actor: str, now: datetime, srid: int) -> dict:
    values = {k: cr.values.get(k) for k in EDITABLE_FIELDS}
    for k in ("owner_code", "owner_name", "maint_code", "maint_name", "note"):
        if isinstance(values.get(k), str) and not values[k].strip():
            values[k] = None
    values.update(
        identifier=cr.values["identifier"],
        scheme=scheme,
        class_code=cr.values["class_code"],
        grid_code=cr.grid.code,
        street_code=cr.grid.street_code,
        street_name=cr.grid.street_name,
        community_code=cr.grid.community_code,
        community_name=cr.grid.community_name,
        change_date=None,
        version=1,
        updated_at=now,
        updated_by=actor,
        geom=to_ewkt(cr.geom, srid),
    )
    return values


def creation_history(row: dict, cid: int, actor: str, reason: str, now: datetime) -> dict:
    return {
        "component_id": cid,
        "version": 1,
        "operation": "import",
        "changed_at": now,
        "changed_by": actor,
        "reason": reason,
        "attributes": _snapshot(row),
        "changes": None,
        "geom": row["geom"],
    }


def creation_audit(row: dict, cid: int, actor: str, now: datetime) -> dict[str, Any]:
    return _audit(actor, now, "census.import", cid, {"identifier": row["identifier"]})


def office_date(ws: Workspace) -> date:
    return office_today(ws)
