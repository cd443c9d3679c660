"""SVG figures laid out in Python and written by autoescaping Jinja2 templates.

Pure functions: data in, SVG text out. Every figure carries <title> and <desc>
(its text alternative), uses only text, lines and rectangles in black and greys
that survive printing, and needs no script or web font.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

from .render import svg_environment

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
CHAR_WIDTH = 0.56  # of the font size: rough width of one character, for layout only
INK = "#1a1a1a"
EXPERIMENTAL = "#1f4e79"  # dark blue: prints as dark grey
CONTROL = "#a6a6a6"  # light grey: prints as light grey
MUTED = "#6b6b6b"


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def wrap(text: str, width_px: float, size: float) -> list[str]:
    chars = max(8, int(width_px / (size * CHAR_WIDTH)))
    return textwrap.wrap(" ".join(text.split()), chars) or [""]


def _render(template: str, **context) -> str:
    return svg_environment().get_template(template).render(font=FONT, ink=INK, **context)


# --- bar charts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | None  # None: not reached, shown as text without a bar
    text: str  # the value as printed, from fmt
    emphasis: bool = True  # dark fill (T-DM1) or light (comparator)


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    bars: list[Bar]


@dataclass(frozen=True)
class Pair:
    group: str
    first: tuple[str, float | int]
    second: tuple[str, float | int]
    unit: str


@dataclass
class _BarRow:
    y: float
    label: str
    width: float
    text: str
    text_x: float
    fill: str
    reached: bool


@dataclass
class _PanelBox:
    y: float
    title_lines: list[str]
    rows: list[_BarRow] = field(default_factory=list)
    axis_y: float = 0
    ticks: list[tuple[float, str]] = field(default_factory=list)


def bar_chart(title: str, desc: str, panels: list[Panel], width: int = 760) -> str:
    """Horizontal bars, one panel per group; panels of the same unit share one scale."""
    size = 14
    label_w = min(360, max(text_width(b.label, size) for p in panels for b in p.bars) + 16)
    plot_x = label_w + 8
    plot_w = width - plot_x - 130
    scales = {}
    for panel in panels:
        top = max((b.value for b in panel.bars if b.value is not None), default=1)
        scales[panel.unit] = max(scales.get(panel.unit, 0), top)
    boxes = []
    y = 16.0
    for panel in panels:
        top = 100 if panel.unit == "%" else _nice_ceiling(scales[panel.unit])
        box = _PanelBox(y=y, title_lines=wrap(panel.title, width - 20, size + 1))
        y += 22 * len(box.title_lines) + 6
        for bar in panel.bars:
            bar_w = 0.0 if bar.value is None else plot_w * bar.value / top
            box.rows.append(
                _BarRow(
                    y=y,
                    label=bar.label,
                    width=bar_w,
                    text=bar.text,
                    text_x=plot_x + bar_w + 6,
                    fill=EXPERIMENTAL if bar.emphasis else CONTROL,
                    reached=bar.value is not None,
                )
            )
            y += 26
        box.axis_y = y + 2
        step = _tick_step(top)
        box.ticks = [
            (plot_x + plot_w * v / top, _tick_label(v, panel.unit)) for v in _frange(0, top, step)
        ]
        y += 34
        boxes.append(box)
    return _render(
        "figures/bars.svg.j2",
        title=title,
        desc=desc,
        width=width,
        height=math.ceil(y + 4),
        panels=boxes,
        plot_x=plot_x,
        plot_w=plot_w,
        label_x=plot_x - 8,
        size=size,
        dark=EXPERIMENTAL,
        light=CONTROL,
        muted=MUTED,
    )


def pairs_as_panels(pairs: list[Pair], emphasis_first: bool = True) -> list[Panel]:
    return [
        Panel(
            title=p.group,
            unit=p.unit,
            bars=[
                Bar(p.first[0], p.first[1], _value_text(p.first[1], p.unit), emphasis_first),
                Bar(p.second[0], p.second[1], _value_text(p.second[1], p.unit), False),
            ],
        )
        for p in pairs
    ]


def _value_text(value, unit: str) -> str:
    from . import fmt

    return fmt.quantity(value, unit)


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _tick_step(top: float) -> float:
    return top / 5 if top >= 5 else top / 4


def _frange(start: float, stop: float, step: float) -> list[float]:
    count = int(round((stop - start) / step))
    return [start + i * step for i in range(count + 1)]


def _tick_label(value: float, unit: str) -> str:
    shown = f"{value:g}"
    return f"{shown}%" if unit == "%" else shown


# --- forest plot ----------------------------------------------------------------------


@dataclass(frozen=True)
class ForestRow:
    label: str
    estimate: float
    low: float | None
    high: float | None  # None with a low bound: not estimable, drawn as an arrow to the edge
    text: str  # "0.65 (0.55–0.77)" from fmt, plus P when given


def forest_plot(
    title: str, desc: str, rows: list[ForestRow], experimental: str, width: int = 760
) -> str:
    """Hazard ratios on a log scale, one row each, with the line of no effect at 1."""
    size = 13
    label_w = min(430, max(text_width(r.label, size) for r in rows) + 12)
    text_w = max(text_width(r.text, size) for r in rows) + 12
    plot_x = label_w + 12
    plot_w = max(220, width - plot_x - text_w - 12)
    width = int(plot_x + plot_w + text_w + 12)
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    lo = 2 ** math.floor(math.log2(min(min(values), 1) * 0.95))
    hi = 2 ** math.ceil(math.log2(max(max(values), 1) * 1.05))

    def x(v: float) -> float:
        return plot_x + plot_w * (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo))

    def open_end(r: ForestRow) -> float | None:
        return plot_x + plot_w if r.low is not None else None

    top = 40
    step = 26
    placed = [
        {
            "y": top + i * step,
            "label": r.label,
            "x": x(r.estimate),
            "x_low": x(r.low) if r.low is not None else None,
            "x_high": x(r.high) if r.high is not None else open_end(r),
            "open_high": r.low is not None and r.high is None,
            "text": r.text,
        }
        for i, r in enumerate(rows)
    ]
    axis_y = top + len(rows) * step
    ticks = []
    v = lo
    while v <= hi * 1.0001:
        ticks.append((x(v), f"{v:g}"))
        v *= 2
    return _render(
        "figures/forest.svg.j2",
        title=title,
        desc=desc,
        width=width,
        height=axis_y + 62,
        rows=placed,
        plot_x=plot_x,
        plot_w=plot_w,
        text_x=plot_x + plot_w + 12,
        one_x=x(1),
        axis_y=axis_y,
        ticks=ticks,
        experimental=experimental,
        size=size,
        dark=EXPERIMENTAL,
        muted=MUTED,
    )


# --- timeline ------------------------------------------------------------------------


PHASE_ORDER = ["preclinical", "1", "1b", "1b/2", "1b/2a", "2", "2a", "3"]


@dataclass(frozen=True)
class TimelineRow:
    name: str
    phase: str
    setting: str  # band the row is drawn in
    completed: bool
    n_text: str


def timeline(title: str, desc: str, rows: list[TimelineRow], width: int = 900) -> str:
    """Trials in bands by setting (bands and rows in the order given: order of development),
    a marker in their phase's column, filled when completed and hollow when ongoing."""
    size = 13
    phases = [p for p in PHASE_ORDER if any(r.phase == p for r in rows)]
    name_w = min(300, max(text_width(r.name, size) for r in rows) + 16)
    plot_x = name_w + 8
    plot_w = width - plot_x - 10
    col = plot_w / len(phases)
    column_x = {p: plot_x + col * (i + 0.5) for i, p in enumerate(phases)}
    y = 62.0
    bands = []
    placed = []
    for setting in dict.fromkeys(r.setting for r in rows):
        bands.append({"y": y, "label": setting})
        y += 26
        for r in (r for r in rows if r.setting == setting):
            lines = wrap(r.name, name_w - 12, size)
            placed.append(
                {
                    "y": y + 8 * (len(lines) - 1),
                    "lines": lines,
                    "line_y": y,
                    "x": column_x[r.phase],
                    "completed": r.completed,
                    "n_text": r.n_text,
                }
            )
            y += 10 + 16 * len(lines)
        y += 8
    height = y + 34
    return _render(
        "figures/timeline.svg.j2",
        title=title,
        desc=desc,
        width=width,
        height=int(height),
        rows=placed,
        bands=bands,
        columns=[
            (column_x[p], "preclinical" if p == "preclinical" else f"phase {p}") for p in phases
        ],
        col_w=col,
        plot_x=plot_x,
        plot_w=plot_w,
        plot_bottom=y,
        name_x=plot_x - 10,
        legend_y=height - 12,
        size=size,
        dark=EXPERIMENTAL,
        muted=MUTED,
    )


