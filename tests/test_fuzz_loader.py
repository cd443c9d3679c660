"""Bad content never crashes: mutated copies of the real content give a clean error or a model.

Hypothesis breaks one real content file at a time (deleted keys, wrong types, random
strings and numbers, duplicated records, broken YAML, HTML and script in text) and feeds
the whole pack to the real loader. The only acceptable outcomes are an InputError whose
every problem reads `path:line: field: message`, pointing at a content file that exists and
a line inside it, or an Evidence in which every record of the files left alone is the one
the real content gives (a change to one file reaches that file's records only).
"""

from __future__ import annotations

import copy
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import loader
from generator.evidence import SINGLE_SECTIONS, load_evidence
from generator.loader import InputError
from generator.model import Evidence

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
# CI runs at least this many generated cases (the issue asks for 1,000).
FUZZ_CASES = 1000

PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<field>[^\n]+?): (?P<message>.+)$")

MARKUP = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "</textarea><svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ config }}",
    "{% include 'x' %}",
    "<!-- unclosed",
    "&amp; &lt; &#0;",
    "\"quoted\" and 'single'",
    "::: admonition",
]


def content_files() -> list[Path]:
    return sorted(p.relative_to(CONTENT) for p in CONTENT.rglob("*.yaml"))


def test_there_is_real_content_to_fuzz():
    files = content_files()
    assert len(files) >= 5, f"expected the real content pack, found {files}"
    assert any(str(f).startswith("trials/") for f in files)


# --- the mutations ------------------------------------------------------------------------

