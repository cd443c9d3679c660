"""Blueprints: `quizzes/*.yaml`, the recipes the bank is generated from.

A blueprint names model objects to ask about (`select` + `where`), the field holding
the answer, how to pick distractors, and Jinja2 templates for the stem and the
explanation. Everything a blueprint refers to is checked before any content is read:
unknown keys, paths through the model, values of enumerated fields and template syntax
are `path:line: field: message` problems, like content errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from .. import fmt, links
from ..evidence import yaml_files
from ..loader import InputError, Loc, Origins, Problem, pydantic_problems, read_yaml
from .items import ItemType, Topic
from .records import COLLECTIONS, check_path, literal_values
from .text import KIND_NAMES, PATHWAYS, SETTINGS, lower_first, what

Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
CollectionName = Literal[
    "trial",
    "arm",
    "endpoint",
    "comparison",
    "event",
    "step",
    "drug",
    "component",
    "approval",
    "resistance",
    "finding",
    "measurement",
    "study",
    "result",
    "fact",
    "background",
    "term",
]
Scalar = str | int | float | bool | None
# A condition on one path: a value, any of a list of values, or a mapping of tests:
# {not: value or list}, {present: true|false}, {lacks: text} (the value does not contain it).
Condition = Scalar | list[Scalar] | dict[Literal["not", "present", "lacks"], Scalar | list[Scalar]]

PAGES = {
    getattr(links, name)
    for name in dir(links)
    if name.isupper()
    and isinstance(getattr(links, name), str)
    and getattr(links, name).endswith(".md")
}


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Distractors(Spec):
    """Where wrong options come from: real values of the same kind from sibling objects."""

    from_: CollectionName | None = Field(default=None, alias="from")
    answer: str | None = None  # path of a distractor's value, when `from` differs in shape
    where: dict[str, Condition] = {}
    same: list[str] = []  # paths whose value a distractor must share with the key's object
    differ: list[str] = []  # paths whose value a distractor must not share
    count: int = Field(default=3, ge=1, le=5)


class Blueprint(Spec):
    id: Id
    topic: Topic
    type: ItemType
    select: CollectionName
    where: dict[str, Condition] = {}
    split: tuple[int, int] | None = None  # [part, parts]: a stable share of the selection
    answer: str  # context path of the key, e.g. `endpoint.value` or `trial.name`
    unit: str | None = None  # override the unit an answer number prints with ("" for none)
    vignette: bool = False
    stem: str
    explanation: str
    objective: str
    distractors: Distractors | None = None
    tolerance: float | None = Field(default=None, ge=0)
    prompt: str | None = None  # matching: template of the left-hand label
    label: str | None = None  # ordering: template of each thing to order
    group_by: str | None = None  # matching, ordering: one item per group of objects
    size: int = Field(default=4, ge=3, le=6)  # matching, ordering: rows per item
    sort: Literal["ascending", "descending"] = "ascending"
    link: str = "record"  # "record", "trial", or a page such as "comparison.md"
    limit: int | None = Field(default=None, ge=1)  # at most this many items

    _file: str = PrivateAttr(default="<input>")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)
    _vars: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _type_needs(self) -> Blueprint:
        needs = {
            "single": ("distractors",),
            "true-false": ("distractors",),
            "numeric": ("tolerance",),
            "matching": ("prompt",),
            "ordering": ("label",),
        }[self.type]
        for name in needs:
            if getattr(self, name) is None:
                raise ValueError(f"a {self.type} blueprint needs '{name}'")
        if self.split is not None and not 0 <= self.split[0] < self.split[1]:
            raise ValueError("split is [part, parts] with 0 <= part < parts")
        return self

    def line(self, name: str = "id") -> int:
        return self._lines.get(name, self._lines.get("id", 0))

    @property
    def file(self) -> str:
        return self._file

    @property
    def variables(self) -> dict[str, Any]:
        return self._vars


class BlueprintFile(Spec):
    vars: dict[str, Any] = {}  # names every template may use (e.g. vignette openings)
    blueprints: list[Blueprint] = []


# --- templates ----------------------------------------------------------------------------


def _arm_phrase(arm: Any) -> str:
    """ " with T-DM1", or " in the control arm": naming a control arm in a stem would tell
    the reader each trial's comparator, which other questions ask for."""
    if arm is None:
        return ""
    return " in the control arm" if arm.role == "control" else f" with {arm.label}"


def _upper_first(text: str) -> str:
    """ "fatigue" -> "Fatigue"; "pCR, ..." stays, since its first word is mixed-case."""
    first = text.split(" ", 1)[0]
    return text[:1].upper() + text[1:] if first.islower() else text


def environment() -> SandboxedEnvironment:
    """Sandboxed: blueprints are data, so a template may read the model but call nothing."""
    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        quantity=fmt.quantity,
        number=fmt.number,
        percent=fmt.percent,
        hr=fmt.hazard_ratio,
        interval=fmt.interval,
        grade=fmt.grade,
        setting=lambda s: SETTINGS.get(s, s),
        pathway=lambda p: PATHWAYS.get(p, p),
        lowerfirst=lower_first,
        noparen=lambda s: re.sub(r"\s*\([^)]*\)", "", s),
        upperfirst=_upper_first,
        nodot=lambda s: s.rstrip(". "),
        kind=lambda k: KIND_NAMES.get(k, k),
        what=what,
        armphrase=_arm_phrase,
    )
    return env


