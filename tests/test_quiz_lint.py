"""The item-writing linter catches one planted example of each flaw, and passes a clean item.

Each case starts from a well-written item and breaks one thing, so the test shows both
that the rule fires and that it fires for that reason.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.quiz import EvidenceRef, QuizItem, lint
from generator.quiz.hinges import (
    asserts,
    common_subjects,
    cued,
    key_terms,
    mentions,
    stem_terms,
    without_hinges,
)

GOOD = QuizItem(
    id="planted/emilia-pfs",
    blueprint="planted",
    origin="quizzes/planted.yaml:7",
    topic="trials",
    type="single",
    stem="In EMILIA, what was the median progression-free survival with T-DM1?",
    options=["6.4 months", "9.6 months", "14.2 months", "25.1 months"],
    kinds=["Endpoint.value [months]"] * 4,
    key=1,
    explanation="EMILIA reported 9.6 months.",
    objective="Recall the main results of EMILIA.",
    evidence=[EvidenceRef(record="emilia/pfs-tdm1", path="value")],
    link="trials/emilia.md#emilia--pfs-tdm1",
)

WORDS = GOOD.model_copy(
    update={
        "id": "planted/emilia-comparator",
        "stem": "In EMILIA, against which regimen was T-DM1 tested?",
        "options": [
            "Treatment of physician's choice",
            "Lapatinib + capecitabine",
            "Docetaxel + trastuzumab",
            "Trastuzumab + a taxane",
        ],
        "kinds": ["Arm.label"] * 4,
    }
)

TRUE_FALSE = GOOD.model_copy(
    update={
        "type": "true-false",
        "stem": "In TH3RESA, the median PFS with T-DM1 was 6.2 months. Is this statement true?",
        "options": ["True", "False"],
        "kinds": ["truth", "truth"],
        "key": 0,
        "claim": "6.2 months",
    }
)


def variant(base: QuizItem = GOOD, **changes) -> QuizItem:
    return base.model_copy(update=changes)


def many(base: QuizItem, n: int, **changes) -> list[QuizItem]:
    return [variant(base, id=f"{base.id}-{i}", **changes) for i in range(n)]


def rules(problems) -> set[str]:
    return {p.message.split("]")[0].lstrip("[") for p in problems}


def test_clean_items_pass():
    assert lint([GOOD, WORDS]) == []


def test_problems_point_at_the_blueprint_line():
    [problem] = lint([variant(stem="In EMILIA, the median PFS with T-DM1.")])
    assert (problem.path, problem.line, problem.field) == ("quizzes/planted.yaml", 7, GOOD.id)
    assert str(problem).startswith("quizzes/planted.yaml:7: planted/emilia-pfs: [lead-in]")


PLANTED = {
    "lead-in not a question": (
        [variant(stem="In EMILIA, the median progression-free survival with T-DM1.")],
        "lead-in",
    ),
    "which-is-true lead-in": (
        [variant(stem="Which of these statements about EMILIA is true?")],
        "lead-in",
    ),
    "negative lead-in": (
        [variant(stem="Which of these was NOT a median PFS reported in EMILIA?")],
        "negative",
    ),
    "all of the above": (
        [variant(WORDS, options=[*WORDS.options[:3], "All of the above"])],
        "all-none",
    ),
    "A and B": ([variant(WORDS, options=[*WORDS.options[:3], "A and B"])], "all-none"),
    "two options print the same number": (
        [variant(options=["6.4 months", "9.6 months", "9.60 months", "25.1 months"])],
        "one-key",
    ),
    "options of mixed kind": (
        [variant(kinds=["Endpoint.value [months]"] * 3 + ["Comparison.estimate"])],
        "homogeneous",
    ),
    "options in mixed units": (
        [variant(options=["6.4 months", "9.6 months", "14.2 months", "43.6%"])],
        "homogeneous",
    ),
    "absolute term in a distractor only": (
        [variant(WORDS, options=[*WORDS.options[:3], "Always trastuzumab + a taxane"])],
        "absolute-terms",
    ),
    "vague term in a distractor only": (
        [variant(WORDS, options=[*WORDS.options[:3], "Usually trastuzumab + a taxane"])],
        "absolute-terms",
    ),
    "word shared by stem and key only": (
        [
            variant(
                WORDS,
                stem="In EMILIA, which capecitabine-free or capecitabine regimen was the control?",
            )
        ],
        "word-repeat",
    ),
    "the key alone differs in form": (
        [
            variant(
                WORDS,
                options=[
                    "treatment of physician's choice",
                    "Lapatinib + capecitabine",
                    "docetaxel + trastuzumab",
                    "trastuzumab + a taxane",
                ],
            )
        ],
        "grammar",
    ),
    "numbers out of order": (
        [variant(options=["9.6 months", "6.4 months", "14.2 months", "25.1 months"], key=0)],
        "order",
    ),
    "too few options": ([variant(options=["6.4 months", "9.6 months"])], "options"),
    "numeric stem without its unit": (
        [
            variant(
                type="numeric",
                options=[],
                kinds=[],
                key=9.6,
                tolerance=0.1,
                unit="months",
                stem="In EMILIA, what was the median PFS with T-DM1?",
            )
        ],
        "numeric",
    ),
    "evidence link to no page": ([variant(link="emilia--pfs-tdm1")], "link"),
    "the key is the longest option in most items": (
        many(variant(WORDS, options=["Docetaxel", "Lapatinib + capecitabine", "TPC", "Taxane"]), 4),
        "longest-key",
    ),
    "the key shares the most words with the others": (
        many(
            variant(
                WORDS,
                options=[
                    "Docetaxel + carboplatin",
                    "Docetaxel + carboplatin + trastuzumab",
                    "Trastuzumab + taxane",
                    "Paclitaxel + lapatinib",
                ],
            ),
            4,
        ),
        "convergence",
    ),
    "keys pile up at one letter": (many(variant(key=0, options=GOOD.options), 24), "key-position"),
    "true/false keys all true": (many(TRUE_FALSE, 12), "true-false"),
    "a stem gives another item's key away": (
        [
            GOOD,
            variant(
                TRUE_FALSE,
                id="planted/tf",
                stem="In EMILIA, median PFS with T-DM1 was 9.6 months. Is this statement true?",
            ),
        ],
        "hinge",
    ),
    "one id twice": ([GOOD, GOOD], "ids"),
}


@pytest.mark.parametrize("case", sorted(PLANTED))
def test_linter_catches_planted_flaw(case):
    items, rule = PLANTED[case]
    found = rules(lint(items))
    assert rule in found, f"{case}: expected [{rule}], got {sorted(found)}"


def test_linter_catches_a_stem_copied_from_the_source():
    source = (
        "In the landmark phase 3 EMILIA trial, 991 patients with metastatic or locally "
        "advanced trastuzumab-pretreated HER2+ disease were randomly assigned to receive."
    )
    copied = variant(
        stem="In the landmark phase 3 EMILIA trial, 991 patients with metastatic or locally "
        "advanced disease took part: what was the median PFS with T-DM1?"
    )
    assert "verbatim" in rules(lint([copied], source_text=source))
    assert "verbatim" not in rules(lint([GOOD], source_text=source))


def test_a_false_statement_printing_a_key_is_not_a_hinge():
    false_claim = variant(
        TRUE_FALSE,
        id="planted/tf-false",
        key=1,
        stem="In EMILIA, median PFS with lapatinib + capecitabine was 9.6 months. "
        "Is this statement true?",
    )
    assert "hinge" not in rules(lint([GOOD, false_claim]))


def _quiz_sharing_subjects() -> list[QuizItem]:
    """Stems about a few trials, printing values that are other items' keys: whole, inside
    longer numbers ("12.5%", "0.0%"), before ".5", as a false claim, or not at all."""
    values = ["0%", "9.6 months", "12", "1.2", "25.1 months", "6.4 months", "12.5%"]
    items = []
    for n in range(42):
        trial = ("EMILIA", "TH3RESA", "MARIANNE")[n % 3]
        value = values[n % len(values)]
        printed = ("{v}", "{v}.5", "about {v} or so", "nothing")[n % 4].format(v=value)
        items.append(
            variant(
                TRUE_FALSE,
                id=f"planted/tf-{n}",
                key=n % 5 // 4,  # one false statement in five
                claim=value,
                stem=f"In {trial}, the value was {printed}. Is this statement true?",
            )
        )
        items.append(
            variant(
                id=f"planted/single-{n}",
                stem=f"In {trial} S{n % 4}, what was the value with T-DM1?",
                options=[value, "a", "b", "c"],
                key=0,
            )
        )
    return items


def test_the_hinge_index_finds_what_comparing_every_pair_finds():
    """HingeIndex skips only stems that cannot print a key (no shared name, or a term of
    the key missing): the linter and the bank find the hinges a comparison of every
    stem with every key finds."""
    items = _quiz_sharing_subjects()
    common = common_subjects([i.stem for i in items])

    def stems(of: list[QuizItem], but: QuizItem | None = None) -> list[str]:
        return [o.stem for o in of if o is not but and asserts(o)]

    cued_items = {i.id for i in items if cued(i, stems(items, but=i), common)}
    linted = {p.field for p in lint(items, quiz="planted") if p.message.startswith("[hinge]")}
    assert linted == cued_items
    assert 0 < len(cued_items) < len(items)

    kept: list[QuizItem] = []
    for item in items:
        cues = asserts(item) and any(cued(k, [item.stem], common) for k in kept)
        if not cues and not cued(item, stems(kept), common):
            kept.append(item)
    assert without_hinges(items, scope=lambda item: "planted") == kept
    assert 0 < len(kept) < len(items)


@given(
    stem=st.text(alphabet="a1.0 %,-B9", max_size=16),
    cut=st.tuples(st.integers(0, 16), st.integers(0, 16)),
)
def test_a_key_printed_in_a_stem_has_only_terms_of_that_stem(stem, cut):
    """The soundness HingeIndex rests on: whatever `mentions` finds in a stem, every term of
    it is one of the stem's terms (the pattern of `mentions` starts and ends at terms)."""
    key = stem[min(cut) : max(cut)]
    if mentions(stem, key):
        assert key_terms(key) <= stem_terms(stem)
