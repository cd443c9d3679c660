"""How a value prints as an option, and what a value is, in words.

Options print through `generator.fmt`, the formatter every page uses, so an option
reads exactly as the evidence page shows the number. `about` says what a value is
("the median PFS with lapatinib + capecitabine in EMILIA"); explanations use it to say
why each distractor is wrong.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .. import fmt
from ..fmt import SETTINGS
from ..model import (
    AdverseEvent,
    Approval,
    Arm,
    Comparison,
    Drug,
    Endpoint,
    Measurement,
    Range,
    Subgroup,
    Trial,
)
from .records import Entry, lookup

KIND_NAMES = {
    "ORR": "objective response rate",
    "CBR": "clinical benefit rate",
    "PFS": "progression-free survival",
    "OS": "overall survival",
    "DoR": "duration of response",
    "pCR": "pathological complete response rate",
    "MTD": "maximum tolerated dose",
    "QoL": "quality-of-life measure",
    "DFS": "disease-free survival",
    "IDFS": "invasive disease-free survival",
    "TTP": "time to progression",
    "CSF": "use of colony-stimulating factors",
    "other": "result",
}
MEDIAN_KINDS = {"PFS", "OS", "DoR", "TTP"}  # time-to-event results are reported as medians


def what(record: Any) -> str:
    """What an endpoint, comparison or measurement measures, in words."""
    if isinstance(record, Endpoint):
        if record.label:
            return record.label
        median = "median " if record.kind in MEDIAN_KINDS else ""
        return median + KIND_NAMES[record.kind]
    if isinstance(record, Comparison):
        return record.label or KIND_NAMES[record.kind]
    if isinstance(record, Measurement):
        return record.label
    return str(record)


# Route names chosen to share no content word with any step title, so that asking
# which route a step belongs to gives no word-repeat cue.
PATHWAYS = {
    "cytotoxic": "The cytotoxic payload route",
    "antibody": "The antibody's own actions",
    "off-target": "The off-target route",
}
ROLES = {
    "antibody": "Antibody",
    "payload": "Cytotoxic payload",
    "linker": "Linker",
}

# The unit a bare number field is counted in, where the record has no `unit` field.
FIELD_UNITS: dict[tuple[type, str], str | None] = {
    (AdverseEvent, "rate"): "%",
    (AdverseEvent, "count"): "patients",
    (Trial, "n"): "patients",
    (Arm, "n"): "patients",
    (Subgroup, "n"): "patients",
    (Endpoint, "numerator"): "patients",
    (Endpoint, "denominator"): "patients",
    (Drug, "half_life_days"): "days",
    (Drug, "drug_to_antibody_ratio"): None,
    (Approval, "year"): None,
}


def parent_and_field(context: dict[str, Any], path: str) -> tuple[Any, str]:
    """The object holding the last field of a context path, and that field's name."""
    head, _, last = path.rpartition(".")
    return (lookup(context, head) if head else None), re.sub(r"\[\d+\]$", "", last)


def unit_of(context: dict[str, Any], path: str, override: str | None = None) -> str | None:
    """The unit of the number at a context path: the blueprint's, the record's, or known."""
    if override is not None:
        return override or None
    parent, name = parent_and_field(context, path)
    if isinstance(parent, Endpoint | Measurement) and name == "value":
        return parent.unit
    if isinstance(parent, Range) and "potency_vs_paclitaxel" in path:
        return "fold"
    return FIELD_UNITS.get((type(parent), name))


def display(context: dict[str, Any], path: str, value: Any, unit: str | None = None) -> str:
    """How the value at a context path reads as an option."""
    parent, name = parent_and_field(context, path)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(parent, Comparison) and name == "estimate" and parent.measure == "HR":
        return fmt.hazard_ratio(value)
    if name == "year" and isinstance(value, int):
        return str(value)
    if isinstance(value, int | float):
        return fmt.quantity(value, unit_of(context, path, unit))
    if name == "phase":
        return f"Phase {value}"
    if name == "setting":
        return SETTINGS.get(value, value)
    if name == "pathway":
        return PATHWAYS.get(value, value)
    if name == "role" and value in ROLES:
        return ROLES[value]
    if name == "grade":
        return fmt.grade(value).capitalize()
    return str(value)


