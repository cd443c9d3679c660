"""Item-writing linter: the NBME rules of /ITEM-WRITING.md that a program can check.

Each problem's message starts with its rule in brackets, e.g. `[lead-in]`, and points at
the blueprint that made the item, so `python -m generator check` reads like a content
error. Rules on single items run per item; cueing rules that only show across many
items (longest option, convergence, key position, true/false balance, hinges) run per
quiz: per topic for the bank, and on the mock exam as a whole. Rules that compare items
across the whole set given (the same stem twice) run once over it.

The rules after the NBME ones are what a reader of the whole bank caught that a form
check missed (/ITEM-WRITING.md, "What a reader of the whole bank catches"): trivia,
repeated stems, hair-splitting numbers, pseudo-vignettes, labels that give an order
away, and feedback that does not teach. What they need from the pack (trial names, the
bedside facts) comes in a `LintConfig` the caller builds from the quizzes' config.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from ..loader import Problem
from ..model import Evidence
from .hinges import HingeIndex
from .items import TOPICS, QuizItem
from .text import _NUMBER, leading_number, normalise, numbers_in
from .wording import LETTERS

HIGHER_LEVELS = ("application", "analysis")


@dataclass(frozen=True)
class LintConfig:
    """What the linter needs from the pack and the quizzes' config.

    `trials`: names and ids of the trials; a vignette whose question sentence names one
    of them together with a measure is answerable without its case. `bedside`: the item
    model `problem`s whose facts matter at the bedside (dose and schedule, the landmark
    results); a `recall` item outside them is trivia. Empty by default, so that a caller
    who passes nothing gets every recall item flagged rather than none.
    """

    trials: frozenset[str] = frozenset()
    bedside: frozenset[str] = frozenset()
    # Token Jaccard of two stems from which they count as the same question: one word in
    # ten. A stem of 19 distinct tokens or more then differs by one word at most; short
    # template stems that differ only in the trial they name ("In TRIAL-A, ..." against "In
    # TRIAL-B, ...") stay apart, since the trial is what they ask about.
    near_stem: float = 0.9
    # Relative gap under which two numeric options split hairs (4.2 and 4.3 months).
    close_numbers: float = 0.10
    # Content words an explanation must add beyond the stem and the key.
    teaching_words: int = 5


DEFAULT_CONFIG = LintConfig()


def trial_names(ev: Evidence) -> frozenset[str]:
    """Every way a stem can name a trial of the pack: id, name, NCT number (for
    `LintConfig.trials`)."""
    return frozenset(n for t in ev.trials for n in (t.id, t.name, t.nct) if n)


STOPWORDS = frozenset(
    """about above after again against along also among analysis another arm arms because
    been before being between both could does during each every from given have having here
    into its itself more most much other over same should since some such than that their
    them then there these they this those through trial trials under until were what when
    where which while with within would your patients patient group groups median rate""".split()  # noqa: SIM905
)
ABSOLUTE = re.compile(r"\b(always|never|all|none|only|must)\b", re.IGNORECASE)
VAGUE = re.compile(r"\b(usually|often|rarely|may|sometimes|frequently|generally)\b", re.IGNORECASE)
ABOVE = re.compile(
    r"\b(all|none|both|neither) of (the )?(above|these|those|following|options)\b"
    r"|^\s*[A-E]\s*(and|&|or)\s*[A-E]\s*$",
    re.IGNORECASE,
)
NEGATIVE = re.compile(
    r"\b(NOT|EXCEPT|LEAST|FALSE|INCORRECT)\b|\b(except|incorrect)\b|(?<!at )\bleast\b"
)
TRUE_ABOUT = re.compile(r"\bwhich\b[^?]*\b(is|are)\s+(true|correct|accurate)\b", re.IGNORECASE)
# The stem asks what an abbreviation stands for (26 items of the old bank did).
ACRONYM = re.compile(
    r"\b(stands?|stood) for\b|\babbreviat\w*|\bacronym\w*|\bshort for\b|\bspelled out\b"
    r"|\b(written|spelt|spelled) (out )?in full\b|\bfull (name|form) of\b",
    re.IGNORECASE,
)
ABBREVIATION_MEANS = re.compile(r"\bwhat (does|do) (the )?[A-Z][A-Z0-9-]+ (mean|denote)\b", re.I)
# What a vignette's question sentence names when it asks for a trial's result directly.
MEASURE = re.compile(
    r"\b(progression-free|overall survival|survival|PFS|OS|ORR|DoR|TTP|response\w*|hazard"
    r"|HR|median\w*|rates?|incidence|grade|adverse|events?|toxicit\w*|benefit|duration"
    r"|efficacy|safety|time to)\b",
    re.IGNORECASE,
)
# A comparator: what makes an explanation more than the key said again.
COMPARATOR = re.compile(
    r"\b(than|versus|vs|against|compared|comparison|whereas|while|unlike|instead|rather"
    r"|higher|lower|longer|shorter|more|fewer|less|greater|smaller|better|worse|neither"
    r"|both|not|only|same)\b|[<>≤≥]",
    re.IGNORECASE,
)
# A line that says where a value came from ("This is the planned number of patients in
# STELA", "This is step 5 of the route") ...
PROVENANCE = re.compile(
    r"^\s*(this|that|it)\s+is\s+(the|a|an|step)\b"
    r"|\bis step \d+\b|\bis the planned\b|\b(comes|taken|drawn) from\b"
    r"|\bis (the |a )?(value|figure|number|rate|result)s? (reported )?(in|for|of|from)\b"
    r"|\breported (in|for|by)\b",
    re.IGNORECASE,
)
# ... and the words that turn it into a reason it is wrong here.
REASON = re.compile(
    r"\b(because|but|not|only|this patient|she|her|his|did not|does not|cannot|since|so"
    r"|therefore|whereas|while|although|instead|rather|unlike|than|too|yet|without)\b"
    r"|n't\b|[<>≤≥]",
    re.IGNORECASE,
)
COPULA = re.compile(r"\s+(is|are|was|were)\b")
# Notes on the source's own inconsistencies: they belong on the sources page, not in
# what a learner reads after an answer.
SOURCE_NOTE = re.compile(
    r"\bthe review prints\b|\bdiscrepan\w*|\bcontradict\w*|\binconsisten\w*"
    r"|\bnot consistent\b|\bTable \d+\s+(gives|prints|says|lists|reports|shows)\b"
    r"|\bmisprint\w*|\btypo\w*|\berrat(um|a)\b|\belsewhere (in )?the review\b",
    re.IGNORECASE,
)
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7,
}  # fmt: skip
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
RANK = re.compile(
    r"\bphase\s+(?:(?P<roman>iv|i{1,3})|(?P<phase>\d)(?P<part>[ab])?)\b"
    r"|(?P<ordinal>\b(?:" + "|".join(ORDINALS) + r")\b)"
    r"|(?P<number>(?<![A-Za-z0-9.,-])\d[\d,]*(?:\.\d+)?(?![A-Za-z0-9]))",
    re.IGNORECASE,
)
# A number standing alone ("54-year-old", "2 regimens"), not a digit inside a name
# (a trial code such as ABC4450g, a gene or drug code, a synthetic "TRIAL S2").
LONE_NUMBER = re.compile(r"(?<![A-Za-z0-9.,])\d[\d,]*(?:\.\d+)?(?![A-Za-z0-9])")


def _problem(item: QuizItem, rule: str, message: str) -> Problem:
    path, line = item.file_line
    return Problem(path, line, item.id, f"[{rule}] {message}")


def _quiz_problem(quiz: str, rule: str, message: str) -> Problem:
    return Problem("quizzes", 0, quiz, f"[{rule}] {message}")


def words(text: str) -> set[str]:
    """Content words, a plural folded to its singular ("megakaryocytes" -> "megakaryocyte")."""
    found = re.findall(r"[a-z][a-z0-9-]{3,}", text.lower())
    return {re.sub(r"(?<=[a-z]{4})s$", "", w) for w in found if w not in STOPWORDS}


def common_words(items: list[QuizItem]) -> frozenset[str]:
    """Words in at least half the stems (the drug's own name): they cue nothing."""
    if len(items) < 10:
        return frozenset()
    counts = Counter(w for i in items for w in words(i.stem))
    return frozenset(w for w, n in counts.items() if 2 * n >= len(items))


def lead_in(stem: str) -> str:
    """The question sentence: what follows the last full stop before the question mark."""
    body = stem.rstrip()
    parts = re.split(r"(?<=[.:;])\s+(?=[A-Z])", body)
    return parts[-1]


def unit_signature(text: str) -> str:
    """ "9.6 months" -> "# month", "43.6%" -> "#%": the unit a numeric option carries."""
    shape = _NUMBER.sub("#", normalise(text))
    return re.sub(r"s\b", "", shape)


def _numeric_options(item: QuizItem) -> bool:
    return bool(item.options) and all(
        re.match(r"^\s*[<>≤≥]?\d", o) is not None for o in item.options
    )


# --- rules on one item ---------------------------------------------------------------------


def check_item(
    item: QuizItem,
    source_text: str | None = None,
    config: LintConfig = DEFAULT_CONFIG,
    common: frozenset[str] = frozenset(),
) -> list[Problem]:
    out: list[Problem] = []

    def flag(rule: str, message: str) -> None:
        out.append(_problem(item, rule, message))

    stem = item.stem.strip()
    question = lead_in(stem)
    if not stem.endswith("?"):
        flag("lead-in", "the lead-in is not a question (the stem must end with '?')")
    if TRUE_ABOUT.search(question):
        flag("lead-in", "'which is true/correct' fails the cover-the-options test")
    if NEGATIVE.search(question):
        flag("negative", f"negative lead-in: {question!r}")
    for option in [*item.options, *item.prompts]:
        if ABOVE.search(option):
            flag("all-none", f"option {option!r} is 'all/none of the above' or 'A and B'")
    folded = [normalise(o) for o in item.options]
    if len(set(folded)) != len(folded):
        repeats = sorted({o for o in item.options if folded.count(normalise(o)) > 1})
        flag("one-key", f"options print the same: {repeats} (more than one could be the key)")
    if len({normalise(p) for p in item.prompts}) != len(item.prompts):
        flag("one-key", "two prompts print the same")
    if item.type in ("single", "matching") and len(set(item.kinds)) > 1:
        flag("homogeneous", f"options of mixed kind: {sorted(set(item.kinds))}")
    if item.type in ("single", "matching") and _numeric_options(item):
        shapes = {unit_signature(o) for o in item.options}
        if len(shapes) > 1:
            flag("homogeneous", f"options in mixed units: {item.options}")
    if item.type == "single":
        _single_item_rules(item, flag, common)
    if item.type == "numeric":
        if item.unit and item.unit not in ("%",) and item.unit.rstrip("s") not in stem:
            flag("numeric", f"the stem does not say the answer is in {item.unit}")
        if item.tolerance is not None and item.tolerance >= abs(float(item.key)) > 0:
            flag("numeric", "the tolerance is as large as the answer itself")
    if item.type in ("matching", "ordering") and len(item.options) < 3:
        flag("options", "a matching or ordering item needs at least 3 rows")
    if item.type in ("single",) and len(item.options) < 3:
        flag("options", "a single-best-answer item needs at least 3 options")
    if ".md" not in item.link:
        flag("link", f"the evidence link {item.link!r} names no page")
    if not item.explanation.strip() or not item.objective.strip():
        flag("explanation", "every item needs an explanation and an objective")
    if source_text is not None:
        copied = verbatim(stem, source_text)
        if copied:
            flag("verbatim", f"the stem copies the source: {copied!r}")
    _reader_rules(item, flag, config)
    return out


def _single_item_rules(
    item: QuizItem, flag: Callable[[str, str], None], common: frozenset[str] = frozenset()
) -> None:
    key = item.options[item.key]
    distractors = [o for i, o in enumerate(item.options) if i != item.key]
    for pattern, what in ((ABSOLUTE, "absolute"), (VAGUE, "vague")):
        if any(pattern.search(d) for d in distractors) and not pattern.search(key):
            terms = sorted({m.lower() for d in distractors for m in pattern.findall(d)})
            flag("absolute-terms", f"{what} terms {terms} only in distractors")
    if _numeric_options(item):
        numbers = [leading_number(o) for o in item.options]
        if numbers != sorted(numbers):
            flag("order", "numeric options must run in ascending order")
    else:
        shared = words(item.stem) & words(key) - set().union(*(words(d) for d in distractors))
        shared -= common
        if shared:
            flag("word-repeat", f"stem and key share {sorted(shared)} and no distractor does")
        forms = [o[:1].isupper() for o in item.options]
        others = {f for i, f in enumerate(forms) if i != item.key}
        if len(others) == 1 and forms[item.key] not in others:
            flag("grammar", "the key alone differs in form (capitalised or not) from the others")
    article = re.search(r"\b(a|an)\s*\?$", item.stem.strip(), re.IGNORECASE)
    if article:
        vowel = re.compile(r"^[aeiou]", re.IGNORECASE)
        wants_an = article[1].lower() == "an"
        if not vowel.match(key) if wants_an else vowel.match(key):
            flag("grammar", f"'{article[1]}' does not agree with the key")


# --- what a reader of the whole bank caught (rules on one item) ------------------------------


def _reader_rules(item: QuizItem, flag: Callable[[str, str], None], config: LintConfig) -> None:
    if ACRONYM.search(item.stem) or ABBREVIATION_MEANS.search(item.stem):
        flag("acronym", "the stem asks what an abbreviation stands for (a flashcard, not an item)")
    if item.level == "recall" and item.problem not in config.bedside:
        problem = repr(item.problem) if item.problem else "no problem"
        flag("trivia", f"a recall item on {problem}, not one of the bedside facts")
    if "level" not in item.model_fields_set:
        flag("level", "the item model sets no level (recall, application or analysis)")
    if not item.takeaway.strip():
        flag("takeaway", "every item needs a one-line take-away")
    for message in (
        _stem_repeats(item),
        _close_numbers(item, config.close_numbers),
        _label_cue(item),
        _pseudo_vignette(item, config.trials),
        _restates_key(item, config.teaching_words),
    ):
        if message:
            flag(*message)
    _rationale_rules(item, flag)
    for where, text in _feedback(item):
        note = SOURCE_NOTE.search(text)
        if note:
            flag("source-note", f"{where} carries a note on the source ({note[0]!r}): {text!r}")


def _feedback(item: QuizItem) -> list[tuple[str, str]]:
    """Everything a learner reads after answering, named for a message."""
    out = [("the explanation", item.explanation), ("the take-away", item.takeaway)]
    out += [(f"the line of option {i + 1}", r) for i, r in enumerate(item.rationales)]
    return out


def _is_number(option: str) -> bool:
    return re.match(r"^\s*[<>≤≥]?\d", option) is not None


def _stem_repeats(item: QuizItem) -> tuple[str, str] | None:
    """An option printed in the stem: a distractor a reader can strike out (or the key
    given away). Numbers are left to the hinge and homogeneity rules."""
    if item.type not in ("single", "matching", "ordering"):
        return None
    stem = normalise(item.stem)
    for i, option in enumerate(item.options):
        text = normalise(option).rstrip(".")
        if _is_number(option) or len(text) < 3:
            continue
        if _contains_words(stem, text):
            what = "the key" if item.type == "single" and i == item.key else "option"
            return "stem-repeat", f"{what} {option!r} repeats text of the stem"
    return None


def _word_edge(text: str, at: int) -> bool:
    """No word goes on across position `at` (start or end of a run of words)."""
    if at <= 0 or at >= len(text):
        return True
    return not (re.match(r"[\w-]", text[at - 1]) and re.match(r"[\w-]", text[at]))


def _contains_words(text: str, part: str) -> bool:
    """`part` stands in `text` as whole words (a plain search: a pattern per option would
    be compiled again for every item of a large bank)."""
    at = text.find(part)
    while at >= 0:
        if _word_edge(text, at) and _word_edge(text, at + len(part)):
            return True
        at = text.find(part, at + 1)
    return False


def _option_values(item: QuizItem) -> list[float] | None:
    """The options' numbers, when the options differ only in their numbers ("4.2 months",
    "HR 0.65"), else None."""
    if len(item.options) < 2 or item.type not in ("single", "matching", "ordering"):
        return None
    if not all(_NUMBER.search(o) for o in item.options):
        return None
    if len({unit_signature(o) for o in item.options}) != 1:
        return None
    values = [leading_number(o) for o in item.options]
    return [v for v in values if v is not None]


def _close_numbers(item: QuizItem, gap: float) -> tuple[str, str] | None:
    values = _option_values(item)
    if values is None or item.close_options:
        return None
    ordered = sorted(values)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a != b and abs(b - a) <= gap * max(abs(a), abs(b)):
            return (
                "close-numbers",
                f"options {a:g} and {b:g} are within {gap:.0%} of each other (hair-splitting; "
                "set close_options on an item about that difference)",
            )
    return None


def label_rank(text: str) -> float | None:
    """The rank a label carries: "(phase 1b)", "phase III", "second line", "2013"."""
    match = RANK.search(text)
    if match is None:
        return None
    if match["roman"]:
        return ROMAN[match["roman"].lower()]
    if match["phase"]:  # phase 1a, 1b, then 2
        return (
            int(match["phase"])
            + {None: 0, "a": 0.1, "b": 0.2}[match["part"] and match["part"].lower()]
        )
    if match["ordinal"]:
        return ORDINALS[match["ordinal"].lower()]
    return float(match["number"].replace(",", ""))


def _label_cue(item: QuizItem) -> tuple[str, str] | None:
    if item.type == "ordering":
        ranks = [label_rank(o) for o in item.options]
        if None in ranks or len(set(ranks)) < 2:
            return None
        along = [ranks[k] for k in item.key]
        if along in (sorted(along), sorted(along, reverse=True)):
            return "label-cue", f"the options' labels give the order away: {item.options}"
    if item.type == "matching":
        sets = [_label_terms(o) for o in item.options]
        for prompt, k in zip(item.prompts, item.key, strict=True):
            terms = _label_terms(prompt)
            shared = terms & sets[k]
            shared -= set().union(*(s for i, s in enumerate(sets) if i != k))
            if shared:
                return (
                    "label-cue",
                    f"prompt {prompt!r} and its option {item.options[k]!r} alone share "
                    f"{sorted(shared)}",
                )
    return None


def _label_terms(text: str) -> set[str]:
    return words(text) | set(LONE_NUMBER.findall(text))


def _name_tokens(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w[\w-]*", text.lower()))


@functools.lru_cache(maxsize=8)
def _name_index(names: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    """Names as token runs, by their first token: a lead-in is searched in one pass over
    its tokens, however many trials the pack holds."""
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name in names:
        tokens = _name_tokens(name)
        if tokens:
            index[tokens[0]].append(tokens)
    return index


def named(text: str, names: frozenset[str], extra: str | None = None) -> str | None:
    """The first of `names` (or `extra`) that `text` prints as whole words, if any."""
    index = _name_index(names)
    own = _name_tokens(extra) if extra else ()
    tokens = _name_tokens(text)
    for i, token in enumerate(tokens):
        for name in [*index.get(token, ()), *([own] if own and own[0] == token else [])]:
            if tokens[i : i + len(name)] == name:
                return " ".join(name)
    return None


def _pseudo_vignette(item: QuizItem, trials: frozenset[str]) -> tuple[str, str] | None:
    """A vignette whose question sentence names the trial and the measure: a reader
    answers it with the case covered."""
    if not item.vignette:
        return None
    question = lead_in(item.stem.strip())
    measure = MEASURE.search(question)
    trial = named(question, trials, item.trial) if measure else None
    if trial and measure:
        return (
            "pseudo-vignette",
            f"the question sentence alone names the trial ({trial}) and the measure "
            f"({measure[0]}): answerable with the case removed",
        )
    return None


def _restates_key(item: QuizItem, minimum: int) -> tuple[str, str] | None:
    """An explanation that says the key again: fewer than `minimum` content words beyond
    the stem and the key, or no number and no comparator beyond the key's.

    Clauses that only say where a distractor's value came from ("Not the others: 6.4
    months is the median PFS with drug X + drug Y in TRIAL-A") do not count: they
    are the provenance lines of `rationale-source`, run together.
    """
    keys = list(item.key_texts)
    if item.type in ("single", "true-false"):
        keys.append(item.options[item.key])
    distractors = [o for o in item.options if o not in keys]
    rest = re.sub(r"\bnot the others\b:?", " ", item.explanation, flags=re.IGNORECASE)
    rest = " ".join(
        clause
        for clause in re.split(r"(?<=[.;:])\s+", rest)
        if not _names_a_source(clause, distractors)
    )
    for key in keys:
        rest = rest.replace(key, " ")
    new = words(rest) - words(item.stem) - set().union(*(words(k) for k in keys))
    key_numbers = {n for k in keys for n in numbers_in(k)}
    others = [n for n in numbers_in(rest) if n not in key_numbers]
    if len(new) < minimum:
        return (
            "restates-key",
            f"the explanation adds {len(new)} content word(s) to the stem and the key "
            f"(at least {minimum}): {item.explanation!r}",
        )
    if not others and not COMPARATOR.search(rest):
        return (
            "restates-key",
            "the explanation gives no number and no comparator beyond the key: "
            f"{item.explanation!r}",
        )
    return None


def _names_a_source(clause: str, options: list[str]) -> bool:
    """ "<option> is/was <where it came from>", with no reason it is wrong here."""
    text = clause.strip().lower()
    return any(
        text.startswith(start) and COPULA.match(text, len(start))
        for start in (o.strip().lower() for o in options)
        if start
    ) and not REASON.search(clause)


def _rationale_rules(item: QuizItem, flag: Callable[[str, str], None]) -> None:
    rationales = item.rationales
    needs = item.type in ("single", "true-false")
    if (needs or rationales) and len(rationales) != len(item.options):
        flag(
            "rationales",
            f"{len(rationales)} reason line(s) for {len(item.options)} options: one per option",
        )
    elif needs:
        empty = [i + 1 for i, r in enumerate(rationales) if not r.strip()]
        if empty:
            flag("rationales", f"option(s) {empty} have no reason line")
        folded = [normalise(r) for r in rationales if r.strip()]
        if len(set(folded)) != len(folded):
            flag("rationales", "two options have the same reason line: each needs its own")
    for i, line in enumerate(rationales):
        if PROVENANCE.search(line) and not REASON.search(line):
            flag(
                "rationale-source",
                f"the line of option {i + 1} only says where its value came from: {line!r}",
            )


def verbatim(stem: str, source_text: str, n: int = 10) -> str | None:
    """The first run of `n` words the stem shares with the source, if any."""
    source = " ".join(re.findall(r"[a-z0-9]+", source_text.lower()))
    tokens = re.findall(r"[a-z0-9]+", stem.lower())
    for i in range(len(tokens) - n + 1):
        run = " ".join(tokens[i : i + n])
        if f" {run} " in f" {source} ":
            return run
    return None


# --- rules across a quiz --------------------------------------------------------------------


def _longest_key(item: QuizItem) -> bool:
    lengths = [len(o) for o in item.options]
    key = lengths[item.key]
    return lengths.count(max(lengths)) == 1 and key == max(lengths)


def _convergent_key(item: QuizItem) -> bool:
    """The key shares the most words with the other options: a test-wise reader's cue."""
    sets = [words(o) for o in item.options]

    def overlap(i: int) -> int:
        return sum(len(sets[i] & sets[j]) for j in range(len(sets)) if j != i)

    scores = [overlap(i) for i in range(len(sets))]
    best = max(scores)
    return best > 0 and scores.count(best) == 1 and scores[item.key] == best


def check_quiz(name: str, items: list[QuizItem]) -> list[Problem]:
    out: list[Problem] = []
    singles = [i for i in items if i.type == "single" and len(i.options) >= 3]
    for rule, test, what in (
        ("longest-key", _longest_key, "the key is the unique longest option"),
        ("convergence", _convergent_key, "the key shares the most words with the others"),
    ):
        hits = [i for i in singles if test(i)]
        if singles and len(hits) * 2 > len(singles):
            out.append(_quiz_problem(name, rule, f"{what} in {len(hits)} of {len(singles)} items"))
    if len(singles) >= 20:
        expected: Counter[int] = Counter()
        for item in singles:
            for p in range(len(item.options)):
                expected[p] += 1 / len(item.options)
        seen = Counter(i.key for i in singles)
        for position, count in sorted(seen.items()):
            if count > 2 * expected[position] + 2:
                letter = LETTERS[position]
                out.append(
                    _quiz_problem(
                        name,
                        "key-position",
                        f"{count} keys at {letter}, about {expected[position]:.0f} expected",
                    )
                )
    tf = [i for i in items if i.type == "true-false"]
    if len(tf) >= 10:
        true = sum(1 for i in tf if i.key == 0)
        if not 0.25 <= true / len(tf) <= 0.75:
            out.append(
                _quiz_problem(name, "true-false", f"{true} of {len(tf)} statements are true")
            )
    index = HingeIndex([i.stem for i in items])
    for item in items:
        index.add(item)
    for item in items:
        key = index.cued(item)
        if key:
            out.append(_problem(item, "hinge", f"another stem prints its key {key!r}"))
    return out


def stem_tokens(stem: str) -> tuple[str, ...]:
    """A stem as compared with others: case, spacing and number format folded, numbers
    standing alone masked (a case that differs only in the patient's age is the same
    question), punctuation dropped."""
    masked = LONE_NUMBER.sub(" # ", stem)
    return tuple(re.findall(r"[a-z0-9#]+(?:[-'][a-z0-9#]+)*", normalise(masked)))


def _ceil(x: float) -> int:
    """ceil, forgiving the float error of 0.9 * 30: a prefix one token too short would
    miss pairs, one too long only costs a comparison."""
    return math.ceil(x - 1e-9)


def _near_pairs(stems: list[frozenset[str]], threshold: float) -> dict[int, tuple[int, float]]:
    """For each stem, the earliest earlier stem with token Jaccard >= threshold, if any.

    Two sets this similar differ by d tokens, with d <= min size * (1 - t) / t. Pairs
    with d <= 1 (the same set, or one token more) are found by hashing each set and each
    set less one token. Pairs with d >= 2 need both sets of size >= 2t / (1 - t) (18 at
    0.9): among those, prefix filtering (Bayardo et al., "Scaling up all pairs similarity
    search", WWW 2007): with tokens ordered rarest first, such a pair shares a token among
    the first |s| - ceil(t |s|) + 1 of each, so only stems sharing one are compared, in
    order, up to the first match. A bank of 100 copies of each trial stays near linear.
    """
    found: dict[int, tuple[int, float]] = {}

    def keep(i: int, j: int, score: float) -> None:
        if j < i and (i not in found or j < found[i][0]):
            found[i] = (j, score)

    # d <= 1. A set's signature is (size, XOR of its tokens' hashes): a set less one
    # token w has (size - 1, signature ^ hash(w)), so no subset need be built.
    signature = [functools.reduce(operator.xor, map(hash, s), 0) for s in stems]
    whole: dict[tuple[int, int], list[int]] = defaultdict(list)
    less_one: dict[tuple[int, int], list[int]] = defaultdict(list)  # sets that lose a token
    for i, s in enumerate(stems):
        whole[(len(s), signature[i])].append(i)
        if s and (len(s) - 1) / len(s) >= threshold:
            for token in s:
                less_one[(len(s) - 1, signature[i] ^ hash(token))].append(i)
    for i, s in enumerate(stems):
        size, sign = len(s), signature[i]
        for j in whole[(size, sign)]:
            if j < i and stems[j] == s:
                keep(i, j, 1.0)
                break
        if size and (size - 1) / size >= threshold:  # an earlier stem one token shorter
            for token in s:
                for j in whole.get((size - 1, sign ^ hash(token)), ()):
                    if j < i and stems[j] < s:
                        keep(i, j, (size - 1) / size)
        for j in less_one.get((size, sign), ()):  # an earlier stem one token longer
            if j < i and s < stems[j]:
                keep(i, j, size / (size + 1))
    # d >= 2: long stems only, each against the earlier ones sharing a token of its prefix
    # whose position still leaves room for enough overlap (PPJoin's positional filter,
    # Xiao et al., WWW 2008: two copies of a template that differ in a rarer token than
    # the one they share are never compared).
    if threshold < 1:
        shortest = _ceil(2 * threshold / (1 - threshold))
        long = [i for i, s in enumerate(stems) if len(s) >= shortest]
        counts = Counter(t for i in long for t in stems[i])
        index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i in long:
            tokens, size = stems[i], len(stems[i])
            prefix = sorted(tokens, key=lambda t: (counts[t], t))
            prefix = prefix[: size - _ceil(threshold * size) + 1]
            candidates: set[int] = set()
            dropped: set[int] = set()
            for px, token in enumerate(prefix):
                for j, py in index[token]:
                    if j in candidates or j in dropped:
                        continue
                    other = len(stems[j])
                    room = 1 + min(size - px - 1, other - py - 1)
                    need = _ceil(threshold / (1 + threshold) * (size + other))
                    (candidates if room >= need else dropped).add(j)
            for j in sorted(candidates):
                if i in found and j >= found[i][0]:
                    break
                shared = len(tokens & stems[j])
                score = shared / (size + len(stems[j]) - shared)
                if score >= threshold:
                    keep(i, j, score)
                    break
            for py, token in enumerate(prefix):
                index[token].append((i, py))
    return found


def same_stems(items: list[QuizItem], threshold: float) -> list[Problem]:
    """Each stem that repeats an earlier one: word for word, but for its numbers, or with
    a token Jaccard of at least `threshold`. One problem per repeat, naming the first.

    Two vignettes whose cases differ are not the same question even when their wording is
    close: a minimal pair (one feature of the patient changed, and with it the answer) is
    what teaches which feature decides. Word-for-word repeats are flagged all the same."""
    out: list[Problem] = []
    first: dict[tuple[str, ...], int] = {}
    exact: dict[str, int] = {}
    distinct: list[int] = []  # one item per masked text, compared for near stems
    for i, item in enumerate(items):
        text = " ".join(re.findall(r"[a-z0-9]+", normalise(item.stem)))
        tokens = stem_tokens(item.stem)
        if text in exact:
            earlier = items[exact[text]]
            out.append(
                _problem(item, "same-stem", f"repeats the stem of {earlier.id} word for word")
            )
        elif tokens in first:
            earlier = items[first[tokens]]
            out.append(
                _problem(item, "same-stem", f"repeats the stem of {earlier.id} but for its numbers")
            )
        else:
            distinct.append(i)
        exact.setdefault(text, i)
        first.setdefault(tokens, i)
    sets = [frozenset(stem_tokens(items[i].stem)) for i in distinct]
    for n, (m, score) in sorted(_near_pairs(sets, threshold).items()):
        item, earlier = items[distinct[n]], items[distinct[m]]
        if item.vignette and earlier.vignette and item.features != earlier.features:
            continue
        out.append(
            _problem(
                item, "same-stem", f"nearly repeats the stem of {earlier.id} (Jaccard {score:.2f})"
            )
        )
    return out


def lint(
    bank: Iterable[QuizItem],
    source_text: str | None = None,
    quiz: str | None = None,
    config: LintConfig = DEFAULT_CONFIG,
) -> list[Problem]:
    """Every flaw in the items, then in each quiz (each topic; or `quiz` as one whole),
    then across all the items given (repeated stems, ids)."""
    items = list(bank)
    common = common_words(items)
    out = [p for item in items for p in check_item(item, source_text, config, common)]
    if quiz is not None:
        out += check_quiz(quiz, items)
    else:
        by_topic: dict[str, list[QuizItem]] = defaultdict(list)
        for item in items:
            by_topic[item.topic].append(item)
        for topic, members in by_topic.items():
            out += check_quiz(topic, members)
    ids = Counter(i.id for i in items)
    out += [
        _quiz_problem("bank", "ids", f"item id {i} is used twice") for i, n in ids.items() if n > 1
    ]
    out += same_stems(items, config.near_stem)
    return out


def coverage(
    bank: Iterable[QuizItem],
    *,
    min_bank: int = 0,
    min_per_topic: int = 0,
    min_vignettes: int = 0,
    min_higher_share: float = 0.0,
    types: Collection[str] = (),
) -> list[Problem]:
    """What the bank must hold as a whole: enough items, every topic, each of `types`,
    vignettes, and a share of at least `min_higher_share` at application or analysis.
    No minimum by default (but an item in every topic, which the site has a page for):
    each pack sets its own in quizzes/bank.yaml (`BankRules`)."""
    items = list(bank)
    out = []

    def short(message: str) -> None:
        out.append(_quiz_problem("bank", "coverage", message))

    if len(items) < min_bank:
        short(f"{len(items)} items; at least {min_bank}")
    topics = Counter(i.topic for i in items)
    for topic in TOPICS:
        if topics[topic] < max(min_per_topic, 1):
            short(f"{topics[topic]} {topic} items; at least {max(min_per_topic, 1)}")
    kinds = Counter(i.type for i in items)
    for kind in types:
        if not kinds[kind]:
            short(f"no {kind} items")
    vignettes = sum(1 for i in items if i.vignette)
    if vignettes < min_vignettes:
        short(f"{vignettes} clinical vignettes; at least {min_vignettes}")
    higher = sum(1 for i in items if i.level in HIGHER_LEVELS)
    if higher < min_higher_share * len(items):
        short(
            f"{higher} of {len(items)} items ({higher / len(items):.0%}) at application or "
            f"analysis; at least {min_higher_share:.0%}"
        )
    return out
