"""The figures of the site, assembled from the evidence and drawn by `generator/figures.py`
(one drawing per palette). Pure."""

from __future__ import annotations

from collections import defaultdict

from .. import figures, fmt, links
from ..model import (
    Comparison,
    Evidence,
    Measurement,
    Trial,
)
from .site import FIGURES, Site, themed
from .views import (
    GRADE3_PLUS,
    development_order,
    finding_ratios,
    hazard_ratios,
    pathways,
    phase_label,
    steps,
    study_name,
)


def grade3_pairs(ev: Evidence) -> list[figures.Pair]:
    """Grade >=3 rates of the drug against each control, where the review gives both."""
    pairs = []
    for trial in sorted(ev.trials, key=development_order):
        arms = {a.id: a for a in trial.arms}
        rated = [
            ae for ae in trial.adverse_events if ae.grade in GRADE3_PLUS and ae.rate is not None
        ]
        for ae in rated:
            arm = arms.get(ae.arm or "")
            if not arm or arm.role != "experimental":
                continue
            for other in rated:
                other_arm = arms.get(other.arm or "")
                if (
                    other_arm
                    and other_arm.role == "control"
                    and (other.term, other.grade) == (ae.term, ae.grade)
                ):
                    pairs.append(
                        figures.Pair(
                            group=f"{trial.name}: {ae.term}, {fmt.grade(ae.grade)}",
                            first=(arm.label, ae.rate),
                            second=(other_arm.label, other.rate),
                            unit="%",
                        )
                    )
    return pairs


def measurement_panels(ev: Evidence, findings) -> list[figures.Panel]:
    """Bars of outcome by subgroup: one panel per finding and outcome with two or more groups."""
    panels = []
    for finding in findings:
        by_kind: dict[tuple[str, str], list[Measurement]] = defaultdict(list)
        for m in finding.measurements:
            # Hazard ratios go to the forest plot: a bar from zero would misread them.
            if m.group and m.kind and m.kind != "other" and m.unit != "ratio":
                by_kind[(m.kind, m.unit)].append(m)
        for (kind, unit), ms in by_kind.items():
            if len({m.group for m in ms}) < 2:
                continue
            study = study_name(ev, finding.study)
            site = Site(ev, links.RESISTANCE, frozenset())
            bars = [
                figures.Bar(
                    label=" · ".join(
                        x for x in (m.group, site.measurement_arm(finding.study, m.arm)) if x
                    ),
                    value=m.value if m.reached else None,
                    text=fmt.measurement_value(m),
                    role=measurement_role(ev, finding.study, m.arm),
                )
                for m in ms
            ]
            panels.append(figures.Panel(title=f"{study}: {kind}", unit=unit, bars=bars))
    return panels


def measurement_role(ev: Evidence, study: str, arm: str | None) -> str:
    """The role a finding's arm plays, which picks its colour in charts: the trial arm's
    own role; "other" for a named arm of a study outside the pack's trials; "pooled"
    where the source names no arm."""
    if arm is None:
        return "pooled"
    trial = ev.trials_by_id.get(study)
    if trial is None:
        return "other"
    return next((a.role for a in trial.arms if a.id == arm), "other")


# --- figures -------------------------------------------------------------------------

# Outcomes that lead the forest plot; the others follow in the order they first appear.
FOREST_FIRST = ("PFS", "OS")


def site_figures(ev: Evidence) -> dict[str, str]:
    """Every SVG figure in every theme, keyed by its path inside the docs_dir."""
    out = {}
    for theme in figures.THEMES.values():
        for name, svg in _figures(ev, theme).items():
            out[f"{links.GENERATED}/{FIGURES}/{themed(name, theme)}"] = svg
    return out


