"""The print edition as one HTML document: cover, contents, the site's pages in
navigation order, the quizzes as numbered questions, and the answer key.

Pure: nav entries, cleaned page sections and quiz items in, HTML text out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..nav import NavEntry
from .article import page_slug

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "print"
STYLESHEET = TEMPLATES / "print.css"


@dataclass(frozen=True)
class Cover:
    title: str
    lead: str
    source_title: str
    source_kind: str
    evidence_date: str
    evidence_date_basis: str
    build_date: str


@dataclass(frozen=True)
class TocEntry:
    title: str
    anchor: str
    level: int
    part: bool


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


def part_id(index: int) -> str:
    return f"part-{index}"


def body_and_toc(
    nav: list[NavEntry], sections: dict[str, str], extra: list[tuple[TocEntry, str]]
) -> tuple[str, list[TocEntry]]:
    """Pages in navigation order; a nav label without a page becomes a part heading.
    `extra` (the answer key) follows the pages."""
    chunks: list[str] = []
    toc: list[TocEntry] = []
    for index, entry in enumerate(nav):
        if entry.url is None:
            anchor = part_id(index)
            bookmark = f"bookmark-level: {entry.level + 1}"
            chunks.append(
                f'<section class="part" id="{anchor}">'
                f'<h1 style="{bookmark}">{Markup.escape(entry.title)}</h1></section>'
            )
            toc.append(TocEntry(entry.title, anchor, entry.level, part=True))
        elif entry.url in sections:
            chunks.append(sections[entry.url])
            toc.append(TocEntry(entry.title, page_slug(entry.url), entry.level, part=False))
    for toc_entry, html in extra:
        chunks.append(html)
        toc.append(toc_entry)
    return "\n".join(chunks), toc


def edition_html(cover: Cover, toc: list[TocEntry], body: str) -> str:
    return (
        environment()
        .get_template("edition.html.j2")
        .render(cover=cover, toc=toc, body=Markup(body))
    )