# --- mechanism -----------------------------------------------------------------------


@dataclass(frozen=True)
class Lane:
    title: str
    steps: list[str]
    emphasis: bool


def mechanism(title: str, desc: str, lanes: list[Lane], width: int = 780) -> str:
    """Each pathway as a column of numbered boxes joined by arrows."""
    size = 13
    gap = 18
    lane_w = (width - gap * (len(lanes) + 1)) / len(lanes)
    columns = []
    bottom = 0.0
    for i, lane in enumerate(lanes):
        x = gap + i * (lane_w + gap)
        heading = wrap(lane.title, lane_w, size + 2)
        y = 20 + 20 * len(heading) + 8
        boxes = []
        for n, step in enumerate(lane.steps, start=1):
            lines = wrap(f"{n}. {step}", lane_w - 20, size)
            h = 12 + 17 * len(lines)
            boxes.append({"y": y, "h": h, "lines": lines})
            y += h + 26
        bottom = max(bottom, y)
        columns.append({"x": x, "heading": heading, "boxes": boxes, "emphasis": lane.emphasis})
    return _render(
        "figures/mechanism.svg.j2",
        title=title,
        desc=desc,
        width=width,
        height=math.ceil(bottom),
        columns=columns,
        lane_w=lane_w,
        size=size,
        dark=EXPERIMENTAL,
        light="#eef2f7",
        muted=MUTED,
    )
