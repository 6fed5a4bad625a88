"""Thematic-layer tables in a workspace, built from a template.

The table is made with SQLAlchemy + GeoAlchemy2 on both backends, so the template's rules
that SQL can state live in the database: NOT NULL (and not blank) for mandatory fields, CHECK
for domain values, ranges and text lengths, literal defaults as column defaults. On PostGIS
the geometry rules are constraints too: CHECK ST_IsValid (valid geometry, no
self-intersection) and, for templates with the no-overlap rule, a trigger refusing a row
whose interior overlaps another's. The table is registered in ``thematic_layers`` with the
template as applied, in the same transaction, with an audit row.

A template bound to a workspace table (``core_table``: main roads, window areas, patrol
routes) makes no table: the registration names the binding (``main_roads:window_area``) and
its layer shows and adds rows of the core table, where the coverage checks read them. Core
tables keep their own schema (alembic's): no template columns are added to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
    inspect,
    select,
    text,
)

from ..i18n import tr
from ..labels import binding_label, join
from ..sqlnames import SqlNameError, check_name, qualified, quote
from ..workspace.schema.columns import convention
from ..workspace.security import secure_new_table
from ..workspace.store import Workspace, audit
from ..workspace.types import UtcDateTime
from .templates import Template, get_template

# ck_<table>_geom_valid is the longest name derived from a table's name: 14 more characters
MAX_TABLE_NAME = 63 - len("ck__geom_valid")
GEOMETRY_SQL = {"point": "POINT", "line": "LINESTRING", "polygon": "POLYGON"}
_SQL_TYPES: dict[str, Any] = {
    "text": Text,
    "integer": Integer,
    "real": Float,
    "date": Date,
    "datetime": UtcDateTime,
    "boolean": Boolean,
}


class ThematicError(Exception):
    """A thematic layer cannot be created (message translated)."""


@dataclass(frozen=True)
class ThematicLayerInfo:
    id: int
    template: str
    table_name: str  # the registration: the layer's own table, or a binding name
    title: str
    geometry_kind: str
    core_table: str = ""  # the workspace table it shows and adds to, when bound
    fixed: tuple[tuple[str, Any], ...] = ()  # the column values its rows have there

    @property
    def source_table(self) -> str:
        """The table the layer reads and writes."""
        return self.core_table or self.table_name

    @property
    def filters(self) -> dict[str, Any]:
        return dict(self.fixed)

    def describe(self) -> str:
        """``thematic_x`` or ``main_roads, kind = window_area``."""
        if not self.core_table:
            return self.table_name
        return ", ".join([self.core_table, *(f"{k} = {v}" for k, v in self.fixed)])

    def table_text(self) -> str:
        """Where the layer is stored, for people who open the database with other tools:
        “thematic_x”, or “main_roads” with “kind=window_area” (names as the database has
        them, quoted)."""
        if not self.core_table:
            return tr("Thematic", "Database table “{0}”").format(self.table_name)
        where = join(f"“{k}={v}”" for k, v in self.fixed)
        if not where:
            return tr("Thematic", "Database table “{0}”").format(self.core_table)
        return tr("Thematic", "Database table “{0}”, rows with {1}").format(self.core_table, where)


def _binding(definition: Any) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """(core table, fixed values) of a stored template definition; ('', ()) when none."""
    if not isinstance(definition, dict):
        return "", ()
    fixed = definition.get("fixed") or {}
    return str(definition.get("core_table") or ""), tuple(
        fixed.items() if isinstance(fixed, dict) else ()
    )


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _quote(name: str) -> str:
    return quote(name)


def check_table_name(name: object) -> str:
    """``name`` when it may name a thematic table, else :class:`ThematicError` saying why.

    Lower-case ASCII letters, digits and _ only, at most :data:`MAX_TABLE_NAME` characters
    so the names PostGIS derives from it (constraints, trigger, spatial index) fit in
    PostgreSQL's 63 and are not silently cut.
    """
    try:
        return check_name(name, tr("Thematic", "Table name"), MAX_TABLE_NAME)
    except SqlNameError as exc:
        raise ThematicError(str(exc)) from None


def build_table(template: Template, srid: int, table_name: str | None = None) -> Table:
    """A fresh SQLAlchemy table for ``template`` (fresh: GeoAlchemy2 adapts it per dialect)."""
    name = table_name or template.table
    md = MetaData(naming_convention=convention)
    columns: list[Any] = [Column("id", Integer, primary_key=True)]
    checks: list[CheckConstraint] = []
    for f in template.fields:
        kwargs: dict[str, Any] = {"nullable": not f.mandatory}
        if f.default_kind == "literal":
            kwargs["server_default"] = text(_literal(f.default))
        coltype = _SQL_TYPES[f.type]
        if f.type == "boolean":
            coltype = Boolean(create_constraint=False)
        columns.append(Column(f.name, coltype, **kwargs))
        q = _quote(f.name)
        if f.domain:
            values = ", ".join(_literal(v) for v in f.domain_values())
            checks.append(
                CheckConstraint(f"{q} IS NULL OR {q} IN ({values})", name=f"{f.name}_domain")
            )
        if f.mandatory and f.type == "text":
            checks.append(CheckConstraint(f"length(trim({q})) > 0", name=f"{f.name}_not_blank"))
        if f.max_length:
            checks.append(
                CheckConstraint(f"length({q}) <= {f.max_length}", name=f"{f.name}_length")
            )
        if f.min is not None:
            checks.append(CheckConstraint(f"{q} >= {f.min!r}", name=f"{f.name}_min"))
        if f.max is not None:
            checks.append(CheckConstraint(f"{q} <= {f.max!r}", name=f"{f.name}_max"))
    names = {f.name for f in template.fields}
    if {"start_date", "end_date"} <= names:
        checks.append(
            CheckConstraint(
                "end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"
            )
        )
    geom_type = GEOMETRY_SQL[template.geometry]
    columns.append(
        Column("geom", Geometry(geom_type, srid=srid, spatial_index=True), nullable=False)
    )
    return Table(name, md, *columns, *checks)


def _pg_geometry_rules(conn: Connection, template: Template, schema: str, table: str) -> None:
    """Geometry rules as PostGIS constraints: validity, and no overlap by trigger."""
    q = qualified(schema, table)
    if template.has_rule("valid_geometry") or template.has_rule("no_self_intersection"):
        conn.execute(
            text(
                f"ALTER TABLE {q} ADD CONSTRAINT {_quote('ck_' + table + '_geom_valid')} "
                "CHECK (ST_IsValid(geom))"
            )
        )
    if template.has_rule("no_overlap") and template.geometry != "point":
        pattern = "2********" if template.geometry == "polygon" else "1********"
        conn.execute(text(_PG_NO_OVERLAP))
        conn.execute(
            text(
                f"CREATE TRIGGER {_quote(table + '_no_overlap')} BEFORE INSERT OR UPDATE OF geom "
                f"ON {q} FOR EACH ROW EXECUTE FUNCTION citymgmt_thematic_no_overlap('{pattern}')"
            )
        )


# Schema-qualified through TG_TABLE_SCHEMA: QGIS and other clients write without our
# search_path.
_PG_NO_OVERLAP = """
CREATE OR REPLACE FUNCTION citymgmt_thematic_no_overlap() RETURNS trigger AS $$
DECLARE other integer;
BEGIN
  EXECUTE format('SELECT t.id FROM %I.%I t WHERE t.id IS DISTINCT FROM $1 AND t.geom && $2 '
                 'AND ST_Relate(t.geom, $2, %L) LIMIT 1',
                 TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_ARGV[0])
    INTO other USING NEW.id, NEW.geom;
  IF other IS NOT NULL THEN
    RAISE EXCEPTION 'no_overlap: the feature overlaps feature % of %.% (图层内要素不得重叠)',
      other, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""


