"""Labels for the identifiers the code stores, and punctuation for composed messages.

Stored values stay stable identifiers (``accept_new``, ``polygon``, ``identifier_format``,
``status`` …); what users read comes from here, one function per kind of identifier, each
returning the translated label (an unknown value is returned as it is). Messages composed in
code from translated parts use :func:`punct`, :func:`join`, :func:`labelled` and
:func:`parens`, which pick full-width punctuation when the user's language is Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .i18n import tr

_CTX = "Labels"

# -- punctuation ---------------------------------------------------------------------------

_FULL_WIDTH = {", ": "，", ": ": "：", "; ": "；", "(": "（", ")": "）", ",": "，", ":": "："}


def chinese() -> bool:
    """Whether messages are being translated into Chinese (the catalogue names its
    language: "zh_CN" in the Chinese one, the English source "en" otherwise)."""
    return tr(_CTX, "en").startswith("zh")


def punct(mark: str) -> str:
    """``", "``, ``": "``, ``"; "``, ``"("`` or ``")"`` as the user's language writes it."""
    return _FULL_WIDTH.get(mark, mark) if chinese() else mark


def join(parts: Iterable[Any], mark: str = ", ") -> str:
    """``parts`` joined by ``mark`` (``", "`` or ``"; "``), full-width in Chinese."""
    return punct(mark).join(str(p) for p in parts)


def enumeration(parts: Iterable[Any]) -> str:
    """A list of names: "a、b、c" in Chinese, "a, b, c" in English."""
    return ("、" if chinese() else ", ").join(str(p) for p in parts)


def text_width(text: str) -> int:
    """Terminal columns ``text`` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns: plain-text tables line up with
    Chinese in them."""
    return text + " " * max(width - text_width(text), 0)


def labelled(label: str, value: Any) -> str:
    """``label: value`` (``label：value`` in Chinese)."""
    return f"{label}{punct(': ')}{value}"


def parens(text: Any) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return f"（{text}）" if chinese() else f" ({text})"


# -- geometry ------------------------------------------------------------------------------

_SHAPE_KIND = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


def geometry_kind_label(kind: str | None) -> str:
    """``point`` / ``line`` / ``polygon`` (also a geometry type such as ``MultiPolygon``)."""
    kind = _SHAPE_KIND.get(kind or "", kind or "")
    return {
        "point": tr(_CTX, "point"),
        "line": tr(_CTX, "line"),
        "polygon": tr(_CTX, "polygon"),
    }.get(kind, kind)


# -- submissions and review ----------------------------------------------------------------


def submission_kind_label(kind: str | None) -> str:
    """What a field submission reports: ``component`` or ``event``."""
    return {
        "component": tr(_CTX, "component"),
        "event": tr(_CTX, "event"),
    }.get(kind or "", kind or "?")


def submission_state_label(state: str) -> str:
    return {
        "pending": tr(_CTX, "pending"),
        "quarantined": tr(_CTX, "quarantined"),
        "accepted": tr(_CTX, "accepted"),
        "updated": tr(_CTX, "updated"),
        "duplicate": tr(_CTX, "duplicate"),
        "rejected": tr(_CTX, "rejected"),
        "has_issues": tr(_CTX, "has issues"),
    }.get(state, state)


def decision_label(decision: str) -> str:
    """A reviewer's decision, as on the review dock's buttons."""
    return {
        "accept_new": tr(_CTX, "Accept new"),
        "update_existing": tr(_CTX, "Update existing"),
        "duplicate": tr(_CTX, "Duplicate"),
        "reject": tr(_CTX, "Reject"),
        "has_issues": tr(_CTX, "Has issues"),
    }.get(decision, decision)


