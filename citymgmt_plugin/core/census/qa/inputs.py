"""The inventory a QA run checks, as arrays, with the derived columns rules share.

Every derived column is computed once, when the first rule asks for it, so a rule costs
only what it reads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import shapely

from ...codes import id_schemes
from ..geo import GridIndex, anchors

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

# shapely geometry type id -> the geometry kind of a component class
_KIND_OF_TYPE_ID = {
    0: "point",
    4: "point",
    1: "line",
    2: "line",
    5: "line",
    3: "polygon",
    6: "polygon",
}


def _text_column(col: np.ndarray) -> np.ndarray:
    """Values as text, None as ''."""
    return np.array(["" if v is None else str(v) for v in col], dtype=object)


@dataclass(frozen=True)
class IdentifierParts:
    """Per row: whether the identifier's scheme is known, its structure (length, digits)
    right, and, where the structure is right, its class part, serial and county right."""

    scheme_known: np.ndarray
    structure_ok: np.ndarray
    class_ok: np.ndarray
    serial_ok: np.ndarray
    county_ok: np.ndarray


@dataclass(frozen=True)
class GridHits:
    """Rows with a geometry (``rows``), whether each lies in a grid, whether its stored grid
    is one of those, the first grid found, and the stored code."""

    rows: np.ndarray
    inside: np.ndarray
    stored_ok: np.ndarray
    first_code: np.ndarray
    stored: np.ndarray


class QaInput:
    """``n`` components: ``values[field]`` for :data:`QA_FIELDS` (missing fields count as
    empty), shapely ``geoms``, the unit ``grids``, the known ``classes``
    {(scheme, code): geometry_kind}; ``tolerance_m`` overrides the accuracy classes."""

    def __init__(
        self,
        fids: np.ndarray,
        values: dict[str, np.ndarray],
        geoms: np.ndarray,
        grids: GridIndex,
        classes: dict[tuple[str, str], str],
        default_scheme: str = "legacy16",
        tolerance_m: float | None = None,
    ) -> None:
        self.n = n = len(fids)
        self.fids = fids
        self.get = {f: values.get(f, np.full(n, None, dtype=object)) for f in QA_FIELDS}
        self.geoms = np.asarray(geoms, dtype=object)
        self.grids = grids
        self.classes = classes
        self.default_scheme = default_scheme
        self.tolerance_m = tolerance_m
        present = ~shapely.is_missing(self.geoms)
        present[present] &= ~shapely.is_empty(self.geoms[present])
        self.present = present
        self.pts = np.full(n, None, dtype=object)
        if present.any():
            self.pts[present] = anchors(self.geoms[present])
        self._blanks: dict[str, np.ndarray] = {}

    @property
    def ident(self) -> np.ndarray:
        return self.get["identifier"]

    def blank(self, f: str) -> np.ndarray:
        """Rows where ``f`` is None or blank text."""
        if f not in self._blanks:
            self._blanks[f] = np.fromiter(
                (v is None or (isinstance(v, str) and not v.strip()) for v in self.get[f].tolist()),
                dtype=bool,
                count=self.n,
            )
        return self._blanks[f]

    @cached_property
    def scheme_col(self) -> np.ndarray:
        return np.array([v or self.default_scheme for v in self.get["scheme"]], dtype=object)

    @cached_property
    def cls_col(self) -> np.ndarray:
        return _text_column(self.get["class_code"])

    @cached_property
    def id_str(self) -> np.ndarray:
        return _text_column(self.ident)

    @cached_property
    def grid_col(self) -> np.ndarray:
        return _text_column(self.get["grid_code"])

    @cached_property
    def has_id(self) -> np.ndarray:
        return ~self.blank("identifier")

    @cached_property
    def want_kind(self) -> np.ndarray:
        """The geometry kind each row's class needs (None: class unknown)."""
        keys = zip(self.scheme_col.tolist(), self.cls_col.tolist())
        return np.array([self.classes.get(k) for k in keys], dtype=object)

    @cached_property
    def have_kind(self) -> np.ndarray:
        """The geometry kind of each row's geometry (None: no geometry)."""
        type_ids = np.full(self.n, -1)
        if self.present.any():
            type_ids[self.present] = shapely.get_type_id(self.geoms[self.present])
        return np.array([_KIND_OF_TYPE_ID.get(int(t)) for t in type_ids], dtype=object)

    @cached_property
    def id_uses(self) -> np.ndarray:
        """How many rows carry each row's identifier."""
        counts = Counter(self.id_str.tolist())
        return np.fromiter((counts[v] for v in self.id_str.tolist()), dtype=np.int64, count=self.n)

    @cached_property
    def id_parts(self) -> IdentifierParts:
        """The identifier checks of every row, in one pass."""
        schemes = id_schemes()
        rows = zip(
            self.id_str.tolist(),
            self.scheme_col.tolist(),
            self.cls_col.tolist(),
            self.grid_col.tolist(),
        )
        flags = np.array(
            [_identifier_flags(i, schemes.get(s), c, g) for i, s, c, g in rows], dtype=bool
        ).reshape(self.n, 5)
        return IdentifierParts(*(flags[:, k] for k in range(5)))

    @cached_property
    def grid_hits(self) -> GridHits:
        """Vectorised point-in-polygon of every row with a geometry."""
        idx = np.nonzero(self.present)[0]
        if not len(idx):
            none = np.zeros(0, dtype=object)
            return GridHits(idx, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool), none, none)
        p, codes = self.grids.all_containing(self.pts[idx])
        inside = np.zeros(len(idx), dtype=bool)
        inside[p] = True
        stored = self.get["grid_code"][idx]
        ok = np.zeros(len(idx), dtype=bool)
        ok[p[codes == stored[p]]] = True
        first_code = np.full(len(idx), None, dtype=object)
        first_code[p[::-1]] = codes[::-1]
        return GridHits(idx, inside, ok, first_code, stored)


def _identifier_flags(idv: str, scheme: Any, cls: str, grid_code: str) -> tuple[bool, ...]:
    """(scheme known, structure, class part, serial, county) of one identifier."""
    if scheme is None:
        return (False, False, False, False, False)
    if not (len(idv) == scheme.length and idv.isdigit() and idv.isascii()):
        return (True, False, False, False, False)
    c0, c1 = scheme.county_digits, scheme.county_digits + scheme.class_digits
    return (
        True,
        True,
        not cls or idv[c0:c1] == cls,
        bool(idv[c1:].strip("0")),
        not grid_code or grid_code[:6] == idv[:6],
    )
