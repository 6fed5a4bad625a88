"""Write the QML styles of the workspace layers to resources/styles/ (run after editing).

    PYTHONPATH=. .venv/bin/python scripts/make_styles.py [coverage_grids tasks …]

The QML files are the shipped artefact; this script is their source, so a change of colour or
symbol is one edit here and a re-run. Category labels of submissions and roads are English
here and translated when the style is applied (core.layers.category_labels).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGeometryGeneratorSymbolLayer,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsMapLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

OUT = Path(__file__).resolve().parent.parent / "resources" / "styles"
FONT = "Noto Sans CJK SC"
MAJOR = [  # major class code, name, colour, marker shape
    ("01", "公用设施", "#1f78b4", "circle"),
    ("02", "道路交通", "#4d4d4d", "square"),
    ("03", "市容环境", "#ff7f00", "triangle"),
    ("04", "园林绿化", "#33a02c", "pentagon"),
    ("05", "房屋土地", "#a65628", "diamond"),
    ("06", "其他设施", "#984ea3", "cross_fill"),
]
CATEGORIES = QgsMapLayer.Symbology | QgsMapLayer.Labeling | QgsMapLayer.Rendering


def _layer(kind: str, fields: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs=EPSG:4549&{fields}", "style", "memory")
    assert layer.isValid(), kind
    return layer


def _save(layer: QgsVectorLayer, stem: str) -> None:
    path = OUT / f"{stem}.qml"
    msg, ok = layer.saveNamedStyle(str(path), CATEGORIES)
    if not ok:
        raise SystemExit(f"{stem}: {msg}")
    print(path)


def _text(size: float, color: str = "#303040", bold: bool = False) -> QgsTextFormat:
    fmt = QgsTextFormat()
    font = QFont(FONT)
    font.setBold(bold)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(color))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor(255, 255, 255, 220))
    fmt.setBuffer(buffer)
    return fmt


def _label(
    field: str,
    size: float,
    color: str = "#303040",
    bold: bool = False,
    is_expression: bool = False,
    min_scale: float = 0.0,
) -> QgsPalLayerSettings:
    s = QgsPalLayerSettings()
    s.fieldName = field
    s.isExpression = is_expression
    s.setFormat(_text(size, color, bold))
    s.placement = QgsPalLayerSettings.OverPoint
    if min_scale:
        s.scaleVisibility = True
        s.minimumScale = min_scale  # most zoomed-out scale the label shows at
        s.maximumScale = 0
    return s


def outline(color: str, width: float, style: str = "solid", fill: str = "0,0,0,0"):
    return QgsFillSymbol.createSimple(
        {
            "color": fill,
            "outline_color": color,
            "outline_width": str(width),
            "outline_style": style,
            "joinstyle": "round",
        }
    )


def admin_units() -> None:
    layer = _layer("MultiPolygon", "field=level:string&field=name:string&field=code:string")
    root = QgsRuleBasedRenderer.Rule(None)
    district = outline("#3b3b5c", 0.8)
    halo_symbol = outline("#b9b9d6", 2.4)
    halo = halo_symbol.symbolLayer(0).clone()
    halo.setStrokeColor(QColor(185, 185, 214, 140))
    district.insertSymbolLayer(0, halo)
    for level, symbol, label in (
        ("district", district, "District"),
        ("street", outline("#5c5c8a", 0.5, "dash"), "Street"),
        ("community", outline("#8585a8", 0.3, "dot"), "Community"),
    ):
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, f"\"level\" = '{level}'", label))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    lroot = QgsRuleBasedLabeling.Rule(None)
    street = QgsRuleBasedLabeling.Rule(_label("name", 11, "#3b3b5c", bold=True))
    street.setFilterExpression("\"level\" = 'street'")
    lroot.appendChild(street)
    # Rule(settings, maximumScale (most zoomed in), minimumScale (most zoomed out))
    community = QgsRuleBasedLabeling.Rule(_label("name", 9, "#5c5c8a"), 0, 20000)
    community.setFilterExpression("\"level\" = 'community'")
    lroot.appendChild(community)
    layer.setLabeling(QgsRuleBasedLabeling(lroot))
    layer.setLabelsEnabled(True)
    _save(layer, "admin_units")


def unit_grids() -> None:
    layer = _layer("MultiPolygon", "field=code:string")
    layer.setRenderer(QgsSingleSymbolRenderer(outline("#9aa7b5", 0.15, fill="240,243,246,255")))
    code = _label('right("code", 3)', 7, "#7a8796", is_expression=True, min_scale=4000)
    # anywhere inside the grid, horizontal: the code moves off a component at the centre
    # (components block labels) instead of covering it; labels are drawn over every layer
    code.placement = QgsPalLayerSettings.Horizontal
    code.priority = 2  # below everything else's labels
    layer.setLabeling(QgsVectorLayerSimpleLabeling(code))
    layer.setLabelsEnabled(True)
    _save(layer, "unit_grids")


def resp_grids() -> None:
    layer = _layer("MultiPolygon", "field=code:string&field=name:string")
    layer.setRenderer(QgsSingleSymbolRenderer(outline("#e07b39", 0.45, "dash")))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(_label("name", 8, "#b35a1f", min_scale=25000)))
    layer.setLabelsEnabled(True)
    _save(layer, "resp_grids")


# Markers shrink when zoomed out, so a whole district stays readable.
SIZE_BY_SCALE = (
    "CASE WHEN @map_scale > 25000 THEN {far} WHEN @map_scale > 8000 THEN {mid} ELSE {near} END"
)


def scale_sized(symbol: QgsMarkerSymbol, near: float, mid: float, far: float) -> QgsMarkerSymbol:
    for layer in symbol.symbolLayers():
        layer.setDataDefinedProperty(
            QgsSymbolLayer.PropertySize,
            QgsProperty.fromExpression(SIZE_BY_SCALE.format(near=near, mid=mid, far=far)),
        )
        layer.setDataDefinedProperty(
            QgsSymbolLayer.PropertyStrokeWidth,
            QgsProperty.fromExpression(SIZE_BY_SCALE.format(near=0.3, mid=0.2, far=0)),
        )
    return symbol


def _categorised(expression: str, items: list[tuple[str, object, str]], fallback=None):
    cats = [QgsRendererCategory(v, s, label) for v, s, label in items]
    if fallback is not None:
        cats.append(QgsRendererCategory(None, fallback, "Other"))
    return QgsCategorizedSymbolRenderer(expression, cats)


def blocking() -> QgsVectorLayerSimpleLabeling:
    """QGIS's "Blocking" labels: no text, but other layers' labels keep off the features."""
    s = QgsPalLayerSettings()
    s.drawLabels = False
    s.fieldName = "identifier"
    obstacle = s.obstacleSettings()
    obstacle.setIsObstacle(True)
    obstacle.setFactor(2.0)  # the most a label is kept away
    s.setObstacleSettings(obstacle)
    return QgsVectorLayerSimpleLabeling(s)


def components() -> None:
    expr = 'left("class_code", 2)'
    points, lines, polys = [], [], []
    for code, name, color, shape in MAJOR:
        label = f"{code} {name}"
        marker = QgsMarkerSymbol.createSimple(
            {
                "name": shape,
                "color": color,
                "size": "2.6",
                "outline_color": "#ffffff",
                "outline_width": "0.3",
            }
        )
        points.append(
            (
                code,
                scale_sized(marker, 2.6, 1.6, 0.9),
                label,
            )
        )
        lines.append(
            (
                code,
                QgsLineSymbol.createSimple(
                    {"line_color": color, "line_width": "0.7", "capstyle": "round"}
                ),
                label,
            )
        )
        c = QColor(color)
        polys.append(
            (
                code,
                QgsFillSymbol.createSimple(
                    {
                        "color": f"{c.red()},{c.green()},{c.blue()},90",
                        "outline_color": color,
                        "outline_width": "0.4",
                    }
                ),
                label,
            )
        )
    grey = "#8c8c8c"
    fallback = {
        "Point": scale_sized(
            QgsMarkerSymbol.createSimple({"name": "circle", "color": grey, "size": "2"}),
            2,
            1.3,
            0.8,
        ),
        "LineString": QgsLineSymbol.createSimple({"line_color": grey, "line_width": "0.5"}),
        "Polygon": outline(grey, 0.3, fill="140,140,140,60"),
    }
    for kind, items, stem in (
        ("Point", points, "components_point"),
        ("LineString", lines, "components_line"),
        ("Polygon", polys, "components_polygon"),
    ):
        layer = _layer(kind, "field=class_code:string&field=status:string&field=identifier:string")
        layer.setRenderer(_categorised(expr, items, fallback[kind]))
        if kind != "Polygon":  # markers and lines: grid codes move off them
            layer.setLabeling(blocking())
            layer.setLabelsEnabled(True)
        _save(layer, stem)


def track_points() -> None:
    layer = _layer("Point", "field=collector_code:string")
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsMarkerSymbol.createSimple(
                {"name": "circle", "color": "23,190,207,140", "size": "1.1", "outline_style": "no"}
            )
        )
    )
    _save(layer, "track_points")


def pois() -> None:
    """Points of interest: a star, closed ones grey and gone ones faded; named close up."""
    layer = _layer("Point", "field=status:string&field=name:string")

    def star(color: str) -> QgsMarkerSymbol:
        return QgsMarkerSymbol.createSimple(
            {"name": "star", "color": color, "size": "3.4", "outline_color": "#303030",
             "outline_width": "0.2"}
        )  # fmt: skip

    layer.setRenderer(
        _categorised(
            "status",
            [("正常", star("#e7298a"), "Open"), ("停业", star("#9e9e9e"), "Closed"),
             ("移除", star("220,220,220,120"), "Gone")],
        )
    )  # fmt: skip
    layer.setLabeling(QgsVectorLayerSimpleLabeling(_label("name", 8.0, min_scale=5000)))
    layer.setLabelsEnabled(True)
    _save(layer, "pois")


def main_roads() -> None:
    layer = _layer("MultiLineString", "field=kind:string&field=name:string")

    def road(color: str) -> QgsLineSymbol:
        symbol = QgsLineSymbol.createSimple(
            {
                "line_color": "#ffffff",
                "line_width": "2.4",
                "capstyle": "round",
                "joinstyle": "round",
            }
        )
        inner = QgsLineSymbol.createSimple(
            {"line_color": color, "line_width": "1.6", "capstyle": "round", "joinstyle": "round"}
        )
        core = inner.symbolLayer(0).clone()
        symbol.appendSymbolLayer(core)
        symbol.setOpacity(0.9)
        return symbol

    layer.setRenderer(
        _categorised(
            "kind",
            [
                ("main_road", road("#e8552e"), "Main road"),
                ("window_area", road("#8e44ad"), "Window area"),
            ],
        )
    )
    settings = _label("name", 8, "#8a2d12", min_scale=15000)
    settings.placement = QgsPalLayerSettings.Curved
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    _save(layer, "main_roads")


def patrol_routes() -> None:
    layer = _layer("MultiLineString", "field=collector_code:string")
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsLineSymbol.createSimple(
                {
                    "line_color": "#1a9641",
                    "line_width": "0.6",
                    "line_style": "dash",
                    "capstyle": "round",
                }
            )
        )
    )
    _save(layer, "patrol_routes")


def submissions() -> None:
    layer = _layer("Point", "field=state:string")

    def mark(shape: str, color: str, size: float = 3.0, stroke: str = "#202020"):
        symbol = QgsMarkerSymbol.createSimple(
            {
                "name": shape,
                "color": color,
                "size": str(size),
                "outline_color": stroke,
                "outline_width": "0.3",
            }
        )
        return scale_sized(symbol, size, round(size * 0.7, 1), round(size * 0.45, 1))

    layer.setRenderer(
        _categorised(
            "state",
            [
                ("pending", mark("circle", "#ffd700", 3.2), "Pending review"),
                ("has_issues", mark("triangle", "#fdae61", 3.2), "Sent back (has issues)"),
                ("quarantined", mark("cross_fill", "#d7191c", 3.4, "#ffffff"), "Quarantined"),
                ("accepted", mark("circle", "#1a9850", 2.4), "Accepted"),
                ("updated", mark("circle", "#2c7bb6", 2.4), "Updated a component"),
                ("duplicate", mark("circle", "#bdbdbd", 2.2), "Duplicate"),
                ("rejected", mark("cross2", "#636363", 2.4, "#636363"), "Rejected"),
            ],
        )
    )
    _save(layer, "submissions")


# A task's standing: overdue, due within the hour, open, done on time / late, cancelled.
TASK_STANDING = (
    "CASE WHEN \"state\" = 'open' AND \"due_at\" < now() THEN 'overdue' "
    "WHEN \"state\" = 'open' AND \"due_at\" < now() + to_interval('1 hour') THEN 'due_soon' "
    "WHEN \"state\" = 'open' THEN 'open' "
    'WHEN "state" = \'done\' AND "result_at" <= "due_at" THEN \'on_time\' '
    "WHEN \"state\" = 'done' THEN 'late' ELSE 'cancelled' END"
)
# Verify tasks are circles, check tasks squares.
TASK_SHAPE = "CASE WHEN \"kind\" = 'check' THEN 'square' ELSE 'circle' END"
# Case number and, while open, the hours left (negative: overdue), when zoomed in.
TASK_LABEL = (
    '"case_no" || CASE WHEN "state" = \'open\' THEN '
    "' ' || format_number(hour(\"due_at\" - now()), 1) || 'h' ELSE '' END"
)


def tasks() -> None:
    layer = _layer("Point", "field=state:string&field=kind:string&field=case_no:string")

    def mark(color: str, size: float, ring: str | None = None):
        symbol = QgsMarkerSymbol.createSimple(
            {
                "name": "circle",
                "color": color,
                "size": str(size),
                "outline_color": "#202020",
                "outline_width": "0.3",
            }
        )
        symbol.symbolLayer(0).setDataDefinedProperty(
            QgsSymbolLayer.PropertyName, QgsProperty.fromExpression(TASK_SHAPE)
        )
        if ring:  # overdue: a red ring around the mark
            outer = QgsMarkerSymbol.createSimple(
                {
                    "name": "circle",
                    "color": "0,0,0,0",
                    "size": str(size + 2.4),
                    "outline_color": ring,
                    "outline_width": "0.8",
                }
            )
            halo = outer.symbolLayer(0).clone()
            symbol.insertSymbolLayer(0, halo)
        return symbol

    layer.setRenderer(
        _categorised(
            TASK_STANDING,
            [
                ("overdue", mark("#d7191c", 3.6, ring="#d7191c"), "Overdue"),
                ("due_soon", mark("#fdae61", 3.4), "Due within the hour"),
                ("open", mark("#2c7bb6", 3.2), "Open"),
                ("on_time", mark("#1a9850", 2.6), "Done on time"),
                ("late", mark("#a6611a", 2.6), "Done late"),
                ("cancelled", mark("#bdbdbd", 2.2), "Cancelled"),
            ],
        )
    )
    settings = _label(TASK_LABEL, 8.5, "#202040", is_expression=True, min_scale=6000)
    settings.placement = QgsPalLayerSettings.AroundPoint  # beside the mark, not over it
    settings.dist = 1.2
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    _save(layer, "tasks")


def cases() -> None:
    layer = _layer("Point", "field=state:string")

    def mark(color: str):
        return QgsMarkerSymbol.createSimple(
            {
                "name": "diamond",
                "color": color,
                "size": "2.4",
                "outline_color": "#ffffff",
                "outline_width": "0.3",
            }
        )

    states = [
        ("reported", "#ffd700", "Reported"),
        ("filed", "#fdae61", "Filed"),
        ("dispatched", "#f46d43", "Dispatched"),
        ("handled", "#74add1", "Handled"),
        ("checked", "#4575b4", "Checked"),
        ("closed", "#1a9850", "Closed"),
        ("void", "#bdbdbd", "Void"),
        ("on_hold", "#9e9ac8", "On hold"),
    ]
    layer.setRenderer(_categorised("state", [(v, mark(c), t) for v, c, t in states]))
    _save(layer, "cases")


def thematic() -> None:
    blue = "#2171b5"
    poly = _layer("MultiPolygon", "field=name:string")
    symbol = outline(blue, 0.5, fill="33,113,181,50")
    hatch_symbol = QgsFillSymbol.createSimple(
        {"color": blue, "style": "b_diagonal", "outline_style": "no"}
    )
    hatch = hatch_symbol.symbolLayer(0).clone()
    symbol.appendSymbolLayer(hatch)
    poly.setRenderer(QgsSingleSymbolRenderer(symbol))
    _save(poly, "thematic_polygon")
    line = _layer("MultiLineString", "field=name:string")
    line.setRenderer(
        QgsSingleSymbolRenderer(
            QgsLineSymbol.createSimple(
                {"line_color": blue, "line_width": "0.9", "line_style": "dash dot"}
            )
        )
    )
    _save(line, "thematic_line")
    point = _layer("Point", "field=name:string")
    point.setRenderer(
        QgsSingleSymbolRenderer(
            QgsMarkerSymbol.createSimple(
                {
                    "name": "star",
                    "color": blue,
                    "size": "3.4",
                    "outline_color": "#ffffff",
                    "outline_width": "0.3",
                }
            )
        )
    )
    _save(point, "thematic_point")


# -- Processing outputs (applied when an algorithm's layer lands in the project) -----------
# Rule and category labels are English here; core.qgis.output_styles translates them when
# the style is applied, so the legend speaks the user's language.

RED = "#d7191c"


def _rules(items: list[tuple[object, str, str]]) -> QgsRuleBasedRenderer:
    root = QgsRuleBasedRenderer.Rule(None)
    for symbol, expression, label in items:
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    return QgsRuleBasedRenderer(root)


def _rule_label(settings: QgsPalLayerSettings, expression: str) -> QgsRuleBasedLabeling:
    root = QgsRuleBasedLabeling.Rule(None)
    rule = QgsRuleBasedLabeling.Rule(settings)
    rule.setFilterExpression(expression)
    root.appendChild(rule)
    return QgsRuleBasedLabeling(root)


FAILS = '"passed" IS NOT NULL AND NOT "passed"'


def coverage_grids() -> None:
    """citymgmt:patrolcoverage OUTPUT: failing grids red with their codes; the rest light."""
    layer = _layer(
        "MultiPolygon",
        "field=grid_code:string&field=road_m:double&field=coverage:double&field=passed:boolean",
    )
    layer.setRenderer(
        _rules(
            [
                (outline("#a50f15", 0.6, fill="215,25,28,70"), FAILS, "Fails the weekly rule"),
                (
                    outline("#b8c4cf", 0.12, fill="236,242,247,90"),
                    '"passed" AND "road_m" > 0',
                    "Main roads patrolled",
                ),
                (outline("#d5dbe1", 0.08), 'coalesce("road_m", 0) = 0', "No main roads"),
            ]
        )
    )
    label = _label("grid_code", 8, "#7f0000", bold=True)
    # around the centroid: neighbouring failing grids' codes move apart instead of
    # printing over each other; still every code, even where there is no room at all
    label.placement = QgsPalLayerSettings.AroundPoint
    label.dist = 0.5
    label.priority = 10  # before street and grid names: these codes are what the map is for
    label.displayAll = True
    layer.setLabeling(_rule_label(label, FAILS))
    layer.setLabelsEnabled(True)
    _save(layer, "coverage_grids")


def coverage_gaps() -> None:
    """citymgmt:patrolcoverage GAPS: the road stretches nobody patrolled, thick red."""
    layer = _layer("LineString", "field=grid_code:string&field=length_m:double")
    symbol = QgsLineSymbol.createSimple(
        {"line_color": "#ffffff", "line_width": "2.2", "capstyle": "round", "joinstyle": "round"}
    )
    inner = QgsLineSymbol.createSimple(
        {"line_color": RED, "line_width": "1.4", "capstyle": "round", "joinstyle": "round"}
    )
    symbol.appendSymbolLayer(inner.symbolLayer(0).clone())  # keep ``inner`` alive meanwhile
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _save(layer, "coverage_gaps")


def _closed_outline(color: str, width: float) -> QgsFillSymbol:
    """An outline drawn around the grid closed by 1 m: the slivers and pinholes left
    where unit grids were joined into a responsibility grid do not show as lines."""
    generator = QgsGeometryGeneratorSymbolLayer.create(
        {"geometryModifier": "buffer(buffer($geometry, 1), -1)", "SymbolType": "Fill"}
    )
    generator.setSymbolType(QgsSymbol.Fill)
    generator.setSubSymbol(outline(color, width))
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, generator)
    return symbol


def resp_grid_coverage() -> None:
    """The report's responsibility grids: failing ones red, names labelled; on an atlas
    page the page's grid outlined."""
    layer = _layer("MultiPolygon", "field=code:string&field=name:string&field=passed:boolean")
    fail = outline("#a50f15", 0.8, "dash", fill="215,25,28,25")
    highlight = _closed_outline("#08306b", 1.1)
    highlight.symbolLayer(0).setRenderingPass(1)  # over the neighbours' shared edges
    layer.setRenderer(
        _rules(
            [
                (fail, FAILS, "Responsibility grid fails the weekly rule"),
                (outline("#e07b39", 0.45, "dash"), "NOT (" + FAILS + ")", "Responsibility grid"),
                # on an atlas page: the page's own grid (no atlas: never drawn)
                (highlight, "$id = @atlas_featureid", "This responsibility grid"),
            ]
        )
    )
    layer.renderer().setUsingSymbolLevels(True)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(_label("name", 8, "#b35a1f", min_scale=25000)))
    layer.setLabelsEnabled(True)
    _save(layer, "resp_grid_coverage")