def auto_match_text(matched: Mapping[str, int]) -> str:
    """Auto-match counts for people: decisions by their label, then what was left."""
    names = {
        "left": tr(_CTX, "left for review"),
        "ambiguous": tr(_CTX, "ambiguous"),
        "duplicate_submission": tr(_CTX, "repeats of earlier submissions"),
    }
    return join(f"{names.get(k) or decision_label(k)} {v}" for k, v in sorted(matched.items()))


def source_label(key: str | None) -> str:
    """A submission source key: ``device``, ``odk:host/project/form``, ``inbox:schema.table``;
    other keys are names the office chose and are shown as they are."""
    key = key or ""
    kind, _, rest = key.partition(":")
    if key == "device":
        return tr(_CTX, "device export")
    if kind == "odk" and rest.count("/") >= 2:
        host, project, form = rest.rsplit("/", 2)
        return tr(_CTX, "ODK Central {0}, project {1}, form {2}").format(host, project, form)
    if kind == "inbox" and rest:
        return tr(_CTX, "inbox table {0}").format(rest)
    if kind == "file" and rest:
        return tr(_CTX, "device export {0}").format(rest)
    return key


def crs_label(system: str | None) -> str:
    """A coordinate system a source declares (``WGS84``, ``GCJ02`` …); empty or ``auto``:
    found from the data."""
    return {
        "": tr(_CTX, "automatic"),
        "auto": tr(_CTX, "automatic"),
        "WGS84": "WGS84",
        "GCJ02": tr(_CTX, "GCJ-02 (Chinese map SDKs)"),
        "BD09": tr(_CTX, "BD-09 (Baidu)"),
        "CGCS2000": "CGCS2000",
        "unknown": tr(_CTX, "not declared (checked as WGS84)"),
    }.get(system or "", system or "")


def crs_evidence_label(evidence: str) -> str:
    """Why a position is thought shifted (the parts of a stored ``crs_flag``)."""
    return {
        "exif": tr(_CTX, "the photo's GPS position is the declared one before the shift"),
        "device": tr(_CTX, "this device's positions are consistently shifted"),
        "roads": tr(_CTX, "far from the main roads, corrected it lies on one"),
    }.get(evidence, evidence)


def crs_evidence_short_label(key: str) -> str:
    """The evidence part of a ``crs_flag`` in a count ("exif+roads:corrected")."""
    evidence, _, rest = key.partition(":")
    names = {
        "exif": tr(_CTX, "photo GPS"),
        "device": tr(_CTX, "device history"),
        "roads": tr(_CTX, "main roads"),
    }
    text = "+".join(names.get(e, e) for e in evidence.split("+") if e)
    return text + parens(tr(_CTX, "corrected")) if rest == "corrected" else text


def quarantine_reason_label(code: str) -> str:
    """A quarantine reason code (the part of ``quarantine_reason`` before ``:``)."""
    return {
        "no_position": tr(_CTX, "no position"),
        "outside_city": tr(_CTX, "outside the city"),
        "unknown_category": tr(_CTX, "unknown category"),
        "unreadable_json": tr(_CTX, "unreadable JSON"),
        "unreadable_photo": tr(_CTX, "unreadable photo"),
        "impossible_time": tr(_CTX, "impossible time"),
        "invalid_text": tr(_CTX, "characters that are not text (replaced)"),
        "invalid_number": tr(_CTX, "NaN or Infinity instead of a number"),
        "id_too_long": tr(_CTX, "instance id too long"),
        "text_too_long": tr(_CTX, "text too long (shortened)"),
        "record_too_large": tr(_CTX, "record too large"),
        "nested_too_deep": tr(_CTX, "data nested too deeply"),
        "photo_too_large": tr(_CTX, "photo too large"),
        "photo_refused": tr(_CTX, "photo refused (link or outside the export folder)"),
        "store_refused": tr(_CTX, "refused by the database"),
    }.get(code, code)


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def photo_problem_label(problem: str | None) -> str:
    """A photo's stored problem (``exif_time_differs: 3.2 h; missing`` …) for people."""
    if not problem:
        return ""
    out = []
    for item in problem.split("; "):
        code, _, detail = item.partition(":")
        code, detail = code.strip(), detail.strip()
        number = _NUMBER.search(detail)
        if code == "missing":
            out.append(tr(_CTX, "photo missing"))
        elif code == "exif_time_differs" and number:
            out.append(tr(_CTX, "taken {0} h from the report time").format(number.group()))
        elif code == "exif_position_differs" and number:
            out.append(tr(_CTX, "taken {0} m from the reported position").format(number.group()))
        elif code == "exif_time_unreadable":
            out.append(tr(_CTX, "the photo's time cannot be read"))
        elif code == "exif_position_unreadable":
            out.append(tr(_CTX, "the photo's GPS position cannot be read"))
        elif code == "not a JPEG":
            out.append(labelled(tr(_CTX, "not a JPEG"), detail))
        elif code == "unreadable":
            out.append(labelled(tr(_CTX, "unreadable"), detail))
        elif code in ("photo_too_large", "photo_refused"):
            label = quarantine_reason_label(code)
            out.append(labelled(label, detail) if detail else label)
        else:
            out.append(item)
    return join(out, "; ")


