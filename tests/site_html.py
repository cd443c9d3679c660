"""A small DOM for reading built pages in tests: stdlib html.parser, no third-party parser.

Tests read what a person sees (the HTML), not the Markdown the generator wrote.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements whose text a reader does not see as page text.
HIDDEN = {"script", "style", "template"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts: list[str] = []
        self._collect(parts)
        return " ".join("".join(parts).split())

    def _collect(self, parts: list[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in HIDDEN:
                child._collect(parts)
                if child.tag in {"td", "th", "li", "p", "br", "tr"} | HEADINGS:
                    parts.append(" ")

    def iter(self, tag: str | None = None):
        for child in self.children:
            if isinstance(child, Node):
                if tag is None or child.tag == tag:
                    yield child
                yield from child.iter(tag)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def ids(root: Node) -> dict[str, Node]:
    return {n.attrs["id"]: n for n in root.iter() if "id" in n.attrs}


def record_text(node: Node) -> str:
    """The text that shows the record anchored at `node`.

    A heading shows everything up to the next heading of the same or a higher level; an
    empty anchor span stands for its table row or list item; anything else for itself.
    """
    if node.tag in HEADINGS:
        level = int(node.tag[1])
        parent = node.parent
        siblings = parent.children[parent.children.index(node) :]
        parts = []
        for sibling in siblings:
            if isinstance(sibling, str):
                parts.append(sibling)
                continue
            if sibling is not node and sibling.tag in HEADINGS and int(sibling.tag[1]) <= level:
                break
            parts.append(sibling.text())
        return " ".join(" ".join(parts).split())
    if node.tag == "span" and not node.text():
        for holder in node.ancestors():
            if holder.tag in {"tr", "li", "p", "dd"}:
                return holder.text()
    return node.text()


def unescape(text: str) -> str:
    return html.unescape(text)
