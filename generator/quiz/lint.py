"""Item-writing linter: the NBME rules of /ITEM-WRITING.md that a program can check.

Each problem's message starts with its rule in brackets, e.g. `[lead-in]`, and points at
the blueprint that made the item, so `python -m generator check` reads like a content
error. Rules on single items run per item; cueing rules that only show across many
items (longest option, convergence, key position, true/false balance, hinges) run per
quiz: per topic for the bank, and on the mock exam as a whole.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from ..loader import Problem
from .hinges import HingeIndex
from .items import TOPICS, QuizItem
from .text import _NUMBER, leading_number, normalise

MIN_BANK = 100
MIN_PER_TOPIC = 5
MIN_HIGHER_LEVEL = 0.70  # share of items at application or analysis
MIN_VIGNETTES = 15

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
    item: QuizItem, source_text: str | None = None, common: frozenset[str] = frozenset()
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
                letter = "ABCDEF"[position]
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


def lint(
    bank: Iterable[QuizItem], source_text: str | None = None, quiz: str | None = None
) -> list[Problem]:
    """Every flaw in the items, then in each quiz (each topic; or `quiz` as one whole)."""
    items = list(bank)
    common = common_words(items)
    out = [p for item in items for p in check_item(item, source_text, common)]
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
    return out


def coverage(bank: Iterable[QuizItem]) -> list[Problem]:
    """What the bank must hold as a whole: enough items, every topic, every type, vignettes."""
    items = list(bank)
    out = []
    if len(items) < MIN_BANK:
        out.append(_quiz_problem("bank", "coverage", f"{len(items)} items; at least {MIN_BANK}"))
    topics = Counter(i.topic for i in items)
    for topic in TOPICS:
        if topics[topic] < MIN_PER_TOPIC:
            out.append(
                _quiz_problem(
                    "bank", "coverage", f"{topics[topic]} {topic} items; at least {MIN_PER_TOPIC}"
                )
            )
    higher = sum(1 for i in items if i.level != "recall")
    if items and higher < MIN_HIGHER_LEVEL * len(items):
        out.append(
            _quiz_problem(
                "bank",
                "coverage",
                f"{higher} of {len(items)} items at application or analysis; at least "
                f"{MIN_HIGHER_LEVEL:.0%}",
            )
        )
    vignettes = sum(1 for i in items if i.vignette)
    if vignettes < MIN_VIGNETTES:
        out.append(
            _quiz_problem(
                "bank", "coverage", f"{vignettes} clinical vignettes; at least {MIN_VIGNETTES}"
            )
        )
    return out
