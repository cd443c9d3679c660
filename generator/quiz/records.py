"""The model objects a blueprint can select, each with its global name and its context.

A blueprint says `select: endpoint`; this module turns the Evidence model into the list
of endpoints, each wrapped as an `Entry` that knows its record's global name (the name
`validate.entity_index` gives, so quiz evidence and page anchors agree), the path from
that record to the object, and the neighbours a question needs (its trial, its arm...).
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from ..model import (
    AdverseEvent,
    Approval,
    Arm,
    BackgroundItem,
    Comparison,
    Component,
    Drug,
    Endpoint,
    Evidence,
    Finding,
    GlossaryTerm,
    Measurement,
    MechanismStep,
    OutsideFact,
    ResistanceMechanism,
    Study,
    Subgroup,
    Trial,
)


@dataclass(frozen=True)
class Entry:
    """One selectable object and its neighbours, each addressable in the Evidence model.

    `context` maps names (`endpoint`, `trial`, `arm`...) to objects; `names` maps the same
    names to (global record name, path from that record to the object), so any value a
    blueprint reads through a context path can be cited as evidence.
    """

    collection: str
    context: dict[str, Any] = field(hash=False, compare=False)
    names: dict[str, tuple[str, str]] = field(hash=False, compare=False)

    @property
    def name(self) -> str:
        """The global record name of the selected object (or of the record holding it)."""
        return self.names[self.collection][0]

    @property
    def key(self) -> str:
        """The entity part of an item id: stable while the content keeps its ids."""
        record, prefix = self.names[self.collection]
        return f"{record}.{prefix}" if prefix else record

    def evidence(self, path: str) -> tuple[str, str] | None:
        """(record name, field path inside it) of a context path such as `trial.n`."""
        head, _, rest = path.partition(".")
        if head not in self.names:
            return None
        record, prefix = self.names[head]
        inner = ".".join(p for p in (prefix, rest) if p)
        return record, inner

    def value(self, path: str) -> Any:
        return lookup(self.context, path)


def _entry(collection: str, context: dict[str, Any], names: dict[str, tuple[str, str]]) -> Entry:
    return Entry(
        collection, context, {k: v for k, v in names.items() if context.get(k) is not None}
    )


@dataclass(frozen=True)
class Collection:
    """A kind of selectable object: the classes of its context names, and how to list it."""

    variables: dict[str, tuple[type, ...]]
    entries: Callable[[Evidence], list[Entry]]


def _arm(trial: Trial, arm_id: str | None) -> Arm | None:
    return next((a for a in trial.arms if a.id == arm_id), None)


def _subgroup(trial: Trial, subgroup_id: str | None) -> Subgroup | None:
    return next((s for s in trial.subgroups if s.id == subgroup_id), None)


def _first_arm(trial: Trial, role: str) -> Arm | None:
    return next((a for a in trial.arms if a.role == role), None)


def _trial_names(t: Trial, **arms: Arm | None) -> dict[str, tuple[str, str]]:
    names = {"trial": (t.id, "")}
    names.update({k: (f"{t.id}/{a.id}", "") for k, a in arms.items() if a is not None})
    return names


def _trials(ev: Evidence) -> list[Entry]:
    out = []
    for t in ev.trials:
        experimental, control = _first_arm(t, "experimental"), _first_arm(t, "control")
        context = {"trial": t, "experimental": experimental, "control": control}
        out.append(
            _entry("trial", context, _trial_names(t, experimental=experimental, control=control))
        )
    return out


def _arms(ev: Evidence) -> list[Entry]:
    return [
        _entry("arm", {"arm": a, "trial": t}, _trial_names(t, arm=a))
        for t in ev.trials
        for a in t.arms
    ]


def _endpoints(ev: Evidence) -> list[Entry]:
    out = []
    for t in ev.trials:
        for e in t.endpoints:
            arm, subgroup = _arm(t, e.arm), _subgroup(t, e.subgroup)
            names = _trial_names(t, arm=arm) | {"endpoint": (f"{t.id}/{e.id}", "")}
            if subgroup is not None:
                names["subgroup"] = (f"{t.id}/{subgroup.id}", "")
            context = {"endpoint": e, "trial": t, "arm": arm, "subgroup": subgroup}
            out.append(_entry("endpoint", context, names))
    return out


def _comparisons(ev: Evidence) -> list[Entry]:
    out = []
    for t in ev.trials:
        for c in t.comparisons:
            experimental, control = _arm(t, c.experimental), _arm(t, c.control)
            subgroup = _subgroup(t, c.subgroup)
            names = _trial_names(t, experimental=experimental, control=control)
            names["comparison"] = (f"{t.id}/{c.id}", "")
            if subgroup is not None:
                names["subgroup"] = (f"{t.id}/{subgroup.id}", "")
            context = {
                "comparison": c,
                "trial": t,
                "experimental": experimental,
                "control": control,
                "subgroup": subgroup,
            }
            out.append(_entry("comparison", context, names))
    return out


def _events(ev: Evidence) -> list[Entry]:
    out = []
    for t in ev.trials:
        for a in t.adverse_events:
            arm = _arm(t, a.arm)
            names = _trial_names(t, arm=arm) | {"event": (f"{t.id}/{a.id}", "")}
            out.append(_entry("event", {"event": a, "trial": t, "arm": arm}, names))
    return out


def _steps(ev: Evidence) -> list[Entry]:
    out = []
    for step in ev.mechanism:
        same = sorted((s for s in ev.mechanism if s.pathway == step.pathway), key=lambda s: s.order)
        at = same.index(step)
        previous = same[at - 1] if at > 0 else None
        following = same[at + 1] if at + 1 < len(same) else None
        context = {"step": step, "previous": previous, "next": following}
        names = {k: (v.id, "") for k, v in context.items() if v is not None}
        out.append(_entry("step", context, names))
    return out


def _drug(ev: Evidence) -> list[Entry]:
    return [_entry("drug", {"drug": ev.drug}, {"drug": (ev.drug.id, "")})]


def _drug_parts(ev: Evidence, name: str, attribute: str) -> list[Entry]:
    """An entry for each item of one of the drug's lists (its components, its approvals),
    with the drug beside it."""
    return [
        _entry(
            name,
            {name: part, "drug": ev.drug},
            {name: (ev.drug.id, f"{attribute}[{i}]"), "drug": (ev.drug.id, "")},
        )
        for i, part in enumerate(getattr(ev.drug, attribute))
    ]


def _resistance(ev: Evidence) -> list[Entry]:
    return [
        _entry("resistance", {"resistance": r}, {"resistance": (r.id, "")}) for r in ev.resistance
    ]


def _study_of(ev: Evidence, study_id: str) -> Study | Trial | None:
    return next((s for s in [*ev.studies, *ev.trials] if s.id == study_id), None)


def _finding_context(ev: Evidence, r: ResistanceMechanism, f: Finding):
    study = _study_of(ev, f.study)
    context = {"finding": f, "resistance": r, "study": study}
    names = {"finding": (f.id, ""), "resistance": (r.id, "")}
    if study is not None:
        names["study"] = (study.id, "")
    return context, names


def _findings(ev: Evidence) -> list[Entry]:
    out = []
    for r in ev.resistance:
        for f in r.findings:
            context, names = _finding_context(ev, r, f)
            out.append(_entry("finding", context, names))
    return out


def _measurements(ev: Evidence) -> list[Entry]:
    out = []
    for r in ev.resistance:
        for f in r.findings:
            for i, m in enumerate(f.measurements):
                context, names = _finding_context(ev, r, f)
                context["measurement"] = m
                names["measurement"] = (f.id, f"measurements[{i}]")
                out.append(_entry("measurement", context, names))
    return out


def _results(ev: Evidence) -> list[Entry]:
    """Numbers published after the review (outside facts), with their trial."""
    trials = {t.id: t for t in ev.trials}
    out = []
    for o in ev.outside:
        trial = trials.get(o.trial) if o.trial else None
        for i, m in enumerate(o.measurements):
            names = {"result": (o.id, f"measurements[{i}]"), "fact": (o.id, "")}
            if trial is not None:
                names["trial"] = (trial.id, "")
            out.append(_entry("result", {"result": m, "fact": o, "trial": trial}, names))
    return out


def _studies(ev: Evidence) -> list[Entry]:
    return [_entry("study", {"study": s}, {"study": (s.id, "")}) for s in ev.studies]


def _facts(ev: Evidence) -> list[Entry]:
    trials = {t.id: t for t in ev.trials}
    out = []
    for o in ev.outside:
        trial = trials.get(o.trial) if o.trial else None
        names = {"fact": (o.id, "")} | ({"trial": (trial.id, "")} if trial else {})
        out.append(_entry("fact", {"fact": o, "trial": trial}, names))
    return out


def _background(ev: Evidence) -> list[Entry]:
    return [
        _entry("background", {"background": b}, {"background": (b.id, "")}) for b in ev.background
    ]


def _terms(ev: Evidence) -> list[Entry]:
    return [_entry("term", {"term": g}, {"term": (f"glossary/{g.abbr}", "")}) for g in ev.glossary]


COLLECTIONS: dict[str, Collection] = {
    "trial": Collection({"trial": (Trial,), "experimental": (Arm,), "control": (Arm,)}, _trials),
    "arm": Collection({"arm": (Arm,), "trial": (Trial,)}, _arms),
    "endpoint": Collection(
        {"endpoint": (Endpoint,), "trial": (Trial,), "arm": (Arm,), "subgroup": (Subgroup,)},
        _endpoints,
    ),
    "comparison": Collection(
        {
            "comparison": (Comparison,),
            "trial": (Trial,),
            "experimental": (Arm,),
            "control": (Arm,),
            "subgroup": (Subgroup,),
        },
        _comparisons,
    ),
    "event": Collection({"event": (AdverseEvent,), "trial": (Trial,), "arm": (Arm,)}, _events),
    "step": Collection(
        {"step": (MechanismStep,), "previous": (MechanismStep,), "next": (MechanismStep,)}, _steps
    ),
    "drug": Collection({"drug": (Drug,)}, _drug),
    "component": Collection(
        {"component": (Component,), "drug": (Drug,)},
        functools.partial(_drug_parts, name="component", attribute="components"),
    ),
    "approval": Collection(
        {"approval": (Approval,), "drug": (Drug,)},
        functools.partial(_drug_parts, name="approval", attribute="approvals"),
    ),
    "resistance": Collection({"resistance": (ResistanceMechanism,)}, _resistance),
    "finding": Collection(
        {"finding": (Finding,), "resistance": (ResistanceMechanism,), "study": (Study, Trial)},
        _findings,
    ),
    "measurement": Collection(
        {
            "measurement": (Measurement,),
            "finding": (Finding,),
            "resistance": (ResistanceMechanism,),
            "study": (Study, Trial),
        },
        _measurements,
    ),
    "result": Collection(
        {"result": (Measurement,), "fact": (OutsideFact,), "trial": (Trial,)}, _results
    ),
    "study": Collection({"study": (Study,)}, _studies),
    "fact": Collection({"fact": (OutsideFact,), "trial": (Trial,)}, _facts),
    "background": Collection({"background": (BackgroundItem,)}, _background),
    "term": Collection({"term": (GlossaryTerm,)}, _terms),
}


# --- paths ------------------------------------------------------------------------------

_SEGMENT = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[(\d+)\])?$")


@functools.lru_cache(maxsize=4096)
def split_path(path: str) -> tuple[tuple[str, int | None], ...]:
    """`measurements[2].value` -> [("measurements", 2), ("value", None)]; ValueError if bad."""
    out = []
    for part in path.split("."):
        match = _SEGMENT.match(part)
        if not match:
            raise ValueError(f"{part!r} is not a field name (letters, digits, _ and [index])")
        out.append((match[1], int(match[2]) if match[2] is not None else None))
    return tuple(out)


def resolve(obj: Any, path: str) -> Any:
    """The value at `path` below `obj` (a model object), None where the chain breaks."""
    for name, index in split_path(path):
        if obj is None:
            return None
        obj = getattr(obj, name)
        if index is not None:
            obj = obj[index] if obj is not None and index < len(obj) else None
    return obj


def lookup(context: dict[str, Any], path: str) -> Any:
    """A context path: its first segment names a context object (`trial.phase`)."""
    head, _, rest = path.partition(".")
    value = context.get(head)
    return resolve(value, rest) if rest else value


def _members(annotation: Any) -> list[Any]:
    """The alternatives of a (possibly optional, possibly list) annotation."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    if origin is typing.Annotated:
        return _members(get_args(annotation)[0])
    return [annotation]


