"""Thematic tables from templates: made on both backends, registered, constraints in the DB."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from citymgmt_plugin.core.thematic.tables import (
    ThematicError,
    create_thematic_table,
    existing_tables,
    registered_template,
    thematic_layers,
    thematic_table,
)
from citymgmt_plugin.core.thematic.templates import get_template, load_templates


def _poly(*pts: tuple[float, float]) -> str:
    ring = ",".join(f"{500000 + x} {3500000 + y}" for x, y in (*pts, pts[0]))
    return f"SRID=4549;POLYGON(({ring}))"


SQUARE = _poly((0, 0), (50, 0), (50, 50), (0, 50))
INSIDE = _poly((10, 10), (60, 10), (60, 60), (10, 60))
BOW_TIE = _poly((100, 100), (150, 150), (150, 100), (100, 150))
AWAY = _poly((200, 200), (250, 200), (250, 250), (200, 250))


def zone(**over):
    row = dict(
        name="道路施工一",
        category="road",
        status="active",
        surveyor="张三",
        survey_date=date(2026, 11, 20),
        geom=SQUARE,
    )
    row.update(over)
    return row


def test_every_template_makes_a_registered_table(workspace):
    ws = workspace
    templates = list(load_templates(include_user_dirs=False))
    for t in templates:
        info = create_thematic_table(ws, t, actor="tester")
        assert info.table_name == t.binding and info.geometry_kind == t.geometry
    again = create_thematic_table(ws, "construction_zones")
    assert again.table_name == "thematic_construction_zones_2"
    with pytest.raises(ThematicError):
        create_thematic_table(ws, "construction_zones", table_name="thematic_waterlogging_points")
    regs = thematic_layers(ws)
    assert [r.template for r in regs] == [t.id for t in templates] + ["construction_zones"]
    assert regs[1].title == "施工作业区域"
    stored = registered_template(ws, "thematic_construction_zones")
    assert stored is not None and stored.id == "construction_zones"
    with ws.engine.connect() as c:
        n = c.execute(
            select(func.count())
            .select_from(ws.schema.audit_events)
            .where(ws.schema.audit_events.c.action == "thematic.create_layer")
        ).scalar_one()
    assert n == len(templates) + 1


def test_constraints_are_in_the_database(workspace):
    ws = workspace
    t = get_template("construction_zones")
    info = create_thematic_table(ws, t)
    table = thematic_table(ws, t, info.table_name)
    with ws.begin() as c:
        c.execute(insert(table).values(**zone()))
    with ws.engine.connect() as c:
        row = c.execute(select(table)).one()
    assert (row.data_source, row.accuracy_class) == ("实测", "B")  # column defaults
    bad = [
        dict(name=None),  # NOT NULL
        dict(name="   "),  # not blank
        dict(category="swimming"),  # domain CHECK
        dict(status=None),
        dict(accuracy_class="Z"),
        dict(start_date=date(2026, 5, 2), end_date=date(2026, 5, 1)),
        dict(name="x" * 101),
    ]
    for over in bad:
        with pytest.raises((IntegrityError, DBAPIError)), ws.begin() as c:
            c.execute(insert(table).values(**zone(geom=AWAY, **over)))


def test_postgis_refuses_invalid_and_overlapping_geometry(pg_workspace):
    ws = pg_workspace
    t = get_template("construction_zones")
    info = create_thematic_table(ws, t)
    table = thematic_table(ws, t, info.table_name)
    with ws.begin() as c:
        c.execute(insert(table).values(**zone()))
    with pytest.raises(DBAPIError, match="geom_valid"), ws.begin() as c:
        c.execute(insert(table).values(**zone(geom=BOW_TIE)))
    with pytest.raises(DBAPIError, match="no_overlap"), ws.begin() as c:
        c.execute(insert(table).values(**zone(geom=INSIDE)))
    with ws.begin() as c:
        c.execute(insert(table).values(**zone(geom=AWAY)))
    # points have no overlap trigger; waterlogging spots may share a place
    pts = create_thematic_table(ws, "waterlogging_points")
    ptable = thematic_table(ws, get_template("waterlogging_points"), pts.table_name)
    with ws.begin() as c:
        for _ in range(2):
            c.execute(
                insert(ptable).values(
                    severity="light",
                    status="active",
                    surveyor="a",
                    survey_date=date(2026, 11, 20),
                    geom="SRID=4549;POINT(500010 3500010)",
                )
            )


def test_main_roads_window_areas_and_patrol_routes_bind_to_workspace_tables(workspace):
    """No table of their own and no columns added: rows go to main_roads / patrol_routes."""
    ws = workspace
    before = existing_tables(ws)
    cols = {
        t: [c.name for c in getattr(ws.schema, t).columns] for t in ("main_roads", "patrol_routes")
    }
    made = {
        t: create_thematic_table(ws, t) for t in ("main_roads", "window_areas", "patrol_routes")
    }
    assert existing_tables(ws) == before
    assert [(i.table_name, i.source_table, i.filters) for i in made.values()] == [
        ("main_roads:main_road", "main_roads", {"kind": "main_road"}),
        ("main_roads:window_area", "main_roads", {"kind": "window_area"}),
        ("patrol_routes", "patrol_routes", {}),
    ]
    assert [i.describe() for i in thematic_layers(ws)] == [
        "main_roads, kind = main_road",
        "main_roads, kind = window_area",
        "patrol_routes",
    ]
    assert thematic_layers(ws)[1].core_table == "main_roads"
    with pytest.raises(ThematicError, match="already has a layer"):
        create_thematic_table(ws, "window_areas")
    with pytest.raises(ThematicError, match="cannot have a table of its own"):
        create_thematic_table(ws, "patrol_routes", table_name="thematic_routes_2027")
    roads = registered_template(ws, "main_roads:window_area")
    assert roads is not None and roads.fixed == (("kind", "window_area"),)
    table = thematic_table(ws, roads, "main_roads:window_area")
    assert table is ws.schema.main_roads
    for name, columns in cols.items():  # the core tables are as alembic made them
        live = {c["name"] for c in _columns(ws, name)}
        assert live == set(columns)


def _columns(ws, table):
    from sqlalchemy import inspect

    return inspect(ws.engine).get_columns(table, schema=ws.spec.schema if ws.is_postgres else None)
