"""Every validation rule and every class of bad input gives `path:line: field: message`.

Each case copies a small valid pack (tests/fixtures/minimal), breaks one thing by
editing its text, and checks the exact file, line and field of the reported problem.
Line numbers are found by searching the broken text, never copied from program output.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import pack_of

from generator.cli import main
from generator.evidence import load_evidence
from generator.loader import InputError
from generator.pack import Vocabulary

REAL_CONTENT = Path(__file__).resolve().parent.parent / "content"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return text.count("\n", 0, start) + 1


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def first_line_starting(lines: list[str], prefix: str) -> str:
    hits = [line for line in lines if line.startswith(prefix)]
    assert hits, f"expected a line starting {prefix!r}, got {lines}"
    return hits[0]


def run_check(content: Path, capsys) -> tuple[int, list[str]]:
    root = pack_of(content)
    before = snapshot(root)
    code = main(["--pack", str(root), "check"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert snapshot(content.parent) == before, "check must not write anything"
    return code, [line for line in err.splitlines() if line and "problem(s)" not in line]


def break_pack(content: Path, old: str, new: str) -> str:
    path = content / "evidence.yaml"
    text = path.read_text()
    assert text.count(old) == 1, f"fixture must contain {old!r} exactly once"
    text = text.replace(old, new)
    path.write_text(text)
    return text


def test_fixture_pack_is_valid(pack, capsys):
    assert main(["--pack", str(pack_of(pack)), "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 1 trials, 2 endpoints, 1 comparisons, 1 adverse events")


# (what is broken, old text, new text, text marking the expected line, field, message part)
CASES = [
    ("wrong type", "    n: 100\n", "    n: many\n", "n: many", "trials[0].n", "valid integer"),
    (
        "unknown key",
        "        value: 9.6\n",
        "        value: 9.6\n        colour: red\n",
        "colour: red",
        "trials[0].endpoints[0].colour",
        "unknown key",
    ),
    (
        "dangling arm",
        '        arm: x\n        unit: "%"',
        '        arm: z\n        unit: "%"',
        "arm: z",
        "trials[0].endpoints[1].arm",
        "no arm 'z' in trial 'alpha'",
    ),
    (
        "percent above 100",
        "value: 43.6",
        "value: 143.6",
        "value: 143.6",
        "trials[0].endpoints[1].value",
        "within 0-100",
    ),
    (
        "adverse-event rate above 100",
        "rate: 40.8",
        "rate: 140.8",
        "rate: 140.8",
        "trials[0].adverse_events[0].rate",
        "less than or equal to 100",
    ),
    (
        "estimate outside its CI",
        "estimate: 0.65",
        "estimate: 0.95",
        "ci: {low: 0.55, high: 0.77}",
        "trials[0].comparisons[0].ci",
        "outside its CI",
    ),
    (
        "hazard ratio not above 0",
        "estimate: 0.65\n        ci: {low: 0.55, high: 0.77}",
        "estimate: 0\n        ci: {low: 0.55, high: 0.77}",
        "estimate: 0\n",
        "trials[0].comparisons[0].estimate",
        "above 0",
    ),
    (
        "estimate below a CI open at the top",
        "estimate: 0.65\n        ci: {low: 0.55, high: 0.77}",
        "estimate: 0.45\n        ci: {low: 0.55, high: NE}",
        "ci: {low: 0.55, high: NE}",
        "trials[0].comparisons[0].ci",
        "outside its CI",
    ),
    (
        "CI bound neither a number nor NE",
        "{low: 0.55, high: 0.77}",
        "{low: 0.55, high: open}",
        "ci: {low: 0.55, high: open}",
        "trials[0].comparisons[0].ci.high",
        "'NE'",
    ),
    (
        "a drug property's span left open like a CI",
        "range: {low: 25, high: 270}",
        "range: {low: 25, high: NE}",
        "range: {low: 25, high: NE}",
        "drug.properties[1].range.high",
        "unable to parse string",
    ),
    (
        "a drug property with both a value and a range",
        "{id: dar, label: Drug-to-antibody ratio, value: 3.5}",
        "{id: dar, label: Drug-to-antibody ratio, value: 3.5, range: {low: 1, high: 4}}",
        "id: dar",
        "drug.properties[0]",
        "either 'value'",
    ),
    (
        "randomisation implied for a trial that was not randomised",
        "design: {randomised: true, ratio",
        "design: {randomised: false, randomisation_stated: false, ratio",
        "design: {randomised: false",
        "trials[0].design.randomisation_stated",
        "only a randomised trial",
    ),
    (
        "CI low above high",
        "{low: 0.55, high: 0.77}",
        "{low: 0.77, high: 0.55}",
        "ci: {low: 0.77",
        "trials[0].comparisons[0].ci",
        "is above high",
    ),
    (
        "negative count",
        "{id: x, label: X, role: experimental, n: 50}",
        "{id: x, label: X, role: experimental, n: -5}",
        "n: -5",
        "trials[0].arms[0].n",
        "greater than 0",
    ),
    (
        "arm sizes above the trial",
        "role: control, n: 50}",
        "role: control, n: 60}",
        "    arms:",
        "trials[0].arms",
        "add up to 110, more than the trial's n of 100",
    ),
    (
        "bad NCT id",
        "nct: NCT00000001",
        "nct: NCT0001",
        "nct: NCT0001",
        "trials[0].nct",
        "'NCT' and 8 digits",
    ),
    (
        "bad P value",
        'p: "<0.001"',
        'p: "P,0.001"',
        'p: "P,0.001"',
        "trials[0].comparisons[0].p",
        "P must look like",
    ),
    (
        "dangling discrepancy subject",
        "subjects: [alpha/orr-x]",
        "subjects: [alpha/orr-z]",
        "subjects: [alpha/orr-z]",
        "discrepancies[0].subjects[0]",
        "no record named 'alpha/orr-z'",
    ),
    (
        "unlisted reference number",
        "    source: {section: Results, ref: 1}\nglossary",
        "    source: {section: Results, ref: 99}\nglossary",
        "    source: {section: Results, ref: 99}",
        "trials[0].source.ref",
        "reference 99 is not listed",
    ),
    (
        "missing required field",
        "    question: does X beat Y?\n",
        "",
        "  - id: alpha",
        "trials[0].question",
        "required field is missing",
    ),
    (
        "unknown enum value",
        "n_kind: randomised",
        "n_kind: somehow",
        "n_kind: somehow",
        "trials[0].n_kind",
        "Input should be",
    ),
    (
        "a setting outside the pack's vocabulary",
        "setting: pretreated-metastatic",
        "setting: somewhere",
        "setting: somewhere",
        "trials[0].setting",
        "'somewhere' is not one of the pack's settings (pack.yaml vocabulary: ",
    ),
    (
        "a pathway outside the pack's vocabulary",
        "pathway: cytotoxic",
        "pathway: elsewhere",
        "pathway: elsewhere",
        "mechanism[0].pathway",
        "'elsewhere' is not one of the pack's pathways",
    ),
    (
        "a component role outside the pack's vocabulary",
        "- role: antibody",
        "- role: scaffold",
        "role: scaffold",
        "drug.components[0].role",
        "'scaffold' is not one of the pack's component roles",
    ),
    (
        "duplicate YAML key",
        "    n_kind: randomised\n",
        "    n_kind: randomised\n    n: 100\n",
        "    n: 100\n    population",
        "trials[0].n",
        "duplicate key",
    ),
    (
        "unknown section",
        "glossary:\n",
        "glosary:\n",
        "glosary:",
        "glosary",
        "unknown section",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "marker", "field", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_broken_pack_reports_file_line_field(pack, capsys, old, new, marker, field, message):
    text = break_pack(pack, old, new)
    code, lines = run_check(pack, capsys)
    assert code == 2
    line = first_line_starting(lines, f"content/evidence.yaml:{line_of(text, marker)}: {field}: ")
    assert message in line


def test_duplicate_id_names_both_places(pack, capsys):
    text = break_pack(pack, "      - id: orr-x", "      - id: pfs-x")
    code, lines = run_check(pack, capsys)
    assert code == 2
    first, second = line_of(text, "id: pfs-x"), line_of(text, "id: pfs-x", 2)
    for line_no, index in ((first, 0), (second, 1)):
        expected = f"content/evidence.yaml:{line_no}: trials[0].endpoints[{index}].id: "
        assert any(line.startswith(expected) and "duplicate" in line for line in lines), lines


def test_malformed_yaml_reports_its_line(pack, capsys):
    text = break_pack(
        pack,
        'design: {randomised: true, ratio: "1:1", description: randomised}',
        'design: {randomised: true, ratio: "1:1", description: randomised',
    )
    code, lines = run_check(pack, capsys)
    assert code == 2
    assert len(lines) == 1
    path, line, field, message = lines[0].split(":", 3)
    assert path == "content/evidence.yaml"
    # The parser notices the unclosed brace a line later; the report names the opening line.
    assert int(line) == line_of(text, "design: {")
    assert field.strip() == "(yaml)"
    assert "malformed YAML" in message


def test_every_problem_in_every_file_is_reported(pack, capsys):
    break_pack(pack, "    n: 100\n", "    n: many\n")
    (pack / "more.yaml").write_text("glossary:\n  - {abbr: OS}\n")
    code, lines = run_check(pack, capsys)
    assert code == 2
    assert any(line.startswith("content/evidence.yaml:") and ".n:" in line for line in lines)
    assert "content/more.yaml:2: glossary[0].expansion: required field is missing" in lines


def test_single_section_given_twice(pack, capsys):
    (pack / "second.yaml").write_text("drug:\n  id: other\n")
    code, lines = run_check(pack, capsys)
    assert code == 2
    assert lines == [
        "content/second.yaml:1: drug: 'drug' is already given in content/evidence.yaml"
    ]


def test_empty_file_and_wrong_top_level(pack, capsys):
    (pack / "empty.yaml").write_text("")
    (pack / "list.yaml").write_text("- a\n- b\n")
    code, lines = run_check(pack, capsys)
    assert code == 2
    assert "content/empty.yaml:1: (file): file is empty" in lines
    assert any(line.startswith("content/list.yaml:1: (file): ") for line in lines)


def test_yes_and_no_stay_strings(pack, capsys):
    # YAML 1.1 would read a trial named NO as the boolean false.
    break_pack(pack, "    name: ALPHA", "    name: NO")
    code, _ = run_check(pack, capsys)
    assert code == 0


# --- the same six classes of bad input on the real content pack --------------------------

REAL_CASES = [
    ("malformed YAML", '    phase: "3"\n', "    phase: [3\n", "phase: [3", "(yaml)"),
    ("wrong type", "    n: 991\n", "    n: many\n", "n: many", "trials[0].n"),
    (
        "unknown key",
        "    n: 991\n",
        "    n: 991\n    sponsor: x\n",
        "sponsor: x",
        "trials[0].sponsor",
    ),
    (
        "duplicate id",
        "      - id: pfs-lap-cape\n",
        "      - id: pfs-tdm1\n",
        "      - id: pfs-tdm1\n        kind: PFS\n        arm: lap-cape",
        "trials[0].endpoints[1].id",
    ),
    (
        "dangling reference",
        "        experimental: tdm1\n        control: lap-cape\n        estimate: 0.65",
        "        experimental: tdm1\n        control: lapatinib\n        estimate: 0.65",
        "control: lapatinib",
        "trials[0].comparisons[0].control",
    ),
    ("out-of-range number", "        value: 43.6\n", "        value: 436\n", "value: 436", ""),
]


@pytest.mark.parametrize(
    ("old", "new", "marker", "field"),
    [case[1:] for case in REAL_CASES],
    ids=[case[0] for case in REAL_CASES],
)
def test_real_pack_broken_six_ways(tmp_path, capsys, old, new, marker, field):
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    target = content / "trials" / "emilia.yaml"
    text = target.read_text()
    assert text.count(old) == 1, f"emilia.yaml must contain {old!r} exactly once"
    text = text.replace(old, new)
    target.write_text(text)
    code, lines = run_check(content, capsys)
    assert code == 2
    line = first_line_starting(lines, f"content/trials/emilia.yaml:{line_of(text, marker)}: ")
    assert field in line
    if "value: 436" in marker:
        assert line.endswith("a percentage must lie within 0-100, got 436")


def test_block_yaml_error_names_the_bad_line(pack, capsys):
    text = break_pack(pack, "    population: pretreated patients", "    population: a: b")
    code, lines = run_check(pack, capsys)
    assert code == 2
    assert lines[0].startswith(
        f"content/evidence.yaml:{line_of(text, 'population: a: b')}: (yaml): "
    )


def test_odd_section_name_stays_on_one_line(pack, capsys):
    (pack / "odd.yaml").write_text('"trials\\n": []\n')
    code, lines = run_check(pack, capsys)
    assert code == 2
    assert lines == [
        "content/odd.yaml:1: 'trials\\n': unknown section (expected one of: background, "
        "case_features, case_subject, discrepancies, drug, glossary, mechanism, outside, "
        "resistance, source, studies, trials)"
    ]


def test_closed_pipe_ends_quietly():
    # `python -m generator check | head -1`: the reader is gone before the summary is
    # written. The command must stop without a traceback.
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 1


def test_trial_lookup_follows_a_replaced_trials_list(evidence):
    # The id index is kept with the evidence; a copy with other trials must not answer
    # from the original's index.
    assert evidence.trial("emilia").name == "EMILIA"
    other = next(t for t in evidence.trials if t.id != "emilia")
    copy = evidence.model_copy(update={"trials": [other]})
    assert list(copy.trials_by_id) == [other.id]
    with pytest.raises(KeyError):
        copy.trial("emilia")
    assert copy == copy.model_copy() and evidence.trial("emilia").name == "EMILIA"


def test_vocabulary_comes_from_the_pack(pack):
    """Settings, pathways and component roles are the pack's words: the same content is
    valid under a vocabulary that has them and refused under one that does not, and the
    loaded evidence carries the vocabulary its pages are labelled by."""
    words = {
        "settings": {"pretreated-metastatic": "Treated before"},
        "pathways": {"cytotoxic": "Main route", "off-target": "Harm"},
        "component_roles": {"antibody": "carrier"},
        "adverse_pathways": ["off-target"],
    }
    ev = load_evidence(pack, pack.parent, Vocabulary(**words))
    assert ev.vocabulary.settings == {"pretreated-metastatic": "Treated before"}
    other = Vocabulary(**(words | {"settings": {"first-line": "First line"}}))
    with pytest.raises(InputError) as caught:
        load_evidence(pack, pack.parent, other)
    [problem] = caught.value.problems
    assert (problem.field, problem.path) == ("trials[0].setting", "content/evidence.yaml")
    assert "'pretreated-metastatic' is not one of the pack's settings" in problem.message
    # Without a vocabulary: the pack's in the root folder (pack.yaml beside content/).
    config = yaml.safe_load((REAL_CONTENT.parent / "pack.yaml").read_text())
    config["vocabulary"] = words
    (pack.parent / "pack.yaml").write_text(yaml.safe_dump(config))
    assert load_evidence(pack, pack.parent).vocabulary.component_roles == {"antibody": "carrier"}


def test_adverse_pathways_must_be_pathways():
    with pytest.raises(ValueError, match="not among the pathways: elsewhere"):
        Vocabulary(
            settings={"a": "A"},
            pathways={"main": "Main"},
            component_roles={"r": "R"},
            adverse_pathways=["elsewhere"],
        )
