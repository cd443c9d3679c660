"""SVG figures laid out in Python and written by autoescaping Jinja2 templates.

Pure functions: data in, SVG text out. Every figure carries <title> and <desc>
(its text alternative), uses only text, lines, rectangles and gradients, and needs no
script or web font.

Colours come from one palette (`THEMES`): one colour per arm role, the same in every
figure, named in each figure's legend; figures without arms (forest plot, trials by
phase, mechanism) use ink and greys only, so a colour always means an arm role. Each
figure is drawn once per theme, because a figure shown through <img> cannot read the
page's CSS: the page shows the light or the dark drawing with Material's palette (see
`pages/site.py` `Site.figure` and site.css).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

from .render import svg_environment

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
CHAR_WIDTH = 0.56  # of the font size: rough width of one character, for layout only

# What a bar stands for: a trial arm's role (model.Arm.role), or, for a study that is
# not one of the pack's trials, "other"; "pooled" where the source names no single arm.
ROLE_LABELS = {
    "experimental": "experimental arm",
    "control": "control arm",
    "single": "single-arm trial",
    "cohort": "trial cohort",
    "other": "arm of another study",
    "pooled": "arm not stated, or arms pooled",
}


@dataclass(frozen=True)
class Theme:
    name: str  # "light" or "dark": the file of a dark drawing ends in "-dark.svg"
    background: str
    ink: str
    muted: str
    faint: str  # guide lines and column bands
    band: tuple[str, str]  # alternating column fills
    box: str  # fill of emphasised boxes (mechanism)
    roles: dict[str, str]


# Okabe-Ito colours (told apart with every common colour-vision deficiency), lighter
# in the dark theme. The dark background is Material's slate --md-default-bg-color
# (hsla(225deg, 15%, 14%)), so a figure sits on the page's own background.
THEMES = {
    "light": Theme(
        name="light",
        background="#ffffff",
        ink="#1a1a1a",
        muted="#5f5f5f",
        faint="#c8c8c8",
        band=("#f1f1f1", "#fafafa"),
        box="#eef2f7",
        roles={
            "experimental": "#0072b2",
            "control": "#e69f00",
            "single": "#009e73",
            "cohort": "#cc79a7",
            "other": "#d55e00",
            "pooled": "#8c8c8c",
        },
    ),
    "dark": Theme(
        name="dark",
        background="#1e2129",
        ink="#e4e6eb",
        muted="#aeb3bf",
        faint="#4a4f5c",
        band=("#262a34", "#22252e"),
        box="#263243",
        roles={
            "experimental": "#56b4e9",
            "control": "#f0b323",
            "single": "#2fc795",
            "cohort": "#e59acb",
            "other": "#f0864a",
            "pooled": "#a3a3a3",
        },
    ),
}
LIGHT = THEMES["light"]


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def wrap(text: str, width_px: float, size: float) -> list[str]:
    chars = max(8, int(width_px / (size * CHAR_WIDTH)))
    return textwrap.wrap(" ".join(text.split()), chars) or [""]


def _render(template: str, theme: Theme, **context) -> str:
    return (
        svg_environment()
        .get_template(template)
        .render(font=FONT, theme=theme, ink=theme.ink, muted=theme.muted, **context)
    )


@dataclass(frozen=True)
class LegendItem:
    kind: str  # "swatch" (a role's colour), "open" (not reached), "dot", "ring", "box"
    label: str
    colour: str = ""


def _legend(items: list[LegendItem], width: float, y: float, size: int = 12) -> list[dict]:
    """Legend entries placed left to right, wrapping to a new line at the figure's width.
    The template writes their text at `legend_size` (12 unless the figure passes one)."""
    placed = []
    x = 10.0
    for item in items:
        w = 28 + text_width(item.label, size) + 18
        if x + w > width - 10 and x > 10:
            x = 10.0
            y += size + 8
        placed.append({"x": x, "y": y, "item": item})
        x += w
    return placed


def _legend_height(placed: list[dict], top: float) -> float:
    return (placed[-1]["y"] - top + 21) if placed else 0.0


# --- bar charts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | None  # None: not reached, drawn as an open-ended bar
    text: str  # the value as printed, from fmt
    role: str = "pooled"  # a key of ROLE_LABELS: the bar's colour


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    bars: list[Bar]


@dataclass(frozen=True)
class Pair:
    group: str
    first: tuple[str, float | int]  # the experimental arm: label, value
    second: tuple[str, float | int]  # its control
    unit: str


@dataclass
class _BarRow:
    y: float  # top of the bar
    label_lines: list[str]
    label_y: float  # baseline of the label's first line, above the bar
    width: float
    text: str
    text_x: float
    role: str
    reached: bool


@dataclass
class _PanelBox:
    y: float
    title_lines: list[str]
    rows: list[_BarRow] = field(default_factory=list)
    axis_y: float = 0
    ticks: list[tuple[float, str]] = field(default_factory=list)


def bar_legend(panels: list[Panel], theme: Theme) -> list[LegendItem]:
    """The roles drawn, in the palette's order, and the open bar when one is drawn."""
    used = {b.role for p in panels for b in p.bars}
    items = [
        LegendItem("swatch", label, theme.roles[role])
        for role, label in ROLE_LABELS.items()
        if role in used
    ]
    if any(b.value is None for p in panels for b in p.bars):
        items.append(LegendItem("open", "median not reached (open-ended)", theme.muted))
    return items


