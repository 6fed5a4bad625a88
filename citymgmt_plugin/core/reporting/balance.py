"""Balance of counts over buckets (grids, hours, classes): 1 − Gini coefficient."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


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


def known(value: float) -> float | None:
    """A balance as a KPI value: None when it cannot be computed (NaN)."""
    return None if math.isnan(value) else value
