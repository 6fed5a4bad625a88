"""Case import: map a batch's columns, read every row into a case, say why a row cannot be one.

A row fails with every reason that applies (stable rule ids, translated messages); the rest of
the batch goes on. What a row says is kept as its *source values*: importing the same batch
again changes nothing, and a row that changed at the source updates only what changed there
(:mod:`.store`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import Connection, select

from ..census.batch_read import SourceTable
from ..census.errors import Problem
from ..census.geo import anchors
from ..census.grids import load_grid_index
from ..i18n import tr
from ..workspace.store import Workspace
from .codes import (
    CHANNEL_WORDS,
    KIND_WORDS,
    STATE_WORDS,
    CaseKind,
    CaseState,
    Channel,
    read_code,
)
from .positions import crs_name, district_area, guess_crs, inside, to_workspace

_CTX = "Cases"
CASE_NO_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$"  # workspace setting case_no_pattern
TEXT_FIELDS = ("description", "address", "collector_code")
TIME_FIELDS = ("reported_at", "due_at", "closed_at")
# Rule ids of row failures
RULES = (
    "case_no",  # missing or malformed case number
    "case_no_repeated",  # the number appears on an earlier row of the batch
    "channel",
    "kind",
    "class_unknown",
    "state",
    "time",
    "no_position",
    "outside_district",
)


@dataclass(frozen=True)
class ImportOptions:
    """What a batch does not say itself: defaults for missing channel / kind, its CRS."""

    channel: Channel | None = None
    kind: CaseKind | None = None
    crs: str | None = None  # None: from the source (GeoJSON), else guessed from the numbers


@dataclass
class CaseRecord:
    row_no: int  # 1-based data row, as the user sees it
    values: dict[str, Any]  # case columns, parsed
    x: float  # workspace CRS
    y: float
    grid_code: str | None
    source_values: dict[str, Any]  # the row as the source says it (JSON-able)

    @property
    def case_no(self) -> str:
        return str(self.values["case_no"])

    @cached_property
    def source_text(self) -> str:
        """The source values as JSON text, keys sorted: what is stored and hashed."""
        return json.dumps(self.source_values, sort_keys=True, ensure_ascii=False, default=str)

    @cached_property
    def source_hash(self) -> str:
        return hashlib.sha1(self.source_text.encode("utf-8")).hexdigest()


@dataclass
class RowFailure:
    row_no: int
    case_no: str | None
    problems: list[Problem]

    @property
    def reason(self) -> str:
        return " ".join(p.message for p in self.problems)

    @property
    def rules(self) -> set[str]:
        return {p.rule for p in self.problems}


@dataclass
class CaseBatch:
    source: str
    records: list[CaseRecord]
    failures: list[RowFailure]
    read_rows: int = 0
    source_crs: str = ""
    fields: set[str] = field(default_factory=set)


def values_hash(values: dict[str, Any]) -> str:
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------- values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if not np.isfinite(value):
            return None
        if value.is_integer():
            value = int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    s = str(value).strip()
    return s or None


def _float(value: Any) -> float:
    try:
        return float(str(value).strip()) if value not in (None, "") else np.nan
    except ValueError:
        return np.nan


def parse_time(value: Any, zone: Any) -> datetime | None:
    """A time from text, a datetime, a date or epoch seconds; naive times are office time.

    Raises ValueError for text that is not a time.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc)
    text = str(value).strip().replace("/", "-").replace("Z", "+00:00")
    if len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    parsed = datetime.fromisoformat(text)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(timezone.utc)


def _problem(rule: str, field_name: str, message: str) -> Problem:
    return Problem(rule, field_name, message)


# ------------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class ClassCodes:
    """The workspace's event classes and component classes (of its identifier scheme)."""

    event: frozenset[str]
    component: frozenset[str]

    @staticmethod
    def load(conn: Connection, ws: Workspace) -> ClassCodes:
        s = ws.schema
        scheme = ws.setting("component_scheme", "legacy16")
        events = conn.execute(select(s.event_classes.c.code)).scalars().all()
        comps = conn.execute(
            select(s.component_classes.c.code).where(s.component_classes.c.scheme == scheme)
        ).scalars()
        return ClassCodes(frozenset(events), frozenset(comps))

    def of(self, kind: CaseKind) -> frozenset[str]:
        return self.event if kind is CaseKind.EVENT else self.component

    def infer_kind(self, code: str) -> CaseKind | None:
        """The kind a class code can only be (codes of events and components overlap)."""
        in_event, in_comp = code in self.event, code in self.component
        if in_event != in_comp:
            return CaseKind.EVENT if in_event else CaseKind.COMPONENT
        return None


