"""Review decisions: census change in the same transaction, candidates, optimistic locking."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from citymgmt_plugin.core.submissions import ingest, review
from citymgmt_plugin.core.submissions.sources.files import DeviceExportSource
from tests.fixtures.synthetic_submissions import make_submissions, seed_city, write_device_export


def _load(ws, tmp_path, n=20, **kw):
    city = seed_city(ws)
    recs, truth = make_submissions(city, n, **kw)
    write_device_export(tmp_path / "exp", recs)
    ingest(ws, DeviceExportSource(tmp_path / "exp"))
    return city, recs, truth


def _n(ws, table):
    with ws.engine.connect() as c:
        return c.execute(select(func.count()).select_from(table)).scalar()


def test_queue_filters_counts_and_candidates(workspace, tmp_path):
    ws = workspace
    _city, _recs, truth = _load(ws, tmp_path, broken=("no_position",))
    assert review.counts(ws) == {"pending": 20, "quarantined": 1}
    c01 = review.queue(ws, review.QueueFilter(collector="C01"))
    assert c01 and all(i.collector_code == "C01" for i in c01)
    r02 = [i for i in review.queue(ws) if i.resp_grid_code == "R02" and i.state == "pending"]
    assert r02 and review.counts(ws, review.QueueFilter(resp_grid="R02"))["pending"] == len(r02)
    assert len(review.queue(ws, review.QueueFilter(states=("quarantined",)))) == 1
    match_id = truth["matches"][0]
    item = next(i for i in review.queue(ws) if i.instance_id == match_id)
    found = review.candidates(ws, item.id)
    assert found and found[0].distance_m < 3.0 and found[0].class_code == item.category_code


def test_accept_update_duplicate_reject_each_one_transaction(workspace, tmp_path):
    ws = workspace
    _city, _recs, truth = _load(ws, tmp_path)
    s = ws.schema
    comps = _n(ws, s.components)
    items = {i.instance_id: i for i in review.queue(ws)}
    new = next(
        items[i]
        for i in truth["good"]
        if i not in truth["matches"] and items[i].kind == "component"
    )
    out = review.decide(ws, review.Decision(new.id, new.row_version, "accept_new"), "li")
    assert out.component_id and _n(ws, s.components) == comps + 1
    with ws.engine.connect() as c:
        comp = c.execute(select(s.components).where(s.components.c.id == out.component_id)).one()
        photos = c.execute(select(func.count()).select_from(s.component_photos)).scalar()
        audit = c.execute(
            select(s.audit_events.c.action).where(s.audit_events.c.row_id == new.id)
        ).all()
    assert comp.class_code == new.category_code and comp.grid_code == new.grid_code
    assert comp.identifier.startswith("320508" + new.category_code) and photos == 1
    assert ("review.accept_new",) in audit
    m = items[truth["matches"][0]]
    best = review.candidates(ws, m.id)[0]
    out = review.decide(
        ws,
        review.Decision(
            m.id, m.row_version, "update_existing", None, best.component_id, status="破损"
        ),
        "li",
    )
    with ws.engine.connect() as c:
        comp = c.execute(select(s.components).where(s.components.c.id == best.component_id)).one()
    assert comp.version == 2 and comp.status == "破损"
    with pytest.raises(review.ReviewError):  # a reason is required
        review.decide(ws, review.Decision(new.id, 2, "reject"), "li")
    d = review.decide_many(
        ws,
        [
            review.Decision(items[i].id, items[i].row_version, "reject", "重复")
            for i in truth["good"][-3:]
        ],
        "li",
    )
    assert len(d[0]) == 3 and not d[1]
    with ws.engine.connect() as c:
        rd = c.execute(select(s.review_decisions.c.decision)).all()
    assert len(rd) == 5


def test_failed_census_change_rolls_back_the_decision(workspace, tmp_path):
    ws = workspace
    _load(ws, tmp_path, n=3)
    item = next(i for i in review.queue(ws) if i.kind == "component")
    with pytest.raises(review.ReviewError):  # update without a component
        review.decide(ws, review.Decision(item.id, item.row_version, "update_existing"), "li")
    again = next(i for i in review.queue(ws) if i.id == item.id)
    assert again.state == "pending" and again.row_version == item.row_version


def test_two_reviewers_same_submission_second_is_told(pg_workspace, tmp_path):
    ws = pg_workspace
    _load(ws, tmp_path, n=6)
    item = next(i for i in review.queue(ws) if i.kind == "component")
    before = _n(ws, ws.schema.components)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def reviewer(name, decision, reason):
        barrier.wait()
        try:
            results[name] = review.decide(
                ws, review.Decision(item.id, item.row_version, decision, reason), name
            )
        except review.AlreadyDecided as exc:
            results[name] = exc

    threads = [
        threading.Thread(target=reviewer, args=("li", "accept_new", None)),
        threading.Thread(target=reviewer, args=("wang", "reject", "不是部件")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results.values() if isinstance(r, review.AlreadyDecided)]
    wins = [r for r in results.values() if isinstance(r, review.Outcome)]
    assert len(errors) == 1 and len(wins) == 1
    assert errors[0].state == wins[0].state
    s = ws.schema
    with ws.engine.connect() as c:
        row = c.execute(select(s.submissions).where(s.submissions.c.id == item.id)).one()
        decisions = c.execute(select(func.count()).select_from(s.review_decisions)).scalar()
    assert row.row_version == 2 and decisions == 1
    assert _n(ws, s.components) == before + (1 if wins[0].decision == "accept_new" else 0)
