"""Coded fields of a census batch: what an export prints, mapped to what the workspace stores.

Exports from older platforms print coded fields in free text ("正常" for 完好, "实地测量"
for 实测, "A级" for A, a class by its name). A value map ``{field: {source value: stored
value}}`` (``VALUES.json``, or set in the dialog and remembered with the field mapping) turns
them into stored values; a class may also be given by its name in the workspace's class
table. A value that is still not one the field allows is *unmapped*: the rows carrying it are
refused, and :func:`unmapped_values` lists each such value once with its count.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from ..i18n import tr
from .errors import CensusError
from .validation import DOMAINS

# Fields whose values can be mapped: the domains, the class and the department.
CODED_FIELDS = ("class_code", "status", "data_source", "accuracy_class", "dept_code", "dept_name")
ValueMaps = dict[str, dict[str, str]]


def normal_text(value: Any) -> str:
    """A printed value as compared with a map key: full-width forms made plain, no blanks
    around it."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _accuracy(text: str) -> str:
    """ "a", "Ａ级", "B类" → "A", "A", "B"."""
    t = text.upper()
    for suffix in ("级", "类", "等"):
        t = t.removesuffix(suffix)
    return t.strip()


class ValueCodes:
    """The value maps of one batch and what each coded field allows: the ``coded`` fields,
    those with a fixed ``domains``, and ``class_field`` whose values are the codes of
    ``classes`` (any object with ``code`` and ``name``), which may be given by name."""

    def __init__(
        self,
        maps: ValueMaps | None,
        classes: dict[str, Any] | None = None,
        coded: tuple[str, ...] = CODED_FIELDS,
        domains: dict[str, tuple[str, ...]] | None = None,
        class_field: str = "class_code",
    ) -> None:
        self.maps = {
            f: {normal_text(k): str(v).strip() for k, v in (m or {}).items()}
            for f, m in (maps or {}).items()
        }
        self.coded = coded
        self.domains = DOMAINS if domains is None else domains
        self.class_field = class_field
        self.classes = classes or {}
        names = Counter(c.name for c in self.classes.values())
        self.class_by_name = {c.name: c.code for c in self.classes.values() if names[c.name] == 1}
        self._allowed = {f: self._allowed_values(f) for f in coded}
        self._seen: dict[tuple[str, str], tuple[str, bool]] = {}  # a batch repeats its values

    def allowed(self, f: str) -> set[str] | None:
        """The values ``f`` may store; None when any text will do."""
        return self._allowed.get(f)

    def _allowed_values(self, f: str) -> set[str] | None:
        if f in self.domains:
            return set(self.domains[f]) | set(self.maps.get(f, {}).values())
        if f == self.class_field and self.classes:
            return set(self.classes)
        if f in self.maps:  # e.g. a department with a map: its stored values only
            return set(self.maps[f].values())
        return None

    def apply(self, f: str, text: str | None) -> tuple[str | None, bool]:
        """(stored value, whether it is one ``f`` allows) of a parsed text."""
        if text is None or f not in self.coded:
            return text, True
        known = self._seen.get((f, text))
        if known is None:
            known = self._seen[(f, text)] = self._apply(f, text)
        return known

    def _apply(self, f: str, text: str) -> tuple[str | None, bool]:
        key = normal_text(text)
        value = self.maps.get(f, {}).get(key)
        if value is None:
            value = self._unmapped_default(f, key)
        allowed = self.allowed(f)
        return value, allowed is None or value in allowed

    def _unmapped_default(self, f: str, key: str) -> str:
        """What a value without a map entry stands for: a class by its name or as "0101
        上水井盖", an accuracy class written "A级"; else the value itself."""
        if f == self.class_field:
            if key in self.class_by_name:
                return self.class_by_name[key]
            head = key.split(" ", 1)[0]
            if head in self.classes:
                return head
        if f == "accuracy_class":
            return _accuracy(key)
        return key


def read_value_maps(path: str | Path) -> ValueMaps:
    """``VALUES.json``: ``{"target field": {"source value": "stored value"}}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise CensusError(
            tr("Census", "Cannot read the value mapping {0}: {1}").format(path, exc)
        ) from exc
    ok = isinstance(data, dict) and all(
        isinstance(m, dict) and all(isinstance(v, str) for v in m.values()) for m in data.values()
    )
    if not ok:
        raise CensusError(
            tr(
                "Census",
                "The value mapping {0} must give, for each field, source values and the "
                "stored values they stand for.",
            ).format(path)
        )
    return {str(f): {str(k): v for k, v in m.items()} for f, m in data.items()}
