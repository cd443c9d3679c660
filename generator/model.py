"""The evidence model: typed records for everything the review says.

Every record forbids unknown keys, so a typo in `content/` is an error, not a
silently dropped fact. Field-level rules live on the records; rules that need
more than one record (ids, references, arm sizes) live in `validate.py`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .pack import Vocabulary


def _number(value: object) -> object:
    # Pydantic's lax mode would read "9.6" as 9.6 and true as 1. A quoted number says the
    # author meant text, or a tool wrote the value; either way it is refused with a message
    # that says so.
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    if isinstance(value, str):
        if not _numeric(value):
            raise ValueError("Input should be a valid number, unable to parse string as a number")
        raise ValueError(f"a number is written without quotes: {value!r} is text")
    if not isinstance(value, int | float):
        raise ValueError("Input should be a valid number")
    return value


def _whole(value: object) -> object:
    if isinstance(value, bool) or (isinstance(value, str) and _numeric(value)):
        _number(value)
    return value  # anything else: the strict int's own message


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# Numbers keep the type YAML gave them, so 24.0 prints as "24.0" and 29 as "29":
# the article's precision survives to the page. Strict: text is never read as a number.
Number = Annotated[StrictInt | StrictFloat, BeforeValidator(_number)]
Whole = Annotated[StrictInt, BeforeValidator(_whole)]
PositiveCount = Annotated[Whole, Field(gt=0)]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]

NCT_PATTERN = re.compile(r"^NCT\d{8}$")
P_PATTERN = re.compile(r"^(<|=|≤)?(0(\.\d+)?|1(\.0+)?|\.\d+)$")

Unit = Literal[
    "%",
    "months",
    "days",
    "weeks",
    "mg/kg",
    "mg",
    "mg/m2",
    "fold",
    "patients",
    "points",
    "years",
    "ratio",  # unitless: a hazard ratio reported inside a finding
]
EndpointKind = Literal[
    "ORR", "CBR", "PFS", "OS", "DoR", "pCR", "MTD", "QoL", "DFS", "IDFS", "TTP", "CSF", "other"
]
Phase = Literal["preclinical", "1", "1b", "1b/2", "1b/2a", "2", "2a", "3"]
# A trial's setting, a mechanism step's pathway and a drug component's role are words of
# the pack's own vocabulary (pack.yaml `vocabulary`), not of this model: any id here, checked
# against the pack's lists by `validate.check`, which also gives each its label and order.
Setting = Id
Pathway = Id
ComponentRole = Id


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutsideCitation(Record):
    """A fact that is not from the review: only from shared/source/after-the-review.md."""

    citation: str
    certainty: Literal["certain", "probable"]


class SourceRef(Record):
    """Where a fact stands: a section or table of the review and the reference it cites,
    or, for the few facts from outside the review, the outside citation."""

    section: str | None = None
    ref: PositiveCount | None = None
    outside: OutsideCitation | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> SourceRef:
        if (self.section is None) == (self.outside is None):
            raise ValueError("give either 'section' (the review) or 'outside', not both or neither")
        return self

    @property
    def is_outside(self) -> bool:
        return self.outside is not None


def _check_percent(value: Number | None, unit: str | None) -> None:
    if unit == "%" and value is not None and not 0 <= value <= 100:
        raise ValueError(f"a percentage must lie within 0-100, got {value}")


def _check_within(value: Number | None, ci: Interval | None) -> None:
    if ci is None or value is None:
        return
    if value < ci.low or (ci.upper is not None and value > ci.upper):
        raise ValueError(f"estimate {value} lies outside its CI {ci.low}-{ci.high}")


def _check_ordered(low: Number, high: Number) -> None:
    if low > high:
        raise ValueError(f"low ({low}) is above high ({high})")


class Range(Record):
    """Two numbers the review gives as a span ("25 to 270 times"): not a CI, so never open."""

    low: Number
    high: Number

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        _check_ordered(self.low, self.high)
        return self


# An upper bound the trial could not estimate yet (too few events): "4.6 months-NE".
NOT_ESTIMABLE = "NE"


class Interval(Record):
    low: Number
    high: Number | Literal["NE"]

    @property
    def upper(self) -> Number | None:
        """The upper bound as a number; None when it was not estimable."""
        return None if self.high == NOT_ESTIMABLE else self.high

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.upper is not None:
            _check_ordered(self.low, self.upper)
        return self


# --- the drug and its mechanism ---------------------------------------------------------


class Component(Record):
    role: ComponentRole
    name: str
    abbreviation: str | None = None
    description: str
    chemistry: str | None = None
    source: SourceRef


class Approval(Record):
    agency: str
    year: Whole = Field(ge=1900, le=2100)
    date: str | None = None
    indication: str
    source: SourceRef


class DrugProperty(Record):
    """A number the review gives about the drug itself, of whatever kind its class has (a
    conjugate's drug-to-antibody ratio, an inhibitor's IC50): one line of the drug's section,
    "<label>: <qualifier> **<value>** <context>", e.g. "Drug-to-antibody ratio: on average
    **3.5** payload molecules per antibody"."""

    id: Id
    label: str
    qualifier: str | None = None  # before the value: "on average", "about"
    value: Number | None = None  # one number, or
    range: Range | None = None  # a span the review gives ("25 to 270 times")
    unit: str | None = None  # printed with the value: "times", "nM", "mg/kg"
    context: str | None = None  # after the value: what it counts or is compared with
    source: SourceRef | None = None  # None: the drug's own `source` gives it

    @model_validator(mode="after")
    def _one_value(self) -> DrugProperty:
        if (self.value is None) == (self.range is None):
            raise ValueError("give either 'value' (one number) or 'range' (low and high)")
        return self


