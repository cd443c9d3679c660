"""The site's pages as Markdown, rendered from the evidence model (pure: model in, text out).

`site_pages(ev)` returns {docs-relative path: Markdown}; figures come from `figures.py`.
Templates lay out; this module only selects and orders records and builds links.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from . import figures, fmt, links
from .downloads import download_links
from .model import (
    AdverseEvent,
    Arm,
    Comparison,
    Endpoint,
    Evidence,
    Measurement,
    MechanismStep,
    OutsideFact,
    SourceRef,
    Trial,
)
from .render import abbreviation, attr_escape, markdown_environment, md_escape, shields
from .validate import walk_sources

# How the model's enum values read on a page (vocabulary, not evidence). Settings,
# pathways and component roles are the pack's words: their labels and order come from
# its vocabulary, which the evidence carries (`Evidence.vocabulary`).
PHASES = {"preclinical": "preclinical"}
HEADLINE_KINDS = ("PFS", "OS", "ORR", "pCR", "MTD")
GRADE3_PLUS = {"3", "4", "5", "3-4", "3+"}
ABBREVIATIONS = "abbreviations.md"  # under generated/, appended to every page by snippets


def phase_label(phase: str) -> str:
    return PHASES.get(phase, f"phase {phase}")


@dataclass(frozen=True)
class Site:
    """What templates ask of the evidence while rendering one page."""

    ev: Evidence
    page: str
    pages: frozenset[str]

    # --- links and anchors -----------------------------------------------------------
    def href(self, name: str) -> str:
        page, anchor = links.locate(name, self.ev)
        return links.href(self.page, page, anchor)

    def link(self, name: str, text: str) -> Markup:
        return Markup(f"[{md_escape(text)}]({self.href(name)})")

    def page_link(self, to_page: str, text: str, anchor: str | None = None) -> Markup:
        return Markup(f"[{md_escape(text)}]({links.href(self.page, to_page, anchor)})")

    def has_page(self, page: str) -> bool:
        return page in self.pages

    def heading_id(self, name: str) -> Markup:
        """attr_list suffix for a heading that shows record `name`."""
        return Markup(f" {{#{links.anchor(name)}}}")

    def span(self, name: str) -> Markup:
        """An empty anchor placed first in a table cell or list item that shows `name`."""
        return Markup(f'<span id="{attr_escape(links.anchor(name))}"></span>')

    def figure(self, path: str, alt: str) -> Markup:
        """The figure drawn for each palette, each a link to its SVG (which opens full
        size, as a phone needs). site.css shows the drawing of Material's palette; the
        print edition drops the dark one (.no-print)."""
        shown = []
        for theme in figures.THEMES.values():
            target = links.href(self.page, themed(path, theme))
            marks = f".figure-open .figure-{theme.name}"
            if theme is not figures.LIGHT:
                marks += " .no-print"
            shown.append(
                f"[![{md_escape(alt)}]({target}){{ loading=lazy }}]({target})"
                f'{{ {marks} title="Open the figure full size" }}'
            )
        return Markup("\n".join(shown))

    def outbound(self, url: str, text: str) -> Markup:
        # rel=noopener: the only links that leave the site, opened by the reader's choice.
        return Markup(f'[{md_escape(text)}]({url}){{: rel="noopener noreferrer" target="_blank" }}')

    def nct(self, trial: Trial) -> Markup:
        if not trial.nct:
            return Markup("not given")
        shown = self.outbound(f"https://clinicaltrials.gov/study/{trial.nct}", trial.nct)
        origin = trial.nct_source
        if origin and origin.outside:
            label = "probable" if origin.outside.certainty == "probable" else "not from the review"
            return Markup(f"{shown} (**{label}**: {md_escape(origin.outside.citation)})")
        return shown

    def source(self, src: SourceRef) -> Markup:
        if src.outside:
            certainty = " (probable)" if src.outside.certainty == "probable" else ""
            return Markup(f"not from the review{certainty}: {md_escape(src.outside.citation)}")
        text = f"review, {md_escape(src.section)}"
        if src.ref is not None:
            ref = self.page_link(links.SOURCES, f"ref {src.ref}", f"ref-{src.ref}")
            text += f", {ref}"
        return Markup(text)

    # --- lookups ----------------------------------------------------------------------
    def trial(self, trial_id: str) -> Trial:
        return self.ev.trial(trial_id)

    def arm_label(self, trial: Trial, arm_id: str | None) -> str:
        if arm_id is None:
            return "all patients"
        return next((a.label for a in trial.arms if a.id == arm_id), arm_id)

    def subgroup_label(self, trial: Trial, subgroup_id: str | None) -> str:
        if subgroup_id is None:
            return "all"
        return next(s.label for s in trial.subgroups if s.id == subgroup_id)

    def measurement_arm(self, study: str, arm: str | None) -> str:
        """A finding's arm is a trial arm id when the study is one of our trials."""
        if arm is None:
            return ""
        if study in self.ev.trials_by_id:
            return self.arm_label(self.ev.trial(study), arm)
        return arm

    def study_name(self, study: str) -> str:
        return _study_name(self.ev, study)

    def study_link(self, study: str) -> Markup:
        trial = self.ev.trials_by_id.get(study)
        if trial:
            return self.link(trial.id, trial.name)
        named = next(s for s in self.ev.studies if s.id == study)
        return self.link(named.id, named.name)

    def outside_for(self, trial_id: str | None) -> list[OutsideFact]:
        return [o for o in self.ev.outside if o.trial == trial_id]

    def discrepancies_about(self, *names: str) -> list:
        wanted = set(names)
        return [
            d
            for d in self.ev.discrepancies
            if wanted & set(d.subjects) or any(s.split("/")[0] in wanted for s in d.subjects)
        ]

    def record_label(self, name: str) -> str:
        """What a reader calls the record with global name `name` (never the name itself,
        which is an internal id): `trial-a/pfs-hr` -> "TRIAL-A: PFS hazard ratio"."""
        return record_label(self.ev, name)

    def setting_label(self, setting: str) -> str:
        return self.ev.vocabulary.settings[setting]

    def role_label(self, role: str) -> str:
        return self.ev.vocabulary.component_roles[role]

    def phase_label(self, phase: str) -> str:
        return phase_label(phase)

    def outcome_label(self, record: Endpoint | Comparison) -> str:
        return f"{record.kind}: {record.label}" if record.label else record.kind

    def comparator(self, trial: Trial) -> str:
        controls = [a.label for a in trial.arms if a.role == "control"]
        return "; ".join(controls) if controls else "none (no control group)"

    def outcome_table(self, trial: Trial) -> OutcomeTable:
        return outcome_table(trial)

    def adverse_event_table(self, trial: Trial) -> GradeTable:
        return adverse_event_table(trial)

    def headline(self, trial: Trial) -> list[str]:
        return headline(trial, self)

    def design_facts(self, trial: Trial) -> list[str]:
        d = trial.design
        facts = ["randomised" if d.randomised else "not randomised"]
        if not d.randomisation_stated:
            facts[0] += " (implied; the review does not state it)"
        if d.open_label is not None:
            facts.append("open-label" if d.open_label else "blinded")
        if d.multicentre:
            facts.append("multicentre")
        if d.ratio:
            facts.append(f"allocation ratio {d.ratio}")
        return facts


