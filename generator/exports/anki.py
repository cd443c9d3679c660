"""Anki deck (.apkg) via genanki, with ids that survive rebuilds.

The note types' ids and the decks' names come from the pack (`pack.yaml` `anki`), fixed
once published, so two packs' decks never merge; and each note's guid comes from the item id
(a flashcard's from its card id), so importing a newer build updates the notes instead of
adding duplicates. Questions and flashcards are two note types: a question's back gives
the answer, why each option is or is not right, the explanation, the take-away, the
source, the objective and the level; a flashcard is a front and a back. The note
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
from ..pack import AnkiIds
from ..quiz.items import Flashcard, QuizItem
from ..quiz.wording import about_lines, answer_text, letter, option_reasons
from .common import sources

CSS = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: #111; background: #fff; }
.options { margin: 0.5em 0; }
.answer { font-weight: bold; }
.explanation { margin-top: 0.6em; }
.source, .objective { margin-top: 0.6em; font-size: 0.8em; color: #444; }
.reasons { margin: 0.6em 0; padding-left: 1.2em; }
.takeaway { margin-top: 0.6em; font-style: italic; }
table.matching td { padding: 0.1em 1em 0.1em 0; }
"""


def question_model(model_id: int) -> genanki.Model:
    return genanki.Model(
        model_id,
        "Evidence quiz question",
        fields=[
            {"name": "Question"},
            {"name": "Answer"},
            {"name": "Explanation"},
            {"name": "Source"},
            {"name": "Objective"},
            {"name": "Id"},
            # Added after Id, so the fields of notes imported from earlier builds keep their places.
            {"name": "Reasons"},
            {"name": "Takeaway"},
            {"name": "Level"},
        ],
        templates=[
            {
                "name": "Question",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>'
                '{{#Reasons}}<ul class="reasons">{{Reasons}}</ul>{{/Reasons}}'
                '<div class="explanation">{{Explanation}}</div>'
                '{{#Takeaway}}<div class="takeaway">Take-away: {{Takeaway}}</div>{{/Takeaway}}'
                '<div class="source">{{Source}}</div>'
                '<div class="objective">Objective: {{Objective}} ({{Level}})</div>',
            }
        ],
        css=CSS,
    )


def card_model(model_id: int) -> genanki.Model:
    return genanki.Model(
        model_id,
        "Evidence flashcard",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "Id"}],
        templates=[
            {
                "name": "Card",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">{{Back}}</div>'
                '<div class="source">{{Source}}</div>',
            }
        ],
        css=CSS,
    )


def stable_id(name: str) -> int:
    """A deck id from its name, in the range genanki suggests (2**30 to 2**31)."""
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
    return (1 << 30) | (digest & ((1 << 30) - 1))


def deck_name(topic: str, ids: AnkiIds) -> str:
    return f"{ids.deck}::{topic.capitalize()}"


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


def note(item: QuizItem, ev: Evidence, model: genanki.Model) -> genanki.Note:
    about = dict(about_lines(item))
    return genanki.Note(
        model=model,
        fields=[
            question_html(item),
            escape(answer_text(item)),
            escape(item.explanation),
            "<br>".join(escape(line) for line in sources(ev, item)),
            escape(item.objective),
            escape(item.id),
            "".join(
                f"<li><b>{escape(label)}</b>: {escape(why)}</li>"
                for _, label, why in option_reasons(item)
            ),
            escape(about.get("Take-away", "")),
            escape(about["Level"]),
        ],
        tags=[item.topic, item.type, item.level, item.blueprint.replace(" ", "_")],
        guid=genanki.guid_for(item.id),
    )


def card_guid(card: Flashcard) -> str:
    """Stable from the card id, and apart from any question's (`guid_for(item id)`)."""
    return genanki.guid_for("flashcard", card.id)


def card_note(card: Flashcard, ev: Evidence, model: genanki.Model) -> genanki.Note:
    return genanki.Note(
        model=model,
        fields=[
            escape(card.front),
            escape(card.back),
            "<br>".join(escape(line) for line in sources(ev, card)),
            escape(card.id),
        ],
        tags=[card.topic, "flashcard"],
        guid=card_guid(card),
    )


def card_deck_name(topic: str, ids: AnkiIds) -> str:
    return f"{deck_name(topic, ids)}::Flashcards"


def decks(
    items: list[QuizItem], ev: Evidence, ids: AnkiIds, cards: list[Flashcard] | None = None
) -> list[genanki.Deck]:
    questions, flashcards = question_model(ids.question_model_id), card_model(ids.card_model_id)
    by_name: dict[str, genanki.Deck] = {}

    def deck(name: str) -> genanki.Deck:
        if name not in by_name:
            by_name[name] = genanki.Deck(stable_id(name), name)
        return by_name[name]

    for item in items:
        deck(deck_name(item.topic, ids)).add_note(note(item, ev, questions))
    for card in cards or []:
        deck(card_deck_name(card.topic, ids)).add_note(card_note(card, ev, flashcards))
    return list(by_name.values())


def apkg(
    items: list[QuizItem],
    ev: Evidence,
    ids: AnkiIds,
    timestamp: float | None = None,
    cards: list[Flashcard] | None = None,
) -> bytes:
    """The .apkg bytes. Built in memory: genanki's own writer leaves its temporary
    database behind in /tmp."""
    package = genanki.Package(decks(items, ev, ids, cards))
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
