"""Census import: a survey batch read, mapped, transformed to the workspace CRS and checked.

The steps, each in its own module so each can change alone: reading the source
(:mod:`.batch_read`: GeoPackage, Shapefile, GeoJSON, CSV in UTF-8 or GBK with coordinate or
WKT columns, Excel), mapping its columns (:mod:`.batch_mapping`, remembered per set of column
names), parsing the values (:mod:`.batch_values`: identifiers, :mod:`.batch_dates`, coded
values through the value maps of :mod:`.batch_codes`), finding the positions
(:mod:`.batch_geometry`), placing the rows (the CRS below, then the unit grid) and checking
them (:mod:`.batch_checks`). A row that fails is reported with every reason and the rest of
the batch goes on. :mod:`.reconcile` then compares the batch with the store;
:mod:`.batch_run` runs the whole way without a dialog.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from .. import projection
from ..i18n import tr
from ..workspace.store import Workspace
from .batch_checks import RowChecks
from .batch_codes import ValueCodes, ValueMaps
from .batch_geometry import SourceGeometries, source_geometries
from .batch_mapping import MappingStore, mapped_fields
from .batch_read import SourceTable, read_source
from .batch_values import RowParser
from .errors import CensusError, Problem
from .geo import anchors, geometry_kinds
from .grids import load_grid_index
from .validation import class_table

TZ = "Asia/Shanghai"  # the office zone when the workspace names none


@dataclass
class BatchRecord:
    row_no: int  # 1-based, as the user sees it (CSV/Excel: data row number)
    values: dict[str, Any]  # target fields that the batch carries, parsed
    geom: BaseGeometry  # workspace CRS
    grid_code: str  # the grid the position lies in

    @property
    def identifier(self) -> str | None:
        return self.values.get("identifier") or None


@dataclass
class RowFailure:
    row_no: int
    identifier: str | None
    problems: list[Problem]

    @property
    def reason(self) -> str:
        return " ".join(p.message for p in self.problems)


@dataclass
class Batch:
    source: str
    scheme: str
    fields: set[str]  # target fields mapped from the source
    records: list[BatchRecord]
    failures: list[RowFailure]
    source_crs: str | None
    read_rows: int = 0
    surveyed_grids: set[str] = field(default_factory=set)
    unmapped: dict[str, Counter] = field(default_factory=dict)  # field -> {value: rows}
    encoding: str | None = None  # of a text source, as detected
    target: str = "components"  # what the batch surveys: components or pois

    def refusals(self) -> Counter:
        """How many refused rows break each rule (a row may break several)."""
        return Counter(rule for f in self.failures for rule in sorted({p.rule for p in f.problems}))


# ---------------------------------------------------------------------------------- CRS


def transform_geoms(geoms: np.ndarray, src: str, dst_srid: int) -> np.ndarray:
    """Reproject an array of shapely geometries (OGR/PROJ), None stays None."""
    try:
        return projection.transform_geoms(geoms, src, dst_srid)
    except projection.UnknownCrs as exc:
        raise CensusError(
            tr("Census", "Unknown coordinate reference system: {0}").format(exc.crs)
        ) from exc


# ---------------------------------------------------------------------------------- placing


def _locate(conn: Connection, ws: Workspace, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows have a usable geometry, and the unit grid each lies in (None: none)."""
    n = len(geoms)
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    present[present] = ~shapely.is_empty(geoms[present])
    grid_codes = np.full(n, None, dtype=object)
    if present.any():
        pts = anchors(geoms[present])
        minx, miny, maxx, maxy = shapely.total_bounds(geoms[present])
        index = load_grid_index(conn, ws, (minx, miny, maxx, maxy))
        grid_codes[present] = index.containing(pts)
    return present, grid_codes


# ---------------------------------------------------------------------------------- preparing


def _shown_identifier(raw: dict[str, Any], mapping: dict[str, str]) -> str | None:
    """The identifier as the source printed it (for the report of a refused row)."""
    column = mapping.get("identifier")
    v = raw.get(column) if column else None
    return None if v is None or str(v).strip() == "" else str(v).strip()


