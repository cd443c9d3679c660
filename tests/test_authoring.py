"""Authoring: the committed JSON Schemas are what the model generates now, and they
accept the real pack's files and refuse a planted error. No site is built: these run in a
few seconds."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from generator.cli import main
from generator.evidence import LIST_SECTIONS, SINGLE_SECTIONS
from generator.loader import read_yaml
from generator.schemas import SCHEMAS, schema_texts

SCHEMAS_DIR = ROOT / "schemas"


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
