"""The figures, read against the model: every charted value drawn (a median not reached as
an open-ended bar with its label), each bar in its arm role's colour, each colour named
in the legend, the forest plot grouped by outcome, and a drawing per palette.

Expected values come from the evidence model; the SVGs come from the pure figure
functions (`pages.site_figures`), parsed as XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from generator import fmt, links
from generator.figures import LIGHT, ROLE_LABELS, THEMES
from generator.pages import FIGURES, site_figures

SVG = "{http://www.w3.org/2000/svg}"
FIGURE_DIR = f"{links.GENERATED}/{FIGURES}/"


@pytest.fixture(scope="module")
def drawn(evidence) -> dict[str, ET.Element]:
    return {
        path.removeprefix(FIGURE_DIR): ET.fromstring(svg)
        for path, svg in site_figures(evidence).items()
    }


def svg_name(name: str, theme) -> str:
    return name if theme is LIGHT else name.replace(".svg", f"-{theme.name}.svg")


def texts(node: ET.Element) -> list[str]:
    return [t.text or "" for t in node.iter(f"{SVG}text")]


def fill_colour(root: ET.Element, rect: ET.Element) -> str:
    """A rectangle's colour: its fill, or the first stop of the gradient it is filled with."""
    fill = rect.get("fill", "")
    ref = re.fullmatch(r"url\(#(.+)\)", fill)
    if not ref:
        return fill
    gradient = next(g for g in root.iter() if g.get("id") == ref.group(1))
    return next(gradient.iter(f"{SVG}stop")).get("stop-color")


def legend(root: ET.Element) -> dict[str, ET.Element]:
    return {
        item.get("data-label"): item
        for item in root.iter(f"{SVG}g")
        if "legend-item" in item.get("class", "")
    }


def bars_of(root: ET.Element) -> list[dict]:
    """Every bar of a chart: its panel title, label, value text, role, reached, shape."""
    out = []
    for panel in (g for g in root.iter(f"{SVG}g") if g.get("class") == "panel"):
        title = " ".join(
            t.text for t in panel.findall(f"{SVG}text") if t.get("font-weight") == "bold"
        )
        for bar in (g for g in panel.iter(f"{SVG}g") if g.get("class") == "bar"):
            label = " ".join(t.text for t in bar.findall(f"{SVG}text[@class='label']"))
            value = bar.find(f"{SVG}text[@class='value']").text
            rect = bar.find(f"{SVG}rect")
            out.append(
                {
                    "panel": title,
                    "label": label,
                    "text": value,
                    "role": bar.get("data-role"),
                    "reached": bar.get("data-reached") == "true",
                    "rect": rect,
                    "width": float(rect.get("width")),
                    "open_end": bar.find(f"{SVG}path"),
                }
            )
    return out


# --- what the model says each chart must show ------------------------------------------


def expected_role(evidence, study: str, arm: str | None) -> str:
    if arm is None:
        return "pooled"
    trial = evidence.trials_by_id.get(study)
    if trial is None:
        return "other"
    return next(a.role for a in trial.arms if a.id == arm)


def study_name(evidence, study: str) -> str:
    trial = evidence.trials_by_id.get(study)
    return trial.name if trial else next(s.name for s in evidence.studies if s.id == study)


def arm_name(evidence, study: str, arm: str | None) -> str:
    trial = evidence.trials_by_id.get(study)
    if arm is None:
        return ""
    return next(a.label for a in trial.arms if a.id == arm) if trial else arm


def charted_measurements(evidence, mech):
    """(panel title, bar label, measurement, role) of each value the subgroup chart of
    `mech` draws: outcomes (not hazard ratios or 'other') compared over two or more groups."""
    out = []
    for finding in mech.findings:
        by_kind = defaultdict(list)
        for m in finding.measurements:
            if m.group and m.kind and m.kind != "other" and m.unit != "ratio":
                by_kind[(m.kind, m.unit)].append(m)
        for (kind, _), ms in by_kind.items():
            if len({m.group for m in ms}) < 2:
                continue
            for m in ms:
                arm = arm_name(evidence, finding.study, m.arm)
                out.append(
                    (
                        f"{study_name(evidence, finding.study)}: {kind}",
                        " · ".join(x for x in (m.group, arm) if x),
                        m,
                        expected_role(evidence, finding.study, m.arm),
                    )
                )
    return out


# --- tests -----------------------------------------------------------------------------