# -- columns of the workspace tables -------------------------------------------------------


def field_label(name: str, table: str = "components") -> str:
    """The label of column ``name`` of a workspace ``table``, as users read it: a component
    attribute (the default table) as on the census form, the column titles of the workspace
    layers, the reconciliation layer's columns (table ``reconciliation``). A column the table
    does not label is returned as it is."""
    own = _TABLE_FIELDS.get(table)
    label = own().get(name) if own is not None else None
    return label or _shared_fields().get(name, name)


def _component_fields() -> dict[str, str]:
    """Component attributes, as on the census form."""
    return {
        "identifier": tr("CensusField", "Identifier"),
        "scheme": tr("CensusField", "Identifier scheme"),
        "class_code": tr("CensusField", "Class code"),
        "name": tr("CensusField", "Name"),
        "dept_code": tr("CensusField", "Department code"),
        "dept_name": tr("CensusField", "Department name"),
        "owner_code": tr("CensusField", "Owner code"),
        "owner_name": tr("CensusField", "Owner name"),
        "maint_code": tr("CensusField", "Maintainer code"),
        "maint_name": tr("CensusField", "Maintainer name"),
        "grid_code": tr("CensusField", "Unit grid"),
        "street_code": tr("CensusField", "Street code"),
        "street_name": tr("CensusField", "Street name"),
        "community_code": tr("CensusField", "Community code"),
        "community_name": tr("CensusField", "Community name"),
        "status": tr("CensusField", "Status"),
        "initial_date": tr("CensusField", "Initial date"),
        "change_date": tr("CensusField", "Change date"),
        "data_source": tr("CensusField", "Data source"),
        "accuracy_class": tr("CensusField", "Accuracy class"),
        "note": tr("CensusField", "Note"),
        "geom": tr("CensusField", "Geometry"),
        "version": tr("CensusField", "Version"),
        "x": tr("CensusField", "X (east or longitude)"),
        "y": tr("CensusField", "Y (north or latitude)"),
    }


_FIELD = "WorkspaceField"


_SHARED_COMPONENT_FIELDS = (
    "identifier",
    "name",
    "grid_code",
    "street_code",
    "street_name",
    "community_code",
    "community_name",
    "note",
    "geom",
)


def _shared_fields() -> dict[str, str]:
    """Columns that mean the same in every table that has them."""
    component = _component_fields()
    return {name: component[name] for name in _SHARED_COMPONENT_FIELDS} | {
        "collector_code": tr(_FIELD, "Collector code"),
        "collector_name": tr(_FIELD, "Collector name"),
        "device_id": tr(_FIELD, "Device ID"),
        "resp_grid_code": tr(_FIELD, "Responsibility grid code"),
        "updated_at": tr(_FIELD, "Updated at"),
        "updated_by": tr(_FIELD, "Updated by"),
    }