def bar_chart(
    title: str, desc: str, panels: list[Panel], theme: Theme = LIGHT, width: int = 500
) -> str:
    """Horizontal bars, one panel per group; panels of the same unit share one scale.
    A value not reached is an open-ended bar: it fades along the whole axis to an arrow,
    labelled as not reached, so it cannot read as the shortest (or absent) result.
    Each bar's label sits above it, which keeps the chart narrow: shrunk to a 390 px
    phone's column (358 px), its smallest text (13 px) still reads at 9 px."""
    size = 14
    small = 13
    plot_x = 10
    text_w = max(text_width(b.text, size) for p in panels for b in p.bars) + 30
    plot_w = width - plot_x - max(110, text_w)
    scales = {}
    for panel in panels:
        top = max((b.value for b in panel.bars if b.value is not None), default=1)
        scales[panel.unit] = max(scales.get(panel.unit, 0), top)
    legend = _legend(bar_legend(panels, theme), width, 22, small)
    y = 22 + _legend_height(legend, 22) + 10
    boxes = []
    for panel in panels:
        top = 100 if panel.unit == "%" else _nice_ceiling(scales[panel.unit])
        box = _PanelBox(y=y, title_lines=wrap(panel.title, width - 20, size + 1))
        y += 22 * len(box.title_lines) + 6
        for bar in panel.bars:
            reached = bar.value is not None
            bar_w = plot_w * bar.value / top if reached else plot_w
            lines = wrap(bar.label, width - 20, size)
            bar_y = y + 17 * len(lines) + 3
            box.rows.append(
                _BarRow(
                    y=bar_y,
                    label_lines=lines,
                    label_y=y + 13,
                    width=bar_w,
                    text=bar.text,
                    text_x=plot_x + bar_w + (6 if reached else 16),
                    role=bar.role,
                    reached=reached,
                )
            )
            y = bar_y + 18 + 10
        box.axis_y = y
        step = _tick_step(top)
        box.ticks = [
            (plot_x + plot_w * v / top, _tick_label(v, panel.unit)) for v in _frange(0, top, step)
        ]
        y += 42
        boxes.append(box)
    return _render(
        "figures/bars.svg.j2",
        theme,
        title=title,
        desc=desc,
        width=width,
        height=math.ceil(y),
        panels=boxes,
        legend=legend,
        legend_size=small,
        roles=sorted({r.role for b in boxes for r in b.rows}),
        plot_x=plot_x,
        plot_w=plot_w,
        size=size,
        small=small,
    )


