"""Exports of the quiz bank: each format read back by an independent reader and
compared with the bank's own keys, item for item.

The GIFT reader below is written for the test from the GIFT rules (escapes, `::title::`,
`{...}` answer blocks, `#` answer feedback, `####` general feedback), not from the
exporter's code. Every format must carry, for every item, its level, objective, take-away
and each option's reason: the synthetic items hold all of them (the old bank has no
take-aways yet, so its items are checked for what they have).
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import genanki
import jsonschema
import pytest

from generator.cli import main
from generator.exports import export_bytes, select_topic
from generator.pack import load_pack
from generator.quiz import load_bank
from generator.quiz.items import ITEM_TYPES, TOPICS, Flashcard, QuizItem

ROOT = Path(__file__).resolve().parent.parent
ANKI = load_pack(ROOT).config.anki  # the pack's note-type ids and deck name
SCHEMA = ROOT / "schemas" / "quiz-bank.schema.json"
QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
NASTY = r"Is {this} = that? ~ #1: yes \ no"  # every GIFT control character, and a backslash


def reasons(n: int, tag: str) -> list[str]:
    """One distinct reason per option, each with GIFT's control characters."""
    return [f"{tag} {i}: {{not}} = ~ #{i} \\ her case" for i in range(n)]


def synthetic(evidence) -> list[QuizItem]:
    """One item of each type whose texts hold every character GIFT must escape, with every
    field of an item model: level, problem, features, trial, reasons, take-away."""
    common = {
        "blueprint": "nasty",
        "origin": "quizzes/nasty.yaml:1",
        "topic": "trials",
        "level": "application",
        "problem": "choose the evidence",
        "features": {"prior regimens": "2 = two", "lapatinib": "yes {before}"},
        "trial": "emilia",
        "explanation": f"Because {NASTY}",
        "takeaway": f"Keep this: {NASTY}",
        "objective": "Read escaped text back: {all} of it",
        "evidence": [{"record": "emilia", "path": "name"}],
        "link": "trials/emilia.md#emilia",
    }
    return [
        QuizItem(
            id="nasty/single",
            type="single",
            stem=NASTY,
            options=["a = b", "c ~ d", "{e}"],
            key=2,
            rationales=reasons(3, "single"),
            **common,
        ),
        QuizItem(
            id="nasty/tf",
            type="true-false",
            stem=NASTY,
            options=["True", "False"],
            key=0,
            rationales=reasons(2, "tf"),
            **common,
        ),
        QuizItem(
            id="nasty/tf-false",
            type="true-false",
            stem=NASTY,
            options=["True", "False"],
            key=1,
            rationales=reasons(2, "tf-false"),
            **common | {"level": "analysis"},
        ),
        QuizItem(
            id="nasty/numeric",
            type="numeric",
            stem=NASTY,
            key=9.6,
            tolerance=0.05,
            unit="months",
            **common,
        ),
        QuizItem(
            id="nasty/matching",
            type="matching",
            stem=NASTY,
            prompts=["x: 1", "y # 2", "z \\ 3"],
            options=["one", "two = 2", "three", "spare {4}"],
            key=[1, 2, 0],
            rationales=reasons(4, "matching"),
            **common,
        ),
        QuizItem(
            id="nasty/ordering",
            type="ordering",
            stem=NASTY,
            options=["second", "third: last", "first"],
            key=[2, 0, 1],
            rationales=reasons(3, "ordering"),
            **common | {"level": "recall", "problem": "dose and schedule"},
        ),
    ]


def cards() -> list[Flashcard]:
    ref = [{"record": "emilia", "path": "name"}]
    return [
        Flashcard(
            id="phase/emilia",
            topic="trials",
            front=f"Phase of EMILIA? {NASTY}",
            back="3 <randomised> & open label",
            evidence=ref,
            link="trials/emilia.md#emilia",
        ),
        Flashcard(
            id="acronym/tpc",
            topic="ongoing",
            front="TPC",
            back="treatment of physician's choice",
            evidence=ref,
            link="trials/emilia.md#emilia",
        ),
    ]


def about(item: QuizItem) -> list[str]:
    """What every export must say about an item besides its key and explanation."""
    out = [" ".join(item.objective.split()), item.level]
    return out + ([" ".join(item.takeaway.split())] if item.takeaway.strip() else [])


