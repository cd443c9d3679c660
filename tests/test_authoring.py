"""Authoring: `new` writes a pack that passes `check` and never overwrites anything; the
committed JSON Schemas are what the model generates now, and they accept the real pack's
files and refuse a planted error. No site is built: these run in a few seconds."""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from generator.authoring import STARTER_IDS, starter_files
from generator.cli import main
from generator.evidence import LIST_SECTIONS, SINGLE_SECTIONS
from generator.loader import read_yaml
from generator.pack import load_pack
from generator.schemas import SCHEMAS, schema_texts

SCHEMAS_DIR = ROOT / "schemas"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _data(path: Path):
    # The project's reader, not yaml.safe_load: it keeps "no" and "on" as text, as YAML
    # 1.2 and the language server do, so the schema sees what `check` sees.
    data, _, problems = read_yaml(path, path.name)
    assert not problems, problems
    return data


@functools.cache
def _schemas() -> dict[str, dict]:
    # Generated once per run: generating them is the slow part of these tests.
    return {name: json.loads(text) for name, text in schema_texts().items()}


def _validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(_schemas()[name])


def _errors(name: str, data) -> list[str]:
    return [e.message for e in _validator(name).iter_errors(data)]


# --- new --------------------------------------------------------------------------------


def test_new_pack_passes_check(tmp_path, capsys):
    pack = tmp_path / "my-pack"
    assert main(["new", str(pack)]) == 0
    assert main(["--pack", str(pack), "check"]) == 0
    assert capsys.readouterr().out.count("ok: ") == 1  # no quizzes/: content only
    assert not (pack / "quizzes").exists()


def test_new_packs_get_their_own_prefix_and_anki_ids(tmp_path):
    """Learners' progress and Anki notes are filed under these: two packs must differ."""
    configs = []
    for name in ("Pack One", "pack-two"):
        assert main(["new", str(tmp_path / name)]) == 0
        configs.append(load_pack(tmp_path / name).config)
        text = (tmp_path / name / "pack.yaml").read_text(encoding="utf-8")
        assert not any(line in text for line in STARTER_IDS)
    assert [c.storage_prefix for c in configs] == ["pack-one", "pack-two"]
    ids = [i for c in configs for i in (c.anki.question_model_id, c.anki.card_model_id)]
    assert len(set(ids)) == 4


def test_new_writes_into_an_empty_folder(tmp_path):
    assert main(["new", str(tmp_path)]) == 0
    assert (tmp_path / "pack.yaml").is_file()


@pytest.mark.parametrize("occupant", ["file", "folder"])
def test_new_refuses_what_is_not_an_empty_folder(tmp_path, capsys, occupant):
    target = tmp_path / "pack"
    if occupant == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    else:
        target.write_text("mine", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main(["new", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was written" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    mine = target / "notes.txt" if occupant == "folder" else target
    assert mine.read_text(encoding="utf-8") == "mine"


def test_starter_modelines_point_at_their_schemas(tmp_path):
    """Every starter YAML file names, on its first line, the schema for its kind of file,
    by a path that resolves from where the file sits in the new pack."""
    files = starter_files("p", (1 << 30, (1 << 30) + 1))
    kinds = {"pack.yaml": "pack.schema.json"}
    for name in files:
        if name.endswith(".yaml"):
            first = files[name].splitlines()[0]
            target = MODELINE.match(first)
            assert target, f"{name}: no modeline on the first line"
            expected = kinds.get(name, f"{name.split('/')[0]}.schema.json")
            resolved = (tmp_path / name).parent / target.group(1)
            assert resolved.resolve() == (tmp_path / "schemas" / expected).resolve(), name
            assert f"schemas/{expected}" in files


def test_starter_files_validate_against_the_schemas(tmp_path):
    assert main(["new", str(tmp_path / "p")]) == 0
    pack = tmp_path / "p"
    assert not _errors("pack.schema.json", _data(pack / "pack.yaml"))
    for path in sorted((pack / "content").rglob("*.yaml")):
        assert not _errors("content.schema.json", _data(path)), path


# --- schemas ----------------------------------------------------------------------------


def test_committed_schemas_are_current():
    for name, text in schema_texts().items():
        committed = (SCHEMAS_DIR / name).read_text(encoding="utf-8")
        assert committed == text, (
            f"schemas/{name} differs from the model: run `python -m generator schemas`"
        )


def test_schemas_command_writes_them(tmp_path):
    assert main(["schemas", "--out", str(tmp_path)]) == 0
    assert {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()} == schema_texts()


def test_export_schema_is_not_generated_here():
    # schemas/quiz-bank.schema.json describes the JSON export and is written by hand.
    assert "quiz-bank.schema.json" not in SCHEMAS


def test_schemas_are_valid_draft_07():
    for schema in _schemas().values():
        jsonschema.Draft7Validator.check_schema(schema)


def test_content_schema_has_every_section():
    schema = _schemas()["content.schema.json"]
    assert set(schema["properties"]) == LIST_SECTIONS | SINGLE_SECTIONS
    assert "required" not in schema  # sections are spread over files
    for name in LIST_SECTIONS:
        assert schema["properties"][name]["type"] == "array", name


def _real_files() -> list[tuple[str, Path]]:
    files = [("pack.schema.json", ROOT / "pack.yaml")]
    files += [("content.schema.json", p) for p in sorted((ROOT / "content").rglob("*.yaml"))]
    files += [("quizzes.schema.json", p) for p in sorted((ROOT / "quizzes").glob("*.yaml"))]
    return files


@pytest.mark.parametrize(
    ("schema", "path"), _real_files(), ids=lambda v: v if isinstance(v, str) else v.name
)
def test_real_pack_validates(schema, path):
    assert not _errors(schema, _data(path)), path


def _plant_in_trial(data):
    data["trials"][0]["n"] = "six hundred"  # a count as text


def _plant_in_pack(data):
    data["anki"]["question_model_id"] = "1742118803"  # quoted: text, not a number


def _plant_in_quizzes(data):
    data["models"][0]["options"] = 9  # above the maximum of 5


@pytest.mark.parametrize(
    ("schema", "path", "plant"),
    [
        ("content.schema.json", ROOT / "content/trials/emilia.yaml", _plant_in_trial),
        ("pack.schema.json", ROOT / "pack.yaml", _plant_in_pack),
        ("quizzes.schema.json", ROOT / "quizzes/trials.yaml", _plant_in_quizzes),
    ],
    ids=["content", "pack", "quizzes"],
)
def test_planted_error_fails_validation(schema, path, plant):
    data = copy.deepcopy(_data(path))
    assert not _errors(schema, data)
    plant(data)
    with pytest.raises(jsonschema.ValidationError):
        _validator(schema).validate(data)


def test_unknown_key_fails_validation():
    data = copy.deepcopy(_data(ROOT / "content/drug.yaml"))
    data["drug"]["brnad"] = "a typo"
    assert any("brnad" in message for message in _errors("content.schema.json", data))
