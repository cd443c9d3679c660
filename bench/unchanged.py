"""`make site` again with nothing changed, on a prepared bench pack.

    python -m bench.unchanged PACK RUNS     # prints one JSON object on stdout

`make site` is two commands, each a fresh process: `python -m generator build` (pages,
figures, the MkDocs config and nav, `mkdocs build`) and `python -m generator pdf` (the
print edition, reused from build/pdf/ when the hash of its inputs is unchanged, then the
exports). Both are the real commands, pointed at the pack with --pack, and timed here
from outside, as processes, the way make runs them. They load the pack strictly, as
`make site` does, so this runs on the 1x pack only (the copies of a synthetic pack fail
the item linter; bench/stages.py says why).

A first round fills the PDF cache (a fresh copy has none); its pdf step, which typesets,
is reported as `first_pdf_s`.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .stages import ROOT


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def make_site_commands(root: Path) -> tuple[list[str], list[str]]:
    generator = [sys.executable, "-m", "generator", "--pack", str(root)]
    return [*generator, "build"], [*generator, "pdf"]


def measure(root: Path, runs: int) -> dict:
    build, pdf = make_site_commands(root)
    timed(build)
    first_pdf = timed(pdf)
    rounds = []
    for _ in range(runs):
        b, p = timed(build), timed(pdf)
        rounds.append({"build": b, "pdf": p, "total": b + p})
    median = {k: statistics.median(r[k] for r in rounds) for k in ("build", "pdf", "total")}
    return {"first_pdf_s": first_pdf, "runs": rounds, "median_s": median}


def main(argv: list[str]) -> int:
    json.dump(measure(Path(argv[0]), int(argv[1])), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
