"""Census QA: what is still wrong with a component inventory (vectorised, no database).

Rules (stable ids used in the error layer and the counts):
``identifier_format`` structure, length, digits, class part, serial; ``identifier_unique``;
``identifier_county`` county prefix vs the stored grid; ``grid_mismatch`` stored grid code
vs the grid the component lies in; ``outside_grids``; ``duplicate`` same class within the
accuracy tolerance; ``mandatory`` attributes; ``domain`` values; ``class_unknown``;
``geometry_kind`` point/line/polygon vs the class.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..codes import id_schemes
from ..i18n import tr
from ..labels import geometry_kind_label, qa_rule_label, scheme_label
from ..workspace.schema.census import ACCURACY_TOLERANCE_M, RETIRED_STATUSES
from .geo import GridIndex, anchors
from .validation import DOMAINS, field_label

QA_RULES = (
    "identifier_format",
    "identifier_unique",
    "identifier_county",
    "grid_mismatch",
    "outside_grids",
    "duplicate",
    "mandatory",
    "domain",
    "class_unknown",
    "geometry_kind",
)
QA_MANDATORY = (
    "identifier",
    "name",
    "dept_code",
    "dept_name",
    "grid_code",
    "status",
    "initial_date",
)
QA_FIELDS = (
    "identifier",
    "scheme",
    "class_code",
    "name",
    "dept_code",
    "dept_name",
    "grid_code",
    "status",
    "initial_date",
    "data_source",
    "accuracy_class",
)


def rule_label(rule: str) -> str:
    """The translated label of a QA rule id."""
    return qa_rule_label(rule)


@dataclass
class QaError:
    index: int  # position in the input arrays
    fid: int
    identifier: str
    rule: str
    message: str
    point: Any  # shapely Point (anchor of the component), may be None


@dataclass
class QaResult:
    errors: list[QaError]
    checked: int

    def counts(self) -> dict[str, int]:
        c = Counter(e.rule for e in self.errors)
        return {r: c.get(r, 0) for r in QA_RULES}

    @property
    def components_with_errors(self) -> int:
        return len({e.index for e in self.errors})


def _blank(v: Any) -> bool:
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and np.isnan(v))
    )


def run_qa(
    fids: np.ndarray,
    values: dict[str, np.ndarray],
    geoms: np.ndarray,
    grids: GridIndex,
    classes: dict[tuple[str, str], str],
    default_scheme: str = "legacy16",
    tolerance_m: float | None = None,
) -> QaResult:
    """Check ``n`` components given as arrays: ``values[field]`` for :data:`QA_FIELDS`
    (missing fields count as empty), shapely ``geoms``, the unit ``grids`` and the known
    ``classes`` {(scheme, code): geometry_kind}. ``tolerance_m`` overrides the accuracy
    classes for duplicates."""
    n = len(fids)
    get = {f: values.get(f, np.full(n, None, dtype=object)) for f in QA_FIELDS}
    errors: list[QaError] = []
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    present[present] &= ~shapely.is_empty(geoms[present])
    pts = np.full(n, None, dtype=object)
    if present.any():
        pts[present] = anchors(geoms[present])
    ident = get["identifier"]
    schemes_ = id_schemes()

    def err(i: int, rule: str, message: str) -> None:
        errors.append(QaError(int(i), int(fids[i]), str(ident[i] or ""), rule, message, pts[i]))

    # attributes, domains, class, identifier structure: vectorised masks, then messages
    # only for the rows that fail.
    def blank_mask(col: np.ndarray) -> np.ndarray:
        return np.fromiter(
            (v is None or (isinstance(v, str) and not v.strip()) for v in col.tolist()),
            dtype=bool,
            count=n,
        )

    blanks = {f: blank_mask(get[f]) for f in QA_MANDATORY}
    for f in QA_MANDATORY:
        for i in np.nonzero(blanks[f])[0]:
            err(i, "mandatory", tr("CensusQA", "{0} is empty.").format(field_label(f)))
    for f, domain in DOMAINS.items():
        col = get[f]
        allowed = set(domain)
        bad = np.fromiter(
            (v is not None and v != "" and v not in allowed for v in col.tolist()),
            dtype=bool,
            count=n,
        )
        for i in np.nonzero(bad)[0]:
            err(
                i,
                "domain",
                tr("CensusQA", "{0} '{1}' is not allowed.").format(field_label(f), col[i]),
            )
    scheme_col = np.array([v or default_scheme for v in get["scheme"]], dtype=object)
    cls_col = np.array(["" if v is None else str(v) for v in get["class_code"]], dtype=object)
    want_kind = np.array(
        [classes.get(k) for k in zip(scheme_col.tolist(), cls_col.tolist())], dtype=object
    )
    kind_by_id = {
        0: "point",
        4: "point",
        1: "line",
        2: "line",
        5: "line",
        3: "polygon",
        6: "polygon",
    }
    type_ids = np.full(n, -1)
    if present.any():
        type_ids[present] = shapely.get_type_id(geoms[present])
    have_kind = np.array([kind_by_id.get(int(t)) for t in type_ids], dtype=object)
    for i in np.nonzero(want_kind == None)[0]:  # noqa: E711 - elementwise
        err(
            i,
            "class_unknown",
            tr("CensusQA", "Class {0} is not in the {1} class table.").format(
                cls_col[i], scheme_label(scheme_col[i])
            ),
        )
    wrong = (want_kind != None) & present & (want_kind != have_kind)  # noqa: E711
    for i in np.nonzero(wrong)[0]:
        err(
            i,
            "geometry_kind",
            tr("CensusQA", "Class {0} needs a {1}; the geometry is a {2}.").format(
                cls_col[i], geometry_kind_label(want_kind[i]), geometry_kind_label(have_kind[i])
            ),
        )
    for i in np.nonzero(~present)[0]:
        err(i, "geometry_kind", tr("CensusQA", "No geometry."))
    id_str = np.array(["" if v is None else str(v) for v in ident], dtype=object)
    has_id = ~blanks["identifier"]
    lengths = {name: s.length for name, s in schemes_.items()}
    id_counts = Counter(id_str.tolist())
    dup_count = np.fromiter((id_counts[v] for v in id_str.tolist()), dtype=np.int64, count=n)
    grid_col = np.array(["" if v is None else str(v) for v in get["grid_code"]], dtype=object)
    for i in np.nonzero(has_id)[0]:
        idv, scheme, cls = id_str[i], scheme_col[i], cls_col[i]
        s_ = schemes_.get(scheme)
        ok_struct = (
            s_ is not None and len(idv) == lengths[scheme] and idv.isdigit() and idv.isascii()
        )
        if ok_struct:
            c0, c1 = s_.county_digits, s_.county_digits + s_.class_digits
            if (
                (not cls or idv[c0:c1] == cls)
                and idv[c1:].strip("0")
                and (not grid_col[i] or grid_col[i][:6] == idv[:6])
                and dup_count[i] == 1
            ):
                continue  # the common case: nothing to report
        if s_ is None:
            err(
                i,
                "identifier_format",
                tr("CensusQA", "Unknown identifier scheme {0}.").format(scheme),
            )
        elif not ok_struct:
            err(
                i,
                "identifier_format",
                tr("CensusQA", "Identifier {0} must be {1} digits.").format(idv, s_.length),
            )
        else:
            if cls and idv[c0:c1] != cls:
                err(
                    i,
                    "identifier_format",
                    tr(
                        "CensusQA", "Identifier {0} carries class {1}, the component is class {2}."
                    ).format(idv, idv[c0:c1], cls),
                )
            if not idv[c1:].strip("0"):
                err(
                    i,
                    "identifier_format",
                    tr("CensusQA", "Identifier {0} has serial 0.").format(idv),
                )
            gc = grid_col[i]
            if gc and gc[:6] != idv[:6]:
                err(
                    i,
                    "identifier_county",
                    tr(
                        "CensusQA", "Identifier {0} is of county {1}, its grid {2} of county {3}."
                    ).format(idv, idv[:6], gc, gc[:6]),
                )
        if dup_count[i] > 1:
            err(
                i,
                "identifier_unique",
                tr("CensusQA", "Identifier {0} is used by {1} components.").format(
                    idv, int(dup_count[i])
                ),
            )
    # grids: vectorised point-in-polygon
    idx = np.nonzero(present)[0]
    if len(idx):
        p, codes = grids.all_containing(pts[idx])
        inside = np.zeros(len(idx), dtype=bool)
        inside[p] = True
        stored = get["grid_code"][idx]
        ok = np.zeros(len(idx), dtype=bool)
        match = codes == stored[p]
        ok[p[match]] = True
        first_code = np.full(len(idx), None, dtype=object)
        first_code[p[::-1]] = codes[::-1]
        for k in np.nonzero(~inside)[0]:
            err(idx[k], "outside_grids", tr("CensusQA", "The component lies in no unit grid."))
        for k in np.nonzero(inside & ~ok)[0]:
            err(
                idx[k],
                "grid_mismatch",
                tr("CensusQA", "Stored grid {0}, but it lies in grid {1}.").format(
                    stored[k], first_code[k]
                ),
            )
    # duplicates: same class within tolerance, active components only
    status = get["status"]
    active = present & np.array([s not in RETIRED_STATUSES for s in status], dtype=bool)
    aidx = np.nonzero(active)[0]
    if len(aidx) > 1:
        if tolerance_m:
            tol = np.full(n, float(tolerance_m))
        else:
            acc = get["accuracy_class"]
            tol = np.array([ACCURACY_TOLERANCE_M.get(a or "B", 1.0) for a in acc], dtype=float)
        tree = shapely.STRtree(pts[aidx])
        qmax = float(tol[aidx].max())
        a, b = tree.query(pts[aidx], predicate="dwithin", distance=qmax)
        keep = a < b
        a, b = aidx[a[keep]], aidx[b[keep]]
        if len(a):
            cls = get["class_code"]
            d = shapely.distance(pts[a], pts[b])
            same = (cls[a] == cls[b]) & (d <= np.maximum(tol[a], tol[b]))
            for x, y, dd in zip(a[same], b[same], d[same]):
                for me, other in ((x, y), (y, x)):
                    err(
                        me,
                        "duplicate",
                        tr("CensusQA", "Same class as {0}, {1:.2f} m away.").format(
                            ident[other] or fids[other], dd
                        ),
                    )
    errors.sort(key=lambda e: (e.index, QA_RULES.index(e.rule)))
    return QaResult(errors, n)


def default_classes() -> dict[tuple[str, str], str]:
    from ..codes import default_component_classes

    out = {}
    for scheme in id_schemes():
        for c in default_component_classes(scheme):
            out[(scheme, c.code)] = c.geometry_kind
    return out
