"""MkDocs hook for `python -m generator serve` only: regenerate the pages when the pack's
content/ or quizzes/ change, so an edit there shows up live.

It calls the generator and nothing else; `mkdocs build` and `python -m generator build`
do not use it, and Zensical, which ignores MkDocs hooks, builds the pages as written.

`python -m generator serve` regenerates once before the server starts, so the first
build serves current pages; from then on the watcher below regenerates. One edit, one
rebuild: the hook watches content/ and quizzes/ itself and regenerates
when they change, writing only the generated files whose text changed (and copying the
npm assets only when their bytes differ). MkDocs sees those writes in the docs_dir and
rebuilds once. Were content/ in MkDocs' own `watch`, the edit would start a rebuild whose
regenerated pages would start a second one.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# MkDocs restores sys.path after loading a hook, so the package is imported right here.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.build import BuildError, Project, refresh  # noqa: E402
from generator.loader import InputError  # noqa: E402

WATCHED = ("content", "quizzes")  # in the pack's folder

_lock = threading.Lock()  # one regeneration at a time


def _project(config) -> Project:
    # The pack whose site is served: its docs_dir is the pack's site_src/ (build.Project).
    return Project.at(Path(config.docs_dir).resolve().parent)


def regenerate(project: Project) -> None:
    with _lock:
        try:
            changed = refresh(project)
        except (InputError, BuildError) as exc:
            for problem in exc.problems:
                print(f"generator: {problem}", file=sys.stderr)
            print("generator: pages left as they were", file=sys.stderr)
            return
    if changed:
        print(f"generator: {changed} generated file(s) updated", file=sys.stderr)


def on_serve(server, config, builder):
    from watchdog.events import FileSystemEventHandler

    project = _project(config)

    class Regenerate(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if not event.is_directory:
                regenerate(project)

    for name in WATCHED:
        folder = project.root / name
        if folder.is_dir():
            # The server's own observer: it starts and stops with the server.
            server.observer.schedule(Regenerate(), str(folder), recursive=True)
    return server