def lower_first(text: str) -> str:
    """ "Lapatinib + capecitabine" -> "lapatinib + capecitabine"; "T-DM1", "HER2-positive" stay."""
    if text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def _arm_phrase(arm: Arm | None, trial: Trial) -> str:
    if arm is None:
        return f"in {trial.name}"
    return f"with {arm.label} in {trial.name}"


def endpoint_about(e: Endpoint, trial: Trial, arm: Arm | None, subgroup: Subgroup | None) -> str:
    text = f"the {what(e)} {_arm_phrase(arm, trial)}"
    if subgroup is not None:
        text += f" ({subgroup.label})"
    return text


def about(entry: Entry, answer: str) -> str:
    """What the value at `answer` on this entry is, in words, for explanations."""
    c = entry.context
    field = answer.rpartition(".")[2]
    if entry.collection == "endpoint":
        return endpoint_about(c["endpoint"], c["trial"], c["arm"], c["subgroup"])
    if entry.collection == "event":
        ae = c["event"]
        return (
            f"the rate of “{ae.term}” ({fmt.grade(ae.grade)}) {_arm_phrase(c['arm'], c['trial'])}"
        )
    if entry.collection == "comparison":
        return f"the hazard ratio for {what(c['comparison'])} in {c['trial'].name}"
    if entry.collection == "measurement":
        study = c["study"]
        where = f" in {study.name}" if study is not None else ""
        return f"the {c['measurement'].label}{where}"
    if entry.collection == "trial":
        trial = c["trial"]
        names = {
            "n": f"the {trial.n_kind} number of patients in {trial.name}",
            "phase": f"the phase of {trial.name}",
            "setting": f"the setting of {trial.name}",
            "nct": f"the registry number of {trial.name}",
            "name": f"a trial in {lower_first(trial.population).rstrip('. ')}",
        }
        return names.get(field, f"the {field} of {trial.name}")
    if entry.collection == "arm":
        arm, trial = c["arm"], c["trial"]
        return f"an arm of {trial.name} ({arm.role})"
    if entry.collection == "step":
        step = c["step"]
        if field == "pathway":
            return f"where “{step.title}” belongs"
        return f"step {step.order} of “{lower_first(PATHWAYS[step.pathway])}”"
    if entry.collection == "component":
        comp = c["component"]
        return f"the {ROLES[comp.role].lower()} of {c['drug'].abbreviation}"
    if entry.collection == "resistance":
        return f"the proposed resistance mechanism “{c['resistance'].name}”"
    if entry.collection == "finding":
        study = c["study"]
        return f"a finding from {study.name if study else c['finding'].study}"
    if entry.collection == "fact":
        return "a result published after the review"
    if entry.collection == "result":
        return f"the {c['result'].label} (after the review)"
    if entry.collection == "term":
        return f"what {c['term'].abbr} stands for"
    if entry.collection == "approval":
        approval = c["approval"]
        indication = re.sub(r"\s*\([^)]*\)", "", approval.indication)
        return f"the year of the {approval.agency} approval for {lower_first(indication)}"
    if entry.collection == "study":
        return f"the study {c['study'].name}"
    return f"the {field.replace('_', ' ')} of {entry.name}"


# --- normalising, for "no two options print the same" --------------------------------------

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Case, spaces and number format folded: "44.0 %" and "44%" compare equal."""

    def number(match: re.Match[str]) -> str:
        return repr(_as_float(match[0]))

    folded = re.sub(r"\s+", " ", text.strip().lower())
    folded = folded.replace(" %", "%")
    return _NUMBER.sub(number, folded)


def _as_float(number: str) -> float:
    return float(number.replace(",", ""))  # "1,092" is printed with a thousands comma


def leading_number(text: str) -> float | None:
    match = _NUMBER.search(text)
    return _as_float(match[0]) if match else None


def numbers_in(text: str) -> list[float]:
    """Every number printed in `text`, in order."""
    return [_as_float(n) for n in _NUMBER.findall(text)]
