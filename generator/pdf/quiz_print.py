"""Quizzes on paper: numbered questions where the quiz pages stand, and one answer
key at the end, both straight from the bank so the key is exact.

Pure: items in, HTML out. Numbers run on through the whole edition, so a reader
finds question 17's answer under 17 in the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..exports.common import page_url
from ..quiz.items import QuizItem
from ..quiz.wording import LETTERS, answer_text
from .article import page_slug
from .edition import environment


@dataclass(frozen=True)
class PrintedQuestion:
    number: int
    stem: str
    options: list[str]  # lettered A, B, C... by the template's list style
    pairs: list[tuple[str, str]]  # matching: (prompt, option) rows, side by side
    answer_line: str


@dataclass(frozen=True)
class PrintedAnswer:
    number: int
    answer: str
    explanation: str
    evidence_href: str | None
    evidence_title: str


@dataclass(frozen=True)
class Group:
    title: str | None
    questions: list[PrintedQuestion]


def printed_question(item: QuizItem, number: int) -> PrintedQuestion:
    if item.type == "matching":
        rows = max(len(item.prompts), len(item.options))
        pairs = [
            (
                item.prompts[i] if i < len(item.prompts) else "",
                item.options[i] if i < len(item.options) else "",
            )
            for i in range(rows)
        ]
        line = "Match each numbered entry with one lettered entry."
        return PrintedQuestion(number, item.stem, [], pairs, line)
    if item.type == "true-false":
        return PrintedQuestion(number, item.stem, [], [], "True or false?")
    if item.type == "numeric":
        unit = f" ({item.unit})" if item.unit else ""
        return PrintedQuestion(number, item.stem, [], [], f"Answer{unit}: ____________")
    line = "Order, first to last: ____________" if item.type == "ordering" else ""
    return PrintedQuestion(number, item.stem, list(item.options), [], line)


def evidence_target(item: QuizItem, in_document: set[str], titles: dict[str, str]):
    url, anchor = page_url(item.link)
    if url not in in_document:
        return None, ""
    href = f"#{page_slug(url)}__{anchor}" if anchor else f"#{page_slug(url)}"
    return href, titles.get(url, url)


def printed_answer(
    item: QuizItem, number: int, in_document: set[str], titles: dict[str, str]
) -> PrintedAnswer:
    href, title = evidence_target(item, in_document, titles)
    return PrintedAnswer(number, answer_text(item), item.explanation, href, title)


def questions_html(groups: list[tuple[str | None, list[tuple[int, QuizItem]]]], level: int) -> str:
    printed = [
        Group(title, [printed_question(item, n) for n, item in numbered])
        for title, numbered in groups
        if numbered
    ]
    return (
        environment()
        .get_template("questions.html.j2")
        .render(groups=printed, level=level, letters=LETTERS)
    )


def key_html(answers: list[PrintedAnswer], parts: list[tuple[int, str]] = ()) -> str:
    """The answer key; `parts` (first question number, quiz title) head each quiz's
    answers, so a reader of the mock exam finds its answers under its own title."""
    starts = dict(parts)
    return environment().get_template("key.html.j2").render(answers=answers, starts=starts)