def carries(text: str, wanted: list[str]) -> list[str]:
    """The wanted texts missing from `text` (spacing and case of the level aside)."""
    flat = " ".join(text.split()).lower()
    return [w for w in wanted if " ".join(w.split()).lower() not in flat]


# --- a small GIFT reader ---------------------------------------------------------------


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Split at each unescaped mark character: [(mark before the part, raw part)]."""
    parts, mark, current, i = [], "", "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current += text[i : i + 2]
            i += 2
            continue
        if ch in marks:
            parts.append((mark, current))
            mark, current = ch, ""
        else:
            current += ch
        i += 1
    parts.append((mark, current))
    return parts


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).strip()


def unformat(text: str) -> str:
    """A part's text without the format marker Moodle reads before it (`[plain]`...)."""
    return re.sub(r"^\[(plain|html|moodle|markdown)\]", "", text)


def _find_unescaped(text: str, target: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


def parse_gift(text: str) -> dict[str, dict]:
    questions: dict[str, dict] = {}
    for block in re.split(r"\n\s*\n", text):
        lines = [
            ln for ln in block.splitlines() if not ln.startswith(("//", "$CATEGORY")) and ln.strip()
        ]
        if not lines:
            continue
        source = " ".join(lines)
        assert source.startswith("::"), source
        title_end = _find_unescaped(source, "::", 2)
        title = unescape(source[2:title_end])
        open_at = _find_unescaped(source, "{", title_end + 2)
        close_at = _find_unescaped(source, "}", open_at + 1)
        assert open_at > 0 and close_at > open_at, f"no answer block in {source!r}"
        assert source[close_at + 1 :].strip() == "", f"text after the answers: {source!r}"
        question_format = re.match(r"\[(\w+)\]", source[title_end + 2 :])
        stem = unformat(unescape(source[title_end + 2 : open_at]))
        answers = source[open_at + 1 : close_at]
        feedback_at = _find_unescaped(answers, "####")
        feedback = unformat(unescape(answers[feedback_at + 4 :])) if feedback_at >= 0 else ""
        answers = (answers[:feedback_at] if feedback_at >= 0 else answers).strip()
        question = {
            "stem": stem,
            "feedback": feedback,
            "format": question_format.group(1) if question_format else None,
        }
        # True/false: the answer, then the wrong answer's feedback, then the right one's.
        truth, *tf_feedback = [p for _, p in _split_unescaped(answers, "#")]
        if truth.strip() in ("T", "TRUE", "F", "FALSE"):
            wrong, right = ([unformat(unescape(f)) for f in tf_feedback] + ["", ""])[:2]
            question |= {
                "type": "true-false",
                "value": truth.strip().startswith("T"),
                "wrong": wrong,
                "right": right,
            }
        elif answers.startswith("#"):
            number = [p for _, p in _split_unescaped(answers[1:], "#")][0]
            value, _, tolerance = number.partition(":")
            question |= {"type": "numeric", "value": float(value), "tolerance": float(tolerance)}
        elif "->" in answers:
            pairs = []
            for _, part in _split_unescaped(answers, "=")[1:]:
                left, _, right = part.partition("->")
                pairs.append((unformat(unescape(left)), unescape(right)))
            question |= {"type": "matching", "pairs": pairs}
        else:
            choices = []  # (mark, answer, its feedback after an unescaped "#")
            for mark, part in _split_unescaped(answers, "=~"):
                if mark:
                    answer, *said = [p for _, p in _split_unescaped(part, "#")]
                    choices.append(
                        (
                            mark,
                            unformat(unescape(answer)),
                            unformat(unescape(said[0])) if said else "",
                        )
                    )
            question |= {
                "type": "choice",
                "right": [p for m, p, _ in choices if m == "="],
                "options": [p for _, p, _ in choices],
                "option_feedback": [f for _, _, f in choices],
            }
        assert title not in questions, f"two questions named {title}"
        questions[title] = question
    return questions


def same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def check_gift(items: list[QuizItem], text: str) -> None:
    parsed = parse_gift(text)
    assert set(parsed) == {item.id for item in items}
    for item in items:
        q = parsed[item.id]
        # Moodle shows plain text escaped; without a marker it would take [moodle] (HTML).
        assert q["format"] == "plain", item.id
        assert q["stem"].startswith(" ".join(item.stem.split())), item.id
        # The general feedback: the explanation first, then what the item is about.
        assert q["feedback"].startswith(" ".join(item.explanation.split())), item.id
        assert not carries(q["feedback"], about(item)), item.id
        why = [" ".join(r.split()) for r in item.rationales]
        if item.type == "single":
            assert q["type"] == "choice"
            assert q["options"] == [" ".join(o.split()) for o in item.options]
            assert q["right"] == [" ".join(item.options[item.key].split())]
            assert q["option_feedback"] == (why or [""] * len(item.options)), item.id
        elif item.type == "true-false":
            assert q == q | {"type": "true-false", "value": item.options[item.key] == "True"}
            if why:
                assert (q["wrong"], q["right"]) == (why[1 - item.key], why[item.key]), item.id
        elif why:  # no feedback per answer in these types: every reason in the general one
            assert not carries(q["feedback"], why), item.id
        if item.type == "numeric":
            assert (q["type"], q["value"], q["tolerance"]) == ("numeric", item.key, item.tolerance)
        elif item.type == "matching":
            expected = [(p, item.options[k]) for p, k in zip(item.prompts, item.key, strict=True)]
            spare = [("", o) for i, o in enumerate(item.options) if i not in item.key]
            assert q["pairs"] == expected + spare, item.id
        elif item.type == "ordering":  # out as matching: each option to its position
            position = {option: rank for rank, option in enumerate(item.key, start=1)}
            pairs = dict(q["pairs"])
            assert len(pairs) == len(item.options)
            for i, option in enumerate(item.options):
                assert int(re.match(r"\d+", pairs[option]).group()) == position[i], item.id


def test_gift_reader_reads_the_gift_documentation_examples():
    """The test's own reader, checked on GIFT written by hand before it checks ours."""
    parsed = parse_gift(
        "::Q1::Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}\n\n"
        "::Q2::Grant was born in 1822. {TRUE####Born 27 April 1822.}\n\n"
        "::Q3::When was Ulysses S. Grant born?{#1822:5}\n\n"
        "::Q4::Match the capitals.{=Canada -> Ottawa =Italy -> Rome = -> Paris}\n\n"
        r"::Q5::What does 1\+1\=? mean \{in GIFT\}{=two \= 2 ~three}"
        "\n\n::Q6::Who's buried in Grant's tomb?{~Grant#No one is buried there. =no one#Right"
        "! ~Jefferson####It is a mausoleum.}\n\n"
        "::Q7::Grant was born in 1823.{FALSE#No, 1822.#Yes, he was born in 1822.}"
    )
    assert parsed["Q1"]["right"] == ["no one"]
    assert parsed["Q1"]["options"] == ["Grant", "Jefferson", "no one"]
    assert parsed["Q2"]["value"] is True and parsed["Q2"]["feedback"] == "Born 27 April 1822."
    assert (parsed["Q3"]["value"], parsed["Q3"]["tolerance"]) == (1822, 5)
    assert parsed["Q4"]["pairs"] == [("Canada", "Ottawa"), ("Italy", "Rome"), ("", "Paris")]
    assert parsed["Q5"]["stem"] == "What does 1+1=? mean {in GIFT}"
    assert parsed["Q5"]["right"] == ["two = 2"]
    assert parsed["Q6"]["options"] == ["Grant", "no one", "Jefferson"]
    assert parsed["Q6"]["option_feedback"] == ["No one is buried there.", "Right!", ""]
    assert parsed["Q6"]["feedback"] == "It is a mausoleum."
    assert parsed["Q7"]["value"] is False
    assert (parsed["Q7"]["wrong"], parsed["Q7"]["right"]) == (
        "No, 1822.",
        "Yes, he was born in 1822.",
    )


def test_gift_escapes_every_control_character(evidence):
    items = synthetic(evidence)
    text = export_bytes("gift", items, evidence, ANKI).decode()
    assert "Is \\{this\\} \\= that? \\~ \\#1\\: yes \\\\ no" in text
    check_gift(items, text)


def test_gift_round_trip_of_the_bank(bank, evidence):
    # the real bank is single best answer; the synthetic items cover every other type
    assert {item.type for item in bank} | {i.type for i in synthetic(evidence)} == set(ITEM_TYPES)
    check_gift(bank, export_bytes("gift", bank, evidence, ANKI).decode())


# --- QTI 2.1 ---------------------------------------------------------------------------


def expected_qti_response(item: QuizItem, choice_ids: list[str], prompt_ids: list[str]):
    if item.type in ("single", "true-false"):
        return [choice_ids[item.key]]
    if item.type == "numeric":
        return [item.key]
    if item.type == "matching":
        return sorted(f"{prompt_ids[i]} {choice_ids[k]}" for i, k in enumerate(item.key))
    return [choice_ids[k] for k in item.key]


def check_qti(items: list[QuizItem], data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "imsmanifest.xml" in names
    manifest = ElementTree.fromstring(archive.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iter(f"{CP}file")]
    assert sorted(hrefs) == sorted(n for n in names if n != "imsmanifest.xml")
    assert len(hrefs) == len(items)
    for resource in manifest.iter(f"{CP}resource"):
        assert resource.get("type") == "imsqti_item_xmlv2p1"
    by_title = {}
    for href in hrefs:
        root = ElementTree.fromstring(archive.read(href))  # raises unless well-formed
        assert root.tag == f"{QTI}assessmentItem"
        by_title[root.get("title")] = root
    assert set(by_title) == {item.id for item in items}
    for item in items:
        root = by_title[item.id]
        values = [v.text for v in next(root.iter(f"{QTI}correctResponse"))]
        body = root.find(f"{QTI}itemBody")
        if item.type == "matching":
            left, right = body.iter(f"{QTI}simpleMatchSet")
            prompts = [c.text for c in left]
            options = [c.text for c in right]
            assert prompts == item.prompts
            choice_ids = [c.get("identifier") for c in right]
            prompt_ids = [c.get("identifier") for c in left]
            values = sorted(values)
        elif item.type == "numeric":
            choice_ids, prompt_ids, options = [], [], []
            values = [float(v) for v in values]
        else:
            choices = list(body.iter(f"{QTI}simpleChoice"))
            options = [c.text for c in choices]
            choice_ids = [c.get("identifier") for c in choices]
            prompt_ids = []
        if item.type != "numeric":
            assert options == item.options, item.id
        assert values == expected_qti_response(item, choice_ids, prompt_ids), item.id
        check_qti_feedback(item, root, choice_ids)


def _flat(element) -> str:
    return " ".join("".join(element.itertext()).split())


def check_qti_feedback(item: QuizItem, root, choice_ids: list[str]) -> None:
    """The general feedback shows after any response; a choice's own reason shows when the
    FEEDBACK outcome holds that choice's identifier, which response processing puts there."""
    declared = {o.get("identifier"): o for o in root.iter(f"{QTI}outcomeDeclaration")}
    assert declared["FEEDBACK"].get("cardinality") == "multiple"
    setters = [s for s in root.iter(f"{QTI}setOutcomeValue") if s.get("identifier") == "FEEDBACK"]
    [setter] = setters
    shown = {v.text for v in setter.iter(f"{QTI}baseValue")}
    response_shown = any(v.get("identifier") == "RESPONSE" for v in setter.iter(f"{QTI}variable"))
    feedbacks = {}
    for box in root.iter(f"{QTI}modalFeedback"):
        assert (box.get("outcomeIdentifier"), box.get("showHide")) == ("FEEDBACK", "show")
        feedbacks[box.get("identifier")] = _flat(box)
    general = feedbacks.pop("EXPLANATION")
    assert "EXPLANATION" in shown
    assert general.startswith(" ".join(item.explanation.split())), item.id
    assert not carries(general, about(item)), item.id
    why = [" ".join(r.split()) for r in item.rationales]
    if item.type in ("single", "true-false"):
        assert response_shown, item.id
        assert set(feedbacks) == {choice_ids[i] for i, r in enumerate(why) if r}, item.id
        for i, reason in enumerate(why):
            assert reason in feedbacks[choice_ids[i]], item.id
            assert item.options[i] in feedbacks[choice_ids[i]], item.id
    else:
        assert not feedbacks, item.id
        assert not carries(general, why), item.id


def test_qti_package_of_the_bank(bank, evidence):
    check_qti(bank, export_bytes("qti", bank, evidence, ANKI))


def test_qti_package_keeps_special_characters(evidence):
    check_qti(synthetic(evidence), export_bytes("qti", synthetic(evidence), evidence, ANKI))


def test_qti_package_is_the_same_bytes_for_the_same_bank(bank, evidence):
    assert export_bytes("qti", bank, evidence, ANKI) == export_bytes("qti", bank, evidence, ANKI)


# --- Anki ------------------------------------------------------------------------------


def read_apkg(data: bytes, tmp_path: Path, name: str) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(data))
    collection = next(
        n for n in archive.namelist() if n in ("collection.anki2", "collection.anki21")
    )
    db_file = tmp_path / f"{name}.sqlite"
    db_file.write_bytes(archive.read(collection))
    db = sqlite3.connect(db_file)
    try:
        notes = db.execute("select guid, flds, mid from notes").fetchall()
        cards = db.execute("select nid, did from cards").fetchall()
        models, decks = db.execute("select models, decks from col").fetchone()
    finally:
        db.close()
    models = json.loads(models)
    field_names = {int(mid): [f["name"] for f in m["flds"]] for mid, m in models.items()}
    return {
        "notes": notes,
        "cards": cards,
        "models": set(models),
        "model_names": {int(mid): m["name"] for mid, m in models.items()},
        "decks": {d["name"]: int(i) for i, d in json.loads(decks).items()},
        # guid -> (note type name, {field name: text with the HTML taken out})
        "by_guid": {
            guid: (
                models[str(mid)]["name"],
                {
                    n: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", v)).split())
                    for n, v in zip(field_names[mid], flds.split("\x1f"), strict=True)
                },
            )
            for guid, flds, mid in notes
        },
    }


def test_anki_deck_has_one_note_per_item_with_stable_ids(bank, evidence, tmp_path):
    first = read_apkg(export_bytes("anki", bank, evidence, ANKI), tmp_path, "first")
    second = read_apkg(export_bytes("anki", bank, evidence, ANKI), tmp_path, "second")
    assert len(first["notes"]) == len(bank)
    assert len(first["cards"]) == len(bank)
    guids = sorted(guid for guid, _, _ in first["notes"])
    assert guids == sorted(genanki.guid_for(item.id) for item in bank)
    assert guids == sorted(guid for guid, _, _ in second["notes"])
    assert first["decks"] == second["decks"]
    assert first["models"] == second["models"]
    topics = {item.topic for item in bank}
    assert {name for name in first["decks"] if "::" in name} == {
        f"Evidence quiz::{t.capitalize()}" for t in topics
    }
    # The back carries the explanation and where the evidence stands in the review.
    fields = {guid: flds.split("\x1f") for guid, flds, _ in first["notes"]}
    for item in bank:
        raw = fields[genanki.guid_for(item.id)]
        question, answer, explanation, source, *_ = map(html.unescape, raw)
        # tags out first, then entities: an escaped "<" in the text is no tag
        front = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw[0])).split())
        assert " ".join(item.stem.split()) in front, item.id
        if item.type == "single":
            assert item.options[item.key] in answer, item.id
        assert same_words(explanation, item.explanation), item.id
        assert "review" in source.lower(), item.id
        _, back = first["by_guid"][genanki.guid_for(item.id)]
        packed = "".join(back["Reasons"].split())
        assert all("".join(r.split()) in packed for r in item.rationales), item.id
        assert not carries(" ".join(back.values()), about(item)), item.id


