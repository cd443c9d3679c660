"""Synthetic packs, N times the real one, for measuring how the build scales.

Every trial of the real pack is copied N-1 more times under new ids, names and NCT ids,
so trials, arms, endpoints, comparisons and adverse events all grow N-fold, and with
them every quiz item a blueprint draws from trials. Everything else (drug, mechanism,
glossary, sources, discrepancies) stays as it is: those do not grow with more trials.
The copies are written one file per copy, as a content author would add trials.

    python -m bench.synth 10 /tmp/pack10     # writes /tmp/pack10/{pack.yaml,content,quizzes}
"""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.loader import read_yaml
from generator.pack import PACK_FILE

ROOT = Path(__file__).resolve().parent.parent


def real_trials(content: Path) -> list[dict[str, Any]]:
    """Every trial record of the real pack, as plain data, in file order."""
    trials: list[dict[str, Any]] = []
    for path in sorted(content.rglob("*.yaml")):
        data, _lines, problems = read_yaml(path, str(path))
        if problems:
            raise ValueError(f"{path} does not parse: {problems[0]}")
        if isinstance(data, dict):
            trials += data.get("trials") or []
    return trials


def clone_trial(trial: dict[str, Any], copy_no: int, order_step: int) -> dict[str, Any]:
    """Copy number `copy_no` (2, 3, ...) of a trial, distinct wherever ids must differ.

    Arm, endpoint and subgroup ids are local to a trial, so they stay as they are; the
    trial's own id, name, NCT id and place in the development order change.
    """
    twin = copy.deepcopy(trial)
    twin["id"] = f"{trial['id']}-s{copy_no}"
    twin["name"] = f"{trial['name']} S{copy_no}"
    if trial.get("nct"):
        # 'NCT' + 8 digits; the first digit 9 keeps them apart from the real registrations.
        twin["nct"] = f"NCT9{copy_no:03d}{int(trial['nct'][3:]) % 10000:04d}"
    twin["development_order"] = trial["development_order"] + (copy_no - 1) * order_step
    return twin


def synthesize(factor: int, out: Path, content: Path = ROOT / "content") -> Path:
    """Write a pack with `factor` times the real trials under `out`; return `out`.

    `out` gets the real pack's `pack.yaml`, `content/` with the copies added, and
    `quizzes/` (the real item models, unchanged: they select from the model, so they
    yield more items from more trials): a pack `generator.pipeline.load` reads.
    """
    if factor < 1:
        raise ValueError("factor must be 1 or more")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(content, out / "content")
    pack_file = content.parent / PACK_FILE
    if pack_file.is_file():
        shutil.copyfile(pack_file, out / PACK_FILE)
    quizzes = content.parent / "quizzes"
    if quizzes.is_dir():
        shutil.copytree(quizzes, out / "quizzes")
    trials = real_trials(content)
    order_step = max(t["development_order"] for t in trials) if trials else 0
    for copy_no in range(2, factor + 1):
        copies = [clone_trial(t, copy_no, order_step) for t in trials]
        text = yaml.dump(
            {"trials": copies}, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True
        )
        (out / "content" / "trials" / f"synthetic-s{copy_no:03d}.yaml").write_text(
            text, encoding="utf-8"
        )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    out = synthesize(int(argv[0]), Path(argv[1]))
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
