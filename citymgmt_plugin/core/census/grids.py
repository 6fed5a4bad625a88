"""Which unit grid a position lies in: one lookup in the database, or many in memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, and_, func, literal_column, select, text
from sqlalchemy.orm import aliased

from ..workspace.chunks import chunked
from ..workspace.store import Workspace
from .geo import GridIndex, GridRef, anchor, from_db


def _rtree_filter(ws: Workspace, table: str, minx: float, miny: float, maxx: float, maxy: float):
    """GeoPackage: ids whose R-tree box meets the given box (spatial functions skip the index)."""
    return text(
        f"SELECT id FROM rtree_{table}_geom "
        "WHERE minx <= :maxx AND maxx >= :minx AND miny <= :maxy AND maxy >= :miny"
    ).bindparams(minx=minx, miny=miny, maxx=maxx, maxy=maxy)


def find_grid(conn: Connection, ws: Workspace, geom: BaseGeometry) -> GridRef | None:
    """The unit grid holding ``geom`` (its anchor point: the point, a line's middle, a
    polygon's inside point), with street and community names; None when in no grid."""
    s = ws.schema
    g = s.unit_grids
    pt = anchor(geom)
    street = aliased(s.admin_units)
    community = aliased(s.admin_units)
    q = (
        select(
            g.c.code,
            g.c.community_code,
            street.c.code.label("street_code"),
            street.c.name.label("street_name"),
            community.c.name.label("community_name"),
        )
        .select_from(
            g.outerjoin(community, community.c.code == g.c.community_code).outerjoin(
                street, street.c.code == func.substr(g.c.community_code, 1, 9)
            )
        )
        .where(func.ST_Intersects(g.c.geom, func.ST_GeomFromText(pt.wkt, ws.srid)))
        .order_by(g.c.code)
        .limit(1)
    )
    if not ws.is_postgres:
        box = _rtree_filter(ws, "unit_grids", pt.x, pt.y, pt.x, pt.y).columns(literal_column("id"))
        q = q.where(g.c.id.in_(box.subquery().select()))
    row = conn.execute(q).first()
    if row is None:
        return None
    return GridRef(
        code=row.code,
        community_code=row.community_code,
        street_code=row.street_code or row.community_code[:9],
        street_name=row.street_name,
        community_name=row.community_name,
    )


def grid_refs(conn: Connection, ws: Workspace, codes: Iterable[str]) -> dict[str, GridRef]:
    """GridRefs (with names) for the given grid codes."""
    s = ws.schema
    g = s.unit_grids
    street = aliased(s.admin_units)
    community = aliased(s.admin_units)
    wanted = sorted(set(codes))
    out: dict[str, GridRef] = {}
    for chunk in chunked(wanted):
        rows = conn.execute(
            select(
                g.c.code,
                g.c.community_code,
                street.c.code.label("street_code"),
                street.c.name.label("street_name"),
                community.c.name.label("community_name"),
            )
            .select_from(
                g.outerjoin(community, community.c.code == g.c.community_code).outerjoin(
                    street, street.c.code == func.substr(g.c.community_code, 1, 9)
                )
            )
            .where(g.c.code.in_(chunk))
        )
        for r in rows:
            out[r.code] = GridRef(
                r.code,
                r.community_code,
                r.street_code or r.community_code[:9],
                r.street_name,
                r.community_name,
            )
    return out


def load_grid_index(
    conn: Connection,
    ws: Workspace,
    bbox: tuple[float, float, float, float] | None = None,
) -> GridIndex:
    """Unit grids (all, or those meeting ``bbox``) as an in-memory :class:`GridIndex`."""
    g = ws.schema.unit_grids
    q = select(g.c.code, func.ST_AsBinary(g.c.geom).label("wkb"))
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        if ws.is_postgres:
            q = q.where(g.c.geom.op("&&")(func.ST_MakeEnvelope(minx, miny, maxx, maxy, ws.srid)))
        else:
            box = _rtree_filter(ws, "unit_grids", minx, miny, maxx, maxy).columns(
                literal_column("id")
            )
            q = q.where(g.c.id.in_(box.subquery().select()))
    codes, geoms = [], []
    for r in conn.execute(q):
        codes.append(r.code)
        geoms.append(from_db(r.wkb))
    return GridIndex(codes, geoms)


def within_box(ws: Workspace, table: Any, bbox: tuple[float, float, float, float]):
    """A where-clause: rows of ``table`` whose geometry box meets ``bbox`` (index-backed)."""
    minx, miny, maxx, maxy = bbox
    if ws.is_postgres:
        return table.c.geom.op("&&")(func.ST_MakeEnvelope(minx, miny, maxx, maxy, ws.srid))
    box = _rtree_filter(ws, table.name, minx, miny, maxx, maxy).columns(literal_column("id"))
    return and_(table.c.id.in_(box.subquery().select()))
