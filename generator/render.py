"""Jinja2 environments: Markdown pages with every value escaped, SVG figures autoescaped.

Content is text, never markup. In Markdown templates every `{{ ... }}` passes
through `md_escape` unless it is `Markup` built here on purpose (links, anchors),
so a `<script>` or a `*` in a YAML string shows as typed instead of becoming HTML
or emphasis. SVG templates use Jinja's own HTML/XML autoescaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Characters Python-Markdown (and its tables, attr_list and abbr extensions) would read
# as syntax inside a line. `<`, `>` and `&` become entities so raw HTML cannot pass.
_INLINE = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "{": "\\{",
    "}": "\\}",
    "|": "\\|",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}
_INLINE_RE = re.compile("|".join(re.escape(c) for c in _INLINE))
# Block syntax only bites at the start of a line; escaping a value's first character is
# harmless elsewhere, so every value is escaped as if it might start a line.
_ORDERED_ITEM = re.compile(r"^\d+(?=\.(\s|$))")


def md_escape(value: object) -> str:
    """Plain text as Markdown that renders back to the same text, on one line."""
    text = " ".join(str(value).split())
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group(0)], text)
    number = _ORDERED_ITEM.match(text)
    if number:
        return f"{number.group(0)}\\{text[number.end() :]}"  # "1. x" -> "1\. x"
    if text[:1] in ("#", "+", "-"):
        return "\\" + text
    return text


def abbreviation(abbr: str, title: str) -> str | None:
    """A Markdown abbreviation definition (`*[abbr]: title`), or None when `abbr` cannot
    be written as one. The abbr extension puts the title into an attribute, escaped; but
    a definition it does not recognise (a backslash or a line break in the abbreviation)
    would stay on the page as a paragraph of raw Markdown, HTML included, on every page,
    and a "]" would end the abbreviation early."""
    if any(c in abbr for c in "\\]") or not abbr.strip() or len(abbr.splitlines()) != 1:
        return None
    return f"*[{abbr}]: {' '.join(title.split())}"


def _finalize_markdown(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return md_escape(value)


# A glossary tooltip must not attach to letters that are part of a longer term: the
# abbr extension wraps every whole-word match, so "IV" (intravenous) would get its
# tooltip inside "stage IV". A glossary term lists such longer terms (`not_in`); in
# them, the abbreviation's first letter is written as a character reference. The reader
# and the search index see the same text, but Python-Markdown keeps the reference
# apart from the text the abbr extension scans, so no tooltip lands there.
Shield = tuple[re.Pattern[str], str]


def shields(terms: Iterable[tuple[str, Iterable[str]]]) -> list[Shield]:
    """(pattern, replacement) for every longer term of every (abbreviation, not_in)."""
    out: list[Shield] = []
    for abbr, longer in terms:
        whole = re.compile(rf"(?<!\w){re.escape(md_escape(abbr))}(?!\w)")
        hidden = f"&#{ord(abbr[0])};" + md_escape(abbr[1:])
        for phrase in sorted(longer, key=len, reverse=True):
            escaped = md_escape(phrase)
            shielded = whole.sub(lambda _m, h=hidden: h, escaped)
            out.append((re.compile(rf"(?<!\w){re.escape(escaped)}(?!\w)"), shielded))
    return out


def shield_terms(text: str, rules: list[Shield]) -> str:
    """Markdown text with every longer term out of its abbreviation's tooltip."""
    for pattern, replacement in rules:
        text = pattern.sub(lambda _m, r=replacement: r, text)
    return text


def attr_escape(value: object) -> str:
    """Text for a double-quoted HTML attribute written into Markdown as raw HTML."""
    return (
        str(value)
        .replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _filters() -> dict[str, Callable]:
    return {
        "number": fmt.number,
        "count": fmt.count,
        "percent": fmt.percent,
        "quantity": fmt.quantity,
        "hazard_ratio": fmt.hazard_ratio,
        "interval": fmt.interval,
        "p_value": fmt.p_value,
        "endpoint_value": fmt.endpoint_value,
        "measurement_value": fmt.measurement_value,
        "comparison_value": fmt.comparison_value,
        "adverse_event_value": fmt.adverse_event_value,
        "dose": fmt.dose,
        "property_value": fmt.property_value,
        "in_words": fmt.in_words,
        "grade": fmt.grade,
        "md": lambda v: Markup(md_escape(v)),
    }


def _environment(**options) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters.update(_filters())
    return env


def markdown_environment(rules: list[Shield] | None = None) -> Environment:
    """`rules`: the glossary's longer terms (`shields`), kept out of the tooltips."""
    if not rules:
        # Markdown is not HTML: values are escaped for Markdown by `finalize` instead.
        return _environment(autoescape=False, finalize=_finalize_markdown)

    def finalize(value: object) -> object:
        text = _finalize_markdown(value)
        return text if isinstance(value, Markup) else shield_terms(str(text), rules)

    return _environment(autoescape=False, finalize=finalize)


def svg_environment() -> Environment:
    return _environment(autoescape=True)
