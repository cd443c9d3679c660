"""The site's pages, rendered from the evidence model (pure: model in, text out).

One module per job: `views.py` selects and orders what pages show (tables, labels,
citations), `site.py` is what a template asks while rendering one page (links, anchors,
labels), `charts.py` assembles the figures that `generator/figures.py` draws, and this
module renders the templates: `site_pages(ev)` returns {docs-relative path: Markdown},
`site_figures(ev)` {path: SVG}.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import fmt, links
from ..downloads import download_links
from ..model import Evidence
from ..render import markdown_environment, shields
from .charts import grade3_pairs, measurement_panels, site_figures
from .site import FIGURES, Site
from .views import (
    ABBREVIATIONS,
    abbreviations,
    adverse_event_profile,
    adverse_event_tables,
    citations,
    completed_trials,
    cross_trial_rows,
    finding_ratios,
    hazard_ratios,
    ongoing_by_setting,
    pathways,
    steps,
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


# The page layer's public names: the build, the nav, the tests and the bench use these.
__all__ = [
    "FIGURES",
    "Site",
    "abbreviations",
    "completed_trials",
    "site_figures",
    "site_pages",
]
