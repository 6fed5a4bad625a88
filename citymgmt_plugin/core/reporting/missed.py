"""漏报: problems another channel found where a collector had just patrolled and reported
nothing matching.

Seed 002 (Panzhihua): 「还存在一些案件漏报、错报等被考核事项」; DOMAIN.md: a 漏报 (missed
report) is a problem found by another channel (the public, the 12345 hotline, video, a spot
check) in a grid a collector patrolled, which the collector did not report in time.

A problem found at time *t* in grid *g* is a **candidate** against every collector who
patrolled *g*'s main roads in the ``patrol_before_h`` hours before *t* (a fix inside the grid
within ``road_tolerance_m`` of one of its main roads; a grid without main roads: any fix
inside it), unless a collector reported something matching: a report of the same kind and
class within ``distance_m`` of it, from ``match_before_h`` hours before to
``match_after_h`` hours after *t*. A reviewer then confirms or dismisses each candidate;
only confirmed ones count (:mod:`.missed_store`). Rates: *missed-report rate* = confirmed
漏报 / (valid problem reports + confirmed 漏报), per collector, grid and district.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from ..patrol.fixes import WindowFixes
from .profile import MissedRules
from .results import ratio


@dataclass(frozen=True)
class FoundProblem:
    """A problem found by another channel than the collectors."""

    source: str  # "case" or "spot_check"
    source_id: int
    channel: str
    ref: str
    kind: str
    class_code: str | None
    found_at: int  # epoch seconds
    x: float
    y: float
    grid_code: str | None


@dataclass(frozen=True)
class CollectorReports:
    """The collectors' reports near the problems' times (positions in the workspace CRS)."""

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    kind: Sequence[str | None]
    category: Sequence[str | None]


@dataclass(frozen=True)
class Candidate:
    problem: FoundProblem
    collector: str
    patrolled_at: int  # the collector's last fix on the grid's roads before the problem


def patrolled_by(
    p: FoundProblem,
    fixes: WindowFixes,
    order: np.ndarray,
    grid: object,
    roads: object | None,
    rules: MissedRules,
) -> dict[str, int]:
    """Collector -> last time on the grid's roads in the window before the problem."""
    t_sorted = fixes.t[order]
    lo, hi = np.searchsorted(t_sorted, [p.found_at - rules.patrol_before_h * 3600, p.found_at + 1])
    idx = order[lo:hi]
    if not len(idx) or grid is None:
        return {}
    x, y = fixes.x[idx], fixes.y[idx]
    on = shapely.contains_xy(grid, x, y)
    if roads is not None and not shapely.is_empty(roads):
        on &= shapely.dwithin(roads, shapely.points(x, y), rules.road_tolerance_m)
    out: dict[str, int] = {}
    for c, t in zip(fixes.collector[idx][on], fixes.t[idx][on]):
        out[c] = max(out.get(c, 0), int(t))
    return out


def reported(p: FoundProblem, reports: CollectorReports, rules: MissedRules) -> bool:
    """Whether a collector reported something matching the problem."""
    t0 = p.found_at - rules.match_before_h * 3600
    t1 = p.found_at + rules.match_after_h * 3600
    near = (
        (reports.t >= t0)
        & (reports.t <= t1)
        & (np.hypot(reports.x - p.x, reports.y - p.y) <= rules.distance_m)
    )
    for k in np.flatnonzero(near):
        same_kind = (reports.kind[k] or "") == p.kind
        same_class = p.class_code is None or (reports.category[k] or "") == p.class_code
        if same_kind and same_class:
            return True
    return False


def find_candidates(
    problems: Sequence[FoundProblem],
    grids: Mapping[str, object],
    roads: Mapping[str, object],
    fixes: WindowFixes,
    reports: CollectorReports,
    rules: MissedRules,
) -> list[Candidate]:
    """The 漏报 candidates of the problems (see the module docstring)."""
    order = np.argsort(fixes.t, kind="stable")
    out = []
    for p in problems:
        grid = grids.get(p.grid_code or "")
        who = patrolled_by(p, fixes, order, grid, roads.get(p.grid_code or ""), rules)
        if not who or reported(p, reports, rules):
            continue
        out += [Candidate(p, c, t) for c, t in sorted(who.items())]
    return out


@dataclass
class MissedRow:
    key: str  # collector, grid or district code
    candidates: int = 0
    confirmed: int = 0
    dismissed: int = 0
    valid: int = 0  # valid problem reports of the same key in the period

    @property
    def rate(self) -> float | None:
        """Confirmed 漏报 / (valid problem reports + confirmed 漏报)."""
        return ratio(self.confirmed, self.valid + self.confirmed)
