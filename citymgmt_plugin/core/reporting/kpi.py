"""Reporting KPIs of a period, compared with the contract figures (DOMAIN.md, seeds 000/003).

Pure numpy, no QGIS: the Processing algorithm ``citymgmt:reportingkpi``, the demo and the
tests share it.

Definitions (all documented in the algorithm help):

- A report is *in the period* when its time is known and ``start <= time < end``.
- A report is *valid* unless its state is one of ``invalid_states`` (default rejected,
  quarantined, duplicate); a report without a state counts as valid.
- *valid reports* is compared with ``max(annual / 365, 12 * monthly / 365) * days`` (the
  yearly and monthly targets scaled to the period length in days, whichever asks more).
- *valid rate* = valid / reports; *component share* = valid component reports / valid reports;
  *closure rate* = valid reports closed / valid reports.
- *reports per collector per day* = valid reports / collector-days, a collector-day being a
  local calendar day on which the collector sent at least one report.
- *balance* = 1 − Gini coefficient of counts (1: perfectly even; the least possible is 1/n
  for n buckets). Area balance: valid reports per grid over all grids; time balance: valid
  reports per local hour of day over the working hours; category balance: valid reports per
  major class of the class tables.
- Days and hours are local (``tz``, default Asia/Shanghai).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from ..i18n import tr

_CTX = "Kpi"

NULL_TIME = np.iinfo(np.int64).min
DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_INVALID_STATES = ("rejected", "quarantined", "duplicate")
COMPONENT, EVENT = "component", "event"
_KIND_ALIASES = {
    "component": COMPONENT,
    "components": COMPONENT,
    "部件": COMPONENT,
    "event": EVENT,
    "events": EVENT,
    "事件": EVENT,
}
# Major classes of the shipped tables: the per-grid columns exist even when a class has no
# report, so outputs keep one shape from run to run (models, joins, styles).
DEFAULT_COMPONENT_MAJORS = ("01", "02", "03", "04", "05", "06")
DEFAULT_EVENT_MAJORS = ("01", "02", "03", "04", "05")
# Hour-of-day buckets of the collector table: (first hour, last hour + 1).
HOUR_BUCKETS = ((0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24))


@dataclass(frozen=True)
class Thresholds:
    """Contract figures (seed 000: Suzhou; seed 003: Jinzhong for the per-collector rate)."""

    annual_valid: float = 150_000
    monthly_valid: float = 10_000
    component_share: float = 0.20
    valid_rate: float = 0.90
    closure_rate: float = 0.90
    per_collector_day: float = 6.0
    balance: float = 0.5  # no contract figure: the contract only asks for "balance"
    work_start_hour: int = 8
    work_end_hour: int = 18  # exclusive

    def target(self, days: float) -> float:
        """Valid reports the period asks for: yearly and monthly targets scaled to ``days``."""
        per_day = max(self.annual_valid / 365.0, 12.0 * self.monthly_valid / 365.0)
        return math.ceil(per_day * days - 1e-9)


@dataclass
class Reports:
    """Columns of the submissions (one entry per report)."""

    time: np.ndarray  # int64 epoch seconds, NULL_TIME when unknown
    collector: Sequence[str | None]
    kind: Sequence[str | None]
    category: Sequence[str | None]
    state: Sequence[str | None]
    closed: Sequence[bool] | None = None
    grid: np.ndarray | None = None  # index into the grids, -1 when in none

    def __len__(self) -> int:
        return len(self.time)


@dataclass
class KpiRow:
    kpi: str
    value: float | None
    threshold: float | None
    passed: bool | None
    comment: str


@dataclass
class GridRow:
    grid_code: str | None
    reports: int
    valid: int
    component: int
    event: int
    majors: dict[str, int]  # column name -> valid reports
    valid_rate: float | None
    component_share: float | None
    passed: bool | None


@dataclass
class CollectorRow:
    collector_code: str | None
    reports: int
    valid: int
    component: int
    valid_rate: float | None
    component_share: float | None
    active_days: int
    per_day: float | None  # valid reports per active day
    per_period_day: float | None  # valid reports per day of the period
    buckets: list[int]  # all reports per HOUR_BUCKETS
    passed: bool | None


@dataclass
class KpiResult:
    start: int
    end: int
    days: float
    overall: list[KpiRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)
    collectors: list[CollectorRow] = field(default_factory=list)
    major_columns: list[str] = field(default_factory=list)
    hourly: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    hourly_valid: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    hourly_component: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    in_period: int = 0
    no_time: int = 0
    outside_period: int = 0

    def row(self, kpi: str) -> KpiRow:
        for r in self.overall:
            if r.kpi == kpi:
                return r
        raise KeyError(kpi)

    @property
    def passed(self) -> bool:
        """Every KPI that has a threshold and a value passes."""
        return all(r.passed is not False for r in self.overall)


def gini(values: Sequence[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = all equal); NaN when empty or all zero."""
    x = np.sort(np.asarray(values, dtype=float).reshape(-1))
    n = len(x)
    total = x.sum()
    if n == 0 or total <= 0:
        return math.nan
    i = np.arange(1, n + 1)
    return float(2.0 * np.sum(i * x) / (n * total) - (n + 1.0) / n)