def existing_tables(ws: Workspace) -> set[str]:
    insp = inspect(ws.engine)
    if ws.is_postgres:
        return set(insp.get_table_names(schema=ws.spec.schema))
    return set(insp.get_table_names())


def free_table_name(ws: Workspace, base: str) -> str:
    taken = existing_tables(ws)
    if base not in taken:
        return check_table_name(base)
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return check_table_name(f"{base}_{n}")


def create_thematic_table(
    ws: Workspace,
    template: Template | str,
    table_name: str | None = None,
    title: str | None = None,
    actor: str | None = None,
) -> ThematicLayerInfo:
    """Create the template's table in ``ws`` and register it; one transaction.

    ``table_name`` defaults to the template's table, suffixed ``_2``, ``_3`` … when taken.
    """
    tpl = get_template(template)
    if tpl.core_table:
        return _bind_core_table(ws, tpl, table_name, title, actor)
    if table_name is None:
        table_name = free_table_name(ws, tpl.table)
    elif check_table_name(table_name) in existing_tables(ws):
        raise ThematicError(
            tr("Thematic", "Table {0} already exists in the workspace.").format(table_name)
        )
    table = build_table(tpl, ws.srid, table_name)
    layer_title = title or tpl.title.zh
    with ws.begin() as conn:
        table.create(conn)
        if ws.is_postgres:
            _pg_geometry_rules(conn, tpl, ws.spec.schema, table_name)
            secure_new_table(conn, ws, table_name)  # the office's grants and districts
        row_id = _register(conn, ws, tpl, table_name, layer_title, actor)
    return ThematicLayerInfo(row_id, tpl.id, table_name, layer_title, tpl.geometry)


