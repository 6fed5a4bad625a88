"""The database itself refuses rows that break the rules, on PostGIS and in a GeoPackage."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from citymgmt_plugin.core.workspace.store import Workspace, current_revision, upgrade

SQUARE = (
    "SRID=4549;MULTIPOLYGON(((500000 3500000,500100 3500000,500100 3500100,"
    "500000 3500100,500000 3500000)))"
)
POINT = "SRID=4549;POINT(500050 3500050)"


def seed_units(ws: Workspace) -> None:
    s = ws.schema
    with ws.begin() as c:
        c.execute(
            insert(s.admin_units),
            [
                {
                    "level": "district",
                    "code": "320508",
                    "name": "姑苏区",
                    "parent_code": None,
                    "geom": SQUARE,
                },
                {
                    "level": "street",
                    "code": "320508001",
                    "name": "平江街道",
                    "parent_code": "320508",
                    "geom": SQUARE,
                },
                {
                    "level": "community",
                    "code": "320508001001",
                    "name": "平江社区",
                    "parent_code": "320508001",
                    "geom": SQUARE,
                },
            ],
        )
        c.execute(
            insert(s.unit_grids).values(
                code="320508001001001", community_code="320508001001", geom=SQUARE
            )
        )


def component(**over):
    row = dict(
        identifier="3205080101000001",
        scheme="legacy16",
        class_code="0101",
        name="上水井盖",
        dept_code="001",
        dept_name="市政",
        grid_code="320508001001001",
        status="完好",
        initial_date=date(2026, 1, 5),
        data_source="实测",
        accuracy_class="B",
        geom=POINT,
    )
    row.update(over)
    return row


def refused(ws: Workspace, stmt) -> None:
    with pytest.raises((IntegrityError, DBAPIError)), ws.begin() as c:
        c.execute(stmt)


def test_upgrade_is_idempotent_and_versioned(any_spec):
    assert upgrade(any_spec) == "0005"
    assert upgrade(any_spec) == "0005"
    ws = Workspace.open(any_spec)
    with ws.engine.connect() as c:
        assert current_revision(c) == "0005"
        n = c.execute(text("select count(*) from component_classes")).scalar()
    assert n == 2 * 85  # both identifier schemes' class tables are loaded
    assert ws.srid == 4549
    ws.close()


def test_valid_rows_are_stored(workspace):
    seed_units(workspace)
    with workspace.begin() as c:
        c.execute(insert(workspace.schema.components).values(**component()))
        got = c.execute(select(workspace.schema.components.c.identifier)).scalars().all()
    assert got == ["3205080101000001"]


@pytest.mark.parametrize(
    "code",
    ["32050800100100", "3205080010010011", "32050800100100A", "320508001002001"],
    ids=["legacy14-not-enabled", "16-digits", "letter", "other-community"],
)
def test_bad_grid_codes_refused(workspace, code):
    seed_units(workspace)
    refused(
        workspace,
        insert(workspace.schema.unit_grids).values(
            code=code, community_code="320508001001", geom=SQUARE
        ),
    )


def test_legacy14_grid_codes_when_enabled(workspace):
    seed_units(workspace)
    s = workspace.schema
    with workspace.begin() as c:
        c.execute(
            update(s.workspace_settings)
            .where(s.workspace_settings.c.key == "grid_code_legacy14")
            .values(value="1")
        )
        c.execute(
            insert(s.unit_grids).values(
                code="32050800100102", community_code="320508001001", geom=SQUARE
            )
        )


@pytest.mark.parametrize(
    "over",
    [
        {"identifier": "320508010100001"},  # 15 digits
        {"identifier": "3205080102000001"},  # class in identifier disagrees with class_code
        {"identifier": "3205090101000001"},  # county disagrees with the grid's county
        {"status": "好的"},
        {"data_source": "猜测"},
        {"accuracy_class": "D"},
        {"class_code": "0199", "identifier": "3205080199000001"},  # unknown class (FK)
        {"grid_code": "320508001001999"},  # unknown grid (FK)
        {"name": None},
        {"change_date": date(2025, 1, 1)},  # before the initial date
    ],
    ids=[
        "length",
        "class",
        "county",
        "status",
        "source",
        "accuracy",
        "unknown-class",
        "unknown-grid",
        "no-name",
        "dates",
    ],
)
def test_bad_components_refused(workspace, over):
    seed_units(workspace)
    refused(workspace, insert(workspace.schema.components).values(**component(**over)))


def test_identifier_unique(workspace):
    seed_units(workspace)
    with workspace.begin() as c:
        c.execute(insert(workspace.schema.components).values(**component()))
    refused(workspace, insert(workspace.schema.components).values(**component()))


def test_failed_transaction_rolls_back_whole(workspace):
    seed_units(workspace)
    s = workspace.schema
    with pytest.raises((IntegrityError, DBAPIError)), workspace.begin() as c:
        c.execute(insert(s.components).values(**component()))
        c.execute(insert(s.components).values(**component(status="不存在")))
    with workspace.begin() as c:
        assert c.execute(select(s.components)).first() is None


def test_spatial_indexes_exist(workspace):
    with workspace.engine.connect() as c:
        if workspace.is_postgres:
            n = c.execute(
                text(
                    "select count(*) from pg_indexes where schemaname = current_schema() "
                    "and indexdef ilike '%gist%'"
                )
            ).scalar()
        else:
            n = c.execute(
                text(
                    "select count(*) from gpkg_extensions where extension_name = 'gpkg_rtree_index'"
                )
            ).scalar()
    assert n >= 9
