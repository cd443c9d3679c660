"""The rules of the item models: from the evidence to cases, keys and wrong options.

Each rule is the cognitive model of one clinical problem. Given the evidence, it finds
every case the problem can be asked about, and for each gives the key and the wrong
options as `Choice`s of named kinds: the kinds are the errors a learner can make (reading
an HR as the reduction itself, taking evidence from a trial whose patients differ ...).
The item model in `quizzes/*.yaml` words each kind, its text and the reason it is right
or wrong, from the variables the rule computes here. Rules hold no wording: only which
records decide a case, and the arithmetic over them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import (
    Arm,
    Comparison,
    Endpoint,
    Evidence,
    Measurement,
    Trial,
)
from .cases import (
    NO_RESULT,
    Fit,
    Patient,
    case_text,
    clause,
    criterion_phrase,
    describe,
    evidence_level,
    fit,
    patient_for,
    set_apart,
)


@dataclass
class Choice:
    """One option: its kind (`key` or an error the item model names) and the variables
    its text and reason are written from; `value` orders numeric options."""

    kind: str
    vars: dict[str, Any]
    value: float | None = None
    evidence: tuple[tuple[str, str], ...] = ()  # (record, path) the option's words rest on
    rank: int = 0  # within a kind, higher first: the more plausible wrong options


@dataclass
class Case:
    """One item's worth of evidence: what the stem, explanation and take-away are written
    from, the key, the candidate wrong options, and where the evidence is shown."""

    id: str  # the item id's second part, stable while content ids stay
    vars: dict[str, Any]
    key: Choice
    wrong: list[Choice]
    link: str  # global record name (validate.entity_index) the item links to
    evidence: tuple[tuple[str, str], ...]  # (record, path) the key rests on
    trial: str | None = None
    patient: Patient | None = None
    features: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    kinds: frozenset[str]  # the wrong-option kinds it can give (besides `key`)
    cases: Callable[[Evidence, dict[str, Any]], Iterator[Case]]
    params: frozenset[str] = frozenset()


# What each rule parameter holds: an item model's `params` are checked against it, so a
# mistyped value is a `path:line` problem rather than a crash or a silently empty model.
PARAM_TYPES: dict[str, type] = {
    "pool": str,
    "offer": list,
    "phases": list,
    "per_answer": int,
    "per_trial": int,
    "kinds": list,
    "least": int,
    "lead": float,
    "route": str,
    "carry_on": str,
    "beside": list,
    "harm": bool,
    "harm_kinds": list,
    "comparators_only": bool,
}


def param_problem(name: str, value: Any) -> str | None:
    """Why a parameter's value does not fit its type, if it does not."""
    wanted = PARAM_TYPES[name]
    if wanted is float and isinstance(value, int | float) and not isinstance(value, bool):
        return None
    if wanted is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        return f"{name!r} takes a whole number of at least 1, got {value!r}"
    if wanted is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"{name!r} takes a list of names, got {value!r}"
    if not isinstance(value, wanted):
        return f"{name!r} takes a {wanted.__name__}, got {value!r}"
    return None


# --- arithmetic ----------


def decimals(value: float | int) -> int:
    text = repr(float(value)) if isinstance(value, float) else str(value)
    return len(text.partition(".")[2]) if isinstance(value, float) else 0


def difference(a: float | int, b: float | int) -> float | int:
    """a - b at the precision the two were given in (9.6 - 6.4 = 3.2, not 3.1999...)."""
    places = max(decimals(a), decimals(b))
    result = round(a - b, places)
    return result if places else int(result)


def relative_reduction(hr: float) -> int:
    """HR 0.65 -> 35 (% lower hazard); rounded to whole percent, as clinicians quote it."""
    return int(math.floor((1 - hr) * 100 + 0.5))


def p_below(p: str | None, alpha: float = 0.05) -> bool | None:
    if p is None:
        return None
    number = float(re.sub(r"^[<=≤]", "", p))
    return number < alpha or (p.startswith(("<", "≤")) and number <= alpha)


def near(a: float, b: float, share: float = 0.10) -> bool:
    """Within 10% of the larger: two options so close they split hairs."""
    top = max(abs(a), abs(b))
    return top == 0 or abs(a - b) / top < share


def distinct(choices: list[Choice]) -> list[Choice]:
    """Drop numeric choices within 10% of one already kept (the key comes first)."""
    kept: list[Choice] = []
    for c in choices:
        if c.value is not None and any(
            k.value is not None and near(c.value, k.value) for k in kept
        ):
            continue
        kept.append(c)
    return kept


# --- records ----------


def arm(trial: Trial, arm_id: str | None) -> Arm | None:
    return next((a for a in trial.arms if a.id == arm_id), None)


def drug_arm(trial: Trial) -> Arm | None:
    """The arm that gives the pack's drug on its own terms: experimental, or a single arm."""
    return next((a for a in trial.arms if a.role in ("experimental", "single")), None)


def control_arm(trial: Trial) -> Arm | None:
    return next((a for a in trial.arms if a.role == "control"), None)


def main_outcome(ev: Evidence) -> str | None:
    """The outcome the pack's trials are compared on: the kind most often marked primary
    among the whole-population endpoints of the completed randomised trials (of any
    completed trial where none is randomised); at a tie, the one marked first. From the
    data, so a pack whose trials lead on overall survival or response is asked about that."""
    completed = [t for t in ev.trials if t.status == "completed"]
    for trials in ([t for t in completed if t.design.randomised], completed):
        kinds = Counter(
            e.kind for t in trials for e in t.endpoints if e.primary and e.subgroup is None
        )
        if kinds:
            return max(kinds, key=lambda k: kinds[k])  # Counter keeps first-seen order
    return None


def arm_record(records: list, arm_id: str | None, *, filled: str | None = None, **same: Any):
    """The first record of arm `arm_id` equal to `same` field by field (and with field
    `filled` set), e.g. the comparator's value for the outcome the drug's arm reports."""
    return next(
        (
            r
            for r in records
            if r.arm == arm_id
            and all(getattr(r, k) == v for k, v in same.items())
            and (filled is None or getattr(r, filled) is not None)
        ),
        None,
    )


def endpoint(trial: Trial, kind: str, arm_id: str | None, subgroup: str | None = None):
    return arm_record(trial.endpoints, arm_id, kind=kind, subgroup=subgroup, label=None)


def comparison(trial: Trial, kind: str, measure: str = "HR") -> Comparison | None:
    return next(
        (
            c
            for c in trial.comparisons
            if c.kind == kind and c.measure == measure and not c.subgroup
        ),
        None,
    )


def rec(trial: Trial, child: Any) -> str:
    return f"{trial.id}/{child.id}"


# "ORR in patients with measurable disease", "difference in ORR, patients with measurable
# disease": the patients a result counts, where its label narrows them.
_POPULATION = re.compile(r"(?:\bin |, )(patients (?:with|who|whose) [^,;()]+)")


def population(trial: Trial, *records: Any) -> str:
    """The patients the records' results count, where the data narrow them from the whole
    trial: a subgroup's label ("patients in the ..."), or the "patients with ..." a
    record's label names. "" when they count everyone the trial enrolled. A rate quoted
    without its population reads as if it held for every patient."""
    for r in records:
        sub = getattr(r, "subgroup", None)
        found = next((g for g in trial.subgroups if g.id == sub), None) if sub else None
        if found is not None:
            return f"patients in the {found.label}"
        if m := _POPULATION.search(getattr(r, "label", None) or ""):
            return m.group(1).strip()
    return ""


# --- which evidence applies to this patient ----------


@dataclass(frozen=True)
class PatientCase:
    key: Trial
    patient: Patient
    others: list[Fit]  # every other trial of the pool that the case settles


def _rank(level_first: bool) -> Callable[[Fit], tuple[int, ...]]:
    if level_first:
        return lambda f: (evidence_level(f.trial), f.met)
    return lambda f: (f.met,)


def _full_rank(trial: Trial, rank: Callable[[Fit], tuple[int, ...]]) -> tuple[int, ...]:
    """A trial's rank if a patient met every one of its criteria."""
    return rank(Fit(trial, True, (), len(trial.eligibility.criteria)))  # type: ignore[union-attr]


# The last pack's patient cases by (pool, level_first, phases): several models draw on
# the same pool, and each set costs a fit of every patient against every trial.
_patient_memo: dict[str, Any] = {"ev": None, "cases": {}}


