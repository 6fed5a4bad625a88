"""Reconcile a census batch with the stored inventory: what each record and component is.

Classes of item: ``new`` (no stored counterpart), ``unchanged``, ``changed`` (attributes
differ), ``moved`` (farther than the accuracy-class tolerance), ``missing`` (stored, active,
in a surveyed grid, but not in the batch), ``duplicate`` (same class within tolerance of a
stored component or of an earlier batch row, without a matching identifier).

Matching is vectorised: identifiers through a dict, positions through a shapely STRtree.
The steps: stored components loaded, records matched by identifier, the others checked for
duplicates (of a stored component, then of an earlier record) or made new, then the
surveyed grids' components no record matched. The editor then accepts or rejects items;
:mod:`.reconcile_apply` applies them and :mod:`.reconcile_report` writes the report.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ARRAY, Connection, Text, any_, bindparam, func, or_, select

from ..i18n import tr
from ..labels import reconcile_kind_label
from ..workspace.chunks import chunked
from ..workspace.schema.census import RETIRED_STATUSES
from ..workspace.store import Workspace
from .components import office_today
from .errors import Problem
from .geo import MAX_TOLERANCE_M, anchors, from_db, tolerance
from .importer import Batch, BatchRecord
from .validation import EDITABLE_FIELDS, ClassInfo, check_values, class_table

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
        for chunk in chunked(values):
            q = select(*cols).where(c.c[key].in_(chunk))
            for r in conn.execute(q):
                if r.id not in seen:
                    seen.add(r.id)
                    rows.append(dict(r._mapping))
    return rows


@dataclass
class _Stored:
    """The stored components a batch is compared with, as arrays."""

    rows: list[dict[str, Any]]
    geom: np.ndarray
    anchor: np.ndarray
    active: np.ndarray
    cls: np.ndarray
    tol: np.ndarray
    by_ident: dict[str, int]
    claimed: np.ndarray  # matched by a batch row (identifier or duplicate)

    @classmethod
    def of(cls, rows: list[dict[str, Any]]) -> _Stored:
        geom = np.array([from_db(r["wkb"]) for r in rows], dtype=object)
        return cls(
            rows=rows,
            geom=geom,
            anchor=anchors(geom) if rows else np.empty(0, dtype=object),
            active=np.array([r["status"] not in RETIRED_STATUSES for r in rows], dtype=bool),
            cls=np.array([r["class_code"] for r in rows], dtype=object),
            tol=np.array([tolerance(r["accuracy_class"]) for r in rows], dtype=float),
            by_ident={r["identifier"]: j for j, r in enumerate(rows)},
            claimed=np.zeros(len(rows), dtype=bool),
        )


@dataclass
class _Surveyed:
    """The batch records as arrays (tolerance NaN: the record has no accuracy class)."""

    recs: list[BatchRecord]
    anchor: np.ndarray
    cls: np.ndarray
    tol: np.ndarray

    @classmethod
    def of(cls, recs: list[BatchRecord]) -> _Surveyed:
        geom = np.array([r.geom for r in recs], dtype=object)
        return cls(
            recs=recs,
            anchor=anchors(geom) if recs else np.empty(0, dtype=object),
            cls=np.array([r.values.get("class_code") for r in recs], dtype=object),
            tol=np.array(
                [
                    tolerance(r.values["accuracy_class"])
                    if r.values.get("accuracy_class")
                    else np.nan
                    for r in recs
                ],
                dtype=float,
            ),
        )


class _Items:
    """The items of a reconciliation in the order they are made (``seq`` 1, 2, …)."""

    def __init__(self) -> None:
        self.items: list[ReconItem] = []

    def add(self, **kw: Any) -> ReconItem:
        it = ReconItem(seq=len(self.items) + 1, **kw)
        it.accepted = DEFAULT_ACCEPT.get(it.kind, False) and not it.problems
        self.items.append(it)
        return it


def _match_identifiers(
    out: _Items, stored: _Stored, surveyed: _Surveyed, compare: list[str]
) -> list[int]:
    """Items for the records whose identifier is stored (unchanged, changed or moved);
    returns the indexes of the other records."""
    recs = surveyed.recs
    match = np.array(
        [stored.by_ident.get(r.identifier, -1) if r.identifier else -1 for r in recs], dtype=int
    )
    has = match >= 0
    dist = np.full(len(recs), np.nan)
    if has.any():
        dist[has] = shapely.distance(surveyed.anchor[has], stored.anchor[match[has]])
    unmatched: list[int] = []
    for i, r in enumerate(recs):
        j = match[i]
        if j < 0:
            unmatched.append(i)
            continue
        stored.claimed[j] = True
        srow = stored.rows[j]
        tol = surveyed.tol[i] if not np.isnan(surveyed.tol[i]) else stored.tol[j]
        changes = {
            f: [_jsonable(srow.get(f)), _jsonable(r.values.get(f))]
            for f in compare
            if not _same(srow.get(f), r.values.get(f))
        }
        moved = bool(dist[i] > tol)
        out.add(
            kind="moved" if moved else ("changed" if changes else "unchanged"),
            row_no=r.row_no,
            identifier=r.identifier,
            class_code=srow["class_code"],
            component_id=srow["id"],
            version=srow["version"],
            distance=float(dist[i]),
            tolerance=float(tol),
            changes=changes,
            geom=r.geom,
            old_geom=stored.geom[j],
            values=r.values,
        )
    return unmatched


def _stored_duplicates(
    stored: _Stored, surveyed: _Surveyed, unmatched: list[int]
) -> dict[int, tuple[int, float]]:
    """Record → (stored component, distance) for records without a stored identifier that
    lie within tolerance of an active stored component of their class (the nearest)."""
    un = np.array(unmatched, dtype=int)
    active_idx = np.nonzero(stored.active)[0]
    if not len(un) or not len(active_idx):
        return {}
    tree = shapely.STRtree(stored.anchor[active_idx])
    p, q = tree.query(surveyed.anchor[un], predicate="dwithin", distance=MAX_TOLERANCE_M)
    if not len(p):
        return {}
    bi, sj = un[p], active_idx[q]
    d = shapely.distance(surveyed.anchor[bi], stored.anchor[sj])
    b_tol, s_tol = surveyed.tol[bi], stored.tol[sj]
    tol = np.where(np.isnan(b_tol), s_tol, np.maximum(b_tol, s_tol))
    ok = (surveyed.cls[bi] == stored.cls[sj]) & (d <= tol)
    dup_of: dict[int, tuple[int, float]] = {}
    for a, b, dd in sorted(zip(bi[ok], sj[ok], d[ok]), key=lambda t: (t[0], t[2])):
        dup_of.setdefault(int(a), (int(b), float(dd)))
    return dup_of


def _batch_duplicates(surveyed: _Surveyed, rest: np.ndarray) -> dict[int, tuple[int, float]]:
    """Record → (earlier record, distance) for records that repeat an earlier one of the
    batch that is itself kept (same class within tolerance; no class: 1 m)."""
    if len(rest) <= 1:
        return {}
    anchor, tol = surveyed.anchor, surveyed.tol
    tree = shapely.STRtree(anchor[rest])
    p, q = tree.query(anchor[rest], predicate="dwithin", distance=MAX_TOLERANCE_M)
    a, b = rest[p], rest[q]
    keep = a > b  # later row duplicates an earlier one
    a, b = a[keep], b[keep]
    if not len(a):
        return {}
    d = shapely.distance(anchor[a], anchor[b])
    ta = np.where(np.isnan(tol[a]), 1.0, tol[a])
    tb = np.where(np.isnan(tol[b]), 1.0, tol[b])
    ok = (surveyed.cls[a] == surveyed.cls[b]) & (d <= np.maximum(ta, tb))
    dup_row: dict[int, tuple[int, float]] = {}
    for x, y, dd in sorted(zip(a[ok], b[ok], d[ok]), key=lambda t: (t[0], t[1])):
        if int(y) not in dup_row:  # the earlier row is itself kept
            dup_row.setdefault(int(x), (int(y), float(dd)))
    return dup_row


def _new_values(
    values: dict[str, Any], info: ClassInfo | None, today: Callable[[], date]
) -> dict[str, Any]:
    """A new record's values, with what the batch does not carry filled from the class
    table (name, department), status 完好 and today's date."""
    vals = dict(values)
    if not vals.get("name") and info is not None:
        vals["name"] = info.name
    if not vals.get("dept_code") and info is not None and info.department_code:
        vals["dept_code"] = info.department_code
    if not vals.get("dept_name") and info is not None and info.department_name:
        vals["dept_name"] = info.department_name
    vals.setdefault("status", "完好")
    vals["status"] = vals["status"] or "完好"
    if not vals.get("initial_date"):
        vals["initial_date"] = today()
    return vals