def balance(values: Sequence[float] | np.ndarray) -> float:
    """1 − Gini: 1 when every bucket has the same count; NaN without any count."""
    g = gini(values)
    return math.nan if math.isnan(g) else 1.0 - g


def local_day_hour(t: np.ndarray, tz: str = DEFAULT_TZ) -> tuple[np.ndarray, np.ndarray]:
    """Local day number (days since 1970-01-01 local) and hour (0-23) of epoch seconds."""
    t = np.asarray(t, dtype=np.int64)
    if len(t) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    zone = ZoneInfo(tz)
    # Offsets change at most at quarter-hour boundaries: one lookup per distinct quarter.
    q = t // 900
    uq, inv = np.unique(q, return_inverse=True)
    offs = np.fromiter(
        (int(datetime.fromtimestamp(int(v) * 900, zone).utcoffset().total_seconds()) for v in uq),
        dtype=np.int64,
        count=len(uq),
    )
    local = t + offs[inv.reshape(-1)]
    return local // 86400, (local % 86400) // 3600


def local_midnight(t: int, tz: str = DEFAULT_TZ, next_day: bool = False) -> int:
    """Epoch seconds of the local midnight starting (or, with next_day, after) t's day."""
    zone = ZoneInfo(tz)
    d = datetime.fromtimestamp(int(t), timezone.utc).astimezone(zone).date()
    if next_day:
        d += timedelta(days=1)
    return int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp())


def normalise_kind(value: object) -> str:
    text = "" if value is None else str(value).strip().lower()
    return _KIND_ALIASES.get(text, text)


def major_of(category: object) -> str | None:
    text = "" if category is None else str(category).strip()
    return text[:2] if len(text) >= 2 and text[:2].isdigit() else None


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _ge(value: float | None, threshold: float | None) -> bool | None:
    if value is None or threshold is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value >= threshold - 1e-12)