SCALARS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.booleans(),
    st.none(),
    st.sampled_from(MARKUP),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text("abcdefgh_-", min_size=1, max_size=8), inner, max_size=3),
    ),
    max_leaves=6,
)
# Unknown keys: mostly plausible typos, sometimes text that a one-line report must survive
# (a quoted YAML key can hold a line break or a tab).
KEYS = st.one_of(
    st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10),
    st.text(st.sampled_from(list("ab_\n\t\r<>")), min_size=1, max_size=6),
)
# Characters that mean something to YAML, so inserted text tends to break structure.
YAML_NOISE = st.text(
    st.one_of(st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\t\n ")), st.characters(codec="utf-8")),
    min_size=1,
    max_size=12,
)


def pick_node(data: Any, draw) -> tuple[Any, list]:
    """Walk from the top of a file's data to a random container; return it and its path."""
    node, path = data, []
    while True:
        children = (
            list(node.keys())
            if isinstance(node, dict)
            else list(range(len(node)))
            if isinstance(node, list)
            else []
        )
        deeper = [c for c in children if isinstance(node[c], dict | list) and node[c]]
        if not deeper or (path and draw(st.booleans())):
            return node, path
        child = draw(st.sampled_from(deeper))
        node, path = node[child], path + [child]


def string_leaves(data: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from string_leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from string_leaves(value, path + (index,))
    elif isinstance(data, str):
        yield path


def set_at(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def mutate_data(data: Any, draw) -> str:
    """One structural change to parsed data; returns what was done (for the failure report)."""
    node, path = pick_node(data, draw)
    op = draw(
        st.sampled_from(
            ["delete", "replace", "duplicate", "markup", "rename", "add", "retype", "number"]
        )
    )
    keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
    if op == "markup":
        leaves = list(string_leaves(data))
        if leaves:
            leaf = draw(st.sampled_from(leaves))
            parent = data
            for part in leaf[:-1]:
                parent = parent[part]
            where = draw(st.sampled_from(["replace", "append"]))
            markup = draw(st.sampled_from(MARKUP))
            parent[leaf[-1]] = markup if where == "replace" else parent[leaf[-1]] + " " + markup
            return f"markup {where} at {list(leaf)}"
        op = "replace"
    if not keys:
        return "nothing to mutate"
    key = draw(st.sampled_from(keys))
    if op == "delete":
        del node[key]
    elif op == "replace":
        node[key] = draw(VALUES)
    elif op == "number":
        node[key] = draw(
            st.one_of(
                st.integers(),
                st.floats(),
                st.sampled_from([0, -1, 101, 1e308, -0.0, 2**63, "12", "1.5%"]),
            )
        )
    elif op == "retype":
        value = node[key]
        node[key] = (
            [value]
            if not isinstance(value, list)
            else {"x": value}
            if draw(st.booleans())
            else str(value)
        )
    elif op == "duplicate":
        if isinstance(node, list):
            node.insert(draw(st.integers(0, len(node))), copy.deepcopy(node[key]))
        else:
            node[f"{key}"] = copy.deepcopy(node[key])  # same key: a no-op in a dict
            return f"duplicate (no-op on mapping) at {path}"
    elif op == "rename" and isinstance(node, dict):
        node[draw(KEYS)] = node.pop(key)
    elif op == "add" and isinstance(node, dict):
        node[draw(KEYS)] = draw(VALUES)
    else:
        node[key] = draw(VALUES)
    return f"{op} {key!r} at {path}"


def mutate_text(text: str, draw) -> tuple[str | bytes, str]:
    """One textual change that may or may not leave valid YAML."""
    lines = text.splitlines(keepends=True)
    op = draw(
        st.sampled_from(
            [
                "insert",
                "delete",
                "truncate",
                "duplicate-line",
                "reindent",
                "second-document",
                "nesting",
                "bad-utf8",
                "empty",
                "tag",
                "alias",
                "markup-line",
            ]
        )
    )
    at = draw(st.integers(0, max(len(text) - 1, 0)))
    line_no = draw(st.integers(0, max(len(lines) - 1, 0)))
    if op == "insert":
        return text[:at] + draw(YAML_NOISE) + text[at:], f"insert at {at}"
    if op == "delete":
        end = at + draw(st.integers(1, 200))
        return text[:at] + text[end:], f"delete {at}:{end}"
    if op == "truncate":
        return text[:at], f"truncate at {at}"
    if op == "duplicate-line":
        return "".join(lines[: line_no + 1] + lines[line_no:]), f"duplicate line {line_no + 1}"
    if op == "reindent":
        line = lines[line_no]
        stripped = line.lstrip(" ")
        indent = draw(st.sampled_from(["", " ", "   ", "\t", "        "]))
        lines[line_no] = indent + stripped
        return "".join(lines), f"reindent line {line_no + 1} with {indent!r}"
    if op == "second-document":
        return text + "\n---\n" + text[:at], "second document"
    if op == "nesting":
        depth = draw(st.integers(1, 3000))
        return text[:at] + "[" * depth + text[at:], f"{depth} open brackets at {at}"
    if op == "bad-utf8":
        raw = text.encode()
        return raw[:at] + b"\xff\xfe\xc3" + raw[at:], f"invalid UTF-8 at byte {at}"
    if op == "empty":
        return draw(st.sampled_from(["", "\n", "# only a comment\n", "---\n", "~\n"])), "empty"
    if op == "tag":
        tag = draw(st.sampled_from(["!!python/object:os.system", "!!binary", "!custom", "!!set"]))
        lines[line_no] = re.sub(r":\s+(\S)", f": {tag} \\1", lines[line_no], count=1)
        return "".join(lines), f"tag {tag} on line {line_no + 1}"
    if op == "alias":
        lines[line_no] = re.sub(r":\s+(\S.*)$", ": &a [*a]", lines[line_no], count=1)
        return "".join(lines), f"recursive alias on line {line_no + 1}"
    # markup-line: raw HTML/script as a whole value, unquoted where YAML allows it
    markup = draw(st.sampled_from(MARKUP))
    lines[line_no] = re.sub(r":\s+(\S.*)$", f": {markup}", lines[line_no], count=1)
    return "".join(lines), f"markup on line {line_no + 1}"


@st.composite
def broken_file(draw, files: list[Path], parsed: dict[Path, Any], texts: dict[Path, str]):
    target = draw(st.sampled_from(files))
    if draw(st.booleans()) and parsed[target] is not None:
        data = copy.deepcopy(parsed[target])
        steps = [mutate_data(data, draw) for _ in range(draw(st.integers(1, 3)))]
        new = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        return target, new, "; ".join(steps)
    new, step = mutate_text(texts[target], draw)
    return target, new, step


# --- checking the outcome -----------------------------------------------------------------


def assert_clean_problems(error: InputError, root: Path) -> None:
    assert error.problems, "an InputError must name at least one problem"
    for problem in error.problems:
        text = str(problem)
        match = PROBLEM_LINE.match(text)
        assert match, f"not `path:line: field: message`: {text!r}"
        assert match["message"].strip(), text
        path, line = match["path"], int(match["line"])
        target = root / path
        if path == "content" and line == 0:
            continue  # a section missing from every file belongs to the folder
        assert target.is_file() and target.suffix == ".yaml", f"no such content file: {text!r}"
        assert line >= 1, f"line must be 1 or more: {text!r}"
        last = target.read_bytes().count(b"\n") + 1
        assert line <= last, f"line {line} beyond the end ({last}) of {path}: {text!r}"


def records_per_file(parsed: dict[Path, Any]) -> dict[Path, dict[str, int | None]]:
    """{file: {section: how many records it gives a list section, None for a single one}},
    in the order the loader reads the files (the pack's sorted paths)."""
    return {
        f: {
            section: None if section in SINGLE_SECTIONS else len(value)
            for section, value in data.items()
        }
        for f, data in sorted(parsed.items())
    }


def assert_only_the_target_changed(
    evidence: Evidence, real: Evidence, counts: dict[Path, dict[str, int | None]], target: Path
) -> None:
    """The mutated pack loaded: each section holds, before and after the mutated file's
    share, exactly the records the other files give in the real content."""
    files = list(counts)
    at = files.index(target)
    for section in Evidence.model_fields:
        got, want = getattr(evidence, section), getattr(real, section)
        if section in SINGLE_SECTIONS:
            if section not in counts[target]:
                assert got == want, f"{section}: changed by a mutation of {target}"
            continue
        before = sum(counts[f].get(section) or 0 for f in files[:at])
        after = sum(counts[f].get(section) or 0 for f in files[at + 1 :])
        assert before + after <= len(got), f"{section}: records of other files were dropped"
        assert got[:before] == want[:before], f"{section}: a record before {target} changed"
        assert got[len(got) - after :] == want[len(want) - after :], (
            f"{section}: a record after {target} changed"
        )


@pytest.fixture(scope="module")
def pack() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp)
        shutil.copytree(CONTENT, root / "content")
        yield root


def cached_read_yaml():
    """The real read_yaml, remembered per (file, bytes).

    Parsing all of content/ in pure Python takes ~0.2 s; a case changes one file, so the
    others are parsed once. The answer for unchanged bytes is the same by construction,
    and each caller gets its own copy of the data: a deep copy, made by unpickling the
    data pickled once (several times faster than copy.deepcopy on every call).
    """
    real = loader.read_yaml
    memo: dict[tuple[str, bytes], tuple] = {}

    def read_yaml(path: Path, display: str):
        key = (display, path.read_bytes())
        if key not in memo:
            data, lines, problems = real(path, display)
            memo[key] = pickle.dumps(data, pickle.HIGHEST_PROTOCOL), lines, problems
        data, lines, problems = memo[key]
        return pickle.loads(data), dict(lines), list(problems)

    return read_yaml


def test_mutated_content_gives_a_clean_error_or_a_valid_model(pack):
    files = content_files()
    texts = {f: (CONTENT / f).read_text(encoding="utf-8") for f in files}
    parsed = {f: loader.read_yaml(CONTENT / f, str(f))[0] for f in files}
    counts = records_per_file(parsed)
    real = load_evidence(CONTENT, ROOT)
    assert all(
        sum(n.get(section) or 0 for n in counts.values()) == len(getattr(real, section))
        for section in Evidence.model_fields
        if section not in SINGLE_SECTIONS
    ), "each list section is the files' records one after another"
    content = pack / "content"
    outcomes = {"error": 0, "valid": 0}

    @settings(
        max_examples=FUZZ_CASES,
        deadline=None,
        database=None,
        # CI replays one fixed set of 1,000 cases, so a landing never hangs on a new draw;
        # every other run explores fresh cases.
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=broken_file(files, parsed, texts))
    def check(case):
        target, new, _what = case
        path = content / target
        try:
            if isinstance(new, bytes):
                path.write_bytes(new)
            else:
                path.write_text(new, encoding="utf-8")
            try:
                evidence = load_evidence(content, pack)
            except InputError as error:
                assert_clean_problems(error, pack)
                outcomes["error"] += 1
            else:
                assert_only_the_target_changed(evidence, real, counts, target)
                outcomes["valid"] += 1
        finally:
            path.write_text(texts[target], encoding="utf-8")

    with mock.patch.object(loader, "read_yaml", cached_read_yaml()):
        check()
    assert sum(outcomes.values()) >= FUZZ_CASES, outcomes
    # Mutations that keep the pack valid (markup in prose) and ones that break it both occur.
    assert outcomes["error"] > 0 and outcomes["valid"] > 0, outcomes


def test_unmodified_content_is_valid(pack, evidence):
    """The pack copy (put back after every fuzzed case) loads to the real content's model."""
    copied = load_evidence(pack / "content", pack)
    assert copied == evidence
    assert {t.id for t in copied.trials} >= {"emilia", "th3resa"}


# --- the same through the real command line: exit 2 and the old site untouched -------------

# (what is broken, file, old text, new text): one of each class, on the real content.
CLI_CASES = [
    ("malformed YAML", "trials/emilia.yaml", "    phase: ", "    phase: [\n"),
    ("wrong type", "trials/emilia.yaml", "    n: 991\n", "    n: [991]\n"),
    ("control character", "source.yaml", "source:", "\x07source:"),
    ("markup and a dangling arm", "trials/emilia.yaml", "arm: tdm1", "arm: <script>x</script>"),
]


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def project_copy() -> Iterator[Path]:
    """A copy of the project in a temporary root, with a previous build in site/.

    `python -m generator build` writes next to the package it runs from, so running the
    copied package keeps the real site/ out of harm's way.
    """
    with tempfile.TemporaryDirectory(prefix="cli-") as tmp:
        root = Path(tmp)
        for name in ("generator", "content", "quizzes"):
            if (ROOT / name).is_dir():
                shutil.copytree(
                    ROOT / name,
                    root / name,
                    ignore=shutil.ignore_patterns("__pycache__", "generated"),
                )
        shutil.copy(ROOT / "pack.yaml", root / "pack.yaml")
        site = root / "site"
        (site / "generated").mkdir(parents=True)
        (site / "index.html").write_text("<!doctype html><title>previous build</title>\n")
        (site / "generated" / "emilia.html").write_text("<p>previous EMILIA page</p>\n")
        (root / "site_src" / "generated").mkdir(parents=True, exist_ok=True)
        (root / "site_src" / "generated" / "timeline.md").write_text("# previous timeline\n")
        yield root


@pytest.mark.parametrize(
    ("file", "old", "new"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES]
)
def test_cli_build_on_broken_content_exits_2_and_keeps_the_old_site(project_copy, file, old, new):
    root = project_copy
    target = root / "content" / file
    original = target.read_text(encoding="utf-8")
    assert original.count(old) >= 1, f"{file} must contain {old!r}"
    target.write_text(original.replace(old, new, 1), encoding="utf-8")
    before = {name: tree_snapshot(root / name) for name in ("site", "site_src")}
    assert before["site"], "the previous build must not be empty"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "generator", "build"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    finally:
        target.write_text(original, encoding="utf-8")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    problems = [line for line in result.stderr.splitlines() if line and "problem(s);" not in line]
    assert problems, result.stderr
    for line in problems:
        match = PROBLEM_LINE.match(line)
        assert match, f"not `path:line: field: message`: {line!r}"
        assert match["path"] == f"content/{file}", line
        assert int(match["line"]) >= 1, line
    for name, snapshot in before.items():
        assert tree_snapshot(root / name) == snapshot, f"a failed build changed {name}/"
