"""Jinja2 environments: Markdown pages with every value escaped, SVG figures autoescaped.

Content is text, never markup. In Markdown templates every `{{ ... }}` passes
through `md_escape` unless it is `Markup` built here on purpose (links, anchors),
so a `<script>` or a `*` in a YAML string shows as typed instead of becoming HTML
or emphasis. SVG templates use Jinja's own HTML/XML autoescaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


def markdown_environment() -> Environment:
    # Markdown is not HTML: values are escaped for Markdown by `finalize` instead.
    return _environment(autoescape=False, finalize=_finalize_markdown)


def svg_environment() -> Environment:
    return _environment(autoescape=True)