def compute_kpis(
    reports: Reports,
    start: int | None = None,
    end: int | None = None,
    thresholds: Thresholds | None = None,
    grid_codes: Sequence[str | None] | None = None,
    invalid_states: Sequence[str] = DEFAULT_INVALID_STATES,
    tz: str = DEFAULT_TZ,
) -> KpiResult:
    """Every KPI of the reports in [start, end) (epoch seconds; None: the local days spanned
    by the valid reports). ``grid_codes``: the grids ``reports.grid`` indexes (None: none)."""
    th = thresholds or Thresholds()
    t = np.asarray(reports.time, dtype=np.int64)
    n_all = len(t)
    has_time = t != NULL_TIME
    if start is None or end is None:
        # The local days of the valid reports: a quarantined "1970" or "2027" time must not
        # stretch the period (and the target with it).
        bad = {s.strip().lower() for s in invalid_states if s.strip()}
        ok = np.fromiter(
            (_text(v).lower() not in bad for v in reports.state), dtype=bool, count=n_all
        )
        known = t[has_time & ok] if (has_time & ok).any() else t[has_time]
        if len(known):
            if start is None:
                start = local_midnight(int(known.min()), tz)
            if end is None:
                end = local_midnight(int(known.max()), tz, next_day=True)
        else:
            start = start if start is not None else 0
            end = end if end is not None else start
    if end < start:
        raise ValueError(tr(_CTX, "The period ends before it starts."))
    sel = has_time & (t >= start) & (t < end)
    idx = np.flatnonzero(sel)
    res = KpiResult(start=int(start), end=int(end), days=(end - start) / 86400.0)
    res.in_period = len(idx)
    res.no_time = int((~has_time).sum())
    res.outside_period = n_all - res.in_period - res.no_time

    bad_states = {s.strip().lower() for s in invalid_states if s.strip()}
    tt = t[idx]
    collector = [_text(reports.collector[i]) for i in idx]
    kind = np.array([normalise_kind(reports.kind[i]) for i in idx], dtype=object)
    majors = [major_of(reports.category[i]) for i in idx]
    valid = np.fromiter(
        (_text(reports.state[i]).lower() not in bad_states for i in idx), dtype=bool, count=len(idx)
    )
    is_comp = kind == COMPONENT
    is_event = kind == EVENT
    closed = (
        np.fromiter((bool(reports.closed[i]) for i in idx), dtype=bool, count=len(idx))
        if reports.closed is not None
        else None
    )
    day, hour = local_day_hour(tt, tz)

    n = len(idx)
    n_valid = int(valid.sum())
    n_comp = int((valid & is_comp).sum())
    res.hourly = np.bincount(hour, minlength=24).astype(np.int64)
    res.hourly_valid = np.bincount(hour[valid], minlength=24).astype(np.int64)
    res.hourly_component = np.bincount(hour[valid & is_comp], minlength=24).astype(np.int64)

    # -- major-class columns ------------------------------------------------------------------
    comp_majors = set(DEFAULT_COMPONENT_MAJORS)
    event_majors = set(DEFAULT_EVENT_MAJORS)
    for k, m in zip(kind, majors):
        if m is None:
            continue
        if k == COMPONENT:
            comp_majors.add(m)
        elif k == EVENT:
            event_majors.add(m)
    columns = [f"comp_{m}" for m in sorted(comp_majors)] + [
        f"event_{m}" for m in sorted(event_majors)
    ]
    res.major_columns = columns
    col_of = np.array(
        [
            (f"comp_{m}" if k == COMPONENT else f"event_{m}")
            if m is not None and k in (COMPONENT, EVENT)
            else ""
            for k, m in zip(kind, majors)
        ],
        dtype=object,
    )

    # -- grids -------------------------------------------------------------------------------
    area_balance = math.nan
    grids_with_reports = 0
    grids_passed = 0
    if grid_codes is not None:
        n_grids = len(grid_codes)
        g = (
            np.asarray(reports.grid, dtype=np.int64)[idx]
            if reports.grid is not None
            else np.full(n, -1, dtype=np.int64)
        )
        in_grid = g >= 0
        g_rep = np.bincount(g[in_grid], minlength=n_grids)
        g_val = np.bincount(g[in_grid & valid], minlength=n_grids)
        g_comp = np.bincount(g[in_grid & valid & is_comp], minlength=n_grids)
        g_event = np.bincount(g[in_grid & valid & is_event], minlength=n_grids)
        g_major = {
            c: np.bincount(g[in_grid & valid & (col_of == c)], minlength=n_grids) for c in columns
        }
        for k in range(n_grids):
            vr = _ratio(int(g_val[k]), int(g_rep[k]))
            cs = _ratio(int(g_comp[k]), int(g_val[k]))
            passed = None
            if g_rep[k]:
                grids_with_reports += 1
                passed = bool(_ge(vr, th.valid_rate) and (_ge(cs, th.component_share) or False))
                grids_passed += passed
            res.grids.append(
                GridRow(
                    _text(grid_codes[k]) or None,
                    int(g_rep[k]),
                    int(g_val[k]),
                    int(g_comp[k]),
                    int(g_event[k]),
                    {c: int(g_major[c][k]) for c in columns},
                    vr,
                    cs,
                    passed,
                )
            )
        area_balance = balance(g_val) if n_grids else math.nan

    # -- collectors ------------------------------------------------------------------------
    collector_days = 0
    by_collector: dict[str, list[int]] = {}
    for k, c in enumerate(collector):
        by_collector.setdefault(c, []).append(k)
    collectors_passed = 0
    for c in sorted(by_collector, key=lambda s: (s == "", s)):
        rows = np.asarray(by_collector[c])
        v = valid[rows]
        nv = int(v.sum())
        comp = int((v & is_comp[rows]).sum())
        active = len(np.unique(day[rows]))
        if c:
            collector_days += active
        per_day = _ratio(nv, active)
        vr = _ratio(nv, len(rows))
        passed = None
        if c:
            passed = bool(_ge(per_day, th.per_collector_day) and _ge(vr, th.valid_rate))
            collectors_passed += passed
        h = hour[rows]
        res.collectors.append(
            CollectorRow(
                c or None,
                len(rows),
                nv,
                comp,
                vr,
                _ratio(comp, nv),
                active,
                per_day,
                _ratio(nv, res.days) if res.days > 0 else None,
                [int(((h >= a) & (h < b)).sum()) for a, b in HOUR_BUCKETS],
                passed,
            )
        )
    n_collectors = sum(1 for c in by_collector if c)
    valid_by_known_collector = int(sum(r.valid for r in res.collectors if r.collector_code))

    # -- overall ---------------------------------------------------------------------------
    ov = res.overall
    ov.append(
        KpiRow(
            "reports",
            n,
            None,
            None,
            tr(
                _CTX,
                "Reports in the period ({0:.2f} days); {1} outside it and {2} without a time "
                "were left out.",
            ).format(res.days, res.outside_period, res.no_time),
        )
    )
    target = th.target(res.days)
    ov.append(
        KpiRow(
            "valid_reports",
            n_valid,
            target,
            _ge(n_valid, target),
            tr(
                _CTX,
                "Target: {0:,.0f} a year and {1:,.0f} a month, scaled to {2:.2f} days "
                "(the larger of the two).",
            ).format(th.annual_valid, th.monthly_valid, res.days),
        )
    )
    vr = _ratio(n_valid, n)
    ov.append(
        KpiRow(
            "valid_rate",
            vr,
            th.valid_rate,
            _ge(vr, th.valid_rate),
            tr(_CTX, "Valid reports / reports; not valid: {0}.").format(
                ", ".join(sorted(bad_states))
            ),
        )
    )
    cs = _ratio(n_comp, n_valid)
    ov.append(
        KpiRow(
            "component_share",
            cs,
            th.component_share,
            _ge(cs, th.component_share),
            tr(_CTX, "Valid component reports / valid reports ({0} / {1}).").format(
                n_comp, n_valid
            ),
        )
    )
    if closed is not None:
        n_closed = int((closed & valid).sum())
        cr = _ratio(n_closed, n_valid)
        ov.append(
            KpiRow(
                "closure_rate",
                cr,
                th.closure_rate,
                _ge(cr, th.closure_rate),
                tr(_CTX, "Closed valid reports / valid reports ({0} / {1}).").format(
                    n_closed, n_valid
                ),
            )
        )
    else:
        ov.append(
            KpiRow(
                "closure_rate",
                None,
                th.closure_rate,
                None,
                tr(_CTX, "Not computed: no closure field was given."),
            )
        )
    pcd = _ratio(valid_by_known_collector, collector_days)
    ov.append(
        KpiRow(
            "reports_per_collector_day",
            pcd,
            th.per_collector_day,
            _ge(pcd, th.per_collector_day),
            tr(
                _CTX,
                "Valid reports / collector-days ({0} / {1}); a collector-day is a local day "
                "with at least one report of that collector.",
            ).format(valid_by_known_collector, collector_days),
        )
    )
    ov.append(
        KpiRow(
            "collectors",
            n_collectors,
            None,
            None,
            tr(_CTX, "{0} of them reach the per-day rate and the valid rate.").format(
                collectors_passed
            ),
        )
    )
    if grid_codes is not None:
        ab = None if math.isnan(area_balance) else area_balance
        ov.append(
            KpiRow(
                "area_balance",
                ab,
                th.balance,
                _ge(ab, th.balance),
                tr(
                    _CTX,
                    "1 − Gini coefficient of valid reports per grid over {0} grids; "
                    "{1} grids have reports.",
                ).format(len(grid_codes), grids_with_reports),
            )
        )
        ov.append(
            KpiRow(
                "grids_passed",
                grids_passed,
                None,
                None,
                tr(
                    _CTX,
                    "Grids with reports whose valid rate and component share reach the "
                    "thresholds, of {0}.",
                ).format(grids_with_reports),
            )
        )
    else:
        ov.append(
            KpiRow(
                "area_balance",
                None,
                th.balance,
                None,
                tr(_CTX, "Not computed: no grids layer was given."),
            )
        )
    lo, hi = th.work_start_hour, th.work_end_hour
    work = res.hourly_valid[lo:hi] if hi > lo else np.zeros(0)
    tb = balance(work)
    ov.append(
        KpiRow(
            "time_balance",
            None if math.isnan(tb) else tb,
            th.balance,
            _ge(None if math.isnan(tb) else tb, th.balance),
            tr(
                _CTX,
                "1 − Gini coefficient of valid reports per hour of the working day "
                "({0:02d}:00–{1:02d}:00 local); {2} valid reports outside those hours.",
            ).format(lo, hi, n_valid - int(work.sum())),
        )
    )
    cat_counts = [int(((col_of == c) & valid).sum()) for c in columns]
    cb = balance(cat_counts)
    ov.append(
        KpiRow(
            "category_balance",
            None if math.isnan(cb) else cb,
            None,
            None,
            tr(_CTX, "1 − Gini coefficient of valid reports per major class ({0} classes).").format(
                len(columns)
            ),
        )
    )
    return res