class Drug(Record):
    id: Id
    name: str
    abbreviation: str
    brand: str
    synonyms: list[str]
    drug_class: str
    # What the drug is, in one word, as the heading of its section reads ("The conjugate",
    # "The inhibitor").
    noun: str = "drug"
    # What the drug acts on, where it is targeted (a receptor, a kinase): the background
    # page is about it and the drugs before this one.
    target: str | None = None
    components: list[Component] = []
    properties: list[DrugProperty] = []
    half_life_days: Number = Field(gt=0)
    half_life_approximate: bool = False
    clearance: str
    approvals: list[Approval]
    source: SourceRef  # the drug and what it is made of
    # The review may cite its pharmacokinetics to other references than the drug's.
    pharmacokinetics_source: SourceRef | None = None


class MechanismStep(Record):
    """One step of how the drug acts. `pathway` (the pack's vocabulary) separates the
    drug's routes: its main route to its effect, other actions, a route to harm."""

    id: Id
    pathway: Pathway
    order: PositiveCount
    title: str
    # The step as a short noun phrase ("Release of the payload"), for lists and answer options
    # where whole sentences would differ in form from one another.
    short: str | None = None
    detail: str
    # Steps of another pathway this one cannot happen without (an action of the drug's
    # own that needs it bound to its target, the first step of the main route).
    needs: list[Id] = []
    source: SourceRef


# --- trials ------------------------------------------------------------------------------


class Dose(Record):
    drug: str
    amount: Number | None = Field(default=None, gt=0)
    unit: Unit | None = None
    route: Literal["IV", "oral"] | None = None
    schedule: str | None = None
    note: str | None = None


class Arm(Record):
    id: Id
    label: str
    role: Literal["experimental", "control", "single", "cohort"]
    n: PositiveCount | None = None
    regimen: list[Dose] = []
    note: str | None = None


class Subgroup(Record):
    id: Id
    label: str
    n: PositiveCount | None = None
    # Subgroups with the same `split` divide one set of patients by one feature (line of
    # therapy, a central biomarker result): a patient in one of them is in none of the others.
    split: Id | None = None
    # The case feature and value that put a patient in this subgroup, where one does.
    feature: Id | None = None
    value: Id | None = None
    definition: str | None = None


class _Valued(Record):
    """A value with its unit and CI: the shared rules of endpoints and measurements.
    Subclasses declare `unit` before `value` before `ci`, as the checks read earlier fields."""

    @field_validator("value", check_fields=False)
    @classmethod
    def _value(cls, value: Number | None, info: ValidationInfo) -> Number | None:
        _check_percent(value, info.data.get("unit"))
        return value

    @field_validator("ci", check_fields=False)
    @classmethod
    def _ci(cls, ci: Interval | None, info: ValidationInfo) -> Interval | None:
        _check_within(info.data.get("value"), ci)
        return ci


