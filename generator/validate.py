"""Rules that span records: unique ids, references that resolve, sizes that add up.

Each rule yields (loc, message) pairs; the caller turns locs into file:line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from .loader import Loc
from .model import Evidence, SourceRef, Trial
from .pack import Vocabulary

Issue = tuple[Loc, str]


def entity_index(ev: Evidence) -> dict[str, Loc]:
    """Every addressable record by its global name, e.g. `trial-a` or `trial-a/pfs-drug`.

    Discrepancies, quiz evidence paths and page anchors all use these names.
    """
    index: dict[str, Loc] = {ev.drug.id: ("drug",)}
    for i, step in enumerate(ev.mechanism):
        index[step.id] = ("mechanism", i)
    for i, trial in enumerate(ev.trials):
        index[trial.id] = ("trials", i)
        for part in ("arms", "subgroups", "endpoints", "comparisons", "adverse_events"):
            for j, child in enumerate(getattr(trial, part)):
                index[f"{trial.id}/{child.id}"] = ("trials", i, part, j)
    for i, study in enumerate(ev.studies):
        index[study.id] = ("studies", i)
    for i, mech in enumerate(ev.resistance):
        index[mech.id] = ("resistance", i)
        for j, finding in enumerate(mech.findings):
            index[finding.id] = ("resistance", i, "findings", j)
    for i, item in enumerate(ev.background):
        index[item.id] = ("background", i)
    for i, fact in enumerate(ev.outside):
        index[fact.id] = ("outside", i)
    for i, term in enumerate(ev.glossary):
        index[f"glossary/{term.abbr}"] = ("glossary", i)
    return index


def check(ev: Evidence, vocabulary: Vocabulary | None = None) -> list[Issue]:
    """Every cross-record problem; `vocabulary`: the pack's (default: the one `ev` carries)."""
    vocabulary = vocabulary or ev.vocabulary
    return [
        *_vocabulary_words(ev, vocabulary),
        *_unique_ids(ev),
        *_trial_rules(ev),
        *_study_references(ev),
        *_source_references(ev),
        *_discrepancy_subjects(ev),
        *_eligibility_features(ev),
        *_step_needs(ev),
    ]


def _vocabulary_words(ev: Evidence, vocabulary: Vocabulary) -> Iterator[Issue]:
    """Settings, pathways and component roles are the pack's words (pack.yaml vocabulary)."""

    def unknown(value: str, words: dict[str, str], what: str) -> str:
        listed = ", ".join(words)
        return f"{value!r} is not one of the pack's {what} (pack.yaml vocabulary: {listed})"

    settings, pathways, roles = (
        vocabulary.settings,
        vocabulary.pathways,
        vocabulary.component_roles,
    )
    for i, trial in enumerate(ev.trials):
        if trial.setting not in settings:
            yield ("trials", i, "setting"), unknown(trial.setting, settings, "settings")
    for i, step in enumerate(ev.mechanism):
        if step.pathway not in pathways:
            yield ("mechanism", i, "pathway"), unknown(step.pathway, pathways, "pathways")
    for i, part in enumerate(ev.drug.components):
        if part.role not in roles:
            yield ("drug", "components", i, "role"), unknown(part.role, roles, "component roles")


def _duplicates(items: list[tuple[Loc, str]], what: str) -> Iterator[Issue]:
    counts = Counter(key for _, key in items)
    for loc, key in items:
        if counts[key] > 1:
            yield loc, f"duplicate {what} {key!r}"


