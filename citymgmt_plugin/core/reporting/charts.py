"""Report charts drawn with matplotlib, as PNG pictures for the print layouts.

matplotlib comes with QGIS (Debian's python3-qgis-common depends on python3-matplotlib;
OSGeo4W ships it). Where it is missing, :func:`missing_reason` says so in the user's
language and the reports leave the charts out. Chinese text needs a CJK font: the first
Noto Sans CJK (fonts-noto-cjk) or other CJK font matplotlib's font manager knows is used.
Figures are made with ``matplotlib.figure.Figure`` and the Agg canvas, never pyplot: no
global state and no window, whatever thread or application draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..i18n import tr
from ..private_files import make_private, private_dir

_CTX = "Charts"
BLUE, BLUE_LIGHT, RED, GREY = "#2c7bb6", "#abd9e9", "#d7191c", "#5b6770"
SIZE = (6.4, 2.9)  # inches; 200 dpi
DPI = 200
FLAT_LABELS = 12  # up to this many collectors, their names stand upright under the bars
_CJK_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "Source Han Sans",
    "WenQuanYi",
    "Droid Sans Fallback",
)


def missing_reason() -> str | None:
    """None when charts can be drawn, else why not (translated)."""
    try:
        import matplotlib  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    except ImportError:
        return tr(
            _CTX,
            "Charts are left out: the Python package matplotlib is not installed "
            "(Debian: python3-matplotlib).",
        )
    return None


@lru_cache(maxsize=1)
def cjk_font() -> Any:
    """FontProperties of a CJK font matplotlib can use, or None (Latin text only then)."""
    from matplotlib import font_manager

    entries = font_manager.fontManager.ttflist
    for wanted in _CJK_NAMES:
        for entry in entries:
            if (
                entry.name.startswith(wanted)
                and entry.style == "normal"
                and entry.weight in (400, "normal", "regular")
            ):
                return font_manager.FontProperties(fname=entry.fname)
    for path in font_manager.findSystemFonts():
        if "NotoSansCJK" in path or "notosanscjk" in path.lower():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    return None


def _figure(title: str) -> tuple[Any, Any, Any]:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    fig = Figure(figsize=SIZE, dpi=DPI)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_title(title, fontproperties=font, fontsize=11, loc="left", color="#1f2a36")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e3e8ee", linewidth=0.8)
    ax.set_axisbelow(True)
    # counts: whole numbers on round steps, never 2.5 reports
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    return fig, ax, font


def _save(fig: Any, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    private_dir(path.parent)
    fig.tight_layout()
    FigureCanvasAgg(fig).print_png(str(path))
    return make_private(path)  # per collector: owner-only, like the reports


def _legend(ax: Any, font: Any) -> None:
    """Above the plot, right of the title, so it never covers a bar or a point."""
    ax.legend(prop=font, fontsize=8, frameon=False, loc="lower right",
              bbox_to_anchor=(1.0, 1.0), ncol=3, borderaxespad=0.2)  # fmt: skip
    for text in ax.get_legend().get_texts():
        text.set_fontsize(8)


def hourly_chart(counts: Sequence[int], valid: Sequence[int] | None, path: Path) -> Path:
    """Reports per hour of the day (0–23), valid ones darker."""
    fig, ax, font = _figure(tr(_CTX, "Reports per hour of the day"))
    hours = list(range(24))
    ax.bar(hours, counts, color=BLUE_LIGHT, width=0.8, label=tr(_CTX, "Reports"))
    if valid is not None:
        ax.bar(hours, valid, color=BLUE, width=0.5, label=tr(_CTX, "Valid reports"))
    ax.set_xticks(range(0, 24, 2))
    ax.set_xlim(-0.7, 23.7)
    ax.set_xlabel(tr(_CTX, "Hour (local time)"), fontproperties=font, fontsize=8)
    ax.tick_params(labelsize=7)
    _legend(ax, font)
    return _save(fig, path)


def collector_chart(names: Sequence[str], valid: Sequence[int], invalid: Sequence[int],
                    path: Path, target: float | None = None) -> Path:  # fmt: skip
    """Valid and other reports per collector, in order of valid reports; ``target``: a line
    at the reports the contract asks of one collector in the period."""
    order = sorted(range(len(names)), key=lambda i: (-valid[i], names[i]))
    fig, ax, font = _figure(tr(_CTX, "Reports per collector"))
    xs = list(range(len(order)))
    v = [valid[i] for i in order]
    ax.bar(xs, v, color=BLUE, width=0.8, label=tr(_CTX, "Valid reports"))
    ax.bar(xs, [invalid[i] for i in order], bottom=v, color="#fdae61", width=0.8,
           label=tr(_CTX, "Not valid"))  # fmt: skip
    if target:
        ax.axhline(target, color=RED, linewidth=1.0, linestyle="--", label=tr(_CTX, "Target"))
    step = max(1, len(xs) // 35)
    ax.set_xticks(xs[::step])
    labels = [names[i] for i in order][::step]
    if len(xs) <= FLAT_LABELS:  # few collectors: name over code, read without turning the page
        ax.set_xticklabels([n.replace(" ", "\n", 1) for n in labels], fontproperties=font,
                           fontsize=7)  # fmt: skip
    else:
        ax.set_xticklabels(labels, rotation=90, fontproperties=font, fontsize=5.5)
    ax.set_xlim(-0.8, max(len(xs), 1) - 0.2)
    ax.tick_params(axis="y", labelsize=7)
    _legend(ax, font)
    return _save(fig, path)


def trend_chart(labels: Sequence[str], reports: Sequence[int], valid: Sequence[int],
                path: Path, title: str | None = None) -> Path:  # fmt: skip
    """Reports and valid reports per week (or any period), oldest first."""
    fig, ax, font = _figure(title or tr(_CTX, "Reports per week"))
    xs = list(range(len(labels)))
    ax.plot(xs, reports, color=BLUE_LIGHT, marker="o", linewidth=2, label=tr(_CTX, "Reports"))
    ax.plot(xs, valid, color=BLUE, marker="o", linewidth=2, label=tr(_CTX, "Valid reports"))
    for x, value in zip(xs, valid):
        ax.annotate(f"{value:,}", (x, value), textcoords="offset points", xytext=(0, 5),
                    ha="center", fontsize=6.5, color=GREY)  # fmt: skip
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, fontsize=7)
    ax.set_ylim(bottom=0, top=max([*reports, *valid, 1]) * 1.2)
    ax.tick_params(axis="y", labelsize=7)
    _legend(ax, font)
    return _save(fig, path)
