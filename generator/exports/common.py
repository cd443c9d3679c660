"""Where an item's key comes from, as the exports and the print edition cite it.

Pure functions of a QuizItem and the Evidence model. How an item's key and options read
(letters, the key in words, each option's reason) is `quiz/wording.py`, shared with the
site's quiz pages.
"""

from __future__ import annotations

import re

from .. import links
from ..model import Evidence, SourceRef
from ..quiz.items import Flashcard, QuizItem
from ..validate import entity_index


def page_url(link: str) -> tuple[str, str]:
    """An item's `page.md#anchor` (under the generated folder) as the built site's
    `(page.html, anchor)`."""
    page, _, anchor = link.partition("#")
    built = re.sub(r"\.md$", ".html", links.docs_path(page))
    return built, anchor


def record(ev: Evidence, name: str):
    """The model record behind a global name (as `validate.entity_index` names it)."""
    obj = ev
    for step in entity_index(ev)[name]:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return obj


def source_of(ev: Evidence, name: str) -> SourceRef | None:
    """The record's own source, else its trial's (arms and subgroups carry none)."""
    found = getattr(record(ev, name), "source", None)
    if found is None and "/" in name:
        found = getattr(record(ev, name.split("/")[0]), "source", None)
    return found


def source_text(ev: Evidence, ref: SourceRef) -> str:
    if ref.outside is not None:
        return f"Not from the review: {ref.outside.citation} ({ref.outside.certainty})"
    cited = f", its reference {ref.ref}" if ref.ref else ""
    return f"The review, section “{ref.section}”{cited}"


def sources(ev: Evidence, item: QuizItem | Flashcard) -> list[str]:
    """Distinct source lines of the records behind the key, in evidence order; never empty."""
    lines: list[str] = []
    for evidence in item.evidence:
        try:
            ref = source_of(ev, evidence.record)
        except KeyError:
            ref = None
        if ref is not None and (line := source_text(ev, ref)) not in lines:
            lines.append(line)
    # Records without a source of their own (glossary terms) come from the review as a whole.
    return lines or [f"The review: {ev.source.title}"]
