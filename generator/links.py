"""Where each record is shown on the site: the contract between pages, quizzes and exports.

Pages put an HTML id equal to `anchor` on the element that shows the record; quiz
explanations and the PDF link to `page#anchor`. Paths are relative to the generated
folder of the docs_dir (site_src/generated/), except HOME.
"""

from __future__ import annotations

from .model import Evidence

GENERATED = "generated"
HOME = "index.md"  # written to site_src/index.md: the site root needs an index page
MECHANISM = "mechanism.md"
TIMELINE = "timeline.md"
COMPARISON = "comparison.md"
TOXICITY = "toxicity.md"
RESISTANCE = "resistance.md"
ONGOING = "ongoing.md"
GLOSSARY = "glossary.md"
SOURCES = "sources.md"
BACKGROUND = "background.md"
DOWNLOADS = "downloads.md"
QUIZZES = "quizzes"


def trial_page(trial_id: str, ev: Evidence) -> str:
    """Completed trials get a page each; ongoing trials share the ongoing-trials page."""
    trial = ev.trial(trial_id)
    return f"trials/{trial.id}.md" if trial.status == "completed" else ONGOING


def anchor(name: str) -> str:
    """HTML id for a record's global name (`trial-a/pfs-drug` -> `trial-a--pfs-drug`)."""
    return name.replace("/", "--").lower()


def record_kind(name: str, ev: Evidence) -> str:
    """What kind of record a global name (as `validate.entity_index` gives it) names: the
    one classification both where a record is shown (`locate`) and what a reader calls it
    (`pages.views.record_label`) go by. KeyError for a name no record has."""
    head, _, _ = name.partition("/")
    if head == "glossary":
        return "glossary"
    if name == ev.drug.id:
        return "drug"
    if head in ev.trials_by_id:
        return "trial"
    kinds = (
        ("mechanism", ev.mechanism),
        ("resistance", ev.resistance),
        ("finding", [f for r in ev.resistance for f in r.findings]),
        ("study", ev.studies),
        ("background", ev.background),
        ("outside", ev.outside),
        ("discrepancy", ev.discrepancies),
    )
    for kind, records in kinds:
        if any(r.id == name for r in records):
            return kind
    raise KeyError(f"no page shows {name!r}")


# The page that shows each kind of record; a trial's records are on its own page, and a
# fact from after the review on its trial's page (or the home page).
KIND_PAGES = {
    "glossary": GLOSSARY,
    "drug": MECHANISM,
    "mechanism": MECHANISM,
    "resistance": RESISTANCE,
    "finding": RESISTANCE,
    "study": RESISTANCE,
    "background": BACKGROUND,
    "discrepancy": SOURCES,
}


def locate(name: str, ev: Evidence) -> tuple[str, str]:
    """(page, anchor) of a record by the global name that `validate.entity_index` gives."""
    kind = record_kind(name, ev)
    if kind == "trial":
        return trial_page(name.partition("/")[0], ev), anchor(name)
    if kind == "outside":
        fact = next(o for o in ev.outside if o.id == name)
        return (trial_page(fact.trial, ev) if fact.trial else HOME), anchor(name)
    return KIND_PAGES[kind], anchor(name)


def docs_path(page: str) -> str:
    """A page's path inside the docs_dir: generated pages live in GENERATED/, HOME at the root."""
    return page if page == HOME else f"{GENERATED}/{page}"


def href(from_page: str, to_page: str, anchor_id: str | None = None) -> str:
    """Relative Markdown link target from one page to another (both as `locate` gives them),
    so MkDocs can check it and it works from `file://` as well."""
    import posixpath

    source_dir = posixpath.dirname(docs_path(from_page))
    target = posixpath.relpath(docs_path(to_page), source_dir or ".")
    if to_page == from_page:
        target = ""
    return f"{target}#{anchor_id}" if anchor_id else target
