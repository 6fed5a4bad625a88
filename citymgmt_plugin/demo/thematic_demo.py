"""Demo step ``thematic``: one layer per template with a few sample features, then per-grid
statistics. Features are placed on the district's own grids and main roads, checked with the
template's rules first (one deliberately bad feature per rule kind is refused and shown).

Templates bound to a workspace table (main roads, window areas, patrol routes) get their
layer over that table; their samples are only checked, not written, so the district's
roads and routes (and the coverage results computed from them) stay as generated; their
statistics are those of the rows already there."""

from __future__ import annotations

import csv
import random
from datetime import date
from typing import Any

import shapely
from geoalchemy2.shape import to_shape
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import substring
from sqlalchemy import func, insert, select

from ..core.i18n import tr
from ..core.labels import binding_label, join
from ..core.thematic.rules import check_feature, describe
from ..core.thematic.stats import grid_stats
from ..core.thematic.tables import (
    create_thematic_table,
    registered_template,
    thematic_layers,
    thematic_table,
)
from ..core.thematic.templates import Template, load_templates, rule_title
from ..core.workspace.store import Workspace, upgrade

X0, Y0 = 500000.0, 3500000.0  # where a district-less demo puts its own grids
SURVEYOR = "demo"  # the sample features' surveyor attribute (data, not an actor)


def _first_part(geom: Any) -> Any:
    if geom.geom_type.startswith("Multi"):
        return max(geom.geoms, key=lambda g: g.area or g.length)
    return geom


def _base(ws: Workspace) -> tuple[list[tuple[str, Any]], list[Any], list[Any]]:
    """(unit grids as (code, shape), main road lines, street polygons) of the workspace."""
    s = ws.schema
    with ws.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(s.unit_grids)).scalar_one()
        grids = [
            (r.code, to_shape(r.geom))
            for r in conn.execute(
                select(s.unit_grids.c.code, s.unit_grids.c.geom).order_by(s.unit_grids.c.code)
            )
        ]
        roads = [
            _first_part(to_shape(r.geom))
            for r in conn.execute(
                select(s.main_roads.c.geom)
                .where(s.main_roads.c.kind == "main_road")
                .order_by(s.main_roads.c.id)
                .limit(20)
            )
        ]
        streets = [
            _first_part(to_shape(r.geom))
            for r in conn.execute(
                select(s.admin_units.c.geom)
                .where(s.admin_units.c.level == "street")
                .order_by(s.admin_units.c.code)
                .limit(3)
            )
        ]
    if n == 0:  # no district generated: a 6 x 4 block of 100 m grids
        grids = [
            (
                f"320508001001{i * 4 + j + 1:03d}",
                box(X0 + i * 100, Y0 + j * 100, X0 + i * 100 + 100, Y0 + j * 100 + 100),
            )
            for i in range(6)
            for j in range(4)
        ]
    if not roads:
        roads = [
            LineString([(X0, Y0 + 200), (X0 + 300, Y0 + 205), (X0 + 600, Y0 + 200)]),
            LineString([(X0 + 300, Y0), (X0 + 300, Y0 + 400)]),
        ]
    return [(c, _first_part(g)) for c, g in grids], roads, streets


def _spread(items: list[Any], k: int, rng: random.Random) -> list[Any]:
    if len(items) <= k:
        return list(items)
    step = len(items) / k
    return [items[int(i * step + rng.random() * step * 0.5)] for i in range(k)]


def _sample_shape(
    t: Template, i: int, cell: Any, roads: list[Any], streets: list[Any], rng: random.Random
) -> Any:
    """The ``i``-th sample's shape in grid ``cell``: a point near its middle, a box in it
    (management districts: a street, else the grid), a main road or its first 60 %."""
    c = cell.representative_point()
    if t.geometry == "point":
        return Point(c.x + rng.uniform(-5, 5), c.y + rng.uniform(-5, 5))
    if t.geometry == "polygon":
        if t.id == "management_districts":
            return streets[i] if i < len(streets) else cell
        w, h = rng.uniform(14, 30), rng.uniform(12, 24)
        shape = shapely.intersection(
            box(c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2), cell.buffer(-0.5)
        )
        return _first_part(shape)
    road = roads[i % len(roads)]
    return road if t.id == "main_roads" else substring(road, 0, road.length * 0.6)


