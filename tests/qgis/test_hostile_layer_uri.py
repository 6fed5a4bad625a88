"""Census QA's PostGIS fast path builds its query from the layer's URI: schema, table, key
and geometry column are names, quoted as such, whatever they contain."""

from __future__ import annotations

from qgis.core import QgsVectorLayer
from shapely.geometry import Point
from sqlalchemy import inspect, text

from citymgmt_plugin.core import census
from citymgmt_plugin.core.qgis.layers import postgis_uri
from citymgmt_plugin.demo.lattice import seed_lattice
from processing_algorithms.readers import read_postgres


def test_census_qa_reads_a_table_with_a_hostile_name(qgis_app, pg_workspace):
    ws = pg_workspace
    s = ws.spec.schema
    seed_lattice(ws, communities=1, nx=2, ny=2)
    draft = census.ComponentDraft(
        "0101", Point(500050, 3500050), name="井盖", dept_code="001", dept_name="水务"
    )
    with census.write_transaction(ws) as c:
        census.create_component(c, ws, draft, ws.actor)
    hostile = f'comp"; DROP TABLE "{s}".track_points; --'
    quoted = '"' + hostile.replace('"', '""') + '"'
    with ws.begin() as c:
        c.execute(text(f'CREATE TABLE "{s}".{quoted} AS SELECT * FROM "{s}".components'))
        c.execute(text(f'ALTER TABLE "{s}".{quoted} ADD PRIMARY KEY (id)'))
    uri = postgis_uri(ws.spec)
    uri.setDataSource(s, hostile, "geom", "", "id")
    layer = QgsVectorLayer(uri.uri(False), "hostile", "postgres")
    assert layer.isValid(), layer.error().summary()
    fields = ["identifier", "class_code", "grid_code", "name"]
    got = read_postgres(layer, fields)
    assert got is not None
    fids, columns, geoms = got
    assert len(fids) == 1 and columns[0][0].startswith("320508")
    assert geoms[0].x == 500050
    tables = set(inspect(ws.engine).get_table_names(schema=s))
    assert {"track_points", "components", hostile} <= tables


def test_createthematiclayer_refuses_a_hostile_table_name(qgis_app, pg_workspace):
    """The finding: TABLE_NAME altered components and dropped track_points."""
    from qgis.core import QgsProcessingException

    from citymgmt_plugin.headless import ensure_provider

    ensure_provider()
    import processing

    ws = pg_workspace
    s = ws.spec.schema
    before = {
        t: [c["name"] for c in inspect(ws.engine).get_columns(t, schema=s)]
        for t in inspect(ws.engine).get_table_names(schema=s)
    }
    hostile = "z (id int); ALTER TABLE components ADD COLUMN pwned int; DROP TABLE track_points; --"
    try:
        processing.run(
            "citymgmt:createthematiclayer",
            {
                "TEMPLATE": "construction_zones",
                "WORKSPACE": f"{ws.spec.url}?schema={s}",
                "TABLE_NAME": hostile,
            },
        )
        raise AssertionError("the hostile table name was accepted")
    except QgsProcessingException as exc:
        assert "Table name" in str(exc)
    after = {
        t: [c["name"] for c in inspect(ws.engine).get_columns(t, schema=s)]
        for t in inspect(ws.engine).get_table_names(schema=s)
    }
    assert after == before
