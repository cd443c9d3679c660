"""Blueprints x evidence -> the bank of quiz items. Pure and deterministic.

Every random choice (which distractors, option order, whether a true/false statement
is true) draws from a generator seeded by the item's id, so the same content gives the
same items, ids and option order on every build and on every machine.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jinja2

from .. import links
from ..loader import InputError, Problem
from ..model import Evidence
from .blueprint import ENV, Blueprint
from .items import TRUE_FALSE, EvidenceRef, QuizItem
from .records import Entry, iter_collection, lookup
from .text import (
    about,
    display,
    leading_number,
    normalise,
    numbers_in,
    parent_and_field,
    unit_of,
)

MEASURED_FIELDS = {"value", "rate", "count", "estimate", "low", "high"}


def seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def rng_for(item_id: str) -> random.Random:
    return random.Random(seed(item_id))


def slug(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "all"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class RenderError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Option:
    """A candidate answer: the entry it comes from, the path read, and how it prints."""

    entry: Entry
    path: str
    text: str
    value: Any

    @property
    def about(self) -> str:
        return about(self.entry, self.path)

    @property
    def described(self) -> dict[str, str]:
        return {"text": self.text, "about": self.about}


@dataclass(frozen=True)
class PoolRow:
    """A possible distractor, with what `Expander.candidates` compares."""

    position: int  # in the pool, ordered by entity key: candidates keep this order
    option: Option
    entity: str  # the entry's key: an item never takes its own entry as a distractor
    collection: str
    differ: tuple  # its values at the blueprint's `differ` paths
    value_text: str  # its value as text, normalised, and the number it prints (if its
    number: float | None  # value is a number): checked against discrepant printings


# One `same` group of the pool: printed form -> the rows printing it, in classes of rows
# that every check but "not the key's own entry" treats alike (same `differ` values, value
# text and number), each class's rows and the classes themselves in pool order.
Printings = dict[str, dict[tuple, list[PoolRow]]]


@dataclass(frozen=True)
class Firsts:
    """For one `same` group and one set of `differ` values: each printed form's first row
    with other `differ` values, in pool order; and what each of those rows' entities
    prints (an entry's key is unique within its collection, so it is in one row at most)."""

    rows: list[tuple[str, PoolRow]]
    printed_by_entity: dict[tuple[str, str], str]


def first_fit(
    classes: Iterable[list[PoolRow]],
    fits: Callable[[PoolRow], bool],
    skip: Callable[[PoolRow], bool] = lambda row: False,
) -> PoolRow | None:
    """The first row in pool order whose class `fits` and that is not `skip`ped. A class
    passes `fits` or fails it as a whole, so this reads one row of most classes, and stops
    at the first class starting after the best row found."""
    best: PoolRow | None = None
    for rows in classes:
        if best is not None and rows[0].position > best.position:
            break
        if not fits(rows[0]):
            continue
        row = next((r for r in rows if not skip(r)), None)
        if row is not None and (best is None or row.position < best.position):
            best = row
    return best


def _hashable(value: Any) -> Any:
    """A value usable as a grouping key (model objects and lists by their printed form)."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def matches(context: dict[str, Any], where: dict[str, Any]) -> bool:
    for path, condition in where.items():
        value = lookup(context, path)
        if isinstance(condition, dict):
            if "present" in condition and (value is not None) != bool(condition["present"]):
                return False
            if "not" in condition:
                banned = condition["not"]
                if value in (banned if isinstance(banned, list) else [banned]):
                    return False
            if "lacks" in condition and str(condition["lacks"]) in str(value or ""):
                return False
        elif isinstance(condition, list):
            if value not in condition:
                return False
        elif value != condition:
            return False
    return True


class Expander:
    """Expands one blueprint against the evidence."""

    def __init__(self, ev: Evidence, bp: Blueprint):
        self.ev = ev
        self.bp = bp
        self._templates: dict[str, jinja2.Template] = {}
        self._pool: dict[tuple, Printings] | None = None
        self._firsts: dict[tuple[tuple, tuple], Firsts] = {}

    # --- helpers ---------------------------------------------------------------------------

    def render(self, field: str, context: dict[str, Any]) -> str:
        try:
            if field not in self._templates:
                self._templates[field] = ENV.from_string(getattr(self.bp, field))
            text = self._templates[field].render({**self.bp.variables, **context})
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
            raise RenderError(field, f"template error: {exc}") from None
        return " ".join(text.split())

    def option(self, entry: Entry, path: str | None = None) -> Option | None:
        path = path or self.bp.answer
        value = entry.value(path)
        if value is None:
            return None
        return Option(entry, path, display(entry.context, path, value, self.bp.unit), value)

    def evidence(self, entry: Entry) -> EvidenceRef:
        record, path = entry.evidence(self.bp.answer) or (entry.name, self.bp.answer)
        return EvidenceRef(record=record, path=path)

    def selected(self) -> list[Entry]:
        out = []
        for entry in iter_collection(self.ev, self.bp.select):
            if not matches(entry.context, self.bp.where):
                continue
            if entry.value(self.bp.answer) is None:
                continue
            if self.bp.split and seed(entry.key) % self.bp.split[1] != self.bp.split[0]:
                continue
            out.append(entry)
        return out

    def link(self, entry: Entry) -> str:
        """page#anchor (as `links.locate` gives them) of the record the item rests on."""
        if self.bp.link not in ("record", "trial"):
            return self.bp.link
        name = entry.name
        trial = entry.context.get("trial")
        if self.bp.link == "trial" and trial is not None:
            name = trial.id
        page, anchor = links.locate(name, self.ev)
        return f"{page}#{anchor}"

    def base_context(self, entry: Entry) -> dict[str, Any]:
        return {"drug": self.ev.drug, **entry.context}

    def discrepant(self, entry: Entry) -> tuple[set[float], set[str]]:
        """Numbers and texts the review prints elsewhere for the key's own record: a reader
        who remembers the other printing would be right, so they are never distractors."""
        numbers: set[float] = set()
        texts: set[str] = set()
        record, path = entry.evidence(self.bp.answer) or (entry.name, "")
        # A trial's discrepancies about reference numbers or doses say nothing about its
        # development order or size: only measured fields take numbers from them.
        measured = path.rpartition(".")[2] in MEASURED_FIELDS
        for disc in self.ev.discrepancies:
            if record in disc.subjects:
                for v in disc.values:
                    texts.add(normalise(v.value))
                    if measured:
                        numbers.update(numbers_in(v.value))
        return numbers, texts

    def discrepancy_note(self, entry: Entry) -> str:
        """Where the review prints the key's value inconsistently, say so in the explanation."""
        record = (entry.evidence(self.bp.answer) or (entry.name, ""))[0]
        notes = []
        for disc in self.ev.discrepancies:
            if record in disc.subjects and disc.kind not in ("misspelling", "wrong-expansion"):
                printed = "; ".join(f"{v.value} ({v.where})" for v in disc.values)
                notes.append(f" The review is not consistent here: {printed}. Shown: {disc.shown}.")
        return "".join(notes)

    def pool(self) -> dict[tuple, Printings]:
        """Every possible distractor, read once per blueprint and grouped by the values
        `same` asks them to share, so each item looks only at its own group; within a
        group, by printed form, and by what the checks of `candidates` compare."""
        if self._pool is None:
            spec = self.bp.distractors
            assert spec is not None
            path = spec.answer or self.bp.answer
            options = []
            for other in iter_collection(self.ev, spec.from_ or self.bp.select):
                if matches(other.context, spec.where):
                    option = self.option(other, path)
                    if option is not None:
                        options.append(option)
            options.sort(key=lambda o: o.entry.key)
            self._pool = {}
            for position, option in enumerate(options):
                shared = tuple(_hashable(option.entry.value(p)) for p in spec.same)
                row = PoolRow(
                    position=position,
                    option=option,
                    entity=option.entry.key,
                    collection=option.entry.collection,
                    differ=tuple(_hashable(option.entry.value(p)) for p in spec.differ),
                    value_text=normalise(str(option.value)),
                    number=leading_number(option.text) if is_number(option.value) else None,
                )
                printings = self._pool.setdefault(shared, {})
                classes = printings.setdefault(normalise(option.text), {})
                classes.setdefault((row.differ, row.value_text, row.number), []).append(row)
        return self._pool

    def firsts(self, shared: tuple, differ: tuple) -> Firsts:
        """For each printed form of the `shared` group, its first row whose `differ` values
        all differ from `differ`, in pool order. Every item with these values starts from
        this list, so it is made once for them all, not once per item."""
        if (shared, differ) not in self._firsts:

            def fits(row: PoolRow) -> bool:
                return not any(a == b for a, b in zip(row.differ, differ, strict=True))

            rows = []
            for printed, classes in self.pool().get(shared, {}).items():
                row = first_fit(classes.values(), fits)
                if row is not None:
                    rows.append((printed, row))
            rows.sort(key=lambda printed_row: printed_row[1].position)
            printed_by_entity = {(row.entity, row.collection): printed for printed, row in rows}
            self._firsts[shared, differ] = Firsts(rows, printed_by_entity)
        return self._firsts[shared, differ]

    def candidates(self, entry: Entry, key: Option) -> list[Option]:
        """Real sibling values that are not the key, do not print like it or like each other:
        for each printed form, the first value in pool order that passes the checks
        (`differ`, not the key's own entry, not a printing of a discrepancy), in pool order.

        An item reads its group's printed forms, not every value: with 100 copies of each
        trial, a group holds about 100 values per printed form, and reading them all for
        every item made the bank quadratic in the number of trials."""
        spec = self.bp.distractors
        assert spec is not None
        shared = tuple(_hashable(entry.value(p)) for p in spec.same)
        differ = tuple(_hashable(entry.value(p)) for p in spec.differ)
        banned = normalise(key.text)
        avoid, avoid_texts = self.discrepant(entry)
        firsts = self.firsts(shared, differ)
        # The key's own entry, if it comes first for a printed form, is left out with the
        # key's own printing, unless the distractors read another path than the key.
        own_printed = firsts.printed_by_entity.get((entry.key, entry.collection), banned)
        if not avoid and not avoid_texts and own_printed == banned:
            # The usual case: nothing but the key's own printing to leave out.
            return [row.option for printed, row in firsts.rows if printed != banned]

        # The key's own entry comes first for another printed form, or the review prints
        # the key's record inconsistently: read each printed form's rows with every check.
        def fits(row: PoolRow) -> bool:
            return not (
                any(a == b for a, b in zip(row.differ, differ, strict=True))
                or row.value_text in avoid_texts
                or row.number in avoid
            )

        def own(row: PoolRow) -> bool:
            return row.entity == entry.key and row.collection == entry.collection

        found = []
        for printed, classes in self.pool().get(shared, {}).items():
            if printed == banned or printed in avoid_texts:
                continue
            row = first_fit(classes.values(), fits, skip=own)
            if row is not None:
                found.append(row)
        found.sort(key=lambda row: row.position)
        return [row.option for row in found]

    def kind_of(self, option: Option) -> str:
        """What kind of value an option is: the field it comes from, and its unit."""
        unit = unit_of(option.entry.context, option.path, self.bp.unit)
        parent, field = parent_and_field(option.entry.context, option.path)
        base = f"{type(parent).__name__}.{field}"
        return f"{base} [{unit}]" if is_number(option.value) and unit else base

    def common(self, item_id: str, entry: Entry) -> dict[str, Any]:
        return {
            "id": item_id,
            "blueprint": self.bp.id,
            "origin": f"{self.bp.file}:{self.bp.line()}",
            "topic": self.bp.topic,
            "type": self.bp.type,
            "vignette": self.bp.vignette,
            "objective": " ".join(self.bp.objective.split()),
            "link": self.link(entry),
        }

    # --- item types ------------------------------------------------------------------------

    def items(self) -> list[QuizItem]:
        entries = self.selected()
        if self.bp.type in ("single", "true-false"):
            made = [self.choice_item(e) for e in entries]
        elif self.bp.type == "numeric":
            made = [self.numeric_item(e) for e in entries]
        else:
            made = [item for group in self.groups(entries) for item in self.group_items(*group)]
        out = [item for item in made if item is not None]
        return out[: self.bp.limit] if self.bp.limit else out

    def choice_item(self, entry: Entry) -> QuizItem | None:
        item_id = f"{self.bp.id}/{entry.key}"
        rng = rng_for(item_id)
        key = self.option(entry)
        assert key is not None
        pool = self.candidates(entry, key)
        context = self.base_context(entry)
        context.update(value=key.value, key=key.text)
        if self.bp.type == "true-false":
            if not pool:
                return None
            truth = rng.random() < 0.5
            claim = key if truth else rng.choice(pool)
            context.update(claim=claim.text, truth=truth)
            explanation = self.render("explanation", context)
            if not truth:
                explanation += f" The statement gives {claim.text}, which is {claim.about}."
            explanation += self.discrepancy_note(entry)
            return QuizItem(
                **self.common(item_id, entry),
                stem=self.render("stem", context),
                options=list(TRUE_FALSE),
                kinds=["truth", "truth"],
                key=0 if truth else 1,
                claim=claim.text,
                explanation=explanation,
                evidence=[self.evidence(entry)],
            )
        spec = self.bp.distractors
        assert spec is not None
        count = min(spec.count, len(pool))
        if count < 2:
            return None
        chosen = self.pick(rng, key, pool, count)
        options = [key, *chosen]
        if all(is_number(o.value) for o in options):
            options.sort(key=lambda o: o.value)  # numbers read best in ascending order
        else:
            rng.shuffle(options)
        context["distractors"] = [o.described for o in chosen]
        why_not = "; ".join(f"{o.text} is {o.about}" for o in chosen)
        return QuizItem(
            **self.common(item_id, entry),
            stem=self.render("stem", context),
            options=[o.text for o in options],
            kinds=[self.kind_of(o) for o in options],
            key=options.index(key),
            explanation=f"{self.render('explanation', context)} Not the others: {why_not}."
            + self.discrepancy_note(entry),
            rationales=["The answer." if o is key else f"This is {o.about}." for o in options],
            evidence=[self.evidence(entry)],
        )

    @staticmethod
    def pick(rng: random.Random, key: Option, pool: list[Option], count: int) -> list[Option]:
        """Choose distractors; for numbers, choose at random how many sit below the key, so
        that once the options are sorted the key's position is spread evenly."""
        if not is_number(key.value) or not all(is_number(o.value) for o in pool):
            return rng.sample(pool, count)
        below = [o for o in pool if o.value < key.value]
        above = [o for o in pool if o.value >= key.value]
        n_below = min(rng.randrange(count + 1), len(below))
        n_below = max(n_below, count - len(above))
        return rng.sample(below, n_below) + rng.sample(above, count - n_below)

    def numeric_item(self, entry: Entry) -> QuizItem | None:
        value = entry.value(self.bp.answer)
        if not is_number(value):
            return None
        item_id = f"{self.bp.id}/{entry.key}"
        unit = unit_of(entry.context, self.bp.answer, self.bp.unit)
        key = self.option(entry)
        assert key is not None
        context = self.base_context(entry)
        context.update(value=value, key=key.text, unit=unit or "", tolerance=self.bp.tolerance)
        return QuizItem(
            **self.common(item_id, entry),
            stem=self.render("stem", context),
            key=value,
            tolerance=self.bp.tolerance,
            unit=unit,
            explanation=self.render("explanation", context) + self.discrepancy_note(entry),
            evidence=[self.evidence(entry)],
        )

    # --- matching and ordering ---------------------------------------------------------------

    def groups(self, entries: list[Entry]) -> list[tuple[Any, list[Entry]]]:
        groups: dict[Any, list[Entry]] = {}
        for entry in entries:
            value = entry.value(self.bp.group_by) if self.bp.group_by else ""
            groups.setdefault(value, []).append(entry)
        return list(groups.items())

    def rows(self, entries: list[Entry]) -> list[tuple[Entry, str, Option]]:
        """(entry, its label, its answer), without repeats that would make two keys right."""
        field = "prompt" if self.bp.type == "matching" else "label"
        out: list[tuple[Entry, str, Option]] = []
        labels: set[str] = set()
        answers: set[Any] = set()
        for entry in entries:
            option = self.option(entry)
            if option is None:
                continue
            label = self.render(field, self.base_context(entry))
            answer = normalise(option.text) if self.bp.type == "matching" else option.value
            if normalise(label) in labels or answer in answers:
                continue
            labels.add(normalise(label))
            answers.add(answer)
            out.append((entry, label, option))
        if self.bp.type == "ordering":
            out = [row for row in out if not self.rank_in_doubt(row, out)]
        return out

    def rank_in_doubt(self, row: tuple[Entry, str, Option], rows: list) -> bool:
        """Whether another printing of this row's value (a discrepancy) would reorder it."""
        value = row[2].value
        others = [r[2].value for r in rows if r is not row]
        for alternative in self.discrepant(row[0])[0] - {float(value)}:
            if any((value < v) != (alternative < v) for v in others):
                return True
        return False

    def windows(self, rows: list[Any]) -> list[list[Any]]:
        """Rows cut into items of `size`; the last window wraps round so no item is short."""
        size = self.bp.size
        if len(rows) <= size:
            return [rows]
        return [
            [rows[(start + j) % len(rows)] for j in range(size)]
            for start in range(0, len(rows), size)
        ]

    def group_items(self, group: Any, entries: list[Entry]) -> list[QuizItem]:
        rows = self.rows(entries)
        if len(rows) < 3:
            return []
        windows = self.windows(rows)
        out = []
        for n, window in enumerate(windows, 1):
            item_id = f"{self.bp.id}/{slug(group)}" + (f"-{n}" if len(windows) > 1 else "")
            out.append(self.group_item(item_id, group, window))
        return out

    def group_item(self, item_id: str, group: Any, window: list[Any]) -> QuizItem:
        rng = rng_for(item_id)
        first = window[0][0]
        context = self.base_context(first)
        context.update(group=group, count=len(window), rows=[e.context for e, _, _ in window])
        if self.bp.type == "matching":
            shuffled = derange(rng, [o.text for _, _, o in window])
            pairs = "; ".join(f"{label}: {o.text}" for _, label, o in window)
            return QuizItem(
                **self.common(item_id, first),
                stem=self.render("stem", context),
                prompts=[label for _, label, _ in window],
                options=shuffled,
                kinds=[self.kind_of(o) for _, _, o in window],
                key=[shuffled.index(o.text) for _, _, o in window],
                explanation=f"{self.render('explanation', context)} The pairs: {pairs}.",
                evidence=[self.evidence(e) for e, _, _ in window],
            )
        descending = self.bp.sort == "descending"
        correct = sorted(window, key=lambda row: row[2].value, reverse=descending)
        labels = derange(rng, [label for _, label, _ in correct])
        entry_of = {label: entry for entry, label, _ in window}
        sequence = ", ".join(f"{label} ({o.text})" for _, label, o in correct)
        return QuizItem(
            **self.common(item_id, first),
            stem=self.render("stem", context),
            options=labels,
            kinds=[f"{self.bp.select} label"] * len(labels),
            key=[labels.index(label) for _, label, _ in correct],
            sort=self.bp.sort,
            explanation=f"{self.render('explanation', context)} In order: {sequence}.",
            evidence=[self.evidence(entry_of[label]) for label in labels],
        )


def derange(rng: random.Random, values: list[str]) -> list[str]:
    """A seeded shuffle that never leaves the list as it was (that would give the key away)."""
    shuffled = list(values)
    rng.shuffle(shuffled)
    if shuffled == values and len(values) > 1:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


# --- the bank ---------------------------------------------------------------------------------


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
    """Names in a stem: words with a digit or a capital after the first letter (EMILIA,
    TDM4450g, PIK3CA, NeoSphere), as opposed to ordinary words."""
    return frozenset(
        w
        for w in _SUBJECT.findall(stem)
        if any(c.isalpha() for c in w)
        and (any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]))
    )


