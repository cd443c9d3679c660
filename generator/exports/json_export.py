"""The bank as JSON, in the shape `schemas/quiz-bank.schema.json` publishes."""

from __future__ import annotations

import json
from typing import Any

from ..model import Evidence
from ..quiz.items import Flashcard, QuizItem
from ..quiz.wording import answer_text
from .common import sources

FORMAT = "evidence-quiz-bank"
# 2: items carry their item model's level, problem, case features, keyed trial, one reason
# per option and a take-away; the document carries the flashcards.
VERSION = 2
SCHEMA_ID = "quiz-bank.schema.json"


def bank_document(
    items: list[QuizItem],
    ev: Evidence,
    topic: str | None = None,
    cards: list[Flashcard] | None = None,
) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "version": VERSION,
        "topic": topic,
        "source": {
            "title": ev.source.title,
            "kind": ev.source.kind,
            "evidence_date": ev.source.evidence_date,
        },
        "items": [
            {
                **item.model_dump(mode="json"),
                "answer": answer_text(item),
                "sources": sources(ev, item),
            }
            for item in items
        ],
        "cards": [
            {**card.model_dump(mode="json"), "sources": sources(ev, card)} for card in cards or []
        ],
    }


def bank_json(
    items: list[QuizItem],
    ev: Evidence,
    topic: str | None = None,
    cards: list[Flashcard] | None = None,
) -> str:
    document = bank_document(items, ev, topic, cards)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