ENV = environment()
TEMPLATE_FIELDS = ("stem", "explanation", "prompt", "label")


# --- loading ------------------------------------------------------------------------------


@dataclass
class _Checker:
    """Rules beyond types: paths that exist, values that can occur, templates that parse."""

    origins: Origins
    problems: list[Problem] = field(default_factory=list)

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append(self.origins.problem(loc, message))

    def context_path(
        self, loc: Loc, collection: str, path: str, value: Any = ..., require_field: bool = False
    ) -> None:
        variables = COLLECTIONS[collection].variables
        head, _, rest = path.partition(".")
        if head not in variables:
            known = ", ".join(sorted(variables))
            self.add(loc, f"{head!r} is not a name in a '{collection}' selection (names: {known})")
            return
        if not rest:
            if require_field:
                self.add(loc, f"{path!r} is a record; name one of its fields ({head}.<field>)")
            return
        try:
            leaf = check_path(variables[head], rest)
        except ValueError as exc:
            self.add(loc, f"bad path {path!r}: {exc}")
            return
        if value is not ...:
            allowed = literal_values(leaf)
            wanted = _condition_values(value)
            bad = [v for v in wanted if allowed is not None and v not in allowed]
            if bad:
                shown = ", ".join(sorted(str(a) for a in allowed))
                self.add(loc, f"{bad[0]!r} never occurs at {path!r} (allowed: {shown})")

    def template(self, loc: Loc, source: str) -> None:
        try:
            ENV.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            self.add(loc, f"template error (template line {exc.lineno}): {exc.message}")

    def blueprint(self, at: Loc, bp: Blueprint) -> None:
        for path, value in bp.where.items():
            self.context_path(at + ("where", path), bp.select, path, value)
        self.context_path(at + ("answer",), bp.select, bp.answer, require_field=True)
        if bp.group_by:
            self.context_path(at + ("group_by",), bp.select, bp.group_by)
        if bp.distractors:
            source = bp.distractors.from_ or bp.select
            for path, value in bp.distractors.where.items():
                self.context_path(at + ("distractors", "where", path), source, path, value)
            for kind in ("same", "differ"):
                for i, path in enumerate(getattr(bp.distractors, kind)):
                    self.context_path(at + ("distractors", kind, i), bp.select, path)
                    if source != bp.select:
                        self.context_path(at + ("distractors", kind, i), source, path)
            answer = bp.distractors.answer or bp.answer
            if source != bp.select or bp.distractors.answer:
                self.context_path(
                    at + ("distractors", "answer" if bp.distractors.answer else "from"),
                    source,
                    answer,
                    require_field=True,
                )
        for name in TEMPLATE_FIELDS:
            source_text = getattr(bp, name)
            if source_text is not None:
                self.template(at + (name,), source_text)
        if bp.link not in ("record", "trial") and bp.link.partition("#")[0] not in PAGES:
            pages = ", ".join(sorted(PAGES))
            self.add(at + ("link",), f"link is 'record', 'trial' or a page ({pages})")


def _condition_values(condition: Any) -> list[Any]:
    if isinstance(condition, dict):
        return [v for key, v in condition.items() if key == "not" for v in _condition_values(v)]
    if isinstance(condition, list):
        return condition
    return [condition]


def load_blueprints(quizzes_dir: Path, root: Path) -> list[Blueprint]:
    """Every blueprint under `quizzes_dir`, checked; raises InputError with all problems.

    `vars` from every file form one namespace, so vignette openings written once can
    serve every topic; a name given twice is a problem.
    """
    problems: list[Problem] = []
    blueprints: list[Blueprint] = []
    seen: dict[str, str] = {}
    variables: dict[str, Any] = {}
    var_files: dict[str, str] = {}
    for display, path in yaml_files(quizzes_dir, root):
        data, lines, file_problems = read_yaml(path, display)
        problems += file_problems
        if data is None:
            continue
        origins = Origins({loc: (display, line, loc) for loc, line in lines.items()})
        try:
            parsed = BlueprintFile.model_validate(data)
        except ValidationError as exc:
            problems += pydantic_problems(exc, origins)
            continue
        checker = _Checker(origins)
        for name, value in parsed.vars.items():
            if name in var_files:
                checker.add(("vars", name), f"{name!r} is already given in {var_files[name]}")
            var_files.setdefault(name, display)
            variables.setdefault(name, value)
        for i, bp in enumerate(parsed.blueprints):
            at: Loc = ("blueprints", i)
            checker.blueprint(at, bp)
            if bp.id in seen:
                checker.add(
                    at + ("id",), f"duplicate blueprint id {bp.id!r} (first in {seen[bp.id]})"
                )
            seen.setdefault(bp.id, display)
            bp._file = display
            bp._lines = {
                str(loc[2]): line for loc, line in lines.items() if len(loc) == 3 and loc[:2] == at
            }
            blueprints.append(bp)
        problems += checker.problems
    if problems:
        raise InputError(problems)
    for bp in blueprints:
        bp._vars = variables
    return blueprints
