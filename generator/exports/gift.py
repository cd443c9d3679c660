"""Moodle GIFT: one question per block, GIFT's control characters escaped, every
question marked as plain text (`[plain]`).

Ordering items go out as matching (each option to its position), since GIFT has no
ordering type. Each option's reason is its answer's feedback (`#` after the answer; for
true/false, the wrong answer's then the right one's); the general feedback (`####`) holds
the explanation, the take-away, the objective and the level, and the reasons of the types
whose answers take no feedback (matching, ordering).
"""

from __future__ import annotations

import re

from ..quiz.items import QuizItem
from ..quiz.wording import (
    general_feedback,
    matching_pairs,
    option_reasons,
    ordering_pairs,
    plain_number,
)

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


def _feedback(reasons: dict[int, str], index: int) -> str:
    return f"#{formatted(reasons[index])}" if index in reasons else ""


def _answers(item: QuizItem) -> str:
    reasons = {i: why for i, _, why in option_reasons(item)}
    if item.type == "single":
        return " ".join(
            ("=" if i == item.key else "~") + formatted(text) + _feedback(reasons, i)
            for i, text in enumerate(item.options)
        )
    if item.type == "true-false":
        answer = "TRUE" if item.options[item.key] == "True" else "FALSE"
        wrong, right = _feedback(reasons, 1 - item.key), _feedback(reasons, item.key)
        return answer + (wrong or ("#" if right else "")) + right
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
    feedback = formatted(general_feedback(item, reasons=item.type not in ("single", "true-false")))
    return (
        f"// {item.type}; {item.level}; objective: {' '.join(item.objective.split())}\n"
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
