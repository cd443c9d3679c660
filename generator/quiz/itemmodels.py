"""Item models (`quizzes/*.yaml`) and flashcard models: loading, checking, expanding.

An item model names a clinical problem, its learning objective and cognitive level, the
rule (`rules.py`) that finds its cases in the evidence, and the words: a stem, the key's
text and the reason it is right, each wrong kind's text and the reason it is wrong, and a
take-away. Expanding a model over the evidence gives one item per case. Flashcard models
word facts worth knowing but not worth a scored question (a phase, an acronym).

Everything a model refers to is checked before any item is built: unknown keys, an
unknown rule or parameter, a wrong kind the rule cannot give, a kind the rule gives that
the model does not word, template syntax. Each is a `path:line: field: message` problem.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .. import links
from ..evidence import yaml_files
from ..loader import InputError, Loc, Origins, Problem, pydantic_problems, read_yaml
from ..model import Evidence
from .hinges import seed
from .items import EvidenceRef, Flashcard, ItemType, Level, QuizItem, Topic
from .records import COLLECTIONS, check_path, iter_collection, lookup
from .rules import RULES, Case, Choice, distinct, param_problem
from .templates import ENV
from .text import normalise, numbers_in

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wording(Spec):
    text: str  # the option as printed
    reason: str  # why it is right (the key) or wrong (a distractor), for this case


class WrongWording(Spec):
    text: str | None = None  # default: printed like the key, from this option's own record
    reason: str


class ItemModel(Spec):
    id: Id
    topic: Topic
    problem: str  # the clinical problem, e.g. "Choose the evidence that applies to a patient"
    objective: str  # hand-written learning objective
    level: Level
    rule: str
    params: dict[str, Any] = {}
    type: Literal["single", "numeric"] = "single"
    vignette: bool = False
    stem: str
    key: Wording
    wrong: dict[str, WrongWording]
    takeaway: str
    options: int = Field(default=4, ge=3, le=5)  # at most this many options
    unit: str | None = None  # numeric: the unit the answer is given in
    tolerance: float | None = Field(default=None, ge=0)
    only: list[str] = []  # keep only these cases (their ids), when a model fits a few
    skip: list[str] = []  # leave out these cases (their ids)
    limit: int | None = Field(default=None, ge=1)

    _file: str = PrivateAttr(default="<input>")
    _line: int = PrivateAttr(default=0)


class CardModel(Spec):
    """A flashcard per record of a collection: the fact as a question and its answer."""

    id: Id
    topic: Topic
    select: str
    where: dict[str, Any] = {}
    front: str
    back: str

    _file: str = PrivateAttr(default="<input>")
    _line: int = PrivateAttr(default=0)


class BankRules(Spec):
    """What the bank as a whole must hold, and the item-model problems whose recall items
    are bedside facts (the rest of recall is trivia, and the linter says so)."""

    bedside: list[str] = []
    min_bank: int = Field(default=100, ge=0)
    min_per_topic: int = Field(default=5, ge=0)
    min_vignettes: int = Field(default=15, ge=0)
    min_higher_share: float = Field(default=0.7, ge=0, le=1)
    types: list[ItemType] = ["single"]


class ModelFile(Spec):
    vars: dict[str, Any] = {}  # names every template of every file may use
    bank: BankRules | None = None  # in one file only
    models: list[ItemModel] = []
    cards: list[CardModel] = []


@dataclass(frozen=True)
class Models:
    items: list[ItemModel]
    cards: list[CardModel]
    vars: dict[str, Any]
    rules: BankRules = BankRules()


TEMPLATE_FIELDS = ("stem", "takeaway")


def _templates(model: ItemModel) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = [((f,), getattr(model, f)) for f in TEMPLATE_FIELDS]
    out += [(("key", "text"), model.key.text), (("key", "reason"), model.key.reason)]
    for kind, wording in model.wrong.items():
        out.append((("wrong", kind, "reason"), wording.reason))
        if wording.text is not None:
            out.append((("wrong", kind, "text"), wording.text))
    return out


def _check(model: ItemModel) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    rule = RULES.get(model.rule)
    if rule is None:
        return [(("rule",), f"no rule {model.rule!r} (known: {', '.join(sorted(RULES))})")]
    for name, value in model.params.items():
        if name not in rule.params:
            known = ", ".join(sorted(rule.params)) or "none"
            problems.append((("params", name), f"rule {model.rule!r} takes no {name!r} ({known})"))
        elif (wrong := param_problem(name, value)) is not None:
            problems.append((("params", name), wrong))
    for kind in model.wrong:
        if kind not in rule.kinds:
            known = ", ".join(sorted(rule.kinds))
            problems.append(
                (("wrong", kind), f"rule {model.rule!r} gives no kind {kind!r} ({known})")
            )
    for kind in sorted(rule.kinds - set(model.wrong)):
        problems.append((("wrong",), f"no wording for the rule's wrong kind {kind!r}"))
    for loc, text in _templates(model):
        try:
            ENV.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            problems.append((loc, f"template: {exc.message}"))
    if model.type == "numeric" and (model.unit is None or model.tolerance is None):
        problems.append((("type",), "a numeric model needs 'unit' and 'tolerance'"))
    return problems


def _path_problem(collection: str, path: str) -> str | None:
    """Why a card's `where` path does not exist in its collection's records, if it does not."""
    variables = COLLECTIONS[collection].variables
    head, _, rest = path.partition(".")
    if head not in variables:
        return f"no {head!r} in a {collection} card (names: {', '.join(sorted(variables))})"
    try:
        if rest:
            check_path(variables[head], rest)
    except ValueError as exc:
        return str(exc)
    return None


def load_models(quizzes_dir: Path, root: Path) -> Models:
    """Every item and card model under `quizzes_dir`, checked; InputError with all problems."""
    problems: list[Problem] = []
    items: list[ItemModel] = []
    cards: list[CardModel] = []
    variables: dict[str, Any] = {}
    rules: BankRules | None = None
    seen: dict[str, str] = {}
    for display, path in yaml_files(quizzes_dir, root):
        data, lines, file_problems = read_yaml(path, display)
        problems += file_problems
        if data is None:
            continue
        origins = Origins({loc: (display, line, loc) for loc, line in lines.items()})
        try:
            parsed = ModelFile.model_validate(data)
        except ValidationError as exc:
            problems += pydantic_problems(exc, origins)
            continue

        def add(loc: Loc, message: str, origins: Origins = origins, out: list = problems) -> None:
            out.append(origins.problem(loc, message))

        for name, value in parsed.vars.items():
            if name in variables:
                add(("vars", name), f"{name!r} is given twice")
            variables[name] = value
        if parsed.bank is not None:
            if rules is not None:
                add(("bank",), "'bank' is given in more than one file")
            rules = parsed.bank
        for i, model in enumerate(parsed.models):
            at: Loc = ("models", i)
            for loc, message in _check(model):
                add(at + loc, message)
            if model.id in seen:
                add(at + ("id",), f"duplicate model id {model.id!r} (first in {seen[model.id]})")
            seen.setdefault(model.id, display)
            model._file, model._line = display, lines.get(at, 0)
            items.append(model)
        for i, card in enumerate(parsed.cards):
            at = ("cards", i)
            if card.select not in COLLECTIONS:
                add(at + ("select",), f"no collection {card.select!r}")
            else:
                for path in card.where:
                    message = _path_problem(card.select, path)
                    if message:
                        add(at + ("where", path), message)
            for name in ("front", "back"):
                try:
                    ENV.parse(getattr(card, name))
                except jinja2.TemplateSyntaxError as exc:
                    add(at + (name,), f"template: {exc.message}")
            if card.id in seen:
                add(at + ("id",), f"duplicate model id {card.id!r} (first in {seen[card.id]})")
            seen.setdefault(card.id, display)
            card._file, card._line = display, lines.get(at, 0)
            cards.append(card)
    problems += _unknown_bedside(rules, items)
    if problems:
        raise InputError(problems)
    return Models(items, cards, variables, rules or BankRules())


def _unknown_bedside(rules: BankRules | None, items: list[ItemModel]) -> list[Problem]:
    problems = {m.problem for m in items}
    if rules is None:
        return []
    return [
        Problem("quizzes", 0, "bank.bedside", f"no item model has the problem {name!r}")
        for name in rules.bedside
        if name not in problems
    ]


# --- expansion ------------------------------------------------------------------------------


class RenderError(Exception):
    """A template that fails on a case: which case, and the cause."""


@functools.cache
def _template(text: str) -> jinja2.Template:
    # Each wording is rendered once per case and option: compiling it once per text keeps
    # the quiz stage linear in the number of cases.
    return ENV.from_string(text)


def _render(text: str, context: dict[str, Any], where: str) -> str:
    try:
        out = _template(text).render(context)
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise RenderError(f"{where}: {exc}") from exc
    return re.sub(r"\s+", " ", out).strip()


def _link(name: str, ev: Evidence) -> str:
    page, anchor = links.locate(name, ev)
    return f"{page}#{anchor}"


def _pick(rng: random.Random, wrong: list[tuple[Choice, str, str]], count: int) -> list:
    """Wrong options spread over kinds: round-robin over the kinds in a seeded order, so an
    item shows as many different errors as it can."""
    by_kind: dict[str, list] = {}
    for entry in wrong:
        by_kind.setdefault(entry[0].kind, []).append(entry)
    kinds = sorted(by_kind)
    rng.shuffle(kinds)
    for entries in by_kind.values():
        rng.shuffle(entries)
        entries.sort(key=lambda e: -e[0].rank)  # stable: the seeded order within a rank
    picked: list = []
    while len(picked) < count and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop(0))
    return picked


def expand(
    model: ItemModel, case: Case, ev: Evidence, variables: dict[str, Any]
) -> QuizItem | None:
    """One item from one case, or None when the case cannot give enough distinct options."""
    item_id = f"{model.id}/{case.id}"
    where = f"case {case.id}"
    context = {"drug": ev.drug, **variables, **case.vars}

    def say(wording: Wording | WrongWording, choice: Choice) -> tuple[str, str]:
        scope = context | choice.vars
        text = model.key.text if wording.text is None else wording.text
        return _render(text, scope, where), _render(wording.reason, scope, where)

    key_text, key_reason = say(model.key, case.key)
    seen = {normalise(key_text)}
    wrong: list[tuple[Choice, str, str]] = []
    numeric = case.key.value is not None
    candidates = distinct([case.key, *case.wrong])[1:] if numeric else case.wrong
    for choice in candidates:
        text, reason = say(model.wrong[choice.kind], choice)
        if normalise(text) in seen:
            continue
        seen.add(normalise(text))
        wrong.append((choice, text, reason))
    rng = random.Random(seed(item_id))
    picked = _pick(rng, wrong, model.options - 1)
    if len(picked) < 2:
        return None
    entries = [(case.key, key_text, key_reason), *picked]
    if numeric and all(c.value is not None for c, _, _ in entries):
        entries.sort(key=lambda e: e[0].value)
    else:
        rng.shuffle(entries)
    key_index = next(i for i, e in enumerate(entries) if e[0] is case.key)
    caveat, caveat_link = _caveat(case, ev, context, where)
    stem = _render(model.stem, context, where)
    options = [text for _, text, _ in entries]
    reasons = [reason for _, _, reason in entries]
    label = _outside_label(case, ev, context, where)
    if label:
        stem, options, reasons = label(stem, options, reasons)
    return QuizItem(
        id=item_id,
        blueprint=model.id,
        origin=f"{model._file}:{model._line}",
        topic=model.topic,
        type="single",
        level=model.level,
        problem=model.problem,
        vignette=model.vignette,
        features=case.features if model.vignette else {},
        trial=case.trial,
        stem=stem,
        options=options,
        kinds=[model.id] * len(entries),
        errors=[c.kind for c, _, _ in entries],
        key=key_index,
        explanation=reasons[key_index],
        rationales=reasons,
        takeaway=_render(model.takeaway, context, where),
        caveat=caveat,
        caveat_link=caveat_link,
        objective=model.objective,
        evidence=[EvidenceRef(record=r, path=p) for r, p in case.evidence],
        link=_link(case.link, ev),
    )


# Discrepancies where the review prints one value two ways: a key may rest on them. Not
# `other` (a P value's lost "<", wording, an interval printed beside the wrong figure, an
# outside source's figure): there the review prints the value once, and a caveat saying
# it prints it two ways would be false; an outside figure is labelled where it is printed.
VALUE_CONFLICTS = {"table-vs-text", "text-vs-text"}
VALUE_FIELDS = ("value", "estimate", "rate", "count", "p")


def rounding_only(d: Any) -> bool:
    """Whether a discrepancy's printed values are one number each, and each rounds to
    the least precise of them: the same figure, not two."""
    values = [numbers_in(v.value) for v in d.values]
    if not all(len(v) == 1 for v in values) or not re.fullmatch(
        r"[\d.,]+\s*%?", d.values[0].value.strip()
    ):
        return False
    texts = [v.value.strip().rstrip("%").strip() for v in d.values]
    places = min(len(t.partition(".")[2]) for t in texts)
    return len({round(v[0], places) for v in values}) == 1


def _caveat(
    case: Case, ev: Evidence, context: dict[str, Any], where: str
) -> tuple[str, str | None]:
    """The pack's `caveat` sentence and a link to the discrepancy, when a record the key
    rests on is the subject of one."""
    # A trial's endpoint or comparison ("trial-a/os-hr"): a discrepancy about a whole
    # finding or trial concerns its wording, not the value the key reads.
    records = {
        record
        for record, path in case.key.evidence
        if path.endswith(VALUE_FIELDS) and "/" in record
    }
    for d in ev.discrepancies:
        if rounding_only(d):
            continue  # 44% against 43.6%: one figure, printed to two precisions
        if d.kind in VALUE_CONFLICTS and records & set(d.subjects) and "caveat" in context:
            return _render(context["caveat"], context | {"discrepancy": d}, where), _link(d.id, ev)
    return "", None


# --- figures from outside the review --------------------------------------------------------

# Where the content shows a review record's figure from a primary paper rather than the
# review (the pack's rule: only from the papers its outside list names), it keeps both in a
# discrepancy, and marks the primary paper's form "not from the review" with its citation.
OUTSIDE_MARK = "not from the review"
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?(?:\s?%)?(?:–\d[\d,]*(?:\.\d+)?(?:\s?%)?)?")
_outside_cache: dict[int, tuple[object, dict[str, frozenset[float]]]] = {}


def outside_figures(ev: Evidence) -> dict[str, frozenset[float]]:
    """Record -> the numbers it shows from outside the review: those of a discrepancy's
    value marked as not from the review that none of the review's own values prints
    (for "HR 0.528; 95% CI 0.422-0.661" against the review's "0.442-0.661": 0.422)."""
    cached = _outside_cache.get(id(ev))
    if cached is not None and cached[0] is ev:
        return cached[1]
    out: dict[str, set[float]] = {}
    for d in ev.discrepancies:
        outside = [v for v in d.values if OUTSIDE_MARK in v.where.lower()]
        review = {n for v in d.values if v not in outside for n in numbers_in(v.value)}
        own = {n for v in outside for n in numbers_in(v.value)} - review
        for subject in d.subjects if own else ():
            out.setdefault(subject, set()).update(own)
    result = {k: frozenset(v) for k, v in out.items()}
    _outside_cache.clear()
    _outside_cache[id(ev)] = (ev, result)
    return result


def label_outside(text: str, numbers: frozenset[float], label: str) -> str:
    """`text` with `label` after the first figure (a number or a range) that prints one of
    `numbers`: inside a parenthesis it closes, else in one of its own."""
    for match in _FIGURE.finditer(text):
        if not any(n in numbers for n in numbers_in(match[0])):
            continue
        end = match.end()
        if text[end : end + 1] == ")":
            return f"{text[:end]}, {label}{text[end:]}"
        return f"{text[:end]} ({label}){text[end:]}"
    return text


def _outside_label(case: Case, ev: Evidence, context: dict[str, Any], where: str):
    """A function labelling the item's texts, when a record the case rests on shows a
    figure from outside the review and the pack words the label (`outside_figure`): the
    stem where it prints the figure (the learner reads the label before answering), else
    each option and reason that prints it."""
    figures = outside_figures(ev)
    records = {r for r, _ in case.evidence} | {r for r, _ in case.key.evidence}
    for choice in case.wrong:
        records |= {r for r, _ in choice.evidence}
    numbers = frozenset().union(*(figures.get(r, frozenset()) for r in records))
    if not numbers or "outside_figure" not in context:
        return None
    label = _render(context["outside_figure"], context, where)

    def apply(stem: str, options: list[str], reasons: list[str]):
        labelled = label_outside(stem, numbers, label)
        if labelled != stem:
            return labelled, options, reasons
        return (
            stem,
            [label_outside(t, numbers, label) for t in options],
            [label_outside(t, numbers, label) for t in reasons],
        )

    return apply


def expand_model(
    model: ItemModel, ev: Evidence, variables: dict[str, Any], notes: list[str] | None = None
) -> list[QuizItem]:
    """The model's items; what is amiss with the model as a whole (no item at all, `only`
    or `skip` naming a case it does not have) goes to `notes`."""
    out = []
    seen: set[str] = set()
    for case in RULES[model.rule].cases(ev, model.params):
        seen.add(case.id)
        if (model.only and case.id not in model.only) or case.id in model.skip:
            continue
        if model.limit and len(out) >= model.limit:
            continue
        item = expand(model, case, ev, variables)
        if item is not None:
            out.append(item)
    stale = [c for c in (*model.only, *model.skip) if c not in seen]
    if stale and notes is not None:
        notes.append(f"'only'/'skip' name no case of this model: {', '.join(stale)}")
    if not out and notes is not None:
        notes.append("gives no item: its rule finds no case for these params")
    return out


def build_items(
    ev: Evidence, models: Models, findings: list[Problem] | None = None
) -> list[QuizItem]:
    """Every model's items; a template that fails on a case is a problem at the model's
    line (InputError). A model that gives no item goes to `findings`, with the linter's."""
    bank: list[QuizItem] = []
    problems: list[Problem] = []
    for model in models.items:
        notes: list[str] = []
        try:
            bank += expand_model(model, ev, models.vars, notes)
        except RenderError as exc:
            problems.append(Problem(model._file, model._line, f"{model.id}", str(exc)))
        if findings is not None:
            findings += [Problem(model._file, model._line, model.id, f"[empty] {n}") for n in notes]
    if problems:
        raise InputError(problems)
    return bank


def _matches(entry: Any, where: dict[str, Any]) -> bool:
    for path, wanted in where.items():
        value = lookup(entry.context, path)
        if isinstance(wanted, list):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True


def card_key(key: str) -> str:
    """A card's id part: the record's key when it is an id (letters, digits, hyphens),
    else a hash of it. Card ids go into pages and exports, where pack text (a glossary
    abbreviation) must not travel inside an identifier."""
    if re.fullmatch(r"[a-z0-9][a-z0-9/-]*", key):
        return key
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def build_cards(ev: Evidence, models: Models) -> list[Flashcard]:
    """Every card model's cards; a template that fails on a record is a problem at the
    card model's line."""
    cards: list[Flashcard] = []
    problems: list[Problem] = []
    for model in models.cards:
        for entry in iter_collection(ev, model.select):
            if not _matches(entry, model.where):
                continue
            context = {"drug": ev.drug, **models.vars, **entry.context}
            where = f"record {entry.key}"
            try:
                front = _render(model.front, context, where)
                back = _render(model.back, context, where)
            except RenderError as exc:
                problems.append(Problem(model._file, model._line, model.id, str(exc)))
                break
            cards.append(
                Flashcard(
                    id=f"{model.id}/{card_key(entry.key)}",
                    topic=model.topic,
                    front=front,
                    back=back,
                    evidence=[EvidenceRef(record=entry.name, path="")],
                    link=_link(entry.name, ev),
                )
            )
    if problems:
        raise InputError(problems)
    return cards
