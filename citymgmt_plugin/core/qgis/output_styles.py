"""Styles of the Processing outputs and report layers, applied when a layer lands in a project.

Each output kind has a *stem*: ``resources/styles/<stem>.qml`` (written by
``scripts/make_styles.py``) when it is drawn on the map, and column titles. The QML carries
English legend labels; :func:`style_output_layer` translates them (category values, rule
and range labels) and gives the fields titles in the user's language, so the legend and the
attribute table read like the rest of QGIS. Graduated styles whose classes depend on the data
(``kpi_grids``) are classified here from the layer's values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsGraduatedSymbolRenderer,
    QgsMessageLog,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)

from ..i18n import tr
from ..labels import qa_rule_label, topology_error_label
from ..paths import resource

_CTX = "Styles"
STYLE_PROPERTY = "citymgmt/style"


def legend_labels(stem: str) -> dict[str, str]:
    """English label (or category value) in the QML -> the user's language."""
    labels: dict[str, Callable[[], dict[str, str]]] = {
        "coverage_grids": lambda: {
            "Fails the weekly rule": tr(_CTX, "Fails the weekly rule"),
            "Main roads patrolled": tr(_CTX, "Main roads patrolled"),
            "No main roads": tr(_CTX, "No main roads"),
        },
        "resp_grid_coverage": lambda: {
            "Responsibility grid fails the weekly rule": tr(
                _CTX, "Responsibility grid fails the weekly rule"
            ),
            "Responsibility grid": tr(_CTX, "Responsibility grid"),
            "This responsibility grid": tr(_CTX, "This responsibility grid"),
        },
        "offroute_stretches": lambda: {
            "up to 10 %": tr(_CTX, "up to 10 % of the day off route"),
            "10 – 25 %": tr(_CTX, "10 – 25 % of the day off route"),
            "25 – 50 %": tr(_CTX, "25 – 50 % of the day off route"),
            "over 50 %": tr(_CTX, "over 50 % of the day off route"),
        },
        "grid_errors": _topology_labels,
        "census_qa_errors": _qa_labels,
        "kpi_grids": lambda: {"No valid report": tr(_CTX, "No valid report")},
        "report_roads": lambda: {
            "main_road": tr(_CTX, "Main road"),
            "window_area": tr(_CTX, "Window area"),
        },
    }
    make = labels.get(stem)
    return make() if make else {}


def _topology_labels() -> dict[str, str]:
    from ..grids.topology import ERROR_TYPES

    return {t: topology_error_label(t) for t in ERROR_TYPES}


def _qa_labels() -> dict[str, str]:
    from ..census.qa import QA_RULES

    return {r: qa_rule_label(r) for r in QA_RULES}


def field_titles(stem: str) -> dict[str, str]:
    """Field name -> title in the user's language, for the outputs of ``stem``."""
    for titles in (_patrol_titles, _kpi_titles, _check_titles):
        found = titles().get(stem)
        if found:
            return found
    return {}


def _common() -> dict[str, str]:
    return {
        "grid_code": tr(_CTX, "Grid code"),
        "passed": tr(_CTX, "Passed"),
        "collector": tr(_CTX, "Collector"),
        "day": tr(_CTX, "Day"),
        "length_m": tr(_CTX, "Length (m)"),
        "road_m": tr(_CTX, "Main road length (m)"),
        "covered_m": tr(_CTX, "Patrolled length (m)"),
        "coverage": tr(_CTX, "Coverage share"),
        "reports": tr(_CTX, "Reports"),
        "valid": tr(_CTX, "Valid reports"),
        "component": tr(_CTX, "Component reports"),
        "valid_rate": tr(_CTX, "Valid-report rate"),
        "comp_share": tr(_CTX, "Component share"),
        "message": tr(_CTX, "Message"),
        "label": tr(_CTX, "Error"),
        "area_m2": tr(_CTX, "Area (m²)"),
    }


def _pick(*names: str, **extra: str) -> dict[str, str]:
    common = _common()
    return {**{n: common[n] for n in names}, **extra}


