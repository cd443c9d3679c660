"""A generated question, as the site, the PDF and the exports read it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Topic = Literal["mechanism", "trials", "toxicity", "resistance", "ongoing"]
ItemType = Literal["single", "true-false", "numeric", "matching", "ordering"]
# Cognitive level of an item model (Bloom, as item writers for licensing exams use it):
# recall a fact; apply evidence to a patient; analyse what a result or design means.
Level = Literal["recall", "application", "analysis"]
LEVELS: tuple[Level, ...] = ("recall", "application", "analysis")
TOPICS: tuple[Topic, ...] = ("mechanism", "trials", "toxicity", "resistance", "ongoing")
ITEM_TYPES: tuple[ItemType, ...] = ("single", "true-false", "numeric", "matching", "ordering")
TRUE_FALSE = ("True", "False")


class EvidenceRef(BaseModel):
    """Where the key comes from: a global record name and the field path inside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    record: str  # e.g. `trial-a/pfs-drug` (validate.entity_index)
    path: str  # e.g. `value`, `measurements[1].value`


class QuizItem(BaseModel):
    """One question with its key, its explanation and the evidence behind the key.

    `key` by type: single and true-false, the index of the right option; numeric, the
    number; matching, for each prompt the index of its option; ordering, the option
    indices from first to last.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # blueprint id + "/" + entity id: stable while content ids stay
    blueprint: str
    origin: str  # "quizzes/trials.yaml:12", where the blueprint stands
    topic: Topic
    type: ItemType
    level: Level = "recall"
    problem: str = ""  # the clinical problem of the item model, e.g. "choose the evidence"
    vignette: bool = False
    # The case: features that decide the key, as printed (feature label -> value), in the
    # order the stem gives them. Empty for items without a patient.
    features: dict[str, str] = {}
    trial: str | None = None  # id of the trial whose evidence keys the item, if one does
    stem: str
    prompts: list[str] = []  # matching: the left-hand column
    options: list[str] = []
    kinds: list[str] = []  # per option: the kind of value it is (homogeneity check)
    # per option: "key", or the error the item model names for a wrong option
    # ("ruled-out", "as-reduction" ...): what a learner who picks it has misread
    errors: list[str] = []
    key: int | float | list[int]
    claim: str | None = None  # true-false: the value the statement asserts
    sort: Literal["ascending", "descending"] | None = None  # ordering: first to last
    tolerance: float | None = None  # numeric: accepted absolute distance from the key
    unit: str | None = None  # numeric: what the answer is measured in
    # The item asks about a small difference between values (4.2 against 4.3 months is its
    # point): numeric options within 10% of each other are then not hair-splitting.
    close_options: bool = False
    explanation: str = Field(min_length=1)
    rationales: list[str] = []  # per option: why it is (or is not) the answer for this case
    takeaway: str = ""  # one line a clinician keeps
    # Where the key rests on a value the source prints two ways: one short sentence for the
    # learner, and the sources page's account of it (page#anchor).
    caveat: str = ""
    caveat_link: str | None = None
    objective: str = Field(min_length=1)
    evidence: list[EvidenceRef] = Field(min_length=1)
    link: str = Field(min_length=1)  # page#anchor under site_src/generated/

    @model_validator(mode="after")
    def _key_fits(self) -> QuizItem:
        n = len(self.options)
        if self.type in ("single", "true-false"):
            if not isinstance(self.key, int) or not 0 <= self.key < n:
                raise ValueError(f"key must index one of the {n} options")
        elif self.type == "numeric":
            if isinstance(self.key, list) or self.tolerance is None:
                raise ValueError("a numeric item needs a number key and a tolerance")
        elif self.type == "matching":
            if not isinstance(self.key, list) or len(self.key) != len(self.prompts):
                raise ValueError("a matching key gives one option per prompt")
        elif self.type == "ordering" and (
            not isinstance(self.key, list) or sorted(self.key) != list(range(n))
        ):
            raise ValueError("an ordering key is a permutation of the options")
        return self

    @property
    def key_texts(self) -> list[str]:
        """The printed answer(s): what a reader must know to get the item right."""
        if self.type == "single":
            return [self.options[self.key]]
        if self.type == "numeric":
            return [self.unit_text(self.key)]
        if self.type == "true-false" and self.key == 0 and self.claim:
            return [self.claim]  # a true statement's value, printed elsewhere, gives it away
        return []

    def unit_text(self, value: float | int) -> str:
        from .. import fmt

        return fmt.quantity(value, self.unit) if self.unit else fmt.number(value)

    @property
    def file_line(self) -> tuple[str, int]:
        path, _, line = self.origin.rpartition(":")
        return path, int(line) if line.isdigit() else 0


class Flashcard(BaseModel):
    """A fact worth knowing but not worth a single-best-answer item (a phase, an acronym,
    a planned size): reviewed as a card (Anki, the site's review deck), never scored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    topic: Topic
    front: str = Field(min_length=1)
    back: str = Field(min_length=1)
    evidence: list[EvidenceRef] = Field(min_length=1)
    link: str = Field(min_length=1)