def _figures(ev: Evidence, theme: figures.Theme) -> dict[str, str]:
    drug = ev.drug.abbreviation
    out = {}
    shown = pathways(ev)
    main = next((p for p in shown if not p.adverse), None)
    lanes = [
        figures.Lane(p.label, [s.title for s in steps(ev, p.id)], emphasis=p is main) for p in shown
    ]
    out["mechanism.svg"] = figures.mechanism(
        f"How {drug} works",
        "; ".join(f"{lane.title}: " + ", then ".join(lane.steps) for lane in lanes),
        lanes,
        theme,
    )
    # Bands by setting in the model's order of settings; rows by development order.
    # The review dates no trial: the figure is named for what it shows, phase and order.
    settings = ev.vocabulary.settings
    ordered = sorted(
        ev.trials, key=lambda t: (list(settings).index(t.setting), development_order(t))
    )
    out["timeline.svg"] = figures.timeline(
        f"Trials of {drug} by setting and phase, in order of development (not a time axis)",
        "; ".join(
            f"{t.name}: {phase_label(t.phase)}, {settings[t.setting].lower()}, {t.status}"
            for t in ordered
        ),
        [
            figures.TimelineRow(
                name=t.name,
                phase=t.phase,
                setting=settings[t.setting],
                completed=t.status == "completed",
                n_text=f"n={fmt.count(t.n)}",
            )
            for t in ordered
        ],
        theme,
    )
    rows = forest_rows(ev)
    if rows:
        out["forest.svg"] = figures.forest_plot(
            "Every hazard ratio with its 95% confidence interval, by outcome",
            "; ".join(f"{r.group}, {r.label}: HR {r.text}" for r in rows),
            rows,
            experimental=drug,
            theme=theme,
        )
    pairs = grade3_pairs(ev)
    if pairs:
        out["grade3.svg"] = figures.bar_chart(
            f"Grade 3 or worse adverse events: {drug} against control",
            "; ".join(
                f"{p.group}: {p.first[0]} {fmt.percent(p.first[1])}, "
                f"{p.second[0]} {fmt.percent(p.second[1])}"
                for p in pairs
            ),
            figures.pairs_as_panels(pairs),
            theme,
        )
    for mech in ev.resistance:
        panels = measurement_panels(ev, mech.findings)
        if panels:
            out[f"resistance-{mech.id}.svg"] = figures.bar_chart(
                f"{mech.name}: outcome by subgroup",
                "; ".join(
                    f"{p.title}: " + ", ".join(f"{b.label} {b.text}" for b in p.bars)
                    for p in panels
                ),
                panels,
                theme,
            )
    return out


def forest_rows(ev: Evidence) -> list[figures.ForestRow]:
    """Every hazard ratio, grouped by outcome (PFS and OS first); in each group the whole
    populations first, then the subgroups (trial subgroups, then biomarker analyses)."""
    rows = [_forest_row(t, c) for t, c in hazard_ratios(ev)]
    rows += [
        figures.ForestRow(
            label=f"{r.study}: {r.subgroup}",
            estimate=r.measurement.value,
            low=r.measurement.ci.low if r.measurement.ci else None,
            high=r.measurement.ci.upper if r.measurement.ci else None,
            text=fmt.measurement_value(r.measurement),
            group=r.measurement.kind or "HR",
            subgroup=True,
        )
        for r in finding_ratios(ev)
    ]
    groups = list(dict.fromkeys([*(k for k in FOREST_FIRST), *(r.group for r in rows)]))
    # sorted() is stable: within a group and a level, rows keep development order.
    return sorted(rows, key=lambda r: (groups.index(r.group), r.subgroup))


def _forest_row(trial: Trial, c: Comparison) -> figures.ForestRow:
    label = trial.name  # the outcome heads its group; the long label is in the table
    if c.subgroup:
        label += f": {next(s.label for s in trial.subgroups if s.id == c.subgroup)}"
    text = fmt.comparison_value(c) + (f", P {fmt.p_value(c.p)}" if c.p else "")
    return figures.ForestRow(
        label=label,
        estimate=c.estimate,
        low=c.ci.low if c.ci else None,
        high=c.ci.upper if c.ci else None,
        text=text,
        group=c.kind,
        subgroup=c.subgroup is not None,
    )
