"""MkDocs hook for `mkdocs serve` only: regenerate the pages before each rebuild, so an
edit in content/ or quizzes/ (both in mkdocs.yml's `watch`) shows up live.

It calls the generator and nothing else; `mkdocs build` and `python -m generator build`
do not use it, and Zensical, which ignores MkDocs hooks, builds the pages as written.
Only files whose text changed are written, so the rebuild does not trigger itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# MkDocs restores sys.path after loading a hook, so the package is imported right here.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.build import BuildError, Project, refresh  # noqa: E402
from generator.loader import InputError  # noqa: E402

_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_pre_build(config) -> None:
    if not _serving:
        return
    try:
        changed = refresh(Project.at(ROOT))
    except (InputError, BuildError) as exc:
        problems = getattr(exc, "problems", [exc])
        for problem in problems:
            print(f"generator: {problem}", file=sys.stderr)
        print("generator: pages left as they were", file=sys.stderr)
        return
    if changed:
        print(f"generator: {changed} generated file(s) updated", file=sys.stderr)