def kpi_names() -> dict[str, str]:
    """Translated names of the overall KPI rows."""
    return {
        "reports": tr(_CTX, "Reports"),
        "valid_reports": tr(_CTX, "Valid reports"),
        "valid_rate": tr(_CTX, "Valid-report rate"),
        "component_share": tr(_CTX, "Component problem share"),
        "closure_rate": tr(_CTX, "Closure rate"),
        "reports_per_collector_day": tr(_CTX, "Valid reports per collector per day"),
        "collectors": tr(_CTX, "Collectors"),
        "area_balance": tr(_CTX, "Area balance"),
        "grids_passed": tr(_CTX, "Grids passed"),
        "time_balance": tr(_CTX, "Time-of-day balance"),
        "category_balance": tr(_CTX, "Category balance"),
    }


def assign_to_grids(x: np.ndarray, y: np.ndarray, grid_geoms: np.ndarray) -> np.ndarray:
    """Index of the grid each point lies in (on a shared edge: the first), -1 for none."""
    import shapely

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    out = np.full(len(x), -1, dtype=np.int64)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any() or len(grid_geoms) == 0:
        return out
    pts = shapely.points(x[ok], y[ok])
    tree = shapely.STRtree(np.asarray(grid_geoms, dtype=object))
    pi, gi = tree.query(pts, predicate="intersects")
    best = np.full(len(pts), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, pi, gi)
    best[best == np.iinfo(np.int64).max] = -1
    out[ok] = best
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
