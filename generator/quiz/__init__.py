"""Quizzes generated from the evidence: item models (quizzes/*.yaml) x model -> bank.

Public API, used by the site build, the PDF and the exports:
- `load_bank(ev, root)`: the bank of `root/quizzes` (items, mock exam, flashcards), linted;
- `load_models(quizzes_dir, root)`: the checked item and card models (InputError on problems);
- `build_bank(ev, models)`: the items, pure and deterministic;
- `lint(bank)`: item-writing flaws, as Problems; `coverage(bank)`: the bank's minimums;
- `site_pages(bank)`: generated quiz pages (relative path -> Markdown);
"""

from .bank import Bank, build_bank, load_bank, mock_exam
from .itemmodels import ItemModel, Models, load_models
from .items import ITEM_TYPES, LEVELS, TOPICS, EvidenceRef, Flashcard, QuizItem
from .lint import coverage, lint
from .pages import BANK_JSON, site_pages, stats

__all__ = [
    "ITEM_TYPES",
    "LEVELS",
    "TOPICS",
    "Bank",
    "EvidenceRef",
    "Flashcard",
    "ItemModel",
    "Models",
    "QuizItem",
    "BANK_JSON",
    "build_bank",
    "coverage",
    "lint",
    "load_bank",
    "load_models",
    "mock_exam",
    "site_pages",
    "stats",
]
