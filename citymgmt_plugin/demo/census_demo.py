"""Demo step: a census batch (some moved, changed, new, missing, a few bad rows) imported,
reconciled and applied, then census QA over the whole inventory; prints the report."""

from __future__ import annotations

import json
import math
import random
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from sqlalchemy import func, select

from ..core.census import ComponentDraft, create_component, write_transaction
from ..core.census.batch_mapping import MappingStore
from ..core.census.geo import from_db
from ..core.census.importer import import_batch
from ..core.census.reconcile import kind_label, reconcile
from ..core.census.reconcile_apply import apply_reconciliation
from ..core.census.reconcile_report import write_report
from ..core.i18n import tr
from ..core.labels import join, labelled, qa_rule_label
from ..core.workspace.store import Workspace, upgrade
from .runner import DemoContext


def _ensure_inventory(ws: Workspace, rnd: random.Random) -> None:
    """Without the district generator: a small lattice and some components to survey."""
    s = ws.schema
    with ws.engine.connect() as c:
        n = c.execute(select(func.count()).select_from(s.components)).scalar()
        grids = c.execute(select(func.count()).select_from(s.unit_grids)).scalar()
    if n:
        return
    if not grids:
        from .lattice import seed_lattice

        seed_lattice(ws, streets=2, communities=3, nx=5, ny=5)
    with ws.engine.connect() as c:
        rows = c.execute(select(s.unit_grids.c.code, func.ST_AsBinary(s.unit_grids.c.geom))).all()
    classes = ["0101", "0102", "0103", "0118"]
    names = {"0101": "上水井盖", "0102": "污水井盖", "0103": "雨水井盖", "0118": "路灯"}
    with write_transaction(ws) as c:
        for _code, wkb in rows:
            minx, miny, maxx, maxy = from_db(wkb).bounds
            for _ in range(6):
                cls = rnd.choice(classes)
                pt = shapely.Point(rnd.uniform(minx + 2, maxx - 2), rnd.uniform(miny + 2, maxy - 2))
                draft = ComponentDraft(
                    cls, pt, name=names[cls], dept_code="001", dept_name="市政管理处"
                )
                create_component(c, ws, draft, ws.actor)


def _wgs84(ws_srid: int):
    from osgeo import osr

    s, d = osr.SpatialReference(), osr.SpatialReference()
    s.ImportFromEPSG(ws_srid)
    d.ImportFromEPSG(4326)
    for r in (s, d):
        r.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(s, d)


def _survey_area(
    ws: Workspace, rnd: random.Random, grids_wanted: int
) -> tuple[list[str], list[Any], dict[str, Any]]:
    """Grids chosen for the survey (with at least two active point components), their
    active components (by identifier) and the grids' shapes."""
    s, c_ = ws.schema, ws.schema.components
    with ws.engine.connect() as conn:
        grid_codes = (
            conn.execute(
                select(c_.c.grid_code)
                .where(
                    c_.c.status.notin_(("移除", "废弃")),
                    func.ST_GeometryType(c_.c.geom).in_(("POINT", "ST_Point")),
                )
                .group_by(c_.c.grid_code)
                .having(func.count() >= 2)
                .order_by(c_.c.grid_code)
            )
            .scalars()
            .all()
        )
        chosen = sorted(rnd.sample(grid_codes, min(grids_wanted, len(grid_codes))))
        rows = conn.execute(
            select(
                c_.c.identifier,
                c_.c.class_code,
                c_.c.name,
                c_.c.dept_code,
                c_.c.dept_name,
                c_.c.status,
                c_.c.accuracy_class,
                func.ST_AsBinary(c_.c.geom).label("wkb"),
            )
            .where(c_.c.grid_code.in_(chosen), c_.c.status.notin_(("移除", "废弃")))
            .order_by(c_.c.identifier)
        ).all()
        grid_geoms = {
            code: from_db(wkb)
            for code, wkb in conn.execute(
                select(s.unit_grids.c.code, func.ST_AsBinary(s.unit_grids.c.geom)).where(
                    s.unit_grids.c.code.in_(chosen)
                )
            )
        }
    return chosen, rows, grid_geoms