def _patrol_titles() -> dict[str, dict[str, str]]:
    resp = tr(_CTX, "Responsibility grid")
    return {
        "coverage_grids": _pick("grid_code", "road_m", "covered_m", "coverage", "passed"),
        "coverage_gaps": _pick("grid_code", "length_m"),
        "offroute_stretches": _pick(
            "collector",
            "day",
            "length_m",
            duration_s=tr(_CTX, "Duration (s)"),
            day_off_share=tr(_CTX, "Share of the day off route"),
        ),
        "route_deviation": _pick(
            "collector",
            "day",
            patrol_s=tr(_CTX, "Patrol time (s)"),
            patrol_m=tr(_CTX, "Patrol distance (m)"),
            off_s=tr(_CTX, "Time off route (s)"),
            off_m=tr(_CTX, "Distance off route (m)"),
            off_time_share=tr(_CTX, "Share of time off route"),
            off_dist_share=tr(_CTX, "Share of distance off route"),
        ),
        "report_collectors": _pick(
            "reports",
            "valid",
            code=tr(_CTX, "Collector code"),
            name=tr(_CTX, "Name"),
            resp_code=resp,
            patrol_km=tr(_CTX, "Patrolled (km)"),
            patrol_h=tr(_CTX, "Patrol time (h)"),
            off_share=tr(_CTX, "Share off route"),
        ),
        "resp_grid_coverage": _pick(
            "road_m",
            "covered_m",
            "coverage",
            "passed",
            resp_code=resp,
            code=resp,
            name=tr(_CTX, "Name"),
            grids=tr(_CTX, "Unit grids"),
            grids_failed=tr(_CTX, "Unit grids failing"),
            collectors=tr(_CTX, "Collectors"),
        ),
    }


def _kpi_titles() -> dict[str, dict[str, str]]:
    counts = ("reports", "valid", "component")
    return {
        "kpi_grids": _pick(
            "grid_code",
            *counts,
            "valid_rate",
            "comp_share",
            "passed",
            event=tr(_CTX, "Event reports"),
        ),
        "kpi_overall": _pick(
            "passed",
            kpi=tr(_CTX, "KPI id"),
            name=tr(_CTX, "KPI"),
            value=tr(_CTX, "Value"),
            threshold=tr(_CTX, "Threshold"),
            comment=tr(_CTX, "Comment"),
        ),
        "kpi_collectors": _pick(
            "collector",
            *counts,
            "valid_rate",
            "comp_share",
            "passed",
            active_days=tr(_CTX, "Active days"),
            scheduled_days=tr(_CTX, "Scheduled days"),
            absent_days=tr(_CTX, "Absent days"),
            per_day=tr(_CTX, "Valid problems per scheduled day"),
            per_period_day=tr(_CTX, "Valid reports per day of the period"),
        ),
        "kpi_hours": _pick(*counts, hour=tr(_CTX, "Hour")),
    }


def _check_titles() -> dict[str, dict[str, str]]:
    return {
        "grid_errors": _pick(
            "label",
            "grid_code",
            "message",
            "area_m2",
            type=tr(_CTX, "Rule"),
            other_code=tr(_CTX, "Other grid code"),
        ),
        "census_qa_errors": _pick(
            "label",
            "message",
            source_fid=tr(_CTX, "Component feature id"),
            identifier=tr(_CTX, "Identifier"),
            rule=tr(_CTX, "Rule"),
        ),
        "thematic_stats": _pick(
            "grid_code",
            "length_m",
            "area_m2",
            category=tr(_CTX, "Category"),
            category_label=tr(_CTX, "Category name"),
            count=tr(_CTX, "Count"),
        ),
    }


# The fields a style draws by: a layer without them keeps QGIS's default look.
STYLE_FIELDS = {
    "coverage_grids": ("passed", "road_m"),
    "coverage_gaps": (),
    "resp_grid_coverage": ("passed",),
    "offroute_stretches": ("day_off_share",),
    "grid_errors": ("type",),
    "census_qa_errors": ("rule",),
    "kpi_grids": ("valid",),
    "report_roads": ("kind",),
    "tasks": ("state", "due_at", "result_at"),  # the workspace's task style (by lateness)
}
WORKSPACE_STYLES = {"tasks"}  # styles of workspace layers: legends translated as there


def style_output_layer(layer: QgsVectorLayer, stem: str) -> bool:
    """Give ``layer`` the shipped style ``stem`` with translated legend labels and field
    titles; classify data-driven ranges. False (and the layer as it was) when the style
    does not fit the layer."""
    if layer is None or not layer.isValid():
        return False
    _set_titles(layer, field_titles(stem))
    layer.setCustomProperty(STYLE_PROPERTY, stem)  # what kind of output it is
    path = resource("styles", f"{stem}.qml")
    wanted = STYLE_FIELDS.get(stem)
    if wanted is None or not path.is_file() or not layer.isSpatial():
        return False
    names = set(layer.fields().names())
    if not set(wanted) <= names:
        return False
    message, ok = layer.loadNamedStyle(str(path))
    if not ok:
        QgsMessageLog.logMessage(
            tr(_CTX, "Style {0} could not be applied: {1}").format(path.name, message), "citymgmt"
        )
        return False
    if stem == "kpi_grids":
        classify_counts(layer, "valid")
    if stem in WORKSPACE_STYLES:
        from .layers import translate_legend as translate_workspace_legend

        translate_workspace_legend(layer, stem)
    else:
        translate_legend(layer, legend_labels(stem))
    layer.triggerRepaint()
    return True


