"""Code schemes: unit grid codes, component identifiers and the class tables.

Unit grid code (GB/T 30428.1): county-level division (6, GB/T 2260) + street/town (3) +
community/village (3) + grid sequence (3) = 15 digits; a legacy 14-digit form ends with a
2-digit sequence. Component identifier (GB/T 30428.2): county (6) + class code + serial (6),
16 digits with a 4-digit class code (legacy) or 17 with a 5-digit one (reported 2026 form).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .i18n import tr
from .paths import resource

_CTX = "Codes"


@dataclass(frozen=True)
class IdScheme:
    name: str
    title: str
    county_digits: int
    class_digits: int
    serial_digits: int
    classes_file: str

    @property
    def length(self) -> int:
        return self.county_digits + self.class_digits + self.serial_digits

    def compose(self, county: str, class_code: str, serial: int) -> str:
        return f"{county}{class_code}{serial:0{self.serial_digits}d}"

    def split(self, identifier: str) -> tuple[str, str, int]:
        c, k = self.county_digits, self.class_digits
        return identifier[:c], identifier[c : c + k], int(identifier[c + k :])


@dataclass(frozen=True)
class ComponentClass:
    code: str
    major_code: str
    major_name: str
    name: str
    geometry_kind: str = "point"


@lru_cache(maxsize=1)
def id_schemes() -> dict[str, IdScheme]:
    data = json.loads(resource("codes", "id_schemes.json").read_text(encoding="utf-8"))
    return {
        name: IdScheme(
            name,
            d["title"],
            d["county_digits"],
            d["class_digits"],
            d["serial_digits"],
            d["classes"],
        )
        for name, d in data.items()
    }


def read_class_table(path: Path) -> list[ComponentClass]:
    """Read a class table CSV (code, major_code, major_name, name[, geometry_kind])."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [
            ComponentClass(
                r["code"].strip(),
                r["major_code"].strip(),
                r["major_name"].strip(),
                r["name"].strip(),
                (r.get("geometry_kind") or "point").strip(),
            )
            for r in csv.DictReader(f)
        ]


@lru_cache(maxsize=4)
def default_component_classes(scheme: str = "legacy16") -> tuple[ComponentClass, ...]:
    return tuple(read_class_table(resource("codes", id_schemes()[scheme].classes_file)))


@lru_cache(maxsize=1)
def default_event_classes() -> tuple[ComponentClass, ...]:
    return tuple(read_class_table(resource("codes", "event_classes.csv")))


@lru_cache(maxsize=1)
def default_poi_categories() -> tuple[ComponentClass, ...]:
    """Point-of-interest categories (兴趣点分类) shipped with the plugin (this project's
    two-level list; a city may use its own)."""
    return tuple(read_class_table(resource("codes", "poi_categories.csv")))


def _digits_problem(code: str, what: str, lengths: tuple[int, ...]) -> str | None:
    if not code:
        return tr(_CTX, "{0} is empty.").format(what)
    if not code.isdigit() or not code.isascii():
        return tr(_CTX, "{0} {1} must contain digits only.").format(what, code)
    if len(code) not in lengths:
        want = tr(_CTX, " or ").join(str(n) for n in lengths)
        return tr(_CTX, "{0} {1} has {2} digits; it must have {3}.").format(
            what, code, len(code), want
        )
    return None


def validate_grid_code(
    code: str, legacy14: bool = False, community_code: str | None = None
) -> list[str]:
    """Problems with a unit grid code; an empty list when it is valid."""
    lengths = (14, 15) if legacy14 else (15,)
    what = tr(_CTX, "Unit grid code")
    problem = _digits_problem(code, what, lengths)
    if problem:
        if not legacy14 and code.isdigit() and len(code) == 14:
            problem += " " + tr(
                _CTX, "14-digit codes are the legacy form; enable them in the workspace settings."
            )
        return [problem]
    problems = []
    if code[:6] == "000000":
        problems.append(
            tr(_CTX, "Unit grid code {0}: county code 000000 is not valid.").format(code)
        )
    if code[12:] in ("000", "00"):
        problems.append(tr(_CTX, "Unit grid code {0}: grid sequence cannot be 0.").format(code))
    if community_code and code[:12] != community_code:
        problems.append(
            tr(_CTX, "Unit grid code {0} does not start with its community code {1}.").format(
                code, community_code
            )
        )
    return problems


def validate_component_id(
    identifier: str,
    scheme: str = "legacy16",
    class_code: str | None = None,
    grid_code: str | None = None,
    known_classes: set[str] | None = None,
) -> list[str]:
    """Problems with a component identifier (structure, class, county vs grid)."""
    s = id_schemes()[scheme]
    what = tr(_CTX, "Component identifier")
    problem = _digits_problem(identifier, what, (s.length,))
    if problem:
        return [problem]
    county, cls, serial = s.split(identifier)
    problems = []
    if serial == 0:
        problems.append(
            tr(_CTX, "Component identifier {0}: serial cannot be 0.").format(identifier)
        )
    if class_code is not None and cls != class_code:
        problems.append(
            tr(
                _CTX, "Component identifier {0} carries class {1} but the component's class is {2}."
            ).format(identifier, cls, class_code)
        )
    if known_classes is not None and cls not in known_classes:
        problems.append(
            tr(_CTX, "Component identifier {0}: class {1} is not in the class table.").format(
                identifier, cls
            )
        )
    if grid_code is not None and grid_code[:6] != county:
        problems.append(
            tr(
                _CTX,
                "Component identifier {0} starts with county {1} but its unit grid {2} "
                "is in county {3}.",
            ).format(identifier, county, grid_code, grid_code[:6])
        )
    return problems
