"""Census QA: what is still wrong with a component inventory (vectorised, no database).

Rules (stable ids used in the error layer and the counts; :data:`RULES` in
:mod:`.rules` holds them in order):
``identifier_format`` structure, length, digits, class part, serial; ``identifier_unique``;
``identifier_county`` county prefix vs the stored grid; ``grid_mismatch`` stored grid code
vs the grid the component lies in; ``outside_grids``; ``duplicate`` same class within the
accuracy tolerance; ``mandatory`` attributes; ``placeholder`` in them ("000", "未指定",
"无", "/", "-" …); ``domain`` values; ``class_unknown``;
``geometry_kind`` point/line/polygon vs the class.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...codes import id_schemes
from ...labels import qa_rule_label
from ..geo import GridIndex
from .inputs import QA_FIELDS, QaInput
from .rules import QA_MANDATORY, RULES, QaRule

QA_RULES = tuple(rule.id for rule in RULES)

__all__ = [
    "QA_FIELDS",
    "QA_MANDATORY",
    "QA_RULES",
    "RULES",
    "QaError",
    "QaInput",
    "QaResult",
    "QaRule",
    "default_classes",
    "rule_label",
    "run_qa",
]


def rule_label(rule: str) -> str:
    """The translated label of a QA rule id (the id itself for an unknown rule)."""
    for r in RULES:
        if r.id == rule and r.label is not None:
            return r.label()
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


def run_qa(
    fids: np.ndarray,
    values: dict[str, np.ndarray],
    geoms: np.ndarray,
    grids: GridIndex,
    classes: dict[tuple[str, str], str],
    default_scheme: str = "legacy16",
    tolerance_m: float | None = None,
    rules: Sequence[QaRule] = RULES,
) -> QaResult:
    """Check ``n`` components given as arrays: ``values[field]`` for :data:`QA_FIELDS`
    (missing fields count as empty), shapely ``geoms``, the unit ``grids`` and the known
    ``classes`` {(scheme, code): geometry_kind}. ``tolerance_m`` overrides the accuracy
    classes for duplicates. Errors come by component, then in the order of ``rules``."""
    data = QaInput(fids, values, geoms, grids, classes, default_scheme, tolerance_m)
    errors: list[QaError] = []
    for rule in rules:
        for i, message in rule.check(data):
            i = int(i)
            identifier = str(data.ident[i] or "")
            errors.append(QaError(i, int(fids[i]), identifier, rule.id, message, data.pts[i]))
    order = {rule.id: k for k, rule in enumerate(rules)}
    errors.sort(key=lambda e: (e.index, order[e.rule]))
    return QaResult(errors, data.n)


def default_classes() -> dict[tuple[str, str], str]:
    from ...codes import default_component_classes

    out = {}
    for scheme in id_schemes():
        for c in default_component_classes(scheme):
            out[(scheme, c.code)] = c.geometry_kind
    return out
