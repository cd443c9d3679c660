"""Selections over the evidence that pages show: records in page order, labels, tables
of outcomes and adverse events, citations. Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import fmt, links
from ..model import (
    AdverseEvent,
    Arm,
    Comparison,
    Endpoint,
    Evidence,
    Measurement,
    MechanismStep,
    Trial,
)
from ..render import abbreviation
from ..validate import walk_sources

if TYPE_CHECKING:
    from .site import Site

# How the model's enum values read on a page (vocabulary, not evidence). Settings,
# pathways and component roles are the pack's words: their labels and order come from
# its vocabulary, which the evidence carries (`Evidence.vocabulary`).
PHASES = {"preclinical": "preclinical"}
GRADE3_PLUS = {"3", "4", "5", "3-4", "3+"}
ABBREVIATIONS = "abbreviations.md"  # under generated/, appended to every page by snippets


def phase_label(phase: str) -> str:
    return PHASES.get(phase, f"phase {phase}")


# --- page-specific selections ------------------------------------------------------------


def record_label(ev: Evidence, name: str) -> str:
    """What a reader calls a record (never its internal id where a name exists)."""
    try:
        kind = links.record_kind(name, ev)
    except KeyError:
        return name
    if kind == "trial":
        return _trial_record_label(ev, name)
    if kind == "glossary":
        return name.partition("/")[2]
    if kind == "drug":
        return ev.drug.abbreviation
    if kind == "finding":
        finding = next(f for r in ev.resistance for f in r.findings if f.id == name)
        return f"{study_name(ev, finding.study)} finding"
    if kind == "outside":
        return "after the review"
    records = {
        "mechanism": ((s.id, s.title) for s in ev.mechanism),
        "study": ((s.id, s.name) for s in ev.studies),
        "resistance": ((r.id, r.name) for r in ev.resistance),
        "background": ((b.id, b.title) for b in ev.background),
    }.get(kind, ())
    return next((label for rid, label in records if rid == name), name)


def _trial_record_label(ev: Evidence, name: str) -> str:
    head, _, child = name.partition("/")
    trial = ev.trials_by_id[head]
    if not child:
        return trial.name
    for arm in trial.arms:
        if arm.id == child:
            return f"{trial.name}: {arm.label} arm"
    for sg in trial.subgroups:
        if sg.id == child:
            return f"{trial.name}: {sg.label}"
    arms = {a.id: a.label for a in trial.arms}
    groups = {g.id: g.label for g in trial.subgroups}
    for ep in trial.endpoints:
        if ep.id == child:
            parts = [ep.kind, arms.get(ep.arm or "", ""), groups.get(ep.subgroup or "", "")]
            return f"{trial.name}: " + ", ".join(p for p in parts if p)
    for c in trial.comparisons:
        if c.id == child:
            parts = [f"{c.kind} comparison", groups.get(c.subgroup or "", "")]
            return f"{trial.name}: " + ", ".join(p for p in parts if p)
    for ae in trial.adverse_events:
        if ae.id == child:
            return f"{trial.name}: {ae.term}, {fmt.grade(ae.grade)}, {arms.get(ae.arm, '')}"
    return name


def completed_trials(ev: Evidence) -> list[Trial]:
    return sorted((t for t in ev.trials if t.status == "completed"), key=development_order)


def ongoing_by_setting(ev: Evidence) -> list[tuple[str, list[Trial]]]:
    groups: dict[str, list[Trial]] = defaultdict(list)
    for trial in sorted((t for t in ev.trials if t.status == "ongoing"), key=development_order):
        groups[trial.setting].append(trial)
    return [(s, groups[s]) for s in ev.vocabulary.settings if s in groups]


def development_order(trial: Trial) -> tuple[int, str]:
    return trial.development_order, trial.id


def steps(ev: Evidence, pathway: str) -> list[MechanismStep]:
    return sorted((s for s in ev.mechanism if s.pathway == pathway), key=lambda s: s.order)


@dataclass(frozen=True)
class Pathway:
    """A pathway of the vocabulary that has steps, as the mechanism page shows it."""

    id: str
    label: str
    anchor: str  # its section's id where a page links to it (a slug of its label)
    adverse: bool  # a route to an adverse event, not to the drug's effect


def pathways(ev: Evidence) -> list[Pathway]:
    """The pathways with steps, in the vocabulary's order. The first that is not adverse
    is the drug's main route: its lane is drawn emphasised."""
    vocabulary = ev.vocabulary
    return [
        Pathway(key, label, _slug(label) or key, key in vocabulary.adverse_pathways)
        for key, label in vocabulary.pathways.items()
        if steps(ev, key)
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class CrossTrialRow:
    trial: Trial
    cells: dict[str, list[str]]


def cross_trial_rows(ev: Evidence, site: Site) -> list[CrossTrialRow]:
    """ORR / PFS / OS of each completed trial per arm, with the HR."""
    rows = []
    for trial in completed_trials(ev):
        cells: dict[str, list[str]] = {}
        for kind in ("ORR", "PFS", "OS"):
            chosen = [e for e in trial.endpoints if e.kind == kind]
            # The whole population where the review gives it, else what it gives, named.
            overall = [e for e in chosen if e.subgroup is None and e.label is None]
            values = [
                f"{site.arm_label(trial, e.arm)}{_qualifier(trial, e, site)}: "
                f"{fmt.endpoint_value(e)}"
                for e in (overall or chosen)
            ]
            values += [
                f"HR {fmt.comparison_value(c)}" + (f", P {fmt.p_value(c.p)}" if c.p else "")
                for c in trial.comparisons
                if c.kind == kind and c.measure == "HR" and c.subgroup is None
            ]
            cells[kind] = values
        if any(cells.values()):
            rows.append(CrossTrialRow(trial, cells))
    return rows


def _qualifier(trial: Trial, ep: Endpoint, site: Site) -> str:
    named = [site.subgroup_label(trial, ep.subgroup)] if ep.subgroup else []
    named += [ep.label] if ep.label else []
    return f" ({'; '.join(named)})" if named else ""


def hazard_ratios(ev: Evidence) -> list[tuple[Trial, Comparison]]:
    return [
        (t, c)
        for t in sorted(ev.trials, key=development_order)
        for c in t.comparisons
        if c.measure == "HR" and c.estimate is not None
    ]


@dataclass(frozen=True)
class FindingRatio:
    finding_id: str
    study: str  # display name
    label: str  # "PFS (biomarker expression level: high)"
    measurement: Measurement
    subgroup: str  # "biomarker expression level: high"


def finding_ratios(ev: Evidence) -> list[FindingRatio]:
    """Hazard ratios the review reports inside resistance findings (subgroup analyses)."""
    return [
        FindingRatio(
            finding_id=f.id,
            study=study_name(ev, f.study),
            label=f"{m.kind or 'HR'} ({mech.name}: {m.group})" if m.group else m.kind or m.label,
            measurement=m,
            subgroup=f"{mech.name}: {m.group}" if m.group else m.label,
        )
        for mech in ev.resistance
        for f in mech.findings
        for m in f.measurements
        if m.unit == "ratio" and m.value is not None
    ]


# Arms as columns: the treatment under test first, its comparator after it.
ROLE_ORDER = ("experimental", "single", "cohort", "control")


def arm_columns(trial: Trial, used: set[str | None]) -> list[Arm]:
    """The trial's arms that hold a value, in ROLE_ORDER, then "All patients" for values
    the review gives for the whole trial (arm None, column id "all")."""
    arms = sorted((a for a in trial.arms if a.id in used), key=lambda a: ROLE_ORDER.index(a.role))
    if None in used:
        arms.append(Arm(id="all", label="All patients", role="single"))
    return arms


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome of one population: each arm's value side by side, then the effect."""

    kind: str
    label: str | None
    subgroup: str | None
    primary: bool
    cells: dict[str, list[Endpoint]]  # column (arm id, or "all") -> values
    comparisons: list[Comparison]


@dataclass(frozen=True)
class OutcomeTable:
    arms: list[Arm]
    rows: list[OutcomeRow]
    effects: bool  # any row has a between-arm comparison


def outcome_table(trial: Trial) -> OutcomeTable:
    """A trial's endpoints and comparisons as one row per outcome, arms side by side.
    A comparison joins the row of its outcome, label and population; failing that, the
    only row of its outcome and population (the review may word the label differently)."""
    rows: dict[tuple, OutcomeRow] = {}
    for ep in trial.endpoints:
        key = (ep.kind, ep.label, ep.subgroup)
        if key not in rows:
            rows[key] = OutcomeRow(ep.kind, ep.label, ep.subgroup, False, defaultdict(list), [])
        row = rows[key]
        if ep.primary and not row.primary:
            rows[key] = row = OutcomeRow(*key, True, row.cells, row.comparisons)
        row.cells[ep.arm or "all"].append(ep)
    for c in trial.comparisons:
        key = (c.kind, c.label, c.subgroup)
        if key not in rows:
            same = [k for k in rows if (k[0], k[2]) == (c.kind, c.subgroup)]
            if len(same) == 1:
                key = same[0]
            else:
                rows[key] = OutcomeRow(c.kind, c.label, c.subgroup, False, {}, [])
        rows[key].comparisons.append(c)
    arms = arm_columns(trial, {ep.arm for ep in trial.endpoints})
    return OutcomeTable(arms, list(rows.values()), bool(trial.comparisons))


@dataclass(frozen=True)
class GradeTable:
    trial: Trial
    arms: list[Arm]
    rows: list[tuple[str, str, dict[str, AdverseEvent]]]  # (term, grade, arm id -> event)


def adverse_event_table(trial: Trial) -> GradeTable:
    """A trial's adverse events, one row per event and grade, arms side by side."""
    rows: dict[tuple[str, str], dict[str, AdverseEvent]] = {}
    for ae in trial.adverse_events:
        rows.setdefault((ae.term, ae.grade), {})[ae.arm or "all"] = ae
    arms = arm_columns(trial, {ae.arm for ae in trial.adverse_events})
    return GradeTable(trial, arms, [(t, g, c) for (t, g), c in rows.items()])


def adverse_event_tables(ev: Evidence) -> list[GradeTable]:
    return [
        adverse_event_table(t) for t in sorted(ev.trials, key=development_order) if t.adverse_events
    ]


@dataclass(frozen=True)
class ProfileEntry:
    where: str  # the trial, and the arm where several arms received the drug
    grade: str
    value: str


def adverse_event_profile(ev: Evidence) -> list[tuple[str, list[ProfileEntry]]]:
    """Adverse events reported with the drug in more than one trial, most widely reported first,
    each with one entry per trial arm and grade. Terms match when equal apart from case and
    a parenthesised qualifier, e.g. "thrombocytopenia (dose-limiting)"."""
    groups: dict[str, list[tuple[Trial, AdverseEvent]]] = defaultdict(list)
    for trial in sorted(ev.trials, key=development_order):
        roles = {a.id: a.role for a in trial.arms}
        for ae in trial.adverse_events:
            if roles.get(ae.arm or "") != "control":
                groups[re.sub(r"\s*\(.*?\)", "", ae.term).strip().lower()].append((trial, ae))
    shared = [(term, rows) for term, rows in groups.items() if len({t.id for t, _ in rows}) > 1]
    shared.sort(key=lambda item: (-len({t.id for t, _ in item[1]}), item[0]))
    return [
        (
            term,
            [
                ProfileEntry(arm_name(t, ae.arm), fmt.grade(ae.grade), fmt.adverse_event_value(ae))
                for t, ae in rows
            ],
        )
        for term, rows in shared
    ]


def study_name(ev: Evidence, study: str) -> str:
    trial = ev.trials_by_id.get(study)
    if trial:
        return trial.name
    return next(s.name for s in ev.studies if s.id == study)


def abbreviations(ev: Evidence) -> str:
    """Markdown abbreviation definitions: tooltips for every glossary term on every page."""
    lines = []
    for term in sorted(ev.glossary, key=lambda g: g.abbr):
        line = abbreviation(term.abbr, term.expansion)  # None: no tooltip, no raw text
        if line:
            lines.append(line)
    return "\n" + "\n".join(lines) + "\n"


def citations(ev: Evidence) -> dict[int, int]:
    """How many facts cite each of the review's reference numbers."""
    counts: dict[int, int] = defaultdict(int)
    for _, src in walk_sources(ev):
        if src.ref is not None:
            counts[src.ref] += 1
    return dict(counts)


def arm_name(trial: Trial, arm_id: str | None) -> str:
    """The trial's name, with the arm's label where several arms received the drug."""
    treated = [a for a in trial.arms if a.role != "control"]
    arm = next((a for a in treated if a.id == arm_id), None)
    return f"{trial.name}, {arm.label}" if arm and len(treated) > 1 else trial.name
