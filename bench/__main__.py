"""`python -m bench` (`make bench`): how long the full build takes, and how it scales.

For the real pack and synthetic packs 10x and 100x its size (bench/synth.py), each a pack
folder of its own in a temporary folder (pack.yaml, content/, quizzes/; the build writes
its MkDocs config and nav there), it times every stage of the full build, through
`generator.pipeline.load` and the build's own functions (bench/stages.py), takes the
median over the runs, and prints:
  - seconds per stage, the generator's share of the whole, and the growth ratio
    (time at 100x / (100 x time at 1x)) per stage;
  - bytes of the largest quiz page, and of the JavaScript and CSS the site adds to
    Material's own;
  - peak memory;
  - Zensical (pinned in requirements-bench.txt) beside `mkdocs build`, when it installs;
  - the load of one content file of about 1 MB and 20 MB (bench/large.py): linear or not.
  - the PDF's typesetting (the `pdf` stage), and `make site` run again with nothing
    changed, the PDF then reused from its cache (bench/unchanged.py).
Everything also goes to bench/results.json (git-ignored).

    python -m bench [--runs 5] [--runs-10x 3] [--runs-100x 1] [--factors 1,10,100]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import material
import yaml

from . import large, synth
from .stages import GENERATOR_STAGES, STAGES, project_at

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
REQUIREMENTS = ROOT / "requirements-bench.txt"
ZENSICAL_VENV = ROOT / ".venv-zensical"
ZENSICAL = ZENSICAL_VENV / "bin" / "zensical"
ZENSICAL_STAMP = ZENSICAL_VENV / ".installed"  # newer than requirements-bench.txt: current
SEARCH_INDEX = "search/search_index.js"
MATERIAL_ASSETS = Path(material.__file__).resolve().parent / "templates"


def prepare(factor: int, where: Path, quizzes: bool = True) -> Path:
    """A pack with `factor` times the real trials (bench/synth.py): pack.yaml, content/ and,
    unless `quizzes` is false, quizzes/; returns its folder. The build writes everything
    else into it (site_src/, build/ with the MkDocs config and its generated nav, site/);
    without quizzes/ the pack has no bank, so no quiz pages and none in the nav."""
    synth.synthesize(factor, where, ROOT / "content")
    if not quizzes:
        shutil.rmtree(where / "quizzes")
    return where


class TimedOut(RuntimeError):
    def __init__(self, message: str, stage: str, finished: dict[str, float]):
        super().__init__(message)
        self.stage = stage
        self.finished = finished  # stages of the first run that did finish


def run_stages(root: Path, runs: int, flags: list[str], limit: float) -> dict:
    """bench.stages in a process group of its own, stopped (with mkdocs) after `limit` s."""
    args = [sys.executable, "-m", "bench.stages", str(root), str(runs), *flags]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=err, start_new_session=True)
        try:
            child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            err.seek(0)
            log = [ln.split() for ln in err.read().splitlines()]
            started = [w[1] for w in log if len(w) == 2 and w[0] == "stage"]
            where = started[-1] if started else "start-up"
            finished: dict[str, float] = {}
            for w in log:
                if len(w) == 3 and w[0] == "done" and w[1] not in finished:
                    finished[w[1]] = float(w[2])
            message = f"stopped after {limit:.0f} s, in stage '{where}'"
            raise TimedOut(message, where, finished) from None
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            lines = [ln for ln in err.read().splitlines() if not ln.startswith("stage ")]
            raise RuntimeError("\n".join(lines[-15:]))
        return json.loads(out.read())


def unchanged_site(root: Path, runs: int) -> dict:
    """bench.unchanged on the 1x project: `make site` repeated with nothing changed."""
    args = [sys.executable, "-m", "bench.unchanged", str(root), str(runs)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


def mkdocs_peak_kib(root: Path) -> dict[str, int]:
    """Peak RSS of one `mkdocs build` of the prepared pack (on the config its build wrote),
    started from this small process (a child's figure includes its parent's high-water
    mark, given as the floor)."""
    config = project_at(root).config
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    args += ["--config-file", str(config), "--site-dir", str(root / "site-mem")]
    child = subprocess.Popen(args, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    shutil.rmtree(root / "site-mem", ignore_errors=True)
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"mkdocs": usage.ru_maxrss, "floor": floor, "exit": child.returncode}


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    stages = [s for s in STAGES if all(s in r for r in runs)]
    out = {s: statistics.median(r[s] for r in runs) for s in stages}
    out["generator"] = sum(out[s] for s in GENERATOR_STAGES if s in out)
    out["total"] = sum(out[s] for s in stages)
    return out


# --- sizes ---------------------------------------------------------------------------


def material_asset_paths() -> set[str]:
    return {p.relative_to(MATERIAL_ASSETS).as_posix() for p in MATERIAL_ASSETS.rglob("*")}


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S
)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def sizes(site: Path) -> dict:
    """Largest quiz page; JS/CSS files not shipped by Material; inline script and style."""
    quiz_pages = sorted(
        (p.stat().st_size, p.relative_to(site).as_posix())
        for p in (site / "generated" / "quizzes").rglob("*.html")
    )
    # The search index is written by Material's offline plugin from our pages: it is
    # Material's code path, but it grows with the content, so it is reported on its own.
    theirs = material_asset_paths() | {SEARCH_INDEX}
    added = {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in site.rglob("*")
        if p.suffix in {".js", ".css"} and p.relative_to(site).as_posix() not in theirs
    }
    index = site / SEARCH_INDEX
    # Material's own inline scripts are the same on every page; ours differ by page.
    inline = {}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        inline[page.relative_to(site).as_posix()] = sum(
            len(m.group(1).encode()) for m in INLINE_SCRIPT.finditer(text)
        ) + sum(len(m.group(1).encode()) for m in INLINE_STYLE.finditer(text))
    return {
        "largest_quiz_page": {"path": quiz_pages[-1][1], "bytes": quiz_pages[-1][0]}
        if quiz_pages
        else None,
        "quiz_pages": len(quiz_pages),
        "added_js_css_files": added,
        "added_js_css_bytes": sum(added.values()),
        "search_index_js_bytes": index.stat().st_size if index.is_file() else 0,
        "inline_script_style_bytes_max_page": max(inline.values(), default=0),
        "inline_script_style_bytes_min_page": min(inline.values(), default=0),
    }


QUIZ_ASSETS = ("assets/quiz/", "assets/ts-fsrs/")


def widget_bytes(site: Path) -> dict[str, int]:
    """The quiz widget's own JS and CSS (ts-fsrs included), file by file."""
    return {
        p.relative_to(site).as_posix(): p.stat().st_size
        for p in site.rglob("*")
        if p.suffix in {".js", ".css"} and p.relative_to(site).as_posix().startswith(QUIZ_ASSETS)
    }


