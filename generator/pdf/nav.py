"""The site's navigation, read from the built home page, in reading order.

Reading the built nav (not mkdocs.yml) means the PDF follows whatever navigation
the site really shows, however it was produced. The site prunes each page's nav to its
own tab, so the other tabs are read from the first page of each.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from .tree import classes, text_of

PageReader = Callable[[str], Element]  # site-relative URL -> the parsed page


@dataclass(frozen=True)
class NavEntry:
    title: str
    url: str | None  # site-relative page URL, e.g. "generated/trials/trial-a.html"; None: a label
    level: int  # 0 for top-level entries


def read_nav(
    home: Element, home_url: str = "index.html", page_at: PageReader | None = None
) -> list[NavEntry]:
    """Every nav entry in reading order. With Material's `navigation.prune`, a page's nav
    shows the other tabs as one link each; `page_at(url)` opens the page such a link goes
    to, whose nav shows that tab in full."""
    top = _top_list(home, home_url)
    entries = list(_walk(top, 0, posixpath.dirname(home_url), (), page_at))
    return _dedupe(entries)


def _top_list(page: Element, url: str) -> Element | None:
    primary = next(
        (n for n in page.iter("nav") if "md-nav--primary" in classes(n)),
        None,
    )
    if primary is None:
        raise ValueError(f"{url} has no primary navigation (nav.md-nav--primary)")
    return next((ul for ul in primary if ul.tag == "ul"), None)


def _items(ul: Element) -> list[Element]:
    return [c for c in ul if c.tag == "li" and "md-nav__item" in classes(c)]


def _nested_lists(li: Element) -> list[Element]:
    navs = (c for c in li if c.tag == "nav" and "md-nav--secondary" not in classes(c))
    return [ul for nav in navs for ul in nav if ul.tag == "ul"]


def _walk(ul: Element, level: int, base: str, path: tuple[int, ...], page_at):
    for index, li in enumerate(_items(ul)):
        here = base
        if "md-nav__item--pruned" in classes(li):
            li, here = _unpruned(li, base, (*path, index), page_at)
        link, label = _own_link(li)
        if link is not None and not _external(link.get("href", "")):
            yield NavEntry(_title(link), _resolve(here, link.get("href", "")), level)
        elif label is not None:
            yield NavEntry(_title(label), None, level)
        for inner in _nested_lists(li):
            yield from _walk(inner, level + 1, here, (*path, index), page_at)


def _unpruned(li: Element, base: str, path: tuple[int, ...], page_at) -> tuple[Element, str]:
    """The pruned entry at `path`, as the page its link opens shows it; and that page's
    folder, which its links are relative to."""
    link, _ = _own_link(li)
    if page_at is None or link is None:
        raise ValueError("the navigation is pruned: pass page_at to read the other tabs")
    url = _resolve(base, link.get("href", ""))
    ul = _top_list(page_at(url), url)
    for depth, index in enumerate(path):
        found = _items(ul) if ul is not None else []
        if index >= len(found):
            raise ValueError(f"{url}: its navigation differs from the home page's")
        li = found[index]
        lists = _nested_lists(li)
        if depth < len(path) - 1:
            ul = lists[0] if lists else None
    if "md-nav__item--pruned" in classes(li):
        raise ValueError(f"{url}: its own tab is pruned in its navigation")
    return li, posixpath.dirname(url)


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
