"""A city's own class table: read, checked, loaded as a new version of the workspace's table.

A class table (component classes of one identifier scheme, or event classes) is a CSV or
Excel sheet, one row per class: code, major class code and name, name, geometry kind
(components), managing department (code, name), per-class time limits for 核实 (verify)
and 核查 (check) in hours, and the filing and closing standards (立案标准 / 结案标准).
English or Chinese column names are understood (:data:`COLUMNS`).

Loading is all or nothing: every bad line is named; a class that stored components still
use cannot be dropped, nor change its geometry kind. The loaded table replaces the
workspace's in one transaction and is kept as the next version in ``class_table_versions``
(version 1: the table shipped with the plugin), with what it changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from ..codes import id_schemes
from ..i18n import tr
from ..labels import geometry_kind_label
from ..workspace.schema.columns import GEOMETRY_KINDS
from ..workspace.store import Workspace, audit
from .batch_codes import normal_text
from .batch_read import read_source
from .errors import CensusError

# field -> the column names a class table may give it (first found wins)
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "class_code", "类别代码", "小类代码", "代码", "编码"),
    "major_code": ("major_code", "大类代码"),
    "major_name": ("major_name", "大类名称", "大类"),
    "name": ("name", "class_name", "名称", "小类名称", "小类"),
    "geometry_kind": ("geometry_kind", "几何类型", "图形类型", "geometry"),
    "department_code": ("department_code", "dept_code", "主管部门代码"),
    "department_name": ("department_name", "dept_name", "主管部门名称", "主管部门"),
    "verify_hours": ("verify_hours", "核实时限", "核实时限(小时)"),
    "check_hours": ("check_hours", "核查时限", "核查时限(小时)"),
    "filing_standard": ("filing_standard", "立案标准"),
    "closing_standard": ("closing_standard", "结案标准"),
}
KIND_WORDS = {"点": "point", "线": "line", "面": "polygon", "多边形": "polygon"}
TEXT_FIELDS = ("department_code", "department_name", "filing_standard", "closing_standard")
STORED = ("major_code", "major_name", "name", "geometry_kind", *TEXT_FIELDS)


class ClassTableError(CensusError):
    """A class table that cannot be loaded; the message names every reason."""


@dataclass(frozen=True)
class TableKind:
    """Which class table: component classes of ``scheme``, or event classes."""

    kind: str  # "component" | "event"
    scheme: str  # legacy16 / std17; "event"

    @property
    def code_digits(self) -> int:
        return 4 if self.kind == "event" else id_schemes()[self.scheme].class_digits

    def table(self, ws: Workspace) -> Any:
        return ws.schema.event_classes if self.kind == "event" else ws.schema.component_classes

    def where(self, t: Any) -> Any:
        return t.c.code.isnot(None) if self.kind == "event" else t.c.scheme == self.scheme


def component_table(scheme: str) -> TableKind:
    if scheme not in id_schemes():
        raise ClassTableError(tr("Census", "Unknown identifier scheme {0}.").format(scheme))
    return TableKind("component", scheme)


EVENTS = TableKind("event", "event")


# -- reading and checking ------------------------------------------------------------------


def _columns(columns: list[str]) -> dict[str, str]:
    by_norm = {normal_text(c).lower(): c for c in columns}
    out = {}
    for f, names in COLUMNS.items():
        for n in names:
            if n.lower() in by_norm:
                out[f] = by_norm[n.lower()]
                break
    return out


def _hours(v: Any) -> float | None | str:
    """Hours as a number; None when empty; the text when it is not a positive number."""
    text = normal_text(v) if v is not None else ""
    if not text:
        return None
    try:
        hours = float(text)
    except ValueError:
        return text
    return hours if hours > 0 else text


@dataclass
class _Reader:
    which: TableKind
    cols: dict[str, str]
    errors: list[str]

    def value(self, raw: dict[str, Any], f: str) -> str:
        col = self.cols.get(f)
        v = raw.get(col) if col else None
        return normal_text(v) if v is not None else ""

    def row(self, line: int, raw: dict[str, Any]) -> dict[str, Any] | None:
        """One class, or None (its problems added to ``errors``)."""
        before = len(self.errors)
        code = self.value(raw, "code")
        digits = self.which.code_digits
        if not (code.isdigit() and code.isascii() and len(code) == digits):
            self.errors.append(
                tr("Census", "line {0}: class code '{1}' must have {2} digits").format(
                    line, code, digits
                )
            )
        row = {f: self.value(raw, f) or None for f in (*STORED, *TEXT_FIELDS)}
        row["code"] = code
        row["major_code"] = row["major_code"] or code[:2]
        if row["major_code"] != code[:2]:
            self.errors.append(
                tr("Census", "line {0}: class {1} is not in major class {2}").format(
                    line, code, row["major_code"]
                )
            )
        names = {"name": tr("Census", "class name"), "major_name": tr("Census", "major class name")}
        for f, label in names.items():
            if not row[f]:
                self.errors.append(tr("Census", "line {0}: {1} is empty").format(line, label))
        self._kind(line, row)
        self._limits(line, raw, row)
        return row if len(self.errors) == before else None

    def _kind(self, line: int, row: dict[str, Any]) -> None:
        if self.which.kind == "event":
            row.pop("geometry_kind", None)
            return
        kind = KIND_WORDS.get(row["geometry_kind"] or "", row["geometry_kind"] or "point")
        row["geometry_kind"] = kind.lower()
        if row["geometry_kind"] not in GEOMETRY_KINDS:
            self.errors.append(
                tr("Census", "line {0}: geometry kind must be point, line or polygon").format(line)
            )

    def _limits(self, line: int, raw: dict[str, Any], row: dict[str, Any]) -> None:
        verify = _hours(raw.get(self.cols.get("verify_hours", ""), None))
        check = _hours(raw.get(self.cols.get("check_hours", ""), None))
        if isinstance(verify, str) or isinstance(check, str):
            self.errors.append(
                tr("Census", "line {0}: time limits must be hours above 0").format(line)
            )
        elif (verify is None) != (check is None):
            self.errors.append(
                tr("Census", "line {0}: give both time limits (verify and check) or none").format(
                    line
                )
            )
        row["verify_hours"], row["check_hours"] = verify, check


def read_class_file(path: str | Path, which: TableKind) -> list[dict[str, Any]]:
    """The classes of a city's class table (CSV in UTF-8 or GBK, or Excel); every bad line
    named in one :class:`ClassTableError`."""
    table = read_source(path)
    cols = _columns(table.columns)
    missing = [f for f in ("code", "name") if f not in cols]
    if missing:
        raise ClassTableError(
            tr("Census", "Class table not loaded: no column for {0}.").format(", ".join(missing))
        )
    reader = _Reader(which, cols, [])
    rows = [r for n, raw in enumerate(table.rows, start=2) if (r := reader.row(n, raw))]
    twice = [c for c, k in Counter(r["code"] for r in rows).items() if k > 1]
    reader.errors += [tr("Census", "class {0} is given twice").format(c) for c in sorted(twice)]
    if not rows and not reader.errors:
        reader.errors.append(tr("Census", "the table has no classes"))
    if reader.errors:
        raise ClassTableError(
            tr("Census", "Class table not loaded: {0}").format("; ".join(reader.errors))
        )
    return rows


# -- what changes, and what stored components allow ----------------------------------------


def current_classes(conn: Connection, ws: Workspace, which: TableKind) -> dict[str, dict]:
    t = which.table(ws)
    cols = [t.c.code, *(t.c[f] for f in STORED if f in t.c)]
    return {r.code: dict(r._mapping) for r in conn.execute(select(*cols).where(which.where(t)))}


def diff_classes(old: dict[str, dict], new: list[dict]) -> dict[str, Any]:
    """``{"added": [codes], "removed": [codes], "changed": {code: [fields]}}``."""
    new_by = {r["code"]: r for r in new}
    changed = {
        code: sorted(f for f in STORED if f in old[code] and old[code][f] != row.get(f))
        for code, row in new_by.items()
        if code in old
    }
    return {
        "added": sorted(set(new_by) - set(old)),
        "removed": sorted(set(old) - set(new_by)),
        "changed": {c: fs for c, fs in changed.items() if fs},
    }


def _in_use(conn: Connection, ws: Workspace, which: TableKind) -> dict[str, Counter]:
    """Components per class code and geometry kind (components' classes only)."""
    if which.kind != "component":
        return {}
    c = ws.schema.components
    kind = func.upper(func.GeometryType(c.c.geom))
    q = select(c.c.class_code, kind, func.count()).where(c.c.scheme == which.scheme)
    out: dict[str, Counter] = {}
    for code, geometry_type, n in conn.execute(q.group_by(c.c.class_code, kind)):
        out.setdefault(code, Counter())[_kind_of_type(geometry_type)] += n
    return out


def _kind_of_type(geometry_type: str | None) -> str:
    t = (geometry_type or "").upper()
    return "line" if "LINE" in t else ("polygon" if "POLYGON" in t else "point")


def refusals(changes: dict, used: dict[str, Counter], new: list[dict]) -> list[str]:
    """Why stored components forbid the new table: classes they use dropped, or their
    geometry kind changed."""
    out = [
        tr("Census", "class {0} is used by {1} components and cannot be dropped").format(
            code, sum(used[code].values())
        )
        for code in changes["removed"]
        if code in used
    ]
    for row in new:
        kinds = used.get(row["code"], Counter())
        other = sum(n for k, n in kinds.items() if k != row.get("geometry_kind"))
        if other and "geometry_kind" in changes["changed"].get(row["code"], []):
            out.append(
                tr(
                    "Census", "class {0} is drawn by {1} components as another kind than {2}"
                ).format(row["code"], other, geometry_kind_label(row["geometry_kind"]))
            )
    return out


# -- loading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassTableVersion:
    kind: str
    scheme: str
    version: int
    loaded_at: datetime
    loaded_by: str
    source: str | None
    is_default: bool
    provisional: bool
    class_count: int
    note: str | None
    changes: dict[str, Any] | None


def versions(conn: Connection, ws: Workspace, which: TableKind) -> list[ClassTableVersion]:
    """Every version of a class table, oldest first."""
    t = ws.schema.class_table_versions
    q = select(*(t.c[f] for f in ClassTableVersion.__dataclass_fields__)).where(
        t.c.kind == which.kind, t.c.scheme == which.scheme
    )
    return [ClassTableVersion(**r._mapping) for r in conn.execute(q.order_by(t.c.version))]


def current_version(conn: Connection, ws: Workspace, which: TableKind) -> ClassTableVersion | None:
    found = versions(conn, ws, which)
    return found[-1] if found else None


def _write_classes(conn: Connection, ws: Workspace, which: TableKind, rows: list[dict]) -> None:
    t = which.table(ws)
    old = current_classes(conn, ws, which)
    keep = [f for f in STORED if f in t.c]
    new_codes = {r["code"] for r in rows}
    gone = sorted(set(old) - new_codes)
    if gone:
        conn.execute(delete(t).where(which.where(t), t.c.code.in_(gone)))
    for r in rows:
        values = {f: r.get(f) for f in keep}
        if r["code"] in old:
            conn.execute(update(t).where(which.where(t), t.c.code == r["code"]).values(values))
        else:
            extra = {"scheme": which.scheme} if which.kind == "component" else {}
            conn.execute(insert(t).values(code=r["code"], **extra, **values))


def _write_limits(conn: Connection, ws: Workspace, which: TableKind, rows: list[dict]) -> int:
    """The per-class time limits into the workspace's time-limit table, where it has one
    (the case loop's ``task_time_limits``); how many were written."""
    t = ws.schema.metadata.tables.get("task_time_limits")
    limits = [r for r in rows if r.get("verify_hours")]
    if t is None:
        return 0
    codes = [r["code"] for r in rows]
    conn.execute(delete(t).where(t.c.case_kind == which.kind, t.c.class_code.in_(codes)))
    if limits:
        conn.execute(
            insert(t),
            [{"case_kind": which.kind, "class_code": r["code"], "verify_hours": r["verify_hours"],
              "check_hours": r["check_hours"], "is_default": False,
              "note": tr("Census", "class table")} for r in limits],
        )  # fmt: skip
    return len(limits)


def load_class_table(
    ws: Workspace, path: str | Path, which: TableKind, actor: str, note: str | None = None
) -> ClassTableVersion:
    """Replace the workspace's class table by a city's, as its next version (one
    transaction, audited); :class:`ClassTableError` names every reason it cannot."""
    rows = read_class_file(path, which)
    with ws.begin() as conn:
        changes = diff_classes(current_classes(conn, ws, which), rows)
        refused = refusals(changes, _in_use(conn, ws, which), rows)
        if refused:
            raise ClassTableError(
                tr("Census", "Class table not loaded: {0}").format("; ".join(refused))
            )
        _write_classes(conn, ws, which, rows)
        changes["time_limits"] = _write_limits(conn, ws, which, rows)
        previous = current_version(conn, ws, which)
        version = _new_version(conn, ws, which, rows, path, actor, note, changes, previous)
    return version


def _new_version(conn, ws, which, rows, path, actor, note, changes, previous) -> ClassTableVersion:
    t = ws.schema.class_table_versions
    now = datetime.now(timezone.utc)
    number = (previous.version if previous else 0) + 1
    values = dict(
        kind=which.kind, scheme=which.scheme, version=number, loaded_at=now, loaded_by=actor,
        source=Path(path).name, sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        is_default=False, provisional=False, class_count=len(rows), note=note,
        classes=rows, changes=changes,
    )  # fmt: skip
    conn.execute(insert(t).values(**values))
    audit(conn, ws.schema, actor, "classes.load", "class_table_versions", None,
          {"kind": which.kind, "scheme": which.scheme, "version": number,
           "source": Path(path).name, "classes": len(rows),
           "added": len(changes["added"]), "removed": len(changes["removed"]),
           "changed": len(changes["changed"])})  # fmt: skip
    keys = ClassTableVersion.__dataclass_fields__
    return ClassTableVersion(**{k: v for k, v in values.items() if k in keys})


def table_label(which: TableKind) -> str:
    """ "component classes (16 digits …)" / "event classes", for people."""
    from ..labels import parens, scheme_label

    if which.kind == "event":
        return tr("Census", "event classes")
    return tr("Census", "component classes") + parens(scheme_label(which.scheme))


def describe_version(v: ClassTableVersion, zone: str = "Asia/Shanghai") -> str:
    """One line: which version of which table, how many classes, when (in the office
    ``zone``), who, what changed."""
    from zoneinfo import ZoneInfo

    from ..labels import join

    which = TableKind(v.kind, v.scheme)
    parts = [
        tr("Census", "{0}, version {1}: {2} classes").format(
            table_label(which), v.version, v.class_count
        ),
        tr("Census", "loaded {0} by {1}").format(
            v.loaded_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M"), v.loaded_by
        ),
    ]
    if v.source:
        parts.append(tr("Census", "from {0}").format(v.source))
    if v.is_default:
        parts.append(tr("Census", "shipped with the plugin"))
    if v.provisional:
        parts.append(tr("Census", "provisional"))
    c = v.changes or {}
    if c:
        parts.append(
            tr("Census", "{0} added, {1} dropped, {2} changed").format(
                len(c.get("added", [])), len(c.get("removed", [])), len(c.get("changed", {}))
            )
        )
    if v.note:
        parts.append(v.note)
    return join(parts, "; ")


def notice(v: ClassTableVersion | None) -> tuple[str, str, bool]:
    """What a census view says of the class table in use: a short line, the longer
    explanation, and whether the table is provisional (the shipped 17-digit one: derived
    from the 16-digit table)."""
    if v is None:
        return "", "", False
    if v.provisional:
        return (
            tr("Census", "Provisional class table (17 digits)"),
            tr(
                "Census",
                "The 17-digit classes shipped with the plugin are derived from the 16-digit "
                "ones; the 2026 standard's own codes may differ. Load your city's table with "
                "python -m citymgmt_plugin classes load WORKSPACE FILE --scheme std17.",
            ),
            True,
        )
    if v.is_default:
        text = tr("Census", "Class table: as shipped (version {0}).").format(v.version)
        return text, text, False
    text = tr("Census", "Class table: version {0}, from {1}.").format(v.version, v.source or "-")
    return text, text, False
