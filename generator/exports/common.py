"""What every export says about an item: letters, the key in words, where it comes from.

Pure functions of a QuizItem (and the Evidence model for the source); the PDF's answer
key and the Anki backs print the same words.
"""

from __future__ import annotations

import re
import string

from .. import fmt, links
from ..model import Evidence, SourceRef
from ..quiz.items import QuizItem
from ..validate import entity_index

LETTERS = string.ascii_uppercase


def letter(index: int) -> str:
    return LETTERS[index]


def ordinal(position: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th": positions of an ordering item."""
    if 10 <= position % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def plain_number(value: int | float) -> str:
    """A number as importers parse it: no thousands separators, no trailing noise."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def answer_text(item: QuizItem) -> str:
    """The key in words, with the letters and numbers the printed question uses."""
    if item.type in ("single", "true-false"):
        prefix = f"{letter(item.key)}. " if item.type == "single" else ""
        return prefix + item.options[item.key]
    if item.type == "numeric":
        tolerance = fmt.number(item.tolerance) if item.tolerance else None
        shown = item.unit_text(item.key)
        return f"{shown} (accepted within ±{tolerance})" if tolerance else shown
    if item.type == "matching":
        return "; ".join(
            f"{i + 1} → {letter(k)} ({item.options[k]})" for i, k in enumerate(item.key)
        )
    letters = ", ".join(letter(k) for k in item.key)
    return f"{letters}: " + "; ".join(item.options[k] for k in item.key)


def ordering_pairs(item: QuizItem) -> list[tuple[str, str]]:
    """An ordering item as matching: each option to its position."""
    position = {option: rank for rank, option in enumerate(item.key, start=1)}
    return [(text, ordinal(position[i])) for i, text in enumerate(item.options)]


def matching_pairs(item: QuizItem) -> list[tuple[str, str]]:
    return [(prompt, item.options[k]) for prompt, k in zip(item.prompts, item.key, strict=True)]


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


def sources(ev: Evidence, item: QuizItem) -> list[str]:
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
