"""Apply the items of a census reconciliation the editor accepted: one transaction, with history.

Every accepted item, its history version and audit row commit together or not at all. The
items are applied set-wise, a chunk of :data:`_PROGRESS_EVERY` items at a time: the stored
rows of the components to change are read (and locked) once, identifiers are reserved and
allocated per county and class at once, and each chunk's new components, updates, history
versions and audit rows go to the database many rows per statement
(:mod:`.apply_write`). New and duplicate records are placed, changed and moved ones
updated, missing components retired; the rules are those of placing or changing one
component (:mod:`.apply_plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from ..i18n import tr
from ..workspace.chunks import chunked
from ..workspace.schema.census import RETIRED_STATUSES
from ..workspace.store import Workspace, audit
from . import apply_plan as plan
from . import apply_postgis as postgis
from . import apply_write as write
from . import history
from .errors import CensusError, ValidationFailed, VersionConflict
from .geo import GridRef
from .grids import grid_refs
from .importer import BatchRecord
from .reconcile import ACTIONABLE, Reconciliation, ReconItem
from .validation import ClassInfo, class_table

__all__ = ["ACTIONABLE", "ApplyCancelled", "ApplyResult", "apply_reconciliation"]

CREATING = ("new", "duplicate")


def _history_versions(conn: Connection, ws: Workspace, ids: list[int]) -> set[tuple[int, int]]:
    """(component id, version) of the history rows of ``ids``: asked once for a whole
    apply instead of once per item."""
    h = ws.schema.component_history
    out: set[tuple[int, int]] = set()
    for chunk in chunked(ids):
        rows = conn.execute(
            select(h.c.component_id, h.c.version).where(h.c.component_id.in_(chunk))
        )
        out.update((r[0], r[1]) for r in rows)
    return out


class ApplyCancelled(CensusError):
    """The user stopped applying a reconciliation (the transaction must roll back)."""


# Items per chunk: written together, and between two progress reports.
_PROGRESS_EVERY = 2000


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    moved: int = 0
    retired: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(
            created=self.created,
            updated=self.updated,
            moved=self.moved,
            retired=self.retired,
            skipped=self.skipped,
        )

    def count(self, outcome: str, n: int = 1) -> None:
        """``n`` more items ``outcome`` (created, updated, moved or retired)."""
        setattr(self, outcome, getattr(self, outcome) + n)


@dataclass
class _Apply:
    """What applying one reconciliation needs beside the items: the open connection, who
    and why, the records by row, the grids of new and moved components, the stored rows of
    the components to change and which of them have a history row of the version the
    reconciliation saw (each read once for the batch)."""

    conn: Connection
    ws: Workspace
    recon: Reconciliation
    actor: str
    reason: str
    missing_status: str
    records: dict[int, BatchRecord]
    refs: dict[str, GridRef]
    current: dict[int, Any]
    baselines: set[tuple[int, int]]
    today: date
    result: ApplyResult
    _classes: dict[str, ClassInfo] | None = field(default=None, repr=False)

    @classmethod
    def prepare(
        cls,
        conn: Connection,
        ws: Workspace,
        recon: Reconciliation,
        accepted: list[ReconItem],
        result: ApplyResult,
        **who: str,
    ) -> _Apply:
        records = {r.row_no: r for r in recon.batch.records}
        need = {records[i.row_no].grid_code for i in accepted if i.kind in (*CREATING, "moved")}
        refs = grid_refs(conn, ws, need) if need else {}
        ids = [i.component_id for i in accepted if i.component_id and i.kind not in CREATING]
        current = plan.load_current(conn, ws, ids, geometry=not history.kept_by_database(ws))
        # the database finds the components without history itself (apply_postgis)
        baselines = set() if history.kept_by_database(ws) else _history_versions(conn, ws, ids)
        return cls(
            conn,
            ws,
            recon,
            records=records,
            refs=refs,
            current=current,
            baselines=baselines,
            today=plan.office_date(ws),
            result=result,
            **who,
        )

    def classes(self) -> dict[str, ClassInfo]:
        """The scheme's class table, read once if a new component needs it."""
        if self._classes is None:
            self._classes = class_table(self.conn, self.ws, self.recon.batch.scheme)
        return self._classes

    @property
    def scheme(self) -> str:
        return self.recon.batch.scheme


# -- new components ------------------------------------------------------------------------


