"""One built page's article, made fit for print.

Pure: built HTML in, a cleaned element out. Interactive-only parts go, tabs are laid
out one after another, collapsed blocks open, ids get a per-page prefix so pages can
share one document, and links between pages become links inside the document.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement

from .tree import classes, remove, select, text_of, unwrap

SVG = "{http://www.w3.org/2000/svg}"
# Chrome and widgets that mean nothing on paper. `.no-print` / `data-print="omit"`
# let page templates mark their own screen-only parts.
SCREEN_ONLY = (
    "a.headerlink, .md-content__button, .md-source-file, .md-search, .md-dialog,"
    " .no-print, [data-print=omit], form, button, input, select, textarea,"
    " script, noscript, template, dialog, iframe"
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def page_slug(url: str) -> str:
    """Document-wide id of a page: `generated/trials/a.html` -> `p-generated-trials-a`."""
    stem = url[: -len(".html")] if url.endswith(".html") else url
    return "p-" + stem.strip("/").replace("/", "-").replace(".", "-")


def print_article(
    page: Element, url: str, in_document: set[str], site_dir: Path, level: int
) -> Element:
    """The `.md-content__inner` of a built page as a `<section>` ready to join the PDF."""
    found = select(page, ".md-content__inner")
    if not found:
        raise ValueError(f"{url}: no article (.md-content__inner) in the built page")
    article = found[0]
    _linearise_tabs(article)
    remove(article, select(article, SCREEN_ONLY))
    for details in article.iter("details"):
        details.set("open", "open")
    slug = page_slug(url)
    _prefix_ids(article, slug)
    _rewrite_links(article, url, in_document)
    _absolute_images(article, url, site_dir)
    _mark_headings(article, level)
    for table in article.iter("table"):
        size_columns(table)
    section = Element("section", {"class": "page", "id": slug, "data-url": url})
    section.text = article.text
    section.extend(list(article))
    return section


def _linearise_tabs(article: Element) -> None:
    for tabset in select(article, ".tabbed-set"):
        labels = [lab for box in select(tabset, ".tabbed-labels") for lab in box.iter("label")]
        if not labels:  # the classic tab style keeps each label next to its block
            labels = [c for c in tabset if c.tag == "label"]
        blocks = select(tabset, ".tabbed-block") or select(tabset, ".tabbed-content")
        for child in list(tabset):
            tabset.remove(child)
        tabset.text = None
        for label, block in zip(labels, blocks, strict=False):
            tab = SubElement(tabset, "div", {"class": "print-tab"})
            title = SubElement(tab, "p", {"class": "print-tab__label"})
            title.text = "".join(label.itertext()).strip()
            title.tail = block.text
            tab.extend(list(block))


def _inside_svg(article: Element) -> set[Element]:
    inside: set[Element] = set()
    for svg in article.iter(f"{SVG}svg"):
        inside.update(svg.iter())
    return inside


def _prefix_ids(article: Element, slug: str) -> None:
    # Inline SVG keeps its ids: its url(#...) references would break otherwise.
    svg_parts = _inside_svg(article)
    for el in article.iter():
        if el.get("id") and el not in svg_parts:
            el.set("id", f"{slug}__{el.get('id')}")


def target(href: str, url: str, in_document: set[str]) -> str | None:
    """Where a link points inside the PDF, `#...`, or None if the PDF does not hold it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return href
    if not parts.path:
        return f"#{page_slug(url)}__{parts.fragment}" if parts.fragment else f"#{page_slug(url)}"
    path = posixpath.normpath(posixpath.join(posixpath.dirname(url), unquote(parts.path)))
    if parts.path.endswith("/"):
        path = posixpath.join(path, "index.html")
    if path not in in_document:
        return None
    slug = page_slug(path)
    return f"#{slug}__{parts.fragment}" if parts.fragment else f"#{slug}"


def _rewrite_links(article: Element, url: str, in_document: set[str]) -> None:
    for link in [a for a in article.iter("a") if a.get("href") is not None]:
        where = target(link.get("href"), url, in_document)
        if where is None:
            unwrap(article, link)  # e.g. a download: keep the words, drop the dead link
        else:
            link.set("href", where)


def _absolute_images(article: Element, url: str, site_dir: Path) -> None:
    for img in article.iter("img"):
        src = img.get("src", "")
        parts = urlsplit(src)
        if not src or parts.scheme or parts.netloc:
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(url), unquote(parts.path)))
        img.set("src", (site_dir / path).resolve().as_uri())
        img.attrib.pop("loading", None)


def _mark_headings(article: Element, level: int) -> None:
    """Page title at the page's outline level, its h2s one below; deeper headings stay
    out of the PDF outline (they would swamp it)."""
    first = True
    for el in article.iter():
        if el.tag not in HEADINGS:
            continue
        depth = {"h1": 1, "h2": 2}.get(el.tag)
        if el.tag == "h1" and first:
            el.set("class", " ".join(sorted(classes(el) | {"page-title"})))
            first = False
        style = f"bookmark-level: {level + depth}" if depth else "bookmark-level: none"
        el.set("style", style)


def _cells(row: Element) -> list[Element]:
    return [c for c in row if c.tag in ("td", "th")]


def size_columns(table: Element) -> None:
    """Column widths from the text each column holds, for a fixed table layout.

    WeasyPrint's automatic layout is about twice as slow over this many tables, and a
    plain fixed layout gives every column the same width. A column gets room for its
    longest word and, beyond that, in proportion to how much text its cells hold
    (sub-linearly, so one long note column cannot starve the others).
    """
    rows = [r for r in table.iter("tr")]
    if not rows or any(c.get("colspan") or c.get("rowspan") for r in rows for c in _cells(r)):
        return  # spans: leave the table to the automatic layout
    if any(child.tag == "colgroup" for child in table):
        return
    width = max(len(_cells(r)) for r in rows)
    texts: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for i, cell in enumerate(_cells(row)):
            texts[i].append(text_of(cell))
    weights = []
    for column in texts:
        longest = max((len(w) for t in column for w in t.split()), default=1)
        mean = sum(len(t) for t in column) / max(len(column), 1)
        weights.append(max(longest + 1.5, mean**0.8, 3))
    total = sum(weights)
    group = Element("colgroup")
    for weight in weights:
        SubElement(group, "col", {"style": f"width: {100 * weight / total:.2f}%"})
    table.insert(0, group)
    table.set("class", " ".join(sorted(classes(table) | {"print-sized"})))
