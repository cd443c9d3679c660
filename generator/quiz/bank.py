"""The bank: item models and flashcard models expanded over the evidence, linted, with the
mock exam chosen from it. Every command that needs quizzes goes through `load_bank`, so
the site, the PDF and the exports show one and the same bank."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..loader import InputError, Problem
from ..model import Evidence
from .hinges import HingeIndex, seed, without_hinges
from .itemmodels import Models, build_cards, build_items, load_models
from .items import TOPICS, Flashcard, QuizItem
from .lint import LintConfig, coverage, lint, trial_names

MOCK_EXAM = "mock-exam"
MOCK_PER_TOPIC = 8
MOCK_SIZE = 40  # a topic short of its share leaves its places to the others
MOCK_VIGNETTES_PER_TOPIC = 2


@dataclass(frozen=True)
class Bank:
    items: list[QuizItem]
    exam: list[QuizItem]
    cards: list[Flashcard]
    problems: list[Problem]  # the linter's findings; empty for a bank fit to publish


def build_bank(
    ev: Evidence, models: Models, findings: list[Problem] | None = None
) -> list[QuizItem]:
    """Every item model expanded over the evidence, without hinges. Pure."""
    return without_hinges(build_items(ev, models, findings))


def mock_exam(bank: list[QuizItem]) -> list[QuizItem]:
    """A mixed exam: the same number from each topic, some vignettes in each, no item whose
    key another stem prints; chosen and ordered by seeded hashes, so it is stable."""
    chosen: list[QuizItem] = []
    chosen_ids: set[str] = set()  # ids, not items: comparing whole items is slow at scale
    index = HingeIndex([i.stem for i in bank])

    def take(candidates: list[QuizItem], up_to: int) -> None:
        taken = 0
        for item in candidates:
            if taken == up_to or len(chosen) == MOCK_SIZE:
                break
            if item.id not in chosen_ids and not (index.cued(item) or index.cues(item)):
                index.add(item)
                chosen.append(item)
                chosen_ids.add(item.id)
                taken += 1

    pools = {}
    for topic in TOPICS:
        pool = sorted((i for i in bank if i.topic == topic), key=lambda i: seed(f"mock/{i.id}"))
        vignettes = [i for i in pool if i.vignette][:MOCK_VIGNETTES_PER_TOPIC]
        first = {i.id for i in vignettes}
        pools[topic] = [*vignettes, *(i for i in pool if i.id not in first)]
        take(pools[topic], MOCK_PER_TOPIC)
    rest = sorted(
        (i for topic in TOPICS for i in pools[topic] if i.id not in chosen_ids),
        key=lambda i: seed(f"mock-fill/{i.id}"),
    )
    take(rest, MOCK_SIZE)
    return sorted(chosen, key=lambda i: seed(f"mock-order/{i.id}"))


def assemble(ev: Evidence, models: Models) -> Bank:
    empty: list[Problem] = []
    items = build_bank(ev, models, empty)
    exam = mock_exam(items)
    rules = models.rules
    config = LintConfig(trials=trial_names(ev), bedside=frozenset(rules.bedside))
    problems = empty + lint(items, config=config) + lint(exam, quiz=MOCK_EXAM, config=config)
    problems += coverage(
        items,
        min_bank=rules.min_bank,
        min_per_topic=rules.min_per_topic,
        min_vignettes=rules.min_vignettes,
        min_higher_share=rules.min_higher_share,
        types=rules.types,
    )
    return Bank(items, exam, build_cards(ev, models), problems)


def load_bank(ev: Evidence, root: Path, *, strict: bool = True) -> Bank:
    """The bank of the item models in `root/quizzes`. With `strict`, the linter's findings
    are an InputError, as for bad content; without, they come back in `problems`."""
    bank = assemble(ev, load_models(root / "quizzes", root))
    if strict and bank.problems:
        raise InputError(bank.problems)
    return bank