def test_anki_backs_carry_every_reason_and_the_flashcards(evidence, tmp_path):
    items, facts = synthetic(evidence), cards()
    first = read_apkg(export_bytes("anki", items, evidence, ANKI, cards=facts), tmp_path, "first")
    second = read_apkg(export_bytes("anki", items, evidence, ANKI, cards=facts), tmp_path, "second")
    assert len(first["notes"]) == len(items) + len(facts)
    assert set(first["by_guid"]) == set(second["by_guid"])
    question_kind = first["by_guid"][genanki.guid_for(items[0].id)][0]
    questions = {
        fields["Id"]: fields for kind, fields in first["by_guid"].values() if kind == question_kind
    }
    assert set(questions) == {item.id for item in items}
    for item in items:
        back = questions[item.id]
        assert not carries(back["Reasons"], [" ".join(r.split()) for r in item.rationales])
        packed = "".join(back["Reasons"].split())
        for i, option in enumerate(item.options):  # each reason beside its option
            assert "".join(f"{option}: {item.rationales[i]}".split()) in packed, item.id
        assert not carries(
            back["Takeaway"] + " " + back["Objective"] + " " + back["Level"], about(item)
        )
    # Flashcards: their own note type, front and back, in a deck per topic, and a guid that
    # stays from build to build and differs from every question's.
    flash = {
        fields["Id"]: (guid, fields)
        for guid, (kind, fields) in first["by_guid"].items()
        if kind != question_kind
    }
    assert set(flash) == {card.id for card in facts}
    for card in facts:
        guid, fields = flash[card.id]
        assert (fields["Front"], fields["Back"]) == (" ".join(card.front.split()), card.back)
        assert "review" in fields["Source"].lower()
        assert second["by_guid"][guid][1]["Id"] == card.id
        assert guid not in {genanki.guid_for(item.id) for item in items}
    assert {f"Evidence quiz::{c.topic.capitalize()}::Flashcards" for c in facts} <= set(
        first["decks"]
    )
    renamed = [facts[0].model_copy(update={"id": "phase/emilia-2"})]
    moved = read_apkg(export_bytes("anki", [], evidence, ANKI, cards=renamed), tmp_path, "renamed")
    assert set(moved["by_guid"]).isdisjoint(first["by_guid"])


