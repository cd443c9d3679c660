"""The item-writing linter catches one planted example of each flaw, and passes a clean item.

Each case starts from a well-written item and breaks one thing, so the test shows both
that the rule fires and that it fires for that reason.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.quiz import EvidenceRef, QuizItem, coverage, lint
from generator.quiz.hinges import (
    asserts,
    common_subjects,
    cued,
    decisive_numbers,
    key_terms,
    mentions,
    stem_terms,
    without_hinges,
)
from generator.quiz.lint import LintConfig, _near_pairs, label_rank, trial_names

# What the quizzes' config gives the linter: the trials' names and ids, and the problems
# whose recall items are bedside facts.
CONFIG = LintConfig(
    trials=frozenset({"EMILIA", "TH3RESA", "MARIANNE", "STELA", "emilia", "th3resa"}),
    bedside=frozenset({"landmark result", "dose and schedule"}),
)

GOOD = QuizItem(
    id="planted/emilia-pfs",
    blueprint="planted",
    origin="quizzes/planted.yaml:7",
    topic="trials",
    type="single",
    level="recall",
    problem="landmark result",
    stem="In EMILIA, what was the median progression-free survival with T-DM1?",
    options=["6.4 months", "9.6 months", "14.2 months", "25.1 months"],
    kinds=["Endpoint.value [months]"] * 4,
    key=1,
    explanation="EMILIA randomised previously treated patients: median PFS was 9.6 months "
    "with T-DM1 against 6.4 months with lapatinib plus capecitabine (HR 0.65).",
    rationales=[
        "6.4 months was the lapatinib plus capecitabine arm, not T-DM1.",
        "T-DM1 held progression off for a median of 9.6 months, 3.2 more than the control.",
        "14.2 months is longer than any PFS reported after prior trastuzumab.",
        "25.1 months was overall survival with lapatinib plus capecitabine, not PFS.",
    ],
    takeaway="After trastuzumab and a taxane, T-DM1 gave about three months more PFS than "
    "lapatinib plus capecitabine.",
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
        "rationales": [
            "Physician's choice was the control of TH3RESA, after two or more HER2-directed "
            "regimens, not of EMILIA.",
            "EMILIA tested T-DM1 against lapatinib plus capecitabine, the standard after "
            "trastuzumab at the time.",
            "Docetaxel + trastuzumab was a first-line control, not one after trastuzumab.",
            "Trastuzumab + a taxane is first-line therapy; EMILIA's patients had had it.",
        ],
    }
)

TRUE_FALSE = GOOD.model_copy(
    update={
        "id": "planted/th3resa-pfs-true",
        "type": "true-false",
        "stem": "In TH3RESA, the median PFS with T-DM1 was 6.2 months. Is this statement true?",
        "options": ["True", "False"],
        "kinds": ["truth", "truth"],
        "key": 0,
        "claim": "6.2 months",
        "explanation": "TH3RESA enrolled patients after two or more HER2-directed regimens: "
        "median PFS was 6.2 months with T-DM1 against 3.3 months with physician's choice.",
        "rationales": [
            "True: 6.2 months with T-DM1, against 3.3 months with physician's choice.",
            "False would fit only if 6.2 months were the control arm's; that was 3.3 months.",
        ],
    }
)


def variant(base: QuizItem = GOOD, **changes) -> QuizItem:
    return base.model_copy(update=changes)


def many(base: QuizItem, n: int, **changes) -> list[QuizItem]:
    return [variant(base, id=f"{base.id}-{i}", **changes) for i in range(n)]


def rules(problems) -> set[str]:
    return {p.message.split("]")[0].lstrip("[") for p in problems}


def test_clean_items_pass():
    assert lint([GOOD, WORDS, TRUE_FALSE], config=CONFIG) == []


def test_problems_point_at_the_blueprint_line():
    [problem] = lint([variant(stem="In EMILIA, the median PFS with T-DM1.")], config=CONFIG)
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


HR_READING = variant(
    id="planted/hr-reading",
    stem="In EMILIA, PFS with T-DM1 against lapatinib + capecitabine gave a hazard ratio of "
    "0.65. What does the hazard ratio say about T-DM1?",
    options=[
        "A 35% higher hazard of progression or death",
        "A 35% lower hazard of progression or death",
        "A 65% higher hazard of progression or death",
        "A 65% lower hazard of progression or death",
    ],
    key=1,
)


def test_a_stem_printing_the_deciding_number_of_a_key_is_a_hinge():
    """The key's whole text is in no other stem, but its deciding figure is: "35%" leaves
    only the key once the stem says the risk was cut."""
    talk = variant(
        id="planted/risk-talk",
        stem="A report says that in EMILIA, T-DM1 cut the risk of progression or death by 35% "
        "against lapatinib + capecitabine. What does the 35% describe?",
        options=[
            "A relative reduction: the event rate was 35% lower at any time",
            "An absolute reduction: 35 fewer patients in every 100 progressed",
            "The share still alive without progression: 35% with T-DM1",
            "A longer median: the median was 35% longer with T-DM1",
        ],
        key=0,
    )
    assert decisive_numbers(HR_READING) == ["35%"]
    assert decisive_numbers(talk) == []  # every option carries the 35%: it decides nothing
    assert "hinge" in rules(lint([HR_READING, talk]))
    assert without_hinges([HR_READING, talk]) == [HR_READING]
    # about another trial, or a number that is not a figure of the key, gives nothing away
    elsewhere = variant(
        talk,
        stem="A report says that in TH3RESA, the drug cut the risk of progression or death by "
        "35%. What does the 35% describe?",
    )
    assert "hinge" not in rules(lint([HR_READING, elsewhere]))
    nnt = variant(
        id="planted/nnt",
        stem="In EMILIA, how many patients must be treated with T-DM1 for one more response?",
        options=["Treat 3 patients", "Treat 8 patients", "Treat 13 patients", "Treat 44 patients"],
        key=1,
    )
    assert decisive_numbers(nnt) == []  # a single digit: a count, grade or phase in stems
    grade = variant(talk, stem="In EMILIA, how often was grade 8 fatigue seen with T-DM1?")
    assert "hinge" not in rules(lint([nnt, grade]))


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


# --- what a reader of the whole bank caught ------------------------------------------------
# Each case: (clean items, the same with one flaw planted, the rule). The rule must fire on
# the planted items and not on the clean ones, so it fires for the flaw and not by accident.

CASE = (
    "A 58-year-old woman with HER2-positive metastatic breast cancer progressed on "
    "trastuzumab and a taxane, then on lapatinib plus capecitabine, and has had two "
    "HER2-directed regimens in all."
)
VIGNETTE = variant(
    WORDS,
    id="planted/which-trial",
    level="application",
    problem="choose the evidence",
    vignette=True,
    trial="th3resa",
    features={"prior HER2-directed regimens": "2", "prior lapatinib": "yes"},
    stem=f"{CASE} Which trial's evidence applies to her?",
    options=["CLEOPATRA", "EMILIA", "MARIANNE", "TH3RESA"],
    kinds=["Trial.name"] * 4,
    key=3,
    explanation="TH3RESA enrolled patients after two or more HER2-directed regimens "
    "including lapatinib; EMILIA required only prior trastuzumab and a taxane.",
    rationales=[
        "CLEOPATRA was first line; she has been treated twice.",
        "EMILIA fits a first relapse, but she has had lapatinib as well.",
        "MARIANNE was first line, not after two regimens.",
        "TH3RESA enrolled exactly her: two or more regimens including lapatinib.",
    ],
    takeaway="Match a pretreated patient to the trial whose eligibility she meets.",
)
ORDERING = variant(
    GOOD,
    id="planted/order",
    type="ordering",
    level="analysis",
    problem="read a result",
    stem="Order these regimens by the median PFS they gave in their trials, shortest first?",
    options=["T-DM1 in TH3RESA", "Lapatinib + capecitabine in EMILIA", "T-DM1 in EMILIA"],
    kinds=["Endpoint"] * 3,
    key=[1, 0, 2],
    sort="ascending",
    rationales=[],
)
MATCHING = variant(
    ORDERING,
    id="planted/match",
    type="matching",
    stem="Match each trial with its control arm?",
    prompts=["EMILIA", "TH3RESA", "MARIANNE"],
    options=["Lapatinib + capecitabine", "Physician's choice", "Trastuzumab + a taxane"],
    key=[0, 1, 2],
    sort=None,
)
PROVENANCE_LINES = [
    "This is the planned number of patients in STELA.",
    "This is step 5 of the cytotoxic payload route.",
    "It is the value reported in TH3RESA.",
]


def _without(item: QuizItem, field: str) -> QuizItem:
    return QuizItem(**item.model_dump(exclude={field}))


READER = {
    "the same stem twice": (
        [
            GOOD,
            variant(
                id="x", stem="In TH3RESA, what was the median progression-free survival with T-DM1?"
            ),
        ],
        [GOOD, variant(id="x", options=["3.3 months", "6.2 months", "9.6 months", "14.2 months"])],
        "same-stem",
    ),
    "the same stem but for case, spaces and punctuation": (
        [GOOD],
        [
            GOOD,
            variant(
                id="x", stem="in emilia  what was the MEDIAN progression-free survival with T-DM1 ?"
            ),
        ],
        "same-stem",
    ),
    "the same vignette but for the patient's age": (
        [VIGNETTE],
        [VIGNETTE, variant(VIGNETTE, id="x", stem=VIGNETTE.stem.replace("58", "61"))],
        "same-stem",
    ),
    "a vignette one word from another": (
        [
            VIGNETTE,
            variant(
                VIGNETTE,
                id="x",
                stem=VIGNETTE.stem.replace(
                    ", then on lapatinib plus capecitabine, and has had two HER2-directed "
                    "regimens in all",
                    " and has had no other HER2-directed regimen",
                ),
            ),
        ],
        [VIGNETTE, variant(VIGNETTE, id="x", stem=VIGNETTE.stem.replace("woman", "patient"))],
        "same-stem",
    ),
    "a distractor printed in the stem": (
        [WORDS],
        [
            variant(
                WORDS,
                stem="In EMILIA, after trastuzumab + a taxane, against which regimen "
                "was T-DM1 tested?",
            )
        ],
        "stem-repeat",
    ),
    "a step's own title as an option of 'what comes after it'": (
        [
            variant(
                WORDS,
                stem="In the payload route, which step comes straight after "
                '"The cell cycle arrests"?',
                options=[
                    "Apoptosis",
                    "Lysosomal release",
                    "Microtubules bind DM1",
                    "Receptor binding",
                ],
            )
        ],
        [
            variant(
                WORDS,
                stem="In the payload route, which step comes straight after "
                '"The cell cycle arrests"?',
                options=[
                    "Apoptosis",
                    "Lysosomal release",
                    "The cell cycle arrests",
                    "Receptor binding",
                ],
            )
        ],
        "stem-repeat",
    ),
    "hair-splitting numbers": (
        [GOOD],
        [variant(options=["6.4 months", "9.6 months", "9.9 months", "25.1 months"])],
        "close-numbers",
    ),
    "hair-splitting counts of patients": (
        [variant(options=["17", "432", "500", "991"], rationales=[f"r{i}, not" for i in range(4)])],
        [variant(options=["17", "18", "432", "500"], rationales=[f"r{i}, not" for i in range(4)])],
        "close-numbers",
    ),
    "hair-splitting hazard ratios": (
        [variant(options=["HR 0.37", "HR 0.65", "HR 0.91", "HR 1.20"])],
        [variant(options=["HR 0.37", "HR 0.65", "HR 0.68", "HR 1.20"])],
        "close-numbers",
    ),
    "an item about that small difference opts out": (
        [
            variant(
                options=["4.2 months", "4.3 months", "9.6 months", "25.1 months"],
                close_options=True,
            )
        ],
        [variant(options=["4.2 months", "4.3 months", "9.6 months", "25.1 months"])],
        "close-numbers",
    ),
    "what an abbreviation stands for": (
        [WORDS],
        [variant(WORDS, stem="What does HER2 stand for?")],
        "acronym",
    ),
    "what an acronym means": (
        [WORDS],
        [variant(WORDS, stem="In the review, what does ORR mean?")],
        "acronym",
    ),
    "the expansion of an abbreviation": (
        [WORDS],
        [variant(WORDS, stem="Which is the full name of the abbreviation TPC?")],
        "acronym",
    ),
    "ordering labels carrying the phase": (
        [ORDERING],
        [
            variant(
                ORDERING,
                options=[
                    "T-DM1 alone (phase 2)",
                    "T-DM1 + pertuzumab (phase 3)",
                    "T-DM1 dose finding (phase 1)",
                ],
                key=[2, 0, 1],
            )
        ],
        "label-cue",
    ),
    "ordering labels carrying roman phases, last to first": (
        [ORDERING],
        [
            variant(
                ORDERING,
                options=["MARIANNE, phase III", "TDM3569g, phase I", "TDM4450g, phase II"],
                key=[0, 2, 1],
                sort="descending",
            )
        ],
        "label-cue",
    ),
    "ordering labels carrying the year": (
        [ORDERING],
        [
            variant(
                ORDERING,
                options=["EMILIA (2012)", "TH3RESA (2014)", "MARIANNE (2017)"],
                key=[0, 1, 2],
            )
        ],
        "label-cue",
    ),
    "matching labels shared by a prompt and its option only": (
        [MATCHING],
        [
            variant(
                MATCHING,
                prompts=["EMILIA, second line", "TH3RESA", "MARIANNE, first line"],
                options=[
                    "Lapatinib + capecitabine (second line)",
                    "Physician's choice",
                    "Trastuzumab + a taxane (first line)",
                ],
            )
        ],
        "label-cue",
    ),
    "a vignette whose question names the trial and the measure": (
        [VIGNETTE],
        [variant(VIGNETTE, stem=f"{CASE} In TH3RESA, what was the median PFS with T-DM1?")],
        "pseudo-vignette",
    ),
    "a vignette whose question names its own keyed trial": (
        [VIGNETTE],
        [
            variant(
                VIGNETTE, trial="tdm4450g", stem=f"{CASE} What response rate did TDM4450g report?"
            )
        ],
        "pseudo-vignette",
    ),
    "an explanation that only restates the key": (
        [GOOD],
        [variant(explanation="EMILIA reported 9.6 months.")],
        "restates-key",
    ),
    "an explanation with no comparator and no other number": (
        [GOOD],
        [
            variant(
                explanation="EMILIA's progression-free survival with trastuzumab emtansine, "
                "measured by independent central assessment, was 9.6 months."
            )
        ],
        "restates-key",
    ),
    "a true statement's explanation that says it again": (
        [TRUE_FALSE],
        [
            variant(
                TRUE_FALSE, explanation="True: in TH3RESA the median PFS with T-DM1 was 6.2 months."
            )
        ],
        "restates-key",
    ),
    **{
        f"a distractor line that only names its source ({n})": (
            [GOOD],
            [variant(rationales=[*GOOD.rationales[:2], line, GOOD.rationales[3]])],
            "rationale-source",
        )
        for n, line in enumerate(PROVENANCE_LINES)
    },
    "a source line that says why it is wrong here passes": (
        [
            variant(
                rationales=[
                    *GOOD.rationales[:2],
                    "This is the planned number of patients in "
                    "STELA, not a result: no patient had been treated.",
                    GOOD.rationales[3],
                ]
            )
        ],
        [
            variant(
                rationales=[
                    *GOOD.rationales[:2],
                    "This is the planned number of patients in STELA.",
                    GOOD.rationales[3],
                ]
            )
        ],
        "rationale-source",
    ),
    "a note on the source's inconsistency in the explanation": (
        [GOOD],
        [
            variant(
                explanation=GOOD.explanation + " The review prints 9.6 months in the text but "
                "Table 2 gives 9.4."
            )
        ],
        "source-note",
    ),
    "a discrepancy note in a distractor line": (
        [GOOD],
        [
            variant(
                rationales=[
                    *GOOD.rationales[:3],
                    "25.1 months: the review is not consistent here, see the discrepancies.",
                ]
            )
        ],
        "source-note",
    ),
    "a contradiction note in the take-away": (
        [GOOD],
        [variant(takeaway="The review's two sections contradict each other on this.")],
        "source-note",
    ),
    "no reason lines": ([GOOD], [variant(rationales=[])], "rationales"),
    "one reason line short": ([GOOD], [variant(rationales=GOOD.rationales[:3])], "rationales"),
    "an empty reason line": (
        [GOOD],
        [variant(rationales=[*GOOD.rationales[:3], "  "])],
        "rationales",
    ),
    "two options with the same reason": (
        [GOOD],
        [variant(rationales=[*GOOD.rationales[:3], GOOD.rationales[0]])],
        "rationales",
    ),
    "a true/false item without its two reasons": (
        [TRUE_FALSE],
        [variant(TRUE_FALSE, rationales=["True.", "True."])],
        "rationales",
    ),
    "no take-away": ([GOOD], [variant(takeaway=" ")], "takeaway"),
    "no level set by the item model": ([GOOD], [_without(GOOD, "level")], "level"),
    "a recall item on a fact with no bedside use": (
        [variant(problem="dose and schedule"), variant(level="application", problem="x")],
        [variant(problem="planned enrolment")],
        "trivia",
    ),
    "a recall item that names no problem": ([GOOD], [variant(problem="")], "trivia"),
}


@pytest.mark.parametrize("case", sorted(READER))
def test_reader_rules_catch_planted_flaw(case):
    clean, planted, rule = READER[case]
    assert rule not in rules(lint(clean, config=CONFIG)), f"{case}: fires on the clean items"
    assert rule in rules(lint(planted, config=CONFIG)), f"{case}: misses the planted flaw"


def test_the_planted_bases_are_clean():
    """The reader cases plant one flaw in items that pass every rule."""
    assert lint([VIGNETTE, ORDERING, MATCHING], config=CONFIG) == []


def test_every_repeat_is_named_once_against_the_first():
    copies = [variant(id=f"planted/copy-{n}") for n in range(4)]
    found = [p for p in lint(copies, config=CONFIG) if p.message.startswith("[same-stem]")]
    assert [p.field for p in found] == ["planted/copy-1", "planted/copy-2", "planted/copy-3"]
    assert all(GOOD.id.replace("emilia-pfs", "copy-0") in p.message for p in found)


def test_the_pack_names_its_trials_for_the_pseudo_vignette_rule(evidence):
    names = trial_names(evidence)
    assert {"EMILIA", "emilia", "TH3RESA"} <= names
    assert all(t.nct in names for t in evidence.trials if t.nct)
    stem = f"{CASE} In TH3RESA, what was the median PFS with T-DM1?"
    item = variant(VIGNETTE, trial=None, stem=stem)
    assert "pseudo-vignette" in rules(lint([item], config=LintConfig(trials=names)))
    assert "pseudo-vignette" not in rules(lint([item], config=LintConfig()))


def test_label_ranks():
    assert label_rank("MARIANNE (phase 3)") == 3
    assert label_rank("phase III") == 3
    assert label_rank("phase 1") < label_rank("phase 1b") < label_rank("Phase 2")
    assert label_rank("second line") == 2
    assert label_rank("EMILIA (2012)") == 2012
    # digits inside names are not ranks
    assert label_rank("T-DM1 in HER2-positive disease") is None
    assert label_rank("TDM4450g") is None


@given(
    st.lists(st.frozensets(st.sampled_from("abcdefghijklmnopqrst"), max_size=20), max_size=30),
    st.sampled_from([0.5, 0.6, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0]),
)
def test_prefix_filter_finds_what_comparing_every_pair_finds(sets, threshold):
    """The near-stem index compares only stems sharing a rare token; it must find, for
    each stem, the same earliest similar stem a comparison of every pair finds."""

    def jaccard(a, b):
        return len(a & b) / len(a | b) if a | b else 1.0

    brute = {}
    for i, s in enumerate(sets):
        for j in range(i):
            if jaccard(s, sets[j]) >= threshold:
                brute[i] = j
                break
    assert {i: j for i, (j, _) in _near_pairs(sets, threshold).items()} == brute


# --- the bank's minimums ---------------------------------------------------------------------


def _bank(n: int, **changes) -> list[QuizItem]:
    topics = ["mechanism", "trials", "toxicity", "resistance", "ongoing"]
    types = {"type": "single"}
    return [variant(id=f"planted/{k}", topic=topics[k % 5], **types, **changes) for k in range(n)]


def test_coverage_minimums_are_parameters():
    bank = _bank(20, vignette=True)
    # No minimum by default: a small pack is held to what its own bank.yaml asks.
    assert coverage(bank) == []
    messages = [p.message for p in coverage(bank, min_bank=150, min_per_topic=15)]
    assert "[coverage] 20 items; at least 150" in messages
    assert any("at least 15" in m for m in messages)
    tuned = coverage(bank, min_bank=20, min_per_topic=4, min_vignettes=20, types=["single"])
    assert tuned == []
    assert coverage(bank, min_bank=21, min_per_topic=4, min_vignettes=20, types=["single"])


def test_coverage_wants_every_topic_even_with_no_minimum():
    bank = [i for i in _bank(20, vignette=True) if i.topic != "ongoing"]
    found = coverage(bank, min_bank=0, min_per_topic=0, min_vignettes=0, types=[])
    assert [p.message for p in found] == ["[coverage] 0 ongoing items; at least 1"]


def test_coverage_checks_the_share_of_application_and_analysis():
    recall = _bank(10)
    higher = _bank(10, level="application")[:6] + _bank(10, level="analysis")[6:]
    loose = {"min_bank": 0, "min_per_topic": 0, "min_vignettes": 0, "types": []}
    assert coverage(higher, min_higher_share=0.7, **loose) == []
    mixed = recall[:4] + higher[4:]
    [problem] = coverage(mixed, min_higher_share=0.7, **loose)
    assert "6 of 10 items (60%) at application or analysis; at least 70%" in problem.message
    assert coverage(mixed, **loose) == []  # today's default asks for no share
