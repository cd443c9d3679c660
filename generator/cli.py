"""Command line: `python -m generator [--pack PATH] check | build | serve | pdf | export |
stats`, and `python -m generator new PATH | schemas [--out DIR]`.

Every command that reads a pack reads it through `pipeline.load`; `new` and `schemas` read
none (one writes a pack, the other the schemas of any pack). I/O lives here, in the loader
and in the build's writing steps, and everything in between is pure.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .loader import InputError

ROOT = Path(__file__).resolve().parent.parent  # the repository, whose own pack is the default
EXIT_BAD_INPUT = 2


def _summary(ev) -> str:
    endpoints = sum(len(t.endpoints) for t in ev.trials)
    comparisons = sum(len(t.comparisons) for t in ev.trials)
    events = sum(len(t.adverse_events) for t in ev.trials)
    findings = sum(len(r.findings) for r in ev.resistance)
    return (
        f"ok: {len(ev.trials)} trials, {endpoints} endpoints, {comparisons} comparisons, "
        f"{events} adverse events, {findings} findings, {len(ev.glossary)} terms, "
        f"{len(ev.discrepancies)} discrepancies"
    )


def _load(args, *, strict: bool = True):
    from .pipeline import load

    return load(args.pack, strict=strict)


def cmd_check(args) -> int:
    loaded = _load(args)
    lines = [_summary(loaded.evidence)]
    if loaded.bank is not None:
        lines.append(
            f"ok: {len(loaded.bank.items)} quiz items pass the item-writing linter; "
            f"mock exam {len(loaded.bank.exam)}"
        )
    # Printed only now: an "ok" above a failure in the quizzes would read as a pass.
    print("\n".join(lines))
    return 0


def cmd_stats(args) -> int:
    from .quiz import stats

    loaded = _load(args)
    print(stats(loaded.items))
    return 0


def _project(args):
    from .build import Project

    return Project.at(args.pack)


def _build_failed(exc) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    print(
        "build failed; the previous site_src/generated/ and site/ are unchanged.", file=sys.stderr
    )
    return 1


def cmd_build(args) -> int:
    from .build import BuildError, build

    try:
        print(build(_project(args), _load(args)))
    except BuildError as exc:
        return _build_failed(exc)
    return 0


def cmd_serve(args) -> int:
    """Generate the pages and the config, then `mkdocs serve` them; the hook regenerates
    on every change to the pack's content/ or quizzes/."""
    from .build import BuildError, refresh

    project = _project(args)
    try:
        refresh(project)
    except BuildError as exc:
        return _build_failed(exc)
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(project.config)]
    command += ["--dev-addr", args.dev_addr] if args.dev_addr else []
    sys.stdout.flush()
    # Replaced, not a child: stopping this process stops the server.
    os.execv(sys.executable, command)


def cmd_export(args) -> int:
    from .exports import export_bytes, select_topic, write_export

    loaded = _load(args)
    chosen = select_topic(loaded.items, args.topic)
    if not chosen:
        print(f"export: no items for topic {args.topic!r}; nothing was written.", file=sys.stderr)
        return 1
    if args.format == "gift":
        skipped = [i for i in chosen if i.type == "ordering"]
        if skipped:
            print(f"export: {len(skipped)} ordering item(s) written as matching (item → position)")
    # Flashcards go with the questions (Anki and JSON carry them), of the same topic.
    cards = [c for c in loaded.cards if args.topic in (None, c.topic)]
    anki = loaded.pack.config.anki
    data = export_bytes(args.format, chosen, loaded.evidence, anki, args.topic, cards)
    write_export(args.out, data)
    print(f"export: wrote {args.out} ({args.format}, {len(chosen)} items)")
    return 0