def _reserve(a: _Apply, creating: list[ReconItem]) -> None:
    """Identifiers the batch brings: refused when stored meanwhile, else reserved, so no
    allocation in this apply hands one of them out again."""
    given = {it.identifier: it for it in creating if it.identifier}
    for ident in plan.taken_identifiers(a.conn, a.ws, list(given)):
        it = given[ident]
        raise plan.item_error(it, tr("Census", "Identifier {0} is already used.").format(ident))
    plan.reserve_given(a.conn, a.ws, a.scheme, list(given))


def _creation_values(a: _Apply, it: ReconItem) -> dict[str, Any]:
    """A new component's values: the item's (a duplicate kept as a separate component gets
    its class's name and status 完好 when the batch has none), dated today when undated."""
    vals = dict(it.values)
    if it.kind == "duplicate":
        info = a.classes().get(it.class_code)
        vals["name"] = vals.get("name") or (info.name if info else "")
        vals["status"] = vals.get("status") or "完好"
    vals["initial_date"] = vals.get("initial_date") or a.today
    for k, default in (("data_source", "实测"), ("accuracy_class", "B"), ("status", "完好")):
        vals[k] = vals.get(k) or default
    vals["class_code"] = it.class_code
    return vals


def _creations(a: _Apply, items: Sequence[ReconItem]) -> list[plan.Creation]:
    """The new components of one chunk, identifiers allocated, checked."""
    creations = []
    for it in items:
        vals = _creation_values(a, it)
        vals["identifier"] = it.identifier
        grid = a.refs[a.records[it.row_no].grid_code]
        creations.append(plan.Creation(it, vals, it.geom, grid))
    todo = [c for c in creations if not c.values["identifier"]]
    keys = [(c.grid.county, c.values["class_code"]) for c in todo]
    for c, ident in zip(todo, plan.allocate(a.conn, a.ws, a.scheme, keys)):
        c.values["identifier"] = ident
    for c in creations:
        info = a.classes().get(c.values["class_code"])
        problems = plan.creation_problems(c.values, c.geom, info, a.scheme, c.grid)
        if problems:
            raise plan.item_error(c.item, ValidationFailed(problems))
    return creations


def _create(a: _Apply, items: Sequence[ReconItem], now: datetime) -> None:
    """Place the new components of one chunk: rows inserted, their history version 1 and
    audit rows."""
    if not items:
        return
    creations = _creations(a, items)
    rows = [plan.creation_row(c, a.scheme, a.actor, now, a.ws.srid) for c in creations]
    for c, r in zip(creations, rows):
        c.item.applied = r["identifier"]
    a.result.count("created", len(creations))
    if history.kept_by_database(a.ws):
        for part in write.chunks(rows):
            postgis.write_created(a.conn, part, a.actor, a.reason)
        return
    ids = write.insert_components(a.conn, a.ws, rows)
    pairs = list(zip(rows, ids))
    s = a.ws.schema
    versions = [plan.creation_history(r, i, a.actor, a.reason, now) for r, i in pairs]
    write.insert_rows(a.conn, s.component_history, versions)
    write.insert_rows(
        a.conn, s.audit_events, [plan.creation_audit(r, i, a.actor, now) for r, i in pairs]
    )


# -- changed, moved and missing components -------------------------------------------------


def _changes_of(a: _Apply, it: ReconItem) -> tuple[dict[str, Any], GridRef | None, str | None]:
    """What an item changes, the grid of a new position, and the operation it names."""
    if it.kind == "missing":
        op = "retire" if a.missing_status in RETIRED_STATUSES else "status"
        return {"status": a.missing_status}, None, op
    changes: dict[str, Any] = {f: it.values.get(f) for f in it.changes}
    grid = None
    if it.kind == "moved":
        changes["geom"] = it.geom
        grid = a.refs.get(a.records[it.row_no].grid_code)
    return changes, grid, None


def _plan_changes(a: _Apply, items: Sequence[ReconItem]) -> list[plan.Change]:
    out = []
    moves = plan.move_facts(list(items))
    for it in items:
        current = a.current.get(it.component_id)
        if current is None:
            raise VersionConflict(it.component_id, it.version or 0, None, None)
        changes, grid, op = _changes_of(a, it)
        try:
            change = plan.plan_change(it, current, changes, grid, a.today, op, moves.get(it.seq))
        except ValidationFailed as exc:
            raise plan.item_error(it, exc) from exc
        if change is None:  # nothing left to change: counted, not written
            a.result.count(plan.outcome_of(it.kind))
            it.applied = current.attributes["identifier"]
            continue
        out.append(change)
    return out


