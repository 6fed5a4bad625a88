"""A census batch run without a dialog: read, map, validate, reconcile, decide by kind, apply
in one transaction, write the report; for the command line and the Processing algorithms.

What the editor decides in the dialog item by item, a run decides by kind of item
(:attr:`ImportOptions.accept`, by default as the dialog proposes: new, changed, moved and
missing items accepted, duplicates not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import tr
from ..labels import (
    census_rule_label,
    field_label,
    join,
    labelled,
    parens,
    reconcile_kind_label,
)
from ..workspace.store import Workspace
from .batch_codes import ValueMaps
from .batch_mapping import MappingStore
from .batch_read import SourceTable, read_source
from .errors import CensusError
from .identifiers import write_transaction
from .importer import Batch, prepare_batch
from .reconcile import ACTIONABLE, DEFAULT_ACCEPT, KINDS, Reconciliation, reconcile
from .reconcile_apply import ApplyResult, apply_reconciliation
from .reconcile_report import applied_line, write_report

DEFAULT_ACCEPTED = tuple(k for k in ACTIONABLE if DEFAULT_ACCEPT.get(k))


@dataclass
class ImportOptions:
    """How to run a batch: its layer or sheet, field mapping and value maps (None: the ones
    remembered for its columns, else guessed), source CRS (None: the layer's, else guessed),
    the kinds of item accepted, whether to apply them, where to write the report."""

    layer: str | None = None
    mapping: dict[str, str] | None = None
    values: ValueMaps | None = None
    crs: str | None = None
    accept: tuple[str, ...] = DEFAULT_ACCEPTED
    apply: bool = False
    report_dir: Path | None = None
    reason: str | None = None
    target: str = "components"  # or "pois": a point-of-interest census batch


@dataclass
class CensusRun:
    """What a run did: the batch, its reconciliation, what applying did (None: not asked)
    and the report files."""

    batch: Batch
    recon: Reconciliation
    result: ApplyResult | None = None
    report: dict[str, Path] = field(default_factory=dict)
    srid: int = 0  # of the workspace: the CRS of the items' geometries

    def summary_lines(self) -> list[str]:
        return summary_lines(self.batch, self.recon, self.result, self.report)


class ApplyFailed(CensusError):
    """Applying a run's accepted items failed and nothing was saved; ``run`` is what was
    read and reconciled (its report can still be written)."""

    def __init__(self, run: CensusRun, cause: CensusError) -> None:
        self.run = run
        super().__init__(str(cause))


def decide_by_kind(recon: Reconciliation, accept: tuple[str, ...]) -> None:
    """Accept the actionable items of the kinds in ``accept``, reject the others."""
    recon.set_decision(None, True, kinds=tuple(k for k in ACTIONABLE if k in accept))
    recon.set_decision(None, False, kinds=tuple(k for k in ACTIONABLE if k not in accept))


def run_table(
    ws: Workspace,
    table: SourceTable,
    options: ImportOptions,
    store: MappingStore | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> CensusRun:
    """Map, validate and reconcile ``table``; decide by kind; with ``options.apply`` apply in
    one transaction (``progress(done, total)`` returning True cancels and rolls back)."""
    store = store or MappingStore()
    target = options.target
    mapping = options.mapping or store.mapping_for(table, target)
    crs = options.crs or (None if options.mapping else store.get_crs(table.columns, target))
    values = options.values
    if values is None:
        values = store.get_values(table.columns, target)
    with ws.engine.connect() as conn:
        batch = prepare_batch(conn, ws, table, mapping, crs, values=values, target=target)
        recon = reconcile(conn, ws, batch)
    decide_by_kind(recon, options.accept)
    run = CensusRun(batch, recon, srid=ws.srid)
    if options.apply:
        try:
            with write_transaction(ws) as conn:
                run.result = apply_reconciliation(
                    conn, ws, recon, ws.actor, options.reason, progress=progress
                )
        except CensusError as exc:
            if options.report_dir is not None:
                run.report = write_report(recon, options.report_dir)
            raise ApplyFailed(run, exc) from exc
    if options.report_dir is not None:
        run.report = write_report(recon, options.report_dir, result=run.result)
    return run


def run_file(
    ws: Workspace,
    path: str | Path,
    options: ImportOptions,
    store: MappingStore | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> CensusRun:
    """:func:`run_table` on a file (CSV, Excel, GeoPackage, Shapefile, GeoJSON)."""
    return run_table(ws, read_source(path, options.layer), options, store, progress)


def _counted(label: str, n: int) -> str:
    return "  " + labelled(label, n)


def summary_lines(
    batch: Batch,
    recon: Reconciliation,
    result: ApplyResult | None = None,
    report: dict[str, Path] | None = None,
) -> list[str]:
    """What a run found, for a log: rows read, good and refused; items by outcome; refused
    rows by reason; values without a mapping (each once, with its count); what applying did."""
    how = join(x for x in (batch.encoding, batch.source_crs) if x)
    lines = [
        tr("Census", "Batch: {0}").format(batch.source) + (parens(how) if how else ""),
        tr("Census", "Rows read: {0}; valid: {1}; invalid: {2}").format(
            batch.read_rows, len(batch.records), len(batch.failures)
        ),
        tr("Census", "By outcome:"),
    ]
    counts = recon.counts()
    lines += [_counted(reconcile_kind_label(k), counts[k]) for k in KINDS]
    lines.append(_counted(tr("Census", "refused"), len(batch.failures)))
    if batch.failures:
        lines.append(tr("Census", "Refused by reason:"))
        lines += [_counted(census_rule_label(r), n) for r, n in batch.refusals().most_common()]
    if batch.unmapped:
        lines.append(tr("Census", "Values without a mapping:"))
        for f, seen in batch.unmapped.items():
            shown = join(v + parens(n) for v, n in seen.most_common())
            lines.append("  " + labelled(field_label(f), shown))
    lines.append(tr("Census", "Accepted items: {0}").format(len(recon.accepted())))
    if result is not None:
        lines.append(applied_line(result))
    if report:
        lines.append(tr("Census", "Report written: {0}").format(report["html"]))
    return lines
