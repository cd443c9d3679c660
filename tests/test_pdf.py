"""The print edition, read back from the PDF itself (pypdf for text and outline,
pdfplumber for glyph positions), compared with the model and the quiz bank.

Expected values come from the model through the shared formatter (`generator.fmt`),
the way every page prints them, never from the PDF code's own output.
"""

from __future__ import annotations

import os
import posixpath
import re
import string
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

import pdfplumber
import pypdf
import pytest

from generator import fmt, links
from generator.build import nav_file
from generator.exports import DOWNLOADS, download_href
from generator.nav import NavNode, entries_from_json, page_title, reading_order
from generator.pack import load_pack
from generator.pdf.article import print_article
from generator.pdf.build import edition_hash
from generator.pdf.edition import Cover, TocEntry
from generator.pdf.tree import parse, serialize
from generator.quiz import mock_exam
from generator.quiz.items import QuizItem

ROOT = Path(__file__).resolve().parent.parent
LETTERS = string.ascii_uppercase
MM = 72 / 25.4
SCREEN_ONLY_WORDS = (
    "Type to start searching",
    "Skip to content",
    "Back to top",
    "Copy to clipboard",
    "¶",
    "Check answer",
    "Show answer",
    "Retry",
)


def squash(text: str) -> str:
    """Text without whitespace, and without the hyphens (U+2010) hyphenation adds at line
    ends; the content's own hyphens are U+002D."""
    return re.sub(r"\s+", "", text.replace("\u2010\n", ""))


@pytest.fixture(scope="module")
def edition(built_site) -> Path:
    """The built site, which conftest's `built_site` ran the `pdf` command on."""
    return built_site.site


@pytest.fixture(scope="module")
def pdf_run(edition, pdf_log) -> tuple[Path, str]:
    """The `pdf` command's result: (the PDF's path, what it printed)."""
    return edition / "downloads" / DOWNLOADS["pdf"][0], pdf_log


@pytest.fixture(scope="module")
def reader(pdf_run) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf_run[0])


@pytest.fixture(scope="module")
def pages(reader, pdf_page_texts) -> list[str]:
    """Each page's text (pypdf's, from conftest) without its running head (the edition's
    title, then the section) and page number, so a passage split over two pages reads on."""
    title = reader.metadata.title
    assert title
    assert len(pdf_page_texts) == len(reader.pages)
    return [
        "\n".join(
            line
            for line in text.splitlines()
            if not line.startswith(title) and not re.fullmatch(r"\d+ / \d+", line.strip())
        )
        for text in pdf_page_texts
    ]