# ------------------------------------------------------------------------------- one row


@dataclass
class _RowContext:
    classes: ClassCodes
    options: ImportOptions
    zone: Any
    case_no: re.Pattern[str]


def _row_source(raw: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """The mapped values of a row as text (what the source says; JSON-able)."""
    return {t: _text(raw.get(c)) for t, c in sorted(mapping.items())}


def _check_case_no(src: dict[str, Any], ctx: _RowContext) -> tuple[str | None, list[Problem]]:
    case_no = src.get("case_no")
    if not case_no:
        return None, [_problem("case_no", "case_no", tr(_CTX, "The case number is missing."))]
    if not ctx.case_no.match(case_no):
        return case_no, [
            _problem(
                "case_no",
                "case_no",
                tr(_CTX, "Case number {0} is malformed (letters, digits, - and _; 4-64).").format(
                    case_no
                ),
            )
        ]
    return case_no, []


def _check_codes(src: dict[str, Any], ctx: _RowContext) -> tuple[dict[str, Any], list[Problem]]:
    """Channel, kind, class and state as codes; problems for what they cannot be."""
    problems: list[Problem] = []
    channel = read_code(CHANNEL_WORDS, src.get("channel")) or (
        ctx.options.channel if not src.get("channel") else None
    )
    if channel is None:
        problems.append(
            _problem(
                "channel",
                "channel",
                tr(_CTX, "Unknown channel: {0}.").format(src.get("channel") or "—"),
            )
        )
    code = src.get("class_code") or ""
    kind = read_code(KIND_WORDS, src.get("kind"))
    if kind is None and not src.get("kind"):
        kind = ctx.classes.infer_kind(code) or ctx.options.kind
    if kind is None:
        problems.append(
            _problem(
                "kind",
                "kind",
                tr(_CTX, "Say whether the case is an event or a component: {0}.").format(
                    src.get("kind") or "—"
                ),
            )
        )
    elif code not in ctx.classes.of(kind):
        problems.append(
            _problem(
                "class_unknown",
                "class_code",
                tr(_CTX, "Class {0} is not one of this workspace's {1} classes.").format(
                    code or "—", kind.value
                ),
            )
        )
    state = read_code(STATE_WORDS, src.get("state")) if src.get("state") else CaseState.REPORTED
    if state is None:
        problems.append(
            _problem("state", "state", tr(_CTX, "Unknown case state: {0}.").format(src["state"]))
        )
    return {"channel": channel, "kind": kind, "class_code": code, "state": state}, problems


def _check_times(src: dict[str, Any], ctx: _RowContext) -> tuple[dict[str, Any], list[Problem]]:
    out: dict[str, Any] = {}
    problems = []
    for name in TIME_FIELDS:
        try:
            out[name] = parse_time(src.get(name), ctx.zone)
        except (ValueError, OverflowError, OSError):
            out[name] = None
            problems.append(
                _problem("time", name, tr(_CTX, "Not a time: {0}.").format(src.get(name)))
            )
    if out["reported_at"] is None and not problems:
        problems.append(
            _problem("time", "reported_at", tr(_CTX, "The time it was reported is missing."))
        )
    closed, reported = out.get("closed_at"), out.get("reported_at")
    if closed and reported and closed < reported:
        problems.append(
            _problem("time", "closed_at", tr(_CTX, "It was closed before it was reported."))
        )
    return out, problems


def read_row(src: dict[str, Any], ctx: _RowContext) -> tuple[dict[str, Any], list[Problem]]:
    """The case values of one row (positions apart) and what is wrong with it."""
    case_no, problems = _check_case_no(src, ctx)
    codes, more = _check_codes(src, ctx)
    times, later = _check_times(src, ctx)
    values = {"case_no": case_no, **codes, **times}
    values.update({name: src.get(name) for name in TEXT_FIELDS})
    return values, problems + more + later


# ------------------------------------------------------------------------------- positions


def _source_xy(
    table: SourceTable, mapping: dict[str, str]
) -> tuple[np.ndarray, np.ndarray, str | None]:
    """x, y as the source gives them (columns, else the geometry's anchor) and its CRS."""
    n = len(table.rows)
    if {"x", "y"} <= set(mapping):
        xs = np.array([_float(r.get(mapping["x"])) for r in table.rows], dtype=float)
        ys = np.array([_float(r.get(mapping["y"])) for r in table.rows], dtype=float)
        return xs, ys, None
    xs, ys = np.full(n, np.nan), np.full(n, np.nan)
    if not table.has_geometry:
        return xs, ys, None
    geoms = np.array(table.geoms, dtype=object)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if present.any():
        pts = anchors(geoms[present])
        xs[present] = [p.x for p in pts]
        ys[present] = [p.y for p in pts]
    return xs, ys, table.crs


def _systems(
    table: SourceTable,
    mapping: dict[str, str],
    xs: np.ndarray,
    ys: np.ndarray,
    declared: str | None,
    ws_srid: int,
) -> tuple[np.ndarray, list[str | None]]:
    """Each row's coordinate system (a per-row ``crs`` column wins), and row errors."""
    default = crs_name(declared, ws_srid) if declared else guess_crs(xs, ys, ws_srid)
    systems = np.full(len(xs), default, dtype=object)
    errors: list[str | None] = [None] * len(xs)
    if "crs" in mapping:
        for i, row in enumerate(table.rows):
            value = _text(row.get(mapping["crs"]))
            if value:
                try:
                    systems[i] = crs_name(value, ws_srid)
                except ValueError as exc:
                    errors[i] = str(exc)
    return systems, errors


@dataclass
class _Positions:
    x: np.ndarray
    y: np.ndarray
    inside: np.ndarray
    grid: np.ndarray
    crs_errors: list[str | None]
    source_crs: str


def locate(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    mapping: dict[str, str],
    crs: str | None,
) -> _Positions:
    """Every row's position in the workspace CRS, whether it is in the district, its grid."""
    sx, sy, table_crs = _source_xy(table, mapping)
    systems, errors = _systems(table, mapping, sx, sy, crs or table_crs, ws.srid)
    x, y = to_workspace(sx, sy, systems, ws.srid)
    ok = np.isfinite(x) & np.isfinite(y)
    grid = np.full(len(x), None, dtype=object)
    if ok.any():
        import shapely

        pts = shapely.points(x[ok], y[ok])
        bbox = (x[ok].min(), y[ok].min(), x[ok].max(), y[ok].max())
        grid[ok] = load_grid_index(conn, ws, bbox).containing(pts)
    source_crs = str(systems[0]) if len(systems) else ""
    return _Positions(x, y, inside(district_area(conn, ws), x, y), grid, errors, source_crs)


def _position_problems(i: int, pos: _Positions) -> list[Problem]:
    if pos.crs_errors[i]:
        return [_problem("no_position", "crs", str(pos.crs_errors[i]))]
    if not (np.isfinite(pos.x[i]) and np.isfinite(pos.y[i])):
        return [_problem("no_position", "geom", tr(_CTX, "The row has no usable position."))]
    if not pos.inside[i]:
        return [
            _problem(
                "outside_district",
                "geom",
                tr(_CTX, "The position ({0:.1f}, {1:.1f}) is outside the district.").format(
                    pos.x[i], pos.y[i]
                ),
            )
        ]
    return []


# ------------------------------------------------------------------------------- batch


def prepare_cases(
    conn: Connection,
    ws: Workspace,
    table: SourceTable,
    mapping: dict[str, str],
    options: ImportOptions | None = None,
) -> CaseBatch:
    """Map, convert and check every row: good rows become records, bad rows failures."""
    options = options or ImportOptions()
    ctx = _RowContext(
        ClassCodes.load(conn, ws),
        options,
        ZoneInfo(ws.setting("timezone", "Asia/Shanghai")),
        re.compile(ws.setting("case_no_pattern", CASE_NO_PATTERN)),
    )
    pos = locate(conn, ws, table, mapping, options.crs)
    batch = CaseBatch(table.path + (f"|{table.layer}" if table.layer else ""), [], [])
    batch.read_rows, batch.source_crs = len(table.rows), pos.source_crs
    batch.fields = set(mapping)
    seen: dict[str, int] = {}
    for i, raw in enumerate(table.rows):
        src = _row_source(raw, mapping)
        values, problems = read_row(src, ctx)
        problems += _position_problems(i, pos)
        case_no = values.get("case_no")
        if case_no and case_no in seen:
            message = tr(_CTX, "Case number {0} also appears on row {1}.")
            problems.append(
                _problem("case_no_repeated", "case_no", message.format(case_no, seen[case_no]))
            )
        elif case_no:
            seen[case_no] = i + 1
        if problems:
            batch.failures.append(RowFailure(i + 1, case_no, problems))
            continue
        src["position"] = [round(float(pos.x[i]), 3), round(float(pos.y[i]), 3)]
        batch.records.append(
            CaseRecord(i + 1, values, float(pos.x[i]), float(pos.y[i]), pos.grid[i], src)
        )
    return batch
