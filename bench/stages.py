"""Time each stage of the full build on one prepared pack; runs as its own process.

    python -m bench.stages PACK RUNS [flags]     # prints one JSON object on stdout

A process of its own per pack, so that peak memory (getrusage) belongs to that pack.
The pack is read the way every command reads it, `generator.pipeline.load`; the stages
are the work `generator.build.build` then does, through its own functions, timed one by
one, plus the PDF:

    load      pipeline.load up to the bank: pack.yaml, then the evidence (YAML, pydantic,
              cross-record rules)
    quizzes   the rest of pipeline.load, the bank (item models expanded, linted, mock exam
              chosen), and the quiz pages (generator.quiz.site_pages); a pack without
              quizzes/ has neither, and no quiz pages in its nav
    pages     Markdown pages (generator.pages.site_pages), with their "Test yourself" lines
    figures   SVG figures (generator.pages.site_figures)
    write     the navigation (generator/nav.py), the pack's MkDocs config and nav.json into
              <pack>/build/, the generated files and assets into <pack>/site_src/
    mkdocs    `mkdocs build --strict` on <pack>/build/mkdocs.yml (generator.build.run_mkdocs,
              a subprocess)
    pdf       print edition typeset by WeasyPrint (generator.pdf.build_pdf), in the order of
              the navigation the build made

Flags: --no-pdf; --lenient-lint (pipeline.load(strict=False): the linter's findings are
counted, not raised); --check (the staged run wrote what the build would).

Copies of real trials share their values, so item-writing rules (no repeated words between
stem and key, true/false balance) fail on synthetic packs for reasons that say nothing about
speed: they are loaded with --lenient-lint. The same work is done and timed; only the
verdict differs.
"""

from __future__ import annotations

import contextlib
import json
import resource
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from generator import build, links, pages, pipeline
from generator.nav import entries_json, reading_order

ROOT = Path(__file__).resolve().parent.parent
GENERATOR_STAGES = ("load", "quizzes", "pages", "figures", "write")
STAGES = (*GENERATOR_STAGES, "mkdocs", "pdf")


def project_at(root: Path) -> build.Project:
    return build.Project.at(root, npm_root=ROOT)


def stage(name: str) -> None:
    """Say which stage starts, so a run stopped by a time limit shows where it was."""
    print(f"stage {name}", file=sys.stderr, flush=True)


def done(name: str, seconds: float) -> float:
    """Report a finished stage too, so a run stopped part-way keeps what it measured."""
    print(f"done {name} {seconds:.6f}", file=sys.stderr, flush=True)
    return seconds


@contextlib.contextmanager
def bank_started(mark: dict[str, float]) -> Iterator[None]:
    """Within pipeline.load, note when the bank starts: `load` ends and `quizzes` begins
    there. pipeline.load itself runs unchanged; its call of load_bank is wrapped."""
    real = pipeline.load_bank

    def timed(*args, **kwargs):
        mark["bank"] = time.perf_counter()
        done("load", mark["bank"] - mark["start"])
        stage("quizzes")
        return real(*args, **kwargs)

    pipeline.load_bank = timed
    try:
        yield
    finally:
        pipeline.load_bank = real


def one_run(
    project: build.Project, strict: bool, with_pdf: bool
) -> tuple[dict[str, float], pipeline.Loaded, dict[str, str], str, str]:
    """One full build, stage by stage: (seconds per stage, what pipeline.load returned,
    generated files, MkDocs config, nav.json)."""
    times: dict[str, float] = {}
    clock = time.perf_counter

    stage("load")
    mark = {"start": clock()}
    with bank_started(mark):
        loaded = pipeline.load(project.root, strict=strict)
    quizzes: dict[str, str] = {}
    if loaded.bank is None:
        times["load"] = done("load", clock() - mark["start"])
    else:
        times["load"] = mark["bank"] - mark["start"]
        quizzes = build.quiz_files(loaded)
        times["quizzes"] = done("quizzes", clock() - mark["bank"])
    ev = loaded.evidence

    stage("pages")
    start = clock()
    extra = frozenset(p.removeprefix(f"{links.GENERATED}/") for p in quizzes)
    site_pages = build._with_quiz_links(pages.site_pages(ev, extra), quizzes)
    times["pages"] = done("pages", clock() - start)

    stage("figures")
    start = clock()
    figures = pages.site_figures(ev)
    times["figures"] = done("figures", clock() - start)

    files = site_pages | figures | quizzes
    stage("write")
    start = clock()
    nav = build.site_navigation(loaded, files)
    config = build.config_text(build.site_config(loaded.pack, project, nav, frozenset(files)))
    nav_json = entries_json(reading_order(nav, files))
    shutil.rmtree(project.generated, ignore_errors=True)
    generated = dict(files)
    home = generated.pop(links.HOME)
    build.write_tree(
        {rel.removeprefix(f"{links.GENERATED}/"): text for rel, text in generated.items()},
        project.generated,
    )
    project.home.write_text(home, encoding="utf-8")
    build.copy_assets(project)
    project.staging.mkdir(exist_ok=True)
    project.config.write_text(config, encoding="utf-8")
    project.nav.write_text(nav_json, encoding="utf-8")
    times["write"] = done("write", clock() - start)

    shutil.rmtree(project.site, ignore_errors=True)
    stage("mkdocs")
    start = clock()
    problems = build.run_mkdocs(project, project.config, project.site)
    times["mkdocs"] = done("mkdocs", clock() - start)
    if problems:
        raise RuntimeError("mkdocs build failed:\n" + "\n".join(problems[:20]))

    if with_pdf:
        from generator.pdf import build_pdf

        out = project.site / "downloads" / "bench.pdf"
        stage("pdf")
        start = clock()
        # No cache: this is the typesetting (bench/unchanged.py times the cached PDF).
        build_pdf(project.site, loaded, reading_order(nav, files), out, progress=lambda _line: None)
        times["pdf"] = done("pdf", clock() - start)
    return times, loaded, files, config, nav_json


def same_as_build(project: build.Project, strict: bool, made: tuple[dict, str, str]) -> bool:
    """The staged run wrote exactly the files, MkDocs config and nav.json that
    generator.build.build renders from the same pack."""
    rendered = build._render(pipeline.load(project.root, strict=strict), project)
    return rendered == made


def counts(loaded: pipeline.Loaded, project: build.Project) -> dict[str, int | None]:
    ev = loaded.evidence
    return {
        "trials": len(ev.trials),
        "endpoints": sum(len(t.endpoints) for t in ev.trials),
        "quiz_items": None if loaded.bank is None else len(loaded.bank.items),
        "html_pages": sum(1 for _ in project.site.rglob("*.html")),
    }


def main(argv: list[str]) -> int:
    root, runs = Path(argv[0]), int(argv[1])
    with_pdf = "--no-pdf" not in argv
    strict = "--lenient-lint" not in argv
    project = project_at(root)
    result: dict = {"runs": []}
    findings: list[int] = []
    for _ in range(runs):
        times, loaded, files, config, nav_json = one_run(project, strict, with_pdf)
        result["runs"].append(times)
        if loaded.bank is not None:
            findings.append(len(loaded.bank.problems))
    if not strict:
        result["quiz_lint_findings"] = findings
    if "--check" in argv:
        result["same_as_build"] = same_as_build(project, strict, (files, config, nav_json))
    result["counts"] = counts(loaded, project)
    # ru_maxrss is in KiB on Linux. Children are measured by the caller: a child started
    # from here inherits this process's high-water mark when it execs.
    result["peak_rss_kib"] = {
        "generator_and_pdf": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