def offroute_stretches() -> None:
    """citymgmt:routedeviation OFFROUTE: graduated by the collector-day's share off route."""
    layer = _layer("LineString", "field=collector:string&field=day_off_share:double")
    ranges = []
    for lo, hi, color, width, label in (
        # orange to brown: apart from the red of what failed the coverage rule
        (0.0, 0.1, "#fed98e", 0.35, "up to 10 %"),
        (0.1, 0.25, "#fe9929", 0.5, "10 – 25 %"),
        (0.25, 0.5, "#d95f0e", 0.7, "25 – 50 %"),
        (0.5, 1.0, "#993404", 1.0, "over 50 %"),
    ):
        symbol = QgsLineSymbol.createSimple(
            {"line_color": color, "line_width": str(width), "capstyle": "round"}
        )
        ranges.append(QgsRendererRange(lo, hi, symbol, label))
    renderer = QgsGraduatedSymbolRenderer("day_off_share", ranges)
    layer.setRenderer(renderer)
    _save(layer, "offroute_stretches")


TOPOLOGY_COLORS = {
    "invalid": "#000000",
    "overlap": "#e31a1c",
    "gap": "#1f78b4",
    "outside": "#6a3d9a",
    "sliver": "#ff7f00",
    "area": "#b15928",
    "duplicate_code": "#33a02c",
    "malformed_code": "#fb9a99",
    "admin_mismatch": "#cab2d6",
}


