"""Shared fixtures: the evidence as loaded from content/, and a site built from it.

The site is built once per session with `--strict` into a copy of the project in a
temporary folder (mkdocs.yml, site_src/ and content/ copied; generator/, quizzes/ and
the theme overrides linked), so the tests never touch the working tree's
site_src/generated/ or site/.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from generator.build import SHIM, Project, build
from generator.cli import main
from generator.evidence import load_evidence
from generator.quiz import load_bank
from generator.quiz.items import QuizItem

ROOT = Path(__file__).resolve().parent.parent
# Outputs of a build, never inputs to a copy.
_GENERATED_IN_DOCS = ("generated", "index.md", "assets/iframe-worker", "assets/ts-fsrs")


def make_project(folder: Path, content: Path | None = None) -> Project:
    """A buildable copy of the project in `folder`, with its own content/ (default: ours)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    docs = ROOT / "site_src"
    skip = {docs / p for p in _GENERATED_IN_DOCS}
    shutil.copytree(
        docs,
        folder / "site_src",
        ignore=lambda d, names: [n for n in names if Path(d) / n in skip],
    )
    shutil.copytree(content or ROOT / "content", folder / "content")
    for linked in ("generator", "quizzes", "overrides"):
        (folder / linked).symlink_to(ROOT / linked, target_is_directory=True)
    return Project.at(folder, shim=ROOT / SHIM)


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
        code = main(["--content", str(project.content), "pdf", "--site", str(project.site)])
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
