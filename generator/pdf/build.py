"""`python -m generator pdf`: the I/O around the print edition.

Reads the built site, typesets with WeasyPrint, writes the PDF. Each stage prints
one progress line; WeasyPrint's own stages are relayed as they start.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from markupsafe import Markup

from .. import links
from ..model import Evidence
from ..quiz import TOPICS, QuizItem, mock_exam
from ..quiz.pages import MOCK_EXAM, print_skips
from .article import page_slug, print_article
from .edition import STYLESHEET, Cover, TocEntry, body_and_toc, edition_html
from .nav import read_nav, site_name
from .quiz_print import key_html, printed_answer, questions_html
from .tree import parse, serialize, text_of

# Pages about the site itself rather than the evidence stay out of the print edition.
SCREEN_ONLY_PAGES = (f"{links.GENERATED}/{links.DOWNLOADS[:-3]}.html",)
QUIZ_PREFIX = f"{links.GENERATED}/{links.QUIZZES}/"

Progress = Callable[[str], None]


def build_date() -> str:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return date.today().isoformat()


def quiz_topic(url: str) -> str | None:
    """The topic a quiz page asks about, MOCK_EXAM for the mock exam, None for any other
    page (the quiz index prints as it stands)."""
    if not url.startswith(QUIZ_PREFIX):
        return None
    name = url[len(QUIZ_PREFIX) :].removesuffix(".html")
    return name if name in (*TOPICS, MOCK_EXAM) else None


def cover_of(ev: Evidence, title: str) -> Cover:
    drug = ev.drug.name[:1].upper() + ev.drug.name[1:]
    return Cover(
        title=title,
        lead=f"{drug} ({ev.drug.abbreviation}, {ev.drug.brand}) for HER2-positive breast "
        "cancer: mechanism, trials, toxicity, resistance and self-assessment",
        source_title=ev.source.title,
        source_kind=ev.source.kind,
        evidence_date=ev.source.evidence_date,
        evidence_date_basis=ev.source.evidence_date_basis,
        build_date=build_date(),
    )


class _Relay(logging.Handler):
    """One line per WeasyPrint stage ("Step 5 - Creating layout"), and during the first
    layout pass, the longest stage, one line every PAGES_PER_LINE pages."""

    PAGES_PER_LINE = 25

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress
        self.seen: set[str] = set()
        self.repaginating = False

    def emit(self, record: logging.LogRecord) -> None:
        parts = record.getMessage().split(" - ")
        stage = " - ".join(parts[:2])
        if stage not in self.seen:
            self.seen.add(stage)
            self.progress(f"pdf:   weasyprint {stage.lower()}")
        detail = parts[2] if len(parts) > 2 else ""
        self.repaginating |= detail.startswith("Repagination")
        page = re.fullmatch(r"Page (\d+)", detail)
        if page and not self.repaginating and int(page.group(1)) % self.PAGES_PER_LINE == 0:
            self.progress(f"pdf:   weasyprint laid out {page.group(1)} pages")


def _quiz_section(
    url: str, title: str, level: int, numbered: list[tuple[int, QuizItem]], exam: list[str]
) -> str:
    """A quiz page on paper: its questions, numbered; the mock exam as the numbers of the
    questions it draws (every question is printed once, under its topic)."""
    slug = page_slug(url)
    heading = (
        f'<h1 class="page-title" id="{slug}__title" style="bookmark-level: {level + 1}">'
        f"{Markup.escape(title)}</h1>"
    )
    key = '<a href="#answer-key">answer key</a>'
    if exam:
        number = {item.id: n for n, item in numbered}
        refs = ", ".join(f'<a href="#q-{number[i]}">{number[i]}</a>' for i in exam if i in number)
        body = (
            f"<p>On paper every question is printed once, under its topic. The mock exam on "
            f"the site draws these {len(exam)}, in this order: {refs}. Their answers are in "
            f"the {key} at the end.</p>"
        )
        return f'<section class="page quiz-page" id="{slug}">{heading}{body}</section>'
    first, last = numbered[0][0], numbered[-1][0]
    note = (
        f"<p>Questions {first}–{last}. Answers, with the reasoning and the evidence, "
        f"are in the {key} at the end.</p>"
    )
    body = questions_html([(None, numbered)], level)
    return f'<section class="page quiz-page" id="{slug}">{heading}{note}{body}</section>'


def edition_document(
    site_dir: Path, ev: Evidence, items: list[QuizItem], progress: Progress = print
) -> str:
    """The whole print edition as HTML, from the built site and the bank."""
    home_file = site_dir / "index.html"
    if not home_file.is_file():
        raise FileNotFoundError(f"{home_file} is missing: run `python -m generator build` first")
    home = parse(home_file.read_text(encoding="utf-8"))
    parsed: dict[str, Element] = {}

    def page_at(url: str) -> Element:
        # The nav reads each tab's first page, which is printed too: parse it once.
        if url not in parsed:
            parsed[url] = parse((site_dir / url).read_text(encoding="utf-8"))
        return parsed[url]

    nav = [e for e in read_nav(home, page_at=page_at) if e.url not in SCREEN_ONLY_PAGES]
    nav = [e for e in nav if e.url is None or not print_skips(e.url)]
    nav = [e for e in nav if e.url is None or (site_dir / e.url).is_file()]
    urls = [e.url for e in nav if e.url]
    progress(f"pdf: navigation read from {home_file}: {len(urls)} pages")

    in_document = set(urls)
    titles = {e.url: e.title for e in nav if e.url}
    sections: dict[str, str] = {}
    numbered: list[tuple[int, QuizItem]] = []
    exams: list[tuple[str, str, int]] = []
    for entry in (e for e in nav if e.url):
        article = print_article(page_at(entry.url), entry.url, in_document, site_dir, entry.level)
        topic = quiz_topic(entry.url)
        if topic is None:
            sections[entry.url] = serialize(article)
            continue
        heading = next(article.iter("h1"), None)
        title = text_of(heading) if heading is not None else entry.title
        if topic == MOCK_EXAM:
            exams.append((entry.url, title, entry.level))
            continue
        asked = [it for it in items if it.topic == topic]
        mine = [(len(numbered) + i, it) for i, it in enumerate(asked, start=1)]
        numbered += mine
        if mine:
            sections[entry.url] = _quiz_section(entry.url, title, entry.level, mine, [])

    exam = [item.id for item in mock_exam(items)] if items else []
    for url, title, level in exams:  # after the topics, so it can cite their numbers
        sections[url] = _quiz_section(url, title, level, numbered, exam)
    progress(f"pdf: {len(sections)} pages cleaned for print")

    extra: list[tuple[TocEntry, str]] = []
    placed = {it.topic for _, it in numbered}
    unplaced = [it for it in items if it.topic not in placed]
    if unplaced:  # the site has no page for these topics: print them before the key
        start = len(numbered)
        rest = [(start + i + 1, it) for i, it in enumerate(unplaced)]
        numbered += rest
        groups = [(t.capitalize(), [(n, it) for n, it in rest if it.topic == t]) for t in TOPICS]
        extra.append(
            (
                TocEntry("Questions", "questions", 0, part=False),
                '<section class="page" id="questions"><h1 class="page-title" '
                'style="bookmark-level: 1">Questions</h1>'
                + questions_html(groups, 0)
                + "</section>",
            )
        )
    answers = [printed_answer(it, n, in_document, titles) for n, it in numbered]
    extra.append((TocEntry("Answer key", "answer-key", 0, part=False), key_html(answers)))
    progress(f"pdf: {len(numbered)} questions and their answer key set from the bank")

    body, toc = body_and_toc(nav, sections, extra)
    return edition_html(cover_of(ev, site_name(home)), toc, body)


def build_pdf(
    site_dir: Path, ev: Evidence, items: list[QuizItem], out: Path, progress: Progress = print
) -> Path:
    from weasyprint import CSS, HTML  # heavy import: only when a PDF is asked for

    started = time.perf_counter()
    html = edition_document(site_dir, ev, items, progress)
    progress(f"pdf: print document assembled ({len(html) // 1024} KiB of HTML)")

    out.parent.mkdir(parents=True, exist_ok=True)
    relay = _Relay(progress)
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(relay)
    logger.setLevel(logging.INFO)
    try:
        document = HTML(string=html, base_url=site_dir.resolve().as_uri() + "/").render(
            stylesheets=[CSS(filename=str(STYLESHEET))]
        )
        part = out.with_name(out.name + ".part")
        document.write_pdf(part)
        part.replace(out)
    finally:
        logger.removeHandler(relay)
    seconds = time.perf_counter() - started
    progress(
        f"pdf: wrote {out} ({len(document.pages)} pages, {out.stat().st_size // 1024} KiB)"
        f" in {seconds:.1f} s"
    )
    return out