def _set_titles(layer: QgsVectorLayer, titles: dict[str, str]) -> None:
    fields = layer.fields()
    titles = {**titles, **major_class_titles(fields.names())}
    for name, title in titles.items():
        index = fields.indexOf(name)
        if index >= 0:
            layer.setFieldAlias(index, title)


_MAJOR_COLUMN = re.compile(r"^(comp|event)_(\d{2})$")


def major_class_titles(names: list[str]) -> dict[str, str]:
    """Titles of the KPI outputs' columns of valid reports per major class (``comp_01``,
    ``event_03``): the kind and the class as the shipped code tables name it."""
    from ..codes import default_component_classes, default_event_classes

    majors = {
        "comp": {c.major_code: c.major_name for c in default_component_classes()},
        "event": {c.major_code: c.major_name for c in default_event_classes()},
    }
    kinds = {
        "comp": tr(_CTX, "Valid component reports: {0}"),
        "event": tr(_CTX, "Valid event reports: {0}"),
    }
    out = {}
    for name in names:
        m = _MAJOR_COLUMN.match(name)
        if m:
            kind, code = m.groups()
            out[name] = kinds[kind].format(f"{code} {majors[kind].get(code, '')}".strip())
    return out


def translate_legend(layer: QgsVectorLayer, labels: dict[str, str]) -> None:
    """Categories (by value or label), rules and ranges (by label) in the user's language."""
    renderer = layer.renderer()
    if not labels or renderer is None:
        return
    if isinstance(renderer, QgsCategorizedSymbolRenderer):
        for index, category in enumerate(renderer.categories()):
            label = labels.get(str(category.value())) or labels.get(category.label())
            if label:
                renderer.updateCategoryLabel(index, label)
    elif isinstance(renderer, QgsRuleBasedRenderer):
        for rule in renderer.rootRule().descendants():
            if rule.label() in labels:
                rule.setLabel(labels[rule.label()])
    elif isinstance(renderer, QgsGraduatedSymbolRenderer):
        for index, rng in enumerate(renderer.ranges()):
            if rng.label() in labels:
                renderer.updateRangeLabel(index, labels[rng.label()])


def count_breaks(values: Any, classes: int = 4) -> list[tuple[int, int]]:
    """Ranges of whole counts above zero, about equal in number of features (quantiles),
    ``classes`` at most; [] when no value is above zero."""
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return []
    edges = np.unique(np.ceil(np.quantile(v, np.linspace(0, 1, classes + 1)[1:])).astype(int))
    out, lo = [], 1
    for hi in edges:
        if hi >= lo:
            out.append((lo, int(hi)))
            lo = int(hi) + 1
    return out


def classify_counts(layer: QgsVectorLayer, field: str) -> None:
    """Replace the graduated ranges after the first (zero: "none") by quantile ranges of the
    layer's ``field``, keeping the QML's colours from light to dark."""
    renderer = layer.renderer()
    if not isinstance(renderer, QgsGraduatedSymbolRenderer) or len(renderer.ranges()) < 2:
        return
    index = layer.fields().indexOf(field)
    values = [f.attribute(index) for f in layer.getFeatures()] if index >= 0 else []
    breaks = count_breaks(values, len(renderer.ranges()) - 1)
    template = renderer.ranges()
    symbols = [r.symbol().clone() for r in template[1:]]
    zero = template[0]
    new = [QgsRendererRange(0, 0, zero.symbol().clone(), zero.label())]
    # the darkest colours for the fewest classes: take the last symbols
    for (lo, hi), symbol in zip(breaks, symbols[len(symbols) - len(breaks) :]):
        text = str(lo) if lo == hi else f"{lo} – {hi}"
        new.append(QgsRendererRange(lo - 0.5, hi + 0.5, symbol, text))
    for _ in range(len(renderer.ranges())):
        renderer.deleteClass(0)
    for rng in new:
        renderer.addClassRange(rng)
