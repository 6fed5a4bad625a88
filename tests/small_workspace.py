"""A few rows in every layer table, for tests of layers, rendering and the workspace dialog.

One district (320508) with one street, one community and a 3 x 2 block of 100 m unit grids near
(500000, 3500000) in EPSG:4549; components of the three geometry kinds; a main road, a window
area, a patrol route, track points, submissions (one quarantined) and one thematic layer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from geoalchemy2 import Geometry
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert

X0, Y0 = 500000.0, 3500000.0
SRID = 4549
THEMATIC_TABLE = "thematic_waterlogging"


def _square(x: float, y: float, w: float, h: float) -> str:
    ring = f"{x} {y},{x + w} {y},{x + w} {y + h},{x} {y + h},{x} {y}"
    return f"SRID={SRID};MULTIPOLYGON((({ring})))"


def _line(*pts: tuple[float, float], multi: bool = True) -> str:
    coords = ",".join(f"{x} {y}" for x, y in pts)
    return (
        f"SRID={SRID};MULTILINESTRING(({coords}))" if multi else f"SRID={SRID};LINESTRING({coords})"
    )


def _point(x: float, y: float) -> str:
    return f"SRID={SRID};POINT({x} {y})"


def seed_small_workspace(ws) -> dict[str, int]:
    """Insert the rows; returns the expected feature count per layer key."""
    s = ws.schema
    whole = _square(X0, Y0, 300, 200)
    now = datetime(2026, 11, 2, 1, 30, tzinfo=timezone.utc)
    with ws.begin() as c:
        c.execute(
            insert(s.admin_units),
            [
                dict(level="district", code="320508", name="姑苏区", parent_code=None, geom=whole),
                dict(
                    level="street",
                    code="320508001",
                    name="平江街道",
                    parent_code="320508",
                    geom=whole,
                ),
                dict(
                    level="community",
                    code="320508001001",
                    name="平江社区",
                    parent_code="320508001",
                    geom=whole,
                ),
            ],
        )
        grids = []
        for j in range(2):
            for i in range(3):
                seq = j * 3 + i + 1
                grids.append(
                    dict(
                        code=f"320508001001{seq:03d}",
                        community_code="320508001001",
                        responsible="平江社区",
                        area_m2=10000.0,
                        geom=_square(X0 + i * 100, Y0 + (1 - j) * 100, 100, 100),
                    )
                )
        c.execute(insert(s.unit_grids), grids)
        c.execute(
            insert(s.resp_grids).values(
                code="R01", name="平江一组", street_code="320508001", geom=whole
            )
        )
        c.execute(
            insert(s.resp_grid_units),
            [dict(resp_grid_code="R01", unit_grid_code=g["code"]) for g in grids],
        )
        c.execute(
            insert(s.collectors).values(
                code="C01", name="张三", resp_grid_code="R01", device_id="dev-1", active=True
            )
        )
        base = dict(
            scheme="legacy16",
            dept_code="001",
            dept_name="市政",
            grid_code="320508001001001",
            status="完好",
            initial_date=date(2026, 1, 5),
            data_source="实测",
            accuracy_class="B",
        )
        comps = [
            ("3205080101000001", "0101", "上水井盖", _point(X0 + 20, Y0 + 150)),
            ("3205080118000001", "0118", "路灯", _point(X0 + 60, Y0 + 150)),
            ("3205080301000001", "0301", "公共厕所", _point(X0 + 140, Y0 + 150)),
            ("3205080401000001", "0401", "古树名木", _point(X0 + 220, Y0 + 60)),
            (
                "3205080211000001",
                "0211",
                "交通护栏",
                f"SRID={SRID};LINESTRING({X0 + 10} {Y0 + 105},{X0 + 290} {Y0 + 105})",
            ),
            (
                "3205080201000001",
                "0201",
                "停车场",
                f"SRID={SRID};POLYGON(({X0 + 210} {Y0 + 120},{X0 + 280} {Y0 + 120},"
                f"{X0 + 280} {Y0 + 180},{X0 + 210} {Y0 + 180},{X0 + 210} {Y0 + 120}))",
            ),
        ]
        c.execute(
            insert(s.components),
            [dict(base, identifier=i, class_code=k, name=n, geom=g) for i, k, n, g in comps],
        )
        c.execute(
            insert(s.main_roads),
            [
                dict(
                    kind="main_road",
                    name="干将路",
                    resp_grid_code="R01",
                    geom=_line((X0, Y0 + 100), (X0 + 300, Y0 + 100)),
                ),
                dict(
                    kind="window_area",
                    name="观前街",
                    resp_grid_code="R01",
                    geom=_line((X0 + 150, Y0), (X0 + 150, Y0 + 200)),
                ),
            ],
        )
        c.execute(
            insert(s.patrol_routes).values(
                collector_code="C01",
                resp_grid_code="R01",
                valid_from=date(2026, 1, 1),
                geom=_line((X0 + 5, Y0 + 95), (X0 + 295, Y0 + 95), (X0 + 295, Y0 + 5)),
            )
        )
        c.execute(
            insert(s.track_points),
            [
                dict(
                    collector_code="C01",
                    device_id="dev-1",
                    fix_time=now + timedelta(seconds=10 * k),
                    accuracy_m=5.0,
                    geom=_point(X0 + 5 + 10 * k, Y0 + 95),
                )
                for k in range(20)
            ],
        )
        subs = []
        for k, state in enumerate(("pending", "accepted", "rejected", "quarantined")):
            subs.append(
                dict(
                    source="device",
                    instance_id=f"uuid:{k}",
                    collector_code="C01",
                    received_at=now,
                    kind="component",
                    category_code="0101",
                    state=state,
                    quarantine_reason="no_position: None, None" if state == "quarantined" else None,
                    payload={"k": k},
                    geom=None if state == "quarantined" else _point(X0 + 30 + 40 * k, Y0 + 40),
                )
            )
        c.execute(insert(s.submissions), subs)

        thematic = Table(
            THEMATIC_TABLE,
            MetaData(),
            Column("id", Integer, primary_key=True),
            Column("name", Text),
            Column("geom", Geometry("MULTIPOLYGON", srid=SRID, spatial_index=True)),
        )
        thematic.create(c)
        c.execute(insert(thematic).values(name="积水点", geom=_square(X0 + 110, Y0 + 10, 40, 30)))
        c.execute(
            insert(s.thematic_layers).values(
                template="waterlogging",
                table_name=THEMATIC_TABLE,
                title="雨水积聚",
                geometry_kind="polygon",
                created_at=now,
                definition={"template": "waterlogging"},
            )
        )
    return {
        "admin_district": 1,
        "admin_street": 1,
        "admin_community": 1,
        "unit_grids": 6,
        "resp_grids": 1,
        "components_point": 4,
        "components_line": 1,
        "components_polygon": 1,
        "main_roads": 2,
        "patrol_routes": 1,
        "track_points": 20,
        "submissions": 4,
        "quarantine": 1,
        f"thematic:{THEMATIC_TABLE}": 1,
    }
