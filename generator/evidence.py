"""Load `content/` into a validated Evidence model, or raise every problem at once."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from . import validate
from .loader import InputError, Problem, merge_sections, pydantic_problems
from .model import Evidence

SINGLE_SECTIONS = {"source", "drug"}
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


def load_evidence(content_dir: Path, root: Path | None = None) -> Evidence:
    root = root or content_dir.parent
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
    issues = validate.check(evidence)
    if issues:
        raise InputError(origins.problem(loc, message) for loc, message in issues)
    return evidence


def _no_files(folder: Path, root: Path) -> Problem:
    return Problem(_display(folder, root), 0, "(folder)", "no .yaml files found")