class Endpoint(_Valued):
    id: Id
    kind: EndpointKind
    label: str | None = None
    arm: Id | None = None
    subgroup: Id | None = None
    # Field order matters: validators below read earlier fields (unit before value,
    # value before ci) so each error points at the offending field's line.
    unit: Unit
    reached: bool = True
    value: Number | None = None
    numerator: PositiveCount | None = None
    denominator: PositiveCount | None = None
    ci: Interval | None = None
    assessed_by: Literal["independent review", "investigator"] | None = None
    primary: bool = False
    note: str | None = None
    source: SourceRef

    @field_validator("denominator")
    @classmethod
    def _denominator(cls, denominator: int | None, info: ValidationInfo) -> int | None:
        numerator = info.data.get("numerator")
        if numerator and denominator and numerator > denominator:
            raise ValueError(f"numerator {numerator} is above denominator {denominator}")
        return denominator

    @model_validator(mode="after")
    def _reached(self) -> Endpoint:
        if self.reached and self.value is None:
            raise ValueError("a reached endpoint needs a value (set reached: false if not reached)")
        if not self.reached and self.value is not None:
            raise ValueError("an endpoint not reached cannot carry a value")
        return self


class Comparison(Record):
    """A between-arm effect: a hazard ratio, or a difference in rates."""

    id: Id
    kind: EndpointKind
    label: str | None = None
    measure: Literal["HR", "difference"]
    experimental: Id
    control: Id
    subgroup: Id | None = None
    estimate: Number | None = None
    ci: Interval | None = None
    p: str | None = None
    note: str | None = None
    source: SourceRef

    @field_validator("p")
    @classmethod
    def _p_value(cls, p: str | None) -> str | None:
        if p is not None and not P_PATTERN.match(p):
            raise ValueError(f"P must look like '0.012' or '<0.001', got {p!r}")
        return p

    @field_validator("estimate")
    @classmethod
    def _estimate(cls, estimate: Number | None, info: ValidationInfo) -> Number | None:
        if info.data.get("measure") == "HR" and estimate is not None and estimate <= 0:
            raise ValueError(f"a hazard ratio must be above 0, got {estimate}")
        return estimate

    @field_validator("ci")
    @classmethod
    def _ci(cls, ci: Interval | None, info: ValidationInfo) -> Interval | None:
        if ci and info.data.get("measure") == "HR" and ci.low <= 0:
            raise ValueError(f"a hazard ratio's CI must lie above 0, got {ci.low}")
        _check_within(info.data.get("estimate"), ci)
        return ci

    @model_validator(mode="after")
    def _hr_needs_estimate(self) -> Comparison:
        if self.measure == "HR" and self.estimate is None:
            raise ValueError("a hazard ratio needs an estimate")
        return self


# "not-stated": the review gives a rate without saying which grades it counts; it is not
# "any" (all grades), which the review says in so many words where it means it.
Grade = Literal["any", "not-stated", "3", "4", "5", "3-4", "3+"]


class AdverseEvent(Record):
    id: Id
    term: str
    grade: Grade
    arm: Id | None = None
    rate: Number | None = Field(default=None, ge=0, le=100)
    count: PositiveCount | None = None
    # One of the events the source lists as the most common for this arm and grade: only
    # such a list can say which event was the most frequent.
    most_common: bool = False
    note: str | None = None
    source: SourceRef

    @model_validator(mode="after")
    def _consistent(self) -> AdverseEvent:
        if self.rate is None and self.count is None:
            raise ValueError("give a rate (%) or a count")
        return self


class Design(Record):
    randomised: bool
    # False where the review implies random assignment (a "versus" comparison, a placebo)
    # without saying it: the page then says so, rather than presenting it as reported.
    randomisation_stated: bool = True
    open_label: bool | None = None
    multicentre: bool | None = None
    ratio: str | None = Field(default=None, pattern=r"^\d+(:\d+)+$")
    description: str
    stratification: list[str] = []

    @field_validator("randomisation_stated")
    @classmethod
    def _implied_randomisation(cls, stated: bool, info: ValidationInfo) -> bool:
        if not stated and info.data.get("randomised") is False:
            raise ValueError("only a randomised trial can have its randomisation implied")
        return stated


# Names of indexes kept in a model's __dict__: not identifiers, so never a field.
_FEATURE_INDEX = "case features by id"
_IMPLIED_INDEX = "values implied by each value"


class CaseValue(Record):
    """One value a case feature can take, and how a case says it ("has received drug X")."""

    value: Id
    phrase: str
    implies: list[Id] = []  # other values of the feature this one includes (progressed -> treated)
    # A value no trial asks for, used only to set a patient apart from a trial that would
    # otherwise also take her (hormone receptor-negative against a trial that needs positive).
    contrast: bool = False


