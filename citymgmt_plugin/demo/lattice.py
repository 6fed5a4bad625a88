"""A small synthetic district (regular lattice of unit grids) for tests, benchmarks and demos
that run without the full demo generator."""

from __future__ import annotations

from sqlalchemy import insert

from ..core.workspace.store import Workspace

ORIGIN = (500000.0, 3500000.0)


def _square(x0: float, y0: float, size: float, srid: int) -> str:
    x1, y1 = x0 + size, y0 + size
    return f"SRID={srid};MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0})))"


def seed_lattice(
    ws: Workspace,
    county: str = "320508",
    streets: int = 1,
    communities: int = 2,
    nx: int = 4,
    ny: int = 4,
    size: float = 100.0,
    origin: tuple[float, float] = ORIGIN,
) -> list[str]:
    """Grids of ``size`` metres: each community is a block of nx × ny grids, communities in a
    row west→east, streets stacked south→north. Returns the grid codes."""
    s = ws.schema
    ox, oy = origin
    cw, ch = nx * size, ny * size
    total_w, total_h = cw * communities, ch * streets
    admin = [
        {
            "level": "district",
            "code": county,
            "name": "示范区",
            "parent_code": None,
            "geom": _square(ox, oy, max(total_w, total_h), ws.srid),
        }
    ]
    grids = []
    for si in range(streets):
        street = f"{county}{si + 1:03d}"
        sy = oy + si * ch
        admin.append(
            {
                "level": "street",
                "code": street,
                "name": f"第{si + 1}街道",
                "parent_code": county,
                "geom": _square(ox, sy, max(total_w, ch), ws.srid),
            }
        )
        for ci in range(communities):
            comm = f"{street}{ci + 1:03d}"
            cx = ox + ci * cw
            admin.append(
                {
                    "level": "community",
                    "code": comm,
                    "name": f"第{si + 1}街道第{ci + 1}社区",
                    "parent_code": street,
                    "geom": _square(cx, sy, max(cw, ch), ws.srid),
                }
            )
            seq = 0
            for row in range(ny):  # north → south
                for col in range(nx):  # west → east
                    seq += 1
                    x0 = cx + col * size
                    y0 = sy + (ny - 1 - row) * size
                    grids.append(
                        {
                            "code": f"{comm}{seq:03d}",
                            "community_code": comm,
                            "area_m2": size * size,
                            "geom": _square(x0, y0, size, ws.srid),
                        }
                    )
    with ws.begin() as c:
        c.execute(insert(s.admin_units), admin)
        for i in range(0, len(grids), 2000):
            c.execute(insert(s.unit_grids), grids[i : i + 2000])
    return [g["code"] for g in grids]
