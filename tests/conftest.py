"""Shared fixtures: the evidence as loaded from content/, and a site built from it.

The site is built once per session with `--strict` into a copy of the pack in a
temporary folder (pack.yaml and content/ copied, quizzes/ linked), so the tests never
touch the working tree's site_src/, site/ or build/. Under pytest-xdist the workers share
that one build: the first worker to need it builds it in the run's common temporary
folder while holding a lock, the others wait for it and read it. No test writes to the
shared build.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
import yaml

from generator.build import Project, build
from generator.cli import main
from generator.downloads import DOWNLOADS, DOWNLOADS_DIR
from generator.evidence import load_evidence
from generator.pack import PACK_FILE
from generator.quiz import load_bank
from generator.quiz.items import EvidenceRef, Flashcard, QuizItem

ROOT = Path(__file__).resolve().parent.parent


# The files that take longest, longest first. Under pytest-xdist (pyproject: two workers,
# whole files each) a worker takes the next file in collection order whenever it runs
# low, so these go first and the short files fill in at the end: both workers finish
# together. The order here changes nothing in a run on one process.
SLOWEST_FIRST = (
    "test_reader.py",
    "test_payload.py",
    "test_pdf.py",
    "test_a11y.py",
    "test_privacy.py",
    "test_fuzz_loader.py",
    "test_browser_quiz_app.py",
    "test_serve.py",
)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
        items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


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


def two_flashcards() -> list[Flashcard]:
    """Two hand-written flashcards, so review counts and card data are exact to assert."""
    ref = [EvidenceRef(record="emilia", path="phase")]
    return [
        Flashcard(
            id="phase/emilia",
            topic="trials",
            front="Which phase was EMILIA?",
            back="Phase 3",
            evidence=ref,
            link="trials/emilia.md#emilia",
        ),
        Flashcard(
            id="acronym/orr",
            topic="trials",
            front="What does ORR stand for?",
            back="Objective response rate",
            evidence=ref,
            link="glossary.md#glossary--orr",
        ),
    ]


def pack_of(content: Path) -> Path:
    """The pack a test's content folder belongs to: its parent, given our pack.yaml if it
    has none (tests that build their own content/ reuse this pack's settings)."""
    root = content.parent
    if not (root / PACK_FILE).is_file():
        shutil.copy2(ROOT / PACK_FILE, root / PACK_FILE)
    return root


def copy_of_built(built: Project, folder: Path) -> Project:
    """A copy of a built pack (links kept as links) at `folder`, for a test that writes:
    the state `make site` leaves, without building again."""
    shutil.copytree(built.root, folder, symlinks=True)
    return Project.at(folder)


MINIMAL = Path(__file__).parent / "fixtures" / "minimal" / "evidence.yaml"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """The content/ folder of a small valid pack (one evidence file, tests/fixtures/minimal),
    for tests that break one thing in it; `pack_of` gives it this pack's pack.yaml."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(MINIMAL, content / "evidence.yaml")
    return content


@pytest.fixture(scope="session")
def evidence():
    return load_evidence(ROOT / "content", ROOT)


def _pdf(project: Project) -> str:
    """Run the `pdf` command on a built project copy; what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--pack", str(project.root), "pdf"])
    assert code == 0, out.getvalue()
    return out.getvalue()


def _make_site(folder: Path) -> None:
    """What `make site` does, in a project copy at `folder`/project: `build` (pages,
    figures, mkdocs --strict), then `pdf` (print edition and exports into site/downloads/,
    which the pages link). Then `pdf` once more on the unchanged site, which must reuse
    the edition (test_pdf checks it): done here, before any test reads the downloads, so
    no test rewrites files other tests (other workers) may be reading. Each log is kept in
    a file beside the project, with the PDF as the first `pdf` left it."""
    project = make_project(folder / "project")
    build(project)
    (folder / "pdf.log").write_text(_pdf(project), encoding="utf-8")
    pdf = project.site / DOWNLOADS_DIR / DOWNLOADS["pdf"][0]
    shutil.copyfile(pdf, folder / "first.pdf")
    (folder / "pdf-again.log").write_text(_pdf(project), encoding="utf-8")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder `make` fills, made once per run. Under pytest-xdist the workers' temporary
    folders sit in one folder per run: the first worker to ask makes it there, holding a
    lock, and the others wait for it and read it."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent
    folder = shared / name
    with _locked(shared / f"{name}.lock"):
        if not (folder / ".done").is_file():
            # A worker whose `make` failed left no `.done`: make again (and fail again).
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".done").touch()
    return folder


@pytest.fixture(scope="session")
def _made_site(tmp_path_factory) -> Path:
    """The folder `_make_site` filled, once per run."""
    return _once_per_run(tmp_path_factory, "built", _make_site)


@pytest.fixture(scope="session")
def built_site(_made_site) -> Project:
    return Project.at(_made_site / "project")


@pytest.fixture(scope="session")
def pdf_log(_made_site) -> str:
    """What the `pdf` command printed while building `built_site`."""
    return (_made_site / "pdf.log").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pdf_again(_made_site) -> tuple[str, bytes]:
    """`pdf` run a second time on `built_site`, unchanged: (what it printed, the PDF's
    bytes before that second run)."""
    return (
        (_made_site / "pdf-again.log").read_text(encoding="utf-8"),
        (_made_site / "first.pdf").read_bytes(),
    )


@pytest.fixture(scope="session")
def pdf_page_texts(tmp_path_factory, built_site) -> list[str]:
    """pypdf's text of each page of `built_site`'s PDF (test_pdf and test_reader_text
    read it; extracting it takes seconds, so it is done once per run)."""

    def extract(folder: Path) -> None:
        pdf = built_site.site / DOWNLOADS_DIR / DOWNLOADS["pdf"][0]
        texts = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
        (folder / "pages.json").write_text(json.dumps(texts), encoding="utf-8")

    folder = _once_per_run(tmp_path_factory, "pdf-text", extract)
    return json.loads((folder / "pages.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bank(evidence) -> list[QuizItem]:
    """The real bank, unlinted (the linter has tests of its own)."""
    items = load_bank(evidence, ROOT, strict=False).items
    assert items, "the bank is empty"
    return items
