"""The site's navigation, made from what the build generates (not typed into mkdocs.yml):
every completed trial's page and every part of a long quiz is listed because it exists.

The build writes it into the MkDocs config and, with each page's title, beside the site
(`nav.json`), where the print edition reads it in reading order. Pure functions only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import links
from .model import Evidence
from .pages import completed_trials

QUIZZES = f"{links.GENERATED}/{links.QUIZZES}"
# The quiz section's pages, in nav order; a topic whose quiz is long has parts (topic-2 ...).
QUIZ_PAGES_BEFORE = ("index",)
QUIZ_PAGES_AFTER = ("mock-exam", "exam", "progress", "review")
_PART = re.compile(r"^(?P<topic>[a-z-]+?)-(?P<n>\d+)\.md$")
# A topic of more parts than this is listed by its first part only: with every part of
# every quiz in the sidebar of every quiz page, a pack 100 times this one put 229 links
# on each (a 176 KB mock exam page). Part 1 links every part, and each part its neighbours.
MAX_LISTED_PARTS = 8


@dataclass(frozen=True)
class NavNode:
    """A page (`path` inside the docs_dir, `title` None: the page's own heading), or a
    section (`path` None) holding `children`."""

    title: str | None
    path: str | None = None
    children: tuple[NavNode, ...] = ()


@dataclass(frozen=True)
class NavEntry:
    """One line of the navigation in reading order, as the print edition walks it."""

    title: str
    url: str | None  # site-relative page URL, e.g. "generated/trials/x.html"; None: a label
    level: int  # 0 for top-level entries


def _page(rel: str) -> NavNode:
    return NavNode(None, f"{links.GENERATED}/{rel}")


def site_nav(
    ev: Evidence, files: set[str] | frozenset[str], topics: dict[str, str]
) -> list[NavNode]:
    """The nav for the generated `files` (paths inside the docs_dir). `topics`: quiz topic
    -> title, in the order the quizzes are listed; a topic in parts becomes a section."""
    trials = [links.docs_path(links.trial_page(t.id, ev)) for t in completed_trials(ev)]
    nav = [
        NavNode(None, links.HOME),
        NavNode("The drug", children=(_page(links.BACKGROUND), _page(links.MECHANISM))),
        NavNode(
            "Trials",
            children=(
                _page(links.TIMELINE),
                *(NavNode(None, path) for path in trials),
                _page(links.COMPARISON),
                _page(links.ONGOING),
            ),
        ),
        NavNode("Safety and resistance", children=(_page(links.TOXICITY), _page(links.RESISTANCE))),
        NavNode("Quizzes", children=tuple(_quiz_nodes(files, topics))),
        NavNode(
            "Reference",
            children=(_page(links.GLOSSARY), _page(links.SOURCES), _page(links.DOWNLOADS)),
        ),
    ]
    kept = (_kept(node, files) for node in nav)
    return [node for node in kept if node is not None]


def _quiz_nodes(files, topics: dict[str, str]):
    quiz_files = {p.removeprefix(f"{QUIZZES}/") for p in files if p.startswith(f"{QUIZZES}/")}
    for name in QUIZ_PAGES_BEFORE:
        yield NavNode(None, f"{QUIZZES}/{name}.md")
    for topic, title in topics.items():
        parts = sorted(
            int(m["n"]) for m in map(_PART.match, quiz_files) if m and m["topic"] == topic
        )
        if not parts or len(parts) + 1 > MAX_LISTED_PARTS:
            yield NavNode(None, f"{QUIZZES}/{topic}.md")
            continue
        label = topic.capitalize()
        yield NavNode(
            title,
            children=(
                NavNode(f"{label}, part 1", f"{QUIZZES}/{topic}.md"),
                *(NavNode(f"{label}, part {n}", f"{QUIZZES}/{topic}-{n}.md") for n in parts),
            ),
        )
    for name in QUIZ_PAGES_AFTER:
        yield NavNode(None, f"{QUIZZES}/{name}.md")


def _kept(node: NavNode, files) -> NavNode | None:
    """The node without pages nothing generated (a pack without quizzes has no quiz pages);
    a section left empty goes too."""
    if node.path is not None:
        return node if node.path in files else None
    children = tuple(c for c in (_kept(c, files) for c in node.children) if c is not None)
    return NavNode(node.title, None, children) if children else None


def walk(nav: list[NavNode], level: int = 0) -> Iterator[tuple[NavNode, int]]:
    """Every node in reading order, with its depth (0 for top-level entries)."""
    for node in nav:
        yield node, level
        yield from walk(list(node.children), level + 1)


def unlisted(nav: list[NavNode], files) -> list[str]:
    """The generated pages the nav leaves out (the later parts of a very long quiz), for
    MkDocs' `not_in_nav`: they are reached from part 1, not from the sidebar."""
    listed = {node.path for node, _ in walk(nav)}
    parts = (p for p in files if p.startswith(f"{QUIZZES}/") and _PART.match(p.rpartition("/")[2]))
    return sorted(p for p in parts if p not in listed)


def mkdocs_nav(nav: list[NavNode]) -> list:
    """The nav in mkdocs.yml's shape: "path", {"Title": "path"} or {"Section": [...]}."""

    def entry(node: NavNode):
        if node.path is None:
            return {node.title: [entry(c) for c in node.children]}
        return node.path if node.title is None else {node.title: node.path}

    return [entry(node) for node in nav]


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_HEADING_ATTRS = re.compile(r"\s*\{[^}]*\}\s*$")


def page_title(markdown: str) -> str | None:
    """A page's title as MkDocs takes it: its first level-1 heading (after front matter),
    without an attribute list."""
    for line in _FRONT_MATTER.sub("", markdown).splitlines():
        if line.startswith("# "):
            return _HEADING_ATTRS.sub("", line[2:]).strip()
    return None


def reading_order(nav: list[NavNode], files: dict[str, str]) -> list[NavEntry]:
    """Every entry in reading order, with its title and the URL of its built page."""
    out: list[NavEntry] = []
    for node, level in walk(nav):
        if node.path is None:
            out.append(NavEntry(node.title or "", None, level))
        else:
            title = node.title or page_title(files.get(node.path, "")) or node.path
            out.append(NavEntry(title, node.path.removesuffix(".md") + ".html", level))
    return out


def entries_json(entries: list[NavEntry]) -> str:
    return json.dumps([vars(e) for e in entries], indent=1) + "\n"


def entries_from_json(text: str) -> list[NavEntry]:
    return [NavEntry(**e) for e in json.loads(text)]
