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
from urllib.parse import quote

from .. import links
from ..render import attr_escape, md_escape
from .bank import MOCK_EXAM, MOCK_PER_TOPIC, Bank
from .hinges import seed
from .items import ITEM_TYPES, LEVELS, TOPICS, Flashcard, QuizItem
from .wording import answer_text

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
TYPE_NAMES = {
    "single": "single best answer",
    "true-false": "true or false",
    "numeric": "numeric answer",
    "matching": "matching",
    "ordering": "ordering",
}
# The learner's own pages: build an exam or a practice set, progress, spaced review.
EXAM = "exam"
PROGRESS = "progress"
REVIEW = "review"
# Widget data for pages that draw on the whole bank, one script per topic (and one for the
# flashcards) that a page loads when it needs it: script elements load from file://,
# where fetch() of a local JSON file is blocked.
DATA_DIR = f"{links.QUIZZES}/data"
CARDS = "cards"
SECTIONS = f"{DATA_DIR}/sections.json"
# ts-fsrs's browser build, copied by the build from node_modules (never committed).
FSRS_SCRIPT = "assets/ts-fsrs/ts-fsrs.js"  # inside the docs_dir
# Quiz pages rank below the evidence in search (Material's per-page boost; 1 is neutral):
# a search for a term should open the page that teaches it, not a question about it.
SEARCH_BELOW_EVIDENCE = ["---", "search:", "  boost: 0.1", "---", ""]
# The bank as JSON beside the quiz pages, in the export's shape (`exports/json_export.py`,
# described by schemas/quiz-bank.schema.json); the build writes it with the other files.
BANK_JSON = f"{links.QUIZZES}/bank.json"
EXAM_SECONDS_PER_ITEM = 90  # quiz-exam.js times exams at this pace too


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
    page: str | None = None,
    lean: bool = False,
) -> str:
    """What the widget needs to mark answers, as JSON safe inside a <script> element.
    `first` numbers the items; `part` is (this part, parts) of the quiz, and `whole`
    describes all of it (default: `items`, a quiz on one page). Evidence links are made
    relative to `page`, the page the data sits in (default: the quiz's own). `lean` (an
    exam, which shows reasons only in its results) leaves out what the results load from
    the topic's data script once the exam is submitted: the reasons per option, the
    take-away, the objective and the evidence link (the last two are in the answer key)."""
    whole = WholeQuiz.of(items) if whole is None else whole
    page = page or page_path(quiz)
    lean_out = {"rationales", "takeaway", "objective", "href"} if lean else set()
    data: dict = {
        "quiz": quiz,
        "part": part[0],
        "parts": part[1],
        "total": whole.total,
        "bank": whole.bank,
        "titles": {i.topic: TITLES[i.topic] for i in items},
        "items": [
            {
                **_marking(item),
                "n": n,
                **{k: v for k, v in _item_facts(item, page).items() if k not in lean_out},
            }
            for n, item in enumerate(items, first)
        ],
    }
    return script_json(data)


def script_json(data: object) -> str:
    """JSON that cannot close the <script> element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def evidence_href(item: QuizItem | Flashcard, page: str) -> str:
    target, _, anchor = item.link.partition("#")
    return links.href(page, target, anchor or None)


def _marking(item: QuizItem) -> dict:
    """What the widget marks an answer with, wherever the item is shown."""
    return {
        "id": item.id,
        "dom": dom_id(item.id),
        "type": item.type,
        "options": item.options,
        "prompts": item.prompts,
        "key": item.key,
        "tolerance": item.tolerance,
        "unit": item.unit,
        "answer": answer_text(item),
    }


def built_href(record: QuizItem | Flashcard, page: str) -> str:
    """A record's evidence link as the built site has it: pages end in .html
    (use_directory_urls: false), and MkDocs rewrites links in Markdown, not those inside
    the widget's JSON."""
    return re.sub(r"\.md(?=#|$)", ".html", evidence_href(record, page))


