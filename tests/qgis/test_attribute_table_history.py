"""Edits made in QGIS's attribute table (the postgres provider, as an office editor) get a
version, a history row and an audit row like the census dock's; a district-limited editor's
layer holds only its district; what the database refuses, QGIS reports and keeps unsaved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from qgis.core import QgsGeometry, QgsPointXY, QgsVectorLayer
from sqlalchemy import select

from citymgmt_plugin.core.qgis.layers import layer_source
from tests.fixtures.office import A, Office, build_office


@pytest.fixture
def office(pg_url: str, pg_spec: str) -> Iterator[Office]:
    yield from build_office(pg_url, pg_spec)


def _history(office: Office, cid: int) -> list:
    h = office.owner.schema.component_history
    with office.owner.engine.connect() as c:
        return c.execute(
            select(h.c.version, h.c.operation, h.c.changed_by, h.c.changes)
            .where(h.c.component_id == cid)
            .order_by(h.c.version)
        ).all()


def _audit(office: Office, cid: int) -> list:
    a = office.owner.schema.audit_events
    with office.owner.engine.connect() as c:
        return c.execute(
            select(a.c.action, a.c.actor, a.c.detail)
            .where(a.c.table_name == "components", a.c.row_id == cid)
            .order_by(a.c.id)
        ).all()


def test_attribute_table_edit_is_versioned_and_audited(qgis_app, office):
    o = office
    ws = o.open_as("editor_a")
    login = o.logins["editor_a"]
    cid = o.components[A]
    try:
        source, provider = layer_source(ws, "components")
        layer = QgsVectorLayer(source, "components", provider)
        assert layer.isValid(), layer.error().summary()
        feats = {f["id"]: f for f in layer.getFeatures()}
        assert set(feats) == {cid}  # district B's component is not in the limited layer
        fid = feats[cid].id()
        note = layer.fields().indexOf("note")

        assert layer.startEditing()
        assert layer.changeAttributeValue(fid, note, "QGIS 属性表修改")
        assert layer.commitChanges(), layer.commitErrors()
        assert layer.startEditing()
        assert layer.changeGeometry(fid, QgsGeometry.fromPointXY(QgsPointXY(500056, 3500050)))
        assert layer.commitChanges(), layer.commitErrors()

        ident = layer.fields().indexOf("identifier")
        assert layer.startEditing()
        assert layer.changeAttributeValue(fid, ident, "3205080101000777")
        assert not layer.commitChanges()  # the database refuses; QGIS says why
        assert "cannot change" in " ".join(layer.commitErrors())
        layer.rollBack()
    finally:
        ws.close()

    assert [(v, op, who) for v, op, who, _ in _history(o, cid)] == [
        (1, "create", o.owner.actor),
        (2, "update", login),
        (3, "move", login),
    ]
    changes = [ch for *_, ch in _history(o, cid)]
    assert changes[1] == {"note": [None, "QGIS 属性表修改"]}
    assert changes[2] == {"geom": [None, 6.0]}
    audit = _audit(o, cid)
    assert [(act, who) for act, who, _ in audit] == [
        ("census.create", o.owner.actor),
        ("census.update", login),
        ("census.move", login),
    ]
    assert audit[1][2]["fields"] == ["note"] and audit[1][2]["version"] == 2
    c = o.owner.schema.components
    with o.owner.engine.connect() as conn:
        row = conn.execute(select(c.c.version, c.c.updated_by).where(c.c.id == cid)).one()
    assert tuple(row) == (3, login)
