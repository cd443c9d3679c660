"""JSON Schemas of a pack's files, generated from the model, for editors.

An editor with the YAML language server (VS Code's "YAML" extension, or any client of
yaml-language-server) reads these to flag a wrong key, type or value while the author
types, before `check` runs. They are generated from the very classes `check` validates
with (`PackConfig`, `Evidence`, `ModelFile`), so they follow the model; the committed
copies in `schemas/` are rewritten by `python -m generator schemas`, and a test fails when
they differ from what this module generates now.

They are written as JSON Schema draft-07, the draft yaml-language-server supports: the
definitions go under `definitions` rather than pydantic's `$defs`. A schema catches what
one file can show (keys, types, patterns, closed lists, bounds); rules across fields or
records (a CI around its estimate, an arm that exists) remain `check`'s.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .model import Evidence
from .pack import PackConfig
from .quiz.itemmodels import ModelFile

DRAFT = "http://json-schema.org/draft-07/schema#"
DEFS = "definitions"
# Pydantic writes a constraint it cannot express on a type wrapped in a validator (our
# strict numbers) under its own name; JSON Schema's names make validators apply it.
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=f"#/{DEFS}/{{model}}")
    if "$defs" in schema:
        schema[DEFS] = schema.pop("$defs")
    return _bounds(schema)


def _bounds(node: Any) -> Any:
    if isinstance(node, list):
        return [_bounds(n) for n in node]
    if not isinstance(node, dict):
        return node
    numeric = _numeric(node) or all(_numeric(n) for n in node.get("anyOf", [None]))
    return {(_BOUNDS[k] if numeric and k in _BOUNDS else k): _bounds(v) for k, v in node.items()}


def _numeric(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") in ("integer", "number")


def _document(model: type[BaseModel], name: str, title: str, description: str) -> dict[str, Any]:
    schema = _schema(model)
    head = {"$schema": DRAFT, "$id": name, "title": title, "description": description}
    schema.pop("title", None)
    schema.pop("description", None)
    return head | schema


def pack_schema() -> dict[str, Any]:
    return _document(
        PackConfig,
        "pack.schema.json",
        "Content pack: pack.yaml",
        "What the generator needs to know about a pack besides its evidence: site name, "
        "subject, audience, learner-storage prefix, Anki ids and vocabulary.",
    )


def content_schema() -> dict[str, Any]:
    """One file of content/: any of the evidence's sections, none required, since the
    sections are spread over many files (and a list section over several); that every
    required section is given somewhere is `check`'s to say."""
    schema = _document(
        Evidence,
        "content.schema.json",
        "Content pack: one file of content/",
        "A mapping of evidence sections. List sections (trials, mechanism, glossary ...) may "
        "be split over many files; source and drug appear in one file only.",
    )
    schema.pop("required", None)
    return schema


def quizzes_schema() -> dict[str, Any]:
    return _document(
        ModelFile,
        "quizzes.schema.json",
        "Content pack: one file of quizzes/",
        "Item models, flashcard models, shared template variables and (in one file) the "
        "bank's rules. See quizzes/README.md.",
    )


SCHEMAS = {
    "pack.schema.json": pack_schema,
    "content.schema.json": content_schema,
    "quizzes.schema.json": quizzes_schema,
}


def schema_texts() -> dict[str, str]:
    """Every schema by file name, as the text written to disk."""
    return {name: render(make()) for name, make in SCHEMAS.items()}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
