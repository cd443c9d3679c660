"""Careless or hostile input and operations: a file too large, a quoted number, a link out
of the pack, a failed quiz check after a passed content check, assets rewritten on every
build, and a build that dropped the downloads.

Each case starts from the small valid pack (tests/fixtures/minimal) or a project copy
and checks the exact message and exit code, or the files on disk.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from xml.etree import ElementTree

import markdown
import pytest
from conftest import ROOT, make_project, pack_of

from generator import loader, pages
from generator.build import NPM_ASSETS, BuildError, Project, build, copy_assets
from generator.build import _assets as assets_of
from generator.cli import main
from generator.exports import DOWNLOADS_DIR
from generator.loader import MAX_FILE_MB


def check(content: Path, capsys) -> tuple[int, list[str], str]:
    code = main(["--pack", str(pack_of(content)), "check"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = [ln for ln in captured.err.splitlines() if ln and "problem(s)" not in ln]
    return code, lines, captured.out


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


# --- size limit -------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(pack, capsys, monkeypatch):
    big = pack / "big.yaml"
    # A valid file of glossary terms just over the limit (the limit lowered for the test,
    # so it writes kilobytes, not megabytes).
    monkeypatch.setattr(loader, "MAX_FILE_MB", 0.01)
    term = "  - {abbr: X, expansion: padding padding padding padding padding}\n"
    big.write_text("glossary:\n" + term * (int(0.01 * 1024 * 1024) // len(term) + 1))
    assert big.stat().st_size > 0.01 * 1024 * 1024
    code, lines, out = check(pack, capsys)
    assert code == 2
    assert lines == ["content/big.yaml:1: (file): larger than 0.01 MB"]
    assert out == ""


def test_the_size_limit_leaves_room_for_the_benchmark_file():
    assert MAX_FILE_MB >= 20  # `make bench` loads a 20 MB file (bench/large.py)


# --- strict numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, field, message",
    [
        (
            "        value: 9.6\n",
            '        value: "9.6"\n',
            "trials[0].endpoints[0].value",
            "a number is written without quotes: '9.6' is text",
        ),
        (
            "    n: 100\n",
            "    n: '100'\n",
            "trials[0].n",
            "a number is written without quotes: '100' is text",
        ),
        (
            "year: 2013",
            'year: "2013"',
            "drug.approvals[0].year",
            "a number is written without quotes: '2013' is text",
        ),
        (
            "  half_life_days: 4\n",
            "  half_life_days: true\n",
            "drug.half_life_days",
            "expected a number, got true",
        ),
    ],
)
def test_quoted_numbers_are_refused(pack, capsys, old, new, field, message):
    path = pack / "evidence.yaml"
    text = path.read_text()
    assert text.count(old) == 1
    text = text.replace(old, new)
    path.write_text(text)
    code, lines, out = check(pack, capsys)
    assert code == 2
    assert lines == [f"content/evidence.yaml:{line_of(text, new.strip())}: {field}: {message}"]
    assert out == ""


# --- symbolic links out of the pack -----------------------------------------------------


def test_a_link_to_a_file_outside_content_is_refused(pack, tmp_path, capsys):
    outside = tmp_path / "elsewhere" / "secret.yaml"
    outside.parent.mkdir()
    outside.write_text("glossary:\n  - {abbr: X, expansion: from outside the pack}\n")
    (pack / "linked.yaml").symlink_to(outside)
    (pack / "linked-folder").symlink_to(outside.parent, target_is_directory=True)
    code, lines, out = check(pack, capsys)
    assert code == 2
    assert lines == [
        f"content/linked-folder:1: (file): a symbolic link to {outside.parent}, outside "
        "content/: copy the file into the pack instead",
        f"content/linked.yaml:1: (file): a symbolic link to {outside}, outside content/: "
        "copy the file into the pack instead",
    ]
    assert out == ""


def test_a_link_inside_content_is_loaded(pack, capsys):
    (pack / "sub").mkdir()
    shutil.move(pack / "evidence.yaml", pack / "sub" / "evidence.yaml")
    (pack / "evidence.yaml").symlink_to(pack / "sub" / "evidence.yaml")
    # The same file twice (link and target): its single sections clash, which shows the
    # link was followed and read, and named by the link's own path.
    code, lines, _ = check(pack, capsys)
    assert code == 2
    assert (
        "content/sub/evidence.yaml:" in lines[0]
        and "already given in content/evidence.yaml" in lines[0]
    )


def test_a_link_out_of_quizzes_is_refused(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "quizzes", root / "quizzes")
    outside = tmp_path / "blueprints.yaml"
    shutil.copy(ROOT / "quizzes" / "trials.yaml", outside)
    (root / "quizzes" / "extra.yaml").symlink_to(outside)
    code, lines, out = check(root / "content", capsys)
    assert code == 2
    assert lines == [
        f"quizzes/extra.yaml:1: (file): a symbolic link to {outside}, outside quizzes/: "
        "copy the file into the pack instead"
    ]
    assert out == ""


# --- check prints its summary only when everything passed -------------------------------


def test_check_prints_no_summary_when_the_quizzes_fail(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "quizzes", root / "quizzes")
    (root / "quizzes" / "broken.yaml").write_text("blueprints: [unclosed\n")
    code, lines, out = check(root / "content", capsys)
    assert code == 2
    assert lines and lines[0].startswith("quizzes/broken.yaml:1: (yaml): malformed YAML")
    assert out == ""  # no "ok: 21 trials ..." above the failure


def test_check_prints_the_summary_when_everything_passed(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "quizzes", root / "quizzes")
    code, lines, out = check(root / "content", capsys)
    assert code == 0 and lines == []
    assert out.startswith("ok: ") and "quiz items pass the item-writing linter" in out


# --- npm assets are copied only when their bytes differ ---------------------------------


def test_assets_are_written_only_when_their_bytes_differ(tmp_path):
    project = make_project(tmp_path / "project")
    # The theme's own files (site.css, the quiz widget) and the npm packages' files.
    pairs = assets_of(project)
    assert len(pairs) > len(NPM_ASSETS)
    assert {t.relative_to(project.docs).as_posix() for _, t in pairs} >= {
        "assets/site.css",
        "assets/quiz/quiz-store.js",
        *(t.as_posix() for _, t in NPM_ASSETS),
    }
    assert copy_assets(project) == len(pairs)
    targets = [target for _, target in pairs]
    for source, target in pairs:
        assert target.read_bytes() == source.read_bytes()
    # An old modification time: a rewrite (what made `mkdocs serve` rebuild forever)
    # would change it.
    for target in targets:
        os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert copy_assets(project) == 0
    assert all(t.stat().st_mtime_ns == 1_000_000_000 for t in targets)
    targets[0].write_bytes(b"stale")
    assert copy_assets(project) == 1
    assert targets[0].read_bytes() == pairs[0][0].read_bytes()


def test_missing_npm_asset_names_the_file(tmp_path):
    project = make_project(tmp_path / "project")
    empty = tmp_path / "no-node-modules"
    empty.mkdir()
    bare = Project(project.root, empty)
    with pytest.raises(BuildError, match="missing; run `npm ci`"):
        copy_assets(bare)


# --- build keeps the downloads ----------------------------------------------------------


def test_build_keeps_site_downloads(tmp_path):
    project = make_project(tmp_path / "project")
    downloads = project.site / DOWNLOADS_DIR
    downloads.mkdir(parents=True)
    (downloads / "evidence.pdf").write_bytes(b"%PDF- the print edition")
    (downloads / "quiz-bank.gift.txt").write_text("::q::[plain]stem{T}\n")
    before = {p.name: p.read_bytes() for p in downloads.iterdir()}
    build(project)
    assert (project.site / "index.html").is_file()  # the site was rebuilt
    assert {p.name: p.read_bytes() for p in downloads.iterdir()} == before
    build(project)  # and again: still there
    assert {p.name: p.read_bytes() for p in downloads.iterdir()} == before


# --- glossary abbreviations: every page's tooltips ---------------------------------------


@pytest.mark.parametrize("abbr", ["X\\", "A\nB", "X]", "X]: y", "HER2"])
def test_an_abbreviation_never_leaves_raw_html_on_the_page(evidence, abbr):
    planted = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    term = evidence.glossary[0].model_copy(update={"abbr": abbr, "expansion": planted})
    ev = evidence.model_copy(update={"glossary": [term]})
    page = markdown.markdown(
        "Text X A B HER2 here.\n" + pages.abbreviations(ev), extensions=["abbr"]
    )
    root = ElementTree.fromstring(f"<div>{page}</div>")
    assert {el.tag for el in root.iter()} <= {"div", "p", "abbr"}, page
    for el in root.iter("abbr"):
        assert el.get("title") == planted
