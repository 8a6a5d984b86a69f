"""Charts as PNG images: pure functions of plain data (labels, shares 0–1, days) to PNG bytes.

Two kinds, for the commanders who would rather look than read (issue 15):

* `bar_chart_png`: one horizontal bar per satker, best first, with a dashed target line; bars
  at or above the target are green, the others red.
* `trend_chart_png`: one line per series over the days of a week or month, with the target
  as a dashed horizontal line; a day without posts has no point (never a zero).

Rendered with matplotlib's Agg canvas on a `Figure` of its own (no pyplot, no global state),
so charts can be drawn from several threads. Labels are Indonesian (the callers' words and
the id-ID percentages of `menus.format`). What each bar or point measures is the report's
choice (`menus.reports.report_charts`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from menus.format import percent

PNG_MIMETYPE = "image/png"
DPI = 110
WIDTH_INCHES = 9.0
LABEL_LIMIT = 30  # characters of a satker name on the axis
ABOVE_COLOUR = "#43A047"
BELOW_COLOUR = "#E53935"
TARGET_COLOUR = "#1E3A8A"
SERIES_COLOURS = ("#C2185B", "#00897B", "#F57C00", "#5E35B1")
MAX_DAY_LABELS = 31
SHORT_DAY_NAMES = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


@dataclass(frozen=True)
class Target:
    share: float  # 0–1
    label: str  # e.g. "Target 95%"


@dataclass(frozen=True)
class BarChart:
    title: str
    subtitle: str
    axis_label: str
    bars: Sequence[tuple[str, float]]  # (label, share 0–1), drawn top to bottom in this order
    target: Target | None = None


@dataclass(frozen=True)
class TrendChart:
    title: str
    subtitle: str
    axis_label: str
    days: Sequence[date]
    series: Sequence[tuple[str, Sequence[float | None]]]  # (name, share per day or None)
    target: Target | None = None


def _points(share: float) -> float:
    return share * 100


def _percent_axis(value: float, _position: int) -> str:
    return f"{value:.0f}%"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[:LABEL_LIMIT - 1] + "…"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _figure(height: float, title: str, subtitle: str, *,
            left: float = 0.8) -> tuple[Figure, Axes]:
    """A figure with one axes, margins in inches (fixed margins: an automatic layout engine
    draws the figure twice and doubles the time)."""
    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.subplots_adjust(left=left / WIDTH_INCHES, right=1 - 0.3 / WIDTH_INCHES,
                           top=1 - (0.6 + 0.17 * (subtitle.count("\n") + 1)) / height,
                           bottom=1.05 / height)
    figure.suptitle(title, fontsize=13, fontweight="bold", x=0.1 / WIDTH_INCHES, ha="left",
                    y=1 - 0.12 / height, va="top")
    axes = figure.add_subplot()
    axes.set_title(subtitle, fontsize=9.5, color="#444444", loc="left")
    return figure, axes


def _legend(figure: Figure) -> None:
    figure.legend(loc="lower center", ncols=4, fontsize=8.5, frameon=False,
                  bbox_to_anchor=(0.5, 0.0))


def bar_chart_png(chart: BarChart) -> bytes:
    bars = list(chart.bars)
    longest = max((len(_short(label)) for label, _ in bars), default=10)
    figure, axes = _figure(max(3.6, 2.0 + 0.28 * max(len(bars), 1)), chart.title,
                           chart.subtitle, left=0.3 + 0.075 * longest)
    positions = range(len(bars))
    target = chart.target.share if chart.target else None
    colours = [ABOVE_COLOUR if target is None or share >= target - 1e-9 else BELOW_COLOUR
               for _, share in bars]
    axes.barh(list(positions), [_points(share) for _, share in bars], color=colours,
              height=0.7)
    axes.set_yticks(list(positions), [_short(label) for label, _ in bars], fontsize=8.5)
    axes.set_ylim(max(len(bars), 1) - 0.5, -0.5)  # first bar on top
    axes.set_xlim(0, 112)
    axes.xaxis.set_major_formatter(FuncFormatter(_percent_axis))
    axes.set_xlabel(chart.axis_label, fontsize=9)
    for position, (_, share) in enumerate(bars):
        axes.text(_points(share) + 1, position, percent(share), va="center", fontsize=7.5,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.8})
    if chart.target:
        axes.axvline(_points(chart.target.share), color=TARGET_COLOUR, linestyle="--",
                     linewidth=1.4, label=chart.target.label)
        _legend(figure)
    if not bars:
        axes.text(50, 0, "Tidak ada data", ha="center", va="center", fontsize=11)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    return _png(figure)


def _day_label(day: date, many: bool) -> str:
    if many:
        return f"{day.day:02d}/{day.month:02d}"
    return f"{SHORT_DAY_NAMES[day.weekday()]}\n{day.day:02d}/{day.month:02d}"


def trend_chart_png(chart: TrendChart) -> bytes:
    days = list(chart.days)
    many = len(days) > 10
    figure, axes = _figure(5.0, chart.title, chart.subtitle)
    for index, (name, shares) in enumerate(chart.series):
        points = [(position, _points(share)) for position, share in enumerate(shares)
                  if share is not None]
        axes.plot([x for x, _ in points], [y for _, y in points],
                  marker="o" if len(days) <= 2 * MAX_DAY_LABELS else None, markersize=4,
                  linewidth=2, color=SERIES_COLOURS[index % len(SERIES_COLOURS)], label=name)
    if chart.target:
        axes.axhline(_points(chart.target.share), color=TARGET_COLOUR, linestyle="--",
                     linewidth=1.4, label=chart.target.label)
    step = math.ceil(len(days) / MAX_DAY_LABELS) if days else 1  # a long period: every nth day
    positions = list(range(0, len(days), step))
    axes.set_xticks(positions, [_day_label(days[position], many) for position in positions],
                    fontsize=7.5 if many else 8.5, rotation=60 if many else 0)
    axes.set_xlim(-0.5, max(len(days) - 0.5, 0.5))
    axes.set_ylim(0, 105)
    axes.yaxis.set_major_formatter(FuncFormatter(_percent_axis))
    axes.set_ylabel(chart.axis_label, fontsize=9)
    axes.grid(alpha=0.3)
    if chart.series or chart.target:
        _legend(figure)
    return _png(figure)
