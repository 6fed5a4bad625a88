"""A point-of-interest census batch: the POI fields, their known column names, and the checks
of one row (the reading, value maps, positions and placing are those of a component batch,
:mod:`.importer`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from ..i18n import tr
from ..labels import field_label
from ..workspace.store import Workspace
from .batch_codes import ValueCodes, ValueMaps
from .batch_mapping import ALIASES, POSITION_FIELDS
from .batch_read import SourceTable
from .batch_values import RowParser
from .errors import Problem
from .poi_checks import (
    POI_DOMAINS,
    POI_MANDATORY,
    category_problem,
    identifier_problems,
    phone_problem,
)
from .pois import POI_EDITABLE, PoiCategory, poi_categories
from .validation import is_placeholder, no_grid_problem

POI_TARGET_FIELDS = ("identifier", "category_code", *POI_EDITABLE, "grid_code", *POSITION_FIELDS)
POI_CODED = ("category_code", "status", "data_source")
POI_ALIASES: dict[str, tuple[str, ...]] = {
    "identifier": ("identifier", "poi_id", "poiid", "兴趣点编码", "兴趣点标识码", "编码"),
    "category_code": (
        "category_code",
        "category",
        "类别",
        "兴趣点类别",
        "分类",
        "类型",
        "类别代码",
    ),
    "name": ("name", "名称", "兴趣点名称", "poi名称", "mc"),
    "address": ("address", "addr", "地址", "详细地址"),
    "phone": ("phone", "tel", "telephone", "电话", "联系电话"),
    "door_number": ("door_number", "doorplate", "门牌号", "门牌", "门址"),
    "status": ("status", "状态", "营业状态"),
    "initial_date": ALIASES["initial_date"] + ("普查日期", "采集日期"),
    "data_source": ALIASES["data_source"],
    "note": ALIASES["note"],
    "grid_code": ALIASES["grid_code"],
    "x": ALIASES["x"],
    "y": ALIASES["y"],
    "wkt": ALIASES["wkt"],
}


def category_of_identifier(ident: str | None) -> str | None:
    """The category part of a valid POI identifier (16 digits), else None."""
    if not ident or len(ident) != 16 or not (ident.isdigit() and ident.isascii()):
        return None
    return ident[6:10]


def _attribute_problems(vals: dict[str, Any], fields: set[str]) -> list[Problem]:
    ps = []
    for f in POI_MANDATORY:
        v = vals.get(f)
        if f in fields and v in (None, ""):
            message = tr("Census", "Mandatory attribute missing: {0}.")
            ps.append(Problem("mandatory", f, message.format(field_label(f, "pois"))))
        elif f in fields and is_placeholder(v):
            message = tr("Census", "Mandatory attribute {0} holds a placeholder: '{1}'.")
            ps.append(Problem("placeholder", f, message.format(field_label(f, "pois"), v)))
    for f, domain in POI_DOMAINS.items():
        v = vals.get(f)
        if v and v not in domain:
            message = tr("Census", "{0} '{1}' is not one of: {2}.")
            ps.append(
                Problem("domain", f, message.format(field_label(f, "pois"), v, "、".join(domain)))
            )
    if isinstance(vals.get("initial_date"), str):
        message = tr("Census", "{0} is not a date: {1}.")
        label = field_label("initial_date", "pois")
        ps.append(Problem("date", "initial_date", message.format(label, vals["initial_date"])))
    problem = phone_problem(vals.get("phone"))
    return ps + ([problem] if problem else [])


@dataclass
class PoiRowChecks:
    """The checks of a POI batch: the fields it carries, the category list, and the
    identifiers seen so far (an identifier may appear once)."""

    fields: set[str]
    categories: dict[str, PoiCategory]
    seen_ids: dict[str, int] = field(default_factory=dict)

    def row(
        self,
        row_no: int,
        vals: dict[str, Any],
        kind: str | None,
        grid_code: str | None,
        no_position: str | None = None,
    ) -> list[Problem]:
        from .batch_checks import no_position_problem

        cat = vals.get("category_code")
        ps = [p for p in [category_problem(self.categories, cat)] if p]
        ps += _attribute_problems(vals, self.fields)
        if kind is None:
            ps.append(no_position_problem(no_position))
        elif kind != "point":
            message = tr("Census", "A point of interest is a point.")
            ps.append(Problem("geometry_kind", "geom", message))
        elif grid_code is None:
            ps.append(no_grid_problem())
        ps += self._identifier(row_no, vals.get("identifier"), cat, grid_code)
        return ps

    def _identifier(self, row_no: int, ident: str | None, cat: str | None, grid: str | None):
        if not ident:
            return []
        ps = identifier_problems(ident, cat or "", grid)
        if ident in self.seen_ids:
            message = tr("Census", "Identifier {0} also appears in row {1}.")
            ps.append(
                Problem(
                    "identifier_taken", "identifier", message.format(ident, self.seen_ids[ident])
                )
            )
        else:
            self.seen_ids[ident] = row_no
        return ps


def poi_codes(values: ValueMaps | None, categories: dict[str, PoiCategory]) -> ValueCodes:
    """The value maps of a POI batch: category (also by name), status, data source."""
    return ValueCodes(values, categories, POI_CODED, POI_DOMAINS, "category_code")


def prepare_poi_batch(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    mapping: dict[str, str],
    source_crs: str | None = None,
    values: ValueMaps | None = None,
) -> Any:
    """A POI batch read, mapped, placed and checked (see :func:`.importer.prepare_batch`)."""
    from .batch_mapping import mapped_fields
    from .importer import TZ, build_batch

    categories = poi_categories(conn, ws)
    checks = PoiRowChecks(mapped_fields(mapping, "pois"), categories)
    codes = poi_codes(values, categories)
    parser = RowParser(
        mapping,
        checks.fields,
        "poi",
        codes,
        ws.setting("timezone", TZ),
        class_of=category_of_identifier,
    )
    return build_batch(conn, ws, table, source_crs, parser, checks, target="pois")