def test_every_figure_is_drawn_for_each_palette_on_its_own_background(drawn):
    light = [n for n in drawn if not n.endswith("-dark.svg")]
    assert len(light) >= 5
    for name in light:
        for theme in THEMES.values():
            root = drawn[svg_name(name, theme)]
            background = root.find(f"{SVG}rect")
            assert background.get("class") == "background", name
            assert background.get("fill") == theme.background, (name, theme.name)
            assert root.get("fill") == theme.ink, (name, theme.name)
    assert LIGHT.background != THEMES["dark"].background


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_subgroup_charts_draw_every_value_in_its_arm_role_colour(drawn, evidence, theme):
    charts = 0
    not_reached = 0
    for mech in evidence.resistance:
        expected = charted_measurements(evidence, mech)
        name = svg_name(f"resistance-{mech.id}.svg", theme)
        if not expected:
            assert name not in drawn
            continue
        charts += 1
        root = drawn[name]
        bars = bars_of(root)
        assert len(bars) == len(expected), name
        keys = legend(root)
        reached_widths = [b["width"] for b in bars if b["reached"]]
        for panel, label, m, role in expected:
            bar = next(b for b in bars if b["panel"] == panel and b["label"] == label)
            assert bar["role"] == role, (name, label)
            assert fill_colour(root, bar["rect"]) == theme.roles[role], (name, label)
            # the legend names the role, in the same colour
            swatch = keys[ROLE_LABELS[role]].find(f"{SVG}rect")
            assert swatch.get("fill") == theme.roles[role]
            assert bar["text"] == fmt.measurement_value(m)
            if m.reached:
                assert bar["reached"] and bar["width"] > 0
                assert bar["open_end"] is None
            else:
                not_reached += 1
                # drawn, open at the end, labelled, and never shorter than a value reached
                assert not bar["reached"] and bar["text"] == fmt.NOT_REACHED
                assert bar["open_end"] is not None, (name, label)
                assert bar["width"] >= max(reached_widths), (name, label)
                assert any(k.get("data-kind") == "open" for k in keys.values())
        drawn_roles = {b["role"] for b in bars}
        named = {label for label in keys if label in ROLE_LABELS.values()}
        assert named == {ROLE_LABELS[r] for r in drawn_roles}, name
    assert charts >= 2
    assert not_reached >= 2, "the pack has medians not reached in the HER2 analyses"


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_grade3_chart_colours_each_arm_by_its_role(drawn, evidence, theme):
    root = drawn[svg_name("grade3.svg", theme)]
    bars = bars_of(root)
    assert bars
    keys = legend(root)
    checked = 0
    for trial in evidence.trials:
        roles = {a.label: a.role for a in trial.arms}
        for bar in (b for b in bars if b["panel"].startswith(f"{trial.name}:")):
            assert bar["role"] == roles[bar["label"]]
            assert fill_colour(root, bar["rect"]) == theme.roles[bar["role"]]
            assert (
                keys[ROLE_LABELS[bar["role"]]].find(f"{SVG}rect").get("fill")
                == (theme.roles[bar["role"]])
            )
            checked += 1
    assert checked == len(bars)
    assert {b["role"] for b in bars} == {"experimental", "control"}


def test_forest_plot_groups_hazard_ratios_by_outcome_with_subgroups_indented(drawn, evidence):
    root = drawn["forest.svg"]
    # Group headings and rows as a reader sees them, top to bottom.
    drawn_order = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "group":
            heading = g.find(f"{SVG}text")
            drawn_order.append((float(heading.get("y")), "group", heading.text, None))
        elif g.get("class", "").startswith("row"):
            label = g.find(f"{SVG}text[@class='label']")
            value = g.find(f"{SVG}text[@class='value']")
            drawn_order.append((float(label.get("y")), "row", label, value.text))
    drawn_order = [x[1:] for x in sorted(drawn_order, key=lambda x: x[0])]
    headings = [x[1] for x in drawn_order if x[0] == "group"]
    assert len(headings) == len(set(headings)), "each outcome is one group"

    def group_of(study: str, value_text: str) -> tuple[str, ET.Element]:
        current = None
        for kind, label, text in drawn_order:
            if kind == "group":
                current = label
            elif label.text.startswith(study) and text.startswith(value_text):
                return current, label
        raise AssertionError(f"no row shows {study} {value_text}")

    ratios = [(t, c) for t in evidence.trials for c in t.comparisons if c.measure == "HR"]
    assert len({c.kind for _, c in ratios}) >= 3
    indents = {}
    for trial, c in ratios:
        group, label = group_of(trial.name, fmt.comparison_value(c))
        assert group == c.kind, c.id
        assert label.text.startswith(trial.name)
        indents[c.subgroup is not None] = float(label.get("x"))
    subgroup_ratios = [
        (f, m)
        for mech in evidence.resistance
        for f in mech.findings
        for m in f.measurements
        if m.unit == "ratio" and m.value is not None
    ]
    assert subgroup_ratios
    for f, m in subgroup_ratios:
        group, label = group_of(study_name(evidence, f.study), fmt.measurement_value(m))
        assert group == m.kind
        indents[True] = float(label.get("x"))
    assert indents[True] > indents[False], "subgroup rows are indented"


def test_the_palette_gives_each_arm_role_its_own_colour_in_every_theme(evidence):
    roles = {a.role for t in evidence.trials for a in t.arms}
    assert roles <= set(ROLE_LABELS)
    for theme in THEMES.values():
        assert set(theme.roles) == set(ROLE_LABELS), theme.name
        colours = [c.lower() for c in theme.roles.values()]
        assert len(set(colours)) == len(colours), f"{theme.name}: two roles share a colour"
        assert theme.background.lower() not in colours