def common_subjects(stems: list[str]) -> set[str]:
    """Names in more than half the stems of a quiz (T-DM1, HER2): they single out nothing.
    A handful of stems is too few to tell a common name from a shared subject."""
    if len(stems) < 10:
        return set()
    counts: dict[str, int] = {}
    for stem in stems:
        for name in subjects(stem):
            counts[name] = counts.get(name, 0) + 1
    return {name for name, n in counts.items() if n * 2 > len(stems)}


def cued(item: QuizItem, stems: list[str], common: set[str] = frozenset()) -> str | None:
    """The key that another stem of the quiz gives away, if any.

    A hinge: another stem prints this item's key about the same subject (a trial, a
    study, a drug code), as "In EMILIA, what was ... with lapatinib + capecitabine?"
    answers "Against which regimen was T-DM1 tested in EMILIA?". A key printed about
    another subject gives nothing away.
    """
    own = subjects(item.stem) - common
    for key in item.key_texts:
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

    Names alone are not enough: a synthetic pack has 100 copies of EMILIA, and every stem
    naming EMILIA would be compared with every other. A key can only stand in a stem that
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
        sources = [o.stem for key in item.key_texts for o in self._may_print(item, key)]
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
        for key in item.key_texts:
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


def _deduplicated(items: list[QuizItem]) -> list[QuizItem]:
    """One question per fact per topic: the first blueprint to ask about a value keeps it."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in items:
        if item.type in ("single", "true-false", "numeric"):
            entity = item.id.partition("/")[2]
            key = (item.topic, entity, item.evidence[0].path)
            if key in seen:
                continue
            seen.add(key)
        out.append(item)
    return out


def build_bank(ev: Evidence, blueprints: list[Blueprint]) -> list[QuizItem]:
    """Every blueprint expanded against the evidence; raises InputError on template errors."""
    items: list[QuizItem] = []
    problems: list[Problem] = []
    for bp in blueprints:
        try:
            items += Expander(ev, bp).items()
        except RenderError as exc:
            problems.append(Problem(bp.file, bp.line(exc.field), f"{bp.id}.{exc.field}", str(exc)))
    if problems:
        raise InputError(problems)
    return without_hinges(_deduplicated(items))
