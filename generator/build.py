"""`python -m generator build`: evidence -> pages and figures -> MkDocs -> site/.

Each step works in a staging folder under build/ and replaces the live output only
when it succeeded, so a failure anywhere leaves the previous site_src/generated/,
site_src/index.md and site/ as they were. This module is the I/O edge; the pages
and figures themselves come from the pure functions in `pages.py`.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import links, pages
from .evidence import load_evidence
from .exports import DOWNLOADS_DIR
from .loader import InputError
from .model import Evidence

SHIM = Path("node_modules/iframe-worker/shim/index.js")
SHIM_TARGET = Path("assets/iframe-worker/shim.js")  # inside the docs_dir; git-ignored
FSRS = Path("node_modules/ts-fsrs/dist/index.umd.js")
FSRS_TARGET = Path("assets/ts-fsrs/ts-fsrs.js")  # inside the docs_dir; git-ignored
# Files the site serves from npm packages (`npm ci`, pinned in package-lock.json), never
# from git: (path under the folder holding node_modules, path inside the docs_dir).
# The copies in the docs_dir are git-ignored.
NPM_ASSETS: list[tuple[Path, Path]] = [
    # Material's offline plugin loads iframe-worker from a CDN unless a local copy is
    # listed in extra.polyfills.
    (SHIM, SHIM_TARGET),
    # ts-fsrs's browser build, the scheduler of the quiz review page.
    (FSRS, FSRS_TARGET),
]


class BuildError(Exception):
    """A step failed; `problems` are printed one per line."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Project:
    """Where a build reads and writes. Tests point it at a copy in a temporary folder."""

    root: Path
    content: Path
    npm_root: Path  # the folder holding node_modules/

    @classmethod
    def at(
        cls,
        root: Path,
        content: Path | None = None,
        shim: Path | None = None,
        npm_root: Path | None = None,
    ) -> Project:
        if npm_root is None and shim is not None:  # older callers name the shim itself
            npm_root = Path(*shim.parts[: -len(SHIM.parts)])
        return cls(root, content or root / "content", npm_root or root)

    @property
    def shim(self) -> Path:
        return self.npm_root / SHIM

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def docs(self) -> Path:
        return self.root / "site_src"

    @property
    def generated(self) -> Path:
        return self.docs / links.GENERATED

    @property
    def home(self) -> Path:
        return self.docs / links.HOME

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def staging(self) -> Path:
        return self.root / "build"


# --- generation (pure apart from the optional quiz module) ------------------------------


def quiz_pages(ev: Evidence, root: Path) -> dict[str, str]:
    """The quiz pages, if the quiz package provides them: {path under generated/: text}."""
    try:
        quiz = importlib.import_module(f"{__package__}.quiz")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.quiz":
            raise
        return {}
    site_pages = getattr(quiz, "site_pages", None)
    return site_pages(ev, root) if site_pages else {}


def generate(ev: Evidence, root: Path) -> dict[str, str]:
    """Every generated file, keyed by its path inside the docs_dir."""
    quizzes = {f"{links.GENERATED}/{path}": text for path, text in quiz_pages(ev, root).items()}
    extra = frozenset(path.removeprefix(f"{links.GENERATED}/") for path in quizzes)
    files = pages.site_pages(ev, extra) | pages.site_figures(ev)
    files = _with_quiz_links(files, quizzes)
    clash = files.keys() & quizzes.keys()
    if clash:
        raise BuildError(f"quiz page would overwrite a generated page: {p}" for p in sorted(clash))
    return files | quizzes


def _with_quiz_links(files: dict[str, str], quizzes: dict[str, str]) -> dict[str, str]:
    """Evidence pages with a "Test yourself: N questions" line under each section that
    questions draw on (generator/quiz/pages.py says why it is done here)."""
    if not quizzes:
        return files
    from .quiz.pages import SECTIONS, with_test_yourself

    return with_test_yourself(files, quizzes.get(f"{links.GENERATED}/{SECTIONS}"))


# --- navigation ----------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for its nav only; tags such as !!python/name are kept as text."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_paths(config: Path) -> list[str]:
    """Every page path listed in mkdocs.yml's nav, in order."""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
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

    walk(data.get("nav", []))
    return [p for p in found if "://" not in p]


def nav_problems(ev: Evidence, nav: list[str], generated: Iterable[str]) -> list[str]:
    """A completed trial without a nav entry, or a generated nav entry nothing generates."""
    problems = []
    listed = set(nav)
    for trial in pages.completed_trials(ev):
        path = links.docs_path(links.trial_page(trial.id, ev))
        if path not in listed:
            problems.append(f"mkdocs.yml: nav: add '{path}' (completed trial {trial.name})")
    made = set(generated)
    for path in nav:
        if path.startswith(f"{links.GENERATED}/") and path not in made:
            problems.append(f"mkdocs.yml: nav: '{path}' is listed but not generated")
    return problems


