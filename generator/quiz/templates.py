"""The Jinja2 environment item models are written in: sandboxed, strict, with the site's
number formatting as filters, so a number reads in a question exactly as on its page."""

from __future__ import annotations

import re

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .. import fmt


def lower_first(text: str) -> str:
    """ "Drug X + drug Y" -> "drug X + drug Y"; names such as "ABC-123", "KRAS-mutant" stay."""
    if text[:1].isupper() and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    """ "fatigue" -> "Fatigue"; "pCR, ..." stays, since its first word is mixed-case."""
    first = text.split(" ", 1)[0]
    return text[:1].upper() + text[1:] if first.islower() else text


def p_phrase(p: str) -> str:
    """ "<0.001" -> "P < 0.001", "0.458" -> "P = 0.458"."""
    p = fmt.p_value(p)
    return f"P {p[0]} {p[1:]}" if p[0] in "<≤" else f"P = {p}"


def article(value: object) -> str:
    """ "a" or "an" before a word or a number as spoken: an 80%, an 11-point, a 35%."""
    text = str(value).lstrip()
    spoken_vowel = re.match(r"8|(11|18)(\D|$)|[aeiouAEIOU]", text)
    return "an" if spoken_vowel else "a"


CUT_POINT = re.compile(r"\b(?:at or |strictly )?(?:above|below|over|under)\b[^,()]*")


def subgroup_of(label: str) -> str:
    """The group a measurement's label names: its last comma-separated part, without
    parentheses ("median PFS with the drug, marker mRNA below the median (not reached)" ->
    "marker mRNA below the median")."""
    return re.sub(r"\s*\([^)]*\)", "", label).rsplit(",", 1)[-1].strip()


def cut_point(label: str) -> str:
    """The cut-point a measurement's label gives its group, in the study's own words
    ("OS, marker at or below the median" -> "at or below the median"); "" if it names none.
    Trials cut one biomarker differently (above, or at or above, the median), so each
    figure is printed with its own."""
    found = CUT_POINT.search(subgroup_of(label))
    return found.group(0).strip() if found else ""


def environment() -> SandboxedEnvironment:
    """Sandboxed: item models are data, so a template may read the model but call nothing."""
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
        dose=fmt.dose,
        mvalue=fmt.measurement_value,
        p=p_phrase,
        article=article,
        lowerfirst=lower_first,
        upperfirst=upper_first,
        nodot=lambda s: s.rstrip(". "),
        noparen=lambda s: re.sub(r"\s*\([^)]*\)", "", s),
        subgroup=subgroup_of,
        measure=lambda s: s.split(",", 1)[0].strip(),
        cutpoint=cut_point,
    )
    return env


ENV = environment()