def _unmatched_items(
    out: _Items,
    conn: Connection,
    ws: Workspace,
    batch: Batch,
    stored: _Stored,
    surveyed: _Surveyed,
    unmatched: list[int],
) -> None:
    """Items for the records without a stored identifier: duplicates of a stored component
    or of an earlier record, else new components (checked)."""
    dup_of = _stored_duplicates(stored, surveyed, unmatched)
    rest = np.array([i for i in unmatched if i not in dup_of], dtype=int)
    dup_row = _batch_duplicates(surveyed, rest)
    classes = class_table(conn, ws, batch.scheme)
    recs = surveyed.recs
    today = functools.cache(lambda: office_today(ws))
    for i in unmatched:
        r = recs[i]
        base = dict(row_no=r.row_no, identifier=r.identifier, class_code=r.values["class_code"])
        if i in dup_of:
            j, d = dup_of[i]
            stored.claimed[j] = True
            srow = stored.rows[j]
            out.add(
                kind="duplicate", **base, component_id=srow["id"], version=srow["version"],
                distance=d, tolerance=float(stored.tol[j]), geom=r.geom,
                old_geom=stored.geom[j], values=r.values, duplicate_of=srow["identifier"],
            )  # fmt: skip
        elif i in dup_row:
            k, d = dup_row[i]
            out.add(
                kind="duplicate", **base, distance=d, geom=r.geom, values=r.values,
                duplicate_of=tr("Census", "row {0}").format(recs[k].row_no),
            )  # fmt: skip
        else:
            vals = _new_values(r.values, classes.get(r.values["class_code"]), today)
            out.add(kind="new", **base, geom=r.geom, values=vals, problems=check_values(vals))


