"""Reconcile a point-of-interest batch with the stored POIs (the items and kinds of a component
reconciliation, :mod:`.reconcile`).

A batch row with a stored identifier is unchanged, changed, or moved (farther than
:data:`.pois.POI_TOLERANCE_M`); one without, whose name is that of an open stored POI within
:data:`NAME_MATCH_M`, or of an earlier row within the tolerance, is a duplicate; the others
are new. Open stored POIs of the surveyed grids no row matched are missing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import numpy as np
import shapely
from sqlalchemy import Connection, select

from ..i18n import tr
from ..workspace.chunks import chunked
from ..workspace.schema.census import POI_RETIRED
from ..workspace.store import Workspace
from .components import office_today
from .geo import anchors, from_db
from .importer import Batch
from .poi_checks import check_poi_values
from .pois import POI_EDITABLE, POI_TOLERANCE_M
from .reconcile import Reconciliation, _Items, _jsonable, _same

NAME_MATCH_M = 30.0  # the same name this near: the same place, whatever the batch's identifier


def name_key(name: Any) -> str:
    """A name as compared: full-width forms plain, no blanks or punctuation, lower case."""
    text = unicodedata.normalize("NFKC", str(name or "")).lower()
    return re.sub(r"[\s()（）·.,，、\-]+", "", text)


def _load(conn: Connection, ws: Workspace, grids: set[str], idents: list[str]) -> list[dict]:
    t = ws.schema.pois
    cols = [c for c in t.c if c.name != "geom"] + [t.c.geom.ST_AsBinary().label("wkb")]
    rows: dict[int, dict] = {}
    for key, values in (("grid_code", sorted(grids)), ("identifier", idents)):
        for chunk in chunked(values):
            result = conn.execute(select(*cols).where(t.c[key].in_(chunk)))
            keys = list(result.keys())
            for r in result:
                rows.setdefault(r[0], dict(zip(keys, r)))
    return list(rows.values())


class _Stored:
    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows
        self.geom = np.array([from_db(r["wkb"]) for r in rows], dtype=object)
        self.anchor = anchors(self.geom) if rows else np.empty(0, dtype=object)
        self.active = np.array([r["status"] not in POI_RETIRED for r in rows], dtype=bool)
        self.names = [name_key(r["name"]) for r in rows]
        self.by_ident = {r["identifier"]: j for j, r in enumerate(rows)}
        self.claimed = np.zeros(len(rows), dtype=bool)


def _matched(out: _Items, it: Any, srow: dict, old_geom: Any, compare: list[str]) -> None:
    distance = float(
        shapely.distance(anchors(np.array([it.geom]))[0], anchors(np.array([old_geom]))[0])
    )
    changes = {
        f: [_jsonable(srow.get(f)), _jsonable(it.values.get(f))]
        for f in compare
        if not _same(srow.get(f), it.values.get(f))
    }
    kind = "moved" if distance > POI_TOLERANCE_M else ("changed" if changes else "unchanged")
    out.add(
        kind=kind,
        row_no=it.row_no,
        identifier=it.identifier,
        class_code=srow["category_code"],
        component_id=srow["id"],
        version=srow["version"],
        distance=distance,
        tolerance=POI_TOLERANCE_M,
        changes=changes,
        geom=it.geom,
        old_geom=old_geom,
        values=it.values,
    )


def _near_same_name(stored: _Stored, rec: Any) -> tuple[int, float] | None:
    """The nearest open stored POI with the record's name within NAME_MATCH_M."""
    key = name_key(rec.values.get("name"))
    if not key or not len(stored.rows):
        return None
    pt = anchors(np.array([rec.geom]))[0]
    d = shapely.distance(stored.anchor, pt)
    near = [
        (float(d[j]), j)
        for j in range(len(stored.rows))
        if stored.active[j] and stored.names[j] == key and d[j] <= NAME_MATCH_M
    ]
    return (min(near)[1], min(near)[0]) if near else None


def _new_values(values: dict[str, Any], today: Any) -> dict[str, Any]:
    vals = dict(values)
    vals["status"] = vals.get("status") or "正常"
    vals["data_source"] = vals.get("data_source") or "实测"
    vals["initial_date"] = vals.get("initial_date") or today()
    return vals


def _unmatched(out: _Items, ws: Workspace, stored: _Stored, recs: list) -> None:
    """Duplicates of a stored POI or of an earlier row (same name, near), else new."""
    kept: list[tuple[str, Any, int]] = []  # (name key, anchor, row_no) of the new ones
    today = functools.cache(lambda: office_today(ws))
    for rec in recs:
        base = dict(
            row_no=rec.row_no,
            identifier=rec.identifier,
            class_code=rec.values.get("category_code"),
            geom=rec.geom,
            values=rec.values,
        )
        hit = _near_same_name(stored, rec)
        if hit is not None:
            j, d = hit
            stored.claimed[j] = True
            srow = stored.rows[j]
            out.add(
                kind="duplicate",
                **base,
                component_id=srow["id"],
                version=srow["version"],
                distance=d,
                tolerance=NAME_MATCH_M,
                old_geom=stored.geom[j],
                duplicate_of=srow["identifier"],
            )
            continue
        key, pt = name_key(rec.values.get("name")), anchors(np.array([rec.geom]))[0]
        earlier = [
            (pt.distance(p), n)
            for k, p, n in kept
            if k == key and pt.distance(p) <= POI_TOLERANCE_M
        ]
        if earlier:
            d, row_no = min(earlier)
            out.add(
                kind="duplicate",
                **base,
                distance=d,
                duplicate_of=tr("Census", "row {0}").format(row_no),
            )
            continue
        kept.append((key, pt, rec.row_no))
        vals = _new_values(rec.values, today)
        out.add(kind="new", **{**base, "values": vals}, problems=check_poi_values(vals))


def reconcile_pois(
    conn: Connection, ws: Workspace, batch: Batch, surveyed_grids: set[str] | None = None
) -> Reconciliation:
    """Classify every record of a POI batch and every open stored POI of the surveyed grids."""
    grids = set(surveyed_grids) if surveyed_grids is not None else set(batch.surveyed_grids)
    compare = [f for f in POI_EDITABLE if f in batch.fields]
    idents = sorted({r.identifier for r in batch.records if r.identifier})
    stored = _Stored(_load(conn, ws, grids, idents))
    out = _Items()
    rest = []
    for rec in batch.records:
        j = stored.by_ident.get(rec.identifier or "", -1)
        if j < 0:
            rest.append(rec)
            continue
        stored.claimed[j] = True
        _matched(out, rec, stored.rows[j], stored.geom[j], compare)
    _unmatched(out, ws, stored, rest)
    for j in np.nonzero(stored.active & ~stored.claimed)[0]:
        srow = stored.rows[j]
        if srow["grid_code"] in grids:
            out.add(
                kind="missing",
                row_no=None,
                identifier=srow["identifier"],
                class_code=srow["category_code"],
                component_id=srow["id"],
                version=srow["version"],
                geom=stored.geom[j],
                old_geom=stored.geom[j],
            )
    return Reconciliation(batch, out.items, grids)