class CaseFeature(Record):
    """A feature of a patient that trial entry depends on: the vocabulary that eligibility
    criteria and quiz cases share, so a case can be checked against a trial's entry rules."""

    id: Id
    label: str
    values: list[CaseValue] = []  # a choice of values, or
    count: str | None = None  # a count, phrased by this template with {n} ("{n} regimens")
    one: str | None = None  # the count's phrase for exactly one ("1 regimen")

    @model_validator(mode="after")
    def _one_kind(self) -> CaseFeature:
        if bool(self.values) == (self.count is not None):
            raise ValueError("give either 'values' (a choice) or 'count' (a template with {n})")
        if self.count is not None and "{n}" not in self.count:
            raise ValueError("a count template needs {n}")
        return self

    def implied(self, value: str | int) -> frozenset[str | int]:
        """A value and every value it includes (progressed on a drug -> treated with it)."""
        if self.count is not None:
            return frozenset({value})
        # Kept with the list it was built from, as Evidence keeps its indexes: matching
        # patients to trials asks this millions of times in a large pack.
        cached = self.__dict__.get(_IMPLIED_INDEX)
        if cached is None or cached[0] is not self.values:
            index = {v.value: frozenset({v.value, *v.implies}) for v in self.values}
            cached = (self.values, index)
            self.__dict__[_IMPLIED_INDEX] = cached
        return cached[1].get(value, frozenset({value}))

    def phrase(self, value: str | int) -> str:
        if self.count is not None:
            return self.one if value == 1 and self.one else self.count.replace("{n}", str(value))
        for v in self.values:
            if v.value == value:
                return v.phrase
        raise KeyError(f"{self.id!r} has no value {value!r}")


class Criterion(Record):
    """One entry condition of a trial: a feature's value, or at least `min` of a count."""

    feature: Id
    value: Id | None = None
    min: PositiveCount | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Criterion:
        if (self.value is None) == (self.min is None):
            raise ValueError("give either 'value' or 'min'")
        return self


class Eligibility(Record):
    """Who a trial enrolled, as far as the sources say: the criteria a patient must meet.
    What the sources leave unsaid stays unsaid: a case never adds it."""

    criteria: list[Criterion] = Field(min_length=1)
    # Features on which the sources are silent for this trial (neither required nor
    # excluded): a case that gives one of them leaves the trial undecided, never "taken".
    open: list[Id] = []
    unstated: list[str] = []  # entry conditions the sources do not give, as a reader's note
    source: SourceRef


class Trial(Record):
    id: Id
    name: str
    full_title: str | None = None
    nct: str | None = None
    nct_source: SourceRef | None = None
    phase: Phase
    setting: Setting
    status: Literal["completed", "ongoing"]
    development_order: PositiveCount
    design: Design
    n: PositiveCount
    n_kind: Literal["enrolled", "randomised", "treated", "planned"]
    population: str
    eligibility: Eligibility | None = None
    question: str
    bottom_line: str
    arms: list[Arm] = []
    subgroups: list[Subgroup] = []
    endpoints: list[Endpoint] = []
    comparisons: list[Comparison] = []
    adverse_events: list[AdverseEvent] = []
    limitations: list[str] = []
    notes: list[str] = []
    source: SourceRef

    @field_validator("nct")
    @classmethod
    def _nct(cls, nct: str | None) -> str | None:
        if nct is not None and not NCT_PATTERN.match(nct):
            raise ValueError(f"an NCT id is 'NCT' and 8 digits, got {nct!r}")
        return nct


# --- resistance, background, other studies ------------------------------------------------


class Measurement(_Valued):
    """One number behind a finding, e.g. median PFS in a biomarker-high subgroup."""

    label: str
    kind: EndpointKind | None = None
    group: str | None = None
    arm: str | None = None
    unit: Unit
    reached: bool = True
    value: Number | None = None
    ci: Interval | None = None
    n: PositiveCount | None = None

    @model_validator(mode="after")
    def _reached(self) -> Measurement:
        if self.reached and self.value is None:
            raise ValueError("a reached value needs a value (set reached: false if not reached)")
        return self


class Study(Record):
    """A study the review cites that is not a trial of the drug (another drug's trial,
    cell-line work…)."""

    id: Id
    name: str
    kind: Literal["clinical", "preclinical"]
    description: str
    source: SourceRef


class Finding(Record):
    id: Id
    study: Id
    summary: str
    measurements: list[Measurement] = []
    source: SourceRef


class ResistanceMechanism(Record):
    id: Id
    name: str
    biology: str
    findings: list[Finding]
    implication: str
    source: SourceRef


