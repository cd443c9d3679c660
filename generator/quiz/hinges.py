"""Hinges: a question whose stem gives away another question's key.

A quiz must not print one item's key, or a number that decides it, in another item's stem
about the same subject (a trial, a study): `HingeIndex` finds such pairs in time linear
in the quiz, the bank drops the later item of each pair, and the mock exam never picks
both. `seed` makes every
random choice of the bank a function of an id, so the same content gives the same bank.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .items import QuizItem
from .text import normalise


def seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


@functools.lru_cache(maxsize=1 << 16)
def _phrase(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.])" + re.escape(normalise(text)) + r"(?![\w])")


def mentions(stem: str, text: str) -> bool:
    """Whether `text` stands in `stem` as a whole phrase (so "21%" is not found in "121%")."""
    folded = normalise(stem)
    return normalise(text) in folded and _phrase(text).search(folded) is not None


_SUBJECT = re.compile(r"[A-Za-z0-9][\w-]*")


@functools.lru_cache(maxsize=1 << 16)
def subjects(stem: str) -> frozenset[str]:
    """Names in a stem: words with a digit or a capital after the first letter (TRIAL-A,
    ABC4450g, KRAS, NeoSphere), as opposed to ordinary words."""
    return frozenset(
        w
        for w in _SUBJECT.findall(stem)
        if any(c.isalpha() for c in w)
        and (any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]))
    )


def common_subjects(stems: list[str]) -> set[str]:
    """Names in more than half the stems of a quiz (the drug's code, its target): they
    single out nothing. A handful of stems is too few to tell a common name from a shared
    subject."""
    if len(stems) < 10:
        return set()
    counts: dict[str, int] = {}
    for stem in stems:
        for name in subjects(stem):
            counts[name] = counts.get(name, 0) + 1
    return {name for name, n in counts.items() if n * 2 > len(stems)}


# A figure as a key prints it: a number with its decimals and a per cent sign where it has
# one ("35%", "0.65", "9.6"), not inside a longer number or a name ("ZRK1", "3.6.1").
_FIGURE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?%)?(?![\w.]?\d)")


def _is_figure(text: str) -> bool:
    """A result's figure ("35%", "0.65", "9.6", "22"), not a single digit, which stems
    print as a count, a grade, a phase or a schedule ("grade 3", "2 regimens", "every 3
    weeks") far more often than as another item's result."""
    return "%" in text or "." in text or len(text.replace(",", "")) > 1


def decisive_numbers(item: QuizItem) -> list[str]:
    """The figures in a single-answer key that at least half of its wrong options lack:
    printed in another stem, each strikes those options out, so it gives the key away as
    surely as its whole text ("A 35% lower hazard ..." by a stem saying "cut the risk by
    35%"; "Median 9.6 against 6.4 months (HR 0.65)" by a stem printing "HR 0.65"). A
    number most options share ("It excludes 1 ..." against "It includes 1 ...") decides
    nothing."""
    if item.type != "single":
        return []
    key = item.options[item.key]
    wrong = [o for i, o in enumerate(item.options) if i != item.key]
    out: list[str] = []
    for match in _FIGURE.finditer(key):
        figure = match[0]
        if not _is_figure(figure):
            continue
        lacking = sum(1 for o in wrong if not mentions(o, figure))
        if figure not in out and lacking * 2 >= len(wrong):
            out.append(figure)
    return out


def hinge_keys(item: QuizItem) -> list[str]:
    """What another stem must not print about the same subject: the key's text and its
    decisive numbers."""
    return [*item.key_texts, *(n for n in decisive_numbers(item) if n not in item.key_texts)]


def cued(item: QuizItem, stems: list[str], common: set[str] = frozenset()) -> str | None:
    """The key that another stem of the quiz gives away, if any.

    A hinge: another stem prints this item's key, or a number that decides it, about the
    same subject (a trial, a study, a drug code), as "In TRIAL-A, what was ... with drug
    X + drug Y?" answers "Against which regimen was the drug tested in TRIAL-A?", and
    "In TRIAL-A, the drug cut the risk by 35%" answers "What does HR 0.65 say? A 35%
    lower hazard". A key printed about another subject gives nothing away.
    """
    own = subjects(item.stem) - common
    for key in hinge_keys(item):
        for stem in stems:
            if own & subjects(stem) and mentions(stem, key):
                return key
    return None


# Terms, to find the stems that may print a key without reading every stem. A term is a
# word, or a number with its decimals ("6.5", and "0.0" for "0%" once normalised): single
# words would make every stem with a number a candidate for a key "0%". `mentions` finds
# a key only between term boundaries (no letter, digit or dot before it, no letter or
# digit after it), so each term of a key is a term of any stem that prints it, or the
# start of one cut at a dot (the key "1.2" stands in "version 1.2.3"): `stem_terms` lists
# those starts as well.
_TERM = re.compile(r"\w+(?:\.\w+)*")


@functools.lru_cache(maxsize=1 << 16)
def key_terms(text: str) -> frozenset[str]:
    """The terms of a key's printed form, normalised as `mentions` compares it."""
    return frozenset(_TERM.findall(normalise(text)))


@functools.lru_cache(maxsize=1 << 16)
def stem_terms(stem: str) -> frozenset[str]:
    """Every term a key printed in `stem` can have: its terms, and each cut at a dot."""
    out: set[str] = set()
    for term in _TERM.findall(normalise(stem)):
        parts = term.split(".")
        out.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return frozenset(out)


def asserts(item: QuizItem) -> bool:
    """Whether the item's stem states facts: a false true/false statement prints a value
    it does not claim, so it gives nothing away."""
    return not (item.type == "true-false" and item.key == 1)


class HingeIndex:
    """The items of one quiz by the names in their stems and by terms, so that finding a
    hinge compares only stems and keys about the same subject that could print each
    other: linear in the quiz, not quadratic.

    Names alone are not enough: a synthetic pack has 100 copies of each trial, and every stem
    naming one would be compared with every other. A key can only stand in a stem that
    holds all of the key's terms, so stems are also indexed by each of their terms (a
    search reads the shortest list among the key's terms), and keys by their rarest term
    in the quiz's stems (a search reads the lists of the stem's terms).
    """

    def __init__(self, stems: list[str]):
        """An empty index for a quiz made of `stems` (they set the common names, and how
        rare each term is)."""
        self.common = common_subjects(stems)
        self.term_counts = Counter(term for stem in stems for term in stem_terms(stem))
        # (name, term) -> asserting items whose stem has that name and that term
        self.stems: dict[tuple[str, str], list[QuizItem]] = {}
        # name -> asserting items whose stem has it (for a key with no term at all)
        self.stems_named: dict[str, list[QuizItem]] = {}
        # (name, term) -> items whose stem has that name and whose key's rarest term that
        # is; (name, None) for a key with no term at all
        self.keys: dict[tuple[str, str | None], list[QuizItem]] = {}

    def _names(self, item: QuizItem) -> frozenset[str]:
        return subjects(item.stem) - self.common

    def _rarest_term(self, key: str) -> str | None:
        terms = key_terms(key)
        return min(terms, key=lambda t: (self.term_counts[t], t)) if terms else None

    def _may_print(self, item: QuizItem, key: str) -> list[QuizItem]:
        """Indexed asserting items, other than `item`, that share a name with it and whose
        stem holds every term of `key` (at least: the shortest list per name)."""
        terms = key_terms(key)
        found: list[QuizItem] = []
        for name in self._names(item):
            if terms:
                found += min((self.stems.get((name, t), ()) for t in terms), key=len)
            else:
                found += self.stems_named.get(name, ())
        return [other for other in found if other is not item]

    def cued(self, item: QuizItem) -> str | None:
        """A key of `item` that an indexed stem gives away."""
        sources = [o.stem for key in hinge_keys(item) for o in self._may_print(item, key)]
        return cued(item, sources, self.common)

    def cues(self, item: QuizItem) -> bool:
        """Whether `item`'s stem would give away the key of an indexed item."""
        if not asserts(item):
            return False
        terms = [*stem_terms(item.stem), None]
        return any(
            other is not item and cued(other, [item.stem], self.common)
            for name in self._names(item)
            for term in terms
            for other in self.keys.get((name, term), ())
        )

    def add(self, item: QuizItem) -> None:
        names = self._names(item)
        if asserts(item):
            terms = stem_terms(item.stem)
            for name in names:
                self.stems_named.setdefault(name, []).append(item)
                for term in terms:
                    self.stems.setdefault((name, term), []).append(item)
        for key in hinge_keys(item):
            rarest = self._rarest_term(key)
            for name in names:
                self.keys.setdefault((name, rarest), []).append(item)


def without_hinges(items: Iterable[QuizItem], scope=lambda item: item.topic) -> list[QuizItem]:
    """Keep items in order, skipping any that a kept stem cues, or whose stem would cue a
    kept item: earlier items win, so blueprint order sets the priority."""
    items = list(items)
    indexes: dict[Any, HingeIndex] = {}
    for group in dict.fromkeys(scope(i) for i in items):
        indexes[group] = HingeIndex([i.stem for i in items if scope(i) == group])
    kept: list[QuizItem] = []
    for item in items:
        index = indexes[scope(item)]
        if index.cued(item) or index.cues(item):
            continue
        index.add(item)
        kept.append(item)
    return kept