def headline(trial: Trial, site: Site) -> list[str]:
    """The trial's main results in one line each: primary endpoints first, whole population."""
    overall = [e for e in trial.endpoints if e.subgroup is None]
    chosen = [e for e in overall if e.primary] or [e for e in overall if e.kind in HEADLINE_KINDS]
    kinds = list(dict.fromkeys(e.kind for e in chosen))
    lines = []
    for kind in kinds:
        values = [
            f"{site.arm_label(trial, e.arm)} {fmt.endpoint_value(e)}"
            for e in chosen
            if e.kind == kind and e.label is None
        ]
        if not values:
            continue
        line = f"{kind}: " + " vs ".join(values)
        hr = next(
            (
                c
                for c in trial.comparisons
                if c.kind == kind and c.measure == "HR" and c.subgroup is None and c.label is None
            ),
            None,
        )
        if hr:
            line += f"; HR {fmt.comparison_value(hr)}"
        lines.append(line)
    return lines


# --- page-specific selections ------------------------------------------------------------


def record_label(ev: Evidence, name: str) -> str:
    head, _, child = name.partition("/")
    if head == "glossary":
        return child
    if name == ev.drug.id:
        return ev.drug.abbreviation
    trial = ev.trials_by_id.get(head)
    if trial is not None:
        if not child:
            return trial.name
        for arm in trial.arms:
            if arm.id == child:
                return f"{trial.name}: {arm.label} arm"
        for sg in trial.subgroups:
            if sg.id == child:
                return f"{trial.name}: {sg.label}"
        arms = {a.id: a.label for a in trial.arms}
        groups = {g.id: g.label for g in trial.subgroups}
        for ep in trial.endpoints:
            if ep.id == child:
                parts = [ep.kind, arms.get(ep.arm or "", ""), groups.get(ep.subgroup or "", "")]
                return f"{trial.name}: " + ", ".join(p for p in parts if p)
        for c in trial.comparisons:
            if c.id == child:
                parts = [f"{c.kind} comparison", groups.get(c.subgroup or "", "")]
                return f"{trial.name}: " + ", ".join(p for p in parts if p)
        for ae in trial.adverse_events:
            if ae.id == child:
                return f"{trial.name}: {ae.term}, {fmt.grade(ae.grade)}, {arms.get(ae.arm, '')}"
    named = [
        *((s.id, s.title) for s in ev.mechanism),
        *((s.id, s.name) for s in ev.studies),
        *((r.id, r.name) for r in ev.resistance),
        *((f.id, f"{_study_name(ev, f.study)} finding") for r in ev.resistance for f in r.findings),
        *((b.id, b.title) for b in ev.background),
        *((o.id, "after the review") for o in ev.outside),
    ]
    return next((label for rid, label in named if rid == name), name)