def pairs_as_panels(pairs: list[Pair]) -> list[Panel]:
    return [
        Panel(
            title=p.group,
            unit=p.unit,
            bars=[
                Bar(p.first[0], p.first[1], _value_text(p.first[1], p.unit), "experimental"),
                Bar(p.second[0], p.second[1], _value_text(p.second[1], p.unit), "control"),
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
    label: str  # the study, and the subgroup for a subgroup row
    estimate: float
    low: float | None
    high: float | None  # None with a low bound: not estimable, drawn as an arrow to the edge
    text: str  # "0.65 (0.55–0.77)" from fmt, plus P when given
    group: str  # the outcome (PFS, OS, QoL...): rows of one group sit under its heading
    subgroup: bool = False  # indented under the group's whole-population rows


def forest_plot(
    title: str,
    desc: str,
    rows: list[ForestRow],
    experimental: str,
    theme: Theme = LIGHT,
    width: int = 500,
) -> str:
    """Hazard ratios on a log scale under a heading per outcome (rows in the order given,
    grouped by `group`), with the line of no effect at 1. Each row's label and value sit
    on a line above its interval, so the plot spans the figure's width and stays narrow:
    shrunk to a 390 px phone's column, its smallest text (13 px) reads at 9 px."""
    size = 14
    small = 13
    indent = 16
    plot_x = 30
    plot_w = width - plot_x - 30
    values = [v for r in rows for v in (r.estimate, r.low, r.high) if v is not None]
    lo = 2 ** math.floor(math.log2(min(min(values), 1) * 0.95))
    hi = 2 ** math.ceil(math.log2(max(max(values), 1) * 1.05))

    def x(v: float) -> float:
        return plot_x + plot_w * (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo))

    # Widen the scale until the "favours" labels on either side of 1 fit the figure.
    favours = (f"← favours {experimental}", "favours comparator →")
    for _ in range(4):
        if x(1) + 8 + text_width(favours[1], small) > width - 10:
            hi *= 2
        elif x(1) - 8 - text_width(favours[0], small) < 10:
            lo /= 2
        else:
            break

    keys = [
        LegendItem("box", "hazard ratio", theme.ink),
        LegendItem("ci", "95% confidence interval", theme.ink),
    ]
    if any(r.low is not None and r.high is None for r in rows):
        keys.append(LegendItem("arrow", "upper bound not estimable", theme.ink))
    legend = _legend(keys, width, 20, small)
    header_y = 20 + _legend_height(legend, 20) + 22
    y = header_y + 8
    groups = []
    placed = []
    current = None
    for r in rows:
        if r.group != current:
            current = r.group
            y += 12
            groups.append({"y": y + 14, "label": r.group})
            y += 24
        label_x = 10 + (indent if r.subgroup else 0)
        room = width - 10 - label_x - text_width(r.text, small) - 12
        lines = wrap(r.label, room, small)
        line_y = y + 13
        mark_y = y + 17 * len(lines) + 8
        placed.append(
            {
                "y": mark_y,
                "line_y": line_y,
                "lines": lines,
                "label_x": label_x,
                "subgroup": r.subgroup,
                "x": x(r.estimate),
                "x_low": x(r.low) if r.low is not None else None,
                "x_high": x(r.high) if r.high is not None else (plot_x + plot_w),
                "open_high": r.low is not None and r.high is None,
                "text": r.text,
            }
        )
        y = mark_y + 14
    axis_y = y + 6
    ticks = []
    v = lo
    while v <= hi * 1.0001:
        ticks.append((x(v), f"{v:g}"))
        v *= 2
    return _render(
        "figures/forest.svg.j2",
        theme,
        title=title,
        desc=desc,
        width=width,
        height=int(axis_y + 66),
        rows=placed,
        groups=groups,
        legend=legend,
        legend_size=small,
        header_y=header_y,
        plot_x=plot_x,
        plot_w=plot_w,
        text_x=width - 10,
        one_x=x(1),
        top_y=header_y + 8,
        axis_y=axis_y,
        ticks=ticks,
        favours=favours,
        size=size,
        small=small,
        marker=theme.ink,
    )


# --- trials by phase -------------------------------------------------------------------


PHASE_ORDER = ["preclinical", "1", "1b", "1b/2", "1b/2a", "2", "2a", "3"]


@dataclass(frozen=True)
class TimelineRow:
    name: str
    phase: str
    setting: str  # band the row is drawn in
    completed: bool
    n_text: str


def timeline(
    title: str, desc: str, rows: list[TimelineRow], theme: Theme = LIGHT, width: int = 500
) -> str:
    """Trials in bands by setting (bands and rows in the order given: order of development),
    a marker in their phase's column, filled when completed and hollow when ongoing.
    The review dates no trial, so the horizontal axis is the phase, not time. 500 px wide
    with 13 px text at the smallest, so it reads at 9 px on a 390 px phone."""
    size = 14
    small = 13
    phases = [p for p in PHASE_ORDER if any(r.phase == p for r in rows)]
    name_w = 170
    plot_x = 10 + name_w
    plot_w = width - plot_x - 10
    col = plot_w / len(phases)
    column_x = {p: plot_x + col * (i + 0.5) for i, p in enumerate(phases)}
    legend = _legend(
        [
            LegendItem("dot", "completed (results in the review)", theme.ink),
            LegendItem("ring", "ongoing at the review's cut-off", theme.ink),
        ],
        width,
        20,
        small,
    )
    top = 20 + _legend_height(legend, 20) + 8
    y = top + 44
    bands = []
    placed = []
    for setting in dict.fromkeys(r.setting for r in rows):
        lines = wrap(setting, width - 20, size)
        bands.append({"y": y, "lines": lines})
        y += 10 + 18 * len(lines)
        for r in (r for r in rows if r.setting == setting):
            lines = wrap(f"{r.name}, {r.n_text}", name_w - 8, small)
            placed.append(
                {
                    "y": y + 8 * (len(lines) - 1),
                    "lines": lines,
                    "line_y": y,
                    "x": column_x[r.phase],
                    "completed": r.completed,
                }
            )
            y += 8 + 16 * len(lines)
        y += 10
    return _render(
        "figures/timeline.svg.j2",
        theme,
        title=title,
        desc=desc,
        width=width,
        height=int(y + 8),
        rows=placed,
        bands=bands,
        legend=legend,
        legend_size=small,
        top=top,
        columns=[
            (column_x[p], ["preclinical"] if p == "preclinical" else ["phase", p]) for p in phases
        ],
        col_w=col,
        plot_x=plot_x,
        plot_w=plot_w,
        plot_bottom=y,
        size=size,
        small=small,
        dot=theme.ink,
    )


# --- mechanism -----------------------------------------------------------------------


@dataclass(frozen=True)
class Lane:
    title: str
    steps: list[str]
    emphasis: bool


def mechanism(
    title: str, desc: str, lanes: list[Lane], theme: Theme = LIGHT, width: int = 500
) -> str:
    """Each pathway as a column of numbered boxes joined by arrows; 500 px wide with 13 px
    text, so it reads at 9 px on a 390 px phone."""
    size = 13
    gap = 10
    lane_w = (width - gap * (len(lanes) + 1)) / len(lanes)
    columns = []
    bottom = 0.0
    for i, lane in enumerate(lanes):
        x = gap + i * (lane_w + gap)
        heading = wrap(lane.title, lane_w, size + 1)
        y = 20 + 20 * len(heading) + 8
        boxes = []
        for n, step in enumerate(lane.steps, start=1):
            lines = wrap(f"{n}. {step}", lane_w - 14, size)
            h = 12 + 17 * len(lines)
            boxes.append({"y": y, "h": h, "lines": lines})
            y += h + 26
        bottom = max(bottom, y)
        columns.append({"x": x, "heading": heading, "boxes": boxes, "emphasis": lane.emphasis})
    return _render(
        "figures/mechanism.svg.j2",
        theme,
        title=title,
        desc=desc,
        width=width,
        height=math.ceil(bottom),
        columns=columns,
        lane_w=lane_w,
        size=size,
        dark=theme.ink,
    )
