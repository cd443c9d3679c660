"""Shared fixtures: the evidence as loaded from content/, and a site built from it.

The site is built once per session with `--strict` into a copy of the pack in a
temporary folder (pack.yaml and content/ copied, quizzes/ linked), so the tests never
touch the working tree's site_src/, site/ or build/.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
import yaml

from generator.build import Project, build
from generator.cli import main
from generator.evidence import load_evidence
from generator.pack import PACK_FILE
from generator.quiz import load_bank
from generator.quiz.items import QuizItem

ROOT = Path(__file__).resolve().parent.parent


def make_project(folder: Path, content: Path | None = None) -> Project:
    """A buildable copy of the pack in `folder`, with its own content/ (default: ours)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / PACK_FILE, folder / PACK_FILE)
    shutil.copytree(content or ROOT / "content", folder / "content")
    (folder / "quizzes").symlink_to(ROOT / "quizzes", target_is_directory=True)
    return Project.at(folder)


def nav_paths(project: Project) -> list[str]:
    """Every page path in the nav of the MkDocs config the build wrote, in order."""
    found: list[str] = []

    def walk(entry) -> None:
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, list):
            for item in entry:
                walk(item)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)

    walk(yaml.safe_load(project.config.read_text(encoding="utf-8"))["nav"])
    return found


def pack_of(content: Path) -> Path:
    """The pack a test's content folder belongs to: its parent, given our pack.yaml if it
    has none (tests that build their own content/ reuse this pack's settings)."""
    root = content.parent
    if not (root / PACK_FILE).is_file():
        shutil.copy2(ROOT / PACK_FILE, root / PACK_FILE)
    return root


@pytest.fixture(scope="session")
def evidence():
    return load_evidence(ROOT / "content", ROOT)


@pytest.fixture(scope="session")
def _made_site(tmp_path_factory) -> tuple[Project, str]:
    """The project copy after what `make site` does: `build` (pages, figures, mkdocs
    --strict), then `pdf` (print edition and exports into site/downloads/, which the
    pages link); and what `pdf` printed. Built once: the PDF is the slowest step."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    build(project)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--pack", str(project.root), "pdf"])
    assert code == 0
    return project, out.getvalue()


@pytest.fixture(scope="session")
def built_site(_made_site) -> Project:
    return _made_site[0]


@pytest.fixture(scope="session")
def pdf_log(_made_site) -> str:
    """What the `pdf` command printed while building `built_site`."""
    return _made_site[1]


@pytest.fixture(scope="session")
def bank(evidence) -> list[QuizItem]:
    """The real bank, unlinted (the linter has tests of its own)."""
    items = load_bank(evidence, ROOT, strict=False).items
    assert items, "the bank is empty"
    return items