def grid_errors() -> None:
    """citymgmt:gridtopology OUTPUT: one colour per rule (labels translated on apply)."""
    layer = _layer("MultiPolygon", "field=type:string&field=grid_code:string")
    items = []
    for rule, color in TOPOLOGY_COLORS.items():
        c = QColor(color)
        symbol = outline(color, 0.8, fill=f"{c.red()},{c.green()},{c.blue()},140")
        items.append((rule, symbol, rule))
    layer.setRenderer(_categorised("type", items))
    label = _label("grid_code", 8, "#202020", bold=True)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(label))
    layer.setLabelsEnabled(True)
    _save(layer, "grid_errors")


QA_COLORS = {
    "identifier_format": ("#e31a1c", "square"),
    "identifier_unique": ("#fb9a99", "square"),
    "identifier_county": ("#ff7f00", "square"),
    "grid_mismatch": ("#1f78b4", "diamond"),
    "outside_grids": ("#6a3d9a", "diamond"),
    "duplicate": ("#33a02c", "circle"),
    "mandatory": ("#b15928", "triangle"),
    "domain": ("#fdbf6f", "triangle"),
    "class_unknown": ("#000000", "cross_fill"),
    "geometry_kind": ("#a6cee3", "pentagon"),
}


def census_qa_errors() -> None:
    """citymgmt:censusqa OUTPUT: one marker per rule (labels translated on apply)."""
    layer = _layer("Point", "field=rule:string&field=identifier:string")
    items = []
    for rule, (color, shape) in QA_COLORS.items():
        marker = QgsMarkerSymbol.createSimple(
            {
                "name": shape,
                "color": color,
                "size": "3.2",
                "outline_color": "#ffffff",
                "outline_width": "0.4",
            }
        )
        items.append((rule, marker, rule))
    layer.setRenderer(_categorised("rule", items))
    _save(layer, "census_qa_errors")


