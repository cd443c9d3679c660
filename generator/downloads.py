"""The files the site offers for download (the PDF and the exports) and links to them.

Named here, not in the exports, because pages link to them: the page layer must not
import the export layer (which loads genanki and the rest to render a page).
"""

from __future__ import annotations

from html import escape

from . import links

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
