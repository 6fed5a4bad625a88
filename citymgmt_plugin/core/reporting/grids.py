"""KPIs per unit grid, and the area measures built on them (area balance, grids passed).

Counts are of valid problem reports (:mod:`.period`); the valid rate is valid problems /
problems of the grid. A grid passes when it has reports and neither its valid rate nor its
component share falls short of the profile's thresholds; grids without reports have no
verdict. *Area balance* (seed 000: 「区域均衡性」) = 1 − Gini of valid problem reports per
grid, over every grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..i18n import tr
from .balance import balance, known
from .period import PeriodReports
from .profile import ContractProfile
from .reports import text_of
from .results import GridRow, KpiRow, ratio, reaches

_CTX = "Kpi"


@dataclass
class GridTable:
    """The per-grid rows and what the overall area measures need from them."""

    rows: list[GridRow] = field(default_factory=list)
    area_balance: float = math.nan  # 1 − Gini of valid reports per grid
    with_reports: int = 0
    passed: int = 0


def grid_table(
    period: PeriodReports,
    grid_codes: Sequence[str | None],
    columns: list[str],
    column_of: np.ndarray,
    profile: ContractProfile,
) -> GridTable:
    """Reports, valid, component and event reports and valid reports per major-class
    column of each grid (in ``grid_codes`` order), with valid rate, component share and
    verdict."""
    n_grids = len(grid_codes)
    g = period.grid if period.grid is not None else np.full(len(period), -1, dtype=np.int64)
    valid = period.valid_problem
    in_grid = g >= 0

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(g[in_grid & mask], minlength=n_grids)

    g_rep = np.bincount(g[in_grid], minlength=n_grids)
    g_prob = count(period.problem)
    g_val = count(valid)
    g_comp = count(valid & period.is_component)
    g_event = count(valid & period.is_event)
    g_major = {c: count(valid & (column_of == c)) for c in columns}
    th = profile.rates
    table = GridTable()
    for k in range(n_grids):
        vr = ratio(int(g_val[k]), int(g_prob[k]))
        cs = ratio(int(g_comp[k]), int(g_val[k])) if period.status_known else None
        passed = None
        if g_rep[k]:
            table.with_reports += 1
            verdicts = (reaches(vr, th.valid_rate), reaches(cs, th.component_share))
            passed = False not in verdicts
            table.passed += passed
        table.rows.append(
            GridRow(
                text_of(grid_codes[k]) or None,
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
    table.area_balance = balance(g_val) if n_grids else math.nan
    return table


def area_balance_row(table: GridTable | None, profile: ContractProfile) -> KpiRow:
    """*area balance* (seed 000: 「区域均衡性」) = 1 − Gini of valid problem reports per grid
    over all grids; not computed without grids."""
    th = profile.rates
    if table is None:
        return KpiRow(
            "area_balance",
            None,
            th.balance,
            None,
            tr(_CTX, "Not computed: no grids layer was given."),
        )
    ab = known(table.area_balance)
    return KpiRow(
        "area_balance",
        ab,
        th.balance,
        reaches(ab, th.balance),
        tr(
            _CTX,
            "1 − Gini coefficient of valid problem reports per grid over {0} grids; "
            "{1} grids have reports.",
        ).format(len(table.rows), table.with_reports),
    )


def grids_passed_row(table: GridTable) -> KpiRow:
    """*grids passed*: grids with reports whose valid rate and component share do not fall
    short of the thresholds (no threshold of its own)."""
    return KpiRow(
        "grids_passed",
        table.passed,
        None,
        None,
        tr(
            _CTX,
            "Grids with reports whose valid rate and component share reach the thresholds, of {0}.",
        ).format(table.with_reports),
    )