def _admin_unit_fields() -> dict[str, str]:
    return {
        "level": tr(_FIELD, "Level"),
        "code": tr(_FIELD, "Division code"),
        "parent_code": tr(_FIELD, "Parent division code"),
    }


def _unit_grid_fields() -> dict[str, str]:
    return {
        "code": tr(_FIELD, "Unit grid code"),
        "responsible": tr(_FIELD, "Responsible party"),
        "area_m2": tr(_FIELD, "Area (m²)"),
    }


def _resp_grid_fields() -> dict[str, str]:
    return {"code": tr(_FIELD, "Responsibility grid code")}


def _main_road_fields() -> dict[str, str]:
    return {"kind": tr(_FIELD, "Road kind"), "name": tr(_FIELD, "Road name")}


def _patrol_route_fields() -> dict[str, str]:
    return {"valid_from": tr(_FIELD, "Valid from")}


def _track_point_fields() -> dict[str, str]:
    return {
        "fix_time": tr(_FIELD, "Fix time"),
        "accuracy_m": tr(_FIELD, "Accuracy (m)"),
        "speed_kmh": tr(_FIELD, "Speed (km/h)"),
    }


def _submission_fields() -> dict[str, str]:
    return {
        "source": tr(_FIELD, "Source"),
        "instance_id": tr(_FIELD, "Instance ID"),
        "server_version": tr(_FIELD, "Server version"),
        "observed_at": tr(_FIELD, "Observed at"),
        "received_at": tr(_FIELD, "Received at"),
        "server_updated_at": tr(_FIELD, "Updated on the server at"),
        "kind": tr(_FIELD, "Report kind"),
        "category_code": tr(_FIELD, "Category code"),
        "description": tr(_FIELD, "Description"),
        "raw_x": tr(_FIELD, "X as sent"),
        "raw_y": tr(_FIELD, "Y as sent"),
        "raw_crs": tr(_FIELD, "Coordinate system sent"),
        "crs_flag": tr(_FIELD, "Coordinate shift flag"),
        "state": tr(_FIELD, "Review state"),
        "quarantine_reason": tr(_FIELD, "Quarantine reason"),
        "payload": tr(_FIELD, "Record as received"),
        "attachments": tr(_FIELD, "Attachments"),
        "row_version": tr(_FIELD, "Row version"),
        "decided_at": tr(_FIELD, "Decided at"),
        "decided_by": tr(_FIELD, "Decided by"),
        "late_edit_at": tr(_FIELD, "Edited after the decision at"),
    }


def _reconciliation_fields() -> dict[str, str]:
    """The reconcile dialog's map layer (one point per item of a census batch)."""
    return {
        "seq": tr(_FIELD, "Item"),
        "kind": tr(_FIELD, "Result"),
        "row_no": tr(_FIELD, "Row in the file"),
    }


_TABLE_FIELDS: dict[str, Callable[[], dict[str, str]]] = {
    "components": _component_fields,
    "admin_units": _admin_unit_fields,
    "unit_grids": _unit_grid_fields,
    "resp_grids": _resp_grid_fields,
    "main_roads": _main_road_fields,
    "patrol_routes": _patrol_route_fields,
    "track_points": _track_point_fields,
    "submissions": _submission_fields,
    "reconciliation": _reconciliation_fields,
}


# -- component history ---------------------------------------------------------------------


def history_operation_label(operation: str) -> str:
    """What a component history version records (``create``, ``update``, ``move`` …)."""
    return {
        "create": tr(_CTX, "created"),
        "import": tr(_CTX, "census import"),
        "update": tr(_CTX, "attributes changed"),
        "move": tr(_CTX, "moved"),
        "status": tr(_CTX, "status changed"),
        "retire": tr(_CTX, "retired"),
    }.get(operation, operation)


