"""`python -m generator pdf`: the I/O around the print edition.

Reads the built site, typesets with WeasyPrint, writes the PDF. Each stage prints
one progress line; WeasyPrint's own stages are relayed as they start.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree.ElementTree import Element

from markupsafe import Markup

from .. import links
from ..model import Evidence
from ..nav import NavEntry
from ..pack import PackConfig
from ..pipeline import Loaded
from ..quiz import TOPICS, QuizItem
from ..quiz.pages import MOCK_EXAM, TITLES, print_skips
from .article import page_slug, print_article
from .edition import STYLESHEET, Cover, TocEntry, body_and_toc, edition_html
from .quiz_print import key_html, printed_answer, questions_html
from .tree import parse, serialize

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


def cover_of(ev: Evidence, pack: PackConfig) -> Cover:
    drug = ev.drug.name[:1].upper() + ev.drug.name[1:]
    return Cover(
        title=pack.site_name,
        lead=f"{drug} ({ev.drug.abbreviation}, {ev.drug.brand}) for {pack.subject}: "
        "mechanism, trials, toxicity, resistance and self-assessment",
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
    url: str, title: str, level: int, numbered: list[tuple[int, QuizItem]], note: str
) -> str:
    """A quiz page on paper: its questions, numbered, under the quiz's own title (a site
    page's "part 1 of 4" means nothing once every part is printed)."""
    slug = page_slug(url)
    heading = (
        f'<h1 class="page-title" id="{slug}__title" style="bookmark-level: {level + 1}">'
        f"{Markup.escape(title)}</h1>"
    )
    first, last = numbered[0][0], numbered[-1][0]
    lead = (
        f"<p>Questions {first}–{last}{note}. Answers, with the reasoning and the evidence, "
        'are in the <a href="#answer-key">answer key</a> at the end.</p>'
    )
    body = questions_html([(None, numbered)], level)
    return f'<section class="page quiz-page" id="{slug}">{heading}{lead}{body}</section>'


def quiz_title(topic: str, fallback: str) -> str:
    if topic == MOCK_EXAM:
        return fallback
    return f"Quiz: {TITLES[topic]}" if topic in TITLES else fallback


def edition_document(
    site_dir: Path, loaded: Loaded, nav: list[NavEntry], progress: Progress = print
) -> str:
    """The whole print edition as HTML, from the built site, its navigation and the bank."""
    return edition_html(*edition_parts(site_dir, loaded, nav, progress))


def edition_parts(
    site_dir: Path, loaded: Loaded, nav: list[NavEntry], progress: Progress = print
) -> tuple[Cover, list[TocEntry], str]:
    """The print edition's cover, contents and body: the pages of the built site in the
    order of `nav` (the navigation the build made), and the bank's questions."""
    ev = loaded.evidence
    items, exam = loaded.items, loaded.exam
    home_file = site_dir / "index.html"
    if not home_file.is_file():
        raise FileNotFoundError(f"{home_file} is missing: run `python -m generator build` first")
    nav = [e for e in nav if e.url not in SCREEN_ONLY_PAGES]
    nav = [e for e in nav if e.url is None or not print_skips(e.url)]
    nav = [e for e in nav if e.url is None or (site_dir / e.url).is_file()]
    urls = [e.url for e in nav if e.url]
    progress(f"pdf: navigation from the build: {len(urls)} pages")

    def page_at(url: str) -> Element:
        return parse((site_dir / url).read_text(encoding="utf-8"))

    in_document = set(urls)
    # Quiz pages are printed under the quiz's title, in the contents too.
    nav = [
        replace(e, title=quiz_title(t, e.title)) if e.url and (t := quiz_topic(e.url)) else e
        for e in nav
    ]
    titles = {e.url: e.title for e in nav if e.url}
    sections: dict[str, str] = {}
    numbered: list[tuple[int, QuizItem]] = []
    exams: list[tuple[str, str, int]] = []
    parts: list[tuple[int, str]] = []  # (first question number, quiz title), for the key
    for entry in (e for e in nav if e.url):
        article = print_article(page_at(entry.url), entry.url, in_document, site_dir, entry.level)
        topic = quiz_topic(entry.url)
        if topic is None:
            sections[entry.url] = serialize(article)
            continue
        if topic == MOCK_EXAM:
            exams.append((entry.url, entry.title, entry.level))
            continue
        asked = [it for it in items if it.topic == topic]
        mine = [(len(numbered) + i, it) for i, it in enumerate(asked, start=1)]
        numbered += mine
        if mine:
            sections[entry.url] = _quiz_section(entry.url, entry.title, entry.level, mine, "")
            parts.append((mine[0][0], entry.title))

    placed = {it.topic for _, it in numbered}
    # The mock exam is printed in full, as the site asks it: its own numbers after the
    # topics' questions, and its own entries in the key, so it can be sat on paper.
    for url, title, level in exams:
        if not exam:
            continue
        start = len(numbered)
        mine = [(start + i, it) for i, it in enumerate(exam, start=1)]
        numbered += mine
        parts.append((mine[0][0], title))
        note = f", {len(exam)} questions drawn from every topic"
        sections[url] = _quiz_section(url, title, level, mine, note)
    progress(f"pdf: {len(sections)} pages cleaned for print")

    extra: list[tuple[TocEntry, str]] = []
    unplaced = [it for it in items if it.topic not in placed]
    if unplaced:  # the site has no page for these topics: print them before the key
        start = len(numbered)
        rest = [(start + i + 1, it) for i, it in enumerate(unplaced)]
        numbered += rest
        parts.append((start + 1, "Questions"))
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
    extra.append((TocEntry("Answer key", "answer-key", 0, part=False), key_html(answers, parts)))
    progress(f"pdf: {len(numbered)} questions and their answer key set from the bank")

    body, toc = body_and_toc(nav, sections, extra)
    return cover_of(ev, loaded.pack.config), toc, body


