"""Census import: a survey batch read, mapped, transformed to the workspace CRS and checked.

The steps, each in its own module so each can change alone: reading the source
(:mod:`.batch_read`: GeoPackage, Shapefile, GeoJSON, CSV with coordinate columns, Excel),
mapping its columns (:mod:`.batch_mapping`, remembered per set of column names), parsing
the values (:mod:`.batch_values`), placing the rows (the CRS below, then the unit grid) and
checking them (:mod:`.batch_checks`). A row that fails is reported with every reason and
the rest of the batch goes on. :mod:`.reconcile` then compares the batch with the store.
"""

from __future__ import annotations

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
from .batch_mapping import MappingStore, mapped_fields
from .batch_read import SourceTable, read_source
from .batch_values import parse_float, parse_row
from .errors import CensusError, Problem
from .geo import anchors
from .grids import load_grid_index
from .validation import class_table


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


# ---------------------------------------------------------------------------------- CRS


def guess_crs(xs: np.ndarray, ys: np.ndarray, ws_srid: int) -> str:
    """Geographic-looking coordinates → CGCS2000 geographic (EPSG:4490), else the workspace."""
    ok = np.isfinite(xs) & np.isfinite(ys)
    if ok.any() and np.all(np.abs(xs[ok]) <= 180) and np.all(np.abs(ys[ok]) <= 90):
        return "EPSG:4490"
    return f"EPSG:{ws_srid}"


def transform_geoms(geoms: np.ndarray, src: str, dst_srid: int) -> np.ndarray:
    """Reproject an array of shapely geometries (OGR/PROJ), None stays None."""
    try:
        return projection.transform_geoms(geoms, src, dst_srid)
    except projection.UnknownCrs as exc:
        raise CensusError(
            tr("Census", "Unknown coordinate reference system: {0}").format(exc.crs)
        ) from exc


# ---------------------------------------------------------------------------------- placing


def _source_geometries(
    table: SourceTable, mapping: dict[str, str], source_crs: str | None, ws_srid: int
) -> tuple[np.ndarray, str]:
    """The rows' geometries in the source CRS, and that CRS: the layer's own geometry, or
    points from the mapped x and y columns (CRS guessed from the numbers if not given)."""
    has_xy = {"x", "y"} <= set(mapping)
    if table.has_geometry and not has_xy:
        return np.array(table.geoms, dtype=object), source_crs or table.crs or f"EPSG:{ws_srid}"
    if not has_xy:
        raise CensusError(
            tr("Census", "Map the coordinate columns (x and y) of a table without geometry.")
        )
    xs = np.array([parse_float(r.get(mapping["x"])) for r in table.rows], dtype=float)
    ys = np.array([parse_float(r.get(mapping["y"])) for r in table.rows], dtype=float)
    crs = source_crs or guess_crs(xs, ys, ws_srid)
    ok = np.isfinite(xs) & np.isfinite(ys)
    geoms = np.full(len(table.rows), None, dtype=object)
    if ok.any():
        geoms[ok] = shapely.points(xs[ok], ys[ok])
    return geoms, crs


def _locate(conn: Connection, ws: Workspace, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows have a usable geometry, and the unit grid each lies in (None: none)."""
    n = len(geoms)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    grid_codes = np.full(n, None, dtype=object)
    if present.any():
        pts = anchors(geoms[present])
        minx, miny, maxx, maxy = shapely.total_bounds(geoms[present])
        index = load_grid_index(conn, ws, (minx, miny, maxx, maxy))
        grid_codes[present] = index.containing(pts)
    return present, grid_codes


# ---------------------------------------------------------------------------------- preparing


def prepare_batch(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    mapping: dict[str, str],
    source_crs: str | None = None,
    scheme: str | None = None,
) -> Batch:
    """Map, transform and validate every row; good rows become records, bad rows failures."""
    scheme = scheme or ws.setting("component_scheme", "legacy16")
    checks = RowChecks(scheme, class_table(conn, ws, scheme), mapped_fields(mapping))
    geoms, crs = _source_geometries(table, mapping, source_crs, ws.srid)
    n = len(table.rows)
    if n:
        geoms = transform_geoms(geoms, crs, ws.srid)
    present, grid_codes = _locate(conn, ws, geoms)
    records: list[BatchRecord] = []
    failures: list[RowFailure] = []
    for i, raw in enumerate(table.rows):
        vals = parse_row(raw, mapping, checks.fields, scheme)
        ps = checks.row(i + 1, vals, geoms[i] if present[i] else None, grid_codes[i])
        if ps:
            failures.append(RowFailure(i + 1, vals.get("identifier"), ps))
        else:
            records.append(BatchRecord(i + 1, vals, geoms[i], grid_codes[i]))
    batch = Batch(
        source=table.path + (f"|{table.layer}" if table.layer else ""),
        scheme=scheme,
        fields=checks.fields,
        records=records,
        failures=failures,
        source_crs=crs,
        read_rows=n,
    )
    batch.surveyed_grids = {r.grid_code for r in records}
    return batch


def import_batch(
    conn: Connection,
    ws: Workspace,
    path: str | Path,
    layer: str | None = None,
    mapping: dict[str, str] | None = None,
    source_crs: str | None = None,
    store: MappingStore | None = None,
) -> Batch:
    """Read + map (given, remembered or guessed) + validate; remembers the mapping used."""
    table = read_source(path, layer)
    store = store or MappingStore()
    if mapping is None:
        mapping = store.mapping_for(table)
        source_crs = source_crs or store.get_crs(table.columns)
    batch = prepare_batch(conn, ws, table, mapping, source_crs)
    store.remember(table.columns, mapping, source_crs)
    return batch
