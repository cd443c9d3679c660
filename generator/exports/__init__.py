"""Quiz-bank exports for other learning systems, and the files the site offers.

Each format is a pure function from the bank to bytes; `write_export` is the edge
that writes them.
"""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

from .. import links
from ..model import Evidence
from ..pack import AnkiIds
from ..quiz.items import Flashcard, QuizItem
from .anki import apkg
from .gift import gift
from .json_export import bank_json
from .qti import package

FORMATS = ("gift", "qti", "anki", "json")
SCHEMA = Path(__file__).resolve().parent.parent.parent / "schemas" / "quiz-bank.schema.json"
BANK_TITLE = "Evidence quiz bank"

DOWNLOADS_DIR = "downloads"  # under site/
# File names under site/downloads/, with the words a downloads page can show for each.
DOWNLOADS: dict[str, tuple[str, str]] = {
    "pdf": ("evidence.pdf", "Print edition (PDF): every page, quizzes with answer key"),
    "gift": ("quiz-bank.gift.txt", "Moodle GIFT (import into a Moodle question bank)"),
    "qti": ("quiz-bank.qti21.zip", "IMS QTI 2.1 content package (zip)"),
    "anki": ("quiz-bank.apkg", "Anki deck (.apkg); re-importing updates the cards"),
    "json": ("quiz-bank.json", "JSON of the quiz bank"),
    "schema": ("quiz-bank.schema.json", "JSON Schema of the quiz bank"),
}


def download_href(name: str, page: str) -> str:
    """Relative URL of a file in site/downloads/ from a page (`links.locate` naming:
    "index.md" at the site root, others under generated/)."""
    depth = links.docs_path(page).count("/")
    return "../" * depth + f"{DOWNLOADS_DIR}/{name}"


def download_links(page: str) -> str:
    """The downloads as an HTML list for a Markdown page. Raw HTML on purpose: the files
    are written after `mkdocs build`, so MkDocs' strict link check must not see them."""
    rows = "".join(
        f'<li><a href="{escape(download_href(name, page))}" download>{escape(name)}</a>: '
        f"{escape(label)}</li>"
        for name, label in DOWNLOADS.values()
    )
    return f'<ul class="downloads">{rows}</ul>'


def export_bytes(
    fmt: str,
    items: list[QuizItem],
    ev: Evidence,
    anki: AnkiIds,
    topic: str | None = None,
    cards: list[Flashcard] | None = None,
) -> bytes:
    """One format's bytes. Flashcards go to the formats that review facts (Anki, JSON);
    GIFT and QTI carry scored questions only."""
    if fmt == "gift":
        return gift(items, "Evidence quiz").encode()
    if fmt == "qti":
        return package(items, BANK_TITLE + (f": {topic}" if topic else ""))
    if fmt == "anki":
        return apkg(items, ev, anki, cards=cards)
    if fmt == "json":
        return bank_json(items, ev, topic, cards).encode()
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def select_topic(items: list[QuizItem], topic: str | None) -> list[QuizItem]:
    return [item for item in items if topic is None or item.topic == topic]


def write_export(path: Path, data: bytes) -> Path:
    """Write through a temporary file so a failed run leaves the previous file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)
    return path


def write_downloads(
    folder: Path,
    items: list[QuizItem],
    ev: Evidence,
    anki: AnkiIds,
    progress=print,
    cards: list[Flashcard] | None = None,
) -> None:
    """Every export of the whole bank (and its flashcards), and the schema, into the
    site's downloads folder."""
    for fmt in FORMATS:
        name = DOWNLOADS[fmt][0]
        write_export(folder / name, export_bytes(fmt, items, ev, anki, cards=cards))
        progress(f"exports: wrote {folder / name} ({len(items)} items)")
    shutil.copyfile(SCHEMA, folder / DOWNLOADS["schema"][0])
