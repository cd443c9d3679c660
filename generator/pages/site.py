"""What templates ask of the evidence while rendering one page (`Site`: links, anchors,
labels), and the trial headline."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import figures, fmt, links
from ..model import (
    Comparison,
    Endpoint,
    Evidence,
    OutsideFact,
    SourceRef,
    Trial,
)
from ..render import attr_escape, md_escape
from .views import (
    GradeTable,
    OutcomeTable,
    adverse_event_table,
    outcome_table,
    phase_label,
    record_label,
    study_name,
)

HEADLINE_KINDS = ("PFS", "OS", "ORR", "pCR", "MTD")
FIGURES = "figures"


def themed(path: str, theme: figures.Theme) -> str:
    """The file of a figure drawn in `theme`: "x.svg" (light) or "x-dark.svg"."""
    return path if theme is figures.LIGHT else f"{path.removesuffix('.svg')}-{theme.name}.svg"


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
        return study_name(self.ev, study)

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
