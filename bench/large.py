"""Loading one large content file: time against size, to show the loader stays linear.

The real pack plus one extra file of copied trials (bench/synth.py's copies, written into
a single file rather than one file per copy), about 1 MB and about 20 MB in all; each
pack is loaded and validated (`load_evidence`) and timed. Growth is (seconds per MB at
20 MB) / (seconds per MB at 1 MB): 1.0 is linear, above 1 grows faster than the input.

    python -m bench.large            # prints the table
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from generator.evidence import load_evidence

from . import synth

ROOT = Path(__file__).resolve().parent.parent
LARGE = Path("trials") / "synthetic-large.yaml"


def write_large_pack(megabytes: float, out: Path, content: Path = ROOT / "content") -> int:
    """`out`/content: the real pack plus one file of trial copies of about `megabytes` MB.
    Returns the size of the whole content folder in bytes."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(content, out / "content")
    trials = synth.real_trials(content)
    order_step = max(t["development_order"] for t in trials)
    one_copy = len(_dump([synth.clone_trial(t, 2, order_step) for t in trials]).encode())
    copies = max(1, round(megabytes * 1024 * 1024 / one_copy))
    if copies > 998:  # clone_trial's NCT ids hold three digits of the copy number
        raise ValueError(f"{megabytes} MB needs {copies} copies of the trials; at most 998")
    everything = [
        synth.clone_trial(t, copy_no, order_step)
        for copy_no in range(2, copies + 2)
        for t in trials
    ]
    path = out / "content" / LARGE
    path.write_text(_dump(everything), encoding="utf-8")
    return sum(p.stat().st_size for p in (out / "content").rglob("*.yaml"))


def _dump(trials: list) -> str:
    return yaml.dump(
        {"trials": trials}, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True
    )


def time_load(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    ev = load_evidence(root / "content", root)
    return time.perf_counter() - start, len(ev.trials)


def measure(sizes_mb: tuple[float, ...] = (1, 20)) -> list[dict]:
    """Seconds to load and validate the pack with a large file of each size."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-large-") as tmp:
        for mb in sizes_mb:
            root = Path(tmp) / f"{mb}mb"
            size = write_large_pack(mb, root)
            seconds, trials = time_load(root)
            rows.append({"megabytes": size / 1024 / 1024, "seconds": seconds, "trials": trials})
            shutil.rmtree(root)
    return rows


def report(rows: list[dict]) -> str:
    lines = ["one large content file: load and validate (load_evidence)"]
    for row in rows:
        lines.append(
            f"  {row['megabytes']:6.2f} MB file, {row['trials']:5d} trials: "
            f"{row['seconds']:7.2f} s ({row['seconds'] / row['megabytes']:.2f} s/MB)"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = (last["seconds"] / last["megabytes"]) / (first["seconds"] / first["megabytes"])
        lines.append(
            f"  growth {first['megabytes']:.0f} MB -> {last['megabytes']:.0f} MB: {growth:.2f} "
            "(seconds per MB at the larger / at the smaller; 1.0 is linear)"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    sizes = tuple(float(a) for a in argv) or (1, 20)
    print(report(measure(sizes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
