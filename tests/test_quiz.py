"""The quiz bank: keys recomputed from the evidence, distractors, determinism, blueprints.

Keys are recomputed here with a resolver of our own (global record name -> model
object -> field path), not with the generator's, so a key that drifted from the
evidence cannot pass by using the same code twice.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.cli import main
from generator.evidence import load_evidence
from generator.quiz import (
    ITEM_TYPES,
    TOPICS,
    build_bank,
    checked_bank,
    lint,
    load_blueprints,
    site_pages,
)
from generator.quiz.text import PATHWAYS, SETTINGS
from generator.validate import entity_index

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ev():
    return load_evidence(ROOT / "content", ROOT)


@pytest.fixture(scope="module")
def blueprints():
    return load_blueprints(ROOT / "quizzes", ROOT)


@pytest.fixture(scope="module")
def bank(ev, blueprints):
    return build_bank(ev, blueprints)


# --- an independent resolver ------------------------------------------------------------


def resolve(ev, record: str, path: str):
    """The value at `path` inside the record named `record` (validate.entity_index)."""
    obj = ev
    for part in entity_index(ev)[record]:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    for segment in path.split("."):
        name, _, index = segment.partition("[")
        obj = getattr(obj, name)
        if index:
            obj = obj[int(index.rstrip("]"))]
    return obj


def numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def shows(text: str, value) -> bool:
    """Whether an option's text prints this model value (and no other number)."""
    if isinstance(value, bool):
        return text == ("Yes" if value else "No")
    if isinstance(value, int | float):
        return numbers(text)[:1] == [float(value)]
    return text in {value, f"Phase {value}", PATHWAYS.get(value), SETTINGS.get(value)}


# --- the bank as a whole -------------------------------------------------------------------


def test_bank_is_big_enough_in_every_topic_and_type(bank):
    assert len(bank) >= 150
    topics = Counter(item.topic for item in bank)
    assert all(topics[t] >= 15 for t in TOPICS), topics
    types = Counter(item.type for item in bank)
    assert all(types[t] >= 1 for t in ITEM_TYPES), types
    assert sum(item.vignette for item in bank) >= 15
    vignette_topics = {item.topic for item in bank if item.vignette}
    assert len(vignette_topics) >= 4, "vignettes should not all sit in one topic"


def test_every_item_has_explanation_objective_evidence_and_link(ev, bank):
    index = entity_index(ev)
    for item in bank:
        assert item.explanation.strip() and item.objective.strip(), item.id
        assert item.evidence, item.id
        for ref in item.evidence:
            assert ref.record in index, (item.id, ref.record)
        page, _, anchor = item.link.partition("#")
        assert page.endswith(".md"), item.id


def test_ids_are_unique_and_start_with_their_blueprint(bank):
    ids = [item.id for item in bank]
    assert len(ids) == len(set(ids))
    for item in bank:
        assert item.id.startswith(item.blueprint + "/")


def test_every_key_is_recomputed_from_the_evidence(ev, bank):
    for item in bank:
        values = [resolve(ev, ref.record, ref.path) for ref in item.evidence]
        if item.type == "single":
            assert shows(item.options[item.key], values[0]), item.id
        elif item.type == "true-false":
            assert item.options == ["True", "False"]
            assert (item.key == 0) == shows(item.claim, values[0]), item.id
        elif item.type == "numeric":
            assert item.key == values[0], item.id
            assert item.tolerance is not None and item.tolerance >= 0
        elif item.type == "matching":
            assert len(item.key) == len(item.prompts) == len(values)
            for row, value in enumerate(values):
                assert shows(item.options[item.key[row]], value), (item.id, row)
        else:  # ordering: evidence gives each option's value, in option order
            reverse = item.sort == "descending"
            expected = sorted(range(len(values)), key=lambda i: values[i], reverse=reverse)
            assert item.key == expected, item.id


def test_no_distractor_prints_the_key(ev, bank):
    for item in bank:
        if item.type == "single":
            key_value = resolve(ev, item.evidence[0].record, item.evidence[0].path)
            for i, option in enumerate(item.options):
                if i != item.key:
                    assert not shows(option, key_value), (item.id, option)
        if item.options:
            folded = [re.sub(r"\s+", " ", o.lower()) for o in item.options]
            assert len(set(folded)) == len(folded), item.id
            # options that are numbers never print the same number twice
            printed = [tuple(numbers(o)) for o in item.options if re.match(r"\d", o)]
            if len(printed) == len(item.options):
                assert len(set(printed)) == len(printed), (item.id, item.options)


def test_numeric_options_ascend_and_keys_spread_over_positions(bank):
    positions = Counter()
    for item in bank:
        if item.type == "single":
            positions[item.key] += 1
            if all(re.match(r"\d", o) for o in item.options):
                firsts = [numbers(o)[0] for o in item.options]
                assert firsts == sorted(firsts), item.id
    singles = sum(positions.values())
    # four options mostly: no letter should hold more than 40% of the keys
    assert max(positions.values()) < 0.4 * singles, positions


def test_the_bank_passes_the_linter(bank):
    assert lint(bank) == []


