"""The census QA rules, one function each, and the registry that orders them.

A rule reads a :class:`~.inputs.QaInput` and yields ``(row, message)`` for every problem
it finds. To add one: write the function, then add a :class:`QaRule` to :data:`RULES`
(its place there is its place in the counts and in the error order of a component).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import shapely

from ...codes import id_schemes
from ...i18n import tr
from ...labels import field_label, geometry_kind_label, scheme_label
from ...workspace.schema.census import ACCURACY_TOLERANCE_M, RETIRED_STATUSES
from ..validation import DOMAINS, is_placeholder
from .inputs import QaInput

Finding = tuple[int, str]  # (row index, message)

QA_MANDATORY = (
    "identifier",
    "name",
    "dept_code",
    "dept_name",
    "grid_code",
    "status",
    "initial_date",
)


@dataclass(frozen=True)
class QaRule:
    """A QA rule: stable ``id`` (error layer, counts) and ``check(data)`` yielding the
    findings; ``label()`` names it for people (default: :func:`~...labels.qa_rule_label`)."""

    id: str
    check: Callable[[QaInput], Iterator[Finding]]
    label: Callable[[], str] | None = None


def identifier_format(data: QaInput) -> Iterator[Finding]:
    """Scheme, length and digits; where those hold, the class part and the serial."""
    parts = data.id_parts
    bad = data.has_id & ~(parts.structure_ok & parts.class_ok & parts.serial_ok)
    schemes = id_schemes()
    for i in np.nonzero(bad)[0]:
        idv, scheme, cls = data.id_str[i], data.scheme_col[i], data.cls_col[i]
        s_ = schemes.get(scheme)
        if s_ is None:
            yield i, tr("CensusQA", "Unknown identifier scheme {0}.").format(scheme)
            continue
        if not parts.structure_ok[i]:
            yield i, tr("CensusQA", "Identifier {0} must be {1} digits.").format(idv, s_.length)
            continue
        c0, c1 = s_.county_digits, s_.county_digits + s_.class_digits
        if not parts.class_ok[i]:
            yield (
                i,
                tr(
                    "CensusQA", "Identifier {0} carries class {1}, the component is class {2}."
                ).format(idv, idv[c0:c1], cls),
            )
        if not parts.serial_ok[i]:
            yield i, tr("CensusQA", "Identifier {0} has serial 0.").format(idv)


def identifier_unique(data: QaInput) -> Iterator[Finding]:
    for i in np.nonzero(data.has_id & (data.id_uses > 1))[0]:
        yield (
            i,
            tr("CensusQA", "Identifier {0} is used by {1} components.").format(
                data.id_str[i], int(data.id_uses[i])
            ),
        )


def identifier_county(data: QaInput) -> Iterator[Finding]:
    """The county prefix of a well-formed identifier vs its stored grid's."""
    parts = data.id_parts
    for i in np.nonzero(data.has_id & parts.structure_ok & ~parts.county_ok)[0]:
        idv, gc = data.id_str[i], data.grid_col[i]
        yield (
            i,
            tr("CensusQA", "Identifier {0} is of county {1}, its grid {2} of county {3}.").format(
                idv, idv[:6], gc, gc[:6]
            ),
        )


def grid_mismatch(data: QaInput) -> Iterator[Finding]:
    hits = data.grid_hits
    for k in np.nonzero(hits.inside & ~hits.stored_ok)[0]:
        yield (
            hits.rows[k],
            tr("CensusQA", "Stored grid {0}, but it lies in grid {1}.").format(
                hits.stored[k], hits.first_code[k]
            ),
        )


def outside_grids(data: QaInput) -> Iterator[Finding]:
    hits = data.grid_hits
    for k in np.nonzero(~hits.inside)[0]:
        yield hits.rows[k], tr("CensusQA", "The component lies in no unit grid.")


def _tolerances(data: QaInput) -> np.ndarray:
    """Duplicate tolerance per row: the override, else its accuracy class (default B)."""
    if data.tolerance_m:
        return np.full(data.n, float(data.tolerance_m))
    acc = data.get["accuracy_class"]
    return np.array([ACCURACY_TOLERANCE_M.get(a or "B", 1.0) for a in acc], dtype=float)