def value_text(value: Any) -> str:
    """An attribute value in a change list; nothing is "(empty)", a boolean "yes" / "no"."""
    if value is None or value == "":
        return tr(_CTX, "(empty)")
    if isinstance(value, bool):
        return tr(_CTX, "yes") if value else tr(_CTX, "no")
    return str(value)


def describe_changes(changes: Mapping[str, Any]) -> str:
    """``{field: [old, new]}`` of a history version or a reconciliation item, for people:
    "Status: 完好 → 破损; Note: (empty) → 井盖松动"; a move says how far."""
    parts = []
    for name, pair in changes.items():
        old, new = pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else (None, pair)
        if name == "geom":
            parts.append(tr(_CTX, "moved {0} m").format(new))
        else:
            parts.append(labelled(field_label(name), f"{value_text(old)} → {value_text(new)}"))
    return join(parts, "; ")


def reconcile_kind_label(kind: str) -> str:
    """What reconciling a census batch found for an item."""
    return {
        "new": tr(_CTX, "new"),
        "unchanged": tr(_CTX, "unchanged"),
        "changed": tr(_CTX, "attributes changed"),
        "moved": tr(_CTX, "moved"),
        "missing": tr(_CTX, "missing"),
        "duplicate": tr(_CTX, "duplicate"),
    }.get(kind, kind)


def scheme_label(scheme: str) -> str:
    """A component identifier scheme (``legacy16`` / ``std17``)."""
    return {
        "legacy16": tr(_CTX, "16 digits (GB/T 30428.2-2013)"),
        "std17": tr(_CTX, "17 digits (2026 form)"),
    }.get(scheme, scheme)


# -- quality rules ---------------------------------------------------------------------------


def qa_rule_label(rule: str) -> str:
    """A census QA rule id (``identifier_format`` …)."""
    return {
        "identifier_format": tr(_CTX, "identifier structure"),
        "identifier_unique": tr(_CTX, "identifier not unique"),
        "identifier_county": tr(_CTX, "identifier county vs grid"),
        "grid_mismatch": tr(_CTX, "stored grid vs position"),
        "outside_grids": tr(_CTX, "outside every grid"),
        "duplicate": tr(_CTX, "duplicate within tolerance"),
        "mandatory": tr(_CTX, "mandatory attribute missing"),
        "domain": tr(_CTX, "value outside its domain"),
        "class_unknown": tr(_CTX, "unknown class"),
        "geometry_kind": tr(_CTX, "geometry kind vs class"),
    }.get(rule, rule)


def topology_error_label(error_type: str) -> str:
    """A unit-grid topology error type (``overlap``, ``duplicate_code`` …)."""
    return {
        "invalid": tr(_CTX, "invalid geometry"),
        "overlap": tr(_CTX, "overlap"),
        "gap": tr(_CTX, "gap"),
        "outside": tr(_CTX, "outside the administrative units"),
        "sliver": tr(_CTX, "sliver"),
        "area": tr(_CTX, "area out of range"),
        "duplicate_code": tr(_CTX, "duplicate code"),
        "malformed_code": tr(_CTX, "malformed code"),
        "admin_mismatch": tr(_CTX, "code not matching its administrative unit"),
    }.get(error_type, error_type)


# -- workspace tables ----------------------------------------------------------------------


def table_label(table: str) -> str:
    """A workspace table that thematic templates write into."""
    return {
        "main_roads": tr(_CTX, "main roads table"),
        "patrol_routes": tr(_CTX, "patrol routes table"),
    }.get(table, table)