def patient_cases(
    ev: Evidence, pool: str, level_first: bool, phases: list[str] | None = None
) -> tuple[PatientCase, ...]:
    if _patient_memo["ev"] is not ev:
        _patient_memo.update(ev=ev, cases={})
    key = (pool, level_first, tuple(phases) if phases is not None else None)
    if key not in _patient_memo["cases"]:
        _patient_memo["cases"][key] = tuple(_patient_cases(ev, pool, level_first, phases))
    return _patient_memo["cases"][key]


def _patient_cases(
    ev: Evidence, pool: str, level_first: bool, phases: list[str] | None
) -> Iterator[PatientCase]:
    """For each trial of the pool with eligibility data: the patient its criteria describe,
    set apart from the trials that would otherwise stay undecided; kept only when the trial
    is the single best fit (by strength of evidence, then by how many criteria she meets)
    and no other trial of the pool is left undecided."""
    trials = [
        t
        for t in ev.trials
        if t.eligibility
        and (pool == "all" or t.status == pool)
        and (phases is None or t.phase in phases)
    ]
    rank = _rank(level_first)
    for key in trials:
        others = [t for t in trials if t is not key]
        own = fit(ev, patient_for(key), key)
        # Set her apart only from the trials that could outrank the key if they took her:
        # a lower-ranked trial left open is simply not offered as an option.
        rivals = [t for t in others if not level_first or _full_rank(t, rank) >= rank(own)]
        patient = set_apart(ev, patient_for(key), rivals)
        own = fit(ev, patient, key)
        fits = [fit(ev, patient, t) for t in others]
        # A trial the case leaves open might fit her as well as the key, unless even a full
        # fit would rank below it; a trial that takes her must rank below it.
        full = {
            f.trial.id: rank(Fit(f.trial, True, (), len(f.trial.eligibility.criteria)))
            for f in fits
        }  # type: ignore[union-attr]
        if level_first and any(f.takes is None and full[f.trial.id] >= rank(own) for f in fits):
            continue
        if any(f.takes and rank(f) >= rank(own) for f in fits):
            continue
        yield PatientCase(key, patient, [f for f in fits if f.takes is not None])


def _why_not(ev: Evidence, pc: PatientCase, f: Fit) -> tuple[str, dict[str, Any]]:
    """The kind of a wrong trial and the facts its reason is written from."""
    if f.takes is False:
        crit = f.failed[0]
        feature = ev.feature(crit.feature)
        return "ruled-out", {
            "feature": feature.label,
            "needs": clause(criterion_phrase(ev, crit), feature),
            "has": clause(feature.phrase(pc.patient[crit.feature]), feature),
        }
    own_level, level = evidence_level(pc.key), evidence_level(f.trial)
    if level < own_level:
        return "weaker", {"level": level, "key_level": own_level}
    key_criteria = {c.feature for c in pc.key.eligibility.criteria}  # type: ignore[union-attr]
    theirs = {c.feature for c in f.trial.eligibility.criteria}  # type: ignore[union-attr]
    extra = [
        clause(criterion_phrase(ev, c), ev.feature(c.feature))
        for c in pc.key.eligibility.criteria  # type: ignore[union-attr]
        if c.feature in key_criteria - theirs
    ]
    return "broader", {"level": level, "key_level": own_level, "extra": extra}


def _patient_vars(ev: Evidence, pc: PatientCase) -> dict[str, Any]:
    return {
        "trial": pc.key,
        "case": case_text(ev, pc.patient),
        "level": evidence_level(pc.key),
        "criteria": [
            clause(criterion_phrase(ev, c), ev.feature(c.feature))
            for c in pc.key.eligibility.criteria  # type: ignore[union-attr]
        ],
    }


def _eligibility_refs(trial: Trial) -> tuple[tuple[str, str], ...]:
    return ((trial.id, "eligibility"),)


def _patient_case(
    ev: Evidence, pc: PatientCase, key: Choice, wrong: list[Choice], link: str
) -> Case:
    return Case(
        id=pc.key.id,
        vars=_patient_vars(ev, pc),
        key=key,
        wrong=wrong,
        link=link,
        evidence=(*_eligibility_refs(pc.key), *key.evidence),
        trial=pc.key.id,
        patient=pc.patient,
        features=describe(ev, pc.patient),
    )