# How WeasyPrint writes the file: PDF/UA-1 tags the structure (headings, lists, tables,
# figures) and takes the document language from <html lang> and the title from <title>.
WRITE_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def edition_hash(cover: Cover, toc: list[TocEntry], body: str) -> str:
    """A fingerprint of everything the PDF is made from: the document (with the build
    date left out, or the PDF would be rebuilt every day), the print stylesheet, the
    bytes of every image it embeds, WeasyPrint's version and the write options."""
    # The installed version, read without importing WeasyPrint (half a second): the
    # check must stay cheap when nothing changed.
    weasyprint_version = metadata.version("weasyprint")
    digest = hashlib.sha256()
    for part in (
        edition_html(replace(cover, build_date=""), toc, body),
        STYLESHEET.read_text(encoding="utf-8"),
        weasyprint_version,
        repr(sorted(WRITE_OPTIONS.items())),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for uri in sorted(set(re.findall(r'src="(file://[^"]+)"', body))):
        path = Path(url2pathname(urlsplit(uri).path))
        digest.update(path.read_bytes() if path.is_file() else b"missing")
        digest.update(b"\0")
    return digest.hexdigest()


def _copy(source: Path, out: Path) -> None:
    part = out.with_name(out.name + ".part")
    shutil.copyfile(source, part)
    part.replace(out)


def build_pdf(
    site_dir: Path,
    loaded: Loaded,
    nav: list[NavEntry],
    out: Path,
    progress: Progress = print,
    cache: Path | None = None,
    reuse: bool = True,
) -> Path:
    """Typeset the edition into `out`. With a `cache` folder, the PDF last made there is
    reused when the edition's fingerprint (`edition_hash`) has not changed: `make site`
    rebuilds the site folder, but not a PDF of the same inputs. `reuse=False` typesets
    anyway and refreshes the cache."""
    started = time.perf_counter()
    cover, toc, body = edition_parts(site_dir, loaded, nav, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    cached = stamp = None
    fingerprint = ""
    if cache is not None:
        fingerprint = edition_hash(cover, toc, body)
        cached, stamp = cache / out.name, cache / f"{out.name}.sha256"
        fresh = cached.is_file() and stamp.is_file() and stamp.read_text().strip() == fingerprint
        if reuse and fresh:
            _copy(cached, out)
            progress(
                f"pdf: inputs unchanged (sha256 {fingerprint[:12]}): reused {cached}"
                f" -> {out} in {time.perf_counter() - started:.1f} s"
            )
            return out
    html = edition_html(cover, toc, body)
    progress(f"pdf: print document assembled ({len(html) // 1024} KiB of HTML)")
    pages = _typeset(html, site_dir, out, progress)
    if cached is not None and stamp is not None:
        cache.mkdir(parents=True, exist_ok=True)
        _copy(out, cached)
        stamp.write_text(fingerprint + "\n")
    seconds = time.perf_counter() - started
    progress(
        f"pdf: wrote {out} ({pages} pages, {out.stat().st_size // 1024} KiB) in {seconds:.1f} s"
    )
    return out


def _typeset(html: str, site_dir: Path, out: Path, progress: Progress) -> int:
    """Lay out and write the PDF; the number of pages."""
    from weasyprint import CSS, HTML  # heavy import: only when a PDF is made

    relay = _Relay(progress)
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(relay)
    logger.setLevel(logging.INFO)
    try:
        document = HTML(string=html, base_url=site_dir.resolve().as_uri() + "/").render(
            stylesheets=[CSS(filename=str(STYLESHEET))]
        )
        part = out.with_name(out.name + ".part")
        document.write_pdf(part, **WRITE_OPTIONS)
        part.replace(out)
    finally:
        logger.removeHandler(relay)
    return len(document.pages)