def mock_exam_interactive(site: Path, loads: int = 5) -> dict:
    """Time to interactive of the mock exam page from file:// in headless Chromium: from
    navigation start to the widget's "Start the exam" button being on the page, in ms
    (performance.now() when it appears), median of `loads` fresh loads."""
    chromium = Path("/usr/bin/chromium")
    page_file = site / "generated" / "quizzes" / "mock-exam.html"
    if not chromium.exists() or not page_file.is_file():
        return {"status": "not measured (no /usr/bin/chromium or no mock exam page)"}
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            for _ in range(loads):
                context = browser.new_context()
                page = context.new_page()
                page.goto(page_file.resolve().as_uri(), wait_until="commit")
                page.wait_for_function(
                    "() => document.querySelector('.quiz-start') && "
                    "(window.__ready = window.__ready || performance.now())",
                    polling="raf",
                )
                times.append(page.evaluate("window.__ready"))
                context.close()
        finally:
            browser.close()
    return {"status": "ok", "median_ms": statistics.median(times), "all_ms": times}


# --- Zensical -------------------------------------------------------------------------


def zensical_available() -> tuple[bool, str]:
    """Install the pinned Zensical into its own venv if missing; (ok, why not).

    Its own venv, because Zensical pins other versions of PyYAML and Markdown than the
    build does; installing it beside MkDocs would change what `make site` runs on.
    """
    stamp = ZENSICAL_STAMP
    if stamp.exists() and stamp.stat().st_mtime >= REQUIREMENTS.stat().st_mtime:
        return True, ""
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(ZENSICAL_VENV)],
        [str(ZENSICAL_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        + ["--disable-pip-version-check", "-r", str(REQUIREMENTS)],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            reason = [line for line in done.stderr.splitlines() if "ERROR" in line]
            return False, (reason[-1] if reason else done.stderr.strip()[-300:])
    stamp.touch()
    return True, ""


def compare_zensical(root: Path, mkdocs_seconds: float) -> dict:
    """`zensical build` on the pages a bench run generated, beside `mkdocs build`: the
    MkDocs config the build wrote (<pack>/build/mkdocs.yml), written into the pack's folder
    with docs_dir and another site_dir relative to it. Zensical 0.0.73 wants site_dir
    inside the folder holding its config, and stops ("invariant: Id(Format(Path(RootDir)))")
    on the absolute docs_dir and site_dir MkDocs takes."""
    ok, why = zensical_available()
    if not ok:
        return {"status": "not run", "reason": why}
    out = root / "site-zensical"
    shutil.rmtree(out, ignore_errors=True)
    config = yaml.safe_load(project_at(root).config.read_text(encoding="utf-8"))
    config["docs_dir"] = os.path.relpath(config["docs_dir"], root.resolve())
    config["site_dir"] = os.path.relpath(out.resolve(), root.resolve())
    zconfig = root / "mkdocs-zensical.yml"
    zconfig.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [str(ZENSICAL), "build", "--config-file", str(zconfig), "--clean"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "exit": done.returncode,
        "ratio_to_mkdocs": seconds / mkdocs_seconds,
    }
    if done.returncode != 0 or not out.is_dir():
        result["status"] = "failed"
        result["output"] = (done.stdout + done.stderr)[-1500:]
        return result
    result["status"] = "ok"
    result["differences"] = output_differences(root / "site", out)
    return result


def output_differences(mkdocs_site: Path, zensical_site: Path) -> list[str]:
    """What a reader would notice between the two builds of the same pages."""

    def files(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}

    def html(site: Path, page: str) -> str:
        return (site / page).read_text(encoding="utf-8", errors="replace")

    def loaded_hosts(site: Path, pages: set[str]) -> set[str]:
        # Resources a page fetches (src=, stylesheets), not links a reader may follow.
        found: set[str] = set()
        for page in pages:
            text = html(site, page)
            found |= set(re.findall(r'src="(?:https?:)?//([^/"]+)', text))
            found |= set(re.findall(r'<link[^>]+href="(?:https?:)?//([^/"]+)', text))
        return found

    ours, theirs = files(mkdocs_site), files(zensical_site)
    html_ours = {p for p in ours if p.endswith(".html")}
    html_theirs = {p for p in theirs if p.endswith(".html")}
    notes = [f"html pages {len(html_ours)} (mkdocs) vs {len(html_theirs)} (zensical)"]
    if html_ours - html_theirs:
        notes.append(f"pages only from mkdocs: {sorted(html_ours - html_theirs)[:10]}")
    if html_theirs - html_ours:
        notes.append(f"pages only from zensical: {sorted(html_theirs - html_ours)[:10]}")
    size = {
        name: sum((site / p).stat().st_size for p in pages)
        for name, site, pages in (
            ("mkdocs", mkdocs_site, html_ours),
            ("zensical", zensical_site, html_theirs),
        )
    }
    notes.append(f"html bytes {size['mkdocs']} (mkdocs) vs {size['zensical']} (zensical)")
    hosts = loaded_hosts(zensical_site, html_theirs) - loaded_hosts(mkdocs_site, html_ours)
    notes.append(f"other hosts only zensical pages load from: {sorted(hosts) or 'none'}")
    search = sorted(p for p in theirs if "search" in p.rsplit("/", 1)[-1])[:4]
    notes.append(f"zensical search files: {search} (mkdocs offline: search/search_index.js)")
    shim = any("iframe-worker" in p for p in theirs)
    notes.append(f"iframe-worker shim in zensical output: {'yes' if shim else 'no'}")
    both = sorted(html_ours & html_theirs)
    abbr = [
        sum(html(site, p).count("<abbr") for p in both) for site in (mkdocs_site, zensical_site)
    ]
    notes.append(f"glossary tooltips (<abbr>) {abbr[0]} (mkdocs) vs {abbr[1]} (zensical)")
    widget = [
        sum("quiz.js" in html(site, p) for p in both) for site in (mkdocs_site, zensical_site)
    ]
    notes.append(f"pages loading the quiz widget {widget[0]} (mkdocs) vs {widget[1]} (zensical)")
    found = [search_from_file(site) for site in (mkdocs_site, zensical_site)]
    notes.append(f"search for 'EMILIA' from file:// {found[0]} (mkdocs) vs {found[1]} (zensical)")
    return notes


def search_from_file(site: Path, query: str = "EMILIA", wait_ms: int = 10_000) -> str:
    """What the search box says for `query` on the home page opened from file://, the way
    a reader of a downloaded copy would use it ("21 matching documents")."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return "not checked (no /usr/bin/chromium)"
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((site / "index.html").resolve().as_uri())
            page.keyboard.press("s")  # Material's key for the search box
            page.keyboard.type(query)
            meta = page.locator(".md-search-result__meta").first
            if not meta.count():
                return "no search box"
            # Material says "21 matching documents" or "No matching documents" once its
            # index has loaded; a build whose index never loads times out.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_function(
                    "() => /matching/i.test("
                    "document.querySelector('.md-search-result__meta').textContent)",
                    timeout=wait_ms,
                )
            return repr(meta.inner_text().strip())
        finally:
            browser.close()


# --- report ---------------------------------------------------------------------------


def fmt_s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:8.3f}"


def table(results: dict) -> str:
    packs = results["packs"]
    names = list(packs)
    rows = [*STAGES, "generator", "total"]
    head = f"{'stage':<12}" + "".join(f"{n:>12}" for n in names)
    growths = [n for n in names if f"growth_{n}" in results]
    head += "".join(f"{'growth ' + n:>14}" for n in growths)
    lines = ["seconds, median per stage", head, "-" * len(head)]
    for stage in rows:
        line = f"{stage:<12}"
        for n in names:
            value = packs[n].get("median_s", {}).get(stage)
            partial = packs[n].get("finished_before_stop_s", {})
            if value is None and stage in partial and "median_s" not in packs[n]:
                line += f"{fmt_s(partial[stage]) + '*':>12}"
            else:
                line += f"{fmt_s(value):>12}"
        for n in growths:
            value = results[f"growth_{n}"].get(stage)
            line += f"{value:>14.2f}" if value is not None else f"{'-':>14}"
        lines.append(line)
    if growths:
        lines.append(
            "growth Nx = time at Nx / (N x time at 1x); generator and total over the stages "
            "the Nx pack ran"
        )
    if any("finished_before_stop_s" in p and "median_s" not in p for p in packs.values()):
        lines.append("* one run's stages that finished before the pack's time limit stopped it")
    lines.append("")
    for n in names:
        pack = packs[n]
        runs = f"{pack['runs']} run(s)" + ("" if pack["pdf"] else ", PDF not run")
        if pack.get("without_quizzes"):
            runs += f", WITHOUT the quiz stage and quiz pages ({pack['error']})"
        if "error" in pack and "median_s" not in pack:
            lines.append(f"{n}: {runs}: NOT MEASURED: {pack['error']}")
            continue
        m, c = pack["median_s"], pack["counts"]
        lint = pack.get("quiz_lint_findings")
        lines.append(
            f"{n}: {c['trials']} trials, {c['endpoints']} endpoints, "
            + (f"{c['quiz_items']} quiz items" if c["quiz_items"] is not None else "no quiz bank")
            + f", {c['html_pages']} HTML pages; median of {runs}"
            + (f"; quiz linter findings on the copies (not fatal here): {lint[0]}" if lint else "")
        )
        share = f"generator {m['generator'] / m['total']:.1%} of the full build"
        if pack["pdf"]:
            share += f" ({m['generator'] / (m['total'] - m['pdf']):.1%} of it without the PDF)"
        rss = pack["peak_rss_kib"]
        lines.append(
            f"    {share}; peak RSS {rss['generator_and_pdf'] / 1024:.0f} MiB (generator"
            f"{' and PDF' if pack['pdf'] else ''}), {rss['mkdocs'] / 1024:.0f} MiB (mkdocs; "
            f"includes this process's {rss['floor'] / 1024:.0f} MiB)"
        )
        s = pack["sizes"]
        quiz = s["largest_quiz_page"]
        lines.append(
            f"    largest quiz page {quiz['bytes']:,} B ({quiz['path']}, of {s['quiz_pages']})"
            if quiz
            else "    no quiz pages"
        )
        files = ", ".join(f"{k} {v:,} B" for k, v in sorted(s["added_js_css_files"].items()))
        lines.append(
            f"    JS/CSS added to Material's own: {s['added_js_css_bytes']:,} B ({files}); "
            f"search index {s['search_index_js_bytes']:,} B; inline script/style per page "
            f"(Material's included) {s['inline_script_style_bytes_min_page']:,}-"
            f"{s['inline_script_style_bytes_max_page']:,} B"
        )
    u = results.get("unchanged_site")
    if u and "median_s" in u:
        m = u["median_s"]
        lines.append(
            f"make site with nothing changed (1x): {m['total']:.3f} s, median of "
            f"{len(u['runs'])} (build {m['build']:.3f} s + pdf {m['pdf']:.3f} s, the PDF "
            f"reused from build/pdf/); the first make site's pdf step, which typesets: "
            f"{u['first_pdf_s']:.3f} s"
        )
    elif u:
        lines.append(f"make site with nothing changed: NOT MEASURED: {u['error']}")
    for n in names:
        widget = packs[n].get("quiz_widget_bytes")
        if widget:
            files = ", ".join(f"{k} {v:,} B" for k, v in sorted(widget.items()))
            lines.append(f"{n}: quiz widget JS+CSS {sum(widget.values()):,} B ({files})")
    tti = results.get("mock_exam_interactive")
    if tti:
        lines.append(
            f"mock exam page, time to interactive from file:// (headless Chromium): "
            f"{tti['median_ms']:.0f} ms median of {len(tti['all_ms'])} loads"
            if tti.get("status") == "ok"
            else f"mock exam page, time to interactive: {tti['status']}"
        )
    z = results.get("zensical")
    if z:
        if z.get("status") == "ok":
            lines.append(
                f"zensical build {z['seconds']:.3f} s vs mkdocs build "
                f"{results['packs']['1x']['median_s']['mkdocs']:.3f} s (1x): ratio "
                f"{z['ratio_to_mkdocs']:.2f}; " + "; ".join(z["differences"])
            )
        else:
            lines.append(f"zensical: {z['status']}: {z.get('reason') or z.get('output', '')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5, help="runs of the real pack (median)")
    parser.add_argument("--runs-10x", type=int, default=3)
    parser.add_argument("--runs-100x", type=int, default=1)
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument(
        "--pdf-factors", default="1", help="packs whose runs include the PDF (it is the slowest)"
    )
    parser.add_argument(
        "--limit", type=float, default=420, help="seconds allowed per synthetic pack"
    )
    parser.add_argument(
        "--runs-unchanged", type=int, default=3, help="runs of `make site` with nothing changed"
    )
    parser.add_argument("--no-zensical", action="store_true")
    parser.add_argument(
        "--large-file-mb",
        default="1,20",
        help="sizes of the one-large-file load (bench/large.py); empty to skip",
    )
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    pdf_factors = {int(f) for f in args.pdf_factors.split(",") if f}
    runs_for = {1: args.runs, 10: args.runs_10x, 100: args.runs_100x}

    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "settings": vars(args),
        "packs": {},
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for factor in factors:
            name = f"{factor}x"
            runs = runs_for.get(factor, 1)
            pdf = factor in pdf_factors
            print(
                f"bench: {name} pack, {runs} run(s){'' if pdf else ', no PDF'} ...",
                file=sys.stderr,
                flush=True,
            )
            root = prepare(factor, Path(tmp) / name)
            flags = ([] if pdf else ["--no-pdf"]) + (["--check"] if factor == 1 else [])
            flags += ["--lenient-lint"] if factor > 1 else []
            limit = 3600 if factor == 1 else args.limit
            entry: dict = {"runs": runs, "pdf": pdf}
            try:
                raw = run_stages(root, runs, flags, limit)
            except TimedOut as exc:
                entry["error"] = str(exc)
                entry["finished_before_stop_s"] = exc.finished
                if exc.stage != "quizzes":
                    results["packs"][name] = entry
                    continue
                # Measure everything else on this pack, without quiz pages.
                print(f"bench: {name}: {exc}; again without quizzes", file=sys.stderr)
                shutil.rmtree(root)
                root = prepare(factor, root, quizzes=False)
                try:
                    raw = run_stages(root, runs, flags, limit)
                except RuntimeError as again:
                    entry["error"] += f"; without quizzes: {again}"
                    results["packs"][name] = entry
                    continue
                entry["without_quizzes"] = True
            except RuntimeError as exc:
                entry["error"] = str(exc)
                results["packs"][name] = entry
                continue
            results["packs"][name] = {
                **entry,
                "median_s": medians(raw["runs"]),
                "all_runs_s": raw["runs"],
                "counts": raw["counts"],
                "peak_rss_kib": raw["peak_rss_kib"] | mkdocs_peak_kib(root),
                "sizes": sizes(root / "site"),
                "quiz_widget_bytes": widget_bytes(root / "site"),
                **{k: raw[k] for k in ("same_as_build", "quiz_lint_findings") if k in raw},
            }
            if factor == 1 and pdf:
                print("bench: 1x pack, `make site` again with nothing changed ...", file=sys.stderr)
                results["unchanged_site"] = unchanged_site(root, args.runs_unchanged)
            if factor == 1:
                results["mock_exam_interactive"] = mock_exam_interactive(root / "site")
            if factor == 1 and not args.no_zensical:
                mk = results["packs"][name]["median_s"]["mkdocs"]
                results["zensical"] = compare_zensical(root, mk)
    packs = results["packs"]
    for factor in factors:
        name = f"{factor}x"
        if factor > 1 and "median_s" in packs.get("1x", {}) and "median_s" in packs[name]:
            one, big = packs["1x"]["median_s"], packs[name]["median_s"]
            growth = {s: big[s] / (factor * one[s]) for s in STAGES if s in big and one.get(s)}
            # Sums over the stages both packs ran (the PDF and quizzes may be skipped).
            for whole, parts in (("generator", GENERATOR_STAGES), ("total", STAGES)):
                ran = [s for s in parts if s in big]
                growth[whole] = big[whole] / (factor * sum(one[s] for s in ran))
            results[f"growth_{name}"] = growth
    sizes_mb = tuple(float(mb) for mb in args.large_file_mb.split(",") if mb)
    if sizes_mb:
        print(f"bench: one large content file, {sizes_mb} MB ...", file=sys.stderr, flush=True)
        results["large_file"] = large.measure(sizes_mb)
    results["bench_seconds"] = time.perf_counter() - started
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    if results.get("large_file"):
        print("\n" + large.report(results["large_file"]))
    where = RESULTS.relative_to(ROOT)
    print(f"\n(bench took {results['bench_seconds']:.0f} s; full results in {where})")
    return 0 if all("median_s" in p for p in packs.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