def _is_list(annotation: Any) -> Any | None:
    return get_args(annotation)[0] if get_origin(annotation) is list else None


def check_path(classes: tuple[type, ...], path: str) -> tuple[Any, ...]:
    """Walk `path` through model classes; return the leaf's possible types.

    Raises ValueError naming the first segment no class has, so a typo in a blueprint
    is caught by `check` before any content is read.
    """
    current: list[Any] = list(classes)
    for name, index in split_path(path):
        found: list[Any] = []
        for cls in current:
            if isinstance(cls, type) and issubclass(cls, BaseModel) and name in cls.model_fields:
                found.extend(_members(cls.model_fields[name].annotation))
        if not found:
            known = sorted(
                {
                    f
                    for cls in current
                    if isinstance(cls, type) and issubclass(cls, BaseModel)
                    for f in cls.model_fields
                }
            )
            shown = ", ".join(known) if known else "none: it is not a record"
            raise ValueError(f"no field {name!r} here (fields: {shown})")
        if index is not None:
            items = [_is_list(t) for t in found]
            if not any(items):
                raise ValueError(f"{name!r} is not a list, it cannot take [{index}]")
            found = [m for t in items if t is not None for m in _members(t)]
        current = found
    return tuple(current)


def iter_collection(ev: Evidence, name: str) -> Iterator[Entry]:
    yield from COLLECTIONS[name].entries(ev)
