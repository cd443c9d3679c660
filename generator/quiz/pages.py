"""Quiz pages for the site: questions first, then an answer key, then the data the widget reads.

Without JavaScript (and in print) a page is a numbered list of questions followed by
its answer key with explanations and evidence links. `assets/quiz/quiz.js` turns each
question into a form, gives feedback from the key, and hides the key on screen. The
widget's data sits inline in the page (a JSON script block), because browsers block
fetch() of local files and the site must work opened from disk.

Pages use `md_in_html` so the links inside questions and explanations stay Markdown
links, which MkDocs rewrites and checks like any other.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import links
from ..model import Evidence
from ..render import attr_escape, md_escape
from .bank import MOCK_EXAM, MOCK_PER_TOPIC, load_bank
from .hinges import seed
from .items import ITEM_TYPES, LEVELS, TOPICS, QuizItem

TITLES = {
    "mechanism": "Mechanism and pharmacology",
    "trials": "Clinical trials",
    "toxicity": "Toxicity",
    "resistance": "Resistance and biomarkers",
    "ongoing": "Ongoing trials and timeline",
}
# A topic's questions are split into parts of at most this many, one page each, so no
# page outgrows the limit whatever the size of the pack: a built part is about 3 KB a
# question (the heaviest topic, vignettes included) over Material's ~28 KB page, so
# 20 questions make ~90 KB of HTML, against a limit of 150 KB.
PART_SIZE = 20
LETTERS = "ABCDEFGH"
TYPE_NAMES = {
    "single": "single best answer",
    "true-false": "true or false",
    "numeric": "numeric answer",
    "matching": "matching",
    "ordering": "ordering",
}


def page_path(quiz: str) -> str:
    """A quiz page as `links.locate` names pages: relative to the generated folder."""
    return f"{links.QUIZZES}/{quiz}.md"


def part_name(topic: str, part: int) -> str:
    """Part 1 of a topic keeps the topic's own page (the one the nav lists); then topic-2..."""
    return topic if part == 1 else f"{topic}-{part}"