def _change(a: _Apply, items: Sequence[ReconItem], now: datetime) -> None:
    """Write one chunk's changes: baselines of components without history, the updated
    rows (each only at the version read), history versions and audit rows."""
    changes = _plan_changes(a, items)
    if not changes:
        return
    for c in changes:
        c.item.applied = c.current.attributes["identifier"]
        a.result.count(c.outcome)
    if history.kept_by_database(a.ws):
        _change_postgres(a, changes, now)
        return
    s = a.ws.schema
    base = [c.current for c in changes if (c.current.id, c.current.version) not in a.baselines]
    write.insert_rows(
        a.conn, s.component_history, [plan.baseline_history(r, a.ws, now) for r in base]
    )
    write.update_components(a.conn, a.ws, [plan.change_row(c, a.ws, a.actor, now) for c in changes])
    write.insert_rows(
        a.conn,
        s.component_history,
        [plan.change_history(c, a.ws, a.actor, a.reason, now) for c in changes],
    )
    write.insert_rows(a.conn, s.audit_events, [plan.change_audit(c, a.actor, now) for c in changes])


def _change_postgres(a: _Apply, changes: list[plan.Change], now: datetime) -> None:
    """One UPDATE per chunk; the database writes versions, baselines, history and audit
    (apply_postgis)."""
    for part in write.chunks(changes):
        payload = [postgis.change_payload(c, a.ws.srid) for c in part]
        done = postgis.write_changes(a.conn, payload, a.actor, a.reason)
        if done != len(payload):
            write.raise_conflict(a.conn, a.ws, payload)


# -- the whole apply -----------------------------------------------------------------------


def _stop_if_cancelled(progress: Callable[[int, int], bool] | None, done: int, total: int) -> None:
    if progress is not None and done % _PROGRESS_EVERY == 0 and progress(done, total):
        raise ApplyCancelled(
            tr(
                "Census", "Applying was cancelled after {0} of {1} items; nothing was saved."
            ).format(done, total)
        )


def apply_reconciliation(
    conn: Connection,
    ws: Workspace,
    recon: Reconciliation,
    actor: str,
    reason: str | None = None,
    missing_status: str = "移除",
    progress: Callable[[int, int], bool] | None = None,
) -> ApplyResult:
    """Apply every accepted item inside the caller's ONE transaction, with history.

    Raises (so the caller's transaction rolls back whole) when any accepted item cannot be
    applied, e.g. a component changed by someone else since the reconciliation was made.
    ``progress(done, total)`` is called before each chunk of items; when it returns True the
    work stops with :class:`ApplyCancelled`, and the caller's rollback leaves nothing written.
    """
    reason = reason or tr("Census", "census batch {0}").format(Path(recon.batch.source).name)
    if recon.batch.target == "pois":
        from .poi_apply import apply_pois

        return apply_pois(conn, ws, recon, actor, reason, missing_status, progress,
                          _PROGRESS_EVERY, _stop_if_cancelled)  # fmt: skip
    result = ApplyResult()
    accepted = [i for i in recon.accepted() if i.kind in ACTIONABLE]
    result.skipped = sum(1 for i in recon.items if i.kind in ACTIONABLE) - len(accepted)
    a = _Apply.prepare(
        conn, ws, recon, accepted, result, actor=actor, reason=reason, missing_status=missing_status
    )
    _reserve(a, [i for i in accepted if i.kind in CREATING])
    total = len(accepted)
    for done in range(0, total, _PROGRESS_EVERY):
        _stop_if_cancelled(progress, done, total)
        part = accepted[done : done + _PROGRESS_EVERY]
        now = datetime.now(timezone.utc)
        _create(a, [i for i in part if i.kind in CREATING], now)
        _change(a, [i for i in part if i.kind not in CREATING], now)
    if progress is not None:
        progress(total, total)
    audit(
        conn,
        ws.schema,
        actor,
        "census.reconcile",
        None,
        None,
        {"source": recon.batch.source, "counts": recon.counts(), "applied": result.as_dict()},
    )
    return result