def _unique_ids(ev: Evidence) -> Iterator[Issue]:
    top: list[tuple[Loc, str]] = [(("drug", "id"), ev.drug.id)]
    top += [(("mechanism", i, "id"), s.id) for i, s in enumerate(ev.mechanism)]
    top += [(("trials", i, "id"), t.id) for i, t in enumerate(ev.trials)]
    top += [(("studies", i, "id"), s.id) for i, s in enumerate(ev.studies)]
    top += [(("resistance", i, "id"), r.id) for i, r in enumerate(ev.resistance)]
    top += [
        (("resistance", i, "findings", j, "id"), f.id)
        for i, r in enumerate(ev.resistance)
        for j, f in enumerate(r.findings)
    ]
    top += [(("background", i, "id"), b.id) for i, b in enumerate(ev.background)]
    top += [(("outside", i, "id"), o.id) for i, o in enumerate(ev.outside)]
    yield from _duplicates(top, "id")
    yield from _duplicates(
        [(("discrepancies", i, "id"), d.id) for i, d in enumerate(ev.discrepancies)], "id"
    )
    yield from _duplicates(
        [(("glossary", i, "abbr"), g.abbr) for i, g in enumerate(ev.glossary)], "abbreviation"
    )
    # The glossary page's ids are lower-case (links.anchor): "IDFS" and "iDFS" would
    # share one id, and a link to either would land on the first.
    yield from _duplicates(
        [(("glossary", i, "abbr"), g.abbr.lower()) for i, g in enumerate(ev.glossary)],
        "abbreviation, ignoring case (one page id),",
    )
    yield from _duplicates(
        [
            (("source", "references", i, "number"), str(r.number))
            for i, r in enumerate(ev.source.references)
        ],
        "reference number",
    )
    steps = [
        (("mechanism", i, "order"), f"{s.pathway} #{s.order}") for i, s in enumerate(ev.mechanism)
    ]
    yield from _duplicates(steps, "step order")
    for i, trial in enumerate(ev.trials):
        for part in ("arms", "subgroups", "endpoints", "comparisons", "adverse_events"):
            yield from _duplicates(
                [(("trials", i, part, j, "id"), c.id) for j, c in enumerate(getattr(trial, part))],
                f"{part[:-1].replace('_', ' ')} id",
            )


def _trial_rules(ev: Evidence) -> Iterator[Issue]:
    for i, trial in enumerate(ev.trials):
        yield from _trial_references(("trials", i), trial)
        yield from _trial_sizes(("trials", i), trial)


def _trial_references(at: Loc, trial: Trial) -> Iterator[Issue]:
    arms = {a.id for a in trial.arms}
    subgroups = {s.id for s in trial.subgroups}

    def missing(kind: str, value: str, known: set[str]) -> str:
        listed = ", ".join(sorted(known)) or "none defined"
        return f"no {kind} {value!r} in trial {trial.id!r} (known: {listed})"

    for j, ep in enumerate(trial.endpoints):
        if ep.arm is not None and ep.arm not in arms:
            yield at + ("endpoints", j, "arm"), missing("arm", ep.arm, arms)
        if ep.subgroup is not None and ep.subgroup not in subgroups:
            yield at + ("endpoints", j, "subgroup"), missing("subgroup", ep.subgroup, subgroups)
    for j, cmp in enumerate(trial.comparisons):
        for end in ("experimental", "control"):
            arm = getattr(cmp, end)
            if arm not in arms:
                yield at + ("comparisons", j, end), missing("arm", arm, arms)
        if cmp.subgroup is not None and cmp.subgroup not in subgroups:
            yield at + ("comparisons", j, "subgroup"), missing("subgroup", cmp.subgroup, subgroups)
    for j, ae in enumerate(trial.adverse_events):
        if ae.arm is not None and ae.arm not in arms:
            yield at + ("adverse_events", j, "arm"), missing("arm", ae.arm, arms)


def _trial_sizes(at: Loc, trial: Trial) -> Iterator[Issue]:
    total = sum(a.n or 0 for a in trial.arms)
    if total > trial.n:
        yield at + ("arms",), f"arm sizes add up to {total}, more than the trial's n of {trial.n}"
    for j, sub in enumerate(trial.subgroups):
        if sub.n is not None and sub.n > trial.n:
            yield at + ("subgroups", j, "n"), f"subgroup n {sub.n} exceeds the trial's n {trial.n}"
    for j, ep in enumerate(trial.endpoints):
        if ep.denominator is not None and ep.denominator > trial.n:
            yield (
                at + ("endpoints", j, "denominator"),
                f"denominator {ep.denominator} exceeds the trial's n {trial.n}",
            )


