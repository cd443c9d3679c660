"""Blueprints are checked like content: each mistake is `path:line: field: message`.

Each case writes one small valid blueprint, breaks one thing in its text, and checks
the file, line and field of the problem. Lines are found by searching the broken
text, never copied from the program's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.evidence import load_evidence
from generator.loader import InputError
from generator.quiz import build_bank, load_blueprints

ROOT = Path(__file__).resolve().parent.parent

VALID = """\
blueprints:
  - id: sample
    topic: trials
    type: single
    select: endpoint
    where: {endpoint.kind: ORR, endpoint.subgroup: null}
    answer: endpoint.value
    distractors:
      same: [endpoint.unit]
    stem: "In {{ trial.name }}, what was the objective response rate?"
    explanation: "It was {{ key }}."
    objective: Recall response rates.
"""


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def write(folder: Path, text: str, name: str = "sample.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_blueprints(folder, folder.parent)
    return [str(p) for p in caught.value.problems]


def test_a_valid_blueprint_loads_and_makes_items(tmp_path):
    folder = write(tmp_path / "quizzes", VALID)
    [blueprint] = load_blueprints(folder, tmp_path)
    assert (blueprint.id, blueprint.file, blueprint.line("stem")) == (
        "sample",
        "quizzes/sample.yaml",
        line_of(VALID, "stem:"),
    )
    items = build_bank(load_evidence(ROOT / "content", ROOT), [blueprint])
    assert items and all(i.options[i.key].endswith("%") for i in items)


CASES = {
    "unknown key": ("    stem:", "    stems:", "stems:", "blueprints[0].stems", "unknown key"),
    "bad answer path": (
        "answer: endpoint.value",
        "answer: endpoint.valeu",
        "answer:",
        "blueprints[0].answer",
        "no field 'valeu'",
    ),
    "unknown name in a path": (
        "endpoint.subgroup: null",
        "trail.subgroup: null",
        "where:",
        "blueprints[0].where.trail.subgroup",
        "'trail' is not a name in a 'endpoint' selection",
    ),
    "value that never occurs": (
        "endpoint.kind: ORR,",
        "endpoint.kind: ORRR,",
        "where:",
        "blueprints[0].where.endpoint.kind",
        "'ORRR' never occurs",
    ),
    "template syntax": (
        "{{ trial.name }}, what",
        "{{ trial.name }, what",
        "stem:",
        "blueprints[0].stem",
        "template error",
    ),
    "type without its part": (
        "    distractors:\n      same: [endpoint.unit]\n",
        "",
        "  - id: sample",
        "blueprints[0]",
        "a single blueprint needs 'distractors'",
    ),
    "unknown topic": (
        "topic: trials",
        "topic: trails",
        "topic:",
        "blueprints[0].topic",
        "Input should be",
    ),
    "malformed YAML": (
        "objective: Recall",
        "objective: [Recall",
        "objective:",
        "(yaml)",
        "malformed",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_blueprint_mistakes_name_file_line_and_field(tmp_path, case):
    old, new, anchor, field, message = CASES[case]
    assert VALID.count(old) == 1
    broken = VALID.replace(old, new)
    folder = write(tmp_path / "quizzes", broken)
    problems = problems_of(folder)
    line = line_of(broken, anchor)
    matching = [
        p
        for p in problems
        if p.startswith(f"quizzes/sample.yaml:{line}: {field}: ") and message in p
    ]
    assert matching, problems


def test_duplicate_blueprint_ids_across_files(tmp_path):
    folder = write(tmp_path / "quizzes", VALID)
    write(folder, VALID, name="other.yaml")
    problems = problems_of(folder)
    assert any(
        p.startswith(f"quizzes/sample.yaml:{line_of(VALID, '- id: sample')}: blueprints[0].id:")
        and "duplicate blueprint id" in p
        for p in problems
    ), problems


def test_a_template_that_fails_on_the_evidence_is_reported_at_its_line(tmp_path):
    broken = VALID.replace("It was {{ key }}.", "It was {{ keyy }}.")
    folder = write(tmp_path / "quizzes", broken)
    blueprints = load_blueprints(folder, tmp_path)
    with pytest.raises(InputError) as caught:
        build_bank(load_evidence(ROOT / "content", ROOT), blueprints)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("quizzes/sample.yaml", line_of(broken, "explanation:"))
    assert problem.field == "sample.explanation" and "keyy" in problem.message


def test_check_command_reports_a_broken_blueprint_and_exits_2(tmp_path, capsys):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    text = (tmp_path / "quizzes" / "trials.yaml").read_text()
    broken = text.replace("answer: endpoint.value", "answer: endpoint.valu", 1)
    (tmp_path / "quizzes" / "trials.yaml").write_text(broken)
    code = main(["--content", str(tmp_path / "content"), "check"])
    err = capsys.readouterr().err
    assert code == 2
    expected = f"quizzes/trials.yaml:{line_of(broken, 'answer: endpoint.valu')}: "
    assert any(line.startswith(expected) and "no field 'valu'" in line for line in err.splitlines())
