"""Read YAML files into plain data while remembering the line of every key and item.

Pydantic reports problems by location (`trials.3.endpoints.2.value`); a person
editing YAML needs `content/trials/trial-a.yaml:42`. So each file is composed
into PyYAML nodes first, and one walk over the nodes maps every path inside it to
its line. Merging files shifts those paths into the merged data in one more pass,
so loading time grows with the size of the input, not with its square; a file
above MAX_FILE_MB is refused before it is read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class InputError(Exception):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Origins:
    """Where each piece of merged data came from: loc -> (file, line, loc inside the file)."""

    places: dict[Loc, tuple[str, int, Loc]] = field(default_factory=dict)

    def locate(self, loc: Loc) -> tuple[str, int, Loc]:
        """File and line of the deepest known prefix of `loc`, and `loc` as seen in that file."""
        for cut in range(len(loc), -1, -1):
            hit = self.places.get(loc[:cut])
            if hit:
                path, line, local = hit
                return path, line, local + loc[cut:]
        return "<input>", 0, loc

    def problem(self, loc: Loc, message: str) -> Problem:
        path, line, local = self.locate(loc)
        return Problem(path, line, format_loc(local), message)


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # A quoted YAML key may hold a line break or ": "; repr keeps the report on one
            # line and its field readable.
            text = str(part)
            if not text.isprintable() or ": " in text:
                text = repr(text)
            out += ("." if out else "") + text
    return out or "(file)"


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps YAML 1.1 booleans off plain words like 'no' and 'on'."""


# Without this, a trial named "NO" or a field value "off" would become a boolean.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|false)$"), list("tf")
)


MAX_DEPTH = 40  # content is a few levels deep; more is a mistake or a hostile file
# The largest content file is about 25 KB; the limit leaves room for a pack hundreds of
# times larger in one file (the benchmark loads 20 MB), and bounds time and memory (about
# 60 times a file's size while it loads: 1.2 GB at 20 MB) for a file that is a mistake.
MAX_FILE_MB = 25