def _item_facts(item: QuizItem, page: str) -> dict:
    """What results, progress and review show beside the key: present fields only count,
    so a bank that leaves `takeaway` or `rationales` empty shows nothing in their place.
    A quiz page's explanations are in its answer key, which the widget reads (with its
    links and glossary tooltips); carrying them twice would take the 40-question mock
    exam past the 150 KB page budget, so only the data scripts carry them."""
    return {
        "topic": item.topic,
        "level": item.level,
        "trial": item.trial,
        "objective": item.objective,
        "rationales": item.rationales,
        "takeaway": item.takeaway,
        "href": built_href(item, page),
    }


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
    mode: str = "tutor",
) -> str:
    """One page of quiz `quiz` (the widget's key for progress): the page `name` (default
    the quiz's own), questions numbered from `first`; `parts_line` lists the quiz's parts
    under the intro, `turn_line` (previous/next part) follows the questions; `whole`
    describes the quiz when this page holds one part of it. `mode` is the widget's:
    "tutor" (feedback after each question) or "exam" (timed, marked on submit)."""
    page = page_path(name or quiz)
    lines = [*SEARCH_BELOW_EVIDENCE, f"# {_md(title)}", "", intro, ""]
    if parts_line:
        lines += [parts_line, ""]
    lines += [
        f'<div class="quiz" id="quiz-{quiz}" data-quiz="{quiz}" data-mode="{mode}" '
        f'data-store-data="{links.href(page, DATA_DIR)}/" markdown>',
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
    # The key stays out of the search index: results would show answers as snippets.
    lines += [
        '<div class="quiz-key" data-search-exclude markdown>',
        "",
        "## Answer key { data-search-exclude }",
        "",
    ]
    for n, item in enumerate(items, first):
        href = evidence_href(item, page)
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
    data = widget_data(items, quiz, first, part, whole, page, lean=mode == "exam")
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


def _app_root(page: str, name: str, **data: object) -> list[str]:
    """The element a page of the learner's app draws into: what it needs as data-*
    attributes (paths relative to the page), and what to read without JavaScript."""
    attrs = " ".join(
        f"data-{k.replace('_', '-')}='{attr_escape(script_json(v))}'" for k, v in data.items()
    )
    return [
        f'<div class="quiz-app" id="quiz-app" data-app="{name}" '
        f'data-store-data="{links.href(page, DATA_DIR)}/" {attrs}>',
        "",
        '<p class="quiz-noscript">This page runs in your browser and needs JavaScript; '
        "the topic quizzes and their answer keys work without it.</p>",
        "",
        "</div>",
        "",
    ]


def _count(n: int, noun: str) -> str:
    return f"the {n} {noun}{'' if n == 1 else 's'}" if n else f"the {noun}s"


def _fsrs_src(page: str) -> str:
    import posixpath

    return posixpath.relpath(FSRS_SCRIPT, posixpath.dirname(links.docs_path(page)))


def topic_counts(bank: list[QuizItem]) -> dict[str, dict[str, int]]:
    return {
        t: {lv: sum(1 for i in bank if i.topic == t and i.level == lv) for lv in LEVELS}
        for t in TOPICS
    }


def index_page(bank: list[QuizItem], exam: list[QuizItem], cards: list[Flashcard] = ()) -> str:
    page = page_path("index")
    lines = [
        "# Quizzes",
        "",
        "Self-assessment generated from the same evidence as the pages: every key is "
        "recomputed from the evidence when the site is built, every explanation links to "
        "the record it comes from.",
        "",
        f"- [Build an exam or a practice set]({links.href(page, page_path(EXAM))}): "
        "choose topics, levels and a number of questions; tutor mode (feedback after each "
        "question) or timed exam mode.",
        f"- [Your progress]({links.href(page, page_path(PROGRESS))}): by topic, trial and "
        "level; export it to a file and import it on another device.",
        f"- [Review]({links.href(page, page_path(REVIEW))}): questions you missed and "
        "flashcards, scheduled for spaced review. "
        '<span class="quiz-due" data-review-due></span>',
        "",
        "| Quiz | Questions | Vignettes | Pages | Your progress |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for topic in TOPICS:
        items = [i for i in bank if i.topic == topic]
        href = links.href(page, page_path(topic))
        vignettes = sum(1 for i in items if i.vignette)
        count = len(split_parts(items))
        mine = WholeQuiz.of(items)
        lines.append(
            f"| [{_md(TITLES[topic])}]({href}) | {len(items)} | {vignettes} | {count} | "
            f'<span class="quiz-progress-cell" data-quiz="{topic}" data-bank="{mine.bank}" '
            f'data-total="{mine.total}">–</span> |'
        )
    href = links.href(page, page_path(MOCK_EXAM))
    exam_vignettes = sum(1 for i in exam if i.vignette)
    lines.append(
        f"| [Mock exam (mixed, timed)]({href}) | {len(exam)} | {exam_vignettes} | 1 | "
        f'<span class="quiz-progress-cell" data-exam="{MOCK_EXAM}">–</span> |'
    )
    lines += [
        "",
        "Question types: " + ", ".join(TYPE_NAMES[t] for t in ITEM_TYPES) + ". "
        "Numeric answers are accepted within the tolerance each question states. "
        f"A quiz of more than {PART_SIZE} questions is split into parts, one page each, "
        "each linking to the others.",
        "",
        f"The whole bank as JSON: [bank.json]({links.href(page, BANK_JSON)}).",
        "",
        *_app_root(page, "index", cards=[c.id for c in cards], fsrs=_fsrs_src(page)),
    ]
    return "\n".join(lines)


def data_script(key: str, payload: object) -> str:
    """A script that files `payload` under `key` in window.quizBank (quiz-store.js reads it)."""
    head = f"(window.quizBank = window.quizBank || {{}})[{json.dumps(key)}]"
    return f"{head} = {script_json(payload)};\n"


def topic_data(topic: str, items: list[QuizItem], size: int = PART_SIZE) -> str:
    """Every item of a topic with its text, key, reasons and where it stands (its part's
    page, and its evidence), as the exam builder, progress and review pages read them;
    paths relative to the data folder's pages (the quizzes folder)."""
    page = page_path("index")
    whole = WholeQuiz.of(items)
    out = []
    for k, chunk in enumerate(split_parts(items, size), 1):
        for item in chunk:
            out.append(
                {
                    **_marking(item),
                    "stem": item.stem,
                    "explanation": item.explanation,
                    "features": item.features,
                    "link": item.link,
                    "page": f"{part_name(topic, k)}.html",
                    **_item_facts(item, page),
                }
            )
    return data_script(
        topic, {"quiz": topic, "bank": whole.bank, "title": TITLES[topic], "items": out}
    )


def cards_data(cards: list[Flashcard]) -> str:
    page = page_path("index")
    return data_script(
        CARDS,
        {
            "cards": [
                {
                    "id": c.id,
                    "topic": c.topic,
                    "front": c.front,
                    "back": c.back,
                    "href": built_href(c, page),
                }
                for c in cards
            ]
        },
    )


def exam_page(bank: list[QuizItem]) -> str:
    page = page_path(EXAM)
    return "\n".join(
        [
            *SEARCH_BELOW_EVIDENCE,
            "# Build an exam or a practice set",
            "",
            "Choose topics, cognitive levels and a number of questions. **Tutor** mode marks "
            "each answer as you check it, with the explanation. **Exam** mode is timed (about "
            "90 seconds a question, shown and pausable): answers can be changed and questions "
            "flagged until you submit; nothing is marked before; the results give the score "
            "by topic and every question's explanation and reasons. The "
            f"[mock exam]({links.href(page, page_path(MOCK_EXAM))}) is a fixed mixed exam "
            f"of {MOCK_PER_TOPIC} questions from each topic.",
            "",
            *_app_root(
                page,
                "exam",
                topics={t: TITLES[t] for t in TOPICS},
                counts=topic_counts(bank),
                levels=list(LEVELS),
            ),
        ]
    )


def progress_page() -> str:
    page = page_path(PROGRESS)
    return "\n".join(
        [
            "# Your progress",
            "",
            "Counted in this browser from the answers you gave, with no server: by topic, "
            "by trial and by level, the first attempt at each question is what counts. "
            "Export your progress to a file to keep it or to carry it to another device, "
            "and import it there.",
            "",
            *_app_root(page, "progress", topics={t: TITLES[t] for t in TOPICS}),
        ]
    )


def review_page(cards: list[Flashcard]) -> str:
    """Spaced review of the questions missed (from the browser's saved progress) and of the
    flashcards (their text in `cards_data`'s script, which the page loads), scheduled with
    FSRS (ts-fsrs)."""
    page = page_path(REVIEW)
    return "\n".join(
        [
            "# Review",
            "",
            f"The questions you missed and {_count(len(cards), 'flashcard')} come back when "
            "you are about to forget them, scheduled by FSRS (the Free Spaced Repetition "
            "Scheduler). Recall the answer, show it, then say how well you knew it: "
            "again, hard, good or easy.",
            "",
            *_app_root(page, "review", topics={t: TITLES[t] for t in TOPICS}, fsrs=_fsrs_src(page)),
        ]
    )


# --- both directions: "Test yourself" under the evidence -------------------------------------
#
# Why a pure function over the generated Markdown, called once by the build
# (build._with_quiz_links), rather than a line in each page template or a macro: the
# evidence templates (trial.md.j2 and the others) are owned and restructured elsewhere,
# and most records an item links to sit in table rows, not headings, so the section a
# record belongs to is only known from the page as rendered. Working on the page text
# needs nothing from the templates but the `{#id}` / `id="..."` anchors that
# generator/links.py already promises, and a new page or template gets its lines for
# free. Why not in the browser (a script reading a map of sections): every page would
# load a map that grows with the bank, and the lines would be missing without JavaScript.
# The lines are marked no-print (the PDF drops them: a link into the quiz app means
# nothing on paper) and data-search-exclude (search should not list them).

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$")


def section_counts(bank: list[QuizItem]) -> dict[str, dict[str, int]]:
    """{page: {anchor: questions}} from each item's evidence link ("" anchor: the page)."""
    out: dict[str, dict[str, int]] = {}
    for item in bank:
        target, _, anchor = item.link.partition("#")
        page = out.setdefault(target, {})
        page[anchor] = page.get(anchor, 0) + 1
    return out


def insert_test_yourself(text: str, page: str, counts: dict[str, int]) -> str:
    """`text` (a generated page's Markdown) with one line after each heading whose section
    holds records that questions draw on: "Test yourself: N questions", linking to a
    practice set of exactly those questions. Pure: page text in, page text out.

    An anchor belongs to the section of the nearest heading above the element carrying
    it (a heading's own `{#id}`, or an `id="..."` in a row or a span); anchors nowhere
    on the page, and links to the page itself, go to the page's first heading.
    """
    lines = text.split("\n")
    headings = [n for n, line in enumerate(lines) if _HEADING.match(line)]
    if not headings or not counts:
        return text
    by_heading: dict[int, list[str]] = {}
    for anchor in sorted(counts):
        at = None
        if anchor:
            marks = (f'id="{anchor}"', f"#{anchor}}}", f"#{anchor} ")
            at = next((n for n, line in enumerate(lines) if any(m in line for m in marks)), None)
        owner = max((h for h in headings if at is not None and h <= at), default=headings[0])
        by_heading.setdefault(owner, []).append(anchor)
    quizzes_href = links.href(page, page_path(EXAM))
    for n in sorted(by_heading, reverse=True):
        anchors = by_heading[n]
        total = sum(counts[a] for a in anchors)
        query = "page=" + quote(page, safe="/") + "&amp;at=" + ",".join(quote(a) for a in anchors)
        noun = "question" if total == 1 else "questions"
        line = (
            f'<p class="quiz-test-yourself no-print" data-search-exclude>'
            f'<a href="{quizzes_href.replace(".md", ".html")}?{query}">'
            f"Test yourself: {total} {noun}</a></p>"
        )
        lines[n + 1 : n + 1] = ["", line, ""]
    return "\n".join(lines)


def with_test_yourself(files: dict[str, str], sections_json: str | None) -> dict[str, str]:
    """The evidence pages of `files` ({docs path: text}) with their "Test yourself" lines,
    from the counts site_pages wrote to SECTIONS."""
    if not sections_json:
        return files
    counts = json.loads(sections_json)
    out = dict(files)
    for page, anchors in counts.items():
        path = links.docs_path(page)
        if path in out and path.endswith(".md"):
            out[path] = insert_test_yourself(out[path], page, anchors)
    return out


def print_skips(url: str) -> bool:
    """A built quiz page with no paper form: parts after the first (the print edition
    prints a topic's questions under its first page) and the learner's app pages."""
    prefix = f"{links.GENERATED}/{links.QUIZZES}/"
    if not url.startswith(prefix):
        return False
    name = url[len(prefix) :].removesuffix(".html")
    return name in (EXAM, PROGRESS, REVIEW) or bool(
        re.fullmatch(r"[a-z]+-\d+", name) and name.rsplit("-", 1)[0] in TOPICS
    )


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


def site_pages(whole: Bank) -> dict[str, str]:
    """{path under site_src/generated/: text} for every quiz page, the learner's pages
    (exam builder, progress, review), their data scripts and the bank's JSON. The review
    page schedules the bank's flashcards beside the missed questions."""
    bank, exam, cards = whole.items, whole.exam, whole.cards
    out = {page_path("index"): index_page(bank, exam, cards)}
    for topic in TOPICS:
        # Mixed by a seeded hash, so the page does not run through one blueprint at a time.
        items = sorted((i for i in bank if i.topic == topic), key=lambda i: seed(f"page/{i.id}"))
        out |= topic_pages(topic, items)
        out[f"{DATA_DIR}/{topic}.js"] = topic_data(topic, items)
    out[page_path(MOCK_EXAM)] = quiz_page(
        MOCK_EXAM,
        "Mock exam",
        f"{len(exam)} questions from every topic, timed at about "
        f"{EXAM_SECONDS_PER_ITEM} seconds a question as a licensing exam would be; the timer "
        "shows and can be paused. Answers can be changed and questions flagged until you "
        "submit; the results give the score by topic and every question's explanation. "
        "Without JavaScript, or on paper, the answer key follows the questions.",
        exam,
        mode="exam",
    )
    out[page_path(EXAM)] = exam_page(bank)
    out[page_path(PROGRESS)] = progress_page()
    out[page_path(REVIEW)] = review_page(cards)
    out[f"{DATA_DIR}/{CARDS}.js"] = cards_data(cards)
    out[SECTIONS] = json.dumps(section_counts(bank), indent=1, sort_keys=True) + "\n"
    return out
