"""Anki deck (.apkg) via genanki, with ids that survive rebuilds.

The model and deck ids are fixed numbers, and each note's guid comes from the item id,
so importing a newer build updates the notes instead of adding duplicates. The note
times are the build time (Anki keeps the newer note on import), so the file's bytes
differ between builds while its notes and guids do not.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import time
import zipfile
from html import escape
from itertools import count

import genanki

from ..model import Evidence
from ..quiz.items import QuizItem
from .common import answer_text, letter, sources

MODEL_ID = 1_742_118_803  # fixed forever: changing it would orphan every imported note
DECK_ROOT = "Evidence quiz"
CSS = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: #111; background: #fff; }
.options { margin: 0.5em 0; }
.answer { font-weight: bold; }
.explanation { margin-top: 0.6em; }
.source, .objective { margin-top: 0.6em; font-size: 0.8em; color: #444; }
table.matching td { padding: 0.1em 1em 0.1em 0; }
"""

MODEL = genanki.Model(
    MODEL_ID,
    "Evidence quiz question",
    fields=[
        {"name": "Question"},
        {"name": "Answer"},
        {"name": "Explanation"},
        {"name": "Source"},
        {"name": "Objective"},
        {"name": "Id"},
    ],
    templates=[
        {
            "name": "Question",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
            '<div class="explanation">{{Explanation}}</div>'
            '<div class="source">{{Source}}</div>'
            '<div class="objective">Objective: {{Objective}}</div>',
        }
    ],
    css=CSS,
)


def stable_id(name: str) -> int:
    """A deck id from its name, in the range genanki suggests (2**30 to 2**31)."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
    return (1 << 30) | (digest & ((1 << 30) - 1))


def deck_name(topic: str) -> str:
    return f"{DECK_ROOT}::{topic.capitalize()}"


def question_html(item: QuizItem) -> str:
    stem = f"<p>{escape(item.stem)}</p>"
    if item.type == "single":
        options = "".join(f"<li>{escape(o)}</li>" for o in item.options)
        return f'{stem}<ol type="A" class="options">{options}</ol>'
    if item.type == "true-false":
        return f"{stem}<p>True or false?</p>"
    if item.type == "numeric":
        unit = f" (in {escape(item.unit)})" if item.unit else ""
        return f"{stem}<p>Give the number{unit}.</p>"
    if item.type == "matching":
        rows = "".join(
            f"<tr><td>{i + 1}. {escape(p)}</td>"
            + (f"<td>{letter(i)}. {escape(item.options[i])}</td>" if i < len(item.options) else "")
            + "</tr>"
            for i, p in enumerate(item.prompts)
        )
        extra = "".join(
            f"<tr><td></td><td>{letter(i)}. {escape(item.options[i])}</td></tr>"
            for i in range(len(item.prompts), len(item.options))
        )
        return f'{stem}<table class="matching">{rows}{extra}</table>'
    options = "".join(f"<li>{escape(o)}</li>" for o in item.options)
    order = "<p>Put them in order, first to last.</p>"
    return f'{stem}<ol type="A" class="options">{options}</ol>{order}'


def note(item: QuizItem, ev: Evidence) -> genanki.Note:
    return genanki.Note(
        model=MODEL,
        fields=[
            question_html(item),
            escape(answer_text(item)),
            escape(item.explanation),
            "<br>".join(escape(line) for line in sources(ev, item)),
            escape(item.objective),
            escape(item.id),
        ],
        tags=[item.topic, item.type, item.blueprint.replace(" ", "_")],
        guid=genanki.guid_for(item.id),
    )


def decks(items: list[QuizItem], ev: Evidence) -> list[genanki.Deck]:
    by_topic: dict[str, genanki.Deck] = {}
    for item in items:
        name = deck_name(item.topic)
        if name not in by_topic:
            by_topic[name] = genanki.Deck(stable_id(name), name)
        by_topic[name].add_note(note(item, ev))
    return list(by_topic.values())


def apkg(items: list[QuizItem], ev: Evidence, timestamp: float | None = None) -> bytes:
    """The .apkg bytes. Built in memory: genanki's own writer leaves its temporary
    database behind in /tmp."""
    package = genanki.Package(decks(items, ev))
    stamp = time.time() if timestamp is None else timestamp
    db = sqlite3.connect(":memory:")
    try:
        package.write_to_db(db.cursor(), stamp, count(int(stamp * 1000)))
        db.commit()
        collection = db.serialize()
    finally:
        db.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", "{}")
    return buffer.getvalue()
