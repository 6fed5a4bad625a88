"""Apply the accepted items of a point-of-interest reconciliation, set-wise, in the caller's
transaction: new POIs inserted many rows per statement (identifiers allocated per county and
category at once), changed, moved and gone ones updated with ``executemany``, each with its
history version and audit row (the rules of :mod:`.pois`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Connection, select

from ..i18n import tr
from ..workspace.schema.census import POI_RETIRED
from ..workspace.store import Workspace, audit
from . import apply_write as write
from .apply_plan import item_error, outcome_of
from .errors import Problem, ValidationFailed, VersionConflict
from .geo import GridRef, from_db, to_ewkt
from .grids import grid_refs
from .poi_checks import check_poi_values, identifier_problems
from .poi_identifiers import allocate_poi_identifiers, reserve_poi_identifier
from .pois import POI_EDITABLE, PoiDraft, PoiRecord, history_row, operation_of, poi_diff, poi_row
from .reconcile import ACTIONABLE, Reconciliation, ReconItem

CREATING = ("new", "duplicate")
_GRID = ("grid_code", "street_code", "street_name", "community_code", "community_name")
_UPDATED = (*POI_EDITABLE, *_GRID, "change_date", "version", "updated_at", "updated_by")


def _office_today(ws: Workspace) -> date:
    from .components import office_today

    return office_today(ws)


def _load(conn: Connection, ws: Workspace, ids: list[int]) -> dict[int, PoiRecord]:
    t = ws.schema.pois
    cols = [c for c in t.c if c.name != "geom"] + [t.c.geom.ST_AsBinary().label("wkb")]
    out = {}
    for part in write.chunks(sorted(set(ids)), 900):
        q = select(*cols).where(t.c.id.in_(list(part)))
        if ws.is_postgres:
            q = q.with_for_update(of=t)
        result = conn.execute(q)
        keys = list(result.keys())
        for r in result:
            attrs = dict(zip(keys, r))
            geom = from_db(attrs.pop("wkb"))
            out[attrs["id"]] = PoiRecord(attrs["id"], attrs, geom, attrs["version"])
    return out


def _draft(it: ReconItem) -> PoiDraft:
    vals = {k: v for k, v in it.values.items() if k in POI_EDITABLE and v is not None}
    vals.setdefault("status", "正常")
    return PoiDraft(category_code=it.class_code, geom=it.geom, **vals)


def _identifiers(conn, ws, items: Sequence[ReconItem], refs: dict[str, GridRef], records):
    """The identifier of each new POI: its own (reserved) or allocated per county and
    category, one counter update each."""
    for it in items:
        if it.identifier:
            reserve_poi_identifier(conn, ws, it.identifier)
    want: dict[tuple[str, str], list[ReconItem]] = defaultdict(list)
    for it in items:
        if not it.identifier:
            want[(refs[records[it.row_no].grid_code].county, it.class_code)].append(it)
    out = {it.seq: it.identifier for it in items if it.identifier}
    for (county, category), group in want.items():
        for it, ident in zip(group, allocate_poi_identifiers(conn, county, category, len(group))):
            out[it.seq] = ident
    return out


def _create(a: dict, items: Sequence[ReconItem], now: datetime) -> int:
    conn, ws = a["conn"], a["ws"]
    if not items:
        return 0
    idents = _identifiers(conn, ws, items, a["refs"], a["records"])
    rows = []
    for it in items:
        grid = a["refs"][a["records"][it.row_no].grid_code]
        row = poi_row(_draft(it), ws, idents[it.seq], grid)
        problems = check_poi_values(row) + identifier_problems(
            row["identifier"], it.class_code, grid.code
        )
        if problems:
            raise item_error(it, ValidationFailed(problems))
        rows.append(
            {**row, "updated_at": now, "updated_by": a["actor"], "geom": to_ewkt(it.geom, ws.srid)}
        )
        it.applied = row["identifier"]
    t = ws.schema.pois
    ids = []
    for part in write.chunks(rows):
        ids += [
            r[0]
            for r in conn.execute(
                t.insert().returning(t.c.id, sort_by_parameter_order=True), list(part)
            )
        ]
    hist = [
        history_row(i, r, "import", a["actor"], a["reason"], None, r["geom"], now)
        for i, r in zip(ids, rows)
    ]
    write.insert_rows(conn, ws.schema.poi_history, hist)
    write.insert_rows(
        conn,
        ws.schema.audit_events,
        [
            _audit(a["actor"], now, "poi.import", i, {"identifier": r["identifier"]})
            for i, r in zip(ids, rows)
        ],
    )
    return len(rows)


def _audit(actor: str, now: datetime, action: str, row_id: int, detail: dict) -> dict:
    return {
        "at": now,
        "actor": actor,
        "action": action,
        "table_name": "pois",
        "row_id": row_id,
        "detail": detail,
    }


def _change_of(a: dict, it: ReconItem) -> dict[str, Any]:
    if it.kind == "missing":
        return {"status": a["missing_status"]}
    changes = {f: it.values.get(f) for f in it.changes}
    if it.kind == "moved":
        changes["geom"] = it.geom
    return changes


def _plan(a: dict, it: ReconItem, cur: PoiRecord) -> tuple[dict, dict, Any] | None:
    """(new values, diff, new geometry) of one change; None when nothing changes."""
    if cur.version != it.version:
        raise VersionConflict(
            cur.id, it.version or 0, cur.version, cur.attributes.get("updated_by")
        )
    changes = _change_of(a, it)
    new_values, diff = poi_diff(cur.attributes, changes)
    geom = changes.get("geom")
    if geom is not None:
        grid = a["refs"][a["records"][it.row_no].grid_code]
        if grid.county != cur.attributes["identifier"][:6]:
            raise item_error(
                it, tr("Census", "The new position is in county {0}.").format(grid.county)
            )
        diff["geom"] = [None, round(cur.geom.distance(geom), 3) if cur.geom else None]
        for f, v in zip(
            _GRID,
            (
                grid.code,
                grid.street_code,
                grid.street_name,
                grid.community_code,
                grid.community_name,
            ),
        ):
            if v != cur.attributes.get(f):
                diff[f], new_values[f] = [cur.attributes.get(f), v], v
    if not diff:
        return None
    problems = check_poi_values(new_values)
    if cur.attributes["status"] in POI_RETIRED and "status" not in diff:
        problems.append(Problem("retired", "status", cur.attributes["status"]))
    if problems:
        raise item_error(it, ValidationFailed(problems))
    initial = new_values.get("initial_date")
    new_values["change_date"] = (
        max(a["today"], initial) if isinstance(initial, date) else a["today"]
    )
    return new_values, diff, geom


def _change(a: dict, items: Sequence[ReconItem], now: datetime, result: Any) -> None:
    conn, ws = a["conn"], a["ws"]
    rows, hist, aud = [], [], []
    for it in items:
        cur = a["current"].get(it.component_id)
        if cur is None:
            raise VersionConflict(it.component_id, it.version or 0, None, None)
        planned = _plan(a, it, cur)
        it.applied = cur.attributes["identifier"]
        result.count(outcome_of(it.kind))
        if planned is None:
            continue
        new_values, diff, geom = planned
        version = cur.version + 1
        new_values.update(version=version, updated_at=now, updated_by=a["actor"])
        ewkt = to_ewkt(geom if geom is not None else cur.geom, ws.srid)
        rows.append(
            {
                **{f: new_values.get(f) for f in _UPDATED},
                "id": cur.id,
                "old_version": cur.version,
                "geom": ewkt if geom is not None else None,
            }
        )
        op = (
            "retire"
            if it.kind == "missing" and a["missing_status"] in POI_RETIRED
            else operation_of(diff, new_values)
        )
        hist.append(history_row(cur.id, new_values, op, a["actor"], a["reason"], diff, ewkt, now))
        aud.append(
            _audit(
                a["actor"],
                now,
                "poi." + op,
                cur.id,
                {
                    "identifier": cur.attributes["identifier"],
                    "version": version,
                    "fields": sorted(diff),
                },
            )
        )
    if write.update_rows(conn, ws.schema.pois, rows, _UPDATED) != len(rows):
        write.raise_conflict(conn, ws, rows, ws.schema.pois)
    write.insert_rows(conn, ws.schema.poi_history, hist)
    write.insert_rows(conn, ws.schema.audit_events, aud)


def apply_pois(
    conn: Connection,
    ws: Workspace,
    recon: Reconciliation,
    actor: str,
    reason: str,
    missing_status: str = "移除",
    progress: Callable[[int, int], bool] | None = None,
    chunk: int = 2000,
    stop: Callable[[Callable | None, int, int], None] | None = None,
) -> Any:
    """Apply the accepted items of a POI reconciliation (see :func:`.reconcile_apply.
    apply_reconciliation`, which calls this for a POI batch)."""
    from .reconcile_apply import ApplyResult

    result = ApplyResult()
    accepted = [i for i in recon.accepted() if i.kind in ACTIONABLE]
    result.skipped = sum(1 for i in recon.items if i.kind in ACTIONABLE) - len(accepted)
    records = {r.row_no: r for r in recon.batch.records}
    need = {records[i.row_no].grid_code for i in accepted if i.kind in (*CREATING, "moved")}
    ids = [i.component_id for i in accepted if i.kind not in CREATING]
    a = {
        "conn": conn,
        "ws": ws,
        "actor": actor,
        "reason": reason,
        "records": records,
        "refs": grid_refs(conn, ws, need) if need else {},
        "current": _load(conn, ws, ids),
        "today": _office_today(ws),
        "missing_status": missing_status if missing_status in ("正常", "停业", "移除") else "移除",
    }
    for done in range(0, len(accepted), chunk):
        if stop is not None:
            stop(progress, done, len(accepted))
        part = accepted[done : done + chunk]
        now = datetime.now(timezone.utc)
        result.count("created", _create(a, [i for i in part if i.kind in CREATING], now))
        _change(a, [i for i in part if i.kind not in CREATING], now, result)
    if progress is not None:
        progress(len(accepted), len(accepted))
    audit(
        conn,
        ws.schema,
        actor,
        "poi.reconcile",
        None,
        None,
        {"source": recon.batch.source, "counts": recon.counts(), "applied": result.as_dict()},
    )
    return result
