"""Apply the items of a census reconciliation the editor accepted: one transaction, with history.

Every accepted item, its history version and audit row commit together or not at all.
Each kind of item has its own applier (:data:`APPLIERS`): new and duplicate records are
placed, changed and moved ones updated, missing components retired.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select

from ..i18n import tr
from ..workspace.chunks import chunked
from ..workspace.schema.census import RETIRED_STATUSES
from ..workspace.store import Workspace, audit
from .components import ComponentDraft, create_component, update_component
from .errors import CensusError, ValidationFailed
from .geo import GridRef
from .grids import grid_refs
from .importer import BatchRecord
from .reconcile import ACTIONABLE, Reconciliation, ReconItem, kind_label
from .validation import EDITABLE_FIELDS, ClassInfo, class_table


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


# Items between progress reports while applying (each item is a few statements).
_PROGRESS_EVERY = 25


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

    def count(self, outcome: str) -> None:
        """One more item ``outcome`` (created, updated, moved or retired)."""
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class _Apply:
    """What applying one reconciliation needs beside the items: the open connection, who
    and why, the records by row, the grids of new components and which components have a
    history row of the version the reconciliation saw (each asked once for the batch)."""

    conn: Connection
    ws: Workspace
    recon: Reconciliation
    actor: str
    reason: str
    missing_status: str
    records: dict[int, BatchRecord]
    refs: dict[str, GridRef]
    baselines: set[tuple[int, int]]
    _classes: dict[str, ClassInfo] | None = field(default=None, repr=False)

    @classmethod
    def prepare(
        cls,
        conn: Connection,
        ws: Workspace,
        recon: Reconciliation,
        accepted: list[ReconItem],
        **who: str,
    ) -> _Apply:
        records = {r.row_no: r for r in recon.batch.records}
        need = {records[i.row_no].grid_code for i in accepted if i.kind in ("new", "duplicate")}
        refs = grid_refs(conn, ws, need) if need else {}
        ids = [i.component_id for i in accepted if i.component_id]
        return cls(conn, ws, recon, records=records, refs=refs,
                   baselines=_history_versions(conn, ws, ids), **who)  # fmt: skip

    def classes(self) -> dict[str, ClassInfo]:
        """The scheme's class table, read once if a duplicate needs it."""
        if self._classes is None:
            self._classes = class_table(self.conn, self.ws, self.recon.batch.scheme)
        return self._classes

    def has_baseline(self, it: ReconItem) -> bool:
        return (it.component_id, it.version) in self.baselines


def _create(a: _Apply, it: ReconItem) -> str:
    """A new record, or a duplicate the editor says is a separate component: placed."""
    rec = a.records[it.row_no]
    vals = {k: v for k, v in it.values.items() if k in EDITABLE_FIELDS}
    if it.kind == "duplicate":
        info = a.classes().get(it.class_code)
        vals.setdefault("name", info.name if info else "")
        vals["status"] = vals.get("status") or "完好"
    draft = ComponentDraft(
        class_code=it.class_code,
        geom=it.geom,
        scheme=a.recon.batch.scheme,
        identifier=it.identifier,
        **{k: v for k, v in vals.items() if v is not None},
    )
    ref = create_component(
        a.conn, a.ws, draft, a.actor, a.reason, operation="import", grid=a.refs[rec.grid_code]
    )
    it.applied = ref.identifier
    return "created"


def _change(a: _Apply, it: ReconItem) -> str:
    """Changed attributes written; a moved component also gets its surveyed geometry."""
    changes = {f: it.values.get(f) for f in it.changes}
    if it.kind == "moved":
        changes["geom"] = it.geom
    ref = update_component(
        a.conn, a.ws, it.component_id, changes, a.actor, a.reason, expected_version=it.version,
        has_baseline=a.has_baseline(it),
    )  # fmt: skip
    it.applied = ref.identifier
    return "moved" if it.kind == "moved" else "updated"


def _retire(a: _Apply, it: ReconItem) -> str:
    """A missing component gets the missing status (retired when that status retires)."""
    ref = update_component(
        a.conn,
        a.ws,
        it.component_id,
        {"status": a.missing_status},
        a.actor,
        a.reason,
        expected_version=it.version,
        operation="retire" if a.missing_status in RETIRED_STATUSES else "status",
        has_baseline=a.has_baseline(it),
    )
    it.applied = ref.identifier
    return "retired"


# kind of item -> its applier, which returns the ApplyResult count it adds to
APPLIERS: dict[str, Callable[[_Apply, ReconItem], str]] = {
    "new": _create,
    "duplicate": _create,
    "changed": _change,
    "moved": _change,
    "missing": _retire,
}


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
    ``progress(done, total)`` is called as items are applied; when it returns True the
    work stops with :class:`ApplyCancelled`, and the caller's rollback leaves nothing written.
    """
    reason = reason or tr("Census", "census batch {0}").format(Path(recon.batch.source).name)
    result = ApplyResult()
    accepted = recon.accepted()
    result.skipped = sum(1 for i in recon.items if i.kind in ACTIONABLE) - len(accepted)
    a = _Apply.prepare(
        conn, ws, recon, accepted, actor=actor, reason=reason, missing_status=missing_status
    )
    total = len(accepted)
    for done, it in enumerate(accepted):
        _stop_if_cancelled(progress, done, total)
        applier = APPLIERS.get(it.kind)
        if applier is None:
            continue
        try:
            result.count(applier(a, it))
        except ValidationFailed as exc:
            raise CensusError(
                tr("Census", "Item {0} ({1}, row {2}) cannot be applied: {3}").format(
                    it.seq, kind_label(it.kind), it.row_no or "-", exc
                )
            ) from exc
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