def split_parts(items: list[QuizItem], size: int = PART_SIZE) -> list[list[QuizItem]]:
    """Items in order, in as few parts of at most `size` as will do, sized evenly."""
    count = max(1, -(-len(items) // size))
    base, extra = divmod(len(items), count)
    parts, start = [], 0
    for k in range(count):
        end = start + base + (1 if k < extra else 0)
        parts.append(items[start:end])
        start = end
    return parts


def dom_id(item_id: str) -> str:
    return "q-" + re.sub(r"[^a-z0-9]+", "-", item_id.lower()).strip("-")


# --- rendering ---------------------------------------------------------------------------------


def _md(text: str) -> str:
    return md_escape(text)


def _static_answer(item: QuizItem) -> list[str]:
    """The question's body without JavaScript: lettered options, or a blank to fill in.
    The widget hides it (class quiz-static) and shows its form instead."""
    lines = ['<div class="quiz-static" markdown>', ""]
    if item.type == "numeric":
        unit = f" ({item.unit})" if item.unit else ""
        lines += [f'<p class="quiz-blank" markdown>Your answer{_md(unit)}: ……………</p>', ""]
    elif item.type == "matching":
        lines += ['<div class="quiz-prompts" markdown>', ""]
        lines += [f"1. {_md(p)}" for p in item.prompts]
        lines += ["", "</div>", ""]
    if item.options:
        lines += ['<div class="quiz-options" markdown>', ""]
        lines += [f"1. {_md(o)}" for o in item.options]
        lines += ["", "</div>", ""]
    lines += ["</div>", ""]
    return lines


def answer_text(item: QuizItem) -> str:
    """The key as the printed answer key gives it."""
    if item.type in ("single", "true-false"):
        return f"{LETTERS[item.key]}. {item.options[item.key]}"
    if item.type == "numeric":
        shown = item.unit_text(item.key)
        tol = item.unit_text(item.tolerance) if item.tolerance else ""
        return f"{shown}" + (f" (accepted within ±{tol})" if tol else "")
    if item.type == "matching":
        return "; ".join(
            f"{n} – {LETTERS[k]} ({item.options[k]})" for n, k in enumerate(item.key, 1)
        )
    return ", ".join(f"{LETTERS[k]} ({item.options[k]})" for k in item.key)


def bank_fingerprint(items: list[QuizItem]) -> str:
    """Names one version of a quiz: its items, what they offer and what they accept. The
    widget stamps each saved answer with it and counts, across parts, only answers to
    this version (a value corrected in the evidence changes an option, not the key's
    index, so the options are part of it)."""
    marked = sorted([i.id, i.key, i.options, i.prompts, i.tolerance] for i in items)
    text = json.dumps(marked, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class WholeQuiz:
    """What every part of a quiz says about the whole: computed once per quiz, since a
    quiz of N parts would otherwise hash all its items N times."""

    total: int
    bank: str  # bank_fingerprint of its items

    @classmethod
    def of(cls, items: list[QuizItem]) -> WholeQuiz:
        return cls(len(items), bank_fingerprint(items))


def widget_data(
    items: list[QuizItem],
    quiz: str,
    first: int = 1,
    part: tuple[int, int] = (1, 1),
    whole: WholeQuiz | None = None,
) -> str:
    """What the widget needs to mark answers, as JSON safe inside a <script> element.
    `first` numbers the items; `part` is (this part, parts) of the quiz, and `whole`
    describes all of it (default: `items`, a quiz on one page)."""
    whole = WholeQuiz.of(items) if whole is None else whole
    data: dict = {
        "quiz": quiz,
        "part": part[0],
        "parts": part[1],
        "total": whole.total,
        "bank": whole.bank,
        "items": [
            {
                "id": item.id,
                "dom": dom_id(item.id),
                "n": n,
                "type": item.type,
                "options": item.options,
                "prompts": item.prompts,
                "key": item.key,
                "tolerance": item.tolerance,
                "unit": item.unit,
                "answer": answer_text(item),
                "rationales": item.rationales,
            }
            for n, item in enumerate(items, first)
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def quiz_page(
    quiz: str,
    title: str,
    intro: str,
    items: list[QuizItem],
    *,
    name: str | None = None,
    first: int = 1,
    part: tuple[int, int] = (1, 1),
    parts_line: str = "",
    turn_line: str = "",
    whole: WholeQuiz | None = None,
) -> str:
    """One page of quiz `quiz` (the widget's key for progress): the page `name` (default
    the quiz's own), questions numbered from `first`; `parts_line` lists the quiz's parts
    under the intro, `turn_line` (previous/next part) follows the questions; `whole`
    describes the quiz when this page holds one part of it."""
    page = page_path(name or quiz)
    lines = [f"# {_md(title)}", "", intro, ""]
    if parts_line:
        lines += [parts_line, ""]
    lines += [
        f'<div class="quiz" id="quiz-{quiz}" data-quiz="{quiz}" markdown>',
        "",
    ]
    for n, item in enumerate(items, first):
        vignette = " quiz-vignette" if item.vignette else ""
        lines += [
            f'<div class="quiz-item{vignette}" id="{dom_id(item.id)}" '
            f'data-item="{attr_escape(item.id)}" data-type="{item.type}" markdown>',
            "",
            f'<p class="quiz-stem" markdown>**Question {n}.** {_md(item.stem)}</p>',
            "",
            *_static_answer(item),
            "</div>",
            "",
        ]
    lines += ["</div>", ""]
    if turn_line:
        lines += [turn_line, ""]
    lines += ['<div class="quiz-key" markdown>', "", "## Answer key", ""]
    for n, item in enumerate(items, first):
        target, _, anchor = item.link.partition("#")
        href = links.href(page, target, anchor or None)
        lines += [
            f'<div class="quiz-answer" id="a-{dom_id(item.id)[2:]}" '
            f'data-item="{attr_escape(item.id)}" markdown>',
            "",
            f"**{n}. {_md(answer_text(item))}.** {_md(item.explanation)} "
            f"[Evidence for question {n}]({href}){{ .quiz-evidence }}",
            "",
            f'<p class="quiz-objective" markdown>*Objective:* {_md(item.objective)}</p>',
            "",
            "</div>",
            "",
        ]
    lines += ["</div>", ""]
    data = widget_data(items, quiz, first, part, whole)
    lines += [f'<script type="application/json" id="quiz-data-{quiz}">{data}</script>', ""]
    return "\n".join(lines)


def _intro(items: list[QuizItem]) -> str:
    kinds = Counter(i.type for i in items)
    listed = ", ".join(f"{kinds[t]} {TYPE_NAMES[t]}" for t in ITEM_TYPES if kinds[t])
    return (
        f"{len(items)} questions ({listed}), each generated from the evidence and linked to "
        "it. Answer a question to see whether you were right, why, and where the evidence "
        "stands; your progress is kept in this browser. Without JavaScript, or on paper, "
        "the answer key follows the questions."
    )


def topic_pages(topic: str, items: list[QuizItem], size: int = PART_SIZE) -> dict[str, str]:
    """{path: text} for a topic's quiz, in parts of at most `size` questions: part 1 on the
    topic's own page, the others on topic-2.md, topic-3.md ... Part 1 lists every part;
    every part links to part 1 and to the previous and the next part (a full list on
    every part would grow each page with the pack). The score on a part counts that part,
    and a second line the whole quiz."""
    parts = split_parts(items, size)
    title = f"Quiz: {TITLES[topic]}"
    if len(parts) == 1:
        return {page_path(topic): quiz_page(topic, title, _intro(items), items)}
    count = len(parts)
    whole = WholeQuiz.of(items)
    out = {}
    first = 1
    for k, chunk in enumerate(parts, 1):
        name = part_name(topic, k)
        page = page_path(name)

        def link(j: int, text: str, page: str = page) -> str:
            return f"[{text}]({links.href(page, page_path(part_name(topic, j)))})"

        if k == 1:
            listed = ["**Part 1, this page**"]
            listed += [link(j, f"Part {j}") for j in range(2, count + 1)]
            parts_line = (
                f'<p class="quiz-parts" markdown>This quiz has {count} parts of at most '
                f"{size} questions: " + " · ".join(listed) + ".</p>"
            )
        else:
            parts_line = (
                f'<p class="quiz-parts" markdown>This quiz has {count} parts; '
                + link(1, "part 1 lists them all")
                + ".</p>"
            )
        turn = []
        if k > 1:
            turn.append(link(k - 1, f"← Previous part (part {k - 1})"))
        if k < count:
            turn.append(link(k + 1, f"Next part (part {k + 1}) →"))
        turn_line = '<p class="quiz-turn" markdown>' + " · ".join(turn) + "</p>"
        last = first + len(chunk) - 1
        intro = (
            f"Part {k} of {count}: questions {first}–{last} of the {len(items)} in "
            f"this quiz. {_intro(chunk)} The score counts this part's questions, and a "
            "second line counts the whole quiz, from the answers kept in this browser."
        )
        out[page] = quiz_page(
            topic,
            f"{title} (part {k} of {count})",
            intro,
            chunk,
            name=name,
            first=first,
            part=(k, count),
            parts_line=parts_line,
            turn_line=turn_line,
            whole=whole,
        )
        first = last + 1
    return out


def index_page(bank: list[QuizItem], exam: list[QuizItem]) -> str:
    page = page_path("index")
    lines = [
        "# Quizzes",
        "",
        "Self-assessment generated from the same evidence as the pages: every key is "
        "recomputed from the evidence when the site is built, every explanation links to "
        "the record it comes from.",
        "",
        "| Quiz | Questions | Vignettes | Pages |",
        "| --- | ---: | ---: | ---: |",
    ]
    for topic in TOPICS:
        items = [i for i in bank if i.topic == topic]
        href = links.href(page, page_path(topic))
        vignettes = sum(1 for i in items if i.vignette)
        count = len(split_parts(items))
        lines.append(f"| [{_md(TITLES[topic])}]({href}) | {len(items)} | {vignettes} | {count} |")
    href = links.href(page, page_path(MOCK_EXAM))
    exam_vignettes = sum(1 for i in exam if i.vignette)
    lines.append(f"| [Mock exam (mixed)]({href}) | {len(exam)} | {exam_vignettes} | 1 |")
    lines += [
        "",
        "Question types: " + ", ".join(TYPE_NAMES[t] for t in ITEM_TYPES) + ". "
        "Numeric answers are accepted within the tolerance each question states. "
        f"A quiz of more than {PART_SIZE} questions is split into parts, one page each, "
        "each linking to the others.",
        "",
        f"The whole bank as JSON: [bank.json]({links.href(page, f'{links.QUIZZES}/bank.json')}).",
        "",
    ]
    return "\n".join(lines)


def bank_to_json(bank: list[QuizItem]) -> str:
    """The bank as a JSON list of items, in bank order."""
    return json.dumps([item.model_dump(mode="json") for item in bank], indent=2, ensure_ascii=False)


def stats(bank: list[QuizItem]) -> str:
    """Counts by topic, type and level, as `python -m generator stats` prints them."""
    columns = [*ITEM_TYPES, *LEVELS]
    head = (
        f"{'topic':<12}" + "".join(f"{c:>12}" for c in columns) + f"{'vignettes':>11}{'total':>8}"
    )

    def row(label: str, items: list) -> str:
        counts = Counter(i.type for i in items) + Counter(i.level for i in items)
        vignettes = sum(1 for i in items if i.vignette)
        return (
            f"{label:<12}"
            + "".join(f"{counts[c]:>12}" for c in columns)
            + f"{vignettes:>11}{len(items):>8}"
        )

    rows = [row(topic, [i for i in bank if i.topic == topic]) for topic in TOPICS]
    higher = sum(1 for i in bank if i.level != "recall")
    percent = 100 * higher / max(1, len(bank))
    share = f"application or analysis: {higher} of {len(bank)} ({percent:.0f}%)"
    return "\n".join([head, *rows, row("all", bank), share])


def checked_bank(ev: Evidence, root: Path) -> tuple[list[QuizItem], list[QuizItem]]:
    """The published bank and its mock exam (InputError with the linter's findings)."""
    bank = load_bank(ev, root)
    return bank.items, bank.exam


def site_pages(ev: Evidence, root: Path) -> dict[str, str]:
    """{path under site_src/generated/: text} for every quiz page and the bank's JSON."""
    bank, exam = checked_bank(ev, root)
    out = {page_path("index"): index_page(bank, exam)}
    for topic in TOPICS:
        # Mixed by a seeded hash, so the page does not run through one blueprint at a time.
        items = sorted((i for i in bank if i.topic == topic), key=lambda i: seed(f"page/{i.id}"))
        out |= topic_pages(topic, items)
    out[page_path(MOCK_EXAM)] = quiz_page(
        MOCK_EXAM,
        "Mock exam",
        _intro(exam) + f" The exam mixes {MOCK_PER_TOPIC} questions from each topic.",
        exam,
    )
    out[f"{links.QUIZZES}/bank.json"] = bank_to_json(bank) + "\n"
    return out