def completed_trials(ev: Evidence) -> list[Trial]:
    return sorted((t for t in ev.trials if t.status == "completed"), key=_order)


def ongoing_by_setting(ev: Evidence) -> list[tuple[str, list[Trial]]]:
    groups: dict[str, list[Trial]] = defaultdict(list)
    for trial in sorted((t for t in ev.trials if t.status == "ongoing"), key=_order):
        groups[trial.setting].append(trial)
    return [(s, groups[s]) for s in ev.vocabulary.settings if s in groups]


def _order(trial: Trial) -> tuple[int, str]:
    return trial.development_order, trial.id


def steps(ev: Evidence, pathway: str) -> list[MechanismStep]:
    return sorted((s for s in ev.mechanism if s.pathway == pathway), key=lambda s: s.order)


@dataclass(frozen=True)
class Pathway:
    """A pathway of the vocabulary that has steps, as the mechanism page shows it."""

    id: str
    label: str
    anchor: str  # its section's id where a page links to it ("why-platelets-fall")
    adverse: bool  # a route to an adverse event, not to the drug's effect


def pathways(ev: Evidence) -> list[Pathway]:
    """The pathways with steps, in the vocabulary's order. The first that is not adverse
    is the drug's main route: its lane is drawn emphasised."""
    vocabulary = ev.vocabulary
    return [
        Pathway(key, label, _slug(label) or key, key in vocabulary.adverse_pathways)
        for key, label in vocabulary.pathways.items()
        if steps(ev, key)
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class CrossTrialRow:
    trial: Trial
    cells: dict[str, list[str]]


def cross_trial_rows(ev: Evidence, site: Site) -> list[CrossTrialRow]:
    """ORR / PFS / OS of each completed trial per arm, with the HR."""
    rows = []
    for trial in completed_trials(ev):
        cells: dict[str, list[str]] = {}
        for kind in ("ORR", "PFS", "OS"):
            chosen = [e for e in trial.endpoints if e.kind == kind]
            # The whole population where the review gives it, else what it gives, named.
            overall = [e for e in chosen if e.subgroup is None and e.label is None]
            values = [
                f"{site.arm_label(trial, e.arm)}{_qualifier(trial, e, site)}: "
                f"{fmt.endpoint_value(e)}"
                for e in (overall or chosen)
            ]
            values += [
                f"HR {fmt.comparison_value(c)}" + (f", P {fmt.p_value(c.p)}" if c.p else "")
                for c in trial.comparisons
                if c.kind == kind and c.measure == "HR" and c.subgroup is None
            ]
            cells[kind] = values
        if any(cells.values()):
            rows.append(CrossTrialRow(trial, cells))
    return rows


def _qualifier(trial: Trial, ep: Endpoint, site: Site) -> str:
    named = [site.subgroup_label(trial, ep.subgroup)] if ep.subgroup else []
    named += [ep.label] if ep.label else []
    return f" ({'; '.join(named)})" if named else ""


def hazard_ratios(ev: Evidence) -> list[tuple[Trial, Comparison]]:
    return [
        (t, c)
        for t in sorted(ev.trials, key=_order)
        for c in t.comparisons
        if c.measure == "HR" and c.estimate is not None
    ]


@dataclass(frozen=True)
class FindingRatio:
    finding_id: str
    study: str  # display name
    label: str  # "PFS (biomarker expression level: high)"
    measurement: Measurement
    subgroup: str  # "biomarker expression level: high"


def finding_ratios(ev: Evidence) -> list[FindingRatio]:
    """Hazard ratios the review reports inside resistance findings (subgroup analyses)."""
    return [
        FindingRatio(
            finding_id=f.id,
            study=_study_name(ev, f.study),
            label=f"{m.kind or 'HR'} ({mech.name}: {m.group})" if m.group else m.kind or m.label,
            measurement=m,
            subgroup=f"{mech.name}: {m.group}" if m.group else m.label,
        )
        for mech in ev.resistance
        for f in mech.findings
        for m in f.measurements
        if m.unit == "ratio" and m.value is not None
    ]


# Arms as columns: the treatment under test first, its comparator after it.
ROLE_ORDER = ("experimental", "single", "cohort", "control")


def arm_columns(trial: Trial, used: set[str | None]) -> list[Arm]:
    """The trial's arms that hold a value, in ROLE_ORDER, then "All patients" for values
    the review gives for the whole trial (arm None, column id "all")."""
    arms = sorted((a for a in trial.arms if a.id in used), key=lambda a: ROLE_ORDER.index(a.role))
    if None in used:
        arms.append(Arm(id="all", label="All patients", role="single"))
    return arms


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome of one population: each arm's value side by side, then the effect."""

    kind: str
    label: str | None
    subgroup: str | None
    primary: bool
    cells: dict[str, list[Endpoint]]  # column (arm id, or "all") -> values
    comparisons: list[Comparison]


@dataclass(frozen=True)
class OutcomeTable:
    arms: list[Arm]
    rows: list[OutcomeRow]
    effects: bool  # any row has a between-arm comparison


def outcome_table(trial: Trial) -> OutcomeTable:
    """A trial's endpoints and comparisons as one row per outcome, arms side by side.
    A comparison joins the row of its outcome, label and population; failing that, the
    only row of its outcome and population (the review may word the label differently)."""
    rows: dict[tuple, OutcomeRow] = {}
    for ep in trial.endpoints:
        key = (ep.kind, ep.label, ep.subgroup)
        if key not in rows:
            rows[key] = OutcomeRow(ep.kind, ep.label, ep.subgroup, False, defaultdict(list), [])
        row = rows[key]
        if ep.primary and not row.primary:
            rows[key] = row = OutcomeRow(*key, True, row.cells, row.comparisons)
        row.cells[ep.arm or "all"].append(ep)
    for c in trial.comparisons:
        key = (c.kind, c.label, c.subgroup)
        if key not in rows:
            same = [k for k in rows if (k[0], k[2]) == (c.kind, c.subgroup)]
            if len(same) == 1:
                key = same[0]
            else:
                rows[key] = OutcomeRow(c.kind, c.label, c.subgroup, False, {}, [])
        rows[key].comparisons.append(c)
    arms = arm_columns(trial, {ep.arm for ep in trial.endpoints})
    return OutcomeTable(arms, list(rows.values()), bool(trial.comparisons))


@dataclass(frozen=True)
class GradeTable:
    trial: Trial
    arms: list[Arm]
    rows: list[tuple[str, str, dict[str, AdverseEvent]]]  # (term, grade, arm id -> event)


def adverse_event_table(trial: Trial) -> GradeTable:
    """A trial's adverse events, one row per event and grade, arms side by side."""
    rows: dict[tuple[str, str], dict[str, AdverseEvent]] = {}
    for ae in trial.adverse_events:
        rows.setdefault((ae.term, ae.grade), {})[ae.arm or "all"] = ae
    arms = arm_columns(trial, {ae.arm for ae in trial.adverse_events})
    return GradeTable(trial, arms, [(t, g, c) for (t, g), c in rows.items()])


def adverse_event_tables(ev: Evidence) -> list[GradeTable]:
    return [adverse_event_table(t) for t in sorted(ev.trials, key=_order) if t.adverse_events]


@dataclass(frozen=True)
class ProfileEntry:
    where: str  # the trial, and the arm where several arms received the drug
    grade: str
    value: str


def adverse_event_profile(ev: Evidence) -> list[tuple[str, list[ProfileEntry]]]:
    """Adverse events reported with the drug in more than one trial, most widely reported first,
    each with one entry per trial arm and grade. Terms match when equal apart from case and
    a parenthesised qualifier, e.g. "thrombocytopenia (dose-limiting)"."""
    groups: dict[str, list[tuple[Trial, AdverseEvent]]] = defaultdict(list)
    for trial in sorted(ev.trials, key=_order):
        roles = {a.id: a.role for a in trial.arms}
        for ae in trial.adverse_events:
            if roles.get(ae.arm or "") != "control":
                groups[re.sub(r"\s*\(.*?\)", "", ae.term).strip().lower()].append((trial, ae))
    shared = [(term, rows) for term, rows in groups.items() if len({t.id for t, _ in rows}) > 1]
    shared.sort(key=lambda item: (-len({t.id for t, _ in item[1]}), item[0]))
    return [
        (
            term,
            [
                ProfileEntry(_arm_name(t, ae.arm), fmt.grade(ae.grade), fmt.adverse_event_value(ae))
                for t, ae in rows
            ],
        )
        for term, rows in shared
    ]


def _arm_name(trial: Trial, arm_id: str | None) -> str:
    """The trial's name, with the arm's label where several arms received the drug."""
    treated = [a for a in trial.arms if a.role != "control"]
    arm = next((a for a in treated if a.id == arm_id), None)
    return f"{trial.name}, {arm.label}" if arm and len(treated) > 1 else trial.name


def grade3_pairs(ev: Evidence) -> list[figures.Pair]:
    """Grade >=3 rates of the drug against each control, where the review gives both."""
    pairs = []
    for trial in sorted(ev.trials, key=_order):
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
            study = _study_name(ev, finding.study)
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


def _study_name(ev: Evidence, study: str) -> str:
    trial = ev.trials_by_id.get(study)
    if trial:
        return trial.name
    return next(s.name for s in ev.studies if s.id == study)


def abbreviations(ev: Evidence) -> str:
    """Markdown abbreviation definitions: tooltips for every glossary term on every page."""
    lines = []
    for term in sorted(ev.glossary, key=lambda g: g.abbr):
        line = abbreviation(term.abbr, term.expansion)  # None: no tooltip, no raw text
        if line:
            lines.append(line)
    return "\n" + "\n".join(lines) + "\n"


def citations(ev: Evidence) -> dict[int, int]:
    """How many facts cite each of the review's reference numbers."""
    counts: dict[int, int] = defaultdict(int)
    for _, src in walk_sources(ev):
        if src.ref is not None:
            counts[src.ref] += 1
    return dict(counts)


# --- figures -------------------------------------------------------------------------

FIGURES = "figures"
# Outcomes that lead the forest plot; the others follow in the order they first appear.
FOREST_FIRST = ("PFS", "OS")


def themed(path: str, theme: figures.Theme) -> str:
    """The file of a figure drawn in `theme`: "x.svg" (light) or "x-dark.svg"."""
    return path if theme is figures.LIGHT else f"{path.removesuffix('.svg')}-{theme.name}.svg"


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
    ordered = sorted(ev.trials, key=lambda t: (list(settings).index(t.setting), _order(t)))
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


# --- rendering ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    page: str  # as links.locate gives it (HOME, or relative to generated/)
    template: str
    context: dict


def page_specs(ev: Evidence) -> list[PageSpec]:
    specs = [
        PageSpec(links.HOME, "home.md.j2", {"downloads": download_links(links.HOME)}),
        PageSpec(links.MECHANISM, "mechanism.md.j2", {}),
        PageSpec(links.BACKGROUND, "background.md.j2", {}),
        PageSpec(links.TIMELINE, "timeline.md.j2", {}),
        PageSpec(links.COMPARISON, "comparison.md.j2", {}),
        PageSpec(links.TOXICITY, "toxicity.md.j2", {}),
        PageSpec(links.RESISTANCE, "resistance.md.j2", {}),
        PageSpec(links.ONGOING, "ongoing.md.j2", {}),
        PageSpec(links.GLOSSARY, "glossary.md.j2", {}),
        PageSpec(links.SOURCES, "sources.md.j2", {}),
        PageSpec(
            links.DOWNLOADS, "downloads.md.j2", {"downloads": download_links(links.DOWNLOADS)}
        ),
    ]
    specs += [
        PageSpec(links.trial_page(t.id, ev), "trial.md.j2", {"trial": t})
        for t in completed_trials(ev)
    ]
    return specs


def site_pages(ev: Evidence, extra_pages: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every page as Markdown, keyed by its path inside the docs_dir.

    `extra_pages` names pages rendered elsewhere (the quizzes), so links to them appear
    only when they exist.
    """
    env = markdown_environment(shields((g.abbr, g.not_in) for g in ev.glossary))
    specs = page_specs(ev)
    known = frozenset(s.page for s in specs) | extra_pages
    # Views over the whole evidence, computed once: per page they made rendering grow
    # with the square of the pack's size.
    shared = dict(
        ev=ev,
        fmt=fmt,
        links=links,
        pathways=pathways(ev),
        steps=lambda pathway: steps(ev, pathway),
        completed=completed_trials(ev),
        ongoing=ongoing_by_setting(ev),
        hazard_ratios=hazard_ratios(ev),
        finding_ratios=finding_ratios(ev),
        ae_tables=adverse_event_tables(ev),
        ae_profile=adverse_event_profile(ev),
        has_grade3_chart=bool(grade3_pairs(ev)),
        resistance_charts={
            m.id: f"{FIGURES}/resistance-{m.id}.svg"
            for m in ev.resistance
            if measurement_panels(ev, m.findings)
        },
        citing=citations(ev),
    )
    out = {}
    for spec in specs:
        site = Site(ev, spec.page, known)
        template = env.get_template(spec.template)
        out[links.docs_path(spec.page)] = template.render(
            site=site,
            # Its links are relative to the page, so only the page that shows it builds it.
            cross_trial=lambda site=site: cross_trial_rows(ev, site),
            **shared,
            **spec.context,
        )
    out[f"{links.GENERATED}/{ABBREVIATIONS}"] = abbreviations(ev)
    return out