def _missing_items(out: _Items, stored: _Stored, grids: set[str]) -> None:
    """Items for the stored, active components of the surveyed grids no record matched."""
    for j in np.nonzero(stored.active & ~stored.claimed)[0]:
        srow = stored.rows[j]
        if srow["grid_code"] not in grids:
            continue
        out.add(
            kind="missing",
            row_no=None,
            identifier=srow["identifier"],
            class_code=srow["class_code"],
            component_id=srow["id"],
            version=srow["version"],
            geom=stored.geom[j],
            old_geom=stored.geom[j],
        )


def reconcile(
    conn: Connection, ws: Workspace, batch: Batch, surveyed_grids: set[str] | None = None
) -> Reconciliation:
    """Classify every batch record and every stored component of the surveyed grids."""
    grids = set(surveyed_grids) if surveyed_grids is not None else set(batch.surveyed_grids)
    compare = [f for f in COMPARED if f in batch.fields]
    idents = sorted({r.identifier for r in batch.records if r.identifier})
    stored = _Stored.of(_load_stored(conn, ws, grids, idents, compare))
    surveyed = _Surveyed.of(batch.records)
    out = _Items()
    unmatched = _match_identifiers(out, stored, surveyed, compare)
    _unmatched_items(out, conn, ws, batch, stored, surveyed, unmatched)
    _missing_items(out, stored, grids)
    return Reconciliation(batch, out.items, grids)
