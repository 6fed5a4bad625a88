"""Thematic tables from templates: made on both backends, registered, constraints in the DB."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from citymgmt_plugin.core.thematic.tables import (
    ThematicError,
    create_thematic_table,
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
        assert info.table_name == t.table and info.geometry_kind == t.geometry
    again = create_thematic_table(ws, "construction_zones")
    assert again.table_name == "thematic_construction_zones_2"
    with pytest.raises(ThematicError):
        create_thematic_table(ws, "construction_zones", table_name="thematic_main_roads")
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