def test_anki_without_cards_has_questions_only(evidence, tmp_path):
    items = synthetic(evidence)
    deck = read_apkg(export_bytes("anki", items, evidence, ANKI), tmp_path, "plain")
    assert len(deck["notes"]) == len(items)
    assert not any("Flashcards" in name for name in deck["decks"])


# --- JSON ------------------------------------------------------------------------------


def test_json_validates_against_the_published_schema(bank, evidence):
    schema = json.loads(SCHEMA.read_text())
    document = json.loads(export_bytes("json", bank, evidence, ANKI))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert [i["id"] for i in document["items"]] == [item.id for item in bank]
    for exported, item in zip(document["items"], bank, strict=True):
        assert exported["key"] == item.key and exported["options"] == item.options


def test_json_carries_every_field_of_the_item_models_and_the_cards(evidence):
    schema = json.loads(SCHEMA.read_text())
    items, facts = synthetic(evidence), cards()
    document = json.loads(export_bytes("json", items, evidence, ANKI, cards=facts))
    jsonschema.Draft202012Validator(schema).validate(document)
    for exported, item in zip(document["items"], items, strict=True):
        for field in (
            "level", "problem", "features", "trial", "rationales", "takeaway", "objective",
        ):  # fmt: skip
            assert exported[field] == getattr(item, field), (item.id, field)
        assert (
            QuizItem.model_validate(
                {k: v for k, v in exported.items() if k not in ("answer", "sources")}
            )
            == item
        )
    assert [
        Flashcard.model_validate({k: v for k, v in c.items() if k != "sources"})
        for c in document["cards"]
    ] == facts
    assert all(c["sources"] for c in document["cards"])
    bare = json.loads(export_bytes("json", items, evidence, ANKI))
    assert bare["cards"] == []
    jsonschema.Draft202012Validator(schema).validate(bare)


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("item", {"level": "expert"}),
        ("item", {"rationales": ["why", ""]}),
        ("item", {"features": {"prior regimens": 2}}),
        ("item", {"takeaway": None}),
        ("card", {"back": ""}),
        ("card", {"evidence": []}),
    ],
)
def test_schema_rejects_broken_new_fields(evidence, where, change):
    schema = json.loads(SCHEMA.read_text())
    document = json.loads(export_bytes("json", synthetic(evidence), evidence, ANKI, cards=cards()))
    target = document["items"][0] if where == "item" else document["cards"][0]
    target.update(change)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_schema_rejects_a_broken_item(bank, evidence):
    """The schema says something: a key of the wrong shape fails it."""
    schema = json.loads(SCHEMA.read_text())
    document = json.loads(export_bytes("json", bank, evidence, ANKI))
    single = next(i for i in document["items"] if i["type"] == "single")
    single["key"] = [0, 1]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


# --- the command -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gift", "qti", "anki", "json"])
def test_export_command_writes_one_topic(fmt, bank, evidence, tmp_path, capsys):
    topic = next(t for t in TOPICS if select_topic(bank, t))
    out = tmp_path / f"bank.{fmt}"
    assert main(["export", "--format", fmt, "--out", str(out), "--topic", topic]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    data = out.read_bytes()
    expected = {item.id for item in bank if item.topic == topic}
    assert expected and len(expected) < len(bank)
    if fmt == "json":
        assert {i["id"] for i in json.loads(data)["items"]} == expected
    elif fmt == "gift":
        assert set(parse_gift(data.decode())) == expected
    elif fmt == "qti":
        assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == len(expected) + 1
    else:
        # The topic's flashcards go with its questions.
        cards = [c for c in load_bank(evidence, ROOT, strict=False).cards if c.topic == topic]
        assert len(read_apkg(data, tmp_path, "topic")["notes"]) == len(expected) + len(cards)
