"""`python -m generator build`: evidence -> pages and figures -> MkDocs -> site/.

Each step works in a staging folder under build/ and replaces the live output only
when it succeeded, so a failure anywhere leaves the previous site_src/generated/,
site_src/index.md and site/ as they were. This module is the I/O edge; the pages
and figures themselves come from the pure functions in `pages/`.
"""

from __future__ import annotations

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
from .downloads import DOWNLOADS_DIR
from .exports import export_bytes
from .nav import NavNode, entries_json, mkdocs_nav, reading_order, site_nav, unlisted
from .pack import Pack
from .pipeline import Loaded, load
from .quiz import BANK_JSON, TOPICS, site_pages
from .quiz.pages import SECTIONS, TITLES, with_test_yourself

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


THEME = Path(__file__).resolve().parent / "theme"  # base mkdocs.yml, overrides/, assets/
HOOK = Path(__file__).resolve().parent / "mkdocs_hook.py"
TOOL_ROOT = THEME.parent.parent  # the repository: its node_modules/ by default
CONFIG = "mkdocs.yml"  # the pack's full MkDocs config, written into its staging folder
NAV = "nav.json"  # the navigation in reading order with titles, for the print edition


@dataclass(frozen=True)
class Project:
    """Where a build of one pack reads and writes: everything inside the pack's folder
    (site_src/, site/ and build/ are outputs). Tests point it at a copy."""

    root: Path
    npm_root: Path  # the folder holding node_modules/

    @classmethod
    def at(cls, root: Path, npm_root: Path | None = None) -> Project:
        # Absolute: mkdocs runs in the pack's folder, where a relative path means another.
        return cls(Path(os.path.abspath(root)), npm_root or TOOL_ROOT)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def config(self) -> Path:
        return self.staging / CONFIG

    @property
    def nav(self) -> Path:
        return self.staging / NAV

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


def nav_file(site: Path) -> Path:
    """Where the build of the site in `site` left its navigation (beside it, in build/)."""
    return site.resolve().parent / "build" / NAV


# --- generation (pure) ----------------------------------------------------------------


def quiz_files(loaded: Loaded) -> dict[str, str]:
    """The quiz pages, their data and the bank as JSON, keyed by path inside the docs_dir;
    none for a pack without quizzes."""
    if loaded.bank is None:
        return {}
    bank = loaded.bank
    made = site_pages(bank)
    # One shape of the bank as JSON: the export's, flashcards included.
    data = export_bytes(
        "json", bank.items, loaded.evidence, loaded.pack.config.anki, cards=bank.cards
    )
    made[BANK_JSON] = data.decode("utf-8")
    return {f"{links.GENERATED}/{path}": text for path, text in made.items()}


def generate(loaded: Loaded) -> dict[str, str]:
    """Every generated file, keyed by its path inside the docs_dir."""
    ev = loaded.evidence
    quizzes = quiz_files(loaded)
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
    return with_test_yourself(files, quizzes.get(f"{links.GENERATED}/{SECTIONS}"))


def site_navigation(loaded: Loaded, files: dict[str, str]) -> list[NavNode]:
    return site_nav(loaded.evidence, frozenset(files), {t: TITLES[t] for t in TOPICS})


def site_config(
    pack: Pack, project: Project, nav: list[NavNode], files: frozenset[str] = frozenset()
) -> dict:
    """The pack's MkDocs config: the theme's, with the pack's name, folders and nav. Every
    path is absolute, so the file works wherever it is written."""
    config = yaml.safe_load((THEME / CONFIG).read_text(encoding="utf-8"))
    config = {
        "site_name": pack.config.site_name,
        "site_description": pack.config.description,
        "docs_dir": str(project.docs.resolve()),
        "site_dir": str(project.site.resolve()),
        **config,
        "hooks": [str(HOOK)],
        "nav": mkdocs_nav(nav),
    }
    if hidden := unlisted(nav, files):
        config["not_in_nav"] = "".join(f"/{path}\n" for path in hidden)
    config["theme"] = {**config["theme"], "custom_dir": str(THEME / "overrides")}
    config["extra"] = {**config.get("extra", {}), "storage_prefix": pack.config.storage_prefix}
    config["markdown_extensions"] = [
        {"pymdownx.snippets": {**ext["pymdownx.snippets"], "base_path": [str(project.docs)]}}
        if isinstance(ext, dict) and "pymdownx.snippets" in ext
        else ext
        for ext in config["markdown_extensions"]
    ]
    return config