def test_corrupting_a_content_value_changes_the_key(tmp_path, blueprints):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    emilia = content / "trials" / "emilia.yaml"
    text = emilia.read_text()
    pfs = re.search(r"- id: pfs-tdm1\n(?:\s+\w+: .*\n)*?\s+value: 9\.6\n", text)
    assert pfs, "EMILIA's T-DM1 PFS should read 9.6 in content"
    text = text[: pfs.start()] + pfs[0].replace("value: 9.6", "value: 9.9") + text[pfs.end() :]
    assert "    n: 991\n" in text
    emilia.write_text(text.replace("    n: 991\n", "    n: 992\n", 1))

    before = build_bank(load_evidence(ROOT / "content", ROOT), blueprints)
    after = build_bank(load_evidence(content, tmp_path), blueprints)

    def keyed(items, record, path):
        return {
            item.id: item
            for item in items
            if any(ref.record == record and ref.path == path for ref in item.evidence)
        }

    pfs_before = keyed(before, "emilia/pfs-tdm1", "value")
    pfs_after = keyed(after, "emilia/pfs-tdm1", "value")
    assert pfs_before and pfs_before.keys() == pfs_after.keys()
    for item_id, item in pfs_after.items():
        if item.type == "single":
            assert item.options[item.key] == "9.9 months"
            assert pfs_before[item_id].options[pfs_before[item_id].key] == "9.6 months"
    size_after = keyed(after, "emilia", "n")
    assert size_after, "a question on EMILIA's size should exist"
    for item in size_after.values():
        if item.type == "numeric":
            assert item.key == 992


def test_same_content_gives_the_same_ids_options_and_keys(ev, blueprints, bank):
    again = build_bank(ev, load_blueprints(ROOT / "quizzes", ROOT))
    assert [i.model_dump() for i in again] == [i.model_dump() for i in bank]


def test_bank_is_identical_in_another_process_with_another_hash_seed(bank):
    code = (
        "from pathlib import Path; from generator.evidence import load_evidence;"
        "from generator.quiz import load_blueprints, build_bank, bank_to_json;"
        "r = Path('.'); print(bank_to_json(build_bank(load_evidence(r / 'content', r),"
        " load_blueprints(r / 'quizzes', r))))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    theirs = json.loads(out.stdout)
    assert [(i["id"], i["options"], i["key"]) for i in theirs] == [
        (i.id, i.options, i.key) for i in bank
    ]


def test_stats_prints_counts_by_topic_and_type(bank, capsys):
    assert main(["stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split()
    assert header[0] == "topic" and header[1 : 1 + len(ITEM_TYPES)] == list(ITEM_TYPES)
    rows = {line.split()[0]: [int(n) for n in line.split()[1:]] for line in lines[1:]}
    for topic in TOPICS:
        kinds = Counter(i.type for i in bank if i.topic == topic)
        assert rows[topic][: len(ITEM_TYPES)] == [kinds[t] for t in ITEM_TYPES]
        assert rows[topic][-1] == sum(1 for i in bank if i.topic == topic)
    assert rows["all"][-1] == len(bank)


def test_check_validates_the_quizzes_too(capsys):
    assert main(["check"]) == 0
    assert "quiz items" in capsys.readouterr().out


# --- pages ------------------------------------------------------------------------------------


def test_site_pages_hold_every_item_and_an_answer_key_after_the_questions(ev, bank):
    pages = site_pages(ev, ROOT)
    names = {f"quizzes/{t}.md" for t in TOPICS} | {"quizzes/index.md", "quizzes/mock-exam.md"}
    assert names <= pages.keys()
    for topic in TOPICS:
        # A topic's quiz is split into parts: trials.md, then trials-2.md, trials-3.md ...
        parts = [pages[f"quizzes/{topic}.md"]]
        while f"quizzes/{topic}-{len(parts) + 1}.md" in pages:
            parts.append(pages[f"quizzes/{topic}-{len(parts) + 1}.md"])
        keys = {}
        for page in parts:
            key_starts = page.index("## Answer key")
            data = re.search(
                r'<script type="application/json" id="quiz-data-[a-z-]+">(.*?)</script>', page
            )
            assert data, topic
            widget = json.loads(data[1])
            for entry in widget["items"]:
                marker = f'data-item="{entry["id"]}"'
                assert page.count(marker) == 2  # the question, then its entry in the key
                assert page.index(marker) < key_starts < page.rindex(marker)
                assert entry["id"] not in keys  # on one part only
                keys[entry["id"]] = entry["key"]
        assert keys == {i.id: i.key for i in bank if i.topic == topic}
    assert json.loads(pages["quizzes/bank.json"])[0]["id"] == bank[0].id


def test_evidence_links_are_relative_to_the_quiz_page(ev, bank):
    pages = site_pages(ev, ROOT)
    page = "".join(text for path, text in pages.items() if path.startswith("quizzes/trials"))
    item = next(i for i in bank if i.link == "trials/emilia.md#emilia--pfs-tdm1")
    assert item.topic == "trials"
    assert "(../trials/emilia.md#emilia--pfs-tdm1)" in page


def test_mock_exam_mixes_every_topic_without_hinges(ev):
    bank, exam = checked_bank(ev, ROOT)
    topics = Counter(i.topic for i in exam)
    assert set(topics) == set(TOPICS) and len(set(topics.values())) == 1
    assert lint(exam, quiz="mock-exam") == []
    assert {i.id for i in exam} <= {i.id for i in bank}


def test_where_conditions():
    from generator.quiz.generate import matches

    context = {"trial": load_evidence(ROOT / "content", ROOT).trial("emilia")}
    assert matches(context, {"trial.phase": "3", "trial.status": ["completed", "ongoing"]})
    assert not matches(context, {"trial.phase": {"not": ["3"]}})
    assert matches(context, {"trial.nct": {"present": True}})
    assert not matches(context, {"trial.name": {"lacks": "MILI"}})
    assert matches(context, {"trial.name": {"lacks": "T-DM1"}})