@pytest.fixture(scope="module")
def outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark, in order."""
    flat: list[tuple[int, str, int]] = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                flat.append((depth, entry.title, reader.get_destination_page_number(entry)))

    walk(reader.outline, 0)
    return flat


def section_pages(outline, title: str) -> range:
    """Pages from a bookmark up to the next bookmark at the same or a higher level (or to
    the end); slice with it, `pages[r.start : r.stop]`."""
    for i, (depth, name, page) in enumerate(outline):
        if name == title:
            following = [p for d, _, p in outline[i + 1 :] if d <= depth]
            end = following[0] if following else 10**6
            return range(page, max(end, page + 1))
    raise AssertionError(f"no bookmark {title!r}")


def section_text(pages: list[str], outline, title: str) -> str:
    span = section_pages(outline, title)
    return "\n".join(pages[span.start : span.stop])


# --- the file and its progress -------------------------------------------------------------


def test_pdf_command_reports_each_stage_and_writes_the_downloads(pdf_run, bank):
    path, output = pdf_run
    assert path.stat().st_size > 50_000
    lines = output.splitlines()
    assert any(line.startswith("pdf: navigation from the build") for line in lines)
    assert any("weasyprint step 5" in line for line in lines)
    assert any(line.startswith(f"pdf: wrote {path}") for line in lines)
    for fmt_name in ("gift", "qti", "anki", "json", "schema"):
        assert (path.parent / DOWNLOADS[fmt_name][0]).stat().st_size > 0


def test_pdf_opens_with_an_outline_and_a_cover(reader, pages, evidence, outline):
    assert len(reader.pages) > 20
    assert outline, "the PDF has no bookmarks"
    titles = [t for _, t, _ in outline]
    assert "Contents" in titles and "Answer key" in titles
    cover = squash(pages[0])
    assert squash(evidence.source.title) in cover
    assert squash(evidence.source.evidence_date) in cover
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = datetime.fromtimestamp(int(epoch), UTC).date() if epoch else date.today()
    assert built.isoformat() in cover


def test_toc_gives_the_page_each_trial_starts_on(pages, outline, evidence):
    toc = section_text(pages, outline, "Contents")
    completed = [t for t in evidence.trials if t.status == "completed"]
    assert completed
    for trial in completed:
        found = re.search(rf"^{re.escape(trial.name)}[ .]*?(\d+)$", toc, re.M)
        assert found, f"{trial.name} missing from the table of contents"
        page = int(found.group(1)) - 1
        assert page == section_pages(outline, trial.name).start
        assert pages[page].lstrip().splitlines()[1:3], "a trial page has text"
        assert trial.name in pages[page]


def test_every_trial_page_holds_its_key_numbers(pages, outline, evidence):
    completed = [t for t in evidence.trials if t.status == "completed"]
    checked = 0
    for trial in completed:
        text = squash(section_text(pages, outline, trial.name))
        expected = [fmt.count(trial.n)]
        expected += [fmt.endpoint_value(ep) for ep in trial.endpoints]
        expected += [fmt.comparison_value(c) for c in trial.comparisons if c.estimate is not None]
        expected += [fmt.adverse_event_value(ae) for ae in trial.adverse_events]
        for value in expected:
            assert squash(value) in text, f"{trial.name}: {value!r} not on its pages"
            checked += 1
    assert checked > 50


def test_glossary_and_discrepancies_are_printed(pages, outline, evidence):
    everything = squash("\n".join(pages))
    assert evidence.glossary and evidence.discrepancies
    for term in evidence.glossary:
        assert squash(term.abbr) in everything and squash(term.expansion) in everything
    for discrepancy in evidence.discrepancies:
        assert squash(discrepancy.topic) in everything, discrepancy.id


def test_interactive_parts_are_left_out(pages):
    everything = "\n".join(pages)
    for words in SCREEN_ONLY_WORDS:
        assert words not in everything


def test_figures_are_vectors_with_their_labels_as_text(reader, pages, edition):
    assert all(not page.images for page in reader.pages), "a figure was rasterised"
    everything = squash("\n".join(pages))
    svgs = sorted((edition / "generated" / "figures").glob("*.svg"))
    assert svgs
    for svg in svgs:
        labels = [
            "".join(el.itertext())
            for el in ElementTree.parse(svg).iter("{http://www.w3.org/2000/svg}text")
        ]
        labels = [label for label in labels if len(label.strip()) >= 6]
        assert labels, svg.name
        missing = [label for label in labels if squash(label) not in everything]
        assert not missing, f"{svg.name}: {missing[:3]}"


def test_no_text_runs_past_the_right_margin(pdf_run):
    with pdfplumber.open(pdf_run[0]) as pdf:
        assert len(pdf.pages) > 20
        for number, page in enumerate(pdf.pages, start=1):
            assert page.width == pytest.approx(210 * MM, abs=1)
            assert page.chars, f"page {number} has no text"
            widest = max(char["x1"] for char in page.chars)
            assert widest <= page.width, f"page {number}: text cut at the right edge"
            # nothing reaches into the right margin either (18 mm; 15 mm allowed)
            assert widest <= page.width - 15 * MM, f"page {number}: text in the margin"


# --- quizzes and the answer key --------------------------------------------------------------


def expected_answer(item: QuizItem) -> str:
    if item.type == "single":
        return f"{LETTERS[item.key]}. {item.options[item.key]}"
    if item.type == "true-false":
        return item.options[item.key]
    if item.type == "numeric":
        return fmt.quantity(item.key, item.unit) if item.unit else fmt.number(item.key)
    if item.type == "matching":
        return "; ".join(
            f"{i + 1} → {LETTERS[k]} ({item.options[k]})" for i, k in enumerate(item.key)
        )
    return ", ".join(LETTERS[k] for k in item.key)


def answer_key(pages, outline) -> list[tuple[int, str]]:
    """(question number, the key's text for it), in the order printed."""
    text = squash(section_text(pages, outline, "Answer key"))
    parts = re.split(r"Question(\d+):", text)
    rest = parts[1:]
    return [(int(rest[i]), rest[i + 1]) for i in range(0, len(rest), 2)]


def printed_choices(item: QuizItem) -> list[str]:
    """The options a question prints (true/false and numeric questions print none)."""
    if item.type in ("true-false", "numeric"):
        return []
    return [*item.options, *item.prompts]


def printed_numbers(text: str, items: list[QuizItem], first: int = 1) -> dict[int, QuizItem]:
    """Which item each printed question number asks, in squashed text where questions
    run on from `first` ("17." + stem + options). The key names no item (its ids are
    internal), so the printed stem and options tie each number to the bank: stems alone
    repeat (vignettes share an opening and question)."""
    stems = {squash(item.stem) for item in items}
    starts: list[tuple[int, int]] = []
    position, number = 0, first
    while True:
        at = next(
            (
                m.end()
                # no look-behind for a digit: squashed, "...frees DM1" + "3." reads "DM13."
                for m in re.compile(rf"{number}\.").finditer(text, position)
                if any(text.startswith(stem, m.end()) for stem in stems)
            ),
            None,
        )
        if at is None:
            break
        starts.append((number, at))
        position, number = at, number + 1
    found: dict[int, QuizItem] = {}
    for i, (number, at) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        segment = text[at:end]
        fits = [
            item
            for item in items
            if segment.startswith(squash(item.stem))
            and all(squash(o) in segment for o in printed_choices(item))
        ]
        if fits:
            found[number] = max(fits, key=lambda item: len(item.stem))
    return found


@pytest.fixture(scope="module")
def questions(pages, outline, bank) -> dict[int, QuizItem]:
    before_key = squash("\n".join(pages[: section_pages(outline, "Answer key").start]))
    return printed_numbers(before_key, bank)


def test_every_quiz_item_is_printed_with_a_number(questions, bank):
    printed = {item.id for item in questions.values()}
    missing = [item.id for item in bank if item.id not in printed]
    assert not missing, f"not printed: {missing[:5]}"


def test_mock_exam_is_printed_in_full(pages, outline, bank):
    exam = mock_exam(bank)
    assert len(exam) == 40
    text = squash(section_text(pages, outline, "Mock exam"))
    numbered = printed_numbers(text, exam, first=len(bank) + 1)
    assert sorted(item.id for item in numbered.values()) == sorted(item.id for item in exam)
    # in the site's order, numbered on from the topics' questions
    assert [numbered[n].id for n in sorted(numbered)] == [item.id for item in exam]
    assert min(numbered) == len(bank) + 1
    # its answers stand under its own title in the key
    key = squash(section_text(pages, outline, "Answer key"))
    assert f"MockexamQuestion{min(numbered)}:" in key


def test_answer_key_matches_the_printed_questions(pages, outline, bank, questions):
    key = answer_key(pages, outline)
    exam = mock_exam(bank)
    assert [n for n, _ in key] == list(range(1, len(bank) + len(exam) + 1))
    for number, body in key:
        item = questions[number]
        assert body.startswith(squash(expected_answer(item))), f"question {number}: {item.id}"
        assert squash(item.explanation) in body, f"question {number}: explanation"


def test_no_item_id_is_printed(pages, bank):
    everything = "\n".join(pages)
    squashed = squash(everything)
    printed = [item.id for item in bank if item.id in everything or item.id in squashed]
    assert not printed, printed[:5]


def test_quiz_headings_carry_no_part_numbers(pages, outline):
    titles = [t for _, t, _ in outline]
    assert any(t.startswith("Quiz:") for t in titles)
    assert not [t for t in titles if re.search(r"part \d+ of \d+", t)]
    assert not re.search(r"part\d+of\d+", squash("\n".join(pages)))


def test_pdf_is_tagged_with_its_language_and_title(pdf_run, reader, built_site):
    info = subprocess.run(
        ["pdfinfo", str(pdf_run[0])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert reader.metadata.title == load_pack(built_site.root).config.site_name
    assert f"<title>{reader.metadata.title}</title>" in home
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root


def test_body_tables_are_at_least_8_5_pt(pdf_run, outline, evidence):
    trial = next(t for t in evidence.trials if t.status == "completed" and t.adverse_events)
    span = section_pages(outline, trial.name)
    sizes = []
    with pdfplumber.open(pdf_run[0]) as pdf:
        for page in pdf.pages[span.start : span.stop]:
            for table in page.find_tables():
                cells = page.crop(table.bbox)
                sizes += [round(c["size"], 2) for c in cells.chars if c["text"].strip()]
    assert sizes, f"no table found on {trial.name}'s pages"
    assert min(sizes) >= 8.5, sorted(set(sizes))[:5]


def test_an_unchanged_edition_is_reused_not_typeset_again(pdf_run, pdf_again):
    # conftest ran `pdf` a second time on the unchanged built site, before any test
    # read it (xdist's workers share the build); this is what that second run did.
    path = pdf_run[0]
    log, before = pdf_again
    assert "pdf: inputs unchanged" in log and "weasyprint" not in log, log
    assert path.read_bytes() == before


def test_edition_hash_follows_the_inputs_but_not_the_build_date(tmp_path):
    figure = tmp_path / "f.svg"
    figure.write_text("<svg/>")
    cover = Cover("T", "lead", "src", "kind", "2014", "basis", "2026-01-01")
    toc = [TocEntry("A", "a", 0, part=False)]
    body = f'<p>one</p><img src="{figure.as_uri()}">'
    first = edition_hash(cover, toc, body)
    assert edition_hash(replace(cover, build_date="2027-01-01"), toc, body) == first
    assert edition_hash(cover, toc, body.replace("one", "two")) != first
    assert edition_hash(replace(cover, title="U"), toc, body) != first
    figure.write_text("<svg><rect/></svg>")
    assert edition_hash(cover, toc, body) != first


# --- the pieces, on hand-written Material HTML ------------------------------------------------

MATERIAL_PAGE = """<!doctype html><html><body>
<nav class="md-nav md-nav--primary"><label class="md-nav__title">Guide</label>
<ul class="md-nav__list">
 <li class="md-nav__item"><a href="index.html" class="md-nav__link">
   <span class="md-ellipsis">Home</span></a>
   <nav class="md-nav md-nav--secondary"><ul><li class="md-nav__item">
     <a class="md-nav__link" href="#intro">Intro</a></li></ul></nav></li>
 <li class="md-nav__item md-nav__item--nested">
   <label class="md-nav__link"><span class="md-ellipsis">Trials</span></label>
   <nav class="md-nav"><ul class="md-nav__list">
     <li class="md-nav__item"><a href="trials/a.html" class="md-nav__link">A</a></li>
     <li class="md-nav__item"><a href="https://example.org/" class="md-nav__link">Out</a></li>
   </ul></nav></li>
</ul></nav>
<form class="md-search"><input placeholder="Search"></form>
<article class="md-content__inner md-typeset">
<a class="md-content__button" href="edit">Edit</a>
<h1 id="home">Home<a class="headerlink" href="#home">&para;</a></h1>
<p id="intro">See <a href="trials/a.html#pfs">trial A</a>, <a href="#intro">above</a>,
<a href="downloads/x.pdf">the download</a> and <a href="https://example.org/">a site</a>.</p>
<div class="tabbed-set"><input type="radio"><input type="radio">
 <div class="tabbed-labels"><label>One</label><label>Two</label></div>
 <div class="tabbed-content"><div class="tabbed-block"><p>first</p></div>
 <div class="tabbed-block"><p>second</p></div></div></div>
<details><summary>More</summary><p>hidden</p></details>
<div class="quiz no-print"><button>Check answer</button></div>
<img src="figures/f.svg" alt="figure">
<svg><defs><marker id="arrow"/></defs></svg>
<h2 id="part">Part</h2><h3 id="sub">Sub</h3>
<table><tr><th>Short</th><th>Long</th></tr><tr><td>a</td><td>{long}</td></tr></table>
</article></body></html>""".replace("{long}", "words " * 40)


def test_nav_is_read_in_order_with_titles_from_the_pages_own_headings():
    nav = [
        NavNode(None, "index.md"),
        NavNode("Trials", children=(NavNode(None, "generated/a.md"), NavNode("Named", "b.md"))),
    ]
    files = {
        "index.md": "---\nsearch:\n  boost: 2\n---\n\n# Home page {#top}\n\n## Not this\n",
        "generated/a.md": "Intro line\n# Trial A\n",
        "b.md": "# Ignored: the nav names it\n",
    }
    entries = [(e.title, e.url, e.level) for e in reading_order(nav, files)]
    assert entries == [
        ("Home page", "index.html", 0),
        ("Trials", None, 0),
        ("Trial A", "generated/a.html", 1),
        ("Named", "b.html", 1),
    ]
    assert page_title("no heading\n## second level\n") is None


def test_the_build_leaves_the_nav_the_site_shows_for_the_print_edition(built_site, evidence):
    # The print edition walks the nav the build made (nav.json), not Material's HTML: every
    # page in it exists, its title is the one the built page carries, every completed
    # trial is in it, and every page of the site's nav is in it.
    entries = entries_from_json(nav_file(built_site.site).read_text(encoding="utf-8"))
    pages = [e for e in entries if e.url]
    name = load_pack(built_site.root).config.site_name
    for entry in pages:
        html = (built_site.site / entry.url).read_text(encoding="utf-8")
        heading = re.search(r"<title>(.*?)</title>", html).group(1)
        expected = name if entry.url == "index.html" else f"{entry.title} - {name}"
        assert unescape(heading) == expected, entry
    urls = {e.url for e in pages}
    for trial in (t for t in evidence.trials if t.status == "completed"):
        assert f"generated/trials/{trial.id}.html" in urls, trial.name
    home = parse((built_site.site / "index.html").read_text(encoding="utf-8"))
    top = {a.get("href") for a in home.iter("a") if "md-tabs__link" in (a.get("class") or "")}
    assert top and {posixpath.normpath(h) for h in top} <= urls


def test_article_keeps_the_content_and_drops_the_screen(tmp_path):
    page = parse(MATERIAL_PAGE)
    in_document = {"index.html", "trials/a.html"}
    html = serialize(print_article(page, "index.html", in_document, tmp_path, 0))
    for gone in ("headerlink", "Edit", "<input", "<button", "Check answer", "<form", "¶"):
        assert gone not in html
    assert 'href="#p-trials-a__pfs"' in html and 'href="#p-index__intro"' in html
    assert 'id="p-index__intro"' in html and 'id="arrow"' in html  # SVG ids stay
    assert "the download" in html and "downloads/x.pdf" not in html  # dead link unwrapped
    assert 'href="https://example.org/"' in html
    assert html.index("One") < html.index("first") < html.index("Two") < html.index("second")
    assert "<details open" in html
    assert (tmp_path / "figures" / "f.svg").as_uri() in html
    assert 'id="p-index__home" class="page-title" style="bookmark-level: 1"' in html
    assert 'id="p-index__part" style="bookmark-level: 2"' in html
    assert 'id="p-index__sub" style="bookmark-level: none"' in html
    widths = [float(w) for w in re.findall(r"width: ([\d.]+)%", html)]
    assert len(widths) == 2 and widths[1] > 3 * widths[0] and sum(widths) == pytest.approx(100)


def test_download_links_resolve_after_the_pdf_command(pdf_run, edition):
    for page in (links.HOME, links.DOWNLOADS):
        folder = (edition / links.docs_path(page)).parent
        for name, _ in DOWNLOADS.values():
            assert (folder / download_href(name, page)).resolve().is_file(), (page, name)


def test_site_pages_link_every_download_and_the_links_resolve(pdf_run, edition):
    """Read the links off the built HTML: the home page offers the PDF, the downloads page
    offers every file, and each link lands on a file the pdf command wrote."""
    for page, wanted in ((links.HOME, ["pdf"]), (links.DOWNLOADS, list(DOWNLOADS))):
        html_path = edition / links.docs_path(page).removesuffix(".md")
        html = html_path.with_suffix(".html").read_text()
        hrefs = set(re.findall(r'href="([^"]*downloads/[^"]+)"', html))
        for key in wanted:
            name = DOWNLOADS[key][0]
            match = [h for h in hrefs if h.endswith("/" + name) or h == f"downloads/{name}"]
            assert match, f"{page} does not link {name}"
            assert (html_path.parent / match[0]).resolve().is_file(), (page, match[0])