def _study_references(ev: Evidence) -> Iterator[Issue]:
    studies = {t.id for t in ev.trials} | {s.id for s in ev.studies}
    for i, mech in enumerate(ev.resistance):
        for j, finding in enumerate(mech.findings):
            if finding.study not in studies:
                yield (
                    ("resistance", i, "findings", j, "study"),
                    f"no trial or study {finding.study!r}",
                )
    trials = {t.id for t in ev.trials}
    for i, fact in enumerate(ev.outside):
        if fact.trial is not None and fact.trial not in trials:
            yield ("outside", i, "trial"), f"no trial {fact.trial!r}"


def walk_sources(value, loc: Loc = ()) -> Iterator[tuple[Loc, SourceRef]]:
    """Every SourceRef inside `value` (a model record, a list, the whole evidence), with
    its location; the one walk the validator and the pages' citation counts share."""
    if isinstance(value, SourceRef):
        yield loc, value
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from walk_sources(item, loc + (i,))
    elif hasattr(value, "__pydantic_fields__"):
        for name in type(value).model_fields:
            yield from walk_sources(getattr(value, name), loc + (name,))


def _source_references(ev: Evidence) -> Iterator[Issue]:
    numbers = {r.number for r in ev.source.references}
    for loc, ref in walk_sources(ev, ()):
        if ref.ref is not None and ref.ref not in numbers:
            yield loc + ("ref",), f"reference {ref.ref} is not listed in source.references"


def _discrepancy_subjects(ev: Evidence) -> Iterator[Issue]:
    index = entity_index(ev)
    for i, disc in enumerate(ev.discrepancies):
        for j, subject in enumerate(disc.subjects):
            if subject not in index:
                yield ("discrepancies", i, "subjects", j), f"no record named {subject!r}"


def _step_needs(ev: Evidence) -> Iterator[Issue]:
    steps = {s.id for s in ev.mechanism}
    for i, step in enumerate(ev.mechanism):
        for j, need in enumerate(step.needs):
            if need not in steps:
                yield ("mechanism", i, "needs", j), f"no mechanism step {need!r}"


def _eligibility_features(ev: Evidence) -> Iterator[Issue]:
    """Every criterion names a known case feature and a value that feature can take."""
    features = {f.id: f for f in ev.case_features}
    yield from _duplicates(
        [(("case_features", i, "id"), f.id) for i, f in enumerate(ev.case_features)], "id"
    )
    for i, trial in enumerate(ev.trials):
        for j, sub in enumerate(trial.subgroups):
            at = ("trials", i, "subgroups", j)
            if (sub.feature is None) != (sub.value is None):
                yield at + ("feature",), "give 'feature' and 'value' together"
            elif sub.feature is not None and sub.feature not in features:
                yield at + ("feature",), f"no case feature {sub.feature!r}"
            elif sub.feature is not None:
                feature = features[sub.feature]
                values = {v.value for v in feature.values if not v.contrast}
                if feature.count is not None or sub.value not in values:
                    listed = ", ".join(sorted(values)) or "none: it is a count"
                    yield (
                        at + ("value",),
                        f"{sub.value!r} is not a value of {sub.feature!r} ({listed})",
                    )
        if trial.eligibility is None:
            continue
        for j, name in enumerate(trial.eligibility.open):
            if name not in features:
                yield ("trials", i, "eligibility", "open", j), f"no case feature {name!r}"
        for j, crit in enumerate(trial.eligibility.criteria):
            at = ("trials", i, "eligibility", "criteria", j)
            feature = features.get(crit.feature)
            if feature is None:
                known = ", ".join(sorted(features)) or "none defined"
                yield at + ("feature",), f"no case feature {crit.feature!r} (known: {known})"
            elif crit.min is not None and feature.count is None:
                yield at + ("min",), f"{crit.feature!r} is a choice, not a count: use 'value'"
            elif crit.value is not None:
                values = {v.value for v in feature.values if not v.contrast}
                if crit.value not in values:
                    listed = ", ".join(sorted(values)) or "none: it is a count, use 'min'"
                    yield (
                        at + ("value",),
                        f"{crit.value!r} is not a value of {crit.feature!r} ({listed})",
                    )
