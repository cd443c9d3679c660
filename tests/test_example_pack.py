"""The second pack, examples/zorvatinib: a fictional oral kinase inhibitor for a fictional
lung cancer, proves the generator holds nothing of the first pack's drug, disease or review.

Through the Python API, then end to end by the command line with `--pack`: its evidence
loads against its own vocabulary, its bank builds strictly (no linter finding) over more
than one topic, and its pages, figures, quiz pages and every export format are rendered;
none of that text, nor the pack's own files, holds a word of the first pack.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator import build
from generator.cli import main
from generator.evidence import load_evidence
from generator.exports import FORMATS, export_bytes
from generator.pack import load_pack
from generator.pipeline import load
from generator.quiz import TOPICS, load_bank

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "examples" / "zorvatinib"
# The first pack's drug, brand, target and landmark trial (case-insensitive; DM1 also
# catches T-DM1 and TDM1).
FIRST_PACK = re.compile(r"t-dm1|dm1|trastuzumab|emtansine|kadcyla|her2|emilia", re.IGNORECASE)


@pytest.fixture(scope="module")
def pack():
    return load_pack(PACK)


@pytest.fixture(scope="module")
def evidence(pack):
    return load_evidence(PACK / "content", PACK, pack.config.vocabulary)


@pytest.fixture(scope="module")
def bank(evidence):
    return load_bank(evidence, PACK)  # strict: a linter finding is an InputError


def texts_of(name: str, data: str | bytes) -> dict[str, str]:
    """Readable text of an output: a zip (QTI, Anki) member by member, decompressed."""
    if isinstance(data, str):
        return {name: data}
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {
                f"{name}/{member}": archive.read(member).decode("utf-8", "replace")
                for member in archive.namelist()
            }
    return {name: data.decode("utf-8", "replace")}


def first_pack_words(outputs: dict[str, str]) -> list[str]:
    return [
        f"{name}: ...{text[max(0, m.start() - 40) : m.end() + 40]}..."
        for name, text in outputs.items()
        for m in FIRST_PACK.finditer(text)
    ]


def test_the_pack_says_it_is_fictional(pack, evidence):
    assert "fictional" in (PACK / "pack.yaml").read_text().lower()
    assert "fictional" in evidence.source.kind
    assert "fictional" in pack.config.subject


def test_its_files_hold_no_word_of_the_first_pack():
    files = {str(p.relative_to(PACK)): p.read_text() for p in PACK.rglob("*") if p.is_file()}
    assert files
    assert first_pack_words(files) == []


def test_its_vocabulary_is_its_own(pack, evidence):
    first = load_pack(ROOT).config.vocabulary
    words = pack.config.vocabulary
    assert not set(words.settings) & set(first.settings)
    assert not set(words.pathways) & set(first.pathways)
    assert {t.setting for t in evidence.trials} <= set(words.settings)
    assert {s.pathway for s in evidence.mechanism} == set(words.pathways)
    assert evidence.vocabulary == words


def test_three_completed_trials_of_three_designs(evidence):
    completed = [t for t in evidence.trials if t.status == "completed"]
    assert sorted(t.phase for t in completed) == ["1", "2", "3"]
    phase3 = next(t for t in completed if t.phase == "3")
    assert phase3.design.randomised
    assert any(c.measure == "HR" and c.ci for c in phase3.comparisons)
    assert evidence.resistance and evidence.glossary
    assert any(t.adverse_events for t in completed)


def test_the_bank_passes_the_linter_over_several_topics(bank):
    assert bank.items and bank.problems == []
    topics = {i.topic for i in bank.items}
    assert len(topics) > 1
    assert topics == set(TOPICS)  # the site has a quiz page per topic
    assert bank.exam


def test_nothing_rendered_names_the_first_pack(pack, evidence, bank):
    outputs: dict[str, str] = {}
    for path, text in build.generate(load(PACK)).items():  # pages, figures, quiz pages
        outputs |= texts_of(path, text)
    assert any(p.endswith(".svg") for p in outputs)
    assert any(p.startswith("generated/trials/") for p in outputs)
    for fmt in FORMATS:
        outputs |= texts_of(
            f"export.{fmt}",
            export_bytes(fmt, bank.items, evidence, pack.config.anki, cards=bank.cards),
        )
    assert any(name.startswith("export.anki/") for name in outputs)
    assert first_pack_words(outputs) == []


def test_pages_take_their_labels_from_the_pack(evidence):
    pages = build.generate(load(PACK))
    mechanism = pages["generated/mechanism.md"]
    labels = list(evidence.vocabulary.pathways.values())
    assert all(f"## {label}" in mechanism for label in labels)
    # The adverse pathway follows the pharmacokinetics, and the toxicity page lists it.
    assert mechanism.index("## Pharmacokinetics") < mechanism.index(f"## {labels[1]}")
    assert f"## {labels[1]}" in pages["generated/toxicity.md"]
    for trial in evidence.trials:
        if trial.status == "completed":
            page = pages[f"generated/trials/{trial.id}.md"]
            assert evidence.vocabulary.settings[trial.setting] in page
    assert "# Background: ZRK1 and the drugs before ZOR" in pages["generated/background.md"]


# --- end to end, through the command line ----------------------------------------------------


@pytest.fixture(scope="module")
def built_example(tmp_path_factory) -> Path:
    """A copy of the example pack after `check`, `build`, `pdf` and every `export` by the
    command line with `--pack`, as an author of a second pack would run them."""
    root = tmp_path_factory.mktemp("example") / "zorvatinib"
    shutil.copytree(PACK, root, ignore=shutil.ignore_patterns("site", "site_src", "build"))
    # Named relative to the folder the commands run in, and `--pack` on either side of the
    # command, as an author would type them.
    with contextlib.chdir(root.parent), contextlib.redirect_stdout(io.StringIO()):
        assert main(["check", "--pack", root.name]) == 0
        assert main(["build", "--pack", root.name]) == 0
        assert main(["--pack", root.name, "pdf"]) == 0
        for fmt in FORMATS:
            out = f"{root.name}/exports/bank.{fmt}"
            assert main(["export", "--pack", root.name, "--format", fmt, "--out", out]) == 0
    return root


def output_texts(root: Path) -> dict[str, str]:
    """Every file the commands wrote, as text: zips member by member, the PDF by pdftotext."""
    found: dict[str, str] = {}
    for folder in ("site", "site_src", "build", "exports"):
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or "assets" in path.relative_to(root).parts[:2]:
                continue
            name = str(path.relative_to(root))
            if path.suffix == ".pdf":
                text = subprocess.run(
                    ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
                ).stdout
                found[name] = text
            else:
                found |= texts_of(name, path.read_bytes())
    return found


def test_the_commands_build_its_site_pdf_and_exports_without_a_word_of_the_first(built_example):
    outputs = output_texts(built_example)
    names = set(outputs)
    assert "site/index.html" in names and "site/downloads/evidence.pdf" in names
    assert any(n.startswith("exports/bank.anki") for n in names)
    assert "Zorvatinib" in outputs["site/downloads/evidence.pdf"]
    assert first_pack_words(outputs) == []


def test_its_learners_and_its_anki_notes_are_kept_apart_from_the_first_packs(built_example):
    ours, first = load_pack(PACK).config, load_pack(ROOT).config
    assert ours.storage_prefix != first.storage_prefix
    assert {ours.anki.question_model_id, ours.anki.card_model_id}.isdisjoint(
        {first.anki.question_model_id, first.anki.card_model_id}
    )
    assert ours.anki.deck != first.anki.deck
    home = (built_example / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="quiz-storage-prefix" content="{ours.storage_prefix}">' in home
    with zipfile.ZipFile(built_example / "exports" / "bank.anki") as archive:
        collection = archive.read("collection.anki2")
    for model_id in (ours.anki.question_model_id, ours.anki.card_model_id):
        assert str(model_id).encode() in collection
    assert str(first.anki.question_model_id).encode() not in collection
