"""The site's navigation, read from the built home page, in reading order.

Reading the built nav (not mkdocs.yml) means the PDF follows whatever navigation
the site really shows, however it was produced.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .tree import classes, text_of


@dataclass(frozen=True)
class NavEntry:
    title: str
    url: str | None  # site-relative page URL, e.g. "generated/trials/emilia.html"; None: a label
    level: int  # 0 for top-level entries


def read_nav(home: Element, home_url: str = "index.html") -> list[NavEntry]:
    primary = next(
        (n for n in home.iter("nav") if "md-nav--primary" in classes(n)),
        None,
    )
    if primary is None:
        raise ValueError("the built home page has no primary navigation (nav.md-nav--primary)")
    top = next((ul for ul in primary if ul.tag == "ul"), None)
    entries = list(_walk(top, 0, posixpath.dirname(home_url))) if top is not None else []
    return _dedupe(entries)


def _walk(ul: Element, level: int, base: str):
    for li in (c for c in ul if c.tag == "li" and "md-nav__item" in classes(c)):
        link, label = _own_link(li)
        if link is not None and not _external(link.get("href", "")):
            yield NavEntry(_title(link), _resolve(base, link.get("href", "")), level)
        elif label is not None:
            yield NavEntry(_title(label), None, level)
        for nested in (c for c in li if c.tag == "nav" and "md-nav--secondary" not in classes(c)):
            inner = next((ul for ul in nested if ul.tag == "ul"), None)
            if inner is not None:
                yield from _walk(inner, level + 1, base)


def _own_link(li: Element) -> tuple[Element | None, Element | None]:
    """The entry's own link (a page) or its label (a section without a page)."""
    for child in li:
        if child.tag == "a" and "md-nav__link" in classes(child):
            return child, None
        if child.tag == "div" and "md-nav__container" in classes(child):
            link = next((a for a in child if a.tag == "a"), None)
            if link is not None:
                return link, None
    for child in li:
        if child.tag == "label" and "md-nav__link" in classes(child):
            return None, child
    return None, None


def _title(el: Element) -> str:
    span = next((s for s in el.iter("span") if "md-ellipsis" in classes(s)), None)
    return text_of(span if span is not None else el)


def _external(href: str) -> bool:
    return "://" in href or href.startswith(("mailto:", "//"))


def _resolve(base: str, href: str) -> str:
    path = posixpath.normpath(posixpath.join(base, href.split("#")[0] or "index.html"))
    if href.endswith("/") or path == ".":
        path = posixpath.join("" if path == "." else path, "index.html")
    return path


def _dedupe(entries: list[NavEntry]) -> list[NavEntry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.url is not None and entry.url in seen:
            continue
        if entry.url is not None:
            seen.add(entry.url)
        unique.append(entry)
    return unique


def site_name(home: Element) -> str:
    """The site's name as the built nav's title shows it."""
    for nav in home.iter("nav"):
        if "md-nav--primary" in classes(nav):
            labels = [c for c in nav if c.tag == "label" and "md-nav__title" in classes(c)]
            title = labels[0] if labels else None
            if title is not None:
                return text_of(title)
    title = next(home.iter("title"), None)
    return text_of(title) if title is not None else "Print edition"