def _register(
    conn: Any,
    ws: Workspace,
    tpl: Template,
    name: str,
    title: str,
    actor: str | None,
    audited_table: str | None = None,
) -> int:
    """Record a thematic layer in ``thematic_layers`` with its audit row; returns its id.

    A layer bound to a workspace table is audited against that table, with its binding.
    """
    reg = ws.schema.thematic_layers
    row_id = conn.execute(
        reg.insert()
        .values(
            template=tpl.id,
            table_name=name,
            title=title,
            geometry_kind=tpl.geometry,
            created_at=datetime.now(timezone.utc),
            definition=tpl.to_json(),
        )
        .returning(reg.c.id)
    ).scalar_one()
    audit(
        conn,
        ws.schema,
        actor or ws.actor,
        "thematic.create_layer",
        audited_table or name,
        row_id,
        {"template": tpl.id, "title": title, **({"binding": name} if audited_table else {})},
    )
    return row_id


def _bind_core_table(
    ws: Workspace,
    tpl: Template,
    table_name: str | None,
    title: str | None,
    actor: str | None,
) -> ThematicLayerInfo:
    """Register a template bound to a workspace table; the table itself is left as it is."""
    name = tpl.binding
    if table_name not in (None, "", name, tpl.core_table):
        raise ThematicError(
            tr(
                "Thematic",
                "{0} is saved in the workspace table {1}; it cannot have a table of its own.",
            ).format(tpl.title.local(), binding_label(tpl.core_table))
        )
    reg = ws.schema.thematic_layers
    layer_title = title or tpl.title.zh
    with ws.begin() as conn:
        taken = conn.execute(
            select(reg.c.template).where(reg.c.table_name == name)
        ).scalar_one_or_none()
        if taken is not None:
            raise ThematicError(
                tr("Thematic", "The workspace already has a layer on {0} (template {1}).").format(
                    binding_label(tpl.core_table, tpl.fixed),
                    _template_title(tpl if taken == tpl.id else taken),
                )
            )
        row_id = _register(conn, ws, tpl, name, layer_title, actor, audited_table=tpl.core_table)
    return ThematicLayerInfo(
        row_id, tpl.id, name, layer_title, tpl.geometry, tpl.core_table, tpl.fixed
    )


def _template_title(template: Template | str) -> str:
    """A template's title in the user's language (an unknown id as it is)."""
    try:
        return get_template(template).title.local()
    except ValueError:
        return str(template)


def thematic_layers(ws: Workspace) -> list[ThematicLayerInfo]:
    reg = ws.schema.thematic_layers
    with ws.engine.connect() as conn:
        rows = conn.execute(select(reg).order_by(reg.c.id)).all()
    return [
        ThematicLayerInfo(
            r.id, r.template, r.table_name, r.title, r.geometry_kind, *_binding(r.definition)
        )
        for r in rows
    ]


def registered_template(ws: Workspace, table_name: str) -> Template | None:
    """The template a thematic table was made from, as stored with it."""
    from .templates import parse_template

    reg = ws.schema.thematic_layers
    with ws.engine.connect() as conn:
        row = conn.execute(select(reg.c.definition).where(reg.c.table_name == table_name)).first()
    if row is None or not row.definition or "format" not in row.definition:
        return None
    return parse_template(row.definition, f"{table_name} (workspace)")


def thematic_table(ws: Workspace, template: Template, table_name: str) -> Table:
    """A table object to read or write an existing thematic table with SQLAlchemy (the
    workspace's own table for a template bound to one)."""
    if template.core_table:
        return getattr(ws.schema, template.core_table)
    return build_table(template, ws.srid, table_name)