def kpi_grids() -> None:
    """citymgmt:reportingkpi OUTPUT_GRIDS: graduated by valid reports (classes set on apply
    from the data; the first class, no valid report, stays transparent)."""
    layer = _layer("MultiPolygon", "field=grid_code:string&field=valid:integer")
    ranges = [QgsRendererRange(0, 0, outline("#d5dbe1", 0.08), "No valid report")]
    for lo, hi, color in ((1, 2, "#fee5d9"), (3, 5, "#fcae91"), (6, 10, "#fb6a4a"),
                          (11, 1000000, "#cb181d")):  # fmt: skip
        c = QColor(color)
        ranges.append(
            QgsRendererRange(
                lo, hi, outline("#9aa7b5", 0.1, fill=f"{c.red()},{c.green()},{c.blue()},200"),
                f"{lo} – {hi}",
            )
        )  # fmt: skip
    layer.setRenderer(QgsGraduatedSymbolRenderer("valid", ranges))
    _save(layer, "kpi_grids")


def report_roads() -> None:
    """Main roads under a report's district map: thin, so what failed stands out."""
    layer = _layer("MultiLineString", "field=kind:string")
    layer.setRenderer(
        _categorised(
            "kind",
            [
                ("main_road", QgsLineSymbol.createSimple(
                    {"line_color": "#6b7785", "line_width": "0.5"}), "Main road"),
                ("window_area", QgsLineSymbol.createSimple(
                    {"line_color": "#8e44ad", "line_width": "0.6"}), "Window area"),
            ],
        )
    )  # fmt: skip
    _save(layer, "report_roads")


def main(only: list[str]) -> int:
    """Write every style, or only those whose function names are given."""
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    OUT.mkdir(parents=True, exist_ok=True)
    for make in (
        admin_units,
        unit_grids,
        resp_grids,
        components,
        track_points,
        pois,
        main_roads,
        patrol_routes,
        submissions,
        tasks,
        cases,
        thematic,
        coverage_grids,
        coverage_gaps,
        resp_grid_coverage,
        offroute_stretches,
        grid_errors,
        census_qa_errors,
        kpi_grids,
        report_roads,
    ):
        if not only or make.__name__ in only:
            make()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