def _sample_attrs(
    t: Template, i: int, code: str, cats: list[Any], rng: random.Random
) -> dict[str, Any]:
    """The ``i``-th sample's attributes: surveyor, date, literal defaults, a category in
    turn, a name, and values for the fields the templates share."""
    attrs: dict[str, Any] = {"surveyor": SURVEYOR, "survey_date": date.today()}
    names = {f.name for f in t.fields}
    for f in t.fields:
        if f.default_kind == "literal":
            attrs[f.name] = f.default
    if t.category_field:
        attrs[t.category_field] = cats[i % len(cats)]
    if "name" in names:
        attrs["name"] = f"{t.title.zh}{i + 1}"
    for key, value in (
        ("code", f"GL{i + 1:03d}"),
        ("route_code", f"XL{i + 1:03d}"),
        ("manager", "城管执法中队"),
        ("grid_code", code),
        ("collector_code", f"C{i + 1:03d}"),
    ):
        if key in names:
            attrs[key] = value
    if "depth_cm" in names:
        attrs["depth_cm"] = round(rng.uniform(3, 40), 1)
    return attrs


def _samples(
    t: Template,
    grids: list[tuple[str, Any]],
    roads: list[Any],
    streets: list[Any],
    rng: random.Random,
) -> list[tuple[Any, dict[str, Any]]]:
    """A few (shape, attributes) for ``t``, placed on grids and roads."""
    cats = t.field(t.category_field).domain_values() if t.category_field else [None]
    out: list[tuple[Any, dict[str, Any]]] = []
    for i, (code, cell) in enumerate(_spread(grids, 6, rng)):
        if t.geometry == "line" and i >= len(roads):
            break
        shape = _sample_shape(t, i, cell, roads, streets, rng)
        out.append((shape, _sample_attrs(t, i, code, cats, rng)))
    return out


def _bad_samples(
    t: Template, good: list[tuple[Any, dict[str, Any]]]
) -> list[tuple[Any, dict, bool]]:
    """Features that break the template's rules (the demo shows them refused)."""
    if not good:
        return []
    shape, attrs = good[0]
    bad: list[tuple[Any, dict[str, Any], bool]] = []  # (shape, attributes, check overlap)
    if t.geometry == "polygon":
        x0, y0, x1, y1 = shape.bounds
        bad.append((Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)]), attrs, False))  # bow-tie
        if t.has_rule("no_overlap"):
            bad.append((shape.buffer(-1.0) if shape.area > 20 else shape, attrs, True))
    missing = dict(attrs)
    for f in t.mandatory_fields[:1]:
        missing[f.name] = None
    bad.append((shape, missing, False))
    return bad


def _core_rows(ws: Workspace, t: Template) -> list[tuple[Any, dict[str, Any]]]:
    """(shape, attributes) of the workspace-table rows a bound template's layer shows."""
    table = getattr(ws.schema, t.core_table)
    query = select(table).order_by(table.c.id)
    for col, value in t.fixed:
        query = query.where(table.c[col] == value)
    with ws.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [(to_shape(r.geom), dict(r._mapping)) for r in rows]


def _kept_samples(ctx: Any, tpl: Template, good: list) -> list[tuple[Any, dict[str, Any]]]:
    """The good samples that pass the template's rules (with the ones kept before them);
    then the bad samples, shown refused."""
    kept: list[tuple[Any, dict[str, Any]]] = []
    for shape, attrs in good:
        others = [(n + 1, s, a) for n, (s, a) in enumerate(kept)]
        problems = check_feature(tpl, shape, attrs, others)
        if problems:
            ctx.log(tr("Demo", "   refused sample: {0}").format(describe(problems)))
            continue
        kept.append((shape, attrs))
    for shape, attrs, with_others in _bad_samples(tpl, kept):
        others = [(n + 1, s, a) for n, (s, a) in enumerate(kept) if with_others]
        problems = check_feature(tpl, shape, attrs, others)
        ctx.log(
            tr("Demo", "   {0}: bad sample refused, rule {1}").format(
                tpl.title.local(),
                join(sorted(rule_title(r) for r in {p.rule for p in problems})) or "-",
            )
        )
    return kept


