"""Command line: `python -m generator check | build | pdf | export | stats`.

I/O lives here and in the loader; everything in between is pure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .evidence import load_evidence
from .loader import InputError

ROOT = Path(__file__).resolve().parent.parent
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


def cmd_check(args) -> int:
    root = args.content.resolve().parent
    ev = load_evidence(args.content, root)
    lines = [_summary(ev)]
    # The blueprints beside the content folder; a content folder alone (as in the
    # validation tests' temporary packs) has no quizzes to check.
    if (root / "quizzes").is_dir():
        from .quiz import checked_bank

        bank, exam = checked_bank(ev, root)
        lines.append(
            f"ok: {len(bank)} quiz items pass the item-writing linter; mock exam {len(exam)}"
        )
    # Printed only now: an "ok" above a failure in the quizzes would read as a pass.
    print("\n".join(lines))
    return 0


def cmd_stats(args) -> int:
    from .quiz import checked_bank, stats

    root = args.content.resolve().parent
    bank, _ = checked_bank(load_evidence(args.content, root), root)
    print(stats(bank))
    return 0


def cmd_build(args) -> int:
    from .build import BuildError, Project, build

    try:
        print(build(Project.at(ROOT, content=args.content)))
    except BuildError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            "build failed; the previous site_src/generated/ and site/ are unchanged.",
            file=sys.stderr,
        )
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator")
    parser.add_argument(
        "--content", type=Path, default=ROOT / "content", help="evidence folder (default: content/)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate content/ and quizzes/, print a summary").set_defaults(
        func=cmd_check
    )
    sub.add_parser(
        "build", help="generate pages and figures into site_src/, then mkdocs build --strict"
    ).set_defaults(func=cmd_build)
    sub.add_parser("stats", help="count the quiz bank's items by topic and type").set_defaults(
        func=cmd_stats
    )
    from .exports.commands import add_commands  # `export` and `pdf`

    add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
