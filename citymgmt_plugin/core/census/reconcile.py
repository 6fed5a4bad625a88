"""Reconcile a census batch with the stored inventory, then apply what the editor accepts.

Classes of item: ``new`` (no stored counterpart), ``unchanged``, ``changed`` (attributes
differ), ``moved`` (farther than the accuracy-class tolerance), ``missing`` (stored, active,
in a surveyed grid, but not in the batch), ``duplicate`` (same class within tolerance of a
stored component or of an earlier batch row, without a matching identifier).

Matching is vectorised: identifiers through a dict, positions through a shapely STRtree.
Applying is one transaction: every accepted item, its history version and audit row commit
together or not at all.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ARRAY, Connection, Text, any_, bindparam, func, or_, select

from ..i18n import tr
from ..labels import describe_changes, reconcile_kind_label
from ..private_files import open_private, private_dir, write_private_text
from ..workspace.schema.census import RETIRED_STATUSES
from ..workspace.store import Workspace, audit
from .components import ComponentDraft, create_component, update_component
from .errors import CensusError, Problem, ValidationFailed
from .geo import MAX_TOLERANCE_M, anchors, from_db, tolerance
from .grids import grid_refs
from .importer import Batch, BatchRecord
from .validation import EDITABLE_FIELDS, check_values, class_table

KINDS = ("new", "unchanged", "changed", "moved", "missing", "duplicate")
ACTIONABLE = ("new", "changed", "moved", "missing", "duplicate")
DEFAULT_ACCEPT = {"new": True, "changed": True, "moved": True, "missing": True, "duplicate": False}
COMPARED = tuple(f for f in EDITABLE_FIELDS)


def kind_label(kind: str) -> str:
    """The translated label of a reconciliation kind."""
    return reconcile_kind_label(kind)


@dataclass
class ReconItem:
    seq: int
    kind: str
    row_no: int | None  # batch row (None: a stored component the batch lacks)
    identifier: str | None
    class_code: str
    component_id: int | None = None
    version: int | None = None
    distance: float | None = None
    tolerance: float | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    geom: BaseGeometry | None = None  # surveyed geometry (stored one for missing items)
    old_geom: BaseGeometry | None = None  # stored geometry (moved/changed/duplicate)
    values: dict[str, Any] = field(default_factory=dict)  # batch values
    duplicate_of: str | None = None
    problems: list[Problem] = field(default_factory=list)
    accepted: bool = False
    applied: str | None = None  # what applying did: identifier made or changed

    @property
    def actionable(self) -> bool:
        return self.kind in ACTIONABLE and not self.problems


@dataclass
class Reconciliation:
    batch: Batch
    items: list[ReconItem]
    surveyed_grids: set[str]

    def counts(self) -> dict[str, int]:
        c = Counter(i.kind for i in self.items)
        return {k: c.get(k, 0) for k in KINDS}

    def accepted(self) -> list[ReconItem]:
        return [i for i in self.items if i.accepted and i.actionable]

    def set_decision(
        self, seqs: list[int] | None, accept: bool, kinds: tuple[str, ...] = ()
    ) -> int:
        """Accept or reject the items with ``seqs`` (or all of ``kinds``); returns how many."""
        n = 0
        wanted = set(seqs) if seqs is not None else None
        for it in self.items:
            chosen = (wanted is not None and it.seq in wanted) or (kinds and it.kind in kinds)
            if chosen and it.actionable:
                it.accepted = accept
                n += 1
        return n


def _history_versions(conn: Connection, ws: Workspace, ids: list[int]) -> set[tuple[int, int]]:
    """(component id, version) of the history rows of ``ids``: asked once for a whole
    apply instead of once per item."""
    h = ws.schema.component_history
    out: set[tuple[int, int]] = set()
    for a in range(0, len(ids), 1000):
        rows = conn.execute(
            select(h.c.component_id, h.c.version).where(h.c.component_id.in_(ids[a : a + 1000]))
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


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str):
        a = a.strip() or None
    if isinstance(b, str):
        b = b.strip() or None
    if isinstance(a, datetime):
        a = a.date()
    if isinstance(b, datetime):
        b = b.date()
    return a == b


def _jsonable(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def _load_stored(
    conn: Connection, ws: Workspace, grids: set[str], identifiers: list[str], fields: list[str]
) -> list[dict[str, Any]]:
    c = ws.schema.components
    cols = [
        c.c.id,
        c.c.identifier,
        c.c.class_code,
        c.c.version,
        c.c.status,
        c.c.accuracy_class,
        c.c.grid_code,
    ]
    cols += [c.c[f] for f in fields if f not in ("status", "accuracy_class")]
    cols.append(func.ST_AsBinary(c.c.geom).label("wkb"))
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    if ws.is_postgres:
        q = select(*cols).where(
            or_(
                c.c.grid_code == any_(bindparam("grids", type_=ARRAY(Text))),
                c.c.identifier == any_(bindparam("idents", type_=ARRAY(Text))),
            )
        )
        result = conn.execute(q, {"grids": sorted(grids), "idents": identifiers})
        rows = [dict(r._mapping) for r in result]
        return rows
    for key, values in (("grid_code", sorted(grids)), ("identifier", identifiers)):
        for i in range(0, len(values), 500):
            q = select(*cols).where(c.c[key].in_(values[i : i + 500]))
            for r in conn.execute(q):
                if r.id not in seen:
                    seen.add(r.id)
                    rows.append(dict(r._mapping))
    return rows


def reconcile(
    conn: Connection, ws: Workspace, batch: Batch, surveyed_grids: set[str] | None = None
) -> Reconciliation:
    """Classify every batch record and every stored component of the surveyed grids."""
    grids = set(surveyed_grids) if surveyed_grids is not None else set(batch.surveyed_grids)
    recs: list[BatchRecord] = batch.records
    compare = [f for f in COMPARED if f in batch.fields]
    idents = sorted({r.identifier for r in recs if r.identifier})
    stored = _load_stored(conn, ws, grids, idents, compare)
    classes = class_table(conn, ws, batch.scheme)
    ns = len(stored)
    s_geom = np.array([from_db(r["wkb"]) for r in stored], dtype=object)
    s_anchor = anchors(s_geom) if ns else np.empty(0, dtype=object)
    s_active = np.array([r["status"] not in RETIRED_STATUSES for r in stored], dtype=bool)
    s_cls = np.array([r["class_code"] for r in stored], dtype=object)
    s_tol = np.array([tolerance(r["accuracy_class"]) for r in stored], dtype=float)
    by_ident = {r["identifier"]: j for j, r in enumerate(stored)}
    claimed = np.zeros(ns, dtype=bool)
    nb = len(recs)
    b_geom = np.array([r.geom for r in recs], dtype=object)
    b_anchor = anchors(b_geom) if nb else np.empty(0, dtype=object)
    b_cls = np.array([r.values.get("class_code") for r in recs], dtype=object)
    b_tol = np.array(
        [
            tolerance(r.values["accuracy_class"]) if r.values.get("accuracy_class") else np.nan
            for r in recs
        ],
        dtype=float,
    )
    items: list[ReconItem] = []

    def add(**kw: Any) -> ReconItem:
        it = ReconItem(seq=len(items) + 1, **kw)
        it.accepted = DEFAULT_ACCEPT.get(it.kind, False) and not it.problems
        items.append(it)
        return it

    # 1. identifier matches
    match = np.array(
        [by_ident.get(r.identifier, -1) if r.identifier else -1 for r in recs], dtype=int
    )
    has = match >= 0
    dist = np.full(nb, np.nan)
    if has.any():
        dist[has] = shapely.distance(b_anchor[has], s_anchor[match[has]])
    unmatched: list[int] = []
    for i, r in enumerate(recs):
        j = match[i]
        if j < 0:
            unmatched.append(i)
            continue
        claimed[j] = True
        srow = stored[j]
        tol = b_tol[i] if not np.isnan(b_tol[i]) else s_tol[j]
        changes = {
            f: [_jsonable(srow.get(f)), _jsonable(r.values.get(f))]
            for f in compare
            if not _same(srow.get(f), r.values.get(f))
        }
        moved = bool(dist[i] > tol)
        kind = "moved" if moved else ("changed" if changes else "unchanged")
        add(
            kind=kind,
            row_no=r.row_no,
            identifier=r.identifier,
            class_code=srow["class_code"],
            component_id=srow["id"],
            version=srow["version"],
            distance=float(dist[i]),
            tolerance=float(tol),
            changes=changes,
            geom=r.geom,
            old_geom=s_geom[j],
            values=r.values,
        )
    # 2. rows without a stored identifier: duplicates of a stored component nearby?
    un = np.array(unmatched, dtype=int)
    dup_of: dict[int, tuple[int, float]] = {}
    if len(un) and ns:
        active_idx = np.nonzero(s_active)[0]
        if len(active_idx):
            tree = shapely.STRtree(s_anchor[active_idx])
            p, q = tree.query(b_anchor[un], predicate="dwithin", distance=MAX_TOLERANCE_M)
            if len(p):
                bi, sj = un[p], active_idx[q]
                d = shapely.distance(b_anchor[bi], s_anchor[sj])
                tol = np.where(np.isnan(b_tol[bi]), s_tol[sj], np.maximum(b_tol[bi], s_tol[sj]))
                ok = (b_cls[bi] == s_cls[sj]) & (d <= tol)
                for a, b, dd in sorted(zip(bi[ok], sj[ok], d[ok]), key=lambda t: (t[0], t[2])):
                    dup_of.setdefault(int(a), (int(b), float(dd)))
    # 3. rows duplicating an earlier row of the batch
    rest = np.array([i for i in unmatched if i not in dup_of], dtype=int)
    dup_row: dict[int, tuple[int, float]] = {}
    if len(rest) > 1:
        tree = shapely.STRtree(b_anchor[rest])
        p, q = tree.query(b_anchor[rest], predicate="dwithin", distance=MAX_TOLERANCE_M)
        a, b = rest[p], rest[q]
        keep = a > b  # later row duplicates an earlier one
        a, b = a[keep], b[keep]
        if len(a):
            d = shapely.distance(b_anchor[a], b_anchor[b])
            ta = np.where(np.isnan(b_tol[a]), 1.0, b_tol[a])
            tb = np.where(np.isnan(b_tol[b]), 1.0, b_tol[b])
            ok = (b_cls[a] == b_cls[b]) & (d <= np.maximum(ta, tb))
            for x, y, dd in sorted(zip(a[ok], b[ok], d[ok]), key=lambda t: (t[0], t[1])):
                if int(y) not in dup_row:  # the earlier row is itself kept
                    dup_row.setdefault(int(x), (int(y), float(dd)))
    today = None
    for i in unmatched:
        r = recs[i]
        if i in dup_of:
            j, d = dup_of[i]
            claimed[j] = True
            add(
                kind="duplicate",
                row_no=r.row_no,
                identifier=r.identifier,
                class_code=r.values["class_code"],
                component_id=stored[j]["id"],
                version=stored[j]["version"],
                distance=d,
                tolerance=float(s_tol[j]),
                geom=r.geom,
                old_geom=s_geom[j],
                values=r.values,
                duplicate_of=stored[j]["identifier"],
            )
            continue
        if i in dup_row:
            k, d = dup_row[i]
            add(
                kind="duplicate",
                row_no=r.row_no,
                identifier=r.identifier,
                class_code=r.values["class_code"],
                distance=d,
                geom=r.geom,
                values=r.values,
                duplicate_of=tr("Census", "row {0}").format(recs[k].row_no),
            )
            continue
        # new: fill what the batch does not carry from the class table, then check
        info = classes.get(r.values["class_code"])
        vals = dict(r.values)
        if not vals.get("name") and info is not None:
            vals["name"] = info.name
        if not vals.get("dept_code") and info is not None and info.department_code:
            vals["dept_code"] = info.department_code
        if not vals.get("dept_name") and info is not None and info.department_name:
            vals["dept_name"] = info.department_name
        vals.setdefault("status", "完好")
        vals["status"] = vals["status"] or "完好"
        if not vals.get("initial_date"):
            if today is None:
                from .components import office_today

                today = office_today(ws)
            vals["initial_date"] = today
        add(
            kind="new",
            row_no=r.row_no,
            identifier=r.identifier,
            class_code=r.values["class_code"],
            geom=r.geom,
            values=vals,
            problems=check_values(vals),
        )
    # 4. stored, active, in a surveyed grid, not seen
    for j in np.nonzero(s_active & ~claimed)[0]:
        srow = stored[j]
        if srow["grid_code"] not in grids:
            continue
        add(
            kind="missing",
            row_no=None,
            identifier=srow["identifier"],
            class_code=srow["class_code"],
            component_id=srow["id"],
            version=srow["version"],
            geom=s_geom[j],
            old_geom=s_geom[j],
        )
    return Reconciliation(batch, items, grids)


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
    rec_by_row = {r.row_no: r for r in recon.batch.records}
    need_refs = {rec_by_row[i.row_no].grid_code for i in accepted if i.kind in ("new", "duplicate")}
    refs = grid_refs(conn, ws, need_refs) if need_refs else {}
    baselines = _history_versions(conn, ws, [i.component_id for i in accepted if i.component_id])
    total = len(accepted)
    classes = None  # the scheme's class table, read once if a duplicate needs it
    for done, it in enumerate(accepted):
        if progress is not None and done % _PROGRESS_EVERY == 0 and progress(done, total):
            raise ApplyCancelled(
                tr(
                    "Census", "Applying was cancelled after {0} of {1} items; nothing was saved."
                ).format(done, total)
            )
        try:
            if it.kind in ("new", "duplicate"):
                rec = rec_by_row[it.row_no]
                vals = {k: v for k, v in it.values.items() if k in EDITABLE_FIELDS}
                if it.kind == "duplicate":  # editor says it is a separate component
                    if classes is None:
                        classes = class_table(conn, ws, recon.batch.scheme)
                    info = classes.get(it.class_code)
                    vals.setdefault("name", info.name if info else "")
                    vals["status"] = vals.get("status") or "完好"
                draft = ComponentDraft(
                    class_code=it.class_code,
                    geom=it.geom,
                    scheme=recon.batch.scheme,
                    identifier=it.identifier,
                    **{k: v for k, v in vals.items() if v is not None},
                )
                ref = create_component(
                    conn, ws, draft, actor, reason, operation="import", grid=refs[rec.grid_code]
                )
                it.applied = ref.identifier
                result.created += 1
            elif it.kind in ("changed", "moved"):
                changes = {f: it.values.get(f) for f in it.changes}
                if it.kind == "moved":
                    changes["geom"] = it.geom
                ref = update_component(
                    conn, ws, it.component_id, changes, actor, reason, expected_version=it.version,
                    has_baseline=(it.component_id, it.version) in baselines,
                )  # fmt: skip
                it.applied = ref.identifier
                if it.kind == "moved":
                    result.moved += 1
                else:
                    result.updated += 1
            elif it.kind == "missing":
                ref = update_component(
                    conn,
                    ws,
                    it.component_id,
                    {"status": missing_status},
                    actor,
                    reason,
                    expected_version=it.version,
                    operation="retire" if missing_status in RETIRED_STATUSES else "status",
                    has_baseline=(it.component_id, it.version) in baselines,
                )
                it.applied = ref.identifier
                result.retired += 1
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


# ---------------------------------------------------------------------------------- report


def _fmt_changes(changes: dict[str, list[Any]]) -> str:
    return describe_changes({f: v for f, v in changes.items() if f != "geom"})


def _write_report_csv(recon: Reconciliation, csv_path: Path) -> None:
    """One line per item and per failed row."""
    header = [
        tr("Census", "item"),
        tr("Census", "class"),
        tr("Census", "decision"),
        tr("Census", "batch row"),
        tr("Census", "identifier"),
        tr("Census", "component class"),
        tr("Census", "distance (m)"),
        tr("Census", "tolerance (m)"),
        tr("Census", "changes"),
        tr("Census", "duplicate of"),
        tr("Census", "result / reason"),
    ]
    with open_private(csv_path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for it in recon.items:
            decision = (
                "-"
                if it.kind not in ACTIONABLE
                else (
                    tr("Census", "accepted")
                    if it.accepted and it.actionable
                    else tr("Census", "rejected")
                )
            )
            w.writerow(
                [
                    it.seq,
                    kind_label(it.kind),
                    decision,
                    it.row_no or "",
                    it.identifier or "",
                    it.class_code,
                    "" if it.distance is None else f"{it.distance:.2f}",
                    "" if it.tolerance is None else f"{it.tolerance:.1f}",
                    _fmt_changes(it.changes),
                    it.duplicate_of or "",
                    it.applied or " ".join(p.message for p in it.problems),
                ]
            )
        for fail in recon.batch.failures:
            w.writerow(
                [
                    "",
                    tr("Census", "invalid row"),
                    tr("Census", "rejected"),
                    fail.row_no,
                    fail.identifier or "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    fail.reason,
                ]
            )


def _report_lines(recon: Reconciliation, result: ApplyResult | None) -> list[str]:
    """The text summary: batch, counts per kind, what was applied, invalid rows."""
    counts = recon.counts()
    accepted = sum(1 for i in recon.items if i.accepted and i.actionable)
    lines = [
        tr("Census", "Census reconciliation report"),
        tr("Census", "Batch: {0}").format(recon.batch.source),
        tr("Census", "Made: {0}").format(datetime.now(timezone.utc).isoformat(timespec="seconds")),
        tr("Census", "Rows read: {0}; valid: {1}; invalid: {2}").format(
            recon.batch.read_rows, len(recon.batch.records), len(recon.batch.failures)
        ),
        tr("Census", "Surveyed unit grids: {0}").format(len(recon.surveyed_grids)),
        "",
    ]
    lines += [f"  {kind_label(k):<12} {counts[k]:>7}" for k in KINDS]
    lines += ["", tr("Census", "Accepted items: {0}").format(accepted)]
    if result is not None:
        r = result.as_dict()
        lines.append(
            tr(
                "Census",
                "Applied: {0} created, {1} updated, {2} moved, {3} retired, {4} not accepted",
            ).format(r["created"], r["updated"], r["moved"], r["retired"], r["skipped"])
        )
    if recon.batch.failures:
        lines += ["", tr("Census", "Invalid rows:")]
        for fail in recon.batch.failures[:200]:
            lines.append(f"  {fail.row_no:>6}  {fail.identifier or '-':<18} {fail.reason}")
    return lines


def _report_html(recon: Reconciliation, lines: list[str], result: ApplyResult | None) -> str:
    """The summary as a small HTML page."""
    counts = recon.counts()
    rows_html = "".join(
        f"<tr><td>{html.escape(kind_label(k))}</td><td>{counts[k]}</td></tr>" for k in KINDS
    )
    fails_html = "".join(
        f"<tr><td>{f.row_no}</td><td>{html.escape(f.identifier or '')}</td>"
        f"<td>{html.escape(f.reason)}</td></tr>"
        for f in recon.batch.failures
    )
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[:5])
    applied_html = f"<p>{html.escape(lines[-1])}</p>" if result is not None else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(lines[0])}</title>"
        "<style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}"
        "table{border-collapse:collapse}</style></head><body>"
        f"<h1>{html.escape(lines[0])}</h1>{body}"
        f"<table><tr><th>{html.escape(tr('Census', 'class'))}</th>"
        f"<th>{html.escape(tr('Census', 'items'))}</th></tr>{rows_html}</table>"
        f"{applied_html}"
        f"<h2>{html.escape(tr('Census', 'Invalid rows:'))}</h2>"
        f"<table><tr><th>{html.escape(tr('Census', 'batch row'))}</th>"
        f"<th>{html.escape(tr('Census', 'identifier'))}</th>"
        f"<th>{html.escape(tr('Census', 'result / reason'))}</th></tr>{fails_html}</table>"
        "</body></html>"
    )


def write_report(
    recon: Reconciliation,
    out_dir: str | Path,
    stem: str = "reconciliation",
    result: ApplyResult | None = None,
) -> dict[str, Path]:
    """Write ``<stem>.csv`` (one line per item and per failed row), ``<stem>.txt`` and
    ``<stem>.html`` (summary); returns their paths. Owner-only files: they hold positions
    and identifiers."""
    out = private_dir(out_dir)
    csv_path, txt_path, html_path = (out / f"{stem}.{ext}" for ext in ("csv", "txt", "html"))
    _write_report_csv(recon, csv_path)
    lines = _report_lines(recon, result)
    write_private_text(txt_path, "\n".join(lines) + "\n")
    write_private_text(html_path, _report_html(recon, lines, result))
    return {"csv": csv_path, "txt": txt_path, "html": html_path}