# --- I/O -----------------------------------------------------------------------------


def write_tree(files: dict[str, str], folder: Path) -> None:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _replace(new: Path, live: Path, keep_old: Path) -> None:
    """Move `live` aside to `keep_old` (if it exists), then `new` into its place."""
    if live.exists():
        os.replace(live, keep_old)
    os.replace(new, live)


def _restore(live: Path, old: Path) -> None:
    if live.exists():
        shutil.rmtree(live) if live.is_dir() else live.unlink()
    if old.exists():
        os.replace(old, live)


def copy_assets(project: Project) -> int:
    """Copy NPM_ASSETS into the docs_dir; returns how many files were written.

    A file is written only when its bytes differ: `mkdocs serve` watches the docs_dir,
    and a rewrite (same bytes, new modification time) would start the next rebuild.
    """
    written = 0
    for source, target in ((project.npm_root / s, project.docs / t) for s, t in NPM_ASSETS):
        if not source.is_file():
            raise BuildError([f"{source}: missing; run `npm ci` to install the npm packages"])
        data = source.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


def keep_downloads(project: Project, new_site: Path) -> None:
    """Carry site/downloads/ (the PDF and exports `pdf` wrote) into the new site, so the
    site on disk never links to downloads that are gone. Copied, not moved: the old site
    stays whole until the new one replaces it."""
    old = project.site / DOWNLOADS_DIR
    if old.is_dir() and not (new_site / DOWNLOADS_DIR).exists():
        shutil.copytree(old, new_site / DOWNLOADS_DIR)


def run_mkdocs(project: Project, site_dir: Path) -> list[str]:
    """`mkdocs build --strict` into `site_dir`; the problems it reported, if it failed."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(project.config),
            "--site-dir",
            str(site_dir),
        ],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        return []
    lines = (result.stdout + result.stderr).splitlines()
    problems = [
        "mkdocs: " + line.strip()
        for line in lines
        if line.lstrip().startswith(("WARNING", "ERROR", "Error", "Aborted", "Config value"))
    ]
    return problems or ["mkdocs: " + line for line in lines[-10:]] or ["mkdocs build failed"]


def build(project: Project) -> str:
    """Generate, then build the site. Returns a summary; raises BuildError (exit 1) or
    the loader's InputError (exit 2), leaving the previous output intact either way."""
    ev = load_evidence(project.content, project.root)
    try:
        files = generate(ev, project.root)
    except (BuildError, InputError):  # InputError: bad quizzes/, exit 2 like bad content
        raise
    except Exception as exc:  # a template or figure bug: report it, touch nothing
        raise BuildError([f"rendering failed: {type(exc).__name__}: {exc}"]) from exc
    problems = nav_problems(ev, nav_paths(project.config), files)
    if problems:
        raise BuildError(problems)
    copy_assets(project)

    project.staging.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=project.staging))
    new_generated = work / "generated"
    home_text = files.pop(links.HOME)
    write_tree(
        {rel.removeprefix(f"{links.GENERATED}/"): text for rel, text in files.items()},
        new_generated,
    )
    (work / "index.md").write_text(home_text, encoding="utf-8")

    old_generated, old_home = work / "old-generated", work / "old-index.md"
    _replace(new_generated, project.generated, old_generated)
    _replace(work / "index.md", project.home, old_home)
    new_site = work / "site"
    problems = run_mkdocs(project, new_site)
    if problems:
        failed = project.staging / "failed-generated"
        shutil.rmtree(failed, ignore_errors=True)
        shutil.copytree(project.generated, failed)
        _restore(project.generated, old_generated)
        _restore(project.home, old_home)
        shutil.rmtree(work, ignore_errors=True)
        raise BuildError([*problems, f"the pages that failed are kept in {failed}"])
    keep_downloads(project, new_site)
    _replace(new_site, project.site, work / "old-site")
    shutil.rmtree(work, ignore_errors=True)
    pages_count = sum(1 for p in files if p.endswith(".md")) + 1
    figures_count = sum(1 for p in files if p.endswith(".svg"))
    return f"ok: {pages_count} pages, {figures_count} figures -> {project.site}"


def refresh(project: Project) -> int:
    """Regenerate in place for `mkdocs serve`: write only changed files, drop stale ones.
    Returns how many files changed."""
    ev = load_evidence(project.content, project.root)
    files = generate(ev, project.root)
    changed = copy_assets(project)
    wanted = {project.docs / rel for rel in files}
    for rel, text in files.items():
        path = project.docs / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed += 1
    if project.generated.is_dir():
        for path in project.generated.rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()
                changed += 1
    return changed
