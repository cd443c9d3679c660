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


def time_load(root: Path) -> dict:
    """Wall-clock and CPU seconds of one load. The growth is read from CPU time, which
    other work on a shared machine disturbs less."""
    wall, cpu = time.perf_counter(), time.process_time()
    ev = load_evidence(root / "content", root)
    return {
        "seconds": time.perf_counter() - wall,
        "cpu_seconds": time.process_time() - cpu,
        "trials": len(ev.trials),
    }


def measure(sizes_mb: tuple[float, ...] = (1, 20)) -> list[dict]:
    """Seconds to load and validate the pack with a large file of each size."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-large-") as tmp:
        for mb in sizes_mb:
            root = Path(tmp) / f"{mb}mb"
            size = write_large_pack(mb, root)
            rows.append({"megabytes": size / 1024 / 1024, **time_load(root)})
            shutil.rmtree(root)
    return rows


def report(rows: list[dict]) -> str:
    lines = ["one large content file: load and validate (load_evidence), seconds"]
    for row in rows:
        mb = row["megabytes"]
        lines.append(
            f"  {mb:6.2f} MB pack, {row['trials']:5d} trials: {row['seconds']:7.2f} s "
            f"(CPU {row['cpu_seconds']:7.2f} s, {row['cpu_seconds'] / mb:.2f} s/MB)"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        per_mb = [r["cpu_seconds"] / r["megabytes"] for r in (first, last)]
        lines.append(
            f"  growth {first['megabytes']:.0f} MB -> {last['megabytes']:.0f} MB: "
            f"{per_mb[1] / per_mb[0]:.2f} (CPU seconds per MB at the larger / at the "
            "smaller; 1.0 is linear, above it faster than linear)"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    sizes = tuple(float(a) for a in argv) or (1, 20)
    print(report(measure(sizes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
