"""`python -m generator new PATH`: a new pack, from the starter kept in `generator/starter/`.

The starter is package data, not strings in code, so an author reads and edits it as the
YAML it is, and `tests/test_authoring.py` proves a new pack passes `check`. Each new pack
gets its own storage prefix (from its folder's name) and Anki ids (drawn at random), and
the JSON Schemas (`schemas.py`) in its own `schemas/` folder, where the modeline on the
first line of every starter file points, so an editor checks the files from the first
keystroke wherever the pack lives.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from .pack import PACK_FILE
from .schemas import schema_texts

STARTER = Path(__file__).resolve().parent / "starter"
SCHEMAS_DIR = "schemas"
# The starter's own values of what must differ between packs, replaced in every new pack:
# learners' progress and Anki notes are filed under them, so two packs left with the
# starter's would mix their learners' data.
STARTER_PREFIX = "storage_prefix: new-pack\n"
STARTER_IDS = ("question_model_id: 1073741824\n", "card_model_id: 1073741825\n")
ANKI_IDS = range(1 << 30, 1 << 31)  # pack.AnkiIds' bounds


def starter_files(prefix: str, anki_ids: tuple[int, int]) -> dict[str, str]:
    """Every file of a new pack by its path inside the pack (with `/`), sorted, its
    pack.yaml given `prefix` and `anki_ids`."""
    files = {
        path.relative_to(STARTER).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(STARTER.rglob("*"))
        if path.is_file()
    }
    files[PACK_FILE] = _own_values(files[PACK_FILE], prefix, anki_ids)
    files |= {f"{SCHEMAS_DIR}/{name}": text for name, text in schema_texts().items()}
    return dict(sorted(files.items()))


def _own_values(text: str, prefix: str, anki_ids: tuple[int, int]) -> str:
    swaps = [(STARTER_PREFIX, f"storage_prefix: {prefix}\n")]
    swaps += [
        (line, f"{line.split(':')[0]}: {value}\n")
        for line, value in zip(STARTER_IDS, anki_ids, strict=True)
    ]
    for old, new in swaps:
        if text.count(old) != 1:  # the starter was edited: fail loudly, never ship its values
            raise ValueError(f"starter {PACK_FILE}: expected one line {old.strip()!r}")
        text = text.replace(old, new)
    return text


def storage_prefix(folder: Path) -> str:
    """A storage prefix from the pack folder's name: lower-case letters, digits, hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    return slug or "new-pack"


def fresh_anki_ids() -> tuple[int, int]:
    """Two distinct note-type ids no other pack is likely to hold (one in a billion)."""
    first, second = random.SystemRandom().sample(ANKI_IDS, 2)
    return first, second


def refusal(target: Path) -> str | None:
    """Why a new pack cannot be written to `target`, or None when it can: `new` never
    writes into anything that holds files, so it can never overwrite an author's work."""
    if not target.exists():
        return None
    if not target.is_dir():
        return f"{target} exists and is not a folder"
    if any(target.iterdir()):
        return f"{target} exists and is not empty"
    return None


def write_pack(target: Path, files: dict[str, str]) -> None:
    """Write `files` under `target`. Mode "x": should a file appear there after `refusal`
    looked, writing it fails rather than replacing it."""
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
