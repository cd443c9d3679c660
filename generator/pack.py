"""A content pack: a folder with `pack.yaml`, `content/` (the evidence) and `quizzes/`
(the item models). Every command reads one pack; without `--pack` it is the repository's
own, whose content/ and quizzes/ sit at the top level."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .loader import InputError, Origins, Problem, pydantic_problems, read_yaml

PACK_FILE = "pack.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnkiIds(_Strict):
    """Anki identifies a note type by its number and a deck by its name: two packs with
    one number would share a note type, and two with one deck name would merge decks."""

    deck: str = Field(min_length=1)
    question_model_id: int = Field(ge=1 << 30, lt=1 << 31)
    card_model_id: int = Field(ge=1 << 30, lt=1 << 31)


class Vocabulary(_Strict):
    """Closed lists of the words content/ uses, each key with the label a page shows, in
    page order. Validation checks the evidence against them."""

    settings: dict[str, str] = Field(min_length=1)
    pathways: dict[str, str] = Field(min_length=1)
    component_roles: dict[str, str] = Field(min_length=1)
    # Pathways that explain an adverse event (a route to harm rather than to the drug's
    # effect): the toxicity page lists their steps, and the mechanism page shows them after
    # the pharmacokinetics. The first other pathway is the drug's main route.
    adverse_pathways: list[str] = []

    @model_validator(mode="after")
    def _known_pathways(self) -> Vocabulary:
        unknown = [p for p in self.adverse_pathways if p not in self.pathways]
        if unknown:
            raise ValueError(f"adverse_pathways: not among the pathways: {', '.join(unknown)}")
        if len(self.adverse_pathways) == len(self.pathways):
            raise ValueError("adverse_pathways: at least one pathway must be the drug's own route")
        return self


class PackConfig(_Strict):
    site_name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    subject: str = Field(min_length=1)
    audience: str = Field(min_length=1)
    storage_prefix: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    anki: AnkiIds
    vocabulary: Vocabulary


@dataclass(frozen=True)
class Pack:
    root: Path
    config: PackConfig

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def quizzes(self) -> Path:
        return self.root / "quizzes"


def load_pack(root: Path) -> Pack:
    """The pack in `root`, its pack.yaml checked; InputError naming file, line and field."""
    path = root / PACK_FILE
    if not path.is_file():
        raise InputError(
            [Problem(str(path), 0, "(file)", "not a pack: no pack.yaml (see README 'Packs')")]
        )
    data, lines, problems = read_yaml(path, PACK_FILE)
    if problems:
        raise InputError(problems)
    origins = Origins({loc: (PACK_FILE, line, loc) for loc, line in lines.items()})
    origins.places.setdefault((), (PACK_FILE, 1, ()))
    try:
        config = PackConfig.model_validate(data or {})
    except ValidationError as exc:
        raise InputError(pydantic_problems(exc, origins)) from None
    return Pack(root, config)
