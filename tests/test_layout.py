"""Data flows one way: pack -> model -> bank, pages, figures -> exports, PDF -> build and
commands. A module may import from its own layer or the layers before it, never after."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
# Layers in the order data flows; a module's layer is that of its longest matching prefix.
LAYERS = [
    ("load", ["loader", "pack", "model", "validate", "evidence", "fmt", "links"]),
    (
        "bank",
        [
            "quiz.items",
            "quiz.text",
            "quiz.hinges",
            "quiz.records",
            "quiz.cases",
            "quiz.rules",
            "quiz.templates",
            "quiz.itemmodels",
            "quiz.lint",
            "quiz.bank",
            "quiz.wording",
            "pipeline",
        ],
    ),
    # `quiz` itself is the package's front (bank and quiz pages), so it sits with render.
    ("render", ["render", "figures", "pages", "quiz.pages", "quiz", "nav", "downloads"]),
    ("export", ["exports", "pdf"]),
    ("write", ["build", "authoring", "schemas", "cli", "mkdocs_hook", "__main__"]),
]


def layer_of(module: str) -> int:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[1]):
                best = (rank, len(prefix))
    assert best is not None, f"generator.{module} belongs to no layer: add it to LAYERS"
    return best[0]


def imported(path: Path, module: str) -> set[str]:
    """Every generator module `path` imports (relative imports resolved)."""
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
                names = [name] if node.module else [".".join([*base, a.name]) for a in node.names]
                found.update(n for n in names if n)
            elif node.module and node.module.startswith("generator."):
                found.add(node.module.removeprefix("generator."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("generator."):
                    found.add(alias.name.removeprefix("generator."))
    return found


def modules():
    for path in sorted(GENERATOR.rglob("*.py")):
        rel = path.relative_to(GENERATOR).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        yield path, ".".join(parts) or "__init__"


def test_no_module_imports_from_a_later_layer():
    upward = []
    for path, module in modules():
        if module in ("__init__", "starter") or module.startswith("starter."):
            continue
        mine = layer_of(module)
        for target in imported(path, module):
            if target and layer_of(target) > mine:
                upward.append(f"{module} ({LAYERS[mine][0]}) imports {target}")
    assert upward == []


def test_the_check_sees_an_upward_import(tmp_path):
    planted = tmp_path / "pages" / "views.py"
    planted.parent.mkdir()
    planted.write_text("from ..exports import export_bytes\n", encoding="utf-8")
    targets = imported(planted, "pages.views")
    assert targets == {"exports"}
    assert layer_of("exports") > layer_of("pages.views")
