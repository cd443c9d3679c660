"""The learner's pages as the generator writes them: "Test yourself" lines under evidence
sections, the review page and its flashcard data, widget data for items whose new fields
are empty, and which quiz pages the print edition leaves out."""

from __future__ import annotations

import json
import re

from conftest import two_flashcards

from generator.quiz.pages import (
    SEARCH_BELOW_EVIDENCE,
    cards_data,
    insert_test_yourself,
    print_skips,
    quiz_page,
    review_page,
    section_counts,
    widget_data,
    with_test_yourself,
)

PAGE = """# EMILIA {#emilia}

Intro.

## Outcomes

| Outcome | Arm | Result |
|---|---|---|
| <span id="emilia--pfs-tdm1"></span>PFS | T-DM1 | 9.6 |
| <span id="emilia--os-tdm1"></span>OS | T-DM1 | 30.9 |

## Safety

Text <span id="emilia--ae-1"></span>.
"""


def lines_after(text: str, heading: str) -> list[str]:
    lines = text.split("\n")
    at = lines.index(heading)
    return lines[at + 1 : at + 4]


def test_test_yourself_puts_one_line_under_each_section_with_the_sum_of_its_records():
    counts = {"emilia--pfs-tdm1": 2, "emilia--os-tdm1": 1, "emilia--ae-1": 1, "emilia": 3}
    out = insert_test_yourself(PAGE, "trials/emilia.md", counts)
    outcomes = lines_after(out, "## Outcomes")
    assert outcomes[0] == "" and outcomes[2] == ""
    assert ">Test yourself: 3 questions</a>" in outcomes[1]
    assert "page=trials/emilia.md&amp;at=emilia--os-tdm1,emilia--pfs-tdm1" in outcomes[1]
    assert 'href="../quizzes/exam.html?' in outcomes[1]
    assert ">Test yourself: 1 question</a>" in lines_after(out, "## Safety")[1]
    assert ">Test yourself: 3 questions</a>" in lines_after(out, "# EMILIA {#emilia}")[1]
    assert out.count("quiz-test-yourself no-print") == 3
    assert out.count("data-search-exclude") == 3
    # Everything else is as it was.
    assert re.sub(r"\n\n<p class=\"quiz-test-yourself.*?</p>\n", "", out) == PAGE


def test_anchors_not_on_the_page_and_the_page_itself_go_to_its_first_heading():
    out = insert_test_yourself(PAGE, "trials/emilia.md", {"": 1, "nowhere": 2})
    assert ">Test yourself: 3 questions</a>" in lines_after(out, "# EMILIA {#emilia}")[1]
    assert out.count("Test yourself") == 1
    assert insert_test_yourself(PAGE, "trials/emilia.md", {}) == PAGE


def test_with_test_yourself_touches_only_pages_that_items_draw_on(bank):
    counts = section_counts(bank)
    page = next(p for p in counts if p.startswith("trials/"))
    files = {f"generated/{page}": PAGE, "generated/glossary.md": "# Glossary\n"}
    out = with_test_yourself(files, json.dumps(counts))
    assert out["generated/glossary.md"] == files["generated/glossary.md"] or (
        "glossary.md" in counts
    )
    total = sum(counts[page].values())
    shown = sum(
        int(n) for n in re.findall(r"Test yourself: (\d+) question", out[f"generated/{page}"])
    )
    assert shown == total
    assert with_test_yourself(files, None) == files


def test_widget_data_carries_the_new_fields_and_empty_ones_stay_empty(bank):
    item = next(i for i in bank if i.type == "single")
    bare = item.model_copy(update={"rationales": [], "takeaway": "", "trial": None})
    full = item.model_copy(
        update={
            "rationales": [f"reason {k}" for k in range(len(item.options))],
            "takeaway": "one line to keep",
            "level": "application",
            "trial": "emilia",
        }
    )
    for it, expected in ((bare, ([], "", None, item.level)), (full, None)):
        data = json.loads(widget_data([it], "trials"))["items"][0]
        if expected:
            assert (data["rationales"], data["takeaway"], data["trial"], data["level"]) == expected
        else:
            assert data["rationales"] == full.rationales and data["takeaway"] == full.takeaway
            assert data["level"] == "application" and data["trial"] == "emilia"
        assert data["href"].endswith(".html" + ("#" + it.link.partition("#")[2]))
        assert data["objective"] == it.objective


def test_quiz_pages_rank_below_evidence_and_keep_the_key_out_of_search(bank):
    text = quiz_page("trials", "Quiz", "Intro.", bank[:3])
    assert text.startswith("\n".join(SEARCH_BELOW_EVIDENCE))
    assert "## Answer key { data-search-exclude }" in text
    exam = quiz_page("mock-exam", "Mock exam", "Intro.", bank[:3], mode="exam")
    assert 'data-mode="exam"' in exam and 'data-mode="tutor"' in text
    # An exam page carries what marking needs; its results load the reasons later.
    lean = json.loads(re.search(r'id="quiz-data-mock-exam">(.*?)</script>', exam)[1])
    assert not {"rationales", "takeaway", "objective", "href"} & set(lean["items"][0])
    tutor = json.loads(re.search(r'id="quiz-data-trials">(.*?)</script>', text)[1])
    assert {"rationales", "takeaway", "objective", "href"} <= set(tutor["items"][0])


def test_review_page_and_card_data_from_flashcards():
    cards = two_flashcards()
    page = review_page(cards)
    assert "the 2 flashcards come back" in page
    assert 'data-app="review"' in page
    assert "data-fsrs='&quot;../../assets/ts-fsrs/ts-fsrs.js&quot;'" in page
    script = cards_data(cards)
    payload = json.loads(
        re.fullmatch(r'\(window\.quizBank = .*?\)\["cards"\] = (.*);\n', script)[1]
    )
    assert [c["id"] for c in payload["cards"]] == ["phase/emilia", "acronym/orr"]
    assert payload["cards"][0]["href"] == "../trials/emilia.html#emilia"
    assert payload["cards"][1]["back"] == "Objective response rate"
    assert "the flashcards come back" in review_page([])


def test_print_edition_skips_parts_after_the_first_and_the_app_pages():
    q = "generated/quizzes/"
    assert print_skips(q + "trials-2.html") and print_skips(q + "review.html")
    assert print_skips(q + "exam.html") and print_skips(q + "progress.html")
    assert not print_skips(q + "trials.html") and not print_skips(q + "mock-exam.html")
    assert not print_skips(q + "index.html") and not print_skips("generated/toxicity.html")