def duplicate(data: QaInput) -> Iterator[Finding]:
    """Active components of the same class within the larger of their tolerances."""
    status = data.get["status"]
    active = data.present & np.array([s not in RETIRED_STATUSES for s in status], dtype=bool)
    aidx = np.nonzero(active)[0]
    if len(aidx) <= 1:
        return
    tol = _tolerances(data)
    pts = data.pts
    tree = shapely.STRtree(pts[aidx])
    a, b = tree.query(pts[aidx], predicate="dwithin", distance=float(tol[aidx].max()))
    keep = a < b
    a, b = aidx[a[keep]], aidx[b[keep]]
    if not len(a):
        return
    cls = data.get["class_code"]
    d = shapely.distance(pts[a], pts[b])
    same = (cls[a] == cls[b]) & (d <= np.maximum(tol[a], tol[b]))
    for x, y, dd in zip(a[same], b[same], d[same]):
        for me, other in ((x, y), (y, x)):
            yield (
                me,
                tr("CensusQA", "Same class as {0}, {1:.2f} m away.").format(
                    data.ident[other] or data.fids[other], dd
                ),
            )


def mandatory(data: QaInput) -> Iterator[Finding]:
    for f in QA_MANDATORY:
        for i in np.nonzero(data.blank(f))[0]:
            yield i, tr("CensusQA", "{0} is empty.").format(field_label(f))


def placeholder(data: QaInput) -> Iterator[Finding]:
    """Mandatory attributes filled with a placeholder ("000", "未指定", "无", "/", "-" …)."""
    for f in QA_MANDATORY:
        col = data.get[f]
        hits = np.fromiter((is_placeholder(v) for v in col.tolist()), dtype=bool, count=data.n)
        for i in np.nonzero(hits)[0]:
            yield (
                i,
                tr("CensusQA", "{0} holds a placeholder: '{1}'.").format(field_label(f), col[i]),
            )


def domain(data: QaInput) -> Iterator[Finding]:
    for f, allowed_values in DOMAINS.items():
        col = data.get[f]
        allowed = set(allowed_values)
        bad = np.fromiter(
            (v is not None and v != "" and v not in allowed for v in col.tolist()),
            dtype=bool,
            count=data.n,
        )
        for i in np.nonzero(bad)[0]:
            yield i, tr("CensusQA", "{0} '{1}' is not allowed.").format(field_label(f), col[i])


def class_unknown(data: QaInput) -> Iterator[Finding]:
    for i in np.nonzero(data.want_kind == None)[0]:  # noqa: E711 - elementwise
        yield (
            i,
            tr("CensusQA", "Class {0} is not in the {1} class table.").format(
                data.cls_col[i], scheme_label(data.scheme_col[i])
            ),
        )


def geometry_kind(data: QaInput) -> Iterator[Finding]:
    """Point, line or polygon as the class needs; rows without a geometry."""
    want, have = data.want_kind, data.have_kind
    wrong = (want != None) & data.present & (want != have)  # noqa: E711 - elementwise
    for i in np.nonzero(wrong)[0]:
        yield (
            i,
            tr("CensusQA", "Class {0} needs a {1}; the geometry is a {2}.").format(
                data.cls_col[i], geometry_kind_label(want[i]), geometry_kind_label(have[i])
            ),
        )
    for i in np.nonzero(~data.present)[0]:
        yield i, tr("CensusQA", "No geometry.")


RULES: tuple[QaRule, ...] = (
    QaRule("identifier_format", identifier_format),
    QaRule("identifier_unique", identifier_unique),
    QaRule("identifier_county", identifier_county),
    QaRule("grid_mismatch", grid_mismatch),
    QaRule("outside_grids", outside_grids),
    QaRule("duplicate", duplicate),
    QaRule("mandatory", mandatory),
    QaRule("placeholder", placeholder),
    QaRule("domain", domain),
    QaRule("class_unknown", class_unknown),
    QaRule("geometry_kind", geometry_kind),
)
