"""Take a quiz in Debian's Chromium, from the built site opened from disk (file://).

Answers one question right by keyboard alone and one wrong, checks the feedback, the
explanation's evidence link and the score, reloads and finds the progress kept, then
retries the missed one and resets. Also: matching, ordering and numeric questions by
keyboard, the answer key without JavaScript and in print, and no request leaving
file://. The browser is never downloaded; a missing /usr/bin/chromium fails the test.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser import chromium
from conftest import ROOT, make_project

from generator.build import Project, build
from generator.pack import load_pack
from generator.pipeline import load
from generator.quiz import QuizItem, mock_exam
from generator.quiz.hinges import seed

QUIZ = "generated/quizzes/trials.html"  # part 1 of the trials quiz, split into parts
PART = "Score for this part: "  # the score on a quiz split into parts counts its part


def part_with_every_type(site: Path, topic: str = "trials") -> str:
    """The first part of a topic's quiz holding a matching, an ordering and a numeric
    question with a tolerance (`typed_site` puts them in the trials quiz)."""
    for n in range(1, 50):
        rel = f"generated/quizzes/{topic}{'' if n == 1 else f'-{n}'}.html"
        if not (site / rel).is_file():
            break
        html = (site / rel).read_text(encoding="utf-8")
        data = re.search(
            r'<script type="application/json" id="quiz-data-[a-z-]+">(.*?)</script>', html
        )
        items = json.loads(data[1])["items"]
        types = {d["type"] for d in items}
        if {"matching", "ordering"} <= types and any(
            d["type"] == "numeric" and d["tolerance"] for d in items
        ):
            return rel
    raise AssertionError(f"no part of the {topic} quiz has every question type")


def typed_items() -> list[QuizItem]:
    """A matching, an ordering and a numeric item: the widget takes every type, though the
    real bank's item models are all single best answer."""
    common = {
        "blueprint": "typed",
        "origin": "quizzes/typed.yaml:1",
        "topic": "trials",
        "level": "recall",
        "problem": "widget types",
        "explanation": "EMILIA compared T-DM1 with lapatinib + capecitabine in 991 patients.",
        "takeaway": "Each type is marked by its own rule.",
        "objective": "Answer each type of question by keyboard.",
        "evidence": [{"record": "emilia", "path": "name"}],
        "link": "trials/emilia.md#emilia",
    }
    return [
        QuizItem(
            id="typed/numeric",
            type="numeric",
            stem="How many patients did EMILIA randomise?",
            key=991,
            tolerance=5,
            unit="patients",
            **common,
        ),
        QuizItem(
            id="typed/matching",
            type="matching",
            stem="Match each trial to its comparator.",
            prompts=["EMILIA", "TH3RESA", "TDM4450g"],
            options=[
                "Treatment of physician's choice",
                "Docetaxel + trastuzumab",
                "Lapatinib + capecitabine",
            ],
            key=[2, 0, 1],
            rationales=["a", "b", "c"],
            **common,
        ),
        QuizItem(
            id="typed/ordering",
            type="ordering",
            stem="Order these trials by size, smallest first.",
            options=["EMILIA", "TDM3569g", "TH3RESA"],
            key=[1, 2, 0],
            rationales=["a", "b", "c"],
            **common,
        ),
    ]


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory, bank) -> Project:
    """The site built with three of the trials quiz's items swapped for a matching, an
    ordering and a numeric one (the number of parts, which the nav lists, unchanged)."""
    trials = [i for i in bank if i.topic == "trials"]
    # A topic's page order is by seed("page/<id>"): ids that sort first put all three on
    # part 1 together.
    lowest = min(seed(f"page/{i.id}") for i in trials)
    typed = []
    for item in typed_items():
        n = next(n for n in range(100_000) if seed(f"page/{item.id}-{n}") < lowest)
        typed.append(item.model_copy(update={"id": f"{item.id}-{n}"}))
    swapped = [*typed, *(i for i in bank if i not in trials[:3])]
    project = make_project(tmp_path_factory.mktemp("typed") / "project")
    loaded = load(project.root)
    build(project, replace(loaded, bank=replace(loaded.bank, items=swapped, exam=mock_exam(bank))))
    return project


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def open_page(browser, url: str, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    trouble: list[str] = []
    page.on("pageerror", lambda error: trouble.append(f"page error: {error}"))
    page.on("console", lambda msg: trouble.append(msg.text) if msg.type == "error" else None)
    page.on(
        "request",
        lambda request: (
            trouble.append(f"request: {request.url}")
            if not request.url.startswith(("file://", "data:", "about:"))
            else None
        ),
    )
    page.goto(url)
    return context, page, trouble


def widget_data(page, quiz: str) -> dict:
    return json.loads(page.locator(f"#quiz-data-{quiz}").text_content())


def score(page) -> str:
    return page.locator(".quiz-score").inner_text()


def resolves(page_url: str, href: str) -> bool:
    """The link's target file exists and carries the anchor it points at."""
    target = urlparse(page_url)._replace(fragment="")
    path = (Path(unquote(target.path)).parent / href.partition("#")[0]).resolve()
    anchor = href.partition("#")[2]
    return path.is_file() and (not anchor or f'id="{anchor}"' in path.read_text())


def test_take_a_quiz_by_keyboard_from_disk_and_keep_progress(built_site: Project, browser):
    url = (built_site.site / QUIZ).as_uri()
    context, page, trouble = open_page(browser, url)
    items = widget_data(page, "trials")["items"]
    singles = [d for d in items if d["type"] == "single"]
    right, wrong = singles[0], singles[1]
    assert score(page) == f"{PART}0 correct of 0 answered ({len(items)} questions)."
    assert not page.locator(".quiz-key").is_visible()

    # Right answer, keyboard only: Space picks the first option, arrows move, Tab, Enter.
    first_radio = page.locator(f"#{right['dom']} input[type=radio]").first
    first_radio.focus()
    page.keyboard.press("Space")
    for _ in range(right["key"]):
        page.keyboard.press("ArrowDown")
    for _ in range(12):  # past the strike-out toggles to "Check answer"
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Check answer":
            break
    page.keyboard.press("Enter")
    feedback = page.locator(f"#{right['dom']}-feedback")
    assert feedback.inner_text().startswith("Correct.")
    assert f"The answer is {right['answer']}." in feedback.inner_text()
    link = feedback.locator("a.quiz-evidence")
    assert link.count() == 1 and resolves(url, link.get_attribute("href"))

    # Wrong answer, by pointer.
    wrong_choice = (wrong["key"] + 1) % len(wrong["options"])
    page.locator(f"label[for='{wrong['dom']}-o{wrong_choice}']").click()
    page.locator(f"#{wrong['dom']} button[type=submit]").click()
    feedback = page.locator(f"#{wrong['dom']}-feedback")
    assert feedback.inner_text().startswith("Incorrect.")
    assert f"The answer is {wrong['answer']}." in feedback.inner_text()
    assert "(your answer)" in page.locator(f"#{wrong['dom']}").inner_text()
    assert score(page).startswith(PART + "1 correct of 2 answered")

    # A checked answer is locked: another choice and a second check change nothing.
    other = (wrong["key"] + 2) % len(wrong["options"])
    page.locator(f"label[for='{wrong['dom']}-o{other}']").click(force=True)
    assert not page.locator(f"#{wrong['dom']}-o{other}").is_checked()
    assert page.locator(f"#{wrong['dom']} button[type=submit]").is_disabled()
    assert score(page).startswith(PART + "1 correct of 2 answered")

    stored = page.evaluate("JSON.parse(localStorage.getItem('tdm1-quiz:v2')).items")
    assert [a["mode"] for a in stored[right["id"]]] == ["tutor"]
    assert stored[wrong["id"]][0]["correct"] is False and stored[wrong["id"]][0]["at"] > 0

    page.reload()
    assert score(page).startswith(PART + "1 correct of 2 answered")
    assert page.locator(f"#{right['dom']}-o{right['key']}").is_checked()
    assert page.locator(f"#{right['dom']}-feedback").inner_text().startswith("Correct.")
    assert page.locator(f"#{wrong['dom']}-feedback").inner_text().startswith("Incorrect.")

    # Retry the missed one: a round of its own; the first attempt keeps the score.
    page.get_by_role("button", name="Retry the ones I missed").click()
    assert page.locator(f"#{wrong['dom']}").is_visible()
    assert not page.locator(f"#{right['dom']}").is_visible()
    assert not page.locator(f"#{wrong['dom']} input:checked").count()
    answer_single(page, wrong, right=True)
    assert page.locator(f"#{wrong['dom']}-feedback").inner_text().startswith("Correct.")
    assert score(page).startswith(PART + "1 correct of 2 answered")
    assert (
        page.locator(".quiz-score-round")
        .inner_text()
        .startswith("Retry round (first attempts still count above): 1 correct of 1 answered")
    )
    page.get_by_role("button", name="Show all questions").click()
    assert page.locator(f"#{right['dom']}").is_visible()
    assert page.locator(f"#{wrong['dom']}-feedback").inner_text().startswith("Incorrect.")
    page.reload()
    assert score(page).startswith(PART + "1 correct of 2 answered")
    page.get_by_role("button", name="Reset this part").click()
    assert score(page).startswith(PART + "0 correct of 0 answered")
    items_left = page.evaluate("JSON.parse(localStorage.getItem('tdm1-quiz:v2')).items")
    assert right["id"] not in items_left and wrong["id"] not in items_left
    assert trouble == []
    context.close()


def whole(page) -> str:
    return page.locator(".quiz-score-whole").inner_text()


def answer_single(page, item: dict, right: bool) -> None:
    choice = item["key"] if right else (item["key"] + 1) % len(item["options"])
    page.locator(f"label[for='{item['dom']}-o{choice}']").click()
    page.locator(f"#{item['dom']} button[type=submit]").click()


def test_whole_quiz_score_counts_the_answers_on_every_part(built_site: Project, browser):
    parts = sorted(
        (built_site.site / "generated/quizzes").glob("trials*.html"),
        key=lambda path: int(path.stem.partition("-")[2] or 1),
    )
    assert len(parts) >= 2, "the trials quiz is split into parts"
    context, page, trouble = open_page(browser, parts[0].as_uri())
    data = [widget_data(page, "trials")]
    for part in parts[1:]:
        page.goto(part.as_uri())
        data.append(widget_data(page, "trials"))
    total = sum(len(d["items"]) for d in data)
    assert {d["total"] for d in data} == {total}
    assert len({d["bank"] for d in data}) == 1
    # Saved by the previous widget (one key per answer, migrated on load) and before this
    # version of the quiz: an answer to a question since removed, one
    # from before answers were stamped, and a right answer to a question still on part 1,
    # marked wrong then. The first two never count; the third counts once part 1 is
    # opened, re-marked against today's key.
    singles = [d for d in data[0]["items"] if d["type"] == "single"]
    first, earlier = singles[0], singles[1]
    old = json.dumps({"answer": earlier["key"], "correct": False, "bank": "old"})
    page.evaluate("localStorage.clear()")
    page.evaluate(
        """old => {
        localStorage.setItem("tdm1-quiz:trials:gone", '{"answer":0,"correct":true,"bank":"old"}');
        localStorage.setItem("tdm1-quiz:trials:unstamped", '{"answer":0,"correct":true}');
        localStorage.setItem(old.key, old.state);
        }""",
        {"key": f"tdm1-quiz:trials:{earlier['id']}", "state": old},
    )
    whole_line = (
        f"Whole quiz, all {len(parts)} parts: {{}} correct of {{}} answered ({total} questions)."
    )

    page.goto(parts[0].as_uri())
    assert whole(page) == whole_line.format(1, 1)
    migrated = page.evaluate("JSON.parse(localStorage.getItem('tdm1-quiz:v2')).items")
    assert {"gone", "unstamped", earlier["id"]} <= set(migrated), "nothing lost"
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tdm1-quiz:'))")
    assert kept == ["tdm1-quiz:v2"], "the old keys go once migrated"
    answer_single(page, first, right=True)
    assert whole(page) == whole_line.format(2, 2)

    page.goto(parts[1].as_uri())
    second = next(d for d in data[1]["items"] if d["type"] == "single")
    answer_single(page, second, right=False)
    assert score(page).startswith(PART + "0 correct of 1 answered")
    assert whole(page) == whole_line.format(2, 3)

    page.get_by_role("button", name="Reset this part").click()
    assert whole(page) == whole_line.format(2, 2)
    assert trouble == []
    context.close()


def test_matching_ordering_and_numeric_by_keyboard(typed_site: Project, browser):
    url = (typed_site.site / part_with_every_type(typed_site.site)).as_uri()
    context, page, trouble = open_page(browser, url)
    items = widget_data(page, "trials")["items"]

    matching = next(d for d in items if d["type"] == "matching")
    page.locator(f"#{matching['dom']}-s0").focus()
    for option in matching["key"]:
        page.keyboard.type("ABCDEFGH"[option])  # options read "A. ...", "B. ..."
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator(f"#{matching['dom']}-feedback").inner_text().startswith("Correct.")

    ordering = next(d for d in items if d["type"] == "ordering")
    position = {option: rank + 1 for rank, option in enumerate(ordering["key"])}
    page.locator(f"#{ordering['dom']}-s0").focus()
    for option in range(len(ordering["options"])):
        page.keyboard.type(str(position[option]))
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator(f"#{ordering['dom']}-feedback").inner_text().startswith("Correct.")

    numeric = next(d for d in items if d["type"] == "numeric" and d["tolerance"])
    near = numeric["key"] + numeric["tolerance"] / 2
    page.locator(f"#{numeric['dom']}-n").focus()
    page.keyboard.type(f"{near:g}")
    page.keyboard.press("Enter")
    assert page.locator(f"#{numeric['dom']}-feedback").inner_text().startswith("Correct.")
    assert score(page).startswith(PART + "3 correct of 3 answered")

    # A checked answer is locked: its field no longer takes input.
    assert page.locator(f"#{numeric['dom']}-n").is_disabled()
    assert page.locator(f"#{ordering['dom']}-s0").is_disabled()
    assert trouble == []
    context.close()


def test_without_javascript_and_in_print_the_answer_key_follows_the_questions(
    built_site: Project, browser
):
    url = (built_site.site / QUIZ).as_uri()
    context, page, _ = open_page(browser, url, java_script_enabled=False)
    assert page.locator(".quiz-key").is_visible()
    assert page.locator(".quiz-form").count() == 0
    assert page.locator(".quiz-static").first.is_visible()
    context.close()

    context, page, trouble = open_page(browser, url)
    assert page.locator(".quiz-form").first.is_visible()
    page.emulate_media(media="print")
    assert page.locator(".quiz-key").is_visible()
    assert not page.locator(".quiz-form").first.is_visible()
    assert not page.locator(".quiz-toolbar").is_visible()
    assert trouble == []
    context.close()


def test_mock_exam_opens_from_disk_with_every_topic(built_site: Project, browser):
    url = (built_site.site / "generated/quizzes/mock-exam.html").as_uri()
    context, page, trouble = open_page(browser, url)
    items = widget_data(page, "mock-exam")["items"]
    assert page.locator(".quiz-form").count() == len(items)
    assert page.get_by_role("button", name="Start the exam").is_visible()
    assert trouble == []
    context.close()


def test_progress_saved_by_the_previous_widget_under_its_key_still_counts(
    built_site: Project, browser
):
    # The previous widget named its storage key in the script ("tdm1-quiz:" + "v2"); this
    # one reads the prefix from the page (pack.yaml's storage_prefix). A record it saved,
    # in its format, must load and count: no learner loses answers to the move.
    prefix = load_pack(ROOT).config.storage_prefix
    assert prefix == "tdm1-quiz"
    first_part = built_site.site / "generated/quizzes/trials.html"
    context, page, trouble = open_page(browser, first_part.as_uri())
    data = widget_data(page, "trials")
    item = next(d for d in data["items"] if d["type"] == "single")
    saved = {
        "version": 2,
        "items": {
            item["id"]: [
                {
                    "quiz": "trials",
                    "mode": "tutor",
                    "answer": item["key"],
                    "correct": True,
                    "bank": data["bank"],
                    "at": 1_700_000_000_000,
                }
            ]
        },
        "exams": [],
        "running": {},
        "review": {},
    }
    page.evaluate(
        "s => { localStorage.clear(); localStorage.setItem('tdm1-quiz:v2', s); }",
        json.dumps(saved),
    )
    page.reload()
    assert whole(page).startswith("Whole quiz, all ") and "1 correct of 1 answered" in whole(page)
    kept = page.evaluate("JSON.parse(localStorage.getItem('tdm1-quiz:v2')).items")
    assert kept[item["id"]][0]["at"] == 1_700_000_000_000, "the saved attempt is kept as it was"
    assert trouble == []
    context.close()
