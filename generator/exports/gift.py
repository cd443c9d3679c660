"""Moodle GIFT: one question per block, GIFT's control characters escaped, every
question marked as plain text (`[plain]`).

Ordering items go out as matching (each option to its position), since GIFT has no
ordering type. The explanation is the general feedback (`####`).
"""

from __future__ import annotations

import re

from ..quiz.items import QuizItem
from .common import matching_pairs, ordering_pairs, plain_number

SPECIAL = re.compile(r"([\\~=#{}:])")
# Moodle reads a leading [html], [moodle], [markdown] or [plain] as the format of the text
# after it; the question text's format is the default for its answers and feedback.
PLAIN = "[plain]"
FORMAT_MARK = re.compile(r"^\[\w*\]")


def escape(text: str) -> str:
    """Backslash first, then GIFT's `~ = # { } :`; newlines would end the question."""
    return SPECIAL.sub(r"\\\1", " ".join(text.split()))


def formatted(text: str) -> str:
    """`escape` for a part Moodle reads a format marker from (answers, feedback): text
    that would start with one ("[html]...") gets `[plain]` before it, so it shows as typed."""
    text = escape(text)
    return PLAIN + text if FORMAT_MARK.match(text) else text


def _answers(item: QuizItem) -> str:
    if item.type == "single":
        return " ".join(
            ("=" if i == item.key else "~") + formatted(text) for i, text in enumerate(item.options)
        )
    if item.type == "true-false":
        return "TRUE" if item.options[item.key] == "True" else "FALSE"
    if item.type == "numeric":
        return f"#{plain_number(item.key)}:{plain_number(item.tolerance or 0)}"
    if item.type == "matching":
        # Options no prompt takes go out as Moodle's distractors: an empty left side.
        used = set(item.key)
        spare = [("", text) for i, text in enumerate(item.options) if i not in used]
        pairs = matching_pairs(item) + spare
    else:
        pairs = ordering_pairs(item)
    # Moodle reads no format marker on the right of "->": that side is always plain text.
    return " ".join(f"={formatted(left)} -> {escape(right)}" for left, right in pairs)


def _stem(item: QuizItem) -> str:
    stem = item.stem
    if item.type == "numeric" and item.unit:
        stem += f" (answer in {item.unit})"
    if item.type == "ordering":
        stem += " Give each its position, first to last."
    # Every question says its format: plain text, which Moodle escapes when it shows it,
    # so content text never becomes HTML in the learning system (and the answers and
    # feedback, which take the question's format, are plain too).
    return PLAIN + escape(stem)


def question(item: QuizItem) -> str:
    title = escape(item.id)
    feedback = formatted(item.explanation)
    return (
        f"// {item.type}; objective: {' '.join(item.objective.split())}\n"
        f"::{title}::{_stem(item)} {{{_answers(item)} ####{feedback}}}\n"
    )


def gift(items: list[QuizItem], category: str) -> str:
    """The bank as GIFT text, one Moodle category per topic under `category`."""
    blocks = []
    topic = None
    for item in items:
        if item.topic != topic:
            topic = item.topic
            blocks.append(f"$CATEGORY: $course$/{category}/{topic}\n")
        blocks.append(question(item))
    return "\n".join(blocks)
