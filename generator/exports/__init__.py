"""Quiz-bank exports for other learning systems, and the files the site offers.

Each format is a pure function from the bank to bytes; `write_export` is the edge
that writes them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..downloads import DOWNLOADS, DOWNLOADS_DIR, download_href, download_links
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
__all__ = [
    "DOWNLOADS",
    "DOWNLOADS_DIR",
    "FORMATS",
    "download_href",
    "download_links",
    "export_bytes",
    "select_topic",
    "write_downloads",
    "write_export",
]


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
