"""How an item reads wherever it is printed: its option letters, its key in words, each
option's reason, the lines after them. The site's quiz pages, the print edition and every
export use these, so an answer reads the same everywhere ("B. 9.6 months"; "1 → A").
Pure functions of a QuizItem.
"""

from __future__ import annotations

import string

from .items import QuizItem

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
        # The tolerance with its unit: "±0.5 months", not a bare "±0.5".
        tolerance = item.unit_text(item.tolerance) if item.tolerance else None
        shown = item.unit_text(item.key)
        return f"{shown} (accepted within ±{tolerance})" if tolerance else shown
    if item.type == "matching":
        return "; ".join(
            f"{i + 1} → {letter(k)} ({item.options[k]})" for i, k in enumerate(item.key)
        )
    letters = ", ".join(letter(k) for k in item.key)
    return f"{letters}: " + "; ".join(item.options[k] for k in item.key)


def option_label(item: QuizItem, index: int) -> str:
    """An option as the printed question names it: "B. 9.6 months"; "True" / "False"."""
    text = " ".join(item.options[index].split())
    return text if item.type == "true-false" else f"{letter(index)}. {text}"


def option_reasons(item: QuizItem) -> list[tuple[int, str, str]]:
    """(option index, option as printed, why it is or is not the answer for this case), for
    every option with a reason line: what each export says about each option."""
    return [
        (i, option_label(item, i), " ".join(why.split()))
        for i, why in enumerate(item.rationales)
        if i < len(item.options) and why.strip()
    ]


def reason_lines(item: QuizItem) -> list[str]:
    """ "B. 9.6 months: why", one line per option with a reason."""
    return [f"{label}: {why}" for _, label, why in option_reasons(item)]


def level_name(item: QuizItem) -> str:
    return item.level.capitalize()


def about_lines(item: QuizItem) -> list[tuple[str, str]]:
    """The lines after the reasons, in every export's order: take-away, objective, level."""
    lines = [("Take-away", item.takeaway), ("Objective", item.objective)]
    return [(name, " ".join(text.split())) for name, text in lines if text.strip()] + [
        ("Level", level_name(item))
    ]


def general_feedback(item: QuizItem, reasons: bool) -> str:
    """What a learner reads after any answer, as one paragraph of plain text: the
    explanation, each option's reason (`reasons`: for formats with no feedback per
    answer), the take-away, the objective and the level."""
    parts = [" ".join(item.explanation.split())]
    if reasons and (lines := reason_lines(item)):
        parts += ["Why each option:", *lines]
    parts += [f"{name}: {text}" for name, text in about_lines(item)]
    return " ".join(p if p.endswith((".", "?", "!", ":")) else p + "." for p in parts)


def ordering_pairs(item: QuizItem) -> list[tuple[str, str]]:
    """An ordering item as matching: each option to its position."""
    position = {option: rank for rank, option in enumerate(item.key, start=1)}
    return [(text, ordinal(position[i])) for i, text in enumerate(item.options)]


def matching_pairs(item: QuizItem) -> list[tuple[str, str]]:
    return [(prompt, item.options[k]) for prompt, k in zip(item.prompts, item.key, strict=True)]
