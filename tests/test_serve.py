"""`python -m generator serve` on a copy of the pack: one content edit, exactly one rebuild.

Every rebuild writes the generated pages and the npm assets; any file written with the
same bytes but a new modification time would make the server's watcher start the next
rebuild, and the server would rebuild forever. The test counts MkDocs' own log lines.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from conftest import ROOT, copy_of_built

from generator import links

STARTED = "Serving on"
REBUILT = "Detected file changes"
BUILT = "Reloading browsers"
MARK = "Edited while serving"
BOUND_S = 120  # at most this long per wait; a healthy run takes a few seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Log:
    """The server's stderr, read on a thread so the pipe never fills."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def info(self) -> str:
        """MkDocs' INFO lines and the generator's, for a failure's message."""
        with self._cond:
            return "\n".join(ln for ln in self.lines if "INFO" in ln or "generator" in ln)

    def count(self, text: str) -> int:
        with self._cond:
            return sum(text in line for line in self.lines)

    def wait_for(self, text: str, times: int = 1) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self.count(text) >= times, timeout=BOUND_S):
                tail = "\n".join(self.lines[-30:])
                pytest.fail(f"no {text!r} (x{times}) within {BOUND_S} s; log:\n{tail}")


def test_one_content_edit_rebuilds_once(tmp_path, evidence, built_site):
    # The pages on disk, as after `make site`.
    project = copy_of_built(built_site, tmp_path / "project")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--pack", str(project.root), "serve"]
        + ["--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        log = Log(server.stderr)
        log.wait_for(STARTED)
        # The first build's regeneration writes nothing (the pages are current), and the
        # server must stay idle: let its watcher poll a few times before the edit.
        time.sleep(3)
        assert log.count(REBUILT) == 0, log.info()

        trial = next(t for t in evidence.trials if t.id == "emilia")
        path = project.content / "trials" / "emilia.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(f"name: {trial.name}\n") == 1
        path.write_text(text.replace(f"name: {trial.name}\n", f"name: {MARK}\n"), "utf-8")
        log.wait_for(BUILT)
        # A second rebuild would start within one poll of the first one's writes (0.5 s);
        # give it several polls to show up.
        time.sleep(5)
        assert log.count(REBUILT) == 1, log.info()
        page = links.docs_path(links.trial_page("emilia", evidence))
        url = f"http://127.0.0.1:{port}/{page.removesuffix('.md')}.html"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert MARK in response.read().decode("utf-8")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    # The project copy's generated pages were written, never the working tree's.
    assert MARK in (project.docs / page).read_text(encoding="utf-8")