def config_text(config: dict) -> str:
    return (
        "# Written by `python -m generator build` from generator/theme/mkdocs.yml and\n"
        + ("# the pack; edit those, not this file.\n")
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    )


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


def _assets(project: Project) -> list[tuple[Path, Path]]:
    """(source, target in the docs_dir): the theme's own assets, then NPM_ASSETS."""
    theme = THEME / "assets"
    own = [(p, project.docs / "assets" / p.relative_to(theme)) for p in theme.rglob("*")]
    npm = [(project.npm_root / s, project.docs / t) for s, t in NPM_ASSETS]
    return [pair for pair in own if pair[0].is_file()] + npm


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file holds it already. `mkdocs serve` watches the docs_dir
    and its config, and a rewrite (same bytes, new modification time) would start the next
    rebuild."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def copy_assets(project: Project) -> int:
    """Copy the theme's and the npm packages' assets into the docs_dir; how many files
    were written (only those whose bytes differ)."""
    written = 0
    for source, target in _assets(project):
        if not source.is_file():
            raise BuildError([f"{source}: missing; run `npm ci` to install the npm packages"])
        written += write_if_changed(target, source.read_bytes())
    return written


def keep_downloads(project: Project, new_site: Path) -> None:
    """Carry site/downloads/ (the PDF and exports `pdf` wrote) into the new site, so the
    site on disk never links to downloads that are gone. Copied, not moved: the old site
    stays whole until the new one replaces it."""
    old = project.site / DOWNLOADS_DIR
    if old.is_dir() and not (new_site / DOWNLOADS_DIR).exists():
        shutil.copytree(old, new_site / DOWNLOADS_DIR)


def run_mkdocs(project: Project, config: Path, site_dir: Path) -> list[str]:
    """`mkdocs build --strict` into `site_dir`; the problems it reported, if it failed."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(config),
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


def _render(loaded: Loaded, project: Project) -> tuple[dict[str, str], str, str]:
    """Every generated file, the MkDocs config and the navigation file, as text."""
    try:
        files = generate(loaded)
    except BuildError:
        raise
    except Exception as exc:  # a template or figure bug: report it, touch nothing
        raise BuildError([f"rendering failed: {type(exc).__name__}: {exc}"]) from exc
    nav = site_navigation(loaded, files)
    config = config_text(site_config(loaded.pack, project, nav, frozenset(files)))
    return files, config, entries_json(reading_order(nav, files))


def build(project: Project, loaded: Loaded | None = None) -> str:
    """Generate, then build the site. Returns a summary; raises BuildError (exit 1) or
    the loader's InputError (exit 2), leaving the previous output intact either way."""
    loaded = loaded or load(project.root)
    files, config, nav = _render(loaded, project)
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
    (work / CONFIG).write_text(config, encoding="utf-8")

    old_generated, old_home = work / "old-generated", work / "old-index.md"
    _replace(new_generated, project.generated, old_generated)
    _replace(work / "index.md", project.home, old_home)
    new_site = work / "site"
    problems = run_mkdocs(project, work / CONFIG, new_site)
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
    os.replace(work / CONFIG, project.config)
    project.nav.write_text(nav, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    pages_count = sum(1 for p in files if p.endswith(".md")) + 1
    figures_count = sum(1 for p in files if p.endswith(".svg"))
    return f"ok: {pages_count} pages, {figures_count} figures -> {project.site}"


def refresh(project: Project) -> int:
    """Regenerate in place for `mkdocs serve`: write only changed files (the config too:
    serve reloads it, so a new trial's page joins the nav), drop stale ones. Returns how
    many files changed."""
    files, config, nav = _render(load(project.root), project)
    changed = copy_assets(project)
    wanted = {project.docs / rel for rel in files}
    for rel, text in files.items():
        changed += write_if_changed(project.docs / rel, text.encode("utf-8"))
    if project.generated.is_dir():
        for path in project.generated.rglob("*"):
            if path.is_file() and path not in wanted:
                path.unlink()
                changed += 1
    changed += write_if_changed(project.config, config.encode("utf-8"))
    write_if_changed(project.nav, nav.encode("utf-8"))
    return changed