def cmd_pdf(args) -> int:
    from .build import nav_file
    from .downloads import DOWNLOADS, DOWNLOADS_DIR
    from .exports import write_downloads
    from .nav import entries_from_json
    from .pdf import build_pdf

    loaded = _load(args)
    items = loaded.items
    site = args.site or _project(args).site
    navigation = nav_file(site)
    if not navigation.is_file():
        print(
            f"pdf: {navigation} is missing: run `python -m generator build` first", file=sys.stderr
        )
        return 1
    downloads = site / DOWNLOADS_DIR
    out = args.out or downloads / DOWNLOADS["pdf"][0]
    print(f"pdf: quiz bank built ({len(items)} items)")
    # Kept beside site/, which `build` replaces whole: an unchanged edition is copied
    # from here instead of typeset again.
    cache = args.cache or site.resolve().parent / "build" / "pdf"
    nav = entries_from_json(navigation.read_text(encoding="utf-8"))
    build_pdf(site, loaded, nav, out, cache=cache, reuse=not args.rebuild)
    cards = loaded.cards
    write_downloads(downloads, items, loaded.evidence, loaded.pack.config.anki, cards=cards)
    return 0


def cmd_new(args) -> int:
    """Write a placeholder pack that passes `check` into an empty or new folder."""
    from .authoring import fresh_anki_ids, refusal, starter_files, storage_prefix, write_pack

    why = refusal(args.path)
    if why is not None:
        print(f"new: {why}; nothing was written.", file=sys.stderr)
        return 1
    files = starter_files(storage_prefix(args.path), fresh_anki_ids())
    write_pack(args.path, files)
    print(f"new: wrote a placeholder pack to {args.path} ({len(files)} files)")
    print(f"next: python -m generator --pack {args.path} check")
    return 0


def cmd_schemas(args) -> int:
    """Write the JSON Schemas of pack.yaml, content/ and quizzes/ files, for editors."""
    from .schemas import schema_texts

    texts = schema_texts()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"schemas: wrote {', '.join(texts)} to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .exports import FORMATS
    from .quiz import TOPICS

    parser = argparse.ArgumentParser(prog="python -m generator")
    parser.add_argument(
        "--pack",
        type=Path,
        default=ROOT,
        help="the pack's folder: pack.yaml, content/, quizzes/ (default: this repository's)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="write a new placeholder pack that passes check into PATH")
    new.add_argument("path", type=Path, metavar="PATH", help="a folder that is new or empty")
    schemas = sub.add_parser(
        "schemas", help="write JSON Schemas of pack.yaml, content/ and quizzes/ for editors"
    )
    schemas.add_argument(
        "--out",
        type=Path,
        default=ROOT / "schemas",
        help="folder (default: the repository's schemas/)",
    )
    sub.add_parser("check", help="validate the pack's content and quizzes, print a summary")
    sub.add_parser("build", help="generate pages and figures, then mkdocs build --strict")
    serve = sub.add_parser("serve", help="build, then serve the site, rebuilding on changes")
    serve.add_argument("--dev-addr", help="IP:PORT to serve on (default: mkdocs's)")
    sub.add_parser("stats", help="count the quiz bank's items by topic, type and level")

    export = sub.add_parser("export", help="write the quiz bank as GIFT, QTI 2.1, Anki or JSON")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, type=Path, help="file to write")
    export.add_argument("--topic", choices=TOPICS, help="one topic only (default: the whole bank)")

    pdf = sub.add_parser(
        "pdf", help="print edition of the built site, plus every export, into site/downloads/"
    )
    pdf.add_argument("--site", type=Path, help="built site (default: the pack's site/)")
    pdf.add_argument("--out", type=Path, help="PDF path (default: site/downloads/<name>.pdf)")
    pdf.add_argument(
        "--cache",
        type=Path,
        help="folder keeping the last PDF and its inputs' hash (default: build/pdf/ beside site/)",
    )
    pdf.add_argument(
        "--rebuild",
        action="store_true",
        help="typeset even if the inputs are unchanged (and refresh the cache)",
    )
    # `--pack` reads the same after the command (`check --pack P`) as before it.
    for name in ("check", "build", "serve", "stats", "export", "pdf"):
        sub.choices[name].add_argument(
            "--pack", type=Path, default=argparse.SUPPRESS, help="the pack's folder"
        )
    return parser


COMMANDS = {
    "check": cmd_check,
    "build": cmd_build,
    "serve": cmd_serve,
    "stats": cmd_stats,
    "export": cmd_export,
    "pdf": cmd_pdf,
    "new": cmd_new,
    "schemas": cmd_schemas,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
