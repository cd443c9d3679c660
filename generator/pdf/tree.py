"""Parse built HTML into an ElementTree and write it back as HTML.

WeasyPrint re-parses what we hand it with the same HTML5 parser (tinyhtml5), so
the serializer writes plain local names: inline SVG lands back in the SVG
namespace by the HTML5 rules, and its `xlink:` attributes keep their prefix.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from xml.etree.ElementTree import Element

import cssselect2
import tinyhtml5

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip
RAW_TEXT = {"script", "style"}
PREFIXES = {
    "http://www.w3.org/1999/xlink": "xlink:",
    "http://www.w3.org/XML/1998/namespace": "xml:",
    "http://www.w3.org/2000/xmlns/": "xmlns:",
}


def parse(html: str) -> Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


def local(name: str) -> str:
    if name.startswith("{"):
        uri, _, rest = name[1:].partition("}")
        return PREFIXES.get(uri, "") + rest
    return name


def select(root: Element, selector: str) -> list[Element]:
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    return [match.etree_element for match in wrapper.query_all(selector)]


def parents(root: Element) -> dict[Element, Element]:
    return {child: parent for parent in root.iter() for child in parent}


def classes(el: Element) -> set[str]:
    return set(el.get("class", "").split())


def remove(root: Element, victims: list[Element]) -> None:
    """Remove elements, keeping the text that followed each (its tail)."""
    parent_of = parents(root)
    for el in victims:
        parent = parent_of.get(el)
        if parent is None:
            continue
        _keep_tail(parent, el, el.tail)
        parent.remove(el)


def unwrap(root: Element, el: Element) -> None:
    """Replace an element by its children (e.g. a link whose target is not in the PDF)."""
    parent = parents(root)[el]
    index = list(parent).index(el)
    _keep_tail(parent, el, el.text)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    last = el[-1] if len(el) else None
    parent.remove(el)
    if last is not None:
        last.tail = (last.tail or "") + (el.tail or "")
    else:
        _append_text_before(parent, index, el.tail)


def _keep_tail(parent: Element, el: Element, text: str | None) -> None:
    _append_text_before(parent, list(parent).index(el), text)


def _append_text_before(parent: Element, index: int, text: str | None) -> None:
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = parent[index - 1]
        prev.tail = (prev.tail or "") + text


def text_of(el: Element) -> str:
    return " ".join("".join(el.itertext()).split())


def serialize(el: Element) -> str:
    return "".join(_chunks(el))


def _chunks(el: Element) -> Iterator[str]:
    tag = local(el.tag) if isinstance(el.tag, str) else None
    if tag is None:  # comments and processing instructions are not printed
        yield escape(el.tail or "", quote=False)
        return
    attrs = "".join(f' {local(k)}="{escape(str(v), quote=True)}"' for k, v in el.attrib.items())
    yield f"<{tag}{attrs}>"
    if tag not in VOID:
        if el.text:
            yield el.text if tag in RAW_TEXT else escape(el.text, quote=False)
        for child in el:
            yield from _chunks(child)
        yield f"</{tag}>"
    if el.tail:
        yield escape(el.tail, quote=False)