def read_yaml(path: Path, display: str) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """Parse one file: its data, the line of every loc in it, and any problems found."""
    try:
        if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:
            return None, {}, [Problem(display, 1, "(file)", f"larger than {MAX_FILE_MB} MB")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, {}, [Problem(display, 1, "(file)", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, {}, [Problem(display, line, "(file)", f"not UTF-8 text: {exc.reason}")]
    loader = None
    # PyYAML makes a few objects per character and frees none until the file is read;
    # the cyclic collector would walk them all again and again (about a third of the
    # time of a 20 MB file, growing with its size). They hold no cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}, [Problem(display, 1, "(file)", "file is empty")]
        lines: dict[Loc, int] = {}
        problems: list[Problem] = []
        # Map lines before constructing: this is where aliases and deep nesting are refused,
        # so a recursive alias never becomes a recursive Python object.
        _map_lines(node, (), lines, problems, display, set())
        if problems:
            return None, lines, problems
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        return None, {}, [_yaml_problem(exc, display, text)]
    except RecursionError:
        return None, {}, [Problem(display, 1, "(yaml)", f"nested more than {MAX_DEPTH} levels")]
    finally:
        if loader is not None:
            loader.dispose()
        if collecting:
            gc.enable()
    return data, lines, problems


def _yaml_problem(exc: yaml.YAMLError, display: str, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        # Raised for characters YAML does not allow (control characters); it has no mark.
        line = text.count("\n", 0, exc.position) + 1
        return Problem(display, line, "(yaml)", f"character {exc.character!r} is not allowed")
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    # An unclosed [ or { is only noticed lines later; the line that opened it is the one to fix.
    if context is not None and "flow" in (getattr(exc, "context", "") or ""):
        where = f" (noticed on line {problem.line + 1})" if problem else ""
        return Problem(display, context.line + 1, "(yaml)", f"malformed YAML: {reason}{where}")
    mark = problem or context
    return Problem(display, mark.line + 1 if mark else 0, "(yaml)", f"malformed YAML: {reason}")


def _map_lines(
    node, loc: Loc, lines: dict[Loc, int], problems: list[Problem], display: str, seen_nodes: set
) -> None:
    line = node.start_mark.line + 1
    lines.setdefault(loc, line)
    if id(node) in seen_nodes:
        # PyYAML hands back the anchored node itself for an alias; refusing aliases keeps
        # every value written out where it is read, and rules out recursive structures.
        problems.append(
            Problem(display, lines[loc], format_loc(loc), "YAML aliases (*name) are not supported")
        )
        return
    seen_nodes.add(id(node))
    if len(loc) > MAX_DEPTH:
        problems.append(
            Problem(display, line, format_loc(loc[:3]), f"nested more than {MAX_DEPTH} levels")
        )
        return
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(display, key_line, format_loc(loc), "a key must be text"))
                continue
            key = key_node.value
            if key in keys:
                problems.append(
                    Problem(
                        display,
                        key_line,
                        format_loc(loc + (key,)),
                        "duplicate key (the second would silently replace the first)",
                    )
                )
            keys.add(key)
            lines[loc + (key,)] = key_line
            _map_lines(value_node, loc + (key,), lines, problems, display, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, loc + (index,), lines, problems, display, seen_nodes)


def merge_sections(
    files: list[tuple[str, Path]],
    list_sections: set[str],
    single_sections: set[str],
) -> tuple[dict[str, Any], Origins, list[Problem]]:
    """Read many YAML files whose top level names sections, and merge them into one mapping.

    A list section (e.g. `trials`) may appear in any number of files and is concatenated;
    a single section (e.g. `drug`) must appear exactly once.
    """
    merged: dict[str, Any] = {}
    origins = Origins()
    problems: list[Problem] = []
    for display, path in files:
        data, lines, file_problems = read_yaml(path, display)
        problems += file_problems
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(
                Problem(display, lines.get((), 1), "(file)", "top level must map section names")
            )
            continue
        # Where each section of this file lands in the merged data: a list section's items
        # are numbered after those of earlier files.
        offsets: dict[str, int | None] = {}
        for section, value in data.items():
            line = lines.get((section,), 1)
            field = format_loc((section,))
            if section in single_sections:
                if section in merged:
                    first = origins.places[(section,)]
                    problems.append(
                        Problem(display, line, field, f"'{section}' is already given in {first[0]}")
                    )
                    continue
                merged[section] = value
                offsets[section] = None
            elif section in list_sections:
                if not isinstance(value, list):
                    problems.append(Problem(display, line, field, "must be a list"))
                    continue
                bucket = merged.setdefault(section, [])
                offsets[section] = len(bucket)
                bucket.extend(value)
            else:
                known = ", ".join(sorted(list_sections | single_sections))
                problems.append(
                    Problem(display, line, field, f"unknown section (expected one of: {known})")
                )
        _record(origins, offsets, display, lines)
    return merged, origins, problems


def _record(origins: Origins, offsets: dict[str, int | None], display: str, lines: dict) -> None:
    """Map every loc of one file's merged sections to its loc in the merged data, in one
    pass over the file's locs (a scan per list item made loading quadratic)."""
    places = origins.places
    for loc, line in lines.items():
        if not loc or loc[0] not in offsets:
            continue
        offset = offsets[loc[0]]
        if offset is None:  # a single section: same loc in the merged data
            places[loc] = (display, line, loc)
        elif len(loc) > 1:  # an item of a list section, shifted past earlier files' items
            places[(loc[0], loc[1] + offset, *loc[2:])] = (display, line, loc)


# Pydantic adds the member type of a failed union ("int", "float") or the name of a
# validator to an error's location; those are not fields a person can find in YAML.
_NOT_FIELDS = {"int", "float", "str", "bool", "none", "list", "dict"}


def pydantic_problems(error: ValidationError, origins: Origins) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = tuple(
            part
            for part in item["loc"]
            if not (isinstance(part, str) and (part in _NOT_FIELDS or "[" in part))
        )
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        elif item["type"] == "missing":
            message = "required field is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        problems.append(origins.problem(loc, message))
    return problems
