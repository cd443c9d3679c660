"""Pack -> (pack, evidence, bank): the one road every command takes.

`check`, `build`, `pdf`, `export`, `stats`, `serve` and the bench all call `load`, so the
site, the print edition and the exports show one bank, built and linted once per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .evidence import load_evidence
from .model import Evidence
from .pack import Pack, load_pack
from .quiz.bank import Bank, load_bank
from .quiz.items import Flashcard, QuizItem


@dataclass(frozen=True)
class Loaded:
    pack: Pack
    evidence: Evidence
    bank: Bank | None  # None: the pack has no quizzes/ folder

    # What the renderers and exports read; a pack without quizzes has none of them.
    @property
    def items(self) -> list[QuizItem]:
        return self.bank.items if self.bank else []

    @property
    def exam(self) -> list[QuizItem]:
        return self.bank.exam if self.bank else []

    @property
    def cards(self) -> list[Flashcard]:
        return self.bank.cards if self.bank else []


def load(root: Path, *, strict: bool = True) -> Loaded:
    """The pack in `root`, its evidence validated and its bank built. With `strict`, the
    linter's findings are an InputError like bad content; without (the bench's synthetic
    packs), they stay in `bank.problems`."""
    pack = load_pack(root)
    evidence = load_evidence(pack.content, pack.root, pack.config.vocabulary)
    bank = load_bank(evidence, pack.root, strict=strict) if pack.quizzes.is_dir() else None
    return Loaded(pack, evidence, bank)