def _layer_rows(ctx: Any, ws: Workspace, tpl: Template, info: Any, table: Any, kept: list) -> list:
    """What the layer holds: a bound template shows its workspace table's rows; a layer of
    its own gets the samples (once: an existing layer keeps what it has)."""
    if tpl.core_table:
        ctx.log(
            tr("Demo", "   {0}: kept in the workspace's {1}").format(
                tpl.title.local(), binding_label(info.core_table, info.fixed)
            )
        )
        return _core_rows(ws, tpl)
    with ws.begin() as conn:
        n_before = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if n_before == 0 and kept:
            conn.execute(insert(table), [{**a, "geom": f"SRID={ws.srid};{s.wkt}"} for s, a in kept])
    return kept


def _log_layer(ctx: Any, tpl: Template, info: Any, kept: list, rows: list) -> None:
    """One line per layer (features, grids, total length or area), then its first grids."""
    measure = {
        "point": "",
        "line": tr("Demo", ", {0:.0f} m"),
        "polygon": tr("Demo", ", {0:.0f} m²"),
    }[tpl.geometry]
    total = sum(r.length_m if tpl.geometry == "line" else r.area_m2 for r in rows)
    ctx.log(
        tr("Demo", "  {0}: {1} features in {2} grids{3}").format(
            tpl.title.local(),
            len(kept),
            len({r.grid_code for r in rows}),
            measure.format(total) if measure else "",
        )
    )
    for r in rows[:3]:
        label = (
            tpl.field(tpl.category_field).domain_label(r.category) if tpl.category_field else "-"
        )
        ctx.log(
            tr("Demo", "      {0}  {1}: {2} features, {3:.1f} m, {4:.1f} m²").format(
                r.grid_code, label, r.count, r.length_m, r.area_m2
            )
        )


def _thematic_layer(ctx: Any, ws: Workspace, t: Template, base: tuple, made: dict, writer) -> None:
    """One template: its layer (made once), checked samples, per-grid statistics."""
    grids, roads, streets, rng = base
    info = made.get(t.id) or create_thematic_table(ws, t)
    tpl = registered_template(ws, info.table_name) or t
    table = thematic_table(ws, tpl, info.table_name)
    kept = _kept_samples(ctx, tpl, _samples(tpl, grids, roads, streets, rng))
    kept = _layer_rows(ctx, ws, tpl, info, table, kept)
    rows = grid_stats(
        [s for s, _ in kept],
        [a.get(tpl.category_field) for _, a in kept],
        [g for _, g in grids],
        [c for c, _ in grids],
        kind=tpl.geometry,
    )
    for r in rows:
        writer.writerow(
            [info.table_name, r.grid_code, r.category, r.count, round(r.length_m, 2),
             round(r.area_m2, 2)]
        )  # fmt: skip
    _log_layer(ctx, tpl, info, kept, rows)


def step_thematic(ctx: Any) -> None:
    path = ctx.workspace_path
    if not path.exists():
        upgrade(str(path))
    ws = Workspace.open(str(path))
    rng = random.Random(ctx.seed + 6)
    try:
        grids, roads, streets = _base(ws)
        made = {i.template: i for i in thematic_layers(ws)}
        stats_path = ctx.output("thematic_stats_csv", ctx.out_dir / "thematic-grid-stats.csv")
        with open(stats_path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["layer", "grid_code", "category", "count", "length_m", "area_m2"])
            for t in load_templates(include_user_dirs=False):
                _thematic_layer(ctx, ws, t, (grids, roads, streets, rng), made, writer)
        ctx.facts["thematic_layers"] = len(thematic_layers(ws))
    finally:
        ws.close()
