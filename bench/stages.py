"""Time each stage of the full build on one prepared project; runs as its own process.

    python -m bench.stages PROJECT_ROOT RUNS      # prints one JSON object on stdout

A process of its own per pack, so that peak memory (getrusage) belongs to that pack.
The stages are the ones `generator.build.build` runs, called one by one, plus the PDF:

    load      load_evidence: YAML, pydantic, cross-record rules
    quizzes   quiz bank, item linter and quiz pages (generator.build.quiz_pages)
    pages     Markdown pages (generator.pages.site_pages)
    figures   SVG figures (generator.pages.site_figures)
    write     generated files and the offline shim into the docs_dir
    mkdocs    `mkdocs build --strict` (generator.build.run_mkdocs, a subprocess)
    pdf       print edition typeset by WeasyPrint (generator.pdf.build_pdf)

Flags: --no-pdf, --no-quizzes (the quiz stage skipped, for packs where it cannot finish
in time; the project's nav must then leave the quiz pages out), --lenient-lint, --check.
"""

from __future__ import annotations

import functools
import json
import resource
import shutil
import sys
import time
from pathlib import Path

from generator import build, links, pages
from generator.evidence import load_evidence
from generator.quiz import load_bank
from generator.quiz import pages as quiz_pages

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_STAGES = ("load", "quizzes", "pages", "figures", "write")
STAGES = (*GENERATOR_STAGES, "mkdocs", "pdf")


def project_at(root: Path) -> build.Project:
    return build.Project.at(root, npm_root=ROOT)


def lenient_checked_bank(ev, root: Path, findings: list[int]):
    """generator.quiz.pages.checked_bank, with the linter's findings counted, not raised.

    Copies of real trials share their values, so item-writing rules (no repeated words
    between stem and key, true/false balance) fail on synthetic packs for reasons that
    say nothing about speed. The same work is done and timed; only the verdict differs.
    """
    bank = load_bank(ev, root, strict=False)
    findings.append(len(bank.problems))
    return bank.items, bank.exam


def stage(name: str) -> None:
    """Say which stage starts, so a run stopped by a time limit shows where it was."""
    print(f"stage {name}", file=sys.stderr, flush=True)


def done(name: str, seconds: float) -> float:
    """Report a finished stage too, so a run stopped part-way keeps what it measured."""
    print(f"done {name} {seconds:.6f}", file=sys.stderr, flush=True)
    return seconds


def one_run(
    project: build.Project, with_pdf: bool, with_quizzes: bool = True
) -> tuple[dict[str, float], dict[str, str]]:
    """One full build, stage by stage: (seconds per stage, generated files)."""
    times: dict[str, float] = {}
    clock = time.perf_counter

    stage("load")
    start = clock()
    ev = load_evidence(project.content, project.root)
    times["load"] = done("load", clock() - start)

    quizzes: dict[str, str] = {}
    if with_quizzes:
        stage("quizzes")
        start = clock()
        made = build.quiz_pages(ev, project.root)
        quizzes = {f"{links.GENERATED}/{path}": text for path, text in made.items()}
        times["quizzes"] = done("quizzes", clock() - start)

    stage("pages")
    start = clock()
    extra = frozenset(p.removeprefix(f"{links.GENERATED}/") for p in quizzes)
    site_pages = pages.site_pages(ev, extra)
    times["pages"] = done("pages", clock() - start)

    stage("figures")
    start = clock()
    figures = pages.site_figures(ev)
    times["figures"] = done("figures", clock() - start)

    files = site_pages | figures | quizzes
    stage("write")
    start = clock()
    shutil.rmtree(project.generated, ignore_errors=True)
    generated = dict(files)
    home = generated.pop(links.HOME)
    build.write_tree(
        {rel.removeprefix(f"{links.GENERATED}/"): text for rel, text in generated.items()},
        project.generated,
    )
    project.home.write_text(home, encoding="utf-8")
    build.copy_assets(project)
    times["write"] = done("write", clock() - start)

    shutil.rmtree(project.site, ignore_errors=True)
    stage("mkdocs")
    start = clock()
    problems = build.run_mkdocs(project, project.site)
    times["mkdocs"] = done("mkdocs", clock() - start)
    if problems:
        raise RuntimeError("mkdocs build failed:\n" + "\n".join(problems[:20]))

    if with_pdf:
        from generator.pdf import build_pdf

        # The bank was timed in `quizzes`; the PDF stage is the typesetting.
        bank = load_bank(ev, project.root, strict=False).items
        out = project.site / "downloads" / "bench.pdf"
        stage("pdf")
        start = clock()
        build_pdf(project.site, ev, bank, out, progress=lambda _line: None)
        times["pdf"] = done("pdf", clock() - start)
    return times, files


def same_as_build(project: build.Project, files: dict[str, str]) -> bool:
    """The staged run generated exactly what generator.build.generate generates."""
    ev = load_evidence(project.content, project.root)
    return build.generate(ev, project.root) == files


def counts(project: build.Project, with_quizzes: bool) -> dict[str, int | None]:
    ev = load_evidence(project.content, project.root)
    bank = None
    if with_quizzes:
        bank = load_bank(ev, project.root, strict=False).items
    return {
        "trials": len(ev.trials),
        "endpoints": sum(len(t.endpoints) for t in ev.trials),
        "quiz_items": None if bank is None else len(bank),
        "html_pages": sum(1 for _ in project.site.rglob("*.html")),
    }


def main(argv: list[str]) -> int:
    root, runs = Path(argv[0]), int(argv[1])
    with_pdf = "--no-pdf" not in argv
    project = project_at(root)
    result: dict = {"runs": []}
    if "--lenient-lint" in argv:
        findings: list[int] = []
        quiz_pages.checked_bank = functools.partial(lenient_checked_bank, findings=findings)
        result["quiz_lint_findings"] = findings
    files: dict[str, str] = {}
    for _ in range(runs):
        times, files = one_run(project, with_pdf, "--no-quizzes" not in argv)
        result["runs"].append(times)
    if "--check" in argv:
        result["same_as_build"] = same_as_build(project, files)
    result["counts"] = counts(project, "--no-quizzes" not in argv)
    # ru_maxrss is in KiB on Linux. Children are measured by the caller: a child started
    # from here inherits this process's high-water mark when it execs.
    result["peak_rss_kib"] = {
        "generator_and_pdf": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
