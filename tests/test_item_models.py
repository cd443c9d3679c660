"""Item models are checked like content: each mistake is `path:line: field: message`.

Each case writes one small valid item model, breaks one thing in its text, and checks
the file, line and field of the problem. Lines are found by searching the broken text,
never copied from the program's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import pack_of

from generator.cli import main
from generator.evidence import load_evidence
from generator.loader import InputError
from generator.quiz import build_bank, load_models

ROOT = Path(__file__).resolve().parent.parent

VALID = """\
vars:
  events: {PFS: progression or death, OS: death, QoL: a worsening of quality of life}
models:
  - id: sample
    topic: trials
    problem: Read a hazard ratio
    objective: Turn a hazard ratio into a relative reduction.
    level: analysis
    rule: hazard-ratio
    stem: "In {{ trial.name }}, the hazard ratio was {{ hr|hr }}. How should it be read?"
    key:
      text: "A {{ size }}% {{ 'lower' if lower else 'higher' }} hazard of {{ events[kind] }}"
      reason: "1 - {{ hr|hr }} = {{ rr }}%."
    wrong:
      reversed:
        reason: "Below 1 favours the first-named arm."
      as-reduction:
        reason: "{{ share }}% is the ratio itself."
      both:
        reason: "Two errors: {{ share }}% is the ratio, and below 1 favours the first arm."
    takeaway: Relative reduction = 1 - HR.
"""


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def write(folder: Path, text: str, name: str = "sample.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_models(folder, folder.parent)
    return [str(p) for p in caught.value.problems]


def test_a_valid_model_loads_and_makes_one_item_per_case(tmp_path):
    folder = write(tmp_path / "quizzes", VALID)
    models = load_models(folder, tmp_path)
    ev = load_evidence(ROOT / "content", ROOT)
    items = build_bank(ev, models)
    hazard_ratios = [
        c
        for t in ev.trials
        for c in t.comparisons
        if c.measure == "HR" and c.ci and c.estimate < 1 and round(c.estimate * 100) != 50
    ]
    assert len(items) >= len(hazard_ratios) and all(i.blueprint == "sample" for i in items)
    item = next(i for i in items if i.id == "sample/emilia-pfs-hr")
    assert item.options[item.key] == "A 35% lower hazard of progression or death"
    assert item.rationales[item.key] == "1 - 0.65 = 35%."
    assert item.origin == f"quizzes/sample.yaml:{line_of(VALID, '- id: sample')}"


CASES = {
    # name: (old text, new text, anchor of the reported line, field, message part)
    "unknown key": (
        "    level: analysis\n",
        "    level: analysis\n    levle: recall\n",
        "levle:",
        "models[0].levle",
        "unknown key",
    ),
    "unknown level": ("level: analysis", "level: synthesis", "level:", "models[0].level", "Input"),
    "unknown rule": (
        "rule: hazard-ratio",
        "rule: hazard-ration",
        "rule:",
        "models[0].rule",
        "no rule",
    ),
    "kind the rule cannot give": (
        "      both:",
        "      neither:",
        "neither:",
        "models[0].wrong.neither",
        "gives no kind",
    ),
    "kind left unworded": (
        '      reversed:\n        reason: "Below 1 favours the first-named arm."\n',
        "",
        "wrong:",
        "models[0].wrong",
        "no wording for the rule's wrong kind 'reversed'",
    ),
    "template syntax": (
        'reason: "1 - {{ hr|hr }} = {{ rr }}%."',
        'reason: "1 - {{ hr|hr }} = {{ rr }%."',
        'reason: "1 - ',
        "models[0].key.reason",
        "template",
    ),
    "malformed YAML": (
        "takeaway: Relative",
        "takeaway: [Relative",
        "takeaway:",
        "(yaml)",
        "malformed",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_model_mistakes_name_file_line_and_field(tmp_path, case):
    old, new, anchor, field, message = CASES[case]
    assert VALID.count(old) == 1
    broken = VALID.replace(old, new)
    problems = problems_of(write(tmp_path / "quizzes", broken))
    line = line_of(broken, anchor)
    matching = [
        p
        for p in problems
        if p.startswith(f"quizzes/sample.yaml:{line}: {field}: ") and message in p
    ]
    assert matching, problems


def test_duplicate_model_ids_across_files(tmp_path):
    folder = write(tmp_path / "quizzes", VALID)
    write(folder, VALID.replace("vars:\n  events:", "vars:\n  events2:"), name="other.yaml")
    problems = problems_of(folder)
    line = line_of(VALID, "- id: sample")
    assert any(
        p.startswith(f"quizzes/sample.yaml:{line}: models[0].id:") and "duplicate model id" in p
        for p in problems
    ), problems


def test_a_template_that_fails_on_a_case_is_reported_at_its_model(tmp_path):
    broken = VALID.replace('reason: "1 - {{ hr|hr }} = {{ rr }}%."', 'reason: "{{ rrr }}"')
    folder = write(tmp_path / "quizzes", broken)
    models = load_models(folder, tmp_path)
    with pytest.raises(InputError) as caught:
        build_bank(load_evidence(ROOT / "content", ROOT), models)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("quizzes/sample.yaml", line_of(broken, "- id: sample"))
    assert problem.field == "sample" and "rrr" in problem.message


def test_check_reports_a_broken_model_without_the_ok_line_and_exits_2(tmp_path, capsys):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "quizzes", tmp_path / "quizzes")
    text = (tmp_path / "quizzes" / "trials.yaml").read_text()
    broken = text.replace("rule: hazard-ratio", "rule: hazard-ratios", 1)
    (tmp_path / "quizzes" / "trials.yaml").write_text(broken)
    code = main(["--pack", str(pack_of(tmp_path / "content")), "check"])
    captured = capsys.readouterr()
    assert code == 2
    expected = f"quizzes/trials.yaml:{line_of(broken, 'rule: hazard-ratios')}: "
    assert any(
        line.startswith(expected) and "no rule 'hazard-ratios'" in line
        for line in captured.err.splitlines()
    ), captured.err
