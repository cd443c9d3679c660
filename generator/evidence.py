"""Load `content/` into a validated Evidence model, or raise every problem at once."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from . import validate
from .loader import InputError, Problem, merge_sections, pydantic_problems
from .model import Evidence
from .pack import PACK_FILE, Vocabulary, load_pack

SINGLE_SECTIONS = {"source", "drug", "case_subject"}
# The repository's own pack: whose vocabulary a content folder outside any pack is read
# with (a test's copy of content/ alone), as every command reads it without --pack.
REPOSITORY = Path(__file__).resolve().parent.parent
LIST_SECTIONS = {name for name in Evidence.model_fields if name not in SINGLE_SECTIONS}


def yaml_files(folder: Path, root: Path) -> list[tuple[str, Path]]:
    """Every .yaml/.yml file under `folder`, sorted, each with the path shown in errors.

    A symbolic link that leads out of `folder` is refused (InputError): whatever it points
    at would be published as part of the pack, and nobody reviewing the pack sees it.
    """
    inside = folder.resolve()
    found, outside = [], []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            if path.is_dir() or path.suffix in {".yaml", ".yml"}:
                outside.append(path)
        elif path.suffix in {".yaml", ".yml"} and path.is_file():
            found.append(path)
    if outside:
        raise InputError(
            Problem(
                _display(path, root),
                1,
                "(file)",
                f"a symbolic link to {path.resolve()}, outside {_display(folder, root)}/: "
                "copy the file into the pack instead",
            )
            for path in outside
        )
    return [(_display(p, root), p) for p in found]


def _display(path: Path, root: Path) -> str:
    """`path` relative to `root` as written (a link is named, not its target)."""
    absolute = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(root)), root.resolve()):
        if absolute.is_relative_to(base):
            return str(absolute.relative_to(base))
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def load_evidence(
    content_dir: Path, root: Path | None = None, vocabulary: Vocabulary | None = None
) -> Evidence:
    """The evidence in `content_dir`, checked against the pack's `vocabulary` (its settings,
    pathways and component roles), which the evidence then carries for its labels. Without
    `vocabulary`: that of the pack in `root` (pack.yaml), or, where `root` holds none, of the
    repository's own pack. Paths in problems are relative to `root`."""
    root = root or content_dir.parent
    if vocabulary is None:
        vocabulary = default_vocabulary(root)
    files = yaml_files(content_dir, root)
    if not files:
        raise InputError([_no_files(content_dir, root)])
    data, origins, problems = merge_sections(files, LIST_SECTIONS, SINGLE_SECTIONS)
    # A section missing from every file is reported against the folder itself.
    origins.places.setdefault((), (_display(content_dir, root), 0, ()))
    if problems:
        raise InputError(problems)
    try:
        evidence = Evidence.model_validate(data)
    except ValidationError as exc:
        raise InputError(pydantic_problems(exc, origins)) from None
    issues = validate.check(evidence, vocabulary)
    if issues:
        raise InputError(origins.problem(loc, message) for loc, message in issues)
    return evidence.with_vocabulary(vocabulary)


def default_vocabulary(root: Path) -> Vocabulary:
    pack = root if (root / PACK_FILE).is_file() else REPOSITORY
    return load_pack(pack).config.vocabulary


def _no_files(folder: Path, root: Path) -> Problem:
    return Problem(_display(folder, root), 0, "(folder)", "no .yaml files found")