def _patient_trial(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    pool = params.get("pool", "completed")
    offer = set(params.get("offer", ["ruled-out", "weaker", "broader"]))
    cases = patient_cases(ev, pool, level_first=pool != "ongoing", phases=params.get("phases"))
    for pc in cases:
        wrong = []
        for f in pc.others:
            kind, why = _why_not(ev, pc, f)
            if kind not in offer:
                continue
            wrong.append(
                Choice(
                    kind,
                    {"trial": f.trial, **why},
                    evidence=_eligibility_refs(f.trial),
                    rank=f.met,  # a trial she nearly fits is the harder wrong option
                )
            )
        key = Choice("key", {"trial": pc.key}, evidence=_eligibility_refs(pc.key))
        yield _patient_case(ev, pc, key, wrong, pc.key.id)


def headline(trial: Trial, outcome: str | None) -> dict[str, Any] | None:
    """A trial's main result (`outcome`: the pack's `main_outcome`) for the drug's arm: its
    median, the comparator's and the hazard ratio, as far as the trial reports them."""
    mine = drug_arm(trial)
    if mine is None or outcome is None:
        return None
    exp = endpoint(trial, outcome, mine.id)
    if exp is None:
        return None
    control = control_arm(trial)
    ctl = endpoint(trial, outcome, control.id) if control else None
    hr = comparison(trial, outcome)
    return {"arm": mine, "exp": exp, "control": control, "ctl": ctl, "hr": hr}


def _headline_refs(trial: Trial, h: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    refs = [(rec(trial, h["exp"]), "value")]
    if h["ctl"] is not None:
        refs.append((rec(trial, h["ctl"]), "value"))
    if h["hr"] is not None:
        refs.append((rec(trial, h["hr"]), "estimate"))
    return tuple(refs)


def _patient_result(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    comparators_only = bool(params.get("comparators_only", False))
    outcome = main_outcome(ev)
    for pc in patient_cases(ev, "completed", level_first=True):
        mine = headline(pc.key, outcome)
        if mine is None:
            continue
        wrong = []
        single_arm = [
            f for f in pc.others if (h := headline(f.trial, outcome)) and h["ctl"] is None
        ]
        if comparators_only and single_arm and mine["ctl"] is not None:
            # One option for every single-arm study: the trial that fits her had a comparator.
            # Its reason names only the single-arm studies that would have taken her: one
            # whose entry criteria she breaks does not "rank below" the trial, it is out.
            single = [f.trial for f in single_arm if f.takes is not False]
            out = [f.trial for f in single_arm if f.takes is False]
            wrong.append(
                Choice("no-comparator", {"trial": pc.key, "single": single, "out": out, **mine})
            )
        for f in pc.others:
            theirs = headline(f.trial, outcome)
            if theirs is None or (comparators_only and theirs["ctl"] is None):
                continue
            kind, why = _why_not(ev, pc, f)
            wrong.append(
                Choice(
                    kind,
                    {"trial": f.trial, **theirs, **why},
                    evidence=_headline_refs(f.trial, theirs),
                    # a result with a comparator, like the key's, is the harder one to rule out
                    rank=int((theirs["ctl"] is None) == (mine["ctl"] is None)),
                )
            )
        key = Choice("key", {"trial": pc.key, **mine}, evidence=_headline_refs(pc.key, mine))
        yield _patient_case(ev, pc, key, wrong, rec(pc.key, mine["exp"]))


def _exclusion(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """Which feature of a patient's case keeps her out of a trial: the one criterion she
    breaks, against the features the trial accepts or sets no condition on."""
    seen: Counter[str] = Counter()
    asked: set[str] = set()  # one question per patient: her case is the stem's bulk
    most = int(params.get("per_trial", 2))
    for pool, level_first in (("completed", True), ("ongoing", False)):
        for pc in patient_cases(ev, pool, level_first, phases=params.get("phases")):
            if len(pc.patient) < 3:
                continue
            for f in pc.others:
                trial = f.trial
                # one criterion broken, at least one met: a trial she nearly fits
                if (
                    f.takes is not False
                    or len(f.failed) != 1
                    or not f.met
                    or seen[trial.id] >= most
                    or pc.key.id in asked
                ):
                    continue
                crit = f.failed[0]
                criteria = {c.feature: c for c in trial.eligibility.criteria}  # type: ignore[union-attr]
                base = {"trial": trial, "case": case_text(ev, pc.patient), "key_trial": pc.key}

                def option(
                    kind: str,
                    feature_id: str,
                    base: dict = base,
                    criteria: dict = criteria,
                    patient: Patient = pc.patient,
                ) -> Choice:
                    feature = ev.feature(feature_id)
                    c = criteria.get(feature_id)
                    return Choice(
                        kind,
                        base
                        | {
                            "feature": feature.label,
                            "has": clause(feature.phrase(patient[feature_id]), feature),
                            "needs": clause(criterion_phrase(ev, c), feature) if c else None,
                        },
                    )

                key = option("key", crit.feature)
                key.evidence = ((trial.id, "eligibility"),)
                wrong = [
                    option("meets" if fid in criteria else "no-condition", fid)
                    for fid in pc.patient
                    if fid != crit.feature
                ]
                seen[trial.id] += 1
                asked.add(pc.key.id)
                yield Case(
                    id=f"{trial.id}-for-{pc.key.id}",
                    vars=base | {"needs": key.vars["needs"], "has": key.vars["has"]},
                    key=key,
                    wrong=wrong,
                    link=trial.id,
                    evidence=(*_eligibility_refs(trial), *_eligibility_refs(pc.key)),
                    trial=pc.key.id,  # the trial whose criteria her case is built from
                    patient=pc.patient,
                    features=describe(ev, pc.patient),
                )


def _patient_level(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """How strong is the evidence for this patient, as of the review: the best design among
    the completed trials that take her; the options are the levels of evidence."""
    completed = [t for t in ev.trials if t.eligibility and t.status == "completed"]
    seen: set[str] = set()
    per_answer: dict[tuple, int] = {}
    most = int(params.get("per_answer", 3))  # cases with the same answer and the same trials
    patients = [
        *patient_cases(ev, "completed", level_first=True),
        *patient_cases(ev, "ongoing", level_first=False),
    ]
    for pc in patients:
        fits = [fit(ev, pc.patient, t) for t in completed]
        takers = [f.trial for f in fits if f.takes]
        best = max((evidence_level(t) for t in takers), default=NO_RESULT)
        if any(f.takes is None and evidence_level(f.trial) >= best for f in fits):
            continue
        text = case_text(ev, pc.patient)
        group = (best, tuple(t.id for t in takers if evidence_level(t) == best))
        if text in seen or per_answer.get(group, 0) >= (most if best else 2):
            continue
        seen.add(text)
        per_answer[group] = per_answer.get(group, 0) + 1
        at = {lvl: [t for t in takers if evidence_level(t) == lvl] for lvl in range(5)}
        best_trials = at[best]
        refs = tuple((t.id, "design") for t in best_trials) or _eligibility_refs(pc.key)
        choices = []
        for lvl in sorted({4, 3, 2, 1, 0}):
            kind = "key" if lvl == best else ("stronger" if lvl > best else "weaker")
            choices.append(
                Choice(
                    kind,
                    {"level": lvl, "best": best, "best_trials": best_trials, "trials": at[lvl]},
                    evidence=refs,
                )
            )
        key = next(c for c in choices if c.kind == "key")
        wrong = [c for c in choices if c.kind != "key"]
        link = best_trials[0].id if best_trials else pc.key.id
        case = _patient_case(ev, pc, key, wrong, link)
        case.vars |= {"best": best, "best_trials": best_trials, "enrolling": pc.key}
        case.trial = best_trials[0].id if best_trials else pc.key.id
        yield case


# --- reading a result ----------


def _median(trial: Trial, kind: str, arm_id: str) -> Endpoint | None:
    """An arm's median for an outcome, labelled or not (a QoL outcome carries its scale)."""
    return arm_record(trial.endpoints, arm_id, kind=kind, subgroup=None)


def _hr_sources(ev: Evidence) -> Iterator[dict[str, Any]]:
    """Every hazard ratio with a CI: trial comparisons and measurements inside findings."""
    for trial in ev.trials:
        for c in trial.comparisons:
            if c.measure == "HR" and c.ci is not None and c.ci.upper is not None:
                exp, ctl = arm(trial, c.experimental), arm(trial, c.control)
                yield {
                    "id": f"{trial.id}-{c.id}",
                    "trial": trial,
                    "comparison": c,
                    "measurement": None,
                    "kind": c.kind,
                    "hr": c.estimate,
                    "ci": c.ci,
                    "exp": exp,
                    "ctl": ctl,
                    "exp_median": _median(trial, c.kind, c.experimental),
                    "ctl_median": _median(trial, c.kind, c.control),
                    "record": rec(trial, c),
                    "ref": (rec(trial, c), "estimate"),
                }
    for r in ev.resistance:
        for f in r.findings:
            trial = ev.trials_by_id.get(f.study)
            for i, m in enumerate(f.measurements):
                if m.unit == "ratio" and m.ci is not None and m.ci.upper is not None and trial:
                    control = control_arm(trial)
                    yield {
                        "id": f"{f.id}-{m.group or i}",
                        "trial": trial,
                        "comparison": None,
                        "measurement": m,
                        "finding": f,
                        "kind": m.kind,
                        "hr": m.value,
                        "ci": m.ci,
                        "exp": drug_arm(trial),
                        "ctl": control,
                        "exp_median": None,
                        "ctl_median": None,
                        "record": f.id,
                        "ref": (f.id, f"measurements[{i}].value"),
                    }


def _source_case(src: dict[str, Any], base: dict[str, Any], key: Choice, wrong: list) -> Case:
    """The case of one interval source (`_hr_sources`, `_ci_sources`): its id, record and
    trial."""
    return Case(
        id=src["id"],
        vars=base,
        key=key,
        wrong=wrong,
        link=src["record"],
        evidence=(src["ref"],),
        trial=src["trial"].id,
    )


def _hazard_ratio(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """How big and which way: the options cross the two errors (the HR itself read as the
    reduction; the direction reversed), so no option shares more with the others than
    the key does."""
    for src in _hr_sources(ev):
        hr = src["hr"]
        rr, share = relative_reduction(hr), round(hr * 100)
        if hr >= 1 or share == rr:
            continue  # the models word a benefit; HR 0.5 makes both errors one number
        base = {**src, "rr": rr, "share": share}

        def option(kind: str, size: int, lower: bool, base: dict = base) -> Choice:
            return Choice(kind, base | {"size": size, "lower": lower})

        key = option("key", rr, True)
        key.evidence = (src["ref"],)
        wrong = [
            option("as-reduction", share, True),
            option("reversed", rr, False),
            option("both", share, False),
        ]
        yield _source_case(src, base, key, wrong)


def _ci_sources(ev: Evidence) -> Iterator[dict[str, Any]]:
    """Every interval with its no-difference value: 1 for a ratio, 0 for a difference."""
    for src in _hr_sources(ev):
        yield src | {
            "null": 1,
            "ratio": True,
            "population": population(src["trial"], src["comparison"]),
        }
    for trial in ev.trials:
        for c in trial.comparisons:
            if c.measure == "difference" and c.ci is not None and c.ci.upper is not None:
                yield {
                    "id": f"{trial.id}-{c.id}",
                    "trial": trial,
                    "comparison": c,
                    "measurement": None,
                    "kind": c.kind,
                    "hr": None,
                    "ci": c.ci,
                    "exp": arm(trial, c.experimental),
                    "ctl": arm(trial, c.control),
                    "record": rec(trial, c),
                    "ref": (rec(trial, c), "ci"),
                    "null": 0,
                    "ratio": False,
                    "population": population(trial, c),
                }


def _ci_reading(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """Whether an interval excludes no difference, and what follows: the options cross
    reading the interval and drawing the conclusion, right or wrong, two by two."""
    for src in _ci_sources(ev):
        ci, null = src["ci"], src["null"]
        excludes = ci.upper < null or ci.low > null
        base = {**src, "excludes": excludes}

        def option(kind: str, reading: bool, conclusion: bool, base: dict = base) -> Choice:
            return Choice(kind, base | {"reading": reading, "conclusion": conclusion})

        key = option("key", excludes, excludes)
        key.evidence = (src["ref"],)
        wrong = [
            option("wrong-conclusion", excludes, not excludes),
            option("misread", not excludes, not excludes),
            option("both", not excludes, excludes),
        ]
        yield _source_case(src, base, key, wrong)


def _hr_meaning(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """What a quoted "N% lower risk" is: a relative reduction in the hazard, not an
    absolute difference, nor a share of patients, nor a ratio of medians."""
    kinds = set(params.get("kinds", ["PFS", "OS"]))
    for src in _hr_sources(ev):
        if src["comparison"] is None or src["kind"] not in kinds or src["hr"] >= 1:
            continue
        a, b = src["exp_median"], src["ctl_median"]
        if a is None or b is None or a.value is None or b.value is None:
            continue
        rr = relative_reduction(src["hr"])
        base = {**src, "rr": rr, "gain": difference(a.value, b.value)}
        key = Choice("key", base, evidence=(src["ref"],))
        wrong = [Choice(k, base) for k in ("absolute", "share-free", "median-ratio")]
        yield Case(
            id=src["id"],
            vars=base,
            key=key,
            wrong=wrong,
            link=src["record"],
            evidence=(src["ref"], (rec(src["trial"], a), "value")),
            trial=src["trial"].id,
        )


def _median_pairs(ev: Evidence) -> Iterator[dict[str, Any]]:
    """Medians of the drug's arm and the comparator for one outcome, both reached."""
    for trial in ev.trials:
        mine = drug_arm(trial)
        control = control_arm(trial)
        if mine is None or control is None:
            continue
        for exp in trial.endpoints:
            if exp.arm != mine.id or exp.subgroup or exp.unit != "months" or exp.value is None:
                continue
            ctl = arm_record(
                trial.endpoints,
                control.id,
                filled="value",
                kind=exp.kind,
                subgroup=None,
                label=exp.label,
            )
            if ctl is not None:
                yield {
                    "trial": trial,
                    "kind": exp.kind,
                    "exp": mine,
                    "ctl": control,
                    "a": exp,
                    "b": ctl,
                    "hr": comparison(trial, exp.kind),
                    "fact": None,
                    "id": f"{trial.id}-{exp.id}",
                    "record": rec(trial, exp),
                    "refs": ((rec(trial, exp), "value"), (rec(trial, ctl), "value")),
                }


def _outside_median_pairs(ev: Evidence) -> Iterator[dict[str, Any]]:
    """Medians of the drug's arm and the comparator in a result published after the review."""
    for fact in ev.outside:
        trial = ev.trials_by_id.get(fact.trial) if fact.trial else None
        if trial is None:
            continue
        mine = drug_arm(trial)
        control = control_arm(trial)
        ms = {
            m.arm: (i, m)
            for i, m in enumerate(fact.measurements)
            if m.unit == "months" and m.value is not None
        }
        if mine and control and mine.id in ms and control.id in ms:
            (i, a), (j, b) = ms[mine.id], ms[control.id]
            yield {
                "trial": trial,
                "kind": a.kind,
                "exp": mine,
                "ctl": control,
                "a": a,
                "b": b,
                "hr": None,
                "fact": fact,
                "id": fact.id,
                "record": fact.id,
                "refs": (
                    (fact.id, f"measurements[{i}].value"),
                    (fact.id, f"measurements[{j}].value"),
                ),
            }


def _median_gain(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    pairs = [*_median_pairs(ev), *_outside_median_pairs(ev)]
    kinds = params.get("kinds")
    for p in pairs:
        if kinds and p["kind"] not in kinds:
            continue
        trial, a, b = p["trial"], p["a"], p["b"]
        gain = difference(a.value, b.value)
        if gain <= 0:
            continue
        refs = p["refs"]
        base = {**p, "gain": gain}
        key = Choice("key", base | {"months": gain}, value=gain, evidence=refs)
        wrong = [
            Choice("drug-median", base | {"months": a.value}, value=a.value),
            Choice("comparator-median", base | {"months": b.value}, value=b.value),
        ]
        for other in pairs:
            if other["trial"] is trial and other["kind"] != p["kind"]:
                g = difference(other["a"].value, other["b"].value)
                if g > 0:
                    wrong.append(
                        Choice("other-outcome", base | {"months": g, "other": other}, value=g)
                    )
        yield Case(
            id=p["id"],
            vars=base,
            key=key,
            wrong=wrong,
            link=p["record"],
            evidence=refs,
            trial=trial.id,
        )


def _response_significance(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """A difference in response rates with its P value: significant or not, which way,
    beside the trial's hazard ratio for its main outcome."""
    outcome = main_outcome(ev)
    for trial in ev.trials:
        for c in trial.comparisons:
            if c.measure != "difference" or c.p is None or c.subgroup:
                continue
            a = endpoint(trial, c.kind, c.experimental)
            b = endpoint(trial, c.kind, c.control)
            if a is None or b is None or a.value is None or b.value is None:
                a = a or arm_record(trial.endpoints, c.experimental, kind=c.kind)
                b = b or arm_record(trial.endpoints, c.control, kind=c.kind)
            if a is None or b is None or a.value is None or b.value is None:
                continue
            significant = p_below(c.p)
            base = {
                "trial": trial,
                "comparison": c,
                "kind": c.kind,
                "exp": arm(trial, c.experimental),
                "ctl": arm(trial, c.control),
                "a": a,
                "b": b,
                "significant": significant,
                "higher": a.value > b.value,
                "hr": comparison(trial, outcome) if outcome else None,
                "population": population(trial, a, b, c),
            }
            refs = ((rec(trial, c), "p"), (rec(trial, a), "value"), (rec(trial, b), "value"))
            key = Choice("key", base, evidence=refs)
            wrong = [Choice("flip-significance", base), Choice("reversed", base)]
            if base["hr"] is not None and p_below(c.p) is False:
                wrong.append(Choice("follows-pfs", base))
            yield Case(
                id=f"{trial.id}-{c.id}",
                vars=base,
                key=key,
                wrong=wrong,
                link=rec(trial, c),
                evidence=refs,
                trial=trial.id,
            )


# --- safety ----------


def _most_common_event(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """Within one arm and grade, the adverse event reported most often, from a list the
    source gives as the most common: the thing to watch for. Kept only when the first
    clearly leads (not within 10% of the next)."""
    least = int(params.get("least", 4))
    lead = float(params.get("lead", 0.10))  # how far the first must lead the second
    for trial in ev.trials:
        by_arm: dict[tuple[str, str], list] = {}
        for e in trial.adverse_events:
            if e.rate is not None and e.arm and e.most_common:
                by_arm.setdefault((e.arm, e.grade), []).append(e)
        for (arm_id, grade), events in by_arm.items():
            if len(events) < max(least, 2):
                continue
            events.sort(key=lambda e: -e.rate)
            top, rest = events[0], events[1:]
            if near(top.rate, rest[0].rate, lead):
                continue
            the_arm = arm(trial, arm_id)
            base = {"trial": trial, "arm": the_arm, "top": top, "second": rest[0], "grade": grade}
            key = Choice("key", base | {"event": top}, evidence=((rec(trial, top), "rate"),))
            wrong = [Choice("less-common", base | {"event": e}) for e in rest]
            wrong += [
                Choice("absent", base | {"event": e})
                for e in trial.adverse_events
                if e.arm == arm_id and e.grade == grade and e.rate == 0
            ]
            yield Case(
                id=f"{trial.id}-{arm_id}-{grade}",
                vars=base,
                key=key,
                wrong=wrong,
                link=rec(trial, top),
                evidence=((rec(trial, top), "rate"),),
                trial=trial.id,
            )


# --- mechanism ----------


def _pathways(ev: Evidence) -> dict[str, list]:
    out: dict[str, list] = {}
    for step in sorted(ev.mechanism, key=lambda s: (s.pathway, s.order)):
        out.setdefault(step.pathway, []).append(step)
    return out


def _pathway_block(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """If one step of a pathway were blocked: the steps after it fail, the steps before it
    and the other pathways go on. Asked for each step with at least two steps after it."""
    carry_on = params.get("carry_on")  # pathway-continues: the route that goes on
    only = params.get("route")
    pathways = _pathways(ev)
    for name, steps in pathways.items():
        if only and name != only:
            continue
        for i, step in enumerate(steps[:-2]):
            # Steps of other routes that cannot happen without this one fail with it.
            free = [
                s for p, ss in pathways.items() if p != name for s in ss if step.id not in s.needs
            ]
            if carry_on:
                yield from _still_runs(pathways, name, steps, i, carry_on, free)
                continue
            after, before = steps[i + 1], steps[:i]
            beside = params.get("beside")  # the routes that run in the same cell
            others = [s for s in free if not beside or s.pathway in beside]
            others = [s for s in others if s.order == 1 or s is others[0]][:2]
            base = {"step": step, "pathway": name, "after": after, "last": steps[-1]}
            key = Choice("key", base | {"target": after}, evidence=((after.id, "order"),))
            wrong = [Choice("earlier", base | {"target": s}) for s in before[-1:]]
            wrong += [Choice("later", base | {"target": s}) for s in steps[i + 2 :]]
            wrong += [Choice("other-pathway", base | {"target": s}) for s in others]
            yield Case(
                id=step.id,
                vars=base,
                key=key,
                wrong=wrong,
                link=step.id,
                evidence=((step.id, "order"), (after.id, "order")),
            )


def _still_runs(
    pathways: dict[str, list], name: str, steps: list, i: int, carry_on: str, free: list
) -> Iterator[Case]:
    """The other side of a blocked step: which action still takes place. The key is a
    step of the route that goes on, if it does not need the blocked step; the wrong
    options are the steps after the block."""
    step = steps[i]
    others = [s for s in pathways.get(carry_on, []) if s in free]
    if not others:
        return
    words = set(re.findall(r"[a-z0-9-]+", step.title.lower()))

    def overlap(s: Any) -> tuple[int, int]:
        return len(words & set(re.findall(r"[a-z0-9-]+", s.title.lower()))), s.order

    # The route that goes on, by the step least like the blocked one: sharing words with the
    # stem would cue the key.
    target = min(others, key=overlap)
    base = {"step": step, "pathway": name, "last": steps[-1]}
    key = Choice("key", base | {"target": target}, evidence=((target.id, "pathway"),))
    wrong = [Choice("downstream", base | {"target": s}) for s in steps[i + 1 :]]
    yield Case(
        id=step.id,
        vars=base,
        key=key,
        wrong=wrong,
        link=target.id,
        evidence=((step.id, "order"), (target.id, "pathway")),
    )


def _finding_route(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """A finding on treatment (the last step of a pathway that is not the drug's aim)
    traced to its route: the first step of its own pathway, against the others'."""
    route = params.get("route")
    pathways = _pathways(ev)
    for name, steps in pathways.items():
        if name != route or len(steps) < 2:
            continue
        finding, cause = steps[-1], steps[0]
        base = {"finding": finding, "pathway": name, "cause": cause}
        key = Choice("key", base | {"target": cause}, evidence=((cause.id, "title"),))
        # The drug's targeted actions: the first step of every other route, and the steps
        # that need it. Uptake or payload release inside a cell happen in the off-target
        # route too, so they would not be wrong.
        firsts = {ss[0].id for p, ss in pathways.items() if p != name}
        wrong = [
            Choice("other-pathway", base | {"target": s})
            for p, ss in pathways.items()
            if p != name
            for s in ss
            if s.id in firsts or set(s.needs) & firsts
        ]
        yield Case(
            id=finding.id,
            vars=base,
            key=key,
            wrong=wrong,
            link=cause.id,
            evidence=((cause.id, "title"), (finding.id, "title")),
        )


# --- biomarkers ----------


def _group_pairs(ev: Evidence) -> Iterator[dict[str, Any]]:
    """Two values of one outcome in one arm of one study, split by a biomarker's groups."""
    for r in ev.resistance:
        for f in r.findings:
            by: dict[tuple, list[tuple[int, Measurement]]] = {}
            for i, m in enumerate(f.measurements):
                if m.group and m.kind and m.unit in ("months", "%"):
                    by.setdefault((m.kind, m.arm), []).append((i, m))
            for (kind, arm_id), ms in by.items():
                if len(ms) != 2:
                    continue
                yield {
                    "mechanism": r,
                    "finding": f,
                    "kind": kind,
                    "arm_id": arm_id,
                    "pair": ms,
                    "study": ev.trials_by_id.get(f.study)
                    or next((s for s in ev.studies if s.id == f.study), None),
                }


def _arm_label(study: Any, arm_id: str | None) -> str | None:
    """A measurement's arm as printed: the trial arm's label, or the study's own words."""
    if isinstance(study, Trial):
        found = arm(study, arm_id)
        return found.label if found else None
    return arm_id


def _biomarker(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """A tumour in one biomarker group, treated with the drug: what the split showed in the
    drug's arm; the wrong options are the same split in the comparator's arm or in other
    studies of the same biomarker, each wrong for its own reason. A case needs at least one
    wrong option from the drug's own arm in a trial her case rules out, so that the case,
    not the drug's name, tells the key from the rest."""
    pairs = list(_group_pairs(ev))

    def split(q: dict, group: str) -> dict[str, Any]:
        (_, x), (_, y) = q["pair"]
        here, there = (x, y) if x.group == group else (y, x)
        return {
            "source": q["study"],
            "source_arm": _arm_label(q["study"], q["arm_id"]),
            "here": here,
            "there": there,
        }

    with_eligibility = [t for t in ev.trials if t.eligibility and t.status == "completed"]
    for p in pairs:
        study = p["study"]
        if not isinstance(study, Trial) or study.eligibility is None:
            continue
        mine = drug_arm(study)
        if mine is None or p["arm_id"] != mine.id:
            continue
        rivals = [q for q in pairs if q is not p and q["mechanism"] is p["mechanism"]]
        rival_trials = [
            q["study"] for q in rivals if isinstance(q["study"], Trial) and q["study"] is not study
        ]
        others = [t for t in with_eligibility if t is not study]
        patient = set_apart(ev, patient_for(study), [*rival_trials, *others])
        fits = {t.id: fit(ev, patient, t) for t in rival_trials}
        if any(f.takes is not False for f in fits.values()):
            continue  # another trial with this biomarker's split might fit her as well
        for i, m in p["pair"]:
            other = next(x for _, x in p["pair"] if x is not m)
            base = {
                "mechanism": p["mechanism"],
                "finding": p["finding"],
                "trial": study,
                "group": m.group,
                "other_group": other.group,
                "kind": p["kind"],
                "case": case_text(ev, patient),
            }
            key = Choice(
                "key",
                base | split(p, m.group),
                evidence=((p["finding"].id, f"measurements[{i}].value"),),
            )
            wrong = []
            for q in rivals:
                if m.group not in {x.group for _, x in q["pair"]}:
                    continue
                same_study = q["finding"] is p["finding"]
                if same_study and q["kind"] != p["kind"]:
                    continue
                extra: dict[str, Any] = {}
                if same_study:
                    kind = "comparator-arm"
                elif isinstance(q["study"], Trial) and q["study"] is not study:
                    kind = "ruled-out"
                    crit = fits[q["study"].id].failed[0]
                    feature = ev.feature(crit.feature)
                    extra = {
                        "needs": clause(criterion_phrase(ev, crit), feature),
                        "has": clause(feature.phrase(patient[crit.feature]), feature),
                    }
                elif isinstance(q["study"], Trial):
                    continue  # another finding of her own trial: not a rival
                else:
                    kind = "other-study"
                wrong.append(Choice(kind, base | split(q, m.group) | extra))
            if len(wrong) < 2 or not any(w.kind == "ruled-out" for w in wrong):
                # Without the drug's own result from a trial her case rules out, the key is
                # the one option about the drug: the lead-in answers it, not the case.
                continue
            features = describe(ev, patient) | {p["mechanism"].name: m.group or ""}
            yield Case(
                id=f"{p['finding'].id}-{p['kind'].lower()}-{m.group}",
                vars=base | {"here": m, "there": other},
                key=key,
                wrong=wrong,
                link=p["finding"].id,
                evidence=(*_eligibility_refs(study), *key.evidence),
                trial=study.id,
                patient=patient,
                features=features,
            )


# --- appraising a design ----------


def design_features(trial: Trial, outcome: str | None) -> list[str]:
    """What a trial's design limits, from its data: which of the appraisal problems it has
    (`outcome`: the pack's main outcome, whose assessor an open label can bias)."""
    found = []
    if trial.status != "completed":
        return found
    roles = {a.role for a in trial.arms}
    if not trial.design.randomised and roles == {"single"}:
        found.append("single-arm")
    if not trial.design.randomised and roles == {"cohort"}:
        found.append("sequential-cohorts")
    primary_by_investigator = any(
        e.assessed_by == "investigator" and e.kind == outcome for e in trial.endpoints
    )
    if trial.design.open_label and primary_by_investigator:
        found.append("open-label-investigator")
    return found


def _design_limit(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    kinds = ("single-arm", "sequential-cohorts", "open-label-investigator", "subgroup")
    outcome = main_outcome(ev)
    for trial in ev.trials:
        found = design_features(trial, outcome)
        if len(found) != 1:
            continue
        problem = found[0]
        base = {"trial": trial, "problem": problem, "randomised": trial.design.randomised}
        key = Choice("key", base, evidence=((trial.id, "design"),))
        # Cohorts enrolled in turn have no comparator either: that limit is no wrong option.
        also = {"single-arm"} if problem == "sequential-cohorts" else set()
        wrong = [Choice(k, base) for k in kinds if k != problem and k not in also]
        yield Case(
            id=trial.id,
            vars=base,
            key=key,
            wrong=wrong,
            link=trial.id,
            evidence=((trial.id, "design"),),
            trial=trial.id,
        )
    for src in _hr_sources(ev):
        if src["measurement"] is None:
            continue
        ci = src["ci"]
        if not (ci.low < 1 < ci.upper):
            continue
        base = {**src, "problem": "subgroup", "randomised": src["trial"].design.randomised}
        key = Choice("key", base, evidence=(src["ref"],))
        wrong = [Choice(k, base) for k in kinds if k != "subgroup"]
        yield _source_case(src, base, key, wrong)


# --- dose at the bedside ----------


def _dose(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """The drug's dose and schedule in the phase 3 trials, against the other doses the
    evidence gives (another schedule's MTD, an escalation's starting dose, a partner
    drug's dose), each wrong for its own reason."""
    phase3 = [t for t in ev.trials if t.phase == "3" and t.status == "completed"]
    names = {ev.drug.abbreviation, ev.drug.name}

    def own(arm_: Arm | None):  # the drug's own entry in an arm's regimen
        return next((d for d in (arm_.regimen if arm_ else []) if d.drug in names), None)

    doses = [(t, a, d) for t in phase3 if (d := own(a := drug_arm(t))) is not None]
    if not doses or len({(d.amount, d.unit) for _, _, d in doses}) > 1:
        return  # no phase 3 dose, or the trials disagree: no single right answer
    trial, mine, key_dose = doses[0]
    mtds = [
        (t, e, arm(t, e.arm)) for t in ev.trials for e in t.endpoints if e.kind == "MTD" and e.value
    ]
    same = next(((t, e, a) for t, e, a in mtds if e.value == key_dose.amount), None)
    base = {
        "trial": trial,
        "dose": key_dose,
        "trials": [t for t, _, _ in doses],
        "mtd_trial": same[0] if same else None,
        "mtd_arm": same[2] if same else None,
    }
    key = Choice("key", base | {"option": key_dose}, evidence=((rec(trial, mine), "regimen"),))
    wrong = []
    for t, e, a in mtds:
        if e.value != key_dose.amount and a is not None and a.regimen:
            option = a.regimen[0].model_copy(update={"amount": e.value})
            wrong.append(Choice("other-mtd", base | {"option": option, "arm": a, "source": t}))
    for t in ev.trials:
        if t.status != "completed":
            continue
        for a in t.arms:
            for d in a.regimen:
                if not d.amount:
                    continue
                if d.drug != key_dose.drug:
                    if d.unit == key_dose.unit:  # a dose in other units would stand out
                        wrong.append(
                            Choice("partner-drug", base | {"option": d, "arm": a, "source": t})
                        )
                elif (
                    d.amount != key_dose.amount
                    and t.phase in ("1", "1b")
                    and not any(e.value == d.amount for _, e, _ in mtds)
                ):
                    wrong.append(
                        Choice("starting-dose", base | {"option": d, "arm": a, "source": t})
                    )
    yield Case(
        id=key_dose.drug.lower().replace(" ", "-"),
        vars=base,
        key=key,
        wrong=wrong,
        link=rec(trial, mine),
        evidence=key.evidence,
        trial=trial.id,
    )


# --- absolute benefit in rates ----------


SEVERE = {"3", "4", "5", "3-4", "3+"}  # grade bands of serious harm


def _rate_pairs(ev: Evidence, harm_kinds: frozenset[str] = frozenset()) -> Iterator[dict[str, Any]]:
    """Two rates (%) for one outcome, the drug's arm against the comparator, where the
    difference is established: a significant P, or a result published after the review
    with its hazard ratio. Harms: severe adverse events in randomised trials, and the
    endpoints of `harm_kinds` (a need for supportive care)."""
    for trial in ev.trials:
        mine = drug_arm(trial)
        control = control_arm(trial)
        if mine is None or control is None:
            continue
        for c in trial.comparisons:
            if c.measure != "difference" or not p_below(c.p) or c.subgroup:
                continue
            a = arm_record(trial.endpoints, mine.id, kind=c.kind, subgroup=None)
            b = arm_record(trial.endpoints, control.id, kind=c.kind, subgroup=None)
            if a and b and a.unit == "%" and a.value is not None and b.value is not None:
                yield {
                    "trial": trial,
                    "kind": c.kind,
                    "exp": mine,
                    "ctl": control,
                    "a": a.value,
                    "b": b.value,
                    "harm": False,
                    "what": c.kind,
                    "hr": None,
                    "fact": None,
                    "refs": ((rec(trial, a), "value"), (rec(trial, b), "value")),
                    "record": rec(trial, a),
                    "population": population(trial, a, b, c),
                }
        if trial.design.randomised:
            for a in trial.endpoints:
                if a.kind not in harm_kinds or a.arm != mine.id or a.value is None:
                    continue
                b = arm_record(trial.endpoints, control.id, kind=a.kind)
                if b is not None and b.value is not None and a.unit == "%":
                    yield {
                        "trial": trial,
                        "kind": a.kind,
                        "exp": mine,
                        "ctl": control,
                        "a": a.value,
                        "b": b.value,
                        "harm": True,
                        "what": a,
                        "hr": None,
                        "fact": None,
                        "refs": ((rec(trial, a), "value"), (rec(trial, b), "value")),
                        "record": rec(trial, a),
                        "population": population(trial, a, b),
                    }
            for x in trial.adverse_events:
                if x.arm != mine.id or x.rate is None or x.grade not in SEVERE:
                    continue
                y = arm_record(
                    trial.adverse_events, control.id, filled="rate", term=x.term, grade=x.grade
                )
                if y is not None:
                    yield {
                        "trial": trial,
                        "kind": None,
                        "exp": mine,
                        "ctl": control,
                        "a": x.rate,
                        "b": y.rate,
                        "harm": True,
                        "what": x,
                        "hr": None,
                        "fact": None,
                        "refs": ((rec(trial, x), "rate"), (rec(trial, y), "rate")),
                        "record": rec(trial, x),
                        "population": "",
                    }
    for fact in ev.outside:
        trial = ev.trials_by_id.get(fact.trial) if fact.trial else None
        if trial is None:
            continue
        mine, control = drug_arm(trial), control_arm(trial)
        ms = {(m.kind, m.arm): (i, m) for i, m in enumerate(fact.measurements) if m.unit == "%"}
        kinds = {k for k, _ in ms}
        for kind in sorted(kinds, key=str):
            if not (mine and control and (kind, mine.id) in ms and (kind, control.id) in ms):
                continue
            (i, a), (j, b) = ms[(kind, mine.id)], ms[(kind, control.id)]
            hr = next(
                (m.value for m in fact.measurements if m.unit == "ratio" and m.kind == kind),
                None,
            )
            yield {
                "trial": trial,
                "kind": a.kind,
                "exp": mine,
                "ctl": control,
                "a": a.value,
                "b": b.value,
                "harm": False,
                "what": a.kind,
                "hr": hr,
                "fact": fact,
                "refs": (
                    (fact.id, f"measurements[{i}].value"),
                    (fact.id, f"measurements[{j}].value"),
                ),
                "record": fact.id,
                "population": "",
            }


def _gains(ev: Evidence, params: dict[str, Any]) -> Iterator[tuple[dict[str, Any], float]]:
    """The rate pairs of benefit (or, with `harm`, of harm) and the absolute difference in
    each, drug better: what rate-gain and nnt both ask about."""
    harms = bool(params.get("harm", False))
    for p in _rate_pairs(ev, frozenset(params.get("harm_kinds", []))):
        if p["harm"] != harms:
            continue
        gain = difference(p["b"], p["a"]) if harms else difference(p["a"], p["b"])
        if gain > 0:
            yield p, gain


def _pair_case(p: dict[str, Any], base: dict[str, Any], key: Choice, wrong: list) -> Case:
    return Case(
        id=f"{p['trial'].id}-{p['record'].rpartition('/')[2]}",
        vars=base,
        key=key,
        wrong=wrong,
        link=p["record"],
        evidence=p["refs"],
        trial=p["trial"].id,
    )


def _rate_gain(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """Per 100 patients, how many more benefit (or fewer are harmed): the difference in
    rates, against the errors of quoting one arm's rate or a relative reduction."""
    for p, gain in _gains(ev, params):
        base = {**p, "gain": gain}
        key = Choice("key", base | {"points": gain}, value=gain, evidence=p["refs"])
        # The errors of a relative reading: the difference over the comparator's rate, or
        # over the drug's; and, where a hazard ratio is given, 1 - HR as if absolute.
        wrong = [
            Choice("relative-comparator", base | {"points": r}, value=r)
            for r in ([round(100 * gain / p["b"], 1)] if p["b"] > 0 else [])
        ]
        wrong += [
            Choice("drug-rate", base | {"points": p["a"]}, value=p["a"]),
            Choice("comparator-rate", base | {"points": p["b"]}, value=p["b"]),
        ]
        wrong += [
            Choice("relative-drug", base | {"points": r}, value=r)
            for r in ([round(100 * gain / p["a"], 1)] if p["a"] > 0 else [])
        ]
        if p["hr"] is not None:
            rr = relative_reduction(p["hr"])
            wrong.append(Choice("relative", base | {"points": rr, "rr": rr}, value=rr))
        wrong = [c for c in wrong if c.value is not None and c.value <= 100]  # per 100
        yield _pair_case(p, base, key, wrong)


def _nnt(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """Number needed to treat: 100 / the difference in percentage points, rounded up."""
    for p, gain in _gains(ev, params):
        exact = 100 / gain
        nnt = math.ceil(exact - 1e-9)
        # A wrong option equal to the exact value rounded down or to nearest would mark a
        # right calculation wrong.
        rounding = {math.floor(exact), round(exact)}
        base = {**p, "gain": gain, "nnt": nnt}
        key = Choice("key", base | {"n": nnt}, value=nnt, evidence=p["refs"])
        wrong = [Choice("difference-as-nnt", base | {"n": round(gain)}, value=round(gain))]
        # Each error's number, where it is defined (no rate of 0, no HR of 1 or above).
        errors = {
            "one-arm": 100 / p["a"] if p["a"] > 0 else None,
            "comparator-arm": 100 / p["b"] if p["b"] > 0 else None,
            "from-hr": 1 / (1 - p["hr"]) if p["hr"] is not None and p["hr"] < 1 else None,
        }
        for kind, exact_n in errors.items():
            if exact_n is not None:
                n = math.ceil(exact_n - 1e-9)
                wrong.append(Choice(kind, base | {"n": n}, value=n))
        wrong = [c for c in wrong if c.value not in rounding]
        yield _pair_case(p, base, key, wrong)


# --- subgroups of one trial ----------


def _subgroup_value(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """A patient who belongs to one subgroup of a trial, by a case feature (line of
    therapy, a central biomarker result): the result in her subgroup, against the other
    subgroup's and the whole trial's."""
    for trial in ev.trials:
        mine = drug_arm(trial)
        if mine is None or trial.eligibility is None:
            continue
        for e in trial.endpoints:
            if e.arm != mine.id or e.subgroup is None or e.value is None or e.label:
                continue
            sub = next(s for s in trial.subgroups if s.id == e.subgroup)
            if sub.split is None or sub.feature is None or sub.value is None:
                continue
            parts = {s.id: s for s in trial.subgroups if s.split == sub.split}
            siblings = [
                x
                for x in trial.endpoints
                if x.arm == e.arm
                and x.kind == e.kind
                and x.unit == e.unit
                and x.value is not None
                and x.subgroup in set(parts) - {e.subgroup}
                and not x.label
            ]
            overall = endpoint(trial, e.kind, e.arm)
            if not siblings or overall is None or overall.value is None:
                continue
            patient = patient_for(trial) | {sub.feature: sub.value}
            if fit(ev, patient, trial).takes is not True:
                continue
            base = {
                "trial": trial,
                "arm": mine,
                "endpoint": e,
                "subgroup": sub,
                "overall": overall,
                "case": case_text(ev, patient),
            }
            key = Choice(
                "key",
                base | {"value": e.value},
                value=e.value,
                evidence=((rec(trial, e), "value"),),
            )
            wrong = [
                Choice(
                    "sibling", base | {"value": x.value, "other": parts[x.subgroup]}, value=x.value
                )
                for x in siblings
            ]
            wrong.append(Choice("overall", base | {"value": overall.value}, value=overall.value))
            yield Case(
                id=f"{trial.id}-{e.id}",
                vars=base,
                key=key,
                wrong=wrong,
                link=rec(trial, e),
                evidence=(*_eligibility_refs(trial), *key.evidence),
                trial=trial.id,
                patient=patient,
                features=describe(ev, patient),
            )


# --- landmark results ----------


def _landmark(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """The primary results of the phase 3 trials: median with the drug, with the comparator
    and the hazard ratio, against the same numbers for another outcome or trial."""
    pairs = list(_median_pairs(ev))
    rows = [
        p
        for p in pairs
        if p["trial"].phase == "3"
        and p["trial"].status == "completed"
        and p["a"].primary
        and p["hr"] is not None
    ]
    in_rows = {id(p) for p in rows}
    for p in rows:
        trial = p["trial"]
        refs = (
            (rec(trial, p["a"]), "value"),
            (rec(trial, p["b"]), "value"),
            (rec(trial, p["hr"]), "estimate"),
        )
        key = Choice("key", dict(p), evidence=refs)
        wrong = [
            Choice("other-outcome" if q["trial"] is trial else "other-trial", dict(q))
            for q in rows
            if q is not p
        ]
        for q in pairs:
            if (
                q["trial"] is not trial
                and q["trial"].status == "completed"
                and q["hr"] is not None
                and id(q) not in in_rows
                and q["kind"] == p["kind"]
            ):
                wrong.append(Choice("other-trial", dict(q)))
        yield Case(
            id=f"{trial.id}-{p['kind'].lower()}",
            vars=dict(p),
            key=key,
            wrong=wrong,
            link=rec(trial, p["hr"]),
            evidence=refs,
            trial=trial.id,
        )


# --- after the review ----------


def _patient_outside(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """A patient whose trial reported only after the review: the later result that applies
    to her, against the later results of trials that would not have taken her."""
    facts = [f for f in ev.outside if f.trial]
    firsts: dict[str, Any] = {}
    for f in facts:
        firsts.setdefault(f.trial, f)  # a trial's first later fact is its result
    for trial_id, fact in firsts.items():
        trial = ev.trial(trial_id)
        if trial.eligibility is None:
            continue
        others = [ev.trial(t) for t in firsts if t != trial_id]
        patient = set_apart(ev, patient_for(trial), others)
        wrong = []
        for other_id, f in firsts.items():
            if other_id == trial_id:
                continue
            other = ev.trial(other_id)
            verdict = fit(ev, patient, other)
            if verdict.takes is not False:
                continue
            crit = verdict.failed[0]
            feature = ev.feature(crit.feature)
            wrong.append(
                Choice(
                    "ruled-out",
                    {
                        "fact": f,
                        "trial": other,
                        "needs": clause(criterion_phrase(ev, crit), feature),
                        "has": clause(feature.phrase(patient[crit.feature]), feature),
                    },
                )
            )
        pc = PatientCase(trial, patient, [])
        key = Choice(
            "key",
            {"fact": fact, "trial": trial} | _outside_result(ev, fact, trial),
            evidence=((fact.id, "statement"),),
        )
        case = _patient_case(ev, pc, key, wrong, fact.id)
        case.vars |= {"fact": fact}
        yield case


def _outside_result(ev: Evidence, fact: Any, trial: Trial) -> dict[str, Any]:
    """What a later result means for a patient of its trial, in numbers: the drug's arm
    against the comparator (`a`, `b`, their difference `gain`, the hazard ratio `hr`), or,
    for a verdict without figures, the verdict on its outcome and the earlier trial in the
    same setting that had pointed further (`earlier`, `earlier_hr`)."""
    mine, control = drug_arm(trial), control_arm(trial)
    out: dict[str, Any] = {
        "exp": mine,
        "control": control,
        "a": None,
        "b": None,
        "gain": None,
        "hr": None,
        "outcome": fact.endpoint or main_outcome(ev),
        "earlier": None,
        "earlier_hr": None,
        "earlier_control": None,
    }
    if mine and control:
        for a in fact.measurements:
            b = next(
                (
                    m
                    for m in fact.measurements
                    if m.arm == control.id and m.kind == a.kind and m.unit == a.unit
                ),
                None,
            )
            if a.arm == mine.id and a.value is not None and b is not None and b.value is not None:
                hr = next(
                    (m.value for m in fact.measurements if m.unit == "ratio" and m.kind == a.kind),
                    None,
                )
                out |= {"a": a, "b": b, "gain": difference(a.value, b.value), "hr": hr}
                out["outcome"] = a.kind
                break
    if fact.verdict and out["outcome"]:
        earlier = _earlier_trials(ev, trial, out["outcome"])
        if earlier:
            out |= {
                "earlier": earlier[0],
                "earlier_hr": comparison(earlier[0], out["outcome"]),
                "earlier_control": control_arm(earlier[0]),
            }
    return out


def _earlier_trials(ev: Evidence, trial: Trial, outcome: str) -> list[Trial]:
    """Completed trials that would have taken the later trial's patients and report a
    hazard ratio for `outcome`: the earlier evidence its verdict is read against."""
    return [
        t
        for t in ev.trials
        if t.status == "completed"
        and t.eligibility
        and trial.eligibility
        and fit(ev, patient_for(trial), t).takes
        and comparison(t, outcome) is not None
    ]


def _verdict(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """What a later trial's verdict (superior, non-inferior) means for practice, against
    the earlier, smaller trial in the same setting that pointed further."""
    main = main_outcome(ev) or ""
    for fact in ev.outside:
        if fact.verdict is None or fact.trial is None:
            continue
        outcome = fact.endpoint or main
        trial = ev.trial(fact.trial)
        earlier = _earlier_trials(ev, trial, outcome)
        base = {
            "fact": fact,
            "trial": trial,
            "control": control_arm(trial),
            "earlier": earlier[0] if earlier else None,
            "earlier_hr": comparison(earlier[0], outcome) if earlier else None,
            "verdict": fact.verdict,
        }
        key = Choice("key", base | {"claim": fact.verdict}, evidence=((fact.id, "verdict"),))
        claims = ["superior", "non-inferior", "inferior", "equivalent"]
        wrong = [Choice(c, base | {"claim": c}) for c in claims if c != fact.verdict]
        yield Case(
            id=fact.id,
            vars=base,
            key=key,
            wrong=wrong,
            link=fact.id,
            evidence=key.evidence,
            trial=trial.id,
        )


def _claim_check(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """A colleague's claim that a trial showed the drug better: what the hazard ratio and
    its interval support (better, no difference shown), against the readings a learner
    might confuse them with (non-inferiority, harm)."""
    for src in _hr_sources(ev):
        ci = src["ci"]
        truth = "superior" if ci.upper < 1 else ("inferior" if ci.low > 1 else "no-difference")
        base = {**src, "truth": truth}
        key = Choice("key", base | {"claim": truth}, evidence=(src["ref"],))
        claims = ["superior", "no-difference", "non-inferior", "inferior"]
        wrong = [Choice(c, base | {"claim": c}) for c in claims if c != truth]
        yield _source_case(src, base, key, wrong)


def _finding_support(ev: Evidence, params: dict[str, Any]) -> Iterator[Case]:
    """How strong the evidence is that a mechanism matters for the drug: exploratory
    analyses of the drug's own trials, clinical data from other drugs only, or laboratory
    work only."""
    for r in ev.resistance:
        trials = []
        clinical_other: list = []
        lab: list = []
        for f in r.findings:
            study = ev.trials_by_id.get(f.study)
            if study is not None:
                trials.append(study)
                continue
            other = next((s for s in ev.studies if s.id == f.study), None)
            if other is None:
                continue
            (clinical_other if other.kind == "clinical" else lab).append(other)
        if trials:
            truth = "own-trials"
        elif clinical_other:
            truth = "other-drugs"
        elif lab:
            truth = "laboratory"
        else:
            continue
        base = {
            "mechanism": r,
            "trials": _unique(trials),
            "others": _unique(clinical_other),
            "lab": _unique(lab),
            "truth": truth,
        }
        kinds = ["own-trials", "other-drugs", "laboratory", "none"]
        key = Choice("key", base | {"claim": truth}, evidence=((r.id, "findings"),))
        wrong = [Choice(k, base | {"claim": k}) for k in kinds if k != truth]
        yield Case(id=r.id, vars=base, key=key, wrong=wrong, link=r.id, evidence=key.evidence)


def _unique(items: list) -> list:
    seen, out = set(), []
    for x in items:
        if x.id not in seen:
            seen.add(x.id)
            out.append(x)
    return out


RULES: dict[str, Rule] = {
    "patient-trial": Rule(
        frozenset({"ruled-out", "weaker", "broader"}),
        _patient_trial,
        frozenset({"pool", "offer", "phases"}),
    ),
    "patient-result": Rule(
        frozenset({"ruled-out", "weaker", "broader", "no-comparator"}),
        _patient_result,
        frozenset({"comparators_only"}),
    ),
    "exclusion": Rule(
        frozenset({"meets", "no-condition"}), _exclusion, frozenset({"phases", "per_trial"})
    ),
    "patient-level": Rule(
        frozenset({"stronger", "weaker"}), _patient_level, frozenset({"per_answer"})
    ),
    "hazard-ratio": Rule(frozenset({"as-reduction", "reversed", "both"}), _hazard_ratio),
    "ci-reading": Rule(frozenset({"wrong-conclusion", "misread", "both"}), _ci_reading),
    "hr-meaning": Rule(
        frozenset({"absolute", "share-free", "median-ratio"}), _hr_meaning, frozenset({"kinds"})
    ),
    "median-gain": Rule(
        frozenset({"drug-median", "comparator-median", "other-outcome"}),
        _median_gain,
        frozenset({"kinds"}),
    ),
    "response-significance": Rule(
        frozenset({"flip-significance", "reversed", "follows-pfs"}), _response_significance
    ),
    "most-common-event": Rule(
        frozenset({"absent", "less-common"}), _most_common_event, frozenset({"least", "lead"})
    ),
    "pathway-block": Rule(
        frozenset({"earlier", "later", "other-pathway"}),
        _pathway_block,
        frozenset({"route", "beside"}),
    ),
    "pathway-continues": Rule(
        frozenset({"downstream"}), _pathway_block, frozenset({"route", "carry_on"})
    ),
    "finding-route": Rule(frozenset({"other-pathway"}), _finding_route, frozenset({"route"})),
    "biomarker": Rule(frozenset({"comparator-arm", "other-study", "ruled-out"}), _biomarker),
    "design-limit": Rule(
        frozenset({"single-arm", "sequential-cohorts", "open-label-investigator", "subgroup"}),
        _design_limit,
    ),
    "rate-gain": Rule(
        frozenset(
            {"relative-comparator", "relative-drug", "relative", "drug-rate", "comparator-rate"}
        ),
        _rate_gain,
        frozenset({"harm", "harm_kinds"}),
    ),
    "nnt": Rule(
        frozenset({"difference-as-nnt", "one-arm", "comparator-arm", "from-hr"}),
        _nnt,
        frozenset({"harm", "harm_kinds"}),
    ),
    "subgroup-value": Rule(frozenset({"sibling", "overall"}), _subgroup_value),
    "landmark-result": Rule(frozenset({"other-outcome", "other-trial"}), _landmark),
    "patient-outside": Rule(frozenset({"ruled-out"}), _patient_outside),
    "verdict": Rule(frozenset({"superior", "non-inferior", "inferior", "equivalent"}), _verdict),
    "claim-check": Rule(
        frozenset({"superior", "no-difference", "non-inferior", "inferior"}), _claim_check
    ),
    "finding-support": Rule(
        frozenset({"own-trials", "other-drugs", "laboratory", "none"}), _finding_support
    ),
    "dose": Rule(frozenset({"other-mtd", "partner-drug", "starting-dose"}), _dose),
}

__all__ = ["RULES", "Case", "Choice", "Rule", "distinct", "difference"]