class _Survey:
    """The batch being written: GeoJSON features in WGS84 and what was planted."""

    def __init__(self, ws_srid: int, rnd: random.Random) -> None:
        self.ct = _wgs84(ws_srid)
        self.rnd = rnd
        self.feats: list[dict[str, Any]] = []
        self.planted = dict.fromkeys(
            ("moved", "changed", "missing", "new", "duplicate", "bad", "unchanged"), 0
        )

    def add(self, x: float, y: float, props: dict[str, Any]) -> None:
        lon, lat, _ = self.ct.TransformPoint(x, y)
        self.feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 9), round(lat, 9)]},
                "properties": props,
            }
        )

    def resurvey(self, r: Any, grid_geoms: dict[str, Any]) -> None:
        """A stored component surveyed again: left out (missing), moved beyond every
        accuracy class, its status changed, or as it was (a few twice, without identifier)."""
        g = from_db(r.wkb)
        if g is None or g.geom_type != "Point":  # this batch surveys point classes only
            self.planted["missing"] += 1
            return
        props = {
            "BSM": r.identifier,
            "LBDM": r.class_code,
            "MC": r.name,
            "ZGBMDM": r.dept_code,
            "ZGBMMC": r.dept_name,
            "BJZT": r.status,
            "JDDJ": r.accuracy_class,
        }
        x, y = g.x, g.y
        roll = self.rnd.random()
        if roll < 0.06:
            self.planted["missing"] += 1
            return
        if roll < 0.14:
            x, y = self._moved(x, y, grid_geoms)
        elif roll < 0.24:
            props["BJZT"] = "破损" if r.status != "破损" else "完好"
            self.planted["changed"] += 1
        else:
            self.planted["unchanged"] += 1
            if self.planted["duplicate"] < 3 and self.rnd.random() < 0.2:  # twice, no id
                self.add(x + 0.3, y, {**props, "BSM": None})
                self.planted["duplicate"] += 1
        self.add(x, y, props)

    def _moved(self, x: float, y: float, grid_geoms: dict[str, Any]) -> tuple[float, float]:
        ang = self.rnd.uniform(0, 6.283)
        dist = self.rnd.uniform(12, 25)  # beyond every accuracy class (C: 10 m)
        nx, ny = x + dist * math.cos(ang), y + dist * math.sin(ang)
        if grid_geoms[_grid_of(grid_geoms, x, y)].buffer(-1).contains(shapely.Point(nx, ny)):
            self.planted["moved"] += 1
            return nx, ny
        self.planted["unchanged"] += 1
        return x, y

    def new_lamps(self, chosen: list[str], grid_geoms: dict[str, Any]) -> None:
        """A street lamp the store lacks in half of the grids."""
        for code in chosen[: max(1, len(chosen) // 2)]:
            p = grid_geoms[code].representative_point()
            x, y = p.x + self.rnd.uniform(-3, 3), p.y + self.rnd.uniform(-3, 3)
            self.add(x, y, dict(_NEW_LAMP))
            self.planted["new"] += 1

    def bad_rows(self, where: Any) -> None:
        """Rows the import must refuse: bad status, unknown class, an empty mandatory
        attribute, a short identifier, a position outside the district."""
        for i, props in enumerate(_BAD_ROWS):
            props = {"BSM": None, "MC": "坏行", "JDDJ": "B", **props}
            self.add(where.x + 5 + i, where.y + 5, props)
        self.add(where.x - 1e5, where.y, dict(_OUTSIDE))
        self.planted["bad"] = len(_BAD_ROWS) + 1


_NEW_LAMP = {
    "BSM": None,
    "LBDM": "0118",
    "MC": "路灯",
    "ZGBMDM": "002",
    "ZGBMMC": "市路灯管理处",
    "BJZT": "完好",
    "JDDJ": "B",
}
_BAD_ROWS = (
    {"LBDM": "0101", "BJZT": "好的", "ZGBMMC": "市水务局", "ZGBMDM": "001"},  # status
    {"LBDM": "0199", "BJZT": "完好", "ZGBMMC": "市水务局", "ZGBMDM": "001"},  # class
    {"LBDM": "0101", "BJZT": "完好", "ZGBMMC": "", "ZGBMDM": "001"},  # mandatory
    {"BSM": "12345", "LBDM": "0101", "BJZT": "完好", "ZGBMMC": "市水务局", "ZGBMDM": "001"},
)
_OUTSIDE = {
    "BSM": None,
    "LBDM": "0101",
    "MC": "界外",
    "BJZT": "完好",
    "ZGBMMC": "市水务局",
    "ZGBMDM": "001",
    "JDDJ": "B",
}


def make_batch(ws: Workspace, rnd: random.Random, grids_wanted: int = 30) -> tuple[list, dict]:
    """GeoJSON features (WGS84) of a survey of some grids, and what was planted."""
    chosen, rows, grid_geoms = _survey_area(ws, rnd, grids_wanted)
    survey = _Survey(ws.srid, rnd)
    for r in rows:
        survey.resurvey(r, grid_geoms)
    survey.new_lamps(chosen, grid_geoms)
    survey.bad_rows(grid_geoms[chosen[0]].representative_point())
    rnd.shuffle(survey.feats)
    return survey.feats, survey.planted


def _grid_of(grid_geoms: dict[str, Any], x: float, y: float) -> str:
    p = shapely.Point(x, y)
    for code, g in grid_geoms.items():
        if g.covers(p):
            return code
    return next(iter(grid_geoms))


def step_census(ctx: DemoContext) -> None:
    rnd = random.Random(ctx.seed + 4)
    if not ctx.workspace_path.exists():
        upgrade(str(ctx.workspace_path))
    ws = Workspace.open(str(ctx.workspace_path))
    try:
        _ensure_inventory(ws, rnd)
        feats, planted = make_batch(ws, rnd, grids_wanted=max(5, int(30 * ctx.scale)))
        batch_path = ctx.output("census_batch", ctx.out_dir / "census-batch.geojson")
        batch_path.write_text(
            json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False),
            encoding="utf-8",
        )
        ctx.log(
            tr("Demo", "   census batch: {0} rows (planted: {1})").format(
                len(feats), join(f"{_planted_label(k)} {v}" for k, v in planted.items())
            )
        )
        store = MappingStore(ctx.out_dir / "census-mappings.json")
        with ws.engine.connect() as c:
            batch = import_batch(c, ws, batch_path, store=store)
            recon = reconcile(c, ws, batch)
        counts = recon.counts()
        ctx.log(
            tr("Demo", "   reconciliation: {0}").format(
                join(f"{kind_label(k)} {v}" for k, v in counts.items())
            )
        )
        with write_transaction(ws) as c:
            result = apply_reconciliation(c, ws, recon, ws.actor)
        zone = ZoneInfo(ws.setting("timezone", "Asia/Shanghai"))  # the office's clock
        paths = write_report(recon, ctx.out_dir, "census-reconciliation", result, zone)
        for key, p in paths.items():
            ctx.output(f"census_report_{key}", p)
        ctx.log(paths["txt"].read_text(encoding="utf-8").rstrip())
        ctx.facts["census"] = {"counts": counts, "applied": result.as_dict()}
        _qa(ctx, ws)
    finally:
        ws.close()


def _planted_label(kind: str) -> str:
    return tr("Demo", "invalid rows") if kind == "bad" else kind_label(kind)


def _qa(ctx: DemoContext, ws: Workspace) -> None:
    from ..core.qgis.layers import workspace_layer
    from ..headless import run_census_qa

    comps = workspace_layer(ws, "components", geometry_type="Point")
    grids = workspace_layer(ws, "unit_grids")
    out = ctx.out_dir / "census-qa.gpkg"
    if out.exists():
        out.unlink()
    res = run_census_qa(comps, grids, OUTPUT=str(out))
    ctx.output("census_qa", out)
    counts = json.loads(res["COUNTS"])
    ctx.log(
        tr("Demo", "   census QA: {0} errors on {1} point components").format(
            res["TOTAL"], res["CHECKED"]
        )
    )
    for rule, n in counts.items():
        if n:
            ctx.log("     " + labelled(qa_rule_label(rule), n))
    ctx.facts["census_qa"] = counts