def workspace_table_label(table: str) -> str:
    """Every table of a workspace by what it holds (``db info``); a table the plugin does not
    know (a thematic layer's, another tool's) by its name."""
    return {
        "admin_units": tr(_CTX, "Administrative units"),
        "audit_events": tr(_CTX, "Audit log"),
        "collectors": tr(_CTX, "Collectors"),
        "component_classes": tr(_CTX, "Component classes"),
        "component_history": tr(_CTX, "Component history"),
        "component_photos": tr(_CTX, "Component photos"),
        "components": tr(_CTX, "Components"),
        "event_classes": tr(_CTX, "Event classes"),
        "identifier_counters": tr(_CTX, "Identifier counters"),
        "intake_cursors": tr(_CTX, "Where each source's pulls stand"),
        "main_roads": tr(_CTX, "Main roads and window areas"),
        "patrol_routes": tr(_CTX, "Patrol routes"),
        "resp_grid_units": tr(_CTX, "Unit grids of responsibility grids"),
        "resp_grids": tr(_CTX, "Responsibility grids"),
        "review_decisions": tr(_CTX, "Review decisions"),
        "role_districts": tr(_CTX, "Districts of the logins' roles"),
        "submission_attachments": tr(_CTX, "Submission photos"),
        "submission_links": tr(_CTX, "Likely repeats"),
        "submission_outbox": tr(_CTX, "Decisions to write back"),
        "submission_versions": tr(_CTX, "Submission versions"),
        "submissions": tr(_CTX, "Submissions"),
        "thematic_layers": tr(_CTX, "Thematic layers"),
        "track_points": tr(_CTX, "GPS fixes"),
        "unit_grids": tr(_CTX, "Unit grids"),
        "workspace_settings": tr(_CTX, "Workspace settings"),
    }.get(table, table)


def road_kind_label(kind: str) -> str:
    return {
        "main_road": tr(_CTX, "main road"),
        "window_area": tr(_CTX, "window area"),
    }.get(kind, kind)


def binding_parts(table: str, fixed: Iterable[tuple[str, Any]] = ()) -> list[str]:
    """Where a bound thematic layer is saved: ["main roads table", "kind: main road"]."""
    parts = [table_label(table)]
    for column, value in fixed:
        if column == "kind":
            parts.append(labelled(tr(_CTX, "kind"), road_kind_label(str(value))))
        else:
            parts.append(labelled(column, value))
    return parts


def binding_label(table: str, fixed: Iterable[tuple[str, Any]] = ()) -> str:
    """ "main roads table (kind: main road)" / "主要道路表（类型：主要道路）"."""
    first, *rest = binding_parts(table, fixed)
    return first + parens(join(rest)) if rest else first


# -- class codes with their names ------------------------------------------------------------


def class_label(code: str | None, name: str | None) -> str:
    """``0101 上水井盖``: a class code with its name (the code alone when unknown)."""
    code = code or ""
    return f"{code} {name}" if name else code


@dataclass
class ClassNames:
    """Names of the workspace's component classes (its scheme) and event classes."""

    components: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)

    def component(self, code: str | None) -> str:
        return class_label(code, self.components.get(code or ""))

    def event(self, code: str | None) -> str:
        return class_label(code, self.events.get(code or ""))

    def category(self, kind: str | None, code: str | None) -> str:
        """A submission's category: "部件 0101 上水井盖" / "事件 0102 暴露垃圾"."""
        if not code:
            return submission_kind_label(kind) if kind else ""
        named = self.event(code) if kind == "event" else self.component(code)
        return f"{submission_kind_label(kind)} {named}" if kind else named


def class_names(conn: Any, ws: Any) -> ClassNames:
    """The workspace's class names, read once (component classes of its scheme)."""
    from sqlalchemy import select

    scheme = ws.setting("component_scheme", "legacy16") or "legacy16"
    cc, ec = ws.schema.component_classes, ws.schema.event_classes
    comps = conn.execute(select(cc.c.code, cc.c.name).where(cc.c.scheme == scheme)).all()
    events = conn.execute(select(ec.c.code, ec.c.name)).all()
    return ClassNames(dict(comps), dict(events))


def workspace_class_names(ws: Any) -> ClassNames:
    with ws.engine.connect() as conn:
        return class_names(conn, ws)