def _check_rows(
    table: SourceTable,
    parser: RowParser,
    checks: RowChecks,
    where: SourceGeometries,
    grid_codes: np.ndarray,
) -> tuple[list[BatchRecord], list[RowFailure]]:
    """Every row parsed and checked: good rows become records, the others failures."""
    records: list[BatchRecord] = []
    failures: list[RowFailure] = []
    kinds = geometry_kinds(where.geoms)
    for i, raw in enumerate(table.rows):
        vals, ps = parser.parse(raw)
        geom = where.geoms[i]
        ps += checks.row(i + 1, vals, kinds[i], grid_codes[i], where.markers.get(i))
        if ps:
            shown = vals.get("identifier") or _shown_identifier(raw, parser.mapping)
            failures.append(RowFailure(i + 1, shown, ps))
        else:
            records.append(BatchRecord(i + 1, vals, geom, grid_codes[i]))
    return records, failures


def build_batch(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    source_crs: str | None,
    parser: RowParser,
    checks: Any,
    target: str = "components",
) -> Batch:
    """Place and check every row of ``table`` with ``parser`` and ``checks`` (whose
    ``row(row_no, values, kind, grid_code, no_position)`` lists a row's problems)."""
    where = source_geometries(table, parser.mapping, source_crs, ws.srid)
    if len(table.rows):
        where.geoms = transform_geoms(where.geoms, where.crs, ws.srid)
    _present, grid_codes = _locate(conn, ws, where.geoms)
    records, failures = _check_rows(table, parser, checks, where, grid_codes)
    codes = parser.codes
    batch = Batch(
        source=table.path + (f"|{table.layer}" if table.layer else ""),
        scheme=parser.scheme,
        fields=set(checks.fields),
        records=records,
        failures=failures,
        source_crs=where.crs,
        read_rows=len(table.rows),
        unmapped={f: parser.unmapped[f] for f in codes.coded if f in parser.unmapped},
        encoding=table.encoding,
        target=target,
    )
    batch.surveyed_grids = {r.grid_code for r in records}
    return batch


def prepare_batch(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    mapping: dict[str, str],
    source_crs: str | None = None,
    scheme: str | None = None,
    values: ValueMaps | None = None,
    target: str = "components",
) -> Batch:
    """Map, transform and validate every row; good rows become records, bad rows failures.
    ``values``: the value maps of coded fields (``{field: {source value: stored value}}``);
    ``target``: components, or points of interest (``pois``)."""
    if target == "pois":
        from .poi_batch import prepare_poi_batch

        return prepare_poi_batch(conn, ws, table, mapping, source_crs, values)
    scheme = scheme or ws.setting("component_scheme", "legacy16")
    classes = class_table(conn, ws, scheme)
    checks = RowChecks(scheme, classes, mapped_fields(mapping))
    codes = ValueCodes(values, classes)
    parser = RowParser(mapping, checks.fields, scheme, codes, ws.setting("timezone", TZ))
    return build_batch(conn, ws, table, source_crs, parser, checks)


def import_batch(
    conn: Connection,
    ws: Workspace,
    path: str | Path,
    layer: str | None = None,
    mapping: dict[str, str] | None = None,
    source_crs: str | None = None,
    store: MappingStore | None = None,
    values: ValueMaps | None = None,
    remember: bool = True,
    target: str = "components",
) -> Batch:
    """Read + map (given, remembered or guessed) + validate. The field mapping, value maps and
    CRS not given come from what was remembered for the same columns; what was used is
    remembered again unless ``remember`` is False (a scheduled job)."""
    table = read_source(path, layer)
    store = store or MappingStore()
    if mapping is None:
        mapping = store.mapping_for(table, target)
        source_crs = source_crs or store.get_crs(table.columns, target)
    if values is None:
        values = store.get_values(table.columns, target)
    batch = prepare_batch(conn, ws, table, mapping, source_crs, values=values, target=target)
    if remember:
        store.remember(table.columns, mapping, source_crs, values, target)
    return batch
