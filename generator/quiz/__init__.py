"""Quizzes generated from the evidence: blueprints (quizzes/*.yaml) x model -> item bank.

Public API, used by the site build, the PDF and the exports:
- `load_blueprints(quizzes_dir, root)`: the checked blueprints (InputError on problems);
- `build_bank(ev, blueprints)`: the items, pure and deterministic;
- `lint(bank)`: item-writing flaws, as Problems; `coverage(bank)`: the bank's minimums;
- `site_pages(ev, root)`: generated quiz pages (relative path -> Markdown);
- `bank_to_json(bank)`: the bank as JSON text.
"""

from .blueprint import Blueprint, load_blueprints
from .generate import build_bank
from .items import ITEM_TYPES, TOPICS, EvidenceRef, QuizItem
from .lint import coverage, lint
from .pages import bank_to_json, checked_bank, mock_exam, site_pages, stats

__all__ = [
    "ITEM_TYPES",
    "TOPICS",
    "Blueprint",
    "EvidenceRef",
    "QuizItem",
    "bank_to_json",
    "build_bank",
    "checked_bank",
    "coverage",
    "lint",
    "load_blueprints",
    "mock_exam",
    "site_pages",
    "stats",
]
