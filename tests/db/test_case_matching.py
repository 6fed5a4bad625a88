"""A component case is matched to the stored component it is about; the census is untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from citymgmt_plugin.core.cases.batch import import_cases
from citymgmt_plugin.core.cases.matching import component_candidates, link_component
from citymgmt_plugin.core.cases.sources import mapping_store
from citymgmt_plugin.core.cases.store import CaseError, case_history, find_case
from tests.fixtures.cases_data import case_row, write_csv
from tests.fixtures.small_workspace import X0, Y0, seed_small_workspace


@pytest.fixture
def ws(workspace, tmp_path):
    seed_small_workspace(workspace)
    rows = [
        # a manhole cover reported 8 m from the stored one (0101 at X0+20, Y0+150)
        case_row("AJ0101", "12345热线", "部件", "0101", (X0 + 28, Y0 + 150)),
        case_row("AJ0102", "公众举报", "事件", "0102", (X0 + 28, Y0 + 150)),
    ]
    store = mapping_store(tmp_path / "m.json")
    import_cases(workspace, str(write_csv(tmp_path / "c.csv", rows)), store=store)
    return workspace


def test_candidates_by_class_and_distance_and_the_chosen_link(ws):
    with ws.engine.connect() as conn:
        case = find_case(conn, ws, "AJ0101")
        census_before = conn.execute(select(ws.schema.components)).all()
    found = component_candidates(ws, case.id)
    assert found[0].identifier == "3205080101000001" and round(found[0].distance) == 8
    # the street lamp 32 m away is outside the default 30 m; a wider search finds it too
    assert [c.identifier for c in found] == ["3205080101000001"]
    wider = component_candidates(ws, case.id, radius_m=50)
    assert wider[0].class_code == "0101" and "3205080118000001" in [c.identifier for c in wider]

    link_component(ws, case.id, found[0].id, actor="li")
    with ws.engine.connect() as conn:
        assert find_case(conn, ws, "AJ0101").component_id == found[0].id
        assert conn.execute(select(ws.schema.components)).all() == census_before
    entry = case_history(ws, case.id)[-1]
    assert entry.operation == "match" and entry.changes["component"] == [None, "3205080101000001"]
    assert entry.actor == "li"


def test_an_event_case_is_not_matched(ws):
    with ws.engine.connect() as conn:
        case = find_case(conn, ws, "AJ0102")
    with pytest.raises(CaseError):
        link_component(ws, case.id, 1)
