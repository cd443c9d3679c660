"""Patients built from trial eligibility, and which trials would take them.

A case is a set of features (the pack's `case_features` vocabulary) with values. A trial
takes a patient when every one of its eligibility criteria admits her value; a known
value that a criterion rejects rules her out; a feature the case does not give leaves
the trial undecided, and an item never leans on an undecided trial. Pure functions of
the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import CaseFeature, Criterion, Evidence, Trial

Patient = dict[str, str | int]

# How strongly a trial's design lets its result guide a patient, as the item models'
# "strength of evidence" problem ranks it: randomised phase 3 above randomised phase 2,
# above single-arm or non-randomised studies, above a dose-finding phase 1; a trial with
# no result yet gives none.
PHASE_3, RANDOMISED_2, SINGLE_ARM, DOSE_FINDING, NO_RESULT = 4, 3, 2, 1, 0


def evidence_level(trial: Trial) -> int:
    if trial.status != "completed":
        return NO_RESULT
    if trial.phase == "3" and trial.design.randomised:
        return PHASE_3
    if trial.design.randomised:
        return RANDOMISED_2
    if trial.phase in ("1", "1b"):
        return DOSE_FINDING
    return SINGLE_ARM


def admits(feature: CaseFeature, criterion: Criterion, value: str | int | None) -> bool | None:
    """True or False for a known value; None when the case does not settle it."""
    if value is None:
        return None
    if criterion.min is not None:
        return isinstance(value, int) and value >= criterion.min
    if criterion.value in feature.implied(value):
        return True
    if value in feature.implied(criterion.value):
        return None  # she has the broader value: the narrower one is not known
    return False


@dataclass(frozen=True)
class Fit:
    """How a trial's entry criteria meet a patient."""

    trial: Trial
    takes: bool | None  # True: every criterion met; False: one rules her out; None: unknown
    failed: tuple[Criterion, ...] = ()  # criteria her known values break
    met: int = 0  # criteria met: more means the trial was designed for patients like her


def fit(ev: Evidence, patient: Patient, trial: Trial) -> Fit:
    if trial.eligibility is None:
        return Fit(trial, None)
    failed, met = [], 0
    unknown = any(_beyond(ev, f, patient.get(f)) for f in trial.eligibility.open)
    for crit in trial.eligibility.criteria:
        verdict = admits(ev.feature(crit.feature), crit, patient.get(crit.feature))
        if verdict is False:
            failed.append(crit)
        elif verdict is None:
            unknown = True
        else:
            met += 1
    takes = False if failed else (None if unknown else True)
    return Fit(trial, takes, tuple(failed), met)


def _beyond(ev: Evidence, feature_id: str, value: str | int | None) -> bool:
    """Whether a patient's value for a feature the trial's sources are silent on might have
    kept her out: a treatment she has had, or more than one regimen. Lacking it (a
    contrast value, a single regimen) cannot: the sources would have said it was needed."""
    if value is None:
        return False
    feature = ev.feature(feature_id)
    if feature.count is not None:
        return isinstance(value, int) and value > 1
    return not any(v.value == value and v.contrast for v in feature.values)


def patient_for(trial: Trial) -> Patient:
    """The patient a trial's criteria describe: each criterion's value, a count at its minimum."""
    assert trial.eligibility is not None
    return {
        c.feature: (c.min if c.min is not None else c.value)  # type: ignore[misc]
        for c in trial.eligibility.criteria
    }


def set_apart(ev: Evidence, patient: Patient, others: list[Trial]) -> Patient:
    """Add contrast values (never a value any trial asks for) to rule out the trials that
    would otherwise stay undecided, so that a case leans only on what it states."""
    patient = dict(patient)
    for trial in others:
        if fit(ev, patient, trial).takes is not None or trial.eligibility is None:
            continue
        # A count just short of the minimum first ("1 regimen" against "at least 2"):
        # it says the least about the patient beyond what rules the trial out.
        open_criteria = sorted(
            (c for c in trial.eligibility.criteria if c.feature not in patient),
            key=lambda c: c.min is None,
        )
        for crit in open_criteria:
            if crit.min is not None and crit.min > 1:
                patient[crit.feature] = crit.min - 1
                break
            contrast = [v.value for v in ev.feature(crit.feature).values if v.contrast]
            if contrast:
                patient[crit.feature] = contrast[0]
                break
    return patient


def describe(ev: Evidence, patient: Patient) -> dict[str, str]:
    """The case as printed: feature label -> phrase, in the vocabulary's order."""
    return {f.label: f.phrase(patient[f.id]) for f in ev.case_features if f.id in patient}


VERBS = ("has", "had", "progressed", "is", "was")


def clause(phrase: str, feature: CaseFeature) -> str:
    """A phrase as what a patient has or has had: "has a hormone receptor-positive tumour",
    "has had at least 2 targeted regimens"."""
    if feature.count is not None:
        return f"has had {phrase}"
    return phrase if phrase.split(" ", 1)[0] in VERBS else f"has {phrase}"


def case_text(ev: Evidence, patient: Patient) -> str:
    """One sentence of the case: who (the pack's `case_subject`, "A woman") with what
    (extent of disease, tumour features), then what she has had. Count features print as
    "has had N ..."."""
    nouns: list[str] = []
    verbs: list[str] = []
    for feature in ev.case_features:
        if feature.id not in patient:
            continue
        phrase = feature.phrase(patient[feature.id])
        if feature.count is not None:
            verbs.append(f"has had {phrase}")
        elif phrase.split(" ", 1)[0] in VERBS:
            verbs.append(phrase)
        else:
            nouns.append(phrase)
    if not nouns:
        return ""
    text = f"{ev.case_subject} with {_join(nouns)}"
    if verbs:
        text += " " + _join(verbs)
    return text + "."


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def criterion_phrase(ev: Evidence, crit: Criterion) -> str:
    """What a criterion asks for, in the case's words ("has received drug X")."""
    feature = ev.feature(crit.feature)
    if crit.min is not None:
        assert feature.count is not None
        return "at least " + feature.count.replace("{n}", str(crit.min))
    return feature.phrase(crit.value)  # type: ignore[arg-type]