class BackgroundItem(Record):
    id: Id
    title: str
    summary: str
    measurements: list[Measurement] = []
    source: SourceRef


class OutsideFact(Record):
    """A result published after the review; shown apart, labelled as not from the review."""

    id: Id
    trial: Id | None = None
    statement: str
    # What a comparative result established against its control, where it says so.
    verdict: Literal["superior", "non-inferior", "not-different"] | None = None
    endpoint: EndpointKind | None = None  # the outcome the verdict is about
    measurements: list[Measurement] = []
    source: SourceRef

    @model_validator(mode="after")
    def _outside(self) -> OutsideFact:
        if not self.source.is_outside:
            raise ValueError("an outside fact needs 'source.outside' with its citation")
        return self


# --- glossary, sources, discrepancies -----------------------------------------------------


class GlossaryTerm(Record):
    abbr: str
    expansion: str
    note: str | None = None
    # Longer terms that contain the abbreviation but do not mean it ("stage IV" is not
    # intravenous): no tooltip there. Each must contain the abbreviation as a word.
    not_in: list[str] = []

    @model_validator(mode="after")
    def _longer_terms_hold_it(self) -> GlossaryTerm:
        for phrase in self.not_in:
            if not re.search(rf"(?<!\w){re.escape(self.abbr)}(?!\w)", phrase):
                raise ValueError(f"not_in: {phrase!r} does not contain {self.abbr!r} as a word")
            if phrase == self.abbr:
                raise ValueError(f"not_in: {phrase!r} is the abbreviation itself")
        return self


class Reference(Record):
    number: PositiveCount
    about: str


class Source(Record):
    id: Id
    title: str
    kind: str
    file: str
    evidence_date: str
    evidence_date_basis: str
    references: list[Reference]


DiscrepancyKind = Literal[
    "table-vs-text", "text-vs-text", "misspelling", "wrong-expansion", "order", "other"
]


class DiscrepantValue(Record):
    value: str
    where: str


class Discrepancy(Record):
    id: Id
    topic: str
    kind: DiscrepancyKind
    subjects: list[str] = []
    values: list[DiscrepantValue] = Field(min_length=2)
    shown: str
    reason: str


_TRIAL_INDEX = "trials by id"  # not an identifier: it can never clash with a field


class Evidence(Record):
    source: Source
    drug: Drug
    mechanism: list[MechanismStep]
    trials: list[Trial]
    studies: list[Study] = []
    resistance: list[ResistanceMechanism] = []
    background: list[BackgroundItem] = []
    outside: list[OutsideFact] = []
    glossary: list[GlossaryTerm] = []
    discrepancies: list[Discrepancy] = []
    case_features: list[CaseFeature] = []
    # How a quiz case opens, before its features: "A woman with ...", "A patient with ...".
    case_subject: str = "A patient"

    # The pack's vocabulary this evidence was checked against (`load_evidence` sets it):
    # the labels and order of its settings, pathways and component roles. Private, so it
    # is no content section and no field of dumps; copies keep it.
    _vocabulary: Vocabulary | None = PrivateAttr(default=None)

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            raise ValueError("evidence without a vocabulary: load it with load_evidence")
        return self._vocabulary

    def with_vocabulary(self, vocabulary: Vocabulary) -> Evidence:
        """This evidence, labelled by `vocabulary` (which validation checked it against)."""
        self._vocabulary = vocabulary
        return self

    def feature(self, feature_id: str) -> CaseFeature:
        # Matching patients to trials asks for features millions of times in a large pack.
        cached = self.__dict__.get(_FEATURE_INDEX)
        if cached is None or cached[0] is not self.case_features:
            cached = (self.case_features, {f.id: f for f in self.case_features})
            self.__dict__[_FEATURE_INDEX] = cached
        return cached[1][feature_id]

    @property
    def trials_by_id(self) -> dict[str, Trial]:
        """Trials by id. Pages link to trials by id thousands of times in a large pack,
        and a scan each time made that quadratic, so the dict is kept with the list it
        was built from (in __dict__, as cached_property would, which leaves equality and
        dumps alone), and built again when `trials` is another list (model_copy with an
        update) or has changed length."""
        cached = self.__dict__.get(_TRIAL_INDEX)
        if cached is None or cached[0] is not self.trials or cached[1] != len(self.trials):
            cached = (self.trials, len(self.trials), {t.id: t for t in self.trials})
            self.__dict__[_TRIAL_INDEX] = cached
        return cached[2]

    def trial(self, trial_id: str) -> Trial:
        return self.trials_by_id[trial_id]
